/**
 * @module `npm run bench [-- part...]`: every part by default, or the ones named.
 *
 * - `accounts`: get-connected-account-by-id at 1 and 50 concurrent connections, on the embedded
 *   database and on PostgreSQL, each beside a baseline measured in the same run against the same
 *   gateway process (`/healthz`: the HTTP stack with no auth and no database), printed as a table.
 * - `execute`: tool execution against a local upstream, beside direct calls and a bare proxy
 *   (see `execute/bench.ts`), with the goals.
 * - `refresh`: the background refresh sweep (see `refresh-sweep.ts`).
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScratchDatabase } from '../../packages/server/test/helpers/test-gateway.ts';
import { installCleanup, onInterrupt } from './children.ts';
import { runExecuteBench } from './execute/bench.ts';
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

const HELP = `Usage: npm run bench [-- [accounts] [execute] [refresh] [--cpu-prof[=DIR]] [--help]]

With no part named, runs all three in this order: accounts, execute, refresh.
  accounts  GET /api/v1/connected_accounts/{id} vs GET /healthz, PGlite and PostgreSQL, 1 and 50 connections
  execute   POST /api/v1/execute_tool (github_get_user) vs direct calls and a bare node:http + undici
            proxy against a local upstream; gateway on PGlite and PostgreSQL, account cache warm and
            cold, 1 and 50 connections; prints ratios and the issue's goals (met / MISSED). ~3-4 min.
  refresh   the background token refresh sweep (10,000 accounts; replicas on PostgreSQL)

  --cpu-prof[=DIR]  execute only: run the bare proxy and each gateway under node --cpu-prof (profiles
                    in DIR, default $TMPDIR/agentgate-bench-profiles) and print, over the measurements,
                    self time by area and function and the gateway's functions by inclusive time.

PostgreSQL: a scratch database is created (and dropped) on BENCH_DATABASE_URL, else TEST_DATABASE_URL,
else postgres://postgres@127.0.0.1:5432/test; unreachable means the PostgreSQL rows are skipped.
Env: BENCH_SECONDS (accounts, 10), BENCH_ACCOUNTS (200), BENCH_PROBE_COUNT (3000), BENCH_SKIP_REFRESH=1,
BENCH_EXECUTE_SECONDS (10), BENCH_EXECUTE_WARMUP_SECONDS (3), BENCH_SEQ_SECONDS (5),
BENCH_EXECUTE_BACKENDS (pglite,postgres), BENCH_CONNECTIONS (execute; 1,50), BENCH_CPU_PROF (DIR),
BENCH_QUIET_WAIT_SECONDS (10; execute waits up to this for a machine under 20% busy before each measurement),
BENCH_REFRESH_* (see src/refresh-sweep.ts).
Timings never make the run fail; wrong answers (errors, non-2xx) do, or are flagged with !!.`;

async function scratchDatabase(): Promise<{ url: string; drop(): Promise<void> } | undefined> {
  try {
    const scratch = await createScratchDatabase(POSTGRES_URL, 'agentgate_bench');
    const forget = onInterrupt(() => scratch.drop());
    return {
      url: scratch.url,
      async drop() {
        forget();
        await scratch.drop();
      },
    };
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

const PARTS = ['accounts', 'execute', 'refresh'] as const;
type Part = (typeof PARTS)[number];

function parseArgs(argv: readonly string[]): Set<Part> | undefined {
  const parts = new Set<Part>();
  for (const arg of argv) {
    if (arg === '--help' || arg === '-h' || arg === 'help') return undefined;
    if (arg === '--cpu-prof') process.env['BENCH_CPU_PROF'] ||= join(tmpdir(), 'agentgate-bench-profiles');
    else if (arg.startsWith('--cpu-prof=')) process.env['BENCH_CPU_PROF'] = arg.slice('--cpu-prof='.length);
    else if ((PARTS as readonly string[]).includes(arg)) parts.add(arg as Part);
    else {
      console.error(`Unknown argument "${arg}".\n\n${HELP}`);
      process.exit(2);
    }
  }
  if (parts.size === 0) {
    for (const part of PARTS) parts.add(part);
    if (process.env['BENCH_SKIP_REFRESH'] === '1') parts.delete('refresh');
  }
  return parts;
}

const parts = parseArgs(process.argv.slice(2));
if (parts === undefined) {
  console.log(HELP);
} else {
  installCleanup();
  if (parts.has('accounts')) {
    const rows: Row[] = [];
    await benchBackend('pglite', rows);
    await benchBackend('postgres', rows);
    printTable(rows);
  }
  if (parts.has('execute')) await runExecuteBench(scratchDatabase);
  if (parts.has('refresh')) await runRefreshBench(scratchDatabase);
}
