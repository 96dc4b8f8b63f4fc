/**
 * @module The one door every outbound HTTP request of the gateway goes through (OAuth token
 * exchange, credential checks, the proxy, tools): SEC-16 of the security test plan.
 *
 * The destination is checked where it cannot be spoofed: on the IP address the socket is about to
 * connect to, inside undici's connector (IP literals) and its DNS `lookup` (names). A check on the
 * URL string alone is bypassed by DNS rebinding, by names like `foo.localhost` or a record pointing
 * at 10.0.0.1, and by numeric spellings such as `0x7f000001`. Redirects are never followed (a 3xx is
 * handed back as is), so a credential can never be replayed to a host the caller did not choose,
 * and every response has a total deadline and a body size cap.
 *
 * The guard itself (classification, guarded lookup and connector, the proxy pre-check) is
 * address-guard.ts, shared with outbound-client.ts, the leaner client of the tool/proxy hot path.
 * Corporate networks: HTTPS_PROXY / HTTP_PROXY / NO_PROXY are honoured, with the destination
 * checked before it is handed to the proxy (the proxy resolves it again: DNS rebinding between the
 * two lookups is the residual risk of that mode), and AGENTGATE_EXTRA_CA_CERTS adds trusted issuers.
 */
import type { LookupFunction } from 'node:net';
import { fetch as undiciFetch, type Dispatcher, type RequestInit as UndiciRequestInit } from 'undici';
import { createGuardedNetwork, OutboundError, outboundErrorIn, toOutboundError } from './address-guard.ts';

// Other modules import these from here; the one implementation lives in address-guard.ts.
export { blockedAddressKind, isBlockedAddress, isLocalHostname, OutboundError, type OutboundErrorReason } from './address-guard.ts';

// ---------------------------------------------------------------------------------------------
// The fetch

export interface SafeFetchOptions {
  /** AGENTGATE_ALLOW_PRIVATE_UPSTREAMS: allow private addresses and plain http (development and tests only). */
  readonly allowPrivate: boolean;
  /** Deadline for the whole exchange, body included (slowloris upstreams). Default 15 s. */
  readonly timeoutMs?: number;
  /** Response body cap in bytes. Default 5 MiB. */
  readonly maxResponseBytes?: number;
  /** Sent when the caller sets no User-Agent. */
  readonly userAgent?: string;
  /**
   * DNS resolver, `dns.lookup` by default. Tests inject one to simulate names that resolve to
   * private or rebinding addresses; its answers go through the same address check.
   */
  readonly lookup?: LookupFunction;
  /** PEM text (already read from AGENTGATE_EXTRA_CA_CERTS's file) trusted on top of the default issuers. */
  readonly extraCaCerts?: string | undefined;
  /** Where HTTPS_PROXY/https_proxy, HTTP_PROXY/http_proxy and NO_PROXY/no_proxy are read. Default `process.env`. */
  readonly proxyEnv?: Readonly<Record<string, string | undefined>>;
}

/**
 * What every outbound caller receives: exactly `fetch`'s signature, so it drops into oauth4webapi's
 * `customFetch` and into `typeof fetch` slots. A `Request` input is unpacked into URL + init.
 */
export type SafeFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

const MiB = 1024 * 1024;
/** Statuses whose Response may not have a body. */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/** Settles with `promise`, or rejects with the signal's reason when it aborts first. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * Builds the gateway's outbound `fetch`. It owns its undici connection pools (a guarded Agent, and a
 * ProxyAgent per configured proxy); call `close()` on shutdown. The process's global dispatcher is
 * not used. With HTTPS_PROXY / HTTP_PROXY set (and the host not in NO_PROXY) requests go through the
 * proxy, which connects on our behalf: the IP check then runs on our own resolution of the name just
 * before the request is handed over, not on the proxy's (see address-guard.ts).
 */
