/**
 * @module Key rotation end to end: 10,000 accounts sealed with key 1 are re-encrypted to key 2 on a live
 * store, a gateway with only key 2 then serves every token, one with only key 1 refuses to start with
 * the fix in its message; an interrupted rotation resumes; a concurrent write is never overwritten.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { credentialsContext } from '../src/domain/accounts/authorization-details.ts';
import type { AccountCredentials, ConnectedAccount } from '../src/domain/model.ts';
import type { Store } from '../src/domain/ports.ts';
import { rotateVault, SEALED_FIELDS, vaultKeyVersionsInUse, VaultKeysMissing } from '../src/domain/vault/rotate.ts';
import { createVault, type Vault } from '../src/domain/vault/vault.ts';
import { newId } from '../src/ids.ts';
import { BACKENDS, createScratchDatabase, startTestGateway, unique, type Backend, type TestGateway, type TestGatewayOptions } from './helpers/test-gateway.ts';

const KEY1 = { version: 1, key: Buffer.alloc(32, 11) };
const KEY2 = { version: 2, key: Buffer.alloc(32, 22) };
const env = (...keys: (typeof KEY1)[]) => ({ AGENTGATE_ENCRYPTION_KEYS: keys.map((k) => `${k.version}:${k.key.toString('base64')}`).join(',') });
const ONLY_1 = createVault([KEY1]);
const ROTATING = createVault([KEY2, KEY1]);
const ONLY_2 = createVault([KEY2]);
const ACCOUNTS = 10_000;

/** A database that outlives one gateway: a PGlite folder, or a scratch PostgreSQL database. */
async function persistentDatabase(backend: Backend): Promise<{ options: TestGatewayOptions; dispose(): Promise<void> }> {
  if (backend === 'postgres') {
    const scratch = await createScratchDatabase();
    return { options: { databaseUrl: scratch.url }, dispose: () => scratch.drop() };
  }
  const dir = mkdtempSync(join(tmpdir(), 'agentgate-rotate-'));
  return { options: { dataDir: dir }, dispose: async () => rmSync(dir, { recursive: true, force: true }) };
}

interface Seeded {
  environmentId: string;
  /** Account id → the credentials sealed into it. */
  expected: Map<string, AccountCredentials>;
  /** A few accounts to read back through the API. */
  sample: { id: string; credentials: AccountCredentials }[];
}

