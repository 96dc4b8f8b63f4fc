/**
 * @module actions — the documented entry point: connected accounts, authorization, tools, proxy.
 */

import type {
  ConnectedAccountsClient,
  CreateConnectedAccountParams,
  GetOrCreateConnectedAccountParams,
  ListConnectedAccountsParams,
  MagicLinkParams,
  SearchConnectedAccountsParams,
  UpdateConnectedAccountParams,
} from './connected-accounts.js'
import type { ConnectionsClient, ListConnectionsParams } from './connections.js'
import { diagnoseConnectedAccount as runDiagnosis, type ConnectedAccountDiagnosis, type DiagnoseOptions } from './diagnose.js'
import type { LlmCatalogPage, LlmToolFormat, LlmToolPage, LlmToolSet } from './llm-tools.js'
import { proxyRequest, type ProxyRequestParams, type ProxyResponse } from './proxy.js'
import type { ExecuteToolParams, GetToolOptions, ListScopedToolsParams, ListToolsParams, ToolCallLogFilter, ToolsClient } from './tools.js'
import type { Transport } from './transport.js'
import type {
  AccountRef,
  AuthorizationLink,
  ConnectedAccount,
  ConnectedAccountPage,
  ConnectedAccountWithAuth,
  ConnectionPage,
  ExecuteToolResult,
  FreeFormObject,
  ScopedToolPage,
  Tool,
  ToolCallLog,
  ToolCallLogPage,
  ToolPage,
} from './types.js'
import { optional } from './wire.js'

/** The parts of the client the facade builds on. */
export interface ActionsDependencies {
  transport: Transport
  connectedAccounts: ConnectedAccountsClient
  connections: ConnectionsClient
  tools: ToolsClient
  toolTimeoutMs: number
}

/**
 * Easy-to-use facade over the gateway, with the reference product's method names. Methods
 * that name one account take `connectedAccountId`, or `connectionName` + `identifier`
 * (optionally narrowed by `organizationId` / `userId`).
 *
 * @example
 * ```ts
 * const { connectedAccount } = await client.actions.getOrCreateConnectedAccount({ connectionName: 'gmail', identifier: 'user_42' })
 * if (connectedAccount.status !== 'ACTIVE') {
 *   const { link } = await client.actions.getAuthorizationLink({ connectedAccountId: connectedAccount.id })
 *   console.log('authorize at', link)
 * }
 * const { data } = await client.actions.executeTool({ toolName: 'gmail_fetch_mails', toolInput: { max_results: 5 }, connectedAccountId: connectedAccount.id })
 * ```
 */
export class ActionsClient {
  readonly #deps: ActionsDependencies

  constructor(deps: ActionsDependencies) {
    this.#deps = deps
  }

