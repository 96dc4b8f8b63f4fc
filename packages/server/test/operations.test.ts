/**
 * Operations: health, restarts on the embedded database, concurrent migrations and replicas on one
 * PostgreSQL database, graceful shutdown and the first start of the real CLI.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { migrateToLatest } from '../src/storage/migrate.ts';
import { openDatabase } from '../src/storage/open-database.ts';
import { BACKENDS, createScratchDatabase, startTestGateway, unique, type TestGateway } from './helpers/test-gateway.ts';

const POSTGRES = process.env['TEST_DATABASE_URL'] === undefined ? 'TEST_DATABASE_URL is not set' : false;
const ZENDESK = { domain: 'acme', email: 'agent@acme.test', api_token: `tok_${randomBytes(12).toString('hex')}` };
const cleanups: (() => Promise<unknown>)[] = [];
const children = new Set<ChildProcess>();

after(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'agentgate-ops-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function rows(url: string, query: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(query)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

describe('health', () => {
  for (const backend of BACKENDS) {
    it(`/healthz and /readyz answer 200 (${backend})`, async () => {
      const gw = await startTestGateway(backend);
      try {
        const health = await gw.api('GET', '/healthz', undefined, { token: null });
        assert.equal(health.status, 200);
        assert.deepEqual(health.body, { status: 'ok' });
        const ready = await gw.api('GET', '/readyz', undefined, { token: null });
        assert.equal(ready.status, 200, ready.text);
        assert.deepEqual(ready.body, { status: 'ready' });
      } finally {
        await gw.close();
      }
    });
  }

  it('/readyz answers 503 not_ready when the database does not answer, /healthz still 200', async () => {
    const gw = await startTestGateway('pglite');
    try {
      await gw.gateway.database.close();
      const ready = await gw.api('GET', '/readyz', undefined, { token: null });
      assert.equal(ready.status, 503, ready.text);
      assert.equal(ready.body.error.code, 'not_ready');
      assert.equal((await gw.api('GET', '/healthz', undefined, { token: null })).status, 200);
    } finally {
      await gw.close();
    }
  });
});

describe('shutdown', () => {
  it('a request that reaches a closing replica runs nothing and answers 503 not_ready (safe to repeat, even a write)', async () => {
    const gw = await startTestGateway('pglite');
    const token = await gw.token();
    const { hostname, port } = new URL(gw.url);
    const socket = net.connect(Number(port), hostname);
    await once(socket, 'connect');
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
    // The first request is in flight (its body is not complete), so the connection is busy when the
    // gateway starts closing; the second, pipelined behind it, is read only after the first is answered.
    const body = JSON.stringify({ connection: { provider: 'zendesk', name: unique('closing'), type: 'API_KEY' } });
    const head = (length: number) =>
      `POST /api/v1/connections HTTP/1.1\r\nhost: ${hostname}\r\nauthorization: Bearer ${token}\r\ncontent-type: application/json\r\ncontent-length: ${length}\r\n\r\n`;
    socket.write(head(Buffer.byteLength(body)) + body.slice(0, 10));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const closed = gw.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const second = JSON.stringify({ connection: { provider: 'zendesk', name: unique('after-close'), type: 'API_KEY' } });
    socket.write(body.slice(10) + head(Buffer.byteLength(second)) + second);
    await Promise.race([once(socket, 'close'), new Promise((resolve) => setTimeout(resolve, 10_000))]);
    await closed;
    const answers = received.split(/(?=HTTP\/1\.1 )/);
    assert.equal(answers.length, 2, received);
    assert.match(answers[0] ?? '', /^HTTP\/1\.1 201 /, 'the request in flight finished');
    assert.match(answers[1] ?? '', /^HTTP\/1\.1 503 /);
    assert.match(answers[1] ?? '', /\r\nconnection: close\r\n/i);
    const error = JSON.parse((answers[1] ?? '').split('\r\n\r\n')[1] ?? '{}') as { error?: { code?: string } };
    assert.equal(error.error?.code, 'not_ready');
  });
});

describe('restart on the embedded database', () => {
  it('keeps connections, accounts, settings, events and decryptable credentials', async () => {
    const dataDir = await tempDir();
    const name = unique('zendesk');
    const first = await startTestGateway('pglite', { dataDir });
    let accountId: string;
    let firstToken: string;
    try {
      firstToken = await first.token();
      const connection = await first.api('POST', '/api/v1/connections', { connection: { provider: 'zendesk', name, type: 'API_KEY' } });
      assert.equal(connection.status, 201, connection.text);
      const account = await first.api('POST', '/api/v1/connected_accounts', { connection_name: name, identifier: 'user@example.com', authorization_details: { static_auth: ZENDESK } });
      assert.equal(account.status, 201, account.text);
      assert.equal(account.body.connected_account.status, 'ACTIVE');
      accountId = account.body.connected_account.id;
      const settings = await first.api('PATCH', '/api/v1/settings', { token_retrieval_enabled: true, user_verification: 'none', allowed_redirect_origins: ['https://app.example.com'] });
      assert.equal(settings.status, 200, settings.text);
    } finally {
      await first.close();
    }

    const second = await startTestGateway('pglite', { dataDir });
    try {
      const settings = await second.api('GET', '/api/v1/settings');
      assert.deepEqual(settings.body.settings, { user_verification: 'none', token_retrieval_enabled: true, proxy_enabled: false, tool_call_payloads_enabled: false, allowed_redirect_origins: ['https://app.example.com'] });
      const connection = await second.api('GET', `/api/v1/connections/${name}`);
      assert.equal(connection.status, 200, connection.text);
      assert.equal(connection.body.connection.provider, 'zendesk');
      const auth = await second.api('GET', `/api/v1/connected_accounts/auth?connection_name=${name}&identifier=user%40example.com`);
      assert.equal(auth.status, 200, auth.text);
      assert.equal(auth.body.connected_account.id, accountId);
      assert.equal(auth.body.connected_account.status, 'ACTIVE');
      assert.deepEqual(auth.body.connected_account.authorization_details, { static_auth: ZENDESK });
      const events = await second.api('POST', '/api/v1/events', { connected_account_id: accountId });
      assert.ok(events.body.events.some((e: { type: string }) => e.type === 'connected_account.created'), events.text);
      // The signing key survives too: a token issued before the restart still works.
      const withOldToken = await second.api('GET', '/api/v1/settings', undefined, { token: firstToken });
      assert.equal(withOldToken.status, 200, withOldToken.text);
    } finally {
      await second.close();
    }
  });
});

describe('migrations', () => {
  it('are idempotent on the embedded database', async () => {
    const database = await openDatabase({ dataDir: 'memory://' });
    try {
      const firstRun = await migrateToLatest(database.db);
      assert.ok(firstRun.applied.includes('0001-initial'));
      assert.deepEqual((await migrateToLatest(database.db)).applied, []);
    } finally {
      await database.close();
    }
  });

  it('apply each migration exactly once when two processes migrate one PostgreSQL database at once', { skip: POSTGRES }, async () => {
    const scratch = await createScratchDatabase();
    cleanups.push(() => scratch.drop());
    const a = await openDatabase({ databaseUrl: scratch.url, dataDir: 'memory://' });
    const b = await openDatabase({ databaseUrl: scratch.url, dataDir: 'memory://' });
    try {
      const [ra, rb] = await Promise.all([migrateToLatest(a.db), migrateToLatest(b.db)]);
      const applied = [...ra.applied, ...rb.applied].sort();
      assert.deepEqual(applied, [...new Set(applied)], 'a migration was applied twice');
      assert.ok(applied.includes('0001-initial'));
      const recorded = (await rows(scratch.url, 'select name from agentgate_migrations order by name')).map((r) => r['name']);
      assert.deepEqual(recorded, applied);
      assert.deepEqual((await migrateToLatest(a.db)).applied, [], 'a third run applies nothing');
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe('replicas on one PostgreSQL database', () => {
  const admin = { AGENTGATE_ADMIN_CLIENT_ID: 'cli_replica_admin', AGENTGATE_ADMIN_CLIENT_SECRET: `sec_${randomBytes(24).toString('base64url')}` };

  it('start together, seed once, and serve the same data and tokens', { skip: POSTGRES }, async () => {
    const scratch = await createScratchDatabase();
    cleanups.push(() => scratch.drop());
    const [a, b] = await Promise.all([
      startTestGateway('postgres', { databaseUrl: scratch.url, env: admin }),
      startTestGateway('postgres', { databaseUrl: scratch.url, env: admin }),
    ]);
    cleanups.push(() => a.close(), () => b.close());
    assert.deepEqual(await rows(scratch.url, 'select name from environments'), [{ name: 'default' }]);
    assert.deepEqual(await rows(scratch.url, 'select id from api_credentials'), [{ id: admin.AGENTGATE_ADMIN_CLIENT_ID }]);

    const tokenA = await a.tokenFor(admin.AGENTGATE_ADMIN_CLIENT_ID, admin.AGENTGATE_ADMIN_CLIENT_SECRET);
    const tokenB = await b.tokenFor(admin.AGENTGATE_ADMIN_CLIENT_ID, admin.AGENTGATE_ADMIN_CLIENT_SECRET);
    const name = unique('zendesk');
    const created = await a.api('POST', '/api/v1/connections', { connection: { provider: 'zendesk', name, type: 'API_KEY' } }, { token: tokenA });
    assert.equal(created.status, 201, created.text);
    const account = await a.api('POST', '/api/v1/connected_accounts', { connection_name: name, identifier: 'u1', authorization_details: { static_auth: ZENDESK } }, { token: tokenA });
    assert.equal(account.status, 201, account.text);

    // B reads what A wrote, with a token A issued.
    const connection = await b.api('GET', `/api/v1/connections/${name}`, undefined, { token: tokenA });
    assert.equal(connection.status, 200, connection.text);
    assert.deepEqual(connection.body.connection, created.body.connection);
    const read = await b.api('GET', `/api/v1/connected_accounts/${account.body.connected_account.id}`, undefined, { token: tokenA });
    assert.equal(read.status, 200, read.text);
    assert.deepEqual(read.body, account.body);

    // A change through B is seen by A, and B decrypts what A encrypted.
    const patched = await b.api('PATCH', '/api/v1/settings', { token_retrieval_enabled: true }, { token: tokenB });
    assert.equal(patched.status, 200, patched.text);
    const settings = await a.api('GET', '/api/v1/settings', undefined, { token: tokenB });
    assert.equal(settings.body.settings.token_retrieval_enabled, true);
    const auth = await b.api('GET', `/api/v1/connected_accounts/auth?id=${account.body.connected_account.id}`, undefined, { token: tokenA });
    assert.deepEqual(auth.body.connected_account.authorization_details, { static_auth: ZENDESK });
  });

  it('as two separate `agentgate start` processes: written through one, read through the other', { skip: POSTGRES }, async () => {
    const scratch = await createScratchDatabase();
    cleanups.push(() => scratch.drop());
    const env = bareEnv({
      PORT: '0',
      DATABASE_URL: scratch.url,
      AGENTGATE_DATA_DIR: await tempDir(),
      AGENTGATE_ENCRYPTION_KEYS: `1:${randomBytes(32).toString('base64')}`,
      ...admin,
    });
    const [one, two] = await Promise.all([startCli(process.cwd(), env), startCli(process.cwd(), env)]);
    assert.notEqual(one.url, two.url);
    const token = async (url: string) => {
      const response = await fetch(`${url}/oauth/token`, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: admin.AGENTGATE_ADMIN_CLIENT_ID, client_secret: admin.AGENTGATE_ADMIN_CLIENT_SECRET }),
      });
      return ((await response.json()) as { access_token: string }).access_token;
    };
    const call = async (url: string, method: string, path: string, body?: unknown) => {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: { authorization: `Bearer ${await token(url)}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, body: (await response.json()) as any };
    };
    const name = unique('zendesk');
    assert.equal((await call(one.url, 'POST', '/api/v1/connections', { connection: { provider: 'zendesk', name, type: 'API_KEY' } })).status, 201);
    const created = await call(one.url, 'POST', '/api/v1/connected_accounts', { connection_name: name, identifier: 'u1', authorization_details: { static_auth: ZENDESK } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const read = await call(two.url, 'GET', `/api/v1/connected_accounts/${created.body.connected_account.id}`);
    assert.equal(read.status, 200, JSON.stringify(read.body));
    assert.deepEqual(read.body, created.body);
    const listed = await call(two.url, 'GET', `/api/v1/connected_accounts?connection_name=${name}`);
    assert.equal(listed.body.total_size, 1);
    for (const cli of [one, two]) assert.equal((await stopCli(cli)).code, 0, cli.output());
  });

  it('without configured admin credentials, replicas starting together create and print exactly one', { skip: POSTGRES }, async () => {
    const scratch = await createScratchDatabase();
    cleanups.push(() => scratch.drop());
    const none = { AGENTGATE_ADMIN_CLIENT_ID: '', AGENTGATE_ADMIN_CLIENT_SECRET: '' };
    const gateways: TestGateway[] = await Promise.all([0, 1, 2].map(() => startTestGateway('postgres', { databaseUrl: scratch.url, env: none })));
    cleanups.push(...gateways.map((gw) => () => gw.close()));
    assert.equal((await rows(scratch.url, 'select id from environments')).length, 1);
    const credentials = await rows(scratch.url, 'select id from api_credentials');
    assert.equal(credentials.length, 1);
    const printed = gateways.flatMap((gw) => gw.logs.filter((line) => line.includes('AGENTGATE_CLIENT_SECRET=')));
    assert.equal(printed.length, 1, 'the secret is printed by exactly one replica');
    const idLines = gateways.flatMap((gw) => gw.logs.filter((line) => line.includes('AGENTGATE_CLIENT_ID=')));
    assert.ok(idLines[0]?.includes(String(credentials[0]?.['id'])));
  });
});

// ---------------------------------------------------------------------------------------------------
// The real CLI, as `npm start` runs it.

const BIN = fileURLToPath(new URL('../../cli/src/bin.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');
interface Cli {
  readonly child: ChildProcess;
  readonly url: string;
  output(): string;
  /** Resolves with the exit code and signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The environment of a user who configured nothing: no AGENTGATE_* variable, no DATABASE_URL. */
function bareEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('AGENTGATE_') || key === 'DATABASE_URL' || key === 'NODE_ENV' || key === 'PORT' || key === 'HOST') continue;
    env[key] = value;
  }
  return { ...env, NODE_ENV: 'development', ...extra };
}

async function startCli(cwd: string, env: NodeJS.ProcessEnv): Promise<Cli> {
  const child = spawn(process.execPath, ['--import', TSX, BIN, 'start'], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the CLI did not start within 60 s:\n${output}`)), 60_000);
    const check = () => {
      const match = /Agentgate listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`the CLI exited (${code}) before listening:\n${output}`));
    });
  });
  return { child, url, output: () => output, exited };
}

/** SIGTERM, then the exit code and how long it took. */
async function stopCli(cli: Cli): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }> {
  const started = Date.now();
  cli.child.kill('SIGTERM');
  const result = await Promise.race([cli.exited, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no exit 10 s after SIGTERM:\n${cli.output()}`)), 10_000))]);
  return { ...result, ms: Date.now() - started };
}

async function tokenStatus(url: string, clientId: string, clientSecret: string): Promise<number> {
  const response = await fetch(`${url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }),
  });
  await response.arrayBuffer();
  return response.status;
}

describe('the CLI', () => {
  it('stops gracefully on SIGTERM with exit code 0', async () => {
    const dataDir = await tempDir();
    const cli = await startCli(process.cwd(), bareEnv({
      PORT: '0',
      AGENTGATE_DATA_DIR: dataDir,
      AGENTGATE_ENCRYPTION_KEYS: `1:${randomBytes(32).toString('base64')}`,
      AGENTGATE_ADMIN_CLIENT_ID: 'cli_cli_admin',
      AGENTGATE_ADMIN_CLIENT_SECRET: `sec_${randomBytes(24).toString('base64url')}`,
    }));
    const health = await fetch(`${cli.url}/healthz`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: 'ok' });
    const { code, signal, ms } = await stopCli(cli);
    assert.equal(signal, null, cli.output());
    assert.equal(code, 0, cli.output());
    assert.ok(ms < 5_000, `took ${ms} ms to stop`);
    assert.doesNotMatch(cli.output(), /AGENTGATE_CLIENT_SECRET=/, 'configured admin credentials: nothing generated or printed');
  });

  it('first start with no configuration prints a working credential once; the next start prints none', async () => {
    const cwd = await tempDir();
    const env = bareEnv({ PORT: '0' });

    const first = await startCli(cwd, env);
    const id = /AGENTGATE_CLIENT_ID=(\S+)/.exec(first.output())?.[1];
    const secret = /AGENTGATE_CLIENT_SECRET=(\S+)/.exec(first.output())?.[1];
    assert.ok(id !== undefined && secret !== undefined, first.output());
    assert.equal(first.output().split('AGENTGATE_CLIENT_SECRET=').length, 2, 'printed once');
    assert.equal(await tokenStatus(first.url, id, secret), 200);
    assert.ok(existsSync(join(cwd, '.agentgate', 'encryption-key')), 'development key in the default data folder');
    assert.ok(existsSync(join(cwd, '.agentgate', 'pgdata')), 'embedded database in the default data folder');
    assert.equal((await stopCli(first)).code, 0, first.output());

    const second = await startCli(cwd, env);
    assert.doesNotMatch(second.output(), /AGENTGATE_CLIENT_SECRET=/);
    assert.ok(!second.output().includes(secret), 'the secret is never shown again');
    assert.equal(await tokenStatus(second.url, id, secret), 200, 'the printed credential still works after a restart');
    assert.equal((await stopCli(second)).code, 0, second.output());
  });
});
