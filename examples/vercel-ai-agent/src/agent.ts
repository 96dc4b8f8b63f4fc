/**
 * The agent: connect the user's account once (an authorization link when it is not ACTIVE yet),
 * then let the model call the user's tools. Tool calls run through Agentgate as the user's own
 * account; a failure comes back to the model as a readable result with the fix, never a throw.
 */
import type { AgentgateClient } from '@agentgate/sdk'
import { getAiSdkTools, postModifier } from '@agentgate/sdk/ai'
import { generateText, stepCountIs, type LanguageModel } from 'ai'

export type Connection = { status: 'ACTIVE' } | { status: string; link: string }

/** The account of `identifier` on `connectionName`: ACTIVE, or the link the user must open. */
export async function connectUser(client: AgentgateClient, connectionName: string, identifier: string): Promise<Connection> {
  const { connectedAccount } = await client.actions.getOrCreateConnectedAccount({ connectionName, identifier })
  if (connectedAccount.status === 'ACTIVE') return { status: 'ACTIVE' }
  const { link } = await client.actions.getAuthorizationLink({ connectionName, identifier })
  return { status: connectedAccount.status, link }
}

/** Polls until the user has finished authorizing (or `timeoutMs` passes). */
export async function waitUntilActive(client: AgentgateClient, connectionName: string, identifier: string, timeoutMs = 300_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const { connectedAccount } = await client.actions.getConnectedAccountDetails({ connectionName, identifier })
    if (connectedAccount.status === 'ACTIVE') return true
    await new Promise((resolve) => setTimeout(resolve, 2_000))
  }
  return false
}

export interface AgentRun {
  text: string
  /** What each tool call returned to the model. */
  toolOutputs: unknown[]
}

/** One prompt, with the user's tools; up to five model steps. */
export async function runAgent(options: { client: AgentgateClient; model: LanguageModel; identifier: string; prompt: string }): Promise<AgentRun> {
  const tools = await getAiSdkTools(options.client, {
    identifier: options.identifier,
    // A link the model can hand to the user when the account needs authorizing again.
    authorizationLinks: 'create',
    // Keep results small for the model: drop avatar and API URLs from every answer.
    modifiers: [postModifier('*', (data) => dropUrls(data))],
  })
  const result = await generateText({
    model: options.model,
    tools,
    stopWhen: stepCountIs(5),
    system: 'You act for the user through their connected accounts. When a tool result has an error with an authorization_link, give the user that link.',
    prompt: options.prompt,
  })
  return { text: result.text, toolOutputs: result.steps.flatMap((step) => step.toolResults.map((toolResult) => toolResult.output)) }
}

function dropUrls(data: unknown): unknown {
  if (Array.isArray(data)) return data.map(dropUrls)
  if (typeof data !== 'object' || data === null) return data
  return Object.fromEntries(Object.entries(data).filter(([key]) => !key.endsWith('_url')).map(([key, value]) => [key, dropUrls(value)]))
}
