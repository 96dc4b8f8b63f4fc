/** @module Configuration-time checks of URLs the gateway will call (OAuth endpoints, API base URLs). */
import { isIP } from 'node:net';
import { GatewayError } from '../errors.ts';
import { isBlockedAddress, isLocalHostname } from './outbound/safe-fetch.ts';

/**
 * True for names and address literals that must not be configured as an upstream: `localhost` and
 * `*.localhost`, and any address {@link isBlockedAddress} refuses (loopback, private, link-local,
 * CGNAT, unspecified, multicast, IPv4-mapped, unique-local...). Numeric spellings (`2130706433`,
 * `0x7f000001`) are normalised the way the WHATWG URL parser does first. Other names are not
 * resolved here: the connect-time check of the outbound fetch covers what they resolve to.
 */
export function isPrivateHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (isLocalHostname(host)) return true;
  if (isIP(host) !== 0) return isBlockedAddress(host);
  let normalised: string;
  try {
    normalised = new URL(`http://${host.includes(':') ? `[${host}]` : host}/`).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return false;
  }
  return isIP(normalised) !== 0 && isBlockedAddress(normalised);
}

/**
 * Refuses an outbound URL that is not https or points at a private address, unless private upstreams
 * are allowed (then http is accepted too). Templates like `{{domain}}` are checked after a stand-in fill.
 */
export function assertOutboundUrl(field: string, value: string, allowPrivate: boolean): string {
  let url: URL;
  try {
    url = new URL(value.replace(/\{\{\s*[a-z_]+\s*\}\}/gi, 'template'));
  } catch {
    throw new GatewayError('validation_failed', `${field} is not a URL.`, { details: { issues: [{ path: field, message: 'invalid URL' }] } });
  }
  const fix = 'use an https URL on a public host, or start the gateway with AGENTGATE_ALLOW_PRIVATE_UPSTREAMS=true for local development';
  if (url.username !== '' || url.password !== '') {
    throw new GatewayError('insecure_endpoint', `${field} must not carry credentials in the URL.`, { details: { field } });
  }
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) {
    throw new GatewayError('insecure_endpoint', `${field} must use https: ${fix}.`, { details: { field } });
  }
  if (!allowPrivate && isPrivateHost(url.hostname)) {
    throw new GatewayError('insecure_endpoint', `${field} points at a private or loopback address: ${fix}.`, { details: { field } });
  }
  return value;
}
