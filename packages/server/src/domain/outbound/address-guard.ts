/**
 * @module The SSRF guard (SEC-16) shared by both outbound clients, safe-fetch.ts (`fetch`-shaped,
 * for OAuth and credential checks) and outbound-client.ts (the hot path of tools and the API proxy):
 * one address classification, one guarded DNS lookup, one guarded connector, one proxy pre-check and
 * one mapping of transport failures to `OutboundError`.
 *
 * The destination is checked where it cannot be spoofed: on the IP address the socket is about to
 * connect to, inside undici's connector (IP literals) and its DNS `lookup` (names). A check on the
 * URL string alone is bypassed by DNS rebinding, by names like `foo.localhost` or a record pointing
 * at 10.0.0.1, and by numeric spellings such as `0x7f000001`.
 *
 * Through a corporate proxy (HTTPS_PROXY / HTTP_PROXY) the proxy opens the connection, so the check
 * cannot sit at connect time: the destination is resolved here with the same guarded lookup (or the
 * literal checked) before the request is handed to the proxy, and a blocked answer refuses it. The
 * proxy then resolves the name again on its own; a name that changes its answer between the two
 * lookups (DNS rebinding) is the residual risk of that mode, which only the proxy's own rules close.
 */
import * as dns from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { Agent, buildConnector, ProxyAgent, type Dispatcher } from 'undici';
import { isCertificateCode, isTlsHandshakeCode, proxyFor, readProxySettings, trustContext } from './network-options.ts';

/** Why an outbound request did not happen or did not complete. */
export type OutboundErrorReason = 'blocked_address' | 'bad_scheme' | 'bad_header' | 'timeout' | 'response_too_large' | 'tls' | 'network';

/**
 * A refused or failed outbound request. The message names at most the host: never the full URL
 * (query strings carry tokens), a header or a credential, so it is safe to log and to return.
 */
export class OutboundError extends Error {
  override readonly name = 'OutboundError';
  readonly reason: OutboundErrorReason;
  /** Low-level error code when there is one (`ECONNREFUSED`, `ENOTFOUND`, `CERT_HAS_EXPIRED`...), for diagnostics. */
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

/** What a host name or literal is known to be before any DNS: a blocked kind, or undefined (public literal, or a name to resolve). */
function literalKind(hostname: string): Kind | undefined {
  const bare = hostname.replace(/^\[|\]$/g, '');
  if (isIP(bare) !== 0) return blockedAddressKind(bare);
  return isLocalHostname(bare) ? 'loopback' : undefined;
}

export function blockedAddressError(host: string, kind: string): OutboundError {
  return new OutboundError(
    'blocked_address',
    `Refused to connect to ${host} (${kind} address). Outbound requests only go to public addresses unless the gateway runs with AGENTGATE_ALLOW_PRIVATE_UPSTREAMS=true.`,
  );
}

// ---------------------------------------------------------------------------------------------
// Guarded lookup, connector and dispatchers

const systemLookup: LookupFunction = (host, options, callback) => dns.lookup(host, options, callback as never);

/**
 * `lookup` that refuses names with any non-public answer (unless `allowPrivate`). Node's net calls
 * it for names (never for IP literals) and connects to what it returns, so the check and the
 * connection see the same answer: a second DNS answer cannot slip in between.
 */
export function createGuardedLookup(allowPrivate: boolean, base: LookupFunction = systemLookup): LookupFunction {
  if (allowPrivate) return base;
  return (hostname, lookupOptions, callback) => {
    base(hostname, lookupOptions, (error, address, family) => {
      if (error !== null) {
        callback(error, address, family);
        return;
      }
      const addresses = Array.isArray(address) ? address.map((a) => a.address) : [address];
      // One bad address refuses the name: a record mixing public and private answers is an attack.
      const kind = addresses.map(blockedAddressKind).find((k) => k !== undefined);
      if (kind !== undefined) callback(blockedAddressError(hostname, kind), '', 0);
      else callback(null, address, family);
    });
  };
}

export interface GuardedNetworkOptions {
  /** AGENTGATE_ALLOW_PRIVATE_UPSTREAMS: no address checks at all. */
  readonly allowPrivate: boolean;
  /** DNS resolver, `dns.lookup` by default; tests inject one. Its answers go through the address check. */
  readonly lookup?: LookupFunction | undefined;
  /** PEM text trusted on top of the default issuers, for direct and proxied TLS alike. */
  readonly extraCaCerts?: string | undefined;
  /** Where HTTPS_PROXY / HTTP_PROXY / NO_PROXY are read; `process.env` by default. */
  readonly proxyEnv?: Readonly<Record<string, string | undefined>> | undefined;
  /** Keep-alive connections per upstream origin (undici's default when unset: unlimited). */
  readonly connectionsPerOrigin?: number | undefined;
  /** TCP + TLS connect timeout. Default 10 s. */
  readonly connectTimeoutMs?: number | undefined;
}

export interface GuardedNetwork {
  /**
   * The dispatcher `url` goes through. Direct: at once (the checks run at connect time). Through a
   * proxy without allowPrivate: once the destination resolved to public addresses only; rejects
   * with `OutboundError('blocked_address')` (or a `network` error when the name does not resolve).
   */
  dispatcherFor(url: URL): Dispatcher | Promise<Dispatcher>;
  close(): Promise<void>;
}

/**
 * The connection pools of one client: a guarded direct Agent, and a ProxyAgent per configured proxy.
 * The proxy's own address is not checked (the operator chose it, and it is usually private); only
 * the destinations handed to it are.
 */
export function createGuardedNetwork(options: GuardedNetworkOptions): GuardedNetwork {
  const { allowPrivate, connectionsPerOrigin, connectTimeoutMs = 10_000 } = options;
  const lookup = createGuardedLookup(allowPrivate, options.lookup);
  const secureContext = trustContext(options.extraCaCerts);
  const tlsOptions = secureContext === undefined ? {} : { secureContext };
  const pool = connectionsPerOrigin === undefined ? {} : { connections: connectionsPerOrigin };

  const connect = buildConnector({ ...tlsOptions, lookup, timeout: connectTimeoutMs });
  const direct = new Agent({
    ...pool,
    connect: (connectOptions, callback) => {
      // IP literals never reach `lookup`, so they are checked here, still right before connecting.
      const kind = allowPrivate ? undefined : literalKind(connectOptions.hostname);
      if (kind !== undefined) {
        callback(blockedAddressError(connectOptions.hostname, kind), null);
        return;
      }
      connect(connectOptions, callback);
    },
  });

  const settings = readProxySettings(options.proxyEnv ?? process.env);
  const proxies = new Map<string, ProxyAgent>();
  for (const proxy of [settings.https, settings.http]) {
    if (proxy === undefined || proxies.has(proxy.href)) continue;
    proxies.set(
      proxy.href,
      new ProxyAgent({
        uri: proxy.href, // credentials in it become Proxy-Authorization: Basic
        ...pool,
        // http:// destinations are sent to an http proxy in absolute-URI form (what corporate proxies
        // expect); https:// destinations always go through a CONNECT tunnel, TLS end to end.
        proxyTunnel: false,
        requestTls: { ...tlsOptions, timeout: connectTimeoutMs },
        proxyTls: { ...tlsOptions, timeout: connectTimeoutMs },
      }),
    );
  }

  /** The pre-check of the proxied route (see the module comment for what it cannot cover). */
  const checkDestination = (url: URL, agent: ProxyAgent): Dispatcher | Promise<Dispatcher> => {
    const kind = literalKind(url.hostname);
    if (kind !== undefined) return Promise.reject(blockedAddressError(url.hostname, kind));
    const bare = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(bare) !== 0) return agent; // a public literal: nothing to resolve
    return new Promise((resolve, reject) => {
      lookup(bare, { all: true }, (error) => (error === null ? resolve(agent) : reject(error)));
    });
  };

