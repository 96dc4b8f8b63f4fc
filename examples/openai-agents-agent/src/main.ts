/**
 * Run: AGENTGATE_URL=… AGENTGATE_CLIENT_ID=… AGENTGATE_CLIENT_SECRET=… OPENAI_API_KEY=… \
 *   npx tsx src/main.ts "Which issues are open on octocat/Hello-World?"
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

const answer = await runAgent({ client, model: process.env['OPENAI_MODEL'] ?? 'gpt-4.1-mini', identifier, prompt: process.argv[2] ?? 'Who am I on GitHub?' })
console.log(answer)
