/**
 * @module The world around the gateway, driven by the Python SDK's acceptance tests over loopback
 * HTTP: everything a Python test cannot (and an SDK must not) do through the gateway's API — the end
 * user's browser and the provider's login, a provider that fails, the gateway's clock, settings.
 *
 * | call | what it does |
 * |---|---|
 * | `POST /flow {link}` | opens an authorization link as the end user and approves at the test AS → `{status, location}` of the gateway's callback answer |
 * | `POST /as/fail_next_token {status, body?}` | the AS answers the next token request with that status |
 * | `GET /as/refresh_grants` | `{count}` of refresh_token grants the AS received |
 * | `POST /settings {...}` | `PATCH /api/v1/settings` as the admin → the settings |
 * | `POST /clock {offset_seconds}` | moves the gateway's clock (token expiry) relative to real time |
 * | `POST /emulator/enqueue {replies: [{status, json?, headers?}]}` | the provider's next answers (to authorized requests on its routes) |
 * | `POST /emulator/clear` | forgets answers still queued (a failed test must not leave them to the next) |
 * | `GET /emulator/requests` | `{requests: [{method, path, query, authorization, body}]}` the provider received |
 * | `GET /verify` | stands for the developer's `user_verify_url` page (answers 200) |
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CookieJar, runFlow } from './browser-leg.ts';
import type { EmulatorReply, EmulatorSpec, RunningEmulator } from './emulator.ts';
import type { TestAuthorizationServer } from './test-authorization-server.ts';
import type { TestGateway } from './test-gateway.ts';

/**
 * `spec` with a queue of scripted answers in front of its routes, which the control channel fills
 * and clears (the emulator's own queue cannot be cleared).
 */
export function scriptable(spec: EmulatorSpec): { spec: EmulatorSpec; replies: EmulatorReply[] } {
  const replies: EmulatorReply[] = [];
  return { replies, spec: { ...spec, routes: spec.routes.map((route) => ({ ...route, reply: (request) => replies.shift() ?? route.reply(request) })) } };
}

export interface ControlWorld {
  readonly gw: TestGateway;
  readonly as: TestAuthorizationServer;
  readonly emulator: RunningEmulator;
  /** The queue of {@link scriptable} the emulator was started with. */
  readonly replies: EmulatorReply[];
  /** Sets the gateway clock's offset from real time. */
  setClockOffset(ms: number): void;
}

export interface RunningControl {
  readonly url: string;
  close(): Promise<void>;
}

type Handler = (body: any, url: URL) => Promise<unknown>;

export async function startPythonSdkControl(world: ControlWorld): Promise<RunningControl> {
  const { gw, as, emulator, replies } = world;
  const routes: Record<string, Handler> = {
    'POST /flow': async (body) => {
      const { callback } = await runFlow(String(body.link), new CookieJar(), { loginHint: String(body.login_hint ?? 'python-sdk-user') });
      return { status: callback.status, location: callback.location ?? null };
    },
    'POST /as/fail_next_token': async (body) => {
      as.failNextToken(Number(body.status), body.body);
      return {};
    },
    'GET /as/refresh_grants': async () => ({ count: as.hits.tokenRequests.filter((r) => r.grant_type === 'refresh_token' && r.status === 200).length }),
    'POST /settings': async (body) => {
      const response = await gw.api('PATCH', '/api/v1/settings', body);
      if (response.status !== 200) throw new Error(`settings: ${response.text}`);
      return response.body;
    },
    'POST /clock': async (body) => {
      world.setClockOffset(Number(body.offset_seconds) * 1000);
      return {};
    },
    'POST /emulator/enqueue': async (body) => {
      replies.push(...(body.replies as EmulatorReply[]));
      return {};
    },
    'POST /emulator/clear': async () => {
      replies.length = 0;
      return {};
    },
    'GET /emulator/requests': async () => ({
      requests: emulator.requests.map((r) => ({ method: r.method, path: r.path, query: r.query, authorization: r.headers['authorization'] ?? null, body: r.body ?? null })),
    }),
    'GET /verify': async () => ({ page: 'the developer app would verify its signed-in user here' }),
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://control');
      const handler = routes[`${req.method} ${url.pathname}`];
      const reply = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (handler === undefined) return reply(404, { error: `no control route ${req.method} ${url.pathname}` });
      let body: unknown = {};
      try {
        const text = Buffer.concat(chunks).toString('utf8');
        body = text === '' ? {} : JSON.parse(text);
      } catch {
        return reply(400, { error: 'body is not JSON' });
      }
      handler(body, url).then(
        (value) => reply(200, value),
        (error: unknown) => reply(500, { error: error instanceof Error ? error.message : String(error) }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
