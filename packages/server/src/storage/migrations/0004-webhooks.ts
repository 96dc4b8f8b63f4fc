/**
 * @module Webhooks: per-environment endpoints (signing secret sealed by the vault) and the delivery
 * queue, which doubles as the delivery log. Rows are leased through `lease_until` so that any number of
 * replicas can drain the queue without sending one delivery twice.
 */
import { sql, type Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

// One statement per query: prepared statements (pg and PGlite alike) take a single command.
const STATEMENTS = `
    create table webhook_endpoints (
      id text primary key,
      environment_id text not null references environments(id) on delete cascade,
      url text not null,
      description text not null default '',
      event_types jsonb not null default '[]'::jsonb,
      secret_sealed text not null,
      previous_secret_sealed text,
      previous_secret_expires_at timestamptz,
      enabled boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index webhook_endpoints_environment on webhook_endpoints (environment_id, id);
    create table webhook_deliveries (
      id text primary key,
      environment_id text not null references environments(id) on delete cascade,
      endpoint_id text not null references webhook_endpoints(id) on delete cascade,
      event_id text not null,
      event_type text not null,
      payload jsonb not null,
      status text not null default 'pending',
      attempts integer not null default 0,
      next_attempt_at timestamptz,
      last_status_code integer,
      last_error text,
      lease_until timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index webhook_deliveries_due on webhook_deliveries (status, next_attempt_at);
    create index webhook_deliveries_endpoint on webhook_deliveries (endpoint_id, id)
`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, STATEMENTS);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['webhook_deliveries', 'webhook_endpoints']) {
    await sql`drop table ${sql.table(table)}`.execute(db);
  }
}
