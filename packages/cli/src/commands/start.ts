/** @module `agentgate start`: the gateway in the foreground, stopped cleanly by SIGTERM or SIGINT. */
import { loadConfig, startGateway } from '@agentgate/server';
import type { LeafCommand } from '../command.ts';

export const command: LeafCommand = {
  kind: 'leaf',
  summary: 'Run the gateway in the foreground until SIGTERM or SIGINT',
  usage: ['start'],
  notes: [
    'Configured by environment variables only (docs/configuration.md): PORT, HOST, AGENTGATE_DATA_DIR or',
    'DATABASE_URL, AGENTGATE_ENCRYPTION_KEYS, AGENTGATE_PUBLIC_URL, ... Migrations are applied at start.',
  ],
  options: {},
  positionals: { names: [], required: 0 },
  // Its output is a banner and logs, not data.
  json: false,
  run: (ctx) => start(ctx.env),
};

export async function start(env: NodeJS.ProcessEnv): Promise<void> {
  const config = loadConfig(env);
  const gateway = await startGateway(config);
  const storage = gateway.database.kind === 'pglite' ? `embedded database at ${gateway.database.location}` : `PostgreSQL ${gateway.database.location}`;
  console.log(`Agentgate listening on ${gateway.url} (${storage}); public URL ${config.publicUrl}`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    gateway.logger.info({ signal }, 'shutting down: finishing in-flight requests');
    // In-flight requests finish; new ones get 503 while closing. A stuck close still exits.
    const timer = setTimeout(() => process.exit(1), 10_000);
    timer.unref();
    gateway.close().then(
      () => process.exit(0),
      (error: unknown) => {
        gateway.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
