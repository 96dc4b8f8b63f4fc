/**
 * @module Child process: the mock upstream (perf-baseline's upstream.js). Plain `node:http`; checks
 * `Authorization: Bearer <token>` against the set of valid per-account tokens, drains the body, and
 * answers `GET /user` (and `GET /gmail/v1/users/me/profile`) with a fixed ≈310-byte JSON; 401 for a
 * bad token, 404 for another path. `GET /__stats` (no auth) counts what it answered, so the bench
 * can check that every measured request really reached it with a valid token.
 *
 * Env: BENCH_UPSTREAM_TOKENS (how many account tokens are valid; `benchToken(0..n-1)`).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exitWithParent } from '../children.ts';
import { benchToken, USER_BODY } from './fixtures.ts';

const count = Number(process.env['BENCH_UPSTREAM_TOKENS'] ?? 1000);
const valid = new Set<string>();
for (let i = 0; i < count; i++) valid.add(`Bearer ${benchToken(i)}`);
const stats = { ok: 0, unauthorized: 0, notFound: 0 };
const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'content-length': String(USER_BODY.length) };

const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    if (req.url === '/__stats') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(stats));
      return;
    }
    if (!valid.has(req.headers.authorization ?? '')) {
      stats.unauthorized++;
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end('{"message":"Bad credentials"}');
      return;
    }
    if (req.method !== 'GET' || (req.url !== '/user' && req.url !== '/gmail/v1/users/me/profile')) {
      stats.notFound++;
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"message":"Not Found"}');
      return;
    }
    stats.ok++;
    res.writeHead(200, JSON_HEADERS);
    res.end(USER_BODY);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  console.log(`upstream listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
exitWithParent();
