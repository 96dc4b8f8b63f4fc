/** @module Tool call logs (`GET /api/v1/agentkit/tool_call_logs`): every execution, newest first, with filters. */
import { z } from 'zod';
import { GatewayError } from '../../errors.ts';
import { paginate } from '../../domain/pagination.ts';
import type { ToolCallRecord } from '../../domain/ports.ts';
import { ConnectionName, Identifier, PageSize, StringList } from '../inputs.ts';
import { callerOf, defineRoute, type RouteSpec } from '../route.ts';
import type { HttpServices } from '../services.ts';

export const ToolCallLogWire = z.object({
  id: z.string(),
  execution_id: z.string(),
  environment_id: z.string(),
  agent_run_id: z.string().nullable(),
  tool_name: z.string(),
  tool_version: z.string().nullable(),
  provider: z.string().nullable(),
  connected_account_id: z.string().nullable(),
  connection_id: z.string().nullable(),
  connection_name: z.string().nullable(),
  identifier: z.string().nullable(),
  source: z.string(),
  status: z.enum(['SUCCESS', 'FAILED']),
  error_tier: z.enum(['provider', 'platform']).nullable(),
  error_code: z.string().nullable(),
  error_message: z.string().nullable(),
  upstream_status: z.number().int().nullable(),
  attempts: z.number().int(),
  duration_ms: z.number().int(),
  started_at: z.string(),
  payload: z.object({ params: z.unknown().optional(), data: z.unknown().optional() }).nullable(),
});

export function formatToolCall(r: ToolCallRecord): z.infer<typeof ToolCallLogWire> {
  return {
    id: r.executionId,
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
    started_at: r.startedAt.toISOString(),
    payload: r.payload === null ? null : { ...r.payload },
  };
}

const Timestamp = z.iso.datetime({ offset: true });

export function toolCallLogRoutes({ ctx }: HttpServices): RouteSpec[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/api/v1/agentkit/tool_call_logs',
      operationId: 'listToolCallLogs',
      summary: 'List tool executions (newest first) by account, identifier, connection, agent run, tool, status, provider and time.',
      tag: 'tools',
      auth: true,
      query: z
        .object({
          connected_account_id: z.string().max(64).optional(),
          identifier: Identifier.optional(),
          connection_name: ConnectionName.optional(),
          agent_run_id: z.string().max(255).optional(),
          tool_name: z.string().max(100).optional(),
          status: StringList.pipe(z.array(z.enum(['SUCCESS', 'FAILED', 'success', 'failed']))).optional(),
          provider: StringList.optional(),
          start_time: Timestamp.optional(),
          end_time: Timestamp.optional(),
          page_size: PageSize(100, 50),
          page_token: z.string().max(512).optional(),
        })
        .strict(),
      response: z.object({ tool_call_logs: z.array(ToolCallLogWire), next_page_token: z.string(), prev_page_token: z.string() }),
      errors: ['validation_failed'],
      handler: async ({ query, request }) => {
        // Calls this replica made a moment ago are still in the batch: write them first.
        await ctx.tools.callLog.flush();
        const filter = {
          connectedAccountId: query.connected_account_id,
          identifier: query.identifier,
          connectionName: query.connection_name,
          agentRunId: query.agent_run_id,
          toolName: query.tool_name,
          statuses: query.status?.map((s) => s.toUpperCase()),
          providers: query.provider,
          startTime: query.start_time === undefined ? undefined : new Date(query.start_time),
          endTime: query.end_time === undefined ? undefined : new Date(query.end_time),
        };
        const environmentId = callerOf(request).environmentId;
        const page = await paginate({ pageSize: query.page_size, pageToken: query.page_token }, async (window) =>
          (await ctx.store.toolCalls.list(environmentId, filter, window)).map((r) => ({ id: r.executionId, record: r })),
        );
        return { tool_call_logs: page.items.map((item) => formatToolCall(item.record)), next_page_token: page.nextPageToken, prev_page_token: page.prevPageToken };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/v1/agentkit/tool_call_logs/{execution_id}',
      operationId: 'getToolCallLog',
      summary: 'Get one tool execution by its execution_id.',
      tag: 'tools',
      auth: true,
      params: z.object({ execution_id: z.string().max(64) }).strict(),
      response: z.object({ tool_call_log: ToolCallLogWire }),
      errors: ['tool_call_log_not_found'],
      handler: async ({ params, request }) => {
        await ctx.tools.callLog.flush();
        const record = await ctx.store.toolCalls.find(callerOf(request).environmentId, params.execution_id);
        if (record === undefined) throw new GatewayError('tool_call_log_not_found', `No tool call with execution_id "${params.execution_id}" in this environment.`);
        return { tool_call_log: formatToolCall(record) };
      },
    }),
  ];
}
