/** @module Prefixed, time-ordered, unguessable identifiers (`ca_01j…`). */
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lower case

export type IdPrefix = 'env' | 'cli' | 'conn' | 'ca' | 'evt' | 'key' | 'link' | 'ar' | 'exec' | 'rfa' | 'whe' | 'whd' | 'cfg';

// One randomBytes call per 4 KiB of ids instead of one per id: ids are minted on every tool call.
let pool = Buffer.alloc(0);
let poolAt = 0;
function nextRandomByte(): number {
  if (poolAt >= pool.length) {
    pool = randomBytes(4096);
    poolAt = 0;
  }
  return pool[poolAt++] as number;
}

/** Ids made in the same millisecond get an increasing sequence, so they still sort in creation order. */
const SEQUENCE_CHARS = 3;
let lastTime = -1;
let sequence = 0;

/**
 * A new id: 10 characters of millisecond time, 3 of a per-millisecond sequence, then 13 random
 * characters (65 bits). Time and sequence first so that ordering by id is ordering by creation
 * (within this process even inside one millisecond, e.g. two events of one transaction), which keeps
 * cursor pages stable and "newest first" exact.
 * @example newId('ca') // 'ca_01jd3k9x7q…'
 */
export function newId(prefix: IdPrefix, now = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  if (now === lastTime) sequence = Math.min(sequence + 1, 32 ** SEQUENCE_CHARS - 1);
  else [lastTime, sequence] = [now, 0];
  let seq = '';
  for (let i = 0, s = sequence; i < SEQUENCE_CHARS; i++, s = Math.floor(s / 32)) seq = ALPHABET[s % 32] + seq;
  let random = '';
  for (let i = 0; i < 16 - SEQUENCE_CHARS; i++) random += ALPHABET[nextRandomByte() % 32];
  return `${prefix}_${time}${seq}${random}`;
}

/** Whether a string has the shape of an id of this prefix (cheap pre-check before a lookup). */
export function looksLikeId(prefix: IdPrefix, value: string): boolean {
  return value.startsWith(`${prefix}_`) && /^[a-z]+_[0-9a-z]{26}$/.test(value);
}
