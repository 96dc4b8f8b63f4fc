/**
 * @module The mapping from a recorded failure (an authorization that failed, a refused refresh, a tool
 * call the provider refused) to what it means and the next step. Hosted-flow codes and Microsoft AADSTS
 * numbers come from the error page's own catalog (`domain/auth-flows/connect-errors.ts`), so the page and
 * the diagnosis never explain one code two ways; this table adds what the page cannot know: refresh
 * reasons, tool error kinds and the provider-specific patterns (Google, Slack, rate limits).
 */
import { AADSTS_ERRORS, CONNECT_ERRORS, describeConnectError } from '../auth-flows/connect-errors.ts';
import { OUTBOUND_FIX } from '../tools/upstream-call.ts';
import type { FindingResult } from './finding.ts';
import type { NextSteps } from './next-steps.ts';

export interface ErrorSignal {
  /** Where it was recorded: the hosted flow, a token refresh, or a tool call. */
  readonly source: 'authorization' | 'refresh' | 'tool';
  /** The connector key (`gmail`, `slack`, `microsoft365`...). */
  readonly provider: string;
  /** Flow error code, refresh reason (`invalid_grant`, `http_429`) or tool error kind (`rate_limited`). */
  readonly code: string;
  /** The provider's own code when it differs from `code` (an exchange failing with `invalid_client`). */
  readonly providerCode?: string | null;
  /** The provider's description or the logged message. */
  readonly text?: string | null;
  readonly upstreamStatus?: number | null;
  readonly authorizationType: string;
}

export interface ErrorFix {
  /** Groups repeated failures with one cause (`aadsts65001`, `rate_limited`, `tool_unauthorized`...). */
  readonly key: string;
  readonly title: string;
  readonly fix: string;
  readonly docsAnchor: string;
  readonly result: FindingResult;
}

const GOOGLE = new Set(['gmail', 'googlecalendar', 'googledrive', 'googlesheets']);
/** Slack's refusals when a workspace admin has to approve the app or restricts what it may do. */
const SLACK_APPROVAL = /\b(access_denied|restricted_action|team_access_not_granted|app_approval\w*|approval_required|ekm_access_denied)\b/i;
const RATE_LIMIT = /\b(rate[ _-]?limit(ed)?|ratelimited|too many requests|quota (exceeded|exhausted)|user rate limit|resource_exhausted|http_429)\b/i;
const GOOGLE_POLICY = /\b(admin_policy_enforced|org_internal)\b|organi[sz]ation'?s? polic|workspace admin|blocked by (your )?admin/i;
/** Flow codes that repeat for every user until the configuration changes (the rest are the user's own or transient). */
const CONFIGURATION_CODES = new Set(['failed_to_exchange', 'redirect_uri_mismatch', 'issuer_mismatch', 'invalid_request', 'unauthorized_client', 'unsupported_response_type', 'invalid_scope', 'invalid_client']);
const CLIENT_REJECTED = new Set(['invalid_client', 'unauthorized_client']);

const matches = (pattern: RegExp, ...values: (string | null | undefined)[]) => values.some((v) => typeof v === 'string' && pattern.test(v));

/** The flow catalog's developer-facing sentences for a code, with the re-authorization step appended. */
function fromConnectCatalog(signal: ErrorSignal, steps: NextSteps, code: string): ErrorFix {
  const info = describeConnectError(code, signal.text ?? undefined);
  const configuration = CONFIGURATION_CODES.has(info.code);
  const then = configuration ? `Once the configuration is fixed, ${steps.link}.` : `Then ${steps.link}.`;
  return {
    key: info.aadsts?.toLowerCase() ?? `flow_${info.code === 'unknown' ? (info.receivedCode ?? 'unknown') : info.code}`,
    title: info.aadsts === undefined ? `Authorization failed (${info.receivedCode ?? info.code})` : `Microsoft ${info.aadsts}: ${info.title}`,
    fix: `${info.developerHint} ${then}`,
    docsAnchor: info.docsAnchor,
    result: configuration || info.aadsts !== undefined || signal.source !== 'authorization' ? 'fail' : 'warn',
  };
}

function clientRejected(steps: NextSteps): ErrorFix {
  return {
    key: 'invalid_client',
    title: "The provider rejected the connection's client credentials (invalid_client)",
    fix: `${CONNECT_ERRORS.invalid_client.developerHint} Next: ${steps.clientCredentials}; then ${steps.refresh}. If the provider still refuses, ${steps.link}.`,
    docsAnchor: CONNECT_ERRORS.invalid_client.docsAnchor,
    result: 'fail',
  };
}

