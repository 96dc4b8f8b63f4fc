/**
 * @module connected-accounts — low-level client of `/api/v1/connected_accounts`.
 */

import { isNotFoundError } from './errors.js'
import type { Transport } from './transport.js'
import type {
  AccountRef,
  AuthorizationDetails,
  AuthorizationLink,
  ConnectedAccount,
  ConnectedAccountPage,
  ConnectedAccountStatus,
  ConnectedAccountWithAuth,
  FreeFormObject,
} from './types.js'
import { fromWire, optional, required, segment, toQuery, toWire, withPageInfo } from './wire.js'

const BASE = '/api/v1/connected_accounts'
const REF_REQUIRED = 'either connectedAccountId or connectionName + identifier is required'

/** Filters of {@link ConnectedAccountsClient.list}. */
export interface ListConnectedAccountsParams {
  connectionName?: string | undefined
  /** Up to 20 exact connection names; not together with `connectionName`. */
  connectionNames?: readonly string[] | undefined
  provider?: string | undefined
  identifier?: string | undefined
  status?: ConnectedAccountStatus | undefined
  query?: string | undefined
  organizationId?: string | undefined
  userId?: string | undefined
  /** 1–100, default 30. */
  pageSize?: number | undefined
  pageToken?: string | undefined
}

/** Parameters of {@link ConnectedAccountsClient.search}. */
export interface SearchConnectedAccountsParams {
  /** At least 3 characters, matched case-insensitively over identifier, connection name, provider. */
  query: string
  connectionName?: string | undefined
  pageSize?: number | undefined
  pageToken?: string | undefined
}

/** Parameters of {@link ConnectedAccountsClient.create}. */
export interface CreateConnectedAccountParams {
  connectionName: string
  identifier: string
  organizationId?: string | undefined
  userId?: string | undefined
  /** Without credentials the account starts in `PENDING_AUTH`. */
  authorizationDetails?: AuthorizationDetails | undefined
  apiConfig?: FreeFormObject | undefined
}

/** Parameters of {@link ConnectedAccountsClient.update}. */
export interface UpdateConnectedAccountParams extends AccountRef {
  /** Applied whatever the account's status; the account becomes `ACTIVE`. */
  authorizationDetails?: AuthorizationDetails | undefined
  apiConfig?: FreeFormObject | undefined
}

/** Parameters of {@link ConnectedAccountsClient.getOrCreate}. */
export interface GetOrCreateConnectedAccountParams {
  connectionName: string
  identifier: string
  organizationId?: string | undefined
  userId?: string | undefined
  authorizationDetails?: AuthorizationDetails | undefined
  apiConfig?: FreeFormObject | undefined
}

/** Parameters of {@link ConnectedAccountsClient.getMagicLink}. */
export interface MagicLinkParams {
  connectionName?: string | undefined
  identifier?: string | undefined
  connectedAccountId?: string | undefined
  /** Returned to your redirect untouched; use it to tie the flow to your session. */
  state?: string | undefined
  /** Where the gateway sends the user (with an `auth_request_id`) to prove who they are. */
  userVerifyUrl?: string | undefined
}

/**
 * Low-level client of connected accounts: one method per route, camelCase in and out.
 * Most applications use the {@link ActionsClient} facade instead.
 *
 * @example
 * ```ts
 * const account = await client.connectedAccounts.getOrCreate({ connectionName: 'gmail', identifier: 'user_42' })
 * const page = await client.connectedAccounts.list({ connectionNames: ['gmail', 'slack'], pageSize: 50 })
 * ```
 */
export class ConnectedAccountsClient {
  readonly #transport: Transport

  constructor(transport: Transport) {
    this.#transport = transport
  }

  /**
   * Lists accounts, oldest first.
   *
   * @example
   * ```ts
   * const { connectedAccounts, nextPageToken } = await client.connectedAccounts.list({ status: 'EXPIRED' })
   * ```
   */
  async list(params: ListConnectedAccountsParams = {}): Promise<ConnectedAccountPage> {
    const body = await this.#transport.json({ method: 'GET', path: BASE, query: toQuery(params) })
    return withPageInfo({ connectedAccounts: [], ...fromWire<Partial<ConnectedAccountPage>>(body) })
  }

  /**
   * Searches accounts by text.
   *
   * @example
   * ```ts
   * const page = await client.connectedAccounts.search({ query: 'alice@' })
   * ```
   */
  async search(params: SearchConnectedAccountsParams): Promise<ConnectedAccountPage> {
    const body = await this.#transport.json({ method: 'GET', path: `${BASE}:search`, query: toQuery(params) })
    return withPageInfo({ connectedAccounts: [], ...fromWire<Partial<ConnectedAccountPage>>(body) })
  }

