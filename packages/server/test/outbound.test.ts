/**
 * The outbound fetch (SEC-16, ATK-29..31): connect-time address checks against real sockets on
 * 127.0.0.1 (a refused request must not even open a connection), no redirects, the total deadline,
 * the body cap, and the address classification table.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LookupFunction } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { answerMisbehaving, lookupTo, rejectsWith } from './helpers/outbound-fixtures.ts';
import { assertOutboundUrl, isPrivateHost } from '../src/domain/outbound-url.ts';
import { createSafeFetch, isBlockedAddress } from '../src/domain/outbound/safe-fetch.ts';

interface Upstream {
  readonly port: number;
  connections: number;
  requests: { method: string; url: string; headers: http.IncomingHttpHeaders }[];
  close(): Promise<void>;
}

async function startUpstream(handler: http.RequestListener): Promise<Upstream> {
  const server = http.createServer((req, res) => {
    upstream.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    handler(req, res);
  });
  server.on('connection', () => upstream.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const upstream: Upstream = {
    port: (server.address() as AddressInfo).port,
    connections: 0,
    requests: [],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return upstream;
}


describe('safe fetch', () => {
  let upstream: Upstream;
  let other: Upstream;
  const open = createSafeFetch({ allowPrivate: true, userAgent: 'agentgate-test/1', timeoutMs: 500, maxResponseBytes: 1024 });
  const guarded = createSafeFetch({ allowPrivate: false, timeoutMs: 2000 });

  before(async () => {
    other = await startUpstream((_req, res) => res.end('other host'));
    upstream = await startUpstream((req, res) => {
      const path = req.url ?? '/';
      if (path === '/redirect') {
        res.writeHead(302, { location: `http://127.0.0.1:${other.port}/stolen` }).end();
      } else if (answerMisbehaving(path, res)) {
        // deadline and size-cap cases: helpers/outbound-fixtures.ts
      } else {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ path, host: req.headers.host, ua: req.headers['user-agent'] }));
      }
    });
  });
  after(async () => {
    await Promise.all([open.close(), guarded.close()]);
    await Promise.all([upstream.close(), other.close()]);
  });

  it('reaches a loopback upstream when private upstreams are allowed', async () => {
    const response = await open(`http://127.0.0.1:${upstream.port}/hello?x=1`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { path: '/hello?x=1', host: `127.0.0.1:${upstream.port}`, ua: 'agentgate-test/1' });
    assert.equal(response.url, `http://127.0.0.1:${upstream.port}/hello?x=1`);
  });

  it('refuses loopback and private targets before a connection is opened (ATK-29)', async () => {
    const before = upstream.connections;
    const targets = [
      `https://127.0.0.1:${upstream.port}/`,
      `https://localhost:${upstream.port}/`, // a name: refused at DNS-lookup time, inside the connector
      `https://foo.localhost:${upstream.port}/`,
      `https://[::1]:${upstream.port}/`,
      `https://[::ffff:127.0.0.1]:${upstream.port}/`,
      `https://2130706433:${upstream.port}/`,
      `https://0x7f000001:${upstream.port}/`,
      `https://0177.0.0.1:${upstream.port}/`,
      `https://127.1:${upstream.port}/`,
      `https://0.0.0.0:${upstream.port}/`,
      `https://[::]:${upstream.port}/`,
      'https://169.254.169.254/latest/meta-data/',
      'https://10.0.0.1/',
      'https://[fd00:ec2::254]/',
    ];
    for (const target of targets) {
      const error = await rejectsWith(guarded(target, { headers: { authorization: 'Bearer sk_live_secret' } }), 'blocked_address');
      assert.doesNotMatch(error.message, /sk_live_secret|Bearer/, target);
      assert.match(error.message, /AGENTGATE_ALLOW_PRIVATE_UPSTREAMS/);
    }
    assert.equal(upstream.connections, before, 'no socket may be opened for a refused destination');
  });

  it('checks what a name resolves to at connect time, not what the URL string says (DNS rebinding)', async () => {
    // The configuration-time string check passes: the name looks public...
    assert.doesNotThrow(() => assertOutboundUrl('api_config.base_url', 'https://rebind.example.test', false));
    let lookups = 0;
    const rebinding: LookupFunction = (hostname, options, callback) => {
      lookups++;
      lookupTo('127.0.0.1')(hostname, options, callback);
    };
    const fetchRebinding = createSafeFetch({ allowPrivate: false, lookup: rebinding });
    const before = upstream.connections;
    try {
      // ...but by the time of the connection it resolves to loopback, so nothing is sent.
      await rejectsWith(fetchRebinding(`https://rebind.example.test:${upstream.port}/`), 'blocked_address');
      await rejectsWith(fetchRebinding(`https://rebind.example.test:${upstream.port}/`), 'blocked_address');
      assert.equal(lookups, 2, 'every connection attempt resolves (and checks) again');
      // A record mixing a public and a private answer is refused as a whole.
      const mixed = createSafeFetch({ allowPrivate: false, lookup: lookupTo('93.184.215.14', '10.1.2.3') });
      await rejectsWith(mixed('https://mixed.example.test/'), 'blocked_address');
      await mixed.close();
    } finally {
      await fetchRebinding.close();
    }
    assert.equal(upstream.connections, before);
  });

  it('connects to exactly the address the checked lookup returned', async () => {
    const pinned = createSafeFetch({ allowPrivate: true, lookup: lookupTo('127.0.0.1') });
    try {
      const response = await pinned(`http://api.example.test:${upstream.port}/pinned`);
      const seen = (await response.json()) as { path: string; host: string };
      assert.equal(seen.path, '/pinned');
      assert.equal(seen.host, `api.example.test:${upstream.port}`, 'the Host header keeps the name; the socket went to the checked address');
    } finally {
      await pinned.close();
    }
  });

  it('refuses non-http(s) schemes, http without the flag and credentials in the URL', async () => {
    for (const target of ['ftp://example.com/', 'file:///etc/passwd', 'data:text/plain,hi', 'gopher://example.com/', 'not a url']) {
      await rejectsWith(open(target), 'bad_scheme');
    }
    await rejectsWith(guarded(`http://example.com/`), 'bad_scheme');
    const error = await rejectsWith(open(`http://user:hunter2@127.0.0.1:${upstream.port}/`), 'bad_scheme');
    assert.doesNotMatch(error.message, /hunter2/);
  });

  it('does not follow redirects: the 3xx comes back as is and the other host sees nothing (ATK-30)', async () => {
    const before = upstream.requests.length;
    const response = await open(`http://127.0.0.1:${upstream.port}/redirect`, { headers: { authorization: 'Bearer token' }, redirect: 'follow' });
    assert.equal(response.status, 302);
    assert.equal(response.headers.get('location'), `http://127.0.0.1:${other.port}/stolen`);
    assert.equal(upstream.requests.length, before + 1);
    assert.equal(other.requests.length, 0);
    assert.equal(other.connections, 0);
  });

  it('ends an upstream that never answers, or trickles its body, at the total deadline (ATK-31)', async () => {
    let started = Date.now();
    await rejectsWith(open(`http://127.0.0.1:${upstream.port}/hang`), 'timeout');
    assert.ok(Date.now() - started < 2000);

    started = Date.now();
    const response = await open(`http://127.0.0.1:${upstream.port}/trickle`);
    assert.equal(response.status, 200);
    await rejectsWith(response.text(), 'timeout');
    assert.ok(Date.now() - started < 2000, 'the deadline covers the body too');
  });

  it('caps the response body, counting the stream, and refuses an announced oversize body (ATK-31)', async () => {
    const exact = await open(`http://127.0.0.1:${upstream.port}/exact`);
    assert.equal((await exact.arrayBuffer()).byteLength, 1024);

    const big = await open(`http://127.0.0.1:${upstream.port}/big`);
    assert.equal(big.status, 200);
    await rejectsWith(big.arrayBuffer(), 'response_too_large');

    await rejectsWith(open(`http://127.0.0.1:${upstream.port}/declared`), 'response_too_large');
    // HEAD announces a length it does not send: not a reason to refuse.
    assert.equal((await open(`http://127.0.0.1:${upstream.port}/head-large`, { method: 'HEAD' })).status, 200);
  });

  it('reports network failures without the URL query or headers', async () => {
    const closed = await startUpstream(() => undefined);
    const port = closed.port;
    await closed.close();
    const error = await rejectsWith(open(`http://127.0.0.1:${port}/x?access_token=tok_secret`, { headers: { authorization: 'Bearer tok_secret' } }), 'network');
    assert.equal(error.code, 'ECONNREFUSED');
    assert.doesNotMatch(error.message, /tok_secret|access_token|Bearer/);
  });

  it("passes the caller's own abort through unchanged", async () => {
    const controller = new AbortController();
    const pending = open(`http://127.0.0.1:${upstream.port}/hang`, { signal: controller.signal });
    controller.abort(new Error('caller gave up'));
    await assert.rejects(pending, { message: 'caller gave up' });
  });

  it('accepts a Request, so it fits every `typeof fetch` slot', async () => {
    const response = await open(new Request(`http://127.0.0.1:${upstream.port}/from-request`, { headers: { 'user-agent': 'custom/2' } }));
    assert.deepEqual(await response.json(), { path: '/from-request', host: `127.0.0.1:${upstream.port}`, ua: 'custom/2' });
  });
});

describe('address classification', () => {
  const table: [string, boolean][] = [
    // IPv4
    ['8.8.8.8', false],
    ['1.1.1.1', false],
    ['93.184.215.14', false],
    ['0.0.0.0', true],
    ['0.1.2.3', true],
    ['10.0.0.1', true],
    ['10.255.255.255', true],
    ['100.63.255.255', false],
    ['100.64.0.1', true],
    ['100.100.100.200', true],
    ['100.127.255.255', true],
    ['100.128.0.0', false],
    ['127.0.0.1', true],
    ['127.255.255.254', true],
    ['169.254.169.254', true],
    ['172.15.255.255', false],
    ['172.16.0.1', true],
    ['172.31.255.255', true],
    ['172.32.0.0', false],
    ['192.168.1.1', true],
    ['192.0.0.170', true],
    ['198.18.0.1', true],
    ['224.0.0.1', true],
    ['239.255.255.250', true],
    ['255.255.255.255', true],
    // IPv6
    ['2606:4700:4700::1111', false],
    ['2001:4860:4860::8888', false],
    ['::', true],
    ['::1', true],
    ['[::1]', true],
    ['::ffff:127.0.0.1', true],
    ['::ffff:7f00:1', true],
    ['0:0:0:0:0:ffff:7f00:1', true],
    ['::ffff:8.8.8.8', true], // mapped addresses are refused as a class
    ['::127.0.0.1', true],
    ['fc00::1', true],
    ['fd00:ec2::254', true],
    ['fe80::1', true],
    ['fe80::1%eth0', true],
    ['febf::1', true],
    ['ff02::1', true],
    ['64:ff9b::a00:1', true], // NAT64 of 10.0.0.1
    ['64:ff9b::808:808', false], // NAT64 of 8.8.8.8
    ['2002:7f00:1::', true], // 6to4 of 127.0.0.1
    ['2002:808:808::', false],
    ['2001:db8::1', true],
    // not address literals: fail closed
    ['example.com', true],
    ['', true],
    ['2130706433', true],
  ];
  for (const [ip, blocked] of table) {
    it(`${ip || '(empty)'} is ${blocked ? 'blocked' : 'public'}`, () => assert.equal(isBlockedAddress(ip), blocked));
  }

  it('sees numeric host spellings as the WHATWG URL parser normalises them', () => {
    const spellings: [string, string][] = [
      ['2130706433', '127.0.0.1'],
      ['0x7f000001', '127.0.0.1'],
      ['0177.0.0.1', '127.0.0.1'],
      ['017700000001', '127.0.0.1'],
      ['127.1', '127.0.0.1'],
      ['0x7f.1', '127.0.0.1'],
      ['0', '0.0.0.0'],
      ['[::ffff:127.0.0.1]', '[::ffff:7f00:1]'],
      ['[0:0:0:0:0:ffff:127.0.0.1]', '[::ffff:7f00:1]'],
    ];
    for (const [spelling, normal] of spellings) {
      const { hostname } = new URL(`https://${spelling}/`);
      assert.equal(hostname, normal, spelling);
      assert.equal(isBlockedAddress(hostname), true, spelling);
      assert.equal(isPrivateHost(spelling), true, `isPrivateHost(${spelling})`);
    }
  });

  it('keeps isPrivateHost for configuration-time checks of names', () => {
    for (const host of ['localhost', 'LOCALHOST.', 'foo.localhost', '10.0.0.1', '[::1]', '::ffff:127.0.0.1', '169.254.169.254']) assert.equal(isPrivateHost(host), true, host);
    for (const host of ['example.com', 'api.stripe.com', '8.8.8.8', 'localhost.example.com', 'metadata.google.internal']) assert.equal(isPrivateHost(host), false, host);
    assert.throws(() => assertOutboundUrl('token_uri', 'https://0x7f000001/token', false), { code: 'insecure_endpoint' });
    assert.throws(() => assertOutboundUrl('token_uri', 'https://[::ffff:10.0.0.1]/token', false), { code: 'insecure_endpoint' });
    assert.equal(assertOutboundUrl('token_uri', 'http://127.0.0.1:9/token', true), 'http://127.0.0.1:9/token');
  });
});
