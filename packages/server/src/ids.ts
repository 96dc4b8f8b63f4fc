/** @module Prefixed, time-ordered, unguessable identifiers (`ca_01j…`). */
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lower case

export type IdPrefix = 'env' | 'cli' | 'conn' | 'ca' | 'evt' | 'key' | 'link' | 'ar' | 'exec';

/**
 * A new id: 10 characters of millisecond time then 16 random characters (80 bits).
 * Time first so that ordering by id is ordering by creation, which keeps cursor pages stable.
 * @example newId('ca') // 'ca_01jd3k9x7q…'
 */
export function newId(prefix: IdPrefix, now = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = randomBytes(16);
  let random = '';
  for (const b of bytes) random += ALPHABET[b % 32];
  return `${prefix}_${time}${random}`;
}

/** Whether a string has the shape of an id of this prefix (cheap pre-check before a lookup). */
export function looksLikeId(prefix: IdPrefix, value: string): boolean {
  return value.startsWith(`${prefix}_`) && /^[a-z]+_[0-9a-z]{26}$/.test(value);
}
