/**
 * @module A real OAuth 2.0 / OIDC authorization server for flow tests: `oidc-provider` on a random
 * loopback port (security-test-plan §3), with
 * - clients registered at any time (`clients.register`), so a client can be added once the gateway
 *   has told us its redirect URI; kept in a per-instance store without eviction (gotcha G5);
 * - PKCE required (G3), refresh tokens always issued (G2), `redirect_uri` never optional (SEC-05),
 *   `iss` on every authorization response (G4), revocation and introspection enabled;
 * - login and consent approved automatically: `login_hint` picks the provider-side user, and a
 *   `login_hint` starting with `deny` answers `error=access_denied` (with `denyDescription`);
 * - token and revocation endpoint hits counted by middleware registered before `provider.callback()`
 *   (§3.7), and a switch to make the token endpoint fail once.
 *
 * @example
 * const as = await startTestAuthorizationServer();
 * as.clients.register({ client_id: 'c', client_secret: 's', redirect_uris: [redirectUri] });
 * // ... run a flow ...
 * assert.equal(as.hits.token, 1);
 * await as.close();
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
// oidc-provider ships no type declarations; the small surface used here is typed by `OidcProvider` below.
// @ts-expect-error TS7016: untyped JavaScript module
import Provider from 'oidc-provider';

/** The part of oidc-provider's API the harness and the tests touch. */
export interface OidcProvider {
  readonly issuer: string;
  use(middleware: (ctx: KoaContext, next: () => Promise<void>) => Promise<void>): void;
  callback(): (req: http.IncomingMessage, res: http.ServerResponse) => void;
  on(event: string, listener: (...args: any[]) => void): void;
  interactionDetails(req: http.IncomingMessage, res: http.ServerResponse): Promise<{ uid: string; params: Record<string, string | undefined>; prompt: { name: string } }>;
  interactionFinished(req: http.IncomingMessage, res: http.ServerResponse, result: Record<string, unknown>, options?: { mergeWithLastSubmission?: boolean }): Promise<void>;
  Grant: new (init: { accountId: string; clientId: string }) => { addOIDCScope(scope: string): void; addResourceScope(resource: string, scope: string): void; save(): Promise<string> };
  [key: string]: any;
}

interface KoaContext {
  path: string;
  method: string;
  status: number;
  body: unknown;
  oidc?: { route?: string; params?: Record<string, unknown>; client?: { clientId: string } };
  set(name: string, value: string): void;
  [key: string]: any;
}

export interface ClientRegistration {
  client_id: string;
  client_secret: string;
  redirect_uris: readonly string[];
  /**
   * Informational: oidc-provider accepts `client_secret_basic` and `client_secret_post`
   * interchangeably for secret-based clients, so the gateway may use either. Default `client_secret_post`.
   */
  token_endpoint_auth_method?: 'client_secret_post' | 'client_secret_basic';
}

export interface TestAuthorizationServerOptions {
  /** Access token lifetime in seconds (default 3600). */
  accessTtl?: number;
  /** Authorization code lifetime in seconds (default 60). */
  codeTtl?: number;
  /** Refresh token lifetime in seconds (default 3600). */
  refreshTtl?: number;
  /** Every refresh consumes the old refresh token and issues a new one (default true). */
  rotateRefreshToken?: boolean;
  /** Milliseconds the token endpoint waits before answering (widens race windows; default 0). */
  tokenDelayMs?: number;
  /** Scopes the AS knows (default openid, offline_access, api:read, api:write). */
  scopes?: readonly string[];
  /** `error_description` sent with `access_denied` when `login_hint` starts with `deny`. */
  denyDescription?: string;
  /** Extra middleware, registered after the harness's own and before `provider.callback()`. */
  setup?: (provider: OidcProvider) => void;
}

export interface TokenRequestRecord {
  grant_type: string | undefined;
  client_id: string | undefined;
  redirect_uri: string | undefined;
  has_code_verifier: boolean;
  status: number;
}

