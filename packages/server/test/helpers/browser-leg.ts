/**
 * @module The browser's part of the hosted flow, without a browser: `fetch` with `redirect: 'manual'`
 * and a cookie jar, one function per thing a browser does, so a test can tamper between steps
 * (another jar, an altered `state`, a replay):
 *
 *   openLink(link, jar)                    GET the authorization link → landing page, CSRF token, form action
 *   continueToProvider(landing, jar)       POST the landing form → the authorization server's authorize URL
 *   authorizeAtProvider(url, {loginHint})  the AS's login/consent chain (its own cookies) → the callback URL
 *   deliverCallback(callbackUrl, jar)      GET the gateway's redirect URI with the browser's cookies
 *
 * plus the fixtures flow tests share: a gateway on a known port (its public URL must be real for the
 * redirect URI the AS checks), a connection pointed at a test authorization server, account lookups.
 */
import assert from 'node:assert/strict';
import type { TestAuthorizationServer } from './test-authorization-server.ts';
import { startTestGateway, unique, unusedPort, type ApiResponse, type Backend, type TestGateway, type TestGatewayOptions } from './test-gateway.ts';

// ---------------------------------------------------------------------------------------------
// Cookie jar

export interface StoredCookie {
  name: string;
  value: string;
  /** Host the cookie belongs to (ports are not part of cookie scope, as in browsers). */
  host: string;
  /** True when set with a Domain attribute (sent to subdomains too). */
  domainCookie: boolean;
  path: string;
  /** Epoch ms; Infinity for session cookies. */
  expires: number;
  secure: boolean;
  httpOnly: boolean;
  sameSite: string | undefined;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** Whether a browser treats this URL as a secure context for cookies (https, or loopback http). */
function trustworthy(url: URL): boolean {
  return url.protocol === 'https:' || LOOPBACK.has(url.hostname);
}

/**
 * A small RFC 6265 cookie jar: host/domain and path matching, expiry, `Secure`, and the `__Host-` /
 * `__Secure-` prefix rules (a cookie breaking them is dropped, as browsers do). SameSite is recorded
 * but not enforced: the gateway, the AS and the verify app all live on 127.0.0.1, which is one site.
 */
export class CookieJar {
  #cookies: StoredCookie[] = [];
  /** Cookies a browser would have refused, with the reason (tests assert this stays empty). */
  readonly rejected: { header: string; reason: string }[] = [];

  /** Stores the `Set-Cookie` headers of a response to `url`. */
  store(url: string | URL, setCookieHeaders: readonly string[]): void {
    const from = new URL(url);
    for (const header of setCookieHeaders) this.#storeOne(from, header);
  }

  #storeOne(from: URL, header: string): void {
    const [pair = '', ...attributeParts] = header.split(';');
    const eq = pair.indexOf('=');
    if (eq <= 0) return this.#reject(header, 'no name');
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    const cookie: StoredCookie = { name, value, host: from.hostname, domainCookie: false, path: defaultPath(from), expires: Infinity, secure: false, httpOnly: false, sameSite: undefined };
    let hasDomain = false;
    let maxAge: number | undefined;
    for (const part of attributeParts) {
      const i = part.indexOf('=');
      const key = (i === -1 ? part : part.slice(0, i)).trim().toLowerCase();
      const val = i === -1 ? '' : part.slice(i + 1).trim();
      if (key === 'path' && val.startsWith('/')) cookie.path = val;
      else if (key === 'domain' && val !== '') {
        hasDomain = true;
        const domain = val.replace(/^\./, '').toLowerCase();
        if (from.hostname !== domain && !from.hostname.endsWith(`.${domain}`)) return this.#reject(header, `Domain=${val} does not match ${from.hostname}`);
        cookie.host = domain;
        cookie.domainCookie = true;
      } else if (key === 'max-age') maxAge = Number(val);
      else if (key === 'expires' && maxAge === undefined) {
        const at = Date.parse(val);
        if (!Number.isNaN(at)) cookie.expires = at;
      } else if (key === 'secure') cookie.secure = true;
      else if (key === 'httponly') cookie.httpOnly = true;
      else if (key === 'samesite') cookie.sameSite = val.toLowerCase();
    }
    if (maxAge !== undefined && Number.isFinite(maxAge)) cookie.expires = maxAge <= 0 ? 0 : Date.now() + maxAge * 1000;
    if (cookie.secure && !trustworthy(from)) return this.#reject(header, 'Secure cookie set over plain http');
    if (name.startsWith('__Secure-') && !cookie.secure) return this.#reject(header, '__Secure- prefix without Secure');
    if (name.startsWith('__Host-') && (!cookie.secure || hasDomain || cookie.path !== '/')) return this.#reject(header, '__Host- prefix needs Secure, Path=/ and no Domain');
    this.#cookies = this.#cookies.filter((c) => !(c.name === name && c.host === cookie.host && c.path === cookie.path));
    if (cookie.expires > Date.now()) this.#cookies.push(cookie);
  }

