/**
 * @module Virtual MCP servers: one row per config, its connection → tools mappings as JSON (at most
 * 25, always read whole). The RS256 key that signs MCP session tokens needs no table of its own: it
 * is a sealed row of `signing_keys`, so key rotation and the start-up key check cover it.
 */
import { sql, type Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

const STATEMENTS = `
    create table mcp_configs (
      id text primary key,
      environment_id text not null references environments(id) on delete cascade,
      name text not null,
      description text not null default '',
      connection_tool_mappings jsonb not null default '[]'::jsonb,
      user_verify_url text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (environment_id, name)
    );
    create index mcp_configs_environment on mcp_configs (environment_id, id)
`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, STATEMENTS);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table mcp_configs`.execute(db);
}
