/**
 * @module Settings: the environment's settings (the same `updateSettings` as PATCH /api/v1/settings),
 * then webhooks, API credentials and the encryption key status (what `agentgate vault status` shows).
 */
import { updateSettings } from '../domain/environments/environments.ts';
import type { Settings } from '../domain/model.ts';
import { missingVersions, UNREADABLE_VERSION, vaultKeyUsage, versionsInUse } from '../domain/vault/rotate.ts';
import { GatewayError } from '../errors.ts';
import { html, type SafeHtml } from '../pages/html.ts';
import { checkbox, csrfInput, formChecked, formValue, selectField, textArea, type FieldErrors, type PostedForm } from './forms.ts';
import { notice, redirectTo, view, type DashboardRouter, type ViewResult } from './router.ts';
import type { DashboardSession } from './session.ts';
import { credentialsSection, registerCredentialSettings, type CredentialFormState } from './settings-credentials.ts';
import { registerWebhookSettings, webhooksSection, type WebhookFormState } from './settings-webhooks.ts';

const PATH = '/dashboard/settings';
const MAX_ORIGINS = 50;

interface EnvironmentFormState {
  readonly values?: PostedForm;
  readonly errors?: FieldErrors;
}

function environmentSection(session: DashboardSession, state: EnvironmentFormState): SafeHtml {
  const s = session.environment.settings;
  const v = state.values;
  const errors = state.errors ?? {};
  const origins = v === undefined ? s.allowed_redirect_origins.join('\n') : formValue(v, 'allowed_redirect_origins');
  const checked = (name: keyof Settings) => (v === undefined ? s[name] === true : formChecked(v, name));
  return html`<h2 id="environment">Environment</h2>
<form method="post" action="${PATH}" novalidate>
${csrfInput(session.csrfToken)}
${selectField({
  name: 'user_verification',
  label: 'User verification',
  selected: v === undefined ? s.user_verification : formValue(v, 'user_verification'),
  options: [
    { value: 'custom', label: 'Custom: your server confirms each user (user_verify_url)' },
    { value: 'none', label: 'None: accounts become active right after OAuth (local development only)' },
  ],
  hint: 'With custom verification each link names its verify URL (user_verify_url), which must be on an allowed redirect origin below.',
  error: errors['user_verification'],
})}
${textArea({ name: 'allowed_redirect_origins', label: 'Allowed redirect origins', value: origins, rows: 3, hint: 'One origin per line (scheme://host[:port], no path): where user_verify_url may point.', error: errors['allowed_redirect_origins'] })}
${checkbox({ name: 'token_retrieval_enabled', label: 'Token retrieval', checked: checked('token_retrieval_enabled'), hint: 'GET /api/v1/connected_accounts/auth returns raw tokens. Off: tokens never leave the gateway.' })}
${checkbox({ name: 'proxy_enabled', label: 'API proxy', checked: checked('proxy_enabled'), hint: 'Allow arbitrary provider calls through /proxy with the account\'s credentials.' })}
${checkbox({ name: 'tool_call_payloads_enabled', label: 'Tool call payload logging', checked: checked('tool_call_payloads_enabled'), hint: 'Keep tool parameters and results in the tool call logs. Off: only metadata is kept.' })}
<div class="actions"><button type="submit">Save settings</button></div>
</form>`;
}

