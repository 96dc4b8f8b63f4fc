/**
 * @module connect-pages — the hosted pages of the authorization flow: the link landing page, the
 * credential form, the error page and the success page.
 *
 * Render functions are pure: they take already-decided values and return a {@link Page}; the
 * routes own cookies, CSRF checks, redirects and content negotiation. Every value is interpolated
 * through `html`, so provider text, identifiers and typed values arrive escaped. Forms only ever
 * post to a same-origin path, and no page carries a token or a code in a URL it produces.
 */
import type { Connector, CredentialField } from "../catalog/connector-schema.ts";
import { describeConnectError, troubleshootingUrl } from "../domain/auth-flows/connect-errors.ts";
import { html, type SafeHtml } from "./html.ts";
import { page, type Page } from "./layout.ts";

/** Inputs are capped in the browser too; the server enforces the same limit (ATK-35). */
export const FIELD_MAX_LENGTH = 8192;
const MAX_REF = 128;

/**
 * Refuses anything but a same-origin absolute path: a form target is where a CSRF token and, on
 * the credential form, the user's secrets go. `//host` and `/\host` are protocol-relative in
 * browsers, so they are refused too. Throwing is right: this is a programming error, not input.
 */
function sameOriginPath(action: string): string {
  if (!/^\/(?![/\\])[^\s\\]*$/.test(action)) {
    throw new Error(`connect-pages: form action must be a same-origin path, got ${JSON.stringify(action)}`);
  }
  return action;
}

/** The docs base only becomes a link when it is http(s): an error page must render whatever the config says. */
function docsHref(docsUrl: string, anchor: string): string | undefined {
  try {
    const url = new URL(docsUrl);
    return url.protocol === "https:" || url.protocol === "http:" ? troubleshootingUrl(docsUrl, anchor) : undefined;
  } catch {
    return undefined;
  }
}

const csrfInput = (token: string): SafeHtml => html`<input type="hidden" name="csrf_token" value="${token}">`;

const identifierLine = (identifier: string): SafeHtml =>
  html`<p class="muted">Connecting for account reference <code>${identifier}</code>.</p>`;

export type ErrorPageOptions = {
  /** The `error` query parameter, as received. */
  code: string;
  /** The `error_description` query parameter, as received; shown escaped in the developer block only. */
  description?: string | undefined;
  /** Correlation id of the server log line, for support. */
  ref?: string | undefined;
  /** Base URL of the docs folder; the page links `${docsUrl}/troubleshooting.md#<anchor>`. */
  docsUrl: string;
  details?: { redirect_uri?: string | undefined } | undefined;
};

/**
 * The hosted error page. Status comes from the catalog (400 for most, 502 for provider or server
 * failures); an unknown code renders the generic entry.
 *
 * @example
 * ```ts
 * const p = renderErrorPage({ code: 'access_denied', description: query.error_description, ref: req.id, docsUrl });
 * ```
 */
export function renderErrorPage({ code, description, ref, docsUrl, details }: ErrorPageOptions): Page {
  const info = describeConnectError(code, description, details);
  const href = docsHref(docsUrl, info.docsAnchor);
  const reference = ref === undefined || ref === "" ? undefined : ref.slice(0, MAX_REF);
  const body = html`<p>${info.explanation}</p>
<h2>What to do</h2>
<p>${info.fix}</p>
${reference !== undefined && html`<p>Reference: <code>${reference}</code></p>`}
${href !== undefined && html`<p><a href="${href}">Troubleshooting guide for this error</a></p>`}
<details>
<summary>Details for the app's developer</summary>
<dl>
<dt>Error code</dt>
<dd><code>${info.receivedCode ?? info.code}</code>${info.receivedCode !== undefined && " (not a known code)"}</dd>
${info.aadsts !== undefined && html`<dt>Microsoft error</dt>
<dd><code>${info.aadsts}</code></dd>`}
${info.redirectUri !== undefined && html`<dt>Redirect URI sent</dt>
<dd><code>${info.redirectUri}</code></dd>`}
${info.providerDescription !== undefined && html`<dt>Message from the service</dt>
<dd><pre>${info.providerDescription}</pre></dd>`}
</dl>
<p>${info.developerHint}</p>
</details>`;
  return page({ status: info.httpStatus, title: info.title, body });
}

export type LinkLandingOptions = {
  connector: Pick<Connector, "key" | "display_name">;
  identifier: string;
  /** Same-origin path the button posts to; it answers with a 303 to the provider. */
  action: string;
  csrfToken: string;
  /** The provider's authorize origin, added to `form-action` (Chrome applies it to the redirect). */
  providerOrigin: string;
  /**
   * Origins later in the same redirect chain (the developer's verify URL): when the provider answers
   * without a page of its own, Chrome checks every hop after the POST against this page's form-action.
   */
  redirectOrigins?: readonly string[];
};

/**
 * The page a link opens. It starts nothing by itself: mail scanners and chat previews fetch links
 * with GET, so the flow begins only when the user presses the button (a POST).
 *
 * @example
 * ```ts
 * renderLinkLanding({ connector, identifier, action: `/connect/links/${id}`, csrfToken, providerOrigin: 'https://accounts.google.com' });
 * ```
 */
export function renderLinkLanding({ connector, identifier, action, csrfToken, providerOrigin, redirectOrigins = [] }: LinkLandingOptions): Page {
  const origin = new URL(providerOrigin);
  const name = connector.display_name;
  const body = html`<p>You will sign in at <strong>${origin.host}</strong> and choose what ${name} shares with this app. You can remove the access at any time.</p>
${identifierLine(identifier)}
<form method="post" action="${sameOriginPath(action)}">
${csrfInput(csrfToken)}
<button type="submit">Continue to ${name}</button>
</form>`;
  return page({ status: 200, title: `Connect your ${name} account`, body, formActionOrigins: [origin.origin, ...redirectOrigins] });
}