  #reject(header: string, reason: string): void {
    this.rejected.push({ header, reason });
  }

  /** The cookies a browser sends with a request to `url`. */
  matching(url: string | URL): StoredCookie[] {
    const to = new URL(url);
    const now = Date.now();
    this.#cookies = this.#cookies.filter((c) => c.expires > now);
    return this.#cookies
      .filter((c) => (c.domainCookie ? to.hostname === c.host || to.hostname.endsWith(`.${c.host}`) : to.hostname === c.host))
      .filter((c) => pathMatches(to.pathname, c.path))
      .filter((c) => !c.secure || trustworthy(to))
      .sort((a, b) => b.path.length - a.path.length);
  }

  /** The `Cookie` header for a request to `url`, or undefined when nothing matches. */
  header(url: string | URL): string | undefined {
    const cookies = this.matching(url);
    return cookies.length === 0 ? undefined : cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  }

  /** Every live cookie. */
  all(): StoredCookie[] {
    const now = Date.now();
    return this.#cookies.filter((c) => c.expires > now).map((c) => ({ ...c }));
  }

  /** The first live cookie whose name satisfies `test`. */
  find(test: (name: string) => boolean): StoredCookie | undefined {
    return this.all().find((c) => test(c.name));
  }

  /** A copy (another tab of the same browser profile). */
  clone(): CookieJar {
    const copy = new CookieJar();
    copy.#cookies = this.#cookies.map((c) => ({ ...c }));
    return copy;
  }

  /** Replaces a cookie's value in place (tampering tests). */
  setValue(name: string, value: string): void {
    const cookie = this.#cookies.find((c) => c.name === name);
    assert.ok(cookie !== undefined, `no cookie ${name} in the jar`);
    cookie.value = value;
  }
}

function defaultPath(url: URL): string {
  const path = url.pathname;
  if (!path.startsWith('/') || path.lastIndexOf('/') === 0) return '/';
  return path.slice(0, path.lastIndexOf('/'));
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}

// ---------------------------------------------------------------------------------------------
// One request, as a browser makes it

export interface BrowserResponse {
  url: string;
  status: number;
  headers: Headers;
  /** The `Location` header resolved against the request URL; undefined when absent. */
  location: string | undefined;
  text: string;
  /** The raw `Set-Cookie` headers. */
  setCookies: string[];
}

export interface BrowserRequest {
  method?: string;
  headers?: Record<string, string>;
  /** Sent `application/x-www-form-urlencoded`. */
  form?: Record<string, string>;
}

