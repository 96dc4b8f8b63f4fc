/**
 * @module What the account, playground and logs pages show the same way: an account's status and what
 * it means, times (absolute in UTC, and relative), pretty JSON, pager links, and the stylesheet those
 * pages add to the shell's (same-origin, so the CSP allows it; nothing inline).
 */
import type { AccountStatus } from '../domain/model.ts';
import { html, type SafeHtml } from '../pages/html.ts';

/** The stylesheet of the data pages (tables, charts, findings), linked from their bodies. */
export const DATA_CSS = '/dashboard/assets/dashboard-data.css';
export const dataStylesheet = (): SafeHtml => html`<link rel="stylesheet" href="${DATA_CSS}">`;

/** One plain sentence per status (SPEC §2, the troubleshooting guide's table). */
export const STATUS_MEANING: Readonly<Record<AccountStatus, string>> = {
  PENDING_AUTH: 'The user has not finished authorizing yet (or a new authorization was started). Send them an authorization link.',
  PENDING_VERIFICATION: 'The user authorized at the provider; the tokens are held until your app verifies that user (POST /api/v1/connected_accounts/user/verify).',
  ACTIVE: 'Credentials are valid: tool calls with this account work.',
  EXPIRED: 'The access token is dead and could not be refreshed (refresh token revoked, expired or missing). Try a refresh; if it fails, send the user a new authorization link.',
  DISCONNECTED: 'The account was disconnected and its credentials erased. A new authorization link connects it again.',
};

const STATUS_LABEL: Readonly<Record<AccountStatus, string>> = {
  PENDING_AUTH: 'Pending authorization',
  PENDING_VERIFICATION: 'Pending verification',
  ACTIVE: 'Active',
  EXPIRED: 'Expired',
  DISCONNECTED: 'Disconnected',
};

export function statusBadge(status: AccountStatus): SafeHtml {
  return html`<span class="badge status-${status.toLowerCase().replace(/_/g, '-')}" title="${STATUS_LABEL[status]}">${status}</span>`;
}

/** `2024-10-01 09:12:44 UTC`: one unambiguous form on every page (the server does not know the reader's zone). */
export function formatTime(at: Date | null | undefined): string {
  if (at === null || at === undefined) return '—';
  return `${at.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** `in 55 min`, `3 h ago`: the distance that matters for expiries and last use. */
export function relativeTime(at: Date, now: Date): string {
  const seconds = Math.round((at.getTime() - now.getTime()) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 5) return 'just now';
  const amount = abs < 90 ? `${abs} s` : abs < 5400 ? `${Math.round(abs / 60)} min` : abs < 129_600 ? `${Math.round(abs / 3600)} h` : `${Math.round(abs / 86_400)} days`;
  return seconds >= 0 ? `in ${amount}` : `${amount} ago`;
}

/** An absolute time with its distance from now, in a `<time>` element. */
export function timeCell(at: Date | null | undefined, now: Date): SafeHtml | string {
  if (at === null || at === undefined) return '—';
  return html`<time datetime="${at.toISOString()}">${formatTime(at)}</time> <span class="muted">(${relativeTime(at, now)})</span>`;
}

/** Token expiry in words: unknown, expired, or when. */
export function expiryCell(at: Date | null, now: Date): SafeHtml | string {
  if (at === null) return html`<span class="muted">not known</span>`;
  if (at.getTime() <= now.getTime()) return html`<span class="expired">expired</span> ${timeCell(at, now)}`;
  return timeCell(at, now);
}

/** Pretty-printed JSON in a `<pre>` (escaped by `html` like any text). */
export function jsonBlock(value: unknown, label: string): SafeHtml {
  const text = value === undefined ? 'undefined' : JSON.stringify(value, null, 2);
  return html`<pre class="json" tabindex="0" aria-label="${label}"><code>${text}</code></pre>`;
}

/** Previous / next links of a cursor page, keeping the page's other query parameters. */
export function pager(path: string, query: URLSearchParams, page: { prevPageToken: string; nextPageToken: string }): SafeHtml {
  const link = (token: string, label: string) => {
    const params = new URLSearchParams(query);
    params.set('page_token', token);
    return html`<a href="${path}?${params.toString()}" rel="${label === 'Next page' ? 'next' : 'prev'}">${label}</a>`;
  };
  if (page.prevPageToken === '' && page.nextPageToken === '') return html``;
  return html`<nav class="pager" aria-label="Pages">${page.prevPageToken !== '' && link(page.prevPageToken, 'Previous page')} ${page.nextPageToken !== '' && link(page.nextPageToken, 'Next page')}</nav>`;
}

/** The query without empty values (so filter links stay short) and without the page token. */
export function filterQuery(entries: Readonly<Record<string, string | undefined>>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(entries)) if (value !== undefined && value !== '') params.set(key, value);
  return params;
}
