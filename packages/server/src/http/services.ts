/** @module What route handlers are given: the domain context plus the few server-level services. */
import type { DomainContext } from '../domain/context.ts';
import type { MachineAuth } from '../domain/machine-auth/machine-auth.ts';

export interface HttpServices {
  readonly ctx: DomainContext;
  readonly machineAuth: MachineAuth;
  /** Throws when the database does not answer. */
  readonly ping: () => Promise<void>;
}
