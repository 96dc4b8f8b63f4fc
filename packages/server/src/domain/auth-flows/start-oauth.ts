/** @module Starting the OAuth leg: consume the link, pin the flow's parameters, send the browser away. */
import * as oauth from 'oauth4webapi';
import { newId } from '../../ids.ts';
import type { DomainContext } from '../context.ts';
import { redirectUriOf } from '../connections/connections.ts';
import type { AuthRequest } from '../model.ts';
import { authorizationUrl, endpointsOf, scopesOf } from './authorization-url.ts';
import { ConnectFlowError } from './flow-error.ts';
import { openLink } from './open-link.ts';
import { hashToken, randomToken } from './secrets.ts';

export interface StartedFlow {
  readonly authorizeUrl: string;
  /** The browser-binding cookie: set on the browser that started the flow, checked at the callback. */
  readonly binding: { readonly name: string; readonly value: string; readonly maxAgeSeconds: number };
}

export const verifierContext = (authRequestId: string) => ({ table: 'auth_requests', id: authRequestId, field: 'code_verifier' });

/** The binding cookie's name: one per flow, so two flows in two tabs do not overwrite each other. */
export function bindingCookieName(authRequestId: string, secure: boolean): string {
  return `${secure ? '__Host-' : ''}ag_flow_${authRequestId}`;
}

export async function startOAuthFlow(ctx: DomainContext, token: string): Promise<StartedFlow> {
  const { link, connection, connector } = await openLink(ctx, token);
  if (connection.type !== 'OAUTH') throw new ConnectFlowError('invalid_request', 'This link collects credentials with a form, not OAuth.');
  const now = ctx.clock();
  if (!(await ctx.store.links.consume(link.id, now))) {
    throw new ConnectFlowError('link_already_used', 'This link was already used. Links work once; ask the app for a new one.');
  }
  const endpoints = endpointsOf(connection, connector);
  const id = newId('ar', now.getTime());
  const state = randomToken();
  const binding = randomToken();
  const verifier = oauth.generateRandomCodeVerifier();
  const redirectUri = redirectUriOf(ctx, connection);
  const request: AuthRequest = {
    id,
    environmentId: link.environmentId,
    linkId: link.id,
    connectedAccountId: link.connectedAccountId,
    connectionId: connection.id,
    stateHash: hashToken(state),
    bindingHash: hashToken(binding),
    codeVerifierSealed: ctx.vault.encrypt(verifier, verifierContext(id)),
    redirectUri,
    expectedIssuer: endpoints.issuer,
    requestedScopes: scopesOf(connection, connector),
    status: 'started',
    expiresAt: new Date(now.getTime() + ctx.flow.flowTtlSeconds * 1000),
    consumedAt: null,
    verificationHash: null,
    verifyExpiresAt: null,
    pendingTokensSealed: null,
    previousStatus: null,
    errorCode: null,
    createdAt: now,
    updatedAt: now,
  };
  await ctx.store.authRequests.insert(request);
  const url = authorizationUrl(connection, connector, {
    redirectUri,
    state,
    codeChallenge: endpoints.pkce ? await oauth.calculatePKCECodeChallenge(verifier) : undefined,
  });
  return {
    authorizeUrl: url.toString(),
    binding: { name: bindingCookieName(id, ctx.publicUrl.startsWith('https:')), value: binding, maxAgeSeconds: ctx.flow.flowTtlSeconds },
  };
}
