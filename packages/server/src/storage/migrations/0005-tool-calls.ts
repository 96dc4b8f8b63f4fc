/**
 * @module Tool execution: the tool call log, and the triggers that tell every replica's account
 * cache when an account or connection changed. The trigger NOTIFYs inside the writing transaction,
 * and PostgreSQL delivers it only after commit, so no listener ever hears of an uncommitted change.
 * `last_used_at` and the refresh lease columns are left out of the trigger: they change often and
 * change nothing a cached entry holds.
 */
import { sql, type Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

export const CACHE_CHANNEL = 'agentgate_cache';

const TABLES = `
    create table tool_calls (
      execution_id text primary key,
      environment_id text not null references environments(id) on delete cascade,
      agent_run_id text,
      tool_name text not null,
      tool_version text,
      provider text,
      connected_account_id text,
      connection_id text,
      connection_name text,
      identifier text,
      source text not null,
      status text not null,
      error_tier text,
      error_code text,
      error_message text,
      upstream_status integer,
      attempts integer not null default 1,
      duration_ms integer not null,
      started_at timestamptz not null,
      payload jsonb
    );
    create index tool_calls_environment on tool_calls (environment_id, execution_id);
    create index tool_calls_account on tool_calls (connected_account_id, execution_id);
    create index tool_calls_agent_run on tool_calls (environment_id, agent_run_id) where agent_run_id is not null
`;

// plpgsql bodies contain semicolons: these run one by one, not through the splitter.
const FUNCTIONS = [
  `create function agentgate_notify_account() returns trigger language plpgsql as $$
   begin
     perform pg_notify('${CACHE_CHANNEL}', 'a:' || coalesce(old.id, new.id));
     return null;
   end $$`,
  `create trigger connected_accounts_cache after update of status, credentials_sealed, scopes, token_expires_at, api_config, connection_id, identifier, organization_id, user_id or delete
   on connected_accounts for each row execute function agentgate_notify_account()`,
  `create function agentgate_notify_connection() returns trigger language plpgsql as $$
   begin
     perform pg_notify('${CACHE_CHANNEL}', 'c:' || coalesce(old.id, new.id));
     return null;
   end $$`,
  `create trigger connections_cache after update or delete on connections for each row execute function agentgate_notify_connection()`,
  `create function agentgate_notify_environment() returns trigger language plpgsql as $$
   begin
     perform pg_notify('${CACHE_CHANNEL}', 'e:' || coalesce(old.id, new.id));
     return null;
   end $$`,
  `create trigger environments_cache after update or delete on environments for each row execute function agentgate_notify_environment()`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, TABLES);
  for (const statement of FUNCTIONS) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger environments_cache on environments`.execute(db);
  await sql`drop trigger connections_cache on connections`.execute(db);
  await sql`drop trigger connected_accounts_cache on connected_accounts`.execute(db);
  for (const name of ['agentgate_notify_environment', 'agentgate_notify_connection', 'agentgate_notify_account']) await sql`drop function ${sql.raw(name)}()`.execute(db);
  await sql`drop table tool_calls`.execute(db);
}
