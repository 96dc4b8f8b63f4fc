/** @module The provider's authorize URL and the endpoints a flow pins at its start. */
import { fillTemplate, RESERVED_AUTHORIZE_PARAMS, type Connector } from '../../catalog/connector-schema.ts';
import type { Connection } from '../model.ts';

export interface ProviderEndpoints {
  readonly authorizeUrl: string;
  readonly tokenUrl: string;
  readonly revokeUrl: string | undefined;
  /**
   * The issuer `iss` must equal (RFC 9207). The connector's documented issuer only holds while the
   * connection uses the connector's own endpoints; an override must name its issuer itself.
   */
  readonly issuer: string | null;
  readonly pkce: boolean;
  readonly tokenAuthMethod: 'client_secret_basic' | 'client_secret_post';
}

function oauthOf(connector: Connector) {
  if (connector.oauth === undefined) throw new Error(`connector ${connector.key} has no OAuth settings`);
  return connector.oauth;
}

export function endpointsOf(connection: Connection, connector: Connector): ProviderEndpoints {
  const oauth = oauthOf(connector);
  const config = connection.oauthConfig;
  const values = { ...oauth.template_defaults, ...(config.tenant_id === undefined ? {} : { tenant_id: config.tenant_id }) };
  const overridden = config.authorize_uri !== undefined || config.token_uri !== undefined;
  const revoke = config.revoke_uri ?? oauth.revoke_url;
  return {
    authorizeUrl: fillTemplate(config.authorize_uri ?? oauth.authorize_url, values),
    tokenUrl: fillTemplate(config.token_uri ?? oauth.token_url, values),
    revokeUrl: revoke === undefined ? undefined : fillTemplate(revoke, values),
    issuer: config.issuer ?? (overridden ? null : (oauth.issuer ?? null)),
    pkce: config.pkce_enabled ?? oauth.pkce,
    tokenAuthMethod: oauth.token_auth_method,
  };
}

export function scopesOf(connection: Connection, connector: Connector): string[] {
  if (oauthOf(connector).app_managed_scopes) return [];
  return [...(connection.oauthConfig.scopes ?? oauthOf(connector).default_scopes)];
}

export interface AuthorizeParams {
  readonly redirectUri: string;
  readonly state: string;
  readonly codeChallenge: string | undefined;
}

/** Builds the URL the browser is sent to; flow-owned parameters can never be overridden by configuration. */
export function authorizationUrl(connection: Connection, connector: Connector, params: AuthorizeParams): URL {
  const oauth = oauthOf(connector);
  const config = connection.oauthConfig;
  const url = new URL(endpointsOf(connection, connector).authorizeUrl);
  const extras: Record<string, string> = { ...oauth.authorize_params };
  if (config.prompt !== undefined) extras['prompt'] = config.prompt;
  if (config.access_type !== undefined) extras['access_type'] = config.access_type;
  Object.assign(extras, config.extra_authorize_params ?? {});
  for (const [key, value] of Object.entries(extras)) {
    if (!(RESERVED_AUTHORIZE_PARAMS as readonly string[]).includes(key)) url.searchParams.set(key, value);
  }
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', config.client_id ?? '');
  url.searchParams.set('redirect_uri', params.redirectUri);
  url.searchParams.set('state', params.state);
  const scopes = scopesOf(connection, connector);
  if (scopes.length > 0) url.searchParams.set('scope', scopes.join(oauth.scope_separator));
  if (params.codeChallenge !== undefined) {
    url.searchParams.set('code_challenge', params.codeChallenge);
    url.searchParams.set('code_challenge_method', 'S256');
  }
  return url;
}
