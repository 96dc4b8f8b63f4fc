/**
 * @module Direct database access for the server-side commands (migrate, environments, credentials).
 *
 * These work without a running gateway on purpose: a fresh install has no API credential to call the
 * API with, and creating the first one is exactly what they are for. The embedded database (PGlite)
 * can be opened by one process at a time, so they must not run against a data folder a running
 * gateway has open; PostgreSQL has no such limit.
 */
import type { CommandContext } from './command.ts';

export type ServerModule = typeof import('@agentgate/server');
type Opened = Awaited<ReturnType<ServerModule['openMigratedStore']>>;

export interface StoreSession {
  readonly server: ServerModule;
  readonly store: Opened['store'];
  readonly database: Opened['database'];
  /** Migrations this open applied (empty when the schema was up to date). */
  readonly applied: readonly string[];
}

/**
 * Opens and migrates the configured database (the same variables as `start`), runs `work`, and
 * always closes it: an open PGlite would keep the process alive and its folder locked.
 */
export async function withStore<T>(ctx: CommandContext, work: (session: StoreSession) => Promise<T>): Promise<T> {
  // Imported here, not at the top: the server package is heavy and API commands never need it.
  const server = await import('@agentgate/server');
  const config = server.loadConfig(ctx.env);
  // Logs go to stderr when asked for, so they never mix with the data (or JSON) on stdout.
  const logger = ctx.verbose ? server.createLogger(config.logLevel === 'silent' ? 'info' : config.logLevel, process.stderr) : server.createLogger('silent');
  const { database, store, applied } = await server.openMigratedStore(config, logger);
  try {
    return await work({ server, store, database, applied });
  } finally {
    await database.close();
  }
}

/** Where the data lives, as the start banner says it (never a password). */
export function describeDatabase(database: StoreSession['database']): string {
  return database.kind === 'pglite' ? `embedded database at ${database.location}` : `PostgreSQL ${database.location}`;
}
