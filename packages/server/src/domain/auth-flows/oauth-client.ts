/**
 * @module Every OAuth client call of the hosted flow, through oauth4webapi (never hand-rolled).
 * Failures come back as ConnectFlowError with the code the hosted error page explains.
 */
import * as oauth from 'oauth4webapi';
import type { DomainContext } from '../context.ts';
import type { ProviderEndpoints } from './authorization-url.ts';
import { ConnectFlowError } from './flow-error.ts';

/** Stands in for the issuer when the provider documents none; it then never sends `iss` we could check. */
const UNKNOWN_ISSUER = 'urn:agentgate:issuer-not-configured';

export interface OAuthParties {
  readonly as: oauth.AuthorizationServer;
  readonly client: oauth.Client;
  readonly auth: oauth.ClientAuth;
  readonly options: { [oauth.customFetch]: typeof fetch; [oauth.allowInsecureRequests]: boolean };
}

export function partiesFor(ctx: DomainContext, endpoints: ProviderEndpoints, credentials: { clientId: string; clientSecret: string }): OAuthParties {
  return {
    as: {
      issuer: endpoints.issuer ?? UNKNOWN_ISSUER,
      authorization_endpoint: endpoints.authorizeUrl,
      token_endpoint: endpoints.tokenUrl,
      ...(endpoints.revokeUrl === undefined ? {} : { revocation_endpoint: endpoints.revokeUrl }),
    },
    client: { client_id: credentials.clientId },
    auth: endpoints.tokenAuthMethod === 'client_secret_basic' ? oauth.ClientSecretBasic(credentials.clientSecret) : oauth.ClientSecretPost(credentials.clientSecret),
    options: { [oauth.customFetch]: ctx.outboundFetch, [oauth.allowInsecureRequests]: ctx.allowPrivateUpstreams },
  };
}

/**
 * Checks the authorization response: provider errors, `state`, and `iss` (RFC 9207). Without a
 * known issuer an `iss` cannot be verified, so it is dropped rather than compared with a guess;
 * the per-connection redirect URI and the pinned token endpoint still defeat mix-up there.
 */
export function validateCallback(parties: OAuthParties, params: URLSearchParams, state: string, issuerKnown: boolean): URLSearchParams {
  const checked = new URLSearchParams(params);
  if (!issuerKnown) checked.delete('iss');
  try {
    return oauth.validateAuthResponse(parties.as, parties.client, checked, state);
  } catch (error) {
    if (error instanceof oauth.AuthorizationResponseError) {
      throw new ConnectFlowError(error.error, error.error_description ?? `The provider answered "${error.error}".`, {
        provider_error: error.error,
        ...(error.error_description === undefined ? {} : { provider_description: error.error_description }),
      });
    }
    const message = error instanceof Error ? error.message : String(error);
    if (/"iss"/.test(message)) throw new ConnectFlowError('issuer_mismatch', 'The answer did not come from the provider this sign-in started with.');
    throw new ConnectFlowError('invalid_request', 'The provider sent an answer the gateway cannot use.');
  }
}

export interface ExchangedTokens {
  readonly access_token: string;
  readonly refresh_token?: string;
  readonly token_type?: string;
  readonly id_token?: string;
  readonly expires_in?: number;
  readonly scope?: string;
  /** The connector's `token_response_api_config` fields the provider sent (Salesforce's instance_url). */
  readonly api_config?: Readonly<Record<string, string>>;
}

/** What the provider actually answered when it was not an OAuth error body (a 5xx page, an outage). */
async function rawAnswer(error: unknown): Promise<{ status: number; body: string } | undefined> {
  const cause = error instanceof oauth.OperationProcessingError ? error.cause : undefined;
  // Never a 2xx body: a malformed success answer may still carry tokens, and this text gets logged.
  if (!(cause instanceof Response) || cause.status < 400) return undefined;
  let body = '';
  try {
    body = (await cause.text()).slice(0, 500);
  } catch {
    // already read by oauth4webapi: the status alone still tells the story
  }
  return { status: cause.status, body };
}

