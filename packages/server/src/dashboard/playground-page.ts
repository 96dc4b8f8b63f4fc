/**
 * @module The tool playground: pick a connected account (the ACTIVE ones, or any one by ?account=),
 * one of its connector's tools, fill the form generated from the tool's input schema, and run it
 * through the real execution path (`executeTool`, source `dashboard`), so the run is logged like any
 * other. The answer shows the result as escaped, pretty-printed JSON, or the tool error (kind, tier,
 * message, fix), and the execution's log entry with a link to it in Logs.
 */
import { randomBytes } from 'node:crypto';
import type { CatalogTool } from '../catalog/tool-schema.ts';
import { findAccount, listAccounts, type AccountView } from '../domain/accounts/accounts.ts';
import type { ToolCallRecord } from '../domain/ports.ts';
import { executeTool } from '../domain/tools/execution.ts';
import { GatewayError } from '../errors.ts';
import { html, type SafeHtml } from '../pages/html.ts';
import { accountPath } from './accounts-page.ts';
import { dataStylesheet, jsonBlock } from './display.ts';
import { csrfInput, formValue, selectField, type FieldErrors, type PostedForm } from './forms.ts';
import { fieldsOf, issuesByField, parseSchemaForm, schemaControls } from './json-schema-form.ts';
import { logPath } from './logs-page.ts';
import { view, type DashboardRouter, type ViewResult } from './router.ts';
import type { DashboardSession } from './session.ts';

export const PLAYGROUND_SECTION = 'playground';
const PATH = '/dashboard/playground';

/** What a run produced, for the answer page. */
interface RunOutcome {
  readonly data?: unknown;
  readonly error?: GatewayError;
  readonly record?: ToolCallRecord | undefined;
}

function toolsFor(router: DashboardRouter, provider: string): CatalogTool[] {
  return router.ctx.catalog.tools().filter((t) => t.provider === provider && t.is_default);
}

function errorBox(error: GatewayError): SafeHtml {
  const details = error.details ?? {};
  const toolError = (details['tool_error'] ?? {}) as { kind?: unknown; upstream_status?: unknown; provider_code?: unknown };
  const isToolError = error.code === 'tool_error';
  const kind = isToolError && typeof toolError.kind === 'string' ? toolError.kind : error.code;
  const tier = isToolError && typeof details['tier'] === 'string' ? details['tier'] : 'platform';
  const fix = typeof details['fix'] === 'string' ? details['fix'] : undefined;
  return html`<div class="tool-error" role="alert" aria-labelledby="tool-error-title">
<h3 id="tool-error-title">The tool failed</h3>
<dl class="facts">
<dt>Kind</dt><dd><code>${kind}</code></dd>
<dt>Tier</dt><dd>${tier} <span class="muted">(${tier === 'provider' ? 'the provider refused or failed' : 'the gateway stopped the call'})</span></dd>
<dt>Message</dt><dd>${error.message}</dd>
${fix !== undefined && html`<dt>Fix</dt><dd>${fix}</dd>`}
${isToolError && typeof toolError.upstream_status === 'number' && html`<dt>Upstream status</dt><dd>${toolError.upstream_status}</dd>`}
${isToolError && typeof toolError.provider_code === 'string' && html`<dt>Provider code</dt><dd><code>${toolError.provider_code}</code></dd>`}
</dl>
</div>`;
}

function logEntry(record: ToolCallRecord | undefined): SafeHtml {
  if (record === undefined) return html`<p class="muted">The execution log entry is not written yet; find it in <a href="/dashboard/logs">Logs</a>.</p>`;
  return html`<h3>Execution log</h3>
<dl class="facts" id="execution-entry">
<dt>Execution id</dt><dd><a href="${logPath(record.executionId)}"><code>${record.executionId}</code></a></dd>
<dt>Status</dt><dd>${record.status === 'SUCCESS' ? html`<span class="badge result-ok">SUCCESS</span>` : html`<span class="badge result-fail">FAILED</span>`}</dd>
<dt>Duration</dt><dd>${record.durationMs} ms</dd>
<dt>Upstream status</dt><dd>${record.upstreamStatus ?? '—'}</dd>
<dt>Attempts</dt><dd>${record.attempts}</dd>
</dl>
<p><a href="${logPath(record.executionId)}">Open this execution in Logs</a></p>`;
}

