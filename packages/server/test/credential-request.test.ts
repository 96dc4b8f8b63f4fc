/**
 * Building authenticated upstream requests from the catalog (`applyCredentials`) and the live check
 * of static credentials (`checkStaticCredentials`) against a local provider emulator.
 */
import assert from 'node:assert/strict';
import { createHash, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ConnectorSchema, type Connector } from '../src/catalog/connector-schema.ts';
import { loadCatalog } from '../src/catalog/load-catalog.ts';
import { checkStaticCredentials } from '../src/domain/accounts/check-credentials.ts';
import type { AccountCredentials } from '../src/domain/model.ts';
import { applyCredentials, snowflakeJwtAccount, snowflakePublicKeyFingerprint, type CredentialRequestInput } from '../src/domain/outbound/credential-request.ts';
import { createSafeFetch } from '../src/domain/outbound/safe-fetch.ts';

const catalog = loadCatalog();
function connector(key: string): Connector {
  const found = catalog.get(key);
  assert.ok(found, key);
  return found;
}
const staticAuth = (fields: Record<string, string>): AccountCredentials => ({ kind: 'static_auth', fields });
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

const ZENDESK = { domain: 'acme', email: 'agent@acme.test', api_token: 'zd_tok_123' };
const DATADOG = { api_key: 'ddapi123', application_key: 'ddapp456' };

function build(key: string, credentials: AccountCredentials, extra: Partial<CredentialRequestInput> = {}) {
  return applyCredentials({ connector: connector(key), credentials, path: '/', method: 'GET', ...extra });
}

