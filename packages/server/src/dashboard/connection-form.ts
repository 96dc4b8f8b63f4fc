/**
 * @module The connection form: what it shows for a connector's auth type, and how a posted form
 * becomes the same input the REST API hands to the domain (same field limits), with per-field errors.
 *
 * OAuth connections get client id, a write-only client secret, the connector's known scopes as
 * checkboxes plus free-text extra scopes, and optional endpoint overrides; static-credential
 * connections (API key, bearer token, basic auth, key pair) are just a name: the end user types the
 * credentials into the hosted form later.
 */
import { z } from 'zod';
import type { Connector } from '../catalog/connector-schema.ts';
import type { ConnectionChanges, ConnectionInput } from '../domain/connections/connections.ts';
import type { AuthType, Connection } from '../domain/model.ts';
import { GatewayError } from '../errors.ts';
import { ConnectionName } from '../http/inputs.ts';
import { html, type SafeHtml } from '../pages/html.ts';
import { AUTH_TYPE_LABELS } from './connectors-page.ts';
import { checkbox, csrfInput, formValue, formValues, issuesToFieldErrors, textArea, textField, type FieldErrors, type PostedForm } from './forms.ts';

/** What the form shows: the stored connection's values, or what was just posted. Never a secret. */
export interface ConnectionFormValues {
  readonly name: string;
  readonly clientId: string;
  readonly scopes: readonly string[];
  readonly extraScopes: string;
  readonly authorizeUri: string;
  readonly tokenUri: string;
  readonly issuer: string;
  readonly baseUrl: string;
}

export function valuesOf(connection: Connection, connector: Connector): ConnectionFormValues {
  const known = new Set((connector.oauth?.available_scopes ?? []).map((s) => s.scope));
  const scopes = connection.oauthConfig.scopes ?? [];
  return {
    name: connection.name,
    clientId: connection.oauthConfig.client_id ?? '',
    scopes: scopes.filter((s) => known.has(s)),
    extraScopes: scopes.filter((s) => !known.has(s)).join(' '),
    authorizeUri: connection.oauthConfig.authorize_uri ?? '',
    tokenUri: connection.oauthConfig.token_uri ?? '',
    issuer: connection.oauthConfig.issuer ?? '',
    baseUrl: typeof connection.apiConfig.base_url === 'string' ? connection.apiConfig.base_url : '',
  };
}

export function defaultValues(connector: Connector, type: AuthType): ConnectionFormValues {
  const taken = type === 'OAUTH' ? connector.key : `${connector.key}-${type.toLowerCase().replace(/_/g, '-')}`;
  return { name: taken, clientId: '', scopes: connector.oauth?.default_scopes ?? [], extraScopes: '', authorizeUri: '', tokenUri: '', issuer: '', baseUrl: '' };
}

export function postedValues(form: PostedForm): ConnectionFormValues {
  return {
    name: formValue(form, 'name').trim(),
    clientId: formValue(form, 'client_id').trim(),
    scopes: formValues(form, 'scopes'),
    extraScopes: formValue(form, 'extra_scopes'),
    authorizeUri: formValue(form, 'authorize_uri').trim(),
    tokenUri: formValue(form, 'token_uri').trim(),
    issuer: formValue(form, 'issuer').trim(),
    baseUrl: formValue(form, 'base_url').trim(),
  };
}

export interface ConnectionFormOptions {
  readonly connector: Connector;
  readonly type: AuthType;
  readonly action: string;
  readonly csrfToken: string;
  readonly values: ConnectionFormValues;
  readonly errors: FieldErrors;
  /** Editing: a secret is stored (the field then means "replace"). */
  readonly secretStored?: boolean;
  readonly submitLabel: string;
}

function scopePicker(connector: Connector, values: ConnectionFormValues, errors: FieldErrors): SafeHtml {
  const oauth = connector.oauth;
  if (oauth === undefined || oauth.app_managed_scopes) {
    return html`<p class="hint">${connector.display_name} takes no scopes in the authorization request: tick the permissions on the app you register with it.</p>`;
  }
  const chosen = new Set(values.scopes);
  return html`<fieldset>
<legend>Scopes</legend>
<p class="hint">Applied to every account connected through this connection. Offline access is needed for refresh tokens.</p>
${oauth.available_scopes.map((s, i) => checkbox({ name: 'scopes', id: `scope-${i}`, value: s.scope, checked: chosen.has(s.scope), label: html`<code>${s.scope}</code> <span class="muted">${s.description}</span>` }))}
${textArea({ name: 'extra_scopes', label: 'Extra scopes', value: values.extraScopes, rows: 2, hint: 'Scopes not in the list above, separated by spaces.', error: errors['extra_scopes'] })}
</fieldset>`;
}

