/** @module Tools: the catalog (`GET /api/v1/tools`), one user's tools (`/tools/scoped`), and execution (`POST /api/v1/execute_tool` and the seeds' `/v1/connect/tools/execute`). */
import { z } from 'zod';
import type { CatalogTool } from '../../catalog/tool-schema.ts';
import { GatewayError } from '../../errors.ts';
import { paginate } from '../../domain/pagination.ts';
import type { PageWindow } from '../../domain/ports.ts';
import { executeTool, type ExecuteToolInput } from '../../domain/tools/execution.ts';
import { toLlmTool } from '../../domain/tools/llm-formats.ts';
import { bindLlmTools } from '../../domain/tools/llm-tool-list.ts';
import { connectionNameOf } from '../account-inputs.ts';
import { ConnectionName, Identifier, PageSize, StringList } from '../inputs.ts';
import { callerOf, defineRoute, type RouteSpec } from '../route.ts';
import { LlmFormatInput, LlmToolWire, ToolBindingsWire } from '../llm-tool-wire.ts';
import type { HttpServices } from '../services.ts';
import { pageFields } from '../wire.ts';

export const ToolWire = z.object({
  id: z.string(),
  provider: z.string(),
  definition: z.object({
    name: z.string(),
    description: z.string(),
    input_schema: z.record(z.string(), z.unknown()),
    output_schema: z.record(z.string(), z.unknown()).optional(),
    annotations: z.object({ title: z.string(), read_only_hint: z.boolean(), destructive_hint: z.boolean(), idempotent_hint: z.boolean(), open_world_hint: z.boolean() }),
  }),
  metadata: z.object({ tool_version: z.string(), required_scopes: z.array(z.string()), method: z.string(), pagination: z.object({ input: z.string(), output: z.string() }).optional() }),
  tags: z.array(z.string()),
  is_default: z.boolean(),
});

export const toolId = (tool: CatalogTool) => `tol_${tool.name}@${tool.tool_version}`;

/** Every tool accepts these pins (reference §5.1); published in each input schema so LLMs and validators see them. */
const VERSION_PIN_PROPERTIES = {
  tool_version: { type: 'string', description: 'Pin a tool version (default: the current default version).' },
  schema_version: { type: 'string', description: 'Pin an input schema version (same values as tool_version).' },
};

export function formatTool(tool: CatalogTool): z.infer<typeof ToolWire> {
  const properties = (tool.input_schema['properties'] ?? {}) as Record<string, unknown>;
  return {
    id: toolId(tool),
    provider: tool.provider,
    definition: {
      name: tool.name,
      description: tool.description,
      input_schema: { ...tool.input_schema, properties: { ...properties, ...VERSION_PIN_PROPERTIES } },
      ...(tool.output_schema === undefined ? {} : { output_schema: tool.output_schema }),
      annotations: { ...tool.annotations },
    },
    metadata: { tool_version: tool.tool_version, required_scopes: [...tool.required_scopes], method: tool.request.method, ...(tool.pagination === undefined ? {} : { pagination: { ...tool.pagination } }) },
    tags: [...tool.tags],
    is_default: tool.is_default,
  };
}

/** Keyset paging over an in-memory list sorted by `id`, with the same tokens as the database lists. */
export function windowOver<T extends { id: string }>(items: readonly T[], window: PageWindow): T[] {
  if (window.before !== undefined) {
    const before = window.before;
    return items.filter((item) => item.id < before).slice(-window.limit);
  }
  const after = window.after;
  return (after === undefined ? items : items.filter((item) => item.id > after)).slice(0, window.limit);
}

const ExecuteBody = z
  .object({
    tool_name: z.string().min(1).max(100),
    params: z.record(z.string(), z.unknown()).default({}),
    connected_account_id: z.string().max(64).optional(),
    connection_name: ConnectionName.optional(),
    /** The reference's wire name for the connection. */
    connector: ConnectionName.optional(),
    identifier: Identifier.optional(),
    agent_run_id: z.string().min(1).max(255).optional(),
    tool_version: z.string().max(32).optional(),
    organization_id: z.string().max(255).optional(),
    user_id: z.string().max(255).optional(),
  })
  .strict();

const SeedExecuteBody = z
  .object({ connected_account_id: z.string().min(1).max(64), tool_name: z.string().min(1).max(100), tool_input: z.record(z.string(), z.unknown()).default({}), agent_run_id: z.string().min(1).max(255).optional() })
  .strict();

