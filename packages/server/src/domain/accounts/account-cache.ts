/**
 * @module The hot path's memory: connected accounts with their connection and decrypted
 * credentials, so executing a tool or proxying a call needs no database round trip in the steady
 * state. Entries live a short TTL and are dropped the moment this process writes the account or its
 * connection (see `storage/cache-invalidation.ts`) and, on PostgreSQL, when any replica does (a
 * trigger NOTIFYs after commit and every replica LISTENs). While the listener is down the cache is
 * bypassed, so a missed notification can never serve a stale token.
 */
import type { Connector } from '../../catalog/connector-schema.ts';
import type { CredentialMemo } from '../outbound/credential-request.ts';
import type { AccountCredentials, ApiConfig, ConnectedAccount, Connection } from '../model.ts';

export interface CachedAccount {
  readonly account: ConnectedAccount;
  readonly connection: Connection;
  readonly connector: Connector;
  /** Decrypted once per fill; null when the account holds none (PENDING_AUTH...). */
  readonly credentials: AccountCredentials | null;
  /** The connection's `api_config` overlaid with the account's. */
  readonly apiConfig: ApiConfig;
  /** Per-entry memo of the request builder (base URL, credential headers): dropped with the entry. */
  readonly memo: CredentialMemo;
}

interface Entry {
  readonly value: CachedAccount;
  readonly expiresAt: number;
}

export interface AccountCacheOptions {
  readonly ttlMs: number;
  readonly maxEntries: number;
  readonly now?: () => number;
}

export class AccountCache {
  readonly #byId = new Map<string, Entry>();
  /** `env \0 connection name \0 identifier` → account id. */
  readonly #byKey = new Map<string, string>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  /** Bumped by every invalidation: a fill that started before it must not be stored. */
  #generation = 0;
  #enabled = true;

  constructor(options: AccountCacheOptions) {
    this.#ttlMs = options.ttlMs;
    this.#maxEntries = options.maxEntries;
    this.#now = options.now ?? Date.now;
  }

  static keyOf(environmentId: string, connectionName: string, identifier: string): string {
    return `${environmentId}\u0000${connectionName}\u0000${identifier}`;
  }

  get generation(): number {
    return this.#generation;
  }

  get(environmentId: string, accountId: string): CachedAccount | undefined {
    const entry = this.#byId.get(accountId);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.#now() || entry.value.account.environmentId !== environmentId) {
      if (entry.expiresAt <= this.#now()) this.#byId.delete(accountId);
      return undefined;
    }
    return entry.value;
  }

  idForKey(key: string): string | undefined {
    return this.#byKey.get(key);
  }

  /** Stores a fill unless something was invalidated since `generation` was read (the fill may be stale). */
  set(value: CachedAccount, generation: number): void {
    if (!this.#enabled || generation !== this.#generation || this.#ttlMs <= 0) return;
    if (this.#byId.size >= this.#maxEntries) {
      // Oldest insertion first (Map order): a bound, not an LRU; fills are cheap.
      const oldest = this.#byId.keys().next().value;
      if (oldest !== undefined) this.#byId.delete(oldest);
    }
    this.#byId.set(value.account.id, { value, expiresAt: this.#now() + this.#ttlMs });
    if (this.#byKey.size >= this.#maxEntries * 2) this.#byKey.clear();
    this.#byKey.set(AccountCache.keyOf(value.account.environmentId, value.connection.name, value.account.identifier), value.account.id);
  }

  invalidateAccount(accountId: string): void {
    this.#generation++;
    this.#byId.delete(accountId);
  }

  invalidateConnection(connectionId: string): void {
    this.#generation++;
    for (const [id, entry] of this.#byId) if (entry.value.connection.id === connectionId) this.#byId.delete(id);
    // Names may have changed: the key index is rebuilt by later fills.
    this.#byKey.clear();
  }

  clear(): void {
    this.#generation++;
    this.#byId.clear();
    this.#byKey.clear();
  }

  /** Off while cross-replica invalidation is unavailable (listener reconnecting). */
  setEnabled(enabled: boolean): void {
    this.#enabled = enabled;
    // Either way, a fill read while notifications could be missed must not be stored.
    this.clear();
  }

  get size(): number {
    return this.#byId.size;
  }
}
