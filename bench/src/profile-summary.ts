/**
 * @module Summarizes a V8 `.cpuprofile` (from `node --cpu-prof`): self time by function and by area
 * (the gateway's own modules by folder, each dependency by package, Node internals, GC), and the
 * inclusive time of the gateway's own functions, so the expensive parts of a hot path are visible
 * without opening DevTools. Samples can be limited to time windows (the measurements): profile
 * timestamps and `process.hrtime` read the same monotonic clock (µs here).
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly hitCount?: number;
  readonly children?: readonly number[];
}

interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples?: readonly number[];
  readonly timeDeltas?: readonly number[];
}

/** [from, to] in µs of the monotonic clock (`process.hrtime.bigint() / 1000n`). */
export type Window = readonly [number, number];

export interface ProfileSummary {
  /** Non-idle time of the sampled thread within the windows, ms. */
  readonly totalMs: number;
  readonly idleMs: number;
  /** False when no sample fell in the windows and the whole profile is shown instead. */
  readonly windowed: boolean;
  readonly functions: readonly { readonly name: string; readonly where: string; readonly ms: number }[];
  readonly areas: readonly { readonly area: string; readonly ms: number }[];
  /** The gateway's own functions (packages/), by time spent in them and below. */
  readonly inclusive: readonly { readonly name: string; readonly where: string; readonly ms: number }[];
}

/** A short location: `server/src/domain/tools/execution.ts`, `node_modules/fastify/...`, `node:internal/...`. */
function shortUrl(url: string): string {
  if (url === '') return '';
  const path = url.replace(/^file:\/\//, '');
  const modules = path.lastIndexOf('/node_modules/');
  if (modules >= 0) return `node_modules/${path.slice(modules + '/node_modules/'.length)}`;
  const packages = path.indexOf('/packages/');
  if (packages >= 0) return path.slice(packages + '/packages/'.length);
  return path;
}

/** Which part of the program a frame belongs to. */
function areaOf(node: ProfileNode): string {
  const { functionName, url } = node.callFrame;
  if (url === '') return functionName.startsWith('(') ? functionName : '(native: syscalls, C++ builtins)';
  const where = shortUrl(url);
  if (where.startsWith('node_modules/')) {
    const parts = where.split('/');
    return parts[1]?.startsWith('@') ? `${parts[1]}/${parts[2]}` : (parts[1] ?? where);
  }
  if (where.startsWith('node:')) return where.split('/').slice(0, 2).join('/');
  const src = /^(server|cli|sdk)\/src\/(.*)\/[^/]+$/.exec(where);
  if (src !== null) return `${src[1]}/src/${src[2]}`;
  return where.replace(/\/[^/]+$/, '');
}

const own = (node: ProfileNode) => /^(server|cli|sdk)\//.test(shortUrl(node.callFrame.url));
const whereOf = (node: ProfileNode) => (node.callFrame.url === '' ? '' : `${shortUrl(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`);

/** Milliseconds of self time per node id, only for samples inside `windows` (all when none given). */
function selfTimes(profile: Profile, windows: readonly Window[] | undefined): Map<number, number> {
  const selfMs = new Map<number, number>();
  if (profile.samples === undefined || profile.timeDeltas === undefined) {
    const interval = (profile.endTime - profile.startTime) / 1000 / Math.max(1, profile.nodes.reduce((a, n) => a + (n.hitCount ?? 0), 0));
    for (const n of profile.nodes) selfMs.set(n.id, (n.hitCount ?? 0) * interval);
    return selfMs;
  }
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0;
    if (windows !== undefined && !windows.some(([from, to]) => t >= from && t <= to)) continue;
    const id = profile.samples[i]!;
    // A sample stands for the time until the next one.
    selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0) / 1000);
  }
  return selfMs;
}

export function summarizeProfile(file: string, options: { windows?: readonly Window[]; top?: number } = {}): ProfileSummary {
  const top = options.top ?? 25;
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
  let selfMs = selfTimes(profile, options.windows);
  let windowed = options.windows !== undefined;
  if (windowed && [...selfMs.values()].reduce((a, b) => a + b, 0) === 0) {
    selfMs = selfTimes(profile, undefined);
    windowed = false;
  }
  const functions = new Map<string, { name: string; where: string; ms: number }>();
  const inclusive = new Map<string, { name: string; where: string; ms: number }>();
  const areas = new Map<string, number>();
  let totalMs = 0;
  let idleMs = 0;
  for (const [id, ms] of selfMs) {
    const node = byId.get(id);
    if (node === undefined || ms === 0) continue;
    if (node.callFrame.functionName === '(idle)') {
      idleMs += ms;
      continue;
    }
    totalMs += ms;
    const name = node.callFrame.functionName || '(anonymous)';
    const where = whereOf(node);
    const key = `${name}\u0000${where}`;
    const entry = functions.get(key) ?? { name, where, ms: 0 };
    entry.ms += ms;
    functions.set(key, entry);
    const area = areaOf(node);
    areas.set(area, (areas.get(area) ?? 0) + ms);
    // Inclusive: charge every distinct own function on the stack once.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at);
      if (frame === undefined || !own(frame)) continue;
      const frameKey = `${frame.callFrame.functionName || '(anonymous)'}\u0000${whereOf(frame)}`;
      if (seen.has(frameKey)) continue;
      seen.add(frameKey);
      const sum = inclusive.get(frameKey) ?? { name: frame.callFrame.functionName || '(anonymous)', where: whereOf(frame), ms: 0 };
      sum.ms += ms;
      inclusive.set(frameKey, sum);
    }
  }
  const byMs = <T extends { ms: number }>(a: T, b: T) => b.ms - a.ms;
  return {
    totalMs,
    idleMs,
    windowed,
    functions: [...functions.values()].sort(byMs).slice(0, top),
    areas: [...areas.entries()].map(([area, ms]) => ({ area, ms })).sort(byMs).slice(0, top),
    inclusive: [...inclusive.values()].sort(byMs).slice(0, top),
  };
}

export function printProfileSummary(title: string, summary: ProfileSummary): void {
  const pct = (ms: number) => `${((ms / summary.totalMs) * 100).toFixed(1).padStart(5)}%`;
  const scope = summary.windowed ? 'during the measurements' : 'whole process lifetime (no sample in the measurement windows)';
  console.log(`\n${title}\n  ${scope}: ${(summary.totalMs / 1000).toFixed(1)} s on CPU, ${(summary.idleMs / 1000).toFixed(1)} s idle; % of on-CPU time`);
  console.log('  self time by area:');
  for (const a of summary.areas.slice(0, 15)) console.log(`    ${pct(a.ms)}  ${a.area}`);
  console.log('  self time, top functions:');
  for (const f of summary.functions.slice(0, 20)) console.log(`    ${pct(f.ms)}  ${f.name}  ${f.where}`);
  console.log('  inclusive time (self + callees), gateway functions:');
  for (const f of summary.inclusive.slice(0, 20)) console.log(`    ${pct(f.ms)}  ${f.name}  ${f.where}`);
}
