/**
 * @module connect-errors — what each hosted-flow error code means, for the end user who sees the
 * error page and for the developer who reads its details block or the JSON answer.
 *
 * Codes come from three places: our own checks (`session_expired`, `invalid_state`, ...), the
 * provider's `error` parameter (RFC 6749 §4.1.2.1) and Microsoft's `AADSTS*` numbers buried in
 * `error_description`. Each entry links a section of `docs/troubleshooting.md` (a test checks every
 * anchor exists). The provider's raw text is never part of the catalog's sentences: it is handed
 * back separately as `providerDescription`, so a page can only ever show it escaped.
 */
import { printable } from "../printable-text.ts";

/** One catalog entry. `explanation` and `fix` are for the end user; `developerHint` is not. */
export type ConnectErrorEntry = {
  readonly title: string;
  readonly explanation: string;
  readonly fix: string;
  readonly developerHint: string;
  /** Heading slug in docs/troubleshooting.md. */
  readonly docsAnchor: string;
  readonly httpStatus: number;
};

const RESTART = "Close this window and start the connection again from the app.";
const TELL_SUPPORT = "This needs a change in the app's setup, so trying again won't help yet. Please tell the app's support team, and give them the reference below.";

/** Every code the error page knows. Keys are stable: the callback and the docs use them. */
export const CONNECT_ERRORS = {
  failed_to_exchange_token: {
    title: "We couldn't finish connecting your account",
    explanation: "You approved access, but the last step, collecting the access from the service you connected, failed. Nothing was connected.",
    fix: `${RESTART} If it keeps failing, contact the app's support team and give them the reference below.`,
    developerHint: "The token request to the provider failed or its answer was rejected (network error, provider 5xx, invalid_grant, invalid_client, a malformed token response), or storing or verifying the tokens afterwards failed. The provider's message and the server log line with this reference name the cause. A failure that clears on retry is transient; one that repeats for every user points at the connection's client credentials, token URL or redirect URI.",
    docsAnchor: "failed_to_exchange_token",
    httpStatus: 502,
  },
  failed_to_exchange: {
    title: "This connection can't be completed",
    explanation: "After you connect, the app has to confirm that the account is yours, but it hasn't said where to send you for that step, so the connection was stopped.",
    fix: TELL_SUPPORT,
    developerHint: "user_verify_url not configured for verification redirect: the environment's user_verification setting is custom (the default) and the link was created without user_verify_url. Pass user_verify_url (on an origin listed in settings.allowed_redirect_origins) to POST /api/v1/connected_accounts/magic_link, or set user_verification to none for local development only.",
    docsAnchor: "failed_to_exchange",
    httpStatus: 400,
  },
  session_expired: {
    title: "Your session has expired",
    explanation: "Your verification session has expired or is no longer valid. Please close this window and restart the connection flow.",
    fix: `${RESTART} Complete the sign-in without a long pause.`,
    developerHint: "The auth request behind this callback expired (10 minutes by default), was already completed, or is unknown to this server. Each link and each authorization attempt is single use; create a new link with POST /api/v1/connected_accounts/magic_link.",
    docsAnchor: "session_expired",
    httpStatus: 400,
  },
  invalid_state: {
    title: "This sign-in doesn't match your browser",
    explanation: "For your safety a connection has to finish in the same browser it started in. This one may have been started in another browser, app or device, or your browser blocked the cookie that links the two.",
    fix: "Open the connection link again in this browser, allow cookies for this site, and finish without switching browsers or devices.",
    developerHint: "The callback's state is unknown, already used, or not bound to the cookie this browser sent. Typical causes: the link was opened in an in-app browser (mail or chat app) and the provider returned to the system browser, cookies blocked, a private window closed mid-flow, or a forged or replayed callback. No token request was made.",
    docsAnchor: "invalid_state",
    httpStatus: 400,
  },
  redirect_uri_mismatch: {
    title: "The app's return address isn't registered",
    explanation: "The service refused to continue because the address it should send you back to is not registered for this app.",
    fix: TELL_SUPPORT,
    developerHint: "The provider rejected the redirect URI. It must match the URI registered in the provider's OAuth app exactly: scheme (https or http), host, port, path and trailing slash. Copy it from the connection (oauth_config.redirect_uri).",
    docsAnchor: "redirect_uri_mismatch",
    httpStatus: 400,
  },
  issuer_mismatch: {
    title: "The answer came from the wrong place",
    explanation: "The sign-in answer we received did not come from the service you were connecting to, so we stopped for your safety. Nothing was connected.",
    fix: RESTART,
    developerHint: "The callback's iss parameter (RFC 9207) differs from the issuer expected for this connection, or the provider requires iss and none was sent. This blocks mix-up attacks. If the provider's issuer really changed, update the connector's issuer. No token request was made.",
    docsAnchor: "issuer_mismatch",
    httpStatus: 400,
  },
  link_expired: {
    title: "This link has expired",
    explanation: "Connection links only work for a short time, and this one has run out.",
    fix: "Go back to the app and ask for a new connection link.",
    developerHint: "Links expire 10 minutes after creation by default. Create the link when the user is about to use it (POST /api/v1/connected_accounts/magic_link, SDK getAuthorizationLink), not in advance.",
    docsAnchor: "link_expired",
    httpStatus: 400,
  },
  link_already_used: {
    title: "This link has already been used",
    explanation: "Each connection link works only once, and this one was used before, perhaps in another tab or window.",
    fix: "Go back to the app and ask for a new connection link.",
    developerHint: "Links are single use so that a forwarded or leaked link cannot be replayed. Create a new link for every attempt.",
    docsAnchor: "link_already_used",
    httpStatus: 400,
  },
  invalid_link: {
    title: "This link isn't valid",
    explanation: "The connection link is incomplete or unknown. It may have been copied only in part.",
    fix: "Open the link again from the original message, or ask the app for a new one.",
    developerHint: "The link id is malformed or unknown in this environment. Check that the whole link reached the user (some mail clients wrap or rewrite long URLs) and that it was created on this server.",
    docsAnchor: "invalid_link",
    httpStatus: 400,
  },
  connection_disabled: {
    title: "Connecting to this service is switched off",
    explanation: "The app has switched off connections to this service for now.",
    fix: "Try again later, or ask the app's support team when it will be available.",
    developerHint: "The connection is disabled (enabled: false). Enable it on the connection, then create a new link.",
    docsAnchor: "connection_disabled",
    httpStatus: 400,
  },
  verification_failed: {
    title: "We couldn't confirm it's you",
    explanation: "The app could not confirm that the account you connected belongs to you, so it was not connected. This protects you when a link is forwarded to someone else.",
    fix: "Sign in to the app as yourself, then start the connection again from there.",
    developerHint: "User verification failed: POST /api/v1/connected_accounts/user/verify named another identifier (403), the auth_request_id was unknown or already used (404), or the pending verification expired and its tokens were discarded. Nothing was promoted.",
    docsAnchor: "verification_failed",
    httpStatus: 400,
  },
  access_denied: {
    title: "Access wasn't granted",
    explanation: "The connection was cancelled or declined, either on the consent screen or by a rule of your organization.",
    fix: "If you cancelled by mistake, start the connection again and choose Allow. If your organization blocks this app, ask your administrator to approve it.",
    developerHint: "The provider returned error=access_denied: usually the user clicked Cancel; also sent when a workspace or tenant admin restricts the app (Slack app approval, Google Workspace API controls). No token request was made.",
    docsAnchor: "access_denied",
    httpStatus: 400,
  },
  invalid_request: {
    title: "The service rejected the request",
    explanation: "The service you are connecting to rejected the request because something in the app's setup is wrong.",
    fix: TELL_SUPPORT,
    developerHint: "The provider answered invalid_request: an authorize parameter is missing, repeated or malformed. Check the connection's scopes, extra authorize parameters, tenant and PKCE support against the provider's documentation.",
    docsAnchor: "invalid_request",
    httpStatus: 400,
  },
  unauthorized_client: {
    title: "This app isn't allowed to connect",
    explanation: "The service says this app is not allowed to ask for access in this way.",
    fix: TELL_SUPPORT,
    developerHint: "The provider refuses this client for the authorization code grant: the OAuth app is disabled, limited to other grant types, still in development mode and limited to listed users, or the client id belongs to another app. Check the client id and the app's settings in the provider console.",
    docsAnchor: "unauthorized_client",
    httpStatus: 400,
  },
  unsupported_response_type: {
    title: "The app's sign-in method isn't supported",
    explanation: "The service does not allow this app to sign you in the way it tried.",
    fix: TELL_SUPPORT,
    developerHint: "The provider does not allow response_type=code for this client. Enable the authorization code flow (a web platform with a client secret) for the OAuth app.",
    docsAnchor: "unsupported_response_type",
    httpStatus: 400,
  },
  invalid_scope: {
    title: "The app asked for permissions that aren't available",
    explanation: "The service did not recognise some of the permissions this app asked for, or does not allow them for this app.",
    fix: TELL_SUPPORT,
    developerHint: "A requested scope is unknown, malformed, or not enabled for the OAuth app (restricted or sensitive scopes may need the provider's review). Compare the connection's scopes with the ones enabled in the provider console.",
    docsAnchor: "invalid_scope",
    httpStatus: 400,
  },
  server_error: {
    title: "The service had a problem",
    explanation: "The service you are connecting to ran into an error on its side. Nothing was connected.",
    fix: "Wait a few minutes and start the connection again. If it keeps happening, check the service's status page.",
    developerHint: "The provider returned error=server_error. Retry later and check the provider's status page; nothing needs to change on the connection.",
    docsAnchor: "server_error",
    httpStatus: 502,
  },
  temporarily_unavailable: {
    title: "The service is busy right now",
    explanation: "The service you are connecting to is overloaded or under maintenance. Nothing was connected.",
    fix: "Wait a few minutes and start the connection again.",
    developerHint: "The provider returned error=temporarily_unavailable. Retry later; check the provider's status page.",
    docsAnchor: "temporarily_unavailable",
    httpStatus: 502,
  },
  invalid_client: {
    title: "The app's credentials were rejected",
    explanation: "The service did not accept this app's credentials, so the connection could not be completed.",
    fix: TELL_SUPPORT,
    developerHint: "Client authentication failed: wrong client id or secret, a regenerated or expired secret, the secret's id pasted instead of its value, or the wrong client authentication method. Update the connection's client id and secret.",
    docsAnchor: "invalid_client",
    httpStatus: 400,
  },
  invalid_grant: {
    title: "This sign-in can't be used any more",
    explanation: "The approval from the service had expired or was already used, so the connection could not be completed.",
    fix: RESTART,
    developerHint: "The provider rejected the authorization code: expired, already redeemed, issued for another redirect URI, or the PKCE verifier did not match. Never retry an exchange that may have succeeded: many providers revoke the tokens when a code is reused.",
    docsAnchor: "invalid_grant",
    httpStatus: 400,
  },
  unknown: {
    title: "Something went wrong",
    explanation: "The connection could not be completed.",
    fix: `${RESTART} If it keeps failing, contact the app's support team and give them the reference below.`,
    developerHint: "An error code this page does not know. The code and the provider's message are shown here; the server log line with this reference has the details.",
    docsAnchor: "other-or-unknown-error-codes",
    httpStatus: 400,
  },
} as const satisfies Record<string, ConnectErrorEntry>;

