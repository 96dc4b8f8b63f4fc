/**
 * @module One connected account: its status and what it means, granted versus configured scopes
 * (missing ones marked), token expiry, refresh history, events timeline and recent tool executions,
 * with the actions (authorization link, refresh, disconnect, delete, diagnose) registered in
 * account-actions.ts. Reads go through the same domain and stores as the REST API.
 */
import { findAccount, type AccountView } from '../domain/accounts/accounts.ts';
import type { GatewayEvent } from '../domain/model.ts';
import type { RefreshAttempt, ToolCallRecord } from '../domain/ports.ts';
import { html, type SafeHtml } from '../pages/html.ts';
import { accountPath, ACCOUNTS_SECTION } from './accounts-page.ts';
import { AUTH_TYPE_LABELS } from './connectors-page.ts';
import { dataStylesheet, expiryCell, STATUS_MEANING, statusBadge, timeCell } from './display.ts';
import { buttonForm, checkbox, csrfInput, textField } from './forms.ts';
import { logPath } from './logs-page.ts';
import { view, type DashboardRouter, type ViewResult } from './router.ts';
import type { DashboardSession } from './session.ts';

const RECENT = 10;
const EVENTS = 20;

/** What an action's answer adds to the page: a freshly minted link, a diagnosis, a form error. */
export interface AccountPageExtras {
  readonly top?: SafeHtml;
  readonly linkError?: string;
  readonly linkVerifyUrl?: string;
  readonly status?: number;
}

function scopesSection(view: AccountView): SafeHtml {
  const { account, connection } = view;
  if (account.authorizationType !== 'OAUTH') return html`<p class="muted">${AUTH_TYPE_LABELS[account.authorizationType]} credentials carry no scopes.</p>`;
  const granted = new Set(account.scopes);
  const configured = connection.oauthConfig.scopes ?? [];
  const missing = configured.filter((s) => !granted.has(s));
  const extra = account.scopes.filter((s) => !configured.includes(s));
  if (configured.length === 0 && account.scopes.length === 0) return html`<p class="muted">Neither the connection nor the account lists scopes.</p>`;
  return html`${account.status === 'ACTIVE' && missing.length > 0 && html`<p class="missing" role="note">${missing.length} configured scope${missing.length === 1 ? ' was' : 's were'} not granted: tools that need ${missing.length === 1 ? 'it' : 'them'} fail with forbidden. Send the user a new authorization link to ask again.</p>`}
<div class="table-wrap"><table>
<thead><tr><th scope="col">Scope</th><th scope="col">Configured on the connection</th><th scope="col">Granted to the account</th></tr></thead>
<tbody>
${configured.map((s) => html`<tr><td><code>${s}</code></td><td>yes</td><td>${granted.has(s) ? 'yes' : html`<strong class="missing">missing</strong>`}</td></tr>`)}
${extra.map((s) => html`<tr><td><code>${s}</code></td><td class="muted">no</td><td>yes</td></tr>`)}
</tbody>
</table></div>`;
}

function refreshSection(attempts: readonly RefreshAttempt[], now: Date): SafeHtml {
  if (attempts.length === 0) return html`<p class="muted">No refresh attempts yet.</p>`;
  return html`<div class="table-wrap"><table id="refresh-history">
<thead><tr><th scope="col">When</th><th scope="col">Trigger</th><th scope="col">Outcome</th><th scope="col">Reason</th><th scope="col" class="num">Duration</th></tr></thead>
<tbody>
${attempts.map((a) => html`<tr><td>${timeCell(a.startedAt, now)}</td><td>${a.trigger}</td><td>${a.outcome === 'succeeded' ? html`<span class="badge result-ok">${a.outcome}</span>` : a.outcome.startsWith('failed') ? html`<span class="badge result-fail">${a.outcome}</span>` : a.outcome}</td><td>${a.reason ?? '—'}</td><td class="num">${a.durationMs} ms</td></tr>`)}
</tbody>
</table></div>`;
}

function eventLine(event: GatewayEvent, now: Date): SafeHtml {
  const data = event.data;
  const status = typeof data['status'] === 'string' ? data['status'] : undefined;
  const old = typeof data['old_status'] === 'string' ? data['old_status'] : undefined;
  const detail = [
    old !== undefined && status !== undefined ? `${old} → ${status}` : undefined,
    typeof data['trigger'] === 'string' ? `trigger ${data['trigger']}` : undefined,
    typeof data['reason'] === 'string' ? `reason ${data['reason']}` : undefined,
    typeof data['error'] === 'string' ? `error ${data['error']}` : undefined,
  ].filter((x) => x !== undefined);
  return html`<li>${timeCell(event.occurredAt, now)} <code>${event.type}</code>${detail.length > 0 && html` <span class="muted">${detail.join(', ')}</span>`}</li>`;
}

function executionsSection(records: readonly ToolCallRecord[], accountId: string, now: Date): SafeHtml {
  const all = `/dashboard/logs?${new URLSearchParams({ account: accountId }).toString()}`;
  if (records.length === 0) return html`<p class="muted">No tool executions yet. <a href="/dashboard/playground?${new URLSearchParams({ account: accountId }).toString()}">Run a tool in the playground</a>.</p>`;
  return html`<div class="table-wrap"><table>
<thead><tr><th scope="col">When</th><th scope="col">Tool</th><th scope="col">Status</th><th scope="col">Error</th><th scope="col" class="num">Duration</th></tr></thead>
<tbody>
${records.map((r) => html`<tr><td><a href="${logPath(r.executionId)}">${timeCell(r.startedAt, now)}</a></td><td><code>${r.toolName}</code></td><td>${r.status === 'SUCCESS' ? html`<span class="badge result-ok">SUCCESS</span>` : html`<span class="badge result-fail">FAILED</span>`}</td><td>${r.errorCode === null ? '—' : html`${r.errorTier ?? ''} <code>${r.errorCode}</code>`}</td><td class="num">${r.durationMs} ms</td></tr>`)}
</tbody>
</table></div>
<p><a href="${all}">All executions of this account in Logs</a></p>`;
}

