/** @module Signed, environment-bound bearer tokens (JWT, HS256) for the management API. */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { decodeJwtPart, encodeJwtPart, splitJwt } from '../jwt-compact.ts';

export interface BearerClaims {
  readonly iss: string;
  /** The API credential's client id. */
  readonly sub: string;
  /** The environment the token may act in; every query is scoped by it. */
  readonly env: string;
  readonly iat: number;
  readonly exp: number;
  readonly jti: string;
}

export interface SigningKey {
  readonly id: string;
  readonly secret: Buffer;
}

export function signBearer(claims: BearerClaims, key: SigningKey): string {
  const header = encodeJwtPart({ alg: 'HS256', typ: 'JWT', kid: key.id });
  const payload = encodeJwtPart(claims);
  const signature = createHmac('sha256', key.secret).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

export type VerifyResult = { ok: true; claims: BearerClaims } | { ok: false; reason: 'malformed' | 'unknown_key' | 'bad_signature' | 'expired' | 'wrong_issuer' };

/** Verifies structure, key, signature, issuer and expiry (in that order; signature before trusting any claim). */
export function verifyBearer(token: string, keys: ReadonlyMap<string, Buffer>, expected: { issuer: string; nowSeconds: number }): VerifyResult {
  const parts = splitJwt(token);
  if (parts === undefined) return { ok: false, reason: 'malformed' };
  const { header } = parts;
  // Only HS256: never let the token choose its own algorithm ("alg: none" and key-confusion attacks).
  if (header['alg'] !== 'HS256' || typeof header['kid'] !== 'string') return { ok: false, reason: 'malformed' };
  const secret = keys.get(header['kid']);
  if (secret === undefined) return { ok: false, reason: 'unknown_key' };
  const expectedSignature = createHmac('sha256', secret).update(parts.signingInput).digest();
  const given = Buffer.from(parts.signatureText, 'base64url');
  if (given.length !== expectedSignature.length || !timingSafeEqual(given, expectedSignature)) return { ok: false, reason: 'bad_signature' };
  const claims = decodeJwtPart(parts.payloadText) as Partial<BearerClaims> | undefined;
  if (claims === undefined) return { ok: false, reason: 'malformed' };
  if (typeof claims.env !== 'string' || typeof claims.sub !== 'string' || typeof claims.exp !== 'number') return { ok: false, reason: 'malformed' };
  if (claims.iss !== expected.issuer) return { ok: false, reason: 'wrong_issuer' };
  if (claims.exp <= expected.nowSeconds) return { ok: false, reason: 'expired' };
  return { ok: true, claims: claims as BearerClaims };
}

export function newSigningSecret(): Buffer {
  return randomBytes(32);
}
