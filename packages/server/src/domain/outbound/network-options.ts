/**
 * @module Corporate-network settings of the outbound clients: which proxy a URL goes through
 * (HTTPS_PROXY / HTTP_PROXY / NO_PROXY, read the way curl reads them) and which certificate issuers
 * TLS trusts (the default store plus the PEM bundle of AGENTGATE_EXTRA_CA_CERTS). Pure parsing: the
 * SSRF guard that uses these lives in address-guard.ts.
 */
import { readFileSync } from 'node:fs';
import * as tls from 'node:tls';

// ---------------------------------------------------------------------------------------------
// Proxies

/** One NO_PROXY entry: a host name or address, matched with its subdomains, and optionally a port. */
interface NoProxyRule {
  readonly host: string;
  readonly port: number | undefined;
}

export interface ProxySettings {
  /** Proxy for https:// URLs (HTTPS_PROXY / https_proxy). https destinations always go through a CONNECT tunnel. */
  readonly https: URL | undefined;
  /** Proxy for http:// URLs (HTTP_PROXY / http_proxy), sent in absolute-URI form. */
  readonly http: URL | undefined;
  /** NO_PROXY / no_proxy: `*` (everything) or the hosts reached directly. */
  readonly noProxy: '*' | readonly NoProxyRule[];
}

/** The value of `lower` or else `UPPER` (curl's and undici's order); an empty value counts as unset. */
function variable(env: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  for (const key of [name.toLowerCase(), name.toUpperCase()]) {
    const value = env[key]?.trim();
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
}

/** Parses a proxy URL; a bare `host:port` means http. The value is never echoed (it may carry a password). */
function proxyUrl(name: string, value: string | undefined): URL | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
  } catch {
    throw new Error(`${name} is not a valid proxy URL (expected http://host:port or https://host:port).`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`${name} uses ${url.protocol.slice(0, -1)}; only http:// and https:// proxies are supported.`);
  }
  return url;
}

/** Lower case, without brackets around IPv6 literals, a trailing root dot or a leading `*.` / `.`. */
function normalHost(host: string): string {
  return host
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '')
    .replace(/^\*?\./, '');
}

function noProxyRules(value: string | undefined): '*' | NoProxyRule[] {
  const rules: NoProxyRule[] = [];
  for (const entry of (value ?? '').split(/[\s,]+/)) {
    if (entry === '') continue;
    if (entry === '*') return '*';
    // `[v6]:port`, `host:port`, a bare IPv6 address (two colons or more), or a bare host.
    const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
    const withPort = bracketed === null ? /^([^:]+):(\d+)$/.exec(entry) : null;
    const host = bracketed?.[1] ?? withPort?.[1] ?? entry;
    const port = bracketed?.[2] ?? withPort?.[2];
    const normal = normalHost(host);
    if (normal !== '') rules.push({ host: normal, port: port === undefined ? undefined : Number(port) });
  }
  return rules;
}

/**
 * Reads HTTPS_PROXY / https_proxy, HTTP_PROXY / http_proxy and NO_PROXY / no_proxy (lower case wins
 * when both are set, as in curl). Throws when a proxy variable is not an http(s) URL, so a typo does
 * not silently bypass the proxy. HTTP_PROXY is not used for https URLs (curl's rule).
 */
export function readProxySettings(env: Readonly<Record<string, string | undefined>>): ProxySettings {
  return {
    https: proxyUrl('HTTPS_PROXY', variable(env, 'https_proxy')),
    http: proxyUrl('HTTP_PROXY', variable(env, 'http_proxy')),
    noProxy: noProxyRules(variable(env, 'no_proxy')),
  };
}

/**
 * True when NO_PROXY says `url` goes direct: `*`; or an entry equal to the host, or a domain the
 * host is in (`example.com`, `.example.com` and `*.example.com` all match example.com and
 * api.example.com, not notexample.com); with `:port`, only on that port. IP addresses match
 * exactly (no CIDR ranges).
 */
