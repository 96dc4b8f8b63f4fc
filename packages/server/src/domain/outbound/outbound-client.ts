/**
 * @module The hot-path outbound client of tool execution and the API proxy. Same guarantees as
 * safe-fetch.ts (SEC-16: the shared connect-time address guard of address-guard.ts, no redirects,
 * a total deadline, a body cap; corporate proxies and an extra CA bundle) at a fraction of fetch's
 * CPU per call: requests go straight to undici's `dispatch` with one small handler object that
 * collects the body into a Buffer, with no WHATWG Request/Response/stream objects, AbortController
 * or per-request closures in between (the proxy's throughput is bounded by its own CPU per request).
 *
 * - Connections are kept alive in a pool per upstream origin (`connectionsPerOrigin`).
 * - A 3xx is returned as is: nothing ever follows a Location header.
 * - Errors are `OutboundError`s whose messages name at most the host (never the URL, its query or a
 *   header: they carry tokens). The caller's own abort rejects with the signal's reason, unchanged.
 * - Response headers: lower-case names; a repeated header is joined with ', '. `set-cookie` is
 *   dropped: the gateway holds the upstream credential, so upstream cookies are not its callers'
 *   business, and several cookies cannot be joined into one header value safely.
 */
import type { LookupFunction } from 'node:net';
import type { Dispatcher } from 'undici';
import { createGuardedNetwork, OutboundError, toOutboundError } from './address-guard.ts';

export interface OutboundRequest {
  /** Absolute http(s) URL. */
  readonly url: string;
  /** Upper case. */
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array | undefined;
  /** Deadline of the whole exchange, connection and body included. */
  readonly timeoutMs: number;
  /** Body cap in bytes; exceeding it (announced or streamed) → OutboundError('response_too_large'). */
  readonly maxResponseBytes: number;
  readonly signal?: AbortSignal | undefined;
}

export interface OutboundResponse {
  readonly status: number;
  /** Lower-case names; repeated headers joined with ', '; `set-cookie` dropped. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

export interface OutboundClientOptions {
  /** AGENTGATE_ALLOW_PRIVATE_UPSTREAMS: allow private addresses and plain http. */
  readonly allowPrivate: boolean;
  /** Sent when the request has no User-Agent. */
  readonly userAgent?: string;
  /** DNS resolver (test injection, as in safe-fetch); its answers go through the address check. */
  readonly lookup?: LookupFunction;
  /** PEM text (already read from AGENTGATE_EXTRA_CA_CERTS's file) trusted on top of the default issuers. */
  readonly extraCaCerts?: string | undefined;
  /** Where HTTPS_PROXY/https_proxy, HTTP_PROXY/http_proxy and NO_PROXY/no_proxy are read. Default `process.env`. */
  readonly proxyEnv?: Readonly<Record<string, string | undefined>>;
  /** Keep-alive pool size per upstream origin. Default 64. */
  readonly connectionsPerOrigin?: number;
}

export interface OutboundClient {
  request(request: OutboundRequest): Promise<OutboundResponse>;
  close(): Promise<void>;
}

/** RFC 9110 token: method and header names. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Header values: no control characters except tab (so no CR, LF or NUL), as undici enforces. */
const BAD_VALUE = /[^\t\x20-\x7e\x80-\xff]/;
/** Request headers undici refuses or manages itself; refused up front, the same way on every route. */
const REFUSED_HEADERS = new Set(['transfer-encoding', 'keep-alive', 'upgrade', 'expect', 'proxy-authorization']);

function badHeader(host: string, what: string): OutboundError {
  return new OutboundError('bad_header', `Refused request to ${host}: ${what}.`);
}

