/** @module How requests name a connected account: `id`, or connection name (alias `connector`) + identifier. */
import { z } from 'zod';
import type { AccountLocator } from '../domain/accounts/accounts.ts';
import { GatewayError } from '../errors.ts';
import { ConnectionRef, Identifier, ScopeKey } from './inputs.ts';

export const LocatorFields = {
  id: z.string().min(1).max(64).optional(),
  connection_name: ConnectionRef.optional(),
  connector: ConnectionRef.optional(),
  identifier: Identifier.optional(),
  organization_id: ScopeKey,
  user_id: ScopeKey,
};

export const LocatorQuery = z.object(LocatorFields).strict();

interface LocatorInput {
  id?: string | undefined;
  connection_name?: string | undefined;
  connector?: string | undefined;
  identifier?: string | undefined;
  organization_id?: string | undefined;
  user_id?: string | undefined;
}

/** `connector` is the reference API's name for the same thing; both are accepted, never both different. */
export function connectionNameOf(input: { connection_name?: string | undefined; connector?: string | undefined }): string | undefined {
  if (input.connection_name !== undefined && input.connector !== undefined && input.connection_name !== input.connector) {
    throw new GatewayError('validation_failed', 'connection_name and connector (its alias) disagree; send one of them.', {
      details: { issues: [{ path: 'connector', message: 'conflicts with connection_name' }] },
    });
  }
  return input.connection_name ?? input.connector;
}

export function locatorOf(input: LocatorInput): AccountLocator {
  if (input.id !== undefined) return { id: input.id };
  const connectionName = connectionNameOf(input);
  if (connectionName === undefined || input.identifier === undefined) {
    throw new GatewayError('validation_failed', 'Name the account with id, or with connection_name and identifier.', {
      details: { issues: [{ path: input.identifier === undefined ? 'identifier' : 'connection_name', message: 'required when id is not given' }] },
    });
  }
  return { connectionName, identifier: input.identifier, organizationId: input.organization_id, userId: input.user_id };
}
