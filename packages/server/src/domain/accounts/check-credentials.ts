/**
 * @module Live check of static credentials (API keys, basic auth) before they are stored: one
 * read-only request per the connector's `api.check`, so a mistyped key is reported on the form
 * instead of at the agent's first tool call.
 *
 * The request goes through the caller's outbound fetch (the SSRF-guarded one in production), so a
 * host field of `127.0.0.1` or a DNS name pointing inside the network is refused before any byte is
 * sent (ATK-35). Nothing here logs, and no result carries the credential or the request headers.
 */
import type { Connector } from '../../catalog/connector-schema.ts';
import type { ApiConfig } from '../model.ts';
import { applyCredentials } from '../outbound/credential-request.ts';
import { OutboundError, type SafeFetch } from '../outbound/safe-fetch.ts';

export type CredentialCheckResult =
  | { readonly ok: true }
  | {
      readonly ok: false;
      /** `rejected`: the provider said no, the user should fix the values. `unreachable`: try again later. */
      readonly reason: 'rejected' | 'unreachable';
      readonly status?: number;
      /** Plain sentence for the end user; names the provider and the status, never a credential. */
      readonly message: string;
    };

export interface CheckStaticCredentialsInput {
  readonly connector: Connector;
  /** The form's values, already validated against the connector's fields. */
  readonly fields: Readonly<Record<string, string>>;
  /** The connection's and account's `api_config`, merged (account wins). */
  readonly apiConfig?: ApiConfig | undefined;
  /** The gateway's outbound fetch; `typeof fetch` fits too. */
  readonly fetch: SafeFetch;
}

/**
 * Calls the connector's check endpoint with `fields`. No `api.check` means nothing to ask: ok,
 * without a request. Expected statuses (default 2xx) are ok; 401/403 and other 4xx/3xx are
 * `rejected` (wrong key, or a wrong subdomain answering 404 or redirecting); 5xx, 429, timeouts,
 * refused addresses and network errors are `unreachable`. Errors building the request (a value
 * that would change the host shape) propagate as `GatewayError`s, like any invalid input.
 */
export async function checkStaticCredentials(input: CheckStaticCredentialsInput): Promise<CredentialCheckResult> {
  const { connector, fields, apiConfig } = input;
  const check = connector.api.check;
  if (check === undefined) return { ok: true };
  const name = connector.display_name;

  const request = applyCredentials({ connector, credentials: { kind: 'static_auth', fields }, apiConfig, path: check.path, method: check.method, headers: { Accept: 'application/json' } });
  let response: Response;
  try {
    response = await input.fetch(request.url, { method: request.method, headers: request.headers });
  } catch (error) {
    // OutboundError messages name the host only; any other error's message is not ours to show.
    const why = error instanceof OutboundError ? ` ${error.message}` : '';
    return { ok: false, reason: 'unreachable', message: `${name} could not be reached to check these credentials.${why}` };
  }
  // The body is not needed; cancelling frees the connection (and ignores whatever it says).
  await response.body?.cancel().catch(() => undefined);

  const { status } = response;
  const expected = check.expect === undefined ? status >= 200 && status < 300 : check.expect.includes(status);
  if (expected) return { ok: true };
  const what = connector.api.auth.type === 'basic' ? 'these credentials' : 'this key';
  if (status === 401 || status === 403) return { ok: false, reason: 'rejected', status, message: `${name} rejected ${what} (HTTP ${status}).` };
  if (status >= 500 || status === 429) {
    return { ok: false, reason: 'unreachable', status, message: `${name} could not check ${what} right now (HTTP ${status}); try again in a moment.` };
  }
  return { ok: false, reason: 'rejected', status, message: `${name} did not accept ${what} (HTTP ${status}); check every field, including the account's domain or site.` };
}
