/**
 * @module The tool-execution benchmark (`npm run bench -- execute`). Against one local mock upstream
 * (`upstream.ts`), in one run:
 *
 * - direct: load generator → upstream `GET /user` with a Bearer token;
 * - bare proxy: `node:http` + undici pass-through (`bare-proxy.ts`), the ceiling of any Node proxy here;
 * - the gateway's `POST /api/v1/execute_tool` (`github_get_user`, rotating over the seeded accounts) on
 *   PGlite and on PostgreSQL, each with the account cache warm (every account called once first) and
 *   cold (`AGENTGATE_ACCOUNT_CACHE_TTL_SECONDS=0`: every call resolves the account in the database);
 *
 * each at 1 connection (sequential, hrtime-timed: throughput, p50, p99) and 50 connections
 * (autocannon after a warm-up). Prints a table with the ratios and the issue's goals, met or missed.
 * Timings never fail the run; wrong answers (errors, non-2xx, upstream 401s) are flagged loudly.
 *
 * Env: BENCH_ACCOUNTS (200), BENCH_EXECUTE_SECONDS (10), BENCH_EXECUTE_WARMUP_SECONDS (3),
 * BENCH_SEQ_SECONDS (5), BENCH_EXECUTE_BACKENDS (pglite,postgres), BENCH_CONNECTIONS (1,50),
 * BENCH_QUIET_WAIT_SECONDS (10: how long to wait for a quiet machine before each measurement),
 * BENCH_GATEWAY (production: the compiled build, as deployed; source: TypeScript through tsx),
 * BENCH_CPU_PROF (a folder: profile the bare proxy and the gateways with --cpu-prof there and
 * summarize each over its measurement windows).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { spawnNode, onInterrupt, type Child } from '../children.ts';
import { gatewayBuild, newGatewayState, spawnGateway, type GatewayProcess, type GatewayState } from '../gateway-process.ts';
import { probeSequential } from '../latency-probe.ts';
import { measure, type LoadTarget } from '../load.ts';
import { printProfileSummary, summarizeProfile, type Window } from '../profile-summary.ts';
import { CORES, waitForQuiet, watch, rssMb, type Usage } from '../proc.ts';
import { adminToken, seedGithubAccounts } from '../seed.ts';
import { benchToken } from './fixtures.ts';

const ACCOUNTS = Number(process.env['BENCH_ACCOUNTS'] ?? 200);
const SECONDS = Number(process.env['BENCH_EXECUTE_SECONDS'] ?? 10);
const WARMUP_SECONDS = Number(process.env['BENCH_EXECUTE_WARMUP_SECONDS'] ?? 3);
const SEQ_SECONDS = Number(process.env['BENCH_SEQ_SECONDS'] ?? 5);
const CONNECTIONS = (process.env['BENCH_CONNECTIONS'] ?? '1,50').split(',').map(Number);
const BACKENDS = (process.env['BENCH_EXECUTE_BACKENDS'] ?? 'pglite,postgres').split(',').map((s) => s.trim()) as Backend[];
const TOOL = 'github_get_user';
const CACHE_TTL_VAR = 'AGENTGATE_ACCOUNT_CACHE_TTL_SECONDS';

type Backend = 'pglite' | 'postgres';
type Kind = 'direct' | 'bare proxy' | 'gateway';

export interface ExecuteRow {
  readonly kind: Kind;
  readonly label: string;
  readonly backend?: Backend;
  readonly cache?: 'warm' | 'cold';
  readonly connections: number;
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  /** Max RSS of the server under test during the measurement, MB. */
  readonly rss: number;
  readonly usage: Usage;
  /** PostgreSQL transactions committed in the gateway's database per request (≈ round trips). */
  readonly dbXactPerRequest?: number;
  /** % of the machine busy just before the measurement (other workloads; it waited for < 20%). */
  readonly busyBefore: number;
  /** Wrong answers: errors, non-2xx, upstream 401/404; empty when clean. */
  readonly problems: readonly string[];
}

interface Scratch {
  readonly url: string;
  drop(): Promise<void>;
}

interface Servers {
  readonly upstream: Child;
  readonly bare: Child;
}

