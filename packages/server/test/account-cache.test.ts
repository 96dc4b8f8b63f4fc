/**
 * The hot-path account cache: the AccountCache class on its own (TTL, the generation guard that keeps
 * a fill racing an invalidation out, the switch that clears and bypasses it), the Store wrapper that
 * invalidates it on local writes, and end to end: a write drops the entry at once on one gateway, and
 * on PostgreSQL two replicas on one database see each other's writes through LISTEN/NOTIFY.
 *
 * NOTIFY is asynchronous: a notification reaches the other replica a few milliseconds after the
 * writing transaction commits, so the cross-replica tests poll for up to 2 s. A replica that never
 * hears it would keep serving the cached entry for the whole TTL (30 s), so the poll still fails then.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { AccountCache, type CachedAccount } from '../src/domain/accounts/account-cache.ts';
import type { Store } from '../src/domain/ports.ts';
import { parseChange, withCacheInvalidation, type CacheChange } from '../src/storage/cache-invalidation.ts';
import { assertError, sleep } from './helpers/api-assertions.ts';
import { adminEnvironmentId } from './helpers/browser-leg.ts';
import { defineEmulator, startEmulator, type RunningEmulator } from './helpers/emulator.ts';
import { BACKENDS, createScratchDatabase, startTestGateway, unique, type ApiResponse, type TestGateway } from './helpers/test-gateway.ts';

function entry(id: string, options: { environmentId?: string; connectionId?: string; connectionName?: string; identifier?: string } = {}): CachedAccount {
  return {
    account: { id, environmentId: options.environmentId ?? 'env_1', connectionId: options.connectionId ?? 'con_1', identifier: options.identifier ?? `user-${id}`, status: 'ACTIVE' },
    connection: { id: options.connectionId ?? 'con_1', name: options.connectionName ?? 'gmail-main', provider: 'gmail', enabled: true },
    connector: { key: 'gmail' },
    credentials: { kind: 'oauth_token', access_token: `token-${id}` },
  } as unknown as CachedAccount;
}

describe('AccountCache', () => {
  function cacheAt(ttlMs = 1000, maxEntries = 100) {
    const clock = { now: 1_000_000 };
    const cache = new AccountCache({ ttlMs, maxEntries, now: () => clock.now });
    return { cache, clock };
  }

  it('serves an entry until its TTL runs out, then forgets it', () => {
    const { cache, clock } = cacheAt(1000);
    const value = entry('ca_1');
    cache.set(value, cache.generation);
    assert.equal(cache.get('env_1', 'ca_1'), value);
    clock.now += 999;
    assert.equal(cache.get('env_1', 'ca_1'), value);
    clock.now += 1;
    assert.equal(cache.get('env_1', 'ca_1'), undefined);
    assert.equal(cache.size, 0, 'an expired entry is dropped when read');
  });

  it('never serves an entry to another environment', () => {
    const { cache } = cacheAt();
    cache.set(entry('ca_1', { environmentId: 'env_1' }), cache.generation);
    assert.equal(cache.get('env_2', 'ca_1'), undefined);
    assert.notEqual(cache.get('env_1', 'ca_1'), undefined);
  });

  it('indexes entries by environment + connection name + identifier', () => {
    const { cache } = cacheAt();
    cache.set(entry('ca_1', { connectionName: 'gmail-main', identifier: 'ada' }), cache.generation);
    assert.equal(cache.idForKey(AccountCache.keyOf('env_1', 'gmail-main', 'ada')), 'ca_1');
    assert.equal(cache.idForKey(AccountCache.keyOf('env_2', 'gmail-main', 'ada')), undefined);
    assert.equal(cache.idForKey(AccountCache.keyOf('env_1', 'gmail-other', 'ada')), undefined);
  });

  it('generation guard: a fill that started before an invalidation is not stored', () => {
    const { cache } = cacheAt();
    const started = cache.generation;
    cache.invalidateAccount('ca_1'); // the account was written while the fill read the database
    cache.set(entry('ca_1'), started);
    assert.equal(cache.get('env_1', 'ca_1'), undefined);
    assert.equal(cache.size, 0);
    // Any invalidation counts (another account, a connection, a clear): the guard is global and cheap.
    for (const invalidate of [() => cache.invalidateAccount('ca_other'), () => cache.invalidateConnection('con_x'), () => cache.clear()]) {
      const generation = cache.generation;
      invalidate();
      cache.set(entry('ca_2'), generation);
      assert.equal(cache.get('env_1', 'ca_2'), undefined);
    }
    // A fill that started after the invalidation is stored.
    cache.set(entry('ca_1'), cache.generation);
    assert.notEqual(cache.get('env_1', 'ca_1'), undefined);
  });

  it('invalidateAccount drops one entry; invalidateConnection drops that connection’s entries and the name index', () => {
    const { cache } = cacheAt();
    cache.set(entry('ca_1', { connectionId: 'con_a' }), cache.generation);
    cache.set(entry('ca_2', { connectionId: 'con_a' }), cache.generation);
    cache.set(entry('ca_3', { connectionId: 'con_b', connectionName: 'other' }), cache.generation);
    cache.invalidateAccount('ca_1');
    assert.equal(cache.get('env_1', 'ca_1'), undefined);
    assert.notEqual(cache.get('env_1', 'ca_2'), undefined);
    cache.invalidateConnection('con_a');
    assert.equal(cache.get('env_1', 'ca_2'), undefined);
    assert.notEqual(cache.get('env_1', 'ca_3'), undefined);
    assert.equal(cache.idForKey(AccountCache.keyOf('env_1', 'other', 'user-ca_3')), undefined, 'names may have changed: the index is rebuilt by later fills');
  });

  it('setEnabled(false) clears the cache and bypasses it; setEnabled(true) stores again', () => {
    const { cache } = cacheAt();
    cache.set(entry('ca_1'), cache.generation);
    cache.setEnabled(false);
    assert.equal(cache.size, 0);
    assert.equal(cache.get('env_1', 'ca_1'), undefined);
    cache.set(entry('ca_2'), cache.generation);
    assert.equal(cache.size, 0, 'stored while disabled');
    assert.equal(cache.get('env_1', 'ca_2'), undefined);
    cache.setEnabled(true);
    cache.set(entry('ca_2'), cache.generation);
    assert.notEqual(cache.get('env_1', 'ca_2'), undefined);
  });

  // TODO(account-cache.ts owner): setEnabled(true) does not bump the generation. A fill that read the
  // database while the listener was down (so a write by another replica in that window was never
  // heard) and finishes after the listener is back is stored and served for the whole TTL.
  it('a fill that started while the cache was disabled is not stored after it is enabled again', () => {
    const { cache } = cacheAt();
    cache.setEnabled(false);
    const started = cache.generation; // the fill reads the database now; notifications are being missed
    cache.setEnabled(true); // the listener is back
    cache.set(entry('ca_1'), started);
    assert.equal(cache.get('env_1', 'ca_1'), undefined, 'a possibly stale fill was stored');
  });

  it('a TTL of 0 turns the cache off; maxEntries bounds it', () => {
    const off = cacheAt(0).cache;
    off.set(entry('ca_1'), off.generation);
    assert.equal(off.size, 0);
    const { cache } = cacheAt(1000, 3);
    for (const id of ['ca_1', 'ca_2', 'ca_3', 'ca_4', 'ca_5']) cache.set(entry(id), cache.generation);
    assert.equal(cache.size, 3);
    assert.equal(cache.get('env_1', 'ca_1'), undefined, 'the oldest entries go first');
    assert.notEqual(cache.get('env_1', 'ca_5'), undefined);
  });
});

describe('cache invalidation: the Store wrapper and the NOTIFY payloads', () => {
  function fakeStore(log: string[]): Store {
    const store = {
      accounts: {
        update: async (account: { id: string }) => {
          log.push(`write a:${account.id}`);
          return true;
        },
        delete: async (_environmentId: string, id: string) => void log.push(`write a:${id}`),
        findById: async () => undefined,
      },
      connections: { update: async (connection: { id: string }) => void log.push(`write c:${connection.id}`), delete: async (_e: string, id: string) => void log.push(`write c:${id}`) },
      environments: { updateSettings: async (id: string) => void log.push(`write e:${id}`) },
      transaction: async (work: (tx: Store) => Promise<unknown>) => {
        log.push('begin');
        try {
          return await work(store as unknown as Store);
        } finally {
          log.push('end');
        }
      },
      withLock: async (_name: string, work: (tx: Store) => Promise<unknown>) => {
        log.push('lock');
        try {
          return await work(store as unknown as Store);
        } finally {
          log.push('unlock');
        }
      },
    };
    return store as unknown as Store;
  }

  it('every account, connection and settings write reports its change; reads pass through', async () => {
    const log: string[] = [];
    const store = withCacheInvalidation(fakeStore(log), (change) => log.push(`change ${change.kind}:${change.id}`));
    await store.accounts.update({ id: 'ca_1' } as never);
    await store.accounts.delete('env_1', 'ca_2');
    await store.connections.update({ id: 'con_1' } as never);
    await store.connections.delete('env_1', 'con_2');
    await store.environments.updateSettings('env_1', {} as never);
    assert.equal(await store.accounts.findById('env_1', 'ca_1'), undefined);
    assert.deepEqual(log, [
      'write a:ca_1',
      'change account:ca_1',
      'write a:ca_2',
      'change account:ca_2',
      'write c:con_1',
      'change connection:con_1',
      'write c:con_2',
      'change connection:con_2',
      'write e:env_1',
      'change environment:env_1',
    ]);
  });

  it('inside a transaction (or a lock) a change is reported at the write and again after the commit', async () => {
    for (const run of [(store: Store, work: (tx: Store) => Promise<unknown>) => store.transaction(work), (store: Store, work: (tx: Store) => Promise<unknown>) => store.withLock('x', work)]) {
      const log: string[] = [];
      const store = withCacheInvalidation(fakeStore(log), (change) => log.push(`change ${change.kind}:${change.id}`));
      await run(store, async (tx) => {
        await tx.accounts.update({ id: 'ca_1' } as never);
        // A nested transaction collects into the outer one.
        await tx.transaction(async (inner) => inner.connections.update({ id: 'con_1' } as never));
      });
      const end = Math.max(log.lastIndexOf('end'), log.lastIndexOf('unlock'));
      assert.deepEqual(log.slice(end + 1), ['change account:ca_1', 'change connection:con_1'], JSON.stringify(log));
      assert.ok(log.indexOf('change account:ca_1') < end, 'not reported at the write');
    }
  });

  it('a rolled-back transaction still drops the entries it touched', async () => {
    const log: string[] = [];
    const store = withCacheInvalidation(fakeStore(log), (change) => log.push(`change ${change.kind}:${change.id}`));
    await assert.rejects(
      store.transaction(async (tx) => {
        await tx.accounts.update({ id: 'ca_1' } as never);
        throw new Error('rollback');
      }),
      /rollback/,
    );
    assert.equal(log.at(-1), 'change account:ca_1');
  });

  it('parses the trigger payloads and ignores anything else', () => {
    assert.deepEqual(parseChange('a:ca_123'), { kind: 'account', id: 'ca_123' } satisfies CacheChange);
    assert.deepEqual(parseChange('c:con_1'), { kind: 'connection', id: 'con_1' });
    assert.deepEqual(parseChange('e:env_1'), { kind: 'environment', id: 'env_1' });
    for (const bad of [undefined, '', 'x:1', 'a:', 'account:ca_1']) assert.equal(parseChange(bad), undefined, String(bad));
  });
});

const API_KEY_1 = 'zd_tok_cache_suite_first_0a1b2c3d';
const API_KEY_2 = 'zd_tok_cache_suite_second_4e5f6a7b';
const ticketApi = defineEmulator({
  name: 'account-cache',
  routes: [{ method: 'GET', path: '/acme.zendesk.com/api/v2/tickets/:file', reply: () => ({ json: { ticket: { id: 7, subject: 'cached?' } } }) }],
});
const basic = (key: string) => `Basic ${Buffer.from(`agent@acme.test/token:${key}`).toString('base64')}`;

/** A zendesk connection on the emulator and one ACTIVE account; returns names and ids. */
async function zendeskAccount(gw: TestGateway, emulator: RunningEmulator, token?: string): Promise<{ connection: string; connectionId: string; identifier: string; id: string }> {
  const options = token === undefined ? {} : { token };
  const connection = unique('zendesk');
  const created = await gw.api('POST', '/api/v1/connections', { connection: { provider: 'zendesk', name: connection, type: 'API_KEY', api_config: { base_url: `${emulator.url}/{{domain}}.zendesk.com` } } }, options);
  assert.equal(created.status, 201, created.text);
  const identifier = unique('agent');
  const account = await gw.api('POST', '/api/v1/connected_accounts', { connection_name: connection, identifier, authorization_details: { static_auth: { domain: 'acme', email: 'agent@acme.test', api_token: API_KEY_1 } } }, options);
  assert.equal(account.status, 201, account.text);
  return { connection, connectionId: created.body.connection.id, identifier, id: account.body.connected_account.id };
}