  return {
    dispatcherFor(url) {
      const proxy = proxies.size === 0 ? undefined : proxyFor(settings, url);
      const agent = proxy === undefined ? undefined : proxies.get(proxy.href);
      if (agent === undefined) return direct;
      return allowPrivate ? agent : checkDestination(url, agent);
    },
    async close() {
      await Promise.all([direct.close(), ...[...proxies.values()].map((agent) => agent.close())]);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Failures

function* causes(error: unknown): Generator<Error> {
  for (let e = error, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) yield e;
}

function codeIn(error: Error): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** The OutboundError along an error's cause chain (undici wraps errors, fetch in `TypeError: fetch failed`). */
export function outboundErrorIn(error: unknown): OutboundError | undefined {
  for (const e of causes(error)) if (e instanceof OutboundError) return e;
  return undefined;
}

/** The TLS failure for `host`: its message names the fix. */
export function tlsError(host: string, code: string, viaProxy = false): OutboundError {
  const where = viaProxy ? `the proxy for ${host}` : host;
  if (isCertificateCode(code)) {
    return new OutboundError(
      'tls',
      `TLS to ${where} failed (${code}): the certificate is not trusted. If a corporate proxy or private CA signs it, set AGENTGATE_EXTRA_CA_CERTS to its PEM bundle.`,
      code,
    );
  }
  return new OutboundError('tls', `TLS handshake with ${where} failed (${code}).`, code);
}

/**
 * What a transport failure means, as an OutboundError naming only `host` (the URL's host, port
 * included). OutboundErrors raised by the guard come back as they are.
 */
export function toOutboundError(error: unknown, host: string): OutboundError {
  const known = outboundErrorIn(error);
  if (known !== undefined) return known;
  const chain = [...causes(error)];
  const codes = chain.map(codeIn).filter((c): c is string => c !== undefined);
  const viaProxy = codes.includes('UND_ERR_PRX_TLS');
  const tls = codes.find(isCertificateCode) ?? codes.find(isTlsHandshakeCode);
  if (tls !== undefined) return tlsError(host, tls, viaProxy);
  const coded = chain.find((e) => codeIn(e) !== undefined);
  const code = coded === undefined ? undefined : codeIn(coded);
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return new OutboundError('timeout', `Connecting to ${host} timed out.`, code);
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return new OutboundError('timeout', `${host} did not complete its answer in time.`, code);
  // The proxy's answer to CONNECT, or its 407 to an absolute-URI request (undici's own messages).
  const proxyStatus = chain.map((e) => /Proxy response \((\d+)\)|Proxy Authentication Required \((\d+)\)/.exec(e.message)).find((m) => m !== null);
  if (proxyStatus) {
    return new OutboundError('network', `The proxy refused the request to ${host} (HTTP ${proxyStatus[1] ?? proxyStatus[2]}); check HTTPS_PROXY / HTTP_PROXY and its credentials.`, code);
  }
  // undici refusing a header, the method or the path before sending (its messages name a header at most).
  if (code === 'UND_ERR_INVALID_ARG' || code === 'UND_ERR_NOT_SUPPORTED') {
    return new OutboundError('bad_header', `Refused request to ${host}: ${coded?.message ?? 'invalid request'}.`, code);
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new OutboundError('network', `Could not resolve ${host} (${code}).`, code);
  return new OutboundError('network', `Could not reach ${host}${code === undefined ? '' : ` (${code})`}.`, code);
}