/** One request with the jar's cookies, redirects not followed; the response's cookies go into the jar. */
export async function browserFetch(url: string, jar: CookieJar, request: BrowserRequest = {}): Promise<BrowserResponse> {
  const headers: Record<string, string> = { accept: 'text/html,application/xhtml+xml', 'user-agent': 'agentgate-browser-leg', ...request.headers };
  const cookie = jar.header(url);
  if (cookie !== undefined) headers['cookie'] = cookie;
  let body: string | undefined;
  if (request.form !== undefined) {
    body = new URLSearchParams(request.form).toString();
    headers['content-type'] ??= 'application/x-www-form-urlencoded';
  }
  // A bounded wait: a hung server fails the test step instead of stalling the whole file.
  const response = await fetch(url, { method: request.method ?? (body === undefined ? 'GET' : 'POST'), headers, redirect: 'manual', signal: AbortSignal.timeout(20_000), ...(body === undefined ? {} : { body }) });
  const setCookies = response.headers.getSetCookie();
  jar.store(url, setCookies);
  const raw = response.headers.get('location');
  return { url, status: response.status, headers: response.headers, location: raw === null ? undefined : new URL(raw, url).toString(), text: await response.text(), setCookies };
}

/** Decodes the entities an escaping template produces in attribute values. */
export function decodeHtml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos|#39);/gi, (whole, entity: string) => {
    const e = entity.toLowerCase();
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10));
    return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[e] ?? whole;
  });
}

function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))/g)) {
    out[m[1]!.toLowerCase()] = decodeHtml(m[2] ?? m[3] ?? m[4] ?? '');
  }
  return out;
}

export interface HtmlForm {
  method: string;
  /** Resolved against the page URL. */
  action: string;
  /** name → value of every `<input>` (hidden ones included) in the form. */
  inputs: Record<string, string>;
  /** Input names in document order. */
  names: string[];
}

/** The first `<form>` of a page (method, resolved action, inputs). */
export function parseForm(html: string, pageUrl: string): HtmlForm | undefined {
  const match = /<form\b([^>]*)>([\s\S]*?)<\/form>/i.exec(html);
  if (match === null) return undefined;
  const form = attributes(match[1] ?? '');
  const inputs: Record<string, string> = {};
  const names: string[] = [];
  for (const input of (match[2] ?? '').matchAll(/<(?:input|textarea|select)\b([^>]*)>/gi)) {
    const a = attributes(input[1] ?? '');
    if (a['name'] === undefined) continue;
    names.push(a['name']);
    inputs[a['name']] = a['value'] ?? '';
  }
  return { method: (form['method'] ?? 'get').toLowerCase(), action: new URL(form['action'] ?? pageUrl, pageUrl).toString(), inputs, names };
}

// ---------------------------------------------------------------------------------------------
// The four browser steps

export interface LandingPage {
  response: BrowserResponse;
  landingHtml: string;
  csrfToken: string;
  /** Absolute URL the form posts to. */
  formAction: string;
  form: HtmlForm;
}

function describe(response: BrowserResponse): string {
  return `${response.status} ${response.url}${response.location === undefined ? '' : ` → ${response.location}`}: ${response.text.slice(0, 400)}`;
}

/** GETs an authorization link and reads its landing page; throws unless it is a 200 page with a POST form and a CSRF token. */
export async function openLink(link: string, jar: CookieJar): Promise<LandingPage> {
  const response = await browserFetch(link, jar);
  assert.equal(response.status, 200, `the link did not render a landing page: ${describe(response)}`);
  const form = parseForm(response.text, link);
  assert.ok(form !== undefined, `no <form> on the landing page: ${response.text.slice(0, 400)}`);
  assert.equal(form.method, 'post', 'the landing form does not POST');
  const csrfToken = form.inputs['csrf_token'];
  assert.ok(csrfToken !== undefined && csrfToken !== '', 'the landing form has no csrf_token');
  return { response, landingHtml: response.text, csrfToken, formAction: form.action, form };
}

export interface SubmitOptions {
  /** The `Origin` header; default the form action's origin (what a browser sends for a same-origin post); null: none. */
  origin?: string | null;
  /** Replaces or adds fields (a `csrf_token` of undefined removes it). */
  fields?: Record<string, string | undefined>;
  /** Extra request headers (e.g. a spoofed `X-Forwarded-Host`). */
  headers?: Record<string, string>;
}

