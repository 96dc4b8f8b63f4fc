/**
 * @module A form generated from a tool's JSON Schema (the playground): one labelled control per
 * top-level property — text for strings, number inputs for numbers and integers, a select for enums
 * and booleans, one-per-line text for arrays of strings, and a JSON text area for anything richer
 * (nested objects, arrays of objects) — with the description as the hint and required ones marked.
 * Posted values become the parameters object; the tool's own schema check (`checkParams`, in the
 * execution path) stays the judge, its issues shown next to the fields they name.
 */
import { html, type SafeHtml } from '../pages/html.ts';
import { formValue, type FieldErrors, type PostedForm } from './forms.ts';

export type FieldKind = 'string' | 'text' | 'number' | 'integer' | 'boolean' | 'enum' | 'string-list' | 'json';

export interface SchemaField {
  readonly name: string;
  readonly kind: FieldKind;
  readonly required: boolean;
  readonly description?: string | undefined;
  readonly enumValues?: readonly string[];
  readonly defaultValue?: unknown;
  readonly minimum?: number | undefined;
  readonly maximum?: number | undefined;
}

type Schema = Readonly<Record<string, unknown>>;

const isSchema = (value: unknown): value is Schema => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `type` may be a list (`["string", "null"]`): the first that is not null. */
function typeOf(schema: Schema): string | undefined {
  const type = schema['type'];
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return type.find((t): t is string => typeof t === 'string' && t !== 'null');
  return undefined;
}

/** Free-text strings that are usually long (a message body) get a text area. */
const LONG_TEXT = /^(body|text|content|description|message|html|markdown|query_text|comment)$/;

function kindOf(name: string, schema: Schema): Pick<SchemaField, 'kind' | 'enumValues'> {
  const values = schema['enum'];
  if (Array.isArray(values) && values.length > 0 && values.every((v) => typeof v === 'string')) return { kind: 'enum', enumValues: values as string[] };
  const type = typeOf(schema);
  if (type === 'string') return { kind: LONG_TEXT.test(name) || (typeof schema['maxLength'] === 'number' && schema['maxLength'] > 500) ? 'text' : 'string' };
  if (type === 'integer' || type === 'number' || type === 'boolean') return { kind: type };
  if (type === 'array' && isSchema(schema['items']) && typeOf(schema['items']) === 'string') return { kind: 'string-list' };
  // "a string, or a list of them" (e.g. gmail_send_email's `to`): the single string is the simple form.
  const branches = schema['anyOf'] ?? schema['oneOf'];
  if (type === undefined && Array.isArray(branches) && branches.some((b) => isSchema(b) && typeOf(b) === 'string' && b['enum'] === undefined)) return { kind: 'string' };
  return { kind: 'json' };
}

/** The controls a tool's input schema asks for, in its property order. */
export function fieldsOf(inputSchema: Schema): SchemaField[] {
  const properties = isSchema(inputSchema['properties']) ? inputSchema['properties'] : {};
  const required = new Set(Array.isArray(inputSchema['required']) ? inputSchema['required'].filter((r): r is string => typeof r === 'string') : []);
  return Object.entries(properties).map(([name, raw]) => {
    const schema = isSchema(raw) ? raw : {};
    return {
      name,
      ...kindOf(name, schema),
      required: required.has(name),
      description: typeof schema['description'] === 'string' ? schema['description'] : typeof schema['title'] === 'string' ? schema['title'] : undefined,
      ...(schema['default'] === undefined ? {} : { defaultValue: schema['default'] }),
      minimum: typeof schema['minimum'] === 'number' ? schema['minimum'] : undefined,
      maximum: typeof schema['maximum'] === 'number' ? schema['maximum'] : undefined,
    };
  });
}

/** Posted names are `param.<property>`, apart from the form's own fields. */
export const paramName = (field: Pick<SchemaField, 'name'>) => `param.${field.name}`;
const idOf = (field: SchemaField) => `param-${field.name.replace(/[^A-Za-z0-9_-]/g, '_')}`;

const KIND_HINT: Readonly<Record<FieldKind, string | undefined>> = {
  string: undefined,
  text: undefined,
  number: 'A number.',
  integer: 'A whole number.',
  boolean: undefined,
  enum: undefined,
  'string-list': 'One value per line.',
  json: 'JSON (an object or a list), e.g. {"key": "value"}.',
};

