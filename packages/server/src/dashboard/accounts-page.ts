/**
 * @module Connected accounts: the list (filter by status, connection and a search over identifiers,
 * cursor pages) and adding an account by hand. A static-credential connection's form asks for the
 * connector's credential fields (secrets write-only), exactly what `static_auth` of
 * POST /api/v1/connected_accounts takes; an OAuth connection's account starts PENDING_AUTH and gets
 * its tokens through an authorization link from its page. Same domain functions as the REST API.
 */
import type { CredentialField } from '../catalog/connector-schema.ts';
import { createAccount, listAccounts } from '../domain/accounts/accounts.ts';
import { listConnections } from '../domain/connections/connections.ts';
import { ACCOUNT_STATUSES, type AccountStatus, type Connection } from '../domain/model.ts';
import { GatewayError } from '../errors.ts';
import { Identifier } from '../http/inputs.ts';
import { html, type SafeHtml } from '../pages/html.ts';
import { AUTH_TYPE_LABELS } from './connectors-page.ts';
import { dataStylesheet, expiryCell, filterQuery, pager, statusBadge, timeCell } from './display.ts';
import { csrfInput, formValue, issuesToFieldErrors, selectField, textField, type FieldErrors, type PostedForm } from './forms.ts';
import { notice, redirectTo, view, type DashboardRouter, type ViewResult } from './router.ts';
import type { DashboardSession } from './session.ts';

export const ACCOUNTS_SECTION = 'accounts';
const LIST_PATH = '/dashboard/accounts';
const PAGE_SIZE = 25;
/** Credential fields post as `cred_<name>`, apart from the form's own fields. */
const CRED = 'cred_';

export const accountPath = (id: string) => `${LIST_PATH}/${encodeURIComponent(id)}`;

/** The environment's connections for pickers (the first 100: enough for a filter list). */
export async function connectionsOf(router: DashboardRouter, environmentId: string): Promise<Connection[]> {
  return (await listConnections(router.ctx, environmentId, {}, { pageSize: 100 })).items;
}

function credentialControl(field: CredentialField, value: string, error: string | undefined): SafeHtml {
  const name = `${CRED}${field.name}`;
  if (field.pattern?.includes('-----BEGIN') !== true) {
    return textField({ name, label: field.label, type: field.secret ? 'password' : 'text', value, required: field.required, hint: field.hint, error, maxlength: 8192 });
  }
  // PEM keys are multi-line: an <input> would drop the line breaks.
  const id = `field-${name}`;
  const described = [field.hint !== undefined && `${id}-hint`, error !== undefined && `${id}-error`].filter(Boolean).join(' ');
  return html`<div class="field">
<label for="${id}">${field.label}${!field.required && html` <span class="muted">(optional)</span>`}</label>
<textarea id="${id}" name="${name}" rows="6" spellcheck="false" autocomplete="off"${field.required && html` required`}${described !== '' && html` aria-describedby="${described}"`}${error !== undefined && html` aria-invalid="true"`}>${!field.secret && value}</textarea>
${field.hint !== undefined && html`<p class="hint" id="${id}-hint">${field.hint}</p>`}${error !== undefined && html`<p class="error" id="${id}-error">${error}</p>`}
</div>`;
}

