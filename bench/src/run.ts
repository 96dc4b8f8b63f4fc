/**
 * @module `npm run bench`: get-connected-account-by-id at 1 and 50 concurrent connections, on the
 * embedded database and on PostgreSQL, each beside a baseline measured in the same run against the
 * same gateway process (`/healthz`: the HTTP stack with no auth and no database), printed as a table.
 */
import { createScratchDatabase } from '../../packages/server/test/helpers/test-gateway.ts';
import { spawnGateway } from './gateway-process.ts';
import { probeLatency } from './latency-probe.ts';
import { measure, type LoadResult } from './load.ts';
import { seedAccounts } from './seed.ts';
import { runRefreshBench } from './refresh-sweep.ts';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 10);
const ACCOUNTS = Number(process.env['BENCH_ACCOUNTS'] ?? 200);
const CONNECTIONS = [1, 50];
const PROBE_COUNT = Number(process.env['BENCH_PROBE_COUNT'] ?? 3000);
const POSTGRES_URL = process.env['BENCH_DATABASE_URL'] ?? process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

interface Row {
  backend: string;
  connections: number;
  target: string;
  result: LoadResult;
  baseline?: LoadResult;
}

async function scratchDatabase(): Promise<{ url: string; drop(): Promise<void> } | undefined> {
  try {
    return await createScratchDatabase(POSTGRES_URL, 'agentgate_bench');
  } catch (error) {
    console.log(`(PostgreSQL at ${POSTGRES_URL} not reachable: ${(error as Error).message}; skipping it)`);
    return undefined;
  }
}

async function benchBackend(backend: 'pglite' | 'postgres', rows: Row[]): Promise<void> {
  const scratch = backend === 'postgres' ? await scratchDatabase() : undefined;
  if (backend === 'postgres' && scratch === undefined) return;
  console.log(`\n[${backend}] starting the gateway and seeding ${ACCOUNTS} accounts…`);
  const gateway = await spawnGateway(scratch === undefined ? {} : { databaseUrl: scratch.url });
  try {
    const { token, accountIds } = await seedAccounts(gateway, ACCOUNTS);
    const headers = { authorization: `Bearer ${token}` };
    for (const connections of CONNECTIONS) {
      process.stdout.write(`[${backend}] ${connections} connection(s): baseline /healthz… `);
      const accountPaths = accountIds.map((id) => `/api/v1/connected_accounts/${id}`);
      let baseline = await measure({ url: gateway.url, connections, seconds: SECONDS, headers: {}, paths: ['/healthz'] });
      process.stdout.write('get connected account… ');
      let result = await measure({ url: gateway.url, connections, seconds: SECONDS, headers, paths: accountPaths });
      if (connections === 1) {
        process.stdout.write('sequential latency probe… ');
        baseline = { ...baseline, ...(await probeLatency({ url: gateway.url, headers: {}, paths: ['/healthz'], count: PROBE_COUNT })) };
        result = { ...result, ...(await probeLatency({ url: gateway.url, headers, paths: accountPaths, count: PROBE_COUNT })) };
      }
      console.log('done');
      if (result.errors > 0 || result.non2xx > 0) throw new Error(`${result.errors} errors and ${result.non2xx} non-2xx answers under load`);
      rows.push({ backend, connections, target: 'GET /healthz (baseline)', result: baseline });
      rows.push({ backend, connections, target: 'GET /api/v1/connected_accounts/{id}', result, baseline });
    }
  } finally {
    await gateway.stop();
    await scratch?.drop();
  }
}

function printTable(rows: Row[]): void {
  const header = ['backend', 'conns', 'request', 'req/s', 'p50 ms', 'p99 ms', 'vs baseline'];
  const lines = rows.map((r) => [
    r.backend,
    String(r.connections),
    r.target,
    r.result.requestsPerSecond.toFixed(0),
    r.result.p50.toFixed(r.connections === 1 ? 3 : 1),
    r.result.p99.toFixed(r.connections === 1 ? 3 : 1),
    r.baseline === undefined ? '' : `${((r.result.requestsPerSecond / r.baseline.requestsPerSecond) * 100).toFixed(0)}% req/s`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const format = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  console.log(`\n${format(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const line of lines) console.log(format(line));
  console.log(`\n${SECONDS} s per autocannon measurement, ${ACCOUNTS} accounts rotated; baseline = /healthz on the same process in the same run.`);
  console.log(`Latency at 1 connection: a sequential probe of ${PROBE_COUNT} requests timed with hrtime (autocannon counts whole ms); at 50: autocannon.`);
}

const rows: Row[] = [];
await benchBackend('pglite', rows);
await benchBackend('postgres', rows);
printTable(rows);
if (process.env['BENCH_SKIP_REFRESH'] !== '1') await runRefreshBench(scratchDatabase);
