/**
 * @module The hosted pages of the flow (HTML for the end user's browser): link landing, credential
 * form, OAuth callback, error and success pages. Not part of the JSON API or its OpenAPI document.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { handleCallback } from '../domain/auth-flows/callback.ts';
import { hashToken } from '../domain/auth-flows/secrets.ts';
import { ConnectFlowError } from '../domain/auth-flows/flow-error.ts';
import { openLink } from '../domain/auth-flows/open-link.ts';
import { endpointsOf } from '../domain/auth-flows/authorization-url.ts';
import { startOAuthFlow } from '../domain/auth-flows/start-oauth.ts';
import { submitCredentials } from '../domain/auth-flows/submit-credentials.ts';
import type { DomainContext } from '../domain/context.ts';
import { connectErrorJson, describeConnectError } from '../domain/auth-flows/connect-errors.ts';
import { renderCredentialForm, renderErrorPage, renderLinkLanding, renderSuccessPage } from '../pages/connect-pages.ts';
import { PAGE_HEADERS, type Page } from '../pages/layout.ts';
import { parseCookies, serializeCookie } from './cookies.ts';
import { originVerdict } from './origin-check.ts';

const DOCS_DIR = fileURLToPath(new URL('../../../../docs/', import.meta.url));
/**
 * The Markdown files of docs/, read once: error answers and pages link `${docsUrl}/<file>#<section>`,
 * and those pages link each other, so the gateway serves the whole folder (only plain file names,
 * never a path). Empty when the folder is not shipped.
 */
const PUBLISHED_DOCS: ReadonlySet<string> = (() => {
  try {
    return new Set(readdirSync(DOCS_DIR).filter((name) => /^[A-Za-z0-9-]+\.md$/.test(name)));
  } catch {
    return new Set<string>();
  }
})();

function sendPage(reply: FastifyReply, page: Page): FastifyReply {
  return reply.code(page.status).headers({ ...PAGE_HEADERS, 'content-security-policy': page.csp }).send(page.html);
}

