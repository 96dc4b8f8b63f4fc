/**
 * @module Settings → webhooks: list endpoints, register one (its signing secret shown once, in the
 * answer to the POST itself, never in a redirect), delete one, send a test event.
 */
import { createWebhookEndpoint, deleteWebhookEndpoint, findWebhookEndpoint, listWebhookEndpoints, sendTestEvent } from '../domain/webhooks/endpoints.ts';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '../domain/webhooks/webhook-port.ts';
import { GatewayError } from '../errors.ts';
import { html, type SafeHtml } from '../pages/html.ts';
import { buttonForm, checkbox, copyableValue, csrfInput, formValue, formValues, selectField, textField, type FieldErrors, type PostedForm } from './forms.ts';
import { confirmationNeeded, notice, redirectTo, view, type DashboardRouter, type ViewResult } from './router.ts';
import type { DashboardSession } from './session.ts';

export interface WebhookFormState {
  readonly values?: PostedForm;
  readonly errors?: FieldErrors;
}

const SETTINGS = '/dashboard/settings';

/** The webhooks section of the settings page. */
export async function webhooksSection(router: DashboardRouter, session: DashboardSession, state: WebhookFormState = {}): Promise<SafeHtml> {
  const { items } = await listWebhookEndpoints(router.ctx, session.environment.id, { pageSize: 100 });
  const values = state.values ?? {};
  const errors = state.errors ?? {};
  const chosen = new Set(formValues(values, 'event_types'));
  return html`<h2 id="webhooks">Webhooks</h2>
<p class="hint">Events are signed (webhook-id, webhook-timestamp, webhook-signature headers) with each endpoint's secret, shown once when it is created.</p>
${items.length === 0
  ? html`<p>No webhook endpoints.</p>`
  : html`<table>
<thead><tr><th scope="col">URL</th><th scope="col">Events</th><th scope="col">State</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
<tbody>
${items.map(
  (e) => html`<tr><td><code>${e.url}</code>${e.description !== '' && html`<br><span class="muted">${e.description}</span>`}</td><td>${e.eventTypes.length === 0 ? 'All connected_account events' : e.eventTypes.join(', ')}</td><td>${e.enabled ? html`<span class="badge on">Enabled</span>` : html`<span class="badge off">Disabled</span>`}</td>
<td>${buttonForm({ action: `${SETTINGS}/webhooks/${e.id}/delete`, csrfToken: session.csrfToken, label: 'Delete', danger: true, confirm: `Delete the webhook endpoint ${e.url}?` })}</td></tr>`,
)}
</tbody>
</table>
<form method="post" action="${SETTINGS}/webhooks/test">
${csrfInput(session.csrfToken)}
${selectField({ name: 'event_type', label: 'Test event type', selected: 'connected_account.status_updated', options: WEBHOOK_EVENT_TYPES.map((t) => ({ value: t, label: t })) })}
<div class="actions"><button type="submit" class="secondary">Send test event</button></div>
</form>`}
<h3>Add an endpoint</h3>
<form method="post" action="${SETTINGS}/webhooks" novalidate>
${csrfInput(session.csrfToken)}
${errors['form'] !== undefined && html`<p class="flash flash-error" role="alert">${errors['form']}</p>`}
${textField({ name: 'url', label: 'Endpoint URL', type: 'url', required: true, value: formValue(values, 'url'), hint: 'https on a public host.', error: errors['url'] })}
${textField({ name: 'description', label: 'Description', value: formValue(values, 'description'), maxlength: 500, error: errors['description'] })}
<fieldset>
<legend>Events</legend>
<p class="hint">None ticked: every connected_account event.</p>
${WEBHOOK_EVENT_TYPES.map((t, i) => checkbox({ name: 'event_types', id: `event-${i}`, value: t, checked: chosen.has(t), label: html`<code>${t}</code>` }))}
</fieldset>
<div class="actions"><button type="submit">Add endpoint</button></div>
</form>`;
}

export function registerWebhookSettings(router: DashboardRouter, settingsPage: (session: DashboardSession, webhooks: WebhookFormState) => Promise<ViewResult>): void {
  const { ctx } = router;

  router.post(`${SETTINGS}/webhooks`, async ({ session, form }) => {
    const url = formValue(form, 'url').trim();
    const description = formValue(form, 'description');
    const eventTypes = formValues(form, 'event_types').filter((t): t is WebhookEventType => (WEBHOOK_EVENT_TYPES as readonly string[]).includes(t));
    const errors: Record<string, string> = {};
    if (url === '') errors['url'] = 'Enter the URL events are sent to.';
    else if (url.length > 2048) errors['url'] = 'At most 2048 characters.';
    if (description.length > 500) errors['description'] = 'At most 500 characters.';
    if (Object.keys(errors).length > 0) return { ...(await settingsPage(session, { values: form, errors })), status: 400 };
    try {
      const { endpoint, secret } = await createWebhookEndpoint(ctx, session.environment.id, { url, description, eventTypes });
      const body = html`<p>Events are now sent to <code>${endpoint.url}</code>.</p>
<div class="secret">
${copyableValue({ id: 'webhook-secret', label: 'Signing secret', value: secret, hint: 'Shown only this once. Store it with the receiving app: it verifies each delivery\'s webhook-signature with it.' })}
</div>
<p><a href="${SETTINGS}#webhooks">Back to settings</a></p>`;
      return view({ title: 'Webhook endpoint added', section: 'settings', body });
    } catch (error) {
      if (!(error instanceof GatewayError) || !error.expose) throw error;
      const field = error.code === 'insecure_endpoint' || error.code === 'validation_failed' ? 'url' : 'form';
      return { ...(await settingsPage(session, { values: form, errors: { [field]: error.message } })), status: 400 };
    }
  });

  router.post<{ id: string }>(`${SETTINGS}/webhooks/:id/delete`, async (input) => {
    const endpoint = await findWebhookEndpoint(ctx, input.session.environment.id, input.params.id);
    const confirm = confirmationNeeded(input, {
      title: 'Delete webhook endpoint?',
      message: `Events will no longer be sent to ${endpoint.url}.`,
      action: `${SETTINGS}/webhooks/${endpoint.id}/delete`,
      button: 'Delete endpoint',
      cancel: `${SETTINGS}#webhooks`,
      section: 'settings',
    });
    if (confirm !== undefined) return confirm;
    await deleteWebhookEndpoint(ctx, input.session.environment.id, endpoint.id);
    return redirectTo(`${SETTINGS}#webhooks`, notice(`Webhook endpoint ${endpoint.url} deleted.`));
  });

  router.post(`${SETTINGS}/webhooks/test`, async ({ session, form }) => {
    const type = formValue(form, 'event_type');
    if (!(WEBHOOK_EVENT_TYPES as readonly string[]).includes(type)) throw new GatewayError('validation_failed', `Unknown event type "${type}".`);
    const { deliveries } = await sendTestEvent(ctx, session.environment.id, type as WebhookEventType);
    const count = deliveries.length;
    return redirectTo(`${SETTINGS}#webhooks`, notice(`Test event ${type} queued for ${count} endpoint${count === 1 ? '' : 's'}.`));
  });
}
