/** @module Authorization links and auth requests: the server-side state of the hosted flow. */
import { sql, type Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

// One statement per query: prepared statements (pg and PGlite alike) take a single command.
const STATEMENTS = `
    create table authorization_links (
      id text primary key,
      environment_id text not null references environments(id) on delete cascade,
      token_hash text not null unique,
      connected_account_id text not null references connected_accounts(id) on delete cascade,
      connection_id text not null references connections(id),
      identifier text not null,
      developer_state text,
      user_verify_url text,
      expires_at timestamptz not null,
      used_at timestamptz,
      created_at timestamptz not null default now()
    );
    create table auth_requests (
      id text primary key,
      environment_id text not null references environments(id) on delete cascade,
      link_id text not null references authorization_links(id) on delete cascade,
      connected_account_id text not null references connected_accounts(id) on delete cascade,
      connection_id text not null references connections(id),
      state_hash text not null unique,
      binding_hash text not null,
      code_verifier_sealed text not null,
      redirect_uri text not null,
      expected_issuer text,
      requested_scopes jsonb not null default '[]'::jsonb,
      status text not null,
      expires_at timestamptz not null,
      consumed_at timestamptz,
      verification_hash text unique,
      verify_expires_at timestamptz,
      pending_tokens_sealed text,
      previous_status text,
      error_code text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index auth_requests_pending on auth_requests (verify_expires_at) where pending_tokens_sealed is not null
`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, STATEMENTS);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['auth_requests', 'authorization_links']) {
    await sql`drop table ${sql.table(table)}`.execute(db);
  }
}
