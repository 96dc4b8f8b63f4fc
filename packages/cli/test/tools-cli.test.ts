/**
 * @module `agentgate tools list|show|run` as a real child process against a real gateway (the
 * server's test harness). `run` goes all the way to a provider: a Stripe-shaped emulator on loopback
 * (the connection's `api_config.base_url` points at it) with a bearer-token account, so the tests
 * see what the provider received and what the CLI printed, including the one-line tool errors.
 */
import assert from 'node:assert/strict';
import { failsWith, headerOf, json, ok, runCli } from './helpers/run-cli.ts';
import { after, before, describe, it } from 'node:test';
import { defineEmulator, startEmulator, type RunningEmulator } from '../../server/test/helpers/emulator.ts';
import { BACKENDS, startTestGateway, unique, type TestGateway } from '../../server/test/helpers/test-gateway.ts';

const SECRET_KEY = 'sk_test_4eC39HqLyjWDarjtT1zdp7dcCliTools';
const GMAIL_TOKEN = 'ya29.cli-tools-access-token';

const cli = (args: readonly string[], env: Record<string, string>) => runCli(args, { env });

/**
 * The two Stripe endpoints `stripe_list_customers` and `stripe_get_customer` call, as Stripe answers
 * them, and Gmail's profile refusing a token without a Gmail scope, as Google answers it.
 */
const stripe = defineEmulator({
  name: 'stripe+gmail',
  authorized: (request) => [`Bearer ${SECRET_KEY}`, `Bearer ${GMAIL_TOKEN}`].includes(request.headers['authorization'] ?? ''),
  unauthorized: { status: 401, json: { error: { type: 'invalid_request_error', message: 'Invalid API Key provided: sk_test_****' } } },
  routes: [
    {
      method: 'GET',
      path: '/v1/customers',
      reply: () => ({
        json: {
          object: 'list',
          url: '/v1/customers',
          has_more: false,
          data: [
            { id: 'cus_Q1w2E3r4T5y6U7', object: 'customer', email: 'jane@customer.test', name: 'Jane Doe', phone: null, description: null, balance: 0, currency: 'usd', delinquent: false, metadata: { crm_id: '8812' }, created: 1714640043 },
          ],
        },
      }),
    },
    {
      method: 'GET',
      path: '/v1/customers/:id',
      reply: (request) => ({
        status: 404,
        json: { error: { code: 'resource_missing', type: 'invalid_request_error', message: `No such customer: '${request.params['id']}'`, param: 'id' } },
      }),
    },
    {
      method: 'GET',
      path: '/gmail/v1/users/me/profile',
      reply: () => ({ status: 403, json: { error: { code: 403, message: 'Request had insufficient authentication scopes.', status: 'PERMISSION_DENIED' } } }),
    },
  ],
});