async function upstreamStats(upstream: Child): Promise<{ ok: number; unauthorized: number; notFound: number }> {
  const response = await fetch(`${upstream.url}/__stats`);
  return (await response.json()) as { ok: number; unauthorized: number; notFound: number };
}

async function committedTransactions(databaseUrl: string | undefined): Promise<number | undefined> {
  if (databaseUrl === undefined) return undefined;
  const name = new URL(databaseUrl).pathname.slice(1);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const result = await client.query<{ n: string }>('select xact_commit + xact_rollback as n from pg_stat_database where datname = $1', [name]);
    return Number(result.rows[0]?.n ?? Number.NaN);
  } finally {
    await client.end();
  }
}

function progress(text: string): void {
  process.stdout.write(text);
}

const QUIET_WAIT_SECONDS = Number(process.env['BENCH_QUIET_WAIT_SECONDS'] ?? 10);
const QUIET_BUSY_PERCENT = 20;

/** Waits (bounded) for a quiet machine; returns how busy it was when the measurement started. */
async function quiet(): Promise<number> {
  const busy = await waitForQuiet(QUIET_BUSY_PERCENT, QUIET_WAIT_SECONDS);
  if (busy >= QUIET_BUSY_PERCENT) progress(`(machine still ${busy.toFixed(0)}% busy after ${QUIET_WAIT_SECONDS} s) `);
  return busy;
}

interface Subject {
  readonly kind: Kind;
  readonly label: string;
  readonly backend?: Backend;
  readonly cache?: 'warm' | 'cold';
  /** The server under test (its RSS and CPU are reported). */
  readonly pid: number;
  readonly target: LoadTarget;
  readonly databaseUrl?: string;
}

/** One subject at every connection count: sequential probe at 1, autocannon otherwise. */
async function measureSubject(subject: Subject, servers: Servers, rows: ExecuteRow[]): Promise<Window[]> {
  const windows: Window[] = [];
  const pids = { server: subject.pid, upstream: servers.upstream.pid };
  for (const connections of CONNECTIONS) {
    progress(`  ${subject.label} @${connections}: `);
    const busyBefore = await quiet();
    const problems: string[] = [];
    if (connections !== 1) {
      progress('warm-up… ');
      await measure({ ...subject.target, connections, seconds: WARMUP_SECONDS });
    }
    const before = await upstreamStats(servers.upstream);
    const xactBefore = await committedTransactions(subject.databaseUrl);
    progress('measuring… ');
    const from = Number(process.hrtime.bigint() / 1000n);
    const { value, usage } = await watch(pids, async () => {
      if (connections === 1) {
        const result = await probeSequential({ ...subject.target, seconds: SEQ_SECONDS });
        return { ...result, total: result.count, errors: 0, non2xx: 0 };
      }
      return measure({ ...subject.target, connections, seconds: SECONDS });
    }).catch((error: unknown) => {
      problems.push((error as Error).message);
      return { value: undefined, usage: { cpu: {}, maxRss: {}, machineIdle: Number.NaN } as Usage };
    });
    windows.push([from, Number(process.hrtime.bigint() / 1000n)]);
    const after = await upstreamStats(servers.upstream);
    let dbXactPerRequest: number | undefined;
    if (subject.databaseUrl !== undefined && value !== undefined) {
      await sleep(1100); // backends flush their statistics at most once a second
      const xactAfter = await committedTransactions(subject.databaseUrl);
      if (xactBefore !== undefined && xactAfter !== undefined) dbXactPerRequest = (xactAfter - xactBefore) / value.total;
    }
    if (value !== undefined) {
      if (value.errors > 0) problems.push(`${value.errors} errors/timeouts`);
      if (value.non2xx > 0) problems.push(`${value.non2xx} non-2xx answers`);
    }
    if (after.unauthorized > before.unauthorized) problems.push(`upstream answered 401 ${after.unauthorized - before.unauthorized} times`);
    if (after.notFound > before.notFound) problems.push(`upstream answered 404 ${after.notFound - before.notFound} times`);
    if (value !== undefined && after.ok - before.ok < value.total * 0.95) problems.push(`upstream saw ${after.ok - before.ok} calls for ${value.total} requests`);
    rows.push({
      kind: subject.kind,
      label: subject.label,
      ...(subject.backend === undefined ? {} : { backend: subject.backend }),
      ...(subject.cache === undefined ? {} : { cache: subject.cache }),
      connections,
      requestsPerSecond: value?.requestsPerSecond ?? Number.NaN,
      p50: value?.p50 ?? Number.NaN,
      p99: value?.p99 ?? Number.NaN,
      rss: usage.maxRss['server'] ?? rssMb(subject.pid),
      usage,
      ...(dbXactPerRequest === undefined ? {} : { dbXactPerRequest }),
      busyBefore,
      problems,
    });
    console.log(value === undefined ? `FAILED: ${problems.join('; ')}` : `${value.requestsPerSecond.toFixed(0)} req/s, p50 ${value.p50.toFixed(3)} ms${problems.length > 0 ? `  !! ${problems.join('; ')}` : ''}`);
  }
  return windows;
}

