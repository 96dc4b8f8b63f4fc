/** @module Random tokens and their hashes: what the browser holds never equals what the database holds. */
import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, URL-safe. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The stored form of a bearer value (link token, state, binding cookie, verification id). */
export function hashToken(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('base64url');
}
