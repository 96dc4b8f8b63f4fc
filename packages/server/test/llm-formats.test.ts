/**
 * Tools in LLM vendor shapes. Every catalog tool, in each shape, must be accepted as the vendor
 * defines it: OpenAI's `ChatCompletionTool` and Anthropic's `Tool` as published (JSON Schema
 * fragments in test/fixtures/vendor-schemas, see its README for sources), MCP's `Tool` as the
 * published MCP SDK parses it. Then the limits on odd definitions, and the HTTP lists
 * (`GET /api/v1/tools?format=`, `GET /api/v1/tools/scoped?format=`) with their accounts map.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { ToolSchema } from '@modelcontextprotocol/sdk/types.js';
import { Ajv, type ValidateFunction } from 'ajv';
import { loadCatalog } from '../src/catalog/load-catalog.ts';
import { createJsonSchemaValidator } from '../src/catalog/json-schema.ts';
import type { CatalogTool, ToolDefinition } from '../src/catalog/tool-schema.ts';
import { OPENAI_DESCRIPTION_MAX, toAnthropicTool, toMcpTool, toOpenAiTool, truncateAtWord } from '../src/domain/tools/llm-formats.ts';
import { accountToolName } from '../src/domain/tools/llm-tool-list.ts';
import { assertError, query, walkPages } from './helpers/api-assertions.ts';
import { BACKENDS, startTestGateway, unique, type TestGateway } from './helpers/test-gateway.ts';

function vendorValidator(file: string, definition: string): ValidateFunction {
  const document = JSON.parse(readFileSync(new URL(`./fixtures/vendor-schemas/${file}`, import.meta.url), 'utf8')) as Record<string, unknown>;
  const ajv = new Ajv({ allErrors: true, strict: true });
  ajv.addSchema({ ...document, $id: file });
  const validate = ajv.getSchema(`${file}#/definitions/${definition}`);
  assert.ok(validate, `${file} has no ${definition}`);
  return validate;
}

const openAiTool = vendorValidator('openai-chat-completions.json', 'ChatCompletionTool');
const anthropicTool = vendorValidator('anthropic-messages.json', 'Tool');

function assertValid(validate: ValidateFunction, value: unknown, where: string): void {
  assert.ok(validate(value), `${where}: ${JSON.stringify(validate.errors)}`);
}

/** Both vendors refuse these at the top level of a tool's input schema (OpenAI also enum and not). */
const REFUSED_AT_TOP = ['oneOf', 'anyOf', 'allOf', 'enum', 'not'];

const catalogTools: readonly CatalogTool[] = loadCatalog().tools();

describe('LLM vendor shapes of every catalog tool', () => {
  it('the catalog has the tools this checks (all versions), and the vendor schemas refuse what the vendors refuse', () => {
    assert.ok(catalogTools.length >= 179, `only ${catalogTools.length} tools`);
    const good = { name: 'a_b', description: 'd', input_schema: { type: 'object' } };
    assert.ok(anthropicTool(good));
    for (const bad of [{ ...good, name: 'a.b' }, { ...good, name: 'x'.repeat(129) }, { ...good, input_schema: { type: 'array' } }, { ...good, extra: 1 }]) assert.equal(anthropicTool(bad), false, JSON.stringify(bad).slice(0, 60));
    const fn = (f: Record<string, unknown>) => ({ type: 'function', function: { name: 'a_b', parameters: { type: 'object' }, ...f } });
    assert.ok(openAiTool(fn({})));
    for (const bad of [fn({ name: 'a b' }), fn({ name: 'x'.repeat(65) }), fn({ parameters: [] }), { type: 'custom', function: { name: 'a' } }]) assert.equal(openAiTool(bad), false, JSON.stringify(bad).slice(0, 60));
  });

  it('OpenAI: each is a valid ChatCompletionTool, description within 1024, parameters a plain object schema', () => {
    const schemas = createJsonSchemaValidator();
    for (const tool of catalogTools) {
      const shaped = toOpenAiTool(tool);
      assertValid(openAiTool, shaped, tool.name);
      assert.equal(shaped.function.name, tool.name, 'catalog names need no change');
      assert.ok(shaped.function.description.length <= OPENAI_DESCRIPTION_MAX, tool.name);
      assert.equal(shaped.function.parameters.type, 'object');
      for (const keyword of REFUSED_AT_TOP) assert.ok(!(keyword in shaped.function.parameters), `${tool.name}: top-level ${keyword}`);
      // The parameters still compile as the strict JSON Schema the gateway validates calls with.
      assert.doesNotThrow(() => schemas.compile(shaped.function.parameters), tool.name);
    }
  });

  it('Anthropic: each is a valid custom Tool with an object input_schema', () => {
    for (const tool of catalogTools) {
      const shaped = toAnthropicTool(tool);
      assertValid(anthropicTool, shaped, tool.name);
      assert.equal(shaped.name, tool.name);
      assert.deepEqual(shaped.input_schema, { ...tool.input_schema, type: 'object', properties: tool.input_schema['properties'] ?? {} });
    }
  });

  it('MCP: each parses as the MCP SDK Tool, with camelCase hints equal to the catalog annotations', () => {
    for (const tool of catalogTools) {
      const shaped = toMcpTool(tool);
      const parsed = ToolSchema.safeParse(shaped);
      assert.ok(parsed.success, `${tool.name}: ${parsed.success ? '' : parsed.error.message}`);
      assert.equal(shaped.title, tool.annotations.title);
      assert.deepEqual(shaped.annotations, {
        readOnlyHint: tool.annotations.read_only_hint,
        destructiveHint: tool.annotations.destructive_hint,
        idempotentHint: tool.annotations.idempotent_hint,
        openWorldHint: tool.annotations.open_world_hint,
      });
      assert.equal(shaped.description, tool.description, 'MCP keeps the whole description');
    }
  });
});