export interface TestAuthorizationServer {
  /** `http://127.0.0.1:<port>`; the endpoints are `<issuer>/auth`, `/token`, `/token/revocation`, `/me`. */
  readonly issuer: string;
  readonly endpoints: { authorize: string; token: string; revocation: string; introspection: string; jwks: string };
  readonly clients: {
    /** Adds (or replaces) a confidential client; effective immediately. */
    register(client: ClientRegistration): void;
  };
  /** Requests that reached the endpoints (including those answered by `failNextToken`). */
  readonly hits: { token: number; revocation: number; tokenRequests: TokenRequestRecord[]; reset(): void };
  /** Every access, refresh and ID token the token endpoint issued (leak checks grep logs for them). */
  readonly issued: string[];
  /** When set, replaces `scope` in successful token responses (a provider granting fewer scopes). */
  tokenScopeOverride: string | undefined;
  /** The next token request gets `status` with `body` (default `{error: 'server_error'}`) without being processed. */
  failNextToken(status: number, body?: unknown): void;
  /** Changes the token endpoint latency from now on. */
  setTokenDelay(ms: number): void;
  /** `error_description` of the next denials. */
  denyDescription: string;
  /** Subjects (login_hint values) that completed an interaction, in order. */
  readonly logins: string[];
  readonly provider: OidcProvider;
  close(): Promise<void>;
}