export function connectionForm(o: ConnectionFormOptions): SafeHtml {
  const { connector, type, values, errors } = o;
  const oauth = type === 'OAUTH';
  return html`<form method="post" action="${o.action}" autocomplete="off" novalidate>
${csrfInput(o.csrfToken)}
<input type="hidden" name="provider" value="${connector.key}">
<input type="hidden" name="type" value="${type}">
${errors['form'] !== undefined && html`<p class="flash flash-error" role="alert">${errors['form']}</p>`}
${textField({ name: 'name', label: 'Connection name', value: values.name, required: true, maxlength: 64, hint: 'Your code names the connection with this (connection_name). Letters, digits, "-", "_" and ".".', error: errors['name'] })}
${oauth
  ? html`${textField({ name: 'client_id', label: 'OAuth client id', value: values.clientId, maxlength: 512, hint: `From the OAuth app you registered with ${connector.display_name}. Users can connect once client id and secret are set.`, error: errors['client_id'] })}
${textField({ name: 'client_secret', label: o.secretStored === true ? 'New OAuth client secret' : 'OAuth client secret', type: 'password', maxlength: 4096, hint: o.secretStored === true ? 'A secret is stored and never shown. Leave empty to keep it.' : 'Stored encrypted and never shown again.', error: errors['client_secret'] })}
${scopePicker(connector, values, errors)}
<details${(errors['authorize_uri'] ?? errors['token_uri'] ?? errors['issuer'] ?? errors['base_url']) !== undefined && html` open`}>
<summary>Endpoints (self-hosted or regional providers)</summary>
${textField({ name: 'authorize_uri', label: 'Authorization URL', type: 'url', value: values.authorizeUri, hint: `Leave empty for ${connector.display_name}'s own.`, error: errors['authorize_uri'] })}
${textField({ name: 'token_uri', label: 'Token URL', type: 'url', value: values.tokenUri, hint: 'Leave empty for the connector\'s own.', error: errors['token_uri'] })}
${textField({ name: 'issuer', label: 'Issuer', type: 'url', value: values.issuer, hint: 'The authorization server\'s issuer identifier, checked against the iss of its answers and ID tokens. Set it with your own endpoints when the scopes include openid.', error: errors['issuer'] })}
${textField({ name: 'base_url', label: 'API base URL', type: 'url', value: values.baseUrl, hint: 'Replaces the connector\'s API base URL for tool calls.', error: errors['base_url'] })}
</details>`
  : html`<p class="hint">${AUTH_TYPE_LABELS[type]}: each end user enters their own credentials in the hosted form of a connection link; the connection itself holds none.</p>
${textField({ name: 'base_url', label: 'API base URL', type: 'url', value: values.baseUrl, hint: 'Leave empty for the connector\'s own.', error: errors['base_url'] })}`}
<div class="actions"><button type="submit">${o.submitLabel}</button></div>
</form>`;
}

const ClientId = z.string().max(512, 'at most 512 characters');
const ClientSecret = z.string().max(4096, 'at most 4096 characters');
const Scope = z.string().min(1).max(512, 'each scope at most 512 characters');

function splitScopes(text: string): string[] {
  return text.split(/[\s,]+/).filter(Boolean);
}

/** Posted form → the API's connection input, or field errors (same limits as POST /api/v1/connections). */
export function parseConnectionForm(form: PostedForm, connector: Connector, type: AuthType): { ok: true; input: ConnectionInput & ConnectionChanges } | { ok: false; errors: FieldErrors } {
  const values = postedValues(form);
  const secret = formValue(form, 'client_secret');
  const errors: Record<string, string> = {};
  const name = ConnectionName.safeParse(values.name);
  if (!name.success) errors['name'] = values.name === '' ? 'Enter a name.' : `Use ${name.error.issues[0]?.message ?? 'a valid name'}.`;
  const api = values.baseUrl === '' ? undefined : { base_url: values.baseUrl };
  if (type !== 'OAUTH') {
    if (Object.keys(errors).length > 0) return { ok: false, errors };
    return { ok: true, input: { provider: connector.key, name: values.name, type, ...(api === undefined ? {} : { api_config: api }) } };
  }
  if (!ClientId.safeParse(values.clientId).success) errors['client_id'] = 'At most 512 characters.';
  if (!ClientSecret.safeParse(secret).success) errors['client_secret'] = 'At most 4096 characters.';
  const known = new Set((connector.oauth?.available_scopes ?? []).map((s) => s.scope));
  const picked = values.scopes.filter((s) => known.has(s));
  const extra = splitScopes(values.extraScopes);
  if (extra.some((s) => !Scope.safeParse(s).success)) errors['extra_scopes'] = 'Each scope at most 512 characters.';
  const scopes = [...new Set([...picked, ...extra])];
  if (scopes.length > 200) errors['extra_scopes'] = 'At most 200 scopes.';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const oauth = {
    ...(values.clientId === '' ? {} : { client_id: values.clientId }),
    ...(secret === '' ? {} : { client_secret: secret }),
    ...(connector.oauth?.app_managed_scopes === true ? {} : { scopes }),
    ...(values.authorizeUri === '' ? {} : { authorize_uri: values.authorizeUri }),
    ...(values.tokenUri === '' ? {} : { token_uri: values.tokenUri }),
    ...(values.issuer === '' ? {} : { issuer: values.issuer }),
  };
  return { ok: true, input: { provider: connector.key, name: values.name, type, oauth_config: oauth, ...(api === undefined ? {} : { api_config: api }) } };
}

const FIELD_OF_PATH: Readonly<Record<string, string>> = {
  'connection.name': 'name',
  name: 'name',
  'oauth_config.authorize_uri': 'authorize_uri',
  'oauth_config.token_uri': 'token_uri',
  'oauth_config.issuer': 'issuer',
  'api_config.base_url': 'base_url',
};

/** A domain refusal as messages next to the fields it is about (or one for the whole form). */
export function connectionErrorFields(error: GatewayError): FieldErrors {
  if (error.code === 'connection_name_taken') return { name: error.message };
  const field = typeof error.details?.['field'] === 'string' ? FIELD_OF_PATH[error.details['field']] : undefined;
  if (field !== undefined) return { [field]: error.message };
  const fromIssues = issuesToFieldErrors(error.details?.['issues'], (path) => FIELD_OF_PATH[path]);
  return Object.keys(fromIssues).length > 0 ? fromIssues : { form: error.message };
}