  /**
   * Creates an account; `ConflictError` (`already_exists`) when one exists for the same keys.
   *
   * @example
   * ```ts
   * await client.connectedAccounts.create({ connectionName: 'stripe', identifier: 'user_42', authorizationDetails: { staticAuth: { api_key } } })
   * ```
   */
  async create(params: CreateConnectedAccountParams): Promise<ConnectedAccount> {
    const json = toWire({
      ...params,
      connectionName: required(params.connectionName, 'connectionName'),
      identifier: required(params.identifier, 'identifier'),
      organizationId: optional(params.organizationId),
      userId: optional(params.userId),
    })
    return this.#account(await this.#transport.json({ method: 'POST', path: BASE, json }))
  }

  /**
   * Updates credentials and/or `apiConfig`.
   *
   * @example
   * ```ts
   * await client.connectedAccounts.update({ connectedAccountId: 'ca_1', apiConfig: { version: 'v59.0' } })
   * ```
   */
  async update(params: UpdateConnectedAccountParams): Promise<ConnectedAccount> {
    const json = {
      ...(await this.#refBody(params)),
      ...toWire({ authorizationDetails: params.authorizationDetails, apiConfig: params.apiConfig }),
    }
    return this.#account(await this.#transport.json({ method: 'PUT', path: BASE, json }))
  }

  /**
   * Deletes an account for good, erasing its credentials.
   *
   * @example
   * ```ts
   * await client.connectedAccounts.delete({ connectionName: 'gmail', identifier: 'user_42' })
   * ```
   */
  async delete(ref: AccountRef): Promise<void> {
    await this.#transport.json({ method: 'POST', path: `${BASE}:delete`, json: await this.#refBody(ref) })
  }

  /**
   * Reads an account by id.
   *
   * @example
   * ```ts
   * const account = await client.connectedAccounts.get('ca_123')
   * ```
   */
  async get(id: string): Promise<ConnectedAccount> {
    const path = `${BASE}/${segment(id, 'connectedAccountId')}`
    return this.#account(await this.#transport.json({ method: 'GET', path }))
  }

  /**
   * Reads an account by id or by connection + identifier, never with credentials.
   *
   * @example
   * ```ts
   * const account = await client.connectedAccounts.getDetails({ connectionName: 'gmail', identifier: 'user_42' })
   * ```
   */
  async getDetails(ref: AccountRef): Promise<ConnectedAccount> {
    const body = await this.#transport.json({ method: 'GET', path: `${BASE}/details`, query: refQuery(ref) })
    return this.#account(body)
  }

  /**
   * Reads an account with its credentials (redacted unless the environment allows token retrieval).
   *
   * @example
   * ```ts
   * const { authorizationDetails } = await client.connectedAccounts.getAuth({ connectedAccountId: 'ca_1' })
   * ```
   */
  async getAuth(ref: AccountRef): Promise<ConnectedAccountWithAuth> {
    const body = await this.#transport.json({ method: 'GET', path: `${BASE}/auth`, query: refQuery(ref) })
    return this.#account(body) as ConnectedAccountWithAuth
  }

  /**
   * Marks an account `DISCONNECTED` and erases its credentials, keeping the record.
   *
   * @example
   * ```ts
   * await client.connectedAccounts.disconnect('ca_123')
   * ```
   */
  async disconnect(id: string): Promise<ConnectedAccount> {
    const path = `${BASE}/${segment(id, 'connectedAccountId')}:disconnect`
    return this.#account(await this.#transport.json({ method: 'POST', path }))
  }

  /**
   * Returns the account for (connection, identifier), creating it if missing. Given credentials
   * are applied to an existing account whatever its status, so this is a true upsert:
   *
   * 1. read it through the `auth` call;
   * 2. found and `authorizationDetails` given → `update` with them (plus `apiConfig`);
   * 3. found without credentials → return it as read;
   * 4. `NotFoundError` → `create`, with an empty OAuth token when no credentials were given, so
   *    the account exists (`PENDING_AUTH`) before the user authorizes; other errors are rethrown.
   *
   * @example
   * ```ts
   * const account = await client.connectedAccounts.getOrCreate({ connectionName: 'gmail', identifier: 'user_42' })
   * if (account.status !== 'ACTIVE') sendLink(await client.actions.getAuthorizationLink({ connectedAccountId: account.id }))
   * ```
   */
  async getOrCreate(params: GetOrCreateConnectedAccountParams): Promise<ConnectedAccount> {
    const connectionName = required(params.connectionName, 'connectionName')
    const identifier = required(params.identifier, 'identifier')
    const keys = { connectionName, identifier, organizationId: params.organizationId, userId: params.userId }
    let existing: ConnectedAccountWithAuth
    try {
      existing = await this.getAuth(keys)
    } catch (error) {
      if (!isNotFoundError(error)) throw error
      return this.create({
        ...keys,
        authorizationDetails: params.authorizationDetails ?? { oauthToken: {} },
        apiConfig: params.apiConfig,
      })
    }
    if (params.authorizationDetails === undefined) return existing
    // By id: the update body cannot carry organization/user, and the id is exactly the account found.
    return this.update({
      connectedAccountId: existing.id,
      authorizationDetails: params.authorizationDetails,
      apiConfig: params.apiConfig,
    })
  }

  /**
   * Alias of {@link ConnectedAccountsClient.getOrCreate}.
   *
   * @example
   * ```ts
   * await client.connectedAccounts.upsert({ connectionName: 'stripe', identifier: 'u1', authorizationDetails: { staticAuth: { api_key } } })
   * ```
   */
  upsert(params: GetOrCreateConnectedAccountParams): Promise<ConnectedAccount> {
    return this.getOrCreate(params)
  }

  /**
   * Creates a one-time authorization link for the end user.
   *
   * @example
   * ```ts
   * const { link } = await client.connectedAccounts.getMagicLink({ connectionName: 'gmail', identifier: 'user_42' })
   * ```
   */
  async getMagicLink(params: MagicLinkParams): Promise<AuthorizationLink> {
    const id = optional(params.connectedAccountId)
    const connectionName = optional(params.connectionName)
    const identifier = optional(params.identifier)
    if (!id && !(connectionName && identifier)) throw new Error(REF_REQUIRED)
    const json = toWire({ connectionName, identifier, id, state: optional(params.state), userVerifyUrl: optional(params.userVerifyUrl) })
    return fromWire<AuthorizationLink>(await this.#transport.json({ method: 'POST', path: `${BASE}/magic_link`, json }))
  }

  /**
   * Confirms that the user who finished an authorization is `identifier`.
   *
   * @example
   * ```ts
   * const { postUserVerifyRedirectUrl } = await client.connectedAccounts.verifyUser({ authRequestId, identifier: session.userId })
   * ```
   */
  async verifyUser(params: { authRequestId: string; identifier: string }): Promise<{ postUserVerifyRedirectUrl: string }> {
    const json = toWire({
      authRequestId: required(params.authRequestId, 'authRequestId'),
      identifier: required(params.identifier, 'identifier'),
    })
    const body = await this.#transport.json({ method: 'POST', path: `${BASE}/user/verify`, json })
    return fromWire<{ postUserVerifyRedirectUrl: string }>(body)
  }

  /**
   * Refreshes the account's OAuth token now.
   *
   * @example
   * ```ts
   * await client.connectedAccounts.refresh({ connectionName: 'gmail', identifier: 'user_42' })
   * ```
   */
  async refresh(ref: AccountRef): Promise<ConnectedAccount> {
    const id = optional(ref.connectedAccountId) ?? (await this.getDetails(ref)).id
    const path = `${BASE}/${segment(id, 'connectedAccountId')}:refresh`
    return this.#account(await this.#transport.json({ method: 'POST', path }))
  }

  #account(body: unknown): ConnectedAccount {
    const wire = isRecord(body) && 'connected_account' in body ? body['connected_account'] : body
    return fromWire<ConnectedAccount>(wire)
  }

  // Update and delete bodies name an account by id or by connection + identifier only; when the
  // caller narrows by organization or user, find the id first so the right account is changed.
  async #refBody(ref: AccountRef): Promise<Record<string, unknown>> {
    const id = optional(ref.connectedAccountId)
    if (id) return { id }
    const query = refQuery(ref)
    if (query['organization_id'] !== undefined || query['user_id'] !== undefined) {
      return { id: (await this.getDetails(ref)).id }
    }
    return { connection_name: query['connection_name'], identifier: query['identifier'] }
  }
}

function refQuery(ref: AccountRef): Record<string, string | undefined> {
  const id = optional(ref.connectedAccountId)
  if (id) return { id }
  const connectionName = optional(ref.connectionName)
  const identifier = optional(ref.identifier)
  if (!connectionName || !identifier) throw new Error(REF_REQUIRED)
  return {
    connection_name: connectionName,
    identifier,
    organization_id: optional(ref.organizationId),
    user_id: optional(ref.userId),
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
