/**
 * @module The OAuth callback. Order matters: the auth request is consumed BEFORE any check, so a
 * failed attempt can never be retried, and no token request is made until every check has passed.
 */
import type { DomainContext } from '../context.ts';
import { accountEventData, recordEvent } from '../events/record-event.ts';
import type { AuthRequest } from '../model.ts';
import { endpointsOf } from './authorization-url.ts';
import { ConnectFlowError } from './flow-error.ts';
import { recordFlowFailure } from './record-flow-failure.ts';
import { exchangeCode, partiesFor, validateCallback, type ExchangedTokens } from './oauth-client.ts';
import { grantedScopes, promoteTokens, successUrl } from './promote-tokens.ts';
import { hashToken, randomToken } from './secrets.ts';
import { bindingCookieName, verifierContext } from './start-oauth.ts';
import { setAccountStatus } from '../accounts/accounts.ts';

export interface CallbackInput {
  readonly connectionId: string;
  readonly query: URLSearchParams;
  readonly cookies: Readonly<Record<string, string>>;
}

export interface CallbackResult {
  /** Where the browser goes next: the developer's verify URL or the success page. */
  readonly location: string;
  /** The binding cookie to clear. */
  readonly clearCookie: string;
}

export const pendingTokensContext = (authRequestId: string) => ({ table: 'auth_requests', id: authRequestId, field: 'pending_tokens' });

const MAX_PARAM = { state: 128, code: 4096, iss: 2048, error: 256, error_description: 2048, error_uri: 2048 } as const;

/** Duplicated or oversized parameters are refused before any lookup (parameter pollution, ATK-07/08). */
function checkParameters(query: URLSearchParams): void {
  for (const [name, max] of Object.entries(MAX_PARAM)) {
    const values = query.getAll(name);
    if (values.length > 1) throw new ConnectFlowError('invalid_request', `The answer carried "${name}" more than once.`);
    if ((values[0]?.length ?? 0) > max) throw new ConnectFlowError('invalid_request', `The answer's "${name}" is too long.`);
  }
  if (query.has('code') && query.has('error')) throw new ConnectFlowError('invalid_request', 'The answer carried both a code and an error.');
}

async function consumeRequest(ctx: DomainContext, input: CallbackInput): Promise<AuthRequest> {
  const state = input.query.get('state');
  if (state === null || state === '') {
    const error = input.query.get('error');
    if (error !== null) throw new ConnectFlowError(error, input.query.get('error_description') ?? `The provider answered "${error}".`, { provider_error: error });
    throw new ConnectFlowError('invalid_state', 'The answer from the provider has no state; start the connection again from the app.');
  }
  const found = await ctx.store.authRequests.findByStateHash(hashToken(state));
  if (found === undefined) throw new ConnectFlowError('invalid_state', 'This sign-in is not one the gateway started; start the connection again from the app.');
  const request = await ctx.store.authRequests.consume(found.id, ctx.clock());
  if (request === undefined) throw new ConnectFlowError('invalid_state', 'This sign-in was already completed or abandoned; start the connection again from the app.');
  // From here on the request is used up whatever happens: checks fail closed and cannot be replayed.
  if (request.connectionId !== input.connectionId) throw new ConnectFlowError('invalid_state', 'The answer arrived at another connection than the one the sign-in started with.');
  if (request.expiresAt.getTime() <= ctx.clock().getTime()) {
    throw new ConnectFlowError('session_expired', 'Your verification session has expired or is no longer valid. Please close this window and restart the connection flow.');
  }
  const binding = input.cookies[bindingCookieName(request.id, ctx.publicUrl.startsWith('https:'))];
  if (binding === undefined || hashToken(binding) !== request.bindingHash) {
    throw new ConnectFlowError('invalid_state', 'This sign-in was started in another browser; open the link again in the browser you are using now.');
  }
  return request;
}

async function markFailed(ctx: DomainContext, request: AuthRequest, code: string): Promise<void> {
  await ctx.store.authRequests.update({ ...request, status: 'failed', errorCode: code.slice(0, 64), updatedAt: ctx.clock() });
}

export async function handleCallback(ctx: DomainContext, input: CallbackInput): Promise<CallbackResult> {
  checkParameters(input.query);
  const request = await consumeRequest(ctx, input);
  const clearCookie = bindingCookieName(request.id, ctx.publicUrl.startsWith('https:'));
  try {
    return { location: await complete(ctx, request, input.query), clearCookie };
  } catch (error) {
    await markFailed(ctx, request, error instanceof ConnectFlowError ? error.code : 'server_error');
    await recordFlowFailure(ctx, request, error);
    throw error;
  }
}

