/**
 * @module @agentgate/sdk/executor — runs the tool calls of a model you call yourself (no framework):
 * an Anthropic `tool_use` block becomes a `tool_result` block, an OpenAI `tool_calls` entry becomes
 * a `role: "tool"` message. Failures come back as results the model can read (with the fix), with
 * `is_error: true` for Anthropic; nothing here throws for a failed call.
 *
 * @example
 * ```ts
 * import { createToolExecutor } from '@agentgate/sdk/executor'
 *
 * const { tools, accounts } = await client.tools.listAllScoped({ identifier: 'user_42', format: 'anthropic' })
 * const executor = createToolExecutor(client, { identifier: 'user_42', accounts, authorizationLinks: 'create' })
 * // ...send `tools` to the Messages API; for each tool_use block of the answer:
 * const block = await executor.runAnthropic(toolUse)
 * ```
 */

import type { AgentgateClient } from '../client.js'
import { ToolRunner, resultText, type ToolRunResult, type ToolRunnerOptions } from './tool-runner.js'

export { postModifier, preModifier, type ModifierContext, type PostModifier, type PostModifierFunction, type PreModifier, type PreModifierFunction, type ToolModifier } from './modifiers.js'
export { ToolRunner, resultForModel, resultText, type AuthorizationLinkMode, type ToolFailure, type ToolRunResult, type ToolRunnerOptions } from './tool-runner.js'

/** An Anthropic Messages API `tool_use` content block. */
export interface AnthropicToolUseBlock {
  type: 'tool_use'
  id: string
  name: string
  input: unknown
}

/** The `tool_result` block that answers it (goes in the next `user` message). */
export interface AnthropicToolResultBlock {
  type: 'tool_result'
  tool_use_id: string
  content: string
  is_error?: true
}

/** One entry of an OpenAI Chat Completions `message.tool_calls`. */
export interface OpenAiToolCall {
  id: string
  type: 'function'
  function: { name: string; arguments: string }
}

/** The `role: "tool"` message that answers it. */
export interface OpenAiToolMessage {
  role: 'tool'
  tool_call_id: string
  content: string
}

/** Runs model tool calls; see the module example. */
export interface ToolExecutor {
  /** Runs one call by name with its input (object or JSON text); the outcome, never a throw. */
  run(name: string, input: unknown): Promise<ToolRunResult>
  /** Anthropic `tool_use` → `tool_result` (`is_error: true` on failure). */
  runAnthropic(block: AnthropicToolUseBlock): Promise<AnthropicToolResultBlock>
  /** OpenAI `tool_calls[i]` → the `tool` message. */
  runOpenAi(call: OpenAiToolCall): Promise<OpenAiToolMessage>
  /** Either of the two, told apart by shape. */
  execute(call: AnthropicToolUseBlock): Promise<AnthropicToolResultBlock>
  execute(call: OpenAiToolCall): Promise<OpenAiToolMessage>
}

/**
 * An executor bound to one end user. Give `accounts` from `listScoped({ format })` /
 * `listAllScoped(...)` so each name runs as the account it was listed for.
 *
 * @example
 * ```ts
 * const executor = createToolExecutor(client, { identifier: 'user_42', accounts })
 * const message = await executor.runOpenAi(toolCall)
 * ```
 */
export function createToolExecutor(client: AgentgateClient, options: ToolRunnerOptions): ToolExecutor {
  const runner = new ToolRunner(client, options)
  const runAnthropic = async (block: AnthropicToolUseBlock): Promise<AnthropicToolResultBlock> => {
    const result = await runner.run(block.name, block.input)
    return { type: 'tool_result', tool_use_id: block.id, content: resultText(result), ...(result.ok ? {} : { is_error: true as const }) }
  }
  const runOpenAi = async (call: OpenAiToolCall): Promise<OpenAiToolMessage> => {
    const result = await runner.run(call.function.name, call.function.arguments)
    return { role: 'tool', tool_call_id: call.id, content: resultText(result) }
  }
  function execute(call: AnthropicToolUseBlock): Promise<AnthropicToolResultBlock>
  function execute(call: OpenAiToolCall): Promise<OpenAiToolMessage>
  function execute(call: AnthropicToolUseBlock | OpenAiToolCall): Promise<AnthropicToolResultBlock | OpenAiToolMessage> {
    return 'function' in call ? runOpenAi(call) : runAnthropic(call)
  }
  return { run: (name, input) => runner.run(name, input), runAnthropic, runOpenAi, execute }
}