function hintOf(field: SchemaField): string | undefined {
  const parts = [
    field.description,
    KIND_HINT[field.kind],
    field.minimum !== undefined || field.maximum !== undefined ? `Range ${field.minimum ?? '…'} to ${field.maximum ?? '…'}.` : undefined,
    field.defaultValue !== undefined ? `Default ${JSON.stringify(field.defaultValue)}.` : undefined,
  ].filter((p): p is string => p !== undefined);
  return parts.length === 0 ? undefined : parts.join(' ');
}

function control(field: SchemaField, value: string, error: string | undefined): SafeHtml {
  const id = idOf(field);
  const name = paramName(field);
  const hint = hintOf(field);
  const described = [hint !== undefined && `${id}-hint`, error !== undefined && `${id}-error`].filter(Boolean).join(' ');
  const a11y = html`${field.required && html` required aria-required="true"`}${described !== '' && html` aria-describedby="${described}"`}${error !== undefined && html` aria-invalid="true"`}`;
  let input: SafeHtml;
  switch (field.kind) {
    case 'enum':
    case 'boolean': {
      const options = field.kind === 'boolean' ? ['true', 'false'] : (field.enumValues ?? []);
      input = html`<select id="${id}" name="${name}"${a11y}>${!field.required && html`<option value="">(not set)</option>`}${options.map((o) => html`<option value="${o}"${o === value && html` selected`}>${o}</option>`)}</select>`;
      break;
    }
    case 'number':
    case 'integer':
      input = html`<input id="${id}" name="${name}" type="number" step="${field.kind === 'integer' ? '1' : 'any'}"${field.minimum !== undefined && html` min="${field.minimum}"`}${field.maximum !== undefined && html` max="${field.maximum}"`} value="${value}"${a11y}>`;
      break;
    case 'text':
    case 'string-list':
    case 'json':
      input = html`<textarea id="${id}" name="${name}" rows="${field.kind === 'json' ? 5 : 3}" spellcheck="false"${a11y}>${value}</textarea>`;
      break;
    default:
      input = html`<input id="${id}" name="${name}" type="text" spellcheck="false" autocomplete="off" value="${value}"${a11y}>`;
  }
  return html`<div class="field">
<label for="${id}"><code>${field.name}</code> ${field.required ? html`<span class="missing">(required)</span>` : html`<span class="muted">(optional)</span>`}</label>
${input}
${hint !== undefined && html`<p class="hint" id="${id}-hint">${hint}</p>`}${error !== undefined && html`<p class="error" id="${id}-error">${error}</p>`}
</div>`;
}

/** The controls of every field, showing what was posted (nothing on a first visit: defaults apply server-side). */
export function schemaControls(fields: readonly SchemaField[], values: PostedForm, errors: FieldErrors): SafeHtml {
  if (fields.length === 0) return html`<p class="muted">This tool takes no parameters.</p>`;
  return html`${fields.map((f) => control(f, formValue(values, paramName(f)), errors[f.name]))}`;
}

/** Posted form → parameters, with a message per field that could not be read (empty fields are left out). */
export function parseSchemaForm(fields: readonly SchemaField[], form: PostedForm): { params: Record<string, unknown>; errors: Record<string, string> } {
  const params: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const field of fields) {
    const raw = formValue(form, paramName(field));
    const text = field.kind === 'text' || field.kind === 'string' ? raw : raw.trim();
    if (text === '') continue;
    switch (field.kind) {
      case 'number':
      case 'integer': {
        const n = Number(text);
        if (!Number.isFinite(n) || (field.kind === 'integer' && !Number.isInteger(n))) errors[field.name] = field.kind === 'integer' ? 'Enter a whole number.' : 'Enter a number.';
        else params[field.name] = n;
        break;
      }
      case 'boolean':
        params[field.name] = text === 'true';
        break;
      case 'string-list':
        params[field.name] = text.split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
        break;
      case 'json':
        try {
          params[field.name] = JSON.parse(text);
        } catch (error) {
          errors[field.name] = `Not valid JSON: ${(error as Error).message}`;
        }
        break;
      default:
        params[field.name] = text;
    }
  }
  return { params, errors };
}

/** The schema check's issues (`params.<name>…`) as messages next to their fields. */
export function issuesByField(issues: unknown, fields: readonly SchemaField[]): Record<string, string> {
  const known = new Set(fields.map((f) => f.name));
  const out: Record<string, string> = {};
  if (!Array.isArray(issues)) return out;
  for (const issue of issues as { path?: unknown; message?: unknown }[]) {
    if (typeof issue.path !== 'string' || typeof issue.message !== 'string') continue;
    const [root, name] = issue.path.split('.');
    if (root === 'params' && name !== undefined && known.has(name) && out[name] === undefined) out[name] = issue.message;
  }
  return out;
}
