/**
 * The framework adapters against the real gateway and the GitHub emulator (no network, no model
 * service): a scripted model's tool call goes through each adapter → the gateway → the emulator, and
 * the emulator's answer comes back to the model. A not-ACTIVE account gives the model a readable
 * result with the fix (and, on request, a working authorization link) instead of an exception;
 * pre- and post-modifiers rewrite the input and the result.
 */

import * as assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, before, describe, it } from 'node:test'

import { ToolMessage } from '@langchain/core/messages'
import { Agent, run, setTracingDisabled } from '@openai/agents'
import { generateText, stepCountIs } from 'ai'
import { Ajv, type ValidateFunction } from 'ajv'

import { GITHUB_TOKEN } from '../../server/test/emulators/github.ts'
import type { ToolAccount } from '../../server/test/helpers/tool-suite.ts'
import { BACKENDS, unique } from '../../server/test/helpers/test-gateway.ts'
import { getAiSdkTools } from '../src/adapters/ai.ts'
import { createToolExecutor, postModifier, preModifier, type ToolFailure } from '../src/adapters/executor.ts'
import { getLangChainTools } from '../src/adapters/langchain.ts'
import { getOpenAiAgentsTools } from '../src/adapters/openai-agents.ts'
import { AgentgateClient } from '../src/index.ts'
import { startGithubAccount } from './github-account.ts'
import { ScriptedAgentsModel, scriptedAiModel } from './scripted-models.ts'

setTracingDisabled(true)

function vendorSchema(file: string, definition: string): ValidateFunction {
  const url = new URL(`../../server/test/fixtures/vendor-schemas/${file}`, import.meta.url)
  const ajv = new Ajv({ allErrors: true, strict: true })
  ajv.addSchema({ ...(JSON.parse(readFileSync(url, 'utf8')) as object), $id: file })
  const validate = ajv.getSchema(`${file}#/definitions/${definition}`)
  assert.ok(validate)
  return validate
}
const anthropicToolResult = vendorSchema('anthropic-messages.json', 'RequestToolResultBlock')
const anthropicTool = vendorSchema('anthropic-messages.json', 'Tool')
const openAiToolMessage = vendorSchema('openai-chat-completions.json', 'ChatCompletionRequestToolMessage')
const openAiTool = vendorSchema('openai-chat-completions.json', 'ChatCompletionTool')

function assertValid(validate: ValidateFunction, value: unknown): void {
  assert.ok(validate(value), JSON.stringify(validate.errors))
}

const OCTOCAT = { login: 'octocat', id: 583231 }