function executeTarget(gateway: GatewayProcess, token: string, accountIds: readonly string[]): LoadTarget {
  return {
    url: gateway.url,
    method: 'POST',
    paths: ['/api/v1/execute_tool'],
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    bodies: accountIds.map((id) => JSON.stringify({ tool_name: TOOL, connected_account_id: id, params: {} })),
  };
}

/** Calls every account once: checks the whole path answers right, and fills the account cache. */
async function checkAndWarm(gateway: GatewayProcess, token: string, accountIds: readonly string[]): Promise<void> {
  for (const id of accountIds) {
    const response = await fetch(`${gateway.url}/api/v1/execute_tool`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ tool_name: TOOL, connected_account_id: id, params: {} }),
    });
    const json = (await response.json()) as { data?: { login?: string } };
    if (response.status !== 200 || json.data?.login !== 'octocat') throw new Error(`execute_tool ${TOOL} on ${id}: ${response.status} ${JSON.stringify(json)}`);
  }
}

/** Whether the gateway being measured knows the cache TTL variable (the cold rows need it). */
function cacheTtlSupported(): boolean {
  try {
    return readFileSync(new URL('../../../packages/server/src/config.ts', import.meta.url), 'utf8').includes(CACHE_TTL_VAR);
  } catch {
    return false;
  }
}

/** Read when used: `--cpu-prof` on the command line sets it after this module loaded. */
const cpuProfDir = () => process.env['BENCH_CPU_PROF'] || undefined;

function profileArgs(label: string): string[] {
  const root = cpuProfDir();
  if (root === undefined) return [];
  const dir = resolve(root, label.replace(/[^a-z0-9]+/gi, '-'));
  rmSync(dir, { recursive: true, force: true }); // a previous run's profiles
  mkdirSync(dir, { recursive: true });
  return ['--cpu-prof', `--cpu-prof-dir=${dir}`];
}

/** The main thread's profile (the loader's worker thread writes one too), limited to the measurements. */
function summarizeProfiles(label: string, windows: readonly Window[]): void {
  const root = cpuProfDir();
  if (root === undefined) return;
  const dir = resolve(root, label.replace(/[^a-z0-9]+/gi, '-'));
  const summaries = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => ({ file: join(dir, f), summary: summarizeProfile(join(dir, f), { windows }) }))
    .sort((a, b) => b.summary.totalMs - a.summary.totalMs);
  const main = summaries[0];
  if (main === undefined) console.log(`(no CPU profile in ${dir})`);
  else printProfileSummary(`CPU profile of the ${label} (${main.file})`, main.summary);
}

