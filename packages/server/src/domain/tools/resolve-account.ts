/**
 * @module The account a call acts as, from the hot-path cache when it can be: by id, by connection
 * name + identifier, or by identifier alone when exactly one account of the tool's connector has it.
 */
import { GatewayError } from '../../errors.ts';
import { AccountCache, type CachedAccount } from '../accounts/account-cache.ts';
import { findAccount, type AccountLocator } from '../accounts/accounts.ts';
import { openCredentials } from '../accounts/authorization-details.ts';
import type { DomainContext } from '../context.ts';

export type CallTarget = AccountLocator | { readonly identifier: string; readonly provider: string };

async function fill(ctx: DomainContext, environmentId: string, locator: AccountLocator): Promise<CachedAccount> {
  const generation = ctx.tools.cache.generation;
  const { account, connection } = await findAccount(ctx, environmentId, locator);
  const connector = ctx.catalog.get(connection.provider);
  if (connector === undefined) throw new GatewayError('unknown_provider', `Connector "${connection.provider}" of connection "${connection.name}" is no longer in the catalog.`);
  const credentials = account.credentialsSealed === null ? null : openCredentials(ctx.vault, account.id, account.credentialsSealed);
  const value: CachedAccount = { account, connection, connector, credentials, apiConfig: { ...connection.apiConfig, ...account.apiConfig }, memo: {} };
  ctx.tools.cache.set(value, generation);
  return value;
}

export async function resolveAccount(ctx: DomainContext, environmentId: string, target: CallTarget): Promise<CachedAccount> {
  const cache = ctx.tools.cache;
  if ('id' in target) return cache.get(environmentId, target.id) ?? fill(ctx, environmentId, target);
  if ('connectionName' in target) {
    const plain = target.organizationId === undefined && target.userId === undefined;
    const id = plain ? cache.idForKey(AccountCache.keyOf(environmentId, target.connectionName, target.identifier)) : undefined;
    const hit = id === undefined ? undefined : cache.get(environmentId, id);
    // The key index names no organization or user: an org- or user-scoped account with the same
    // identifier (cached by an id lookup) shares the key and must not answer a plain lookup.
    if (hit !== undefined && hit.connection.name === target.connectionName && hit.account.identifier === target.identifier && hit.account.organizationId === '' && hit.account.userId === '') return hit;
    return fill(ctx, environmentId, target);
  }
  const matches = await ctx.store.accounts.list(environmentId, { identifier: target.identifier, provider: target.provider }, { limit: 3 });
  if (matches.length === 0) {
    throw new GatewayError('connected_account_not_found', `No ${target.provider} account has identifier "${target.identifier}"; create one or pass connected_account_id.`);
  }
  if (matches.length > 1) {
    throw new GatewayError('account_ambiguous', `Several ${target.provider} accounts have identifier "${target.identifier}"; pass connection_name (or connected_account_id) too.`);
  }
  return fill(ctx, environmentId, { id: (matches[0] as { id: string }).id });
}

/** Forgets the cached account and loads it again (after a refresh wrote new tokens). */
export function reloadAccount(ctx: DomainContext, environmentId: string, accountId: string): Promise<CachedAccount> {
  ctx.tools.cache.invalidateAccount(accountId);
  return fill(ctx, environmentId, { id: accountId });
}

const STATUS_FIX: Record<string, string> = {
  PENDING_AUTH: 'the user has not finished authorizing yet. Send them an authorization link (POST /api/v1/connected_accounts/magic_link).',
  PENDING_VERIFICATION: 'the user authorized but your app has not verified them yet. Call POST /api/v1/connected_accounts/user/verify.',
  EXPIRED: 'its authorization expired or was revoked. Send the user a new authorization link (POST /api/v1/connected_accounts/magic_link).',
  DISCONNECTED: 'it was disconnected. Send the user a new authorization link (POST /api/v1/connected_accounts/magic_link) to connect again.',
};

/** Only an ACTIVE account on an enabled connection acts; the error names the status, its fix and the link call to make. */
export function assertActive(resolved: CachedAccount): void {
  const { account, connection } = resolved;
  if (!connection.enabled) throw new GatewayError('connection_disabled', `Connection "${connection.name}" is disabled; enable it with PATCH /api/v1/connections/${connection.id}:enable.`);
  if (account.status !== 'ACTIVE' || resolved.credentials === null) {
    throw new GatewayError('account_not_active', `Account ${account.id} is ${account.status}: ${STATUS_FIX[account.status] ?? 'it cannot be used.'}`, {
      details: {
        connected_account_id: account.id,
        status: account.status,
        fix: STATUS_FIX[account.status],
        authorization_link: { method: 'POST', path: '/api/v1/connected_accounts/magic_link', body: { connection_name: connection.name, identifier: account.identifier } },
      },
    });
  }
}
