/**
 * @module Sign-in and sign-out. The developer signs in with an API credential of an environment
 * (client id + secret), checked exactly as `POST /oauth/token` checks it, failure limiter included.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError } from '../errors.ts';
import { parseCookies, serializeCookie } from '../http/cookies.ts';
import { html } from '../pages/html.ts';
import { originVerdict } from '../http/origin-check.ts';
import { postedToken } from './csrf.ts';
import { csrfInput, formValue, textField, type FieldErrors, type PostedForm } from './forms.ts';
import type { Flash } from './layout.ts';
import { HOME_PATH } from './nav.ts';
import { cookieNames, failure, notice, redirectTo, safeNext, send, sessionCookie, view, type DashboardRouter } from './router.ts';
import { sameToken } from './session.ts';

const SIGN_IN_NONCE_SECONDS = 3600;

interface SignInState {
  readonly clientId?: string;
  readonly next?: string | undefined;
  readonly fieldErrors?: FieldErrors;
  readonly flash?: Flash;
  readonly status?: number;
}

export function registerSignIn(app: FastifyInstance, router: DashboardRouter): void {
  const { ctx, services, sessions } = router;
  const names = cookieNames(ctx.publicUrl);
  const publicOrigin = new URL(ctx.publicUrl).origin;
  const plainHttp = !names.secure;

  /** The sign-in form's CSRF token is bound to a random nonce in a cookie of this browser. */
  function signInNonce(request: FastifyRequest, reply: FastifyReply): string {
    const existing = parseCookies(request.headers.cookie)[names.signIn];
    if (existing !== undefined && /^[A-Za-z0-9_-]{16,64}$/.test(existing)) return existing;
    const nonce = randomBytes(18).toString('base64url');
    void reply.header('set-cookie', serializeCookie(names.signIn, nonce, { maxAgeSeconds: SIGN_IN_NONCE_SECONDS, secure: names.secure, sameSite: 'Strict' }));
    return nonce;
  }

  function renderForm(request: FastifyRequest, reply: FastifyReply, state: SignInState) {
    const token = sessions.signInToken(signInNonce(request, reply));
    const errors = state.fieldErrors ?? {};
    const action = state.next === undefined ? '/dashboard/sign-in' : `/dashboard/sign-in?${new URLSearchParams({ next: state.next })}`;
    const body = html`<p>Sign in with an API credential of the environment you want to manage: its client id and secret, as for <code>POST /oauth/token</code>.</p>
${plainHttp && html`<p class="flash flash-error" role="alert">This gateway's public URL is plain http: the secret you type travels unencrypted. Serve the gateway over https.</p>`}
<form method="post" action="${action}">
${csrfInput(token)}
${textField({ name: 'client_id', label: 'Client id', value: state.clientId, required: true, autocomplete: 'username', hint: 'Starts with cli_. The CLI command agentgate credentials create makes one.', error: errors['client_id'], maxlength: 256 })}
${textField({ name: 'client_secret', label: 'Client secret', type: 'password', required: true, autocomplete: 'current-password', error: errors['client_secret'], maxlength: 512 })}
<div class="actions"><button type="submit">Sign in</button></div>
</form>`;
    return send(reply, names, view({ title: 'Sign in', body, status: state.status ?? 200, ...(state.flash === undefined ? {} : { flash: state.flash }) }), undefined);
  }

  app.get('/sign-in', async (request, reply) => {
    const next = safeNext(new URLSearchParams(request.url.split('?')[1] ?? '').get('next'));
    if ((await sessions.verify(parseCookies(request.headers.cookie)[names.session])) !== undefined) return send(reply, names, redirectTo(next ?? HOME_PATH), undefined);
    return renderForm(request, reply, { next });
  });

  app.post('/sign-in', async (request, reply) => {
    const next = safeNext(new URLSearchParams(request.url.split('?')[1] ?? '').get('next'));
    const form = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as PostedForm;
    const nonce = parseCookies(request.headers.cookie)[names.signIn];
    const posted = postedToken(form);
    if (!originVerdict(request, publicOrigin).ok || nonce === undefined || posted === undefined || !sameToken(posted, sessions.signInToken(nonce))) {
      request.log.info('dashboard sign-in refused (CSRF)');
      return renderForm(request, reply, { next, status: 403, flash: failure('This sign-in form was not sent from the sign-in page. Try again from this page.') });
    }
    const clientId = formValue(form, 'client_id').trim();
    const clientSecret = formValue(form, 'client_secret');
    const fieldErrors: Record<string, string> = {};
    if (clientId === '') fieldErrors['client_id'] = 'Enter the client id.';
    if (clientSecret === '') fieldErrors['client_secret'] = 'Enter the client secret.';
    if (Object.keys(fieldErrors).length > 0) return renderForm(request, reply, { clientId, next, fieldErrors, status: 400 });
    try {
      await services.machineAuth.issueToken({ clientId, clientSecret, address: request.ip });
    } catch (error) {
      if (!(error instanceof GatewayError) || (error.code !== 'invalid_client' && error.code !== 'rate_limited')) throw error;
      if (error.code === 'rate_limited') void reply.header('retry-after', String(error.details?.['retry_after'] ?? 60));
      const text = error.code === 'rate_limited' ? error.message : 'The client id or secret is wrong, or the credential was revoked.';
      return renderForm(request, reply, { clientId, next, status: error.status, flash: failure(text) });
    }
    const credential = await ctx.store.credentials.findById(clientId);
    if (credential === undefined) throw new Error('credential vanished between check and read');
    void reply.header('set-cookie', [
      sessionCookie(names, sessions.issue({ environmentId: credential.environmentId, clientId })),
      serializeCookie(names.signIn, '', { maxAgeSeconds: 0, secure: names.secure, sameSite: 'Strict' }),
    ]);
    request.log.info({ client_id: clientId }, 'dashboard sign-in');
    return send(reply, names, redirectTo(next ?? HOME_PATH, notice('Signed in.')), undefined);
  });

  router.post('/dashboard/sign-out', async ({ reply }) => {
    void reply.header('set-cookie', sessionCookie(names, undefined));
    return redirectTo('/dashboard/sign-in', notice('Signed out.'));
  });

  router.get('/dashboard', async () => redirectTo(HOME_PATH));
}
