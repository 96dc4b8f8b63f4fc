/**
 * The API proxy `ANY /proxy/*` (reference §5.5): off until the environment turns it on; then a raw
 * call as one connected account: method, path, query, body (JSON or not) and ordinary headers go
 * through, the gateway injects the credential, and the provider's raw answer comes back. The
 * caller's Authorization, hop-by-hop headers (and those the Connection header names) and the
 * headers that name the account never reach the provider; paths cannot climb out of the API base.
 * Requests are sent with node:http so the test controls the exact path and headers on the wire.
 */
import assert from 'node:assert/strict';
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { assertError } from './helpers/api-assertions.ts';
import { defineEmulator, startEmulator, type RunningEmulator } from './helpers/emulator.ts';
import { BACKENDS, startTestGateway, unique, type ApiResponse, type TestGateway } from './helpers/test-gateway.ts';

const GMAIL_TOKEN = 'ya29.proxy-suite-access-token-3f9a1c';
const ZENDESK_KEY = 'zd_tok_proxy_suite_8e2b7d41f0';

const echo = (request: { method: string; path: string; query: unknown; rawBody: string; headers: Record<string, string> }) => ({
  json: { method: request.method, path: request.path, query: request.query, body: request.rawBody, content_type: request.headers['content-type'] ?? null },
});

const providerApi = defineEmulator({
  name: 'proxy',
  routes: [
    { method: 'GET', path: '/gmail/v1/users/me/messages', reply: (r) => ({ ...echo(r), headers: { 'x-provider-trace': 'trace-123', 'set-cookie': 'provider_session=abc; Path=/' } }) },
    { method: 'POST', path: '/gmail/v1/users/me/drafts', reply: (r) => ({ status: 201, ...echo(r) }) },
    { method: 'PUT', path: '/gmail/v1/users/me/settings', reply: echo },
    { method: 'PATCH', path: '/gmail/v1/users/me/settings', reply: echo },
    { method: 'DELETE', path: '/gmail/v1/users/me/messages/:id', reply: () => ({ status: 204 }) },
    { method: 'POST', path: '/soap/endpoint', reply: (r) => ({ text: `<?xml version="1.0"?><ack>${Buffer.byteLength(r.rawBody)}</ack>`, headers: { 'content-type': 'application/xml' } }) },
    { method: 'GET', path: '/gmail/v1/users/me/messages/missing', reply: () => ({ status: 404, json: { error: { code: 404, message: 'Requested entity was not found.' } }, headers: { 'x-provider-trace': 'nf-1' } }) },
    { method: 'GET', path: '/acme.zendesk.com/api/v2/users/me.json', reply: echo },
  ],
});

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
  json: any;
}

/** One request with exactly these path and headers (fetch would normalise `..` and refuse some headers). */
function raw(base: string, method: string, path: string, headers: Record<string, string>, body?: string | Buffer): Promise<RawResponse> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const request = http.request({ host: url.hostname, port: url.port, method, path, headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const buffer = Buffer.concat(chunks);
        const text = buffer.toString('utf8');
        let json: unknown;
        try {
          json = text === '' ? undefined : JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: buffer, text, json });
      });
    });
    request.on('error', reject);
    request.end(body);
  });
}

/** A RawResponse in the ApiResponse shape assertError reads. */
const asApi = (response: RawResponse): ApiResponse => ({ status: response.status, body: response.json, text: response.text, headers: new Headers() });

