/** @module The API half of the hosted flow: authorization links and user verification. */
import { z } from 'zod';
import { createAuthorizationLink } from '../../domain/auth-flows/links.ts';
import { verifyUser } from '../../domain/auth-flows/verification.ts';
import { GatewayError } from '../../errors.ts';
import { LocatorFields, locatorOf } from '../account-inputs.ts';
import { Identifier } from '../inputs.ts';
import { callerOf, defineRoute, type RouteSpec } from '../route.ts';
import type { HttpServices } from '../services.ts';

const LinkBody = z
  .object({
    ...LocatorFields,
    state: z.string().max(2048).optional(),
    user_verify_url: z.string().max(4096).optional(),
  })
  .strict();

const VerifyBody = z.object({ auth_request_id: z.string().min(1).max(256), identifier: Identifier }).strict();

export function flowApiRoutes({ ctx }: HttpServices): RouteSpec[] {
  return [
    defineRoute({
      method: 'POST',
      path: '/api/v1/connected_accounts/magic_link',
      operationId: 'createAuthorizationLink',
      summary: 'Create a single-use authorization link for one account (created in PENDING_AUTH when missing).',
      tag: 'authorization',
      auth: true,
      body: LinkBody,
      response: z.object({ link: z.string(), expiry: z.string(), connected_account_id: z.string() }),
      errors: ['validation_failed', 'connection_not_found', 'connected_account_not_found', 'connection_disabled', 'connection_not_configured', 'invalid_redirect_url'],
      handler: async ({ body, request }) => {
        const environment = await ctx.store.environments.findById(callerOf(request).environmentId);
        if (environment === undefined) throw new GatewayError('invalid_token', 'The environment of this token no longer exists.');
        const minted = await createAuthorizationLink(ctx, environment, {
          locator: locatorOf(body),
          developerState: body.state,
          userVerifyUrl: body.user_verify_url,
        });
        return { link: minted.link, expiry: minted.expiry.toISOString(), connected_account_id: minted.view.account.id };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/v1/connected_accounts/user/verify',
      operationId: 'verifyConnectedAccountUser',
      summary: "Confirm that the person who completed the provider's sign-in is the link's user; promotes the held tokens (ACTIVE).",
      tag: 'authorization',
      auth: true,
      body: VerifyBody,
      response: z.object({ post_user_verify_redirect_url: z.string() }),
      errors: ['validation_failed', 'auth_request_not_found', 'verification_identifier_mismatch'],
      handler: async ({ body, request }) => {
        const result = await verifyUser(ctx, callerOf(request).environmentId, { authRequestId: body.auth_request_id, identifier: body.identifier });
        return { post_user_verify_redirect_url: result.postUserVerifyRedirectUrl };
      },
    }),
  ];
}
