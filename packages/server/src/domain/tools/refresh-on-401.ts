/**
 * @module An upstream 401 on an OAuth account: the token died early (revoked, rotated elsewhere).
 * One forced refresh (single flight, shared with every other caller) and one retry; still 401, and
 * the account is EXPIRED so that the next caller gets `account_not_active` with the link to send.
 */
import { GatewayError } from '../../errors.ts';
import type { CachedAccount } from '../accounts/account-cache.ts';
import { setAccountStatus } from '../accounts/accounts.ts';
import type { DomainContext } from '../context.ts';
import { needsRefresh, refreshAccount } from '../tokens/refresh.ts';
import { reloadAccount } from './resolve-account.ts';
import type { UpstreamResponse } from './runtime.ts';

export interface AuthorizedCall {
  readonly response: UpstreamResponse;
  /** The account as last used (reloaded after a refresh). */
  readonly resolved: CachedAccount;
}

/** Refreshes a token that is about to expire before it is used (reference §5.3 step 2). */
export async function freshAccount(ctx: DomainContext, environmentId: string, resolved: CachedAccount): Promise<CachedAccount> {
  if (resolved.account.authorizationType !== 'OAUTH' || !needsRefresh(ctx, resolved.account)) return resolved;
  await refreshAccount(ctx, environmentId, resolved.account.id, { trigger: 'on_demand', force: false });
  return reloadAccount(ctx, environmentId, resolved.account.id);
}

export async function sendRefreshingOn401(
  ctx: DomainContext,
  environmentId: string,
  resolved: CachedAccount,
  send: (account: CachedAccount) => Promise<UpstreamResponse>,
  options: { readonly expireOnRepeated401: boolean } = { expireOnRepeated401: true },
): Promise<AuthorizedCall> {
  let response = await send(resolved);
  if (response.status !== 401 || resolved.credentials?.kind !== 'oauth_token') return { response, resolved };
  const accountId = resolved.account.id;
  let current = resolved;
  if (resolved.credentials.refresh_token !== undefined) {
    try {
      await refreshAccount(ctx, environmentId, accountId, { trigger: 'upstream_401', force: true });
      current = await reloadAccount(ctx, environmentId, accountId);
      if (current.account.status === 'ACTIVE' && current.credentials !== null) response = await send(current);
    } catch (error) {
      // A refresh that could not happen now (provider down, rate limited, cooling down) says nothing
      // about the grant: the account stays ACTIVE and the caller gets the retryable 503.
      if (!(error instanceof GatewayError) || error.code === 'token_refresh_unavailable') throw error;
      // A refused refresh already made the account EXPIRED; the 401 below is what the caller sees.
    }
  }
  // The proxy reaches arbitrary paths: its 401 may be that path's own rule, not a dead grant, so only
  // tools (known endpoints) expire the account here. A refused refresh has expired it either way.
  if (response.status === 401 && options.expireOnRepeated401) {
    await setAccountStatus(ctx, environmentId, accountId, 'EXPIRED', ['ACTIVE']).catch(() => undefined);
    ctx.tools.cache.invalidateAccount(accountId);
  }
  return { response, resolved: current };
}
