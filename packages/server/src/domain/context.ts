/** @module What every domain operation needs, passed explicitly (no globals, no process.env). */
import type { Catalog } from '../catalog/load-catalog.ts';
import type { Store } from './ports.ts';
import type { Vault } from './vault/vault.ts';
import type { ToolRuntime } from './tools/runtime.ts';

export interface DomainContext {
  readonly store: Store;
  readonly vault: Vault;
  readonly catalog: Catalog;
  readonly clock: () => Date;
  /** Base of redirect URIs and links. */
  readonly publicUrl: string;
  /** Whether loopback/private hosts and plain-http OAuth endpoints may be configured (dev and tests). */
  readonly allowPrivateUpstreams: boolean;
  /** Every outbound HTTP call goes through this: SSRF guard at connect time, no redirects, caps. */
  readonly outboundFetch: typeof fetch;
  readonly flow: FlowSettings;
  readonly refresh: RefreshSettings;
  /**
   * The cross-process refresh lock (default: the database lease). A seam, not a setting: tests replace it
   * with a no-op to prove that the concurrency tests catch the race the lock prevents.
   */
  readonly refreshLock?: RefreshLock;
  readonly tools: ToolRuntime;
}

export interface RefreshSettings {
  /** Refresh when the access token expires within this many seconds. */
  readonly marginSeconds: number;
  /** How long one refresh may hold the account; longer than the provider call's whole budget. */
  readonly leaseSeconds: number;
  /** Refresh tokens unused this long are refreshed anyway, so providers that drop idle grants do not. */
  readonly keepAliveDays: number;
}

export interface RefreshLock {
  acquire(accountId: string, owner: string, leaseMs: number): Promise<boolean>;
  release(accountId: string, owner: string): Promise<void>;
}

export interface FlowSettings {
  readonly linkTtlSeconds: number;
  readonly flowTtlSeconds: number;
  readonly verifyTtlSeconds: number;
  /** Loopback `user_verify_url`s are accepted without being listed (development and tests only). */
  readonly allowLoopbackRedirects: boolean;
  /** Base URL of the docs error pages link to. */
  readonly docsUrl: string;
}
