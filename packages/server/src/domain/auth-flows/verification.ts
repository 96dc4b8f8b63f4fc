/**
 * @module User verification: the developer confirms that the person who came back from the provider
 * is the user the link was made for. Only then do the tokens become the account's (SEC-03, ATK-14).
 */
import { GatewayError } from '../../errors.ts';
import { setAccountStatus } from '../accounts/accounts.ts';
import type { DomainContext } from '../context.ts';
import { accountEventData, recordEvent } from '../events/record-event.ts';
import type { AuthRequest } from '../model.ts';
import { endpointsOf } from './authorization-url.ts';
import { pendingTokensContext } from './callback.ts';
import { partiesFor, revokeToken, type ExchangedTokens } from './oauth-client.ts';
import { promoteTokens, successUrl } from './promote-tokens.ts';
import { hashToken } from './secrets.ts';

interface PendingTokens {
  readonly tokens: ExchangedTokens;
  readonly scopes: string[];
}

function notFound(): GatewayError {
  return new GatewayError('auth_request_not_found', 'No pending verification with that auth_request_id: it is unknown, was already used, or expired. Send the user a new authorization link.');
}

/**
 * Forgets the held tokens, revokes them at the provider where it can, and puts the account back
 * where it was if the flow had parked it in PENDING_VERIFICATION.
 */
async function discard(ctx: DomainContext, request: AuthRequest, reason: string): Promise<void> {
  const now = ctx.clock();
  const sealed = request.pendingTokensSealed;
  await ctx.store.authRequests.update({ ...request, status: 'failed', errorCode: reason, pendingTokensSealed: null, verificationHash: null, updatedAt: now });
  const view = await ctx.store.accounts.findWithConnection(request.environmentId, request.connectedAccountId);
  if (view === undefined) return;
  if (request.previousStatus !== null && request.previousStatus !== 'ACTIVE') {
    await setAccountStatus(ctx, request.environmentId, view.account.id, request.previousStatus, ['PENDING_VERIFICATION']);
  }
  await recordEvent(
    ctx.store,
    {
      environmentId: request.environmentId,
      type: 'connected_account.verification_failed',
      object: 'ConnectedAccount',
      connectedAccountId: view.account.id,
      connection: view.connection,
      data: { ...accountEventData(view.account, view.connection), reason },
    },
    now,
  );
  const connector = ctx.catalog.get(view.connection.provider);
  if (sealed === null || connector?.oauth === undefined || view.connection.clientSecretSealed === null) return;
  const pending = JSON.parse(ctx.vault.decrypt(sealed, pendingTokensContext(request.id))) as PendingTokens;
  const parties = partiesFor(ctx, endpointsOf(view.connection, connector), {
    clientId: view.connection.oauthConfig.client_id ?? '',
    clientSecret: ctx.vault.decrypt(view.connection.clientSecretSealed, { table: 'connections', id: view.connection.id, field: 'client_secret' }),
  });
  await revokeToken(parties, pending.tokens.refresh_token ?? pending.tokens.access_token);
}

export async function verifyUser(
  ctx: DomainContext,
  environmentId: string,
  input: { authRequestId: string; identifier: string },
): Promise<{ postUserVerifyRedirectUrl: string }> {
  const hash = hashToken(input.authRequestId);
  const found = await ctx.store.authRequests.findByVerificationHash(environmentId, hash);
  if (found === undefined) throw notFound();
  // Claiming clears the hash atomically: the same id can be redeemed once, whatever the outcome.
  const request = await ctx.store.authRequests.claimVerification(found.id, hash);
  if (request === undefined || request.pendingTokensSealed === null) throw notFound();
  if (request.verifyExpiresAt === null || request.verifyExpiresAt.getTime() <= ctx.clock().getTime()) {
    await discard(ctx, request, 'verification_expired');
    throw notFound();
  }
  const link = await ctx.store.links.findById(request.linkId);
  if (link === undefined || link.identifier !== input.identifier) {
    await discard(ctx, request, 'verification_identifier_mismatch');
    throw new GatewayError(
      'verification_identifier_mismatch',
      'The signed-in user is not the one this authorization link was created for; nothing was connected and the tokens were discarded.',
    );
  }
  const pending = JSON.parse(ctx.vault.decrypt(request.pendingTokensSealed, pendingTokensContext(request.id))) as PendingTokens;
  const view = await promoteTokens(ctx, { environmentId, accountId: request.connectedAccountId, tokens: pending.tokens, scopes: pending.scopes });
  await ctx.store.authRequests.update({ ...request, status: 'completed', pendingTokensSealed: null, updatedAt: ctx.clock() });
  return { postUserVerifyRedirectUrl: successUrl(ctx, view.connection.provider) };
}

/** Discards tokens whose verification window closed; safe to run on every replica at once. */
export async function expirePendingVerifications(ctx: DomainContext, limit = 50): Promise<number> {
  const expired = await ctx.store.authRequests.listExpiredPending(ctx.clock(), limit);
  let discarded = 0;
  for (const request of expired) {
    if (request.verificationHash === null) continue;
    const claimed = await ctx.store.authRequests.claimVerification(request.id, request.verificationHash);
    if (claimed === undefined) continue; // another replica or a verify call took it
    await discard(ctx, claimed, 'verification_expired');
    discarded++;
  }
  return discarded;
}
