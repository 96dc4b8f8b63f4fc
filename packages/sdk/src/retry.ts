/**
 * @module retry — the backoff schedule for 503 answers.
 */

/** Tuning of the 503 retry loop. */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number
  /** Delay before jitter for attempt 0; doubles per attempt. */
  baseMs: number
  /** Upper bound of a single delay before jitter, and of an acceptable `Retry-After`. */
  maxMs: number
  /** Source of randomness in [0, 1); injectable so the jitter range can be tested exactly. */
  random: () => number
}

/**
 * The production schedule: 3 retries, `min(1000·2^attempt, 30000) × [0.5, 1)` ms.
 *
 * @example
 * ```ts
 * const policy = { ...DEFAULT_RETRY_POLICY, baseMs: 10 } // fast tests
 * ```
 */
export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxRetries: 3,
  baseMs: 1000,
  maxMs: 30_000,
  random: Math.random,
})

/**
 * Delay before retry number `attempt` (0-based). Jitter keeps many clients that saw the same
 * outage from coming back in lockstep; the 0.5 floor keeps the backoff meaningful.
 *
 * @example
 * ```ts
 * backoffDelay(2, DEFAULT_RETRY_POLICY) // between 2000 and 4000 ms
 * ```
 */
export function backoffDelay(attempt: number, policy: Pick<RetryPolicy, 'baseMs' | 'maxMs' | 'random'>): number {
  const ceiling = Math.min(policy.baseMs * 2 ** attempt, policy.maxMs)
  return ceiling * (0.5 + policy.random() * 0.5)
}

/**
 * Resolves after `ms` milliseconds.
 *
 * @example
 * ```ts
 * await sleep(100)
 * ```
 */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
