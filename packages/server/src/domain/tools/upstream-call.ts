/**
 * @module Sending one tool's request upstream with the retry rules of reference §5.3–5.4: a 429
 * waits out Retry-After (when short enough) and tries again; 5xx, timeouts and network failures are
 * retried only for idempotent tools, never for writes (a POST that timed out may have happened);
 * everything else comes back at once. Every attempt shares one deadline.
 */
import { OutboundError } from '../outbound/safe-fetch.ts';
import type { CallTiming } from './execution.ts';
import type { ToolRuntime, UpstreamRequest, UpstreamResponse } from './runtime.ts';
import { retryAfterSeconds, toolError, type ToolErrorKind } from './tool-errors.ts';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface SendOptions {
  readonly idempotent: boolean;
  readonly executionId: string;
  readonly host: string;
}

const OUTBOUND_KIND: Record<string, ToolErrorKind> = {
  timeout: 'timeout',
  network: 'network',
  tls: 'tls',
  response_too_large: 'response_too_large',
  blocked_address: 'blocked',
  bad_scheme: 'blocked',
  bad_header: 'blocked',
};

/** The fix a transport failure's tool_error carries (diagnose repeats it for the same failure). */
export const OUTBOUND_FIX: Record<ToolErrorKind, string> = {
  timeout: 'The provider did not answer in time; try again later, or raise AGENTGATE_TOOL_TIMEOUT_MS for slow APIs.',
  network: 'The provider could not be reached; check its status, the base URL (api_config.base_url) and the gateway host’s network.',
  tls: 'Trust the certificate issuer: set AGENTGATE_EXTRA_CA_CERTS to the PEM bundle of your corporate or private CA.',
  response_too_large: 'Ask for less: use the tool’s paging or filter parameters.',
  blocked: 'The API address is loopback, private or otherwise not public; fix api_config.base_url, or for local development only run with AGENTGATE_ALLOW_PRIVATE_UPSTREAMS=true.',
  unauthorized: '',
  forbidden: '',
  rate_limited: '',
  not_found: '',
  bad_request: '',
  conflict: '',
  upstream_error: '',
};

function outboundFailure(error: OutboundError, options: SendOptions, timing: CallTiming) {
  const kind = OUTBOUND_KIND[error.reason] ?? 'network';
  // A TLS trust problem or a blocked address is the deployment's to fix; the rest is the provider's side.
  const tier = kind === 'tls' || kind === 'blocked' ? 'platform' : 'provider';
  return toolError({ kind, tier, executionId: options.executionId, upstreamStatus: null, providerCode: error.code ?? null, message: error.message, fix: OUTBOUND_FIX[kind], extra: { attempts: timing.attempts } });
}

/** Sends with retries; returns the final upstream response (any status), or throws a `tool_error` for transport failures. */
export async function sendWithRetries(runtime: ToolRuntime, request: Omit<UpstreamRequest, 'timeoutMs' | 'maxResponseBytes'>, options: SendOptions, timing: CallTiming): Promise<UpstreamResponse> {
  const deadline = timing.startedMs + runtime.timeoutMs;
  for (;;) {
    timing.attempts++;
    const remaining = deadline - Date.now();
    let response: UpstreamResponse;
    try {
      if (remaining <= 0) throw new OutboundError('timeout', `${options.host} did not answer within ${runtime.timeoutMs} ms.`);
      response = await runtime.upstream.request({ ...request, timeoutMs: remaining, maxResponseBytes: runtime.maxResponseBytes });
    } catch (error) {
      if (!(error instanceof OutboundError)) throw error;
      const transient = error.reason === 'timeout' || error.reason === 'network';
      if (transient && options.idempotent && timing.attempts < runtime.maxAttempts && deadline - Date.now() > 50) {
        await sleep(backoffMs(timing.attempts));
        continue;
      }
      throw outboundFailure(error, options, timing);
    }
    if (timing.attempts >= runtime.maxAttempts) return response;
    if (response.status === 429) {
      const waitS = retryAfterSeconds(response.headers, Date.now()) ?? backoffMs(timing.attempts) / 1000;
      const waitMs = Math.ceil(waitS * 1000);
      // The request was refused, not processed, so waiting and repeating is safe for writes too.
      if (waitMs <= runtime.maxRetryWaitMs && Date.now() + waitMs < deadline) {
        await sleep(waitMs);
        continue;
      }
      return response;
    }
    if (response.status >= 500 && options.idempotent && deadline - Date.now() > 50) {
      await sleep(backoffMs(timing.attempts));
      continue;
    }
    return response;
  }
}

/** 100 ms, 200 ms, 400 ms... with full jitter, so replicas retrying together spread out. */
function backoffMs(attempt: number): number {
  const cap = 100 * 2 ** (attempt - 1);
  return Math.round(cap / 2 + Math.random() * (cap / 2));
}