for (const backend of BACKENDS) {
  describe(`SDK adapters through the gateway to a provider emulator (${backend})`, () => {
    let running: ToolAccount
    let client: AgentgateClient
    let identifier: string
    let connectionName: string

    before(async () => {
      ;({ running, client, identifier, connectionName } = await startGithubAccount(backend, AgentgateClient))
    })
    after(async () => {
      await running?.close()
    })

    /** A second user with an ACTIVE GitHub account on the same connection, to break without touching the shared one. */
    async function newUser(): Promise<{ identifier: string; accountId: string }> {
      const user = unique('user')
      const { connectedAccount } = await client.actions.createConnectedAccount({ connectionName, identifier: user, authorizationDetails: { oauthToken: { accessToken: GITHUB_TOKEN } } })
      return { identifier: user, accountId: connectedAccount.id }
    }

    const requestsTo = (path: string) => running.emulator.requests.filter((r) => r.path === path)

    it('executor: an Anthropic tool_use block comes back as a valid tool_result with the emulator data', async () => {
      const { tools, accounts } = await client.tools.listAllScoped({ identifier, format: 'anthropic' })
      for (const tool of tools) assertValid(anthropicTool, tool)
      assert.deepEqual(accounts['github_get_user'], { toolName: 'github_get_user', connectedAccountId: running.accountId, connectionName })
      const executor = createToolExecutor(client, { identifier, accounts })
      const before = requestsTo('/user').length
      const block = await executor.runAnthropic({ type: 'tool_use', id: 'toolu_01A', name: 'github_get_user', input: {} })
      assertValid(anthropicToolResult, block)
      assert.equal(block.tool_use_id, 'toolu_01A')
      assert.equal(block.is_error, undefined)
      assert.deepEqual(JSON.parse(block.content), { ...JSON.parse(block.content), ...OCTOCAT })
      assert.equal(requestsTo('/user').length, before + 1)
      assert.equal(running.emulator.last().headers['authorization'], `Bearer ${GITHUB_TOKEN}`)
    })

    it('executor: an OpenAI tool_calls entry comes back as a valid tool message; bad arguments are a readable error', async () => {
      const { tools, accounts } = await client.tools.listAllScoped({ identifier, format: 'openai' })
      for (const tool of tools) assertValid(openAiTool, tool)
      const executor = createToolExecutor(client, { identifier, accounts })
      const message = await executor.execute({ id: 'call_abc', type: 'function', function: { name: 'github_get_user', arguments: '{}' } })
      assertValid(openAiToolMessage, message)
      assert.equal(message.tool_call_id, 'call_abc')
      assert.equal(JSON.parse(message.content).login, 'octocat')

      const before = running.emulator.requests.length
      const bad = await executor.runOpenAi({ id: 'call_bad', type: 'function', function: { name: 'github_get_user', arguments: '{not json' } })
      assert.equal(JSON.parse(bad.content).error.code, 'validation_failed')
      const invalid = await executor.run('github_list_issues', { owner: 'octocat' })
      assert.equal(invalid.ok, false)
      assert.ok(!invalid.ok && invalid.error.code === 'validation_failed' && JSON.stringify(invalid.error.issues).includes('repo'), JSON.stringify(invalid))
      assert.equal(running.emulator.requests.length, before, 'nothing reached the provider')
    })

    it('Vercel AI SDK: a scripted model’s tool call runs through the gateway and the result reaches the model', async () => {
      const tools = await getAiSdkTools(client, { identifier })
      assert.ok('github_get_user' in tools && 'github_list_issues' in tools)
      const model = scriptedAiModel('github_get_user', {})
      const result = await generateText({ model, tools, stopWhen: stepCountIs(3), prompt: 'Who am I on GitHub?' })
      assert.equal(model.doGenerateCalls.length, 2)
      assert.equal((model.results[0] as { login: string }).login, 'octocat')
      assert.match(result.text, /^RESULT .*"login":"octocat"/)
      const toolResult = result.steps[0]?.toolResults[0]
      assert.equal(toolResult?.toolName, 'github_get_user')
      // The tools the model was offered are the catalog's, with their JSON Schemas.
      const offered = model.doGenerateCalls[0]?.tools?.find((t) => t.name === 'github_list_issues')
      assert.ok(offered !== undefined && offered.type === 'function')
      assert.deepEqual((offered.inputSchema as { required?: string[] }).required, ['owner', 'repo'])
    })

    it('LangChain.js: the structured tool answers a model tool call with a ToolMessage holding the emulator data', async () => {
      const tools = await getLangChainTools(client, { identifier, toolNames: ['github_get_user', 'github_list_issues'] })
      assert.deepEqual(tools.map((t) => t.name).sort(), ['github_get_user', 'github_list_issues'])
      const getUser = tools.find((t) => t.name === 'github_get_user')
      assert.ok(getUser)
      const reply: unknown = await getUser.invoke({ type: 'tool_call', id: 'lc_1', name: 'github_get_user', args: {} })
      assert.ok(reply instanceof ToolMessage)
      assert.equal(reply.tool_call_id, 'lc_1')
      assert.equal(JSON.parse(String(reply.content)).login, 'octocat')
    })

    it('OpenAI Agents SDK: a scripted model’s function call runs through the gateway and the output reaches the model', async () => {
      const tools = await getOpenAiAgentsTools(client, { identifier, providers: ['github'] })
      const model = new ScriptedAgentsModel('github_get_user', {})
      const agent = new Agent({ name: 'Assistant', instructions: 'Use the tools.', tools, model })
      const result = await run(agent, 'Who am I on GitHub?')
      assert.equal(model.results.length, 1)
      assert.equal(JSON.parse(model.results[0] ?? '{}').login, 'octocat')
      assert.match(String(result.finalOutput), /^RESULT .*"login":"octocat"/)
    })

    it('a not-ACTIVE account: each adapter returns the failure with the fix instead of throwing', async () => {
      const user = await newUser()
      const aiTools = await getAiSdkTools(client, { identifier: user.identifier, toolNames: ['github_get_user'] })
      const lcTools = await getLangChainTools(client, { identifier: user.identifier, toolNames: ['github_get_user'] })
      const agentsTools = await getOpenAiAgentsTools(client, { identifier: user.identifier, toolNames: ['github_get_user'] })
      const { accounts } = await client.tools.listAllScoped({ identifier: user.identifier, format: 'anthropic' })
      await client.actions.disconnectConnectedAccount({ connectedAccountId: user.accountId })

      const before = running.emulator.requests.length
      const model = scriptedAiModel('github_get_user', {})
      await generateText({ model, tools: aiTools, stopWhen: stepCountIs(3), prompt: 'Who am I?' })
      const aiError = (model.results[0] as { error: ToolFailure }).error
      assert.equal(aiError.code, 'account_not_active')
      assert.match(aiError.message, /DISCONNECTED/)
      assert.ok(aiError.fix.includes(`getAuthorizationLink({"connectedAccountId":"${user.accountId}"})`), aiError.fix)
      assert.equal(aiError.authorization_link, undefined, 'describe mode mints no link')

      const lcReply = await lcTools[0]?.invoke({})
      assert.equal(JSON.parse(String(lcReply)).error.code, 'account_not_active')

      const agentsModel = new ScriptedAgentsModel('github_get_user', {})
      await run(new Agent({ name: 'A', instructions: 'x', tools: agentsTools, model: agentsModel }), 'Who am I?')
      assert.equal(JSON.parse(agentsModel.results[0] ?? '{}').error.code, 'account_not_active')

      const executor = createToolExecutor(client, { identifier: user.identifier, accounts })
      const block = await executor.runAnthropic({ type: 'tool_use', id: 'toolu_02', name: 'github_get_user', input: {} })
      assertValid(anthropicToolResult, block)
      assert.equal(block.is_error, true)
      assert.equal(JSON.parse(block.content).error.code, 'account_not_active')
      assert.equal(running.emulator.requests.length, before, 'the provider was never called')
    })

    it('authorizationLinks: "create" puts a working authorization link in the result', async () => {
      const user = await newUser()
      const { accounts } = await client.tools.listAllScoped({ identifier: user.identifier, format: 'openai' })
      await client.actions.disconnectConnectedAccount({ connectedAccountId: user.accountId })
      const executor = createToolExecutor(client, { identifier: user.identifier, accounts, authorizationLinks: 'create', linkOptions: { state: 'session-7' } })
      const result = await executor.run('github_get_user', {})
      assert.ok(!result.ok)
      const link = result.error.authorization_link
      assert.ok(link !== undefined && new URL(link).pathname.startsWith('/connect/link/'), JSON.stringify(result.error))
      assert.ok(result.error.fix.includes(link))
      assert.ok(Date.parse(result.error.authorization_link_expires_at ?? '') > Date.now())
      // The link names the gateway's public URL; the test reaches the same gateway on its own address.
      const { pathname } = new URL(link)
      const landing = await fetch(new URL(pathname, running.gw.url), { redirect: 'manual' })
      assert.ok(landing.status < 400, `the link answers ${landing.status}`)
    })

    it('the provider refusing the user’s token (401): tool_error unauthorized with the link, and the account is then not active', async () => {
      const user = await newUser()
      const { accounts } = await client.tools.listAllScoped({ identifier: user.identifier, format: 'openai' })
      const executor = createToolExecutor(client, { identifier: user.identifier, accounts, authorizationLinks: 'create' })
      running.emulator.enqueue({ status: 401, json: { message: 'Bad credentials' } })
      const first = await executor.run('github_get_user', {})
      assert.ok(!first.ok)
      assert.deepEqual([first.error.code, first.error.kind], ['tool_error', 'unauthorized'])
      assert.match(first.error.execution_id ?? '', /^exec_/)
      assert.match(first.error.authorization_link ?? '', /\/connect\/link\//, JSON.stringify(first.error))
      const second = await executor.run('github_get_user', {})
      assert.ok(!second.ok && second.error.code === 'account_not_active', JSON.stringify(second))
    })

    it('with accounts, a name that was never listed is refused as unknown_tool instead of running the catalog tool', async () => {
      const { accounts } = await client.tools.listAllScoped({ identifier, format: 'openai', toolNames: ['github_get_user'] })
      const executor = createToolExecutor(client, { identifier, accounts })
      const before = running.emulator.requests.length
      for (const name of ['github_create_issue', 'constructor', '__proto__', 'toString']) {
        const result = await executor.run(name, { owner: 'octocat', repo: 'Hello-World', title: 'injected' })
        assert.ok(!result.ok, `${name} ran: ${JSON.stringify(result)}`)
        assert.equal(result.error.code, 'unknown_tool', JSON.stringify(result.error))
        assert.ok(result.error.message.includes(`"${name}"`), result.error.message)
      }
      assert.equal(running.emulator.requests.length, before, 'the provider was never called')
      const listed = await executor.run('github_get_user', {})
      assert.ok(listed.ok, JSON.stringify(listed))
    })

    it('a tool_version in the model’s input pins nothing: the listed (default) version runs', async () => {
      const { accounts } = await client.tools.listAllScoped({ identifier, format: 'openai', toolNames: ['github_get_user'] })
      const executor = createToolExecutor(client, { identifier, accounts })
      const result = await executor.run('github_get_user', { tool_version: '99', schema_version: '99' })
      assert.ok(result.ok, JSON.stringify(result))
      assert.equal((result.data as { login: string }).login, 'octocat')
    })

    it('the authorization link of an organization-scoped account names that account, not its identifier and connection', async () => {
      const user = unique('user')
      const { connectedAccount } = await client.actions.createConnectedAccount({ connectionName, identifier: user, organizationId: 'org-7', userId: 'u-7', authorizationDetails: { oauthToken: { accessToken: GITHUB_TOKEN } } })
      const { accounts } = await client.tools.listAllScoped({ identifier: user, format: 'openai', toolNames: ['github_get_user'] })
      await client.actions.disconnectConnectedAccount({ connectedAccountId: connectedAccount.id })
      const described = await createToolExecutor(client, { identifier: user, accounts }).run('github_get_user', {})
      assert.ok(!described.ok)
      assert.ok(described.error.fix.includes(`getAuthorizationLink({"connectedAccountId":"${connectedAccount.id}"})`), described.error.fix)
      const created = await createToolExecutor(client, { identifier: user, accounts, authorizationLinks: 'create' }).run('github_get_user', {})
      assert.ok(!created.ok && created.error.authorization_link !== undefined, JSON.stringify(created))
      const { connectedAccounts } = await client.actions.listConnectedAccounts({ identifier: user })
      assert.deepEqual(connectedAccounts.map((a) => a.id), [connectedAccount.id], 'no unscoped account was created for the link')
    })

    it('pre- and post-modifiers: per tool and for all, in order; other tools untouched', async () => {
      const seen: string[] = []
      const modifiers = [
        preModifier('github_list_issues', (input) => ({ ...input, state: 'closed' })),
        preModifier('github_list_issues', (input, context) => {
          seen.push(`${context.toolName}:${String(input['state'])}`)
          return input
        }),
        preModifier('github_create_issue', () => ({ never: true })),
        postModifier('github_list_issues', (data) => ({ titles: (data as { issues: { title: string }[] }).issues.map((issue) => issue.title) })),
        postModifier('*', (data) => ({ ...(data as object), modified: true })),
      ]
      const { accounts } = await client.tools.listAllScoped({ identifier, format: 'openai' })
      const executor = createToolExecutor(client, { identifier, accounts, modifiers })
      const issues = await executor.run('github_list_issues', { owner: 'octocat', repo: 'Hello-World' })
      assert.ok(issues.ok, JSON.stringify(issues))
      assert.equal(running.emulator.last().query['state'], 'closed', 'the pre-modifier rewrote the input')
      assert.deepEqual(seen, ['github_list_issues:closed'], 'pre-modifiers run in order')
      const data = issues.data as { titles: string[]; modified: boolean }
      assert.ok(data.titles.length > 0 && data.titles.every((t) => typeof t === 'string'))
      assert.equal(data.modified, true)

      const user = await executor.run('github_get_user', {})
      assert.ok(user.ok)
      assert.deepEqual(Object.keys(user.data as object).includes('login'), true, 'the per-tool post-modifier did not apply')
      assert.equal((user.data as { modified: boolean }).modified, true, 'the "*" post-modifier did')

      // The same modifiers through a framework adapter.
      const aiTools = await getAiSdkTools(client, { identifier, toolNames: ['github_list_issues'], modifiers })
      const model = scriptedAiModel('github_list_issues', { owner: 'octocat', repo: 'Hello-World' })
      await generateText({ model, tools: aiTools, stopWhen: stepCountIs(3), prompt: 'List my issues' })
      assert.equal(running.emulator.last().query['state'], 'closed')
      assert.equal((model.results[0] as { modified: boolean }).modified, true)
    })
  })
}