export type ConnectErrorCode = keyof typeof CONNECT_ERRORS;

type AadstsEntry = Omit<ConnectErrorEntry, "httpStatus">;
const ADMIN = "ask your Microsoft 365 or IT administrator";

/** Microsoft Entra ID errors, keyed by number; they arrive as `AADSTS<n>: ...` in error_description. */
export const AADSTS_ERRORS: Readonly<Record<string, AadstsEntry>> = {
  "65001": {
    title: "Permission hasn't been granted yet",
    explanation: "Microsoft needs you, or your organization's administrator, to approve the permissions this app asks for.",
    fix: `Start the connection again and accept the permissions. If Microsoft doesn't offer that choice, ${ADMIN} to grant consent for this app.`,
    developerHint: "AADSTS65001: the user or administrator has not consented to the application. Check the app registration's API permissions match the connection's scopes, grant admin consent for the tenant, or send prompt=consent.",
    docsAnchor: "aadsts65001-consent-not-granted",
  },
  "50020": {
    title: "This Microsoft account can't be used here",
    explanation: "The account you signed in with does not belong to the organization this app is set up for.",
    fix: "Start again and sign in with your work or school account from the right organization, or ask that organization's administrator to invite your account.",
    developerHint: "AADSTS50020: the user's account is not in the tenant. The app registration is single-tenant or the connection's tenant is a specific directory. Use organizations or common with a multi-tenant app registration, or invite the user as a guest.",
    docsAnchor: "aadsts50020-user-account-not-in-the-tenant",
  },
  "50011": {
    title: "The app's return address isn't registered",
    explanation: "Microsoft refused to continue because the address it should send you back to is not registered for this app.",
    fix: TELL_SUPPORT,
    developerHint: "AADSTS50011: the redirect URI in the request does not match the app registration. Add the connection's redirect URI under Authentication, platform Web, exactly as shown on the connection.",
    docsAnchor: "aadsts50011-redirect-uri-mismatch",
  },
  "700016": {
    title: "The app wasn't found in your organization",
    explanation: "Microsoft could not find this app in the organization you signed in to.",
    fix: TELL_SUPPORT,
    developerHint: "AADSTS700016: application not found in the directory. The client id is wrong, the app is registered in another tenant and is not multi-tenant, or the connection's tenant is wrong.",
    docsAnchor: "aadsts700016-application-not-found-in-the-directory",
  },
  "7000215": {
    title: "The app's credentials were rejected",
    explanation: "Microsoft did not accept this app's credentials, so the connection could not be completed.",
    fix: TELL_SUPPORT,
    developerHint: "AADSTS7000215: invalid client secret. Usually the secret's ID was pasted instead of its Value. Create a new secret under Certificates & secrets and store its Value on the connection.",
    docsAnchor: "aadsts7000215-invalid-client-secret",
  },
  "7000222": {
    title: "The app's credentials have expired",
    explanation: "The credentials this app uses with Microsoft have expired, so the connection could not be completed.",
    fix: TELL_SUPPORT,
    developerHint: "AADSTS7000222: the client secret has expired. Create a new secret under Certificates & secrets, store its Value on the connection, and note the new expiry date.",
    docsAnchor: "aadsts7000222-client-secret-expired",
  },
  "90094": {
    title: "An administrator has to approve this app",
    explanation: "Your organization lets only administrators approve apps that ask for these permissions.",
    fix: `Please ${ADMIN} to approve the app, then start the connection again.`,
    developerHint: "AADSTS90094: admin consent is required. An admin grants tenant-wide consent (Entra admin center, Enterprise applications, Permissions), or request only scopes users may consent to.",
    docsAnchor: "aadsts90094-admin-consent-required",
  },
  "50076": {
    title: "Extra sign-in verification is needed",
    explanation: "Your organization requires multi-factor authentication for this sign-in, and it wasn't completed.",
    fix: "Start the connection again and complete the extra verification step when Microsoft asks for it.",
    developerHint: "AADSTS50076: MFA required by policy. Completed interactively by the user; nothing to change on the connection.",
    docsAnchor: "aadsts50076-and-aadsts50079-multi-factor-authentication-required",
  },
  "50079": {
    title: "You need to set up extra sign-in verification",
    explanation: "Your organization requires multi-factor authentication, and your account doesn't have a method set up yet.",
    fix: "Start the connection again and follow Microsoft's steps to set up a verification method.",
    developerHint: "AADSTS50079: the user must register for MFA. Completed interactively by the user; nothing to change on the connection.",
    docsAnchor: "aadsts50076-and-aadsts50079-multi-factor-authentication-required",
  },
  "53003": {
    title: "Your organization's policy blocked this sign-in",
    explanation: "A security policy of your organization blocked this sign-in, for example because of the device or network you are using.",
    fix: `Try again from a device or network your organization allows, or ${ADMIN}.`,
    developerHint: "AADSTS53003: blocked by Conditional Access. The tenant's sign-in logs name the policy; an admin may exclude the app or adjust the policy.",
    docsAnchor: "aadsts53003-blocked-by-conditional-access",
  },
};