/** Polls `attempt` until `done` for up to 2 s (NOTIFY is delivered asynchronously after the commit). */
async function eventually<T>(what: string, attempt: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 2000;
  for (;;) {
    const value = await attempt();
    if (done(value)) return value;
    if (Date.now() > deadline) assert.fail(`${what}: not within 2 s (last: ${JSON.stringify(value)})`);
    await sleep(25);
  }
}

const getTicket = (gw: TestGateway, accountId: string, token?: string): Promise<ApiResponse> =>
  gw.api('POST', '/api/v1/execute_tool', { tool_name: 'zendesk_get_ticket', connected_account_id: accountId, params: { ticket_id: 7 } }, token === undefined ? {} : { token });

for (const backend of BACKENDS) {
  describe(`account cache in one gateway (${backend})`, () => {
    let gw: TestGateway;
    let emulator: RunningEmulator;
    before(async () => {
      emulator = await startEmulator(ticketApi);
      gw = await startTestGateway(backend, { env: { AGENTGATE_ALLOW_PRIVATE_UPSTREAMS: 'true' } });
    });
    after(async () => {
      await gw?.close();
      await emulator?.close();
    });

    it('a call fills the cache; a local write drops the entry before the write’s answer', async () => {
      const account = await zendeskAccount(gw, emulator);
      const environmentId = await adminEnvironmentId(gw);
      const cache = gw.gateway.ctx.tools.cache;
      // On PostgreSQL the cache stays off until the change listener is connected, just after start.
      await eventually(
        'a call fills the cache',
        async () => {
          assert.equal((await getTicket(gw, account.id)).status, 200);
          return cache.get(environmentId, account.id) !== undefined;
        },
        (cached) => cached,
      );
      const updated = await gw.api('PUT', '/api/v1/connected_accounts', { id: account.id, authorization_details: { static_auth: { domain: 'acme', email: 'agent@acme.test', api_token: API_KEY_2 } } });
      assert.equal(updated.status, 200, updated.text);
      assert.equal(cache.get(environmentId, account.id), undefined, 'the write left the entry');
      assert.equal((await getTicket(gw, account.id)).status, 200);
      assert.equal(emulator.last().headers['authorization'], basic(API_KEY_2));
      // A connection write drops its accounts too.
      assert.notEqual(cache.get(environmentId, account.id), undefined);
      const disabled = await gw.api('PATCH', `/api/v1/connections/${account.connectionId}`, { connection: { enabled: false } });
      assert.equal(disabled.status, 200, disabled.text);
      assert.equal(cache.get(environmentId, account.id), undefined);
      assertError(await getTicket(gw, account.id), 409, 'connection_disabled');
    });
  });
}

