/** @module One refresh_token grant at the provider, through oauth4webapi, classified permanent or transient. */
import * as oauth from 'oauth4webapi';
import type { Connector } from '../../catalog/connector-schema.ts';
import type { DomainContext } from '../context.ts';
import type { Connection } from '../model.ts';
import { endpointsOf } from '../auth-flows/authorization-url.ts';
import { partiesFor, tokensOf, type ExchangedTokens } from '../auth-flows/oauth-client.ts';

export type RefreshCallResult =
  | { readonly kind: 'ok'; readonly tokens: ExchangedTokens }
  /** The grant is dead (revoked, expired, wrong client): retrying cannot help. */
  | { readonly kind: 'permanent'; readonly reason: string }
  /** Network, timeout, 5xx, 429: the grant may be fine; try again later. */
  | { readonly kind: 'transient'; readonly reason: string; readonly retryAfterSeconds?: number };

const PERMANENT = new Set(['invalid_grant', 'unauthorized_client', 'invalid_client', 'unsupported_grant_type', 'invalid_scope']);

export async function callRefresh(
  ctx: DomainContext,
  input: { connection: Connection; connector: Connector; refreshToken: string; signal: AbortSignal },
): Promise<RefreshCallResult> {
  const { connection, connector } = input;
  if (connection.clientSecretSealed === null || connection.oauthConfig.client_id === undefined) {
    return { kind: 'permanent', reason: 'connection_not_configured' };
  }
  const parties = partiesFor(ctx, endpointsOf(connection, connector), {
    clientId: connection.oauthConfig.client_id,
    clientSecret: ctx.vault.decrypt(connection.clientSecretSealed, { table: 'connections', id: connection.id, field: 'client_secret' }),
  });
  try {
    const response = await oauth.refreshTokenGrantRequest(parties.as, parties.client, parties.auth, input.refreshToken, { ...parties.options, signal: input.signal });
    if (response.status === 429 || response.status >= 500) {
      const retryAfter = Number(response.headers.get('retry-after'));
      await response.body?.cancel();
      return { kind: 'transient', reason: `http_${response.status}`, ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterSeconds: retryAfter } : {}) };
    }
    const result = await oauth.processRefreshTokenResponse(parties.as, parties.client, response);
    return {
      kind: 'ok',
      tokens: tokensOf(result),
    };
  } catch (error) {
    if (error instanceof oauth.ResponseBodyError) {
      return PERMANENT.has(error.error) ? { kind: 'permanent', reason: error.error } : { kind: 'transient', reason: error.error };
    }
    const name = error instanceof Error ? error.name : 'error';
    return { kind: 'transient', reason: name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'network' };
  }
}
