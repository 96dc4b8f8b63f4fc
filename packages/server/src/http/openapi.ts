/** @module The OpenAPI 3.1 document, generated from the same route specs the server registers. */
import { z } from 'zod';
import { ERROR_CODES } from '../errors.ts';
import type { RouteSpec } from './route.ts';

const ErrorWire = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
    docs: z.string().describe('Link to the section of docs/errors.md that explains the code, with its cause and fix.'),
  }),
});

function schemaOf(type: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const schema = z.toJSONSchema(type, { io, target: 'draft-2020-12', unrepresentable: 'any' }) as Record<string, unknown>;
  delete schema['$schema'];
  return schema;
}

function parametersOf(spec: RouteSpec): unknown[] {
  const out: unknown[] = [];
  const add = (type: z.ZodType | undefined, location: 'query' | 'path') => {
    if (type === undefined) return;
    const schema = schemaOf(type, 'input') as { properties?: Record<string, unknown>; required?: string[] };
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      out.push({ name, in: location, required: location === 'path' || (schema.required ?? []).includes(name), schema: property });
    }
  };
  add(spec.params, 'path');
  add(spec.query, 'query');
  return out;
}

export function buildOpenApi(specs: readonly RouteSpec[], info: { version: string; serverUrl: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of specs) {
    if (spec.hidden === true) continue;
    const status = String(spec.status ?? 200);
    const responses: Record<string, unknown> = {
      [status]: { description: 'Success', content: { 'application/json': { schema: spec.response === undefined ? {} : schemaOf(spec.response, 'output') } } },
    };
    const byStatus = new Map<number, string[]>();
    const codes = [...spec.errors, ...(spec.auth ? (['unauthenticated', 'invalid_token'] as const) : []), 'server_error' as const];
    for (const code of codes) byStatus.set(ERROR_CODES[code].status, [...(byStatus.get(ERROR_CODES[code].status) ?? []), code]);
    for (const [errorStatus, errorCodes] of byStatus) {
      responses[String(errorStatus)] = {
        description: `Error codes: ${[...new Set(errorCodes)].join(', ')} (see docs/errors.md)`,
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      };
    }
    const operation: Record<string, unknown> = {
      operationId: spec.operationId,
      summary: spec.summary,
      tags: [spec.tag],
      parameters: parametersOf(spec),
      responses,
      ...(spec.auth ? { security: [{ bearer: [] }] } : {}),
    };
    if (spec.body !== undefined) {
      const mediaType = spec.path === '/oauth/token' ? 'application/x-www-form-urlencoded' : 'application/json';
      operation['requestBody'] = { required: !spec.body.safeParse(undefined).success, content: { [mediaType]: { schema: schemaOf(spec.body, 'input') } } };
    }
    const path = (paths[spec.path] ??= {});
    path[spec.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Agentgate API', version: info.version, license: { name: 'Apache-2.0', identifier: 'Apache-2.0' } },
    servers: [{ url: info.serverUrl }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'Token from POST /oauth/token (client_credentials).' } },
      schemas: { Error: schemaOf(ErrorWire, 'output') },
    },
  };
}
