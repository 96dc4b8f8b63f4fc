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
}
