/**
 * @module Sending queued webhook deliveries. Each run leases the due rows it takes (so replicas sharing
 * the database never send one delivery twice), POSTs each through `ctx.outboundFetch` (the SSRF-guarded
 * door every outbound request uses), and records the outcome: 2xx succeeded; anything else is retried
 * on an exponential schedule and, when the schedule runs out, marked failed. Delivery is at least once:
 * a gateway killed after the receiver answered but before the outcome was saved sends again once the
 * lease expires, with the same `webhook-id` (receivers deduplicate on it).
 */
import type { DomainContext } from '../context.ts';
import { OutboundError } from '../outbound/safe-fetch.ts';
import { signingSecrets } from './endpoints.ts';
import { webhookHeaders } from './signing.ts';
import type { DeliveryOutcome, WebhookDelivery } from './webhook-port.ts';

/** Seconds to wait after the 1st, 2nd, … failed attempt; after the last one the delivery fails for good. */
export const DEFAULT_BACKOFF_SECONDS: readonly number[] = [10, 60, 5 * 60, 30 * 60, 2 * 3600, 6 * 3600];
export const DEFAULT_DELIVERY_TIMEOUT_MS = 10_000;
/** A lease outlives the request's timeout by this much, so a slow but live attempt is never taken over. */
const LEASE_MARGIN_MS = 30_000;
/** What is kept of a receiver's error answer in the delivery log. */
const MAX_ERROR_TEXT = 300;

export interface DeliverOptions {
  /** Most deliveries one run takes (default 20). */
  readonly limit?: number;
  /** Retry schedule (tests shorten it); its length is the number of retries. */
  readonly backoffSeconds?: readonly number[];
  /** Deadline of one POST, body included (default 10 s). */
  readonly timeoutMs?: number;
}

export interface DeliverReport {
  readonly attempted: number;
  readonly succeeded: number;
  readonly retrying: number;
  readonly failed: number;
}

type Attempt = { ok: true; statusCode: number } | { ok: false; statusCode: number | null; error: string };

async function post(ctx: DomainContext, url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<Attempt> {
  let response: Response;
  try {
    response = await ctx.outboundFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Agentgate-Webhooks/1', ...headers },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    return { ok: false, statusCode: null, error: describeFailure(error, timeoutMs) };
  }
  if (response.status >= 200 && response.status < 300) {
    // Nothing to read, but the socket is only reusable once the body is drained or dropped.
    await response.body?.cancel().catch(() => undefined);
    return { ok: true, statusCode: response.status };
  }
  const text = await response.text().catch(() => '');
  const excerpt = text.replace(/\s+/g, ' ').trim().slice(0, MAX_ERROR_TEXT);
  return { ok: false, statusCode: response.status, error: `HTTP ${response.status}${excerpt === '' ? '' : `: ${excerpt}`}` };
}

/** Error text for the log: the outbound layer's messages name at most the host, never a header or the secret. */
function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof OutboundError) return error.message;
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return `No answer within ${timeoutMs} ms.`;
  return 'The request failed.';
}

function outcomeOf(delivery: WebhookDelivery, attempt: Attempt, backoff: readonly number[], now: Date): DeliveryOutcome {
  const attempts = delivery.attempts + 1;
  if (attempt.ok) return { status: 'succeeded', attempts, nextAttemptAt: null, lastStatusCode: attempt.statusCode, lastError: null, updatedAt: now };
  const wait = backoff[attempts - 1];
  return {
    status: wait === undefined ? 'failed' : 'pending',
    attempts,
    nextAttemptAt: wait === undefined ? null : new Date(now.getTime() + wait * 1000),
    lastStatusCode: attempt.statusCode,
    lastError: attempt.error,
    updatedAt: now,
  };
}

async function deliverOne(ctx: DomainContext, delivery: WebhookDelivery, leaseUntil: Date, backoff: readonly number[], timeoutMs: number): Promise<DeliveryOutcome['status']> {
  const endpoint = await ctx.store.webhooks.findEndpoint(delivery.environmentId, delivery.endpointId);
  let outcome: DeliveryOutcome;
  if (endpoint === undefined || !endpoint.enabled) {
    // Disabled meanwhile (a deleted endpoint's rows are gone with it): record why instead of sending.
    const now = ctx.clock();
    outcome = { status: 'failed', attempts: delivery.attempts, nextAttemptAt: null, lastStatusCode: null, lastError: 'The endpoint is disabled.', updatedAt: now };
  } else {
    const now = ctx.clock();
    // Serialised at send time: jsonb does not keep key order, but the signature covers these exact bytes.
    const body = JSON.stringify(delivery.payload);
    const headers = webhookHeaders(signingSecrets(ctx.vault, endpoint, now), delivery.eventId, Math.floor(now.getTime() / 1000), body);
    const attempt = await post(ctx, endpoint.url, headers, body, timeoutMs);
    outcome = outcomeOf(delivery, attempt, backoff, ctx.clock());
  }
  // False only if our lease was taken over (we outlived it): the other owner's outcome stands.
  await ctx.store.webhooks.completeAttempt(delivery.id, leaseUntil, outcome);
  return outcome.status;
}

/**
 * Sends the deliveries that are due, at most `limit` of them, concurrently. Safe to run from any
 * number of processes at once.
 */
export async function deliverDueWebhooks(ctx: DomainContext, options: DeliverOptions = {}): Promise<DeliverReport> {
  const { limit = 20, backoffSeconds = DEFAULT_BACKOFF_SECONDS, timeoutMs = DEFAULT_DELIVERY_TIMEOUT_MS } = options;
  const now = ctx.clock();
  const leaseUntil = new Date(now.getTime() + timeoutMs + LEASE_MARGIN_MS);
  const leased = await ctx.store.webhooks.leaseDue(now, leaseUntil, limit);
  const statuses = await Promise.all(
    leased.map((delivery) =>
      // One broken row (say, an undecryptable secret) must not stop the others; its lease simply expires.
      deliverOne(ctx, delivery, leaseUntil, backoffSeconds, timeoutMs).catch(() => 'error' as const),
    ),
  );
  const count = (status: string) => statuses.filter((s) => s === status).length;
  return { attempted: leased.length, succeeded: count('succeeded'), retrying: count('pending'), failed: count('failed') };
}

export interface WebhookWorker {
  /** Stops the timer and waits for a run in progress, so the database can be closed after it. */
  stop(): Promise<void>;
}

/**
 * Runs {@link deliverDueWebhooks} every `intervalMs` on an unref'd timer (it never keeps the process
 * alive). Runs never overlap; a full batch is followed at once by another, up to a bound per tick.
 */
export function startWebhookWorker(ctx: DomainContext, options: { intervalMs: number; onError: (error: unknown) => void; deliver?: DeliverOptions }): WebhookWorker {
  const limit = options.deliver?.limit ?? 20;
  let running: Promise<void> | undefined;
  let stopped = false;
  const tick = async () => {
    for (let batch = 0; batch < 10 && !stopped; batch++) {
      const report = await deliverDueWebhooks(ctx, { ...options.deliver, limit });
      if (report.attempted < limit) break;
    }
  };
  const timer = setInterval(() => {
    if (running !== undefined || stopped) return;
    running = tick()
      .catch(options.onError)
      .finally(() => {
        running = undefined;
      });
  }, options.intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
