/**
 * @module /api/v1/mcp/configs (reference §1.9): virtual MCP server configs, session tokens for one
 * end user, that user's account states, and the JWKS (`GET /keys`) that verifies session tokens.
 * The MCP endpoint itself (JSON-RPC over Streamable HTTP) is `http/mcp-endpoint.ts`.
 */
import { z } from 'zod';
import { mcpConnectedAccounts } from '../../domain/mcp/connected-accounts.ts';
import { createMcpConfig, createSessionToken, deleteMcpConfig, findMcpConfig, listMcpConfigs, MAX_MAPPINGS, mcpServerUrl, updateMcpConfig } from '../../domain/mcp/configs.ts';
import type { McpConfig } from '../../domain/mcp/mcp-port.ts';
import { mcpSigningKey, SESSION_TOKEN_DEFAULT_SECONDS, SESSION_TOKEN_MAX_SECONDS, SESSION_TOKEN_MIN_SECONDS } from '../../domain/mcp/session-tokens.ts';
import { ACCOUNT_STATUSES } from '../../domain/model.ts';
import type { DomainContext } from '../../domain/context.ts';
import { ConnectionName, Identifier, PageSize } from '../inputs.ts';
import { callerOf, defineRoute, type RouteSpec } from '../route.ts';
import type { HttpServices } from '../services.ts';
import { pageFields } from '../wire.ts';

const timestamp = z.string().describe('RFC 3339 timestamp');
const TAG = 'mcp';
const BASE = '/api/v1/mcp/configs';

const MappingWire = z.object({
  connection_name: z.string(),
  tools: z.array(z.string()).describe('Tool names of the connection’s connector; empty means all of them.'),
});

export const McpConfigWire = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  connection_tool_mappings: z.array(MappingWire),
  user_verify_url: z.string().nullable().describe('Where authorization links minted for this server send the browser for user verification.'),
  mcp_server_url: z.string().describe('The Streamable HTTP endpoint to give an MCP client, with Authorization: Bearer <session token>.'),
  created_at: timestamp,
  updated_at: timestamp,
});

function formatConfig(ctx: DomainContext, c: McpConfig): z.infer<typeof McpConfigWire> {
  return {
    id: c.id,
    name: c.name,
    description: c.description,
    connection_tool_mappings: c.mappings.map((m) => ({ connection_name: m.connectionName, tools: [...m.tools] })),
    user_verify_url: c.userVerifyUrl,
    mcp_server_url: mcpServerUrl(ctx, c.id),
    created_at: c.createdAt.toISOString(),
    updated_at: c.updatedAt.toISOString(),
  };
}

const ConfigName = z.string().regex(/^[a-z0-9_-]{1,100}$/, 'lower-case letters, digits, "-" and "_" (1–100 characters)');
const MappingInput = z.object({ connection_name: ConnectionName, tools: z.array(z.string().min(1).max(100)).max(500).default([]) }).strict();
const Mappings = z.array(MappingInput).min(1, 'at least one mapping').max(MAX_MAPPINGS, `at most ${MAX_MAPPINGS} mappings`);
const Description = z.string().max(1000);
const UserVerifyUrl = z.string().min(1).max(2048);

const CreateBody = z
  .object({ config: z.object({ name: ConfigName, description: Description.optional(), connection_tool_mappings: Mappings, user_verify_url: UserVerifyUrl.optional() }).strict() })
  .strict();
const UpdateBody = z
  .object({
    config: z
      .object({
        name: z.string().max(100).optional().describe('Accepted only when unchanged: names never change.'),
        description: Description.optional(),
        connection_tool_mappings: Mappings.optional(),
        user_verify_url: UserVerifyUrl.nullable().optional().describe('null removes it.'),
      })
      .strict(),
  })
  .strict();
const IdParams = z.object({ id: z.string().min(1).max(64) }).strict();
const ListQuery = z
  .object({
    name: z.string().min(1).max(100).optional().describe('Exact name (case-insensitive).'),
    search: z.string().min(1).max(100).optional().describe('Names starting with this text.'),
    page_size: PageSize(30, 30),
    page_token: z.string().max(512).optional(),
  })
  .strict();

