/**
 * @module `agentgate accounts diagnose` as a real child process against a real gateway and the Gmail
 * emulator: the table (check, result, message, fix) and the docs of what is not ok, `--json` in the
 * API's snake_case, the account named by id or by connection + identifier, and the exit code
 * (1 after printing when a finding fails, 0 otherwise).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { gmailEmulator, GMAIL_TOKEN } from '../../server/test/emulators/gmail.ts';
import { startEmulator, type RunningEmulator } from '../../server/test/helpers/emulator.ts';
import { BACKENDS, startTestGateway, unique, type TestGateway } from '../../server/test/helpers/test-gateway.ts';
import { failsWith, headerOf, json, ok, runCli } from './helpers/run-cli.ts';

for (const backend of BACKENDS) {
  describe(`cli: accounts diagnose (${backend})`, () => {
    let gw: TestGateway;
    let gmail: RunningEmulator;
    let env: Record<string, string>;
    let connection: string;

    async function account(withToken: boolean): Promise<{ id: string; identifier: string }> {
      const identifier = unique('user');
      const created = await gw.api('POST', '/api/v1/connected_accounts', {
        connection_name: connection,
        identifier,
        ...(withToken ? { authorization_details: { oauth_token: { access_token: GMAIL_TOKEN, scopes: ['https://mail.google.com/'] } } } : {}),
      });
      assert.equal(created.status, 201, created.text);
      return { id: created.body.connected_account.id, identifier };
    }

    before(async () => {
      gmail = await startEmulator(gmailEmulator);
      gw = await startTestGateway(backend, { env: { AGENTGATE_ALLOW_PRIVATE_UPSTREAMS: 'true' } });
      env = { AGENTGATE_URL: gw.url, AGENTGATE_CLIENT_ID: gw.admin.clientId, AGENTGATE_CLIENT_SECRET: gw.admin.clientSecret };
      connection = unique('gmail');
      const created = await gw.api('POST', '/api/v1/connections', {
        connection: { provider: 'gmail', name: connection, type: 'OAUTH', oauth_config: { client_id: 'c', client_secret: 's' }, api_config: { base_url: gmail.url } },
      });
      assert.equal(created.status, 201, created.text);
    });
    after(async () => {
      await gw?.close();
      await gmail?.close();
    });

    it('prints every check of a healthy account as ok and exits 0; the probe reached the provider', async () => {
      const { id, identifier } = await account(true);
      const sent = gmail.requests.length;
      const result = await runCli(['accounts', 'diagnose', '--connection', connection, '--identifier', identifier], { env });
      const out = ok(result);
      assert.match(out, new RegExp(`^Account: +${id} \\("${identifier}" on connection "${connection}"\\)$`, 'm'));
      assert.match(out, /^Result: +ok$/m);
      const table = out.slice(out.indexOf('CHECK'));
      assert.deepEqual(headerOf(table), ['CHECK', 'RESULT', 'MESSAGE', 'FIX']);
      for (const check of ['status', 'connection', 'token', 'scopes', 'probe', 'recent_errors']) assert.match(table, new RegExp(`^${check} +ok +`, 'm'));
      assert.match(table, /^probe +ok +gmail_get_profile succeeded end to end/m);
      assert.doesNotMatch(out, /^Docs:/m, 'nothing to read when everything is ok');
      assert.equal(gmail.requests.length, sent + 1);
      assert.equal(result.stderr, '');
    });

    it('exits 1 after printing the failing findings with their fixes and docs; --no-probe leaves the probe out', async () => {
      const { id } = await account(true);
      assert.equal((await gw.api('POST', `/api/v1/connected_accounts/${id}:disconnect`)).status, 200);
      const result = await runCli(['accounts', 'diagnose', id, '--no-probe'], { env });
      failsWith(result, 1, /^agentgate: diagnosis failed: 1 failing check \(status\)$/);
      assert.match(result.stdout, /^Status: +DISCONNECTED$/m);
      assert.match(result.stdout, /^status +fail +The account is DISCONNECTED.* +Re-authorization is the only fix: create an authorization link with POST \/api\/v1\/connected_accounts\/magic_link /m);
      assert.doesNotMatch(result.stdout, /^probe /m);
      assert.match(result.stdout, /^Docs:\n {2}status: http:\/\/\S+\/troubleshooting\.md#disconnected$/m);
    });

    it('--json prints the API answer in snake_case, with the same exit code rule', async () => {
      const pending = await account(false);
      const diagnosis = json(await runCli(['accounts', 'diagnose', pending.id, '--json'], { env }));
      assert.equal(diagnosis.connected_account.id, pending.id);
      assert.equal(diagnosis.result, 'warn');
      assert.equal(typeof diagnosis.diagnosed_at, 'string');
      const status = diagnosis.findings.find((f: { check: string }) => f.check === 'status');
      assert.deepEqual([status.result, status.docs.endsWith('#pending_auth')], ['warn', true]);

      const { id } = await account(true);
      assert.equal((await gw.api('POST', `/api/v1/connected_accounts/${id}:disconnect`)).status, 200);
      const failing = await runCli(['accounts', 'diagnose', id, '--json', '--refresh'], { env });
      assert.equal(failing.code, 1);
      const parsed = JSON.parse(failing.stdout);
      assert.equal(parsed.result, 'fail');
      assert.ok(parsed.findings.some((f: { check: string; result: string }) => f.check === 'refresh' && f.result === 'warn'), 'a disconnected account is not refreshed');
    });

    it('control characters in any value (an identifier with ANSI and C1 escapes) never reach the terminal', async () => {
      const identifier = `${unique('user')}\u001b[31m\u009b2J\u202e`;
      const created = await gw.api('POST', '/api/v1/connected_accounts', { connection_name: connection, identifier });
      assert.equal(created.status, 201, created.text);
      const result = await runCli(['accounts', 'diagnose', created.body.connected_account.id, '--no-probe'], { env });
      assert.match(result.stdout, /^status +warn +/m, result.stdout);
      assert.match(result.stdout, /^Account: .*\[31m2J" on connection/m, 'the printable rest of the value stays');
      assert.doesNotMatch(result.stdout, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    });

    it('usage errors: a write tool as probe, no account named', async () => {
      const { id } = await account(true);
      failsWith(await runCli(['accounts', 'diagnose', id, '--probe-tool', 'gmail_send_email'], { env }), 1, /validation_failed: probe_tool must be a read-only tool/);
      failsWith(await runCli(['accounts', 'diagnose'], { env }), 2, /give an account id, or both --connection and --identifier/);
      failsWith(await runCli(['accounts', 'diagnose', id, '--refreh'], { env }), 2, /refreh/);
      failsWith(await runCli(['accounts', 'diagnose', id, '--probe-tool'], { env }), 2, /probe-tool/);
      failsWith(await runCli(['accounts', 'diagnose', id, '--connection', 'x', '--identifier', 'y'], { env }), 2, /not both/);
      assert.match(ok(await runCli(['accounts', 'diagnose', '--help'])), /Exit code: 1 when any finding is fail/);
    });
  });
}
