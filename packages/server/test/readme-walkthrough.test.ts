/**
 * The README's "Five-minute walkthrough" works exactly as printed: its ```bash blocks run in one
 * `bash -euo pipefail` against a real gateway (only the printed URL is swapped for the test
 * gateway's), then its ```js block runs unchanged with `node`, resolving `@agentgate/sdk` from the
 * workspace.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fencedBlocks, type FencedBlock } from './helpers/markdown.ts';
import { REPO_ROOT as ROOT, runCommand as run } from './helpers/run-command.ts';
import { startTestGateway, type TestGateway } from './helpers/test-gateway.ts';

const START = '<!-- walkthrough:start -->';
const END = '<!-- walkthrough:end -->';
const PRINTED_URL_LINE = 'export AGENTGATE_URL=http://localhost:8080';

/** The fenced code blocks between the walkthrough markers, in order. */
function walkthroughBlocks(readme: string): FencedBlock[] {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  assert.ok(start >= 0 && end > start, 'README.md has the walkthrough markers, start before end');
  assert.equal(readme.indexOf(START, start + 1), -1, 'one walkthrough start marker');
  return fencedBlocks(readme.slice(start + START.length, end));
}

/** The output lines that are JSON objects, parsed. */
function jsonLines(stdout: string): any[] {
  return stdout
    .split('\n')
    .filter((line) => line.trimStart().startsWith('{'))
    .map((line) => JSON.parse(line) as unknown);
}

describe('README five-minute walkthrough (pglite)', () => {
  let gw: TestGateway;
  let blocks: FencedBlock[];
  const tmpDir = join(ROOT, '.tmp');
  const quickstart = join(tmpDir, `quickstart-${randomBytes(6).toString('hex')}.mjs`);

  before(async () => {
    blocks = walkthroughBlocks(readFileSync(join(ROOT, 'README.md'), 'utf8'));
    gw = await startTestGateway('pglite');
  });
  after(async () => {
    rmSync(quickstart, { force: true });
    await gw?.close();
  });

  it('has bash blocks and exactly one js block, in that order', () => {
    const langs = blocks.map((b) => b.lang);
    assert.ok(langs.filter((l) => l === 'bash').length >= 4, `bash blocks: ${langs.join(', ')}`);
    assert.equal(langs.filter((l) => l === 'js').length, 1, `one js block: ${langs.join(', ')}`);
    assert.equal(langs.at(-1), 'js', 'the SDK example comes last');
  });

  it('the bash blocks run as printed: token, two connections, an ACTIVE account read back', async () => {
    const script = blocks
      .filter((b) => b.lang === 'bash')
      .map((b) => b.code)
      .join('\n');
    const lines = script.split('\n');
    assert.equal(lines.filter((line) => line === PRINTED_URL_LINE).length, 1, `exactly one line "${PRINTED_URL_LINE}"`);
    const patched = lines.map((line) => (line === PRINTED_URL_LINE ? `export AGENTGATE_URL=${gw.url}` : line)).join('\n');

    const result = await run('bash', ['-euo', 'pipefail', '-c', patched], {
      AGENTGATE_CLIENT_ID: gw.admin.clientId,
      AGENTGATE_CLIENT_SECRET: gw.admin.clientSecret,
    });
    assert.equal(result.code, 0, `bash failed (${result.code}).\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`);

    // 1. a real bearer token: its first 16 characters are those of any token of this gateway (the JWT header).
    const token = /^token: (\S{16})\.\.\.$/m.exec(result.stdout);
    assert.ok(token, `a token prefix line in:\n${result.stdout}`);
    assert.equal(token[1], (await gw.token()).slice(0, 16));

    // 2. both connections, as JSON answers; the OAuth one shows its redirect URI and no secret.
    const answers = jsonLines(result.stdout);
    const gmail = answers.find((a) => a.connection?.name === 'gmail-main')?.connection;
    assert.ok(gmail, `gmail-main created:\n${result.stdout}`);
    assert.match(result.stdout, /"redirect_uri"/);
    assert.equal(typeof gmail.oauth_config.redirect_uri, 'string');
    assert.ok(gmail.oauth_config.redirect_uri.length > 0);
    assert.equal(gmail.oauth_config.client_id, '1234.apps.googleusercontent.com');
    assert.equal(gmail.oauth_config.client_secret_set, true);
    assert.doesNotMatch(result.stdout, /my-google-client-secret/);
    const zendesk = answers.find((a) => a.connection?.name === 'zendesk-support')?.connection;
    assert.ok(zendesk, `zendesk-support created:\n${result.stdout}`);
    assert.equal(zendesk.type, 'API_KEY');

    // 3. the account id line.
    const account = /^account: (ca_\S+)$/m.exec(result.stdout);
    assert.ok(account, `an "account: ca_..." line in:\n${result.stdout}`);
    const accountId = account[1];

    // 4. read back: the account ACTIVE, without credentials, and in the filtered list.
    const one = answers.find((a) => a.connected_account !== undefined)?.connected_account;
    assert.ok(one, `the account JSON in:\n${result.stdout}`);
    assert.equal(one.id, accountId);
    assert.equal(one.status, 'ACTIVE');
    assert.equal(one.connection_name, 'zendesk-support');
    assert.equal(one.identifier, 'user_123');
    assert.doesNotMatch(result.stdout, /zd-token-123/, 'no credential is printed');
    const list = answers.find((a) => Array.isArray(a.connected_accounts));
    assert.ok(list, `the list JSON in:\n${result.stdout}`);
    assert.deepEqual(
      list.connected_accounts.map((a: { id: string }) => a.id),
      [accountId],
    );
    assert.equal(list.total_size, 1);

    // The gateway agrees.
    const stored = await gw.api('GET', `/api/v1/connected_accounts/${accountId}`);
    assert.equal(stored.status, 200, stored.text);
    assert.equal(stored.body.connected_account.status, 'ACTIVE');
  });

  it('the js block runs unchanged with node and the workspace SDK', async () => {
    assert.ok(existsSync(join(ROOT, 'packages/sdk/dist/index.js')), 'the SDK is built (npm install runs npm run build --workspace @agentgate/sdk)');
    const code = blocks.find((b) => b.lang === 'js')?.code;
    assert.ok(code !== undefined);
    mkdirSync(tmpDir, { recursive: true });
    writeFileSync(quickstart, code);

    const result = await run(process.execPath, [quickstart], {
      AGENTGATE_URL: gw.url,
      AGENTGATE_CLIENT_ID: gw.admin.clientId,
      AGENTGATE_CLIENT_SECRET: gw.admin.clientSecret,
    });
    assert.equal(result.code, 0, `node failed (${result.code}).\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`);

    const created = /^(ca_\S+) PENDING_AUTH$/m.exec(result.stdout);
    assert.ok(created, `a "ca_... PENDING_AUTH" line in:\n${result.stdout}`);
    const stored = await gw.api('GET', `/api/v1/connected_accounts/${created[1]}`);
    assert.equal(stored.status, 200, stored.text);
    assert.equal(stored.body.connected_account.connection_name, 'gmail-main');
    assert.equal(stored.body.connected_account.identifier, 'user_123');

    // Oldest first: the zendesk account of the bash steps, then the gmail one just created.
    assert.match(result.stdout, /^2 accounts for user_123: zendesk-support=ACTIVE, gmail-main=PENDING_AUTH$/m);
    assert.match(result.stdout, /^not found: connected_account_not_found$/m);
  });
});
