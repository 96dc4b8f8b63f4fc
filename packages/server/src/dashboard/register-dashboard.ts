/**
 * @module The web dashboard: server-rendered pages under `/dashboard`, one same-origin stylesheet and
 * one small script (progressive enhancement only), registered by `buildApp` with one line.
 *
 * How to add a page (the foundation every dashboard page uses):
 *
 *   1. Write `src/dashboard/<name>-page.ts` exporting `register<Name>Page(router: DashboardRouter)`
 *      and add one line calling it in `registerDashboard` below.
 *   2. Routes: `router.get('/dashboard/<path>', async (input) => ...)` serves a page behind the
 *      session (no session: 303 to `/dashboard/sign-in?next=<path>`, and back after signing in);
 *      `router.post('/dashboard/<path>', ...)` is a form action behind the session AND the CSRF check
 *      (Origin / Sec-Fetch-Site plus the session's synchronizer token), refused with a 403 page
 *      otherwise. Paths take Fastify params (`/dashboard/accounts/:id` → `input.params.id`).
 *      `input` has `session` (`environment` (id, name, settings), `clientId`, `csrfToken`), `query`
 *      (URLSearchParams), `form` (the urlencoded body; read it with `formValue`, `formValues`,
 *      `formChecked` from forms.ts), `request`, `reply`.
 *   3. Answer with `view({ title, body, section, status?, flash? })`: the router wraps `body` (built
 *      with `html` from src/pages/html.ts, which escapes everything) in the shell (nav, environment
 *      name, sign-out, flash, skip link) and sends the CSP and security headers. Or answer
 *      `redirectTo('/dashboard/...', notice('Saved.') | failure('...'))`: a 303 whose message the next
 *      page shows (a short-lived cookie; never put a secret in it: render a secret in the POST's
 *      own answer instead, as the credential and webhook forms do).
 *   4. Every POST form carries `csrfInput(input.session.csrfToken)`; build fields with `textField`,
 *      `checkbox`, `selectField`, `textArea`, `copyableValue`, `buttonForm` (forms.ts): each has a
 *      real `<label>`, hint and error wiring. Destructive actions: `buttonForm({..., confirm: 'text'})`
 *      plus `confirmationNeeded(input, {...})` at the top of the POST handler (a confirmation page
 *      without script; dashboard.js asks with `confirm()` instead).
 *   5. Domain errors (GatewayError) a handler does not turn into field messages become an error page
 *      with the message; a request Fastify could not read (over the body limit, not a form) a 4xx
 *      page; anything else a 500 page with a reference (logged).
 *   6. Nav: add `{ key, label, href }` to `NAV_ITEMS` in nav.ts (in display order; only for pages that
 *      exist) and pass the same `key` as the view's `section`.
 *
 * Tests sign in with `signInDashboard(gw)` from test/helpers/dashboard-client.ts (HTTP, a cookie jar)
 * or, in Chromium, by filling `Client id` / `Client secret` on `/dashboard/sign-in` (see
 * test/dashboard-browser.test.ts `signIn`).
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { HttpServices } from '../http/services.ts';
import { registerAccountActions } from './account-actions.ts';
import { registerAccountsPages } from './accounts-page.ts';
import { registerConnectionsPages } from './connections-page.ts';
import { registerConnectorsPage } from './connectors-page.ts';
import { createRouter } from './router.ts';
import { createSessionCodec } from './session.ts';
import { registerLogsPages } from './logs-page.ts';
import { registerPlaygroundPage } from './playground-page.ts';
import { registerSettingsPage } from './settings-page.ts';
import { registerSignIn } from './sign-in.ts';

const ASSETS = {
  'dashboard.css': { type: 'text/css; charset=utf-8', body: readFileSync(new URL('./assets/dashboard.css', import.meta.url)) },
  'dashboard.js': { type: 'text/javascript; charset=utf-8', body: readFileSync(new URL('./assets/dashboard.js', import.meta.url)) },
  'dashboard-data.css': { type: 'text/css; charset=utf-8', body: readFileSync(new URL('./assets/dashboard-data.css', import.meta.url)) },
} as const;

export async function registerDashboard(app: FastifyInstance, services: HttpServices): Promise<void> {
  const sessions = await createSessionCodec(services.ctx);
  await app.register(
    async (dashboard) => {
      dashboard.get<{ Params: { file: string } }>('/assets/:file', async (request, reply) => {
        const asset = Object.hasOwn(ASSETS, request.params.file) ? ASSETS[request.params.file as keyof typeof ASSETS] : undefined;
        if (asset === undefined) return reply.callNotFound();
        return reply.headers({ 'content-type': asset.type, 'cache-control': 'public, max-age=300', 'x-content-type-options': 'nosniff' }).send(asset.body);
      });
      const router = createRouter(dashboard, services, sessions);
      registerSignIn(dashboard, router);
      registerConnectorsPage(router);
      registerConnectionsPages(router);
      registerAccountsPages(router);
      registerAccountActions(router);
      registerPlaygroundPage(router);
      registerLogsPages(router);
      registerSettingsPage(router);
    },
    { prefix: '/dashboard' },
  );
}
