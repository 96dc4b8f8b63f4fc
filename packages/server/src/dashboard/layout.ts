/**
 * @module The dashboard's page shell, its CSP and security headers.
 *
 * Unlike the hosted flow pages, the dashboard has one same-origin stylesheet and one same-origin
 * script (progressive enhancement only: every form works without it), so the CSP allows `'self'`
 * for both and still nothing inline: an injected `<script>` or `style=""` does not run.
 */
import { html, type SafeHtml } from '../pages/html.ts';
import { PAGE_HEADERS } from '../pages/layout.ts';
import { CSRF_FIELD } from './csrf.ts';
import { NAV_ITEMS } from './nav.ts';

export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/** Every dashboard answer (pages, redirects, error pages) carries these. */
export const DASHBOARD_HEADERS = Object.freeze({ ...PAGE_HEADERS, 'content-security-policy': DASHBOARD_CSP });

export const ASSET_PATHS = { css: '/dashboard/assets/dashboard.css', js: '/dashboard/assets/dashboard.js' } as const;

export type FlashKind = 'notice' | 'error';
export interface Flash {
  readonly kind: FlashKind;
  readonly text: string;
}

export interface ShellOptions {
  /** Plain text: `<title>` and the page's single `<h1>`. */
  readonly title: string;
  readonly body: SafeHtml;
  /** The nav entry to mark as current (a {@link NAV_ITEMS} key). */
  readonly section?: string | undefined;
  readonly flash?: Flash | undefined;
  /** Signed in: nav, environment name and the sign-out button; signed out: just the page. */
  readonly signedIn?: { readonly environmentName: string; readonly csrfToken: string } | undefined;
}

function flashMarkup(flash: Flash | undefined): SafeHtml | false {
  if (flash === undefined) return false;
  return flash.kind === 'error'
    ? html`<p class="flash flash-error" role="alert">${flash.text}</p>`
    : html`<p class="flash flash-notice" role="status">${flash.text}</p>`;
}

function header(signedIn: NonNullable<ShellOptions['signedIn']>, section: string | undefined): SafeHtml {
  return html`<header class="top">
<a class="brand" href="/dashboard">Agentgate</a>
<span class="env">Environment <strong>${signedIn.environmentName}</strong></span>
<form class="sign-out" method="post" action="/dashboard/sign-out">
<input type="hidden" name="${CSRF_FIELD}" value="${signedIn.csrfToken}">
<button type="submit" class="secondary">Sign out</button>
</form>
</header>
<nav aria-label="Dashboard">
<ul>
${NAV_ITEMS.map((item) => html`<li><a href="${item.href}"${item.key === section && html` aria-current="page"`}>${item.label}</a></li>`)}
</ul>
</nav>`;
}

/** The whole document. The empty `data:,` icon keeps browsers from asking for /favicon.ico (a 404 is a console error). */
export function renderShell({ title, body, section, flash, signedIn }: ShellOptions): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${ASSET_PATHS.css}">
<script src="${ASSET_PATHS.js}" defer></script>
<title>${title} · Agentgate dashboard</title>
</head>
<body${signedIn === undefined && html` class="signed-out"`}>
<a class="skip-link" href="#main">Skip to content</a>
${signedIn !== undefined && header(signedIn, section)}
<main id="main" tabindex="-1">
<h1>${title}</h1>
${flashMarkup(flash)}
${body}
</main>
</body>
</html>
`.toString();
}
