/**
 * @module layout — the shell shared by every hosted page, its Content-Security-Policy and the
 * constant security headers.
 *
 * Hosted pages run on the authorization path (link landing, credential form, error and success
 * pages), so they carry no JavaScript, no third-party asset and no image the page needs to be
 * understood: nothing a compromised CDN or an injected script could use to read a code, a
 * CSRF token or a typed secret (RFC 6749 §3.1.2.5, RFC 9700 §4.16). The single inline stylesheet
 * is allowed by its hash, so the CSP needs neither `'unsafe-inline'` nor a nonce.
 */
import { createHash } from "node:crypto";
import { escapeHtml, html, type SafeHtml } from "./html.ts";

/**
 * The only stylesheet. It must contain none of `& < > " ' \``: it is interpolated through `html`
 * (there is no raw escape hatch) and escaping would change the bytes the CSP hash covers. The check
 * below makes a violating edit fail at import time instead of silently unstyling every page.
 */
export const STYLESHEET = [
  ":root{color-scheme:light dark;--fg:#1d2025;--muted:#5b6270;--bg:#f6f7f9;--card:#fff;--line:#d5d9e0;--accent:#2446c7;--error:#b42318}",
  "@media (prefers-color-scheme:dark){:root{--fg:#e8eaee;--muted:#a9b0bd;--bg:#14161a;--card:#1d2026;--line:#3a3f49;--accent:#8fa6ff;--error:#ff8a80}}",
  "*{box-sizing:border-box}",
  "body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif}",
  "main{max-width:32rem;margin:2rem auto;padding:1.5rem;background:var(--card);border:1px solid var(--line);border-radius:.5rem}",
  "h1{font-size:1.4rem;line-height:1.25;margin:0 0 1rem}",
  "h2{font-size:1.05rem;margin:1.25rem 0 .25rem}",
  "p{margin:.5rem 0}",
  "a{color:var(--accent)}",
  "code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.875rem;overflow-wrap:anywhere}",
  "pre{white-space:pre-wrap;margin:.25rem 0;padding:.5rem;border:1px solid var(--line);border-radius:.25rem}",
  ".muted,.hint,footer{color:var(--muted);font-size:.875rem}",
  ".field{margin:1rem 0}",
  "label{display:block;font-weight:600}",
  "input,textarea{display:block;width:100%;margin-top:.25rem;padding:.5rem;font:inherit;color:inherit;background:var(--card);border:1px solid var(--line);border-radius:.25rem}",
  "textarea{min-height:8rem;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.8rem}",
  "input:focus,textarea:focus,button:focus,summary:focus{outline:2px solid var(--accent);outline-offset:2px}",
  "[aria-invalid=true]{border-color:var(--error)}",
  ".error{color:var(--error);font-weight:600}",
  "button{margin-top:1rem;padding:.6rem 1.2rem;font:inherit;font-weight:600;color:#fff;background:#2446c7;border:0;border-radius:.25rem;cursor:pointer}",
  "details{margin-top:1.25rem;padding-top:.75rem;border-top:1px solid var(--line)}",
  "summary{cursor:pointer}",
  "dt{font-weight:600;margin-top:.5rem}",
  "dd{margin:0}",
  "footer{max-width:32rem;margin:0 auto 2rem;padding:0 1.5rem;text-align:center}",
].join("");

if (escapeHtml(STYLESHEET) !== STYLESHEET) {
  throw new Error("layout: STYLESHEET contains a character that html escaping would change");
}

/** `sha256-<base64>` of the exact stylesheet bytes, as CSP `style-src` expects. */
export const STYLESHEET_HASH = `sha256-${createHash("sha256").update(STYLESHEET, "utf8").digest("base64")}`;

/**
 * Headers every hosted page response carries besides `content-security-policy` (which depends on
 * the page). `x-frame-options` backs up `frame-ancestors` for browsers without CSP2; `no-store`
 * keeps pages showing a flow's state out of shared and back-button caches.
 */
export const PAGE_HEADERS = Object.freeze({
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
  "cross-origin-opener-policy": "same-origin",
  "content-type": "text/html; charset=utf-8",
} as const);

/** A rendered hosted page: the route sends `html` with `status`, `PAGE_HEADERS` and `csp`. */
export type Page = { status: number; html: string; csp: string };

/**
 * Normalises an extra `form-action` source to a bare origin. Anything else (a path, `*`, a
 * string with `;` or a space) is refused, because it would widen or rewrite the policy.
 */
function cspOrigin(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`layout: form-action origin is not a URL: ${JSON.stringify(value)}`);
  }
  if ((url.protocol !== "https:" && url.protocol !== "http:") || url.origin === "null") {
    throw new Error(`layout: form-action origin must be http(s): ${JSON.stringify(value)}`);
  }
  return url.origin;
}

/**
 * The page CSP. `form-action` lists the extra origins because Chrome applies it to the redirect
 * that follows a form POST (the landing page's 303 to the provider).
 *
 * @example
 * ```ts
 * buildCsp(['https://accounts.google.com'])
 * // "default-src 'none'; style-src 'sha256-…'; img-src 'self' data:; form-action 'self' https://accounts.google.com; frame-ancestors 'none'; base-uri 'none'"
 * ```
 */
export function buildCsp(formActionOrigins: readonly string[] = []): string {
  const origins = [...new Set(formActionOrigins.map(cspOrigin))];
  const formAction = ["'self'", ...origins].join(" ");
  return [
    "default-src 'none'",
    `style-src '${STYLESHEET_HASH}'`,
    "img-src 'self' data:",
    `form-action ${formAction}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join("; ");
}

export type PageOptions = {
  status: number;
  /** Plain text; used for `<title>` and the page's single `<h1>`. */
  title: string;
  /** Markup under the heading, built with `html`. */
  body: SafeHtml;
  /** Origins a form on the page may post (or be redirected) to, besides 'self'. */
  formActionOrigins?: readonly string[];
};

/**
 * Wraps a page body in the shared shell. The empty `data:,` icon keeps browsers from fetching
 * `/favicon.ico`, whose 404 would be a console error on every hosted page.
 *
 * @example
 * ```ts
 * const p = page({ status: 200, title: 'Connected', body: html`<p>You can close this window.</p>` });
 * reply.code(p.status).headers({ ...PAGE_HEADERS, 'content-security-policy': p.csp }).send(p.html);
 * ```
 */
export function page({ status, title, body, formActionOrigins = [] }: PageOptions): Page {
  const document = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<link rel="icon" href="data:,">
<title>${title} · Agentgate</title>
<style>${STYLESHEET}</style>
</head>
<body>
<main>
<h1>${title}</h1>
${body}
</main>
<footer>Secured by Agentgate</footer>
</body>
</html>
`;
  return { status, html: document.toString(), csp: buildCsp(formActionOrigins) };
}