async function benchGateway(backend: Backend, servers: Servers, postgres: () => Promise<Scratch | undefined>, rows: ExecuteRow[]): Promise<void> {
  const scratch = backend === 'postgres' ? await postgres() : undefined;
  if (backend === 'postgres' && scratch === undefined) return;
  const dropOnInterrupt = scratch === undefined ? undefined : onInterrupt(() => scratch.drop());
  const state: GatewayState = newGatewayState();
  const databaseUrl = scratch?.url;
  try {
    let accountIds: string[] | undefined;
    for (const cache of ['warm', 'cold'] as const) {
      const label = `gateway ${backend} ${cache}`;
      progress(`[execute] starting the ${label}${cache === 'cold' ? ` (${CACHE_TTL_VAR}=0)` : ''}… `);
      const gateway = await spawnGateway({
        state,
        ...(databaseUrl === undefined ? {} : { databaseUrl }),
        env: { AGENTGATE_ALLOW_PRIVATE_UPSTREAMS: 'true', ...(cache === 'cold' ? { [CACHE_TTL_VAR]: '0' } : {}) },
        nodeArgs: profileArgs(label),
      });
      let windows: Window[] = [];
      try {
        if (accountIds === undefined) {
          progress(`seeding ${ACCOUNTS} accounts… `);
          accountIds = (await seedGithubAccounts(gateway, servers.upstream.url, Array.from({ length: ACCOUNTS }, (_, i) => benchToken(i)))).accountIds;
        }
        const token = await adminToken(gateway);
        progress('calling every account once… ');
        await checkAndWarm(gateway, token, accountIds);
        console.log(`ok; gateway RSS ${fmt(rssMb(gateway.pid), 0)} MB before the load`);
        windows = await measureSubject(
          { kind: 'gateway', label, backend, cache, pid: gateway.pid, target: executeTarget(gateway, token, accountIds), ...(databaseUrl === undefined ? {} : { databaseUrl }) },
          servers,
          rows,
        );
      } finally {
        await gateway.stop();
      }
      summarizeProfiles(label, windows);
    }
  } finally {
    state.dispose();
    await scratch?.drop();
    dropOnInterrupt?.();
  }
}

// ---------------------------------------------------------------------------------------------
// Report

const fmt = (n: number | undefined, digits: number) => (n === undefined || Number.isNaN(n) ? '—' : n.toFixed(digits));
const signed = (n: number, digits: number) => (Number.isNaN(n) ? '—' : `${n >= 0 ? '+' : ''}${n.toFixed(digits)}`);
/** CPU time of the server under test per request, µs. */
const cpuPerRequest = (r: ExecuteRow) => ((r.usage.cpu['server'] ?? Number.NaN) / 100 / r.requestsPerSecond) * 1e6;

function baselineOf(rows: readonly ExecuteRow[], kind: Kind, connections: number): ExecuteRow | undefined {
  return rows.find((r) => r.kind === kind && r.connections === connections && r.problems.length === 0);
}

