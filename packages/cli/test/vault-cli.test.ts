/**
 * @module `agentgate vault status|rotate` as a real child process on a PGlite data folder: key usage
 * per table, rotation with plain progress lines (stderr is a pipe) and a summary, "nothing to do" on a
 * second run, a refusal when a stored key version is not configured, exit 1 on an undecryptable value;
 * and the progress bar itself, rendered into a fake terminal.
 */
import assert from 'node:assert/strict';
import { ok, runCli } from './helpers/run-cli.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { openDatabase } from '../../server/src/storage/open-database.ts';
import { startTestGateway, unique } from '../../server/test/helpers/test-gateway.ts';
import { createProgress, renderBar } from '../src/progress.ts';

const KEY1 = `1:${Buffer.alloc(32, 41).toString('base64')}`;
const KEY2 = `2:${Buffer.alloc(32, 42).toString('base64')}`;
const ACCOUNTS = 24;

const cli = (args: readonly string[], env: Record<string, string>) => runCli(args, { env: { NODE_ENV: 'test', ...env } });

describe('cli: vault status and rotate (pglite)', () => {
  let dataDir: string;
  const withKeys = (keys: string) => ({ AGENTGATE_DATA_DIR: dataDir, AGENTGATE_ENCRYPTION_KEYS: keys });
  /** Account id → its access token. */
  const tokens = new Map<string, string>();
  // Accounts, the connection's client secret, the signing key.
  const TOTAL = ACCOUNTS + 2;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'agentgate-vault-cli-'));
    const gw = await startTestGateway('pglite', { dataDir, env: { AGENTGATE_ENCRYPTION_KEYS: KEY1 } });
    try {
      const name = unique('gmail');
      assert.equal((await gw.api('POST', '/api/v1/connections', { connection: { provider: 'gmail', name, oauth_config: { client_id: 'c', client_secret: 's' } } })).status, 201);
      for (let i = 0; i < ACCOUNTS; i++) {
        const access = unique('at');
        const created = await gw.api('POST', '/api/v1/connected_accounts', { connection_name: name, identifier: `user-${i}`, authorization_details: { oauth_token: { access_token: access, refresh_token: unique('rt') } } });
        assert.equal(created.status, 201, created.text);
        tokens.set(created.body.connected_account.id, access);
      }
    } finally {
      await gw.close();
    }
  });
  after(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('status shows the configured versions and, per table, the versions in use', async () => {
    const human = ok(await cli(['vault', 'status'], withKeys(`${KEY2},${KEY1}`)));
    assert.match(human, /^Keys: +2 \(encrypts\), 1 from AGENTGATE_ENCRYPTION_KEYS$/m);
    assert.match(human, /^TABLE +FIELD +VALUES +BY KEY VERSION$/m);
    assert.match(human, new RegExp(`^connected_accounts +credentials +${ACCOUNTS} +v1: ${ACCOUNTS}$`, 'm'));
    assert.match(human, /^signing_keys +secret +1 +v1: 1$/m);
    assert.match(human, new RegExp(`^${TOTAL} values on older keys: run \`agentgate vault rotate\``, 'm'));
    const body = JSON.parse(ok(await cli(['vault', 'status', '--json'], withKeys(`${KEY2},${KEY1}`))));
    assert.deepEqual([body.primary_version, body.configured_versions, body.on_older_keys], [2, [2, 1], TOTAL]);
    assert.deepEqual(body.in_use, [{ version: 1, count: TOTAL, configured: true }]);
    assert.deepEqual(body.fields.find((f: { table: string }) => f.table === 'connected_accounts').versions, [{ version: 1, count: ACCOUNTS }]);
  });

  it('rotate re-encrypts everything with progress lines and a summary; a second run has nothing to do', async () => {
    const run = await cli(['vault', 'rotate', '--batch-size', '5'], withKeys(`${KEY2},${KEY1}`));
    const out = ok(run);
    assert.match(out, new RegExp(`^Re-encrypted ${TOTAL} of ${TOTAL} values to key version 2 in [\\d.]+ s \\(0 skipped, 0 failed\\)\\.$`, 'm'));
    assert.match(out, /^TABLE +FIELD +SCANNED +RE-ENCRYPTED +SKIPPED +FAILED$/m);
    assert.match(out, new RegExp(`^connected_accounts +credentials +${ACCOUNTS} +${ACCOUNTS} +0 +0$`, 'm'));
    assert.match(out, /version 1 can be removed from AGENTGATE_ENCRYPTION_KEYS/);
    // Not a terminal: plain lines, never a redrawn bar.
    assert.match(run.stderr, /^Re-encrypting: 1\/26 \(3%\) connections\.client_secret$/m);
    assert.match(run.stderr, new RegExp(`^Re-encrypting: ${TOTAL}/${TOTAL} \\(100%\\) `, 'm'));
    assert.doesNotMatch(run.stderr, /\r|█/);

    assert.match(ok(await cli(['vault', 'rotate'], withKeys(`${KEY2},${KEY1}`))), /^Nothing to do: every stored secret is already on key version 2\.$/m);
    const status = ok(await cli(['vault', 'status'], withKeys(KEY2)));
    assert.match(status, new RegExp(`^connected_accounts +credentials +${ACCOUNTS} +v2: ${ACCOUNTS}$`, 'm'));
    assert.match(status, /^Every stored value is on key version 2\.$/m);
  });

  it('with only the old key: status warns, rotate refuses with the fix, --json rotates back', async () => {
    const status = await cli(['vault', 'status'], withKeys(KEY1));
    assert.match(ok(status), new RegExp(`^connected_accounts +credentials +${ACCOUNTS} +v2: ${ACCOUNTS}$`, 'm'));
    assert.match(status.stderr, /^agentgate: warning: key version 2 \(26 values\) is not configured: the gateway refuses to start/m);

    const refused = await cli(['vault', 'rotate'], withKeys(KEY1));
    assert.equal(refused.code, 1, refused.stderr);
    assert.equal(refused.stdout, '');
    assert.match(refused.stderr, /^agentgate: Stored secrets are encrypted with key version 2 \(26 values\), .*AGENTGATE_ENCRYPTION_KEYS="1:<key 1 base64>,2:<key 2 base64>"/);
    assert.equal(refused.stderr.trimEnd().split('\n').length, 1);

    // Back to key 1 in JSON mode: one JSON document on stdout, plain progress lines on stderr.
    const back = await cli(['vault', 'rotate', '--json'], withKeys(`${KEY1},${KEY2}`));
    const body = JSON.parse(ok(back));
    assert.deepEqual([body.primary_version, body.total, body.reencrypted, body.failed, body.nothing_to_do, body.on_older_keys], [1, TOTAL, TOTAL, 0, false, 0]);
    assert.deepEqual(body.removable_versions, [2]);
    assert.equal(body.by_table.find((f: { table: string }) => f.table === 'connected_accounts').reencrypted, ACCOUNTS);
    assert.doesNotMatch(back.stderr, /\r|█/);
    const again = JSON.parse(ok(await cli(['vault', 'rotate', '--json'], withKeys(`${KEY1},${KEY2}`))));
    assert.equal(again.nothing_to_do, true);
  });

  it('exits 1 and names the value when one cannot be decrypted; rejects a bad --batch-size', async () => {
    // A ciphertext copied onto another row fails authentication (it is bound to its own row).
    const database = await openDatabase({ dataDir });
    const [a, b] = [...tokens.keys()];
    await sql`update connected_accounts set credentials_sealed = (select credentials_sealed from connected_accounts where id = ${b}) where id = ${a}`.execute(database.db);
    await database.close();

    const run = await cli(['vault', 'rotate'], withKeys(`${KEY2},${KEY1}`));
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stdout, new RegExp(`^Re-encrypted ${TOTAL - 1} of ${TOTAL} values .*\\(0 skipped, 1 failed\\)`, 'm'));
    assert.match(run.stdout, new RegExp(`^Failed: connected_accounts\\.credentials ${a}: ciphertext failed authentication`, 'm'));
    assert.match(run.stdout, /^1 value on older keys/m);
    assert.match(run.stderr.trimEnd().split('\n').at(-1) ?? '', /^agentgate: 1 value could not be decrypted and stayed on its old key/);

    const bad = await cli(['vault', 'rotate', '--batch-size', '0'], withKeys(KEY2));
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--batch-size must be a whole number from 1 to 10000/);
  });

  it('a gateway with only the new key starts and serves the tokens after rotation', async () => {
    // Repair the row broken above, then finish the rotation to key 2.
    const database = await openDatabase({ dataDir });
    const [a] = [...tokens.keys()];
    await sql`delete from connected_accounts where id = ${a}`.execute(database.db);
    await database.close();
    ok(await cli(['vault', 'rotate'], withKeys(`${KEY2},${KEY1}`)));
    const gw = await startTestGateway('pglite', { dataDir, env: { AGENTGATE_ENCRYPTION_KEYS: KEY2 } });
    try {
      assert.equal((await gw.api('PATCH', '/api/v1/settings', { token_retrieval_enabled: true })).status, 200);
      for (const [id, access] of [...tokens].slice(1, 6)) {
        const auth = await gw.api('GET', `/api/v1/connected_accounts/auth?id=${id}`);
        assert.equal(auth.status, 200, auth.text);
        assert.equal(auth.body.connected_account.authorization_details.oauth_token.access_token, access);
      }
    } finally {
      await gw.close();
    }
  });
});

