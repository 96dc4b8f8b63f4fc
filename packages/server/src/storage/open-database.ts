/** @module Opens the store: PGlite under the data folder by default, PostgreSQL when DATABASE_URL is set. */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database } from './database.ts';
import { PGliteDialect } from './pglite-dialect.ts';

export type DatabaseKind = 'pglite' | 'postgres';

/** A named prepared statement run on a pooled connection (each connection parses it once); returns the rows. */
export type PreparedQuery = <R>(query: { readonly name: string; readonly text: string; readonly values: readonly unknown[] }) => Promise<R[]>;

export interface OpenedDatabase {
  readonly db: Kysely<Database>;
  readonly kind: DatabaseKind;
  /** Where the data lives, for the start banner (never the password). */
  readonly location: string;
  /** PostgreSQL only: hot lookups bypass Kysely (see PreparedQuery). */
  readonly prepared?: PreparedQuery;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  readonly databaseUrl?: string | undefined;
  /** Folder for PGlite; `memory://` keeps it in memory (tests that do not need a restart). */
  readonly dataDir: string;
  readonly poolSize?: number;
  /** An idle pooled connection failed (database restarted, connection terminated); the pool replaces it. */
  readonly onIdleError?: ((error: Error) => void) | undefined;
}

// pg returns bigint counts as strings; our counts fit in a number.
pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));

export async function openDatabase(options: DatabaseOptions): Promise<OpenedDatabase> {
  if (options.databaseUrl !== undefined) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 });
    // Without a listener, an idle connection terminated by the server is an uncaught 'error' that kills the process.
    pool.on('error', (error) => options.onIdleError?.(error));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const url = new URL(options.databaseUrl);
    const prepared: PreparedQuery = async <R>(query: { readonly name: string; readonly text: string; readonly values: readonly unknown[] }) =>
      (await pool.query({ name: query.name, text: query.text, values: [...query.values] })).rows as R[];
    return { ...wrap(db, 'postgres', `postgres://${url.host}${url.pathname}`), prepared };
  }
  let location = 'memory://';
  if (options.dataDir !== 'memory://') {
    location = resolve(join(options.dataDir, 'pgdata'));
    mkdirSync(location, { recursive: true });
  }
  // Loaded only when used: a PostgreSQL deployment does not carry PGlite's module in memory.
  const { PGlite } = await import('@electric-sql/pglite');
  // PGlite's default 128 MB of shared buffers is reserved in this process's memory; the embedded
  // store of one gateway does not need it (measured: ~120 MB less resident memory at 16 MB).
  const pglite = new PGlite(location === 'memory://' ? undefined : location, { postgresqlconf: ['shared_buffers=16MB'] });
  await pglite.waitReady;
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return wrap(db, 'pglite', location);
}

function wrap(db: Kysely<Database>, kind: DatabaseKind, location: string): OpenedDatabase {
  return {
    db,
    kind,
    location,
    async ping() {
      await sql`select 1`.execute(db);
    },
    async close() {
      await db.destroy();
    },
  };
}
