/**
 * @module Whether the browser vouches that a form POST comes from a page of our own origin: the rule
 * every HTML form of the gateway applies before its CSRF token (the hosted credential form and the
 * dashboard).
 *
 * Our pages send `Referrer-Policy: no-referrer`, under which Chrome posts same-origin forms with
 * `Origin: null`; `Sec-Fetch-Site: same-origin`, which no page script can set, then vouches for it. A
 * request carrying neither header is refused: every browser that shows our pages sends at least one
 * of them on a form POST (and, under no-referrer, no Referer to fall back on).
 */
import type { FastifyRequest } from 'fastify';

export type OriginVerdict = { ok: true } | { ok: false; reason: 'cross_site' | 'no_origin' };

export function originVerdict(request: FastifyRequest, publicOrigin: string): OriginVerdict {
  const origin = request.headers.origin;
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') return { ok: false, reason: 'cross_site' };
  if (origin !== undefined && origin !== publicOrigin && !(origin === 'null' && site === 'same-origin')) return { ok: false, reason: 'cross_site' };
  if (origin === undefined && site === undefined) return { ok: false, reason: 'no_origin' };
  return { ok: true };
}
