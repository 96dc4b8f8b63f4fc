/** @module Authorization links: minted by the developer's backend, opened once by the end user. */
import { GatewayError } from '../../errors.ts';
import { newId } from '../../ids.ts';
import { createAccount, findAccount, type AccountLocator, type AccountView } from '../accounts/accounts.ts';
import { connectionStatus } from '../connections/connections.ts';
import type { DomainContext } from '../context.ts';
import { accountEventData, recordEvent } from '../events/record-event.ts';
import type { AuthorizationLink, Environment } from '../model.ts';
import { assertAllowedRedirect } from './redirect-allowlist.ts';
import { hashToken, randomToken } from './secrets.ts';

export interface LinkRequest {
  readonly locator: AccountLocator;
  readonly developerState?: string | undefined;
  readonly userVerifyUrl?: string | undefined;
}

export interface MintedLink {
  readonly link: string;
  readonly expiry: Date;
  readonly view: AccountView;
}

/** The account the link is for: found, or created in PENDING_AUTH (concurrent creators converge). */
async function accountFor(ctx: DomainContext, environmentId: string, locator: AccountLocator): Promise<AccountView> {
  if ('id' in locator) return findAccount(ctx, environmentId, locator);
  try {
    return await findAccount(ctx, environmentId, locator);
  } catch (error) {
    if (!(error instanceof GatewayError) || error.code !== 'connected_account_not_found') throw error;
  }
  try {
    return await createAccount(ctx, environmentId, locator);
  } catch (error) {
    if (error instanceof GatewayError && error.code === 'already_exists') return findAccount(ctx, environmentId, locator);
    throw error;
  }
}

/**
 * Mints a single-use link for one account. The account's status is left as it is: an ACTIVE account
 * keeps working until the user actually completes a new authorization.
 */
export async function createAuthorizationLink(ctx: DomainContext, environment: Environment, request: LinkRequest): Promise<MintedLink> {
  const userVerifyUrl =
    request.userVerifyUrl === undefined
      ? undefined
      : assertAllowedRedirect(request.userVerifyUrl, environment.settings.allowed_redirect_origins, ctx.flow.allowLoopbackRedirects);
  const view = await accountFor(ctx, environment.id, request.locator);
  const { connection, account } = view;
  if (!connection.enabled) throw new GatewayError('connection_disabled', `Connection "${connection.name}" is disabled; enable it first.`);
  if (connectionStatus(connection) !== 'COMPLETED') {
    throw new GatewayError('connection_not_configured', `Connection "${connection.name}" has no OAuth client id or secret; set them with PATCH /api/v1/connections/${connection.name}.`);
  }
  const now = ctx.clock();
  const token = randomToken();
  const link: AuthorizationLink = {
    id: newId('link', now.getTime()),
    environmentId: environment.id,
    tokenHash: hashToken(token),
    connectedAccountId: account.id,
    connectionId: connection.id,
    identifier: account.identifier,
    developerState: request.developerState ?? null,
    userVerifyUrl: userVerifyUrl ?? null,
    expiresAt: new Date(now.getTime() + ctx.flow.linkTtlSeconds * 1000),
    usedAt: null,
    createdAt: now,
  };
  await ctx.store.transaction(async (tx) => {
    await tx.links.insert(link);
    await recordEvent(
      tx,
      {
        environmentId: environment.id,
        type: 'connected_account.magic_link_generated',
        object: 'ConnectedAccount',
        connectedAccountId: account.id,
        connection,
        data: { ...accountEventData(account, connection), link_expires_at: link.expiresAt.toISOString() },
      },
      now,
    );
  });
  return { link: `${ctx.publicUrl}/connect/link/${token}`, expiry: link.expiresAt, view };
}