for (const backend of BACKENDS) {
  describe(`API proxy (${backend})`, () => {
    let gw: TestGateway;
    let emulator: RunningEmulator;
    let gzipServer: http.Server;
    let gzipUrl: string;
    let bearer: string;
    let gmail: string;
    let identifier: string;
    let gmailAccountId: string;
    let gzipConnection: string;

    const proxy = (method: string, path: string, headers: Record<string, string> = {}, body?: string | Buffer, account: { connection: string; identifier: string } = { connection: gmail, identifier }) =>
      raw(gw.url, method, path, { authorization: `Bearer ${bearer}`, connection_name: account.connection, identifier: account.identifier, ...headers }, body);

    async function connection(provider: string, type: string, baseUrl: string): Promise<string> {
      const name = unique(provider);
      const created = await gw.api('POST', '/api/v1/connections', {
        connection: { provider, name, type, ...(type === 'OAUTH' ? { oauth_config: { client_id: 'c', client_secret: 's' } } : {}), api_config: { base_url: baseUrl } },
      });
      assert.equal(created.status, 201, created.text);
      return name;
    }

    async function setProxy(enabled: boolean): Promise<void> {
      const patched = await gw.api('PATCH', '/api/v1/settings', { proxy_enabled: enabled });
      assert.equal(patched.status, 200, patched.text);
      assert.equal(patched.body.settings.proxy_enabled, enabled);
    }

    /** Asserts nothing reached the provider while `work` ran. */
    async function noUpstream<T>(work: () => Promise<T>): Promise<T> {
      const count = emulator.requests.length;
      const result = await work();
      assert.equal(emulator.requests.length, count, 'unexpected upstream request');
      return result;
    }

    before(async () => {
      emulator = await startEmulator(providerApi);
      // A provider that gzips its answers when asked to.
      gzipServer = http.createServer((request, response) => {
        if (request.url?.startsWith('/echo-url')) {
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ url: request.url }));
          return;
        }
        const body = JSON.stringify({ compressed: true, padding: 'z'.repeat(2000) });
        // `/always/...` gzips whatever the request asked for (some providers do).
        if (request.url?.startsWith('/always/') || /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) {
          response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
          response.end(gzipSync(body));
        } else {
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(body);
        }
      });
      await new Promise<void>((resolve) => gzipServer.listen(0, '127.0.0.1', resolve));
      gzipUrl = `http://127.0.0.1:${(gzipServer.address() as AddressInfo).port}`;
      gw = await startTestGateway(backend, { env: { AGENTGATE_ALLOW_PRIVATE_UPSTREAMS: 'true' } });
      bearer = await gw.token();
      gmail = await connection('gmail', 'OAUTH', emulator.url);
      identifier = unique('user');
      const created = await gw.api('POST', '/api/v1/connected_accounts', { connection_name: gmail, identifier, authorization_details: { oauth_token: { access_token: GMAIL_TOKEN } } });
      assert.equal(created.status, 201, created.text);
      gmailAccountId = created.body.connected_account.id;
      gzipConnection = await connection('gmail', 'OAUTH', gzipUrl);
      const gz = await gw.api('POST', '/api/v1/connected_accounts', { connection_name: gzipConnection, identifier, authorization_details: { oauth_token: { access_token: GMAIL_TOKEN } } });
      assert.equal(gz.status, 201, gz.text);
    });
    after(async () => {
      await gw?.close();
      await emulator?.close();
      await new Promise<void>((resolve) => (gzipServer ? gzipServer.close(() => resolve()) : resolve()));
    });

    it('is off by default: 403 proxy_disabled, nothing sent upstream', async () => {
      const settings = await gw.api('GET', '/api/v1/settings');
      assert.equal(settings.body.settings.proxy_enabled, false);
      const refused = await noUpstream(() => proxy('GET', '/proxy/gmail/v1/users/me/messages'));
      assertError(asApi(refused), 403, 'proxy_disabled');
      await setProxy(true);
    });

    it('forwards method, path and query with the injected credential; the caller’s Authorization, hop-by-hop and account headers stay behind', async () => {
      const response = await proxy('GET', '/proxy/gmail/v1/users/me/messages?q=from%3Aalice%20is%3Aunread&maxResults=5&labelIds=INBOX&labelIds=UNREAD', {
        accept: 'application/json',
        'x-custom-header': 'kept',
        'user-agent': 'agent-under-test/1.0',
        connection: 'keep-alive, x-hop-named',
        'x-hop-named': 'dropped-because-connection-names-it',
        'keep-alive': 'timeout=5',
        te: 'trailers',
        upgrade: 'h2c',
        'proxy-authorization': 'Basic cHJveHk6c2VjcmV0',
        cookie: 'gateway_session=1',
        'x-connection-name': gmail,
        'x-identifier': identifier,
      });
      assert.equal(response.status, 200, response.text);
      const sent = emulator.last();
      assert.equal(sent.method, 'GET');
      assert.equal(sent.path, '/gmail/v1/users/me/messages');
      assert.deepEqual(sent.query, { q: 'from:alice is:unread', maxResults: '5', labelIds: ['INBOX', 'UNREAD'] });
      assert.equal(sent.headers['authorization'], `Bearer ${GMAIL_TOKEN}`, 'the injected credential, not the gateway bearer');
      assert.ok(!JSON.stringify(sent.headers).includes(bearer), 'the gateway bearer reached the provider');
      assert.equal(sent.headers['x-custom-header'], 'kept');
      assert.equal(sent.headers['accept'], 'application/json');
      assert.equal(sent.headers['user-agent'], 'agent-under-test/1.0');
      for (const name of ['keep-alive', 'te', 'upgrade', 'proxy-authorization', 'cookie', 'connection_name', 'identifier', 'x-connection-name', 'x-identifier', 'x-hop-named']) {
        assert.equal(sent.headers[name], undefined, `${name} was forwarded`);
      }
      assert.ok(!/x-hop-named/i.test(sent.headers['connection'] ?? ''), `connection: ${sent.headers['connection']}`);
      // The raw upstream answer comes back, its headers too, but not the provider's cookies.
      assert.deepEqual(response.json, { method: 'GET', path: '/gmail/v1/users/me/messages', query: sent.query, body: '', content_type: null });
      assert.equal(response.headers['x-provider-trace'], 'trace-123');
      assert.equal(response.headers['set-cookie'], undefined);
      assert.match(String(response.headers['x-agentgate-execution-id']), /^exec_/);
    });

    it('forwards the query string byte for byte (no re-encoding of %20, +, bare keys or repeated keys)', async () => {
      const raw = 'q=from%3Aalice%20is%3Aunread&plus=a+b&encoded=a%2Bb&flag&empty=&list=1&list=2&sql=SELECT+Id+FROM+Account&odata=%24filter%3DName%20eq%20%27x%27';
      const response = await proxy('GET', `/proxy/echo-url/path?${raw}`, {}, undefined, { connection: gzipConnection, identifier });
      assert.equal(response.status, 200, response.text);
      assert.equal(response.json.url, `/echo-url/path?${raw}`);
    });

    it('forwards JSON and non-JSON (XML) bodies byte for byte with their content type, and every method', async () => {
      const json = JSON.stringify({ message: { raw: 'U3ViamVjdDogaGk=' }, nested: [1, 'two', null] });
      const created = await proxy('POST', '/proxy/gmail/v1/users/me/drafts', { 'content-type': 'application/json' }, json);
      assert.equal(created.status, 201, created.text);
      assert.equal(emulator.last().rawBody, json);
      assert.equal(emulator.last().headers['content-type'], 'application/json');
      assert.equal(created.json.body, json);

      const xml = '<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><Ping>é</Ping></soap:Body></soap:Envelope>';
      const soap = await proxy('POST', '/proxy/soap/endpoint', { 'content-type': 'text/xml; charset=utf-8', soapaction: '"urn:Ping"' }, xml);
      assert.equal(soap.status, 200, soap.text);
      assert.equal(emulator.last().rawBody, xml);
      assert.equal(emulator.last().headers['content-type'], 'text/xml; charset=utf-8');
      assert.equal(emulator.last().headers['soapaction'], '"urn:Ping"');
      assert.equal(soap.headers['content-type'], 'application/xml');
      assert.equal(soap.text, `<?xml version="1.0"?><ack>${Buffer.byteLength(xml)}</ack>`);

      for (const method of ['PUT', 'PATCH']) {
        const form = 'a=1&b=two';
        const response = await proxy(method, '/proxy/gmail/v1/users/me/settings', { 'content-type': 'application/x-www-form-urlencoded' }, form);
        assert.equal(response.status, 200, response.text);
        assert.equal(emulator.last().method, method);
        assert.equal(emulator.last().rawBody, form);
      }
      const deleted = await proxy('DELETE', '/proxy/gmail/v1/users/me/messages/m-1');
      assert.equal(deleted.status, 204);
      assert.equal(emulator.last().method, 'DELETE');
      assert.equal(deleted.body.length, 0);
    });

    it('returns the provider’s status, headers and body as they are (a 404 stays a 404 with the provider’s body)', async () => {
      const missing = await proxy('GET', '/proxy/gmail/v1/users/me/messages/missing');
      assert.equal(missing.status, 404);
      assert.deepEqual(missing.json, { error: { code: 404, message: 'Requested entity was not found.' } });
      assert.equal(missing.headers['x-provider-trace'], 'nf-1');
      const unknown = await proxy('GET', '/proxy/no/such/route');
      assert.equal(unknown.status, 404);
      assert.match(unknown.json?.error ?? '', /emulator proxy: no route/);
      for (const upstreamStatus of [400, 429, 500, 503]) {
        emulator.enqueue({ status: upstreamStatus, json: { upstream: upstreamStatus }, headers: { 'retry-after': '120' } });
        const response = await proxy('GET', '/proxy/gmail/v1/users/me/messages');
        assert.equal(response.status, upstreamStatus, response.text);
        assert.deepEqual(response.json, { upstream: upstreamStatus });
      }
    });

    it('a gzip-encoding provider: the caller gets a body that matches its content-encoding header', async () => {
      const response = await proxy('GET', '/proxy/anything', { 'accept-encoding': 'gzip' }, undefined, { connection: gzipConnection, identifier });
      assert.equal(response.status, 200, response.text);
      const decoded = response.headers['content-encoding'] === 'gzip' ? gunzipSync(response.body).toString('utf8') : response.body.toString('utf8');
      assert.equal(JSON.parse(decoded).compressed, true);
    });

    it('a provider that gzips unasked: the body handed back still matches its content-encoding header', async () => {
      const response = await proxy('GET', '/proxy/always/anything', {}, undefined, { connection: gzipConnection, identifier });
      assert.equal(response.status, 200, response.text);
      const decoded = response.headers['content-encoding'] === 'gzip' ? gunzipSync(response.body).toString('utf8') : response.body.toString('utf8');
      assert.equal(JSON.parse(decoded).compressed, true);
    });

    it('injects static credentials the connector’s way (Zendesk API token as basic auth)', async () => {
      const zendesk = await connection('zendesk', 'API_KEY', `${emulator.url}/{{domain}}.zendesk.com`);
      const agent = unique('agent');
      const created = await gw.api('POST', '/api/v1/connected_accounts', { connection_name: zendesk, identifier: agent, authorization_details: { static_auth: { domain: 'acme', email: 'agent@acme.test', api_token: ZENDESK_KEY } } });
      assert.equal(created.status, 201, created.text);
      const response = await proxy('GET', '/proxy/api/v2/users/me.json', {}, undefined, { connection: zendesk, identifier: agent });
      assert.equal(response.status, 200, response.text);
      assert.equal(emulator.last().path, '/acme.zendesk.com/api/v2/users/me.json');
      assert.equal(emulator.last().headers['authorization'], `Basic ${Buffer.from(`agent@acme.test/token:${ZENDESK_KEY}`).toString('base64')}`);
    });

    it('missing connection_name or identifier → 400 validation_failed naming the header', async () => {
      const noName = await noUpstream(() => raw(gw.url, 'GET', '/proxy/gmail/v1/users/me/messages', { authorization: `Bearer ${bearer}`, identifier }));
      assert.deepEqual(assertError(asApi(noName), 400, 'validation_failed').details?.['issues'], [{ path: 'headers.connection_name', message: 'required' }]);
      const neither = await noUpstream(() => raw(gw.url, 'GET', '/proxy/gmail/v1/users/me/messages', { authorization: `Bearer ${bearer}` }));
      assert.equal(assertError(asApi(neither), 400, 'validation_failed').details?.['issues'].length, 2);
      const anonymous = await noUpstream(() => raw(gw.url, 'GET', '/proxy/gmail/v1/users/me/messages', { connection_name: gmail, identifier }));
      assert.equal(anonymous.status, 401, anonymous.text);
    });

    it('an account that is not ACTIVE → 409 account_not_active; an unknown one → 404', async () => {
      const pending = unique('pending');
      const created = await gw.api('POST', '/api/v1/connected_accounts', { connection_name: gmail, identifier: pending });
      assert.equal(created.status, 201, created.text);
      const refused = await noUpstream(() => proxy('GET', '/proxy/gmail/v1/users/me/messages', {}, undefined, { connection: gmail, identifier: pending }));
      assert.equal(assertError(asApi(refused), 409, 'account_not_active').details?.['status'], 'PENDING_AUTH');
      const unknown = await noUpstream(() => proxy('GET', '/proxy/gmail/v1/users/me/messages', {}, undefined, { connection: gmail, identifier: unique('nobody') }));
      assertError(asApi(unknown), 404, 'connected_account_not_found');
    });

    it('path traversal out of the API base is refused before anything is sent', async () => {
      for (const path of ['/proxy/../admin', '/proxy/gmail/../../admin', '/proxy/%2e%2e/admin', '/proxy/gmail/%2E%2E/%2e%2e/admin', '/proxy/gmail/..%2f..%2fadmin', '/proxy//evil.example/x', '/proxy/gmail/.%2e/x']) {
        const response = await noUpstream(() => proxy('GET', path));
        assert.match(assertError(asApi(response), 400, 'validation_failed').message, /\.\.|\/\//, path);
      }
    });

    it('proxied calls are logged (source proxy) without payloads', async () => {
      const response = await proxy('GET', '/proxy/gmail/v1/users/me/messages?q=x');
      assert.equal(response.status, 200);
      const executionId = String(response.headers['x-agentgate-execution-id']);
      const log = await gw.api('GET', `/api/v1/agentkit/tool_call_logs/${executionId}`);
      assert.equal(log.status, 200, log.text);
      const entry = log.body.tool_call_log;
      assert.deepEqual([entry.source, entry.status, entry.connected_account_id, entry.upstream_status, entry.payload], ['proxy', 'SUCCESS', gmailAccountId, 200, null]);
      assert.match(entry.tool_name, /^proxy GET \/gmail\/v1\/users\/me\/messages/);
      assert.ok(!log.text.includes(GMAIL_TOKEN));
    });

    it('turned off again → 403 at once', async () => {
      await setProxy(false);
      assertError(asApi(await noUpstream(() => proxy('GET', '/proxy/gmail/v1/users/me/messages'))), 403, 'proxy_disabled');
    });
  });
}