async function keysSection(router: DashboardRouter): Promise<SafeHtml> {
  const { vault, store } = router.ctx;
  const usage = await vaultKeyUsage(store);
  const inUse = versionsInUse(usage);
  const missing = missingVersions(usage, vault);
  const onOlder = [...inUse].filter(([v]) => v !== vault.primaryVersion && v !== UNREADABLE_VERSION && vault.versions.includes(v)).reduce((n, [, c]) => n + c, 0);
  const columns = [...new Set([...vault.versions, ...inUse.keys()])].sort((a, b) => b - a);
  const label = (v: number) => (v === UNREADABLE_VERSION ? 'unreadable' : `v${v}`);
  return html`<h2 id="keys">Encryption keys</h2>
<p>Configured key versions (AGENTGATE_ENCRYPTION_KEYS): ${vault.versions.map((v, i) => html`${i > 0 && ', '}<strong>v${v}</strong>${v === vault.primaryVersion && ' (primary: encrypts new values)'}`)}.</p>
<table>
<thead><tr><th scope="col">Stored secret</th><th scope="col">Values</th>${columns.map((v) => html`<th scope="col">${label(v)}</th>`)}</tr></thead>
<tbody>
${usage.map((f) => html`<tr><td><code>${f.table}.${f.field}</code></td><td>${f.total}</td>${columns.map((v) => html`<td>${f.versions.get(v) ?? 0}</td>`)}</tr>`)}
</tbody>
</table>
${[...missing].map(([v, n]) => html`<p class="flash flash-error" role="alert">Key version ${v} (${n} values) is not configured: those values cannot be read. Add it back to AGENTGATE_ENCRYPTION_KEYS after the new key.</p>`)}
<p>${onOlder > 0 ? `${onOlder} values are on older keys: run agentgate vault rotate to re-encrypt them with v${vault.primaryVersion}.` : `Every readable value is on the primary key v${vault.primaryVersion}.`}</p>`;
}

export function registerSettingsPage(router: DashboardRouter): void {
  const { ctx } = router;

  async function settingsPage(session: DashboardSession, state: { environment?: EnvironmentFormState; webhooks?: WebhookFormState; credentials?: CredentialFormState } = {}): Promise<ViewResult> {
    const body = html`<p>Environment <strong>${session.environment.name}</strong> <code>${session.environment.id}</code>. Jump to <a href="#webhooks">webhooks</a>, <a href="#credentials">API credentials</a>, <a href="#keys">encryption keys</a>.</p>
${environmentSection(session, state.environment ?? {})}
${await webhooksSection(router, session, state.webhooks)}
${await credentialsSection(router, session, state.credentials)}
${await keysSection(router)}`;
    return view({ title: 'Settings', section: 'settings', body });
  }

  router.get(PATH, async ({ session }) => settingsPage(session));

  router.post(PATH, async ({ session, form }) => {
    const mode = formValue(form, 'user_verification');
    const origins = formValue(form, 'allowed_redirect_origins').split(/[\s,]+/).filter(Boolean);
    const errors: Record<string, string> = {};
    if (mode !== 'custom' && mode !== 'none') errors['user_verification'] = 'Choose custom or none.';
    if (origins.length > MAX_ORIGINS) errors['allowed_redirect_origins'] = `At most ${MAX_ORIGINS} origins.`;
    else if (origins.some((o) => o.length > 512)) errors['allowed_redirect_origins'] = 'Each origin at most 512 characters.';
    const fail = async (fieldErrors: FieldErrors) => ({ ...(await settingsPage(session, { environment: { values: form, errors: fieldErrors } })), status: 400 });
    if (Object.keys(errors).length > 0) return fail(errors);
    const changes: Partial<Settings> = {
      user_verification: mode as Settings['user_verification'],
      allowed_redirect_origins: origins,
      token_retrieval_enabled: formChecked(form, 'token_retrieval_enabled'),
      proxy_enabled: formChecked(form, 'proxy_enabled'),
      tool_call_payloads_enabled: formChecked(form, 'tool_call_payloads_enabled'),
    };
    try {
      await updateSettings(ctx.store, session.environment, changes, ctx.clock());
    } catch (error) {
      if (error instanceof GatewayError && error.code === 'validation_failed') return fail({ allowed_redirect_origins: error.message });
      throw error;
    }
    return redirectTo(PATH, notice('Settings saved.'));
  });

  registerWebhookSettings(router, (session, webhooks) => settingsPage(session, { webhooks }));
  registerCredentialSettings(router, (session, credentials) => settingsPage(session, { credentials }));
}
