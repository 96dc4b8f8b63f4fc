/** @module The one registry of error codes: stable snake_case codes, their HTTP status and a default message. */

/**
 * Every deliberate failure's code. Codes are part of the public contract: once published they are
 * never renamed or reused. `docs/errors.md` documents each one (a test keeps the two in sync).
 */
export const ERROR_CODES = {
  validation_failed: { status: 400, message: 'The request is not valid.' },
  malformed_json: { status: 400, message: 'The request body is not valid JSON.' },
  unsupported_media_type: { status: 415, message: 'The request body has an unsupported content type.' },
  payload_too_large: { status: 413, message: 'The request body is too large.' },
  route_not_found: { status: 404, message: 'No such route.' },
  unauthenticated: { status: 401, message: 'A bearer token is required.' },
  invalid_token: { status: 401, message: 'The bearer token is invalid or expired.' },
  invalid_client: { status: 401, message: 'The client id or secret is wrong.' },
  invalid_request: { status: 400, message: 'The token request is missing a parameter.' },
  unsupported_grant_type: { status: 400, message: 'Only the client_credentials grant is supported.' },
  rate_limited: { status: 429, message: 'Too many failed attempts; try again later.' },
  provider_not_found: { status: 404, message: 'No connector with that key.' },
  unknown_provider: { status: 400, message: 'The request names a connector that is not in the catalog.' },
  connection_not_found: { status: 404, message: 'No connection with that id or name.' },
  connection_name_taken: { status: 409, message: 'A connection with that name already exists.' },
  connection_has_accounts: { status: 409, message: 'The connection still has connected accounts.' },
  connection_disabled: { status: 409, message: 'The connection is disabled.' },
  invalid_auth_type: { status: 400, message: 'The connector does not support that auth type.' },
  insecure_endpoint: { status: 400, message: 'The endpoint URL is not allowed.' },
  connected_account_not_found: { status: 404, message: 'No connected account matches.' },
  already_exists: { status: 409, message: 'A connected account with that connection and identifier already exists.' },
  invalid_credentials: { status: 400, message: 'The credentials do not match the connector fields.' },
  connection_not_configured: { status: 400, message: 'The OAuth connection has no client id or secret yet.' },
  invalid_redirect_url: { status: 400, message: 'The URL is not on an allowed origin.' },
  auth_request_not_found: { status: 404, message: 'No pending verification with that auth_request_id.' },
  verification_identifier_mismatch: { status: 403, message: 'The identifier does not match the one the link was created for.' },
  refresh_not_supported: { status: 400, message: 'Only OAuth accounts have tokens to refresh.' },
  account_not_refreshable: { status: 409, message: 'The account has no authorization to refresh in its current status.' },
  token_refresh_rejected: { status: 409, message: 'The provider refused the refresh; the account is EXPIRED.' },
  token_refresh_unavailable: { status: 503, message: 'The provider could not refresh the token right now; try again shortly.' },
  environment_not_found: { status: 404, message: 'No environment with that id or name.' },
  credential_not_found: { status: 404, message: 'No API credential with that id.' },
  webhook_endpoint_not_found: { status: 404, message: 'No webhook endpoint with that id.' },
  webhook_endpoint_limit_reached: { status: 409, message: 'The environment has the most webhook endpoints it may have.' },
  tool_not_found: { status: 404, message: 'No tool with that name (and version).' },
  tool_not_for_account: { status: 400, message: 'The tool belongs to another connector than the account.' },
  account_not_active: { status: 409, message: 'The connected account is not ACTIVE, so it cannot be used.' },
  account_ambiguous: { status: 400, message: 'Several connected accounts match; name the connection too.' },
  tool_error: { status: 502, message: 'The provider failed the tool call.' },
  proxy_disabled: { status: 403, message: 'The API proxy is off for this environment.' },
  tool_call_log_not_found: { status: 404, message: 'No tool call with that execution id.' },
  mcp_config_not_found: { status: 404, message: 'No MCP config with that id.' },
  mcp_config_name_taken: { status: 409, message: 'An MCP config with that name already exists.' },
  not_ready: { status: 503, message: 'The gateway is not ready: the database does not answer.' },
  server_error: { status: 500, message: 'An internal error occurred.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** 5xx codes that are deliberate and say nothing internal: their message goes to the caller as is. */
const EXPOSED_5XX: ReadonlySet<string> = new Set(['token_refresh_unavailable', 'not_ready', 'tool_error']);

/** Codes whose HTTP status follows the upstream failure (401, 403, 429, 404, 502, 504...) instead of the registry's. */
const VARIABLE_STATUS: ReadonlySet<string> = new Set(['tool_error']);

/** Anything a caller may need to fix the request; never secrets. */
export type ErrorDetails = Record<string, unknown>;

/**
 * A failure with a stable code. `expose` is false for 5xx: the handler then answers `server_error`
 * and keeps the message and cause for the logs only.
 * @example throw new GatewayError('connection_not_found', `No connection named "${name}".`)
 */
export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: ErrorDetails | undefined;
  readonly expose: boolean;

  constructor(code: ErrorCode, message?: string, options?: { details?: ErrorDetails; cause?: unknown; status?: number }) {
    super(message ?? ERROR_CODES[code].message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    this.code = code;
    this.status = options?.status !== undefined && VARIABLE_STATUS.has(code) ? options.status : ERROR_CODES[code].status;
    this.details = options?.details;
    this.expose = this.status < 500 || EXPOSED_5XX.has(code);
  }
}

/** The wire shape of every error answer. */
export interface ErrorBody {
  error: { code: string; message: string; details?: ErrorDetails; docs: string };
}

/**
 * Where a code is explained: its section of `docs/errors.md` under the docs base URL
 * (`AGENTGATE_DOCS_URL`). The section headings are the bare codes, so the anchor is the code.
 * @example docsLinkFor('connection_not_found', 'https://agentgate.example.com/docs') // …/errors.md#connection_not_found
 */
export function docsLinkFor(code: ErrorCode, docsUrl: string): string {
  return `${docsUrl.replace(/\/+$/, '')}/errors.md#${code}`;
}

export function errorBody(error: GatewayError, docsUrl: string): ErrorBody {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.details === undefined ? {} : { details: error.details }),
      docs: docsLinkFor(error.code, docsUrl),
    },
  };
}
