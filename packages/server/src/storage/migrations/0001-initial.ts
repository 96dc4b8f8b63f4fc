/** @module The first schema: environments, credentials, connections, connected accounts, events. */
import { sql, type Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

// One statement per query: prepared statements (pg and PGlite alike) take a single command.
const STATEMENTS = `
    create table environments (
      id text primary key,
      name text not null unique,
      settings jsonb not null default '{}'::jsonb,
      created_at timestamptz not null default now()
    );
    create table api_credentials (
      id text primary key,
      environment_id text not null references environments(id) on delete cascade,
      name text not null,
      secret_hash text not null,
      created_at timestamptz not null default now(),
      revoked_at timestamptz,
      last_used_at timestamptz
    );
    create index api_credentials_environment on api_credentials (environment_id, id);
    create table signing_keys (
      id text primary key,
      secret_sealed text not null,
      created_at timestamptz not null default now()
    );
    create table connections (
      id text primary key,
      environment_id text not null references environments(id) on delete cascade,
      name text not null,
      provider text not null,
      type text not null,
      enabled boolean not null default true,
      oauth_config jsonb not null default '{}'::jsonb,
      client_secret_sealed text,
      api_config jsonb not null default '{}'::jsonb,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (environment_id, name)
    );
    create table connected_accounts (
      id text primary key,
      environment_id text not null references environments(id) on delete cascade,
      connection_id text not null references connections(id),
      identifier text not null,
      organization_id text not null default '',
      user_id text not null default '',
      status text not null,
      authorization_type text not null,
      credentials_sealed text,
      scopes jsonb not null default '[]'::jsonb,
      token_expires_at timestamptz,
      api_config jsonb not null default '{}'::jsonb,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      last_used_at timestamptz,
      unique (connection_id, identifier, organization_id, user_id)
    );
    create index connected_accounts_environment on connected_accounts (environment_id, id);
    create index connected_accounts_status on connected_accounts (environment_id, status);
    create table events (
      id text primary key,
      environment_id text not null references environments(id) on delete cascade,
      type text not null,
      object text not null,
      connected_account_id text,
      connection_id text,
      connection_name text,
      occurred_at timestamptz not null default now(),
      data jsonb not null
    );
    create index events_environment on events (environment_id, id);
    create index events_account on events (connected_account_id, id);
`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, STATEMENTS);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['events', 'connected_accounts', 'connections', 'signing_keys', 'api_credentials', 'environments']) {
    await sql`drop table ${sql.table(table)}`.execute(db);
  }
}
