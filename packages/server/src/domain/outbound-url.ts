/** @module Configuration-time checks of URLs the gateway will call (OAuth endpoints, API base URLs). */
import { isIP } from 'node:net';
import { GatewayError } from '../errors.ts';

/** True for loopback, private, link-local, CGNAT and unspecified addresses, and for `localhost`. */
export function isPrivateHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  const family = isIP(host);
  if (family === 4) {
    const [a = 0, b = 0] = host.split('.').map(Number);
    return a === 0 || a === 10 || a === 127 || (a === 100 && b >= 64 && b <= 127) || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
  }
  if (family === 6) {
    return host === '::' || host === '::1' || host.startsWith('fc') || host.startsWith('fd') || host.startsWith('fe80') || host.startsWith('::ffff:');
  }
  return false;
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
