/**
 * Refresh races against a strict rotating provider (oidc-provider, `rotateRefreshToken: true`: a
 * consumed refresh token presented again revokes the whole grant; security-test-plan §2, RT-01..03):
 * 50 concurrent refreshes in one gateway, the same spread over 3 gateway processes sharing PostgreSQL,
 * the negative control with the lock replaced by a no-op (through `StartOptions.refreshLock`), and a
 * gateway killed with SIGKILL while it holds the lease.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import type { DomainContext, RefreshLock } from '../src/domain/context.ts';
import { runRefreshSweep } from '../src/domain/tokens/refresh-worker.ts';
import { adminEnvironmentId, createAsConnection, publicUrlOf, startFlowGateway, type AsConnection } from './helpers/browser-leg.ts';
import { connectAccount, historyOf, isActiveAtAs, refresh, refreshGrants, skipVerification, sleep, storedTokens } from './helpers/refresh-fixtures.ts';
import { startTestAuthorizationServer, type TestAuthorizationServer } from './helpers/test-authorization-server.ts';
import { BACKENDS, TEST_ENCRYPTION_KEYS, createScratchDatabase, type ApiResponse, type TestGateway } from './helpers/test-gateway.ts';

const POSTGRES = process.env['TEST_DATABASE_URL'] === undefined ? 'TEST_DATABASE_URL is not set' : false;
const CALLS = 50;
const cleanups: (() => Promise<unknown>)[] = [];
const children = new Set<ChildProcess>();

after(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

/** The AS, a flow gateway (PostgreSQL: on `databaseUrl`), user verification off, one connection. */
async function setup(backend: 'pglite' | 'postgres', databaseUrl?: string, clock?: () => Date): Promise<{ as: TestAuthorizationServer; gw: TestGateway; conn: AsConnection }> {
  const as = await startTestAuthorizationServer({ rotateRefreshToken: true });
  cleanups.push(() => as.close());
  const gw = await startFlowGateway(backend, {
    env: { AGENTGATE_REFRESH_INTERVAL_SECONDS: '0' },
    ...(databaseUrl === undefined ? {} : { databaseUrl }),
    ...(clock === undefined ? {} : { clock }),
  });
  cleanups.push(() => gw.close());
  await skipVerification(gw);
  return { as, gw, conn: await createAsConnection(gw, as) };
}

/** Every answer 200 with one and the same token state; returns that state. */
function assertAllSameSuccess(responses: ApiResponse[]): { token_expires_at: string; updated_at: string } {
  const failed = responses.filter((r) => r.status !== 200);
  assert.equal(failed.length, 0, `${failed.length} of ${responses.length} refreshes failed, e.g. ${failed[0]?.status} ${failed[0]?.text}`);
  const states = new Set(responses.map((r) => JSON.stringify({ token_expires_at: r.body.connected_account.token_expires_at, updated_at: r.body.connected_account.updated_at })));
  assert.equal(states.size, 1, `the callers saw ${states.size} different token states: ${[...states].join(', ')}`);
  return JSON.parse([...states][0]!);
}

/** After the race: the stored refresh token is live at the AS, the one before it is consumed, and one more refresh works. */
async function assertGrantAlive(as: TestAuthorizationServer, gw: TestGateway, conn: AsConnection, accountId: string, before: { refreshToken: string | undefined }): Promise<void> {
  const stored = await storedTokens(gw, accountId);
  assert.equal(stored.status, 'ACTIVE');
  assert.notEqual(stored.refreshToken, before.refreshToken, 'the refresh token was not rotated');
  assert.equal(await isActiveAtAs(as, conn, stored.refreshToken!), true, 'the stored refresh token is dead at the provider (grant revoked?)');
  assert.equal(await isActiveAtAs(as, conn, before.refreshToken!), false, 'the old refresh token is still live: no rotation happened');
  as.setTokenDelay(0);
  const grants = refreshGrants(as);
  const again = await refresh(gw, accountId);
  assert.equal(again.status, 200, `a refresh after the race: ${again.text}`);
  assert.equal(refreshGrants(as), grants + 1);
  assert.notEqual((await storedTokens(gw, accountId)).refreshToken, stored.refreshToken);
}

