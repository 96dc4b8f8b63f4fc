/**
 * @module Executing a tool (reference §5.3): resolve the account (cached), insist it is ACTIVE,
 * check the parameters, refresh a token about to expire, build and send the request with the
 * credential injected, answer an upstream 401 with one refresh and one retry, shape the answer, and
 * log the call. Every failure becomes a documented error; every call, good or bad, is logged.
 */
import type { CatalogTool } from '../../catalog/tool-schema.ts';
import { GatewayError } from '../../errors.ts';
import { newId } from '../../ids.ts';
import type { CachedAccount } from '../accounts/account-cache.ts';
import type { DomainContext } from '../context.ts';
import { applyCredentials } from '../outbound/credential-request.ts';
import type { ToolCallSource } from '../ports.ts';
import { freshAccount, sendRefreshingOn401 } from './refresh-on-401.ts';
import { checkParams } from './params.ts';
import { assertActive, resolveAccount, type CallTarget } from './resolve-account.ts';
import type { UpstreamResponse } from './runtime.ts';
import { shapeResponse, readPath } from './template.ts';
import { buildToolRequest } from './tool-request.ts';
import { kindOfStatus, providerCodeOf, providerMessageOf, retryAfterSeconds, toolError } from './tool-errors.ts';
import { sendWithRetries } from './upstream-call.ts';

export interface ExecuteToolInput {
  readonly toolName: string;
  readonly toolVersion?: string | undefined;
  readonly params: Readonly<Record<string, unknown>>;
  readonly target:
    | { readonly accountId: string }
    | { readonly connectionName: string; readonly identifier: string; readonly organizationId?: string; readonly userId?: string }
    | { readonly identifier: string };
  readonly agentRunId?: string | undefined;
  readonly source: ToolCallSource;
}

export interface ExecuteToolResult {
  readonly data: unknown;
  readonly executionId: string;
}

export interface CallTiming {
  readonly startedMs: number;
  attempts: number;
}

function findTool(ctx: DomainContext, input: ExecuteToolInput): CatalogTool {
  const pinned = input.toolVersion ?? (typeof input.params['tool_version'] === 'string' ? input.params['tool_version'] : undefined);
  const tool = ctx.catalog.tool(input.toolName, pinned);
  if (tool !== undefined) return tool;
  const known = ctx.catalog.tool(input.toolName) !== undefined;
  throw new GatewayError('tool_not_found', known ? `${input.toolName} has no version ${pinned}.` : `No tool named "${input.toolName}"; list them with GET /api/v1/tools.`, {
    details: { tool_name: input.toolName, ...(pinned === undefined ? {} : { tool_version: pinned }) },
  });
}

function targetOf(input: ExecuteToolInput, tool: CatalogTool): CallTarget {
  const t = input.target;
  if ('accountId' in t) return { id: t.accountId };
  if ('connectionName' in t) return { connectionName: t.connectionName, identifier: t.identifier, organizationId: t.organizationId, userId: t.userId };
  return { identifier: t.identifier, provider: tool.provider };
}

function assertUsable(resolved: CachedAccount, tool: CatalogTool): void {
  const { account, connection } = resolved;
  if (connection.provider !== tool.provider) {
    throw new GatewayError('tool_not_for_account', `${tool.name} is a ${tool.provider} tool; account ${account.id} is on ${connection.provider} (connection "${connection.name}").`, {
      details: { tool_provider: tool.provider, account_provider: connection.provider },
    });
  }
  assertActive(resolved);
}

