/**
 * @module What one MCP request may do: the session token checked against the config it is sent to,
 * the tools that config exposes, and each tool call run through the ordinary execution path as the
 * token's end user, on the mapping's connection only. Nothing the client sends can name another
 * account: the identifier comes from the signed token, the connection from the config.
 *
 * Results are MCP `CallToolResult`s (plain JSON; the HTTP layer owns the protocol). A failure the
 * agent can act on is a result with `isError: true` and a readable message, not a protocol error.
 */
import type { CatalogTool } from '../../catalog/tool-schema.ts';
import { GatewayError } from '../../errors.ts';
import { createAuthorizationLink } from '../auth-flows/links.ts';
import type { DomainContext } from '../context.ts';
import { MCP_NAME_MAX, toMcpTool, vendorName, type McpTool } from '../tools/llm-formats.ts';
import { executeTool } from '../tools/execution.ts';
import { findMcpConfig, mcpServerUrl, toolsOfMapping } from './configs.ts';
import type { McpConfig } from './mcp-port.ts';
import { mcpSigningKey, verifySessionToken, type SessionVerifyFailure } from './session-tokens.ts';

export interface McpSession {
  readonly environmentId: string;
  readonly identifier: string;
  readonly config: McpConfig;
}

const FAILURE_MESSAGES: Record<SessionVerifyFailure, string> = {
  malformed: 'The session token is not a well-formed JWT.',
  unsupported_algorithm: 'The session token is not signed with RS256.',
  unknown_key: 'The session token was signed by a key this gateway does not know.',
  bad_signature: 'The session token signature is not valid.',
  wrong_issuer: 'The session token was issued by another gateway.',
  wrong_audience: 'The session token is for another MCP server URL.',
  wrong_config: 'The session token is for another MCP config.',
  expired: 'The session token has expired; mint a new one with POST /api/v1/mcp/configs/{id}/tokens.',
  not_yet_valid: 'The session token is not valid yet (check the clocks of the gateway replicas).',
};

/** Verifies a session token for the config at `configId`; throws `invalid_token` (reason in details) or `mcp_config_not_found`. */
export async function authenticateSession(ctx: DomainContext, configId: string, token: string): Promise<McpSession> {
  const key = await mcpSigningKey(ctx.store, ctx.vault, ctx.clock);
  const result = verifySessionToken(token, new Map([[key.kid, key.publicKey]]), {
    issuer: ctx.publicUrl,
    audience: mcpServerUrl(ctx, configId),
    configId,
    nowSeconds: Math.floor(ctx.clock().getTime() / 1000),
  });
  if (!result.ok) throw new GatewayError('invalid_token', FAILURE_MESSAGES[result.reason], { details: { reason: result.reason } });
  // The config must still exist, in the token's environment: deleting it ends every session at once.
  const config = await findMcpConfig(ctx, result.claims.env, configId);
  return { environmentId: result.claims.env, identifier: result.claims.sub, config };
}

interface ExposedTool {
  readonly tool: CatalogTool;
  readonly connectionName: string;
}

/** The config's tools in mapping order; a mapping whose connection was deleted since exposes nothing. */
async function exposedTools(ctx: DomainContext, session: McpSession): Promise<ExposedTool[]> {
  const names = session.config.mappings.map((m) => m.connectionName);
  const connections = new Map((await ctx.store.connections.findByNames(session.environmentId, names)).map((c) => [c.name, c]));
  const seen = new Set<string>();
  const out: ExposedTool[] = [];
  for (const mapping of session.config.mappings) {
    const connection = connections.get(mapping.connectionName);
    if (connection === undefined) continue;
    for (const tool of toolsOfMapping(ctx, mapping, connection)) {
      if (seen.has(tool.name)) continue;
      seen.add(tool.name);
      out.push({ tool, connectionName: connection.name });
    }
  }
  return out;
}

/** `tools/list`: every mapped tool, connected or not (calling an unconnected one answers with a link). */
export async function listSessionTools(ctx: DomainContext, session: McpSession): Promise<McpTool[]> {
  return (await exposedTools(ctx, session)).map((entry) => toMcpTool(entry.tool));
}