/**
 * Catalog patterns are ECMAScript regexes for the server's `new RegExp(p).test(v)`. Browsers
 * compile the `pattern` attribute as `^(?:p)$` with the `v` flag, which rejects some valid
 * patterns (an unescaped `-` in a class) and logs a console error. The attribute is only a hint,
 * so it is left out unless the browser would read it the same way; the server always validates.
 */
function browserPattern(pattern: string | undefined): string | undefined {
  if (pattern === undefined || !pattern.startsWith("^") || !pattern.endsWith("$")) return undefined;
  try {
    new RegExp(`^(?:${pattern})$`, "v");
    return pattern;
  } catch {
    return undefined;
  }
}

/** PEM keys are multi-line and an `<input>` drops line breaks on paste. */
const isMultiline = (field: CredentialField): boolean => field.pattern?.includes("-----BEGIN") === true;

function fieldMarkup(field: CredentialField, value: string, error: string | undefined): SafeHtml {
  const id = `field-${field.name}`;
  const describedBy = [field.hint !== undefined && `${id}-hint`, error !== undefined && `${id}-error`].filter(Boolean).join(" ");
  const a11y = html`${describedBy !== "" && html` aria-describedby="${describedBy}"`}${error !== undefined && html` aria-invalid="true"`}`;
  const required = field.required && html` required`;
  const pattern = browserPattern(field.pattern);
  // Secrets: no value attribute ever (a re-rendered form must not echo them), no autofill, no
  // spellcheck (some browsers send spellchecked text to a cloud service).
  const control = isMultiline(field)
    ? html`<textarea id="${id}" name="${field.name}" autocomplete="off" spellcheck="false" maxlength="${FIELD_MAX_LENGTH}"${required}${a11y}>${!field.secret && value}</textarea>`
    : field.secret
      ? html`<input id="${id}" name="${field.name}" type="password" autocomplete="off" spellcheck="false" maxlength="${FIELD_MAX_LENGTH}"${required}${a11y}>`
      : html`<input id="${id}" name="${field.name}" type="text" spellcheck="false" maxlength="${FIELD_MAX_LENGTH}" value="${value}"${required}${pattern !== undefined && html` pattern="${pattern}"`}${a11y}>`;
  return html`<div class="field">
<label for="${id}">${field.label}${!field.required && html` <span class="muted">(optional)</span>`}</label>
${control}
${field.hint !== undefined && html`<p class="hint" id="${id}-hint">${field.hint}</p>`}
${error !== undefined && html`<p class="error" id="${id}-error">${error}</p>`}
</div>`;
}

export type CredentialFormOptions = {
  connector: Connector;
  identifier: string;
  /** Same-origin path the form posts to. */
  action: string;
  csrfToken: string;
  /** Submitted values, to re-fill the form after a failed attempt; secret ones are ignored. */
  values: Readonly<Record<string, string>>;
  /** Field name → message shown next to the field. */
  fieldErrors: Readonly<Record<string, string>>;
  /** A message about the whole submission (e.g. the live credential check failed). */
  formError?: string | undefined;
};

/**
 * The hosted form for static-credential connectors (API key, bearer, basic, key pair). Answers
 * 400 when it is re-rendered with errors, 200 otherwise.
 *
 * @example
 * ```ts
 * renderCredentialForm({ connector, identifier, action: `/connect/links/${id}/credentials`, csrfToken, values: {}, fieldErrors: {} });
 * ```
 */
export function renderCredentialForm({ connector, identifier, action, csrfToken, values, fieldErrors, formError }: CredentialFormOptions): Page {
  const fields = connector.fields;
  if (fields === undefined) throw new Error(`connect-pages: connector ${connector.key} has no credential fields`);
  const known = new Set(fields.map((f) => f.name));
  const hasErrors = formError !== undefined || Object.keys(fieldErrors).some((name) => known.has(name));
  const valueOf = (field: CredentialField): string =>
    field.secret ? "" : Object.hasOwn(values, field.name) ? (values[field.name] ?? "") : (field.default ?? "");
  const errorOf = (field: CredentialField): string | undefined => (Object.hasOwn(fieldErrors, field.name) ? fieldErrors[field.name] : undefined);
  const body = html`<p>Enter the details below to connect ${connector.display_name}. Secret values are stored encrypted and are never shown again.</p>
${identifierLine(identifier)}
${formError !== undefined && html`<p class="error" role="alert">${formError}</p>`}
<form method="post" action="${sameOriginPath(action)}" autocomplete="off">
${csrfInput(csrfToken)}
${fields.map((field) => fieldMarkup(field, valueOf(field), errorOf(field)))}
<button type="submit">Connect ${connector.display_name}</button>
</form>`;
  return page({ status: hasErrors ? 400 : 200, title: `Connect your ${connector.display_name} account`, body });
}

/**
 * The page that ends a flow when the developer gave no redirect of their own.
 *
 * @example
 * ```ts
 * renderSuccessPage({ connectorDisplayName: 'Gmail' });
 * ```
 */
export function renderSuccessPage({ connectorDisplayName }: { connectorDisplayName?: string | undefined } = {}): Page {
  const body = html`<p>${connectorDisplayName === undefined ? "Your account is connected." : html`Your ${connectorDisplayName} account is connected.`} You can close this window.</p>`;
  return page({ status: 200, title: "Connected", body });
}
