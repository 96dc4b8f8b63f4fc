/**
 * @module token-cache — holds the client-credentials bearer token and renews it single-flight.
 */

/** One token as the token endpoint issued it. */
export interface IssuedToken {
  accessToken: string
  /** Lifetime in seconds (`expires_in`). */
  expiresIn: number
}

/**
 * Caches a bearer token until shortly before it expires. Concurrent callers that find no valid
 * token share one fetch, so a burst of calls at start-up (or after expiry) costs one round trip
 * to `/oauth/token` instead of one per call — the token endpoint is rate limited per client id.
 *
 * @example
 * ```ts
 * const cache = new TokenCache(() => fetchToken())
 * const token = await cache.get()
 * // the server answered 401 for `token`: drop it so the next get() fetches a new one
 * cache.invalidate(token)
 * ```
 */
export class TokenCache {
  readonly #fetchToken: () => Promise<IssuedToken>
  readonly #now: () => number
  #token: { value: string; renewAt: number } | undefined
  #inflight: Promise<string> | undefined

  constructor(fetchToken: () => Promise<IssuedToken>, now: () => number = Date.now) {
    this.#fetchToken = fetchToken
    this.#now = now
  }

  /**
   * A valid token, fetched if needed.
   *
   * @example
   * ```ts
   * headers.authorization = `Bearer ${await cache.get()}`
   * ```
   */
  get(): Promise<string> {
    if (this.#token && this.#now() < this.#token.renewAt) return Promise.resolve(this.#token.value)
    this.#inflight ??= this.#renew().finally(() => {
      this.#inflight = undefined
    })
    return this.#inflight
  }

  /**
   * Forgets `token` if it is still the cached one. Callers that raced on the same 401 then share
   * the one renewal instead of each throwing away the token another caller just fetched.
   *
   * @example
   * ```ts
   * cache.invalidate(rejectedToken)
   * ```
   */
  invalidate(token: string): void {
    if (this.#token?.value === token) this.#token = undefined
  }

  async #renew(): Promise<string> {
    const issued = await this.#fetchToken()
    const lifetimeMs = Math.max(0, issued.expiresIn * 1000)
    // Renew a little early (10% of the lifetime, at most a minute) so a token does not expire
    // between being read here and being checked by the server.
    const margin = Math.min(60_000, lifetimeMs * 0.1)
    this.#token = { value: issued.accessToken, renewAt: this.#now() + lifetimeMs - margin }
    return issued.accessToken
  }
}