/** What {@link describeConnectError} returns: the entry to show plus the values it was built from. */
export type ConnectErrorInfo = ConnectErrorEntry & {
  /** A catalog code; `unknown` when the received one is not in the catalog. */
  readonly code: ConnectErrorCode;
  /** The received code when it was not in the catalog (only if it looks like a code). */
  readonly receivedCode?: string;
  /** The provider's raw description, cleaned of control characters and capped; display escaped only. */
  readonly providerDescription?: string;
  /** `AADSTS<n>` found in the description, known or not. */
  readonly aadsts?: string;
  /** The redirect URI that was sent, for `redirect_uri_mismatch`. */
  readonly redirectUri?: string;
};

const MAX_DESCRIPTION = 1000;
const MAX_URI = 2048;

/** Controls and bidi overrides removed (they make escaped text read differently), capped. */
const clean = (text: string | undefined, max: number): string | undefined => printable(text, max) ?? undefined;

function isCode(code: string): code is ConnectErrorCode {
  // hasOwn, not `in`: "constructor" or "__proto__" must not resolve to Object.prototype members.
  return Object.hasOwn(CONNECT_ERRORS, code);
}

/**
 * Explains a hosted-flow error. Never throws: an unknown or hostile code yields the `unknown`
 * entry. A Microsoft `AADSTS<n>` number in the description replaces the sentences with the
 * Microsoft-specific ones (the HTTP status stays the code's).
 *
 * @example
 * ```ts
 * describeConnectError('invalid_client', 'AADSTS7000215: Invalid client secret provided.').docsAnchor
 * // 'aadsts7000215-invalid-client-secret'
 * describeConnectError('redirect_uri_mismatch', undefined, { redirect_uri: 'https://gw.example/connect/callback/conn_1' }).developerHint
 * // 'The redirect URI sent was https://gw.example/connect/callback/conn_1. It must match ...'
 * ```
 */
