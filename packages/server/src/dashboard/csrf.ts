/**
 * @module CSRF defence of every dashboard POST: the browser must vouch that the form came from our own
 * origin, and the form must carry the token bound to the session (or, for sign-in, to the browser).
 *
 * The origin rule is the gateway's one for every form (`http/origin-check.ts`).
 */
import type { FastifyRequest } from 'fastify';
import { originVerdict, type OriginVerdict } from '../http/origin-check.ts';
import { sameToken } from './session.ts';

/** The name of the hidden field every dashboard form posts its token in. */
export const CSRF_FIELD = 'csrf_token';

export type CsrfVerdict = OriginVerdict | { ok: false; reason: 'bad_token' };

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
