/**
 * Tool discovery: the catalog (`GET /api/v1/tools`: provider, names, full-text query, summary,
 * pagination), one tool (`GET /api/v1/tools/{name}`), and the tools one user can run now
 * (`GET /api/v1/tools/scoped?identifier=...`: only the connectors of the identifier's ACTIVE accounts
 * on enabled connections, each tool with the account to run it as). Expected sets come from the
 * loaded catalog itself, so the tests hold while tools are added.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CatalogTool } from '../src/catalog/tool-schema.ts';
import { assertError, query, walkPages } from './helpers/api-assertions.ts';
import { forceStatus } from './helpers/browser-leg.ts';
import { BACKENDS, startTestGateway, unique, type TestGateway } from './helpers/test-gateway.ts';

const sorted = (values: Iterable<string>) => [...values].sort();

for (const backend of BACKENDS) {
  describe(`tool discovery (${backend})`, () => {
    let gw: TestGateway;
    let catalog: readonly CatalogTool[];
    const defaults = () => catalog.filter((tool) => tool.is_default);
    const namesOf = (provider: string) => sorted(defaults().filter((tool) => tool.provider === provider).map((tool) => tool.name));

    before(async () => {
      gw = await startTestGateway(backend, { env: { AGENTGATE_ALLOW_PRIVATE_UPSTREAMS: 'true' } });
      catalog = gw.gateway.ctx.catalog.tools();
      for (const provider of ['gmail', 'slack', 'github', 'zendesk']) assert.ok(namesOf(provider).length > 0, `the catalog has no ${provider} tools`);
    });
    after(async () => {
      await gw?.close();
    });

    describe('GET /api/v1/tools', () => {
      it('lists every default tool, each with its version pins in the input schema and its annotations', async () => {
        const response = await gw.api('GET', '/api/v1/tools?page_size=500');
        assert.equal(response.status, 200, response.text);
        const tools: any[] = response.body.tools;
        assert.equal(response.body.total_size, defaults().length);
        assert.deepEqual(sorted(tools.map((t) => t.definition.name)), sorted(defaults().map((t) => t.name)));
        assert.equal(response.body.next_page_token, '');
        for (const tool of tools) {
          const where = tool.definition.name;
          assert.equal(tool.id, `tol_${where}@${tool.metadata.tool_version}`);
          assert.equal(tool.is_default, true);
          assert.equal(tool.definition.input_schema.type, 'object', where);
          assert.equal(tool.definition.input_schema.properties?.tool_version?.type, 'string', `${where}: tool_version pin`);
          assert.equal(tool.definition.input_schema.properties?.schema_version?.type, 'string', `${where}: schema_version pin`);
          const annotations = tool.definition.annotations;
          assert.equal(typeof annotations?.title, 'string', where);
          assert.ok(annotations.title.length > 0, where);
          for (const hint of ['read_only_hint', 'destructive_hint', 'idempotent_hint', 'open_world_hint']) assert.equal(typeof annotations[hint], 'boolean', `${where}: ${hint}`);
          assert.ok(tool.definition.description.length > 20, where);
          assert.ok(Array.isArray(tool.metadata.required_scopes), where);
          assert.match(tool.metadata.method, /^(GET|POST|PUT|PATCH|DELETE)$/, where);
        }
        // The pins never make a call invalid: a schema that forbids extra properties still lists them.
        const strict = tools.find((t) => t.definition.name === 'gmail_get_profile');
        assert.equal(strict.definition.input_schema.additionalProperties, false);
      });

      it('provider filter', async () => {
        const response = await gw.api('GET', '/api/v1/tools?provider=gmail&page_size=500');
        assert.equal(response.status, 200, response.text);
        assert.ok(response.body.tools.every((t: any) => t.provider === 'gmail'));
        assert.deepEqual(sorted(response.body.tools.map((t: any) => t.definition.name)), namesOf('gmail'));
        const none = await gw.api('GET', '/api/v1/tools?provider=no_such_provider');
        assert.deepEqual([none.status, none.body.tools, none.body.total_size], [200, [], 0]);
      });

      it('tool_name, repeated or comma-separated', async () => {
        const repeated = await gw.api('GET', `/api/v1/tools${query({ tool_name: ['gmail_get_profile', 'slack_send_message', 'not_a_tool'] })}`);
        assert.equal(repeated.status, 200, repeated.text);
        assert.deepEqual(sorted(repeated.body.tools.map((t: any) => t.definition.name)), ['gmail_get_profile', 'slack_send_message']);
        const comma = await gw.api('GET', '/api/v1/tools?tool_name=gmail_get_profile,github_create_issue');
        assert.deepEqual(sorted(comma.body.tools.map((t: any) => t.definition.name)), ['github_create_issue', 'gmail_get_profile']);
        const both = await gw.api('GET', `/api/v1/tools${query({ tool_name: ['gmail_get_profile', 'slack_send_message'], provider: 'slack' })}`);
        assert.deepEqual(both.body.tools.map((t: any) => t.definition.name), ['slack_send_message']);
      });

      it('query: full text over name, title and description, every word must match (case-insensitive)', async () => {
        const response = await gw.api('GET', `/api/v1/tools${query({ query: 'Send EMAIL', page_size: 500 })}`);
        assert.equal(response.status, 200, response.text);
        const names = response.body.tools.map((t: any) => t.definition.name);
        assert.ok(names.includes('gmail_send_email'), JSON.stringify(names));
        const expected = defaults().filter((t) => ['send', 'email'].every((w) => `${t.name} ${t.annotations.title} ${t.description}`.toLowerCase().includes(w)));
        assert.deepEqual(sorted(names), sorted(expected.map((t) => t.name)));
        assert.ok(names.length < defaults().length);
        const nothing = await gw.api('GET', `/api/v1/tools${query({ query: 'zzqx-no-such-word' })}`);
        assert.deepEqual(nothing.body.tools, []);
        const slack = await gw.api('GET', `/api/v1/tools${query({ query: 'reaction', provider: 'slack' })}`);
        assert.ok(slack.body.tools.some((t: any) => t.definition.name === 'slack_add_reaction'), slack.text);
      });

      it('summary=true returns tool names only', async () => {
        const response = await gw.api('GET', '/api/v1/tools?summary=true&provider=github&page_size=500');
        assert.equal(response.status, 200, response.text);
        assert.equal(response.body.tools, undefined);
        assert.deepEqual(sorted(response.body.tool_names), namesOf('github'));
        assert.equal(response.body.total_size, namesOf('github').length);
      });

      it('pagination: walking next_page_token covers every tool once, in order; prev_page_token walks back', async () => {
        const all = await walkPages(gw, '/api/v1/tools', 'tools', { page_size: 7 });
        const names = all.items.map((t) => t.definition.name);
        assert.equal(new Set(names).size, names.length, 'a tool appeared twice');
        assert.deepEqual(sorted(names), sorted(defaults().map((t) => t.name)));
        assert.ok(all.pages.length >= Math.ceil(defaults().length / 7));
        for (const page of all.pages.slice(0, -1)) assert.equal(page.tools.length, 7);
        assert.deepEqual(names, [...names].sort(), 'pages are in name order');
        // Back from the second page to the first.
        const second = all.pages[1];
        const back = await gw.api('GET', `/api/v1/tools${query({ page_size: 7, page_token: second.prev_page_token })}`);
        assert.equal(back.status, 200, back.text);
        assert.deepEqual(back.body.tools.map((t: any) => t.definition.name), all.pages[0].tools.map((t: any) => t.definition.name));
        // Summary pages walk the same way.
        const summary = await walkPages(gw, '/api/v1/tools', 'tool_names', { page_size: 9, summary: 'true' });
        assert.deepEqual(summary.items, names);
        assertError(await gw.api('GET', '/api/v1/tools?page_token=not-a-token'), 400, 'validation_failed');
        assertError(await gw.api('GET', '/api/v1/tools?page_size=501'), 400, 'validation_failed');
      });

      it('needs a bearer token', async () => {
        assert.equal((await gw.api('GET', '/api/v1/tools', undefined, { token: null })).status, 401);
      });
    });

    describe('GET /api/v1/tools/{name}', () => {
      it('returns one tool, also by its version; 404 tool_not_found for an unknown name or version', async () => {
        const response = await gw.api('GET', '/api/v1/tools/gmail_send_email');
        assert.equal(response.status, 200, response.text);
        const tool = response.body.tool;
        assert.equal(tool.definition.name, 'gmail_send_email');
        assert.equal(tool.provider, 'gmail');
        assert.deepEqual(tool.definition.input_schema.required, ['to', 'subject', 'body']);
        assert.equal(tool.definition.annotations.idempotent_hint, false);
        assert.equal(tool.metadata.method, 'POST');
        const pinned = await gw.api('GET', `/api/v1/tools/gmail_send_email?tool_version=${tool.metadata.tool_version}`);
        assert.deepEqual(pinned.body.tool, tool);
        assertError(await gw.api('GET', '/api/v1/tools/gmail_teleport'), 404, 'tool_not_found');
        assertError(await gw.api('GET', '/api/v1/tools/gmail_send_email?tool_version=99'), 404, 'tool_not_found');
      });
    });

    describe('GET /api/v1/tools/scoped', () => {
      let identifier: string;
      const accountIds: Record<string, string> = {};
      const connectionNames: Record<string, string> = {};

      async function connect(key: string, provider: string, type: string, details: Record<string, unknown> | undefined, who = identifier): Promise<string> {
        const name = connectionNames[key] ?? unique(provider);
        if (connectionNames[key] === undefined) {
          const created = await gw.api('POST', '/api/v1/connections', {
            connection: { provider, name, type, ...(type === 'OAUTH' ? { oauth_config: { client_id: 'c', client_secret: 's' } } : {}) },
          });
          assert.equal(created.status, 201, created.text);
          connectionNames[key] = name;
        }
        const account = await gw.api('POST', '/api/v1/connected_accounts', { connection_name: name, identifier: who, ...(details === undefined ? {} : { authorization_details: details }) });
        assert.equal(account.status, 201, account.text);
        return account.body.connected_account.id;
      }

      before(async () => {
        identifier = unique('scoped-user');
        const token = (t: string) => ({ oauth_token: { access_token: t } });
        accountIds['gmail'] = await connect('gmail', 'gmail', 'OAUTH', token('ya29.a'));
        accountIds['gmail2'] = await connect('gmail2', 'gmail', 'OAUTH', token('ya29.b'));
        accountIds['zendesk'] = await connect('zendesk', 'zendesk', 'API_KEY', { static_auth: { domain: 'acme', email: 'a@acme.test', api_token: 'zd_tok_x' } });
        // Not usable now: EXPIRED, PENDING_AUTH, DISCONNECTED, and an ACTIVE account on a disabled connection.
        accountIds['slack'] = await connect('slack', 'slack', 'OAUTH', token('xoxb-1'));
        await forceStatus(gw, accountIds['slack'], 'EXPIRED');
        accountIds['github'] = await connect('github', 'github', 'OAUTH', undefined);
        accountIds['gitlab'] = await connect('gitlab', 'gitlab', 'OAUTH', token('glpat-1'));
        const disconnected = await gw.api('POST', `/api/v1/connected_accounts/${accountIds['gitlab']}:disconnect`);
        assert.equal(disconnected.status, 200, disconnected.text);
        accountIds['hubspot'] = await connect('hubspot', 'hubspot', 'OAUTH', token('hs-1'));
        const hubspot = await gw.api('GET', `/api/v1/connections/${connectionNames['hubspot']}`);
        const disabled = await gw.api('PATCH', `/api/v1/connections/${hubspot.body.connection.id}`, { connection: { enabled: false } });
        assert.equal(disabled.status, 200, disabled.text);
        // Someone else's ACTIVE slack account.
        await connect('slack', 'slack', 'OAUTH', token('xoxb-2'), unique('someone-else'));
      });

      async function scoped(params: Record<string, string | readonly string[] | undefined> = {}): Promise<any[]> {
        const response = await gw.api('GET', `/api/v1/tools/scoped${query({ identifier, page_size: 500, ...params })}`);
        assert.equal(response.status, 200, response.text);
        assert.equal(response.body.total_size, response.body.tools.length);
        return response.body.tools;
      }

      it('only the tools of the identifier’s ACTIVE accounts on enabled connections, each with connected_account_id and connection_name', async () => {
        const tools = await scoped();
        const expected = [
          ...namesOf('gmail').map((name) => `${name} ${accountIds['gmail']}`),
          ...namesOf('gmail').map((name) => `${name} ${accountIds['gmail2']}`),
          ...namesOf('zendesk').map((name) => `${name} ${accountIds['zendesk']}`),
        ];
        assert.deepEqual(sorted(tools.map((t) => `${t.tool.definition.name} ${t.connected_account_id}`)), sorted(expected));
        const byAccount = new Map(Object.entries(accountIds).map(([key, id]) => [id, key]));
        for (const entry of tools) {
          const key = byAccount.get(entry.connected_account_id);
          assert.ok(key !== undefined);
          assert.equal(entry.connection_name, connectionNames[key]);
          assert.equal(entry.identifier, identifier);
          assert.equal(entry.tool.provider, key === 'zendesk' ? 'zendesk' : 'gmail');
          assert.equal(entry.tool.definition.input_schema.properties.tool_version.type, 'string');
        }
        for (const absent of ['slack', 'github', 'gitlab', 'hubspot']) assert.ok(!tools.some((t) => t.tool.provider === absent), `${absent} tools listed`);
      });

      it('filters: providers, connection_names, tool_names (repeated or comma-separated)', async () => {
        const zendesk = await scoped({ providers: 'zendesk' });
        assert.deepEqual(sorted(zendesk.map((t) => t.tool.definition.name)), namesOf('zendesk'));
        const gmail2 = await scoped({ connection_names: [connectionNames['gmail2'] ?? ''] });
        assert.ok(gmail2.length > 0 && gmail2.every((t) => t.connected_account_id === accountIds['gmail2']));
        const named = await scoped({ tool_names: ['gmail_get_profile', 'zendesk_get_ticket'] });
        assert.deepEqual(sorted(named.map((t) => `${t.tool.definition.name} ${t.connected_account_id}`)), sorted([`gmail_get_profile ${accountIds['gmail']}`, `gmail_get_profile ${accountIds['gmail2']}`, `zendesk_get_ticket ${accountIds['zendesk']}`]));
        const combined = await scoped({ providers: 'gmail,zendesk', connection_names: connectionNames['gmail'], tool_names: 'gmail_get_profile,zendesk_get_ticket' });
        assert.deepEqual(combined.map((t) => `${t.tool.definition.name} ${t.connected_account_id}`), [`gmail_get_profile ${accountIds['gmail']}`]);
        assert.deepEqual(await scoped({ providers: 'slack' }), [], 'the EXPIRED slack account');
        assert.deepEqual(await scoped({ identifier: unique('nobody') }), []);
      });

      it('an account that becomes ACTIVE (or stops being) changes the list at once', async () => {
        const updated = await gw.api('PUT', '/api/v1/connected_accounts', { id: accountIds['slack'], authorization_details: { oauth_token: { access_token: 'xoxb-new' } } });
        assert.equal(updated.status, 200, updated.text);
        assert.deepEqual(sorted((await scoped({ providers: 'slack' })).map((t) => t.tool.definition.name)), namesOf('slack'));
        await forceStatus(gw, accountIds['slack'] ?? '', 'EXPIRED');
        assert.deepEqual(await scoped({ providers: 'slack' }), []);
      });

      it('pagination walks every entry once', async () => {
        const all = await walkPages(gw, '/api/v1/tools/scoped', 'tools', { identifier, page_size: 5 });
        const keys = all.items.map((t) => `${t.tool.definition.name} ${t.connected_account_id}`);
        assert.equal(new Set(keys).size, keys.length);
        assert.deepEqual(sorted(keys), sorted((await scoped()).map((t) => `${t.tool.definition.name} ${t.connected_account_id}`)));
      });

      it('identifier is required; another environment sees nothing of this one', async () => {
        assertError(await gw.api('GET', '/api/v1/tools/scoped'), 400, 'validation_failed');
        const other = await gw.newEnvironment(unique('env'));
        const token = await gw.tokenFor(other.clientId, other.clientSecret);
        const response = await gw.api('GET', `/api/v1/tools/scoped${query({ identifier })}`, undefined, { token });
        assert.equal(response.status, 200, response.text);
        assert.deepEqual(response.body.tools, []);
      });
    });
  });
}
