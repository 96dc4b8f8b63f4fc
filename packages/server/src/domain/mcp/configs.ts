/**
 * @module MCP configs of an environment (reference §1.9): CRUD, the checks on their connection →
 * tools mappings, and session tokens for one end user. Every lookup is scoped by environment, so
 * another environment's config is simply not found.
 */
import type { CatalogTool } from '../../catalog/tool-schema.ts';
import { GatewayError } from '../../errors.ts';
import { looksLikeId, newId } from '../../ids.ts';
import { assertAllowedRedirect } from '../auth-flows/redirect-allowlist.ts';
import type { DomainContext } from '../context.ts';
import type { Connection } from '../model.ts';
import { paginate, type PageRequest } from '../pagination.ts';
import { UniqueViolation } from '../ports.ts';
import type { McpConfig, McpConfigFilter, ToolMapping } from './mcp-port.ts';
import { SESSION_TOKEN_DEFAULT_SECONDS, mcpSigningKey, newSessionClaims, signSessionToken } from './session-tokens.ts';

export const MAX_MAPPINGS = 25;

export interface McpConfigInput {
  readonly name: string;
  readonly description?: string | undefined;
  readonly mappings: readonly ToolMapping[];
  readonly userVerifyUrl?: string | undefined;
}

export interface McpConfigChanges {
  /** Accepted only when it equals the stored name: names never change. */
  readonly name?: string | undefined;
  readonly description?: string | undefined;
  readonly mappings?: readonly ToolMapping[] | undefined;
  /** `null` removes it. */
  readonly userVerifyUrl?: string | null | undefined;
}

/** The one URL an MCP client is given for a config; also the `aud` of its session tokens. */
export function mcpServerUrl(ctx: DomainContext, configId: string): string {
  return `${ctx.publicUrl}/mcp/${configId}`;
}

/** The default-version tools a mapping exposes on its connection: the listed ones, or every tool of the connector. */
export function toolsOfMapping(ctx: DomainContext, mapping: ToolMapping, connection: Connection): CatalogTool[] {
  if (mapping.tools.length === 0) return ctx.catalog.tools().filter((tool) => tool.is_default && tool.provider === connection.provider);
  return mapping.tools.flatMap((name) => {
    const tool = ctx.catalog.tool(name);
    return tool !== undefined && tool.provider === connection.provider ? [tool] : [];
  });
}

type Issue = { path: string; message: string };

