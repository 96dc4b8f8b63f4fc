/**
 * `POST /api/v1/connected_accounts/{id}:diagnose` end to end: a real gateway, the real oidc-provider
 * authorization server for flows and refreshes, and provider emulators for the probe tool. One case per
 * status, refreshes that succeed and that the provider refuses (invalid_grant, invalid_client), granted
 * versus required scopes checked against the tool catalog, the probe through the real execution path,
 * and each mapped provider error produced through the path that records it: a failed authorization
 * (AADSTS65001, Google blocks), a refused refresh (invalid_client), a provider-refused tool call (Slack
 * approval, 429). Every docs link of every answer must name an existing heading of docs/troubleshooting.md.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { statusFinding } from '../src/domain/diagnose/status-checks.ts';
import { findingFactory } from '../src/domain/diagnose/finding.ts';
import { nextStepsFor } from '../src/domain/diagnose/next-steps.ts';
import { ERROR_FIX_ANCHORS } from '../src/domain/diagnose/error-fixes.ts';
import type { ConnectedAccount, Connection } from '../src/domain/model.ts';
import { gmailEmulator, GMAIL_TOKEN } from './emulators/gmail.ts';
import { slackEmulator, SLACK_TOKEN } from './emulators/slack.ts';
import { CookieJar, accountOf, createAsConnection, createLink, deliverCallback, eventsOf, forceStatus, publicUrlOf, runFlow, runToCallback, startFlowGateway, type AsConnection } from './helpers/browser-leg.ts';
import { startEmulator, type RunningEmulator } from './helpers/emulator.ts';
import { connectAccount, historyOf, skipVerification } from './helpers/refresh-fixtures.ts';
import { startTestAuthorizationServer, type TestAuthorizationServer } from './helpers/test-authorization-server.ts';
import { BACKENDS, unique, type ApiResponse, type TestGateway } from './helpers/test-gateway.ts';

const DOCS = 'http://docs.test/docs';
/** C0 (but tab and newline) and C1 controls, and bidi overrides: none may reach a terminal. */
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const MAIL = 'https://mail.google.com/';
const READONLY = 'https://www.googleapis.com/auth/gmail.readonly';

function slug(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}
const TROUBLESHOOTING = readFileSync(new URL('../../../docs/troubleshooting.md', import.meta.url), 'utf8');
const SLUGS = new Set([...TROUBLESHOOTING.matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => slug(m[1] ?? '')));

interface Finding {
  check: string;
  result: 'ok' | 'warn' | 'fail';
  message: string;
  fix: string | null;
  docs: string | null;
  details?: Record<string, any>;
}

function assertDocsExist(findings: readonly Finding[]): void {
  for (const f of findings) {
    if (f.docs === null) continue;
    const url = new URL(f.docs);
    assert.equal(url.pathname.endsWith('/troubleshooting.md'), true, f.docs);
    const anchor = decodeURIComponent(url.hash.slice(1));
    assert.ok(SLUGS.has(anchor), `${f.check}: no heading "${anchor}" in docs/troubleshooting.md`);
  }
}

const only = (findings: readonly Finding[], check: string): Finding => {
  const matching = findings.filter((f) => f.check === check);
  assert.equal(matching.length, 1, `one ${check} finding in ${JSON.stringify(findings, null, 2)}`);
  return matching[0] as Finding;
};
const anchorOf = (f: Finding) => (f.docs === null ? null : decodeURIComponent(new URL(f.docs).hash.slice(1)));
const recentBy = (findings: readonly Finding[], cause: string): Finding => {
  const found = findings.find((f) => f.check === 'recent_errors' && f.details?.['cause'] === cause);
  assert.ok(found !== undefined, `no recent_errors finding with cause ${cause}: ${JSON.stringify(findings.filter((f) => f.check === 'recent_errors'), null, 2)}`);
  return found;
};

