/** @module API credentials: a client id and a secret shown once and stored only as a hash. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { GatewayError } from '../../errors.ts';
import { newId } from '../../ids.ts';
import type { ApiCredential } from '../model.ts';
import type { Store } from '../ports.ts';

/**
 * SHA-256 is enough here: secrets are 256 random bits, so there is nothing for a slow KDF to protect
 * against, and verification stays cheap on the token endpoint.
 */
export function hashSecret(secret: string): string {
  return `sha256:${createHash('sha256').update(secret, 'utf8').digest('base64url')}`;
}

export function secretMatches(secret: string, storedHash: string): boolean {
  const a = Buffer.from(hashSecret(secret));
  const b = Buffer.from(storedHash);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function newClientSecret(): string {
  return `sec_${randomBytes(32).toString('base64url')}`;
}

export interface CreatedCredential {
  readonly credential: ApiCredential;
  /** Shown once; only its hash is stored. */
  readonly clientSecret: string;
}

export async function createCredential(store: Store, input: { environmentId: string; name: string }, now: Date): Promise<CreatedCredential> {
  const clientSecret = newClientSecret();
  const credential: ApiCredential = {
    id: newId('cli', now.getTime()),
    environmentId: input.environmentId,
    name: input.name,
    secretHash: hashSecret(clientSecret),
    createdAt: now,
    revokedAt: null,
    lastUsedAt: null,
  };
  await store.credentials.insert(credential);
  return { credential, clientSecret };
}

/**
 * Seeds the configured admin credential; running it again with the same values changes nothing, a new
 * secret replaces the stored hash, and a revoked credential stays revoked.
 */
export async function seedAdminCredential(
  store: Store,
  input: { environmentId: string; clientId: string; clientSecret: string },
  now: Date,
): Promise<'created' | 'updated' | 'unchanged' | 'revoked'> {
  const existing = await store.credentials.findById(input.clientId);
  if (existing !== undefined && existing.environmentId !== input.environmentId) {
    throw new Error(`AGENTGATE_ADMIN_CLIENT_ID "${input.clientId}" already belongs to another environment`);
  }
  // A revocation is an operator's decision; a restart with the old variables must not undo it.
  if (existing?.revokedAt != null) return 'revoked';
  if (existing !== undefined && secretMatches(input.clientSecret, existing.secretHash)) return 'unchanged';
  await store.credentials.upsert({
    id: input.clientId,
    environmentId: input.environmentId,
    name: 'admin (AGENTGATE_ADMIN_CLIENT_ID)',
    secretHash: hashSecret(input.clientSecret),
    createdAt: now,
    revokedAt: null,
    lastUsedAt: null,
  });
  return existing === undefined ? 'created' : 'updated';
}

export async function revokeCredential(store: Store, id: string, now: Date): Promise<void> {
  const revoked = await store.credentials.revoke(id, now);
  if (!revoked) throw new GatewayError('credential_not_found', `No active API credential "${id}".`);
}