function printTable(rows: readonly ExecuteRow[]): void {
  const header = ['subject', 'conns', 'req/s', 'p50 ms', 'p99 ms', '× bare', '× bare by CPU', '+p50 vs direct', 'srv CPU µs/req', 'server RSS MB', 'CPU % srv/up/gen/pg/other', 'db xact/req', ''];
  const lines = rows.map((r) => {
    const bare = baselineOf(rows, 'bare proxy', r.connections);
    const direct = baselineOf(rows, 'direct', r.connections);
    const digits = r.connections === 1 ? 3 : 1;
    const cpu = r.usage.cpu;
    return [
      r.label,
      String(r.connections),
      fmt(r.requestsPerSecond, 0),
      fmt(r.p50, digits),
      fmt(r.p99, digits),
      r.kind === 'direct' || bare === undefined ? '' : `${fmt(r.requestsPerSecond / bare.requestsPerSecond, 2)}×`,
      r.kind === 'direct' || bare === undefined ? '' : `${fmt(cpuPerRequest(bare) / cpuPerRequest(r), 2)}×`,
      r.kind === 'direct' || direct === undefined ? '' : signed(r.p50 - direct.p50, digits),
      fmt(cpuPerRequest(r), 0),
      fmt(r.rss, 0),
      ['server', 'upstream', 'loadgen', 'postgres', 'other'].map((k) => fmt(cpu[k], 0)).join('/'),
      fmt(r.dbXactPerRequest, 2),
      [...r.problems, ...(r.busyBefore >= QUIET_BUSY_PERCENT ? [`machine ${r.busyBefore.toFixed(0)}% busy at start`] : [])].map((p) => `!! ${p}`).join(' '),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const format = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  console.log(`\nTool execution: POST /api/v1/execute_tool ${TOOL}, ${ACCOUNTS} accounts rotated, against a local node:http upstream; gateway: ${gatewayBuild() === 'production' ? 'production build (npm run build, node --conditions=production)' : 'source through tsx (npm start)'}`);
  console.log(`${format(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const line of lines) console.log(format(line));
  console.log(
    [
      `@1: sequential, one keep-alive socket, ${SEQ_SECONDS} s timed with hrtime after 200 untimed requests (req/s = back-to-back throughput).`,
      `@50: autocannon ${SECONDS} s after a ${WARMUP_SECONDS} s warm-up; its latencies are whole milliseconds.`,
      '× bare: throughput over the bare node:http + undici proxy at the same connection count. +p50: over direct at the same count.',
      'srv CPU µs/req: CPU time of the server under test per request. × bare by CPU: the bare proxy\'s CPU µs/req over this row\'s, the',
      '  throughput ratio to expect when both are CPU-bound; steadier than req/s when other work shares the machine.',
      'server RSS: max VmRSS sampled during the measurement (the upstream for direct, the proxy, the gateway).',
      'CPU %: of one core over the measurement: server under test / upstream / this process (load generator) / all postgres processes /',
      `  the rest of the machine (other workloads, kernel networking); ${CORES} cores = ${CORES * 100}%. A large "other" means a disturbed row.`,
      'db xact/req: PostgreSQL transactions in the gateway database per request (statistics lag up to 1 s: approximate).',
    ].join('\n'),
  );
}

interface Goal {
  readonly text: string;
  readonly value: string;
  /** undefined: not measurable in this run. */
  readonly met: boolean | undefined;
  readonly note?: string;
}

export function goalsOf(rows: readonly ExecuteRow[], coldSupported: boolean): Goal[] {
  const find = (backend: Backend, cache: 'warm' | 'cold', connections: number) =>
    rows.find((r) => r.kind === 'gateway' && r.backend === backend && r.cache === cache && r.connections === connections);
  const goals: Goal[] = [];
  const ratioGoal = (cache: 'warm' | 'cold', connections: number, min: number, aim: number | undefined): void => {
    const row = find('postgres', cache, connections);
    const bare = baselineOf(rows, 'bare proxy', connections);
    const text = `PostgreSQL ${cache} @${connections}: throughput ≥ ${min}× bare proxy${aim === undefined ? '' : ` (aim ${aim}×)`}`;
    if (row === undefined || bare === undefined || row.problems.length > 0) {
      goals.push({ text, value: 'not measured', met: undefined });
      return;
    }
    const ratio = row.requestsPerSecond / bare.requestsPerSecond;
    const stillCached = cache === 'cold' && row.dbXactPerRequest !== undefined && row.dbXactPerRequest < 0.5;
    const note =
      cache === 'cold' && !coldSupported
        ? `${CACHE_TTL_VAR} unknown to this gateway: the "cold" rows ran with the cache on`
        : stillCached
          ? `only ${row.dbXactPerRequest?.toFixed(2)} db transactions per request: the cache looks still on`
          : undefined;
    const byCpu = cpuPerRequest(bare) / cpuPerRequest(row);
    goals.push({ text, value: `${ratio.toFixed(2)}× (${row.requestsPerSecond.toFixed(0)} vs ${bare.requestsPerSecond.toFixed(0)} req/s; by CPU cost ${fmt(byCpu, 2)}×)`, met: note === undefined ? ratio >= min : undefined, ...(note === undefined ? {} : { note }) });
  };
  for (const c of CONNECTIONS) ratioGoal('warm', c, 0.8, 0.85);
  {
    const row = find('postgres', 'warm', 1);
    const direct = baselineOf(rows, 'direct', 1);
    const text = 'PostgreSQL warm @1: added p50 over direct ≤ 0.25 ms (aim 0.20 ms)';
    if (row === undefined || direct === undefined || row.problems.length > 0) goals.push({ text, value: 'not measured', met: undefined });
    else {
      const added = row.p50 - direct.p50;
      goals.push({ text, value: `+${added.toFixed(3)} ms (${row.p50.toFixed(3)} vs ${direct.p50.toFixed(3)} ms)`, met: added <= 0.25 });
    }
  }
  for (const c of CONNECTIONS) ratioGoal('cold', c, 0.4, undefined);
  for (const backend of ['postgres', 'pglite'] as const) {
    const measured = rows.filter((r) => r.kind === 'gateway' && r.backend === backend && !Number.isNaN(r.rss));
    const text = `${backend === 'postgres' ? 'PostgreSQL' : 'PGlite'}: gateway RSS under load ≤ 200 MB`;
    if (measured.length === 0) goals.push({ text, value: 'not measured', met: undefined });
    else {
      const max = Math.max(...measured.map((r) => r.rss));
      goals.push({ text, value: `max ${max.toFixed(0)} MB`, met: max <= 200 });
    }
  }
  return goals;
}

function printGoals(goals: readonly Goal[]): void {
  console.log('\nGoals (issue acceptance; timings never fail the run):');
  const width = Math.max(...goals.map((g) => g.text.length));
  for (const g of goals) {
    const mark = g.met === undefined ? 'n/a   ' : g.met ? 'met   ' : 'MISSED';
    console.log(`  ${mark}  ${g.text.padEnd(width)}  ${g.value}${g.note === undefined ? '' : `  (${g.note})`}`);
  }
}

// ---------------------------------------------------------------------------------------------

export async function runExecuteBench(postgres: () => Promise<Scratch | undefined>): Promise<ExecuteRow[]> {
  const coldSupported = cacheTtlSupported();
  console.log(`\n[execute] tool execution: ${ACCOUNTS} accounts, connections ${CONNECTIONS.join(' and ')}, backends ${BACKENDS.join(', ')}`);
  if (!coldSupported) console.log(`[execute] note: ${CACHE_TTL_VAR} is not in packages/server/src/config.ts yet; the cold rows pass it anyway and will look warm`);
  const rows: ExecuteRow[] = [];
  const upstream = await spawnNode({ name: 'upstream', script: new URL('./upstream.ts', import.meta.url), env: { ...process.env, BENCH_UPSTREAM_TOKENS: String(ACCOUNTS) } });
  let bare: Child | undefined;
  try {
    bare = await spawnNode({
      name: 'bare proxy',
      script: new URL('./bare-proxy.ts', import.meta.url),
      nodeArgs: profileArgs('bare proxy'),
      env: { ...process.env, BENCH_UPSTREAM_URL: upstream.url, BENCH_PROXY_TOKEN: benchToken(0) },
    });
    const servers: Servers = { upstream, bare };
    console.log(`[execute] upstream ${upstream.url}, bare proxy ${bare.url}`);
    await measureSubject(
      { kind: 'direct', label: 'direct (upstream)', pid: upstream.pid, target: { url: upstream.url, paths: ['/user'], headers: { authorization: `Bearer ${benchToken(0)}` } } },
      servers,
      rows,
    );
    const bareWindows = await measureSubject(
      {
        kind: 'bare proxy',
        label: 'bare proxy (http+undici)',
        pid: bare.pid,
        target: {
          url: bare.url,
          method: 'POST',
          paths: ['/execute'],
          headers: { 'content-type': 'application/json' },
          bodies: Array.from({ length: ACCOUNTS }, (_, i) => JSON.stringify({ account: `ca_${String(i).padStart(8, '0')}`, tool: TOOL })),
        },
      },
      servers,
      rows,
    );
    await bare.stop(); // idle, but out of the way of the gateway rows
    summarizeProfiles('bare proxy', bareWindows);
    for (const backend of BACKENDS) await benchGateway(backend, servers, postgres, rows);
  } finally {
    await bare?.stop();
    await upstream.stop();
  }
  printTable(rows);
  printGoals(goalsOf(rows, coldSupported));
  const disturbed = rows.filter((r) => r.busyBefore >= QUIET_BUSY_PERCENT).length;
  if (disturbed > 0) console.log(`\n!! ${disturbed} of ${rows.length} measurements started with the machine ≥ ${QUIET_BUSY_PERCENT}% busy (other work): their req/s and latencies are low; re-run on a quiet machine before quoting them (CPU µs/req holds up better).`);
  return rows;
}
