/** @module Connectors: the catalog, searchable by name, key, category and auth type. */
import type { Connector } from '../catalog/connector-schema.ts';
import { AUTH_TYPES, type AuthType } from '../domain/model.ts';
import { html } from '../pages/html.ts';
import { selectField, textField } from './forms.ts';
import { view, type DashboardRouter } from './router.ts';

export const AUTH_TYPE_LABELS: Readonly<Record<AuthType, string>> = {
  OAUTH: 'OAuth 2.0',
  API_KEY: 'API key',
  BEARER_TOKEN: 'Bearer token',
  BASIC_AUTH: 'Basic auth',
  KEY_PAIR: 'Key pair',
};

function matches(connector: Connector, text: string | undefined, authType: string | undefined): boolean {
  const inText =
    text === undefined ||
    connector.key.includes(text) ||
    connector.display_name.toLowerCase().includes(text) ||
    connector.description.toLowerCase().includes(text) ||
    connector.categories.some((c) => c.toLowerCase().includes(text));
  return inText && (authType === undefined || (connector.auth_types as readonly string[]).includes(authType));
}

export function registerConnectorsPage(router: DashboardRouter): void {
  router.get('/dashboard/connectors', async ({ query }) => {
    const q = (query.get('q') ?? '').trim().slice(0, 100);
    const authType = (AUTH_TYPES as readonly string[]).includes(query.get('auth_type') ?? '') ? (query.get('auth_type') ?? undefined) : undefined;
    const all = router.ctx.catalog.list();
    const found = all.filter((c) => matches(c, q === '' ? undefined : q.toLowerCase(), authType));
    const body = html`<form class="search" method="get" action="/dashboard/connectors" role="search">
${textField({ name: 'q', label: 'Search connectors', type: 'search', value: q, hint: 'Name, key, description or category.', maxlength: 100 })}
${selectField({ name: 'auth_type', label: 'Auth type', selected: authType ?? '', options: [{ value: '', label: 'Any' }, ...AUTH_TYPES.map((t) => ({ value: t, label: AUTH_TYPE_LABELS[t] }))] })}
<div class="actions"><button type="submit">Search</button>${(q !== '' || authType !== undefined) && html` <a href="/dashboard/connectors">Clear</a>`}</div>
</form>
<p class="muted" role="status">${found.length === all.length ? `${all.length} connectors.` : `${found.length} of ${all.length} connectors match.`}</p>
${found.length > 0 &&
  html`<table>
<thead><tr><th scope="col">Connector</th><th scope="col">Auth type</th><th scope="col">Categories</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
<tbody>
${found.map(
  (c) => html`<tr>
<td><strong>${c.display_name}</strong> <code>${c.key}</code><br><span class="muted">${c.description}</span></td>
<td>${c.auth_types.map((t, i) => html`${i > 0 && ', '}${AUTH_TYPE_LABELS[t]}`)}</td>
<td>${c.categories.join(', ')}</td>
<td><a href="/dashboard/connections/new?${new URLSearchParams({ provider: c.key }).toString()}">Create connection<span class="visually-hidden"> for ${c.display_name}</span></a></td>
</tr>`,
)}
</tbody>
</table>`}`;
    return view({ title: 'Connectors', section: 'connectors', body });
  });
}
