/**
 * @module Counts failed token requests per key (client id, address) in a sliding minute.
 * In memory, per process: with N replicas an attacker gets at most N× the budget, which still turns
 * a brute force against 256-bit secrets from hopeless into more hopeless. No Redis needed.
 */
export class FailureLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly limit: number, private readonly windowMs = 60_000) {}

  /** Seconds until the key may try again, or 0 when it may try now. */
  retryAfter(key: string, nowMs: number): number {
    const recent = this.recent(key, nowMs);
    if (recent.length < this.limit) return 0;
    const oldest = recent[0] ?? nowMs;
    return Math.max(1, Math.ceil((oldest + this.windowMs - nowMs) / 1000));
  }

  fail(key: string, nowMs: number): void {
    const recent = this.recent(key, nowMs);
    recent.push(nowMs);
    this.failures.set(key, recent);
    if (this.failures.size > 10_000) this.sweep(nowMs);
  }

  private recent(key: string, nowMs: number): number[] {
    return (this.failures.get(key) ?? []).filter((t) => t > nowMs - this.windowMs);
  }

  private sweep(nowMs: number): void {
    for (const [key, times] of this.failures) if (times.every((t) => t <= nowMs - this.windowMs)) this.failures.delete(key);
  }
}
