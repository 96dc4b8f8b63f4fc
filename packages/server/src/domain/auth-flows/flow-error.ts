/** @module Failures of the hosted flow: they end on the hosted error page, never as an API error. */

/** Codes shown on `/ui-handlers/connect/callback/error` (documented in docs/troubleshooting.md). */
export type ConnectErrorCode =
  | 'invalid_link'
  | 'link_expired'
  | 'link_already_used'
  | 'connection_disabled'
  | 'invalid_state'
  | 'session_expired'
  | 'issuer_mismatch'
  | 'invalid_request'
  | 'failed_to_exchange'
  | 'failed_to_exchange_token'
  | 'redirect_uri_mismatch'
  | (string & {}); // the provider's own codes pass through (access_denied, invalid_scope, ...)

export class ConnectFlowError extends Error {
  override name = 'ConnectFlowError';
  constructor(
    readonly code: ConnectErrorCode,
    /** Shown to the end user (escaped); never a secret, never raw HTML. */
    readonly description: string,
    readonly details: { readonly redirect_uri?: string; readonly provider_error?: string; readonly provider_description?: string } = {},
  ) {
    super(`${code}: ${description}`);
  }
}
