/** @module Turning `authorization_details` from a request into sealed credentials, status, scopes and expiry. */
import { GatewayError } from '../../errors.ts';
import type { Connector } from '../../catalog/connector-schema.ts';
import type { AccountCredentials, AccountStatus, Connection } from '../model.ts';
import type { Vault } from '../vault/vault.ts';

export interface OAuthTokenInput {
  readonly access_token?: string | undefined;
  readonly refresh_token?: string | undefined;
  readonly token_type?: string | undefined;
  readonly id_token?: string | undefined;
  readonly scopes?: readonly string[] | undefined;
  readonly expires_in?: number | undefined;
  readonly expires_at?: string | undefined;
}

export type AuthorizationDetailsInput =
  | { readonly oauth_token: OAuthTokenInput; readonly static_auth?: undefined }
  | { readonly static_auth: Readonly<Record<string, string>>; readonly oauth_token?: undefined };

export interface AppliedCredentials {
  readonly credentialsSealed: string | null;
  readonly status: AccountStatus;
  readonly scopes: readonly string[];
  readonly tokenExpiresAt: Date | null;
}

export const credentialsContext = (accountId: string) => ({ table: 'connected_accounts', id: accountId, field: 'credentials' });

function invalid(message: string, issues: { path: string; message: string }[]): GatewayError {
  return new GatewayError('invalid_credentials', message, { details: { issues } });
}

/** Checks static credentials against the connector's form fields: required, known, pattern. */
export function validateStaticFields(connector: Connector, fields: Readonly<Record<string, string>>): void {
  const definitions = connector.fields ?? [];
  const issues: { path: string; message: string }[] = [];
  const known = new Set(definitions.map((f) => f.name));
  for (const name of Object.keys(fields)) {
    if (!known.has(name)) issues.push({ path: `static_auth.${name}`, message: `unknown field; ${connector.key} takes ${[...known].join(', ')}` });
  }
  for (const field of definitions) {
    const value = fields[field.name];
    if (value === undefined || value === '') {
      if (field.required) issues.push({ path: `static_auth.${field.name}`, message: `${field.label} is required` });
      continue;
    }
    if (field.pattern !== undefined && !new RegExp(field.pattern, 'u').test(value)) {
      issues.push({ path: `static_auth.${field.name}`, message: `${field.label} does not have the expected format${field.hint === undefined ? '' : ` (${field.hint})`}` });
    }
  }
  if (issues.length > 0) throw invalid(`The credentials do not match the ${connector.display_name} fields.`, issues);
}

function expiryOf(token: OAuthTokenInput, now: Date): Date | null {
  if (token.expires_at !== undefined) {
    const at = new Date(token.expires_at);
    if (Number.isNaN(at.getTime())) throw invalid('oauth_token.expires_at is not a date.', [{ path: 'oauth_token.expires_at', message: 'RFC 3339 timestamp expected' }]);
    return at;
  }
  if (token.expires_in !== undefined) return new Date(now.getTime() + token.expires_in * 1000);
  return null;
}

/**
 * Applies `authorization_details` to an account of `connection`. No details, or an empty `oauth_token`,
 * means "no credentials yet" (PENDING_AUTH); anything else must be complete and becomes ACTIVE.
 */
export function applyAuthorizationDetails(
  input: { details: AuthorizationDetailsInput | undefined; connection: Connection; connector: Connector; accountId: string; now: Date },
  vault: Vault,
): AppliedCredentials {
  const { details, connection, connector, accountId, now } = input;
  const pending: AppliedCredentials = { credentialsSealed: null, status: 'PENDING_AUTH', scopes: [], tokenExpiresAt: null };
  if (details === undefined) return pending;
  let credentials: AccountCredentials;
  let scopes: readonly string[] = [];
  let tokenExpiresAt: Date | null = null;
  if (details.oauth_token !== undefined) {
    const token = details.oauth_token;
    // An empty oauth_token means "no credentials yet" on any connection: the SDK's get-or-create sends it
    // without knowing the connection's type.
    if (Object.values(token).every((v) => v === undefined)) return pending;
    if (connection.type !== 'OAUTH') {
      throw new GatewayError('invalid_auth_type', `Connection "${connection.name}" is ${connection.type}; send static_auth with the connector's fields.`);
    }
    if (token.access_token === undefined || token.access_token === '') {
      throw invalid('oauth_token needs an access_token.', [{ path: 'oauth_token.access_token', message: 'required when any token field is given' }]);
    }
    credentials = {
      kind: 'oauth_token',
      access_token: token.access_token,
      ...(token.refresh_token === undefined ? {} : { refresh_token: token.refresh_token }),
      ...(token.token_type === undefined ? {} : { token_type: token.token_type }),
      ...(token.id_token === undefined ? {} : { id_token: token.id_token }),
    };
    scopes = token.scopes ?? connection.oauthConfig.scopes ?? [];
    tokenExpiresAt = expiryOf(token, now);
  } else {
    if (connection.type === 'OAUTH') {
      throw new GatewayError('invalid_auth_type', `Connection "${connection.name}" is OAUTH; send oauth_token, or create an authorization link.`);
    }
    validateStaticFields(connector, details.static_auth);
    credentials = { kind: 'static_auth', fields: { ...details.static_auth } };
  }
  return {
    credentialsSealed: vault.encrypt(JSON.stringify(credentials), credentialsContext(accountId)),
    status: 'ACTIVE',
    scopes,
    tokenExpiresAt,
  };
}

export function openCredentials(vault: Vault, accountId: string, sealed: string): AccountCredentials {
  return JSON.parse(vault.decrypt(sealed, credentialsContext(accountId))) as AccountCredentials;
}
