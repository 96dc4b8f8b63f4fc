/** @module Runs the real gateway (the CLI's `start`) in a child process, so load generation never shares its event loop. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnNode } from './children.ts';

const CLI = new URL('../../packages/cli/src/bin.ts', import.meta.url);

export interface GatewayProcess {
  readonly url: string;
  readonly pid: number;
  readonly clientId: string;
  readonly clientSecret: string;
  stop(): Promise<void>;
}

/**
 * What survives a restart: start a second gateway on the same `state` (same PGlite folder or
 * database, same keys and admin credential) to measure it with other settings without seeding again.
 */
export interface GatewayState {
  readonly dataDir: string;
  readonly encryptionKeys: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Removes the data folder (the caller's, once its last gateway stopped). */
  dispose(): void;
}

export function newGatewayState(): GatewayState {
  const dataDir = mkdtempSync(join(tmpdir(), 'agentgate-bench-'));
  return {
    dataDir,
    encryptionKeys: `1:${randomBytes(32).toString('base64')}`,
    clientId: 'cli_bench_admin',
    clientSecret: `sec_${randomBytes(24).toString('base64url')}`,
    dispose: () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

/** The bench's environment minus what would silently change what a row measures. */
function inherited(): NodeJS.ProcessEnv {
  const { DATABASE_URL: _database, AGENTGATE_ACCOUNT_CACHE_TTL_SECONDS: _ttl, ...rest } = process.env;
  return rest;
}

export async function spawnGateway(options: {
  databaseUrl?: string;
  /** Shared state; without it the gateway gets its own, removed when it stops. */
  state?: GatewayState;
  /** Extra environment (AGENTGATE_ALLOW_PRIVATE_UPSTREAMS...). */
  env?: Readonly<Record<string, string>>;
  /** Node flags, e.g. `--cpu-prof --cpu-prof-dir=...`. */
  nodeArgs?: readonly string[];
}): Promise<GatewayProcess> {
  const owned = options.state === undefined;
  const state = options.state ?? newGatewayState();
  try {
    const child = await spawnNode({
      name: 'gateway',
      script: CLI,
      args: ['start'],
      nodeArgs: options.nodeArgs ?? [],
      env: {
        ...inherited(),
        NODE_ENV: 'production',
        PORT: '0',
        HOST: '127.0.0.1',
        AGENTGATE_DATA_DIR: state.dataDir,
        AGENTGATE_ENCRYPTION_KEYS: state.encryptionKeys,
        AGENTGATE_ADMIN_CLIENT_ID: state.clientId,
        AGENTGATE_ADMIN_CLIENT_SECRET: state.clientSecret,
        AGENTGATE_LOG_LEVEL: 'warn',
        ...(options.databaseUrl === undefined ? {} : { DATABASE_URL: options.databaseUrl }),
        ...options.env,
      },
    });
    return {
      url: child.url,
      pid: child.pid,
      clientId: state.clientId,
      clientSecret: state.clientSecret,
      async stop() {
        await child.stop();
        if (owned) state.dispose();
      },
    };
  } catch (error) {
    if (owned) state.dispose();
    throw error;
  }
}