describe('applyCredentials', () => {
  it('zendesk: fills the domain template and sends email/token:api_token as basic auth', () => {
    const request = build('zendesk', staticAuth(ZENDESK), { path: '/api/v2/tickets.json', query: { page: 2, sort: ['a', 'b'] } });
    assert.equal(request.url, 'https://acme.zendesk.com/api/v2/tickets.json?page=2&sort=a&sort=b');
    assert.equal(request.method, 'GET');
    assert.deepEqual(request.headers, { Authorization: basic('agent@acme.test/token', 'zd_tok_123') });
    assert.equal(request.body, undefined);
  });

  it('freshdesk: the API key is the username, with the fixed password X', () => {
    const request = build('freshdesk', staticAuth({ domain: 'acme', api_key: 'fd_key' }), { path: '/api/v2/agents/me' });
    assert.equal(request.url, 'https://acme.freshdesk.com/api/v2/agents/me');
    assert.equal(request.headers['Authorization'], basic('fd_key', 'X'));
  });

  it('datadog: two key headers, and the site default when the field is left out', () => {
    const request = build('datadog', staticAuth(DATADOG), { path: '/api/v1/validate' });
    assert.equal(request.url, 'https://api.datadoghq.com/api/v1/validate');
    assert.deepEqual(request.headers, { 'DD-API-KEY': 'ddapi123', 'DD-APPLICATION-KEY': 'ddapp456' });
    const eu = build('datadog', staticAuth({ ...DATADOG, site: 'datadoghq.eu' }), { path: '/api/v1/validate' });
    assert.equal(eu.url, 'https://api.datadoghq.eu/api/v1/validate');
  });

  it('stripe and sendgrid: bearer token from the key field', () => {
    const stripe = build('stripe', staticAuth({ secret_key: 'sk_test_abc' }), { path: '/v1/customers', method: 'post', body: 'email=a%40b.test', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    assert.equal(stripe.url, 'https://api.stripe.com/v1/customers');
    assert.equal(stripe.method, 'POST');
    assert.deepEqual(stripe.headers, { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: 'Bearer sk_test_abc' });
    assert.equal(stripe.body, 'email=a%40b.test');
    const sendgrid = build('sendgrid', staticAuth({ api_key: 'SG.abc.def' }), { path: '/v3/mail/send', method: 'POST', body: { personalizations: [] } });
    assert.equal(sendgrid.url, 'https://api.sendgrid.com/v3/mail/send');
    assert.equal(sendgrid.headers['Authorization'], 'Bearer SG.abc.def');
    assert.equal(sendgrid.headers['Content-Type'], 'application/json');
    assert.equal(sendgrid.body, '{"personalizations":[]}');
  });

  it("OAuth: the access token as bearer, plus the connector's fixed headers, which callers cannot replace", () => {
    const token: AccountCredentials = { kind: 'oauth_token', access_token: 'gho_access', refresh_token: 'ghr_refresh', token_type: 'bearer' };
    const request = build('github', token, {
      path: '/repos/acme/app/issues',
      headers: { Authorization: 'Bearer attacker', accept: 'text/html', Cookie: 'x=1', Host: 'evil.test', 'X-Request-Id': 'r1' },
    });
    assert.equal(request.url, 'https://api.github.com/repos/acme/app/issues');
    assert.deepEqual(request.headers, {
      'X-Request-Id': 'r1',
      Accept: 'application/vnd.github+json',
      'X-GitHub-Api-Version': '2022-11-28',
      Authorization: 'Bearer gho_access',
    });
    assert.ok(!JSON.stringify(request).includes('ghr_refresh'), 'the refresh token never leaves the vault');
  });

  it('OAuth with a templated base: Jira cloud_id and Salesforce instance_url come from api_config', () => {
    const token: AccountCredentials = { kind: 'oauth_token', access_token: 'at' };
    const jira = build('jira', token, { apiConfig: { cloud_id: '1324a887-45db-1bf4-1e99-ef0ff456d421' }, path: '/rest/api/3/myself' });
    assert.equal(jira.url, 'https://api.atlassian.com/ex/jira/1324a887-45db-1bf4-1e99-ef0ff456d421/rest/api/3/myself');
    assert.throws(() => build('jira', token, { path: '/x' }), { code: 'insecure_endpoint' });
    for (const cloudId of ['..', '../admin', 'a/b', 'evil.test#', 'a@b', '%2e%2e']) {
      assert.throws(() => build('jira', token, { apiConfig: { cloud_id: cloudId }, path: '/x' }), { code: 'insecure_endpoint' }, cloudId);
    }
    const salesforce = build('salesforce', token, { apiConfig: { instance_url: 'https://acme.my.salesforce.com' }, path: '/services/data/v61.0/sobjects' });
    assert.equal(salesforce.url, 'https://acme.my.salesforce.com/services/data/v61.0/sobjects');
    for (const instance of ['http://acme.my.salesforce.com', 'https://acme.my.salesforce.com/x', 'https://u:p@acme.my.salesforce.com', 'https://acme.my.salesforce.com?x=1', 'acme']) {
      assert.throws(() => build('salesforce', token, { apiConfig: { instance_url: instance }, path: '/x' }), { code: 'insecure_endpoint' }, instance);
    }
  });

  it('refuses template values that would change the host shape (ATK-35)', () => {
    // The shipped pattern stops these first...
    for (const domain of ['127.0.0.1', 'evil.com#', 'evil.com/x', 'a@evil.com']) {
      assert.throws(() => build('zendesk', staticAuth({ ...ZENDESK, domain }), { path: '/x' }), { code: 'invalid_credentials' }, domain);
    }
    // ...and with a careless pattern, the host-shape rules still do.
    const raw = JSON.parse(JSON.stringify(connector('zendesk'))) as { fields: { name: string; pattern?: string }[] };
    for (const field of raw.fields) if (field.name === 'domain') field.pattern = '^.+$';
    const lax = ConnectorSchema.parse(raw);
    for (const domain of ['evil.com#', 'evil.com/x', 'x:1', 'a@evil.com', 'evil.com?', '..', 'x y']) {
      const error = (() => {
        try {
          applyCredentials({ connector: lax, credentials: staticAuth({ ...ZENDESK, domain }), path: '/x', method: 'GET' });
        } catch (e) {
          return e as { code: string; message: string };
        }
        return undefined;
      })();
      assert.equal(error?.code, 'insecure_endpoint', domain);
      assert.doesNotMatch(error.message, /zd_tok_123/);
    }
  });

  it('lets api_config.base_url replace scheme, host and path prefix', () => {
    const request = build('zendesk', staticAuth(ZENDESK), { apiConfig: { base_url: 'http://127.0.0.1:9999/zendesk-double/' }, path: '/api/v2/users/me.json' });
    assert.equal(request.url, 'http://127.0.0.1:9999/zendesk-double/api/v2/users/me.json');
    assert.equal(request.headers['Authorization'], basic('agent@acme.test/token', 'zd_tok_123'));
    const enterprise = build('github', { kind: 'oauth_token', access_token: 'at' }, { apiConfig: { base_url: 'https://ghe.acme.test/api/v3' }, path: '/user' });
    assert.equal(enterprise.url, 'https://ghe.acme.test/api/v3/user');
    for (const base of ['ftp://ghe.acme.test', 'https://u:p@ghe.acme.test', 'https://ghe.acme.test/?x=1', 'https://ghe.acme.test/#f', 'not a url']) {
      assert.throws(() => build('github', { kind: 'oauth_token', access_token: 'at' }, { apiConfig: { base_url: base }, path: '/user' }), { code: 'insecure_endpoint' }, base);
    }
  });

  it('refuses paths that could leave the base (ATK-28)', () => {
    const paths = [
      '/../admin',
      '/api/../../admin',
      '/api/./x',
      '/a/%2e%2e/b',
      '/a/%2E%2e/b',
      '/..%2f..%2finternal',
      '/a/..%5c..%5cinternal',
      '//evil.com/x',
      '/http://169.254.169.254/',
      '/@evil.com',
      '@evil.com',
      'evil.com',
      '/a\\b',
      '/a?b=1',
      '/a#frag',
      '/a b',
      '/%zz',
    ];
    for (const path of paths) {
      assert.throws(() => build('stripe', staticAuth({ secret_key: 'sk_test_abc' }), { path }), (error: { code?: string; message: string }) => {
        assert.equal(error.code, 'validation_failed', path);
        assert.doesNotMatch(error.message, /sk_test_abc/);
        return true;
      });
    }
    // Encoded slashes inside one segment are fine (GitLab project ids), and so is @ inside a segment.
    assert.equal(build('stripe', staticAuth({ secret_key: 'sk_test_abc' }), { path: '/projects/group%2Fapp/users/a@b.test' }).url, 'https://api.stripe.com/projects/group%2Fapp/users/a@b.test');
    // With a base path prefix the path stays under it.
    const prefixed = build('zoom', { kind: 'oauth_token', access_token: 'at' }, { path: '/users/me' });
    assert.equal(prefixed.url, 'https://api.zoom.us/v2/users/me');
    assert.throws(() => build('zoom', { kind: 'oauth_token', access_token: 'at' }, { path: '/../oauth' }), { code: 'validation_failed' });
  });

  it('refuses a bad method, a body on GET, missing fields, header injection and key-pair auth, without echoing secrets', () => {
    const stripe = staticAuth({ secret_key: 'sk_test_abc' });
    assert.throws(() => build('stripe', stripe, { method: 'GET\r\nX: y' }), { code: 'validation_failed' });
    assert.throws(() => build('stripe', stripe, { method: 'GET', body: { a: 1 } }), { code: 'validation_failed' });
    assert.throws(() => build('datadog', staticAuth({ api_key: 'ddapi123' })), (error: { code?: string; message: string }) => {
      assert.equal(error.code, 'invalid_credentials');
      assert.match(error.message, /application_key/);
      assert.doesNotMatch(error.message, /ddapi123/);
      return true;
    });
    assert.throws(() => build('stripe', staticAuth({ secret_key: 'sk_test_abc\r\nX-Evil: 1' })), (error: { code?: string; message: string }) => {
      assert.equal(error.code, 'invalid_credentials');
      assert.doesNotMatch(error.message, /sk_test_abc/);
      return true;
    });
    assert.throws(() => build('stripe', { kind: 'oauth_token', access_token: 'at' }), { code: 'invalid_auth_type' });
    assert.throws(() => build('snowflake', { kind: 'oauth_token', access_token: 'at' }, { apiConfig: { account: 'myorg-myaccount' } }), { code: 'invalid_auth_type' });
  });
});

describe('applyCredentials: API keys in the query string', () => {
  // No catalog connector takes its key in the query today; this one is shaped like Trello's API.
  const trelloLike = ConnectorSchema.parse({
    key: 'querykey',
    display_name: 'Query Key',
    description: 'A provider that takes its API key and token as query parameters.',
    categories: ['Productivity'],
    auth_types: ['API_KEY'],
    docs_url: 'https://example.com/docs',
    fields: [
      { name: 'api_key', label: 'API key', secret: false, required: true },
      { name: 'api_token', label: 'API token', secret: true, required: true },
    ],
    api: { base_url: 'https://api.example.com/1', auth: { type: 'query', params: { key: 'api_key', token: 'api_token' } } },
  });
  const credentials = staticAuth({ api_key: 'k123', api_token: 't456' });

  it('appends each credential as its named parameter, after the caller’s own query, and sends no credential header', () => {
    const request = applyCredentials({ connector: trelloLike, credentials, path: '/members/me/boards', method: 'GET', query: { fields: 'name', filter: ['open', 'starred'] } });
    assert.equal(request.url, 'https://api.example.com/1/members/me/boards?fields=name&filter=open&filter=starred&key=k123&token=t456');
    assert.deepEqual(request.headers, {});
  });

  it('a caller cannot replace the credential with a parameter of the same name', () => {
    const request = applyCredentials({ connector: trelloLike, credentials, path: '/x', method: 'GET', query: new URLSearchParams('key=attacker&token=attacker&q=1') });
    assert.equal(request.url, 'https://api.example.com/1/x?q=1&key=k123&token=t456');
  });

  it('a missing credential field is invalid_credentials, and an OAuth token is refused', () => {
    assert.throws(() => applyCredentials({ connector: trelloLike, credentials: staticAuth({ api_key: 'k123' }), path: '/x', method: 'GET' }), { code: 'invalid_credentials' });
    assert.throws(() => applyCredentials({ connector: trelloLike, credentials: { kind: 'oauth_token', access_token: 'a' }, path: '/x', method: 'GET' }), { code: 'invalid_auth_type' });
  });
});

describe('applyCredentials: Snowflake key-pair JWT', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const fingerprint = `SHA256:${createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('base64')}`;
  const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);
  const SNOWFLAKE = { account: 'myorg-myaccount', user: 'agent_user', private_key: pem };

  function decode(authorization: string | undefined) {
    assert.ok(authorization !== undefined && authorization.startsWith('Bearer '), 'a bearer JWT');
    const token = authorization.slice('Bearer '.length);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const json = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
    return { header: json(header), claims: json(payload), signed: `${header}.${payload}`, signature: Buffer.from(signature, 'base64url') };
  }

  it('mints an RS256 JWT: iss ACCOUNT.USER.SHA256:<fingerprint>, sub ACCOUNT.USER, 59 minutes, verifiable with the public key', () => {
    const request = applyCredentials({ connector: connector('snowflake'), credentials: staticAuth(SNOWFLAKE), path: '/api/v2/statements', method: 'POST', body: { statement: 'select 1' }, now: NOW });
    assert.equal(request.url, 'https://myorg-myaccount.snowflakecomputing.com/api/v2/statements');
    assert.equal(request.headers['X-Snowflake-Authorization-Token-Type'], 'KEYPAIR_JWT');
    assert.equal(request.headers['Content-Type'], 'application/json');
    const jwt = decode(request.headers['Authorization']);
    assert.deepEqual(jwt.header, { alg: 'RS256', typ: 'JWT' });
    assert.deepEqual(jwt.claims, {
      iss: `MYORG-MYACCOUNT.AGENT_USER.${fingerprint}`,
      sub: 'MYORG-MYACCOUNT.AGENT_USER',
      iat: NOW / 1000,
      exp: NOW / 1000 + 59 * 60,
    });
    assert.ok(verify('RSA-SHA256', Buffer.from(jwt.signed), publicKey, jwt.signature), 'signature verifies with the public key');
    assert.equal(snowflakePublicKeyFingerprint(createPublicKey(privateKey)), fingerprint);
    // Without `now` the clock is Date.now().
    const fresh = decode(build('snowflake', staticAuth(SNOWFLAKE)).headers['Authorization']).claims;
    assert.ok(Math.abs((fresh['iat'] as number) - Date.now() / 1000) < 60);
  });

  it('drops the region and cloud of an account locator, and keeps the part before "-" for a .global URL', () => {
    assert.equal(snowflakeJwtAccount('xy12345.us-east-2.aws'), 'XY12345');
    assert.equal(snowflakeJwtAccount('xy12345'), 'XY12345');
    assert.equal(snowflakeJwtAccount('myorg-myaccount'), 'MYORG-MYACCOUNT');
    assert.equal(snowflakeJwtAccount('xy12345-abcdefg.global'), 'XY12345');
    const request = applyCredentials({ connector: connector('snowflake'), credentials: staticAuth({ ...SNOWFLAKE, account: 'xy12345.us-east-2.aws' }), path: '/api/v2/statements', method: 'GET', now: NOW });
    assert.equal(request.url, 'https://xy12345.us-east-2.aws.snowflakecomputing.com/api/v2/statements');
    assert.equal(decode(request.headers['Authorization']).claims['sub'], 'XY12345.AGENT_USER');
  });

  it('reads an encrypted PKCS#8 key with the stored passphrase', () => {
    const encrypted = privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'correct horse' }).toString();
    const request = build('snowflake', staticAuth({ ...SNOWFLAKE, private_key: encrypted, private_key_passphrase: 'correct horse' }));
    const jwt = decode(request.headers['Authorization']);
    assert.ok(verify('RSA-SHA256', Buffer.from(jwt.signed), publicKey, jwt.signature));
    assert.equal(jwt.claims['iss'], `MYORG-MYACCOUNT.AGENT_USER.${fingerprint}`);
  });

  it('refuses an unreadable key, a wrong passphrase, a non-RSA key and missing fields, never echoing key material', () => {
    const noSecrets = (secret: string) => (error: { code?: string; message: string; details?: unknown }) => {
      assert.equal(error.code, 'invalid_credentials');
      assert.ok(!error.message.includes(secret) && !JSON.stringify(error.details ?? {}).includes(secret), 'no key material in the error');
      return true;
    };
    const garbage = '-----BEGIN PRIVATE KEY-----\nTUlJQ1NFQ1JFVA==\n-----END PRIVATE KEY-----';
    assert.throws(() => build('snowflake', staticAuth({ ...SNOWFLAKE, private_key: garbage })), noSecrets('TUlJQ1NFQ1JFVA'));
    const encrypted = privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'right-pass' }).toString();
    assert.throws(() => build('snowflake', staticAuth({ ...SNOWFLAKE, private_key: encrypted, private_key_passphrase: 'wrong-pass' })), noSecrets('wrong-pass'));
    assert.throws(() => build('snowflake', staticAuth({ ...SNOWFLAKE, private_key: encrypted })), noSecrets(encrypted.split('\n')[1] ?? ''));
    const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    assert.throws(() => build('snowflake', staticAuth({ ...SNOWFLAKE, private_key: ec })), { code: 'invalid_credentials', message: /not an RSA key/ });
    assert.throws(() => build('snowflake', staticAuth({ account: 'myorg-myaccount', private_key: pem })), (error: { code?: string; message: string }) => {
      assert.equal(error.code, 'invalid_credentials');
      assert.match(error.message, /"user"/);
      assert.ok(!error.message.includes('PRIVATE KEY'));
      return true;
    });
  });
});

