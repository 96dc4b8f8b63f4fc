/**
 * The SDK against the real gateway (real HTTP, real database, both backends), no fakes: every
 * facade and resource call, typed errors with the server's codes, and camelCase on real answers.
 */

import * as assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'

import { BACKENDS, startTestGateway, unique, type TestGateway } from '../../server/test/helpers/test-gateway.ts'
import { AgentgateClient, AgentgateError, BadRequestError, ConflictError, NotFoundError, UnauthorizedError, isNotFoundError } from '../src/index.ts'
import type { ConnectedAccount, ListConnectedAccountsParams } from '../src/index.ts'

const ACCOUNT_KEYS = [
  'apiConfig', 'authorizationType', 'connectionId', 'connectionName', 'createdAt', 'id', 'identifier', 'lastUsedAt',
  'organizationId', 'provider', 'scopes', 'status', 'tokenExpiresAt', 'updatedAt', 'userId',
]
const ZENDESK_AUTH = { staticAuth: { domain: 'acme', email: 'agent@acme.com', api_token: 'zd-secret-1' } }

/** Awaits a rejection and checks its class and server code. */
async function rejects<T extends AgentgateError>(promise: Promise<unknown>, type: new (...args: never[]) => T, code: string): Promise<T> {
  const error: unknown = await promise.then(() => undefined, (e: unknown) => e)
  assert.ok(error instanceof type, `expected ${type.name} ${code}, got ${String(error)}`)
  assert.equal(error.code, code, error.message)
  return error
}

function issuePaths(error: AgentgateError): string[] {
  const issues = error.details['issues']
  assert.ok(Array.isArray(issues), `details.issues in ${JSON.stringify(error.details)}`)
  return issues.map((issue: { path: string }) => issue.path)
}

/** The account as the non-auth routes return it (getOrCreate returns the `auth` read, which adds credentials). */
function plain({ authorizationDetails: _, ...account }: ConnectedAccount): ConnectedAccount {
  return account
}

