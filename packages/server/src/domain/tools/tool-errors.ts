/**
 * @module Upstream failures as `tool_error`: the HTTP status mirrors the failure class (401 the end
 * user's authorization, 403 a missing scope, 429 rate limited, 504 timeout, 502 anything else from
 * the provider), `details.tier` says whose side failed, and `details.fix` names the next step.
 */
import { GatewayError } from '../../errors.ts';

export type ToolErrorKind =
  | 'unauthorized'
  | 'forbidden'
  | 'rate_limited'
  | 'not_found'
  | 'bad_request'
  | 'conflict'
  | 'upstream_error'
  | 'timeout'
  | 'network'
  | 'tls'
  | 'response_too_large'
  | 'blocked';

export type ErrorTier = 'provider' | 'platform';

const STATUS: Record<ToolErrorKind, number> = {
  unauthorized: 401,
  forbidden: 403,
  rate_limited: 429,
  not_found: 404,
  bad_request: 400,
  conflict: 409,
  upstream_error: 502,
  timeout: 504,
  network: 502,
  tls: 502,
  response_too_large: 502,
  blocked: 502,
};

export interface ToolErrorInput {
  readonly kind: ToolErrorKind;
  readonly tier: ErrorTier;
  readonly executionId: string;
  readonly upstreamStatus: number | null;
  readonly providerCode: string | null;
  readonly message: string;
  readonly fix: string;
  readonly extra?: Readonly<Record<string, unknown>>;
}

export function toolError(input: ToolErrorInput): GatewayError {
  return new GatewayError('tool_error', input.message, {
    status: STATUS[input.kind],
    details: {
      tier: input.tier,
      fix: input.fix,
      // The shared error handler turns details.retry_after into an HTTP Retry-After header.
      ...(typeof input.extra?.['retry_after_seconds'] === 'number' ? { retry_after: input.extra['retry_after_seconds'] } : {}),
      tool_error: {
        execution_id: input.executionId,
        kind: input.kind,
        upstream_status: input.upstreamStatus,
        provider_code: input.providerCode,
        message: input.message,
        ...input.extra,
      },
    },
  });
}

export function kindOfStatus(status: number): ToolErrorKind {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 429) return 'rate_limited';
  if (status === 404 || status === 410) return 'not_found';
  if (status === 409) return 'conflict';
  if (status >= 400 && status < 500) return 'bad_request';
  return 'upstream_error';
}

const first = (...values: unknown[]): string | null => {
  for (const value of values) if ((typeof value === 'string' && value !== '') || typeof value === 'number') return String(value);
  return null;
};

/** The provider's own error code, from the error shapes common APIs use (Google, Slack, GitHub, Jira, Salesforce, Stripe...). */
export function providerCodeOf(body: unknown): string | null {
  if (body === null || typeof body !== 'object') return null;
  const b = body as Record<string, any>;
  const item = Array.isArray(body) ? (body[0] as Record<string, any> | undefined) : undefined;
  return first(
    typeof b['error'] === 'string' ? b['error'] : undefined,
    b['error']?.status,
    b['error']?.code,
    b['error']?.type,
    b['code'],
    b['error_code'],
    b['errorCode'],
    b['errors']?.[0]?.code,
    b['errors']?.[0]?.extensions?.code,
    item?.['errorCode'],
  );
}

/** A short provider message (never our secrets: it is the provider's text about its own refusal). */
export function providerMessageOf(body: unknown, fallback: string): string {
  if (typeof body === 'string') return body.slice(0, 300) || fallback;
  if (body === null || typeof body !== 'object') return fallback;
  const b = body as Record<string, any>;
  const item = Array.isArray(body) ? (body[0] as Record<string, any> | undefined) : undefined;
  const text = first(
    b['error']?.message,
    b['error_description'],
    b['message'],
    b['errorMessages']?.[0],
    b['errors']?.[0]?.message,
    b['detail'],
    item?.['message'],
    typeof b['error'] === 'string' ? b['error'] : undefined,
  );
  return (text ?? fallback).slice(0, 300);
}

/** Seconds to wait from Retry-After (seconds or HTTP date) or the common reset headers (delta or epoch seconds). */
export function retryAfterSeconds(headers: Readonly<Record<string, string>>, nowMs: number): number | undefined {
  const retryAfter = headers['retry-after'];
  if (retryAfter !== undefined) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, (date - nowMs) / 1000);
  }
  const reset = headers['x-ratelimit-reset'] ?? headers['ratelimit-reset'] ?? headers['x-rate-limit-reset'];
  if (reset !== undefined && Number.isFinite(Number(reset))) {
    const value = Number(reset);
    // Epoch seconds (GitHub) versus a delta (IETF RateLimit-Reset): epochs are far larger than any sane delta.
    return Math.max(0, value > 1e9 ? value - nowMs / 1000 : value);
  }
  return undefined;
}