  /**
   * Reads an account with its credentials (the gateway's `auth` call; redacted unless the
   * environment allows token retrieval).
   *
   * @example
   * ```ts
   * const { connectedAccount } = await client.actions.getConnectedAccount({ connectionName: 'gmail', identifier: 'user_42' })
   * connectedAccount.authorizationDetails.oauthToken?.accessToken
   * ```
   */
  async getConnectedAccount(ref: AccountRef): Promise<{ connectedAccount: ConnectedAccountWithAuth }> {
    return { connectedAccount: await this.#deps.connectedAccounts.getAuth(ref) }
  }

  /**
   * Reads an account without credentials.
   *
   * @example
   * ```ts
   * const { connectedAccount } = await client.actions.getConnectedAccountDetails({ connectedAccountId: 'ca_1' })
   * ```
   */
  async getConnectedAccountDetails(ref: AccountRef): Promise<{ connectedAccount: ConnectedAccount }> {
    return { connectedAccount: await this.#deps.connectedAccounts.getDetails(ref) }
  }

  /**
   * Returns the account, creating it (in `PENDING_AUTH` when no credentials are given) if
   * missing; given credentials are applied to an existing account whatever its status.
   *
   * @example
   * ```ts
   * const { connectedAccount } = await client.actions.getOrCreateConnectedAccount({ connectionName: 'gmail', identifier: 'user_42' })
   * ```
   */
  async getOrCreateConnectedAccount(params: GetOrCreateConnectedAccountParams): Promise<{ connectedAccount: ConnectedAccount }> {
    return { connectedAccount: await this.#deps.connectedAccounts.getOrCreate(params) }
  }

  /**
   * Alias of {@link ActionsClient.getOrCreateConnectedAccount}.
   *
   * @example
   * ```ts
   * await client.actions.upsertConnectedAccount({ connectionName: 'stripe', identifier: 'u1', authorizationDetails: { staticAuth: { api_key } } })
   * ```
   */
  upsertConnectedAccount(params: GetOrCreateConnectedAccountParams): Promise<{ connectedAccount: ConnectedAccount }> {
    return this.getOrCreateConnectedAccount(params)
  }

  /**
   * Creates an account; `ConflictError` when it already exists.
   *
   * @example
   * ```ts
   * await client.actions.createConnectedAccount({ connectionName: 'stripe', identifier: 'u1', authorizationDetails: { staticAuth: { api_key } } })
   * ```
   */
  async createConnectedAccount(params: CreateConnectedAccountParams): Promise<{ connectedAccount: ConnectedAccount }> {
    return { connectedAccount: await this.#deps.connectedAccounts.create(params) }
  }

  /**
   * Updates an account's credentials and/or `apiConfig`.
   *
   * @example
   * ```ts
   * await client.actions.updateConnectedAccount({ connectionName: 'salesforce', identifier: 'u1', apiConfig: { version: 'v59.0' } })
   * ```
   */
  async updateConnectedAccount(params: UpdateConnectedAccountParams): Promise<{ connectedAccount: ConnectedAccount }> {
    return { connectedAccount: await this.#deps.connectedAccounts.update(params) }
  }

  /**
   * Lists accounts, oldest first.
   *
   * @example
   * ```ts
   * const { connectedAccounts, nextPageToken } = await client.actions.listConnectedAccounts({ identifier: 'user_42' })
   * ```
   */
  listConnectedAccounts(params: ListConnectedAccountsParams = {}): Promise<ConnectedAccountPage> {
    return this.#deps.connectedAccounts.list(params)
  }

  /**
   * Searches accounts by text (at least 3 characters).
   *
   * @example
   * ```ts
   * const { connectedAccounts } = await client.actions.searchConnectedAccounts({ query: 'alice' })
   * ```
   */
  searchConnectedAccounts(params: SearchConnectedAccountsParams): Promise<ConnectedAccountPage> {
    return this.#deps.connectedAccounts.search(params)
  }

  /**
   * Deletes an account for good.
   *
   * @example
   * ```ts
   * await client.actions.deleteConnectedAccount({ connectionName: 'gmail', identifier: 'user_42' })
   * ```
   */
  async deleteConnectedAccount(ref: AccountRef): Promise<void> {
    requireRef(ref)
    await this.#deps.connectedAccounts.delete(ref)
  }

  /**
   * Marks an account `DISCONNECTED` and erases its credentials, keeping the record.
   *
   * @example
   * ```ts
   * await client.actions.disconnectConnectedAccount({ connectedAccountId: 'ca_1' })
   * ```
   */
  async disconnectConnectedAccount(ref: AccountRef): Promise<{ connectedAccount: ConnectedAccount }> {
    requireRef(ref)
    const id = optional(ref.connectedAccountId) ?? (await this.#deps.connectedAccounts.getDetails(ref)).id
    return { connectedAccount: await this.#deps.connectedAccounts.disconnect(id) }
  }

  /**
   * Lists the environment's connections.
   *
   * @example
   * ```ts
   * const { connections } = await client.actions.listConnections({ provider: 'gmail' })
   * ```
   */
  listConnections(params: ListConnectionsParams = {}): Promise<ConnectionPage> {
    return this.#deps.connections.list(params)
  }

  /**
   * Creates a one-time link where the end user authorizes (OAuth) or enters credentials.
   *
   * @example
   * ```ts
   * const { link, expiry } = await client.actions.getAuthorizationLink({ connectionName: 'gmail', identifier: 'user_42', state: sessionId })
   * ```
   */
  getAuthorizationLink(params: MagicLinkParams): Promise<AuthorizationLink> {
    return this.#deps.connectedAccounts.getMagicLink(params)
  }

  /**
   * Confirms, from your `userVerifyUrl` handler, that the user who authorized is `identifier`.
   *
   * @example
   * ```ts
   * const { postUserVerifyRedirectUrl } = await client.actions.verifyConnectedAccountUser({ authRequestId, identifier: session.userId })
   * res.redirect(postUserVerifyRedirectUrl)
   * ```
   */
  verifyConnectedAccountUser(params: { authRequestId: string; identifier: string }): Promise<{ postUserVerifyRedirectUrl: string }> {
    return this.#deps.connectedAccounts.verifyUser(params)
  }

  /**
   * Refreshes an account's OAuth token now.
   *
   * @example
   * ```ts
   * const { connectedAccount } = await client.actions.refreshConnectedAccount({ connectionName: 'gmail', identifier: 'user_42' })
   * ```
   */
  async refreshConnectedAccount(ref: AccountRef): Promise<{ connectedAccount: ConnectedAccount }> {
    requireRef(ref)
    return { connectedAccount: await this.#deps.connectedAccounts.refresh(ref) }
  }

  /**
   * Runs the troubleshooting checklist on one account: status, connection, tokens, an optional
   * refresh, granted versus required scopes, a read-only probe tool and the recent errors. Each
   * finding has a `result` (`ok` | `warn` | `fail`), a `message`, the `fix` to apply and a `docs` link.
   * The probe and refresh call the provider, so the call's timeout is `toolTimeoutMs` unless given.
   *
   * @example
   * ```ts
   * const diagnosis = await client.actions.diagnoseConnectedAccount('ca_123', { refresh: true })
   * for (const f of diagnosis.findings) if (f.result !== 'ok') console.log(f.check, f.message, f.fix)
   * ```
   */
  diagnoseConnectedAccount(connectedAccountId: string, options: DiagnoseOptions = {}): Promise<ConnectedAccountDiagnosis> {
    return runDiagnosis(this.#deps.transport, connectedAccountId, { ...options, timeoutMs: options.timeoutMs ?? this.#deps.toolTimeoutMs })
  }

  /**
   * Runs a tool with an account's credentials (timeout: `toolTimeoutMs`). The input goes in
   * `toolInput` (or `params`), verbatim. Failures:
   * - the provider failed: {@link ToolError}, or its kind-specific {@link ToolUnauthorizedError},
   *   {@link ToolForbiddenError}, {@link ToolRateLimitError}; never retried, never renews the SDK's token;
   * - the account is not `ACTIVE`: {@link AccountNotActiveError} (with `authorizationLink`);
   * - unknown tool: `NotFoundError` `tool_not_found`; invalid input: `BadRequestError`
   *   `validation_failed` with `details.issues` (`path` like `params.max_results`).
   *
   * @example
   * ```ts
   * const { data, executionId } = await client.actions.executeTool({
   *   toolName: 'gmail_fetch_mails', toolInput: { max_results: 5 }, connectionName: 'gmail', identifier: 'user_42',
   * })
   * ```
   */
  executeTool<T = FreeFormObject>(params: ExecuteToolParams): Promise<ExecuteToolResult<T>> {
    return this.#deps.tools.execute<T>(params)
  }

  /**
   * Reads one tool's definition (input schema, annotations) and metadata (required scopes).
   *
   * @example
   * ```ts
   * const { tool } = await client.actions.getTool('gmail_send_email')
   * ```
   */
  async getTool(toolName: string, options: GetToolOptions = {}): Promise<{ tool: Tool }> {
    return { tool: await this.#deps.tools.get(toolName, options) }
  }

  /**
   * Lists logged tool calls, newest first (filters combine with AND).
   *
   * @example
   * ```ts
   * const { toolCallLogs } = await client.actions.listToolCallLogs({ agentRunId: 'run_1' })
   * ```
   */
  listToolCallLogs(filter: ToolCallLogFilter = {}): Promise<ToolCallLogPage> {
    return this.#deps.tools.listCallLogs(filter)
  }

  /**
   * Reads one logged call by the execution id `executeTool` returned (or a tool error carries).
   *
   * @example
   * ```ts
   * const { toolCallLog } = await client.actions.getToolCallLog(err.executionId)
   * ```
   */
  async getToolCallLog(executionId: string): Promise<{ toolCallLog: ToolCallLog }> {
    return { toolCallLog: await this.#deps.tools.getCallLog(executionId) }
  }

  /**
   * Lists tools of the catalog.
   *
   * @example
   * ```ts
   * const { tools } = await client.actions.listTools({ provider: 'gmail' })
   * ```
   */
  listTools(params?: ListToolsParams & { format?: undefined }): Promise<ToolPage>
  listTools<F extends LlmToolFormat>(params: ListToolsParams & { format: F }): Promise<LlmCatalogPage<F>>
  listTools(params: ListToolsParams = {}): Promise<ToolPage | LlmCatalogPage<LlmToolFormat>> {
    return params.format === undefined ? this.#deps.tools.list({ ...params, format: undefined }) : this.#deps.tools.list({ ...params, format: params.format })
  }

  /**
   * Lists the tools an end user can run (the list to hand to the model).
   *
   * @example
   * ```ts
   * const { tools } = await client.actions.listScopedTools({ identifier: 'user_42', pageSize: 100 })
   * // OpenAI / Anthropic / MCP shapes, and the account each name runs as:
   * const { tools: anthropicTools, accounts } = await client.actions.listScopedTools({ identifier: 'user_42', format: 'anthropic' })
   * ```
   */
  listScopedTools(params: ListScopedToolsParams & { format?: undefined }): Promise<ScopedToolPage>
  listScopedTools<F extends LlmToolFormat>(params: ListScopedToolsParams & { format: F }): Promise<LlmToolPage<F>>
  listScopedTools(params: ListScopedToolsParams): Promise<ScopedToolPage | LlmToolPage<LlmToolFormat>> {
    return params.format === undefined ? this.#deps.tools.listScoped({ ...params, format: undefined }) : this.#deps.tools.listScoped({ ...params, format: params.format })
  }

  /**
   * Every tool an end user can run now in one vendor's shape (all pages), with the `accounts` map.
   *
   * @example
   * ```ts
   * const { tools, accounts } = await client.actions.listAllScopedTools({ identifier: 'user_42', format: 'openai' })
   * ```
   */
  listAllScopedTools<F extends LlmToolFormat>(params: Omit<ListScopedToolsParams, 'pageToken' | 'format'> & { format: F }): Promise<LlmToolSet<F>> {
    return this.#deps.tools.listAllScoped(params)
  }

  /**
   * Calls the provider's own API through the gateway (`{envUrl}/proxy{path}`), which injects the
   * account's credentials. HTTP error answers are raised as typed errors; the provider's own 401
   * or 503 never renews the SDK's token nor is retried (see {@link proxyRequest}).
   *
   * @example
   * ```ts
   * const response = await client.actions.request({ connectionName: 'gmail', identifier: 'user_42', path: '/gmail/v1/users/me/profile' })
   * const profile = await response.json<{ emailAddress: string }>()
   * ```
   */
  request(params: ProxyRequestParams): Promise<ProxyResponse> {
    return proxyRequest(this.#deps.transport, params, this.#deps.toolTimeoutMs)
  }
}

// Checked up front so the caller gets the same message whichever low-level route runs next.
function requireRef(ref: AccountRef): void {
  if (optional(ref.connectedAccountId)) return
  if (optional(ref.connectionName) && optional(ref.identifier)) return
  throw new Error('either connectedAccountId or connectionName + identifier is required')
}
