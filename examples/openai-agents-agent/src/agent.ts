/**
 * The agent: connect the user's account once (an authorization link when it is not ACTIVE yet),
 * then let the model call the user's tools. Tool calls run through Agentgate as the user's own
 * account; a failure comes back to the model as a readable result with the fix, never a throw.
 */
import type { AgentgateClient } from '@agentgate/sdk'
import { getOpenAiAgentsTools, preModifier } from '@agentgate/sdk/openai-agents'
import { Agent, run, type Model } from '@openai/agents'

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

/** One prompt, with the user's tools. `model` is a model name (OpenAI) or any Agents SDK `Model`. */
export async function runAgent(options: { client: AgentgateClient; model: string | Model; identifier: string; prompt: string }): Promise<string> {
  const tools = await getOpenAiAgentsTools(options.client, {
    identifier: options.identifier,
    authorizationLinks: 'create',
    // Issue lists: only the open ones, whatever the model asked for.
    modifiers: [preModifier(['github_list_issues', 'gitlab_list_issues'], (input) => ({ ...input, state: 'open' }))],
  })
  const agent = new Agent({
    name: 'Assistant',
    instructions: 'You act for the user through their connected accounts. When a tool result has an error with an authorization_link, give the user that link.',
    tools,
    model: options.model,
  })
  const result = await run(agent, options.prompt)
  return String(result.finalOutput ?? '')
}
