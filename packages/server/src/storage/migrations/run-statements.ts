/** @module Running a migration's SQL: one statement per query, since prepared statements (pg and PGlite alike) take one command. */
import { sql, type Kysely } from 'kysely';

export async function runStatements(db: Kysely<unknown>, statements: string): Promise<void> {
  for (const statement of statements.split(';').map((s) => s.trim()).filter(Boolean)) {
    await sql.raw(statement).execute(db);
  }
}