const ExecuteResult = z.object({ data: z.unknown(), execution_id: z.string() });
const EXECUTE_ERRORS = ['validation_failed', 'tool_not_found', 'connected_account_not_found', 'account_ambiguous', 'tool_not_for_account', 'account_not_active', 'connection_disabled', 'tool_error', 'token_refresh_rejected', 'token_refresh_unavailable'] as const;

function targetOf(body: z.infer<typeof ExecuteBody>): ExecuteToolInput['target'] {
  const connectionName = connectionNameOf(body);
  if (body.connected_account_id !== undefined) return { accountId: body.connected_account_id };
  if (body.identifier !== undefined && connectionName !== undefined) {
    return { connectionName, identifier: body.identifier, ...(body.organization_id === undefined ? {} : { organizationId: body.organization_id }), ...(body.user_id === undefined ? {} : { userId: body.user_id }) };
  }
  if (body.identifier !== undefined) return { identifier: body.identifier };
  throw new GatewayError('validation_failed', 'Name the account: connected_account_id, or connection_name and identifier.', {
    details: { issues: [{ path: 'connected_account_id', message: 'required (or connection_name + identifier)' }] },
  });
}

export function toolRoutes({ ctx }: HttpServices): RouteSpec[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/api/v1/tools',
      operationId: 'listTools',
      summary: 'List the tool catalog: filter by provider, names or a full-text query; summary=true returns names only; format=openai|anthropic|mcp returns the definitions in that LLM vendor shape.',
      tag: 'tools',
      auth: true,
      query: z
        .object({
          provider: z.string().max(64).optional(),
          tool_name: StringList.optional(),
          query: z.string().min(1).max(200).optional(),
          summary: z.enum(['true', 'false']).optional(),
          include_versions: z.enum(['true', 'false']).optional(),
          format: LlmFormatInput.optional(),
          page_size: PageSize(500, 100),
          page_token: z.string().max(512).optional(),
        })
        .strict(),
      response: z.object({ format: LlmFormatInput.optional(), tools: z.array(z.union([ToolWire, LlmToolWire])).optional(), tool_names: z.array(z.string()).optional(), ...pageFields }),
      errors: ['validation_failed'],
      handler: async ({ query }) => {
        if (query.format !== undefined && query.summary === 'true') {
          throw new GatewayError('validation_failed', 'summary=true returns names only; drop it to get definitions in a format.', { details: { issues: [{ path: 'query.format', message: 'cannot be combined with summary=true' }] } });
        }
        const words = query.query?.toLowerCase().split(/\s+/).filter(Boolean) ?? [];
        const names = query.tool_name === undefined ? undefined : new Set(query.tool_name);
        const matching = ctx.catalog
          .tools()
          .filter(
            (tool) =>
              (query.include_versions === 'true' || tool.is_default) &&
              (query.provider === undefined || tool.provider === query.provider) &&
              (names === undefined || names.has(tool.name)) &&
              words.every((word) => `${tool.name} ${tool.annotations.title} ${tool.description}`.toLowerCase().includes(word)),
          )
          .map((tool) => ({ id: toolId(tool), tool }));
        const page = await paginate({ pageSize: query.page_size, pageToken: query.page_token }, async (window) => windowOver(matching, window));
        const tokens = { total_size: matching.length, next_page_token: page.nextPageToken, prev_page_token: page.prevPageToken };
        if (query.summary === 'true') return { tool_names: page.items.map((item) => item.tool.name), ...tokens };
        const format = query.format;
        if (format !== undefined) return { format, tools: page.items.map((item) => toLlmTool(item.tool, format)), ...tokens };
        return { tools: page.items.map((item) => formatTool(item.tool)), ...tokens };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/tools/scoped',
      operationId: 'listScopedTools',
      summary: "The tools one user can run now: those of the identifier's ACTIVE accounts, each with its connected_account_id; format=openai|anthropic|mcp returns LLM vendor shapes plus an accounts map from each tool name to its account.",
      tag: 'tools',
      auth: true,
      query: z
        .object({
          identifier: Identifier,
          providers: StringList.optional(),
          tool_names: StringList.optional(),
          connection_names: StringList.optional(),
          format: LlmFormatInput.optional(),
          page_size: PageSize(500, 100),
          page_token: z.string().max(512).optional(),
        })
        .strict(),
      response: z.union([
        z.object({ tools: z.array(z.object({ tool: ToolWire, identifier: z.string(), connected_account_id: z.string(), connection_name: z.string() })), ...pageFields }),
        z.object({ format: LlmFormatInput, tools: z.array(LlmToolWire), accounts: ToolBindingsWire, ...pageFields }),
      ]),
      errors: ['validation_failed'],
      handler: async ({ query, request }) => {
        const environmentId = callerOf(request).environmentId;
        const accounts = await ctx.store.accounts.list(environmentId, { identifier: query.identifier, status: 'ACTIVE' }, { limit: 200 });
        const connections = new Map((await ctx.store.connections.findByIds(environmentId, [...new Set(accounts.map((a) => a.connectionId))])).map((c) => [c.id, c]));
        const names = query.tool_names === undefined ? undefined : new Set(query.tool_names);
        const entries = accounts.flatMap((account) => {
          const connection = connections.get(account.connectionId);
          if (connection === undefined || !connection.enabled) return [];
          if (query.providers !== undefined && !query.providers.includes(connection.provider)) return [];
          if (query.connection_names !== undefined && !query.connection_names.includes(connection.name)) return [];
          return ctx.catalog
            .tools()
            .filter((tool) => tool.is_default && tool.provider === connection.provider && (names === undefined || names.has(tool.name)))
            .map((tool) => ({ id: `${tool.name}\u0000${account.id}`, tool, account, connection }));
        });
        entries.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
        const format = query.format;
        if (format !== undefined) {
          // Names are made unique over the whole list (bindLlmTools), then paged like the plain list.
          const bound = bindLlmTools(entries.map((e) => ({ tool: e.tool, connectedAccountId: e.account.id, connectionName: e.connection.name })), format);
          const items = entries.map((e, i) => ({ id: e.id, bound: bound[i]! }));
          const page = await paginate({ pageSize: query.page_size, pageToken: query.page_token }, async (window) => windowOver(items, window));
          return {
            format,
            tools: page.items.map((item) => item.bound.definition),
            accounts: Object.fromEntries(page.items.map((item) => [item.bound.name, item.bound.binding])),
            total_size: entries.length,
            next_page_token: page.nextPageToken,
            prev_page_token: page.prevPageToken,
          };
        }
        const page = await paginate({ pageSize: query.page_size, pageToken: query.page_token }, async (window) => windowOver(entries, window));
        return {
          tools: page.items.map((e) => ({ tool: formatTool(e.tool), identifier: e.account.identifier, connected_account_id: e.account.id, connection_name: e.connection.name })),
          total_size: entries.length,
          next_page_token: page.nextPageToken,
          prev_page_token: page.prevPageToken,
        };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/tools/{tool_name}',
      operationId: 'getTool',
      summary: 'Get one tool (the default version, or ?tool_version=).',
      tag: 'tools',
      auth: true,
      params: z.object({ tool_name: z.string().max(100) }).strict(),
      query: z.object({ tool_version: z.string().max(32).optional() }).strict(),
      response: z.object({ tool: ToolWire }),
      errors: ['tool_not_found'],
      handler: async ({ params, query }) => {
        const tool = ctx.catalog.tool(params.tool_name, query.tool_version);
        if (tool === undefined) throw new GatewayError('tool_not_found', `No tool named "${params.tool_name}"${query.tool_version === undefined ? '' : ` with version ${query.tool_version}`}; list them with GET /api/v1/tools.`);
        return { tool: formatTool(tool) };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/execute_tool',
      operationId: 'executeTool',
      summary: 'Run a tool as one connected account; the credential is injected by the gateway. Returns {data, execution_id}.',
      tag: 'tools',
      auth: true,
      body: ExecuteBody,
      response: ExecuteResult,
      errors: [...EXECUTE_ERRORS],
      handler: async ({ body, request }) => {
        const result = await executeTool(ctx, callerOf(request).environmentId, {
          toolName: body.tool_name,
          toolVersion: body.tool_version,
          params: body.params,
          target: targetOf(body),
          agentRunId: body.agent_run_id,
          source: 'api',
        });
        return { data: result.data, execution_id: result.executionId };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/v1/connect/tools/execute',
      operationId: 'executeToolSeedPath',
      summary: 'The seeds’ execute call: {connected_account_id, tool_name, tool_input} → {data, execution_id}.',
      tag: 'tools',
      auth: true,
      body: SeedExecuteBody,
      response: ExecuteResult,
      errors: [...EXECUTE_ERRORS],
      handler: async ({ body, request }) => {
        const result = await executeTool(ctx, callerOf(request).environmentId, {
          toolName: body.tool_name,
          params: body.tool_input,
          target: { accountId: body.connected_account_id },
          agentRunId: body.agent_run_id,
          source: 'seed',
        });
        return { data: result.data, execution_id: result.executionId };
      },
    }),
  ];
}