/** Creates an OAuth and a static connection through the API, then `count` accounts straight through the store. */
async function seedAccounts(gw: TestGateway, count: number): Promise<Seeded> {
  const gmail = unique('gmail');
  const zendesk = unique('zendesk');
  assert.equal((await gw.api('POST', '/api/v1/connections', { connection: { provider: 'gmail', name: gmail, oauth_config: { client_id: 'c', client_secret: unique('cs') } } })).status, 201);
  assert.equal((await gw.api('POST', '/api/v1/connections', { connection: { provider: 'zendesk', name: zendesk, type: 'API_KEY' } })).status, 201);
  const { store, ctx } = gw.gateway;
  const environment = await store.environments.findByName('default');
  assert.ok(environment !== undefined);
  const [oauthConnection, staticConnection] = await store.connections.findByNames(environment.id, [gmail, zendesk]).then((found) => [gmail, zendesk].map((name) => found.find((c) => c.name === name)));
  assert.ok(oauthConnection !== undefined && staticConnection !== undefined);
  const expected = new Map<string, AccountCredentials>();
  const now = new Date();
  for (let start = 0; start < count; start += 1000) {
    await store.transaction(async (tx) => {
      for (let i = start; i < Math.min(count, start + 1000); i++) {
        const oauth = i % 2 === 0;
        const id = newId('ca');
        const credentials: AccountCredentials = oauth
          ? { kind: 'oauth_token', access_token: `at-${i}-${unique('a')}`, refresh_token: `rt-${i}-${unique('r')}`, token_type: 'Bearer' }
          : { kind: 'static_auth', fields: { domain: 'acme', email: `agent${i}@acme.test`, api_token: `zd-${i}-${unique('z')}` } };
        const account: ConnectedAccount = {
          id,
          environmentId: environment.id,
          connectionId: (oauth ? oauthConnection : staticConnection).id,
          identifier: `user-${i}`,
          organizationId: '',
          userId: '',
          status: 'ACTIVE',
          authorizationType: oauth ? 'OAUTH' : 'API_KEY',
          credentialsSealed: ctx.vault.encrypt(JSON.stringify(credentials), credentialsContext(id)),
          scopes: [],
          tokenExpiresAt: null,
          apiConfig: {},
          version: 1,
          createdAt: now,
          updatedAt: now,
          lastUsedAt: null,
        };
        await tx.accounts.insert(account);
        expected.set(id, credentials);
      }
    });
  }
  const ids = [...expected.keys()];
  await seedAuthRequest(gw, environment.id, ids[0] ?? '', oauthConnection.id);
  // A webhook endpoint whose secret was rotated: a current and a previous sealed secret.
  const endpoint = await gw.api('POST', '/api/v1/webhooks/endpoints', { url: 'https://hooks.example.com/agentgate', enabled: false });
  assert.equal(endpoint.status, 201, endpoint.text);
  const rotated = await gw.api('POST', `/api/v1/webhooks/endpoints/${endpoint.body.webhook_endpoint.id}:rotate_secret`);
  assert.equal(rotated.status, 200, rotated.text);
  const sample = Array.from({ length: 40 }, (_, i) => ids[Math.floor((i * ids.length) / 40)] ?? '').map((id) => ({ id, credentials: expected.get(id)! }));
  return { environmentId: environment.id, expected, sample };
}

/** One flow waiting for verification: a sealed PKCE verifier and sealed pending tokens. */
async function seedAuthRequest(gw: TestGateway, environmentId: string, accountId: string, connectionId: string): Promise<void> {
  const { store, ctx } = gw.gateway;
  const now = new Date();
  const linkId = newId('link');
  const id = newId('ar');
  await store.links.insert({ id: linkId, environmentId, tokenHash: unique('hash'), connectedAccountId: accountId, connectionId, identifier: 'user-0', developerState: null, userVerifyUrl: null, expiresAt: now, usedAt: now, createdAt: now });
  await store.authRequests.insert({
    id, environmentId, linkId, connectedAccountId: accountId, connectionId, stateHash: unique('state'), bindingHash: unique('binding'),
    codeVerifierSealed: ctx.vault.encrypt(unique('verifier'), { table: 'auth_requests', id, field: 'code_verifier' }),
    redirectUri: 'http://localhost/callback', expectedIssuer: null, requestedScopes: [], status: 'pending_verification', expiresAt: now, consumedAt: now,
    verificationHash: unique('verify'), verifyExpiresAt: new Date(now.getTime() + 600_000),
    pendingTokensSealed: ctx.vault.encrypt(JSON.stringify({ tokens: { access_token: unique('pending') }, scopes: [] }), { table: 'auth_requests', id, field: 'pending_tokens' }),
    previousStatus: 'ACTIVE', errorCode: null, createdAt: now, updatedAt: now,
  });
}

/** Every sealed value of every field, read straight from the database. */
async function allSealed(gw: TestGateway): Promise<{ table: string; field: string; id: string; sealed: string }[]> {
  const out: { table: string; field: string; id: string; sealed: string }[] = [];
  for (const field of SEALED_FIELDS) {
    // Version 999 is configured nowhere: "not on 999" is every value.
    for (let after: string | undefined; ; ) {
      const page = await gw.gateway.store.sealedValues.listNotOnVersion(field, 999, { ...(after === undefined ? {} : { after }), limit: 5000 });
      out.push(...page.map((row) => ({ ...field, ...row })));
      if (page.length < 5000) break;
      after = page[page.length - 1]?.id;
    }
  }
  return out;
}