/** A redirect from a hosted page: no referrer, never cached. */
function redirect(reply: FastifyReply, location: string, cookies: string[] = []): FastifyReply {
  if (cookies.length > 0) void reply.header('set-cookie', cookies);
  return reply.code(303).headers({ location, 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' }).send();
}

export function registerConnectRoutes(app: FastifyInstance, ctx: DomainContext): void {
  const secure = ctx.publicUrl.startsWith('https:');
  const publicOrigin = new URL(ctx.publicUrl).origin;
  // One CSRF cookie per link, so two hosted forms open in one browser do not invalidate each other.
  const csrfCookie = (token: string) => `${secure ? '__Host-' : ''}ag_csrf_${hashToken(token).slice(0, 16)}`;

  function errorLocation(error: ConnectFlowError, ref: string): string {
    const url = new URL(`${ctx.publicUrl}/ui-handlers/connect/callback/error`);
    url.searchParams.set('error', error.code.slice(0, 64));
    url.searchParams.set('error_description', error.description.slice(0, 500));
    if (error.details.redirect_uri !== undefined) url.searchParams.set('redirect_uri', error.details.redirect_uri);
    url.searchParams.set('ref', ref);
    return url.toString();
  }

  /** Flow failures are logged with the provider's raw words and shown as a page with the same ref. */
  function failFlow(request: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply {
    if (!(error instanceof ConnectFlowError)) throw error;
    request.log.info({ ref: request.id, code: error.code, provider_error: error.details.provider_error, provider_description: error.details.provider_description }, 'connect flow failed');
    return redirect(reply, errorLocation(error, request.id));
  }

  /** Double-submit CSRF token plus an Origin check: both must hold for a hosted form to be accepted. */
  function csrfOk(request: FastifyRequest<{ Params: { token: string } }>): boolean {
    if (!originVerdict(request, publicOrigin).ok) return false;
    const posted = (request.body as Record<string, unknown> | undefined)?.['csrf_token'];
    const cookie = parseCookies(request.headers.cookie)[csrfCookie(request.params.token)];
    if (typeof posted !== 'string' || cookie === undefined || posted.length !== cookie.length) return false;
    return timingSafeEqual(Buffer.from(posted), Buffer.from(cookie));
  }

  function forbidden(reply: FastifyReply, ref: string): FastifyReply {
    return sendPage(reply, {
      ...renderErrorPage({ code: 'invalid_request', description: 'This form was not submitted from this page. Open the link again.', ref, docsUrl: ctx.flow.docsUrl }),
      status: 403,
    });
  }

  async function linkPage(request: FastifyRequest<{ Params: { token: string } }>, reply: FastifyReply, values: Record<string, string> = {}, fieldErrors: Record<string, string> = {}, formError?: string) {
    const opened = await openLink(ctx, request.params.token);
    const csrfToken = randomBytes(24).toString('base64url');
    void reply.header('set-cookie', serializeCookie(csrfCookie(request.params.token), csrfToken, { maxAgeSeconds: ctx.flow.linkTtlSeconds, secure, sameSite: 'Strict' }));
    // A path, not a URL: the form posts back to the page's own origin (public URL path prefix kept).
    const action = `${new URL(ctx.publicUrl).pathname.replace(/\/$/, '')}/connect/link/${request.params.token}`;
    const connector = opened.connector;
    if (opened.connection.type === 'OAUTH') {
      const providerOrigin = new URL(endpointsOf(opened.connection, connector).authorizeUrl).origin;
      const redirectOrigins = opened.link.userVerifyUrl === null ? [] : [new URL(opened.link.userVerifyUrl).origin];
      return sendPage(reply, renderLinkLanding({ connector, identifier: opened.account.identifier, action, csrfToken, providerOrigin, redirectOrigins }));
    }
    const page = renderCredentialForm({ connector, identifier: opened.account.identifier, action, csrfToken, values, fieldErrors, ...(formError === undefined ? {} : { formError }) });
    return sendPage(reply, Object.keys(fieldErrors).length > 0 || formError !== undefined ? { ...page, status: 400 } : page);
  }

  app.get<{ Params: { token: string } }>('/connect/link/:token', async (request, reply) => {
    try {
      return await linkPage(request, reply);
    } catch (error) {
      return failFlow(request, reply, error);
    }
  });

  app.post<{ Params: { token: string } }>('/connect/link/:token', async (request, reply) => {
    if (!csrfOk(request)) return forbidden(reply, request.id);
    try {
      const opened = await openLink(ctx, request.params.token);
      if (opened.connection.type === 'OAUTH') {
        const started = await startOAuthFlow(ctx, request.params.token);
        const { name, value, maxAgeSeconds } = started.binding;
        return redirect(reply, started.authorizeUrl, [serializeCookie(name, value, { maxAgeSeconds, secure, sameSite: 'Lax' })]);
      }
      const posted = (request.body ?? {}) as Record<string, unknown>;
      const result = await submitCredentials(ctx, request.params.token, posted);
      if (result.ok) return redirect(reply, result.location);
      // Re-render with non-secret values only: a secret is never echoed back into a page.
      const values = Object.fromEntries(
        (opened.connector.fields ?? []).filter((f) => !f.secret && typeof posted[f.name] === 'string').map((f) => [f.name, String(posted[f.name])]),
      );
      return await linkPage(request, reply, values, result.fieldErrors, result.formError);
    } catch (error) {
      return failFlow(request, reply, error);
    }
  });

  app.get<{ Params: { connectionId: string } }>('/connect/callback/:connectionId', async (request, reply) => {
    const query = new URLSearchParams(request.url.split('?')[1] ?? '');
    try {
      const result = await handleCallback(ctx, { connectionId: request.params.connectionId, query, cookies: parseCookies(request.headers.cookie) });
      return redirect(reply, result.location, [serializeCookie(result.clearCookie, '', { maxAgeSeconds: 0, secure, sameSite: 'Lax' })]);
    } catch (error) {
      return failFlow(request, reply, error);
    }
  });

  app.get('/ui-handlers/connect/callback/error', async (request, reply) => {
    const query = new URLSearchParams(request.url.split('?')[1] ?? '');
    const code = (query.get('error') ?? 'unknown').slice(0, 64);
    const description = query.get('error_description')?.slice(0, 500);
    const ref = query.get('ref')?.slice(0, 64);
    const redirectUri = query.get('redirect_uri')?.slice(0, 2048);
    const details = redirectUri === undefined ? undefined : { redirect_uri: redirectUri };
    if ((request.headers.accept ?? '').includes('application/json')) {
      const info = describeConnectError(code, description, details);
      return reply.code(info.httpStatus).header('cache-control', 'no-store').send(connectErrorJson(info, { ref, docsUrl: ctx.flow.docsUrl }));
    }
    return sendPage(reply, renderErrorPage({ code, description, ref, docsUrl: ctx.flow.docsUrl, details }));
  });

  app.get('/connect/success', async (request, reply) => {
    const provider = new URLSearchParams(request.url.split('?')[1] ?? '').get('provider') ?? '';
    return sendPage(reply, renderSuccessPage({ connectorDisplayName: ctx.catalog.get(provider)?.display_name }));
  });

  app.get<{ Params: { file: string } }>('/docs/:file', async (request, reply) => {
    if (!PUBLISHED_DOCS.has(request.params.file)) return reply.callNotFound();
    const text = await readFile(`${DOCS_DIR}${request.params.file}`, 'utf8');
    return reply.headers({ 'content-type': 'text/markdown; charset=utf-8', 'x-content-type-options': 'nosniff' }).send(text);
  });
}