/** Seconds, or a protobuf duration string as the reference sends it (`"3600s"`). */
const Expiry = z
  .union([z.number(), z.string().regex(/^\d{1,6}s$/, 'a number of seconds, or a duration such as "3600s"').transform((s) => Number(s.slice(0, -1)))])
  .pipe(
    z
      .number()
      .int('whole seconds')
      .min(SESSION_TOKEN_MIN_SECONDS, `at least ${SESSION_TOKEN_MIN_SECONDS} seconds`)
      .max(SESSION_TOKEN_MAX_SECONDS, `at most ${SESSION_TOKEN_MAX_SECONDS} seconds (24 h)`),
  )
  .describe(`Lifetime: seconds or "<n>s", ${SESSION_TOKEN_MIN_SECONDS} s to 24 h, default ${SESSION_TOKEN_DEFAULT_SECONDS}.`);

const TokenBody = z.object({ identifier: Identifier, expiry: Expiry.optional() }).strict();
const TokenAnswer = z.object({ token: z.string(), expires_at: timestamp, mcp_server_url: z.string() });

const AccountsBody = z
  .object({
    identifier: Identifier,
    include_auth_link: z.boolean().optional().describe('Mint an authorization link for every mapping that is not ACTIVE (creating missing accounts in PENDING_AUTH).'),
    create_links: z.boolean().optional().describe('Alias of include_auth_link.'),
    user_verify_url: UserVerifyUrl.optional().describe('For the links; default the config’s user_verify_url.'),
  })
  .strict();
const AccountStateWire = z.object({
  connection_name: z.string(),
  connection_id: z.string().nullable().describe('Null when the mapped connection no longer exists.'),
  provider: z.string().nullable(),
  connected_account_id: z.string().nullable().describe('Null when the user has no account on the connection.'),
  connected_account_status: z.enum(ACCOUNT_STATUSES).nullable(),
  authentication_link: z.string().nullable(),
  authentication_link_expires_at: timestamp.nullable(),
});

const JwkWire = z.object({ kty: z.literal('RSA'), n: z.string(), e: z.string(), kid: z.string(), alg: z.literal('RS256'), use: z.literal('sig') });

const One = z.object({ config: McpConfigWire });
const NOT_FOUND = ['mcp_config_not_found', 'validation_failed'] as const;

