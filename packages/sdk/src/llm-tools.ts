/**
 * @module llm-tools — tool definitions in the shapes LLM vendors take, as the gateway serves them
 * (`format=openai|anthropic|mcp`), and the map from the name a model calls to the account it runs as.
 *
 * Vendor shapes are kept exactly as the gateway sent them (their keys are the vendor's, never
 * camelCased), so they can be passed to the vendor's API as they are.
 */

import type { PageInfo } from './types.js'

/** The vendor shapes the gateway serves. */
export type LlmToolFormat = 'openai' | 'anthropic' | 'mcp'

/** A JSON Schema object with `type: "object"`, kept verbatim. */
export type JsonObjectSchema = { type: 'object'; properties: Record<string, unknown> } & Record<string, unknown>

/**
 * OpenAI Chat Completions `tools[]` entry (`ChatCompletionTool`).
 *
 * @example
 * ```ts
 * const { tools } = await client.tools.listScoped({ identifier: 'user_42', format: 'openai' })
 * tools.map((tool: OpenAiTool) => tool.function.name)
 * ```
 */
export interface OpenAiTool {
  type: 'function'
  function: { name: string; description: string; parameters: JsonObjectSchema }
}

/**
 * Anthropic Messages API `tools[]` entry (custom tool).
 *
 * @example
 * ```ts
 * const { tools } = await client.tools.listScoped({ identifier: 'user_42', format: 'anthropic' })
 * tools.map((tool: AnthropicTool) => tool.input_schema)
 * ```
 */
export interface AnthropicTool {
  name: string
  description: string
  input_schema: JsonObjectSchema
}

/**
 * An MCP `tools/list` entry.
 *
 * @example
 * ```ts
 * const { tools } = await client.tools.listScoped({ identifier: 'user_42', format: 'mcp' })
 * tools.filter((tool: McpTool) => tool.annotations.readOnlyHint)
 * ```
 */
export interface McpTool {
  name: string
  title?: string
  description: string
  inputSchema: JsonObjectSchema
  outputSchema?: JsonObjectSchema
  annotations: { readOnlyHint: boolean; destructiveHint: boolean; idempotentHint: boolean; openWorldHint: boolean }
}

/** The shape of each format. */
export interface LlmToolOf {
  openai: OpenAiTool
  anthropic: AnthropicTool
  mcp: McpTool
}

/**
 * What a model's call of one name runs: the catalog tool and the connected account. The name is
 * the catalog name, unless the user holds two accounts the tool can run as; then each gets its own
 * name (`gmail_send_email__gmail-work`).
 */
export interface ToolBinding {
  toolName: string
  connectedAccountId: string
  connectionName: string
}

/** Keyed by the name the model calls. */
export type ToolBindings = Record<string, ToolBinding>

/**
 * Answer of `listScoped({ format })`: one page of vendor-shaped tools and the bindings of their names.
 *
 * @example
 * ```ts
 * const page: LlmToolPage<'anthropic'> = await client.tools.listScoped({ identifier: 'user_42', format: 'anthropic' })
 * ```
 */
export interface LlmToolPage<F extends LlmToolFormat> extends PageInfo {
  format: F
  tools: LlmToolOf[F][]
  accounts: ToolBindings
}

/**
 * Answer of `list({ format })`: catalog tools in a vendor shape (not bound to any account).
 *
 * @example
 * ```ts
 * const page: LlmCatalogPage<'openai'> = await client.tools.list({ provider: 'gmail', format: 'openai' })
 * ```
 */
export interface LlmCatalogPage<F extends LlmToolFormat> extends PageInfo {
  format: F
  tools: LlmToolOf[F][]
}

/**
 * Every scoped tool of one user in one format (all pages), ready to hand to a model.
 *
 * @example
 * ```ts
 * const { tools, accounts } = await client.tools.listAllScoped({ identifier: 'user_42', format: 'openai' })
 * ```
 */
export interface LlmToolSet<F extends LlmToolFormat> {
  format: F
  tools: LlmToolOf[F][]
  accounts: ToolBindings
}

/** Reads a `format=` answer without renaming the vendor's keys (only the bindings become camelCase). */
export function llmPageFromWire<F extends LlmToolFormat>(body: unknown, format: F): LlmCatalogPage<F> & { accounts: ToolBindings } {
  const wire = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>
  const accounts: ToolBindings = {}
  const rawAccounts = wire['accounts']
  if (typeof rawAccounts === 'object' && rawAccounts !== null) {
    for (const [name, raw] of Object.entries(rawAccounts as Record<string, Record<string, unknown>>)) {
      accounts[name] = { toolName: String(raw['tool_name'] ?? name), connectedAccountId: String(raw['connected_account_id'] ?? ''), connectionName: String(raw['connection_name'] ?? '') }
    }
  }
  return {
    format,
    tools: Array.isArray(wire['tools']) ? (wire['tools'] as LlmToolOf[F][]) : [],
    accounts,
    totalSize: typeof wire['total_size'] === 'number' ? wire['total_size'] : 0,
    nextPageToken: typeof wire['next_page_token'] === 'string' ? wire['next_page_token'] : '',
    prevPageToken: typeof wire['prev_page_token'] === 'string' ? wire['prev_page_token'] : '',
  }
}

/** The name an OpenAI / Anthropic / MCP tool is called by. */
export function llmToolName(tool: OpenAiTool | AnthropicTool | McpTool): string {
  return 'function' in tool ? tool.function.name : tool.name
}
