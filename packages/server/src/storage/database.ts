/** @module Kysely table types: what the database holds (secrets only as vault ciphertext). */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface EnvironmentsTable {
  id: string;
  name: string;
  settings: Json<Record<string, unknown>>;
  created_at: Timestamp;
}

export interface ApiCredentialsTable {
  id: string;
  environment_id: string;
  name: string;
  secret_hash: string;
  created_at: Timestamp;
  revoked_at: Timestamp | null;
  last_used_at: Timestamp | null;
}

export interface SigningKeysTable {
  id: string;
  secret_sealed: string;
  created_at: Timestamp;
}

export interface ConnectionsTable {
  id: string;
  environment_id: string;
  name: string;
  provider: string;
  type: string;
  enabled: boolean;
  oauth_config: Json<Record<string, unknown>>;
  client_secret_sealed: string | null;
  api_config: Json<Record<string, unknown>>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ConnectedAccountsTable {
  id: string;
  environment_id: string;
  connection_id: string;
  identifier: string;
  organization_id: string;
  user_id: string;
  status: string;
  authorization_type: string;
  credentials_sealed: string | null;
  scopes: Json<string[]>;
  token_expires_at: Timestamp | null;
  api_config: Json<Record<string, unknown>>;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
  last_used_at: Timestamp | null;
  refresh_lease_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  refresh_lease_owner: ColumnType<string | null, string | null | undefined, string | null>;
  refresh_failures: Generated<number>;
  refresh_cooldown_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  last_refreshed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface RefreshAttemptsTable {
  id: string;
  environment_id: string;
  connected_account_id: string;
  trigger: string;
  outcome: string;
  reason: string | null;
  duration_ms: number;
  started_at: Timestamp;
}

export interface EventsTable {
  id: string;
  environment_id: string;
  type: string;
  object: string;
  connected_account_id: string | null;
  connection_id: string | null;
  connection_name: string | null;
  occurred_at: Timestamp;
  data: Json<Record<string, unknown>>;
}

export interface AuthorizationLinksTable {
  id: string;
  environment_id: string;
  token_hash: string;
  connected_account_id: string;
  connection_id: string;
  identifier: string;
  developer_state: string | null;
  user_verify_url: string | null;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  created_at: Timestamp;
}

export interface AuthRequestsTable {
  id: string;
  environment_id: string;
  link_id: string;
  connected_account_id: string;
  connection_id: string;
  state_hash: string;
  binding_hash: string;
  code_verifier_sealed: string;
  redirect_uri: string;
  expected_issuer: string | null;
  requested_scopes: Json<string[]>;
  status: string;
  expires_at: Timestamp;
  consumed_at: Timestamp | null;
  verification_hash: string | null;
  verify_expires_at: Timestamp | null;
  pending_tokens_sealed: string | null;
  previous_status: string | null;
  error_code: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface WebhookEndpointsTable {
  id: string;
  environment_id: string;
  url: string;
  description: string;
  event_types: Json<string[]>;
  secret_sealed: string;
  previous_secret_sealed: string | null;
  previous_secret_expires_at: Timestamp | null;
  enabled: boolean;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface WebhookDeliveriesTable {
  id: string;
  environment_id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  payload: Json<Record<string, unknown>>;
  status: string;
  attempts: number;
  next_attempt_at: Timestamp | null;
  last_status_code: number | null;
  last_error: string | null;
  lease_until: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ToolCallsTable {
  execution_id: string;
  environment_id: string;
  agent_run_id: string | null;
  tool_name: string;
  tool_version: string | null;
  provider: string | null;
  connected_account_id: string | null;
  connection_id: string | null;
  connection_name: string | null;
  identifier: string | null;
  source: string;
  status: string;
  error_tier: string | null;
  error_code: string | null;
  error_message: string | null;
  upstream_status: number | null;
  attempts: number;
  duration_ms: number;
  started_at: Timestamp;
  payload: Json<Record<string, unknown>> | null;
}

export interface McpConfigsTable {
  id: string;
  environment_id: string;
  name: string;
  description: string;
  connection_tool_mappings: Json<{ connection_name: string; tools: string[] }[]>;
  user_verify_url: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface Database {
  mcp_configs: McpConfigsTable;
  tool_calls: ToolCallsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  refresh_attempts: RefreshAttemptsTable;
  authorization_links: AuthorizationLinksTable;
  auth_requests: AuthRequestsTable;
  environments: EnvironmentsTable;
  api_credentials: ApiCredentialsTable;
  signing_keys: SigningKeysTable;
  connections: ConnectionsTable;
  connected_accounts: ConnectedAccountsTable;
  events: EventsTable;
}

export type DbEnvironment = Selectable<EnvironmentsTable>;
export type DbCredential = Selectable<ApiCredentialsTable>;
export type DbConnection = Selectable<ConnectionsTable>;
export type NewDbConnection = Insertable<ConnectionsTable>;
export type DbConnectionUpdate = Updateable<ConnectionsTable>;
export type DbAccount = Selectable<ConnectedAccountsTable>;
export type NewDbAccount = Insertable<ConnectedAccountsTable>;
export type DbAccountUpdate = Updateable<ConnectedAccountsTable>;
export type DbEvent = Selectable<EventsTable>;
export type DbLink = Selectable<AuthorizationLinksTable>;
export type DbAuthRequest = Selectable<AuthRequestsTable>;