describe('50 concurrent refreshes in one gateway (RT-01)', () => {
  for (const backend of BACKENDS) {
    it(`reach the provider once, all succeed with the same tokens, the grant survives (${backend})`, async () => {
      const { as, gw, conn } = await setup(backend);
      const id = await connectAccount(gw, conn);
      const before = await storedTokens(gw, id);
      await gw.token();
      as.hits.reset();
      as.setTokenDelay(300);
      const responses = await Promise.all(Array.from({ length: CALLS }, () => refresh(gw, id)));
      assertAllSameSuccess(responses);
      assert.equal(refreshGrants(as), 1, `refresh_token grants at the AS: ${JSON.stringify(as.hits.tokenRequests)}`);
      assert.equal((await storedTokens(gw, id)).version, before.version + 1, 'the tokens were written more than once');
      assert.equal((await historyOf(gw, id)).filter((a) => a.outcome === 'succeeded').length, 1);
      await assertGrantAlive(as, gw, conn, id, before);
    });
  }
});

// ---------------------------------------------------------------------------------------------------
// Gateway processes: the real CLI, as `npm start` runs it.

const BIN = fileURLToPath(new URL('../../cli/src/bin.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');

interface Cli {
  readonly child: ChildProcess;
  readonly url: string;
  output(): string;
}

async function startCli(env: Record<string, string>): Promise<Cli> {
  const base: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('AGENTGATE_') && !['DATABASE_URL', 'NODE_ENV', 'PORT', 'HOST'].includes(key)) base[key] = value;
  const dataDir = await mkdtemp(join(tmpdir(), 'agentgate-refresh-'));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const child = spawn(process.execPath, ['--import', TSX, BIN, 'start'], {
    env: { ...base, NODE_ENV: 'development', PORT: '0', AGENTGATE_DATA_DIR: dataDir, AGENTGATE_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the CLI did not start within 60 s:\n${output}`)), 60_000);
    child.stdout?.on('data', () => {
      const match = /Agentgate listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the CLI exited (${code}) before listening:\n${output}`));
    });
  });
  return { child, url, output: () => output };
}

/** `count` CLI processes on the setup gateway's PostgreSQL database, keys and admin credential. */
function startClis(gw: TestGateway, databaseUrl: string, count: number, env: Record<string, string> = {}): Promise<Cli[]> {
  const shared = {
    DATABASE_URL: databaseUrl,
    AGENTGATE_ENCRYPTION_KEYS: TEST_ENCRYPTION_KEYS,
    AGENTGATE_ADMIN_CLIENT_ID: gw.admin.clientId,
    AGENTGATE_ADMIN_CLIENT_SECRET: gw.admin.clientSecret,
    AGENTGATE_ALLOW_PRIVATE_UPSTREAMS: 'true',
    AGENTGATE_REFRESH_INTERVAL_SECONDS: '0',
    // Replicas share one public URL: it is the issuer of the API tokens every one of them accepts.
    AGENTGATE_PUBLIC_URL: publicUrlOf(gw),
    ...env,
  };
  return Promise.all(Array.from({ length: count }, () => startCli(shared)));
}

/** `:refresh` through a gateway process (the admin token of the setup gateway is valid on every replica). */
async function refreshAt(baseUrl: string, token: string, accountId: string): Promise<ApiResponse> {
  const response = await fetch(`${baseUrl}/api/v1/connected_accounts/${accountId}:refresh`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: text === '' ? undefined : JSON.parse(text) };
}

