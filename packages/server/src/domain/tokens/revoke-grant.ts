/**
 * @module Revoking a user's grant at the provider (RFC 7009) when the account is disconnected or deleted.
 * Best effort: the user's action has already happened; the outcome is recorded as an event.
 */
import { openCredentials } from '../accounts/authorization-details.ts';
import type { AccountView } from '../accounts/accounts.ts';
import { endpointsOf } from '../auth-flows/authorization-url.ts';
import { partiesFor, revokeToken } from '../auth-flows/oauth-client.ts';
import type { DomainContext } from '../context.ts';
import { accountEventData, recordEvent } from '../events/record-event.ts';

export type RevocationOutcome = 'revoked' | 'failed' | 'not_supported' | 'nothing_to_revoke';

export async function revokeGrant(ctx: DomainContext, view: AccountView): Promise<RevocationOutcome> {
  const { account, connection } = view;
  const connector = ctx.catalog.get(connection.provider);
  let outcome: RevocationOutcome;
  if (account.authorizationType !== 'OAUTH' || account.credentialsSealed === null) outcome = 'nothing_to_revoke';
  else if (connector?.oauth === undefined || connection.clientSecretSealed === null || endpointsOf(connection, connector).revokeUrl === undefined) outcome = 'not_supported';
  else {
    try {
      const credentials = openCredentials(ctx.vault, account.id, account.credentialsSealed);
      const token = credentials.kind === 'oauth_token' ? (credentials.refresh_token ?? credentials.access_token) : undefined;
      const parties = partiesFor(ctx, endpointsOf(connection, connector), {
        clientId: connection.oauthConfig.client_id ?? '',
        clientSecret: ctx.vault.decrypt(connection.clientSecretSealed, { table: 'connections', id: connection.id, field: 'client_secret' }),
      });
      // Revoking the refresh token ends the whole grant at providers that follow RFC 7009 §2.1.
      const revoked = token === undefined ? false : await Promise.race([revokeToken(parties, token), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 5000).unref())]);
      outcome = revoked ? 'revoked' : 'failed';
    } catch {
      outcome = 'failed';
    }
  }
  if (outcome !== 'nothing_to_revoke') {
    await recordEvent(
      ctx.store,
      {
        environmentId: account.environmentId,
        type: 'connected_account.provider_revocation',
        object: 'ConnectedAccount',
        connectedAccountId: account.id,
        connection,
        data: { ...accountEventData(account, connection), outcome },
      },
      ctx.clock(),
    );
  }
  return outcome;
}
