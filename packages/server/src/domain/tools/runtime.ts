/** @module What tool execution and the proxy need beyond the domain context: the hot-path cache, the outbound client and the log writer. */
import type { AccountCache } from '../accounts/account-cache.ts';
import type { Environment } from '../model.ts';
import type { ToolCallLogWriter } from './call-log.ts';
import type { OutboundRequest, OutboundResponse } from '../outbound/outbound-client.ts';

/** What one upstream call sends and receives: the outbound client's own shapes. */
export type { OutboundRequest as UpstreamRequest, OutboundResponse as UpstreamResponse } from '../outbound/outbound-client.ts';

/** The keep-alive, SSRF-guarded client of `outbound/outbound-client.ts`. */
export interface Upstream {
  request(request: OutboundRequest): Promise<OutboundResponse>;
}

export interface ToolRuntime {
  readonly cache: AccountCache;
  readonly upstream: Upstream;
  readonly callLog: ToolCallLogWriter;
  /** Environment settings with a short TTL (proxy switch, payload logging). */
  environment(environmentId: string): Promise<Environment>;
  /** Whole-call deadline, retries included (AGENTGATE_TOOL_TIMEOUT_MS). */
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  /** Upstream attempts per call, first one included. */
  readonly maxAttempts: number;
  /** The longest Retry-After the gateway waits out itself; longer ones go back to the caller. */
  readonly maxRetryWaitMs: number;
}
