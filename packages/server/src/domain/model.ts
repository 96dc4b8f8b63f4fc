/** @module Domain records: what the domain works with. Secrets appear only as vault ciphertext (`…Sealed`). */

export const ACCOUNT_STATUSES = ['PENDING_AUTH', 'PENDING_VERIFICATION', 'ACTIVE', 'EXPIRED', 'DISCONNECTED'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

export const AUTH_TYPES = ['OAUTH', 'API_KEY', 'BEARER_TOKEN', 'BASIC_AUTH', 'KEY_PAIR'] as const;
export type AuthType = (typeof AUTH_TYPES)[number];

export interface Settings {
  readonly user_verification: 'custom' | 'none';
  readonly token_retrieval_enabled: boolean;
  readonly proxy_enabled: boolean;
  readonly tool_call_payloads_enabled: boolean;
  readonly allowed_redirect_origins: readonly string[];
}

export const DEFAULT_SETTINGS: Settings = Object.freeze({
  user_verification: 'custom',
  token_retrieval_enabled: false,
  proxy_enabled: false,
  tool_call_payloads_enabled: false,
  allowed_redirect_origins: [],
});

export interface Environment {
  readonly id: string;
  readonly name: string;
  readonly settings: Settings;
  readonly createdAt: Date;
}

export interface ApiCredential {
  readonly id: string;
  readonly environmentId: string;
  readonly name: string;
  readonly secretHash: string;
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
  readonly lastUsedAt: Date | null;
}

/** The OAuth settings of a connection; the client secret lives apart, sealed. */
export interface OAuthConfig {
  readonly client_id?: string | undefined;
  readonly scopes?: readonly string[] | undefined;
  readonly pkce_enabled?: boolean | undefined;
  readonly prompt?: string | undefined;
  readonly access_type?: string | undefined;
  readonly tenant_id?: string | undefined;
  readonly extra_authorize_params?: Readonly<Record<string, string>> | undefined;
  readonly authorize_uri?: string | undefined;
  readonly token_uri?: string | undefined;
  readonly revoke_uri?: string | undefined;
  readonly userinfo_uri?: string | undefined;
  /** The issuer (RFC 9207 `iss`) of an overridden authorization server; the connector's otherwise. */
  readonly issuer?: string | undefined;
}

export interface ApiConfig {
  readonly base_url?: string | undefined;
  readonly [key: string]: unknown;
}

export interface Connection {
  readonly id: string;
  readonly environmentId: string;
  readonly name: string;
  readonly provider: string;
  readonly type: AuthType;
  readonly enabled: boolean;
  readonly oauthConfig: OAuthConfig;
  readonly clientSecretSealed: string | null;
  readonly apiConfig: ApiConfig;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface ConnectedAccount {
  readonly id: string;
  readonly environmentId: string;
  readonly connectionId: string;
  readonly identifier: string;
  /** '' when the account is not scoped to an organization (kept non-null so uniqueness holds). */
  readonly organizationId: string;
  readonly userId: string;
  readonly status: AccountStatus;
  readonly authorizationType: AuthType;
  readonly credentialsSealed: string | null;
  readonly scopes: readonly string[];
  readonly tokenExpiresAt: Date | null;
  readonly apiConfig: ApiConfig;
  /** Bumped on every write: the compare-and-set guard for concurrent updates. */
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly lastUsedAt: Date | null;
}

export interface GatewayEvent {
  readonly id: string;
  readonly environmentId: string;
  readonly type: string;
  readonly object: 'ConnectedAccount' | 'Connection' | 'Environment';
  readonly connectedAccountId: string | null;
  readonly connectionId: string | null;
  readonly connectionName: string | null;
  readonly occurredAt: Date;
  readonly data: Readonly<Record<string, unknown>>;
}

/** The decrypted credentials of a connected account: exactly one kind. */
export type AccountCredentials =
  | { readonly kind: 'oauth_token'; readonly access_token: string; readonly refresh_token?: string; readonly token_type?: string; readonly id_token?: string }
  | { readonly kind: 'static_auth'; readonly fields: Readonly<Record<string, string>> };

/** A one-time link that starts the hosted flow for one connected account. */
export interface AuthorizationLink {
  readonly id: string;
  readonly environmentId: string;
  /** SHA-256 of the token in the URL: a database leak does not hand out working links. */
  readonly tokenHash: string;
  readonly connectedAccountId: string;
  readonly connectionId: string;
  readonly identifier: string;
  readonly developerState: string | null;
  readonly userVerifyUrl: string | null;
  readonly expiresAt: Date;
  readonly usedAt: Date | null;
  readonly createdAt: Date;
}

export type AuthRequestStatus = 'started' | 'pending_verification' | 'completed' | 'failed';

/** One run of the OAuth leg: everything the callback needs, fixed when the flow started. */
export interface AuthRequest {
  readonly id: string;
  readonly environmentId: string;
  readonly linkId: string;
  readonly connectedAccountId: string;
  readonly connectionId: string;
  readonly stateHash: string;
  /** SHA-256 of the browser-binding cookie's value. */
  readonly bindingHash: string;
  readonly codeVerifierSealed: string;
  readonly redirectUri: string;
  readonly expectedIssuer: string | null;
  readonly requestedScopes: readonly string[];
  readonly status: AuthRequestStatus;
  readonly expiresAt: Date;
  readonly consumedAt: Date | null;
  /** SHA-256 of the `auth_request_id` handed to the developer's verify URL. */
  readonly verificationHash: string | null;
  readonly verifyExpiresAt: Date | null;
  readonly pendingTokensSealed: string | null;
  /** The account's status before the flow parked it in PENDING_VERIFICATION, restored on failure. */
  readonly previousStatus: AccountStatus | null;
  readonly errorCode: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}