export function describeConnectError(code: string, description?: string, details?: { redirect_uri?: string | undefined }): ConnectErrorInfo {
  const normalized = code.trim().toLowerCase();
  const known: ConnectErrorCode = isCode(normalized) ? normalized : "unknown";
  let entry: ConnectErrorEntry = CONNECT_ERRORS[known];
  const providerDescription = clean(description, MAX_DESCRIPTION);

  const aadstsNumber = /\bAADSTS(\d{5,7})\b/.exec(`${code} ${providerDescription ?? ""}`)?.[1];
  const aadsts = aadstsNumber === undefined ? undefined : `AADSTS${aadstsNumber}`;
  const microsoft = aadstsNumber === undefined ? undefined : AADSTS_ERRORS[aadstsNumber];
  if (microsoft !== undefined) {
    entry = { ...microsoft, httpStatus: entry.httpStatus };
  } else if (aadsts !== undefined) {
    entry = {
      ...entry,
      developerHint: `${entry.developerHint} Microsoft reported ${aadsts}; look it up in Microsoft Entra's error code reference.`,
      docsAnchor: "other-microsoft-aadsts-errors",
    };
  }

  if (known === "failed_to_exchange_token" && microsoft === undefined && /post[ -]?auth hooks?/i.test(providerDescription ?? "")) {
    entry = { ...entry, docsAnchor: "error-executing-post-auth-hooks" };
  }

  // The URI is what the developer has to copy into the provider console, so both audiences see it.
  const aboutRedirect = known === "redirect_uri_mismatch" || aadstsNumber === "50011";
  const redirectUri = aboutRedirect ? clean(details?.redirect_uri, MAX_URI) : undefined;
  if (redirectUri !== undefined) {
    entry = {
      ...entry,
      fix: `This needs a change in the app's setup. Please tell the app's support team that the return address ${redirectUri} must be registered with the service exactly as shown, and give them the reference below.`,
      developerHint: `The redirect URI sent was ${redirectUri}. It must match the URI registered at the provider exactly, character for character. ${entry.developerHint}`,
    };
  }

  const receivedCode = known === "unknown" && /^[a-z0-9_.:-]{1,64}$/i.test(code.trim()) && normalized !== "unknown" ? code.trim() : undefined;
  return {
    ...entry,
    code: known,
    ...(receivedCode === undefined ? {} : { receivedCode }),
    ...(providerDescription === undefined ? {} : { providerDescription }),
    ...(aadsts === undefined ? {} : { aadsts }),
    ...(redirectUri === undefined ? {} : { redirectUri }),
  };
}

