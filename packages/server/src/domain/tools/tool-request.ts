/**
 * @module One tool call → the provider request it stands for (method, path, query, headers, body),
 * before credentials: `outbound/credential-request.ts` then adds the base URL and the credential.
 */
import type { CatalogTool } from '../../catalog/tool-schema.ts';
import { fillTemplate } from './template.ts';

export interface ToolHttpRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string | string[]>;
  readonly headers: Record<string, string>;
  /** Already encoded (JSON text or a form), or undefined. */
  readonly body: string | undefined;
}

function scalar(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** `{a: {b: 1}, c: [x, y]}` → `a[b]=1&c[0]=x&c[1]=y` (the bracket convention Stripe and others read). */
function formEncode(value: unknown): string {
  const params = new URLSearchParams();
  const walk = (prefix: string, item: unknown) => {
    if (item === undefined || item === null) return;
    if (Array.isArray(item)) item.forEach((child, index) => walk(`${prefix}[${index}]`, child));
    else if (typeof item === 'object') for (const [key, child] of Object.entries(item)) walk(prefix === '' ? key : `${prefix}[${key}]`, child);
    else params.append(prefix, scalar(item));
  };
  walk('', value);
  return params.toString();
}

export function buildToolRequest(tool: CatalogTool, params: Readonly<Record<string, unknown>>): ToolHttpRequest {
  const { request } = tool;
  // Required placeholders are guaranteed by the input schema; encodeURIComponent keeps a value in its segment.
  const path = request.path.replace(/\{([a-z_][a-z0-9_]*)\}/g, (_all, name: string) => encodeURIComponent(scalar(params[name])));
  const query: Record<string, string | string[]> = {};
  const filledQuery = fillTemplate(request.query ?? {}, params) as Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(filledQuery ?? {})) {
    if (value === null) continue;
    query[key] = Array.isArray(value) ? value.map(scalar) : scalar(value);
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries((fillTemplate(request.headers ?? {}, params) ?? {}) as Record<string, unknown>)) headers[name] = scalar(value);
  let body: string | undefined;
  if (request.body !== undefined) {
    const filled = fillTemplate(request.body, params);
    const form = request.body_encoding === 'form';
    body = form ? formEncode(filled ?? {}) : JSON.stringify(filled ?? {});
    // A tool may name its own media type (ZoomInfo's application/vnd.api+json); otherwise the encoding's.
    if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) headers['Content-Type'] = form ? 'application/x-www-form-urlencoded' : 'application/json';
  }
  return { method: request.method, path, query, headers, body };
}