export function createSafeFetch(options: SafeFetchOptions): SafeFetch & { close(): Promise<void> } {
  const { allowPrivate, timeoutMs = 15_000, maxResponseBytes = 5 * MiB, userAgent } = options;
  const network = createGuardedNetwork({
    allowPrivate,
    lookup: options.lookup,
    extraCaCerts: options.extraCaCerts,
    proxyEnv: options.proxyEnv,
    connectTimeoutMs: Math.min(timeoutMs, 10_000),
  });

  const safeFetch: SafeFetch = async (input, givenInit = {}) => {
    const init: RequestInit =
      input instanceof Request
        ? { method: input.method, headers: input.headers, body: input.body, signal: input.signal, ...(input.body === null ? {} : { duplex: 'half' }), ...givenInit }
        : givenInit;
    let url: URL;
    try {
      url = new URL(input instanceof Request ? input.url : input);
    } catch {
      throw new OutboundError('bad_scheme', 'The outbound URL is not a valid absolute URL.');
    }
    const host = url.host;
    if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) {
      throw new OutboundError('bad_scheme', `Refused ${url.protocol.slice(0, -1)} request to ${host}: only https${allowPrivate ? ' and http are' : ' is'} allowed${allowPrivate ? '' : ' unless AGENTGATE_ALLOW_PRIVATE_UPSTREAMS=true'}.`);
    }
    if (url.username !== '' || url.password !== '') {
      throw new OutboundError('bad_scheme', `Refused request to ${url.hostname}: credentials in the URL are not allowed.`);
    }

    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new OutboundError('timeout', `${host} did not complete its answer within ${timeoutMs} ms.`)), timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, deadline.signal]) : deadline.signal;
    const fail = (error: unknown): unknown => {
      clearTimeout(timer);
      const known = outboundErrorIn(deadline.signal.reason) ?? outboundErrorIn(error);
      if (known !== undefined) return known;
      if (init.signal?.aborted) return init.signal.reason ?? error; // the caller's own cancellation
      return toOutboundError(error, host);
    };

    let headers: Headers;
    try {
      headers = new Headers(init.headers); // refuses names and values with CR, LF or NUL
    } catch {
      clearTimeout(timer);
      throw new OutboundError('bad_header', `Refused request to ${host}: a header name or value is invalid (CR, LF, NUL...).`);
    }
    if (userAgent !== undefined && !headers.has('user-agent')) headers.set('user-agent', userAgent);
    let upstream: Awaited<ReturnType<typeof undiciFetch>>;
    try {
      const route = network.dispatcherFor(url);
      const dispatcher: Dispatcher = route instanceof Promise ? await untilAborted(route, signal) : route;
      upstream = await undiciFetch(url, { ...(init as unknown as UndiciRequestInit), headers: [...headers], signal, redirect: 'manual', dispatcher });
    } catch (error) {
      throw fail(error);
    }

    // A HEAD answer announces the length of a body it does not send.
    const declared = (init.method ?? 'GET').toUpperCase() === 'HEAD' ? NaN : Number(upstream.headers.get('content-length') ?? NaN);
    if (declared > maxResponseBytes) {
      const error = new OutboundError('response_too_large', `${host} announced a ${declared}-byte response; the limit is ${maxResponseBytes} bytes.`);
      deadline.abort(error);
      clearTimeout(timer);
      throw error;
    }

    let body: ReadableStream<Uint8Array> | null = null;
    if (upstream.body === null || NULL_BODY.has(upstream.status)) {
      clearTimeout(timer);
      await upstream.body?.cancel().catch(() => undefined);
    } else {
      // Counting stream: chunked or lying upstreams are cut off at the cap, and the socket with them.
      const reader = upstream.body.getReader();
      let seen = 0;
      body = new ReadableStream<Uint8Array>(
        {
          async pull(controller) {
            let chunk: Awaited<ReturnType<typeof reader.read>>;
            try {
              chunk = await reader.read();
            } catch (error) {
              controller.error(fail(error));
              return;
            }
            if (chunk.done) {
              clearTimeout(timer);
              controller.close();
              return;
            }
            seen += chunk.value.byteLength;
            if (seen > maxResponseBytes) {
              const error = new OutboundError('response_too_large', `The response from ${host} exceeded ${maxResponseBytes} bytes.`);
              clearTimeout(timer);
              deadline.abort(error);
              reader.cancel(error).catch(() => undefined);
              controller.error(error);
              return;
            }
            controller.enqueue(chunk.value);
          },
          async cancel(reason) {
            clearTimeout(timer);
            await reader.cancel(reason).catch(() => undefined);
          },
        },
        { highWaterMark: 0 },
      );
    }
    const response = new Response(body, { status: upstream.status, statusText: upstream.statusText, headers: [...upstream.headers] });
    Object.defineProperty(response, 'url', { value: upstream.url });
    return response;
  };

  return Object.assign(safeFetch, { close: () => network.close() });
}
