/** @module Machine auth: client credentials → bearer token, and bearer token → environment. */
import { GatewayError } from '../../errors.ts';
import { randomBytes } from 'node:crypto';
import type { Store } from '../ports.ts';
import type { Vault } from '../vault/vault.ts';
import { secretMatches } from '../credentials/credentials.ts';
import { newSigningSecret, signBearer, verifyBearer, type BearerClaims, type SigningKey } from './bearer-token.ts';
import { FailureLimiter } from './failure-limiter.ts';

export interface Caller {
  readonly environmentId: string;
  readonly clientId: string;
}

export interface MachineAuthOptions {
  readonly store: Store;
  readonly vault: Vault;
  readonly issuer: string;
  readonly ttlSeconds: number;
  readonly failureLimit: number;
  readonly clock: () => Date;
}

const SIGNING_KEY_ID = 'key_1';
const SIGNING_KEY_CONTEXT = { table: 'signing_keys', id: SIGNING_KEY_ID, field: 'secret' };
/** How long a credential's "not revoked" answer is trusted before asking the database again. */
const CREDENTIAL_CACHE_MS = 5_000;

export interface MachineAuth {
  issueToken(input: { clientId: string; clientSecret: string; address: string }): Promise<{ accessToken: string; expiresIn: number }>;
  authenticate(token: string): Promise<Caller>;
}

/**
 * Loads (or, on the very first start, creates) the shared signing key. Every replica reads the same
 * row, so a token issued by one replica is accepted by all of them.
 */
export async function loadSigningKey(store: Store, vault: Vault, now: Date): Promise<SigningKey> {
  await store.signingKeys.insertIfAbsent({ id: SIGNING_KEY_ID, secretSealed: vault.encrypt(newSigningSecret().toString('base64'), SIGNING_KEY_CONTEXT), createdAt: now });
  const stored = (await store.signingKeys.list()).find((k) => k.id === SIGNING_KEY_ID);
  if (stored === undefined) throw new Error('signing key missing after insert');
  return { id: SIGNING_KEY_ID, secret: Buffer.from(vault.decrypt(stored.secretSealed, SIGNING_KEY_CONTEXT), 'base64') };
}

export async function createMachineAuth(options: MachineAuthOptions): Promise<MachineAuth> {
  const { store, clock } = options;
  const key = await loadSigningKey(store, options.vault, clock());
  const keys = new Map([[key.id, key.secret]]);
  const limiter = new FailureLimiter(options.failureLimit);
  const activeUntil = new Map<string, number>();
  const verified = new Map<string, BearerClaims>();

  return {
    async issueToken({ clientId, clientSecret, address }) {
      const nowMs = clock().getTime();
      const wait = Math.max(limiter.retryAfter(`client:${clientId}`, nowMs), limiter.retryAfter(`addr:${address}`, nowMs));
      if (wait > 0) throw new GatewayError('rate_limited', `Too many failed attempts; try again in ${wait} s.`, { details: { retry_after: wait } });
      const credential = await store.credentials.findById(clientId);
      if (credential === undefined || credential.revokedAt !== null || !secretMatches(clientSecret, credential.secretHash)) {
        limiter.fail(`client:${clientId}`, nowMs);
        limiter.fail(`addr:${address}`, nowMs);
        throw new GatewayError('invalid_client', 'The client id or secret is wrong, or the credential was revoked.');
      }
      const iat = Math.floor(nowMs / 1000);
      const accessToken = signBearer(
        { iss: options.issuer, sub: credential.id, env: credential.environmentId, iat, exp: iat + options.ttlSeconds, jti: randomBytes(9).toString('base64url') },
        key,
      );
      await store.credentials.touch(credential.id, clock());
      return { accessToken, expiresIn: options.ttlSeconds };
    },

    async authenticate(token) {
      const nowMs = clock().getTime();
      // Every API call verifies the same few tokens: remember the verified claims until the token expires.
      const known = verified.get(token);
      const result = known !== undefined && known.exp * 1000 > nowMs ? ({ ok: true, claims: known } as const) : verifyBearer(token, keys, { issuer: options.issuer, nowSeconds: Math.floor(nowMs / 1000) });
      if (result.ok && known === undefined) {
        if (verified.size >= 10_000) verified.clear();
        verified.set(token, result.claims);
      }
      if (!result.ok) {
        const message = result.reason === 'expired' ? 'The bearer token has expired; fetch a new one from POST /oauth/token.' : 'The bearer token is not valid.';
        throw new GatewayError('invalid_token', message, { details: { reason: result.reason } });
      }
      const { sub, env } = result.claims;
      // A revoked credential's tokens stop working within CREDENTIAL_CACHE_MS on every replica.
      // Cached per (credential, environment) pair, so the environment check is never skipped.
      const cacheKey = `${sub}\u0000${env}`;
      if ((activeUntil.get(cacheKey) ?? 0) < nowMs) {
        const credential = await store.credentials.findById(sub);
        if (credential === undefined || credential.revokedAt !== null || credential.environmentId !== env) {
          activeUntil.delete(cacheKey);
          throw new GatewayError('invalid_token', 'The API credential behind this token was revoked.', { details: { reason: 'revoked' } });
        }
        activeUntil.set(cacheKey, nowMs + CREDENTIAL_CACHE_MS);
      }
      return { environmentId: env, clientId: sub };
    },
  };
}
