/**
 * @module Runs the real gateway (the CLI's `start`) in a child process, so load generation never shares
 * its event loop. By default the production build (`npm run build`, then `node --conditions=production
 * packages/cli/dist/bin.js start`, as `npm run start:production` runs it), built once per bench run:
 * that is what a deployment runs, and tsx's loader alone holds ~50 MB of transpiled source.
 * BENCH_GATEWAY=source measures `npm start` (TypeScript through tsx) instead.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnNode } from './children.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SOURCE_CLI = new URL('../../packages/cli/src/bin.ts', import.meta.url);
const BUILT_CLI = new URL('../../packages/cli/dist/bin.js', import.meta.url);

export type GatewayBuild = 'production' | 'source';

export function gatewayBuild(): GatewayBuild {
  const chosen = process.env['BENCH_GATEWAY'] ?? 'production';
  if (chosen !== 'production' && chosen !== 'source') throw new Error(`BENCH_GATEWAY must be production or source, not ${chosen}`);
  return chosen;
}

let built = false;

/** `npm run build` once per bench run, so the measured code is the checkout's. */
function ensureBuilt(): void {
  if (built) return;
  process.stderr.write('[bench] building the gateway (npm run build)… ');
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  process.stderr.write('done\n');
  built = true;
}

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
    const production = gatewayBuild() === 'production';
    if (production) ensureBuilt();
    const child = await spawnNode({
      name: 'gateway',
      script: production ? BUILT_CLI : SOURCE_CLI,
      tsx: !production,
      args: ['start'],
      nodeArgs: [...(production ? ['--conditions=production'] : []), ...(options.nodeArgs ?? [])],
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
