/** @module Token refresh: a per-account lease (one refresh at a time across replicas) and the attempt history. */
import { sql, type Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

// One statement per query: prepared statements (pg and PGlite alike) take a single command.
const STATEMENTS = `
    alter table connected_accounts add column refresh_lease_until timestamptz;
    alter table connected_accounts add column refresh_lease_owner text;
    alter table connected_accounts add column refresh_failures integer not null default 0;
    alter table connected_accounts add column refresh_cooldown_until timestamptz;
    alter table connected_accounts add column last_refreshed_at timestamptz;
    create index connected_accounts_refresh_due on connected_accounts (token_expires_at) where status = 'ACTIVE' and authorization_type = 'OAUTH';
    create table refresh_attempts (
      id text primary key,
      environment_id text not null references environments(id) on delete cascade,
      connected_account_id text not null references connected_accounts(id) on delete cascade,
      trigger text not null,
      outcome text not null,
      reason text,
      duration_ms integer not null,
      started_at timestamptz not null
    );
    create index refresh_attempts_account on refresh_attempts (connected_account_id, id)
`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, STATEMENTS);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table refresh_attempts`.execute(db);
  for (const column of ['refresh_lease_until', 'refresh_lease_owner', 'refresh_failures', 'refresh_cooldown_until', 'last_refreshed_at']) {
    await sql`alter table connected_accounts drop column ${sql.ref(column)}`.execute(db);
  }
}