function invalid(issues: Issue[]): GatewayError {
  return new GatewayError('validation_failed', `The request is not valid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { details: { issues } });
}

/**
 * Every mapping names an existing connection once, lists tools of that connection's connector, and
 * no tool is exposed twice (an MCP server's tool names are its API: a name must mean one thing).
 */
async function checkMappings(ctx: DomainContext, environmentId: string, mappings: readonly ToolMapping[]): Promise<ToolMapping[]> {
  const issues: Issue[] = [];
  const connections = new Map((await ctx.store.connections.findByNames(environmentId, [...new Set(mappings.map((m) => m.connectionName))])).map((c) => [c.name, c]));
  const seenConnections = new Set<string>();
  const exposedBy = new Map<string, number>();
  const checked = mappings.map((mapping, index) => {
    const at = `config.connection_tool_mappings.${index}`;
    const tools = [...new Set(mapping.tools)];
    if (seenConnections.has(mapping.connectionName)) issues.push({ path: `${at}.connection_name`, message: `connection "${mapping.connectionName}" is mapped twice; merge its tools into one mapping` });
    seenConnections.add(mapping.connectionName);
    const connection = connections.get(mapping.connectionName);
    if (connection === undefined) {
      issues.push({ path: `${at}.connection_name`, message: `no connection named "${mapping.connectionName}" in this environment (GET /api/v1/connections lists them)` });
      return { connectionName: mapping.connectionName, tools };
    }
    // Indexes of the request's list (a repeated name is checked once, at its first place).
    mapping.tools.forEach((name, toolIndex) => {
      if (mapping.tools.indexOf(name) !== toolIndex) return;
      const tool = ctx.catalog.tool(name);
      if (tool === undefined) issues.push({ path: `${at}.tools.${toolIndex}`, message: `no tool named "${name}" (GET /api/v1/tools lists them)` });
      else if (tool.provider !== connection.provider) issues.push({ path: `${at}.tools.${toolIndex}`, message: `${name} is a ${tool.provider} tool; connection "${connection.name}" is ${connection.provider}` });
    });
    for (const tool of toolsOfMapping(ctx, { connectionName: mapping.connectionName, tools }, connection)) {
      const other = exposedBy.get(tool.name);
      if (other !== undefined) issues.push({ path: `${at}.tools`, message: `${tool.name} is already exposed by config.connection_tool_mappings.${other}; list it in one mapping only` });
      else exposedBy.set(tool.name, index);
    }
    return { connectionName: mapping.connectionName, tools };
  });
  if (issues.length > 0) throw invalid(issues);
  return checked;
}

async function checkUserVerifyUrl(ctx: DomainContext, environmentId: string, url: string): Promise<string> {
  const environment = await ctx.store.environments.findById(environmentId);
  return assertAllowedRedirect(url, environment?.settings.allowed_redirect_origins ?? [], ctx.flow.allowLoopbackRedirects);
}

export async function createMcpConfig(ctx: DomainContext, environmentId: string, input: McpConfigInput): Promise<McpConfig> {
  const mappings = await checkMappings(ctx, environmentId, input.mappings);
  const userVerifyUrl = input.userVerifyUrl === undefined ? null : await checkUserVerifyUrl(ctx, environmentId, input.userVerifyUrl);
  const now = ctx.clock();
  const config: McpConfig = { id: newId('cfg', now.getTime()), environmentId, name: input.name, description: input.description ?? '', mappings, userVerifyUrl, createdAt: now, updatedAt: now };
  try {
    await ctx.store.mcpConfigs.insert(config);
  } catch (error) {
    if (error instanceof UniqueViolation) throw new GatewayError('mcp_config_name_taken', `An MCP config named "${input.name}" already exists in this environment; names are unique and never change.`, { details: { name: input.name } });
    throw error;
  }
  return config;
}

export async function findMcpConfig(ctx: DomainContext, environmentId: string, id: string): Promise<McpConfig> {
  const config = looksLikeId('cfg', id) ? await ctx.store.mcpConfigs.find(environmentId, id) : undefined;
  if (config === undefined) throw new GatewayError('mcp_config_not_found', `No MCP config "${id}" in this environment; GET /api/v1/mcp/configs lists them.`, { details: { id } });
  return config;
}

export async function listMcpConfigs(ctx: DomainContext, environmentId: string, filter: McpConfigFilter, page: PageRequest) {
  const [result, total] = await Promise.all([paginate(page, (window) => ctx.store.mcpConfigs.list(environmentId, filter, window)), ctx.store.mcpConfigs.count(environmentId, filter)]);
  return { ...result, total };
}

export async function updateMcpConfig(ctx: DomainContext, environmentId: string, id: string, changes: McpConfigChanges): Promise<McpConfig> {
  const config = await findMcpConfig(ctx, environmentId, id);
  if (changes.name !== undefined && changes.name !== config.name) throw invalid([{ path: 'config.name', message: `an MCP config's name never changes (it is "${config.name}"); create a new config instead` }]);
  const mappings = changes.mappings === undefined ? config.mappings : await checkMappings(ctx, environmentId, changes.mappings);
  const userVerifyUrl = changes.userVerifyUrl === undefined ? config.userVerifyUrl : changes.userVerifyUrl === null ? null : await checkUserVerifyUrl(ctx, environmentId, changes.userVerifyUrl);
  const updated: McpConfig = { ...config, description: changes.description ?? config.description, mappings, userVerifyUrl, updatedAt: ctx.clock() };
  if (!(await ctx.store.mcpConfigs.update(updated))) throw new GatewayError('mcp_config_not_found', `MCP config "${id}" was deleted meanwhile.`, { details: { id } });
  return updated;
}

/** The server URL stops answering at once: session tokens name the config, and it is gone. */
export async function deleteMcpConfig(ctx: DomainContext, environmentId: string, id: string): Promise<void> {
  const config = await findMcpConfig(ctx, environmentId, id);
  await ctx.store.mcpConfigs.delete(environmentId, config.id);
}

export interface MintedSessionToken {
  readonly token: string;
  readonly expiresAt: Date;
  readonly mcpServerUrl: string;
}

/**
 * A session token for one end user. It is minted whatever the state of the user's accounts: a tool
 * of a mapping the user has not connected yet answers with an authorization link when called.
 */
export async function createSessionToken(ctx: DomainContext, environmentId: string, configId: string, input: { identifier: string; expirySeconds?: number | undefined }): Promise<MintedSessionToken> {
  const config = await findMcpConfig(ctx, environmentId, configId);
  const key = await mcpSigningKey(ctx.store, ctx.vault, ctx.clock);
  const url = mcpServerUrl(ctx, config.id);
  const claims = newSessionClaims({
    issuer: ctx.publicUrl,
    audience: url,
    environmentId,
    configId: config.id,
    identifier: input.identifier,
    nowSeconds: Math.floor(ctx.clock().getTime() / 1000),
    expirySeconds: input.expirySeconds ?? SESSION_TOKEN_DEFAULT_SECONDS,
  });
  return { token: signSessionToken(claims, key), expiresAt: new Date(claims.exp * 1000), mcpServerUrl: url };
}