/** POSTs a hosted form as Chrome would (its Origin and Sec-Fetch-Site headers, the form's hidden fields plus `fields`). */
export async function submitForm(page: Pick<LandingPage, 'form'>, jar: CookieJar, options: SubmitOptions = {}): Promise<BrowserResponse> {
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...page.form.inputs, ...options.fields })) if (value !== undefined) fields[key] = value;
  // By default exactly what Chrome sends from our pages: their `Referrer-Policy: no-referrer` makes the
  // Origin of a same-origin form post "null", and the browser adds `Sec-Fetch-Site: same-origin`.
  const browserDefault = { origin: 'null', 'sec-fetch-site': 'same-origin' };
  const headers = options.origin === undefined ? browserDefault : options.origin === null ? {} : { origin: options.origin };
  return browserFetch(page.form.action, jar, { method: 'POST', form: fields, headers: { ...headers, ...options.headers } });
}

/** Posts the landing form; returns the authorization server's authorize URL the gateway redirected to (303). */
export async function continueToProvider(landing: Pick<LandingPage, 'form'>, jar: CookieJar, options: SubmitOptions = {}): Promise<string> {
  const response = await submitForm(landing, jar, options);
  assert.equal(response.status, 303, `the landing form did not redirect to the provider: ${describe(response)}`);
  assert.ok(response.location !== undefined, 'no Location');
  return response.location;
}

export interface AuthorizeOptions {
  /** The provider-side user (the test AS's `login_hint`); `deny` makes the AS answer access_denied. Default `test-user`. */
  loginHint?: string;
  /** The AS's cookies; default a fresh jar (the AS leg keeps its own cookies). */
  jar?: CookieJar;
}

/**
 * Follows the authorization server's redirect chain (`/auth → /interaction/<uid> → /auth/<uid> → …`)
 * and stops at the first redirect leaving the AS: the callback URL with `code`/`error`, `state`, `iss`.
 */
export async function authorizeAtProvider(authorizeUrl: string, options: AuthorizeOptions = {}): Promise<string> {
  const jar = options.jar ?? new CookieJar();
  const url = new URL(authorizeUrl);
  if (options.loginHint !== undefined) url.searchParams.set('login_hint', options.loginHint);
  const asOrigin = url.origin;
  let next = url.toString();
  for (let hop = 0; hop < 10; hop++) {
    const response = await browserFetch(next, jar);
    assert.ok(response.status >= 300 && response.status < 400 && response.location !== undefined, `the authorization server stopped the flow: ${describe(response)}`);
    if (new URL(response.location).origin !== asOrigin) return response.location;
    next = response.location;
  }
  throw new Error('the authorization server redirected more than 10 times');
}

/** GETs the callback URL with the browser's cookies (no redirect followed). */
export function deliverCallback(callbackUrl: string, jar: CookieJar): Promise<BrowserResponse> {
  return browserFetch(callbackUrl, jar);
}

/** Link → landing → provider → callback URL (not delivered). */
export async function runToCallback(link: string, jar: CookieJar, options: AuthorizeOptions = {}): Promise<{ landing: LandingPage; authorizeUrl: string; callbackUrl: string }> {
  const landing = await openLink(link, jar);
  const authorizeUrl = await continueToProvider(landing, jar);
  const callbackUrl = await authorizeAtProvider(authorizeUrl, options);
  return { landing, authorizeUrl, callbackUrl };
}

/** Link → … → callback delivered: the gateway's answer to the callback. */
export async function runFlow(link: string, jar: CookieJar, options: AuthorizeOptions = {}): Promise<{ authorizeUrl: string; callbackUrl: string; callback: BrowserResponse }> {
  const { authorizeUrl, callbackUrl } = await runToCallback(link, jar, options);
  return { authorizeUrl, callbackUrl, callback: await deliverCallback(callbackUrl, jar) };
}