function rateLimited(): ErrorFix {
  return {
    key: 'rate_limited',
    title: 'The provider rate limited this account or app (HTTP 429)',
    fix:
      'Back off: wait for Retry-After (tool errors carry retry_after_seconds) and retry with exponential backoff; cache reads and batch calls. ' +
      "If several environments or products share one OAuth app, bring your own credentials (BYOC): register a dedicated OAuth app at the provider and put its client id and secret on this connection, so this app gets its own quota.",
    docsAnchor: 'rate-limited-by-the-provider',
    result: 'warn',
  };
}

function googleBlocked(signal: ErrorSignal, steps: NextSteps): ErrorFix {
  if (matches(GOOGLE_POLICY, signal.code, signal.providerCode, signal.text)) {
    return {
      key: 'google_org_policy',
      title: "Google Workspace policy blocked the app (access_denied / admin_policy_enforced)",
      fix: `A Workspace admin must trust the app: Google Admin console → Security → Access and data control → API controls → Manage third-party app access → add the connection's OAuth client id as Trusted. Then ${steps.link}.`,
      docsAnchor: 'google-access-blocked-app-has-not-completed-verification',
      result: 'fail',
    };
  }
  return {
    key: 'google_unverified_app',
    title: 'Google refused the authorization: the user cancelled, or the app is unverified and the user is not a test user (access_denied)',
    fix: `If the user did not cancel: in Google Cloud console → APIs & Services → OAuth consent screen, add the user under Test users while the app is in Testing, or publish the app and submit it for verification (or request fewer, non-sensitive scopes). Then ${steps.link}.`,
    docsAnchor: 'google-access-blocked-app-has-not-completed-verification',
    result: 'fail',
  };
}

function slackApproval(steps: NextSteps): ErrorFix {
  return {
    key: 'slack_workspace_approval',
    title: 'Slack refused: the workspace requires admin approval of the app or restricts it (or the user cancelled)',
    fix: `If the user did not cancel, ask a Slack workspace admin to approve the app (workspace settings → Manage apps → app requests / Approved apps) or to lift the restriction on its scopes; for workspaces other than your own, activate public distribution (Manage Distribution). Then ${steps.link}.`,
    docsAnchor: 'slack-app-not-approved-for-the-workspace',
    result: 'fail',
  };
}

function refreshFix(signal: ErrorSignal, steps: NextSteps): ErrorFix {
  switch (signal.code) {
    case 'invalid_grant':
      return {
        key: 'refresh_invalid_grant',
        title: 'The provider refused the refresh token (invalid_grant): revoked, expired, or issued to another client',
        fix: `Only a new authorization helps: ${steps.link}. Completing it re-authorizes the same account.`,
        docsAnchor: 'refresh-rejected',
        result: 'fail',
      };
    case 'no_refresh_token':
      return {
        key: 'no_refresh_token',
        title: 'The access token expired and the account has no refresh token',
        fix: `Ask for offline access on the connection (Google access_type=offline with prompt=consent, the offline_access scope elsewhere), then ${steps.link}.`,
        docsAnchor: 'no-refresh-token',
        result: 'fail',
      };
    case 'connection_not_configured':
      return { key: 'connection_not_configured', title: 'The connection has no OAuth client id or secret', fix: `${steps.clientCredentials}.`, docsAnchor: 'connection-not-configured', result: 'fail' };
    case 'unsupported_grant_type':
    case 'invalid_scope':
      return {
        key: `refresh_${signal.code}`,
        title: `The provider refused the refresh (${signal.code})`,
        fix: `Check that the OAuth app allows the refresh_token grant and the connection's scopes, then ${steps.link}.`,
        docsAnchor: 'refresh-rejected',
        result: 'fail',
      };
    default:
      return {
        key: 'refresh_transient',
        title: `A refresh could not reach the provider or the provider failed (${signal.code})`,
        fix: `Nothing to change if it clears: the account stays as it is and the refresh is retried with backoff. If it persists, check the provider's status page and the connection's token URL, then ${steps.refresh}.`,
        docsAnchor: 'provider-unreachable-slow-or-failing',
        result: 'warn',
      };
  }
}