export async function accountPage(router: DashboardRouter, session: DashboardSession, accountId: string, extras: AccountPageExtras = {}): Promise<ViewResult> {
  const { ctx } = router;
  const environmentId = session.environment.id;
  const found = await findAccount(ctx, environmentId, { id: accountId });
  const { account, connection } = found;
  await ctx.tools.callLog.flush();
  const [attempts, events, executions] = await Promise.all([
    ctx.store.refresh.listAttempts(environmentId, account.id, { limit: RECENT }),
    ctx.store.events.list(environmentId, { connectedAccountId: account.id }, { limit: EVENTS }),
    ctx.store.toolCalls.list(environmentId, { connectedAccountId: account.id }, { limit: RECENT }),
  ]);
  const now = ctx.clock();
  const path = accountPath(account.id);
  const csrfToken = session.csrfToken;
  const connector = ctx.catalog.get(connection.provider);
  const oauth = account.authorizationType === 'OAUTH';
  const body = html`${dataStylesheet()}
${extras.top}
<dl class="facts">
<dt>Status</dt><dd>${statusBadge(account.status)} <span id="status-meaning">${STATUS_MEANING[account.status]}</span></dd>
<dt>Connection</dt><dd><a href="/dashboard/connections/${encodeURIComponent(connection.id)}">${connection.name}</a> <span class="muted">${connector?.display_name ?? connection.provider}, ${AUTH_TYPE_LABELS[account.authorizationType]}</span></dd>
${account.organizationId !== '' && html`<dt>Organization id</dt><dd>${account.organizationId}</dd>`}
${account.userId !== '' && html`<dt>User id</dt><dd>${account.userId}</dd>`}
<dt>Token expiry</dt><dd>${oauth ? expiryCell(account.tokenExpiresAt, now) : html`<span class="muted">static credentials do not expire</span>`}</dd>
<dt>Last used</dt><dd>${timeCell(account.lastUsedAt, now)}</dd>
<dt>Created</dt><dd>${timeCell(account.createdAt, now)}</dd>
<dt>Updated</dt><dd>${timeCell(account.updatedAt, now)}</dd>
<dt>Id</dt><dd><code>${account.id}</code></dd>
</dl>
<div class="actions">
${account.status === 'ACTIVE' && html`<a href="/dashboard/playground?${new URLSearchParams({ account: account.id }).toString()}">Run a tool</a>`}
${oauth && buttonForm({ action: `${path}/refresh`, csrfToken, label: 'Refresh token' })}
${account.status !== 'DISCONNECTED' && buttonForm({ action: `${path}/disconnect`, csrfToken, label: 'Disconnect', danger: true, confirm: `Disconnect "${account.identifier}"? Its credentials are erased; a new authorization link connects it again.` })}
${buttonForm({ action: `${path}/delete`, csrfToken, label: 'Delete account', danger: true, confirm: `Delete "${account.identifier}" for good? This cannot be undone.` })}
</div>
<h2 id="authorization-link">Authorization link</h2>
${oauth
  ? html`<p>A single-use link that takes the user through ${connector?.display_name ?? connection.provider}'s consent and stores their tokens on this account. It expires after ${Math.round(ctx.flow.linkTtlSeconds / 60)} minutes.</p>
<form method="post" action="${path}/link" novalidate>
${csrfInput(csrfToken)}
${session.environment.settings.user_verification === 'custom' && textField({ name: 'user_verify_url', label: 'User verify URL', type: 'url', value: extras.linkVerifyUrl ?? '', hint: 'Where the user lands after consent so your app can confirm who they are (on an allowed redirect origin, see Settings). Without it, verify with POST /api/v1/connected_accounts/user/verify.', error: extras.linkError })}
<div class="actions"><button type="submit">Create authorization link</button></div>
</form>`
  : html`<p class="muted">${AUTH_TYPE_LABELS[account.authorizationType]} accounts get their credentials from a connection link's hosted form or the API (PUT /api/v1/connected_accounts).</p>`}
<h2 id="diagnose">Diagnose</h2>
<p>Runs the troubleshooting checklist on this account: status, connection, token, scopes, a read-only tool, recent errors. Each finding says what to do next.</p>
<form method="post" action="${path}/diagnose">
${csrfInput(csrfToken)}
${oauth && checkbox({ name: 'refresh', label: 'Attempt a token refresh first', checked: false, hint: 'Calls the provider once; an EXPIRED account that refreshes becomes ACTIVE.' })}
<div class="actions"><button type="submit">Diagnose</button></div>
</form>
<h2 id="scopes">Scopes</h2>
${scopesSection(found)}
<h2 id="refresh">Refresh history</h2>
${oauth ? refreshSection(attempts, now) : html`<p class="muted">Static credentials are never refreshed.</p>`}
<h2 id="events">Events</h2>
${events.length === 0 ? html`<p class="muted">No events.</p>` : html`<ol class="timeline" reversed>${events.map((e) => eventLine(e, now))}</ol>`}
<h2 id="executions">Recent tool executions</h2>
${executionsSection(executions, account.id, now)}`;
  return view({ title: account.identifier, section: ACCOUNTS_SECTION, body, status: extras.status ?? 200 });
}
