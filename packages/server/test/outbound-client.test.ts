/**
 * The hot-path outbound client (outbound-client.ts) and the corporate-network support it shares
 * with safe fetch (address-guard.ts, network-options.ts): SSRF refusals against real sockets (a
 * refused request must not even open a connection), header injection, the deadline, the body cap,
 * keep-alive reuse, TLS trust with AGENTGATE_EXTRA_CA_CERTS, and HTTPS_PROXY / HTTP_PROXY / NO_PROXY
 * through a local CONNECT-capable proxy. Everything listens on loopback; nothing leaves the machine.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo, type LookupFunction } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { answerMisbehaving, lookupTo, rejectsWith } from './helpers/outbound-fixtures.ts';
import { makeCertificate } from './helpers/tls-certificate.ts';
import { createOutboundClient, type OutboundRequest } from '../src/domain/outbound/outbound-client.ts';
import { bypassesProxy, readExtraCaCerts, readProxySettings } from '../src/domain/outbound/network-options.ts';
import { createSafeFetch } from '../src/domain/outbound/safe-fetch.ts';

// ---------------------------------------------------------------------------------------------
// Fixtures

interface Server {
  readonly port: number;
  connections: number;
  requests: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[];
  close(): Promise<void>;
}

/** Dual-stack when the machine has IPv6, so a connection to [::1] or [::ffff:127.0.0.1] would be seen too. */
async function listen(server: net.Server): Promise<number> {
  for (const host of ['::', '127.0.0.1']) {
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      return (server.address() as AddressInfo).port;
    } catch (error) {
      if (host === '127.0.0.1') throw error;
    }
  }
  throw new Error('unreachable');
}

async function startServer(handler: http.RequestListener, tls?: { key: string; cert: string }): Promise<Server> {
  const listener: http.RequestListener = (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      state.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() });
      handler(req, res);
    });
  };
  const server = tls === undefined ? http.createServer(listener) : https.createServer(tls, listener);
  server.on(tls === undefined ? 'connection' : 'secureConnection', () => state.connections++);
  if (tls !== undefined) server.on('tlsClientError', () => undefined);
  const port = await listen(server);
  const state: Server = {
    port,
    connections: 0,
    requests: [],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return state;
}

interface Proxy {
  readonly url: string;
  connections: number;
  /** `CONNECT host:port` or `GET http://host:port/path`, in order. */
  seen: string[];
  close(): Promise<void>;
}

/**
 * A forward proxy: CONNECT tunnels (to the requested host:port, or to `tunnelTo` on loopback, so a
 * public-looking name can be served locally) and absolute-URI requests for http.
 */
