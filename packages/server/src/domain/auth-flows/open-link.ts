/** @module Resolving a link token from the browser into its account, connection and connector. */
import type { Connector } from '../../catalog/connector-schema.ts';
import type { DomainContext } from '../context.ts';
import type { AuthorizationLink, ConnectedAccount, Connection } from '../model.ts';
import { ConnectFlowError } from './flow-error.ts';
import { hashToken } from './secrets.ts';

export interface OpenedLink {
  readonly link: AuthorizationLink;
  readonly account: ConnectedAccount;
  readonly connection: Connection;
  readonly connector: Connector;
}

/** Everything a link page needs, or the reason the link cannot be used (nothing is consumed here). */
export async function openLink(ctx: DomainContext, token: string): Promise<OpenedLink> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) throw new ConnectFlowError('invalid_link', 'This link is not valid. Ask the app that sent it for a new one.');
  const link = await ctx.store.links.findByTokenHash(hashToken(token));
  if (link === undefined) throw new ConnectFlowError('invalid_link', 'This link is not valid. Ask the app that sent it for a new one.');
  if (link.usedAt !== null) throw new ConnectFlowError('link_already_used', 'This link was already used. Links work once; ask the app for a new one.');
  if (link.expiresAt.getTime() <= ctx.clock().getTime()) throw new ConnectFlowError('link_expired', 'This link has expired. Ask the app for a new one.');
  const view = await ctx.store.accounts.findWithConnection(link.environmentId, link.connectedAccountId);
  if (view === undefined) throw new ConnectFlowError('invalid_link', 'The account this link was made for no longer exists.');
  const connector = ctx.catalog.get(view.connection.provider);
  if (connector === undefined) throw new ConnectFlowError('invalid_link', `The connector "${view.connection.provider}" is not available on this gateway.`);
  if (!view.connection.enabled) throw new ConnectFlowError('connection_disabled', `The ${connector.display_name} connection is disabled by the app's administrator.`);
  return { link, account: view.account, connection: view.connection, connector };
}