/** The troubleshooting link for an anchor; `docsUrl` is the docs folder's base URL. */
export function troubleshootingUrl(docsUrl: string, anchor: string): string {
  return `${docsUrl.replace(/\/+$/, "")}/troubleshooting.md#${encodeURIComponent(anchor)}`;
}

/**
 * The JSON answer of the error page (`Accept: application/json`), in the API's error shape.
 *
 * @example
 * ```ts
 * reply.code(info.httpStatus).send(connectErrorJson(info, { ref: 'req_123', docsUrl }));
 * ```
 */
export function connectErrorJson(info: ConnectErrorInfo, { ref, docsUrl }: { ref?: string | undefined; docsUrl: string }) {
  return {
    error: {
      code: info.code,
      message: info.explanation,
      details: {
        title: info.title,
        fix: info.fix,
        developer_hint: info.developerHint,
        docs_url: troubleshootingUrl(docsUrl, info.docsAnchor),
        ...(ref === undefined ? {} : { ref }),
        ...(info.receivedCode === undefined ? {} : { received_code: info.receivedCode }),
        ...(info.providerDescription === undefined ? {} : { provider_description: info.providerDescription }),
        ...(info.aadsts === undefined ? {} : { aadsts: info.aadsts }),
        ...(info.redirectUri === undefined ? {} : { redirect_uri: info.redirectUri }),
      },
    },
  };
}
