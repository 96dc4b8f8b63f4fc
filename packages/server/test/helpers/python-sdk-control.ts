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
 * | `POST /emulator/enqueue {replies: [{status, json?, headers?}]}` | the provider's next answers |
 * | `GET /emulator/requests` | `{requests: [{method, path, query, authorization, body}]}` the provider received |
 * | `GET /verify` | stands for the developer's `user_verify_url` page (answers 200) |
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CookieJar, runFlow } from './browser-leg.ts';
import type { EmulatorReply, RunningEmulator } from './emulator.ts';
import type { TestAuthorizationServer } from './test-authorization-server.ts';
import type { TestGateway } from './test-gateway.ts';

export interface ControlWorld {
  readonly gw: TestGateway;
  readonly as: TestAuthorizationServer;
  readonly emulator: RunningEmulator;
  /** Sets the gateway clock's offset from real time. */
  setClockOffset(ms: number): void;
}

export interface RunningControl {
  readonly url: string;
  close(): Promise<void>;
}

type Handler = (body: any, url: URL) => Promise<unknown>;

export async function startPythonSdkControl(world: ControlWorld): Promise<RunningControl> {
  const { gw, as, emulator } = world;
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
      emulator.enqueue(...(body.replies as EmulatorReply[]));
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
