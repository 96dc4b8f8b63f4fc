/**
 * @module The dashboard as a browser without a browser: a cookie jar, Chrome's headers on form posts
 * (`Origin: null` + `Sec-Fetch-Site: same-origin` under our no-referrer policy), sign-in, and the
 * CSRF token read from the page a form is on.
 */
import assert from 'node:assert/strict';
import { browserFetch, CookieJar, decodeHtml, type BrowserResponse } from './browser-leg.ts';
import type { TestGateway } from './test-gateway.ts';

export const CHROME_FORM_HEADERS = { origin: 'null', 'sec-fetch-site': 'same-origin' } as const;

export interface DashboardClient {
  readonly jar: CookieJar;
  readonly base: string;
  get(path: string): Promise<BrowserResponse>;
  /** Posts a form as Chrome does from a dashboard page, with the session's CSRF token unless `csrf` says otherwise (null: none); a header given as '' is not sent. */
  post(path: string, fields: Record<string, string | string[]>, options?: { headers?: Record<string, string>; csrf?: string | null }): Promise<BrowserResponse>;
  /** The session's CSRF token, read from a page's sign-out form. */
  csrfToken(): Promise<string>;
}

/** The value of the first `name="csrf_token"` hidden input of a page. */
export function csrfOf(html: string): string {
  const match = /name="csrf_token" value="([^"]*)"/.exec(html);
  assert.ok(match?.[1] !== undefined, `no csrf_token on the page: ${html.slice(0, 300)}`);
  return decodeHtml(match[1]);
}

function encode(fields: Record<string, string | string[]>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) params.append(key, v);
  return params.toString();
}

export function dashboardClient(base: string, jar = new CookieJar()): DashboardClient {
  const self: DashboardClient = {
    jar,
    base,
    get: (path) => browserFetch(`${base}${path}`, jar),
    async post(path, fields, options = {}) {
      const csrf = options.csrf === undefined ? await self.csrfToken() : options.csrf;
      const body = { ...fields, ...(csrf === null ? {} : { csrf_token: csrf }) };
      const url = `${base}${path}`;
      const cookie = jar.header(url);
      // A header given as '' is left out (a browser that does not send it).
      const merged: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', ...CHROME_FORM_HEADERS, ...(cookie === undefined ? {} : { cookie }), ...options.headers };
      const headers = Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== ''));
      const response = await fetch(url, {
        method: 'POST',
        redirect: 'manual',
        headers,
        body: encode(body),
        signal: AbortSignal.timeout(20_000),
      });
      const setCookies = response.headers.getSetCookie();
      jar.store(url, setCookies);
      const raw = response.headers.get('location');
      return { url, status: response.status, headers: response.headers, location: raw === null ? undefined : new URL(raw, url).toString(), text: await response.text(), setCookies };
    },
    async csrfToken() {
      const page = await self.get('/dashboard/connectors');
      assert.equal(page.status, 200, `not signed in: ${page.status} ${page.location ?? ''}`);
      return csrfOf(page.text);
    },
  };
  return self;
}

/** Opens the sign-in page and posts the credential; returns the answer to the POST. */
export async function postSignIn(client: DashboardClient, clientId: string, clientSecret: string, headers: Record<string, string> = {}): Promise<BrowserResponse> {
  const page = await client.get('/dashboard/sign-in');
  assert.equal(page.status, 200, page.text.slice(0, 300));
  return client.post('/dashboard/sign-in', { client_id: clientId, client_secret: clientSecret }, { csrf: csrfOf(page.text), headers });
}

/** A signed-in dashboard client of the admin credential (or another). */
export async function signInDashboard(gw: TestGateway, credential: { clientId: string; clientSecret: string } = gw.admin): Promise<DashboardClient> {
  const client = dashboardClient(gw.url);
  const response = await postSignIn(client, credential.clientId, credential.clientSecret);
  assert.equal(response.status, 303, `sign-in failed: ${response.status} ${response.text.slice(0, 500)}`);
  return client;
}