describe('LLM vendor limits on definitions the catalog does not have', () => {
  const odd: Pick<ToolDefinition, 'name' | 'description' | 'input_schema' | 'output_schema' | 'annotations'> = {
    name: `crm.contacts/search ${'x'.repeat(200)}`,
    description: `${'Searches the contacts of the CRM by name, e-mail or company. '.repeat(40)}End.`,
    input_schema: { $schema: 'http://json-schema.org/draft-07/schema#', anyOf: [{ required: ['a'] }, { required: ['b'] }], properties: { a: { type: 'string' }, b: { type: 'string' } } },
    output_schema: { type: 'array', items: { type: 'object' } },
    annotations: { title: 'Search contacts', read_only_hint: true, destructive_hint: false, idempotent_hint: true, open_world_hint: false },
  };

  it('names: characters outside [a-zA-Z0-9_-] become "_" and the name is cut to the vendor limit', () => {
    const openai = toOpenAiTool(odd).function.name;
    const anthropic = toAnthropicTool(odd).name;
    assert.match(openai, /^[a-zA-Z0-9_-]{1,64}$/);
    assert.match(anthropic, /^[a-zA-Z0-9_-]{1,128}$/);
    assert.ok(openai.startsWith('crm_contacts_search_x'));
    assert.equal(anthropic.length, 128);
    assertValid(openAiTool, toOpenAiTool(odd), 'odd openai');
    assertValid(anthropicTool, toAnthropicTool(odd), 'odd anthropic');
  });

  it('descriptions: cut at a word boundary within the limit, with an ellipsis', () => {
    const description = toOpenAiTool(odd).function.description;
    assert.ok(description.length <= OPENAI_DESCRIPTION_MAX && description.length > OPENAI_DESCRIPTION_MAX - 80, String(description.length));
    assert.ok(description.endsWith('…'));
    assert.ok(odd.description.startsWith(description.slice(0, -1)), 'a prefix of the original');
    assert.match(odd.description.charAt(description.length - 1), /\s/, 'cut before a space, not inside a word');
    assert.equal(truncateAtWord('short enough', 20), 'short enough');
    assert.equal(truncateAtWord('hello world again', 12), 'hello world…');
    assert.equal(truncateAtWord('abcdefghijklmnopqrstuvwxyz', 10), 'abcdefghi…', 'one long word is cut inside it');
  });

  it('schemas: type object, properties present, $schema and the refused top-level combinators removed', () => {
    const openai = toOpenAiTool(odd).function.parameters;
    assert.deepEqual(openai, { type: 'object', properties: odd.input_schema['properties'] });
    assert.deepEqual(toAnthropicTool(odd).input_schema, openai);
    // MCP accepts anyOf at the top; only the meta keyword goes.
    assert.deepEqual(toMcpTool(odd).inputSchema.anyOf, odd.input_schema['anyOf']);
    assert.equal('$schema' in toMcpTool(odd).inputSchema, false);
    // MCP output schemas must be objects: a list result declares none.
    assert.equal('outputSchema' in toMcpTool(odd), false);
    assert.deepEqual(toMcpTool({ ...odd, output_schema: { type: 'object', properties: { id: { type: 'string' } } } }).outputSchema, { type: 'object', properties: { id: { type: 'string' } } });
  });

  it('the source definition is never modified', () => {
    const before = JSON.stringify(odd);
    toOpenAiTool(odd).function.parameters['extra'] = 1;
    toAnthropicTool(odd);
    toMcpTool(odd);
    assert.equal(JSON.stringify(odd), before);
  });

  it('per-account names stay unique and within 64 characters', () => {
    assert.equal(accountToolName('gmail_send_email', 'gmail-work', 'ca_0123456789abcdef'), 'gmail_send_email__gmail-work');
    const long = accountToolName('zoominfo_enrich_contacts_with_company_data_and_more', 'a-very-long-connection-name-for-work', 'ca_0123456789abcdef');
    assert.ok(long.length <= 64, long);
    assert.ok(long.endsWith('__6789abcdef'), long);
    assert.notEqual(long, accountToolName('zoominfo_enrich_contacts_with_company_data_and_more', 'a-very-long-connection-name-for-work', 'ca_fedcba9876543210'));
  });
});