function toolFix(signal: ErrorSignal, steps: NextSteps): ErrorFix | undefined {
  switch (signal.code) {
    case 'unauthorized':
      return {
        key: 'tool_unauthorized',
        title: `The provider refused the account's credential on a tool call (HTTP ${signal.upstreamStatus ?? 401})`,
        fix: signal.authorizationType === 'OAUTH' ? `The grant is dead (revoked, password changed, app removed by the user): ${steps.link}.` : `The stored credential was refused: ${steps.updateCredentials}.`,
        docsAnchor: 'tool-calls-refused-with-401',
        result: 'fail',
      };
    case 'forbidden':
      return {
        key: 'tool_forbidden',
        title: 'The provider answered 403 Forbidden to a tool call: a missing scope, or the user lacks access to the resource',
        fix: `Compare the scopes finding: add the tool's scope to the connection (PATCH /api/v1/connections/{id}) and ${steps.link}. If the scopes are there, the user's permissions at the provider are missing.`,
        docsAnchor: 'missing-scopes',
        result: 'fail',
      };
    case 'timeout':
    case 'network':
    case 'upstream_error':
      return {
        key: 'provider_unavailable',
        title: `The provider was unreachable, slow or failing (${signal.code}${signal.upstreamStatus == null ? '' : `, HTTP ${signal.upstreamStatus}`})`,
        fix: "Retry later and check the provider's status page; writes are never retried automatically. If it never works, check the connection's api_config.base_url.",
        docsAnchor: 'provider-unreachable-slow-or-failing',
        result: 'warn',
      };
    case 'tls':
      return {
        key: 'provider_tls',
        title: "The provider's TLS certificate is not trusted",
        fix: `${OUTBOUND_FIX.tls} If the provider's certificate is not from a private CA, its chain must be fixed at the provider.`,
        docsAnchor: 'provider-unreachable-slow-or-failing',
        result: 'fail',
      };
    case 'blocked':
      return {
        key: 'provider_blocked',
        title: "The provider's address is loopback or private, which the gateway refuses",
        fix: OUTBOUND_FIX.blocked,
        docsAnchor: 'provider-unreachable-slow-or-failing',
        result: 'fail',
      };
    default:
      // bad_request, not_found, conflict, response_too_large: about the call's parameters, not the account.
      return undefined;
  }
}

/**
 * What a recorded failure means and what to do; undefined for failures that say nothing about the
 * account (a tool called with bad parameters). Provider-specific patterns win over generic codes.
 */
export function fixFor(signal: ErrorSignal, steps: NextSteps): ErrorFix | undefined {
  const { code, providerCode, text } = signal;
  const aadsts = /\bAADSTS(\d{5,7})\b/.exec(`${code} ${providerCode ?? ''} ${text ?? ''}`)?.[1];
  if (aadsts !== undefined && AADSTS_ERRORS[aadsts] !== undefined) return fromConnectCatalog(signal, steps, signal.source === 'authorization' ? code : 'unknown');
  if (signal.upstreamStatus === 429 || code === 'rate_limited' || matches(RATE_LIMIT, code, providerCode, text)) return rateLimited();
  if (signal.provider === 'slack' && matches(SLACK_APPROVAL, code, providerCode, text)) return slackApproval(steps);
  if (GOOGLE.has(signal.provider) && signal.source === 'authorization' && matches(/\b(access_denied|admin_policy_enforced|org_internal)\b/, code, providerCode)) return googleBlocked(signal, steps);
  if (GOOGLE.has(signal.provider) && signal.source === 'tool' && code === 'forbidden' && matches(GOOGLE_POLICY, text)) return googleBlocked(signal, steps);
  if (CLIENT_REJECTED.has(code) || (providerCode !== undefined && providerCode !== null && CLIENT_REJECTED.has(providerCode))) return clientRejected(steps);
  if (signal.source === 'refresh') return refreshFix(signal, steps);
  if (signal.source === 'tool') return toolFix(signal, steps);
  return fromConnectCatalog(signal, steps, code);
}

/** Every anchor this table can link (a test checks each heading exists). */
export const ERROR_FIX_ANCHORS: readonly string[] = [
  'rate-limited-by-the-provider',
  'google-access-blocked-app-has-not-completed-verification',
  'slack-app-not-approved-for-the-workspace',
  'refresh-rejected',
  'no-refresh-token',
  'connection-not-configured',
  'provider-unreachable-slow-or-failing',
  'tool-calls-refused-with-401',
  'missing-scopes',
  ...Object.values(CONNECT_ERRORS).map((e) => e.docsAnchor),
  ...Object.values(AADSTS_ERRORS).map((e) => e.docsAnchor),
];