for (const backend of BACKENDS) {
  describe(`SDK against the real gateway (${backend})`, () => {
    let gw: TestGateway
    let client: AgentgateClient
    const sdk = (clientId: string, clientSecret: string) => new AgentgateClient({ envUrl: gw.url, clientId, clientSecret, retryBaseMs: 0 })
    const gmail = (c = client) => c.connections.create({ provider: 'gmail', name: unique('gmail'), oauthConfig: { clientId: 'cid.apps.googleusercontent.com', clientSecret: 'csecret' } })
    const zendesk = (c = client) => c.connections.create({ provider: 'zendesk', name: unique('zendesk'), type: 'API_KEY' })

    before(async () => {
      gw = await startTestGateway(backend)
      client = sdk(gw.admin.clientId, gw.admin.clientSecret)
    })
    after(async () => {
      await gw?.close()
    })

    it('getOrCreateConnectedAccount creates a PENDING_AUTH account once, then returns the same one', async () => {
      for (const connection of [await gmail(), await zendesk()]) {
        const identifier = unique('user')
        const { connectedAccount: first } = await client.actions.getOrCreateConnectedAccount({ connectionName: connection.name, identifier })
        assert.match(first.id, /^ca_/)
        assert.deepEqual([first.status, first.connectionName, first.connectionId, first.tokenExpiresAt], ['PENDING_AUTH', connection.name, connection.id, null])
        assert.deepEqual(Object.keys(first).sort(), ACCOUNT_KEYS)
        const { connectedAccount: again } = await client.actions.getOrCreateConnectedAccount({ connectionName: connection.name, identifier })
        assert.deepEqual(plain(again), first)
        assert.equal((await client.actions.listConnectedAccounts({ identifier })).totalSize, 1)
      }
    })

    it('getOrCreateConnectedAccount applies given credentials to an existing account whatever its status', async () => {
      const connection = await gmail()
      const identifier = unique('user')
      const { connectedAccount: pending } = await client.actions.getOrCreateConnectedAccount({ connectionName: connection.name, identifier })
      const before = Date.now()
      const { connectedAccount: active } = await client.actions.getOrCreateConnectedAccount({
        connectionName: connection.name, identifier, authorizationDetails: { oauthToken: { accessToken: 'at-1', refreshToken: 'rt-1', expiresIn: 3600 } },
      })
      assert.deepEqual([active.id, active.status], [pending.id, 'ACTIVE'])
      const expiresAt = Date.parse(active.tokenExpiresAt ?? '')
      assert.ok(expiresAt >= before + 3_590_000 && expiresAt <= Date.now() + 3_610_000, `tokenExpiresAt ${active.tokenExpiresAt}`)

      for (const [conn, details] of [[connection, { oauthToken: { accessToken: 'at-2' } }], [await zendesk(), ZENDESK_AUTH]] as const) {
        const id = conn === connection ? pending.id : (await client.actions.createConnectedAccount({ connectionName: conn.name, identifier, authorizationDetails: ZENDESK_AUTH })).connectedAccount.id
        assert.equal((await client.actions.disconnectConnectedAccount({ connectedAccountId: id })).connectedAccount.status, 'DISCONNECTED')
        const { connectedAccount } = await client.actions.getOrCreateConnectedAccount({ connectionName: conn.name, identifier, authorizationDetails: details })
        assert.deepEqual([connectedAccount.id, connectedAccount.status], [id, 'ACTIVE'])
        assert.equal((await client.actions.getConnectedAccountDetails({ connectedAccountId: id })).connectedAccount.status, 'ACTIVE')
      }
    })

    it('getOrCreateConnectedAccount without credentials returns an existing account unchanged', async () => {
      const connection = await zendesk()
      const identifier = unique('user')
      const { connectedAccount: created } = await client.actions.createConnectedAccount({
        connectionName: connection.name, identifier, authorizationDetails: ZENDESK_AUTH, apiConfig: { api_version: 'v2' },
      })
      const { connectedAccount: got } = await client.actions.getOrCreateConnectedAccount({ connectionName: connection.name, identifier, apiConfig: { api_version: 'v9' } })
      assert.deepEqual(plain(got), created)
      assert.deepEqual((await client.actions.getConnectedAccountDetails({ connectedAccountId: created.id })).connectedAccount, created)
      const { events } = await client.events.list({ connectedAccountId: created.id })
      assert.deepEqual(events.map((e) => e.type), ['connected_account.created'])
    })

    it('createConnectedAccount: ACTIVE with static credentials, free-form keys kept; a duplicate is ConflictError already_exists', async () => {
      const connection = await zendesk()
      const identifier = unique('user')
      const apiConfig = { api_version: 'v2', max_results: 5, use_sandbox: true }
      const { connectedAccount } = await client.actions.createConnectedAccount({
        connectionName: connection.name, identifier, organizationId: 'org_1', userId: 'usr_1', authorizationDetails: ZENDESK_AUTH, apiConfig,
      })
      assert.deepEqual(Object.keys(connectedAccount).sort(), ACCOUNT_KEYS)
      const { status, authorizationType, provider, organizationId, userId } = connectedAccount
      assert.deepEqual([status, authorizationType, provider, organizationId, userId], ['ACTIVE', 'API_KEY', 'zendesk', 'org_1', 'usr_1'])
      assert.deepEqual(connectedAccount.apiConfig, apiConfig)
      const duplicate = client.actions.createConnectedAccount({ connectionName: connection.name, identifier, organizationId: 'org_1', userId: 'usr_1' })
      assert.equal((await rejects(duplicate, ConflictError, 'already_exists')).status, 409)
      const other = await client.actions.createConnectedAccount({ connectionName: connection.name, identifier, organizationId: 'org_2', authorizationDetails: ZENDESK_AUTH })
      assert.notEqual(other.connectedAccount.id, connectedAccount.id)
    })

    it('updateConnectedAccount merges apiConfig and applies credentials, by name or by id', async () => {
      const connection = await gmail()
      const identifier = unique('user')
      const { connectedAccount: pending } = await client.actions.createConnectedAccount({ connectionName: connection.name, identifier })
      const byName = await client.actions.updateConnectedAccount({ connectionName: connection.name, identifier, apiConfig: { api_version: 'v1' } })
      assert.deepEqual([byName.connectedAccount.status, byName.connectedAccount.apiConfig], ['PENDING_AUTH', { api_version: 'v1' }])
      const byId = await client.actions.updateConnectedAccount({
        connectedAccountId: pending.id, apiConfig: { data_region: 'eu' },
        authorizationDetails: { oauthToken: { accessToken: 'at', expiresAt: '2030-01-01T00:00:00.000Z', scopes: ['mail.read'] } },
      })
      const { id, status, tokenExpiresAt, scopes, apiConfig } = byId.connectedAccount
      assert.deepEqual([id, status, tokenExpiresAt, scopes, apiConfig], [pending.id, 'ACTIVE', '2030-01-01T00:00:00.000Z', ['mail.read'], { api_version: 'v1', data_region: 'eu' }])
      await rejects(client.actions.updateConnectedAccount({ connectedAccountId: 'ca_missing', apiConfig: { a: 'b' } }), NotFoundError, 'connected_account_not_found')
    })

    it('listConnectedAccounts filters, and pages to the end with the right totalSize', async () => {
      const [a, b] = [await gmail(), await zendesk()]
      const prefix = unique('lst')
      const inA: string[] = []
      for (let i = 0; i < 5; i++) {
        const authorizationDetails = i % 2 === 1 ? { oauthToken: { accessToken: `at-${i}` } } : undefined
        inA.push((await client.actions.createConnectedAccount({ connectionName: a.name, identifier: `${prefix}-${i}`, authorizationDetails })).connectedAccount.id)
      }
      const inB = [
        (await client.actions.createConnectedAccount({ connectionName: b.name, identifier: `${prefix}-b0`, authorizationDetails: ZENDESK_AUTH })).connectedAccount.id,
        (await client.actions.createConnectedAccount({ connectionName: b.name, identifier: `${prefix}-b1`, organizationId: 'org-9' })).connectedAccount.id,
      ]
      async function walk(params: ListConnectedAccountsParams): Promise<{ ids: string[]; totalSize: number; pages: number }> {
        const ids: string[] = []
        let pageToken: string | undefined
        let pages = 0
        let totalSize = -1
        do {
          const page = await client.actions.listConnectedAccounts({ ...params, pageSize: 2, pageToken })
          if (totalSize !== -1) assert.equal(page.totalSize, totalSize)
          totalSize = page.totalSize
          ids.push(...page.connectedAccounts.map((x) => x.id))
          pageToken = page.nextPageToken || undefined
          assert.ok(++pages <= 10, 'paging ends')
        } while (pageToken !== undefined)
        return { ids, totalSize, pages }
      }
      assert.deepEqual(await walk({ connectionName: a.name }), { ids: inA, totalSize: 5, pages: 3 })
      const both = await walk({ connectionNames: [a.name, b.name] })
      assert.deepEqual([...both.ids].sort(), [...inA, ...inB].sort())
      assert.equal(both.totalSize, 7)
      assert.deepEqual((await walk({ query: prefix })).ids.sort(), [...inA, ...inB].sort())

      const ids = async (params: ListConnectedAccountsParams) => {
        const page = await client.actions.listConnectedAccounts(params)
        assert.equal(page.totalSize, page.connectedAccounts.length)
        return page.connectedAccounts.map((x) => x.id)
      }
      assert.deepEqual(await ids({ connectionName: a.name, status: 'ACTIVE' }), [inA[1], inA[3]])
      assert.deepEqual(await ids({ connectionName: a.name, identifier: `${prefix}-2` }), [inA[2]])
      assert.deepEqual(await ids({ provider: 'zendesk', query: prefix }), inB)
      assert.deepEqual(await ids({ connectionName: b.name, organizationId: 'org-9' }), [inB[1]])
      assert.deepEqual(await ids({ identifier: `${prefix}-b1`, status: 'ACTIVE' }), [])

      const mixed = await rejects(client.actions.listConnectedAccounts({ connectionName: a.name, connectionNames: [b.name] }), BadRequestError, 'validation_failed')
      assert.deepEqual(issuePaths(mixed), ['connection_names'])
      assert.deepEqual(issuePaths(await rejects(client.actions.listConnectedAccounts({ pageSize: 101 }), BadRequestError, 'validation_failed')), ['query.page_size'])
    })

    it('searchConnectedAccounts matches case-insensitively, pages, and needs 3 characters', async () => {
      const connection = await zendesk()
      const prefix = unique('srch')
      const alice = await client.actions.createConnectedAccount({ connectionName: connection.name, identifier: `${prefix}-alice@example.com` })
      await client.actions.createConnectedAccount({ connectionName: connection.name, identifier: `${prefix}-bob` })
      const found = await client.actions.searchConnectedAccounts({ query: `${prefix}-ALICE`.toUpperCase() })
      assert.deepEqual(found.connectedAccounts.map((a) => a.id), [alice.connectedAccount.id])
      assert.equal(found.totalSize, 1)
      const first = await client.actions.searchConnectedAccounts({ query: prefix, connectionName: connection.name, pageSize: 1 })
      assert.equal(first.totalSize, 2)
      assert.notEqual(first.nextPageToken, '')
      const second = await client.actions.searchConnectedAccounts({ query: prefix, connectionName: connection.name, pageSize: 1, pageToken: first.nextPageToken })
      assert.equal(second.connectedAccounts[0]?.identifier, `${prefix}-bob`)
      assert.equal(second.nextPageToken, '')
      assert.deepEqual(issuePaths(await rejects(client.actions.searchConnectedAccounts({ query: 'ab' }), BadRequestError, 'validation_failed')), ['query.query'])
    })

    it('getConnectedAccountDetails never has credentials; getConnectedAccount redacts them until token retrieval is on', async () => {
      const env = await gw.newEnvironment(unique('tokens'))
      const c = sdk(env.clientId, env.clientSecret)
      const [g, z] = [await gmail(c), await zendesk(c)]
      const identifier = unique('user')
      const oauthToken = { accessToken: 'at-secret', refreshToken: 'rt-secret', expiresIn: 600, scopes: ['s1'] }
      const { connectedAccount: oauth } = await c.actions.getOrCreateConnectedAccount({ connectionName: g.name, identifier, authorizationDetails: { oauthToken } })
      await c.actions.createConnectedAccount({ connectionName: z.name, identifier, authorizationDetails: ZENDESK_AUTH })

      const { connectedAccount: byId } = await c.actions.getConnectedAccountDetails({ connectedAccountId: oauth.id })
      assert.deepEqual((await c.actions.getConnectedAccountDetails({ connectionName: g.name, identifier })).connectedAccount, byId)
      assert.deepEqual(Object.keys(byId).sort(), ACCOUNT_KEYS)

      const redacted = (await c.actions.getConnectedAccount({ connectionName: g.name, identifier })).connectedAccount
      const { docsUrl } = redacted.authorizationDetails
      assert.match(docsUrl ?? '', /^https?:\/\//)
      assert.deepEqual(redacted.authorizationDetails, { oauthToken: { accessToken: '', refreshToken: '', scopes: ['s1'] }, redacted: 'token_access_disabled', docsUrl })
      assert.doesNotMatch(JSON.stringify(redacted), /at-secret|rt-secret/)
      const staticRedacted = (await c.actions.getConnectedAccount({ connectionName: z.name, identifier })).connectedAccount.authorizationDetails
      assert.deepEqual(staticRedacted, { staticAuth: { domain: '', email: '', api_token: '' }, redacted: 'token_access_disabled', docsUrl })

      assert.equal((await c.settings.update({ tokenRetrievalEnabled: true })).tokenRetrievalEnabled, true)
      const open = (await c.actions.getConnectedAccount({ connectedAccountId: oauth.id })).connectedAccount
      assert.notEqual(oauth.tokenExpiresAt, null)
      assert.deepEqual(open.authorizationDetails, { oauthToken: { accessToken: 'at-secret', refreshToken: 'rt-secret', scopes: ['s1'], expiresAt: oauth.tokenExpiresAt } })
      assert.deepEqual((await c.actions.getConnectedAccount({ connectionName: z.name, identifier })).connectedAccount.authorizationDetails, ZENDESK_AUTH)

      // The setting belongs to that environment only.
      const mine = await client.actions.createConnectedAccount({ connectionName: (await zendesk()).name, identifier, authorizationDetails: ZENDESK_AUTH })
      assert.equal((await client.actions.getConnectedAccount({ connectedAccountId: mine.connectedAccount.id })).connectedAccount.authorizationDetails.redacted, 'token_access_disabled')
    })

    it('settings.get and settings.update', async () => {
      const env = await gw.newEnvironment(unique('settings'))
      const c = sdk(env.clientId, env.clientSecret)
      const initial = await c.settings.get()
      assert.deepEqual(Object.keys(initial).sort(), ['allowedRedirectOrigins', 'proxyEnabled', 'tokenRetrievalEnabled', 'toolCallPayloadsEnabled', 'userVerification'])
      assert.deepEqual([initial.tokenRetrievalEnabled, initial.allowedRedirectOrigins], [false, []])
      const updated = await c.settings.update({ allowedRedirectOrigins: ['https://app.example.com'], userVerification: 'none' })
      assert.deepEqual(updated, { ...initial, allowedRedirectOrigins: ['https://app.example.com'], userVerification: 'none' })
      assert.deepEqual(await c.settings.get(), updated)
      const bad = await rejects(c.settings.update({ allowedRedirectOrigins: ['https://app.example.com/path'] }), BadRequestError, 'validation_failed')
      assert.deepEqual(issuePaths(bad), ['allowed_redirect_origins'])
      assert.deepEqual(await c.settings.get(), updated)
      assert.equal((await c.events.list({ eventTypes: ['settings.updated'] })).totalSize, 1)
    })

    it('disconnectConnectedAccount erases credentials; deleteConnectedAccount removes the account for good', async () => {
      const connection = await gmail()
      const identifier = unique('user')
      const { connectedAccount } = await client.actions.createConnectedAccount({ connectionName: connection.name, identifier, authorizationDetails: { oauthToken: { accessToken: 'at', expiresIn: 60 } } })
      const { connectedAccount: disconnected } = await client.actions.disconnectConnectedAccount({ connectionName: connection.name, identifier })
      assert.deepEqual([disconnected.id, disconnected.status, disconnected.tokenExpiresAt], [connectedAccount.id, 'DISCONNECTED', null])
      // Erased, not merely hidden: no redaction marker, empty token fields.
      const details = (await client.actions.getConnectedAccount({ connectedAccountId: connectedAccount.id })).connectedAccount.authorizationDetails
      assert.deepEqual(details, { oauthToken: { accessToken: '', refreshToken: '', scopes: disconnected.scopes } })

      await client.actions.deleteConnectedAccount({ connectedAccountId: connectedAccount.id })
      const error = await rejects(client.actions.getConnectedAccountDetails({ connectedAccountId: connectedAccount.id }), NotFoundError, 'connected_account_not_found')
      assert.deepEqual([isNotFoundError(error), error.status], [true, 404])
      assert.equal(error.docs, `${gw.gateway.ctx.flow.docsUrl}/errors.md#connected_account_not_found`, 'the error links its section of the docs')
      assert.equal((await client.actions.listConnectedAccounts({ identifier })).totalSize, 0)
      await rejects(client.actions.deleteConnectedAccount({ connectionName: connection.name, identifier }), NotFoundError, 'connected_account_not_found')
    })

    it('connections: create, get, update, disable, enable, delete', async () => {
      const name = unique('gmail')
      const created = await client.connections.create({
        provider: 'gmail', name,
        oauthConfig: { clientId: 'cid', clientSecret: 'top-secret', scopes: ['openid'], extraAuthorizeParams: { login_hint: 'a@b.c', hd_domain: 'b.c' } },
        apiConfig: { base_url: 'https://gmail.googleapis.com' },
      })
      assert.match(created.id, /^conn_/)
      const { connectionName, type, status, enabled, oauthConfig } = created
      assert.deepEqual([connectionName, type, status, enabled, oauthConfig?.clientSecretSet], [name, 'OAUTH', 'COMPLETED', true, true])
      assert.match(created.oauthConfig?.redirectUri ?? '', new RegExp(`/connect/callback/${created.id}$`))
      assert.deepEqual(created.oauthConfig?.extraAuthorizeParams, { login_hint: 'a@b.c', hd_domain: 'b.c' })
      assert.deepEqual(created.apiConfig, { base_url: 'https://gmail.googleapis.com' })
      assert.doesNotMatch(JSON.stringify(created), /top-secret|clientSecret"/)
      assert.deepEqual(await client.connections.get(created.id), created)
      assert.deepEqual(await client.connections.get(name), created)

      const renamed = unique('gmail')
      const updated = await client.connections.update(created.id, { name: renamed, oauthConfig: { scopes: ['openid', 'email'] } })
      assert.deepEqual([updated.id, updated.name, updated.oauthConfig?.scopes], [created.id, renamed, ['openid', 'email']])
      await rejects(client.connections.get(name), NotFoundError, 'connection_not_found')

      assert.equal((await client.connections.disable(renamed)).enabled, false)
      await rejects(client.actions.createConnectedAccount({ connectionName: renamed, identifier: 'u' }), ConflictError, 'connection_disabled')
      assert.equal((await client.connections.enable(created.id)).enabled, true)
      await client.actions.createConnectedAccount({ connectionName: renamed, identifier: 'u' })
      await rejects(client.connections.delete(renamed), ConflictError, 'connection_has_accounts')
      await client.actions.deleteConnectedAccount({ connectionName: renamed, identifier: 'u' })
      await client.connections.delete(renamed)
      await rejects(client.connections.get(created.id), NotFoundError, 'connection_not_found')

      const draft = await client.connections.create({ provider: 'gmail', name: unique('draft') })
      assert.deepEqual([draft.status, draft.oauthConfig?.clientSecretSet, draft.oauthConfig?.clientId], ['DRAFT', false, null])
      await rejects(client.connections.create({ provider: 'gmail', name: draft.name }), ConflictError, 'connection_name_taken')
      const invalid = await rejects(client.connections.create({ provider: 'zendesk', name: 'bad name!' }), BadRequestError, 'validation_failed')
      assert.deepEqual(issuePaths(invalid), ['connection.name'])
    })

    it('listConnections pages through every connection, and filters by provider', async () => {
      const mine = [(await zendesk()).id, (await gmail()).id, (await zendesk()).id]
      const seen: string[] = []
      let pageToken: string | undefined
      let totalSize = 0
      do {
        const page = await client.actions.listConnections({ pageSize: 2, pageToken })
        totalSize = page.totalSize
        seen.push(...page.connections.map((c) => c.id))
        pageToken = page.nextPageToken || undefined
      } while (pageToken !== undefined && seen.length <= 1000)
      assert.equal(new Set(seen).size, seen.length)
      assert.equal(seen.length, totalSize)
      assert.deepEqual(seen.filter((id) => mine.includes(id)), mine)
      const zendesks = await client.actions.listConnections({ provider: 'zendesk', pageSize: 100 })
      assert.ok(zendesks.connections.every((c) => c.provider === 'zendesk' && c.connectionName === c.name))
      assert.ok([mine[0], mine[2]].every((id) => zendesks.connections.some((c) => c.id === id)))
      assert.ok(!zendesks.connections.some((c) => c.id === mine[1]))
    })

    it('providers.list and providers.get', async () => {
      const all = await client.providers.list()
      assert.deepEqual([all.totalSize > 0, all.totalSize], [true, all.providers.length])
      const apiKey = await client.providers.list({ authType: 'API_KEY' })
      assert.ok(apiKey.providers.every((p) => p.authTypes.includes('API_KEY')))
      assert.deepEqual(['zendesk', 'gmail'].map((key) => apiKey.providers.some((p) => p.key === key)), [true, false])
      assert.ok((await client.providers.list({ query: 'gmail' })).providers.some((p) => p.key === 'gmail'))

      const google = await client.providers.get('gmail')
      assert.deepEqual([google.displayName, google.authTypes.includes('OAUTH'), Array.isArray(google.oauth?.defaultScopes)], ['Gmail', true, true])
      assert.match(google.oauth?.authorizeUrl ?? '', /^https:\/\//)
      assert.deepEqual(google.oauth?.authorizeParams, { access_type: 'offline', prompt: 'consent' })
      assert.deepEqual((await client.providers.get('zendesk')).fields?.map((f) => f.name), ['domain', 'email', 'api_token'])
      await rejects(client.providers.get('no-such-connector'), NotFoundError, 'provider_not_found')
    })

    it('events.list with filters, newest first, payloads kept verbatim', async () => {
      const connection = await gmail()
      const { connectedAccount } = await client.actions.getOrCreateConnectedAccount({ connectionName: connection.name, identifier: unique('user') })
      await sleep(20)
      const start = new Date()
      await sleep(20)
      await client.actions.updateConnectedAccount({ connectedAccountId: connectedAccount.id, authorizationDetails: { oauthToken: { accessToken: 'at-event' } } })
      await client.actions.disconnectConnectedAccount({ connectedAccountId: connectedAccount.id })
      await client.actions.deleteConnectedAccount({ connectedAccountId: connectedAccount.id })

      const all = await client.events.list({ connectedAccountId: connectedAccount.id, pageSize: 100 })
      assert.deepEqual([...new Set(all.events.map((e) => e.type))].sort(), [
        'connected_account.created', 'connected_account.deleted', 'connected_account.disconnected', 'connected_account.provider_revocation', 'connected_account.status_updated', 'connected_account.updated',
      ])
      const times = all.events.map((e) => Date.parse(e.occurredAt))
      assert.equal(all.totalSize, times.length)
      assert.deepEqual(times, [...times].sort((x, y) => y - x))
      assert.ok(all.events.every((e) => e.id.startsWith('evt_') && typeof e.environmentId === 'string' && e.data['connection_name'] === connection.name))
      assert.doesNotMatch(JSON.stringify(all), /at-event/)

      const moves = await client.events.list({ connectedAccountId: connectedAccount.id, eventTypes: ['connected_account.status_updated'] })
      assert.deepEqual(moves.events.map((e) => [e.data['old_status'], e.data['status']]), [['ACTIVE', 'DISCONNECTED'], ['PENDING_AUTH', 'ACTIVE']])

      const byConnection = await client.events.list({ connectionName: connection.name, pageSize: 100 })
      assert.ok(byConnection.events.some((e) => e.type === 'connection.created'))
      assert.ok(all.events.every((e) => byConnection.events.some((x) => x.id === e.id)))
      assert.equal((await client.events.list({ connectionId: connection.id })).totalSize, byConnection.totalSize)

      const page = await client.events.list({ connectedAccountId: connectedAccount.id, pageSize: 2 })
      assert.deepEqual([page.events.length, page.totalSize, page.nextPageToken !== ''], [2, all.totalSize, true])
      const since = await client.events.list({ connectedAccountId: connectedAccount.id, startTime: start })
      assert.deepEqual(since.events.map((e) => e.id), all.events.filter((e) => e.type !== 'connected_account.created').map((e) => e.id))
      assert.equal((await client.events.list({ connectedAccountId: connectedAccount.id, startTime: new Date(Date.now() + 60_000) })).totalSize, 0)
      assert.equal((await client.events.list({ connectedAccountId: connectedAccount.id, endTime: '2000-01-01T00:00:00Z' })).totalSize, 0)
    })

    it('validation errors arrive as BadRequestError with the server code and details; a wrong secret is UnauthorizedError invalid_client', async () => {
      const connection = await zendesk()
      const wrong = client.actions.createConnectedAccount({
        connectionName: connection.name, identifier: unique('user'), authorizationDetails: { staticAuth: { domain: 'not a domain', email: 'nobody', api_token: 'x' } },
      })
      assert.deepEqual(issuePaths(await rejects(wrong, BadRequestError, 'invalid_credentials')).sort(), ['static_auth.domain', 'static_auth.email'])
      const oauthOnStatic = client.actions.createConnectedAccount({ connectionName: connection.name, identifier: unique('user'), authorizationDetails: { oauthToken: { accessToken: 'x' } } })
      assert.equal((await rejects(oauthOnStatic, BadRequestError, 'invalid_auth_type')).status, 400)
      await rejects(client.actions.createConnectedAccount({ connectionName: unique('missing'), identifier: 'u' }), NotFoundError, 'connection_not_found')

      const intruder = sdk(gw.admin.clientId, `${gw.admin.clientSecret}x`)
      assert.equal((await rejects(intruder.actions.listConnections(), UnauthorizedError, 'invalid_client')).status, 401)
    })

    it("another environment's client cannot see this environment's accounts", async () => {
      const connection = await zendesk()
      const identifier = unique('user')
      const { connectedAccount } = await client.actions.createConnectedAccount({ connectionName: connection.name, identifier, authorizationDetails: ZENDESK_AUTH })
      const env = await gw.newEnvironment(unique('other'))
      const other = sdk(env.clientId, env.clientSecret)
      const byId = { connectedAccountId: connectedAccount.id }
      await rejects(other.actions.getConnectedAccountDetails(byId), NotFoundError, 'connected_account_not_found')
      await rejects(other.actions.getConnectedAccount(byId), NotFoundError, 'connected_account_not_found')
      await rejects(other.actions.getConnectedAccountDetails({ connectionName: connection.name, identifier }), NotFoundError, 'connection_not_found')
      await rejects(other.actions.updateConnectedAccount({ ...byId, apiConfig: { x: 'y' } }), NotFoundError, 'connected_account_not_found')
      await rejects(other.actions.disconnectConnectedAccount(byId), NotFoundError, 'connected_account_not_found')
      await rejects(other.actions.deleteConnectedAccount(byId), NotFoundError, 'connected_account_not_found')
      await rejects(other.connections.get(connection.id), NotFoundError, 'connection_not_found')
      assert.equal((await other.actions.listConnectedAccounts({ identifier })).totalSize, 0)
      assert.equal((await other.actions.searchConnectedAccounts({ query: identifier })).totalSize, 0)
      assert.equal((await other.events.list({ connectedAccountId: connectedAccount.id })).totalSize, 0)
      assert.deepEqual((await client.actions.getConnectedAccountDetails(byId)).connectedAccount, connectedAccount)
    })
  })
}