export function bypassesProxy(settings: Pick<ProxySettings, 'noProxy'>, url: URL): boolean {
  if (settings.noProxy === '*') return true;
  if (settings.noProxy.length === 0) return false;
  const host = normalHost(url.hostname);
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  return settings.noProxy.some((rule) => (rule.port === undefined || rule.port === port) && (host === rule.host || host.endsWith(`.${rule.host}`)));
}

/** The proxy `url` goes through, or undefined for a direct connection. */
export function proxyFor(settings: ProxySettings, url: URL): URL | undefined {
  const proxy = url.protocol === 'https:' ? settings.https : url.protocol === 'http:' ? settings.http : undefined;
  return proxy === undefined || bypassesProxy(settings, url) ? undefined : proxy;
}

// ---------------------------------------------------------------------------------------------
// Trust store

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;

/**
 * Reads the PEM bundle AGENTGATE_EXTRA_CA_CERTS names, at start. Throws a message naming the
 * variable when the file cannot be read or holds no PEM certificate.
 */
export function readExtraCaCerts(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new Error(`AGENTGATE_EXTRA_CA_CERTS: cannot read ${path}${typeof code === 'string' ? ` (${code})` : ''}.`);
  }
  if (!PEM_CERTIFICATE.test(text)) throw new Error(`AGENTGATE_EXTRA_CA_CERTS: ${path} holds no PEM certificate (-----BEGIN CERTIFICATE-----).`);
  return text;
}

/** Built once per bundle: a context with ~150 roots takes ~30 ms of CPU, far too much per connection. */
const contexts = new Map<string, tls.SecureContext>();

/**
 * A TLS context trusting the default issuers plus `extraCaCerts` (PEM text, one or more
 * certificates), or undefined to keep Node's default. The defaults are `tls.getCACertificates('default')`
 * where Node has it (22.15+: bundled roots, NODE_EXTRA_CA_CERTS, --use-system-ca), else
 * `tls.rootCertificates` (the bundled Mozilla roots only: on Node 20, NODE_EXTRA_CA_CERTS is then
 * not part of the outbound trust store, so put everything in the one bundle).
 */
export function trustContext(extraCaCerts: string | undefined): tls.SecureContext | undefined {
  if (extraCaCerts === undefined || extraCaCerts.trim() === '') return undefined;
  let context = contexts.get(extraCaCerts);
  if (context === undefined) {
    if (!PEM_CERTIFICATE.test(extraCaCerts)) throw new Error('AGENTGATE_EXTRA_CA_CERTS holds no PEM certificate (-----BEGIN CERTIFICATE-----).');
    const getDefaults = (tls as { getCACertificates?: (type: 'default') => string[] }).getCACertificates;
    const defaults = typeof getDefaults === 'function' ? getDefaults('default') : tls.rootCertificates;
    context = tls.createSecureContext({ ca: [...defaults, extraCaCerts] });
    contexts.set(extraCaCerts, context);
  }
  return context;
}

// ---------------------------------------------------------------------------------------------
// TLS failure codes

/** OpenSSL's certificate verification results (as Node names them) and Node's own host-name check. */
const CERTIFICATE_CODES = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_CRL',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECRYPT_CRL_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'CERT_SIGNATURE_FAILURE',
  'CRL_SIGNATURE_FAILURE',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'CRL_NOT_YET_VALID',
  'CRL_HAS_EXPIRED',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
  'ERROR_IN_CRL_LAST_UPDATE_FIELD',
  'ERROR_IN_CRL_NEXT_UPDATE_FIELD',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_CHAIN_TOO_LONG',
  'CERT_REVOKED',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** A certificate the client did not accept (untrusted issuer, expired, wrong name...). */
export function isCertificateCode(code: string): boolean {
  return CERTIFICATE_CODES.has(code);
}

/** Any other TLS handshake failure (protocol version, alert from the server, plain http on a TLS port...). */
export function isTlsHandshakeCode(code: string): boolean {
  return code.startsWith('ERR_SSL_') || (code.startsWith('ERR_TLS_') && code !== 'ERR_TLS_CERT_ALTNAME_INVALID');
}