for (const backend of BACKENDS) {
  describe(`diagnose (${backend})`, () => {
    let gw: TestGateway;
    let as: TestAuthorizationServer;
    let gmail: RunningEmulator;
    let slack: RunningEmulator;
    let gmailConn: string;
    let slackConn: string;

    async function diagnose(id: string, body?: unknown): Promise<{ status: number; body: any; findings: Finding[]; response: ApiResponse }> {
      const response = await gw.api('POST', `/api/v1/connected_accounts/${id}:diagnose`, body);
      const findings: Finding[] = response.body?.findings ?? [];
      if (response.status === 200) {
        assertDocsExist(findings);
        const order = ['status', 'connection', 'token', 'refresh', 'scopes', 'probe', 'recent_errors'];
        const positions = findings.map((f) => order.indexOf(f.check));
        assert.deepEqual(positions, [...positions].sort((a, b) => a - b), 'findings in checklist order');
        const worst = findings.some((f) => f.result === 'fail') ? 'fail' : findings.some((f) => f.result === 'warn') ? 'warn' : 'ok';
        assert.equal(response.body.result, worst);
      }
      return { status: response.status, body: response.body, findings, response };
    }

    async function emulatorConnection(provider: string, emulator: RunningEmulator, scopes?: string[]): Promise<string> {
      const name = unique(provider);
      const created = await gw.api('POST', '/api/v1/connections', {
        connection: { provider, name, type: 'OAUTH', oauth_config: { client_id: 'c', client_secret: 's', ...(scopes === undefined ? {} : { scopes }) }, api_config: { base_url: emulator.url } },
      });
      assert.equal(created.status, 201, created.text);
      return name;
    }

    async function account(connectionName: string, oauthToken?: Record<string, unknown>): Promise<{ id: string; identifier: string }> {
      const identifier = unique('user');
      const created = await gw.api('POST', '/api/v1/connected_accounts', {
        connection_name: connectionName,
        identifier,
        ...(oauthToken === undefined ? {} : { authorization_details: { oauth_token: oauthToken } }),
      });
      assert.equal(created.status, 201, created.text);
      return { id: created.body.connected_account.id, identifier };
    }

    before(async () => {
      as = await startTestAuthorizationServer();
      gmail = await startEmulator(gmailEmulator);
      slack = await startEmulator(slackEmulator);
      gw = await startFlowGateway(backend, { env: { AGENTGATE_DOCS_URL: DOCS } });
      gmailConn = await emulatorConnection('gmail', gmail);
      slackConn = await emulatorConnection('slack', slack);
    });
    after(async () => {
      await gw?.close();
      await gmail?.close();
      await slack?.close();
      await as?.close();
    });

    it('answers 404 for an unknown account and refuses probe tools that are unknown, of another connector, or that write', async () => {
      const missing = await diagnose('ca_doesnotexist');
      assert.equal(missing.status, 404);
      assert.equal(missing.body.error.code, 'connected_account_not_found');
      const { id } = await account(gmailConn, { access_token: GMAIL_TOKEN, scopes: [MAIL] });
      const before = gmail.requests.length;
      const cases: [string, number, string][] = [
        ['gmail_nope', 404, 'tool_not_found'],
        ['slack_list_channels', 400, 'tool_not_for_account'],
        ['gmail_send_email', 400, 'validation_failed'],
      ];
      for (const [tool, status, code] of cases) {
        const refused = await diagnose(id, { probe_tool: tool });
        assert.equal(refused.status, status, refused.response.text);
        assert.equal(refused.body.error.code, code);
      }
      for (const bad of [{ refesh: true }, { refresh: 'yes' }, { include_probe: 1 }, { probe_tool: '' }]) {
        const refused = await diagnose(id, bad);
        assert.equal(refused.status, 400, JSON.stringify(bad));
        assert.equal(refused.body.error.code, 'validation_failed', JSON.stringify(bad));
        assert.match(refused.body.error.docs, /\/errors\.md#validation_failed$/);
      }
      assert.equal(gmail.requests.length, before, 'nothing reached the provider');
    });

    it('PENDING_AUTH: warns, names the exact link call for this account, and skips the probe', async () => {
      const { id, identifier } = await account(gmailConn);
      const { status, body, findings } = await diagnose(id);
      assert.equal(status, 200);
      assert.equal(body.connected_account.id, id);
      assert.equal(body.connected_account.status, 'PENDING_AUTH');
      const found = only(findings, 'status');
      assert.equal(found.result, 'warn');
      assert.equal(anchorOf(found), 'pending_auth');
      assert.match(found.fix ?? '', /POST \/api\/v1\/connected_accounts\/magic_link/);
      assert.ok(found.fix?.includes(`"connection_name":"${gmailConn}"`) && found.fix.includes(`"identifier":"${identifier}"`), found.fix ?? '');
      assert.match(found.fix ?? '', /getAuthorizationLink\(\{ connectionName: '[^']+', identifier: '[^']+'/);
      assert.match(found.fix ?? '', /user_verify_url/, 'user verification is on: the link needs a verify URL');
      const probe = only(findings, 'probe');
      assert.equal(probe.result, 'warn');
      assert.match(probe.message, /Skipped gmail_get_profile: the account is PENDING_AUTH/);
      assert.equal(only(findings, 'token').result, 'warn');
      assert.equal(body.result, 'warn');
    });

    it('PENDING_VERIFICATION: warns with the verify call (a real flow held for user verification)', async () => {
      assert.equal((await gw.api('PATCH', '/api/v1/settings', { user_verification: 'custom' })).status, 200);
      const conn = await createAsConnection(gw, as);
      const identifier = unique('user');
      const { link } = await createLink(gw, { connection_name: conn.name, identifier, user_verify_url: 'http://127.0.0.1:9/verify' });
      const { callback } = await runFlow(link, new CookieJar());
      assert.ok(callback.location?.startsWith('http://127.0.0.1:9/verify?'), callback.location);
      const held = await accountOf(gw, conn.name, identifier);
      assert.equal(held.status, 'PENDING_VERIFICATION');
      const { findings } = await diagnose(held.id, { include_probe: false });
      const found = only(findings, 'status');
      assert.equal(found.result, 'warn');
      assert.equal(anchorOf(found), 'pending_verification');
      assert.match(found.fix ?? '', /POST \/api\/v1\/connected_accounts\/user\/verify/);
      assert.ok(found.fix?.includes(`"identifier": "${identifier}"`), found.fix ?? '');
      assert.equal(findings.some((f) => f.check === 'probe'), false, 'include_probe: false leaves the probe out');
    });

    it('ACTIVE: every check passes and the probe runs end to end, logged with source "diagnose"', async () => {
      const { id } = await account(gmailConn, { access_token: GMAIL_TOKEN, refresh_token: 'rt-1', expires_in: 3600, scopes: [MAIL] });
      const sent = gmail.requests.length;
      const { body, findings } = await diagnose(id);
      assert.equal(body.result, 'ok', JSON.stringify(findings, null, 2));
      assert.deepEqual(findings.map((f) => f.check), ['status', 'connection', 'token', 'scopes', 'probe', 'recent_errors']);
      for (const f of findings) assert.equal(f.fix, null, `${f.check} has nothing to fix`);
      const probe = only(findings, 'probe');
      assert.equal(probe.details?.['tool_name'], 'gmail_get_profile');
      assert.equal(gmail.requests.length, sent + 1);
      assert.equal(gmail.last().path, '/gmail/v1/users/me/profile');
      assert.equal(gmail.last().headers['authorization'], `Bearer ${GMAIL_TOKEN}`);
      const logs = await gw.api('GET', `/api/v1/agentkit/tool_call_logs?connected_account_id=${id}`);
      assert.equal(logs.status, 200);
      assert.equal(logs.body.tool_call_logs.length, 1);
      assert.deepEqual(
        [logs.body.tool_call_logs[0].execution_id, logs.body.tool_call_logs[0].source, logs.body.tool_call_logs[0].status],
        [probe.details?.['execution_id'], 'diagnose', 'SUCCESS'],
      );
      assert.match(only(findings, 'token').message, /valid until .*a refresh token is held/);
      assert.doesNotMatch(JSON.stringify(body), /rt-1|gmail-emulator-token/, 'no credential in the answer');
    });

    it('EXPIRED: fails with the refresh call first, then the link', async () => {
      const { id } = await account(gmailConn, { access_token: GMAIL_TOKEN, scopes: [MAIL] });
      await forceStatus(gw, id, 'EXPIRED');
      const { findings } = await diagnose(id);
      const found = only(findings, 'status');
      assert.equal(found.result, 'fail');
      assert.equal(anchorOf(found), 'expired');
      assert.ok((found.fix ?? '').indexOf(`/api/v1/connected_accounts/${id}:refresh`) < (found.fix ?? '').indexOf('magic_link'), found.fix ?? '');
      assert.match(found.fix ?? '', /refreshConnectedAccount/);
      assert.equal(only(findings, 'probe').result, 'warn', 'the probe is skipped');
    });

    it('DISCONNECTED: fails, re-authorization being the only fix', async () => {
      const { id } = await account(gmailConn, { access_token: GMAIL_TOKEN, scopes: [MAIL] });
      assert.equal((await gw.api('POST', `/api/v1/connected_accounts/${id}:disconnect`)).status, 200);
      const { findings } = await diagnose(id);
      const found = only(findings, 'status');
      assert.equal(found.result, 'fail');
      assert.equal(anchorOf(found), 'disconnected');
      assert.match(found.fix ?? '', /magic_link/);
      assert.equal(only(findings, 'token').result, 'warn');
    });

    it('connection: a disabled connection and an OAuth connection without client credentials fail with their fix', async () => {
      const name = await emulatorConnection('gmail', gmail);
      const { id } = await account(name, { access_token: GMAIL_TOKEN, scopes: [MAIL] });
      const connectionId = (await gw.api('GET', `/api/v1/connections/${name}`)).body.connection.id;
      assert.equal((await gw.api('POST', `/api/v1/connections/${connectionId}:disable`)).status, 200);
      const disabled = only((await diagnose(id, { refresh: true })).findings, 'connection');
      assert.equal(disabled.result, 'fail');
      assert.equal(anchorOf(disabled), 'connection_disabled');
      assert.ok(disabled.fix?.includes(`POST /api/v1/connections/${connectionId}:enable`), disabled.fix ?? '');

      const draftName = unique('draft');
      const draft = await gw.api('POST', '/api/v1/connections', { connection: { provider: 'gmail', name: draftName, type: 'OAUTH', api_config: { base_url: gmail.url } } });
      assert.equal(draft.status, 201, draft.text);
      assert.equal(draft.body.connection.status, 'DRAFT');
      const onDraft = await account(draftName);
      const found = only((await diagnose(onDraft.id)).findings, 'connection');
      assert.equal(found.result, 'fail');
      assert.equal(anchorOf(found), 'connection-not-configured');
      assert.match(found.message, /client_id and client_secret are missing/);
      assert.ok(found.fix?.includes(`PATCH /api/v1/connections/${draft.body.connection.id}`) && found.fix.includes(draft.body.connection.oauth_config.redirect_uri), found.fix ?? '');
    });

    it('refresh: a long-lived token without a refresh token is not sent to the engine and stays ACTIVE', async () => {
      const { id } = await account(gmailConn, { access_token: GMAIL_TOKEN, scopes: [MAIL] });
      const { body, findings } = await diagnose(id, { refresh: true, include_probe: false });
      const found = only(findings, 'refresh');
      assert.equal(found.result, 'ok', JSON.stringify(found));
      assert.match(found.message, /Not attempted: no refresh token is held \(long-lived token\)/);
      assert.equal(body.connected_account.status, 'ACTIVE');
      assert.deepEqual(await historyOf(gw, id), [], 'no refresh attempt recorded');
    });

    describe('refresh (test authorization server)', () => {
      let conn: AsConnection;
      before(async () => {
        await skipVerification(gw);
        conn = await createAsConnection(gw, as);
      });

      it('refreshes through the refresh engine and reports the new expiry', async () => {
        const id = await connectAccount(gw, conn);
        const { body, findings } = await diagnose(id, { refresh: true, include_probe: false });
        const found = only(findings, 'refresh');
        assert.equal(found.result, 'ok', JSON.stringify(found));
        assert.match(found.message, /Refreshed just now.*valid until/);
        assert.equal(body.connected_account.status, 'ACTIVE');
        const [latest] = await historyOf(gw, id);
        assert.deepEqual([latest?.trigger, latest?.outcome], ['manual', 'succeeded']);
      });

      it('invalid_grant: fails, the account is EXPIRED, the fix is a new link', async () => {
        const id = await connectAccount(gw, conn);
        as.failNextToken(400, { error: 'invalid_grant', error_description: 'grant revoked' });
        const { body, findings } = await diagnose(id, { refresh: true, include_probe: false });
        const found = only(findings, 'refresh');
        assert.equal(found.result, 'fail');
        assert.equal(found.details?.['reason'], 'invalid_grant');
        assert.equal(anchorOf(found), 'refresh-rejected');
        assert.match(found.fix ?? '', /magic_link/);
        assert.equal(body.connected_account.status, 'EXPIRED');
        const status = only(findings, 'status');
        assert.equal(status.result, 'fail');
        assert.equal(status.details?.['status_before'], 'ACTIVE');
        assert.equal(findings.some((f) => f.check === 'recent_errors' && f.result !== 'ok'), false, "this diagnosis's own refresh is not reported twice");
      });

      it('invalid_client: fails with the connection credentials fix; a later diagnosis finds it among the recent errors', async () => {
        const id = await connectAccount(gw, conn);
        as.failNextToken(401, { error: 'invalid_client', error_description: 'client authentication failed' });
        const first = only((await diagnose(id, { refresh: true, include_probe: false })).findings, 'refresh');
        assert.equal(first.result, 'fail');
        assert.equal(anchorOf(first), 'invalid_client');
        assert.ok(first.fix?.includes(`PATCH /api/v1/connections/${conn.id}`) && first.fix.includes('client_secret'), first.fix ?? '');
        const later = recentBy((await diagnose(id, { include_probe: false })).findings, 'invalid_client');
        assert.equal(later.result, 'fail');
        assert.equal(anchorOf(later), 'invalid_client');
        assert.match(later.message, /once in the last 7 days.*refresh refused \(invalid_client/);
      });
    });

    it('scopes: lists the tools that will fail and the scopes they miss, from the tool catalog', async () => {
      const name = await emulatorConnection('gmail', gmail, [READONLY]);
      const { id } = await account(name, { access_token: GMAIL_TOKEN, scopes: [READONLY] });
      const tools = (await gw.api('GET', '/api/v1/tools?provider=gmail&page_size=100')).body.tools as { definition: { name: string }; metadata: { required_scopes: string[] } }[];
      const expected = tools.filter((t) => !t.metadata.required_scopes.includes(READONLY)).map((t) => t.definition.name).sort();
      assert.ok(expected.includes('gmail_send_email') && !expected.includes('gmail_get_profile'));
      const found = only((await diagnose(id, { include_probe: false })).findings, 'scopes');
      assert.equal(found.result, 'warn');
      assert.equal(anchorOf(found), 'missing-scopes');
      const listed = (found.details?.['tools_missing_scopes'] as { tool: string; needs_one_of: string[] }[]).map((t) => t.tool).sort();
      assert.deepEqual(listed, expected);
      for (const tool of expected) assert.ok(found.message.includes(tool), `${tool} named in the message`);
      const missing = found.details?.['missing_scopes'] as string[];
      for (const tool of found.details?.['tools_missing_scopes'] as { tool: string; needs_one_of: string[] }[]) {
        assert.ok(tool.needs_one_of.some((scope) => missing.includes(scope)), `${tool.tool} is covered by the suggested scopes`);
      }
      // gmail_modify_labels and gmail_trash_message cannot do without gmail.modify, which covers the others too.
      assert.deepEqual(missing, ['https://www.googleapis.com/auth/gmail.modify']);
      assert.deepEqual(found.details?.['scopes_to_add_to_connection'], missing);
      const connectionId = (await gw.api('GET', `/api/v1/connections/${name}`)).body.connection.id;
      assert.ok(found.fix?.includes(`PATCH /api/v1/connections/${connectionId}`) && found.fix.includes('magic_link'), found.fix ?? '');
      assert.ok(found.fix?.includes(JSON.stringify([READONLY, ...missing])), 'the PATCH body keeps the current scopes and adds the missing ones');

      const nothing = await account(name, { access_token: GMAIL_TOKEN, scopes: ['https://www.googleapis.com/auth/userinfo.email'] });
      assert.equal(only((await diagnose(nothing.id, { include_probe: false })).findings, 'scopes').result, 'fail');
    });

    it('probe: a 429 from the provider is a warning with the back-off and BYOC fix, and shows among the recent errors later', async () => {
      const { id } = await account(slackConn, { access_token: SLACK_TOKEN, scopes: ['channels:read', 'users:read', 'chat:write', 'channels:history', 'reactions:write', 'groups:read', 'im:read', 'mpim:read'] });
      slack.enqueue({ status: 429, headers: { 'retry-after': '120' }, json: { ok: false, error: 'ratelimited' } });
      const { findings } = await diagnose(id);
      const probe = only(findings, 'probe');
      assert.equal(probe.result, 'warn', JSON.stringify(probe));
      assert.equal(anchorOf(probe), 'rate-limited-by-the-provider');
      assert.match(probe.fix ?? '', /Retry-After/);
      assert.match(probe.fix ?? '', /BYOC/);
      assert.equal(probe.details?.['upstream_status'], 429);
      const later = recentBy((await diagnose(id, { include_probe: false })).findings, 'rate_limited');
      assert.equal(later.result, 'warn');
      assert.ok(later.message.includes(String(probe.details?.['execution_id'])), later.message);
    });

    it('recent errors: a Slack refusal for a restricted app says to ask the workspace admin; a later success makes it a warning', async () => {
      const { id } = await account(slackConn, { access_token: SLACK_TOKEN, scopes: ['channels:read', 'users:read'] });
      slack.enqueue({ json: { ok: false, error: 'restricted_action' } });
      const call = await gw.api('POST', '/api/v1/execute_tool', { tool_name: 'slack_list_channels', connected_account_id: id, params: {} });
      assert.equal(call.body.error?.code, 'tool_error', call.text);
      const found = recentBy((await diagnose(id, { include_probe: false })).findings, 'slack_workspace_approval');
      assert.equal(found.result, 'fail');
      assert.equal(anchorOf(found), 'slack-app-not-approved-for-the-workspace');
      assert.match(found.fix ?? '', /workspace admin/);
      assert.match(found.message, /restricted_action/);
      const again = recentBy((await diagnose(id)).findings, 'slack_workspace_approval');
      assert.equal(again.result, 'warn', 'the probe succeeded after the refusal');
      assert.match(again.message, /may be fixed already/);
    });

    it('recent errors: the provider\'s message reaches the finding without control characters', async () => {
      const { id } = await account(gmailConn, { access_token: GMAIL_TOKEN, scopes: [MAIL] });
      gmail.enqueue({ status: 403, json: { error: { code: 403, status: 'PERMISSION_DENIED', message: '\u001b[2J\u001b[31mRequested entity\u0007 was not found\u009b0m\u202e' } } });
      const call = await gw.api('POST', '/api/v1/execute_tool', { tool_name: 'gmail_get_profile', connected_account_id: id, params: {} });
      assert.equal(call.body.error?.code, 'tool_error', call.text);
      const findings = (await diagnose(id, { include_probe: false })).findings.filter((f) => f.check === 'recent_errors');
      const found = findings.find((f) => f.message.includes(call.body.error.details.tool_error.execution_id));
      assert.ok(found !== undefined, JSON.stringify(findings, null, 2));
      assert.match(found.message, /: \[2J\[31mRequested entity was not found0m\)\.$/);
      for (const f of findings) assert.doesNotMatch(`${f.message} ${f.fix ?? ''}`, CONTROLS);
    });

    describe('failed authorizations (test authorization server)', () => {
      async function deniedAccount(provider: string, description: string): Promise<string> {
        const conn = await createAsConnection(gw, as, { provider });
        const identifier = unique('user');
        as.denyDescription = description;
        const { link } = await createLink(gw, { connection_name: conn.name, identifier });
        const { callback } = await runFlow(link, new CookieJar(), { loginHint: `deny-${identifier}` });
        assert.ok(callback.location?.startsWith(`${publicUrlOf(gw)}/ui-handlers/connect/callback/error?error=access_denied`), callback.location);
        return (await accountOf(gw, conn.name, identifier)).id;
      }

      before(async () => {
        await skipVerification(gw);
      });

      it("the callback's error and provider error are stored and reported without control characters", async () => {
        const conn = await createAsConnection(gw, as, { provider: 'gmail' });
        const identifier = unique('user');
        as.denyDescription = 'user denied';
        const { link } = await createLink(gw, { connection_name: conn.name, identifier });
        const jar = new CookieJar();
        const { callbackUrl } = await runToCallback(link, jar, { loginHint: `deny-${identifier}` });
        // The provider's redirect, with hostile text in the codes the gateway keeps.
        const hostile = new URL(callbackUrl);
        hostile.searchParams.set('error', 'access_denied\u001b[31m\u009b2J\u0007');
        hostile.searchParams.set('error_description', '\u001b]8;;http://evil.test\u0007click\u001b]8;;\u0007 denied');
        const callback = await deliverCallback(hostile.toString(), jar);
        assert.equal(callback.status, 303, String(callback.location));
        const id = (await accountOf(gw, conn.name, identifier)).id;
        const event = (await eventsOf(gw, id)).find((e) => e.type === 'connected_account.authorization_failed');
        assert.ok(event !== undefined, 'the failed authorization is an event');
        for (const field of ['error', 'provider_error', 'error_description']) assert.doesNotMatch(String(event.data[field]), CONTROLS, field);
        assert.equal(event.data.error, 'access_denied[31m2J');
        const findings = (await diagnose(id, { include_probe: false })).findings.filter((f) => f.check === 'recent_errors');
        assert.ok(findings.some((f) => f.message.includes('access_denied[31m2J')), JSON.stringify(findings, null, 2));
        for (const f of findings) assert.doesNotMatch(f.message, CONTROLS);
      });

      it('Microsoft AADSTS65001 is recorded with the flow and mapped to admin consent', async () => {
        const id = await deniedAccount('microsoft365', 'AADSTS65001: The user or administrator has not consented to use the application with ID x.');
        const event = (await eventsOf(gw, id)).find((e) => e.type === 'connected_account.authorization_failed');
        assert.ok(event !== undefined, 'the failed authorization is an event');
        assert.equal(event.data.error, 'access_denied');
        assert.match(event.data.error_description, /^AADSTS65001/);
        const { findings } = await diagnose(id);
        assert.equal(only(findings, 'status').result, 'warn');
        const found = recentBy(findings, 'aadsts65001');
        assert.equal(found.result, 'fail');
        assert.equal(anchorOf(found), 'aadsts65001-consent-not-granted');
        assert.match(found.fix ?? '', /admin consent/);
        assert.match(found.fix ?? '', /magic_link/);
      });

      it('Google: an unverified app points to test users and verification, an organization policy to the Workspace admin', async () => {
        const unverified = await deniedAccount('gmail', 'Access blocked: agentgate-test has not completed the Google verification process');
        const app = recentBy((await diagnose(unverified)).findings, 'google_unverified_app');
        assert.equal(app.result, 'fail');
        assert.equal(anchorOf(app), 'google-access-blocked-app-has-not-completed-verification');
        assert.match(app.fix ?? '', /Test users/);
        assert.match(app.fix ?? '', /verification/);

        const blocked = await deniedAccount('gmail', "admin_policy_enforced: access to this app is blocked by your organization's policy");
        const policy = recentBy((await diagnose(blocked)).findings, 'google_org_policy');
        assert.equal(policy.result, 'fail');
        assert.match(policy.fix ?? '', /API controls/);
      });
    });
  });
}

describe('diagnose findings (unit)', () => {
  it('links only headings that exist in docs/troubleshooting.md', () => {
    for (const anchor of [...ERROR_FIX_ANCHORS, 'pending_auth', 'pending_verification', 'active', 'expired', 'disconnected', 'check-the-account-status-first', 'connection_disabled', 'probe-tool-failed']) {
      assert.ok(SLUGS.has(anchor), `no heading "${anchor}"`);
    }
  });

  it('a status outside the model fails with the link call', () => {
    const now = new Date();
    const connection: Connection = { id: 'conn_1', environmentId: 'env_1', name: 'gmail', provider: 'gmail', type: 'OAUTH', enabled: true, oauthConfig: {}, clientSecretSealed: null, apiConfig: {}, createdAt: now, updatedAt: now };
    const account = { id: 'ca_1', environmentId: 'env_1', connectionId: 'conn_1', identifier: 'u1', organizationId: '', userId: '', status: 'REVOKED', authorizationType: 'OAUTH', credentialsSealed: null, scopes: [], tokenExpiresAt: null, apiConfig: {}, version: 1, createdAt: now, updatedAt: now, lastUsedAt: null } as unknown as ConnectedAccount;
    const steps = nextStepsFor(account, connection, { user_verification: 'none' });
    const finding = statusFinding(findingFactory(DOCS), { account, statusBefore: 'REVOKED', steps });
    assert.equal(finding.result, 'fail');
    assert.match(finding.message, /REVOKED/);
    assert.match(finding.fix ?? '', /POST \/api\/v1\/connected_accounts\/magic_link \{"connection_name":"gmail","identifier":"u1"\}/);
    assert.doesNotMatch(finding.fix ?? '', /user_verify_url/, 'no verify URL when verification is off');
  });
});
