/**
 * @module @agentgate/sdk/openai-agents — the user's tools as OpenAI Agents SDK function tools
 * (`tool()` of `@openai/agents` 0.14, non-strict JSON Schema parameters), for `new Agent({ tools })`.
 * Each returns JSON text: the data, or `{ error: { code, message, fix, ... } }` for a failure
 * (never thrown).
 *
 * @example
 * ```ts
 * import { Agent, run } from '@openai/agents'
 * import { getOpenAiAgentsTools } from '@agentgate/sdk/openai-agents'
 *
 * const tools = await getOpenAiAgentsTools(client, { identifier: 'user_42', authorizationLinks: 'create' })
 * const agent = new Agent({ name: 'Assistant', instructions: 'Help with GitHub.', tools })
 * const result = await run(agent, 'Who am I on GitHub?')
 * ```
 */

import { tool, type FunctionTool } from '@openai/agents'

import type { AgentgateClient } from '../client.js'
import { loadScopedTools, type AgentToolsOptions } from './scoped-tools.js'
import { resultText } from './tool-runner.js'

export { postModifier, preModifier, type ToolModifier } from './modifiers.js'
export type { AgentToolsOptions } from './scoped-tools.js'

/** A function tool as this adapter makes it (what `new Agent({ tools })` takes). */
export type AgentgateFunctionTool = FunctionTool<unknown, NonStrictParameters, unknown>

/** The Agents SDK types non-strict parameters this way but passes any JSON Schema object through as is. */
type NonStrictParameters = { type: 'object'; properties: Record<string, never>; required: never[]; additionalProperties: true }

/**
 * The tools `options.identifier` can run now, as OpenAI Agents SDK function tools.
 *
 * @example
 * ```ts
 * const tools = await getOpenAiAgentsTools(client, { identifier: 'user_42', providers: ['github'] })
 * ```
 */
export async function getOpenAiAgentsTools(client: AgentgateClient, options: AgentToolsOptions): Promise<AgentgateFunctionTool[]> {
  const { definitions, runner } = await loadScopedTools(client, options)
  return definitions.map((definition) =>
    tool({
      name: definition.name,
      description: definition.description,
      // Catalog schemas use JSON Schema features strict mode refuses (optional keys, formats, bounds): non-strict.
      strict: false,
      parameters: definition.parameters as unknown as NonStrictParameters,
      execute: async (input: unknown) => resultText(await runner.run(definition.name, input)),
    }),
  )
}
