/**
 * @module The dashboard's routing: session-guarded GET pages and CSRF-checked POST actions that
 * return a view or a redirect; the router adds the shell, the flash message, cookies and headers.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DomainContext } from '../domain/context.ts';
import { GatewayError } from '../errors.ts';
import { parseCookies, serializeCookie } from '../http/cookies.ts';
import type { HttpServices } from '../http/services.ts';
import { html, type SafeHtml } from '../pages/html.ts';
import { checkCsrf } from './csrf.ts';
import { csrfInput, formValue, type PostedForm } from './forms.ts';
import { DASHBOARD_HEADERS, renderShell, type Flash } from './layout.ts';
import { SESSION_TTL_SECONDS, type DashboardSession, type SessionCodec } from './session.ts';

export interface ViewResult {
  readonly kind: 'view';
  readonly title: string;
  readonly body: SafeHtml;
  readonly status: number;
  readonly section?: string | undefined;
  /** Shown above the body (besides, or instead of, a flash carried over from a redirect). */
  readonly flash?: Flash | undefined;
}

export interface RedirectResult {
  readonly kind: 'redirect';
  /** A same-origin path, e.g. `/dashboard/connections`. */
  readonly location: string;
  readonly flash?: Flash | undefined;
}

export type DashboardResult = ViewResult | RedirectResult;

export function view(options: { title: string; body: SafeHtml; status?: number; section?: string; flash?: Flash }): ViewResult {
  return { kind: 'view', status: 200, ...options };
}

/** A 303 (a POST answered with a redirect becomes a GET), with a message for the next page. */
export function redirectTo(location: string, flash?: Flash): RedirectResult {
  if (!location.startsWith('/dashboard')) throw new Error(`dashboard redirects stay in the dashboard, not ${location}`);
  return { kind: 'redirect', location, flash };
}

export const notice = (text: string): Flash => ({ kind: 'notice', text });
export const failure = (text: string): Flash => ({ kind: 'error', text });

export interface DashboardInput<P> {
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
  readonly session: DashboardSession;
  readonly params: P;
  readonly query: URLSearchParams;
  /** The urlencoded POST body (empty for GET). */
  readonly form: PostedForm;
}

export type DashboardHandler<P> = (input: DashboardInput<P>) => Promise<DashboardResult>;

export interface DashboardRouter {
  readonly services: HttpServices;
  readonly ctx: DomainContext;
  readonly sessions: SessionCodec;
  /** A page behind the session; without one the browser is sent to sign-in (and back after it). */
  get<P = Record<string, string>>(path: string, handler: DashboardHandler<P>): void;
  /** A form action behind the session and the CSRF check. */
  post<P = Record<string, string>>(path: string, handler: DashboardHandler<P>): void;
}