/** Reads the account once through each process (warms its pool and code paths before the race). */
async function warm(urls: readonly string[], token: string, accountId: string): Promise<void> {
  for (const url of urls) {
    const response = await fetch(`${url}/api/v1/connected_accounts/${accountId}`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(response.status, 200, await response.text());
  }
}

/** 50 refreshes spread round-robin over the gateways, all fired at once. */
function race(urls: readonly string[], token: string, accountId: string): Promise<ApiResponse[]> {
  return Promise.all(Array.from({ length: CALLS }, (_, i) => refreshAt(urls[i % urls.length]!, token, accountId)));
}

describe('refreshes spread over 3 gateway processes sharing PostgreSQL (RT-02)', () => {
  it('reach the provider once, all succeed with the same tokens, the grant survives', { skip: POSTGRES }, async () => {
    const scratch = await createScratchDatabase();
    cleanups.push(() => scratch.drop());
    const { as, gw, conn } = await setup('postgres', scratch.url);
    const id = await connectAccount(gw, conn);
    const before = await storedTokens(gw, id);
    const clis = await startClis(gw, scratch.url, 3);
    const urls = clis.map((c) => c.url);
    const token = await gw.token();
    await warm(urls, token, id);
    as.hits.reset();
    as.setTokenDelay(300);
    const responses = await race(urls, token, id);
    assertAllSameSuccess(responses);
    assert.equal(refreshGrants(as), 1, `refresh_token grants at the AS: ${JSON.stringify(as.hits.tokenRequests)}`);
    assert.equal((await storedTokens(gw, id)).version, before.version + 1);
    await assertGrantAlive(as, gw, conn, id, before);
  });
});

describe('the same race on 3 in-process gateways: the lock is what prevents it (RT-03)', () => {
  const noop: RefreshLock = { acquire: async () => true, release: async () => undefined };

  async function raceInProcess(refreshLock: RefreshLock | undefined) {
    const scratch = await createScratchDatabase();
    cleanups.push(() => scratch.drop());
    const { as, gw, conn } = await setup('postgres', scratch.url);
    const id = await connectAccount(gw, conn);
    const before = await storedTokens(gw, id);
    const replica = {
      AGENTGATE_ADMIN_CLIENT_ID: gw.admin.clientId,
      AGENTGATE_ADMIN_CLIENT_SECRET: gw.admin.clientSecret,
      AGENTGATE_REFRESH_INTERVAL_SECONDS: '0',
      AGENTGATE_PUBLIC_URL: publicUrlOf(gw),
    };
    const options = { databaseUrl: scratch.url, env: replica, ...(refreshLock === undefined ? {} : { refreshLock }) };
    const gateways = await Promise.all([0, 1, 2].map(() => startFlowGateway('postgres', options)));
    cleanups.push(...gateways.map((g) => () => g.close()));
    const token = await gw.token();
    const urls = gateways.map((g) => g.url);
    await warm(urls, token, id);
    as.hits.reset();
    as.setTokenDelay(300);
    const responses = await race(urls, token, id);
    return { as, gw, conn, id, before, responses, grants: refreshGrants(as) };
  }

  it('with a no-op lock: more than one refresh reaches the provider, and the rotating grant is lost', { skip: POSTGRES }, async () => {
    const { as, gw, conn, id, grants } = await raceInProcess(noop);
    assert.ok(grants > 1, `expected the race to reach the provider more than once without the lock, got ${grants}`);
    // What the lock protects against (security-test-plan §2.1): losers get invalid_grant, and the
    // provider's reuse detection revokes the grant, so even the winner's refresh token is dead.
    assert.ok(as.hits.tokenRequests.some((r) => r.grant_type === 'refresh_token' && r.status === 400), 'no refresh was refused as a reuse');
    const stored = await storedTokens(gw, id);
    assert.equal(await isActiveAtAs(as, conn, stored.refreshToken!), false, 'the grant survived the reuse');
  });

  it('with the real lock: exactly one refresh, all succeed, the grant survives', { skip: POSTGRES }, async () => {
    const { as, gw, conn, id, before, responses, grants } = await raceInProcess(undefined);
    assertAllSameSuccess(responses);
    assert.equal(grants, 1, `refresh_token grants at the AS: ${JSON.stringify(as.hits.tokenRequests)}`);
    await assertGrantAlive(as, gw, conn, id, before);
  });
});

describe('a gateway killed with SIGKILL in the middle of a refresh', () => {
  it('holds the lease until it lapses; then another gateway refreshes, and no token is lost', { skip: POSTGRES }, async () => {
    const scratch = await createScratchDatabase();
    cleanups.push(() => scratch.drop());
    const { as, gw, conn } = await setup('postgres', scratch.url);
    const id = await connectAccount(gw, conn);
    const before = await storedTokens(gw, id);
    const [victim, survivor] = await startClis(gw, scratch.url, 2, { AGENTGATE_REFRESH_LEASE_SECONDS: '5' });
    assert.ok(victim !== undefined && survivor !== undefined);
    const token = await gw.token();
    await warm([victim.url, survivor.url], token, id);
    as.hits.reset();
    as.setTokenDelay(3000);

    const doomed = refreshAt(victim.url, token, id).catch((error: unknown) => error);
    await sleep(500);
    assert.equal(as.hits.token, 1, 'the victim has not reached the token endpoint yet');
    const lease = await leaseOf(scratch.url, id);
    assert.ok(lease.until !== null && lease.until.getTime() > Date.now(), 'the victim does not hold the lease');
    const exited = new Promise((resolve) => victim.child.once('exit', resolve));
    victim.child.kill('SIGKILL');
    await exited;
    assert.ok((await doomed) instanceof Error, 'the killed gateway answered');
    as.setTokenDelay(0);

    const started = Date.now();
    const next = await refreshAt(survivor.url, token, id);
    const waited = Date.now() - started;
    assert.equal(next.status, 200, next.text);
    assert.ok(lease.until !== null && started + waited >= lease.until.getTime() - 250, `the survivor did not wait for the lease (${waited} ms, lease until ${lease.until.toISOString()})`);
    assert.ok(waited >= 2000, `the survivor answered after ${waited} ms, before the dead holder's lease could lapse`);
    assert.equal((await leaseOf(scratch.url, id)).until, null, 'the survivor did not release the lease');
    // The victim's request never completed at the provider; the survivor's did; nothing was refreshed twice.
    assert.deepEqual(as.hits.tokenRequests.filter((r) => r.grant_type === 'refresh_token').map((r) => r.status), [200]);
    await assertGrantAlive(as, gw, conn, id, before);
  });
});

describe('background sweeps', () => {
  for (const backend of BACKENDS) {
    it(`skip an account refreshed since it was listed, and one whose lease another holder has (${backend})`, async () => {
      const { as, gw, conn } = await setup(backend);
      const [refreshedMeanwhile, leased] = [await connectAccount(gw, conn), await connectAccount(gw, conn)];
      const environmentId = await adminEnvironmentId(gw);
      assert.equal((await refresh(gw, refreshedMeanwhile)).status, 200);
      assert.ok(await gw.gateway.store.refresh.acquireLease(leased, 'another-replica', 30_000));
      // A due list read before those two things happened (as another replica's pass may hold it).
      const { ctx } = gw.gateway;
      const stale: DomainContext = { ...ctx, store: { ...ctx.store, refresh: { ...ctx.store.refresh, listDue: async () => [refreshedMeanwhile, leased].map((id) => ({ id, environmentId })) } } };
      const grants = refreshGrants(as);
      const report = await runRefreshSweep(stale, { concurrency: 2 });
      assert.deepEqual(report, { due: 2, refreshed: 0, failed: 0 });
      assert.equal(refreshGrants(as), grants, 'the sweep refreshed an account that was not due, or one another holder was refreshing');
    });
  }

  for (const backend of BACKENDS) {
    it(`keep an idle grant alive once, and only once (${backend})`, async () => {
      let offset = 0;
      const { as, gw, conn } = await setup(backend, undefined, () => new Date(Date.now() + offset));
      const id = await connectAccount(gw, conn);
      const before = await storedTokens(gw, id);
      const environmentId = await adminEnvironmentId(gw);
      // Nothing is due while the token is young and the grant was just used.
      assert.equal((await runRefreshSweep(gw.gateway.ctx)).due, 0);
      offset = 8 * 86_400_000; // AGENTGATE_KEEPALIVE_DAYS defaults to 7
      // A long-lived access token (the AS's 1-hour one would have expired): only idleness makes the account due.
      await gw.gateway.store.accounts.update({ ...(await gw.gateway.store.accounts.findById(environmentId, id))!, tokenExpiresAt: new Date(Date.now() + offset + 86_400_000), version: before.version + 1 });
      const grants = refreshGrants(as);
      assert.deepEqual(await runRefreshSweep(gw.gateway.ctx), { due: 1, refreshed: 1, failed: 0 });
      assert.equal(refreshGrants(as), grants + 1);
      const [attempt] = await gw.gateway.store.refresh.listAttempts(environmentId, id, { limit: 1 });
      assert.deepEqual([attempt?.trigger, attempt?.outcome], ['keep_alive', 'succeeded']);
      assert.equal(await isActiveAtAs(as, conn, (await storedTokens(gw, id)).refreshToken!), true);
      assert.equal((await runRefreshSweep(gw.gateway.ctx)).due, 0, 'kept alive again right away');
    });
  }

  it('of two replicas refresh each due account exactly once', { skip: POSTGRES }, async () => {
    const scratch = await createScratchDatabase();
    cleanups.push(() => scratch.drop());
    let offset = 0;
    const clock = () => new Date(Date.now() + offset);
    const { as, gw, conn } = await setup('postgres', scratch.url, clock);
    const ids = [];
    for (let i = 0; i < 12; i++) ids.push(await connectAccount(gw, conn));
    const replica = await startFlowGateway('postgres', {
      databaseUrl: scratch.url,
      clock,
      env: { AGENTGATE_ADMIN_CLIENT_ID: gw.admin.clientId, AGENTGATE_ADMIN_CLIENT_SECRET: gw.admin.clientSecret, AGENTGATE_REFRESH_INTERVAL_SECONDS: '0', AGENTGATE_PUBLIC_URL: publicUrlOf(gw) },
    });
    cleanups.push(() => replica.close());
    // The AS issues 1-hour tokens: 58 minutes later they are all inside the 5-minute margin.
    offset = 58 * 60_000;
    as.hits.reset();
    as.setTokenDelay(30);
    const reports = await Promise.all([gw, replica].map((g) => runRefreshSweep(g.gateway.ctx, { concurrency: 4 })));
    // `refreshed` also counts a pass that waited for the other replica's refresh of the same account.
    assert.ok(reports.every((r) => r.failed === 0) && reports.reduce((n, r) => n + r.refreshed, 0) >= ids.length, JSON.stringify(reports));
    assert.equal(refreshGrants(as), ids.length, `provider refreshes for ${ids.length} due accounts: ${refreshGrants(as)}`);
    assert.ok(as.hits.tokenRequests.every((r) => r.status === 200));
    const again = await Promise.all([gw, replica].map((g) => runRefreshSweep(g.gateway.ctx)));
    assert.deepEqual(again.map((r) => r.due), [0, 0], 'refreshed accounts are still due');
  });
});

async function leaseOf(url: string, accountId: string): Promise<{ until: Date | null; owner: string | null }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query('select refresh_lease_until, refresh_lease_owner from connected_accounts where id = $1', [accountId]);
    return { until: rows[0]?.refresh_lease_until ?? null, owner: rows[0]?.refresh_lease_owner ?? null };
  } finally {
    await client.end();
  }
}