export function registerPlaygroundPage(router: DashboardRouter): void {
  const { ctx } = router;

  async function page(session: DashboardSession, accountId: string, toolName: string, state: { values?: PostedForm; errors?: FieldErrors; outcome?: RunOutcome; status?: number } = {}): Promise<ViewResult> {
    const environmentId = session.environment.id;
    const active = (await listAccounts(ctx, environmentId, { status: 'ACTIVE' }, { pageSize: 100 })).views;
    let chosen: AccountView | undefined;
    if (accountId !== '') chosen = active.find((v) => v.account.id === accountId) ?? (await findAccount(ctx, environmentId, { id: accountId }));
    const options = [...active, ...(chosen !== undefined && !active.includes(chosen) && !active.some((v) => v.account.id === chosen.account.id) ? [chosen] : [])];
    const accountPicker = html`<form method="get" action="${PATH}" aria-label="Choose an account">
${selectField({
  name: 'account',
  label: 'Connected account',
  selected: chosen?.account.id ?? '',
  options: [...(chosen === undefined ? [{ value: '', label: 'Choose an account' }] : []), ...options.map((v) => ({ value: v.account.id, label: `${v.account.identifier} · ${v.connection.name} (${v.connection.provider}, ${v.account.status})` }))],
  hint: 'ACTIVE accounts are listed; open another one from its page.',
})}
<div class="actions"><button type="submit" class="secondary">Use this account</button></div>
</form>`;
    if (chosen === undefined) {
      const body = html`${dataStylesheet()}<p>Run any tool as one connected account, through the same path as POST /api/v1/execute_tool: the run is logged.</p>
${active.length === 0 ? html`<p>No ACTIVE connected accounts yet. <a href="/dashboard/accounts">Connected accounts</a>.</p>` : accountPicker}`;
      return view({ title: 'Tool playground', section: PLAYGROUND_SECTION, body });
    }
    const { account, connection } = chosen;
    const tools = toolsFor(router, connection.provider);
    const tool = tools.find((t) => t.name === toolName);
    const toolPicker = html`<form method="get" action="${PATH}" aria-label="Choose a tool">
<input type="hidden" name="account" value="${account.id}">
${selectField({ name: 'tool', label: 'Tool', selected: tool?.name ?? '', options: [...(tool === undefined ? [{ value: '', label: 'Choose a tool' }] : []), ...tools.map((t) => ({ value: t.name, label: `${t.name} — ${t.annotations.title ?? ''}` }))] })}
<div class="actions"><button type="submit" class="secondary">Use this tool</button></div>
</form>`;
    const fields = tool === undefined ? [] : fieldsOf(tool.input_schema);
    const outcome = state.outcome;
    const body = html`${dataStylesheet()}
${accountPicker}
${account.status !== 'ACTIVE' && html`<p class="missing" role="note">This account is ${account.status}: a run fails with account_not_active. <a href="${accountPath(account.id)}">Open the account</a> to fix it.</p>`}
${tools.length === 0 ? html`<p>The ${connection.provider} connector has no tools.</p>` : toolPicker}
${tool !== undefined && html`<h2 id="run">${tool.name}</h2>
<p>${tool.description}</p>
<p class="muted">${tool.annotations.read_only_hint ? 'Read-only.' : 'Changes data at the provider.'}${tool.required_scopes.length > 0 && ` Needs one of the scopes: ${tool.required_scopes.join(', ')}.`}</p>
<form method="post" action="${PATH}" novalidate>
${csrfInput(session.csrfToken)}
<input type="hidden" name="account" value="${account.id}">
<input type="hidden" name="tool" value="${tool.name}">
${schemaControls(fields, state.values ?? {}, state.errors ?? {})}
<div class="actions"><button type="submit">Run ${tool.name}</button></div>
</form>`}
${outcome !== undefined && html`<section aria-labelledby="outcome-title" id="outcome">
<h2 id="outcome-title">${outcome.error === undefined ? 'Result' : 'Error'}</h2>
${outcome.error === undefined ? jsonBlock(outcome.data, 'Result JSON') : errorBox(outcome.error)}
${logEntry(outcome.record)}
</section>`}`;
    return view({ title: 'Tool playground', section: PLAYGROUND_SECTION, body, status: state.status ?? 200 });
  }

  router.get(PATH, async ({ session, query }) => page(session, (query.get('account') ?? '').slice(0, 64), (query.get('tool') ?? '').slice(0, 100)));

  router.post(PATH, async ({ session, form }) => {
    const accountId = formValue(form, 'account').slice(0, 64);
    const toolName = formValue(form, 'tool').slice(0, 100);
    const { connection } = await findAccount(ctx, session.environment.id, { id: accountId });
    const tool = toolsFor(router, connection.provider).find((t) => t.name === toolName);
    if (tool === undefined) throw new GatewayError('tool_not_found', `The ${connection.provider} connector has no tool "${toolName}".`);
    const fields = fieldsOf(tool.input_schema);
    const parsed = parseSchemaForm(fields, form);
    if (Object.keys(parsed.errors).length > 0) return page(session, accountId, toolName, { values: form, errors: parsed.errors, status: 400 });
    // One agent run id per playground run finds its log entry exactly, whatever else runs meanwhile.
    const runId = `playground_${randomBytes(9).toString('base64url')}`;
    let outcome: RunOutcome;
    try {
      const result = await executeTool(ctx, session.environment.id, { toolName, params: parsed.params, target: { accountId }, agentRunId: runId, source: 'dashboard' });
      outcome = { data: result.data };
    } catch (error) {
      if (!(error instanceof GatewayError) || !error.expose) throw error;
      outcome = { error };
    }
    await ctx.tools.callLog.flush();
    const [record] = await ctx.store.toolCalls.list(session.environment.id, { agentRunId: runId }, { limit: 1 });
    const errors = outcome.error?.code === 'validation_failed' ? issuesByField(outcome.error.details?.['issues'], fields) : {};
    return page(session, accountId, toolName, { values: form, errors, outcome: { ...outcome, record }, status: outcome.error?.code === 'validation_failed' ? 400 : 200 });
  });
}
