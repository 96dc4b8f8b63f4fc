/**
 * @module tools — low-level client of tool discovery, execution and the tool call log
 * (`/api/v1/tools`, `/api/v1/execute_tool`, `/api/v1/agentkit/tool_call_logs`).
 */

import { llmPageFromWire, type LlmCatalogPage, type LlmToolFormat, type LlmToolPage, type LlmToolSet } from './llm-tools.js'
import type { Transport } from './transport.js'
import type {
  ExecuteToolResult,
  FreeFormObject,
  ScopedToolPage,
  Tool,
  ToolCallLog,
  ToolCallLogPage,
  ToolCallStatus,
  ToolPage,
} from './types.js'
import { fromWire, optional, required, segment, toQuery, toWire, withPageInfo } from './wire.js'

/** Filters of {@link ToolsClient.list}. */
export interface ListToolsParams {
  /** Connector key, e.g. `gmail`. */
  provider?: string | undefined
  /** Only these tools (sent as repeated `tool_name`). */
  toolNames?: readonly string[] | undefined
  /** Text search over names and descriptions. */
  query?: string | undefined
  /** Return only `toolNames`, not full definitions. */
  summary?: boolean | undefined
  /** Also list the versions that are not the default one. */
  includeVersions?: boolean | undefined
  /** Return the definitions in an LLM vendor's shape (see {@link LlmCatalogPage}); not with `summary`. */
  format?: LlmToolFormat | undefined
  /** 1–500, default 100. */
  pageSize?: number | undefined
  pageToken?: string | undefined
}

/** Options of {@link ToolsClient.get}. */
export interface GetToolOptions {
  /** A version other than the default one. */
  toolVersion?: string | undefined
}

/** Filters of {@link ToolsClient.listScoped}. */
export interface ListScopedToolsParams {
  /** The end user whose ACTIVE connected accounts bound the list. */
  identifier: string
  providers?: readonly string[] | undefined
  toolNames?: readonly string[] | undefined
  connectionNames?: readonly string[] | undefined
  /** Return vendor-shaped tools plus the `accounts` map (see {@link LlmToolPage}). */
  format?: LlmToolFormat | undefined
  pageSize?: number | undefined
  pageToken?: string | undefined
}

/**
 * Parameters of {@link ToolsClient.execute}. The account is named by `connectedAccountId`, or by
 * `connectionName` + `identifier`, or by `identifier` alone when exactly one account of the tool's
 * connector has it (the gateway answers `account_ambiguous` otherwise).
 */
export interface ExecuteToolParams {
  toolName: string
  /** The tool's JSON input, sent verbatim as `params` (keys are not renamed). */
  toolInput?: FreeFormObject | undefined
  /** Same as `toolInput` (the wire name); give one or the other. */
  params?: FreeFormObject | undefined
  connectedAccountId?: string | undefined
  connectionName?: string | undefined
  identifier?: string | undefined
  /** Groups several calls of one agent run in the tool call log. */
  agentRunId?: string | undefined
  /** Pins a tool version instead of the default one. */
  toolVersion?: string | undefined
}

/** Filters of {@link ToolsClient.listCallLogs}; every one is optional. */
export interface ToolCallLogFilter {
  connectedAccountId?: string | undefined
  identifier?: string | undefined
  connectionName?: string | undefined
  agentRunId?: string | undefined
  toolName?: string | undefined
  status?: ToolCallStatus | undefined
  provider?: string | undefined
  /** A `Date` or an RFC 3339 string. */
  startTime?: Date | string | undefined
  endTime?: Date | string | undefined
  pageSize?: number | undefined
  pageToken?: string | undefined
}

