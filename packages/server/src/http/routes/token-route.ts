/** @module POST /oauth/token: client credentials → environment-bound bearer token. */
import { z } from 'zod';
import { GatewayError } from '../../errors.ts';
import { defineRoute, type RouteSpec } from '../route.ts';
import type { HttpServices } from '../services.ts';

const TokenRequest = z
  .object({
    grant_type: z.string().optional(),
    client_id: z.string().max(256).optional(),
    client_secret: z.string().max(512).optional(),
    scope: z.string().max(1024).optional(),
  })
  .strict();

function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  if (header === undefined || !/^basic /i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  // RFC 6749 §2.3.1: both parts are form-urlencoded inside the Basic header.
  const unescape = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
  try {
    return { id: unescape(decoded.slice(0, colon)), secret: unescape(decoded.slice(colon + 1)) };
  } catch {
    return undefined;
  }
}

export function tokenRoutes(services: HttpServices): RouteSpec[] {
  return [
    defineRoute({
      method: 'POST',
      path: '/oauth/token',
      operationId: 'issueToken',
      summary: 'Exchange an API credential (client_credentials grant, form body or HTTP Basic) for a bearer token.',
      tag: 'auth',
      auth: false,
      acceptsForm: true,
      body: TokenRequest,
      response: z.object({ access_token: z.string(), token_type: z.literal('Bearer'), expires_in: z.number().int() }),
      errors: ['invalid_request', 'unsupported_grant_type', 'invalid_client', 'rate_limited', 'validation_failed'],
      handler: async ({ body, request, reply }) => {
        const basic = basicCredentials(request.headers.authorization);
        if (body.grant_type === undefined) throw new GatewayError('invalid_request', 'grant_type is required (client_credentials).');
        if (body.grant_type !== 'client_credentials') throw new GatewayError('unsupported_grant_type', `grant_type "${body.grant_type}" is not supported; use client_credentials.`);
        const clientId = basic?.id ?? body.client_id;
        const clientSecret = basic?.secret ?? body.client_secret;
        if (clientId === undefined || clientSecret === undefined) {
          throw new GatewayError('invalid_request', 'client_id and client_secret are required (form fields or HTTP Basic).');
        }
        const issued = await services.machineAuth.issueToken({ clientId, clientSecret, address: request.ip });
        void reply.header('cache-control', 'no-store');
        return { access_token: issued.accessToken, token_type: 'Bearer', expires_in: issued.expiresIn };
      },
    }),
  ];
}
