/**
 * @module Connections: list, create (the form adapts to the connector's auth type), view with the
 * redirect URI to register, edit, enable/disable, delete. Everything goes through the same domain
 * functions as /api/v1/connections.
 */
import type { Connector } from '../catalog/connector-schema.ts';
import {
  connectionStatus,
  createConnection,
  deleteConnection,
  findConnection,
  listConnections,
  redirectUriOf,
  setConnectionEnabled,
  updateConnection,
} from '../domain/connections/connections.ts';
import type { AuthType, Connection } from '../domain/model.ts';
import { GatewayError } from '../errors.ts';
import { html, type SafeHtml } from '../pages/html.ts';
import { connectionErrorFields, connectionForm, defaultValues, parseConnectionForm, postedValues, valuesOf } from './connection-form.ts';
import { AUTH_TYPE_LABELS } from './connectors-page.ts';
import { buttonForm, copyableValue, formValue, selectField, type FieldErrors } from './forms.ts';
import { confirmationNeeded, failure, notice, redirectTo, view, type DashboardRouter, type ViewResult } from './router.ts';

const SECTION = 'connections';
const pathOf = (c: Pick<Connection, 'id'>) => `/dashboard/connections/${encodeURIComponent(c.id)}`;

const enabledBadge = (enabled: boolean): SafeHtml => (enabled ? html`<span class="badge on">Enabled</span>` : html`<span class="badge off">Disabled</span>`);
const statusBadge = (c: Connection): SafeHtml =>
  connectionStatus(c) === 'COMPLETED' ? html`<span class="badge on">Ready</span>` : html`<span class="badge off" title="Client id or secret missing">Draft</span>`;

