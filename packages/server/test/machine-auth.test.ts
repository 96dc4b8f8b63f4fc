import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createCredential, DEFAULT_ENVIRONMENT_NAME, findEnvironment } from '../src/index.ts';
import { hashSecret } from '../src/domain/credentials/credentials.ts';
import { signBearer, type BearerClaims } from '../src/domain/machine-auth/bearer-token.ts';
import { loadSigningKey } from '../src/domain/machine-auth/machine-auth.ts';
import { BACKENDS, createScratchDatabase, startTestGateway, type TestGateway } from './helpers/test-gateway.ts';

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: any;
}

/** POST with node:http so a test can choose its source address (127.0.0.x) for the per-address limit. */
function post(baseUrl: string, path: string, body: string, headers: Record<string, string>, localAddress = '127.0.0.1'): Promise<Raw> {
  const url = new URL(path, baseUrl);
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', localAddress, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) });
        });
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
/** application/x-www-form-urlencoded encoding of one value (RFC 6749 §2.3.1 for the Basic parts). */
const formEncode = (value: string) => new URLSearchParams([['', value]]).toString().slice(1);
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${formEncode(id)}:${formEncode(secret)}`).toString('base64')}`;

function tokenRequest(gw: TestGateway, clientId: string, clientSecret: string, localAddress?: string, forwardedFor?: string): Promise<Raw> {
  const headers = forwardedFor === undefined ? FORM : { ...FORM, 'x-forwarded-for': forwardedFor };
  return post(gw.url, '/oauth/token', form({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }), headers, localAddress);
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const partsOf = (token: string) => token.split('.') as [string, string, string];
const claimsOf = (token: string) => JSON.parse(Buffer.from(partsOf(token)[1], 'base64url').toString('utf8')) as Record<string, unknown>;

/** A controllable clock: the real time plus an offset the test moves forward. */
function movableClock() {
  let offsetMs = 0;
  return { now: () => new Date(Date.now() + offsetMs), advance: (ms: number) => void (offsetMs += ms) };
}

async function newCredential(gw: TestGateway) {
  const environment = await findEnvironment(gw.gateway.store, DEFAULT_ENVIRONMENT_NAME);
  const { credential, clientSecret } = await createCredential(gw.gateway.store, { environmentId: environment.id, name: 'machine-auth test' }, new Date());
  return { clientId: credential.id, clientSecret, environmentId: environment.id };
}

for (const backend of BACKENDS) {
  describe(`POST /oauth/token and bearer checks (${backend})`, () => {
    let gw: TestGateway;
    const clock = movableClock();
    before(async () => {
      // A high limit: failures of many tests share the 127.0.0.1 address budget here.
      gw = await startTestGateway(backend, { env: { AGENTGATE_TOKEN_RATE_LIMIT: '1000' }, clock: clock.now });
    });
    after(async () => {
      await gw.close();
    });

    const list = (token: string | null, headers?: Record<string, string>) => gw.api('GET', '/api/v1/connections', undefined, { token, ...(headers ? { headers } : {}) });

    it('form body → a working bearer token, cache-control: no-store', async () => {
      const res = await tokenRequest(gw, gw.admin.clientId, gw.admin.clientSecret);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(Object.keys(res.body).sort(), ['access_token', 'expires_in', 'token_type']);
      assert.equal(res.body.token_type, 'Bearer');
      assert.equal(res.body.expires_in, 86400);
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.equal((await list(res.body.access_token)).status, 200);
    });

    it('HTTP Basic, including url-encoded characters in both parts', async () => {
      const plain = await post(gw.url, '/oauth/token', form({ grant_type: 'client_credentials' }), { ...FORM, authorization: basic(gw.admin.clientId, gw.admin.clientSecret) });
      assert.equal(plain.status, 200, JSON.stringify(plain.body));
      assert.equal(plain.headers['cache-control'], 'no-store');

      const environment = await findEnvironment(gw.gateway.store, DEFAULT_ENVIRONMENT_NAME);
      const id = `cli:odd id+${randomBytes(3).toString('hex')}`;
      const secret = `s3cret:with+plus %25 percent/slash&amp=é-${randomBytes(8).toString('hex')}`;
      await gw.gateway.store.credentials.insert({ id, environmentId: environment.id, name: 'odd', secretHash: hashSecret(secret), createdAt: new Date(), revokedAt: null, lastUsedAt: null });
      const encoded = await post(gw.url, '/oauth/token', form({ grant_type: 'client_credentials' }), { ...FORM, authorization: basic(id, secret) });
      assert.equal(encoded.status, 200, JSON.stringify(encoded.body));
      assert.equal((await list(encoded.body.access_token)).status, 200);
      // Without the form encoding the first ':' of the id splits it: refused.
      const raw = await post(gw.url, '/oauth/token', form({ grant_type: 'client_credentials' }), { ...FORM, authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` });
      assert.equal(raw.status, 401);
      assert.equal((await tokenRequest(gw, id, secret)).status, 200, 'the same credential in a form body');
    });

    it('JSON body', async () => {
      const body = JSON.stringify({ grant_type: 'client_credentials', client_id: gw.admin.clientId, client_secret: gw.admin.clientSecret });
      const res = await post(gw.url, '/oauth/token', body, { 'content-type': 'application/json' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.token_type, 'Bearer');
      assert.equal((await list(res.body.access_token)).status, 200);
    });

    it('wrong secret, unknown client and revoked credential → the same 401 invalid_client', async () => {
      const wrong = await tokenRequest(gw, gw.admin.clientId, `${gw.admin.clientSecret}x`);
      const unknown = await tokenRequest(gw, `cli_unknown_${randomBytes(4).toString('hex')}`, gw.admin.clientSecret);
      const revoked = await newCredential(gw);
      assert.equal((await tokenRequest(gw, revoked.clientId, revoked.clientSecret)).status, 200);
      assert.equal(await gw.gateway.store.credentials.revoke(revoked.clientId, new Date()), true);
      const afterRevoke = await tokenRequest(gw, revoked.clientId, revoked.clientSecret);
      for (const res of [wrong, unknown, afterRevoke]) {
        assert.equal(res.status, 401);
        assert.equal(res.body.error.code, 'invalid_client');
      }
      assert.deepEqual(unknown.body, wrong.body, 'an unknown id is indistinguishable from a wrong secret');
      assert.deepEqual(afterRevoke.body, wrong.body);
    });

    it('missing grant_type → 400 invalid_request; other grants → 400 unsupported_grant_type', async () => {
      const missing = await post(gw.url, '/oauth/token', form({ client_id: gw.admin.clientId, client_secret: gw.admin.clientSecret }), FORM);
      assert.equal(missing.status, 400);
      assert.equal(missing.body.error.code, 'invalid_request');
      for (const grant of ['password', 'authorization_code', 'refresh_token', '']) {
        const res = await post(gw.url, '/oauth/token', form({ grant_type: grant, client_id: gw.admin.clientId, client_secret: gw.admin.clientSecret }), FORM);
        assert.equal(res.status, 400, grant);
        assert.equal(res.body.error.code, 'unsupported_grant_type', grant);
      }
      const noSecret = await post(gw.url, '/oauth/token', form({ grant_type: 'client_credentials', client_id: gw.admin.clientId }), FORM);
      assert.equal(noSecret.status, 400);
      assert.equal(noSecret.body.error.code, 'invalid_request');
    });

    it('missing bearer → 401 unauthenticated; other schemes and garbage → 401 invalid_token', async () => {
      const missing = await list(null);
      assert.equal(missing.status, 401);
      assert.equal(missing.body.error.code, 'unauthenticated');
      const inQuery = await gw.api('GET', `/api/v1/connections?access_token=${await gw.token()}`, undefined, { token: null });
      assert.equal(inQuery.status, 401, 'tokens in the query string are not accepted');
      const headers = [basic(gw.admin.clientId, gw.admin.clientSecret), 'Bearer', 'Bearer ', 'Bearer a b', 'Bearer garbage', 'Bearer a.b.c', `Token ${await gw.token()}`, 'Bearer ....'];
      for (const authorization of headers) {
        const res = await list(null, { authorization });
        assert.equal(res.status, 401, authorization);
        assert.equal(res.body.error.code, 'invalid_token', authorization);
      }
    });

    it('forged, alg none, tampered, wrong-issuer and unknown-key tokens → 401 invalid_token', async () => {
      const token = await gw.token();
      const [header, payload, signature] = partsOf(token);
      const claims = claimsOf(token) as unknown as BearerClaims;
      const key = await loadSigningKey(gw.gateway.store, gw.gateway.ctx.vault, new Date());
      // Positive control: the technique below produces a token the gateway accepts when nothing is wrong.
      assert.equal((await list(signBearer(claims, key))).status, 200);

      const middle = Math.floor(signature.length / 2);
      const flipped = `${signature.slice(0, middle)}${signature[middle] === 'A' ? 'B' : 'A'}${signature.slice(middle + 1)}`;
      const other = await gw.newEnvironment(`other-${randomBytes(3).toString('hex')}`);
      const cases: [string, string, string][] = [
        ['flipped signature character', `${header}.${payload}.${flipped}`, 'bad_signature'],
        ['re-signed with another key', signBearer(claims, { id: key.id, secret: randomBytes(32) }), 'bad_signature'],
        ['alg none', `${b64({ alg: 'none', typ: 'JWT', kid: key.id })}.${payload}.`, 'malformed'],
        ['alg none with the old signature', `${b64({ alg: 'none', typ: 'JWT', kid: key.id })}.${payload}.${signature}`, 'malformed'],
        ['env claim changed', `${header}.${b64({ ...claims, env: other.environmentId })}.${signature}`, 'bad_signature'],
        ['exp claim extended', `${header}.${b64({ ...claims, exp: claims.exp + 86400 })}.${signature}`, 'bad_signature'],
        ['wrong issuer', signBearer({ ...claims, iss: 'https://evil.example' }, key), 'wrong_issuer'],
        ['unknown key id', signBearer(claims, { id: 'key_9', secret: key.secret }), 'unknown_key'],
        ['env of another environment, validly signed', signBearer({ ...claims, env: other.environmentId }, key), 'revoked'],
      ];
      for (const [name, forged, reason] of cases) {
        const res = await list(forged);
        assert.equal(res.status, 401, name);
        assert.equal(res.body.error.code, 'invalid_token', name);
        assert.equal(res.body.error.details?.reason, reason, name);
      }
    });

    it("a revoked credential's existing token stops working (after the 5 s cache)", async () => {
      const { clientId, clientSecret } = await newCredential(gw);
      const token = (await tokenRequest(gw, clientId, clientSecret)).body.access_token as string;
      assert.equal((await list(token)).status, 200);
      await gw.gateway.store.credentials.revoke(clientId, new Date());
      clock.advance(5_001);
      const res = await list(token);
      assert.equal(res.status, 401);
      assert.equal(res.body.error.code, 'invalid_token');
      assert.equal(res.body.error.details.reason, 'revoked');
      assert.equal((await tokenRequest(gw, clientId, clientSecret)).status, 401);
      const admin = await tokenRequest(gw, gw.admin.clientId, gw.admin.clientSecret);
      assert.equal((await list(admin.body.access_token)).status, 200, 'other credentials are unaffected');
    });

    // Last: it moves the clock a day forward, which expires the harness's cached admin token.
    it('an expired token → 401 invalid_token with details.reason "expired"', async () => {
      const { clientId, clientSecret } = await newCredential(gw);
      const { body } = await tokenRequest(gw, clientId, clientSecret);
      const token = body.access_token as string;
      assert.equal(Number(claimsOf(token)['exp']) - Number(claimsOf(token)['iat']), 86400);
      clock.advance(86_400_000 - 5_000);
      assert.equal((await list(token)).status, 200, 'still valid just before expiry');
      clock.advance(6_000);
      const res = await list(token);
      assert.equal(res.status, 401);
      assert.equal(res.body.error.code, 'invalid_token');
      assert.equal(res.body.error.details.reason, 'expired');
      assert.match(res.body.error.message, /oauth\/token/);
      // A fresh token works again (issued at the moved clock).
      assert.equal((await list((await tokenRequest(gw, clientId, clientSecret)).body.access_token)).status, 200);
    });
  });

  describe(`token rate limit (${backend})`, () => {
    let gw: TestGateway;
    const clock = movableClock();
    const LIMIT = 3;
    before(async () => {
      gw = await startTestGateway(backend, { env: { AGENTGATE_TOKEN_RATE_LIMIT: String(LIMIT) }, clock: clock.now });
    });
    after(async () => {
      await gw.close();
    });

    const assertLimited = (res: Raw) => {
      assert.equal(res.status, 429, JSON.stringify(res.body));
      assert.equal(res.body.error.code, 'rate_limited');
      const retryAfter = Number(res.headers['retry-after']);
      assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After: ${res.headers['retry-after']}`);
      assert.equal(res.body.error.details.retry_after, retryAfter);
    };

    it('per client id: locked after the limit, even with the right secret and from another address', async () => {
      const { clientId, clientSecret } = await newCredential(gw);
      for (let i = 0; i < LIMIT; i++) {
        const res = await tokenRequest(gw, clientId, `wrong-${i}`, '127.0.0.2');
        assert.equal(res.status, 401, `attempt ${i + 1}`);
        assert.equal(res.body.error.code, 'invalid_client');
      }
      assertLimited(await tokenRequest(gw, clientId, clientSecret, '127.0.0.3'));
      assertLimited(await tokenRequest(gw, clientId, clientSecret, '127.0.0.2'));
      assert.equal((await tokenRequest(gw, gw.admin.clientId, gw.admin.clientSecret, '127.0.0.3')).status, 200, 'other clients are not locked');
      clock.advance(61_000);
      assert.equal((await tokenRequest(gw, clientId, clientSecret, '127.0.0.3')).status, 200, 'the lock-out ends with the window');
    });

    it('per address: failures across different client ids lock the address only', async () => {
      for (let i = 0; i < LIMIT; i++) {
        const res = await tokenRequest(gw, `cli_guess_${i}_${randomBytes(3).toString('hex')}`, 'nope', '127.0.0.4');
        assert.equal(res.status, 401, `attempt ${i + 1}`);
      }
      assertLimited(await tokenRequest(gw, gw.admin.clientId, gw.admin.clientSecret, '127.0.0.4'));
      assert.equal((await tokenRequest(gw, gw.admin.clientId, gw.admin.clientSecret, '127.0.0.5')).status, 200, 'another address is not locked');
    });

    it('per address, no proxy trusted (the default): a client cannot escape the limit by sending X-Forwarded-For', async () => {
      for (let i = 0; i < LIMIT; i++) {
        const res = await tokenRequest(gw, `cli_guess_${i}_${randomBytes(3).toString('hex')}`, 'nope', '127.0.0.6', `203.0.113.${i + 1}`);
        assert.equal(res.status, 401, `attempt ${i + 1}`);
      }
      assertLimited(await tokenRequest(gw, gw.admin.clientId, gw.admin.clientSecret, '127.0.0.6', '203.0.113.99'));
    });
  });

  describe(`token rate limit behind one trusted proxy (${backend})`, () => {
    let gw: TestGateway;
    const LIMIT = 3;
    before(async () => {
      gw = await startTestGateway(backend, { env: { AGENTGATE_TOKEN_RATE_LIMIT: String(LIMIT), AGENTGATE_TRUST_PROXY_HOPS: '1' } });
    });
    after(async () => {
      await gw.close();
    });

    it('counts the client address the proxy forwarded, not the proxy, and only one hop back', async () => {
      // Every request comes from the proxy's socket address (127.0.0.7); the proxy appends the client's.
      for (let i = 0; i < LIMIT; i++) {
        const res = await tokenRequest(gw, `cli_guess_${i}_${randomBytes(3).toString('hex')}`, 'nope', '127.0.0.7', `198.51.100.${i + 1}, 203.0.113.10`);
        assert.equal(res.status, 401, `attempt ${i + 1}`);
      }
      const locked = await tokenRequest(gw, gw.admin.clientId, gw.admin.clientSecret, '127.0.0.7', '198.51.100.200, 203.0.113.10');
      assert.equal(locked.status, 429, 'the client the proxy saw (203.0.113.10) is locked, whatever it put in front');
      assert.equal((await tokenRequest(gw, gw.admin.clientId, gw.admin.clientSecret, '127.0.0.7', '203.0.113.11')).status, 200, 'another client behind the same proxy is not');
    });
  });

  describe(`admin credential seeding (${backend})`, () => {
    it('restarts with the same id and secret keep one credential; a changed secret replaces the hash', async () => {
      const scratch = backend === 'postgres' ? await createScratchDatabase() : undefined;
      const dataDir = backend === 'pglite' ? await mkdtemp(join(tmpdir(), 'agentgate-seed-')) : undefined;
      const clientId = 'cli_seeded_admin';
      const first = `sec_first_${randomBytes(16).toString('hex')}`;
      const second = `sec_second_${randomBytes(16).toString('hex')}`;
      const start = (secret: string) =>
        startTestGateway(backend, {
          env: { AGENTGATE_ADMIN_CLIENT_ID: clientId, AGENTGATE_ADMIN_CLIENT_SECRET: secret },
          ...(dataDir === undefined ? {} : { dataDir }),
          ...(scratch === undefined ? {} : { databaseUrl: scratch.url }),
        });
      const rows = (gw: TestGateway) => gw.gateway.database.db.selectFrom('api_credentials').selectAll().execute();
      try {
        let gw = await start(first);
        const [original, ...others] = await rows(gw);
        assert.equal(others.length, 0);
        assert.equal(original?.id, clientId);
        assert.equal((await tokenRequest(gw, clientId, first)).status, 200);
        await gw.close();

        gw = await start(first);
        const again = await rows(gw);
        assert.equal(again.length, 1);
        assert.equal(again[0]?.secret_hash, original?.secret_hash);
        assert.equal(new Date(again[0]?.created_at ?? 0).getTime(), new Date(original?.created_at ?? 1).getTime());
        assert.equal((await tokenRequest(gw, clientId, first)).status, 200);
        await gw.close();

        gw = await start(second);
        const changed = await rows(gw);
        assert.equal(changed.length, 1);
        assert.notEqual(changed[0]?.secret_hash, original?.secret_hash);
        const old = await tokenRequest(gw, clientId, first);
        assert.equal(old.status, 401);
        assert.equal(old.body.error.code, 'invalid_client');
        assert.equal((await tokenRequest(gw, clientId, second)).status, 200);
        await gw.close();
      } finally {
        await scratch?.drop();
        if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
      }
    });
  });
}
