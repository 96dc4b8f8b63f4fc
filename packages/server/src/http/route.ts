/**
 * @module Route definitions: one declaration gives the Fastify handler, strict zod input parsing and
 * the OpenAPI operation, so the served document cannot drift from what the server accepts.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { GatewayError, type ErrorCode } from '../errors.ts';
import type { Caller } from '../domain/machine-auth/machine-auth.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteInput<B, Q, P> {
  readonly body: B;
  readonly query: Q;
  readonly params: P;
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
}

export interface RouteSpec<B = unknown, Q = unknown, P = unknown> {
  readonly method: HttpMethod;
  /** OpenAPI-style path: `/api/v1/connections/{id}`, actions as `/api/v1/connected_accounts/{id}:disconnect`. */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly tag: string;
  /** Bearer auth from POST /oauth/token; the caller is then on `request.caller`. */
  readonly auth: boolean;
  readonly body?: z.ZodType<B>;
  readonly query?: z.ZodType<Q>;
  readonly params?: z.ZodType<P>;
  readonly response?: z.ZodType;
  readonly status?: number;
  readonly errors: readonly ErrorCode[];
  /** Left out of the OpenAPI document (aliases of documented routes). */
  readonly hidden?: boolean;
  /** Accepts an application/x-www-form-urlencoded body (only the OAuth token endpoint: RFC 6749 says so). */
  readonly acceptsForm?: boolean;
  readonly handler: (input: RouteInput<B, Q, P>) => Promise<unknown>;
}

declare module 'fastify' {
  interface FastifyRequest {
    caller?: Caller;
  }
}

/** Lets a route file keep its types while the registry holds many kinds of route. */
export function defineRoute<B = undefined, Q = undefined, P = undefined>(spec: RouteSpec<B, Q, P>): RouteSpec {
  return spec as unknown as RouteSpec;
}

/** Describes zod issues as `{path, message}` pairs a developer can act on. */
export function validationError(error: z.ZodError, prefix: string): GatewayError {
  const issues = error.issues.flatMap((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: [path, key].filter(Boolean).join('.'), message: 'unknown field' }));
    }
    return [{ path: path === '' ? prefix || 'body' : path, message: issue.message }];
  });
  const summary = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  return new GatewayError('validation_failed', `The request is not valid: ${summary}`, { details: { issues } });
}

function parse<T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T {
  if (schema === undefined) return undefined as T;
  const result = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
  if (!result.success) throw validationError(result.error, where === 'body' ? '' : where);
  return result.data;
}

const ACTION = /^(.*)\{(\w+)\}:([a-z_]+)$/;

/** `/x/{id}` → `/x/:id`; a literal colon (`/x:search`) is escaped for Fastify's router. */
function fastifyPath(path: string): { url: string; param?: string; action?: string } {
  const action = ACTION.exec(path);
  if (action !== null) {
    const [, prefix = '', param = '', name = ''] = action;
    return { url: `${prefix.replace(/:/g, '::')}:${param}`, param, action: name };
  }
  return { url: path.replace(/:/g, '::').replace(/\{(\w+)\}/g, ':$1') };
}

/**
 * Registers routes. Routes that share a Fastify path (`/{id}` and `/{id}:disconnect`) are dispatched
 * by the `:action` suffix of the last segment, which connection names and ids can never contain.
 */
export function registerRoutes(app: FastifyInstance, specs: readonly RouteSpec[], authenticate: (request: FastifyRequest) => Promise<void>): void {
  const groups = new Map<string, { method: HttpMethod; url: string; param?: string; plain?: RouteSpec; actions: Map<string, RouteSpec> }>();
  for (const spec of specs) {
    const { url, param, action } = fastifyPath(spec.path);
    const key = `${spec.method} ${url}`;
    const group = groups.get(key) ?? { method: spec.method, url, actions: new Map<string, RouteSpec>(), ...(param === undefined ? {} : { param }) };
    if (action === undefined) group.plain = spec;
    else group.actions.set(action, spec);
    // The plain route may have created the group first (PATCH /x/{id} before PATCH /x/{id}:disable).
    if (param !== undefined) group.param = param;
    groups.set(key, group);
  }
  for (const group of groups.values()) {
    app.route({
      method: group.method,
      url: group.url,
      handler: async (request, reply) => {
        let spec = group.plain;
        let params = request.params as Record<string, string>;
        if (group.actions.size > 0 && group.param !== undefined) {
          const raw = params[group.param] ?? '';
          const colon = raw.lastIndexOf(':');
          if (colon >= 0) {
            spec = group.actions.get(raw.slice(colon + 1));
            params = { ...params, [group.param]: raw.slice(0, colon) };
          }
        }
        if (spec === undefined) throw new GatewayError('route_not_found', `No route ${request.method} ${request.url.split('?')[0]}.`);
        if (spec.acceptsForm !== true && /^application\/x-www-form-urlencoded/i.test(request.headers['content-type'] ?? '')) {
          throw new GatewayError('unsupported_media_type', 'This route takes a JSON body (content-type: application/json).');
        }
        if (spec.auth) await authenticate(request);
        const result = await spec.handler({
          body: parse(spec.body, request.body, 'body'),
          query: parse(spec.query, request.query, 'query'),
          params: parse(spec.params, params, 'path'),
          request,
          reply,
        });
        return reply.code(spec.status ?? 200).send(result);
      },
    });
  }
}

/** The caller of an authenticated route (set by the auth step before the handler runs). */
export function callerOf(request: FastifyRequest): Caller {
  if (request.caller === undefined) throw new Error('route declared auth: false but reads the caller');
  return request.caller;
}
