/**
 * `client.actions.diagnoseConnectedAccount` against the real gateway (both backends) and the Gmail
 * emulator: the typed answer in camelCase, the options reaching the server, and typed errors.
 */

import * as assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'

import { gmailEmulator, GMAIL_TOKEN } from '../../server/test/emulators/gmail.ts'
import { startEmulator, type RunningEmulator } from '../../server/test/helpers/emulator.ts'
import { BACKENDS, startTestGateway, unique, type TestGateway } from '../../server/test/helpers/test-gateway.ts'
import { AgentgateClient, BadRequestError, NotFoundError, type ConnectedAccountDiagnosis, type DiagnosisFinding } from '../src/index.ts'

const only = (diagnosis: ConnectedAccountDiagnosis, check: DiagnosisFinding['check']): DiagnosisFinding => {
  const found = diagnosis.findings.filter((f) => f.check === check)
  assert.equal(found.length, 1, `one ${check} finding`)
  return found[0] as DiagnosisFinding
}

for (const backend of BACKENDS) {
  describe(`SDK diagnoseConnectedAccount (${backend})`, () => {
    let gw: TestGateway
    let gmail: RunningEmulator
    let client: AgentgateClient
    let connectionName: string

    before(async () => {
      gmail = await startEmulator(gmailEmulator)
      gw = await startTestGateway(backend, { env: { AGENTGATE_ALLOW_PRIVATE_UPSTREAMS: 'true' } })
      client = new AgentgateClient({ envUrl: gw.url, clientId: gw.admin.clientId, clientSecret: gw.admin.clientSecret, retryBaseMs: 0 })
      connectionName = unique('gmail')
      await client.connections.create({ provider: 'gmail', name: connectionName, oauthConfig: { clientId: 'c', clientSecret: 's' }, apiConfig: { base_url: gmail.url } })
    })
    after(async () => {
      await gw?.close()
      await gmail?.close()
    })

    it('returns the findings of a healthy account in camelCase, the probe included', async () => {
      const { connectedAccount } = await client.actions.createConnectedAccount({
        connectionName,
        identifier: unique('user'),
        authorizationDetails: { oauthToken: { accessToken: GMAIL_TOKEN, scopes: ['https://mail.google.com/'] } },
      })
      const diagnosis = await client.actions.diagnoseConnectedAccount(connectedAccount.id)
      assert.equal(diagnosis.result, 'ok')
      assert.equal(diagnosis.connectedAccount.id, connectedAccount.id)
      assert.equal(diagnosis.connectedAccount.connectionName, connectionName)
      assert.ok(!Number.isNaN(Date.parse(diagnosis.diagnosedAt)))
      assert.deepEqual(diagnosis.findings.map((f) => f.check), ['status', 'connection', 'token', 'scopes', 'probe', 'recent_errors'])
      const probe = only(diagnosis, 'probe')
      assert.equal(probe.details?.['toolName'], 'gmail_get_profile')
      assert.match(String(probe.details?.['executionId']), /^exec_/)
      const { toolCallLog } = await client.actions.getToolCallLog(String(probe.details?.['executionId']))
      assert.equal(toolCallLog.source, 'diagnose')
    })

    it('passes refresh and includeProbe; a pending account warns with the link call', async () => {
      const { connectedAccount } = await client.actions.getOrCreateConnectedAccount({ connectionName, identifier: unique('user') })
      const sent = gmail.requests.length
      const diagnosis = await client.actions.diagnoseConnectedAccount(connectedAccount.id, { refresh: true, includeProbe: false })
      assert.equal(diagnosis.result, 'warn')
      assert.equal(diagnosis.findings.some((f) => f.check === 'probe'), false)
      const refresh = only(diagnosis, 'refresh')
      assert.equal(refresh.result, 'warn')
      assert.equal(refresh.details?.['outcome'], 'not_refreshable')
      const status = only(diagnosis, 'status')
      assert.match(status.fix ?? '', /POST \/api\/v1\/connected_accounts\/magic_link/)
      assert.match(status.docs ?? '', /\/troubleshooting\.md#pending_auth$/)
      assert.equal(gmail.requests.length, sent, 'nothing reached the provider')
    })

    it('raises typed errors: unknown account, a probe tool that writes', async () => {
      const missing = await client.actions.diagnoseConnectedAccount('ca_unknown').then(() => undefined, (e: unknown) => e)
      assert.ok(missing instanceof NotFoundError && missing.code === 'connected_account_not_found', String(missing))
      const { connectedAccount } = await client.actions.getOrCreateConnectedAccount({ connectionName, identifier: unique('user') })
      const write = await client.actions.diagnoseConnectedAccount(connectedAccount.id, { probeTool: 'gmail_send_email' }).then(() => undefined, (e: unknown) => e)
      assert.ok(write instanceof BadRequestError && write.code === 'validation_failed', String(write))
      await assert.rejects(client.actions.diagnoseConnectedAccount(' '), /connectedAccountId is required/)
    })
  })
}
