/**
 * @module The refresh sweep benchmark: N OAuth accounts whose access tokens expire within the refresh
 * margin, refreshed by the background worker (`runRefreshSweep`, the function the gateway's timer runs)
 * against a local token endpoint that rotates refresh tokens strictly, counts every refresh token it is
 * shown (a second presentation is a double refresh: it answers invalid_grant, as a strict provider
 * would, and must never happen) and tracks how many refreshes are in flight at once.
 * On PostgreSQL, several in-process replicas sweep the same database at the same time.
 *
 * Env: BENCH_REFRESH_ACCOUNTS (10000), BENCH_REFRESH_REPLICAS (PostgreSQL; 2), BENCH_REFRESH_CONCURRENCY
 * (per replica; 16), BENCH_REFRESH_BATCH (accounts listed per pass; 500), BENCH_REFRESH_LATENCY_MS
 * (token endpoint latency; 20).
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { loadConfig, startGateway, type Gateway } from '../../packages/server/src/index.ts';
import { credentialsContext } from '../../packages/server/src/domain/accounts/authorization-details.ts';
import { runRefreshSweep } from '../../packages/server/src/domain/tokens/refresh-worker.ts';
import { newId } from '../../packages/server/src/ids.ts';
import { accountToRow } from '../../packages/server/src/storage/repositories/rows.ts';

const ACCOUNTS = Number(process.env['BENCH_REFRESH_ACCOUNTS'] ?? 10_000);
const REPLICAS = Number(process.env['BENCH_REFRESH_REPLICAS'] ?? 2);
const CONCURRENCY = Number(process.env['BENCH_REFRESH_CONCURRENCY'] ?? 16);
const BATCH = Number(process.env['BENCH_REFRESH_BATCH'] ?? 500);
const LATENCY_MS = Number(process.env['BENCH_REFRESH_LATENCY_MS'] ?? 20);
const KEYS = `1:${randomBytes(32).toString('base64')}`;

export interface RefreshSweepResult {
  backend: string;
  replicas: number;
  accounts: number;
  seconds: number;
  refreshed: number;
  failed: number;
  passes: number;
  maxConcurrent: number;
  providerCalls: number;
  doubles: number;
  /** Accounts still carrying their seeded tokens afterwards (must be 0). */
  leftBehind: number;
  /** Refresh history rows by trigger/outcome, e.g. `background/succeeded 10000`. */
  attempts: string;
}

