/**
 * @module Dashboard sessions: a signed cookie, accepted by every replica, ended by revoking its credential.
 *
 * Signing in checks the API credential exactly as `POST /oauth/token` does (same secret check, same
 * failure limiter: `machineAuth.issueToken`), then sets a cookie holding a short JWT (HS256) signed
 * with a key derived from the environment-wide signing key every replica loads from the database. No
 * replica keeps session state, so a cookie issued by one is accepted by all of them.
 *
 * The derived key and its own issuer keep the two kinds of token apart: an API bearer token is not a
 * session cookie, and a session cookie is not an API bearer token. The credential behind a session is
 * read on every request (dashboard traffic is small), so revoking it ends its sessions at once.
 *
 * Signing out clears the cookie in that browser; a copy of the cookie taken before stays valid until it
 * expires ({@link SESSION_TTL_SECONDS}) or its credential is revoked (stateless by design: no table).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { DomainContext } from '../domain/context.ts';
import { loadSigningKey } from '../domain/machine-auth/machine-auth.ts';
import { signBearer, verifyBearer, type SigningKey } from '../domain/machine-auth/bearer-token.ts';
import type { Environment } from '../domain/model.ts';

/** A session lasts a working day; then the developer signs in again. */
export const SESSION_TTL_SECONDS = 12 * 3600;

export interface DashboardSession {
  readonly environment: Environment;
  readonly clientId: string;
  /** The synchronizer token every POST form of this session must carry (see csrf.ts). */
  readonly csrfToken: string;
  readonly expiresAt: Date;
}

export interface SessionCodec {
  /** A new session value for the cookie. */
  issue(input: { environmentId: string; clientId: string }): string;
  /** The session the cookie value stands for, or undefined (bad, expired, revoked, environment gone). */
  verify(value: string | undefined): Promise<DashboardSession | undefined>;
  /** A CSRF token bound to nothing but this browser's sign-in form (keyed by a random nonce). */
  signInToken(nonce: string): string;
}

const KEY_LABEL = 'agentgate dashboard session v1';

function deriveKey(key: SigningKey): SigningKey {
  return { id: 'dashboard_1', secret: createHmac('sha256', key.secret).update(KEY_LABEL).digest() };
}

export function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function createSessionCodec(ctx: DomainContext): Promise<SessionCodec> {
  const key = deriveKey(await loadSigningKey(ctx.store, ctx.vault, ctx.clock()));
  const keys = new Map([[key.id, key.secret]]);
  const issuer = `${ctx.publicUrl}/dashboard`;
  const mac = (label: string, value: string) => createHmac('sha256', key.secret).update(`${label}\u0000${value}`).digest('base64url');

  return {
    issue({ environmentId, clientId }) {
      const iat = Math.floor(ctx.clock().getTime() / 1000);
      return signBearer({ iss: issuer, sub: clientId, env: environmentId, iat, exp: iat + SESSION_TTL_SECONDS, jti: randomBytes(12).toString('base64url') }, key);
    },

    async verify(value) {
      if (value === undefined || value === '' || value.length > 2048) return undefined;
      const result = verifyBearer(value, keys, { issuer, nowSeconds: Math.floor(ctx.clock().getTime() / 1000) });
      if (!result.ok) return undefined;
      const { sub, env, exp, jti } = result.claims;
      const credential = await ctx.store.credentials.findById(sub);
      if (credential === undefined || credential.revokedAt !== null || credential.environmentId !== env) return undefined;
      const environment = await ctx.store.environments.findById(env);
      if (environment === undefined) return undefined;
      return { environment, clientId: sub, csrfToken: mac('csrf', jti), expiresAt: new Date(exp * 1000) };
    },

    signInToken(nonce) {
      return mac('sign-in', nonce);
    },
  };
}