/** The headers to send (a fresh object: undici's ProxyAgent adds `host` to it), or the reason to refuse. */
function outgoingHeaders(host: string, given: Readonly<Record<string, string>>, userAgent: string | undefined): Record<string, string> | OutboundError {
  const headers: Record<string, string> = {};
  let hasUserAgent = false;
  for (const name of Object.keys(given)) {
    const value = given[name];
    if (typeof value !== 'string') return badHeader(host, 'a header value is not a string');
    // The name is only shown when it is a clean token; values are never shown.
    if (!TOKEN.test(name)) return badHeader(host, 'a header name is not a valid HTTP token (CR, LF, NUL, space...)');
    if (BAD_VALUE.test(value)) return badHeader(host, `the ${name} header contains a control character (CR, LF or NUL)`);
    const lower = name.toLowerCase();
    if (REFUSED_HEADERS.has(lower)) return badHeader(host, `the ${lower} header is managed by the gateway and may not be set`);
    if (lower === 'connection' && !value.split(',').every((token) => TOKEN.test(token.trim()))) return badHeader(host, 'invalid connection header');
    if (lower === 'content-length' && !/^\d+$/.test(value)) return badHeader(host, 'invalid content-length header');
    if (lower === 'user-agent') hasUserAgent = true;
    headers[name] = value;
  }
  if (!hasUserAgent && userAgent !== undefined) headers['user-agent'] = userAgent;
  return headers;
}

/** Statuses without a body, whatever Content-Length says. */
const NO_BODY = new Set([204, 304]);

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (value === undefined || name === 'set-cookie') continue;
    flat[name] = typeof value === 'string' ? value : value.join(', ');
  }
  return flat;
}

function onDeadline(exchange: Exchange): void {
  exchange.fail(new OutboundError('timeout', `${exchange.host} did not complete its answer within ${exchange.timeoutMs} ms.`));
}

/**
 * One request/response: undici's handler (new-style `onRequestStart`... API) and the promise's
 * settlement in one object. It settles exactly once; whatever undici reports afterwards is ignored.
 * An abort (deadline, cap, caller) that comes before undici handed over its controller is kept and
 * applied the moment it does, so a queued or still-connecting request is dropped too.
 */
class Exchange implements Dispatcher.DispatchHandler {
  settled = false;
  private controller: Dispatcher.DispatchController | undefined;
  private pendingAbort: Error | undefined;
  private status = 0;
  private headers: Record<string, string | string[] | undefined> = {};
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    readonly host: string,
    readonly timeoutMs: number,
    private readonly maxBytes: number,
    private readonly head: boolean,
    private readonly signal: AbortSignal | undefined,
    private readonly resolve: (response: OutboundResponse) => void,
    private readonly reject: (error: unknown) => void,
  ) {
    this.timer = setTimeout(onDeadline, timeoutMs, this);
    signal?.addEventListener('abort', this);
  }

  /** The caller's signal (EventListener object form: no closure per request). */
  handleEvent(): void {
    const reason: unknown = this.signal?.reason;
    this.fail(reason instanceof Error ? reason : new Error('The request was aborted.', { cause: reason }), reason);
  }

  /** Settles with `error` (or `rejectWith`) and stops the exchange wherever it is. */
  fail(error: Error, rejectWith: unknown = error): void {
    if (this.settled) return;
    this.finish();
    this.reject(rejectWith);
    if (this.controller === undefined) this.pendingAbort = error;
    else if (!this.controller.aborted) this.controller.abort(error);
  }

  private finish(): void {
    this.settled = true;
    clearTimeout(this.timer);
    this.signal?.removeEventListener('abort', this);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.pendingAbort !== undefined) controller.abort(this.pendingAbort);
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[] | undefined>): void {
    if (statusCode < 200 || this.settled) return; // 1xx: informational, the real answer follows
    this.status = statusCode;
    this.headers = headers;
    const declared = headers['content-length'];
    if (!this.head && !NO_BODY.has(statusCode) && typeof declared === 'string' && Number(declared) > this.maxBytes) {
      this.fail(new OutboundError('response_too_large', `${this.host} announced a ${declared}-byte response; the limit is ${this.maxBytes} bytes.`));
    }
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.settled) return;
    this.size += chunk.length;
    if (this.size > this.maxBytes) {
      this.fail(new OutboundError('response_too_large', `The response from ${this.host} exceeded ${this.maxBytes} bytes.`));
      return;
    }
    this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    if (this.settled) return;
    this.finish();
    const response: OutboundResponse = { status: this.status, headers: flattenHeaders(this.headers), body: Buffer.concat(this.chunks, this.size) };
    // undici gives a kept-alive socket back to its pool one event-loop turn after the response ends
    // (setImmediate, queued right after this call). Answering after it lets the caller's next request
    // reuse that socket instead of opening another connection (and TLS handshake) next to it.
    queueMicrotask(() => setImmediate(this.resolve, response));
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, error: Error): void {
    if (this.settled) return;
    this.finish();
    this.reject(toOutboundError(error, this.host));
  }
}

