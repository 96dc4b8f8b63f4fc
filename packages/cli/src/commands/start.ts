/** @module `agentgate start`: the gateway in the foreground, stopped cleanly by SIGTERM or SIGINT. */
import { loadConfig, startGateway } from '@agentgate/server';

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
