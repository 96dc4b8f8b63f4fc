/**
 * The Python SDK (`sdks/python`) against the real gateway: a flow gateway (PGlite, and PostgreSQL
 * when TEST_DATABASE_URL is set), the real test authorization server (`oidc-provider`) as Google's
 * OAuth endpoints, the Gmail emulator as Gmail's API, and a connection named `gmail` as the seeds
 * use it. Then `python3 -m unittest discover -s sdks/python/tests -v` runs the SDK's own tests and
 * the seeds' Python snippets (sdks/python/tests/seed_snippets) against that live gateway; every test
 * must pass and none may be skipped.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { gmailEmulator, GMAIL_TOKEN } from './emulators/gmail.ts';
import { createAsConnection, startFlowGateway } from './helpers/browser-leg.ts';
import { startEmulator, type EmulatorReply, type RunningEmulator } from './helpers/emulator.ts';
import { scriptable, startPythonSdkControl, type RunningControl } from './helpers/python-sdk-control.ts';
import { startTestAuthorizationServer, type TestAuthorizationServer } from './helpers/test-authorization-server.ts';
import { BACKENDS, type TestGateway } from './helpers/test-gateway.ts';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const GMAIL_READONLY = 'https://www.googleapis.com/auth/gmail.readonly';
const python = spawnSync('python3', ['--version'], { encoding: 'utf8' });
const pythonMissing = python.error !== undefined || python.status !== 0 ? 'python3 is not installed: the Python SDK acceptance test cannot run' : false;

/** Runs a command to completion without blocking the event loop (the gateway serves it from this process). */
function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

for (const backend of BACKENDS) {
  describe(`Python SDK against the real gateway (${backend})`, { skip: pythonMissing }, () => {
    let as: TestAuthorizationServer;
    let emulator: RunningEmulator;
    let gw: TestGateway;
    let control: RunningControl;
    let replies: EmulatorReply[];
    let clockOffsetMs = 0;

    before(async () => {
      as = await startTestAuthorizationServer({ scopes: ['openid', 'offline_access', GMAIL_READONLY] });
      // Gmail accepts the tokens its authorization server issued (and the emulator's fixed one), nothing else.
      const gmail = scriptable({
        ...gmailEmulator,
        authorized: (request) => {
          const bearer = request.headers['authorization']?.replace(/^Bearer /, '');
          return bearer !== undefined && (bearer === GMAIL_TOKEN || as.issued.includes(bearer));
        },
      });
      replies = gmail.replies;
      emulator = await startEmulator(gmail.spec);
      gw = await startFlowGateway(backend, { clock: () => new Date(Date.now() + clockOffsetMs) });
      const settings = await gw.api('PATCH', '/api/v1/settings', { user_verification: 'none', proxy_enabled: true });
      assert.equal(settings.status, 200, settings.text);
      await createAsConnection(gw, as, { name: 'gmail', scopes: ['openid', 'offline_access', GMAIL_READONLY] });
      const patched = await gw.api('PATCH', '/api/v1/connections/gmail', { connection: { api_config: { base_url: emulator.url } } });
      assert.equal(patched.status, 200, patched.text);
      control = await startPythonSdkControl({ gw, as, emulator, replies, setClockOffset: (ms) => (clockOffsetMs = ms) });
    });
    after(async () => {
      await control?.close();
      await gw?.close();
      await emulator?.close();
      await as?.close();
    });

    it('python3 -m unittest discover -s sdks/python/tests passes every test, skipping none', async () => {
      const { code, output } = await run('python3', ['-m', 'unittest', 'discover', '-s', 'sdks/python/tests', '-v'], {
        ...process.env,
        PYTHONPATH: 'sdks/python',
        PYTHONDONTWRITEBYTECODE: '1',
        PYTHONIOENCODING: 'utf-8',
        NO_PROXY: '127.0.0.1,localhost',
        no_proxy: '127.0.0.1,localhost',
        AGENTGATE_URL: gw.url,
        AGENTGATE_CLIENT_ID: gw.admin.clientId,
        AGENTGATE_CLIENT_SECRET: gw.admin.clientSecret,
        AGENTGATE_TEST_CONTROL_URL: control.url,
        AGENTGATE_TEST_GMAIL_TOKEN: GMAIL_TOKEN,
      });
      assert.equal(code, 0, `the Python tests failed:\n${output}`);
      const summary = output.trimEnd().split('\n').at(-1) ?? '';
      assert.equal(summary, 'OK', `some Python tests were skipped or the summary is unexpected:\n${output}`);
      const ran = /Ran (\d+) tests?/.exec(output);
      assert.ok(ran !== null && Number(ran[1]) >= 75, `expected the whole Python suite to run:\n${output}`);
    });
  });
}
