import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BACKENDS, startTestGateway, unique, type ApiResponse, type TestGateway } from './helpers/test-gateway.ts';

const JSON_TYPE = { 'content-type': 'application/json' };

/** Every error answer: the status, one shape `{error: {code, message, details?, docs}}`, JSON, a request id. */
function assertError(res: ApiResponse, status: number, code: string | RegExp, label = ''): void {
  const where = `${label} ${res.status} ${res.text.slice(0, 300)}`;
  assert.equal(res.status, status, where);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/, where);
  assert.match(res.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/, where);
  assert.deepEqual(Object.keys(res.body), ['error'], where);
  const keys = Object.keys(res.body.error);
  assert.ok(keys.length >= 3 && keys.length <= 4 && ['code', 'message', 'docs'].every((k) => keys.includes(k)) && keys.every((k) => ['code', 'message', 'details', 'docs'].includes(k)), where);
  assert.ok(res.body.error.docs.endsWith(`/errors.md#${res.body.error.code}`), where);
  if (typeof code === 'string') assert.equal(res.body.error.code, code, where);
  else assert.match(res.body.error.code, code, where);
  assert.equal(typeof res.body.error.message, 'string', where);
  assert.ok(res.body.error.message.length > 0, where);
  if ('details' in res.body.error) assert.equal(typeof res.body.error.details, 'object', where);
}

function issuePaths(res: ApiResponse): string[] {
  return (res.body.error.details?.issues ?? []).map((i: { path: string }) => i.path);
}

const validConnection = () => ({ connection: { provider: 'gmail', name: unique('gmail'), oauth_config: { client_id: 'id', client_secret: 'secret' } } });