/** Reads `error`, `error_description` and `ref` from a gateway error page URL; asserts it is one. */
export function errorOf(location: string | undefined, publicUrl: string): { error: string | null; description: string | null; ref: string | null } {
  assert.ok(location !== undefined, 'expected a redirect to the error page, got no Location');
  const url = new URL(location);
  assert.equal(`${url.origin}${url.pathname}`, `${publicUrl}/ui-handlers/connect/callback/error`, `not the error page: ${location}`);
  return { error: url.searchParams.get('error'), description: url.searchParams.get('error_description'), ref: url.searchParams.get('ref') };
}

/** Asserts a gateway response is a redirect to the error page with `code`. */
export function assertErrorRedirect(response: BrowserResponse, publicUrl: string, code: string): { error: string | null; description: string | null; ref: string | null } {
  assert.equal(response.status, 303, `expected 303 to the error page (${code}): ${describe(response)}`);
  const found = errorOf(response.location, publicUrl);
  assert.equal(found.error, code, `wrong error code in ${response.location}`);
  return found;
}

/** Checks a URL the gateway produced carries no authorization code, token or other credential. */
export function assertNoCredentialInUrl(url: string | undefined, secrets: readonly string[] = []): void {
  if (url === undefined) return;
  const parsed = new URL(url);
  for (const key of ['code', 'access_token', 'refresh_token', 'id_token', 'code_verifier', 'client_secret', 'token']) {
    assert.ok(!parsed.searchParams.has(key), `${key} in a URL the gateway produced: ${url}`);
    assert.ok(!new URLSearchParams(parsed.hash.slice(1)).has(key), `${key} in the fragment of ${url}`);
  }
  for (const secret of secrets) assert.ok(!url.includes(secret), `a secret value appears in ${url}`);
}

/** The hosted-page headers of issue 3 §7: CSP with frame-ancestors 'none', no framing, no referrer. */
export function assertHostedPageHeaders(headers: Headers, where: string): void {
  const csp = headers.get('content-security-policy') ?? '';
  assert.match(csp, /frame-ancestors 'none'/, `${where}: CSP lacks frame-ancestors 'none' (${csp})`);
  assert.match(csp, /default-src 'none'/, `${where}: CSP lacks default-src 'none' (${csp})`);
  assert.equal(headers.get('x-frame-options')?.toUpperCase(), 'DENY', `${where}: X-Frame-Options`);
  assert.equal(headers.get('referrer-policy'), 'no-referrer', `${where}: Referrer-Policy`);
}

// ---------------------------------------------------------------------------------------------
// Fixtures


/**
 * A test gateway whose public URL is its real address (`http://127.0.0.1:<port>`), so redirect URIs
 * and links work, with private upstreams allowed (the test AS is on loopback http).
 */
export async function startFlowGateway(backend: Backend, options: TestGatewayOptions = {}): Promise<TestGateway> {
  for (let attempt = 0; ; attempt++) {
    const port = await unusedPort();
    try {
      return await startTestGateway(backend, {
        ...options,
        env: { AGENTGATE_ALLOW_PRIVATE_UPSTREAMS: 'true', PORT: String(port), AGENTGATE_PUBLIC_URL: `http://127.0.0.1:${port}`, ...options.env },
      });
    } catch (error) {
      if (attempt >= 3 || !String((error as Error)?.message ?? error).includes('EADDRINUSE')) throw error;
    }
  }
}

/** The public URL a flow gateway was started with. */
export function publicUrlOf(gw: TestGateway): string {
  return gw.gateway.ctx.publicUrl;
}

export interface AsConnection {
  id: string;
  name: string;
  redirectUri: string;
  clientId: string;
  clientSecret: string;
  /** The connection as the API returned it. */
  body: any;
}

