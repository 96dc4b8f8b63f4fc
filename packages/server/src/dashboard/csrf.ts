/**
 * @module CSRF defence of every dashboard POST: the browser must vouch that the form came from our own
 * origin, and the form must carry the token bound to the session (or, for sign-in, to the browser).
 *
 * Dashboard pages send `Referrer-Policy: no-referrer`, under which Chrome posts same-origin forms
 * with `Origin: null`; `Sec-Fetch-Site: same-origin`, which no page script can set, then vouches for
 * it (the hosted credential form does the same). A request carrying neither header is refused: every
 * browser that runs the dashboard sends at least one of them on a form POST.
 */
import type { FastifyRequest } from 'fastify';
import { sameToken } from './session.ts';

/** The name of the hidden field every dashboard form posts its token in. */
export const CSRF_FIELD = 'csrf_token';

export type CsrfVerdict = { ok: true } | { ok: false; reason: 'cross_site' | 'no_origin' | 'bad_token' };

/** Whether the browser says the POST comes from a page of `publicOrigin`. */
export function originVerdict(request: FastifyRequest, publicOrigin: string): CsrfVerdict {
  const origin = request.headers.origin;
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') return { ok: false, reason: 'cross_site' };
  if (origin !== undefined && origin !== publicOrigin && !(origin === 'null' && site === 'same-origin')) return { ok: false, reason: 'cross_site' };
  if (origin === undefined && site === undefined) return { ok: false, reason: 'no_origin' };
  return { ok: true };
}

/** The posted token, if the body is a form with exactly one. */
export function postedToken(body: unknown): string | undefined {
  const value = (body as Record<string, unknown> | undefined)?.[CSRF_FIELD];
  return typeof value === 'string' ? value : undefined;
}

/** Origin check first, then the synchronizer token (compared in constant time). */
export function checkCsrf(request: FastifyRequest, publicOrigin: string, expected: string): CsrfVerdict {
  const origin = originVerdict(request, publicOrigin);
  if (!origin.ok) return origin;
  const posted = postedToken(request.body);
  if (posted === undefined || !sameToken(posted, expected)) return { ok: false, reason: 'bad_token' };
  return { ok: true };
}