function parseBody(response: UpstreamResponse): unknown {
  if (response.body.length === 0) return undefined;
  const text = response.body.toString('utf8');
  const type = response.headers['content-type'] ?? '';
  // JSON when the provider says so, or says nothing and it looks like JSON; text/csv stays text even if it parses.
  if (type.includes('json') || (type === '' && /^\s*[[{]/.test(text))) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

const hostOf = (url: string) => new URL(url).host;

/** One attempt sequence with the given credentials. */
async function call(ctx: DomainContext, tool: CatalogTool, resolved: CachedAccount, params: Record<string, unknown>, executionId: string, timing: CallTiming) {
  const http = buildToolRequest(tool, params);
  const { connector, credentials } = resolved;
  const request = applyCredentials({
    connector,
    credentials: credentials!,
    apiConfig: resolved.apiConfig,
    path: http.path,
    method: http.method,
    query: http.query,
    headers: { Accept: 'application/json', ...http.headers },
    ...(http.body === undefined ? {} : { body: http.body }),
  }, resolved.memo);
  return sendWithRetries(ctx.tools, request, { idempotent: tool.annotations.idempotent_hint, executionId, host: hostOf(request.url) }, timing);
}

/** Some providers echo the credential they refused ("Invalid token: xoxb-..."): never pass it on or log it. */
function withoutSecrets(message: string, resolved: CachedAccount): string {
  const credentials = resolved.credentials;
  if (credentials === null) return message;
  const secrets = credentials.kind === 'oauth_token' ? [credentials.access_token, credentials.refresh_token, credentials.id_token] : Object.values(credentials.fields);
  let out = message;
  for (const secret of secrets) if (secret !== undefined && secret.length >= 6) out = out.split(secret).join('[redacted]');
  return out;
}

function upstreamFailure(tool: CatalogTool, resolved: CachedAccount, response: UpstreamResponse, body: unknown, executionId: string, attempts: number): GatewayError {
  const kind = kindOfStatus(response.status);
  const providerCode = providerCodeOf(body);
  const message = withoutSecrets(providerMessageOf(body, `The provider answered HTTP ${response.status}.`), resolved);
  const extra: Record<string, unknown> = { attempts };
  let fix = 'Check the parameters against the tool’s input schema and the provider’s message.';
  if (kind === 'forbidden') {
    const granted = new Set(resolved.account.scopes);
    const missing = tool.required_scopes.some((s) => granted.has(s)) ? [] : tool.required_scopes;
    extra['required_scopes'] = tool.required_scopes;
    extra['missing_scopes'] = missing;
    fix =
      missing.length > 0
        ? `The account lacks a scope ${tool.name} needs (one of: ${missing.join(', ')}). Add it to the connection's scopes and send the user a new authorization link.`
        : 'The provider refused access to this resource (the account has a suitable scope): check the user’s permissions on it at the provider.';
  } else if (kind === 'rate_limited') {
    const wait = retryAfterSeconds(response.headers, Date.now());
    if (wait !== undefined) extra['retry_after_seconds'] = Math.ceil(wait);
    fix = 'The provider is rate limiting this account or app; wait and retry with backoff, or use your own OAuth app (BYOC) for a higher quota.';
  } else if (kind === 'unauthorized') {
    fix = resolved.account.authorizationType === 'OAUTH' ? 'The user must authorize again: send them a new authorization link (POST /api/v1/connected_accounts/magic_link).' : 'The stored credential was refused; update it (PUT /api/v1/connected_accounts) or send the user a new authorization link.';
  } else if (kind === 'upstream_error') {
    fix = 'The provider failed; retry later. Writes were not retried automatically.';
  } else if (kind === 'not_found') {
    fix = 'The provider has no such resource; check the ids passed in the parameters.';
  }
  return toolError({ kind, tier: 'provider', executionId, upstreamStatus: response.status, providerCode, message, fix, extra });
}

/** A 200 that is a refusal: `ok: false` (Slack) or a non-empty GraphQL `errors` list (Linear). */
function inBandError(shaping: CatalogTool['response'], body: unknown): { code: string | null; message: string } | undefined {
  if (shaping.ok_path !== undefined && readPath(body, shaping.ok_path) === false) {
    const code = shaping.error_path === undefined ? null : String(readPath(body, shaping.error_path) ?? '') || null;
    return { code, message: code ?? 'error' };
  }
  if (shaping.errors_path !== undefined) {
    const errors = readPath(body, shaping.errors_path);
    if (Array.isArray(errors) && errors.length > 0) {
      return { code: providerCodeOf(body), message: providerMessageOf(body, 'error') };
    }
  }
  return undefined;
}

/** APIs mark the last page with an absent, null or empty cursor; the LLM sees only "absent". */
function dropEmptyCursor(tool: CatalogTool, data: unknown): void {
  const key = tool.pagination?.output;
  if (key === undefined || data === null || typeof data !== 'object') return;
  const value = (data as Record<string, unknown>)[key];
  if (value === null || value === '') delete (data as Record<string, unknown>)[key];
}

export async function executeTool(ctx: DomainContext, environmentId: string, input: ExecuteToolInput): Promise<ExecuteToolResult> {
  const executionId = newId('exec');
  const timing: CallTiming = { startedMs: Date.now(), attempts: 0 };
  const startedAt = ctx.clock();
  let tool: CatalogTool | undefined;
  let resolved: CachedAccount | undefined;
  let upstreamStatus: number | null = null;
  let params: Record<string, unknown> | undefined;
  // Read before the call so the log record is written synchronously with the answer (a read of the
  // logs right after the answer must see it); cached, so no database round trip in the steady state.
  const environment = await ctx.tools.environment(environmentId);
  const log = (outcome: { data?: unknown; error?: GatewayError }) => {
    const failure = outcome.error;
    const tier = failure === undefined ? null : failure.code === 'tool_error' ? ((failure.details?.['tier'] as 'provider' | 'platform' | undefined) ?? 'provider') : 'platform';
    ctx.tools.callLog.record({
      executionId,
      environmentId,
      agentRunId: input.agentRunId ?? null,
      toolName: input.toolName,
      toolVersion: tool?.tool_version ?? null,
      provider: tool?.provider ?? null,
      connectedAccountId: resolved?.account.id ?? ('accountId' in input.target ? input.target.accountId : null),
      connectionId: resolved?.connection.id ?? null,
      connectionName: resolved?.connection.name ?? ('connectionName' in input.target ? input.target.connectionName : null),
      identifier: resolved?.account.identifier ?? ('identifier' in input.target ? input.target.identifier : null),
      source: input.source,
      status: failure === undefined ? 'SUCCESS' : 'FAILED',
      errorTier: tier,
      errorCode: failure === undefined ? null : ((failure.details?.['tool_error'] as { kind?: string } | undefined)?.kind ?? failure.code),
      errorMessage: failure?.message.slice(0, 500) ?? null,
      upstreamStatus,
      attempts: timing.attempts,
      durationMs: Date.now() - timing.startedMs,
      startedAt,
      payload: environment.settings.tool_call_payloads_enabled ? { params: params ?? input.params, ...(outcome.data === undefined ? {} : { data: outcome.data }) } : null,
    });
  };

  try {
    tool = findTool(ctx, input);
    resolved = await resolveAccount(ctx, environmentId, targetOf(input, tool));
    assertUsable(resolved, tool);
    params = checkParams(tool, input.params);
    resolved = await freshAccount(ctx, environmentId, resolved);
    assertUsable(resolved, tool);
    const checked = params;
    const outcome = await sendRefreshingOn401(ctx, environmentId, resolved, (account) => call(ctx, tool!, account, checked, executionId, timing));
    resolved = outcome.resolved;
    const response = outcome.response;
    upstreamStatus = response.status;
    const body = parseBody(response);
    if (response.status < 200 || response.status >= 300) {
      if (response.status >= 300 && response.status < 400) {
        throw toolError({ kind: 'upstream_error', tier: 'provider', executionId, upstreamStatus: response.status, providerCode: null, message: `The provider answered with a redirect (HTTP ${response.status}); redirects are not followed.`, fix: 'Check api_config.base_url: it should be the API’s final address.' });
      }
      throw upstreamFailure(tool, resolved, response, body, executionId, timing.attempts);
    }
    const shaping = tool.response;
    const refusal = inBandError(shaping, body);
    if (refusal !== undefined) {
      const unauthorized = refusal.code !== null && shaping.unauthorized_codes.includes(refusal.code);
      throw toolError({
        kind: unauthorized ? 'unauthorized' : 'bad_request',
        tier: 'provider',
        executionId,
        upstreamStatus: response.status,
        providerCode: refusal.code,
        message: `The provider refused the call: ${refusal.message}.`,
        fix: unauthorized ? 'The provider refused the account’s credential; send the user a new authorization link (POST /api/v1/connected_accounts/magic_link).' : 'Check the parameters and the provider error code.',
        extra: { attempts: timing.attempts },
      });
    }
    const data = body === undefined ? (shapeResponse(shaping.empty, { body: {}, headers: response.headers }) ?? {}) : shapeResponse(shaping.shape, { body, headers: response.headers });
    dropEmptyCursor(tool, data);
    log({ data });
    return { data, executionId };
  } catch (error) {
    if (error instanceof GatewayError) {
      log({ error });
      throw error;
    }
    log({ error: new GatewayError('server_error') });
    throw error;
  }
}
