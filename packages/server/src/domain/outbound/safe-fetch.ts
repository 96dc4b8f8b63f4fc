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
 */
import * as dns from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { Agent, buildConnector, fetch as undiciFetch, type RequestInit as UndiciRequestInit } from 'undici';

/** Why an outbound request did not happen or did not complete. */
export type OutboundErrorReason = 'blocked_address' | 'bad_scheme' | 'timeout' | 'response_too_large' | 'network';

/**
 * A refused or failed outbound request. The message names at most the host: never the full URL
 * (query strings carry tokens), a header or a credential, so it is safe to log and to return.
 */
export class OutboundError extends Error {
  override readonly name = 'OutboundError';
  readonly reason: OutboundErrorReason;
  /** Low-level error code when there is one (`ECONNREFUSED`, `ENOTFOUND`...), for diagnostics. */
  readonly code: string | undefined;

  constructor(reason: OutboundErrorReason, message: string, code?: string) {
    super(message);
    this.reason = reason;
    this.code = code;
  }
}

// ---------------------------------------------------------------------------------------------
// Address classification

type Kind = 'unspecified' | 'loopback' | 'private' | 'link-local' | 'shared (CGNAT)' | 'multicast' | 'reserved' | 'documentation' | 'IPv4-mapped' | 'unique-local';

/** 4 or 16 bytes, or undefined when `ip` is not an address literal in the usual notation. */
function parseAddress(ip: string): number[] | undefined {
  let text = ip.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(text);
  if (family === 4) return text.split('.').map(Number);
  if (family !== 6) return undefined;
  // A trailing dotted quad (::ffff:127.0.0.1) becomes its two hex groups.
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted !== null) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [left = '', right] = text.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const head = groups(left);
  const tail = right === undefined ? [] : groups(right);
  const words = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  return words.flatMap((w) => [w >> 8, w & 0xff]);
}

const block = (cidr: string, kind: Kind) => {
  const [ip = '', bits = ''] = cidr.split('/');
  const bytes = parseAddress(ip);
  if (bytes === undefined) throw new Error(`bad CIDR ${cidr}`);
  return { bytes, bits: Number(bits), kind };
};

// Special-purpose ranges (IANA registries) that are never a provider's public API. Order matters
// for IPv6: exact addresses first, since ::/128 and ::1/128 sit inside ::/96.
const V4_BLOCKS = [
  block('0.0.0.0/8', 'unspecified'),
  block('10.0.0.0/8', 'private'),
  block('100.64.0.0/10', 'shared (CGNAT)'), // also cloud metadata (Alibaba's 100.100.100.200)
  block('127.0.0.0/8', 'loopback'),
  block('169.254.0.0/16', 'link-local'), // cloud metadata at 169.254.169.254
  block('172.16.0.0/12', 'private'),
  block('192.0.0.0/24', 'reserved'),
  block('192.0.2.0/24', 'documentation'),
  block('192.88.99.0/24', 'reserved'),
  block('192.168.0.0/16', 'private'),
  block('198.18.0.0/15', 'reserved'),
  block('198.51.100.0/24', 'documentation'),
  block('203.0.113.0/24', 'documentation'),
  block('224.0.0.0/4', 'multicast'),
  block('240.0.0.0/4', 'reserved'), // includes 255.255.255.255
];
const V6_BLOCKS = [
  block('::/128', 'unspecified'),
  block('::1/128', 'loopback'),
  block('::ffff:0:0/96', 'IPv4-mapped'), // ::ffff:127.0.0.1 reaches 127.0.0.1 on a dual-stack socket
  block('::/96', 'reserved'), // deprecated IPv4-compatible addresses
  block('::ffff:0:0:0/96', 'reserved'), // IPv4-translated (SIIT)
  block('64:ff9b:1::/48', 'reserved'), // local-use NAT64
  block('100::/64', 'reserved'), // discard-only
  block('2001::/32', 'reserved'), // Teredo: tunnels to an arbitrary IPv4 address
  block('2001:db8::/32', 'documentation'),
  block('3fff::/20', 'documentation'),
  block('fc00::/7', 'unique-local'), // includes AWS's IPv6 metadata fd00:ec2::254
  block('fe80::/10', 'link-local'),
  block('fec0::/10', 'private'), // deprecated site-local
  block('ff00::/8', 'multicast'),
];

const NAT64 = block('64:ff9b::/96', 'reserved');

function inBlock(bytes: readonly number[], range: { bytes: readonly number[]; bits: number }): boolean {
  for (let bit = 0; bit < range.bits; bit += 8) {
    const take = Math.min(8, range.bits - bit);
    const mask = (0xff << (8 - take)) & 0xff;
    if (((bytes[bit / 8] ?? 0) & mask) !== ((range.bytes[bit / 8] ?? 0) & mask)) return false;
  }
  return true;
}

