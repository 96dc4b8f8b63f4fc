/** @module What /proc says about the bench's processes and the machine (Linux; elsewhere the numbers read as unknown). */
import { cpus } from 'node:os';
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux
export const CORES = cpus().length;

/** Resident set size of a process in MB, or NaN when /proc is unavailable. */
export function rssMb(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] === undefined ? Number.NaN : Number(match[1]) / 1024;
  } catch {
    return Number.NaN;
  }
}

/** utime + stime of a process, in clock ticks (NaN when unknown). */
function cpuTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return Number.NaN;
  }
}

/** utime + stime summed over every process whose command is `comm` (e.g. all postgres backends), in ticks. */
function cpuTicksOfCommand(comm: string): number {
  let total = 0;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return Number.NaN;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) !== comm) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += Number(fields[11]) + Number(fields[12]);
    } catch {
      // exited meanwhile
    }
  }
  return total;
}

/** Busy and total jiffies of the whole machine. */
function machineTicks(): { busy: number; total: number } {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const values = line.trim().split(/\s+/).slice(1).map(Number);
    const total = values.reduce((a, b) => a + b, 0);
    const idle = (values[3] ?? 0) + (values[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return { busy: Number.NaN, total: Number.NaN };
  }
}

export interface Usage {
  /**
   * CPU over the window, % of one core: each watched process, `loadgen` (this process), `postgres`
   * (every postgres process on the machine, ours or not) and `other` (the rest of the machine's busy
   * time: other workloads, and kernel work such as loopback networking not charged to a process).
   */
  readonly cpu: Readonly<Record<string, number>>;
  /** Idle share of the whole machine (all cores), %. */
  readonly machineIdle: number;
  /** Largest RSS sampled per watched process, MB. */
  readonly maxRss: Readonly<Record<string, number>>;
}

/**
 * Watches processes while `work` runs: CPU % of one core (the bench's own process included as
 * `loadgen`), machine idle %, and max RSS sampled every 200 ms.
 */
export async function watch<T>(pids: Readonly<Record<string, number>>, work: () => Promise<T>): Promise<{ value: T; usage: Usage }> {
  const names = Object.keys(pids);
  const startCpu = Object.fromEntries(names.map((n) => [n, cpuTicks(pids[n]!)]));
  const startSelf = process.cpuUsage();
  const startMachine = machineTicks();
  const startPostgres = cpuTicksOfCommand('postgres');
  const started = process.hrtime.bigint();
  const maxRss: Record<string, number> = Object.fromEntries(names.map((n) => [n, rssMb(pids[n]!)]));
  const sampler = setInterval(() => {
    for (const n of names) maxRss[n] = Math.max(maxRss[n] ?? 0, rssMb(pids[n]!));
  }, 200);
  try {
    const value = await work();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    for (const n of names) maxRss[n] = Math.max(maxRss[n] ?? 0, rssMb(pids[n]!));
    const cpu: Record<string, number> = {};
    for (const n of names) cpu[n] = ((cpuTicks(pids[n]!) - startCpu[n]!) / TICKS_PER_SECOND / seconds) * 100;
    const self = process.cpuUsage(startSelf);
    cpu['loadgen'] = ((self.user + self.system) / 1e6 / seconds) * 100;
    // Clamped: a backend that exited during the window takes its ticks with it.
    cpu['postgres'] = Math.max(0, ((cpuTicksOfCommand('postgres') - startPostgres) / TICKS_PER_SECOND / seconds) * 100);
    const endMachine = machineTicks();
    const total = endMachine.total - startMachine.total;
    const busyOfOneCore = ((endMachine.busy - startMachine.busy) / TICKS_PER_SECOND / seconds) * 100;
    cpu['other'] = Math.max(0, busyOfOneCore - Object.values(cpu).reduce((a, b) => a + (Number.isNaN(b) ? 0 : b), 0));
    return { value, usage: { cpu, maxRss, machineIdle: total > 0 ? (1 - (endMachine.busy - startMachine.busy) / total) * 100 : Number.NaN } };
  } finally {
    clearInterval(sampler);
  }
}

/**
 * Waits (at most `maxSeconds`) until the machine was under `busyPercent` busy for half a second:
 * another workload on a shared VM halves every number. Returns the last busy % seen.
 */
export async function waitForQuiet(busyPercent = 15, maxSeconds = 10): Promise<number> {
  const deadline = Date.now() + maxSeconds * 1000;
  let busy = Number.NaN;
  do {
    const before = machineTicks();
    await sleep(500);
    const after = machineTicks();
    busy = ((after.busy - before.busy) / (after.total - before.total)) * 100;
    if (!(busy >= busyPercent)) return busy; // NaN (no /proc) counts as quiet
  } while (Date.now() < deadline);
  return busy;
}