interface Received {
  method: string;
  url: string;
  authorization: string | undefined;
  headers: http.IncomingHttpHeaders;
}

describe('checkStaticCredentials against a provider emulator', () => {
  let server: http.Server;
  let base: string;
  let connections = 0;
  const received: Received[] = [];
  /** Path → status to answer; the emulator otherwise accepts only the known-good credentials. */
  const forced = new Map<string, number>();
  const fetch = createSafeFetch({ allowPrivate: true, timeoutMs: 2000 });
  const guarded = createSafeFetch({ allowPrivate: false, timeoutMs: 2000 });

  before(async () => {
    server = http.createServer((req, res) => {
      received.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, headers: req.headers });
      const path = (req.url ?? '').replace(/^\/[a-z]+/, '');
      const good =
        req.headers.authorization === basic('agent@acme.test/token', 'zd_tok_123') ||
        req.headers.authorization === 'Bearer sk_test_good' ||
        req.headers['dd-api-key'] === 'ddapi123';
      const status = forced.get(path) ?? (good ? 200 : 401);
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(status === 200 ? { ok: true } : { error: "Couldn't authenticate you" }));
    });
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await Promise.all([fetch.close(), guarded.close()]);
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('accepts working credentials and sends exactly the documented check request', async () => {
    received.length = 0;
    const result = await checkStaticCredentials({ connector: connector('zendesk'), fields: ZENDESK, apiConfig: { base_url: `${base}/zendesk` }, fetch });
    assert.deepEqual(result, { ok: true });
    assert.equal(received.length, 1);
    assert.equal(received[0]?.method, 'GET');
    assert.equal(received[0]?.url, '/zendesk/api/v2/users/me.json');
    assert.equal(received[0]?.authorization, basic('agent@acme.test/token', 'zd_tok_123'));
  });

  it('reports 401 as rejected, with a plain message and no credential', async () => {
    received.length = 0;
    const result = await checkStaticCredentials({ connector: connector('stripe'), fields: { secret_key: 'sk_test_wrong' }, apiConfig: { base_url: `${base}/stripe` }, fetch });
    assert.deepEqual(result, { ok: false, reason: 'rejected', status: 401, message: 'Stripe rejected this key (HTTP 401).' });
    assert.deepEqual(
      received.map((r) => [r.method, r.url, r.authorization]),
      [['GET', '/stripe/v1/balance', 'Bearer sk_test_wrong']],
    );
    assert.doesNotMatch(JSON.stringify(result), /sk_test_wrong/);
  });

  it("honours the connector's expected statuses: a Stripe key without balance access is still genuine", async () => {
    forced.set('/v1/balance', 403);
    try {
      const result = await checkStaticCredentials({ connector: connector('stripe'), fields: { secret_key: 'rk_test_limited' }, apiConfig: { base_url: `${base}/stripe` }, fetch });
      assert.deepEqual(result, { ok: true });
    } finally {
      forced.delete('/v1/balance');
    }
  });

  it('sends both Datadog keys, and reads 403 as rejected there', async () => {
    received.length = 0;
    assert.deepEqual(await checkStaticCredentials({ connector: connector('datadog'), fields: DATADOG, apiConfig: { base_url: `${base}/datadog` }, fetch }), { ok: true });
    assert.equal(received[0]?.url, '/datadog/api/v1/validate');
    assert.equal(received[0]?.headers['dd-api-key'], 'ddapi123');
    assert.equal(received[0]?.headers['dd-application-key'], 'ddapp456');
    forced.set('/api/v1/validate', 403);
    try {
      const result = await checkStaticCredentials({ connector: connector('datadog'), fields: DATADOG, apiConfig: { base_url: `${base}/datadog` }, fetch });
      assert.deepEqual(result, { ok: false, reason: 'rejected', status: 403, message: 'Datadog rejected this key (HTTP 403).' });
    } finally {
      forced.delete('/api/v1/validate');
    }
  });

  it('reads 5xx as unreachable, and a 404 (wrong subdomain) as rejected', async () => {
    forced.set('/v3/scopes', 503);
    forced.set('/api/v2/agents/me', 404);
    try {
      const down = await checkStaticCredentials({ connector: connector('sendgrid'), fields: { api_key: 'SG.a.b' }, apiConfig: { base_url: `${base}/sendgrid` }, fetch });
      assert.equal(down.ok, false);
      assert.equal(!down.ok && down.reason, 'unreachable');
      assert.equal(!down.ok && down.status, 503);
      const lost = await checkStaticCredentials({ connector: connector('freshdesk'), fields: { domain: 'acme', api_key: 'fd' }, apiConfig: { base_url: `${base}/freshdesk` }, fetch });
      assert.equal(!lost.ok && lost.reason, 'rejected');
      assert.equal(!lost.ok && lost.status, 404);
    } finally {
      forced.clear();
    }
  });

  it('reports a closed port as unreachable', async () => {
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const result = await checkStaticCredentials({ connector: connector('zendesk'), fields: ZENDESK, apiConfig: { base_url: `http://127.0.0.1:${port}` }, fetch });
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.reason, 'unreachable');
    assert.equal(!result.ok && result.status, undefined);
    assert.doesNotMatch(JSON.stringify(result), /zd_tok_123/);
  });

  it('goes through the SSRF guard: without the private flag the emulator never sees a connection (ATK-35)', async () => {
    const before = connections;
    const result = await checkStaticCredentials({ connector: connector('zendesk'), fields: ZENDESK, apiConfig: { base_url: `${base}/zendesk` }, fetch: guarded });
    assert.equal(!result.ok && result.reason, 'unreachable');
    assert.equal(connections, before);
  });

  it('makes no request when the connector defines no check', async () => {
    let calls = 0;
    const spy = async () => {
      calls++;
      return new Response(null, { status: 500 });
    };
    assert.deepEqual(await checkStaticCredentials({ connector: connector('snowflake'), fields: { account: 'acme-xy12345', user: 'AGENT', private_key: 'k' }, fetch: spy }), { ok: true });
    assert.equal(calls, 0);
  });
});
