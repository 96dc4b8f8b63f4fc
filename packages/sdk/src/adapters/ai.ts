/**
 * @module @agentgate/sdk/ai — the user's tools as Vercel AI SDK (`ai` 6) `tool()`s, keyed by name,
 * ready for `generateText({ tools })` / `streamText({ tools })`. Each runs through the gateway as
 * the account it was listed for; a failure is returned to the model as `{ error: { code, message,
 * fix, ... } }` rather than thrown.
 *
 * @example
 * ```ts
 * import { generateText, stepCountIs } from 'ai'
 * import { getAiSdkTools } from '@agentgate/sdk/ai'
 *
 * const tools = await getAiSdkTools(client, { identifier: 'user_42', authorizationLinks: 'create' })
 * const { text } = await generateText({ model, tools, stopWhen: stepCountIs(5), prompt: 'Summarize my unread mail' })
 * ```
 */

import { jsonSchema, tool, type JSONSchema7, type Tool } from 'ai'

import type { AgentgateClient } from '../client.js'
import type { FreeFormObject } from '../types.js'
import { loadScopedTools, type AgentToolsOptions } from './scoped-tools.js'
import { resultForModel } from './tool-runner.js'

export { postModifier, preModifier, type ToolModifier } from './modifiers.js'
export type { AgentToolsOptions } from './scoped-tools.js'

/** A tool set for the AI SDK: the model-facing name → tool. */
export type AiSdkToolSet = Record<string, Tool<FreeFormObject, unknown>>

/**
 * The tools `options.identifier` can run now, as AI SDK tools.
 *
 * @example
 * ```ts
 * const tools = await getAiSdkTools(client, { identifier: 'user_42', providers: ['github'] })
 * ```
 */
export async function getAiSdkTools(client: AgentgateClient, options: AgentToolsOptions): Promise<AiSdkToolSet> {
  const { definitions, runner } = await loadScopedTools(client, options)
  const tools: AiSdkToolSet = {}
  for (const definition of definitions) {
    tools[definition.name] = tool<FreeFormObject, unknown>({
      description: definition.description,
      // The gateway validates the input against the same schema and answers validation_failed with the issues.
      inputSchema: jsonSchema<FreeFormObject>(definition.parameters as JSONSchema7),
      execute: async (input) => resultForModel(await runner.run(definition.name, input)),
    })
  }
  return tools
}
