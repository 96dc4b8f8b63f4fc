/** @module Tool call logs: batched inserts, keyset-paged reads newest first. */
import { sql, type Kysely } from 'kysely';
import type { ToolCallLogFilter, ToolCallLogRepository, ToolCallRecord, ToolCallSource } from '../../domain/ports.ts';
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
      await db
        .insertInto('tool_calls')
        .values(
          records.map((r) => ({
            execution_id: r.executionId,
            environment_id: r.environmentId,
            agent_run_id: r.agentRunId,
            tool_name: r.toolName,
            tool_version: r.toolVersion,
            provider: r.provider,
            connected_account_id: r.connectedAccountId,
            connection_id: r.connectionId,
            connection_name: r.connectionName,
            identifier: r.identifier,
            source: r.source,
            status: r.status,
            error_tier: r.errorTier,
            error_code: r.errorCode,
            error_message: r.errorMessage,
            upstream_status: r.upstreamStatus,
            attempts: r.attempts,
            duration_ms: r.durationMs,
            started_at: r.startedAt,
            payload: r.payload === null ? null : JSON.stringify(r.payload),
          })),
        )
        // An environment deleted meanwhile takes its logs with it; a retried flush must not fail the batch.
        .onConflict((oc) => oc.column('execution_id').doNothing())
        .execute();
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
    async find(environmentId, executionId) {
      const row = await db.selectFrom('tool_calls').selectAll().where('environment_id', '=', environmentId).where('execution_id', '=', executionId).executeTakeFirst();
      return row === undefined ? undefined : fromRow(row as Row);
    },
  };
}