export interface CookieNames {
  readonly session: string;
  readonly flash: string;
  readonly signIn: string;
  /** Whether cookies carry Secure (https, or loopback http, which browsers treat as secure). */
  readonly secure: boolean;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export function cookieNames(publicUrl: string): CookieNames {
  const url = new URL(publicUrl);
  const secure = url.protocol === 'https:' || LOOPBACK_HOSTS.has(url.hostname);
  // `__Host-`: Secure, Path=/, no Domain, so no sibling subdomain can plant or shadow it.
  const prefix = secure ? '__Host-' : '';
  return { session: `${prefix}ag_dashboard`, flash: `${prefix}ag_dashboard_flash`, signIn: `${prefix}ag_dashboard_signin`, secure };
}

const MAX_FLASH = 400;

export function flashCookie(names: CookieNames, flash: Flash | undefined): string[] {
  if (flash === undefined) return [];
  const value = JSON.stringify({ k: flash.kind, t: flash.text.slice(0, MAX_FLASH) });
  return [serializeCookie(names.flash, value, { maxAgeSeconds: 60, secure: names.secure, sameSite: 'Strict' })];
}

function readFlash(request: FastifyRequest, names: CookieNames): Flash | undefined {
  const raw = parseCookies(request.headers.cookie)[names.flash];
  if (raw === undefined || raw === '') return undefined;
  try {
    const parsed = JSON.parse(raw) as { k?: unknown; t?: unknown };
    if ((parsed.k === 'notice' || parsed.k === 'error') && typeof parsed.t === 'string') return { kind: parsed.k, text: parsed.t.slice(0, MAX_FLASH) };
  } catch {
    // a mangled flash is dropped, not shown
  }
  return undefined;
}

/** The session cookie with the session's own lifetime; `clear` ends it in this browser. */
export function sessionCookie(names: CookieNames, value: string | undefined): string {
  return serializeCookie(names.session, value ?? '', { maxAgeSeconds: value === undefined ? 0 : SESSION_TTL_SECONDS, secure: names.secure, sameSite: 'Strict' });
}

declare module 'fastify' {
  interface FastifyRequest {
    dashboardSession?: DashboardSession;
  }
}

/** Sends a view in the shell (with the session's nav when signed in) or a redirect, with headers and cookies. */
export function send(reply: FastifyReply, names: CookieNames, result: DashboardResult, session: DashboardSession | undefined, extraCookies: string[] = []): FastifyReply {
  const request = reply.request;
  if (result.kind === 'redirect') {
    const cookies = [...extraCookies, ...flashCookie(names, result.flash)];
    if (cookies.length > 0) void reply.header('set-cookie', cookies);
    return reply.code(303).headers({ ...DASHBOARD_HEADERS, location: result.location }).send();
  }
  const carried = readFlash(request, names);
  const cookies = [...extraCookies, ...(carried === undefined ? [] : [serializeCookie(names.flash, '', { maxAgeSeconds: 0, secure: names.secure, sameSite: 'Strict' })])];
  if (cookies.length > 0) void reply.header('set-cookie', cookies);
  const signedIn = session === undefined ? undefined : { environmentName: session.environment.name, csrfToken: session.csrfToken };
  const page = renderShell({ title: result.title, body: result.body, section: result.section, flash: result.flash ?? carried, signedIn });
  return reply.code(result.status).headers(DASHBOARD_HEADERS).send(page);
}

/** Only dashboard paths may be a post-sign-in destination (no open redirect). */
export function safeNext(value: string | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  return /^\/dashboard(\/[A-Za-z0-9_.~\-/]*)?(\?[A-Za-z0-9_.~\-=&%+]*)?$/.test(value) && !value.includes('//') ? value : undefined;
}

/**
 * Destructive actions: without `confirmed=yes` in the form, answer a confirmation page whose button
 * posts the same form again with it (works without script; dashboard.js asks with `confirm()` first
 * and adds the field, so the page is skipped).
 */
export function confirmationNeeded(input: DashboardInput<unknown>, o: { title: string; message: string; action: string; button: string; cancel: string; section?: string }): ViewResult | undefined {
  if (formValue(input.form, 'confirmed') === 'yes') return undefined;
  return view({
    title: o.title,
    section: o.section ?? '',
    body: html`<p>${o.message}</p>
<form method="post" action="${o.action}">
${csrfInput(input.session.csrfToken)}
<input type="hidden" name="confirmed" value="yes">
<div class="actions"><button type="submit" class="danger">${o.button}</button> <a href="${o.cancel}">Cancel</a></div>
</form>`,
  });
}

function errorView(title: string, message: string, status: number): ViewResult {
  return view({ title, status, body: html`<p>${message}</p><p><a href="/dashboard">Back to the dashboard</a></p>` });
}

export function createRouter(app: FastifyInstance, services: HttpServices, sessions: SessionCodec): DashboardRouter {
  const names = cookieNames(services.ctx.publicUrl);
  const publicOrigin = new URL(services.ctx.publicUrl).origin;

  // Dashboard failures are pages, not JSON: a domain error nobody turned into a field message, a
  // missing record, or a bug (logged in full, shown as a reference only).
  app.setErrorHandler((error, request, reply) => {
    const session = request.dashboardSession;
    if (error instanceof GatewayError && error.expose) {
      request.log.info({ code: error.code, status: error.status }, 'dashboard request failed');
      const title = error.status === 404 ? 'Not found' : 'That did not work';
      return send(reply, names, errorView(title, error.message, error.status), session);
    }
    // Fastify's own refusals of a request it could not read (a form over the body limit, a body
    // that is not a form) are the sender's fault: a page that says so, not an internal error.
    const status = (error as { statusCode?: unknown }).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      request.log.info({ code: (error as { code?: unknown }).code, status }, 'dashboard request unreadable');
      const message = status === 413 ? 'The form was larger than this server accepts. Shorten the longest field and send it again.' : 'The request could not be read. Reload the page and send the form again.';
      return send(reply, names, errorView('That did not work', message, status), session);
    }
    request.log.error({ err: error }, 'unhandled dashboard error');
    return send(reply, names, errorView('Something went wrong', `An internal error occurred (reference ${request.id}).`, 500), session);
  });
  app.setNotFoundHandler((request, reply) => send(reply, names, errorView('Not found', 'There is no dashboard page at this address.', 404), request.dashboardSession));

  async function sessionOf(request: FastifyRequest): Promise<DashboardSession | undefined> {
    const session = await sessions.verify(parseCookies(request.headers.cookie)[names.session]);
    if (session !== undefined) request.dashboardSession = session;
    return session;
  }

  const inputOf = <P>(request: FastifyRequest, reply: FastifyReply, session: DashboardSession): DashboardInput<P> => ({
    request,
    reply,
    session,
    params: request.params as P,
    query: new URLSearchParams(request.url.split('?')[1] ?? ''),
    form: (request.method === 'POST' && typeof request.body === 'object' && request.body !== null ? request.body : {}) as PostedForm,
  });

  /** Fastify sees paths relative to the `/dashboard` prefix this router's plugin is registered under. */
  const local = (path: string) => {
    if (!path.startsWith('/dashboard')) throw new Error(`dashboard routes live under /dashboard, not ${path}`);
    return path.slice('/dashboard'.length) || '/';
  };

  return {
    services,
    ctx: services.ctx,
    sessions,
    get(path, handler) {
      app.get(local(path), async (request, reply) => {
        const session = await sessionOf(request);
        if (session === undefined) {
          const next = safeNext(request.url);
          const location = next === undefined || next === '/dashboard' ? '/dashboard/sign-in' : `/dashboard/sign-in?${new URLSearchParams({ next })}`;
          return send(reply, names, redirectTo(location), undefined, [sessionCookie(names, undefined)]);
        }
        return send(reply, names, await handler(inputOf(request, reply, session)), session);
      });
    },
    post(path, handler) {
      app.post(local(path), async (request, reply) => {
        const session = await sessionOf(request);
        if (session === undefined) {
          return send(reply, names, redirectTo('/dashboard/sign-in', failure('Your session has ended. Sign in again.')), undefined, [sessionCookie(names, undefined)]);
        }
        const verdict = checkCsrf(request, publicOrigin, session.csrfToken);
        if (!verdict.ok) {
          request.log.info({ reason: verdict.reason }, 'dashboard form refused (CSRF)');
          return send(reply, names, errorView('Form refused', 'This form was not sent from a dashboard page of this session. Reload the page and try again.', 403), session);
        }
        return send(reply, names, await handler(inputOf(request, reply, session)), session);
      });
    },
  };
}