/**
 * Lists, describes and runs tools, and reads the tool call log. Tool failures surface as
 * {@link ToolError} (or its kind-specific classes) and are never retried.
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
  list(params?: ListToolsParams & { format?: undefined }): Promise<ToolPage>
  list<F extends LlmToolFormat>(params: ListToolsParams & { format: F }): Promise<LlmCatalogPage<F>>
  async list(params: ListToolsParams = {}): Promise<ToolPage | LlmCatalogPage<LlmToolFormat>> {
    const { toolNames, ...rest } = params
    // The route takes the repeated singular key (`tool_name=a&tool_name=b`).
    const query = { ...toQuery(rest), tool_name: toolNames }
    const body = await this.#transport.json({ method: 'GET', path: '/api/v1/tools', query })
    if (params.format !== undefined) {
      const { accounts: _, ...page } = llmPageFromWire(body, params.format)
      return page
    }
    return withPageInfo({ tools: [], toolNames: [], ...fromWire<Partial<ToolPage>>(body) })
  }

  /**
   * Reads one tool (the default version unless `toolVersion` is given); `NotFoundError`
   * (`tool_not_found`) when there is none.
   *
   * @example
   * ```ts
   * const tool = await tools.get('gmail_send_email')
   * tool.definition.inputSchema
   * ```
   */
  async get(toolName: string, options: GetToolOptions = {}): Promise<Tool> {
    const body = await this.#transport.json({
      method: 'GET',
      path: `/api/v1/tools/${segment(toolName, 'toolName')}`,
      query: toQuery({ toolVersion: options.toolVersion }),
    })
    return fromWire<{ tool: Tool }>(body).tool
  }

  /**
   * Lists the tools one end user can run now (only connections where they have an ACTIVE account).
   *
   * @example
   * ```ts
   * const { tools: scoped } = await tools.listScoped({ identifier: 'user_42', connectionNames: ['gmail'] })
   * // In a vendor's shape, with the account each name runs as:
   * const { tools: openai, accounts } = await tools.listScoped({ identifier: 'user_42', format: 'openai' })
   * ```
   */
  listScoped(params: ListScopedToolsParams & { format?: undefined }): Promise<ScopedToolPage>
  listScoped<F extends LlmToolFormat>(params: ListScopedToolsParams & { format: F }): Promise<LlmToolPage<F>>
  async listScoped(params: ListScopedToolsParams): Promise<ScopedToolPage | LlmToolPage<LlmToolFormat>> {
    const query = toQuery({ ...params, identifier: required(params.identifier, 'identifier') })
    const body = await this.#transport.json({ method: 'GET', path: '/api/v1/tools/scoped', query })
    if (params.format !== undefined) return llmPageFromWire(body, params.format)
    return withPageInfo({ tools: [], ...fromWire<Partial<ScopedToolPage>>(body) })
  }

  /**
   * Every tool one end user can run now, in an LLM vendor's shape, with the `accounts` map that
   * tells which catalog tool and connected account each name runs as (walks all pages).
   *
   * @example
   * ```ts
   * const { tools, accounts } = await tools.listAllScoped({ identifier: 'user_42', format: 'anthropic' })
   * ```
   */
  async listAllScoped<F extends LlmToolFormat>(params: Omit<ListScopedToolsParams, 'pageToken' | 'format'> & { format: F }): Promise<LlmToolSet<F>> {
    const set: LlmToolSet<F> = { format: params.format, tools: [], accounts: {} }
    let pageToken: string | undefined
    do {
      const page = await this.listScoped({ pageSize: 500, ...params, pageToken })
      set.tools.push(...page.tools)
      Object.assign(set.accounts, page.accounts)
      pageToken = page.nextPageToken === '' ? undefined : page.nextPageToken
    } while (pageToken !== undefined)
    return set
  }

  /**
   * Runs one tool with the named account's credentials (timeout: `toolTimeoutMs`).
   *
   * @example
   * ```ts
   * const { data, executionId } = await tools.execute({ toolName: 'gmail_fetch_mails', toolInput: { max_results: 5 }, connectionName: 'gmail', identifier: 'user_42' })
   * ```
   */
  async execute<T = FreeFormObject>(params: ExecuteToolParams): Promise<ExecuteToolResult<T>> {
    if (params.toolInput !== undefined && params.params !== undefined && params.toolInput !== params.params) {
      throw new Error('give toolInput or params, not both')
    }
    const json = toWire({
      toolName: required(params.toolName, 'toolName'),
      params: params.params ?? params.toolInput ?? {},
      connectedAccountId: optional(params.connectedAccountId),
      connectionName: optional(params.connectionName),
      identifier: optional(params.identifier),
      agentRunId: optional(params.agentRunId),
      toolVersion: optional(params.toolVersion),
    })
    const body = await this.#transport.json({ method: 'POST', path: '/api/v1/execute_tool', json, timeoutMs: this.#toolTimeoutMs })
    const result = fromWire<Partial<ExecuteToolResult<T>>>(body)
    // `null` is a tool's answer too (kept); only a missing `data` reads as `{}`.
    return { data: result.data === undefined ? ({} as T) : result.data, executionId: result.executionId ?? '' }
  }

  /**
   * Lists logged tool calls, newest first.
   *
   * @example
   * ```ts
   * const { toolCallLogs, nextPageToken } = await tools.listCallLogs({ identifier: 'user_42', status: 'FAILED' })
   * ```
   */
  async listCallLogs(filter: ToolCallLogFilter = {}): Promise<ToolCallLogPage> {
    const query = toQuery({ ...filter, startTime: timeOf(filter.startTime), endTime: timeOf(filter.endTime) })
    const body = await this.#transport.json({ method: 'GET', path: '/api/v1/agentkit/tool_call_logs', query })
    const page = fromWire<Partial<ToolCallLogPage>>(body)
    return { toolCallLogs: page.toolCallLogs ?? [], nextPageToken: page.nextPageToken ?? '', prevPageToken: page.prevPageToken ?? '' }
  }

  /**
   * Reads one logged call by its execution id (from `executeTool` or a {@link ToolError});
   * `NotFoundError` (`tool_call_log_not_found`) when unknown.
   *
   * @example
   * ```ts
   * const log = await tools.getCallLog(err.executionId)
   * ```
   */
  async getCallLog(executionId: string): Promise<ToolCallLog> {
    const path = `/api/v1/agentkit/tool_call_logs/${segment(executionId, 'executionId')}`
    return fromWire<{ toolCallLog: ToolCallLog }>(await this.#transport.json({ method: 'GET', path })).toolCallLog
  }
}

function timeOf(value: Date | string | undefined): string | undefined {
  return value instanceof Date ? value.toISOString() : value
}
