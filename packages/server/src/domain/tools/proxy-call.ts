/**
 * @module The API proxy (reference §5.5): a raw call to the connector's API as one connected account.
 * Method, path, query, body and the caller's ordinary headers go through; the gateway injects the
 * credential; the raw upstream answer comes back. Hop-by-hop headers and the caller's own
 * Authorization are never forwarded, and the proxy is off unless the environment turns it on.
 */
import { GatewayError } from '../../errors.ts';
import { newId } from '../../ids.ts';
import type { CachedAccount } from '../accounts/account-cache.ts';
import type { DomainContext } from '../context.ts';
import { applyCredentials } from '../outbound/credential-request.ts';
import type { CallTiming } from './execution.ts';
import { freshAccount, sendRefreshingOn401 } from './refresh-on-401.ts';
import { assertActive, resolveAccount } from './resolve-account.ts';
import type { UpstreamResponse } from './runtime.ts';
import { sendWithRetries } from './upstream-call.ts';

/** RFC 9110 §7.6.1 hop-by-hop headers, plus what identifies the caller to us rather than to the provider. */
const NOT_FORWARDED = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
  'authorization',
  'cookie',
  'connection_name',
  'connection-name',
  'x-connection-name',
  'identifier',
  'x-identifier',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-real-ip',
  'forwarded',
]);

/** Never handed back: framing is ours, and a provider's cookies are not the agent's business. */
const NOT_RETURNED = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'trailer', 'transfer-encoding', 'upgrade', 'content-length', 'set-cookie']);

export interface ProxyInput {
  readonly method: string;
  /** The provider path, after `/proxy`, without the query. */
  readonly path: string;
  /** The raw query string (without `?`), forwarded byte for byte. */
  readonly query: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer | undefined;
  readonly connectionName: string;
  readonly identifier: string;
}

export interface ProxyOutput {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  readonly executionId: string;
}

function forwardedHeaders(headers: ProxyInput['headers']): Record<string, string> {
  // RFC 9110 §7.6.1: the headers the Connection header names are hop-by-hop too.
  const connection = headers['connection'];
  const named = new Set(
    (Array.isArray(connection) ? connection.join(',') : (connection ?? ''))
      .split(',')
      .map((token) => token.trim().toLowerCase())
      .filter(Boolean),
  );
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (value === undefined || NOT_FORWARDED.has(lower) || named.has(lower)) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

export function returnedHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !NOT_RETURNED.has(name)));
}

export async function proxyCall(ctx: DomainContext, environmentId: string, input: ProxyInput): Promise<ProxyOutput> {
  const environment = await ctx.tools.environment(environmentId);
  if (!environment.settings.proxy_enabled) {
    throw new GatewayError('proxy_disabled', 'The API proxy is off for this environment; turn it on with PATCH /api/v1/settings {"proxy_enabled": true}.');
  }
  const executionId = newId('exec');
  const timing: CallTiming = { startedMs: Date.now(), attempts: 0 };
  const startedAt = ctx.clock();
  let resolved: CachedAccount | undefined;
  let response: UpstreamResponse | undefined;
  const log = (error?: GatewayError) =>
    ctx.tools.callLog.record({
      executionId,
      environmentId,
      agentRunId: null,
      toolName: `proxy ${input.method} ${input.path}`.slice(0, 200),
      toolVersion: null,
      provider: resolved?.connection.provider ?? null,
      connectedAccountId: resolved?.account.id ?? null,
      connectionId: resolved?.connection.id ?? null,
      connectionName: input.connectionName,
      identifier: input.identifier,
      source: 'proxy',
      status: error === undefined && response !== undefined && response.status < 400 ? 'SUCCESS' : 'FAILED',
      errorTier: error === undefined ? (response !== undefined && response.status >= 400 ? 'provider' : null) : error.code === 'tool_error' ? ((error.details?.['tier'] as 'provider' | 'platform') ?? 'provider') : 'platform',
      errorCode: error?.code ?? null,
      errorMessage: error?.message.slice(0, 500) ?? null,
      upstreamStatus: response?.status ?? null,
      attempts: timing.attempts,
      durationMs: Date.now() - timing.startedMs,
      startedAt,
      payload: null,
    });
  try {
    // Printable ASCII without `#` (a fragment is never sent); the HTTP parser already refused spaces and controls.
    if (!/^[\x21-\x22\x24-\x7e]*$/.test(input.query)) {
      throw new GatewayError('validation_failed', 'The query string has characters that must be percent-encoded.', { details: { issues: [{ path: 'query', message: 'percent-encode non-ASCII characters and #' }] } });
    }
    resolved = await resolveAccount(ctx, environmentId, { connectionName: input.connectionName, identifier: input.identifier });
    assertActive(resolved);
    resolved = await freshAccount(ctx, environmentId, resolved);
    assertActive(resolved);
    const send = (account: CachedAccount) => {
      const request = applyCredentials({
        connector: account.connector,
        credentials: account.credentials!,
        apiConfig: account.apiConfig,
        path: input.path,
        method: input.method,
        headers: forwardedHeaders(input.headers),
        ...(input.body === undefined || input.body.length === 0 ? {} : { body: new Uint8Array(input.body) }),
      }, account.memo);
      // The query goes as the caller wrote it: re-serializing would turn %20 into +, `flag` into
      // `flag=`, and break providers that sign or compare the query string.
      const url = input.query === '' ? request.url : `${request.url}?${input.query}`;
      // Raw calls are the caller's to retry: only a 429 with a short Retry-After is waited out here.
      return sendWithRetries(ctx.tools, { ...request, url }, { idempotent: false, executionId, host: new URL(request.url).host }, timing);
    };
    const outcome = await sendRefreshingOn401(ctx, environmentId, resolved, send, { expireOnRepeated401: false });
    resolved = outcome.resolved;
    response = outcome.response;
    log();
    return { status: response.status, headers: returnedHeaders(response.headers), body: response.body, executionId };
  } catch (error) {
    // Transport failures arrive as tool_error from sendWithRetries; anything else is ours.
    log(error instanceof GatewayError ? error : new GatewayError('server_error'));
    throw error;
  }
}
