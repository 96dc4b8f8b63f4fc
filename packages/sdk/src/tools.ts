/**
 * @module tools — low-level client of tool discovery and execution (`/api/v1/tools`, `/api/v1/execute_tool`).
 *
 * These routes arrive in a later server release; the SDK already speaks them so applications
 * can be written against the final API.
 */

import type { Transport } from './transport.js'
import type { ExecuteToolResult, FreeFormObject, ScopedToolPage, ToolPage } from './types.js'
import { fromWire, optional, required, toQuery, toWire, withPageInfo } from './wire.js'

/** Filters of {@link ToolsClient.list}. */
export interface ListToolsParams {
  provider?: string | undefined
  /** With `connectionName` (or `connectedAccountId`), adds that account's custom tools. */
  identifier?: string | undefined
  toolNames?: readonly string[] | undefined
  /** Full-text search over names and descriptions. */
  query?: string | undefined
  connectionName?: string | undefined
  connectedAccountId?: string | undefined
  organizationId?: string | undefined
  userId?: string | undefined
  /** Return only `toolNames`, not full definitions. */
  summary?: boolean | undefined
  pageSize?: number | undefined
  pageToken?: string | undefined
}

/** Filters of {@link ToolsClient.listScoped}. */
export interface ListScopedToolsParams {
  /** The end user whose connected accounts bound the list. */
  identifier: string
  providers?: readonly string[] | undefined
  toolNames?: readonly string[] | undefined
  connectionNames?: readonly string[] | undefined
  pageSize?: number | undefined
  pageToken?: string | undefined
}

/** Parameters of {@link ToolsClient.execute}. */
export interface ExecuteToolParams {
  toolName: string
  /** The tool's JSON input, sent verbatim as `params`. */
  toolInput?: FreeFormObject | undefined
  connectedAccountId?: string | undefined
  connectionName?: string | undefined
  identifier?: string | undefined
  /** Groups several calls of one agent run in the logs. */
  agentRunId?: string | undefined
}

/**
 * Lists and runs tools. Tool errors surface as {@link ToolError} and are never retried.
 *
 * @example
 * ```ts
 * const tools = new ToolsClient(transport, 60_000)
 * const { data } = await tools.execute({ toolName: 'gmail_get_profile', connectedAccountId: 'ca_1' })
 * ```
 */
export class ToolsClient {
  readonly #transport: Transport
  readonly #toolTimeoutMs: number

  constructor(transport: Transport, toolTimeoutMs: number) {
    this.#transport = transport
    this.#toolTimeoutMs = toolTimeoutMs
  }

  /**
   * Lists tools of the catalog.
   *
   * @example
   * ```ts
   * const { toolNames } = await tools.list({ provider: 'gmail', summary: true })
   * ```
   */
  async list(params: ListToolsParams = {}): Promise<ToolPage> {
    const body = await this.#transport.json({ method: 'GET', path: '/api/v1/tools', query: toQuery(params), timeoutMs: this.#toolTimeoutMs })
    return withPageInfo({ tools: [], toolNames: [], ...fromWire<Partial<ToolPage>>(body) })
  }

  /**
   * Lists the tools one end user can run now (only connections where they have an account).
   *
   * @example
   * ```ts
   * const { tools: scoped } = await tools.listScoped({ identifier: 'user_42', connectionNames: ['gmail'] })
   * ```
   */
  async listScoped(params: ListScopedToolsParams): Promise<ScopedToolPage> {
    const query = toQuery({ ...params, identifier: required(params.identifier, 'identifier') })
    const body = await this.#transport.json({ method: 'GET', path: '/api/v1/tools/scoped', query, timeoutMs: this.#toolTimeoutMs })
    return withPageInfo({ tools: [], ...fromWire<Partial<ScopedToolPage>>(body) })
  }

  /**
   * Runs one tool with the named account's credentials.
   *
   * @example
   * ```ts
   * const { data, executionId } = await tools.execute({ toolName: 'gmail_fetch_mails', toolInput: { max_results: 5 }, connectionName: 'gmail', identifier: 'user_42' })
   * ```
   */
  async execute(params: ExecuteToolParams): Promise<ExecuteToolResult> {
    const json = toWire({
      toolName: required(params.toolName, 'toolName'),
      params: params.toolInput ?? {},
      connectedAccountId: optional(params.connectedAccountId),
      connectionName: optional(params.connectionName),
      identifier: optional(params.identifier),
      agentRunId: optional(params.agentRunId),
    })
    const body = await this.#transport.json({ method: 'POST', path: '/api/v1/execute_tool', json, timeoutMs: this.#toolTimeoutMs })
    const result = fromWire<Partial<ExecuteToolResult>>(body)
    return { data: result.data ?? {}, executionId: result.executionId ?? '' }
  }
}
