/** @module Runs the real gateway (the CLI's `start`) in a child process, so load generation never shares its event loop. */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../packages/cli/src/bin.ts', import.meta.url));

export interface GatewayProcess {
  readonly url: string;
  readonly clientId: string;
  readonly clientSecret: string;
  stop(): Promise<void>;
}

export async function spawnGateway(options: { databaseUrl?: string }): Promise<GatewayProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'agentgate-bench-'));
  const clientId = 'cli_bench_admin';
  const clientSecret = `sec_${randomBytes(24).toString('base64url')}`;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', CLI, 'start'], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: '0',
      HOST: '127.0.0.1',
      AGENTGATE_DATA_DIR: dataDir,
      AGENTGATE_ENCRYPTION_KEYS: `1:${randomBytes(32).toString('base64')}`,
      AGENTGATE_ADMIN_CLIENT_ID: clientId,
      AGENTGATE_ADMIN_CLIENT_SECRET: clientSecret,
      AGENTGATE_LOG_LEVEL: 'warn',
      ...(options.databaseUrl === undefined ? {} : { DATABASE_URL: options.databaseUrl }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway did not start in 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Agentgate listening on (http:\/\/[^\s]+)/.exec(output);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`gateway exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    clientId,
    clientSecret,
    async stop() {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