for (const backend of BACKENDS) {
  describe(`tool lists in LLM formats (${backend})`, () => {
    let gw: TestGateway;
    const defaults = catalogTools.filter((tool) => tool.is_default);

    before(async () => {
      gw = await startTestGateway(backend);
    });
    after(async () => {
      await gw?.close();
    });

    async function connection(provider: string): Promise<string> {
      const name = unique(provider);
      const response = await gw.api('POST', '/api/v1/connections', { connection: { provider, name, type: 'OAUTH', oauth_config: { client_id: 'cid', client_secret: 'cs' } } });
      assert.equal(response.status, 201, response.text);
      return name;
    }
    async function activeAccount(connectionName: string, identifier: string): Promise<string> {
      const response = await gw.api('POST', '/api/v1/connected_accounts', { connection_name: connectionName, identifier, authorization_details: { oauth_token: { access_token: 'at' } } });
      assert.equal(response.status, 201, response.text);
      return response.body.connected_account.id as string;
    }

    it('GET /api/v1/tools?format= lists every default tool in each shape, valid for the vendor', async () => {
      for (const [format, validate, nameOf] of [
        ['openai', (t: any) => assertValid(openAiTool, t, t.function.name), (t: any) => t.function.name],
        ['anthropic', (t: any) => assertValid(anthropicTool, t, t.name), (t: any) => t.name],
        ['mcp', (t: any) => assert.ok(ToolSchema.safeParse(t).success, t.name), (t: any) => t.name],
      ] as const) {
        const tools = await walkPages(gw, '/api/v1/tools', 'tools', { format, page_size: 70 });
        assert.deepEqual(tools.items.map(nameOf).sort(), defaults.map((t) => t.name).sort(), format);
        for (const tool of tools.items) validate(tool);
        assert.ok(tools.pages.every((page: any) => page.format === format));
      }
      const gmail = await gw.api('GET', `/api/v1/tools${query({ format: 'openai', tool_name: 'gmail_get_profile' })}`);
      assert.deepEqual(gmail.body.tools, [toOpenAiTool(defaults.find((t) => t.name === 'gmail_get_profile')!)]);
    });

    it('format is one of openai, anthropic, mcp, and not combined with summary=true', async () => {
      assertError(await gw.api('GET', '/api/v1/tools?format=gemini'), 400, 'validation_failed');
      assertError(await gw.api('GET', '/api/v1/tools?format=openai&summary=true'), 400, 'validation_failed');
      assertError(await gw.api('GET', `/api/v1/tools/scoped${query({ identifier: 'u', format: 'OpenAI' })}`), 400, 'validation_failed');
    });

    it('scoped: vendor shapes plus an accounts map from each name to its catalog tool and account', async () => {
      const identifier = unique('user');
      const slack = await connection('slack');
      const slackAccount = await activeAccount(slack, identifier);
      const response = await gw.api('GET', `/api/v1/tools/scoped${query({ identifier, format: 'anthropic', page_size: 500 })}`);
      assert.equal(response.status, 200, response.text);
      const slackTools = defaults.filter((t) => t.provider === 'slack');
      assert.equal(response.body.format, 'anthropic');
      assert.equal(response.body.total_size, slackTools.length);
      assert.deepEqual(response.body.tools.map((t: any) => t.name).sort(), slackTools.map((t) => t.name).sort());
      for (const tool of response.body.tools) assertValid(anthropicTool, tool, tool.name);
      assert.deepEqual(Object.keys(response.body.accounts).sort(), slackTools.map((t) => t.name).sort());
      for (const [name, binding] of Object.entries<any>(response.body.accounts)) {
        assert.deepEqual(binding, { tool_name: name, connected_account_id: slackAccount, connection_name: slack });
      }
    });

    it('scoped: a tool reachable through two accounts appears once per account, named apart, and the names hold across pages', async () => {
      const identifier = unique('user');
      const [work, home] = [await connection('gmail'), await connection('gmail')];
      const workAccount = await activeAccount(work, identifier);
      const homeAccount = await activeAccount(home, identifier);
      const gmailTools = defaults.filter((t) => t.provider === 'gmail');
      const all = await gw.api('GET', `/api/v1/tools/scoped${query({ identifier, format: 'openai', page_size: 500 })}`);
      assert.equal(all.status, 200, all.text);
      assert.equal(all.body.tools.length, gmailTools.length * 2);
      const names: string[] = all.body.tools.map((t: any) => t.function.name);
      assert.equal(new Set(names).size, names.length, 'names are unique');
      for (const tool of all.body.tools) assertValid(openAiTool, tool, tool.function.name);
      const send = all.body.accounts[`gmail_send_email__${work}`];
      assert.deepEqual(send, { tool_name: 'gmail_send_email', connected_account_id: workAccount, connection_name: work });
      assert.equal(all.body.accounts[`gmail_send_email__${home}`].connected_account_id, homeAccount);
      const described = all.body.tools.find((t: any) => t.function.name === `gmail_send_email__${home}`);
      assert.match(described.function.description, new RegExp(`"${home}" account`));

      const paged = await walkPages(gw, '/api/v1/tools/scoped', 'tools', { identifier, format: 'openai', page_size: 7 });
      assert.deepEqual(paged.items.map((t: any) => t.function.name), names);
      const accounts = Object.assign({}, ...paged.pages.map((page: any) => page.accounts));
      assert.deepEqual(accounts, all.body.accounts);
    });

    async function namedConnection(provider: string, name: string): Promise<string> {
      const response = await gw.api('POST', '/api/v1/connections', { connection: { provider, name, type: 'OAUTH', oauth_config: { client_id: 'cid', client_secret: 'cs' } } });
      assert.equal(response.status, 201, response.text);
      return name;
    }

    /** Every name unique, valid for OpenAI, bound to exactly the listed accounts, and the same when paged. */
    async function assertNamedApart(identifier: string, accountIds: readonly string[], perAccount: number): Promise<Record<string, any>> {
      const all = await gw.api('GET', `/api/v1/tools/scoped${query({ identifier, format: 'openai', page_size: 500 })}`);
      assert.equal(all.status, 200, all.text);
      const names: string[] = all.body.tools.map((t: any) => t.function.name);
      assert.equal(names.length, perAccount * accountIds.length);
      assert.equal(new Set(names).size, names.length, `names are unique: ${names.join(', ')}`);
      for (const tool of all.body.tools) assertValid(openAiTool, tool, tool.function.name);
      assert.equal(Object.keys(all.body.accounts).length, names.length, 'one binding per listed tool');
      for (const id of accountIds) {
        assert.equal(Object.values<any>(all.body.accounts).filter((b) => b.connected_account_id === id).length, perAccount, `every tool of ${id} is bound to it`);
      }
      const paged = await walkPages(gw, '/api/v1/tools/scoped', 'tools', { identifier, format: 'openai', page_size: 7 });
      assert.deepEqual(paged.items.map((t: any) => t.function.name), names, 'the same names on every page');
      assert.deepEqual(Object.assign({}, ...paged.pages.map((page: any) => page.accounts)), all.body.accounts);
      return all.body.accounts;
    }

    it('scoped: two accounts of one identifier on one connection (one organization-scoped) get names of their own', async () => {
      const identifier = unique('user');
      const [work, home] = [await connection('gmail'), await connection('gmail')];
      const plain = await activeAccount(work, identifier);
      const created = await gw.api('POST', '/api/v1/connected_accounts', { connection_name: work, identifier, organization_id: 'org-1', user_id: 'u-1', authorization_details: { oauth_token: { access_token: 'at2' } } });
      assert.equal(created.status, 201, created.text);
      const scoped = created.body.connected_account.id as string;
      const homeAccount = await activeAccount(home, identifier);
      const gmailTools = defaults.filter((t) => t.provider === 'gmail');
      const accounts = await assertNamedApart(identifier, [plain, scoped, homeAccount], gmailTools.length);
      assert.equal(accounts[`gmail_send_email__${home}`]?.connected_account_id, homeAccount, 'an account alone on its connection keeps the plain suffix');
    });

    it('scoped: connections whose names sanitize alike (gmail.work, gmail_work) get names of their own', async () => {
      const identifier = unique('user');
      const stem = unique('gm');
      const dotted = await activeAccount(await namedConnection('gmail', `${stem}.work`), identifier);
      const underscored = await activeAccount(await namedConnection('gmail', `${stem}_work`), identifier);
      await assertNamedApart(identifier, [dotted, underscored], defaults.filter((t) => t.provider === 'gmail').length);
    });

    it('scoped: the format of the MCP server (mcp) keeps titles and hints', async () => {
      const identifier = unique('user');
      await activeAccount(await connection('github'), identifier);
      const response = await gw.api('GET', `/api/v1/tools/scoped${query({ identifier, format: 'mcp', tool_names: 'github_get_user' })}`);
      assert.equal(response.status, 200, response.text);
      const tool = defaults.find((t) => t.name === 'github_get_user')!;
      assert.deepEqual(response.body.tools, [toMcpTool(tool)]);
    });
  });
}
