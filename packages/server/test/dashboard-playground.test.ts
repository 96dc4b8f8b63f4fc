/**
 * The dashboard's tool playground over real HTTP (PGlite, and PostgreSQL when TEST_DATABASE_URL is
 * set) against the Gmail emulator: the form generated from each tool's JSON Schema (kinds, required
 * marks, hints), runs through the real execution path (the emulator sees the request, the run is in
 * the tool call log with source `dashboard`), the result as escaped pretty JSON, tool errors with
 * kind, tier and fix, parameter errors next to their fields, non-ACTIVE accounts, CSRF.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fieldsOf, parseSchemaForm } from '../src/dashboard/json-schema-form.ts';
import { gmailEmulator, GMAIL_TOKEN } from './emulators/gmail.ts';
import { signInDashboard, type DashboardClient } from './helpers/dashboard-client.ts';
import { startEmulator, type RunningEmulator } from './helpers/emulator.ts';
import { BACKENDS, startTestGateway, unique, type TestGateway } from './helpers/test-gateway.ts';

const READONLY = 'https://www.googleapis.com/auth/gmail.readonly';

describe('json-schema-form: controls from a JSON Schema', () => {
  const schema = {
    type: 'object',
    required: ['name', 'count'],
    properties: {
      name: { type: 'string', description: 'Who.' },
      body: { type: 'string' },
      count: { type: 'integer', minimum: 1, maximum: 9, default: 3 },
      ratio: { type: ['number', 'null'] },
      flag: { type: 'boolean' },
      color: { type: 'string', enum: ['red', 'green'] },
      tags: { type: 'array', items: { type: 'string' } },
      to: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
      nested: { type: 'object', properties: { a: { type: 'string' } } },
      rows: { type: 'array', items: { type: 'object' } },
    },
  };

  it('picks a control per property kind and marks the required ones', () => {
    const fields = fieldsOf(schema);
    assert.deepEqual(
      fields.map((f) => [f.name, f.kind, f.required]),
      [
        ['name', 'string', true],
        ['body', 'text', false],
        ['count', 'integer', true],
        ['ratio', 'number', false],
        ['flag', 'boolean', false],
        ['color', 'enum', false],
        ['tags', 'string-list', false],
        ['to', 'string', false],
        ['nested', 'json', false],
        ['rows', 'json', false],
      ],
    );
  });

  it('turns posted text into typed parameters, leaving empty fields out, and names what it cannot read', () => {
    const fields = fieldsOf(schema);
    const ok = parseSchemaForm(fields, { 'param.name': 'ada', 'param.count': '4', 'param.ratio': '0.5', 'param.flag': 'false', 'param.color': 'red', 'param.tags': 'a\n\n b \n', 'param.nested': '{"a":"x"}', 'param.body': '' });
    assert.deepEqual(ok.errors, {});
    assert.deepEqual(ok.params, { name: 'ada', count: 4, ratio: 0.5, flag: false, color: 'red', tags: ['a', 'b'], nested: { a: 'x' } });
    const bad = parseSchemaForm(fields, { 'param.count': '2.5', 'param.ratio': 'many', 'param.nested': '{nope' });
    assert.equal(bad.errors['count'], 'Enter a whole number.');
    assert.equal(bad.errors['ratio'], 'Enter a number.');
    assert.match(bad.errors['nested'] ?? '', /^Not valid JSON/);
  });
});

for (const backend of BACKENDS) {
  describe(`dashboard tool playground (${backend})`, () => {
    let gw: TestGateway;
    let emulator: RunningEmulator;
    let client: DashboardClient;
    let accountId: string;
    let connectionName: string;

    before(async () => {
      emulator = await startEmulator(gmailEmulator);
      gw = await startTestGateway(backend, { env: { AGENTGATE_ALLOW_PRIVATE_UPSTREAMS: 'true' } });
      connectionName = unique('gmail-pg');
      const connection = await gw.api('POST', '/api/v1/connections', { connection: { provider: 'gmail', name: connectionName, oauth_config: { client_id: 'c', client_secret: 's' }, api_config: { base_url: emulator.url } } });
      assert.equal(connection.status, 201, connection.text);
      const account = await gw.api('POST', '/api/v1/connected_accounts', { connection_name: connectionName, identifier: unique('ada'), authorization_details: { oauth_token: { access_token: GMAIL_TOKEN, scopes: [READONLY] } } });
      assert.equal(account.status, 201, account.text);
      accountId = account.body.connected_account.id;
      client = await signInDashboard(gw);
    });
    after(async () => {
      await gw?.close();
      await emulator?.close();
    });

    const run = (tool: string, params: Record<string, string | string[]> = {}, id = accountId) => {
      const fields: Record<string, string | string[]> = { account: id, tool };
      for (const [name, value] of Object.entries(params)) fields[`param.${name}`] = value;
      return client.post('/dashboard/playground', fields);
    };

    it('lists ACTIVE accounts, then the connector\'s tools, then the form generated from the schema', async () => {
      const start = await client.get('/dashboard/playground');
      assert.equal(start.status, 200);
      assert.match(start.text, new RegExp(`<option value="${accountId}">[^<]+ · ${connectionName} \\(gmail, ACTIVE\\)</option>`));
      const tools = await client.get(`/dashboard/playground?account=${accountId}`);
      assert.match(tools.text, /<select id="field-tool" name="tool"[\s\S]*<option value="gmail_fetch_mails">gmail_fetch_mails — Fetch Gmail messages<\/option>/);
      const form = await client.get(`/dashboard/playground?account=${accountId}&tool=gmail_fetch_mails`);
      assert.match(form.text, /<label for="param-query"><code>query<\/code> <span class="muted">\(optional\)<\/span><\/label>\n<input id="param-query" name="param\.query" type="text"/);
      assert.match(form.text, /<input id="param-max_results" name="param\.max_results" type="number" step="1" min="1" max="500"/);
      assert.match(form.text, /id="param-max_results-hint">How many messages to return \(1-500\)\. A whole number\. Range 1 to 500\. Default 10\./);
      assert.match(form.text, /<textarea id="param-label_ids" name="param\.label_ids"[\s\S]*?One value per line\./);
      assert.match(form.text, /<select id="param-include_spam_trash" name="param\.include_spam_trash"[^>]*><option value="">\(not set\)<\/option><option value="true">true<\/option><option value="false">false<\/option>/);
      const send = await client.get(`/dashboard/playground?account=${accountId}&tool=gmail_send_email`);
      assert.match(send.text, /<label for="param-to"><code>to<\/code> <span class="missing">\(required\)<\/span><\/label>\n<input id="param-to" name="param\.to" type="text" spellcheck="false" autocomplete="off" value="" required aria-required="true"/);
      assert.match(send.text, /<textarea id="param-body" name="param\.body" rows="3" spellcheck="false" required/);
    });

    it('runs a tool through the execution path: result JSON, the log entry, the emulator saw the typed parameters', async () => {
      const before = emulator.requests.length;
      const answer = await run('gmail_fetch_mails', { query: 'from:alice', label_ids: 'INBOX\nUNREAD', max_results: '5', include_spam_trash: 'true' });
      assert.equal(answer.status, 200, answer.text.slice(0, 400));
      assert.equal(emulator.requests.length, before + 1);
      assert.deepEqual(emulator.last().query, { q: 'from:alice', labelIds: ['INBOX', 'UNREAD'], maxResults: '5', includeSpamTrash: 'true' });
      assert.match(answer.text, /<h2 id="outcome-title">Result<\/h2>\n<pre class="json" tabindex="0" aria-label="Result JSON"><code>\{\n {2}&quot;messages&quot;: \[/);
      const executionId = /<dt>Execution id<\/dt><dd><a href="\/dashboard\/logs\/(exec_[^"]+)">/.exec(answer.text)?.[1];
      assert.ok(executionId !== undefined, 'the execution entry links to Logs');
      assert.match(answer.text, /<dt>Status<\/dt><dd><span class="badge result-ok">SUCCESS<\/span><\/dd>\n<dt>Duration<\/dt><dd>\d+ ms<\/dd>\n<dt>Upstream status<\/dt><dd>200<\/dd>/);
      const log = await gw.api('GET', `/api/v1/agentkit/tool_call_logs/${executionId}`);
      assert.equal(log.status, 200, log.text);
      assert.equal(log.body.tool_call_log.source, 'dashboard');
      assert.equal(log.body.tool_call_log.connected_account_id, accountId);
      assert.ok(answer.text.includes('value="from:alice"'), 'the form keeps what was typed');
    });

    it('escapes hostile tool output', async () => {
      emulator.enqueue({ json: { emailAddress: '<script>alert("pwn")</script>', messagesTotal: 1, threadsTotal: 1, historyId: '1' } });
      const answer = await run('gmail_get_profile');
      assert.equal(answer.status, 200);
      assert.ok(!answer.text.includes('<script>alert'), 'the output is not markup');
      assert.ok(answer.text.includes('&quot;email_address&quot;: &quot;&lt;script&gt;alert(\\&quot;pwn\\&quot;)&lt;/script&gt;&quot;'));
    });

    it('shows a provider error with its kind, tier, message, fix and upstream status; the failure is logged', async () => {
      emulator.enqueue({ status: 403, json: { error: { code: 403, message: 'Insufficient Permission', status: 'PERMISSION_DENIED' } } });
      const answer = await run('gmail_get_profile');
      assert.equal(answer.status, 200);
      assert.match(answer.text, /<div class="tool-error" role="alert"[\s\S]*<dt>Kind<\/dt><dd><code>forbidden<\/code><\/dd>\n<dt>Tier<\/dt><dd>provider/);
      assert.match(answer.text, /<dt>Message<\/dt><dd>Insufficient Permission<\/dd>/);
      assert.match(answer.text, /<dt>Fix<\/dt><dd>The provider refused access/);
      assert.match(answer.text, /<dt>Upstream status<\/dt><dd>403<\/dd>/);
      assert.match(answer.text, /<span class="badge result-fail">FAILED<\/span>/);
    });

    it('parameter errors: unreadable values stay in the form; schema violations come back next to their field, as a platform error', async () => {
      const before = emulator.requests.length;
      const unreadable = await run('gmail_fetch_mails', { max_results: 'lots' });
      assert.equal(unreadable.status, 400);
      assert.match(unreadable.text, /id="param-max_results"[^>]*aria-invalid="true">[\s\S]*?id="param-max_results-error">Enter a whole number\./);
      assert.match(unreadable.text, /<input id="param-max_results"[^>]*value="lots"/, 'what was typed is still in the field');
      const outOfRange = await run('gmail_fetch_mails', { max_results: '0' });
      assert.equal(outOfRange.status, 400);
      assert.match(outOfRange.text, /id="param-max_results-error">must be &gt;= 1/);
      assert.match(outOfRange.text, /<dt>Kind<\/dt><dd><code>validation_failed<\/code><\/dd>\n<dt>Tier<\/dt><dd>platform/);
      const missing = await run('gmail_send_email', { subject: 'hi' });
      assert.match(missing.text, /id="param-to-error">[^<]*required/);
      assert.equal(emulator.requests.length, before, 'nothing reached the provider');
    });

    it('a non-ACTIVE account opened by ?account= is offered with a warning; running it shows account_not_active', async () => {
      const pending = await gw.api('POST', '/api/v1/connected_accounts', { connection_name: connectionName, identifier: unique('pending') });
      const id = pending.body.connected_account.id;
      const page = await client.get(`/dashboard/playground?account=${id}&tool=gmail_get_profile`);
      assert.match(page.text, /role="note">This account is PENDING_AUTH: a run fails with account_not_active/);
      const answer = await run('gmail_get_profile', {}, id);
      assert.match(answer.text, /<dt>Kind<\/dt><dd><code>account_not_active<\/code><\/dd>\n<dt>Tier<\/dt><dd>platform/);
      assert.match(answer.text, /<dt>Fix<\/dt><dd>the user has not finished authorizing yet/);
    });

    it('refuses a tool of another connector and an unknown account', async () => {
      assert.equal((await run('slack_send_message')).status, 404);
      assert.equal((await run('gmail_get_profile', {}, 'ca_nope')).status, 404);
    });

    it('refuses a run without the CSRF token or from another site', async () => {
      const before = emulator.requests.length;
      const fields = { account: accountId, tool: 'gmail_get_profile' };
      assert.equal((await client.post('/dashboard/playground', fields, { csrf: null })).status, 403);
      assert.equal((await client.post('/dashboard/playground', fields, { csrf: 'forged' })).status, 403);
      assert.equal((await client.post('/dashboard/playground', fields, { headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } })).status, 403);
      assert.equal(emulator.requests.length, before, 'nothing ran');
    });
  });
}
