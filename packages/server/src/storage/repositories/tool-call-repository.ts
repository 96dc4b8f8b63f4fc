/** @module Tool call logs: batched inserts, keyset-paged reads newest first. */
import { sql, type Kysely } from 'kysely';
import type { ToolCallBucket, ToolCallLogFilter, ToolCallLogRepository, ToolCallRecord, ToolCallSource } from '../../domain/ports.ts';
import type { Database, ToolCallsTable } from '../database.ts';
import { applyWindow, finishWindow } from './paging.ts';
import { toDate } from './rows.ts';

type Row = { [K in keyof ToolCallsTable]: ToolCallsTable[K] extends { __select__: infer S } ? S : ToolCallsTable[K] };

function fromRow(row: Row): ToolCallRecord {
  return {
    executionId: row.execution_id,
    environmentId: row.environment_id,
    agentRunId: row.agent_run_id,
    toolName: row.tool_name,
    toolVersion: row.tool_version,
    provider: row.provider,
    connectedAccountId: row.connected_account_id,
    connectionId: row.connection_id,
    connectionName: row.connection_name,
    identifier: row.identifier,
    source: row.source as ToolCallSource,
    status: row.status as ToolCallRecord['status'],
    errorTier: row.error_tier as ToolCallRecord['errorTier'],
    errorCode: row.error_code,
    errorMessage: row.error_message,
    upstreamStatus: row.upstream_status,
    attempts: row.attempts,
    durationMs: row.duration_ms,
    startedAt: toDate(row.started_at as Date | string),
    payload: (row.payload as ToolCallRecord['payload']) ?? null,
  };
}

export function toolCallRepository(db: Kysely<Database>): ToolCallLogRepository {
  const filtered = (environmentId: string, filter: ToolCallLogFilter) => {
    let q = db.selectFrom('tool_calls').where('environment_id', '=', environmentId);
    if (filter.connectedAccountId !== undefined) q = q.where('connected_account_id', '=', filter.connectedAccountId);
    if (filter.connectionName !== undefined) q = q.where('connection_name', '=', filter.connectionName);
    if (filter.identifier !== undefined) q = q.where('identifier', '=', filter.identifier);
    if (filter.agentRunId !== undefined) q = q.where('agent_run_id', '=', filter.agentRunId);
    if (filter.toolName !== undefined) q = q.where('tool_name', '=', filter.toolName);
    if (filter.statuses !== undefined && filter.statuses.length > 0) q = q.where('status', 'in', [...filter.statuses]);
    if (filter.providers !== undefined && filter.providers.length > 0) q = q.where('provider', 'in', [...filter.providers]);
    if (filter.startTime !== undefined) q = q.where('started_at', '>=', filter.startTime);
    if (filter.endTime !== undefined) q = q.where('started_at', '<', filter.endTime);
    return q;
  };
  return {
    async insertMany(records) {
      if (records.length === 0) return;
      // One array parameter per column (unnest) instead of one parameter per value: a 500-row batch
      // is 20 parameters, cheap to build on the hot path's event loop and the same plan every time.
      const column = <T>(pick: (r: ToolCallRecord) => T) => records.map(pick);
      await sql`
        insert into tool_calls (execution_id, environment_id, agent_run_id, tool_name, tool_version, provider, connected_account_id,
          connection_id, connection_name, identifier, source, status, error_tier, error_code, error_message, upstream_status, attempts,
          duration_ms, started_at, payload)
        select * from unnest(
          ${column((r) => r.executionId)}::text[], ${column((r) => r.environmentId)}::text[], ${column((r) => r.agentRunId)}::text[],
          ${column((r) => r.toolName)}::text[], ${column((r) => r.toolVersion)}::text[], ${column((r) => r.provider)}::text[],
          ${column((r) => r.connectedAccountId)}::text[], ${column((r) => r.connectionId)}::text[], ${column((r) => r.connectionName)}::text[],
          ${column((r) => r.identifier)}::text[], ${column((r) => r.source)}::text[], ${column((r) => r.status)}::text[],
          ${column((r) => r.errorTier)}::text[], ${column((r) => r.errorCode)}::text[], ${column((r) => r.errorMessage)}::text[],
          ${column((r) => r.upstreamStatus)}::integer[], ${column((r) => r.attempts)}::integer[], ${column((r) => Math.round(r.durationMs))}::integer[],
          ${column((r) => r.startedAt.toISOString())}::timestamptz[], ${column((r) => (r.payload === null ? null : JSON.stringify(r.payload)))}::jsonb[]
        )
        on conflict (execution_id) do nothing`.execute(db);
    },
    async touchAccounts(uses) {
      if (uses.length === 0) return;
      // One statement for the whole batch; never moves last_used_at backwards.
      await sql`
        update connected_accounts as a set last_used_at = v.at
        from (select unnest(${uses.map((u) => u.id)}::text[]) as id, unnest(${uses.map((u) => u.at.toISOString())}::timestamptz[]) as at) as v
        where a.id = v.id and (a.last_used_at is null or a.last_used_at < v.at)`.execute(db);
    },
    async list(environmentId, filter, window) {
      const rows = await applyWindow(filtered(environmentId, filter).selectAll(), 'execution_id', window, true).execute();
      return finishWindow(rows as Row[], window).map(fromRow);
    },
    async countByBucket(environmentId, filter, range) {
      // Bucket number = whole buckets since `from`; the window's own bounds replace any in the filter.
      const from = range.from.toISOString();
      const bucket = sql<string>`floor(extract(epoch from (started_at - ${from}::timestamptz)) / ${range.bucketSeconds})::bigint`;
      const rows = await filtered(environmentId, { ...filter, startTime: range.from, endTime: range.to })
        .select([bucket.as('bucket'), 'provider', 'status', 'error_tier', sql<string>`count(*)`.as('count')])
        .groupBy([sql`1`, 'provider', 'status', 'error_tier'])
        .execute();
      return rows.map(
        (row): ToolCallBucket => ({
          bucketStart: new Date(range.from.getTime() + Number(row.bucket) * range.bucketSeconds * 1000),
          provider: row.provider,
          status: row.status as ToolCallBucket['status'],
          errorTier: row.error_tier as ToolCallBucket['errorTier'],
          count: Number(row.count),
        }),
      );
    },
    async find(environmentId, executionId) {
      const row = await db.selectFrom('tool_calls').selectAll().where('environment_id', '=', environmentId).where('execution_id', '=', executionId).executeTakeFirst();
      return row === undefined ? undefined : fromRow(row as Row);
    },
  };
}

