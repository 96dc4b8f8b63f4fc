/**
 * @module @agentgate/sdk/langchain — the user's tools as LangChain.js structured tools
 * (`DynamicStructuredTool` from `@langchain/core` 1, schema = the tool's JSON Schema), for
 * `model.bindTools(tools)` or an agent. Each returns JSON text: the data, or `{ error: { code,
 * message, fix, ... } }` for a failure (never thrown).
 *
 * @example
 * ```ts
 * import { getLangChainTools } from '@agentgate/sdk/langchain'
 *
 * const tools = await getLangChainTools(client, { identifier: 'user_42' })
 * const reply = await tools[0]?.invoke({})
 * ```
 */

import { DynamicStructuredTool } from '@langchain/core/tools'

import type { AgentgateClient } from '../client.js'
import { loadScopedTools, type AgentToolsOptions } from './scoped-tools.js'
import { resultText } from './tool-runner.js'

export { postModifier, preModifier, type ToolModifier } from './modifiers.js'
export type { AgentToolsOptions } from './scoped-tools.js'

/**
 * The tools `options.identifier` can run now, as LangChain structured tools.
 *
 * @example
 * ```ts
 * const tools = await getLangChainTools(client, { identifier: 'user_42', connectionNames: ['github'] })
 * ```
 */
export async function getLangChainTools(client: AgentgateClient, options: AgentToolsOptions): Promise<DynamicStructuredTool[]> {
  const { definitions, runner } = await loadScopedTools(client, options)
  return definitions.map(
    (definition) =>
      new DynamicStructuredTool({
        name: definition.name,
        description: definition.description,
        schema: definition.parameters,
        func: async (input: unknown) => resultText(await runner.run(definition.name, input)),
      }),
  )
}
