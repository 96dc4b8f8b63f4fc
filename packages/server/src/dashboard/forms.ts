/**
 * @module Form building blocks of the dashboard: every control has a visible `<label>`, its hint and
 * error are tied to it with `aria-describedby`, and an invalid one says so with `aria-invalid`.
 * Reading posted forms lives here too (urlencoded bodies: a repeated name arrives as a list).
 */
import { html, type SafeHtml } from '../pages/html.ts';
import { CSRF_FIELD } from './csrf.ts';

/** What @fastify/formbody hands over for an urlencoded body. */
export type PostedForm = Readonly<Record<string, string | readonly string[] | undefined>>;

/** Field name → message shown next to that field. */
export type FieldErrors = Readonly<Record<string, string>>;

export function formValue(form: PostedForm, name: string): string {
  const value = form[name];
  return (typeof value === 'string' ? value : value?.[0]) ?? '';
}

export function formValues(form: PostedForm, name: string): string[] {
  const value = form[name];
  return value === undefined ? [] : typeof value === 'string' ? [value] : [...value];
}

export function formChecked(form: PostedForm, name: string): boolean {
  return formValues(form, name).includes('on');
}

/** The hidden synchronizer-token field: put it in every POST form. */
export const csrfInput = (token: string): SafeHtml => html`<input type="hidden" name="${CSRF_FIELD}" value="${token}">`;

const describedBy = (id: string, hint: string | undefined, error: string | undefined): SafeHtml => {
  const ids = [hint !== undefined && `${id}-hint`, error !== undefined && `${id}-error`].filter(Boolean).join(' ');
  return html`${ids !== '' && html` aria-describedby="${ids}"`}${error !== undefined && html` aria-invalid="true"`}`;
};

const hintAndError = (id: string, hint: string | undefined, error: string | undefined): SafeHtml =>
  html`${hint !== undefined && html`<p class="hint" id="${id}-hint">${hint}</p>`}${error !== undefined && html`<p class="error" id="${id}-error">${error}</p>`}`;

export interface TextFieldOptions {
  readonly name: string;
  readonly label: string;
  readonly value?: string | undefined;
  readonly type?: 'text' | 'password' | 'url' | 'search';
  readonly hint?: string | undefined;
  readonly error?: string | undefined;
  readonly required?: boolean;
  readonly readonly?: boolean;
  readonly autocomplete?: string;
  /** Defaults to `field-<name>`. */
  readonly id?: string;
  readonly maxlength?: number;
}

/** A labelled input. Password inputs never render a value: a secret is write-only. */
export function textField(o: TextFieldOptions): SafeHtml {
  const id = o.id ?? `field-${o.name}`;
  const type = o.type ?? 'text';
  const value = type === 'password' ? undefined : o.value;
  return html`<div class="field">
<label for="${id}">${o.label}${o.required !== true && o.readonly !== true && html` <span class="muted">(optional)</span>`}</label>
<input id="${id}" name="${o.name}" type="${type}" spellcheck="false" maxlength="${o.maxlength ?? 2048}"${value !== undefined && html` value="${value}"`}${o.required === true && html` required`}${o.readonly === true && html` readonly`} autocomplete="${o.autocomplete ?? 'off'}"${describedBy(id, o.hint, o.error)}>
${hintAndError(id, o.hint, o.error)}
</div>`;
}

export interface TextAreaOptions {
  readonly name: string;
  readonly label: string;
  readonly value?: string | undefined;
  readonly hint?: string | undefined;
  readonly error?: string | undefined;
  readonly rows?: number;
}

export function textArea(o: TextAreaOptions): SafeHtml {
  const id = `field-${o.name}`;
  return html`<div class="field">
<label for="${id}">${o.label} <span class="muted">(optional)</span></label>
<textarea id="${id}" name="${o.name}" rows="${o.rows ?? 3}" spellcheck="false"${describedBy(id, o.hint, o.error)}>${o.value ?? ''}</textarea>
${hintAndError(id, o.hint, o.error)}
</div>`;
}

export interface CheckboxOptions {
  readonly name: string;
  readonly label: string | SafeHtml;
  readonly checked: boolean;
  /** The posted value; `on` by default (read with {@link formChecked}). */
  readonly value?: string;
  readonly hint?: string | undefined;
  readonly id?: string;
}

export function checkbox(o: CheckboxOptions): SafeHtml {
  const id = o.id ?? `field-${o.name}`;
  return html`<div class="check">
<input type="checkbox" id="${id}" name="${o.name}" value="${o.value ?? 'on'}"${o.checked && html` checked`}${o.hint !== undefined && html` aria-describedby="${id}-hint"`}>
<label for="${id}">${o.label}</label>
${o.hint !== undefined && html`<p class="hint" id="${id}-hint">${o.hint}</p>`}
</div>`;
}

export interface SelectOptions {
  readonly name: string;
  readonly label: string;
  readonly options: readonly { readonly value: string; readonly label: string }[];
  readonly selected: string;
  readonly hint?: string | undefined;
  readonly error?: string | undefined;
}

export function selectField(o: SelectOptions): SafeHtml {
  const id = `field-${o.name}`;
  return html`<div class="field">
<label for="${id}">${o.label}</label>
<select id="${id}" name="${o.name}"${describedBy(id, o.hint, o.error)}>
${o.options.map((opt) => html`<option value="${opt.value}"${opt.value === o.selected && html` selected`}>${opt.label}</option>`)}
</select>
${hintAndError(id, o.hint, o.error)}
</div>`;
}

/**
 * A read-only value with a copy button. The button is hidden until dashboard.js shows it (it does
 * nothing without script); the value stays selectable either way.
 */
export function copyableValue(o: { id: string; label: string; value: string; hint?: string }): SafeHtml {
  return html`<div class="field copyable">
<label for="${o.id}">${o.label}</label>
<div class="copy-row">
<input id="${o.id}" type="text" readonly value="${o.value}"${o.hint !== undefined && html` aria-describedby="${o.id}-hint"`}>
<button type="button" class="secondary" data-copy="${o.id}" hidden>Copy</button>
</div>
${o.hint !== undefined && html`<p class="hint" id="${o.id}-hint">${o.hint}</p>`}
<p class="copy-status" role="status" data-copy-status="${o.id}"></p>
</div>`;
}

/** A form that is only a button (enable, send test event, ...). */
export function buttonForm(o: { action: string; csrfToken: string; label: string | SafeHtml; danger?: boolean; confirm?: string; hidden?: Readonly<Record<string, string>> }): SafeHtml {
  return html`<form class="inline" method="post" action="${o.action}"${o.confirm !== undefined && html` data-confirm="${o.confirm}"`}>
${csrfInput(o.csrfToken)}
${Object.entries(o.hidden ?? {}).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
<button type="submit"${o.danger === true ? html` class="danger"` : html` class="secondary"`}>${o.label}</button>
</form>`;
}

/** The first error of each field from a GatewayError's `details.issues` (paths like `connection.name`). */
export function issuesToFieldErrors(issues: unknown, fieldOf: (path: string) => string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(issues)) return out;
  for (const issue of issues as { path?: unknown; message?: unknown }[]) {
    const field = typeof issue.path === 'string' ? fieldOf(issue.path) : undefined;
    if (field !== undefined && out[field] === undefined && typeof issue.message === 'string') out[field] = issue.message;
  }
  return out;
}