describe('cli: the progress bar', () => {
  it('redraws one line at a terminal and ends it; fits the width', () => {
    let written = '';
    let clock = 0;
    const progress = createProgress({ write: (text: string) => (written += text), columns: 100 }, { bar: true, label: 'Re-encrypting', now: () => clock });
    for (let done = 0; done <= 1000; done += 100) {
      clock += 50;
      progress.update({ done, total: 1000, detail: 'connected_accounts.credentials' });
    }
    progress.finish();
    assert.ok(written.startsWith('\r\u001b[2KRe-encrypting ['));
    assert.ok(written.endsWith('\n'));
    assert.equal(written.split('\n').length, 2, 'one line, redrawn');
    assert.match(written, /\[█{10,30}\] 100% {2}1,000\/1,000 {2}[\d,]+\/s {2}connected_accounts\.credentials\n$/);
    const half = renderBar('Re-encrypting', { done: 5, total: 10, detail: 'connected_accounts.credentials' }, 10, 80);
    assert.ok(half.length <= 79, half);
    assert.match(half, /\[█{5,}░{5,}\]  50%  5\/10  10\/s  connected_accounts\.credentials$/);
    assert.ok(renderBar('Re-encrypting', { done: 5, total: 10, detail: 'x'.repeat(200) }, 10, 60).length <= 59);
  });

  it('prints plain lines at the first update, then at most every interval, and the last one', () => {
    const lines: string[] = [];
    let clock = 0;
    const progress = createProgress({ write: (text: string) => void lines.push(text) }, { bar: false, label: 'Re-encrypting', intervalMs: 1000, now: () => clock });
    for (let done = 10; done <= 90; done += 10) {
      clock += 300;
      progress.update({ done, total: 100 });
    }
    progress.finish();
    assert.deepEqual(lines, ['Re-encrypting: 10/100 (10%)\n', 'Re-encrypting: 50/100 (50%)\n', 'Re-encrypting: 90/100 (90%)\n']);
  });
});
