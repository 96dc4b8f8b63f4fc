/**
 * @module A tiny developer app showing Agentgate's user-verification handshake (SPEC §3 step 4).
 *
 * The danger it closes: you create an authorization link for *your* user A, and someone else (B)
 * completes it — a forwarded link. Agentgate therefore never activates an account on its own: after
 * the provider consent it sends the browser to your `user_verify_url` with an `auth_request_id`, and
 * only your server, which knows who is signed in, can confirm "this is A" with
 * `POST /api/v1/connected_accounts/user/verify`.
 *
 *   GET /login?user=ID          simulated sign-in: a signed session cookie for ID (use your real auth)
 *   GET /connect?connection=N   asks Agentgate for a link for the signed-in user, redirects to it
 *   GET /verify?auth_request_id=…&state=…
 *                               confirms the signed-in user to Agentgate, then follows its redirect
 *
 * Run it: `AGENTGATE_URL=… AGENTGATE_CLIENT_ID=… AGENTGATE_CLIENT_SECRET=… npx tsx examples/verify-app/server.ts`
 * Tests import {@link startVerifyApp}.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
// The workspace package (built by `npm install`); in your own app: `npm install @agentgate/sdk`.
import { AgentgateClient, ForbiddenError, NotFoundError, isAgentgateError } from '@agentgate/sdk';

export interface VerifyAppOptions {
  /** Agentgate's base URL, e.g. http://localhost:8080. */
  gatewayUrl: string;
  clientId: string;
  clientSecret: string;
  /** Port to listen on; default 0 (any free port). */
  port?: number;
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** The app's own public URL (for the verify URL it hands to Agentgate); default its listen address. */
  publicUrl?: string;
  /** Key signing the session cookie; default random per start (sessions end with the process). */
  sessionSecret?: string;
}

export interface VerifyApp {
  /** Base URL, no trailing slash. */
  readonly url: string;
  /** `${url}/verify`: the `user_verify_url` the app puts in its links (its origin must be allowed in Agentgate's settings). */
  readonly verifyUrl: string;
  close(): Promise<void>;
}

const SESSION_COOKIE = 'verify_app_session';

