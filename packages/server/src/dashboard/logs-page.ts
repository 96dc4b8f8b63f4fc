/**
 * @module Logs: tool executions newest first, filtered by tool, connector, status, account and time
 * range, in cursor pages; one execution's detail; and charts of executions by connector and errors
 * by tier (provider or platform) over the chosen range, counted by the database in one grouped query
 * (`toolCallStats`).
 */
import { paginate } from '../domain/pagination.ts';
import type { ToolCallLogFilter, ToolCallRecord } from '../domain/ports.ts';
import { toolCallStats, type CallStats } from '../domain/tools/call-stats.ts';
import { GatewayError } from '../errors.ts';
import { html, type SafeHtml } from '../pages/html.ts';
import { accountPath } from './accounts-page.ts';
import { OTHER_COLOR, PALETTE, stackedBarChart } from './charts.ts';
import { dataStylesheet, filterQuery, formatTime, jsonBlock, pager, timeCell } from './display.ts';
import { selectField, textField } from './forms.ts';
import { view, type DashboardRouter } from './router.ts';

export const LOGS_SECTION = 'logs';
const PATH = '/dashboard/logs';
const PAGE_SIZE = 25;
/** Connectors drawn with their own colour; the rest are added up as "other". */
const CHART_CONNECTORS = 6;

export const logPath = (executionId: string) => `${PATH}/${encodeURIComponent(executionId)}`;

/** The ranges offered, each with a bucket size that gives 12 to 30 bars. */
export const RANGES = {
  '1h': { label: 'Last hour', seconds: 3600, bucket: 300 },
  '24h': { label: 'Last 24 hours', seconds: 86_400, bucket: 3600 },
  '7d': { label: 'Last 7 days', seconds: 604_800, bucket: 21_600 },
  '30d': { label: 'Last 30 days', seconds: 2_592_000, bucket: 86_400 },
} as const;
type RangeKey = keyof typeof RANGES;
const DEFAULT_RANGE: RangeKey = '24h';

/** The window of a range ending at the end of the current bucket (so the last bar is "now"). */
export function windowOf(range: RangeKey, now: Date): { from: Date; to: Date; bucketSeconds: number } {
  const { seconds, bucket } = RANGES[range];
  const to = Math.ceil((now.getTime() + 1) / (bucket * 1000)) * bucket * 1000;
  return { from: new Date(to - seconds * 1000), to: new Date(to), bucketSeconds: bucket };
}

const statusBadge = (r: ToolCallRecord): SafeHtml => (r.status === 'SUCCESS' ? html`<span class="badge result-ok">SUCCESS</span>` : html`<span class="badge result-fail">FAILED</span>`);

function charts(stats: CallStats): SafeHtml {
  const top = stats.connectors.slice(0, CHART_CONNECTORS);
  const rest = stats.connectors.slice(CHART_CONNECTORS);
  const other = rest.length === 0 ? [] : [{ label: 'other', color: OTHER_COLOR, values: stats.buckets.map((_, i) => rest.reduce((sum, c) => sum + (c.executions[i] ?? 0), 0)) }];
  const byConnector = [...top.map((c, i) => ({ label: c.provider, color: PALETTE[i % PALETTE.length] ?? OTHER_COLOR, values: c.executions })), ...other];
  const byTier = [
    { label: 'provider errors', color: '#e07b00', values: stats.errorsByTier.provider },
    { label: 'platform errors', color: '#7a5cd6', values: stats.errorsByTier.platform },
  ];
  const { totals } = stats;
  return html`<p role="status">${totals.executions} execution${totals.executions === 1 ? '' : 's'}, ${totals.failed} failed (${totals.providerErrors} provider, ${totals.platformErrors} platform).</p>
${stackedBarChart({ id: 'chart-executions', title: 'Executions by connector', unit: 'executions', buckets: stats.buckets, bucketSeconds: stats.bucketSeconds, series: byConnector })}
${stackedBarChart({ id: 'chart-errors', title: 'Errors by tier', unit: 'errors', buckets: stats.buckets, bucketSeconds: stats.bucketSeconds, series: byTier })}
${stats.connectors.length > 0 && html`<div class="table-wrap"><table id="connector-summary">
<caption class="visually-hidden">Executions and errors by connector</caption>
<thead><tr><th scope="col">Connector</th><th scope="col" class="num">Executions</th><th scope="col" class="num">Failed</th><th scope="col" class="num">Provider errors</th><th scope="col" class="num">Platform errors</th></tr></thead>
<tbody>${stats.connectors.map((c) => html`<tr><th scope="row">${c.provider}</th><td class="num">${c.total}</td><td class="num">${c.totalFailed}</td><td class="num">${c.providerErrors}</td><td class="num">${c.platformErrors}</td></tr>`)}</tbody>
</table></div>`}`;
}

