/**
 * @module html — the escaping tagged template every hosted page is built with.
 *
 * Hosted pages show text that nobody on our side controls: a provider's `error_description`, the
 * developer's `identifier`, connector labels, values the end user typed. The only way to put text
 * into markup is `html\`...\``, which escapes every interpolated value unless it is a
 * {@link SafeHtml} that `html` itself produced. There is deliberately no "raw" escape hatch: a page
 * that needs markup builds it with `html` too, so an XSS needs a bug in this file, not a slip in a
 * page.
 */

/**
 * Markup produced by {@link html}. The class is not exported, so `instanceof` cannot be satisfied
 * by anything built elsewhere (a structurally identical object is still escaped).
 */
class SafeHtml {
  readonly #markup: string;

  constructor(markup: string) {
    this.#markup = markup;
  }

  /** The markup as a string, e.g. for a response body. */
  toString(): string {
    return this.#markup;
  }
}

export type { SafeHtml };

/**
 * What may be interpolated: text (escaped), numbers, markup from `html`, lists of those (joined
 * without separator), and `false` / `null` / `undefined`, which render nothing so that
 * `${cond && html\`...\`}` works. `true` is excluded because it would print "true".
 */
export type HtmlValue = SafeHtml | string | number | false | null | undefined | readonly HtmlValue[];

const ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
  // Backtick: old IE treated it as an attribute quote; escaping it costs nothing.
  "`": "&#96;",
};

/**
 * Escapes text for use in element content and in quoted attribute values.
 *
 * @example
 * ```ts
 * escapeHtml('<script>alert("x")</script>') // '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (ch) => ESCAPES[ch] ?? ch);
}

function render(value: HtmlValue): string {
  if (value === false || value === null || value === undefined) return "";
  if (value instanceof SafeHtml) return value.toString();
  if (Array.isArray(value)) return value.map((item: HtmlValue) => render(item)).join("");
  if (typeof value === "number") return escapeHtml(String(value));
  if (typeof value === "string") return escapeHtml(value);
  // Unreachable for typed callers; an object slipping through at run time must not print its
  // own toString() unescaped.
  return escapeHtml(String(value));
}

/**
 * Tagged template: the literal parts are trusted markup, every `${value}` is escaped unless it is
 * {@link SafeHtml}. Attribute values must be written inside double quotes in the template.
 *
 * @example
 * ```ts
 * const name = '"><img src=x onerror=alert(1)>';
 * html`<input value="${name}">`.toString(); // '<input value="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">'
 * html`<ul>${['a', 'b'].map((x) => html`<li>${x}</li>`)}</ul>`; // lists are joined
 * ```
 */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0] ?? "";
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? "");
  });
  return new SafeHtml(out);
}
