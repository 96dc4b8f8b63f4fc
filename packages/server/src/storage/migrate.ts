/**
 * @module Migrations: one ordered set for PGlite and PostgreSQL, applied at start and by `agentgate migrate`.
 * Kysely's PostgreSQL adapter takes a transaction-scoped advisory lock around the run, so replicas that
 * start together apply each migration exactly once.
 */
import { Migrator, type Kysely, type Migration, type MigrationResultSet } from 'kysely';
import * as initial from './migrations/0001-initial.ts';
import * as authorizationFlow from './migrations/0002-authorization-flow.ts';
import * as tokenRefresh from './migrations/0003-token-refresh.ts';
import * as webhooks from './migrations/0004-webhooks.ts';
import * as toolCalls from './migrations/0005-tool-calls.ts';
import * as mcpConfigs from './migrations/0006-mcp-configs.ts';
import type { Database } from './database.ts';

const MIGRATIONS: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-authorization-flow': authorizationFlow,
  '0003-token-refresh': tokenRefresh,
  '0004-webhooks': webhooks,
  '0005-tool-calls': toolCalls,
  '0006-mcp-configs': mcpConfigs,
};

export interface MigrationReport {
  readonly applied: readonly string[];
}

export async function migrateToLatest(db: Kysely<Database>): Promise<MigrationReport> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => MIGRATIONS },
    migrationTableName: 'agentgate_migrations',
    migrationLockTableName: 'agentgate_migrations_lock',
  });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error !== undefined) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed`, { cause: result.error });
  }
  return { applied: (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}
