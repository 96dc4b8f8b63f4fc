/**
 * @module A real gateway for tests: the real server on a random port, real HTTP, a real database
 * (PGlite in memory, or a fresh PostgreSQL database per gateway when TEST_DATABASE_URL is set),
 * and its JSON logs captured so tests can grep them.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import pg from 'pg';
import { createCredential, ensureEnvironment, loadConfig, startGateway, type Gateway } from '../../src/index.ts';
import type { RefreshLock } from '../../src/domain/context.ts';

export type Backend = 'pglite' | 'postgres';

/** PGlite always; PostgreSQL too when TEST_DATABASE_URL is set (CI sets it). */
export const BACKENDS: readonly Backend[] = process.env['TEST_DATABASE_URL'] ? ['pglite', 'postgres'] : ['pglite'];

export const TEST_ENCRYPTION_KEYS = `1:${Buffer.alloc(32, 7).toString('base64')}`;

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
  text: string;
}

export interface RequestOptions {
  token?: string | null;
  headers?: Record<string, string>;
  /** Sent as is (a string) instead of JSON-encoding `body`. */
  raw?: string | Buffer;
}

export interface TestGateway {
  readonly url: string;
  readonly backend: Backend;
  readonly gateway: Gateway;
  readonly admin: { clientId: string; clientSecret: string };
  /** Every JSON log line the gateway wrote so far. */
  readonly logs: string[];
  /** A bearer token for the admin credential (cached). */
  token(): Promise<string>;
  tokenFor(clientId: string, clientSecret: string): Promise<string>;
  /** Calls the API as the admin unless `options.token` says otherwise (`null`: no Authorization). */
  api<T = any>(method: string, path: string, body?: unknown, options?: RequestOptions): Promise<ApiResponse<T>>;
  /** A second environment with its own credential, for isolation tests. */
  newEnvironment(name: string): Promise<{ environmentId: string; clientId: string; clientSecret: string }>;
  close(): Promise<void>;
}

export interface TestGatewayOptions {
  env?: Record<string, string>;
  /** A PGlite data folder (restart tests); default in memory. */
  dataDir?: string;
  /** Reuse an existing PostgreSQL database instead of creating one (multi-replica tests). */
  databaseUrl?: string;
  /** The gateway's clock (token expiry, rate-limit windows, caches); default the real time. */
  clock?: () => Date;
  /** Replaces the database refresh lease (`StartOptions.refreshLock`): the no-op control of the refresh race tests. */
  refreshLock?: RefreshLock;
}

/** Creates an empty PostgreSQL database on the TEST_DATABASE_URL server; returns its URL and a dropper. */
export async function createScratchDatabase(base = process.env['TEST_DATABASE_URL'], prefix = 'agentgate_t'): Promise<{ url: string; drop(): Promise<void> }> {
  if (base === undefined) throw new Error('TEST_DATABASE_URL is not set');
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

export async function startTestGateway(backend: Backend, options: TestGatewayOptions = {}): Promise<TestGateway> {
  const admin = { clientId: 'cli_test_admin', clientSecret: `sec_${randomBytes(24).toString('base64url')}` };
  const scratch = backend === 'postgres' && options.databaseUrl === undefined ? await createScratchDatabase() : undefined;
  const databaseUrl = options.databaseUrl ?? scratch?.url;
  const logs: string[] = [];
  const logDestination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    AGENTGATE_DATA_DIR: options.dataDir ?? 'memory://',
    AGENTGATE_ENCRYPTION_KEYS: TEST_ENCRYPTION_KEYS,
    AGENTGATE_ADMIN_CLIENT_ID: admin.clientId,
    AGENTGATE_ADMIN_CLIENT_SECRET: admin.clientSecret,
    AGENTGATE_LOG_LEVEL: 'debug',
    ...(databaseUrl === undefined ? {} : { DATABASE_URL: databaseUrl }),
    ...options.env,
  });
  const gateway = await startGateway(config, {
    logDestination,
    print: (line) => logs.push(line),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.refreshLock === undefined ? {} : { refreshLock: options.refreshLock }),
  });
  const url = gateway.url;
  const tokens = new Map<string, string>();

  async function tokenFor(clientId: string, clientSecret: string): Promise<string> {
    const cached = tokens.get(clientId);
    if (cached !== undefined) return cached;
    const response = await fetch(`${url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }),
    });
    const body = (await response.json()) as { access_token?: string };
    if (response.status !== 200 || body.access_token === undefined) throw new Error(`token request failed: ${response.status} ${JSON.stringify(body)}`);
    tokens.set(clientId, body.access_token);
    return body.access_token;
  }

  const self: TestGateway = {
    url,
    backend,
    gateway,
    admin,
    logs,
    token: () => tokenFor(admin.clientId, admin.clientSecret),
    tokenFor,
    async api(method, path, body, requestOptions = {}) {
      const token = requestOptions.token === undefined ? await self.token() : requestOptions.token;
      const headers: Record<string, string> = { ...requestOptions.headers };
      if (token !== null) headers['authorization'] = `Bearer ${token}`;
      let payload: string | Buffer | undefined = requestOptions.raw;
      if (payload === undefined && body !== undefined) {
        payload = JSON.stringify(body);
        headers['content-type'] ??= 'application/json';
      }
      // A Buffer is sent as a plain Uint8Array so this also type-checks under the DOM lib (the SDK's tests import this harness).
      const requestBody = payload === undefined || typeof payload === 'string' ? payload : new Uint8Array(payload);
      const response = await fetch(`${url}${path}`, { method, headers, ...(requestBody === undefined ? {} : { body: requestBody }) });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text === '' ? undefined : JSON.parse(text);
      } catch {
        // not JSON: the raw text stays in body
      }
      return { status: response.status, body: parsed as any, headers: response.headers, text };
    },
    async newEnvironment(name) {
      const now = new Date();
      const environment = await ensureEnvironment(gateway.store, name, now);
      const { credential, clientSecret } = await createCredential(gateway.store, { environmentId: environment.id, name: `${name} test` }, now);
      return { environmentId: environment.id, clientId: credential.id, clientSecret };
    },
    async close() {
      await gateway.close();
      await scratch?.drop();
    },
  };
  return self;
}

/** A distinct identifier per test, so tests sharing one gateway never see each other's rows. */
export function unique(prefix: string): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

/** A port nothing listens on (the OS just handed it out and took it back): for "unreachable" cases and fixed-port starts. */
export async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address !== 'object') throw new Error('no port');
  return address.port;
}