export function mcpRoutes({ ctx }: HttpServices): RouteSpec[] {
  const env = (request: Parameters<typeof callerOf>[0]) => callerOf(request).environmentId;
  return [
    defineRoute({
      method: 'POST',
      path: BASE,
      operationId: 'createMcpConfig',
      summary: 'Create a virtual MCP server: a named set of connection → tools mappings, served at its mcp_server_url.',
      tag: TAG,
      auth: true,
      status: 201,
      body: CreateBody,
      response: One,
      errors: ['validation_failed', 'mcp_config_name_taken', 'invalid_redirect_url'],
      handler: async ({ body, request }) => {
        const input = body.config;
        const config = await createMcpConfig(ctx, env(request), {
          name: input.name,
          description: input.description,
          mappings: input.connection_tool_mappings.map((m) => ({ connectionName: m.connection_name, tools: m.tools })),
          userVerifyUrl: input.user_verify_url,
        });
        return { config: formatConfig(ctx, config) };
      },
    }),
    defineRoute({
      method: 'GET',
      path: BASE,
      operationId: 'listMcpConfigs',
      summary: 'List the MCP configs of the environment, oldest first.',
      tag: TAG,
      auth: true,
      query: ListQuery,
      response: z.object({ configs: z.array(McpConfigWire), ...pageFields }),
      errors: ['validation_failed'],
      handler: async ({ query, request }) => {
        const page = await listMcpConfigs(ctx, env(request), { name: query.name, search: query.search }, { pageSize: query.page_size, pageToken: query.page_token });
        return { configs: page.items.map((c) => formatConfig(ctx, c)), total_size: page.total, next_page_token: page.nextPageToken, prev_page_token: page.prevPageToken };
      },
    }),
    defineRoute({
      method: 'GET',
      path: `${BASE}/{id}`,
      operationId: 'getMcpConfig',
      summary: 'Get one MCP config.',
      tag: TAG,
      auth: true,
      params: IdParams,
      response: One,
      errors: [...NOT_FOUND],
      handler: async ({ params, request }) => ({ config: formatConfig(ctx, await findMcpConfig(ctx, env(request), params.id)) }),
    }),
    defineRoute({
      method: 'PUT',
      path: `${BASE}/{id}`,
      operationId: 'updateMcpConfig',
      summary: 'Change the description, mappings or user_verify_url of an MCP config (its name never changes); fields left out keep their value.',
      tag: TAG,
      auth: true,
      params: IdParams,
      body: UpdateBody,
      response: One,
      errors: [...NOT_FOUND, 'invalid_redirect_url'],
      handler: async ({ params, body, request }) => {
        const input = body.config;
        const config = await updateMcpConfig(ctx, env(request), params.id, {
          name: input.name,
          description: input.description,
          mappings: input.connection_tool_mappings?.map((m) => ({ connectionName: m.connection_name, tools: m.tools })),
          userVerifyUrl: input.user_verify_url,
        });
        return { config: formatConfig(ctx, config) };
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: `${BASE}/{id}`,
      operationId: 'deleteMcpConfig',
      summary: 'Delete an MCP config; its server URL and every session token for it stop working at once.',
      tag: TAG,
      auth: true,
      params: IdParams,
      response: z.object({}),
      errors: [...NOT_FOUND],
      handler: async ({ params, request }) => {
        await deleteMcpConfig(ctx, env(request), params.id);
        return {};
      },
    }),
    defineRoute({
      method: 'POST',
      path: `${BASE}/{id}/tokens`,
      operationId: 'createMcpSessionToken',
      summary: 'Mint a session token (RS256 JWT) that lets an MCP client use this server as one end user (identifier).',
      tag: TAG,
      auth: true,
      params: IdParams,
      body: TokenBody,
      response: TokenAnswer,
      errors: [...NOT_FOUND],
      handler: async ({ params, body, request }) => {
        const minted = await createSessionToken(ctx, env(request), params.id, { identifier: body.identifier, expirySeconds: body.expiry });
        return { token: minted.token, expires_at: minted.expiresAt.toISOString(), mcp_server_url: minted.mcpServerUrl };
      },
    }),
    defineRoute({
      method: 'POST',
      path: `${BASE}/{id}/connected_accounts`,
      operationId: 'listMcpConnectedAccounts',
      summary: "One end user's account on each mapping of the config, with its status; include_auth_link mints links for those not ACTIVE.",
      tag: TAG,
      auth: true,
      params: IdParams,
      body: AccountsBody,
      response: z.object({ connected_accounts: z.array(AccountStateWire) }),
      errors: [...NOT_FOUND, 'invalid_redirect_url', 'connection_disabled', 'connection_not_configured'],
      handler: async ({ params, body, request }) => {
        const states = await mcpConnectedAccounts(ctx, env(request), params.id, {
          identifier: body.identifier,
          includeAuthLink: body.include_auth_link === true || body.create_links === true,
          userVerifyUrl: body.user_verify_url,
        });
        return {
          connected_accounts: states.map((s) => ({
            connection_name: s.connectionName,
            connection_id: s.connectionId,
            provider: s.provider,
            connected_account_id: s.connectedAccountId,
            connected_account_status: s.status,
            authentication_link: s.authorizationLink?.link ?? null,
            authentication_link_expires_at: s.authorizationLink?.expiry.toISOString() ?? null,
          })),
        };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/keys',
      operationId: 'getMcpJwks',
      summary: 'The JSON Web Key Set (public keys only) that verifies MCP session tokens.',
      tag: TAG,
      auth: false,
      response: z.object({ keys: z.array(JwkWire) }),
      errors: [],
      handler: async ({ reply }) => {
        const key = await mcpSigningKey(ctx.store, ctx.vault, ctx.clock);
        void reply.header('cache-control', 'public, max-age=300');
        return { keys: [key.jwk] };
      },
    }),
  ];
}