for (const backend of BACKENDS) {
  describe(`cli: tools (${backend})`, () => {
    let gw: TestGateway;
    let emulator: RunningEmulator;
    let env: Record<string, string>;
    const connection = unique('stripe');
    const identifier = unique('user');
    let accountId: string;
    let pendingId: string;

    before(async () => {
      emulator = await startEmulator(stripe);
      gw = await startTestGateway(backend, { env: { AGENTGATE_ALLOW_PRIVATE_UPSTREAMS: 'true' } });
      env = { AGENTGATE_URL: gw.url, AGENTGATE_CLIENT_ID: gw.admin.clientId, AGENTGATE_CLIENT_SECRET: gw.admin.clientSecret };
      const created = await gw.api('POST', '/api/v1/connections', { connection: { provider: 'stripe', name: connection, type: 'BEARER_TOKEN', api_config: { base_url: emulator.url } } });
      assert.equal(created.status, 201, created.text);
      const active = await gw.api('POST', '/api/v1/connected_accounts', { connection_name: connection, identifier, authorization_details: { static_auth: { secret_key: SECRET_KEY } } });
      assert.equal(active.status, 201, active.text);
      accountId = active.body.connected_account.id;
      const pending = await gw.api('POST', '/api/v1/connected_accounts', { connection_name: connection, identifier: unique('pending') });
      assert.equal(pending.status, 201, pending.text);
      pendingId = pending.body.connected_account.id;
    });
    after(async () => {
      await gw?.close();
      await emulator?.close();
    });

    it('tools list: a table for people, the API answer with --json, filters and paging', async () => {
      const api = (await gw.api('GET', '/api/v1/tools?provider=stripe')).body;
      const searched = (await gw.api('GET', '/api/v1/tools?provider=stripe&query=search')).body;
      const [table, listJson, filtered, first, none, help] = await Promise.all([
        cli(['tools', 'list', '--provider', 'stripe'], env),
        cli(['tools', 'list', '--provider', 'stripe', '--json'], env),
        cli(['tools', 'list', '-p', 'stripe', '-q', 'search', '--json'], env),
        cli(['tools', 'list', '--provider', 'stripe', '--page-size', '2'], env),
        cli(['tools', 'list', '--query', 'zzz-no-such-tool'], env),
        cli(['tools', '--help'], env),
      ]);
      assert.ok(api.tools.length > 2, 'the catalog has Stripe tools');
      assert.deepEqual(headerOf(ok(table)), ['NAME', 'PROVIDER', 'READ-ONLY', 'DESTRUCTIVE', 'TITLE']);
      assert.match(table.stdout, /^stripe_list_customers +stripe +yes +no +List Stripe customers$/m);
      assert.match(table.stdout, /^stripe_create_customer +stripe +no +no +Create a Stripe customer$/m);
      assert.match(table.stdout, new RegExp(`^${api.tools.length} of ${api.total_size} tools\\.$`, 'm'));
      assert.deepEqual(json(listJson), api);
      assert.deepEqual(json(filtered), searched);
      assert.ok(searched.tools.some((t: { definition: { name: string } }) => t.definition.name === 'stripe_search_customers'));
      assert.ok(searched.tools.length < api.tools.length);
      assert.equal(ok(none).trim(), 'No tools match.');
      assert.match(ok(help), /Usage: agentgate tools <list\|show\|run>/);

      // Paging: the footer hands over the token, and the token gives the next page.
      assert.match(ok(first), new RegExp(`^2 of ${api.total_size} tools\\.$`, 'm'));
      const token = /--page-token (\S+)/.exec(first.stdout)?.[1];
      assert.ok(token !== undefined, first.stdout);
      const second = json(await cli(['tools', 'list', '--provider', 'stripe', '--page-size', '2', '--page-token', token, '--json'], env));
      assert.deepEqual(
        second.tools.map((t: { definition: { name: string } }) => t.definition.name),
        api.tools.slice(2, 4).map((t: { definition: { name: string } }) => t.definition.name),
      );
    });

    it('tools show: description, behaviour, scopes and the input parameters; the API answer with --json', async () => {
      const api = (await gw.api('GET', '/api/v1/tools/stripe_list_customers')).body;
      const [shown, shownJson, gmail, unknown, missing] = await Promise.all([
        cli(['tools', 'show', 'stripe_list_customers'], env),
        cli(['tools', 'show', 'stripe_list_customers', '--json'], env),
        cli(['tools', 'show', 'gmail_fetch_mails'], env),
        cli(['tools', 'show', 'stripe_no_such_tool'], env),
        cli(['tools', 'show'], env),
      ]);
      const out = ok(shown);
      assert.match(out, /^Name: +stripe_list_customers$/m);
      assert.match(out, /^Title: +List Stripe customers$/m);
      assert.match(out, /^Provider: +stripe$/m);
      assert.match(out, /^Version: +1 \(default\)$/m);
      assert.match(out, /^Method: +GET$/m);
      assert.match(out, /^Read-only: +yes$/m);
      assert.match(out, /^Destructive: +no$/m);
      assert.match(out, /^Idempotent: +yes$/m);
      assert.ok(out.includes(`\n${api.tool.definition.description}\n`), out);
      assert.match(out, /^Required scopes: none$/m);
      const input = out.slice(out.indexOf('Input:\n') + 'Input:\n'.length);
      assert.deepEqual(headerOf(input), ['PARAMETER', 'TYPE', 'REQUIRED', 'DESCRIPTION']);
      assert.match(input, /^limit +integer +no +How many customers to return \(1-100\)\. \(default: 10\)$/m);
      assert.match(input, /^email +string +no +Only customers with exactly this email/m);
      assert.deepEqual(json(shownJson), api);

      const mail = ok(gmail);
      assert.match(mail, /^Required scopes \(any one of\):\n  https:\/\/www\.googleapis\.com\/auth\/gmail\.readonly$/m);
      assert.match(mail, /^Pagination: +pass next_page_token back as page_token$/m);
      assert.match(mail, /^label_ids +array<string> +no /m);

      failsWith(unknown, 1, /^agentgate: tool_not_found: No tool named "stripe_no_such_tool"/);
      failsWith(missing, 2, /missing <name>/);
    });

    it('tools run: prints data and the execution id; --param is typed by the schema', async () => {
      const before = emulator.requests.length;
      const result = await cli(['tools', 'run', 'stripe_list_customers', '--account', accountId, '--param', 'limit=2', '--param', 'email=jane@customer.test', '--agent-run-id', 'run_cli_1'], env);
      const data = JSON.parse(ok(result));
      assert.deepEqual(data, {
        customers: [{ id: 'cus_Q1w2E3r4T5y6U7', email: 'jane@customer.test', name: 'Jane Doe', phone: null, description: null, balance: 0, currency: 'usd', delinquent: false, metadata: { crm_id: '8812' }, created: 1714640043 }],
        has_more: false,
      });
      const executionId = /^Execution id: (\S+)$/m.exec(result.stderr)?.[1];
      assert.ok(executionId !== undefined, result.stderr);
      assert.equal(emulator.requests.length, before + 1, 'one upstream request');
      assert.equal(emulator.last().path, '/v1/customers');
      assert.deepEqual(emulator.last().query, { email: 'jane@customer.test', limit: '2' });
      assert.equal(emulator.last().headers['authorization'], `Bearer ${SECRET_KEY}`);

      const log = await gw.api('GET', `/api/v1/agentkit/tool_call_logs/${executionId}`);
      assert.equal(log.status, 200, log.text);
      assert.equal(log.body.tool_call_log.status, 'SUCCESS');
      assert.equal(log.body.tool_call_log.agent_run_id, 'run_cli_1');
      assert.equal(log.body.tool_call_log.connected_account_id, accountId);

      // --json: the API's {data, execution_id}; the account by connection + identifier, the input as one JSON object.
      const byName = json(await cli(['tools', 'run', 'stripe_list_customers', '-c', connection, '-i', identifier, '--params', '{"limit": 1}', '--json'], env));
      assert.deepEqual(Object.keys(byName).sort(), ['data', 'execution_id']);
      assert.equal(byName.data.customers[0].id, 'cus_Q1w2E3r4T5y6U7');
      assert.deepEqual(emulator.last().query, { limit: '1' });
      // --identifier alone: the only stripe account with it.
      ok(await cli(['tools', 'run', 'stripe_list_customers', '--identifier', identifier, '--param', 'limit:=3'], env));
      assert.deepEqual(emulator.last().query, { limit: '3' });
    });

    it('tools run: a provider failure is one line with kind, upstream status, message and fix; exit 1', async () => {
      const notFound = await cli(['tools', 'run', 'stripe_get_customer', '--account', accountId, '--param', 'customer_id=cus_gone'], env);
      failsWith(notFound, 1, /^agentgate: tool_error: not_found \(upstream 404 resource_missing\): No such customer: 'cus_gone'\. Fix: \S.* \[execution \S+\]$/);

      emulator.enqueue({ status: 401, json: { error: { type: 'invalid_request_error', message: 'Invalid API Key provided: sk_test_****' } } });
      const refused = await cli(['tools', 'run', 'stripe_list_customers', '--account', accountId], env);
      failsWith(refused, 1, /^agentgate: tool_error: unauthorized \(upstream 401 invalid_request_error\): Invalid API Key provided: sk_test_\*\*\*\*\. Fix: \S.* \[execution \S+\]$/);

      emulator.enqueue({ status: 429, headers: { 'retry-after': '120' }, json: { error: { code: 'rate_limit', type: 'invalid_request_error', message: 'Too many requests hit the API too quickly.' } } });
      const limited = await cli(['tools', 'run', 'stripe_list_customers', '--account', accountId], env);
      failsWith(limited, 1, /^agentgate: tool_error: rate_limited \(upstream 429 rate_limit; retry after 120 s\): Too many requests hit the API too quickly\. Fix: \S.* \[execution \S+\]$/);

      // The account stays usable: a static credential is not expired by a 401.
      ok(await cli(['tools', 'run', 'stripe_list_customers', '--account', accountId], env));
    });

    it('tools run: a provider 403 names the scopes the account lacks', async () => {
      const gmail = unique('gmail');
      const created = await gw.api('POST', '/api/v1/connections', {
        connection: { provider: 'gmail', name: gmail, oauth_config: { client_id: 'test-client', client_secret: 'test-secret' }, api_config: { base_url: emulator.url } },
      });
      assert.equal(created.status, 201, created.text);
      const account = await gw.api('POST', '/api/v1/connected_accounts', {
        connection_name: gmail,
        identifier,
        authorization_details: { oauth_token: { access_token: GMAIL_TOKEN, scopes: ['openid'], expires_in: 3600 } },
      });
      assert.equal(account.status, 201, account.text);
      const tool = (await gw.api('GET', '/api/v1/tools/gmail_get_profile')).body.tool;
      const scopes = tool.metadata.required_scopes.join(', ').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      const refused = await cli(['tools', 'run', 'gmail_get_profile', '-c', gmail, '-i', identifier], env);
      failsWith(refused, 1, new RegExp(`^agentgate: tool_error: forbidden \\(upstream 403 PERMISSION_DENIED; missing scopes: ${scopes}\\): Request had insufficient authentication scopes\\. Fix: .* \\[execution \\S+\\]$`));
    });

    it('tools run: gateway refusals and command-line mistakes', async () => {
      const before = emulator.requests.length;
      const [pending, invalid, unknownTool, noAccount, both, badJson, notObject, badInteger, twice] = await Promise.all([
        cli(['tools', 'run', 'stripe_list_customers', '--account', pendingId], env),
        cli(['tools', 'run', 'stripe_list_customers', '--account', accountId, '--params', '{"limit": "many"}'], env),
        cli(['tools', 'run', 'stripe_no_such_tool', '--account', accountId], env),
        cli(['tools', 'run', 'stripe_list_customers'], env),
        cli(['tools', 'run', 'stripe_list_customers', '--account', accountId, '--params', '{}', '--param', 'limit=1'], env),
        cli(['tools', 'run', 'stripe_list_customers', '--account', accountId, '--params', '{limit: 1}'], env),
        cli(['tools', 'run', 'stripe_list_customers', '--account', accountId, '--params', '[1]'], env),
        cli(['tools', 'run', 'stripe_list_customers', '--account', accountId, '--param', 'limit=lots'], env),
        cli(['tools', 'run', 'stripe_list_customers', '--account', accountId, '--param', 'limit=1', '--param', 'limit=2'], env),
      ]);
      failsWith(pending, 1, new RegExp(`^agentgate: account_not_active: .*PENDING_AUTH.*\\(authorization link: agentgate accounts link ${pendingId}\\)$`));
      failsWith(invalid, 1, /^agentgate: validation_failed: .*params\.limit/);
      failsWith(unknownTool, 1, /^agentgate: tool_not_found: /);
      failsWith(noAccount, 2, /name the account: --account ID, or --connection NAME --identifier ID/);
      failsWith(both, 2, /give --params or --param, not both/);
      failsWith(badJson, 2, /--params is not valid JSON/);
      failsWith(notObject, 2, /--params must be a JSON object/);
      failsWith(badInteger, 2, /--param limit must be an integer, got "lots"/);
      failsWith(twice, 2, /--param limit is given twice/);
      assert.equal(emulator.requests.length, before, 'nothing reached the provider');
    });
  });
}
