/**
 * @module adapters/scoped-tools — what the framework adapters start from: the tools one end user can
 * run now (all pages, OpenAI's shape: names and descriptions within the tightest vendor limits),
 * and a {@link ToolRunner} bound to the accounts they were listed for.
 */

import type { AgentgateClient } from '../client.js'
import type { JsonObjectSchema } from '../llm-tools.js'
import { ToolRunner, type ToolRunnerOptions } from './tool-runner.js'

/** Options of every framework adapter (`getAiSdkTools`, `getLangChainTools`, `getOpenAiAgentsTools`). */
export interface AgentToolsOptions extends Omit<ToolRunnerOptions, 'accounts' | 'identifier'> {
  /** The end user whose ACTIVE accounts bound the tools. */
  identifier: string
  /** Only these connectors (`gmail`, `slack`…). */
  providers?: readonly string[] | undefined
  /** Only these catalog tools. */
  toolNames?: readonly string[] | undefined
  /** Only the tools of these connections. */
  connectionNames?: readonly string[] | undefined
}

/** One tool as an adapter declares it to its framework. */
export interface ScopedToolDefinition {
  /** The name the model calls (unique across the user's accounts). */
  name: string
  description: string
  parameters: JsonObjectSchema
}

/** Lists the user's tools and binds a runner to their accounts. */
export async function loadScopedTools(client: AgentgateClient, options: AgentToolsOptions): Promise<{ definitions: ScopedToolDefinition[]; runner: ToolRunner }> {
  const { identifier, providers, toolNames, connectionNames, ...runnerOptions } = options
  const { tools, accounts } = await client.tools.listAllScoped({ identifier, providers, toolNames, connectionNames, format: 'openai' })
  const definitions = tools.map(({ function: fn }) => ({ name: fn.name, description: fn.description, parameters: fn.parameters }))
  return { definitions, runner: new ToolRunner(client, { ...runnerOptions, identifier, accounts }) }
}