function decryptAll(rows: Awaited<ReturnType<typeof allSealed>>, vault: Vault): Map<string, string> {
  return new Map(rows.map((r) => [`${r.table}.${r.field}.${r.id}`, vault.decrypt(r.sealed, { table: r.table, id: r.id, field: r.field })]));
}

function ms(start: number): string {
  return `${Math.round(performance.now() - start)} ms`;
}

for (const backend of BACKENDS) {
  describe(`vault key rotation (${backend})`, () => {
    let database: Awaited<ReturnType<typeof persistentDatabase>>;
    before(async () => {
      database = await persistentDatabase(backend);
    });
    after(async () => {
      await database.dispose();
    });

    it(`re-encrypts ${ACCOUNTS} accounts to key 2; a gateway with only key 2 serves them, one with only key 1 refuses`, async (t) => {
      const first = await startTestGateway(backend, { ...database.options, env: env(KEY1) });
      let seeded!: Seeded;
      const issued = await first.token();
      try {
        let started = performance.now();
        seeded = await seedAccounts(first, ACCOUNTS);
        t.diagnostic(`${backend}: seeded ${ACCOUNTS} accounts in ${ms(started)}`);
        const values = await allSealed(first);
        const original = decryptAll(values, ONLY_1);
        const total = values.length;
        // The accounts, a connection secret, the signing key, a PKCE verifier, pending tokens, two webhook secrets.
        assert.equal(total, ACCOUNTS + 6);
        assert.deepEqual(new Set(values.map((v) => `${v.table}.${v.field}`)), new Set(SEALED_FIELDS.map((f) => `${f.table}.${f.field}`)));
        assert.deepEqual(await vaultKeyVersionsInUse(first.gateway.store), new Map([[1, total]]));

        // On the live gateway's store, as `agentgate vault rotate` does beside running replicas.
        const progress: number[] = [];
        started = performance.now();
        const result = await rotateVault(first.gateway.store, ROTATING, { batchSize: 500, onProgress: (p) => void progress.push(p.done) });
        const elapsed = performance.now() - started;
        t.diagnostic(`${backend}: rotated ${result.reencrypted} values in ${Math.round(elapsed)} ms (${Math.round((result.reencrypted / elapsed) * 1000)} values/s)`);
        assert.deepEqual({ total: result.total, scanned: result.scanned, reencrypted: result.reencrypted, skipped: result.skipped, failed: result.failed }, { total, scanned: total, reencrypted: total, skipped: 0, failed: 0 });
        assert.equal(result.byTable.find((f) => f.table === 'connected_accounts')?.reencrypted, ACCOUNTS);
        assert.equal(progress.at(-1), total);
        assert.ok(progress.every((done, i) => i === 0 || done > (progress[i - 1] ?? 0)), 'progress only grows');
        assert.deepEqual(await vaultKeyVersionsInUse(first.gateway.store), new Map([[2, total]]));

        // Every value is now on version 2 and decrypts, with key 2 alone, to what it was.
        const rotated = await allSealed(first);
        assert.ok(rotated.every((r) => ROTATING.versionOf(r.sealed) === 2));
        assert.deepEqual(decryptAll(rotated, ONLY_2), original);
        for (const [id, credentials] of seeded.expected) assert.deepEqual(JSON.parse(original.get(`connected_accounts.credentials.${id}`) ?? ''), credentials);

        const again = await rotateVault(first.gateway.store, ROTATING);
        assert.deepEqual([again.total, again.scanned, again.reencrypted], [0, 0, 0], 'nothing left to do');
      } finally {
        await first.close();
      }

      // The old key removed: the gateway starts, serves the original tokens, accepts tokens issued before.
      let started = performance.now();
      const second = await startTestGateway(backend, { ...database.options, env: env(KEY2) });
      try {
        t.diagnostic(`${backend}: gateway with only key 2 started in ${ms(started)}`);
        const issuedBefore = await second.api('GET', '/api/v1/connected_accounts?page_size=1', undefined, { token: issued });
        assert.equal(issuedBefore.status, 200, `a token issued before rotation still verifies: ${issuedBefore.text}`);
        assert.equal(issuedBefore.body.total_size, ACCOUNTS);
        assert.equal((await second.api('PATCH', '/api/v1/settings', { token_retrieval_enabled: true })).status, 200);
        for (const { id, credentials } of seeded.sample) {
          const auth = await second.api('GET', `/api/v1/connected_accounts/auth?id=${id}`);
          assert.equal(auth.status, 200, auth.text);
          const details = auth.body.connected_account.authorization_details;
          if (credentials.kind === 'static_auth') assert.deepEqual(details.static_auth, credentials.fields);
          else assert.deepEqual([details.oauth_token.access_token, details.oauth_token.refresh_token], [credentials.access_token, credentials.refresh_token]);
        }
      } finally {
        await second.close();
      }

      // Only the old key: refused before anything is served, with the versions and the fix.
      started = performance.now();
      await assert.rejects(
        () => startTestGateway(backend, { ...database.options, env: env(KEY1) }),
        (error: unknown) => {
          assert.ok(error instanceof VaultKeysMissing, String(error));
          assert.deepEqual([...error.missing.keys()], [2]);
          assert.match(error.message, /encrypted with key version 2 \(\d+ values\), which the configured encryption keys \(versions 1\) do not include/);
          assert.match(error.message, /AGENTGATE_ENCRYPTION_KEYS="1:<key 1 base64>,2:<key 2 base64>"/);
          assert.match(error.message, /agentgate vault rotate/);
          return true;
        },
      );
      t.diagnostic(`${backend}: refusal took ${ms(started)}`);
    });
  });

  describe(`vault key rotation, interruptions and races (${backend})`, () => {
    let gw: TestGateway;
    let seeded: Seeded;
    before(async () => {
      gw = await startTestGateway(backend, { env: env(KEY1) });
      seeded = await seedAccounts(gw, 300);
    });
    after(async () => {
      await gw.close();
    });

    it('resumes an interrupted rotation where it stopped', async () => {
      const store = gw.gateway.store;
      const total = (await vaultKeyVersionsInUse(store)).get(1) ?? 0;
      let stoppedAt = 0;
      await assert.rejects(
        rotateVault(store, ROTATING, {
          batchSize: 100,
          // Stopped after the first batch of accounts (the connection secret came before).
          onProgress: (p) => {
            if (p.table !== 'connected_accounts') return;
            stoppedAt = p.done;
            throw new Error('interrupted');
          },
        }),
        /interrupted/,
      );
            const midway = await vaultKeyVersionsInUse(store);
      assert.equal(midway.get(2), stoppedAt, 'what was written before the stop stays written');
      assert.equal(midway.get(1), total - stoppedAt);
      const resumed = await rotateVault(store, ROTATING, { batchSize: 100 });
      assert.deepEqual([resumed.total, resumed.reencrypted, resumed.failed], [total - stoppedAt, total - stoppedAt, 0]);
      assert.deepEqual(await vaultKeyVersionsInUse(store), new Map([[2, total]]));
      for (const { id, credentials } of seeded.sample) {
        const account = await store.accounts.findById(seeded.environmentId, id);
        assert.deepEqual(JSON.parse(ONLY_2.decrypt(account?.credentialsSealed ?? '', credentialsContext(id))), credentials);
      }
    });

    it('never overwrites a value written while it runs, and never breaks a writer’s compare-and-set', async () => {
      const store = gw.gateway.store;
      // Back to key 1 everywhere (the previous test rotated to 2).
      await rotateVault(store, createVault([KEY1, KEY2]));
      const [raced, bystander] = seeded.sample.map((s) => s.id);
      assert.ok(raced !== undefined && bystander !== undefined);
      // A refresh that read its account before the rotation and writes after it.
      const staleRead = await store.accounts.findById(seeded.environmentId, bystander);
      assert.ok(staleRead !== undefined);

      let writtenBy: string | undefined;
      const racing: Store = {
        ...store,
        sealedValues: {
          ...store.sealedValues,
          async listNotOnVersion(field, version, window) {
            const page = await store.sealedValues.listNotOnVersion(field, version, window);
            if (field.table === 'connected_accounts' && writtenBy === undefined && page.some((row) => row.id === raced)) {
              // Between rotation's read and its write, an old replica (key 1 only) saves refreshed tokens.
              const account = await store.accounts.findById(seeded.environmentId, raced);
              assert.ok(account !== undefined);
              writtenBy = ONLY_1.encrypt(JSON.stringify({ kind: 'oauth_token', access_token: 'refreshed-access', refresh_token: 'refreshed-refresh' }), credentialsContext(raced));
              assert.ok(await store.accounts.update({ ...account, credentialsSealed: writtenBy, version: account.version + 1, updatedAt: new Date() }));
            }
            return page;
          },
        },
      };
      const result = await rotateVault(racing, ROTATING, { batchSize: 1000 });
      assert.equal(result.skipped, 1);
      assert.equal(result.failed, 0);
      assert.equal(result.reencrypted, result.total - 1);
      const afterRace = await store.accounts.findById(seeded.environmentId, raced);
      assert.equal(afterRace?.credentialsSealed, writtenBy, 'the concurrent write is kept as written');
      assert.deepEqual(await vaultKeyVersionsInUse(store), new Map([[2, result.total - 1], [1, 1]]));

      // Rotation changed neither version nor updated_at: the stale writer's compare-and-set still succeeds.
      const rotatedBystander = await store.accounts.findById(seeded.environmentId, bystander);
      assert.deepEqual([rotatedBystander?.version, rotatedBystander?.updatedAt], [staleRead.version, staleRead.updatedAt]);
      const fresh = ROTATING.encrypt(JSON.stringify({ kind: 'oauth_token', access_token: 'new' }), credentialsContext(bystander));
      assert.ok(await store.accounts.update({ ...staleRead, credentialsSealed: fresh, version: staleRead.version + 1 }));

      // Running again picks up what the race left on key 1.
      const rerun = await rotateVault(store, ROTATING);
      assert.deepEqual([rerun.total, rerun.reencrypted], [1, 1]);
      const final = await store.accounts.findById(seeded.environmentId, raced);
      assert.equal(JSON.parse(ONLY_2.decrypt(final?.credentialsSealed ?? '', credentialsContext(raced))).access_token, 'refreshed-access');
    });

    it('refuses to start on a value whose key is not configured, and counts undecryptable values as failed', async () => {
      const store = gw.gateway.store;
      await assert.rejects(rotateVault(store, createVault([{ version: 3, key: Buffer.alloc(32, 33) }])), (error: unknown) => error instanceof VaultKeysMissing && /version 2/.test(error.message));
      // A value bound to another row (a swapped ciphertext) fails authentication: counted, left alone.
      const [a, b] = seeded.sample.map((s) => s.id);
      const accountA = await store.accounts.findById(seeded.environmentId, a!);
      const accountB = await store.accounts.findById(seeded.environmentId, b!);
      assert.ok(await store.accounts.update({ ...accountA!, credentialsSealed: accountB!.credentialsSealed, version: accountA!.version + 1 }));
      const result = await rotateVault(store, createVault([{ version: 3, key: Buffer.alloc(32, 33) }, KEY2, KEY1]));
      assert.equal(result.failed, 1);
      assert.deepEqual(result.failures.map((f) => [f.table, f.field, f.id]), [['connected_accounts', 'credentials', a]]);
      assert.match(result.failures[0]?.reason ?? '', /failed authentication/);
      assert.equal(result.reencrypted, result.total - 1);
    });
  });
}
