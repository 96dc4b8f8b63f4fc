/**
 * A small provider-API emulator: a real HTTP server on loopback with routes written from the
 * provider's public API reference. Each route answers like the provider (status, JSON) and every
 * request is recorded so tests can assert exactly what the gateway sent: method, path, query,
 * headers (with the injected credential) and body.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  /** Path without the query, exactly as received (percent-encoding kept). */
  readonly path: string;
  /** Query parameters; a repeated key gives an array. */
  readonly query: Record<string, string | string[]>;
  /** Lower-case header names. */
  readonly headers: Record<string, string>;
  /** Parsed JSON, parsed form (object of strings), raw text, or undefined when empty. */
  readonly body: unknown;
  readonly rawBody: string;
  /** Values of `:name` segments of the matched route. */
  readonly params: Record<string, string>;
}

export interface EmulatorReply {
  readonly status?: number;
  readonly json?: unknown;
  readonly text?: string;
  readonly headers?: Record<string, string>;
}

export interface EmulatorRoute {
  readonly method: string;
  /** `/gmail/v1/users/me/messages/:id`: `:name` matches one segment. */
  readonly path: string;
  readonly reply: (request: RecordedRequest) => EmulatorReply;
}

export interface EmulatorSpec {
  readonly name: string;
  /** Answers the provider's 401 when this returns false (wrong or missing credential). */
  readonly authorized?: (request: RecordedRequest) => boolean;
  readonly unauthorized?: EmulatorReply;
  readonly routes: readonly EmulatorRoute[];
}

export interface RunningEmulator {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** The last request received (throws when none). */
  last(): RecordedRequest;
  /** Overrides the next N answers regardless of route (error-class tests). */
  enqueue(...replies: EmulatorReply[]): void;
  close(): Promise<void>;
}

export function defineEmulator(spec: EmulatorSpec): EmulatorSpec {
  return spec;
}

function matchRoute(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] ?? '';
    const g = got[i] ?? '';
    if (w.startsWith(':')) {
      if (g === '') return undefined;
      params[w.slice(1)] = decodeURIComponent(g);
    } else if (w !== g) return undefined;
  }
  return params;
}

function parseBody(raw: string, contentType: string): unknown {
  if (raw === '') return undefined;
  if (contentType.includes('json')) return JSON.parse(raw);
  if (contentType.includes('x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw));
  return raw;
}

/**
 * Starts the emulator on 127.0.0.1 with a random port. `prefix` (e.g. `/[^/]+\.zendesk\.com` for a
 * templated host kept in the path) is stripped before route matching; recorded paths keep it.
 */
export async function startEmulator(spec: EmulatorSpec, { prefix }: { prefix?: RegExp } = {}): Promise<RunningEmulator> {
  const requests: RecordedRequest[] = [];
  const queued: EmulatorReply[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://emulator');
      const query: Record<string, string | string[]> = {};
      for (const [key, value] of url.searchParams) {
        const existing = query[key];
        query[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
      }
      const headers: Record<string, string> = {};
      for (const [key, value] of Object.entries(req.headers)) if (value !== undefined) headers[key] = Array.isArray(value) ? value.join(', ') : value;
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const path = url.pathname;
      const routePath = prefix === undefined ? path : path.replace(new RegExp(`^${prefix.source}`), '') || '/';
      let body: unknown;
      try {
        body = parseBody(rawBody, headers['content-type'] ?? '');
      } catch {
        body = rawBody;
      }
      let reply: EmulatorReply;
      let route: EmulatorRoute | undefined;
      let params: Record<string, string> = {};
      for (const candidate of spec.routes) {
        const matched = candidate.method === req.method ? matchRoute(candidate.path, routePath) : undefined;
        if (matched !== undefined) {
          route = candidate;
          params = matched;
          break;
        }
      }
      const recorded: RecordedRequest = { method: req.method ?? 'GET', path, query, headers, body, rawBody, params };
      requests.push(recorded);
      const next = queued.shift();
      if (next !== undefined) reply = next;
      else if (spec.authorized !== undefined && !spec.authorized(recorded)) reply = spec.unauthorized ?? { status: 401, json: { error: 'unauthorized' } };
      else if (route === undefined) reply = { status: 404, json: { error: `emulator ${spec.name}: no route ${req.method} ${routePath}` } };
      else reply = route.reply(recorded);
      const status = reply.status ?? 200;
      const text = reply.text ?? (reply.json === undefined ? '' : JSON.stringify(reply.json));
      res.writeHead(status, { ...(reply.json !== undefined ? { 'content-type': 'application/json; charset=utf-8' } : reply.text !== undefined ? { 'content-type': 'text/plain' } : {}), ...reply.headers });
      res.end(status === 204 || status === 304 ? undefined : text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    last() {
      const request = requests.at(-1);
      if (request === undefined) throw new Error(`emulator ${spec.name} received no request`);
      return request;
    },
    enqueue(...replies) {
      queued.push(...replies);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
