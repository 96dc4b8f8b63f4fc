/**
 * The served OpenAPI document: valid OpenAPI 3.1, documents every route family, names only registered
 * error codes with their registered status, and matches what the server really answers.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { compileErrors, validate } from '@readme/openapi-parser';
import { ERROR_CODES } from '../src/errors.ts';
import { startTestGateway, type TestGateway } from './helpers/test-gateway.ts';

interface Operation {
  operationId?: string;
  security?: unknown[];
  responses: Record<string, { description: string; content?: Record<string, { schema?: { properties?: Record<string, unknown>; required?: string[] } }> }>;
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
}

const ROUTE_FAMILIES = [
  '/oauth/token',
  '/api/v1/connections',
  '/api/v1/connections/{id}',
  '/api/v1/connections/{id}:enable',
  '/api/v1/connected_accounts',
  '/api/v1/connected_accounts:search',
  '/api/v1/connected_accounts:delete',
  '/api/v1/connected_accounts/{id}',
  '/api/v1/connected_accounts/{id}:disconnect',
  '/api/v1/connected_accounts/details',
  '/api/v1/connected_accounts/auth',
  '/api/v1/events',
  '/api/v1/settings',
  '/api/v1/providers',
  '/healthz',
  '/readyz',
];

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

function operations(document: Document): { path: string; method: string; operation: Operation }[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.has(method))
      .map(([method, operation]) => ({ path, method, operation })),
  );
}

/** Codes named in a response description: "Error codes: a, b (see docs/errors.md)". */
function codesIn(description: string): string[] {
  const list = /Error codes: ([a-z0-9_, ]+)/.exec(description)?.[1];
  return list === undefined ? [] : list.split(',').map((c) => c.trim()).filter(Boolean);
}

/** A concrete URL for a templated path: ids that do not exist, which is enough to reach the route. */
const concrete = (path: string) => path.replace(/\{(\w+)\}/g, (_m, name: string) => (name === 'key' ? 'no-such-provider' : 'conn_0000000000000000'));

describe('OpenAPI document', () => {
  let gw: TestGateway;
  let document: Document;

  before(async () => {
    gw = await startTestGateway('pglite');
    const response = await fetch(`${gw.url}/api/v1/openapi.json`);
    assert.equal(response.status, 200, 'the document is served without a token');
    assert.match(response.headers.get('content-type') ?? '', /application\/json/);
    document = (await response.json()) as Document;
  });
  after(async () => {
    await gw?.close();
  });

  it('is valid OpenAPI 3.1', async () => {
    assert.match(document.openapi, /^3\.1\./);
    const result = await validate(structuredClone(document) as unknown as Parameters<typeof validate>[0]);
    assert.ok(result.valid, result.valid ? '' : compileErrors(result));
  });

  it('documents every route family', () => {
    const missing = ROUTE_FAMILIES.filter((path) => document.paths[path] === undefined);
    assert.deepEqual(missing, [], `not documented: ${missing.join(', ')}`);
    assert.ok(document.paths['/api/v1/connected_accounts']?.['post'], 'create connected account');
    assert.ok(document.paths['/api/v1/connected_accounts']?.['put'], 'update connected account');
    assert.ok(document.paths['/api/v1/settings']?.['patch'], 'update settings');
    for (const method of ['get', 'patch', 'delete']) assert.ok(document.paths['/api/v1/connections/{id}']?.[method], `${method} connection`);
  });

  it('names only registered error codes, each under its registered status', () => {
    const problems: string[] = [];
    let seen = 0;
    for (const { path, method, operation } of operations(document)) {
      for (const [status, response] of Object.entries(operation.responses)) {
        if (status.startsWith('2')) continue;
        const codes = codesIn(response.description);
        if (codes.length === 0) problems.push(`${method} ${path} ${status}: no error code in "${response.description}"`);
        for (const code of codes) {
          seen++;
          const registered = (ERROR_CODES as Record<string, { status: number }>)[code];
          if (registered === undefined) problems.push(`${method} ${path} ${status}: ${code} is not in ERROR_CODES`);
          else if (String(registered.status) !== status) problems.push(`${method} ${path} ${status}: ${code} is registered with ${registered.status}`);
        }
      }
    }
    assert.deepEqual(problems, []);
    assert.ok(seen > 20, `only ${seen} documented error codes found: the description format changed?`);
  });

  it('every documented operation exists: secured ones answer 401 unauthenticated without a token, open ones never 401 or 404', async () => {
    const problems: string[] = [];
    for (const { path, method, operation } of operations(document)) {
      const response = await gw.api(method.toUpperCase(), concrete(path), undefined, { token: null });
      const code: unknown = response.body?.error?.code;
      if (operation.security !== undefined && operation.security.length > 0) {
        if (response.status !== 401 || code !== 'unauthenticated') problems.push(`${method} ${path}: ${response.status} ${String(code)} without a token`);
      } else if (response.status === 401 || response.status === 404) {
        problems.push(`${method} ${path}: open operation answered ${response.status} ${String(code)}`);
      }
    }
    assert.deepEqual(problems, []);
  });

  it('authenticated GETs without path parameters are served, with a documented status and the documented top-level fields', async () => {
    const problems: string[] = [];
    let checked = 0;
    for (const { path, method, operation } of operations(document)) {
      if (method !== 'get' || path.includes('{') || operation.security === undefined) continue;
      checked++;
      const response = await gw.api('GET', path);
      const code: unknown = response.body?.error?.code;
      if (response.status === 404 && code === 'route_not_found') {
        problems.push(`GET ${path}: route_not_found`);
        continue;
      }
      if (operation.responses[String(response.status)] === undefined) problems.push(`GET ${path}: answered ${response.status}, which is not documented`);
      if (response.status === 200) {
        const schema = operation.responses['200']?.content?.['application/json']?.schema;
        for (const field of schema?.required ?? []) {
          if (!(field in (response.body ?? {}))) problems.push(`GET ${path}: documented field "${field}" missing from the answer`);
        }
      }
    }
    assert.deepEqual(problems, []);
    assert.ok(checked >= 6, `only ${checked} authenticated GETs checked`);
  });

  it('documented status and fields hold for the operations routes', async () => {
    const health = await gw.api('GET', '/healthz', undefined, { token: null });
    assert.equal(health.status, 200);
    assert.ok(document.paths['/healthz']?.['get']?.responses['200']);
    const ready = await gw.api('GET', '/readyz', undefined, { token: null });
    assert.equal(ready.status, 200);
    assert.ok(document.paths['/readyz']?.['get']?.responses['503'], '503 not_ready is documented');
  });
});
