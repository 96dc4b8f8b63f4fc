/** @module Making a finished authorization the account's credentials (ACTIVE), with its events. */
import { updateAccount, type AccountView } from '../accounts/accounts.ts';
import type { DomainContext } from '../context.ts';
import { accountEventData, recordEvent } from '../events/record-event.ts';
import type { ExchangedTokens } from './oauth-client.ts';

/** Granted scopes are what the provider says it granted (RFC 6749 §3.3), else what was asked for. */
export function grantedScopes(tokens: ExchangedTokens, requested: readonly string[]): string[] {
  if (tokens.scope === undefined || tokens.scope.trim() === '') return [...requested];
  return tokens.scope.split(/[\s,]+/).filter(Boolean);
}

export async function promoteTokens(
  ctx: DomainContext,
  input: { environmentId: string; accountId: string; tokens: ExchangedTokens; scopes: readonly string[] },
): Promise<AccountView> {
  const { tokens } = input;
  const view = await updateAccount(ctx, input.environmentId, { id: input.accountId }, {
    authorizationDetails: {
      oauth_token: {
        access_token: tokens.access_token,
        refresh_token: tokens.refresh_token,
        token_type: tokens.token_type,
        id_token: tokens.id_token,
        expires_in: tokens.expires_in,
        scopes: input.scopes,
      },
    },
    // Merged into the account's api_config (Salesforce's instance_url from this exchange wins).
    ...(tokens.api_config === undefined ? {} : { apiConfig: tokens.api_config }),
  });
  await recordEvent(
    ctx.store,
    {
      environmentId: input.environmentId,
      type: 'connected_account.oauth_succeeded',
      object: 'ConnectedAccount',
      connectedAccountId: view.account.id,
      connection: view.connection,
      data: accountEventData(view.account, view.connection),
    },
    ctx.clock(),
  );
  return view;
}

export function successUrl(ctx: DomainContext, provider: string): string {
  return `${ctx.publicUrl}/connect/success?provider=${encodeURIComponent(provider)}`;
}
