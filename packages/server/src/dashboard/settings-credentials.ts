/**
 * @module Settings → API credentials: list, create (the secret shown once, in the POST's own answer),
 * revoke (which also ends every dashboard session signed in with it).
 */
import { createCredential, revokeCredential } from '../domain/credentials/credentials.ts';
import { GatewayError } from '../errors.ts';
import { html, type SafeHtml } from '../pages/html.ts';
import { buttonForm, copyableValue, csrfInput, formValue, textField, type FieldErrors } from './forms.ts';
import { confirmationNeeded, notice, redirectTo, view, type DashboardRouter, type ViewResult } from './router.ts';
import type { DashboardSession } from './session.ts';

const SETTINGS = '/dashboard/settings';
const dateText = (d: Date | null) => (d === null ? 'never' : d.toISOString().replace('T', ' ').slice(0, 16) + ' UTC');

export interface CredentialFormState {
  readonly name?: string;
  readonly errors?: FieldErrors;
}

export async function credentialsSection(router: DashboardRouter, session: DashboardSession, state: CredentialFormState = {}): Promise<SafeHtml> {
  const credentials = await router.ctx.store.credentials.list(session.environment.id);
  return html`<h2 id="credentials">API credentials</h2>
<p class="hint">A client id and secret exchange for a bearer token at <code>POST /oauth/token</code> and sign in to this dashboard.</p>
<table>
<thead><tr><th scope="col">Name</th><th scope="col">Client id</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col">State</th></tr></thead>
<tbody>
${credentials.map(
  (c) => html`<tr><td>${c.name}${c.id === session.clientId && html` <span class="badge">this session</span>`}</td><td><code>${c.id}</code></td><td>${dateText(c.createdAt)}</td><td>${dateText(c.lastUsedAt)}</td>
<td>${c.revokedAt !== null ? html`<span class="badge off">Revoked</span>` : buttonForm({ action: `${SETTINGS}/credentials/${c.id}/revoke`, csrfToken: session.csrfToken, label: html`Revoke<span class="visually-hidden"> ${c.name}</span>`, danger: true, confirm: c.id === session.clientId ? `Revoke ${c.id}? You are signed in with it: this ends your session.` : `Revoke ${c.id}? Apps using it stop working.` })}</td></tr>`,
)}
</tbody>
</table>
<h3>Create a credential</h3>
<form method="post" action="${SETTINGS}/credentials" novalidate>
${csrfInput(session.csrfToken)}
${textField({ name: 'name', label: 'Credential name', required: true, value: state.name, maxlength: 100, hint: 'What uses it, e.g. "production backend".', error: state.errors?.['name'] })}
<div class="actions"><button type="submit">Create credential</button></div>
</form>`;
}

export function registerCredentialSettings(router: DashboardRouter, settingsPage: (session: DashboardSession, credentials: CredentialFormState) => Promise<ViewResult>): void {
  const { ctx } = router;

  router.post(`${SETTINGS}/credentials`, async ({ session, form }) => {
    const name = formValue(form, 'name').trim();
    if (name === '' || name.length > 100) {
      return { ...(await settingsPage(session, { name, errors: { name: name === '' ? 'Enter a name.' : 'At most 100 characters.' } })), status: 400 };
    }
    const { credential, clientSecret } = await createCredential(ctx.store, { environmentId: session.environment.id, name }, ctx.clock());
    const body = html`<p>The credential <strong>${credential.name}</strong> works in the environment <strong>${session.environment.name}</strong>.</p>
<div class="secret">
${copyableValue({ id: 'credential-id', label: 'Client id', value: credential.id })}
${copyableValue({ id: 'credential-secret', label: 'Client secret', value: clientSecret, hint: 'Shown only this once: only its hash is stored. Keep it in your secret store.' })}
</div>
<p><a href="${SETTINGS}#credentials">Back to settings</a></p>`;
    return view({ title: 'API credential created', section: 'settings', body });
  });

  router.post<{ id: string }>(`${SETTINGS}/credentials/:id/revoke`, async (input) => {
    const { session, params } = input;
    const credential = await ctx.store.credentials.findById(params.id);
    if (credential === undefined || credential.environmentId !== session.environment.id) throw new GatewayError('credential_not_found', `No API credential "${params.id}" in this environment.`);
    const own = credential.id === session.clientId;
    const confirm = confirmationNeeded(input, {
      title: `Revoke ${credential.name}?`,
      message: own ? `You are signed in with ${credential.id}: revoking it ends this session.` : `Apps and sessions using ${credential.id} stop working at once.`,
      action: `${SETTINGS}/credentials/${credential.id}/revoke`,
      button: 'Revoke credential',
      cancel: `${SETTINGS}#credentials`,
      section: 'settings',
    });
    if (confirm !== undefined) return confirm;
    await revokeCredential(ctx.store, credential.id, ctx.clock());
    // Revoking the session's own credential ends the session: the next page is the sign-in page.
    return own ? redirectTo('/dashboard/sign-in') : redirectTo(`${SETTINGS}#credentials`, notice(`Credential ${credential.id} revoked.`));
  });
}