function send(dispatcher: Dispatcher, options: Dispatcher.DispatchOptions, exchange: Exchange): void {
  if (exchange.settled) return; // the deadline or the caller ended it while the proxy pre-check ran
  try {
    dispatcher.dispatch(options, exchange);
  } catch (error) {
    // ProxyAgent validates some options outside undici's usual onError path.
    exchange.fail(toOutboundError(error, exchange.host));
  }
}

/**
 * Builds the client. It owns its connection pools (and, with a proxy configured, a ProxyAgent per
 * proxy); call `close()` on shutdown. Throws at once when HTTPS_PROXY/HTTP_PROXY is not an http(s)
 * URL or `extraCaCerts` holds no PEM certificate.
 */
export function createOutboundClient(options: OutboundClientOptions): OutboundClient {
  const { allowPrivate, userAgent } = options;
  const network = createGuardedNetwork({
    allowPrivate,
    lookup: options.lookup,
    extraCaCerts: options.extraCaCerts,
    proxyEnv: options.proxyEnv,
    connectionsPerOrigin: options.connectionsPerOrigin ?? 64,
  });

  function request(outbound: OutboundRequest): Promise<OutboundResponse> {
    let url: URL;
    try {
      url = new URL(outbound.url);
    } catch {
      return Promise.reject(new OutboundError('bad_scheme', 'The outbound URL is not a valid absolute URL.'));
    }
    const host = url.host;
    if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) {
      return Promise.reject(
        new OutboundError('bad_scheme', `Refused ${url.protocol.slice(0, -1)} request to ${host}: only https${allowPrivate ? ' and http are' : ' is'} allowed${allowPrivate ? '' : ' unless AGENTGATE_ALLOW_PRIVATE_UPSTREAMS=true'}.`),
      );
    }
    if (url.username !== '' || url.password !== '') {
      return Promise.reject(new OutboundError('bad_scheme', `Refused request to ${url.hostname}: credentials in the URL are not allowed.`));
    }
    if (!TOKEN.test(outbound.method)) return Promise.reject(badHeader(host, 'the method is not a valid HTTP token'));
    const headers = outgoingHeaders(host, outbound.headers, userAgent);
    if (headers instanceof OutboundError) return Promise.reject(headers);
    const { signal } = outbound;
    if (signal?.aborted) return Promise.reject(signal.reason);

    return new Promise<OutboundResponse>((resolve, reject) => {
      const exchange = new Exchange(host, outbound.timeoutMs, outbound.maxResponseBytes, outbound.method === 'HEAD', signal, resolve, reject);
      const dispatchOptions: Dispatcher.DispatchOptions = {
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: outbound.method as Dispatcher.HttpMethod,
        headers,
        body: outbound.body ?? null,
      };
      let route: Dispatcher | Promise<Dispatcher>;
      try {
        route = network.dispatcherFor(url);
      } catch (error) {
        exchange.fail(toOutboundError(error, host));
        return;
      }
      if (route instanceof Promise) {
        route.then(
          (dispatcher) => send(dispatcher, dispatchOptions, exchange),
          (error: unknown) => exchange.fail(toOutboundError(error, host)),
        );
      } else {
        send(route, dispatchOptions, exchange);
      }
    });
  }

  return { request, close: () => network.close() };
}