async function complete(ctx: DomainContext, request: AuthRequest, query: URLSearchParams): Promise<string> {
  const view = await ctx.store.accounts.findWithConnection(request.environmentId, request.connectedAccountId);
  if (view === undefined) throw new ConnectFlowError('invalid_state', 'The account this sign-in was for no longer exists.');
  const { connection, account } = view;
  const connector = ctx.catalog.get(connection.provider);
  if (connector === undefined || connection.clientSecretSealed === null || connection.oauthConfig.client_id === undefined) {
    throw new ConnectFlowError('failed_to_exchange', 'The connection is no longer configured for OAuth.');
  }
  const endpoints = endpointsOf(connection, connector);
  // Endpoints and issuer come from the flow record, pinned at start, never from the callback.
  const parties = partiesFor(ctx, { ...endpoints, issuer: request.expectedIssuer }, {
    clientId: connection.oauthConfig.client_id,
    clientSecret: ctx.vault.decrypt(connection.clientSecretSealed, { table: 'connections', id: connection.id, field: 'client_secret' }),
  });
  const state = query.get('state') ?? '';
  const params = validateCallback(parties, query, state, request.expectedIssuer !== null);
  const environment = await ctx.store.environments.findById(request.environmentId);
  const linkRecord = await ctx.store.links.findById(request.linkId);
  const verify = environment?.settings.user_verification !== 'none';
  if (verify && linkRecord?.userVerifyUrl == null) {
    throw new ConnectFlowError('failed_to_exchange', 'user_verify_url not configured for verification redirect');
  }
  const tokens = await exchangeCode(parties, {
    params,
    redirectUri: request.redirectUri,
    codeVerifier: endpoints.pkce ? ctx.vault.decrypt(request.codeVerifierSealed, verifierContext(request.id)) : undefined,
    apiConfigFields: connector.oauth?.token_response_api_config ?? [],
  });
  const scopes = grantedScopes(tokens, request.requestedScopes);
  const now = ctx.clock();
  await recordEvent(
    ctx.store,
    {
      environmentId: request.environmentId,
      type: 'connected_account.oauth_tokens_fetched',
      object: 'ConnectedAccount',
      connectedAccountId: account.id,
      connection,
      data: { ...accountEventData(account, connection), granted_scopes: scopes },
    },
    now,
  );
  if (!verify || linkRecord === undefined || linkRecord.userVerifyUrl === null) {
    await promoteTokens(ctx, { environmentId: request.environmentId, accountId: account.id, tokens, scopes });
    await ctx.store.authRequests.update({ ...request, status: 'completed', updatedAt: now });
    return successUrl(ctx, connector.key);
  }
  return holdForVerification(ctx, { request, tokens, scopes, userVerifyUrl: linkRecord.userVerifyUrl, developerState: linkRecord.developerState });
}

/** Custom verification: tokens wait, sealed, until the developer confirms who came back. */
async function holdForVerification(
  ctx: DomainContext,
  input: { request: AuthRequest; tokens: ExchangedTokens; scopes: string[]; userVerifyUrl: string; developerState: string | null },
): Promise<string> {
  const { request } = input;
  const now = ctx.clock();
  const verificationId = randomToken();
  const view = await ctx.store.accounts.findWithConnection(request.environmentId, request.connectedAccountId);
  const previousStatus = view?.account.status ?? null;
  await ctx.store.authRequests.update({
    ...request,
    status: 'pending_verification',
    verificationHash: hashToken(verificationId),
    verifyExpiresAt: new Date(now.getTime() + ctx.flow.verifyTtlSeconds * 1000),
    pendingTokensSealed: ctx.vault.encrypt(JSON.stringify({ tokens: input.tokens, scopes: input.scopes }), pendingTokensContext(request.id)),
    previousStatus,
    updatedAt: now,
  });
  // A working account stays usable on its old tokens until the new authorization is verified.
  if (previousStatus !== null && previousStatus !== 'ACTIVE') {
    await setAccountStatus(ctx, request.environmentId, request.connectedAccountId, 'PENDING_VERIFICATION');
  }
  const url = new URL(input.userVerifyUrl);
  url.searchParams.set('auth_request_id', verificationId);
  if (input.developerState !== null) url.searchParams.set('state', input.developerState);
  return url.toString();
}
