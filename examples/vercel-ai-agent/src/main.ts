/**
 * Run: AGENTGATE_URL=… AGENTGATE_CLIENT_ID=… AGENTGATE_CLIENT_SECRET=… AI_GATEWAY_API_KEY=… \
 *   npx tsx src/main.ts "Who am I on GitHub?"
 */
import { AgentgateClient } from '@agentgate/sdk'

import { connectUser, runAgent, waitUntilActive } from './agent.ts'

const client = new AgentgateClient({
  envUrl: process.env['AGENTGATE_URL'] ?? 'http://localhost:8080',
  clientId: process.env['AGENTGATE_CLIENT_ID'] ?? '',
  clientSecret: process.env['AGENTGATE_CLIENT_SECRET'] ?? '',
})
const connectionName = process.env['CONNECTION_NAME'] ?? 'github'
const identifier = process.env['USER_ID'] ?? 'user_42'

const connection = await connectUser(client, connectionName, identifier)
if ('link' in connection) {
  console.log(`Open this link to connect your ${connectionName} account:\n  ${connection.link}`)
  if (!(await waitUntilActive(client, connectionName, identifier))) throw new Error('the account was not connected in time')
}

// A model id of the Vercel AI Gateway; any AI SDK provider's model works here (e.g. openai('gpt-4.1') of @ai-sdk/openai).
const model = process.env['MODEL'] ?? 'openai/gpt-4.1-mini'
const { text } = await runAgent({ client, model, identifier, prompt: process.argv[2] ?? 'Who am I on GitHub?' })
console.log(text)