export function registerConnectionsPages(router: DashboardRouter): void {
  const { ctx } = router;

  function connectorOf(key: string): Connector {
    const connector = ctx.catalog.get(key);
    if (connector === undefined) throw new GatewayError('unknown_provider', `No connector "${key}" in the catalog.`);
    return connector;
  }

  function typeFor(connector: Connector, requested: string | null | undefined): AuthType {
    const supported = connector.auth_types as readonly string[];
    return (requested !== null && requested !== undefined && supported.includes(requested) ? requested : connector.auth_types[0]) as AuthType;
  }

  function newForm(connector: Connector, type: AuthType, csrfToken: string, values = defaultValues(connector, type), errors: FieldErrors = {}): ViewResult {
    const others = connector.auth_types.filter((t) => t !== type);
    const body = html`<p>${connector.display_name}: ${connector.description}</p>
${others.length > 0 && html`<p>Authentication: <strong>${AUTH_TYPE_LABELS[type]}</strong>. ${others.map((t) => html`<a href="/dashboard/connections/new?${new URLSearchParams({ provider: connector.key, type: t }).toString()}">Use ${AUTH_TYPE_LABELS[t]} instead</a> `)}</p>`}
${type === 'OAUTH' && html`<p class="hint">The redirect URI to register with ${connector.display_name} is shown once the connection exists.${connector.docs_url !== undefined && html` <a href="${connector.docs_url}" rel="noreferrer">${connector.display_name}'s OAuth documentation</a>.`}</p>`}
${connectionForm({ connector, type, action: '/dashboard/connections', csrfToken, values, errors, submitLabel: 'Create connection' })}`;
    return view({ title: `New ${connector.display_name} connection`, section: SECTION, body, status: Object.keys(errors).length > 0 ? 400 : 200 });
  }

  function detail(connection: Connection, csrfToken: string, values = valuesOf(connection, connectorOf(connection.provider)), errors: FieldErrors = {}): ViewResult {
    const connector = connectorOf(connection.provider);
    const path = pathOf(connection);
    const body = html`<dl class="facts">
<dt>Connector</dt><dd>${connector.display_name} <code>${connector.key}</code></dd>
<dt>Auth type</dt><dd>${AUTH_TYPE_LABELS[connection.type]}</dd>
<dt>Status</dt><dd>${statusBadge(connection)} ${enabledBadge(connection.enabled)}</dd>
<dt>Id</dt><dd><code>${connection.id}</code></dd>
</dl>
${connection.type === 'OAUTH' && copyableValue({ id: 'redirect-uri', label: 'Redirect URI', value: redirectUriOf(ctx, connection), hint: `Register exactly this URI in the OAuth app at ${connector.display_name}.` })}
<div class="actions">
${buttonForm({ action: `${path}/enabled`, csrfToken, label: connection.enabled ? 'Disable connection' : 'Enable connection', hidden: { enabled: connection.enabled ? 'false' : 'true' } })}
${buttonForm({ action: `${path}/delete`, csrfToken, label: 'Delete connection', danger: true, confirm: `Delete the connection "${connection.name}"? This cannot be undone.` })}
</div>
<h2>Edit</h2>
${connectionForm({ connector, type: connection.type, action: path, csrfToken, values, errors, secretStored: connection.clientSecretSealed !== null, submitLabel: 'Save changes' })}`;
    return view({ title: connection.name, section: SECTION, body, status: Object.keys(errors).length > 0 ? 400 : 200 });
  }

  router.get('/dashboard/connections', async ({ session, query }) => {
    const pageToken = query.get('page_token') ?? undefined;
    const page = await listConnections(ctx, session.environment.id, {}, { pageSize: 50, pageToken });
    const body = html`<p><a href="/dashboard/connections/new">New connection</a></p>
${page.items.length === 0
  ? html`<p>No connections yet. Pick a connector in the <a href="/dashboard/connectors">catalog</a> to create one.</p>`
  : html`<p class="muted">${page.total} connection${page.total === 1 ? '' : 's'}.</p>
<table>
<thead><tr><th scope="col">Name</th><th scope="col">Connector</th><th scope="col">Auth type</th><th scope="col">Status</th></tr></thead>
<tbody>
${page.items.map(
  (c) => html`<tr><td><a href="${pathOf(c)}">${c.name}</a></td><td>${ctx.catalog.get(c.provider)?.display_name ?? c.provider}</td><td>${AUTH_TYPE_LABELS[c.type]}</td><td>${statusBadge(c)} ${enabledBadge(c.enabled)}</td></tr>`,
)}
</tbody>
</table>`}
<p>${page.prevPageToken !== '' && html`<a href="/dashboard/connections?${new URLSearchParams({ page_token: page.prevPageToken }).toString()}">Previous page</a> `}${page.nextPageToken !== '' && html`<a href="/dashboard/connections?${new URLSearchParams({ page_token: page.nextPageToken }).toString()}">Next page</a>`}</p>`;
    return view({ title: 'Connections', section: SECTION, body });
  });

  router.get('/dashboard/connections/new', async ({ session, query }) => {
    const provider = query.get('provider');
    if (provider === null || ctx.catalog.get(provider) === undefined) {
      const connectors = ctx.catalog.list();
      const body = html`<p>Choose the connector this connection is for (or browse the <a href="/dashboard/connectors">catalog</a>).</p>
<form method="get" action="/dashboard/connections/new">
${selectField({ name: 'provider', label: 'Connector', selected: connectors[0]?.key ?? '', options: connectors.map((c) => ({ value: c.key, label: `${c.display_name} (${c.auth_types.map((t) => AUTH_TYPE_LABELS[t]).join(', ')})` })) })}
<div class="actions"><button type="submit">Continue</button></div>
</form>`;
      return view({ title: 'New connection', section: SECTION, body });
    }
    const connector = connectorOf(provider);
    return newForm(connector, typeFor(connector, query.get('type')), session.csrfToken);
  });

  router.post('/dashboard/connections', async ({ session, form }) => {
    const connector = connectorOf(formValue(form, 'provider'));
    const type = typeFor(connector, formValue(form, 'type'));
    const parsed = parseConnectionForm(form, connector, type);
    if (!parsed.ok) return newForm(connector, type, session.csrfToken, postedValues(form), parsed.errors);
    try {
      const created = await createConnection(ctx, session.environment.id, parsed.input);
      const next = type === 'OAUTH' ? ` Register the redirect URI below with ${connector.display_name}.` : '';
      return redirectTo(pathOf(created), notice(`Connection "${created.name}" created.${next}`));
    } catch (error) {
      if (!(error instanceof GatewayError) || !error.expose) throw error;
      return newForm(connector, type, session.csrfToken, postedValues(form), connectionErrorFields(error));
    }
  });

  router.get<{ id: string }>('/dashboard/connections/:id', async ({ session, params }) => detail(await findConnection(ctx, session.environment.id, params.id), session.csrfToken));

  router.post<{ id: string }>('/dashboard/connections/:id', async ({ session, params, form }) => {
    const current = await findConnection(ctx, session.environment.id, params.id);
    const connector = connectorOf(current.provider);
    const parsed = parseConnectionForm(form, connector, current.type);
    if (!parsed.ok) return detail(current, session.csrfToken, postedValues(form), parsed.errors);
    const { provider: _provider, type: _type, ...changes } = parsed.input;
    void _provider;
    void _type;
    try {
      const updated = await updateConnection(ctx, session.environment.id, current.id, changes);
      return redirectTo(pathOf(updated), notice('Changes saved.'));
    } catch (error) {
      if (!(error instanceof GatewayError) || !error.expose) throw error;
      return detail(current, session.csrfToken, postedValues(form), connectionErrorFields(error));
    }
  });

  router.post<{ id: string }>('/dashboard/connections/:id/enabled', async ({ session, params, form }) => {
    const enabled = formValue(form, 'enabled') === 'true';
    const updated = await setConnectionEnabled(ctx, session.environment.id, params.id, enabled);
    return redirectTo(pathOf(updated), notice(enabled ? 'Connection enabled.' : 'Connection disabled.'));
  });

  router.post<{ id: string }>('/dashboard/connections/:id/delete', async (input) => {
    const connection = await findConnection(ctx, input.session.environment.id, input.params.id);
    const confirm = confirmationNeeded(input, {
      title: `Delete ${connection.name}?`,
      message: `The connection "${connection.name}" will be deleted. This cannot be undone. A connection that still has connected accounts cannot be deleted.`,
      action: `${pathOf(connection)}/delete`,
      button: 'Delete connection',
      cancel: pathOf(connection),
      section: SECTION,
    });
    if (confirm !== undefined) return confirm;
    try {
      await deleteConnection(ctx, input.session.environment.id, connection.id);
    } catch (error) {
      if (error instanceof GatewayError && error.code === 'connection_has_accounts') return redirectTo(pathOf(connection), failure(error.message));
      throw error;
    }
    return redirectTo('/dashboard/connections', notice(`Connection "${connection.name}" deleted.`));
  });
}
