/**
 * @module One end user's standing on an MCP config (reference §1.9 ListMcpConnectedAccounts): for
 * each mapping, the user's account and its status, and on request an authorization link for every
 * mapping that is not ACTIVE yet (creating the account in PENDING_AUTH when it is missing).
 */
import { GatewayError } from '../../errors.ts';
import { createAuthorizationLink } from '../auth-flows/links.ts';
import type { DomainContext } from '../context.ts';
import type { AccountStatus } from '../model.ts';
import { findMcpConfig } from './configs.ts';

export interface McpAccountState {
  readonly connectionName: string;
  /** Null when the mapped connection no longer exists. */
  readonly connectionId: string | null;
  readonly provider: string | null;
  /** Null when the user has no account on the connection (and no link was asked for). */
  readonly connectedAccountId: string | null;
  readonly status: AccountStatus | null;
  /** A fresh link for a mapping that is not ACTIVE, when asked for; otherwise null. */
  readonly authorizationLink: { readonly link: string; readonly expiry: Date } | null;
}

export async function mcpConnectedAccounts(
  ctx: DomainContext,
  environmentId: string,
  configId: string,
  input: { identifier: string; includeAuthLink: boolean; userVerifyUrl?: string | undefined },
): Promise<McpAccountState[]> {
  const config = await findMcpConfig(ctx, environmentId, configId);
  const userVerifyUrl = input.userVerifyUrl ?? config.userVerifyUrl ?? undefined;
  const environment = input.includeAuthLink ? await ctx.store.environments.findById(environmentId) : undefined;
  if (environment !== undefined && environment.settings.user_verification === 'custom' && userVerifyUrl === undefined) {
    throw new GatewayError('validation_failed', `Authorization links need a user_verify_url here: the environment verifies users (settings.user_verification = custom). Pass user_verify_url, or set it on MCP config "${config.name}".`, {
      details: { issues: [{ path: 'user_verify_url', message: 'required with include_auth_link when user_verification is custom (or set it on the config)' }] },
    });
  }
  const connections = new Map((await ctx.store.connections.findByNames(environmentId, config.mappings.map((m) => m.connectionName))).map((c) => [c.name, c]));
  const states: McpAccountState[] = [];
  for (const mapping of config.mappings) {
    const connection = connections.get(mapping.connectionName);
    if (connection === undefined) {
      states.push({ connectionName: mapping.connectionName, connectionId: null, provider: null, connectedAccountId: null, status: null, authorizationLink: null });
      continue;
    }
    let account = await ctx.store.accounts.findByKey(environmentId, { connectionId: connection.id, identifier: input.identifier, organizationId: '', userId: '' });
    let authorizationLink: McpAccountState['authorizationLink'] = null;
    // PENDING_VERIFICATION: the user already authorized and waits for the app's verify call; a new link
    // would restart the flow and land them back in verification.
    if (environment !== undefined && account?.status !== 'ACTIVE' && account?.status !== 'PENDING_VERIFICATION') {
      const minted = await createAuthorizationLink(ctx, environment, { locator: { connectionName: connection.name, identifier: input.identifier }, userVerifyUrl });
      account = minted.view.account;
      authorizationLink = { link: minted.link, expiry: minted.expiry };
    }
    states.push({
      connectionName: connection.name,
      connectionId: connection.id,
      provider: connection.provider,
      connectedAccountId: account?.id ?? null,
      status: account?.status ?? null,
      authorizationLink,
    });
  }
  return states;
}
