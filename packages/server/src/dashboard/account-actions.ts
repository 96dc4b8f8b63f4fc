/**
 * @module What the account page's buttons do: mint an authorization link (shown once, in the POST's
 * own answer: it is a bearer of the user's consent flow, so it never goes into a redirect or flash),
 * refresh the token, disconnect, delete (both confirmed first), and diagnose (the same
 * `diagnoseAccount` as the API and CLI, each finding with its result, message, fix and docs link).
 */
import { deleteAccount, disconnectAccount, findAccount } from '../domain/accounts/accounts.ts';
import { createAuthorizationLink } from '../domain/auth-flows/links.ts';
import { diagnoseAccount, type Diagnosis } from '../domain/diagnose/diagnose.ts';
import type { Finding } from '../domain/diagnose/finding.ts';
import { refreshAccount } from '../domain/tokens/refresh.ts';
import { GatewayError } from '../errors.ts';
import { html, type SafeHtml } from '../pages/html.ts';
import { accountPage } from './account-page.ts';
import { accountPath, ACCOUNTS_SECTION } from './accounts-page.ts';
import { formatTime, statusBadge } from './display.ts';
import { copyableValue, formChecked, formValue } from './forms.ts';
import { confirmationNeeded, failure, notice, redirectTo, type DashboardRouter } from './router.ts';

const RESULT_LABEL = { ok: 'OK', warn: 'Warning', fail: 'Failing' } as const;

function findingItem(f: Finding): SafeHtml {
  return html`<li class="${f.result}" data-check="${f.check}">
<p><span class="badge result-${f.result}">${RESULT_LABEL[f.result]}</span> <strong>${f.check.replace(/_/g, ' ')}</strong></p>
<p>${f.message}</p>
${f.fix !== null && html`<p><strong>Fix:</strong> ${f.fix}</p>`}
${f.docs !== null && html`<p><a href="${f.docs}" rel="noreferrer">Troubleshooting: ${f.check.replace(/_/g, ' ')}</a></p>`}
</li>`;
}

function diagnosisMarkup(diagnosis: Diagnosis): SafeHtml {
  const failing = diagnosis.findings.filter((f) => f.result !== 'ok').length;
  return html`<section class="diagnosis" aria-labelledby="diagnosis-title">
<h2 id="diagnosis-title">Diagnosis: <span class="badge result-${diagnosis.result}">${RESULT_LABEL[diagnosis.result]}</span></h2>
<p role="status">${failing === 0 ? 'Every check passed.' : `${failing} of ${diagnosis.findings.length} checks need attention.`} Ran at ${formatTime(diagnosis.diagnosedAt)}; the account is now ${statusBadge(diagnosis.account.status)}.</p>
<ol class="findings">${diagnosis.findings.map(findingItem)}</ol>
</section>`;
}

export function registerAccountActions(router: DashboardRouter): void {
  const { ctx } = router;
  const base = '/dashboard/accounts/:id';

  router.get<{ id: string }>(base, async ({ session, params }) => accountPage(router, session, params.id));

  router.post<{ id: string }>(`${base}/link`, async ({ session, params, form }) => {
    const verifyUrl = formValue(form, 'user_verify_url').trim();
    try {
      const minted = await createAuthorizationLink(ctx, session.environment, { locator: { id: params.id }, ...(verifyUrl === '' ? {} : { userVerifyUrl: verifyUrl }) });
      const top = html`<section class="secret" aria-labelledby="link-title">
<h2 id="link-title">Authorization link created</h2>
${copyableValue({ id: 'authorization-link', label: 'Authorization link', value: minted.link, hint: `Send it to ${minted.view.account.identifier}. Single use; expires at ${formatTime(minted.expiry)}. It is shown only here.` })}
</section>`;
      return await accountPage(router, session, params.id, { top, linkVerifyUrl: verifyUrl });
    } catch (error) {
      if (!(error instanceof GatewayError) || !error.expose || error.code === 'connected_account_not_found') throw error;
      const field = error.code === 'invalid_redirect_url' || error.code === 'validation_failed';
      if (field && verifyUrl !== '') return accountPage(router, session, params.id, { linkError: error.message, linkVerifyUrl: verifyUrl, status: 400 });
      return redirectTo(accountPath(params.id), failure(error.message));
    }
  });

  router.post<{ id: string }>(`${base}/refresh`, async ({ session, params }) => {
    try {
      const view = await refreshAccount(ctx, session.environment.id, params.id, { trigger: 'manual', force: true });
      return redirectTo(accountPath(params.id), notice(`Token refreshed. The account is ${view.account.status}.`));
    } catch (error) {
      if (!(error instanceof GatewayError) || !error.expose || error.code === 'connected_account_not_found') throw error;
      return redirectTo(accountPath(params.id), failure(`Refresh failed: ${error.message}`));
    }
  });

  router.post<{ id: string }>(`${base}/disconnect`, async (input) => {
    const { account } = await findAccount(ctx, input.session.environment.id, { id: input.params.id });
    const path = accountPath(account.id);
    const confirm = confirmationNeeded(input, {
      title: `Disconnect ${account.identifier}?`,
      message: `The credentials of "${account.identifier}" will be erased (and revoked at the provider where it allows). Tool calls fail until the user authorizes again.`,
      action: `${path}/disconnect`,
      button: 'Disconnect',
      cancel: path,
      section: ACCOUNTS_SECTION,
    });
    if (confirm !== undefined) return confirm;
    await disconnectAccount(ctx, input.session.environment.id, { id: account.id });
    return redirectTo(path, notice(`Account "${account.identifier}" disconnected.`));
  });

  router.post<{ id: string }>(`${base}/delete`, async (input) => {
    const { account } = await findAccount(ctx, input.session.environment.id, { id: input.params.id });
    const path = accountPath(account.id);
    const confirm = confirmationNeeded(input, {
      title: `Delete ${account.identifier}?`,
      message: `The account "${account.identifier}" and its credentials will be deleted for good. This cannot be undone.`,
      action: `${path}/delete`,
      button: 'Delete account',
      cancel: path,
      section: ACCOUNTS_SECTION,
    });
    if (confirm !== undefined) return confirm;
    await deleteAccount(ctx, input.session.environment.id, { id: account.id });
    return redirectTo('/dashboard/accounts', notice(`Account "${account.identifier}" deleted.`));
  });

  router.post<{ id: string }>(`${base}/diagnose`, async ({ session, params, form }) => {
    const diagnosis = await diagnoseAccount(ctx, session.environment.id, params.id, { refresh: formChecked(form, 'refresh') });
    return accountPage(router, session, params.id, { top: diagnosisMarkup(diagnosis) });
  });
}
