/**
 * @module Where the gateway may send a browser after the provider (the developer's `user_verify_url`).
 * Exact origin match against the environment's allow-list; anything ambiguous is refused, because an
 * open redirect here would hand a freshly authorized user to an attacker's page.
 */
import { GatewayError } from '../../errors.ts';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function refuse(url: string, why: string): GatewayError {
  return new GatewayError('invalid_redirect_url', `user_verify_url ${JSON.stringify(url.slice(0, 200))} is refused: ${why}.`, {
    details: { issues: [{ path: 'user_verify_url', message: why }] },
  });
}

/**
 * Returns the URL, normalised, when it may be used; throws `invalid_redirect_url` otherwise.
 * @example assertAllowedRedirect('https://app.example.com/verify', ['https://app.example.com'], false)
 */
export function assertAllowedRedirect(raw: string, allowedOrigins: readonly string[], allowLoopback: boolean): string {
  // Browsers strip tabs and newlines and treat "\" as "/": strings that mean different things to
  // different parsers are refused outright instead of guessing which one the browser will pick.
  if (/[\s\\\u0000-\u001f\u007f]/.test(raw)) throw refuse(raw, 'it contains whitespace, control characters or backslashes');
  if (raw.length > 2048) throw refuse(raw, 'it is longer than 2048 characters');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refuse(raw, 'it is not an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw refuse(raw, 'only http(s) URLs are allowed');
  if (url.username !== '' || url.password !== '') throw refuse(raw, 'it carries credentials');
  if (!raw.toLowerCase().startsWith(`${url.protocol}//`)) throw refuse(raw, 'it is not in the form scheme://host/path');
  if (url.hostname.endsWith('.')) throw refuse(raw, 'its host ends with a dot');
  if (url.hash !== '') throw refuse(raw, 'it has a fragment');
  if (allowedOrigins.includes(url.origin)) return url.toString();
  if (allowLoopback && LOOPBACK_HOSTS.has(url.hostname)) return url.toString();
  throw refuse(raw, `its origin ${url.origin} is not in allowed_redirect_origins (PATCH /api/v1/settings)`);
}
