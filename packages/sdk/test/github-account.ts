/**
 * The fixture both SDK integration suites start from: the real gateway and the GitHub emulator with
 * one ACTIVE GitHub account, a client signed in with the admin credential, and that account's
 * identifier and connection name.
 */

import { githubEmulator, GITHUB_TOKEN } from '../../server/test/emulators/github.ts'
import type { Backend } from '../../server/test/helpers/test-gateway.ts'
import { startToolAccount, type ToolAccount } from '../../server/test/helpers/tool-suite.ts'

export interface GithubAccount<Client> {
  running: ToolAccount
  client: Client
  identifier: string
  connectionName: string
}

interface ClientOptions {
  envUrl: string
  clientId: string
  clientSecret: string
  retryBaseMs: number
}

interface AccountReader {
  actions: {
    getConnectedAccountDetails(ref: { connectedAccountId: string }): Promise<{ connectedAccount: { identifier: string; connectionName: string } }>
  }
}

/**
 * The client class is passed in because the suites build it from different places: the adapters
 * test from the SDK's source, the examples test from the built package (as an application would),
 * and the two classes are distinct types.
 */
export async function startGithubAccount<Client extends AccountReader>(backend: Backend, ClientClass: new (options: ClientOptions) => Client): Promise<GithubAccount<Client>> {
  const running = await startToolAccount(backend, { connector: 'github', emulator: githubEmulator, account: { oauth_token: { access_token: GITHUB_TOKEN, scopes: ['repo', 'read:user'] } } })
  const client = new ClientClass({ envUrl: running.gw.url, clientId: running.gw.admin.clientId, clientSecret: running.gw.admin.clientSecret, retryBaseMs: 0 })
  const { connectedAccount } = await client.actions.getConnectedAccountDetails({ connectedAccountId: running.accountId })
  return { running, client, identifier: connectedAccount.identifier, connectionName: connectedAccount.connectionName }
}