/** A strict rotating token endpoint: every refresh token is good exactly once. */
async function startTokenEndpoint() {
  const seen = new Map<string, number>();
  const stats = { calls: 0, doubles: 0, inFlight: 0, maxInFlight: 0 };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      stats.calls++;
      stats.inFlight++;
      stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
      const params = new URLSearchParams(body);
      const token = params.get('refresh_token') ?? '';
      const uses = (seen.get(token) ?? 0) + 1;
      seen.set(token, uses);
      setTimeout(() => {
        stats.inFlight--;
        const reply = (status: number, json: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
          res.end(JSON.stringify(json));
        };
        if (params.get('grant_type') !== 'refresh_token') return reply(400, { error: 'unsupported_grant_type' });
        if (uses > 1) {
          stats.doubles++;
          return reply(400, { error: 'invalid_grant', error_description: 'refresh token already used' });
        }
        const fresh = `rt_${randomBytes(16).toString('hex')}`;
        seen.set(fresh, 0);
        reply(200, { access_token: `at_${randomBytes(16).toString('hex')}`, refresh_token: fresh, token_type: 'Bearer', expires_in: 3600 });
      }, LATENCY_MS);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stats,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function startReplica(databaseUrl: string | undefined, admin: { id: string; secret: string }, publicUrl?: string): Promise<Gateway> {
  const config = loadConfig({
    NODE_ENV: 'development',
    PORT: '0',
    AGENTGATE_DATA_DIR: 'memory://',
    AGENTGATE_ENCRYPTION_KEYS: KEYS,
    AGENTGATE_ADMIN_CLIENT_ID: admin.id,
    AGENTGATE_ADMIN_CLIENT_SECRET: admin.secret,
    AGENTGATE_ALLOW_PRIVATE_UPSTREAMS: 'true',
    AGENTGATE_REFRESH_INTERVAL_SECONDS: '0', // the benchmark drives the sweeps itself
    AGENTGATE_LOG_LEVEL: 'error',
    ...(publicUrl === undefined ? {} : { AGENTGATE_PUBLIC_URL: publicUrl }),
    ...(databaseUrl === undefined ? {} : { DATABASE_URL: databaseUrl }),
  });
  const quiet = new Writable({ write: (_chunk, _encoding, callback) => callback() });
  return startGateway(config, { logDestination: quiet, print: () => undefined });
}

/** One connection through the API, then N accounts straight into the table, 500 rows per INSERT. */
async function seed(gateway: Gateway, admin: { id: string; secret: string }, tokenUrl: string): Promise<void> {
  const tokenResponse = await fetch(`${gateway.url}/oauth/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: admin.id, client_secret: admin.secret }),
  });
  const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
  const created = await fetch(`${gateway.url}/api/v1/connections`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      connection: {
        provider: 'gmail',
        name: 'gmail-refresh-bench',
        oauth_config: { client_id: 'bench-client', client_secret: 'bench-secret', authorize_uri: `${tokenUrl}/authorize`, token_uri: `${tokenUrl}/token`, scopes: ['openid'] },
      },
    }),
  });
  const body = (await created.json()) as { connection?: { id: string } };
  if (created.status !== 201 || body.connection === undefined) throw new Error(`connection: ${created.status} ${JSON.stringify(body)}`);
  const credential = await gateway.store.credentials.findById(admin.id);
  if (credential === undefined) throw new Error('no admin credential');
  const now = new Date();
  const { vault } = gateway.ctx;
  for (let start = 0; start < ACCOUNTS; start += 500) {
    const rows = [];
    for (let i = start; i < Math.min(ACCOUNTS, start + 500); i++) {
      const id = newId('ca');
      const sealed = vault.encrypt(JSON.stringify({ kind: 'oauth_token', access_token: `at_seed_${i}`, refresh_token: `rt_seed_${i}`, token_type: 'Bearer' }), credentialsContext(id));
      rows.push(
        accountToRow({
          id,
          environmentId: credential.environmentId,
          connectionId: body.connection.id,
          identifier: `bench-${i}`,
          organizationId: '',
          userId: '',
          status: 'ACTIVE',
          authorizationType: 'OAUTH',
          credentialsSealed: sealed,
          scopes: ['openid'],
          // Expiring within the 5-minute margin, spread over a minute.
          tokenExpiresAt: new Date(now.getTime() + 60_000 + (i % 60) * 1000),
          apiConfig: {},
          version: 1,
          createdAt: now,
          updatedAt: now,
          lastUsedAt: null,
        }),
      );
    }
    await gateway.database.db.insertInto('connected_accounts').values(rows).execute();
  }
}

async function sweepUntilDone(gateway: Gateway, totals: { refreshed: number; failed: number; passes: number }): Promise<void> {
  for (;;) {
    const report = await runRefreshSweep(gateway.ctx, { limit: BATCH, concurrency: CONCURRENCY });
    totals.passes++;
    totals.refreshed += report.refreshed;
    totals.failed += report.failed;
    if (report.due === 0) return;
  }
}

export async function benchRefreshSweep(backend: 'pglite' | 'postgres', databaseUrl?: string): Promise<RefreshSweepResult> {
  const endpoint = await startTokenEndpoint();
  const admin = { id: 'cli_bench_refresh', secret: `sec_${randomBytes(24).toString('base64url')}` };
  const first = await startReplica(databaseUrl, admin);
  const replicas = [first];
  try {
    process.stdout.write(`[${backend}] refresh sweep: seeding ${ACCOUNTS} expiring OAuth accounts… `);
    const seeding = Date.now();
    await seed(first, admin, endpoint.url);
    process.stdout.write(`${((Date.now() - seeding) / 1000).toFixed(1)} s; `);
    if (backend === 'postgres') {
      for (let i = 1; i < REPLICAS; i++) replicas.push(await startReplica(databaseUrl, admin, first.ctx.publicUrl));
    }
    process.stdout.write(`sweeping with ${replicas.length} replica(s)… `);
    const totals = { refreshed: 0, failed: 0, passes: 0 };
    const started = process.hrtime.bigint();
    await Promise.all(replicas.map((replica) => sweepUntilDone(replica, totals)));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    console.log('done');
    const left = await first.database.db
      .selectFrom('connected_accounts')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('version', '=', 1)
      .executeTakeFirstOrThrow();
    const attempts = await first.database.db
      .selectFrom('refresh_attempts')
      .select(['trigger', 'outcome', (eb) => eb.fn.countAll<string>().as('n')])
      .groupBy(['trigger', 'outcome'])
      .orderBy('trigger')
      .orderBy('outcome')
      .execute();
    return {
      backend,
      replicas: replicas.length,
      accounts: ACCOUNTS,
      seconds,
      refreshed: totals.refreshed,
      failed: totals.failed,
      passes: totals.passes,
      maxConcurrent: endpoint.stats.maxInFlight,
      providerCalls: endpoint.stats.calls,
      doubles: endpoint.stats.doubles,
      leftBehind: Number(left.n),
      attempts: attempts.map((a) => `${a.trigger}/${a.outcome} ${a.n}`).join(', '),
    };
  } finally {
    for (const replica of replicas.reverse()) await replica.close();
    await endpoint.close();
  }
}

export function printRefreshTable(results: readonly RefreshSweepResult[]): void {
  const header = ['backend', 'replicas', 'accounts', 'seconds', 'accounts/s', 'max concurrent', 'provider calls', 'double refreshes', 'failed', 'not refreshed'];
  const lines = results.map((r) => [
    r.backend,
    String(r.replicas),
    String(r.accounts),
    r.seconds.toFixed(1),
    (r.accounts / r.seconds).toFixed(0),
    String(r.maxConcurrent),
    String(r.providerCalls),
    String(r.doubles),
    String(r.failed),
    String(r.leftBehind),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const format = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  console.log(`\nRefresh sweep\n${format(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const line of lines) console.log(format(line));
  for (const r of results) console.log(`${r.backend} refresh history: ${r.attempts} (${r.passes} passes)`);
  console.log(`\nrunRefreshSweep(limit ${BATCH}, concurrency ${CONCURRENCY}) per replica until nothing is due; token endpoint latency ${LATENCY_MS} ms, strict rotation.`);
  console.log('A double refresh is one refresh token presented twice (a strict provider would revoke the grant): must be 0.');
  const bad = results.filter((r) => r.doubles > 0 || r.leftBehind > 0);
  if (bad.length > 0) throw new Error(`refresh sweep: ${bad.map((r) => `${r.backend}: ${r.doubles} double refreshes, ${r.leftBehind} accounts not refreshed`).join('; ')}`);
}

/** Both backends (PostgreSQL when reachable), then the table. */
export async function runRefreshBench(postgres: () => Promise<{ url: string; drop(): Promise<void> } | undefined>): Promise<void> {
  const results = [await benchRefreshSweep('pglite')];
  const scratch = await postgres();
  if (scratch !== undefined) {
    try {
      results.push(await benchRefreshSweep('postgres', scratch.url));
    } finally {
      await scratch.drop();
    }
  }
  printRefreshTable(results);
}