export function registerAccountsPages(router: DashboardRouter): void {
  const { ctx } = router;

  router.get(LIST_PATH, async ({ session, query }) => {
    const environmentId = session.environment.id;
    const rawStatus = query.get('status') ?? '';
    const status = (ACCOUNT_STATUSES as readonly string[]).includes(rawStatus) ? (rawStatus as AccountStatus) : undefined;
    const connection = (query.get('connection') ?? '').slice(0, 255);
    const search = (query.get('q') ?? '').trim().slice(0, 255);
    const [connections, page] = await Promise.all([
      connectionsOf(router, environmentId),
      listAccounts(
        ctx,
        environmentId,
        { ...(status === undefined ? {} : { status }), ...(connection === '' ? {} : { connectionNames: [connection] }), ...(search === '' ? {} : { query: search }) },
        { pageSize: PAGE_SIZE, pageToken: query.get('page_token') ?? undefined },
      ),
    ]);
    const now = ctx.clock();
    const filters = filterQuery({ status, connection, q: search });
    const body = html`${dataStylesheet()}
<p><a href="${LIST_PATH}/new">Add an account by hand</a></p>
<form class="filters" method="get" action="${LIST_PATH}" role="search" aria-label="Filter connected accounts">
${selectField({ name: 'status', label: 'Status', selected: status ?? '', options: [{ value: '', label: 'Any status' }, ...ACCOUNT_STATUSES.map((s) => ({ value: s, label: s }))] })}
${selectField({ name: 'connection', label: 'Connection', selected: connection, options: [{ value: '', label: 'Any connection' }, ...connections.map((c) => ({ value: c.name, label: `${c.name} (${c.provider})` }))] })}
${textField({ name: 'q', label: 'Search', type: 'search', value: search, hint: 'Part of an identifier, connection name or connector.', maxlength: 255 })}
<div class="actions"><button type="submit">Filter</button>${filters.size > 0 && html` <a href="${LIST_PATH}">Clear</a>`}</div>
</form>
${page.views.length === 0
  ? html`<p>${filters.size > 0 ? 'No connected account matches these filters.' : 'No connected accounts yet. Add one by hand, or create an authorization link with the API.'}</p>`
  : html`<p class="muted" role="status">${page.total} connected account${page.total === 1 ? '' : 's'}${filters.size > 0 && ' match'}.</p>
<div class="table-wrap"><table>
<thead><tr><th scope="col">Status</th><th scope="col">Identifier</th><th scope="col">Connection</th><th scope="col">Last used</th><th scope="col">Token expiry</th></tr></thead>
<tbody>
${page.views.map(
  ({ account, connection: c }) => html`<tr>
<td>${statusBadge(account.status)}</td>
<td><a href="${accountPath(account.id)}">${account.identifier}</a>${account.organizationId !== '' && html` <span class="muted">org ${account.organizationId}</span>`}${account.userId !== '' && html` <span class="muted">user ${account.userId}</span>`}</td>
<td>${c.name} <span class="muted">${ctx.catalog.get(c.provider)?.display_name ?? c.provider}</span></td>
<td>${timeCell(account.lastUsedAt, now)}</td>
<td>${account.authorizationType === 'OAUTH' ? expiryCell(account.tokenExpiresAt, now) : html`<span class="muted">does not expire</span>`}</td>
</tr>`,
)}
</tbody>
</table></div>`}
${pager(LIST_PATH, filters, page)}`;
    return view({ title: 'Connected accounts', section: ACCOUNTS_SECTION, body });
  });

  async function newAccountForm(session: DashboardSession, connection: Connection, values: PostedForm = {}, errors: FieldErrors = {}): Promise<ViewResult> {
    const connector = ctx.catalog.get(connection.provider);
    if (connector === undefined) throw new GatewayError('unknown_provider', `Connector "${connection.provider}" is no longer in the catalog.`);
    const fields = connection.type === 'OAUTH' ? [] : (connector.fields ?? []);
    const body = html`<p>Connection <strong>${connection.name}</strong>: ${connector.display_name}, ${AUTH_TYPE_LABELS[connection.type]}.</p>
${connection.type === 'OAUTH'
  ? html`<p class="hint">The account starts as PENDING_AUTH, without tokens. On its page, create an authorization link and send it to the user: their tokens arrive when they complete it.</p>`
  : html`<p class="hint">The credentials are checked against the connector's fields, stored encrypted and never shown again. The account is ACTIVE at once.</p>`}
<form method="post" action="${LIST_PATH}" autocomplete="off" novalidate>
${csrfInput(session.csrfToken)}
<input type="hidden" name="connection" value="${connection.name}">
${errors['form'] !== undefined && html`<p class="flash flash-error" role="alert">${errors['form']}</p>`}
${textField({ name: 'identifier', label: 'Identifier', value: formValue(values, 'identifier'), required: true, maxlength: 255, hint: 'How your app names this user (their id or email): the account is found by connection name + identifier.', error: errors['identifier'] })}
${fields.length > 0 && html`<fieldset><legend>${connector.display_name} credentials</legend>
${fields.map((f) => credentialControl(f, f.secret ? '' : Object.hasOwn(values, `${CRED}${f.name}`) ? formValue(values, `${CRED}${f.name}`) : (f.default ?? ''), errors[`${CRED}${f.name}`]))}
</fieldset>`}
<div class="actions"><button type="submit">Add account</button> <a href="${LIST_PATH}">Cancel</a></div>
</form>`;
    return view({ title: 'Add a connected account', section: ACCOUNTS_SECTION, body, status: Object.keys(errors).length > 0 ? 400 : 200 });
  }

  async function connectionNamed(environmentId: string, name: string): Promise<Connection | undefined> {
    return name === '' ? undefined : ctx.store.connections.findByName(environmentId, name);
  }

  router.get(`${LIST_PATH}/new`, async ({ session, query }) => {
    const chosen = await connectionNamed(session.environment.id, query.get('connection') ?? '');
    if (chosen !== undefined) return newAccountForm(session, chosen);
    const connections = (await connectionsOf(router, session.environment.id)).filter((c) => c.enabled);
    const body =
      connections.length === 0
        ? html`<p>There is no enabled connection to add an account to. <a href="/dashboard/connections/new">Create a connection</a> first.</p>`
        : html`<form method="get" action="${LIST_PATH}/new">
${selectField({ name: 'connection', label: 'Connection', selected: connections[0]?.name ?? '', options: connections.map((c) => ({ value: c.name, label: `${c.name} (${ctx.catalog.get(c.provider)?.display_name ?? c.provider}, ${AUTH_TYPE_LABELS[c.type]})` })), hint: 'Static-credential connections (API key, token, basic auth) take the credentials here; OAuth ones get them through an authorization link.' })}
<div class="actions"><button type="submit">Continue</button></div>
</form>`;
    return view({ title: 'Add a connected account', section: ACCOUNTS_SECTION, body });
  });

  router.post(LIST_PATH, async ({ session, form }) => {
    const environmentId = session.environment.id;
    const connection = await connectionNamed(environmentId, formValue(form, 'connection'));
    if (connection === undefined) throw new GatewayError('connection_not_found', `No connection named "${formValue(form, 'connection')}".`);
    const identifier = formValue(form, 'identifier').trim();
    const checked = Identifier.safeParse(identifier);
    if (!checked.success) return newAccountForm(session, connection, form, { identifier: identifier === '' ? 'Enter an identifier.' : `The identifier ${checked.error.issues[0]?.message ?? 'is not valid'}.` });
    const fields = connection.type === 'OAUTH' ? [] : (ctx.catalog.get(connection.provider)?.fields ?? []);
    const staticAuth: Record<string, string> = {};
    for (const field of fields) {
      const value = formValue(form, `${CRED}${field.name}`);
      if (value !== '') staticAuth[field.name] = field.secret ? value : value.trim();
    }
    try {
      const created = await createAccount(ctx, environmentId, {
        connectionName: connection.name,
        identifier,
        ...(connection.type === 'OAUTH' ? {} : { authorizationDetails: { static_auth: staticAuth } }),
      });
      const next = created.account.status === 'ACTIVE' ? 'It is ACTIVE.' : 'Create an authorization link below and send it to the user.';
      return redirectTo(accountPath(created.account.id), notice(`Account "${identifier}" added. ${next}`));
    } catch (error) {
      if (!(error instanceof GatewayError) || !error.expose) throw error;
      if (error.code === 'already_exists') return newAccountForm(session, connection, form, { identifier: error.message });
      const byField = issuesToFieldErrors(error.details?.['issues'], (path) => (path.startsWith('static_auth.') ? `${CRED}${path.slice('static_auth.'.length)}` : undefined));
      return newAccountForm(session, connection, form, Object.keys(byField).length > 0 ? byField : { form: error.message });
    }
  });
}
