/**
 * @module Wire shapes of responses (zod, for the OpenAPI document) and the formatters that build them
 * from domain records. Only formatters turn records into wire objects; none of them reads a secret.
 */
import { z } from 'zod';
import type { Connector } from '../catalog/connector-schema.ts';
import { connectionStatus, redirectUriOf } from '../domain/connections/connections.ts';
import type { ConnectedAccount, Connection, GatewayEvent, Settings } from '../domain/model.ts';
import { ACCOUNT_STATUSES, AUTH_TYPES } from '../domain/model.ts';

const timestamp = z.string().describe('RFC 3339 timestamp');

export const ConnectionWire = z.object({
  id: z.string(),
  name: z.string(),
  connection_name: z.string(),
  provider: z.string(),
  type: z.enum(AUTH_TYPES),
  enabled: z.boolean(),
  status: z.enum(['COMPLETED', 'DRAFT']),
  oauth_config: z
    .object({
      client_id: z.string().nullable(),
      client_secret_set: z.boolean(),
      redirect_uri: z.string(),
      scopes: z.array(z.string()),
      pkce_enabled: z.boolean(),
    })
    .catchall(z.unknown())
    .optional(),
  api_config: z.record(z.string(), z.unknown()),
  created_at: timestamp,
  updated_at: timestamp,
});

export const ConnectedAccountWire = z.object({
  id: z.string(),
  identifier: z.string(),
  connection_name: z.string(),
  connection_id: z.string(),
  provider: z.string(),
  status: z.enum(ACCOUNT_STATUSES),
  authorization_type: z.enum(AUTH_TYPES),
  scopes: z.array(z.string()),
  token_expires_at: timestamp.nullable(),
  api_config: z.record(z.string(), z.unknown()),
  organization_id: z.string().nullable(),
  user_id: z.string().nullable(),
  created_at: timestamp,
  updated_at: timestamp,
  last_used_at: timestamp.nullable(),
});

export const EventWire = z.object({
  id: z.string(),
  type: z.string(),
  occurred_at: timestamp,
  environment_id: z.string(),
  object: z.string(),
  data: z.record(z.string(), z.unknown()),
});

export const SettingsWire = z.object({
  user_verification: z.enum(['custom', 'none']),
  token_retrieval_enabled: z.boolean(),
  proxy_enabled: z.boolean(),
  /** Keep tool parameters and results in the tool call logs (off: only metadata is kept). */
  tool_call_payloads_enabled: z.boolean(),
  allowed_redirect_origins: z.array(z.string()),
});

export const ProviderWire = z.object({
  key: z.string(),
  display_name: z.string(),
  description: z.string(),
  categories: z.array(z.string()),
  auth_types: z.array(z.enum(AUTH_TYPES)),
}).catchall(z.unknown());

export const pageFields = {
  total_size: z.number().int(),
  next_page_token: z.string(),
  prev_page_token: z.string(),
};

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

export function formatConnection(connection: Connection, publicUrl: string): z.infer<typeof ConnectionWire> {
  const oauth = connection.oauthConfig;
  return {
    id: connection.id,
    name: connection.name,
    connection_name: connection.name,
    provider: connection.provider,
    type: connection.type,
    enabled: connection.enabled,
    status: connectionStatus(connection),
    ...(connection.type === 'OAUTH'
      ? {
          oauth_config: {
            ...oauth,
            client_id: oauth.client_id ?? null,
            client_secret_set: connection.clientSecretSealed !== null,
            redirect_uri: redirectUriOf({ publicUrl }, connection),
            scopes: [...(oauth.scopes ?? [])],
            pkce_enabled: oauth.pkce_enabled ?? true,
          },
        }
      : {}),
    api_config: { ...connection.apiConfig },
    created_at: connection.createdAt.toISOString(),
    updated_at: connection.updatedAt.toISOString(),
  };
}

export function formatAccount(account: ConnectedAccount, connection: Connection): z.infer<typeof ConnectedAccountWire> {
  return {
    id: account.id,
    identifier: account.identifier,
    connection_name: connection.name,
    connection_id: connection.id,
    provider: connection.provider,
    status: account.status,
    authorization_type: account.authorizationType,
    scopes: [...account.scopes],
    token_expires_at: iso(account.tokenExpiresAt),
    api_config: { ...account.apiConfig },
    organization_id: account.organizationId === '' ? null : account.organizationId,
    user_id: account.userId === '' ? null : account.userId,
    created_at: account.createdAt.toISOString(),
    updated_at: account.updatedAt.toISOString(),
    last_used_at: iso(account.lastUsedAt),
  };
}

export function formatEvent(event: GatewayEvent): z.infer<typeof EventWire> {
  return {
    id: event.id,
    type: event.type,
    occurred_at: event.occurredAt.toISOString(),
    environment_id: event.environmentId,
    object: event.object,
    data: { ...event.data },
  };
}

export function formatSettings(settings: Settings): z.infer<typeof SettingsWire> {
  return { ...settings, allowed_redirect_origins: [...settings.allowed_redirect_origins] };
}

/** The catalog entry as published: everything but internal hints, and never anything secret (there is none). */
export function formatProvider(connector: Connector): z.infer<typeof ProviderWire> {
  return JSON.parse(JSON.stringify(connector)) as z.infer<typeof ProviderWire>;
}