export function registerLogsPages(router: DashboardRouter): void {
  const { ctx } = router;

  router.get(PATH, async ({ session, query }) => {
    const environmentId = session.environment.id;
    const rawRange = query.get('range') ?? '';
    const range: RangeKey = Object.hasOwn(RANGES, rawRange) ? (rawRange as RangeKey) : DEFAULT_RANGE;
    const tool = (query.get('tool') ?? '').trim().slice(0, 100);
    const connector = (query.get('connector') ?? '').slice(0, 100);
    const rawStatus = query.get('status') ?? '';
    const status = rawStatus === 'SUCCESS' || rawStatus === 'FAILED' ? rawStatus : '';
    const account = (query.get('account') ?? '').trim().slice(0, 64);
    const now = ctx.clock();
    const window = windowOf(range, now);
    const filter: ToolCallLogFilter = {
      ...(tool === '' ? {} : { toolName: tool }),
      ...(connector === '' ? {} : { providers: [connector] }),
      ...(status === '' ? {} : { statuses: [status] }),
      ...(account === '' ? {} : { connectedAccountId: account }),
    };
    const stats = await toolCallStats(ctx, environmentId, filter, window);
    const page = await paginate({ pageSize: PAGE_SIZE, pageToken: query.get('page_token') ?? undefined }, async (w) =>
      (await ctx.store.toolCalls.list(environmentId, { ...filter, startTime: window.from }, w)).map((record) => ({ id: record.executionId, record })),
    );
    const filters = filterQuery({ tool, connector, status, account, range: range === DEFAULT_RANGE ? undefined : range });
    const body = html`${dataStylesheet()}
<form class="filters" method="get" action="${PATH}" role="search" aria-label="Filter tool executions">
${textField({ name: 'tool', label: 'Tool', value: tool, maxlength: 100, hint: 'Exact name, e.g. gmail_get_profile.' })}
${selectField({ name: 'connector', label: 'Connector', selected: connector, options: [{ value: '', label: 'Any connector' }, ...ctx.catalog.list().map((c) => ({ value: c.key, label: c.display_name }))] })}
${selectField({ name: 'status', label: 'Status', selected: status, options: [{ value: '', label: 'Any status' }, { value: 'SUCCESS', label: 'Succeeded' }, { value: 'FAILED', label: 'Failed' }] })}
${textField({ name: 'account', label: 'Account id', value: account, maxlength: 64, hint: 'A connected account id (ca_…).' })}
${selectField({ name: 'range', label: 'Time range', selected: range, options: Object.entries(RANGES).map(([value, r]) => ({ value, label: r.label })) })}
<div class="actions"><button type="submit">Filter</button>${filters.size > 0 && html` <a href="${PATH}">Clear</a>`}</div>
</form>
<h2 id="charts">Overview</h2>
${charts(stats)}
<h2 id="executions">Executions</h2>
${page.items.length === 0
  ? html`<p>No tool executions ${filters.size > 0 ? 'match these filters' : 'in this period'}.</p>`
  : html`<div class="table-wrap"><table id="executions-table">
<thead><tr><th scope="col">Started</th><th scope="col">Tool</th><th scope="col">Connection</th><th scope="col">Account</th><th scope="col">Status</th><th scope="col">Error</th><th scope="col" class="num">Upstream</th><th scope="col" class="num">Duration</th></tr></thead>
<tbody>
${page.items.map(({ record: r }) => html`<tr>
<td><a href="${logPath(r.executionId)}">${timeCell(r.startedAt, now)}</a></td>
<td><code>${r.toolName}</code></td>
<td>${r.connectionName ?? '—'} <span class="muted">${r.provider ?? ''}</span></td>
<td>${r.connectedAccountId === null ? (r.identifier ?? '—') : html`<a href="${accountPath(r.connectedAccountId)}">${r.identifier ?? r.connectedAccountId}</a>`}</td>
<td>${statusBadge(r)}</td>
<td>${r.errorCode === null ? '—' : html`${r.errorTier ?? ''} <code>${r.errorCode}</code>`}</td>
<td class="num">${r.upstreamStatus ?? '—'}</td>
<td class="num">${r.durationMs} ms</td>
</tr>`)}
</tbody>
</table></div>`}
${pager(PATH, filters, page)}`;
    return view({ title: 'Logs', section: LOGS_SECTION, body });
  });

  router.get<{ id: string }>(`${PATH}/:id`, async ({ session, params }) => {
    await ctx.tools.callLog.flush();
    const r = await ctx.store.toolCalls.find(session.environment.id, params.id.slice(0, 64));
    if (r === undefined) throw new GatewayError('tool_call_log_not_found', `No tool execution "${params.id}" in this environment.`);
    const now = ctx.clock();
    const again = r.connectedAccountId === null ? undefined : `/dashboard/playground?${new URLSearchParams({ account: r.connectedAccountId, tool: r.toolName }).toString()}`;
    const body = html`${dataStylesheet()}
<dl class="facts">
<dt>Status</dt><dd>${statusBadge(r)}</dd>
<dt>Tool</dt><dd><code>${r.toolName}</code>${r.toolVersion !== null && html` <span class="muted">version ${r.toolVersion}</span>`}</dd>
<dt>Connector</dt><dd>${r.provider ?? '—'}</dd>
<dt>Connection</dt><dd>${r.connectionName ?? '—'}</dd>
<dt>Account</dt><dd>${r.connectedAccountId === null ? (r.identifier ?? '—') : html`<a href="${accountPath(r.connectedAccountId)}">${r.identifier ?? r.connectedAccountId}</a> <code>${r.connectedAccountId}</code>`}</dd>
<dt>Started</dt><dd>${timeCell(r.startedAt, now)}</dd>
<dt>Duration</dt><dd>${r.durationMs} ms</dd>
<dt>Attempts</dt><dd>${r.attempts}</dd>
<dt>Upstream status</dt><dd>${r.upstreamStatus ?? '—'}</dd>
${r.status === 'FAILED' && html`<dt>Error tier</dt><dd>${r.errorTier ?? '—'}</dd>
<dt>Error code</dt><dd><code>${r.errorCode ?? '—'}</code></dd>
<dt>Error message</dt><dd>${r.errorMessage ?? '—'}</dd>`}
<dt>Source</dt><dd>${r.source}</dd>
${r.agentRunId !== null && html`<dt>Agent run</dt><dd><code>${r.agentRunId}</code></dd>`}
<dt>Execution id</dt><dd><code>${r.executionId}</code></dd>
</dl>
${again !== undefined && html`<p><a href="${again}">Run this tool again in the playground</a></p>`}
<h2 id="payload">Payload</h2>
${r.payload === null
  ? html`<p class="muted">Parameters and results are not kept: tool call payload logging is off in <a href="/dashboard/settings">Settings</a>.</p>`
  : html`<h3>Parameters</h3>${jsonBlock(r.payload.params ?? null, 'Parameters JSON')}${r.payload.data !== undefined && html`<h3>Result</h3>${jsonBlock(r.payload.data, 'Result JSON')}`}`}
<p><a href="${PATH}">Back to Logs</a></p>`;
    return view({ title: `Execution at ${formatTime(r.startedAt)}`, section: LOGS_SECTION, body });
  });
}