for (const backend of BACKENDS) {
  describe(`input hardening (${backend})`, () => {
    let gw: TestGateway;
    before(async () => {
      gw = await startTestGateway(backend);
    });
    after(async () => {
      await gw.close();
    });

    it('malformed JSON → 400 malformed_json', async () => {
      for (const raw of ['{"connection": {', '{connection: 1}', '[1,2', "{'a': 1}", '{"a": 1}}', 'nope']) {
        assertError(await gw.api('POST', '/api/v1/connections', undefined, { raw, headers: JSON_TYPE }), 400, 'malformed_json', raw);
      }
      assertError(await gw.api('POST', '/oauth/token', undefined, { token: null, raw: '{"grant_type":', headers: JSON_TYPE }), 400, 'malformed_json', 'token');
    });

    it('an empty body with content-type json → 400 malformed_json', async () => {
      for (const [method, path] of [['POST', '/api/v1/connected_accounts'], ['PUT', '/api/v1/connected_accounts'], ['PATCH', '/api/v1/settings'], ['POST', '/api/v1/events']]) {
        assertError(await gw.api(method as string, path as string, undefined, { raw: '', headers: JSON_TYPE }), 400, 'malformed_json', path);
      }
    });

    it('a 2 MB body → 413 payload_too_large', async () => {
      const big = JSON.stringify({ connection: { provider: 'gmail', name: 'x'.repeat(2 * 1024 * 1024) } });
      assertError(await gw.api('POST', '/api/v1/connections', undefined, { raw: big, headers: JSON_TYPE }), 413, 'payload_too_large', 'json');
      const form = `grant_type=client_credentials&client_id=${'a'.repeat(2 * 1024 * 1024)}`;
      assertError(await gw.api('POST', '/oauth/token', undefined, { token: null, raw: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 413, 'payload_too_large', 'form');
      // The gateway still serves afterwards.
      assert.equal((await gw.api('GET', '/api/v1/connections')).status, 200);
    });

    it('text/plain and other content types → 415 unsupported_media_type; json with a charset is fine', async () => {
      const body = JSON.stringify(validConnection());
      for (const type of ['text/plain', 'text/plain; charset=utf-8', 'application/xml', 'multipart/form-data; boundary=x', 'application/octet-stream']) {
        const res = await gw.api('POST', '/api/v1/connections', undefined, { raw: body, headers: { 'content-type': type } });
        assertError(res, 415, 'unsupported_media_type', type);
      }
      assertError(await gw.api('POST', '/oauth/token', undefined, { token: null, raw: 'grant_type=client_credentials', headers: { 'content-type': 'text/plain' } }), 415, 'unsupported_media_type', 'token');
      const ok = await gw.api('POST', '/api/v1/connections', undefined, { raw: body, headers: { 'content-type': 'application/json; charset=utf-8' } });
      assert.equal(ok.status, 201, ok.text);
    });

    it('unknown routes → 404 route_not_found', async () => {
      const cases: [string, string][] = [
        ['GET', '/api/v1/nope'],
        ['GET', '/nope'],
        ['POST', '/api/v1/connections/gmail:explode'],
        ['DELETE', '/api/v1/settings'],
        ['PUT', '/api/v1/connections'],
        ['GET', '/api/v2/connections'],
      ];
      for (const [method, path] of cases) assertError(await gw.api(method, path), 404, 'route_not_found', `${method} ${path}`);
      assertError(await gw.api('GET', '/api/v1/nope?token=secret', undefined, { token: null }), 404, 'route_not_found', 'unauthenticated');
    });

    it('prototype-pollution payloads → 400 and no pollution', async () => {
      const connectionName = unique('gmail');
      const bodies = [
        `{"__proto__": {"polluted": "yes"}, "connection": {"provider": "gmail", "name": "${connectionName}"}}`,
        `{"connection": {"provider": "gmail", "name": "${connectionName}", "__proto__": {"polluted": "yes"}}}`,
        `{"connection": {"provider": "gmail", "name": "${connectionName}", "api_config": {"__proto__": {"polluted": "yes"}}}}`,
        `{"constructor": {"prototype": {"polluted": "yes"}}, "connection": {"provider": "gmail", "name": "${connectionName}"}}`,
        `{"connection": {"provider": "gmail", "name": "${connectionName}", "api_config": {"constructor": {"prototype": {"polluted": "yes"}}}}}`,
      ];
      for (const raw of bodies) assertError(await gw.api('POST', '/api/v1/connections', undefined, { raw, headers: JSON_TYPE }), 400, /^(malformed_json|validation_failed)$/, raw);
      const put = '{"id": "ca_x", "api_config": {"__proto__": {"polluted": "yes"}}}';
      assertError(await gw.api('PUT', '/api/v1/connected_accounts', undefined, { raw: put, headers: JSON_TYPE }), 400, /^(malformed_json|validation_failed)$/, 'put');
      const settings = '{"constructor": {"prototype": {"polluted": "yes"}}}';
      assertError(await gw.api('PATCH', '/api/v1/settings', undefined, { raw: settings, headers: JSON_TYPE }), 400, /^(malformed_json|validation_failed)$/, 'settings');
      for (const query of ['__proto__[polluted]=yes', '__proto__=yes', 'constructor[prototype][polluted]=yes', 'constructor=x']) {
        assertError(await gw.api('GET', `/api/v1/connected_accounts?${query}`), 400, 'validation_failed', query);
      }
      const form = 'grant_type=client_credentials&__proto__[polluted]=yes&client_id=a&client_secret=b';
      assertError(await gw.api('POST', '/oauth/token', undefined, { token: null, raw: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 400, 'validation_failed', 'form');

      const probe: Record<string, unknown> = {};
      assert.equal(probe['polluted'], undefined, 'Object.prototype was polluted');
      assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
      assert.equal((await gw.api('GET', `/api/v1/connections/${connectionName}`)).status, 404, 'nothing was created');
      const settingsNow = await gw.api('GET', '/api/v1/settings');
      assert.ok(!settingsNow.text.includes('polluted'));
    });

    it('wrong types → 400 validation_failed with details.issues naming the path', async () => {
      const name = unique('gmail');
      assert.equal((await gw.api('POST', '/api/v1/connections', { connection: { provider: 'gmail', name } })).status, 201);
      const cases: [string, string, unknown, string][] = [
        ['POST', '/api/v1/connected_accounts', { connection_name: name, identifier: 42 }, 'identifier'],
        ['POST', '/api/v1/connected_accounts', { connection_name: name, identifier: ['a'] }, 'identifier'],
        ['POST', '/api/v1/connected_accounts', { connection_name: name, identifier: 'u', authorization_details: { oauth_token: { expires_in: 'soon' } } }, 'authorization_details'],
        ['POST', '/api/v1/connections', { connection: { provider: 'gmail', name: 12 } }, 'connection.name'],
        ['POST', '/api/v1/connections', { connection: { provider: 'gmail', name: unique('g'), enabled: 'true' } }, 'connection.enabled'],
        ['POST', '/api/v1/connections', { connection: { provider: 'gmail', name: unique('g'), oauth_config: { scopes: 'a b' } } }, 'connection.oauth_config.scopes'],
        ['POST', '/api/v1/connections', { connection: { provider: 'gmail', name: unique('g'), colour: 'red' } }, 'connection.colour'],
        ['POST', '/api/v1/events', { page_size: '10' }, 'page_size'],
        ['PATCH', '/api/v1/settings', { token_retrieval_enabled: 'yes' }, 'token_retrieval_enabled'],
      ];
      for (const [method, path, body, expected] of cases) {
        const res = await gw.api(method, path, body);
        assertError(res, 400, 'validation_failed', `${path} ${JSON.stringify(body)}`);
        assert.ok(issuePaths(res).some((p) => p === expected || p.startsWith(`${expected}.`)), `${expected} not in ${JSON.stringify(issuePaths(res))}`);
        assert.ok(res.body.error.details.issues.every((i: { message: unknown }) => typeof i.message === 'string' && i.message !== ''));
      }
      for (const query of ['page_size=abc', 'page_size=0', 'page_size=101', 'page_size=1.5']) {
        for (const path of ['/api/v1/connections', '/api/v1/connected_accounts']) {
          const res = await gw.api('GET', `${path}?${query}`);
          assertError(res, 400, 'validation_failed', `${path}?${query}`);
          assert.ok(issuePaths(res).some((p) => p.endsWith('page_size')), JSON.stringify(issuePaths(res)));
        }
      }
    });

    it('a forced 5xx never leaks internals; /readyz answers 503 not_ready', async () => {
      const doomed = await startTestGateway(backend);
      try {
        assert.equal((await doomed.api('GET', '/api/v1/connections')).status, 200);
        assert.equal((await doomed.api('GET', '/readyz', undefined, { token: null })).status, 200);
        await doomed.gateway.database.close();
        const failures = [
          await doomed.api('GET', '/api/v1/connections'),
          await doomed.api('POST', '/api/v1/connections', validConnection()),
          await doomed.api('GET', '/api/v1/connected_accounts?connection_name=x'),
        ];
        for (const res of failures) {
          assertError(res, 500, 'server_error');
          assert.equal(res.body.error.details, undefined);
          const message = res.body.error.message as string;
          assert.ok(message.includes(res.headers.get('x-request-id') ?? '?'), 'the message names the request for support');
          assert.doesNotMatch(res.text, /select|insert|from "|where|kysely|pglite|postgres|pool|destroy|\/work\/|node_modules|\.ts\b|at \w+ \(|Error:/i);
        }
        const ready = await doomed.api('GET', '/readyz', undefined, { token: null });
        assertError(ready, 503, 'not_ready');
        assert.doesNotMatch(ready.text, /kysely|pglite|postgres|destroy|\/work\/|node_modules|Error:/i);
        assert.equal((await doomed.api('GET', '/healthz', undefined, { token: null })).status, 200, 'liveness is not readiness');
        // The cause goes to the logs (with the request id) instead.
        const id = failures[0]?.headers.get('x-request-id') ?? '?';
        assert.ok(doomed.logs.some((line) => line.includes(id) && line.includes('"level":50')), 'the 500 is logged at error level');
      } finally {
        await doomed.close().catch(() => undefined);
      }
    });
  });
}
