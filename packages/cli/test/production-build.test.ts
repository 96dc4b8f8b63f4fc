/**
 * The production path works: `npm run build` compiles the server and the CLI, and
 * `node --conditions=production packages/cli/dist/bin.js start` (what `npm run start:production`
 * runs) serves the API, the dashboard's assets and the catalog from compiled JavaScript, without tsx.
 * The SDK's dist is built by `npm install` (prepare) and shared by other tests, so it is not rebuilt here.
 */
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const run = promisify(execFile);

async function startProduction(dataDir: string): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('AGENTGATE_') && key !== 'DATABASE_URL' && key !== 'NODE_OPTIONS') env[key] = value;
  }
  const child = spawn(process.execPath, ['--conditions=production', 'packages/cli/dist/bin.js', 'start'], {
    cwd: ROOT,
    env: { ...env, NODE_ENV: 'development', PORT: '0', HOST: '127.0.0.1', AGENTGATE_DATA_DIR: dataDir, AGENTGATE_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the built gateway did not start in 60 s:\n${output}`)), 60_000);
    const check = () => {
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => reject(new Error(`the built gateway exited (${code}):\n${output}`)));
  });
  return { child, url, output: () => output };
}

describe('production build', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'agentgate-production-'));
  let gateway: Awaited<ReturnType<typeof startProduction>> | undefined;

  before(async () => {
    await run('npm', ['run', 'build', '--silent', '--workspace', '@agentgate/server', '--workspace', '@agentgate/cli'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
    gateway = await startProduction(dataDir);
  });

  after(async () => {
    if (gateway !== undefined && gateway.child.exitCode === null) {
      const exited = new Promise((resolve) => gateway?.child.once('exit', resolve));
      gateway.child.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs from compiled JavaScript only: no TypeScript file is loaded', async () => {
    assert.ok(gateway);
    // The launcher is plain node with the production condition: a .ts import would throw at start.
    const health = await fetch(`${gateway.url}/healthz`);
    assert.equal(health.status, 200);
    assert.match(gateway.output(), /An API credential was created/);
  });

  it('serves the catalog and the dashboard assets copied next to the compiled code', async () => {
    assert.ok(gateway);
    const openapi = await fetch(`${gateway.url}/api/v1/openapi.json`);
    assert.equal(openapi.status, 200);
    const css = await fetch(`${gateway.url}/dashboard/assets/dashboard.css`);
    assert.equal(css.status, 200);
    assert.equal(await css.text(), readFileSync(join(ROOT, 'packages/server/src/dashboard/assets/dashboard.css'), 'utf8'));
    const signIn = await fetch(`${gateway.url}/dashboard/sign-in`);
    assert.equal(signIn.status, 200);
  });

  it('stops cleanly on SIGTERM', async () => {
    assert.ok(gateway);
    const exited = new Promise<number | null>((resolve) => gateway?.child.once('exit', resolve));
    gateway.child.kill('SIGTERM');
    assert.equal(await exited, 0);
  });
});