/** Starts the app; resolves once it listens. */
export async function startVerifyApp(options: VerifyAppOptions): Promise<VerifyApp> {
  const client = new AgentgateClient({ envUrl: options.gatewayUrl, clientId: options.clientId, clientSecret: options.clientSecret });
  const secret = options.sessionSecret ?? randomBytes(32).toString('base64url');
  const server = http.createServer();
  let baseUrl = '';

  const sign = (value: string) => createHmac('sha256', secret).update(value).digest('base64url');
  const sessionCookie = (user: string) => {
    const value = Buffer.from(user, 'utf8').toString('base64url');
    return `${SESSION_COOKIE}=${value}.${sign(value)}; Path=/; HttpOnly; SameSite=Lax`;
  };
  /** The signed-in user, or undefined when there is no valid session cookie. */
  const sessionUser = (req: http.IncomingMessage): string | undefined => {
    for (const part of (req.headers.cookie ?? '').split(';')) {
      const [name, raw] = part.trim().split('=', 2);
      if (name !== SESSION_COOKIE || raw === undefined) continue;
      const [value = '', mac = ''] = raw.split('.', 2);
      const expected = Buffer.from(sign(value));
      const given = Buffer.from(mac);
      if (given.length === expected.length && timingSafeEqual(given, expected)) return Buffer.from(value, 'base64url').toString('utf8');
    }
    return undefined;
  };

  async function route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', baseUrl);
    if (req.method !== 'GET') return page(res, 405, 'Method not allowed', '<p>This demo only answers GET.</p>');
    const user = sessionUser(req);

    switch (url.pathname) {
      case '/': {
        const who = user === undefined ? '<p>Not signed in. <a href="/login?user=alice">Sign in as alice</a>.</p>' : `<p>Signed in as <strong>${escape(user)}</strong>. <a href="/logout">Sign out</a>.</p>`;
        return page(res, 200, 'Verify app', `${who}<p>Open <code>/connect?connection=NAME</code> to connect an account.</p>`);
      }

      case '/login': {
        // Simulated sign-in. A real application authenticates the person here (password, SSO, ...).
        const id = url.searchParams.get('user') ?? '';
        if (id === '' || id.length > 255) return page(res, 400, 'Sign in', '<p>Give a user: <code>/login?user=alice</code>.</p>');
        res.setHeader('set-cookie', sessionCookie(id));
        const next = url.searchParams.get('next');
        if (next !== null && isLocalPath(next)) return redirect(res, next);
        return page(res, 200, 'Signed in', `<p>Signed in as <strong>${escape(id)}</strong>.</p>`);
      }

      case '/logout':
        res.setHeader('set-cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`);
        return page(res, 200, 'Signed out', '<p>Signed out.</p>');

      case '/connect': {
        if (user === undefined) return page(res, 401, 'Sign in first', '<p>Sign in before connecting an account.</p>');
        const connectionName = url.searchParams.get('connection') ?? '';
        if (connectionName === '') return page(res, 400, 'Connect', '<p>Give a connection: <code>/connect?connection=gmail</code>.</p>');
        try {
          // The link is created server-side for the signed-in user; user_verify_url brings the browser back here.
          const { link } = await client.actions.getAuthorizationLink({ connectionName, identifier: user, userVerifyUrl: `${baseUrl}/verify`, state: connectionName });
          return redirect(res, link);
        } catch (error) {
          return page(res, 502, 'Could not start', `<p>Agentgate could not create the link: ${escape(describeError(error))}</p>`);
        }
      }

      case '/verify': {
        const authRequestId = url.searchParams.get('auth_request_id') ?? '';
        if (authRequestId === '') return page(res, 400, 'Verification', '<p>The link is missing its <code>auth_request_id</code>.</p>');
        // Without a session we cannot say who this is: do not call verify (that would use the request up).
        if (user === undefined) return page(res, 401, 'Sign in to finish', '<p>Sign in with the account you started from, then open this page again.</p>');
        try {
          const { postUserVerifyRedirectUrl } = await client.actions.verifyConnectedAccountUser({ authRequestId, identifier: user });
          return redirect(res, postUserVerifyRedirectUrl);
        } catch (error) {
          if (error instanceof ForbiddenError) {
            return page(
              res,
              403,
              'Not connected: different user',
              `<p>This authorization was started for another user than the one signed in here (<strong>${escape(user)}</strong>), so nothing was connected.</p>` +
                '<p>If someone sent you this link, do not use it: start from your own account with <code>/connect</code>.</p>',
            );
          }
          if (error instanceof NotFoundError) {
            return page(res, 404, 'Link no longer valid', '<p>This verification is unknown, was already used, or has expired. Start again with <code>/connect</code>.</p>');
          }
          return page(res, 502, 'Verification failed', `<p>Agentgate could not verify: ${escape(describeError(error))}</p>`);
        }
      }

      default:
        return page(res, 404, 'Not found', '<p>Nothing here.</p>');
    }
  }

  server.on('request', (req, res) => {
    route(req, res).catch((error: unknown) => {
      if (!res.headersSent) page(res, 500, 'Error', `<p>${escape(describeError(error))}</p>`);
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  baseUrl = (options.publicUrl ?? `http://${host}:${address.port}`).replace(/\/+$/, '');
  return {
    url: baseUrl,
    verifyUrl: `${baseUrl}/verify`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** Only same-site paths: "/x", never "//host" or "/\host". */
function isLocalPath(path: string): boolean {
  return path.startsWith('/') && !path.startsWith('//') && !path.includes('\\');
}

function describeError(error: unknown): string {
  if (isAgentgateError(error)) return `${error.status} ${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

function redirect(res: http.ServerResponse, location: string): void {
  res.writeHead(303, { location, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
  res.end();
}

function page(res: http.ServerResponse, status: number, title: string, body: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    // The verify URL carries the auth_request_id: never leak it through Referer or framing.
    'referrer-policy': 'no-referrer',
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'x-frame-options': 'DENY',
  });
  res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title></head><body><h1>${escape(title)}</h1>${body}</body></html>`);
}

// Standalone: npx tsx examples/verify-app/server.ts
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const required = (name: string) => {
    const value = process.env[name];
    if (value === undefined || value === '') {
      console.error(`${name} is not set (AGENTGATE_URL, AGENTGATE_CLIENT_ID and AGENTGATE_CLIENT_SECRET are required)`);
      process.exit(1);
    }
    return value;
  };
  const app = await startVerifyApp({
    gatewayUrl: required('AGENTGATE_URL'),
    clientId: required('AGENTGATE_CLIENT_ID'),
    clientSecret: required('AGENTGATE_CLIENT_SECRET'),
    port: Number(process.env['PORT'] ?? 3000),
    ...(process.env['VERIFY_APP_PUBLIC_URL'] === undefined ? {} : { publicUrl: process.env['VERIFY_APP_PUBLIC_URL'] }),
  });
  console.log(`verify app on ${app.url}`);
  console.log(`  add ${new URL(app.url).origin} to Agentgate's allowed_redirect_origins (PATCH /api/v1/settings)`);
  console.log(`  then open ${app.url}/login?user=alice and ${app.url}/connect?connection=<your connection name>`);
  const stop = () => void app.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