async function exchangeFailure(error: unknown, redirectUri: string): Promise<ConnectFlowError> {
  const raw = await rawAnswer(error);
  if (raw !== undefined) {
    const parsed = (() => {
      try {
        return JSON.parse(raw.body) as { error?: unknown; error_description?: unknown };
      } catch {
        return {};
      }
    })();
    const providerError = typeof parsed.error === 'string' ? parsed.error : `http_${raw.status}`;
    const providerDescription = typeof parsed.error_description === 'string' ? parsed.error_description : raw.body;
    return new ConnectFlowError('failed_to_exchange_token', `error = ${providerError}, description = the token endpoint answered HTTP ${raw.status}`, {
      provider_error: providerError,
      provider_description: `HTTP ${raw.status}: ${providerDescription}`.slice(0, 600),
    });
  }
  if (error instanceof oauth.ResponseBodyError) {
    const description = error.error_description ?? '';
    const details = { provider_error: error.error, provider_description: description };
    if (/redirect[_ ]?ur[il]/i.test(description) || error.error === 'redirect_uri_mismatch') {
      return new ConnectFlowError('redirect_uri_mismatch', `The provider refused the redirect URI ${redirectUri}.`, { ...details, redirect_uri: redirectUri });
    }
    return new ConnectFlowError('failed_to_exchange_token', `error = ${error.error}, description = ${description || 'none'}`, details);
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new ConnectFlowError('failed_to_exchange_token', `The provider's token endpoint could not be used (${reason.slice(0, 200)}).`);
}

const MAX_API_CONFIG_VALUE = 2048;

/** The named string fields of a token answer (capped: a provider's answer is not trusted input). */
function apiConfigOf(result: oauth.TokenEndpointResponse, fields: readonly string[]): Record<string, string> | undefined {
  const found = fields.flatMap((field) => {
    const value: unknown = result[field];
    return typeof value === 'string' && value !== '' && value.length <= MAX_API_CONFIG_VALUE ? [[field, value] as const] : [];
  });
  return found.length === 0 ? undefined : Object.fromEntries(found);
}

/** The token endpoint's answer reduced to what the gateway stores (code exchange and refresh alike). */
export function tokensOf(result: oauth.TokenEndpointResponse, apiConfigFields: readonly string[] = []): ExchangedTokens {
  const apiConfig = apiConfigOf(result, apiConfigFields);
  return {
    ...(apiConfig === undefined ? {} : { api_config: apiConfig }),
    access_token: result.access_token,
    ...(result.refresh_token === undefined ? {} : { refresh_token: result.refresh_token }),
    ...(result.token_type === undefined ? {} : { token_type: result.token_type }),
    ...(result.id_token === undefined ? {} : { id_token: result.id_token }),
    ...(result.expires_in === undefined ? {} : { expires_in: result.expires_in }),
    ...(typeof result.scope === 'string' ? { scope: result.scope } : {}),
  };
}

/** Exchanges the code once, with the exact redirect URI and the PKCE verifier pinned at flow start. */
export async function exchangeCode(
  parties: OAuthParties,
  input: { params: URLSearchParams; redirectUri: string; codeVerifier: string | undefined; apiConfigFields?: readonly string[] },
): Promise<ExchangedTokens> {
  try {
    const response = await oauth.authorizationCodeGrantRequest(
      parties.as,
      parties.client,
      parties.auth,
      input.params,
      input.redirectUri,
      input.codeVerifier ?? oauth.nopkce,
      parties.options,
    );
    const result = await oauth.processAuthorizationCodeResponse(parties.as, parties.client, response);
    return tokensOf(result, input.apiConfigFields);
  } catch (error) {
    throw await exchangeFailure(error, input.redirectUri);
  }
}

/** Best effort (RFC 7009): a failure to revoke must never block the caller. */
export async function revokeToken(parties: OAuthParties, token: string): Promise<boolean> {
  if (parties.as.revocation_endpoint === undefined) return false;
  try {
    const response = await oauth.revocationRequest(parties.as, parties.client, parties.auth, token, parties.options);
    await oauth.processRevocationResponse(response);
    return true;
  } catch {
    return false;
  }
}