/**
 * Creates a connection (gmail connector by default) whose OAuth endpoints are the test AS, then
 * registers the gateway's redirect URI for it at the AS.
 */
export async function createAsConnection(
  gw: TestGateway,
  as: TestAuthorizationServer,
  options: { name?: string; provider?: string; scopes?: readonly string[]; issuer?: string | null } = {},
): Promise<AsConnection> {
  const name = options.name ?? unique('as-conn');
  const clientId = unique('client');
  const clientSecret = unique('client-secret');
  const created = await gw.api('POST', '/api/v1/connections', {
    connection: {
      provider: options.provider ?? 'gmail',
      name,
      oauth_config: {
        client_id: clientId,
        client_secret: clientSecret,
        authorize_uri: as.endpoints.authorize,
        token_uri: as.endpoints.token,
        revoke_uri: as.endpoints.revocation,
        ...(options.issuer === null ? {} : { issuer: options.issuer ?? as.issuer }),
        scopes: [...(options.scopes ?? ['openid', 'offline_access', 'api:read'])],
      },
    },
  });
  assert.equal(created.status, 201, `connection for the test AS: ${created.text}`);
  const connection = created.body.connection;
  const redirectUri: string = connection.oauth_config.redirect_uri;
  assert.equal(redirectUri, `${publicUrlOf(gw)}/connect/callback/${connection.id}`);
  as.clients.register({ client_id: clientId, client_secret: clientSecret, redirect_uris: [redirectUri] });
  return { id: connection.id, name, redirectUri, clientId, clientSecret, body: connection };
}

export interface LinkRequest {
  connection_name: string;
  identifier: string;
  state?: string;
  user_verify_url?: string;
}

/** `POST /api/v1/connected_accounts/magic_link`, asserted 200; returns `{link, expiry}`. */
export async function createLink(gw: TestGateway, request: LinkRequest): Promise<{ link: string; expiry: string }> {
  const response = await gw.api('POST', '/api/v1/connected_accounts/magic_link', request);
  assert.equal(response.status, 200, `magic_link: ${response.text}`);
  assert.ok(typeof response.body.link === 'string' && response.body.link.startsWith(`${publicUrlOf(gw)}/connect/link/`), `unexpected link ${response.text}`);
  return response.body;
}

/** The account (no credentials) by connection name and identifier. */
export async function accountOf(gw: TestGateway, connectionName: string, identifier: string): Promise<any> {
  const response: ApiResponse = await gw.api('GET', `/api/v1/connected_accounts/details?${new URLSearchParams({ connection_name: connectionName, identifier })}`);
  assert.equal(response.status, 200, response.text);
  return response.body.connected_account;
}

/** The environment id of the admin credential (for direct store access). */
export async function adminEnvironmentId(gw: TestGateway): Promise<string> {
  const credential = await gw.gateway.store.credentials.findById(gw.admin.clientId);
  assert.ok(credential !== undefined);
  return credential.environmentId;
}

/** Sets an account's status straight in the store (e.g. EXPIRED, which no API produces on demand). */
export async function forceStatus(gw: TestGateway, accountId: string, status: 'EXPIRED' | 'ACTIVE' | 'DISCONNECTED' | 'PENDING_AUTH'): Promise<void> {
  const environmentId = await adminEnvironmentId(gw);
  const account = await gw.gateway.store.accounts.findById(environmentId, accountId);
  assert.ok(account !== undefined, `no account ${accountId}`);
  assert.ok(await gw.gateway.store.accounts.update({ ...account, status, version: account.version + 1 }), 'concurrent write');
}

/** Events of one account, oldest first. */
export async function eventsOf(gw: TestGateway, accountId: string): Promise<{ type: string; data: any }[]> {
  const response = await gw.api('POST', '/api/v1/events', { connected_account_id: accountId, page_size: 100 });
  assert.equal(response.status, 200, response.text);
  return [...response.body.events].reverse();
}
