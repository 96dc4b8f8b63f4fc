/**
 * The examples in examples/ run their tool plumbing against the real gateway and the GitHub
 * emulator, with scripted models standing in for the model services: connecting a user (an
 * authorization link while the account is not ACTIVE), then a model's tool call going through the
 * example's adapter to the emulator and the emulator's answer reaching the model. The examples
 * import the SDK by its package name (the built `dist`), as an application would.
 */

import * as assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { after, before, describe, it } from 'node:test'

import { AgentgateClient } from '@agentgate/sdk'
import { setTracingDisabled } from '@openai/agents'

import * as openAiAgentsExample from '../../../examples/openai-agents-agent/src/agent.ts'
import * as vercelAiExample from '../../../examples/vercel-ai-agent/src/agent.ts'
import { runCommand } from '../../server/test/helpers/run-command.ts'
import { BACKENDS, unique } from '../../server/test/helpers/test-gateway.ts'
import type { ToolAccount } from '../../server/test/helpers/tool-suite.ts'
import { startGithubAccount } from './github-account.ts'
import { ScriptedAgentsModel, scriptedAiModel } from './scripted-models.ts'

setTracingDisabled(true)

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const python = spawnSync('python3', ['--version'], { encoding: 'utf8' })
const pythonMissing = python.error !== undefined || python.status !== 0 ? 'python3 is not installed' : false

for (const backend of BACKENDS) {
  describe(`examples against the gateway and the GitHub emulator (${backend})`, () => {
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

    for (const [name, example] of [['vercel-ai-agent', vercelAiExample], ['openai-agents-agent', openAiAgentsExample]] as const) {
      it(`${name}: connectUser gives a link for a new user and ACTIVE for a connected one`, async () => {
        const newcomer = unique('user')
        const pending = await example.connectUser(client, connectionName, newcomer)
        assert.equal(pending.status, 'PENDING_AUTH')
        assert.ok('link' in pending && new URL(pending.link).pathname.startsWith('/connect/link/'), JSON.stringify(pending))
        assert.deepEqual(await example.connectUser(client, connectionName, identifier), { status: 'ACTIVE' })
        assert.equal(await example.waitUntilActive(client, connectionName, identifier, 1_000), true)
      })
    }

    it('vercel-ai-agent: the model’s tool call reaches the emulator and the (modified) answer reaches the model', async () => {
      const before = running.emulator.requests.length
      const model = scriptedAiModel('github_get_user', {})
      const run = await vercelAiExample.runAgent({ client, model, identifier, prompt: 'Who am I on GitHub?' })
      assert.equal(running.emulator.requests.length, before + 1)
      assert.equal(running.emulator.last().path, '/user')
      const seen = model.results[0] as Record<string, unknown>
      assert.equal(seen['login'], 'octocat')
      assert.ok(!('avatar_url' in seen) && !('html_url' in seen), 'the example’s post-modifier dropped the URLs')
      assert.deepEqual(run.toolOutputs, [seen])
      assert.match(run.text, /"login":"octocat"/)
    })

    it('openai-agents-agent: the model’s function call reaches the emulator (with the example’s pre-modifier) and the answer reaches the model', async () => {
      const model = new ScriptedAgentsModel('github_list_issues', { owner: 'octocat', repo: 'Hello-World', state: 'all' })
      const answer = await openAiAgentsExample.runAgent({ client, model, identifier, prompt: 'Which issues are open?' })
      const sent = running.emulator.last()
      assert.equal(sent.path, '/repos/octocat/Hello-World/issues')
      assert.equal(sent.query['state'], 'open', 'the pre-modifier forced open issues')
      const seen = JSON.parse(model.results[0] ?? '{}') as { issues?: { title: string }[] }
      assert.ok(Array.isArray(seen.issues) && seen.issues.length > 0, JSON.stringify(seen))
      assert.match(answer, /^RESULT /)
    })

    describe('python-agent', { skip: pythonMissing }, () => {
      const runPython = (args: string[]) =>
        runCommand('python3', ['examples/python-agent/agent.py', ...args], {
          AGENTGATE_URL: running.gw.url,
          AGENTGATE_CLIENT_ID: running.gw.admin.clientId,
          AGENTGATE_CLIENT_SECRET: running.gw.admin.clientSecret,
          PYTHONPATH: 'sdks/python',
        }, { cwd: REPO_ROOT })

      it('prints the authorization link and exits 3 for a user who has not connected', async () => {
        const result = await runPython(['--connection', connectionName, '--user', unique('user')])
        assert.equal(result.code, 3, result.stderr)
        assert.match(result.stdout, /Open this link to connect your .+ account, then run again:\n {2}http\S+\/connect\/link\//)
      })

      it('answers a tool call with the emulator’s data as a role:tool message; failures are readable', async () => {
        const ok = await runPython(['--connection', connectionName, '--user', identifier, '--tool', 'github_get_user'])
        assert.equal(ok.code, 0, ok.stderr)
        const message = JSON.parse(ok.stdout) as { role: string; tool_call_id: string; content: string }
        assert.deepEqual([message.role, message.tool_call_id], ['tool', 'call_1'])
        assert.equal(JSON.parse(message.content).login, 'octocat')
        assert.match(ok.stderr, /^\d+ tools for /)

        const invalid = await runPython(['--connection', connectionName, '--user', identifier, '--tool', 'github_list_issues', '--input', '{"owner": "octocat"}'])
        assert.equal(invalid.code, 0, invalid.stderr)
        const error = JSON.parse((JSON.parse(invalid.stdout) as { content: string }).content).error
        assert.equal(error.code, 'validation_failed')
        assert.match(JSON.stringify(error.issues), /repo/)

        for (const notAnObject of ['[1]', 'not json']) {
          const refused = await runPython(['--connection', connectionName, '--user', identifier, '--tool', 'github_get_user', '--input', notAnObject])
          assert.equal(refused.code, 0, refused.stderr)
          const answer = JSON.parse((JSON.parse(refused.stdout) as { content: string }).content).error
          assert.deepEqual([answer.code, answer.message], ['validation_failed', 'The arguments are not one JSON object.'])
        }
      })
    })
  })
}
