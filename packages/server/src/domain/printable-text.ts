/**
 * @module Text from outside (a provider's error codes and messages) kept for display: stored in
 * events, shown by diagnose, the CLI and the hosted pages. Escaping makes it safe for HTML and JSON,
 * but a terminal still obeys ANSI escapes and bidi overrides make text read differently ("Trojan
 * Source"), so those are removed once, here.
 */

/** C0/C1 controls (but tab and newline) and bidi overrides. */
export const UNPRINTABLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** `text` without control characters, trimmed and capped at `max` (an ellipsis marks the cut); null when nothing is left. */
export function printable(text: string | null | undefined, max: number): string | null {
  const value = text?.replace(UNPRINTABLE, '').trim() ?? '';
  if (value === '') return null;
  return value.length > max ? `${value.slice(0, max)}…` : value;
}