async function startProxy(options: { tunnelTo?: number } = {}): Promise<Proxy> {
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    state.seen.push(`${req.method} ${req.url}`);
    const target = new URL(req.url ?? '');
    const forward = http.request(
      { host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method: req.method, headers: req.headers },
      (upstream) => {
        res.writeHead(upstream.statusCode ?? 502, upstream.headers);
        upstream.pipe(res);
      },
    );
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    state.seen.push(`CONNECT ${req.url}`);
    const { hostname, port } = new URL(`http://${req.url}`);
    const target = net.connect(options.tunnelTo ?? Number(port), options.tunnelTo === undefined ? hostname.replace(/^\[|\]$/g, '') : '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      target.write(head);
      target.pipe(client);
      client.pipe(target);
    });
    sockets.add(target);
    target.on('error', () => client.destroy());
    client.on('error', () => target.destroy());
  });
  server.on('connection', (socket: net.Socket) => {
    state.connections++;
    sockets.add(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const state: Proxy = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: 0,
    seen: [],
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  return state;
}


const get = (url: string, extra: Partial<OutboundRequest> = {}): OutboundRequest => ({ url, method: 'GET', headers: {}, timeoutMs: 2000, maxResponseBytes: 1024, ...extra });

const NO_PROXY_ENV = {};

// ---------------------------------------------------------------------------------------------

describe('outbound client', () => {
  let upstream: Server;
  let other: Server;
  const open = createOutboundClient({ allowPrivate: true, userAgent: 'agentgate-test/1', proxyEnv: NO_PROXY_ENV });
  const guarded = createOutboundClient({ allowPrivate: false, proxyEnv: NO_PROXY_ENV });

  before(async () => {
    other = await startServer((_req, res) => res.end('other host'));
    upstream = await startServer((req, res) => {
      const path = req.url ?? '/';
      if (path === '/redirect-metadata') {
        res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
      } else if (path === '/redirect-other') {
        res.writeHead(307, { location: `http://127.0.0.1:${other.port}/stolen` }).end();
      } else if (answerMisbehaving(path, res)) {
        // deadline and size-cap cases: helpers/outbound-fixtures.ts
      } else if (path === '/headers') {
        res.setHeader('x-multi', ['a', 'b']);
        res.setHeader('set-cookie', ['s=1; Path=/', 't=2; Expires=Wed, 21 Oct 2026 07:28:00 GMT']);
        res.setHeader('X-Mixed-Case', 'yes');
        res.end('ok');
      } else {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ method: req.method, path, host: req.headers.host, ua: req.headers['user-agent'], auth: req.headers.authorization ?? null }));
      }
    });
  });
  after(async () => {
    await Promise.all([open.close(), guarded.close()]);
    await Promise.all([upstream.close(), other.close()]);
  });

  it('sends the request and returns status, lower-case headers and the body', async () => {
    const response = await open.request(get(`http://127.0.0.1:${upstream.port}/hello?x=1`, { headers: { Authorization: 'Bearer tok' } }));
    assert.equal(response.status, 200);
    assert.equal(response.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(response.body.toString()), { method: 'GET', path: '/hello?x=1', host: `127.0.0.1:${upstream.port}`, ua: 'agentgate-test/1', auth: 'Bearer tok' });

    const posted = await open.request({ ...get(`http://127.0.0.1:${upstream.port}/post`), method: 'POST', headers: { 'content-type': 'application/json', 'User-Agent': 'caller/2' }, body: '{"a":1}' });
    assert.equal(posted.status, 200);
    assert.equal((JSON.parse(posted.body.toString()) as { ua: string }).ua, 'caller/2', "the caller's User-Agent wins");
    assert.equal(upstream.requests.at(-1)?.body, '{"a":1}');
    await open.request({ ...get(`http://127.0.0.1:${upstream.port}/bytes`), method: 'PUT', body: new Uint8Array([104, 105]) });
    assert.equal(upstream.requests.at(-1)?.body, 'hi');

    const headers = await open.request(get(`http://127.0.0.1:${upstream.port}/headers`));
    assert.equal(headers.headers['x-multi'], 'a, b', 'repeated headers are joined with ", "');
    assert.equal(headers.headers['x-mixed-case'], 'yes');
    assert.equal(headers.headers['set-cookie'], undefined, 'set-cookie is dropped');
    assert.equal(headers.body.toString(), 'ok');
  });

  it('refuses loopback, private and metadata targets before a connection is opened (ATK-29)', async () => {
    const before = upstream.connections;
    const targets = [
      `https://127.0.0.1:${upstream.port}/`,
      `https://[::1]:${upstream.port}/`,
      `https://169.254.169.254:${upstream.port}/latest/meta-data/`,
      `https://0.0.0.0:${upstream.port}/`,
      `https://foo.localhost:${upstream.port}/`,
      `https://localhost:${upstream.port}/`,
      `https://[::ffff:127.0.0.1]:${upstream.port}/`,
      `https://0x7f000001:${upstream.port}/`,
      `https://[::]:${upstream.port}/`,
      'https://10.0.0.1/',
      'https://[fd00:ec2::254]/',
    ];
    for (const target of targets) {
      const error = await rejectsWith(guarded.request(get(`${target}?access_token=tok_secret`, { headers: { authorization: 'Bearer sk_live_secret' } })), 'blocked_address');
      assert.doesNotMatch(error.message, /sk_live_secret|tok_secret|Bearer|access_token/, target);
      assert.match(error.message, /AGENTGATE_ALLOW_PRIVATE_UPSTREAMS/);
    }
    assert.equal(upstream.connections, before, 'no socket may be opened for a refused destination');
  });

  it('refuses a name that resolves to loopback, checked on the answer at connect time', async () => {
    const client = createOutboundClient({ allowPrivate: false, lookup: lookupTo('127.0.0.1'), proxyEnv: NO_PROXY_ENV });
    const before = upstream.connections;
    try {
      await rejectsWith(client.request(get(`https://api.example.test:${upstream.port}/`)), 'blocked_address');
      // A record mixing a public and a private answer is refused as a whole.
      const mixed = createOutboundClient({ allowPrivate: false, lookup: lookupTo('93.184.215.14', '127.0.0.1'), proxyEnv: NO_PROXY_ENV });
      await rejectsWith(mixed.request(get(`https://mixed.example.test:${upstream.port}/`)), 'blocked_address');
      await mixed.close();
    } finally {
      await client.close();
    }
    assert.equal(upstream.connections, before);
  });

  it('resolves again for the connection: a name that answered public earlier and loopback now is refused (DNS rebinding)', async () => {
    let lookups = 0;
    const rebinding: LookupFunction = (hostname, options, callback) => {
      lookups++;
      lookupTo(lookups === 1 ? '93.184.215.14' : '127.0.0.1')(hostname, options, callback);
    };
    // Whatever looked at the name before (a configuration-time check, a previous request) saw a public address...
    const first = await new Promise<string>((resolve) => rebinding('rebind.example.test', {}, (_e, address) => resolve(String(address))));
    assert.equal(first, '93.184.215.14');
    // ...the connection resolves for itself and gets loopback: refused, nothing sent.
    const client = createOutboundClient({ allowPrivate: false, lookup: rebinding, proxyEnv: NO_PROXY_ENV });
    const before = upstream.connections;
    try {
      await rejectsWith(client.request(get(`https://rebind.example.test:${upstream.port}/`)), 'blocked_address');
      await rejectsWith(client.request(get(`https://rebind.example.test:${upstream.port}/`)), 'blocked_address');
      assert.equal(lookups, 3, 'every connection attempt resolves (and checks) again; no earlier answer is trusted');
    } finally {
      await client.close();
    }
    assert.equal(upstream.connections, before);
  });

  it('connects to exactly the address the checked lookup returned', async () => {
    const pinned = createOutboundClient({ allowPrivate: true, lookup: lookupTo('127.0.0.1'), proxyEnv: NO_PROXY_ENV });
    try {
      const response = await pinned.request(get(`http://api.example.test:${upstream.port}/pinned`));
      assert.equal((JSON.parse(response.body.toString()) as { host: string }).host, `api.example.test:${upstream.port}`);
    } finally {
      await pinned.close();
    }
  });

  it('refuses non-http(s) schemes, http without the flag and credentials in the URL', async () => {
    for (const target of ['ftp://example.com/', 'file:///etc/passwd', 'data:text/plain,hi', 'not a url']) {
      await rejectsWith(open.request(get(target)), 'bad_scheme');
    }
    await rejectsWith(guarded.request(get('http://example.com/')), 'bad_scheme');
    const error = await rejectsWith(open.request(get(`http://user:hunter2@127.0.0.1:${upstream.port}/`)), 'bad_scheme');
    assert.doesNotMatch(error.message, /hunter2/);
  });

  it('returns a 3xx as is and follows nothing, not even to the metadata address (ATK-30)', async () => {
    const before = upstream.requests.length;
    const metadata = await open.request(get(`http://127.0.0.1:${upstream.port}/redirect-metadata`, { headers: { authorization: 'Bearer token' } }));
    assert.equal(metadata.status, 302);
    assert.equal(metadata.headers.location, 'http://169.254.169.254/latest/meta-data/');
    const elsewhere = await open.request(get(`http://127.0.0.1:${upstream.port}/redirect-other`, { headers: { authorization: 'Bearer token' } }));
    assert.equal(elsewhere.status, 307);
    assert.equal(upstream.requests.length, before + 2);
    assert.equal(other.connections, 0, 'the redirect target never sees a connection');
  });

  it('refuses header injection (CR, LF, NUL) before anything is sent', async () => {
    const fresh = await startServer((_req, res) => res.end());
    const client = createOutboundClient({ allowPrivate: true, proxyEnv: NO_PROXY_ENV });
    const url = `http://127.0.0.1:${fresh.port}/`;
    try {
      const cases: Record<string, string>[] = [
        { 'x-note': 'a\r\nInjected: yes' },
        { 'x-note': 'a\nInjected: yes' },
        { 'x-note': 'a\0b' },
        { 'x-note\r\nInjected': 'yes' },
        { 'x-no\0te': 'yes' },
        { 'bad name': 'yes' },
        { 'Transfer-Encoding': 'chunked' },
      ];
      for (const headers of cases) {
        const error = await rejectsWith(client.request(get(url, { headers: { authorization: 'Bearer sk_secret', ...headers } })), 'bad_header');
        assert.doesNotMatch(error.message, /sk_secret|Injected/);
      }
      await rejectsWith(client.request({ ...get(url), method: 'GET / HTTP/1.1\r\nX:' }), 'bad_header');
      assert.equal(fresh.connections, 0, 'nothing was sent');
      assert.equal((await client.request(get(url))).status, 200, 'the same client still works');
    } finally {
      await client.close();
      await fresh.close();
    }
  });

  it('ends an upstream that never answers, trickles its body or stalls the TLS handshake at the total deadline (ATK-31)', async () => {
    let started = Date.now();
    const error = await rejectsWith(open.request(get(`http://127.0.0.1:${upstream.port}/hang`, { timeoutMs: 300 })), 'timeout');
    assert.match(error.message, /300 ms/);
    assert.ok(Date.now() - started < 1500);

    started = Date.now();
    await rejectsWith(open.request(get(`http://127.0.0.1:${upstream.port}/trickle`, { timeoutMs: 300, maxResponseBytes: 1_000_000 })), 'timeout');
    assert.ok(Date.now() - started < 1500, 'the deadline covers the body too');

    // Accepts TCP, never says a TLS word: the deadline ends the connection phase as well.
    const silent = net.createServer(() => undefined);
    const sockets: net.Socket[] = [];
    silent.on('connection', (socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    started = Date.now();
    try {
      await rejectsWith(open.request(get(`https://127.0.0.1:${(silent.address() as AddressInfo).port}/`, { timeoutMs: 300 })), 'timeout');
      assert.ok(Date.now() - started < 1500);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('caps the response body, announced or streamed (ATK-31)', async () => {
    const exact = await open.request(get(`http://127.0.0.1:${upstream.port}/exact`));
    assert.equal(exact.body.byteLength, 1024);
    await rejectsWith(open.request(get(`http://127.0.0.1:${upstream.port}/big`)), 'response_too_large');
    const started = Date.now();
    await rejectsWith(open.request(get(`http://127.0.0.1:${upstream.port}/declared`, { timeoutMs: 1500 })), 'response_too_large');
    assert.ok(Date.now() - started < 1000, 'refused on the announced length, not at the deadline');
    // HEAD announces a length it does not send: not a reason to refuse.
    assert.equal((await open.request({ ...get(`http://127.0.0.1:${upstream.port}/head-large`), method: 'HEAD' })).status, 200);
  });

  it('keeps the connection alive: sequential requests share one socket', async () => {
    const fresh = await startServer((_req, res) => res.end('x'));
    const client = createOutboundClient({ allowPrivate: true, proxyEnv: NO_PROXY_ENV });
    try {
      for (let i = 0; i < 3; i++) assert.equal((await client.request(get(`http://127.0.0.1:${fresh.port}/${i}`))).status, 200);
      assert.equal(fresh.requests.length, 3);
      assert.equal(fresh.connections, 1);
    } finally {
      await client.close();
      await fresh.close();
    }
  });

  it("passes the caller's own abort through unchanged", async () => {
    const controller = new AbortController();
    const pending = open.request(get(`http://127.0.0.1:${upstream.port}/hang`, { signal: controller.signal }));
    controller.abort(new Error('caller gave up'));
    await assert.rejects(pending, { message: 'caller gave up' });
    await assert.rejects(open.request(get(`http://127.0.0.1:${upstream.port}/`, { signal: AbortSignal.abort(new Error('already')) })), { message: 'already' });
  });

  it('reports network failures without the URL query or headers', async () => {
    const closed = await startServer(() => undefined);
    const port = closed.port;
    await closed.close();
    const error = await rejectsWith(open.request(get(`http://127.0.0.1:${port}/x?access_token=tok_secret`, { headers: { authorization: 'Bearer tok_secret' } })), 'network');
    assert.equal(error.code, 'ECONNREFUSED');
    assert.doesNotMatch(error.message, /tok_secret|access_token|Bearer/);
  });
});

describe('TLS trust and corporate proxies', () => {
  const certificate = makeCertificate();
  const skip = certificate === undefined ? 'the openssl CLI is not installed' : false;
  let tlsServer: Server;
  let plain: Server;

  before(async () => {
    if (certificate === undefined) return;
    tlsServer = await startServer((req, res) => res.end(`tls ${req.url} ${req.headers.host}`), certificate);
    plain = await startServer((req, res) => res.end(`plain ${req.url}`));
  });
  after(async () => {
    if (certificate === undefined) return;
    await Promise.all([tlsServer.close(), plain.close()]);
  });

  it('names AGENTGATE_EXTRA_CA_CERTS when the certificate is not trusted, and trusts the bundle it names', { skip }, async () => {
    const untrusting = createOutboundClient({ allowPrivate: true, proxyEnv: NO_PROXY_ENV });
    const trusting = createOutboundClient({ allowPrivate: true, proxyEnv: NO_PROXY_ENV, extraCaCerts: certificate?.cert });
    const fetchUntrusting = createSafeFetch({ allowPrivate: true, proxyEnv: NO_PROXY_ENV });
    const fetchTrusting = createSafeFetch({ allowPrivate: true, proxyEnv: NO_PROXY_ENV, extraCaCerts: certificate?.cert });
    try {
      const url = `https://127.0.0.1:${tlsServer.port}/secure?token=tok_secret`;
      const error = await rejectsWith(untrusting.request(get(url)), 'tls');
      assert.equal(error.code, 'DEPTH_ZERO_SELF_SIGNED_CERT');
      assert.match(error.message, /^TLS to 127\.0\.0\.1:\d+ failed \(DEPTH_ZERO_SELF_SIGNED_CERT\): the certificate is not trusted\. .*set AGENTGATE_EXTRA_CA_CERTS to its PEM bundle\.$/);
      assert.doesNotMatch(error.message, /tok_secret/);
      const ok = await trusting.request(get(url));
      assert.equal(ok.status, 200);
      assert.match(ok.body.toString(), /^tls \/secure/);

      // The name is checked too: the bundle makes the issuer trusted, not any name.
      const wrongName = createOutboundClient({ allowPrivate: true, proxyEnv: NO_PROXY_ENV, extraCaCerts: certificate?.cert, lookup: lookupTo('127.0.0.1') });
      const altname = await rejectsWith(wrongName.request(get(`https://other.example.test:${tlsServer.port}/`)), 'tls');
      assert.equal(altname.code, 'ERR_TLS_CERT_ALTNAME_INVALID');
      await wrongName.close();

      // safe fetch shares the same trust store and error.
      const fetchError = await rejectsWith(fetchUntrusting(url), 'tls');
      assert.match(fetchError.message, /AGENTGATE_EXTRA_CA_CERTS/);
      const fetched = await fetchTrusting(url);
      assert.equal(fetched.status, 200);
      assert.match(await fetched.text(), /^tls \/secure/);
    } finally {
      await Promise.all([untrusting.close(), trusting.close(), fetchUntrusting.close(), fetchTrusting.close()]);
    }
  });

  it('reads the AGENTGATE_EXTRA_CA_CERTS file, refusing one without a PEM certificate', { skip }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'agentgate-ca-'));
    try {
      writeFileSync(join(dir, 'ca.pem'), `# corporate CA\n${certificate?.cert ?? ''}`);
      writeFileSync(join(dir, 'not.pem'), 'hello');
      assert.match(readExtraCaCerts(join(dir, 'ca.pem')), /BEGIN CERTIFICATE/);
      assert.throws(() => readExtraCaCerts(join(dir, 'not.pem')), /AGENTGATE_EXTRA_CA_CERTS: .*no PEM certificate/);
      assert.throws(() => readExtraCaCerts(join(dir, 'missing.pem')), /AGENTGATE_EXTRA_CA_CERTS: cannot read .*ENOENT/);
      assert.throws(() => createOutboundClient({ allowPrivate: true, extraCaCerts: 'hello' }), /AGENTGATE_EXTRA_CA_CERTS/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('tunnels https through HTTPS_PROXY with CONNECT, the extra CA applying inside the tunnel', { skip }, async () => {
    const proxy = await startProxy();
    const client = createOutboundClient({ allowPrivate: true, extraCaCerts: certificate?.cert, proxyEnv: { HTTPS_PROXY: proxy.url } });
    const safeFetch = createSafeFetch({ allowPrivate: true, extraCaCerts: certificate?.cert, proxyEnv: { https_proxy: proxy.url } });
    try {
      const before = tlsServer.requests.length;
      const response = await client.request(get(`https://127.0.0.1:${tlsServer.port}/via-proxy`));
      assert.equal(response.status, 200);
      assert.equal(response.body.toString(), `tls /via-proxy 127.0.0.1:${tlsServer.port}`);
      assert.deepEqual(proxy.seen, [`CONNECT 127.0.0.1:${tlsServer.port}`]);
      assert.equal(tlsServer.requests.length, before + 1);
      // The tunnel stays open for the next request.
      await client.request(get(`https://127.0.0.1:${tlsServer.port}/again`));
      assert.equal(proxy.seen.length, 1);

      const fetched = await safeFetch(`https://127.0.0.1:${tlsServer.port}/fetch-via-proxy`);
      assert.equal(await fetched.text(), `tls /fetch-via-proxy 127.0.0.1:${tlsServer.port}`);
      assert.equal(proxy.seen.length, 2);
      assert.equal(proxy.seen[1], `CONNECT 127.0.0.1:${tlsServer.port}`);
    } finally {
      await Promise.all([client.close(), safeFetch.close()]);
      await proxy.close();
    }
  });

  it('sends http through HTTP_PROXY in absolute-URI form, and HTTP_PROXY is not used for https', { skip }, async () => {
    const proxy = await startProxy();
    const client = createOutboundClient({ allowPrivate: true, extraCaCerts: certificate?.cert, proxyEnv: { HTTP_PROXY: proxy.url } });
    try {
      const response = await client.request(get(`http://127.0.0.1:${plain.port}/plain?q=1`));
      assert.equal(response.body.toString(), 'plain /plain?q=1');
      assert.deepEqual(proxy.seen, [`GET http://127.0.0.1:${plain.port}/plain?q=1`]);
      assert.equal((await client.request(get(`https://127.0.0.1:${tlsServer.port}/direct`))).status, 200);
      assert.equal(proxy.seen.length, 1, 'https went direct');
    } finally {
      await client.close();
      await proxy.close();
    }
  });

  it('goes direct for hosts NO_PROXY matches', { skip }, async () => {
    const proxy = await startProxy();
    const env = { HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url, NO_PROXY: 'intranet.example, 127.0.0.1' };
    const client = createOutboundClient({ allowPrivate: true, extraCaCerts: certificate?.cert, proxyEnv: env });
    const safeFetch = createSafeFetch({ allowPrivate: true, extraCaCerts: certificate?.cert, proxyEnv: env });
    try {
      assert.equal((await client.request(get(`https://127.0.0.1:${tlsServer.port}/`))).status, 200);
      assert.equal((await client.request(get(`http://127.0.0.1:${plain.port}/`))).status, 200);
      assert.equal(await (await safeFetch(`https://127.0.0.1:${tlsServer.port}/`)).text(), `tls / 127.0.0.1:${tlsServer.port}`);
      assert.deepEqual(proxy.seen, []);
      assert.equal(proxy.connections, 0);
    } finally {
      await Promise.all([client.close(), safeFetch.close()]);
      await proxy.close();
    }
  });

  it('still refuses a blocked destination with a proxy set, before contacting the proxy', { skip }, async () => {
    const proxy = await startProxy();
    const env = { HTTPS_PROXY: proxy.url };
    const literal = createOutboundClient({ allowPrivate: false, proxyEnv: env });
    const named = createOutboundClient({ allowPrivate: false, proxyEnv: env, lookup: lookupTo('10.1.2.3') });
    const mixed = createOutboundClient({ allowPrivate: false, proxyEnv: env, lookup: lookupTo('93.184.215.14', '127.0.0.1') });
    const safeFetch = createSafeFetch({ allowPrivate: false, proxyEnv: env, lookup: lookupTo('127.0.0.1') });
    try {
      for (const target of [`https://127.0.0.1:${tlsServer.port}/`, 'https://169.254.169.254/latest/meta-data/', 'https://[::ffff:127.0.0.1]/', 'https://0.0.0.0/', 'https://foo.localhost/']) {
        await rejectsWith(literal.request(get(target)), 'blocked_address');
      }
      await rejectsWith(named.request(get('https://internal.example.test/')), 'blocked_address');
      await rejectsWith(mixed.request(get('https://mixed.example.test/')), 'blocked_address');
      await rejectsWith(safeFetch('https://internal.example.test/'), 'blocked_address');
      await rejectsWith(safeFetch('https://[::1]/'), 'blocked_address');
      assert.deepEqual(proxy.seen, []);
      assert.equal(proxy.connections, 0, 'the proxy was never contacted');
    } finally {
      await Promise.all([literal.close(), named.close(), mixed.close(), safeFetch.close()]);
      await proxy.close();
    }
  });

  it('lets a public destination through the proxy when private upstreams are not allowed', { skip }, async () => {
    // The proxy answers every CONNECT with a tunnel to the local TLS server, standing in for the internet.
    const proxy = await startProxy({ tunnelTo: tlsServer.port });
    const client = createOutboundClient({ allowPrivate: false, extraCaCerts: certificate?.cert, proxyEnv: { HTTPS_PROXY: proxy.url }, lookup: lookupTo('93.184.215.14') });
    try {
      const response = await client.request(get('https://api.example.test/public'));
      assert.equal(response.status, 200);
      assert.equal(response.body.toString(), 'tls /public api.example.test');
      assert.deepEqual(proxy.seen, ['CONNECT api.example.test:443']);
    } finally {
      await client.close();
      await proxy.close();
    }
  });

  it('reports a proxy that refuses the tunnel without leaking the URL', { skip }, async () => {
    const refusing = http.createServer();
    refusing.on('connect', (_req: http.IncomingMessage, socket: net.Socket) => socket.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n'));
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    const client = createOutboundClient({ allowPrivate: true, proxyEnv: { HTTPS_PROXY: `http://127.0.0.1:${(refusing.address() as AddressInfo).port}` } });
    try {
      const error = await rejectsWith(client.request(get(`https://127.0.0.1:${tlsServer.port}/x?token=tok_secret`)), 'network');
      assert.match(error.message, /proxy refused .*HTTP 403/);
      assert.doesNotMatch(error.message, /tok_secret/);
    } finally {
      await client.close();
      refusing.closeAllConnections();
      await new Promise<void>((resolve) => refusing.close(() => resolve()));
    }
  });
});

describe('proxy settings', () => {
  const url = (text: string) => new URL(text);

  it('reads the variables, lower case first, and refuses proxies that are not http(s)', () => {
    const settings = readProxySettings({ HTTPS_PROXY: 'http://upper:3128', https_proxy: 'http://lower:3128', HTTP_PROXY: 'proxy.corp:8080', NO_PROXY: '' });
    assert.equal(settings.https?.host, 'lower:3128');
    assert.equal(settings.http?.href, 'http://proxy.corp:8080/');
    assert.deepEqual(settings.noProxy, []);
    assert.equal(readProxySettings({ HTTPS_PROXY: '' }).https, undefined, 'empty means unset');
    assert.throws(() => readProxySettings({ HTTPS_PROXY: 'socks5://user:pw@proxy:1080' }), (error: Error) => /HTTPS_PROXY/.test(error.message) && !/pw/.test(error.message));
    assert.throws(() => readProxySettings({ HTTP_PROXY: 'http://[bad' }), /HTTP_PROXY/);
  });

  it('matches NO_PROXY entries like curl: *, hosts with their subdomains, optional ports', () => {
    const noProxy = (value: string) => readProxySettings({ NO_PROXY: value });
    const cases: [string, string, boolean][] = [
      ['*', 'https://api.example.com/', true],
      ['example.com', 'https://example.com/', true],
      ['example.com', 'https://api.example.com/', true],
      ['example.com', 'https://notexample.com/', false],
      ['.example.com', 'https://api.example.com/', true],
      ['.example.com', 'https://example.com/', true],
      ['*.example.com', 'https://a.b.example.com/', true],
      ['EXAMPLE.com.', 'https://Api.Example.COM/', true],
      ['other.org, example.com:8443', 'https://example.com:8443/', true],
      ['example.com:8443', 'https://example.com/', false],
      ['example.com:443', 'https://example.com/', true],
      ['example.com:80', 'http://example.com/', true],
      ['10.1.2.3', 'https://10.1.2.3/', true],
      ['10.1.2.3', 'https://10.1.2.30/', false],
      ['::1', 'https://[::1]/', true],
      ['[::1]:8443', 'https://[::1]:8443/', true],
      ['[::1]:8443', 'https://[::1]/', false],
      ['', 'https://example.com/', false],
    ];
    for (const [value, target, direct] of cases) assert.equal(bypassesProxy(noProxy(value), url(target)), direct, `NO_PROXY=${value} ${target}`);
  });
});
