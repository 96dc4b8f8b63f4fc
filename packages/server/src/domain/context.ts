/** @module What every domain operation needs, passed explicitly (no globals, no process.env). */
import type { Catalog } from '../catalog/load-catalog.ts';
import type { Store } from './ports.ts';
import type { Vault } from './vault/vault.ts';

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