/** A Map-backed oidc-provider adapter: per instance, no eviction, lazy expiry, grant index for revocation. */
function createAdapterFactory(): new (model: string) => object {
  const entries = new Map<string, { payload: Record<string, any>; expiresAt: number }>();
  const grants = new Map<string, Set<string>>();
  const sessionsByUid = new Map<string, string>();
  const grantable = new Set(['AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest']);
  const read = (key: string) => {
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= Date.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry.payload;
  };
  return class MapAdapter {
    constructor(readonly model: string) {}
    key(id: string) {
      return `${this.model}:${id}`;
    }
    async upsert(id: string, payload: Record<string, any>, expiresIn?: number) {
      const key = this.key(id);
      entries.set(key, { payload, expiresAt: typeof expiresIn === 'number' ? Date.now() + expiresIn * 1000 : Infinity });
      if (this.model === 'Session' && typeof payload['uid'] === 'string') sessionsByUid.set(payload['uid'], id);
      const grantId = payload['grantId'];
      if (grantable.has(this.model) && typeof grantId === 'string') {
        const members = grants.get(grantId) ?? new Set<string>();
        members.add(key);
        grants.set(grantId, members);
      }
    }
    async find(id: string) {
      return read(this.key(id));
    }
    async findByUid(uid: string) {
      const id = sessionsByUid.get(uid);
      return id === undefined ? undefined : read(this.key(id));
    }
    async findByUserCode() {
      return undefined;
    }
    async consume(id: string) {
      const payload = read(this.key(id));
      if (payload !== undefined) payload['consumed'] = Math.floor(Date.now() / 1000);
    }
    async destroy(id: string) {
      entries.delete(this.key(id));
    }
    async revokeByGrantId(grantId: string) {
      for (const key of grants.get(grantId) ?? []) entries.delete(key);
      grants.delete(grantId);
    }
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function startTestAuthorizationServer(options: TestAuthorizationServerOptions = {}): Promise<TestAuthorizationServer> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const Adapter = createAdapterFactory();
  // Clients live in the adapter (model "Client"): oidc-provider looks dynamic clients up on every request.
  const clientStore = new Adapter('Client') as { upsert(id: string, payload: object): Promise<void> };
  const rotate = options.rotateRefreshToken ?? true;
  const cookieKey = randomBytes(16).toString('hex');
  // Own signing key and policies: oidc-provider warns about its development defaults otherwise.
  // RS256, the default ID token algorithm clients (and oauth4webapi) expect.
  const signingKey = { ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }), kid: 'test-as', use: 'sig', alg: 'RS256' };

  const provider: OidcProvider = new Provider(issuer, {
    adapter: Adapter,
    clients: [],
    scopes: [...(options.scopes ?? ['openid', 'offline_access', 'api:read', 'api:write'])],
    claims: { openid: ['sub'] },
    pkce: { required: () => true },
    allowOmittingSingleRegisteredRedirectUri: false,
    rotateRefreshToken: () => rotate,
    async issueRefreshToken(_ctx: unknown, client: { grantTypeAllowed(type: string): boolean }) {
      return client.grantTypeAllowed('refresh_token');
    },
    jwks: { keys: [signingKey] },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true, allowedPolicy: async () => true },
      introspection: { enabled: true, allowedPolicy: async () => true },
    },
    async renderError(ctx: KoaContext, out: Record<string, string>) {
      ctx.type = 'text/plain';
      ctx.body = `authorization server error: ${out['error'] ?? ''}: ${out['error_description'] ?? ''}`;
    },
    ttl: {
      AccessToken: options.accessTtl ?? 3600,
      AuthorizationCode: options.codeTtl ?? 60,
      RefreshToken: options.refreshTtl ?? 3600,
      Grant: 3600,
      Session: 3600,
      Interaction: 600,
      IdToken: 600,
    },
    cookies: { keys: [cookieKey] },
    async findAccount(_ctx: unknown, sub: string) {
      return { accountId: sub, async claims() { return { sub }; } };
    },
  });

  const hits = {
    token: 0,
    revocation: 0,
    tokenRequests: [] as TokenRequestRecord[],
    reset() {
      hits.token = 0;
      hits.revocation = 0;
      hits.tokenRequests.length = 0;
    },
  };
  const failures: { status: number; body: unknown }[] = [];
  let tokenDelayMs = options.tokenDelayMs ?? 0;
  const logins: string[] = [];
  const issued: string[] = [];

  // Registered BEFORE provider.callback(): Koa composes the middleware stack there (§3.7).
  provider.use(async (ctx, next) => {
    if (ctx.method === 'POST' && ctx.path === '/token/revocation') hits.revocation++;
    if (ctx.method !== 'POST' || ctx.path !== '/token') return next();
    hits.token++;
    if (tokenDelayMs > 0) await sleep(tokenDelayMs);
    const failure = failures.shift();
    if (failure !== undefined) {
      ctx.status = failure.status;
      ctx.body = failure.body;
      ctx.set('cache-control', 'no-store');
      hits.tokenRequests.push({ grant_type: undefined, client_id: undefined, redirect_uri: undefined, has_code_verifier: false, status: failure.status });
      return;
    }
    try {
      await next();
      const body = ctx.body as Record<string, unknown> | undefined;
      if (ctx.status === 200 && body !== undefined && typeof body === 'object') {
        for (const key of ['access_token', 'refresh_token', 'id_token']) if (typeof body[key] === 'string') issued.push(body[key] as string);
        if (self.tokenScopeOverride !== undefined) body['scope'] = self.tokenScopeOverride;
      }
    } finally {
      const params = ctx.oidc?.params ?? {};
      const text = (name: string) => (typeof params[name] === 'string' ? (params[name] as string) : undefined);
      hits.tokenRequests.push({
        grant_type: text('grant_type'),
        client_id: text('client_id') ?? ctx.oidc?.client?.clientId,
        redirect_uri: text('redirect_uri'),
        has_code_verifier: text('code_verifier') !== undefined,
        status: ctx.status,
      });
    }
  });
  options.setup?.(provider);
  const handle = provider.callback();

  const self: TestAuthorizationServer = {
    issuer,
    endpoints: {
      authorize: `${issuer}/auth`,
      token: `${issuer}/token`,
      revocation: `${issuer}/token/revocation`,
      introspection: `${issuer}/token/introspection`,
      jwks: `${issuer}/jwks`,
    },
    clients: {
      register(client) {
        // The adapter write is synchronous underneath (a Map), so the client exists when this returns.
        void clientStore.upsert(client.client_id, {
          client_id: client.client_id,
          client_secret: client.client_secret,
          redirect_uris: [...client.redirect_uris],
          grant_types: ['authorization_code', 'refresh_token'],
          response_types: ['code'],
          token_endpoint_auth_method: client.token_endpoint_auth_method ?? 'client_secret_post',
        });
      },
    },
    hits,
    failNextToken(status, body = { error: 'server_error', error_description: 'the test authorization server was told to fail' }) {
      failures.push({ status, body });
    },
    setTokenDelay(ms) {
      tokenDelayMs = ms;
    },
    denyDescription: options.denyDescription ?? 'user denied',
    issued,
    tokenScopeOverride: undefined,
    logins,
    provider,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  /** Option A of §3.3: login and consent in one step, the provider-side user chosen by login_hint. */
  async function autoInteract(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const { params } = await provider.interactionDetails(req, res);
    const hint = params['login_hint'] ?? 'test-user';
    if (hint.startsWith('deny')) {
      await provider.interactionFinished(req, res, { error: 'access_denied', error_description: self.denyDescription }, { mergeWithLastSubmission: false });
      return;
    }
    const clientId = params['client_id'];
    if (clientId === undefined) throw new Error('interaction without client_id');
    const grant = new provider.Grant({ accountId: hint, clientId });
    grant.addOIDCScope(params['scope'] ?? 'openid');
    const grantId = await grant.save();
    logins.push(hint);
    await provider.interactionFinished(req, res, { login: { accountId: hint }, consent: { grantId } }, { mergeWithLastSubmission: false });
  }

  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (req.url?.startsWith('/interaction/') === true) {
      autoInteract(req, res).catch((error: unknown) => {
        res.statusCode = 500;
        res.end(`interaction failed: ${String(error)}`);
      });
      return;
    }
    handle(req, res);
  });
  return self;
}
