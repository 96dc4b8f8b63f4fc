/** @module Opaque, stable page tokens over time-ordered ids. */
import { GatewayError } from '../errors.ts';
import type { PageWindow } from './ports.ts';

export interface PageRequest {
  readonly pageSize: number;
  readonly pageToken?: string | undefined;
}

export interface Page<T> {
  readonly items: T[];
  readonly nextPageToken: string;
  readonly prevPageToken: string;
}

function encode(direction: 'a' | 'b', id: string): string {
  return Buffer.from(JSON.stringify({ [direction]: id })).toString('base64url');
}

/** Reads a page token; anything not made by `encode` is a 400, never a silent first page. */
export function decodePageToken(token: string | undefined, pageSize: number): PageWindow {
  if (token === undefined || token === '') return { limit: pageSize };
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (typeof parsed['a'] === 'string') return { after: parsed['a'], limit: pageSize };
    if (typeof parsed['b'] === 'string') return { before: parsed['b'], limit: pageSize };
  } catch {
    // fall through to the error below
  }
  throw new GatewayError('validation_failed', 'page_token is not a token this API issued.', {
    details: { issues: [{ path: 'page_token', message: 'invalid page token' }] },
  });
}

/**
 * Fetches one row more than asked to learn whether another page exists in the direction of travel.
 * Ids grow with time, so a token pointing at an id stays valid while rows are added or removed.
 */
export async function paginate<T extends { id: string }>(
  request: PageRequest,
  fetch: (window: PageWindow) => Promise<T[]>,
): Promise<Page<T>> {
  const window = decodePageToken(request.pageToken, request.pageSize);
  const rows = await fetch({ ...window, limit: request.pageSize + 1 });
  const backwards = window.before !== undefined;
  const more = rows.length > request.pageSize;
  // Backwards windows come back in display order; the extra row is the first one.
  const items = more ? (backwards ? rows.slice(1) : rows.slice(0, request.pageSize)) : rows;
  const first = items[0];
  const last = items[items.length - 1];
  const hasNext = backwards ? true : more;
  const hasPrev = backwards ? more : window.after !== undefined;
  return {
    items,
    nextPageToken: hasNext && last !== undefined ? encode('a', last.id) : '',
    prevPageToken: hasPrev && first !== undefined ? encode('b', first.id) : '',
  };
}
