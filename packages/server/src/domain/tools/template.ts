/**
 * @module The two small template languages of tool definitions (see catalog/tool-schema.ts):
 * filling a request template from the call's parameters, and shaping an upstream answer into the
 * compact JSON an LLM reads. Pure functions, so every tool's mapping is testable without a network.
 */
import { encodeBody } from './encoders.ts';

/** Marks "left out": a missing parameter removes its key instead of sending null. */
const OMIT: unique symbol = Symbol('omit');
type Filled = unknown | typeof OMIT;

const WHOLE = /^\{\{(\$?[a-z_][a-z0-9_]*)\}\}$/;
const INNER = /\{\{(\$?[a-z_][a-z0-9_]*)\}\}/g;

/** The parameter names a request template refers to (for start-time validation). */
export function templateParams(template: unknown, found = new Set<string>()): Set<string> {
  if (typeof template === 'string') {
    for (const match of template.matchAll(INNER)) if (match[1] !== undefined && !match[1].startsWith('$')) found.add(match[1]);
  } else if (Array.isArray(template)) {
    for (const item of template) templateParams(item, found);
  } else if (template !== null && typeof template === 'object') {
    for (const value of Object.values(template)) templateParams(value, found);
  }
  return found;
}

function fill(template: unknown, values: Readonly<Record<string, unknown>>): Filled {
  if (typeof template === 'string') {
    const whole = WHOLE.exec(template);
    if (whole?.[1] !== undefined) return values[whole[1]] === undefined ? OMIT : values[whole[1]];
    let missing = false;
    const text = template.replace(INNER, (_all, name: string) => {
      const value = values[name];
      if (value === undefined) missing = true;
      return typeof value === 'string' ? value : JSON.stringify(value ?? '');
    });
    return missing ? OMIT : text;
  }
  if (Array.isArray(template)) return template.map((item) => fill(item, values)).filter((item) => item !== OMIT);
  if (template !== null && typeof template === 'object') {
    const object = template as Record<string, unknown>;
    if ('$each' in object) {
      const list = fill(object.$each, values);
      if (list === OMIT) return OMIT;
      if (!Array.isArray(list)) return OMIT;
      return list.map((item) => fill(object.as, { ...values, $item: item })).filter((item) => item !== OMIT);
    }
    if ('$encode' in object) {
      const source = fill(object.from, values);
      return source === OMIT ? OMIT : encodeBody(String(object.$encode), source);
    }
    const keys = Object.keys(object);
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      const value = fill(object[key], values);
      if (value !== OMIT) out[key] = value;
    }
    return keys.length > 0 && Object.keys(out).length === 0 ? OMIT : out;
  }
  return template;
}

/** Fills a request template; `undefined` when everything in it referred to missing parameters. */
export function fillTemplate(template: unknown, values: Readonly<Record<string, unknown>>): unknown {
  const filled = fill(template, values);
  return filled === OMIT ? undefined : filled;
}

// ---------------------------------------------------------------------------------------------
// Response shaping

const SEGMENT = /\.([A-Za-z0-9_@-]+)|\[(\d+)\]|\["([^"]+)"\]/gy;

/** Reads `$`, `$.a.b`, `$.items[0].id`, `$["odata.nextLink"]` from `root`. */
export function readPath(root: unknown, path: string): unknown {
  let value = root;
  SEGMENT.lastIndex = 1;
  let consumed = 1;
  for (let match = SEGMENT.exec(path); match !== null; match = SEGMENT.exec(path)) {
    consumed = SEGMENT.lastIndex;
    const key = match[1] ?? match[3];
    if (value === null || typeof value !== 'object') return undefined;
    value = key !== undefined ? (value as Record<string, unknown>)[key] : (value as unknown[])[Number(match[2])];
  }
  return consumed === path.length ? value : undefined;
}

/** True for the paths `shapeResponse` understands (start-time validation). */
export function isShapePath(path: string): boolean {
  if (path.startsWith('$headers.')) return /^\$headers\.[a-z0-9-]+$/.test(path);
  if (path === '$') return true;
  SEGMENT.lastIndex = 1;
  let consumed = 1;
  for (let match = SEGMENT.exec(path); match !== null; match = SEGMENT.exec(path)) consumed = SEGMENT.lastIndex;
  return path.startsWith('$') && consumed === path.length;
}

export interface ShapeSource {
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string>>;
}

function shape(template: unknown, scope: unknown, source: ShapeSource): Filled {
  if (typeof template === 'string') {
    if (!template.startsWith('$')) return template;
    const value = template.startsWith('$headers.') ? source.headers[template.slice(9)] : readPath(scope, template);
    return value === undefined ? OMIT : value;
  }
  if (Array.isArray(template)) return template.map((item) => shape(item, scope, source)).filter((item) => item !== OMIT);
  if (template !== null && typeof template === 'object') {
    const object = template as Record<string, unknown>;
    if ('$each' in object) {
      const list = shape(object.$each, scope, source);
      if (!Array.isArray(list)) return list === OMIT ? OMIT : [];
      return list.map((item) => shape(object.as, item, source)).filter((item) => item !== OMIT);
    }
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(object)) {
      const shaped = shape(value, scope, source);
      if (shaped !== OMIT) out[key] = shaped;
    }
    return out;
  }
  return template;
}

/** Shapes an upstream answer; no shape returns the body unchanged. */
export function shapeResponse(template: unknown, source: ShapeSource): unknown {
  if (template === undefined) return source.body;
  const shaped = shape(template, source.body, source);
  return shaped === OMIT ? null : shaped;
}

/** The `$paths` a shape uses (start-time validation). */
export function shapePaths(template: unknown, found: string[] = []): string[] {
  if (typeof template === 'string' && template.startsWith('$')) found.push(template);
  else if (Array.isArray(template)) for (const item of template) shapePaths(item, found);
  else if (template !== null && typeof template === 'object') for (const value of Object.values(template)) shapePaths(value, found);
  return found;
}
