/**
 * @module Child process: the baseline, perf-baseline's variant (b). A bare `node:http` server and an
 * undici `Pool`: `POST /execute` with `{"account": "...", "tool": "..."}`, JSON.parse, look up a
 * constant token, forward `GET /user` with `Authorization: Bearer`, pass the upstream body through.
 * No auth, no validation, no database: the ceiling of any Node proxy on this machine.
 *
 * Env: BENCH_UPSTREAM_URL, BENCH_PROXY_TOKEN.
 */
import { createRequire } from 'node:module';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exitWithParent } from '../children.ts';

// The gateway's own undici (the bench workspace does not depend on undici; the root one is older).
const require = createRequire(new URL('../../../packages/server/package.json', import.meta.url));
const { Pool } = require('undici') as typeof import('undici');

const upstream = process.env['BENCH_UPSTREAM_URL'];
if (upstream === undefined) throw new Error('BENCH_UPSTREAM_URL is not set');
const authorization = `Bearer ${process.env['BENCH_PROXY_TOKEN'] ?? ''}`;
const pool = new Pool(upstream, { connections: 64 });
const TOOLS = new Map([['github_get_user', '/user']]);

function reply(res: http.ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(body);
}

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    let body: { account?: unknown; tool?: unknown };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
    } catch {
      return reply(res, 400, '{"error":"bad json"}');
    }
    const path = typeof body.tool === 'string' ? TOOLS.get(body.tool) : undefined;
    if (req.method !== 'POST' || req.url !== '/execute' || typeof body.account !== 'string' || path === undefined) return reply(res, 400, '{"error":"bad request"}');
    pool.request({ method: 'GET', path, headers: { authorization } }).then(
      async (response) => reply(res, response.statusCode, await response.body.text()),
      () => reply(res, 502, '{"error":"upstream"}'),
    );
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  console.log(`bare proxy listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
exitWithParent();
