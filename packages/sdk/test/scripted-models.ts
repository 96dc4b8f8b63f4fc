/**
 * Scripted models for the adapter and example tests (no network): on its first turn each asks for
 * one tool call; on the next it answers with the text of the tool result it was given, and records
 * every request so a test can check what the model was sent.
 */

import type { AgentInputItem, Model, ModelRequest, ModelResponse, StreamEvent } from '@openai/agents'
import { Usage } from '@openai/agents'
import type { LanguageModelV3CallOptions, LanguageModelV3GenerateResult } from '@ai-sdk/provider'
import { MockLanguageModelV3 } from 'ai/test'

const NO_TOKENS = { inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 1, text: 1, reasoning: 0 } }

/** The tool result the AI SDK put in a prompt, as the JSON value the model reads. */
function aiToolResultIn(prompt: LanguageModelV3CallOptions['prompt']): unknown {
  for (const message of prompt) {
    if (message.role !== 'tool') continue
    for (const part of message.content) {
      if (part.type !== 'tool-result') continue
      const output = part.output
      if (output.type === 'json' || output.type === 'error-json') return output.value
      if (output.type === 'text' || output.type === 'error-text') return output.value
    }
  }
  return undefined
}

/**
 * An AI SDK language model that calls `toolName` with `input`, then says `RESULT <json>` where
 * `<json>` is the tool result the SDK fed back. `calls` keeps each request's prompt.
 */
export function scriptedAiModel(toolName: string, input: Record<string, unknown>): MockLanguageModelV3 & { results: unknown[] } {
  const results: unknown[] = []
  const model = new MockLanguageModelV3({
    doGenerate: async (options): Promise<LanguageModelV3GenerateResult> => {
      const result = aiToolResultIn(options.prompt)
      if (result === undefined) {
        return { content: [{ type: 'tool-call', toolCallId: 'call_1', toolName, input: JSON.stringify(input) }], finishReason: { unified: 'tool-calls', raw: 'tool_calls' }, usage: NO_TOKENS, warnings: [] }
      }
      results.push(result)
      return { content: [{ type: 'text', text: `RESULT ${JSON.stringify(result)}` }], finishReason: { unified: 'stop', raw: 'stop' }, usage: NO_TOKENS, warnings: [] }
    },
  })
  return Object.assign(model, { results })
}

function agentsToolResultIn(input: string | AgentInputItem[]): string | undefined {
  if (typeof input === 'string') return undefined
  for (const item of input) {
    if (item.type !== 'function_call_result') continue
    const output: unknown = item.output
    if (typeof output === 'string') return output
    if (typeof output === 'object' && output !== null && 'text' in output && typeof output.text === 'string') return output.text
  }
  return undefined
}

/**
 * An OpenAI Agents SDK model that calls `toolName` with `input`, then says `RESULT <text>` with
 * the function output it was given. `results` keeps each tool output text it saw.
 */
export class ScriptedAgentsModel implements Model {
  readonly results: string[] = []
  readonly #toolName: string
  readonly #input: Record<string, unknown>

  constructor(toolName: string, input: Record<string, unknown>) {
    this.#toolName = toolName
    this.#input = input
  }

  async getResponse(request: ModelRequest): Promise<ModelResponse> {
    const usage = new Usage({ requests: 1, inputTokens: 1, outputTokens: 1, totalTokens: 2 })
    const result = agentsToolResultIn(request.input)
    if (result === undefined) {
      return { usage, output: [{ type: 'function_call', callId: 'call_1', name: this.#toolName, arguments: JSON.stringify(this.#input), status: 'completed' }] }
    }
    this.results.push(result)
    return { usage, output: [{ type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: `RESULT ${result}` }] }] }
  }

  // The tests run without streaming.
  // eslint-disable-next-line require-yield
  async *getStreamedResponse(_request: ModelRequest): AsyncIterable<StreamEvent> {
    throw new Error('ScriptedAgentsModel does not stream')
  }
}