const POSTGRES = process.env['TEST_DATABASE_URL'] === undefined ? 'TEST_DATABASE_URL is not set' : false;

describe('account cache across replicas (postgres: LISTEN/NOTIFY)', { skip: POSTGRES }, () => {
  const admin = { AGENTGATE_ADMIN_CLIENT_ID: 'cli_cache_replicas', AGENTGATE_ADMIN_CLIENT_SECRET: `sec_${unique('replicas')}_${unique('x')}` };
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let a: TestGateway;
  let b: TestGateway;
  let tokenA: string;
  let tokenB: string;
  let emulator: RunningEmulator;
  let environmentId: string;

  /** B's cache holds the account (so B would not read the database for it). */
  async function warmOnB(accountId: string): Promise<void> {
    // The listener may still be connecting right after start: until then the cache is bypassed.
    await eventually(
      'B caches the account',
      async () => {
        const response = await getTicket(b, accountId, tokenB);
        assert.equal(response.status, 200, response.text);
        return b.gateway.ctx.tools.cache.get(environmentId, accountId) !== undefined;
      },
      (cached) => cached,
    );
  }

  before(async () => {
    scratch = await createScratchDatabase();
    emulator = await startEmulator(ticketApi);
    const env = { ...admin, AGENTGATE_ALLOW_PRIVATE_UPSTREAMS: 'true' };
    a = await startTestGateway('postgres', { databaseUrl: scratch.url, env });
    b = await startTestGateway('postgres', { databaseUrl: scratch.url, env });
    tokenA = await a.tokenFor(admin.AGENTGATE_ADMIN_CLIENT_ID, admin.AGENTGATE_ADMIN_CLIENT_SECRET);
    tokenB = await b.tokenFor(admin.AGENTGATE_ADMIN_CLIENT_ID, admin.AGENTGATE_ADMIN_CLIENT_SECRET);
    const credential = await a.gateway.store.credentials.findById(admin.AGENTGATE_ADMIN_CLIENT_ID);
    assert.ok(credential !== undefined);
    environmentId = credential.environmentId;
  });
  after(async () => {
    await a?.close();
    await b?.close();
    await emulator?.close();
    await scratch?.drop();
  });

  it('a disconnect through replica A refuses the next calls on replica B (its warm cache entry is dropped by NOTIFY)', async () => {
    const account = await zendeskAccount(a, emulator, tokenA);
    await warmOnB(account.id);
    const disconnected = await a.api('POST', `/api/v1/connected_accounts/${account.id}:disconnect`, undefined, { token: tokenA });
    assert.equal(disconnected.status, 200, disconnected.text);
    const refused = await eventually('B refuses the disconnected account', () => getTicket(b, account.id, tokenB), (r) => r.status === 409);
    assert.equal(assertError(refused, 409, 'account_not_active').details?.['status'], 'DISCONNECTED');
    // B may cache the account again, as it now is.
    assert.ok(['DISCONNECTED', undefined].includes(b.gateway.ctx.tools.cache.get(environmentId, account.id)?.account.status));
  });

  it('new credentials written through A (PUT upsert) are used by B', async () => {
    const account = await zendeskAccount(a, emulator, tokenA);
    await warmOnB(account.id);
    assert.equal(emulator.last().headers['authorization'], basic(API_KEY_1));
    const updated = await a.api(
      'PUT',
      '/api/v1/connected_accounts',
      { connection_name: account.connection, identifier: account.identifier, authorization_details: { static_auth: { domain: 'acme', email: 'agent@acme.test', api_token: API_KEY_2 } } },
      { token: tokenA },
    );
    assert.equal(updated.status, 200, updated.text);
    await eventually(
      'B sends the new key',
      async () => {
        const response = await getTicket(b, account.id, tokenB);
        assert.equal(response.status, 200, response.text);
        return emulator.last().headers['authorization'];
      },
      (sent) => sent === basic(API_KEY_2),
    );
  });

  it('a connection disabled through A is refused by B', async () => {
    const account = await zendeskAccount(a, emulator, tokenA);
    await warmOnB(account.id);
    const disabled = await a.api('PATCH', `/api/v1/connections/${account.connectionId}`, { connection: { enabled: false } }, { token: tokenA });
    assert.equal(disabled.status, 200, disabled.text);
    const refused = await eventually('B refuses the disabled connection', () => getTicket(b, account.id, tokenB), (r) => r.status === 409);
    assertError(refused, 409, 'connection_disabled');
  });

  it('while B’s listener is down its cache is off, so a write it cannot hear is still seen', async () => {
    const account = await zendeskAccount(a, emulator, tokenA);
    await warmOnB(account.id);
    const client = new pg.Client({ connectionString: scratch.url });
    await client.connect();
    try {
      // Cut every LISTEN connection on this database (both replicas reconnect with backoff).
      const cut = await client.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query ilike 'listen %' and pid <> pg_backend_pid()`);
      assert.ok(cut.rowCount !== null && cut.rowCount >= 1, 'no listener connection found');
      await eventually('B drops its cache when the listener is lost', async () => b.gateway.ctx.tools.cache.size, (size) => size === 0);
      const disconnected = await a.api('POST', `/api/v1/connected_accounts/${account.id}:disconnect`, undefined, { token: tokenA });
      assert.equal(disconnected.status, 200, disconnected.text);
      // No wait here: the cache is either still off (database read) or was emptied when it came back.
      assert.equal(assertError(await getTicket(b, account.id, tokenB), 409, 'account_not_active').details?.['status'], 'DISCONNECTED');
      // And the listener comes back: B caches and hears writes again.
      const next = await zendeskAccount(a, emulator, tokenA);
      await warmOnB(next.id);
      const again = await a.api('POST', `/api/v1/connected_accounts/${next.id}:disconnect`, undefined, { token: tokenA });
      assert.equal(again.status, 200, again.text);
      await eventually('B hears writes after reconnecting', () => getTicket(b, next.id, tokenB), (r) => r.status === 409);
    } finally {
      await client.end();
    }
  });
});