/** What kind of non-public address `ip` is, or undefined for a public one. Non-addresses are `reserved` (fail closed). */
export function blockedAddressKind(ip: string): Kind | undefined {
  const bytes = parseAddress(ip);
  if (bytes === undefined) return 'reserved';
  if (bytes.length === 4) return V4_BLOCKS.find((range) => inBlock(bytes, range))?.kind;
  const listed = V6_BLOCKS.find((range) => inBlock(bytes, range))?.kind;
  if (listed !== undefined) return listed;
  // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) embed an IPv4 address the packet ends up at.
  if (inBlock(bytes, NAT64)) return blockedAddressKind(bytes.slice(12).join('.'));
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return blockedAddressKind(bytes.slice(2, 6).join('.'));
  return undefined;
}

/**
 * True when `ip` (an IPv4 or IPv6 literal, brackets and zone allowed) must not be connected to
 * without AGENTGATE_ALLOW_PRIVATE_UPSTREAMS: loopback, RFC 1918, link-local, CGNAT, unspecified,
 * multicast, IPv4-mapped IPv6, unique-local and other special-purpose ranges. Anything that is not
 * an address literal counts as blocked. Numeric host spellings (`2130706433`, `0x7f000001`) are
 * normalised to dotted quads by the WHATWG URL parser before they get here.
 */
export function isBlockedAddress(ip: string): boolean {
  return blockedAddressKind(ip) !== undefined;
}

/** `localhost`, `*.localhost` (RFC 6761: always loopback), with or without the trailing root dot. */
export function isLocalHostname(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return host === 'localhost' || host.endsWith('.localhost');
}

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
}

/**
 * What every outbound caller receives: exactly `fetch`'s signature, so it drops into oauth4webapi's
 * `customFetch` and into `typeof fetch` slots. A `Request` input is unpacked into URL + init.
 */
export type SafeFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

const MiB = 1024 * 1024;
/** Statuses whose Response may not have a body. */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

function blocked(host: string, kind: string): OutboundError {
  return new OutboundError(
    'blocked_address',
    `Refused to connect to ${host} (${kind} address). Outbound requests only go to public addresses unless the gateway runs with AGENTGATE_ALLOW_PRIVATE_UPSTREAMS=true.`,
  );
}

/** The first `code` along an error's cause chain (undici wraps socket errors in `TypeError: fetch failed`). */
function codeOf(error: unknown): string | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

function outboundIn(error: unknown): OutboundError | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    if (e instanceof OutboundError) return e;
  }
  return undefined;
}

/**
 * Builds the gateway's outbound `fetch`. It owns an undici Agent (connection pool); call `close()`
 * on shutdown. The process's global dispatcher and any *_PROXY variables are deliberately not used:
 * a proxy would connect on our behalf and the IP check would see the proxy, not the destination.
 */
export function createSafeFetch(options: SafeFetchOptions): SafeFetch & { close(): Promise<void> } {
  const { allowPrivate, timeoutMs = 15_000, maxResponseBytes = 5 * MiB, userAgent } = options;
  const baseLookup: LookupFunction = options.lookup ?? ((host, opts, cb) => dns.lookup(host, opts, cb as never));

  // Node's net calls this for names (never for IP literals) and connects to what it returns, so the
  // check and the connection see the same answer: a second DNS answer cannot slip in between.
  const guardedLookup: LookupFunction = (hostname, lookupOptions, callback) => {
    baseLookup(hostname, lookupOptions, (error, address, family) => {
      if (error !== null || allowPrivate) {
        callback(error, address, family);
        return;
      }
      const addresses = Array.isArray(address) ? address.map((a) => a.address) : [address];
      // One bad address refuses the name: a record mixing public and private answers is an attack.
      const kind = addresses.map(blockedAddressKind).find((k) => k !== undefined);
      if (kind !== undefined) callback(blocked(hostname, kind), '', 0);
      else callback(null, address, family);
    });
  };
  const connect = buildConnector({ lookup: guardedLookup, timeout: Math.min(timeoutMs, 10_000) });
  const agent = new Agent({
    connect: (connectOptions, callback) => {
      // IP literals never reach `lookup`, so they are checked here, still right before connecting.
      const host = connectOptions.hostname;
      if (!allowPrivate) {
        const kind = isIP(host) !== 0 ? blockedAddressKind(host) : isLocalHostname(host) ? 'loopback' : undefined;
        if (kind !== undefined) {
          callback(blocked(host, kind), null);
          return;
        }
      }
      connect(connectOptions, callback);
    },
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
      const known = outboundIn(deadline.signal.reason) ?? outboundIn(error);
      if (known !== undefined) return known;
      if (init.signal?.aborted) return init.signal.reason ?? error; // the caller's own cancellation
      const code = codeOf(error);
      if (code === 'UND_ERR_CONNECT_TIMEOUT') return new OutboundError('timeout', `Connecting to ${host} timed out.`, code);
      return new OutboundError('network', `Could not reach ${host}${code === undefined ? '' : ` (${code})`}.`, code);
    };

    const headers = new Headers(init.headers);
    if (userAgent !== undefined && !headers.has('user-agent')) headers.set('user-agent', userAgent);
    let upstream: Awaited<ReturnType<typeof undiciFetch>>;
    try {
      upstream = await undiciFetch(url, { ...(init as unknown as UndiciRequestInit), headers: [...headers], signal, redirect: 'manual', dispatcher: agent });
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

  return Object.assign(safeFetch, { close: () => agent.close() });
}