export interface McpToolResult {
  [key: string]: unknown;
  content: { type: 'text'; text: string }[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
  _meta?: Record<string, unknown>;
}

const errorResult = (text: string, meta?: Record<string, unknown>): McpToolResult => ({ content: [{ type: 'text', text }], isError: true, ...(meta === undefined ? {} : { _meta: meta }) });

/** Returned by `callSessionTool` for a name the config does not expose (a protocol error in MCP). */
export class UnknownMcpTool extends Error {
  override name = 'UnknownMcpTool';
}

/** Failures the user fixes by authorizing (again); a refused refresh has just made the account EXPIRED. */
const NOT_CONNECTED = new Set(['account_not_active', 'connected_account_not_found', 'token_refresh_rejected']);

/**
 * The user has no usable account on the mapping's connection: a fresh authorization link (the
 * account is created in PENDING_AUTH when missing) and what to tell the user; for an account
 * awaiting the app's verification, the verify fix alone.
 */
async function authorizationResult(ctx: DomainContext, session: McpSession, entry: ExposedTool, error: GatewayError): Promise<McpToolResult> {
  const status = typeof error.details?.['status'] === 'string' ? error.details['status'] : error.code === 'token_refresh_rejected' ? 'EXPIRED' : 'NOT_CONNECTED';
  const fix = typeof error.details?.['fix'] === 'string' ? ` (${error.details['fix']})` : '';
  const lead = `${entry.tool.name} needs the user's ${entry.connectionName} account, which is ${status === 'NOT_CONNECTED' ? 'not connected' : status}${fix}.`;
  // The user has authorized already; only the app's verify call finishes it. A new link would restart the flow.
  if (status === 'PENDING_VERIFICATION') return errorResult(lead, { 'agentgate/authorization': { connection_name: entry.connectionName, status } });
  const environment = await ctx.tools.environment(session.environmentId);
  if (environment.settings.user_verification === 'custom' && session.config.userVerifyUrl === null) {
    return errorResult(
      `${lead} No authorization link can be made here: this environment verifies users (settings.user_verification = custom) and MCP config "${session.config.name}" has no user_verify_url. The developer sets one with PUT /api/v1/mcp/configs/${session.config.id}.`,
      { 'agentgate/authorization': { connection_name: entry.connectionName, status } },
    );
  }
  try {
    const minted = await createAuthorizationLink(ctx, environment, {
      locator: { connectionName: entry.connectionName, identifier: session.identifier },
      userVerifyUrl: session.config.userVerifyUrl ?? undefined,
    });
    return errorResult(`${lead} Ask the user to open this link to connect ${entry.connectionName}, then call ${entry.tool.name} again: ${minted.link} (valid until ${minted.expiry.toISOString()}).`, {
      'agentgate/authorization': { connection_name: entry.connectionName, status, link: minted.link, expires_at: minted.expiry.toISOString() },
    });
  } catch (linkError) {
    if (!(linkError instanceof GatewayError) || !linkError.expose) throw linkError;
    return errorResult(`${lead} No authorization link could be made: ${linkError.message}`, { 'agentgate/authorization': { connection_name: entry.connectionName, status, error: linkError.code } });
  }
}

function failureText(error: GatewayError): string {
  const fix = error.details?.['fix'];
  return typeof fix === 'string' && !error.message.includes(fix) ? `${error.message} ${fix}` : error.message;
}

/**
 * `tools/call`: runs the tool as the session's user on the mapping's connection (logged like any
 * execution, `source: mcp`). Throws `UnknownMcpTool` for a name the config does not expose; any
 * other unexpected failure is rethrown for the caller to log and answer generically.
 */
export async function callSessionTool(ctx: DomainContext, session: McpSession, input: { name: string; arguments: Record<string, unknown>; agentRunId?: string | undefined }): Promise<McpToolResult> {
  // Matched on the name tools/list showed (the catalog name, made safe for MCP clients).
  const entry = (await exposedTools(ctx, session)).find((e) => vendorName(e.tool.name, MCP_NAME_MAX) === input.name);
  if (entry === undefined) throw new UnknownMcpTool(`MCP server "${session.config.name}" has no tool named "${input.name}"; tools/list names them.`);
  try {
    const result = await executeTool(ctx, session.environmentId, {
      toolName: entry.tool.name,
      // The version tools/list exposed: a `tool_version` among the arguments must not reach another one.
      toolVersion: entry.tool.tool_version,
      params: input.arguments,
      target: { connectionName: entry.connectionName, identifier: session.identifier },
      agentRunId: input.agentRunId,
      source: 'mcp',
    });
    const data = result.data;
    const structured = toMcpTool(entry.tool).outputSchema !== undefined && typeof data === 'object' && data !== null && !Array.isArray(data);
    return {
      content: [{ type: 'text', text: JSON.stringify(data ?? {}) }],
      ...(structured ? { structuredContent: data as Record<string, unknown> } : {}),
      _meta: { 'agentgate/execution_id': result.executionId },
    };
  } catch (error) {
    if (!(error instanceof GatewayError) || !error.expose) throw error;
    if (NOT_CONNECTED.has(error.code)) return authorizationResult(ctx, session, entry, error);
    const executionId = (error.details?.['tool_error'] as { execution_id?: unknown } | undefined)?.execution_id;
    return errorResult(failureText(error), { 'agentgate/error_code': error.code, ...(typeof executionId === 'string' ? { 'agentgate/execution_id': executionId } : {}) });
  }
}
