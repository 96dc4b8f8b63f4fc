/**
 * @module Child processes of the bench (gateways, the mock upstream, the bare proxy): started here,
 * registered, and all killed when the bench ends, fails, or is interrupted (Ctrl-C, SIGTERM).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const running = new Set<ChildProcess>();
const cleanups = new Set<() => Promise<void>>();
let installed = false;

/** Kills every child still running (synchronous: usable from an `exit` handler). */
export function killChildren(signal: NodeJS.Signals = 'SIGKILL'): void {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill(signal);
}

/** Work to do (best effort, bounded) when interrupted, e.g. dropping a scratch database. */
export function onInterrupt(cleanup: () => Promise<void>): () => void {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

/** Once per process: children die with the bench, whatever the way out. */
export function installCleanup(): void {
  if (installed) return;
  installed = true;
  process.on('exit', () => killChildren());
  const interrupted = (signal: NodeJS.Signals) => {
    console.log(`\n${signal}: stopping ${running.size} child process(es)…`);
    killChildren('SIGTERM');
    const deadline = new Promise((resolve) => setTimeout(resolve, 5000).unref());
    void Promise.race([Promise.allSettled([...cleanups].map((c) => c())), deadline]).finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
}

export interface Child {
  readonly process: ChildProcess;
  readonly pid: number;
  /** What the child printed: its URL, from `... listening on http://...`. */
  readonly url: string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it exited. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts `node [nodeArgs] --import tsx <script> [args]` and waits for a line containing
 * `listening on http://host:port`. Its stdin stays an open pipe so that a child of ours that watches
 * stdin can exit when the bench dies without a chance to clean up.
 */
export async function spawnNode(options: {
  readonly script: string | URL;
  readonly args?: readonly string[];
  readonly nodeArgs?: readonly string[];
  /** Run `.ts` through tsx (default); false for compiled JavaScript. */
  readonly tsx?: boolean;
  readonly env: NodeJS.ProcessEnv;
  readonly name: string;
  readonly startTimeoutMs?: number;
}): Promise<Child> {
  installCleanup();
  const script = typeof options.script === 'string' ? options.script : fileURLToPath(options.script);
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...(options.tsx === false ? [] : ['--import', 'tsx']), script, ...(options.args ?? [])], {
    env: options.env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  running.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => running.delete(child));
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${options.name} did not start in ${(options.startTimeoutMs ?? 60_000) / 1000} s:\n${output}`)), options.startTimeoutMs ?? 60_000);
    const onData = (chunk: Buffer) => {
      if (output.length < 64_000) output += chunk.toString();
      const match = /listening on (http:\/\/[^\s]+)/.exec(output);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${options.name} exited with ${code ?? signal}:\n${output}`));
    });
  }).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  // Keep draining the pipes so a chatty child never blocks on a full pipe; keep the tail for errors.
  child.stdout?.on('data', () => undefined);
  child.stderr?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8000);
  });
  if (child.pid === undefined) throw new Error(`${options.name}: no pid`);
  return {
    process: child,
    pid: child.pid,
    url,
    async stop(graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * For a child script: exit when the bench that started us goes away (its end of our stdin closes),
 * and exit normally on SIGTERM/SIGINT so that `--cpu-prof` gets to write its profile.
 */
export function exitWithParent(): void {
  process.once('SIGTERM', () => process.exit(0));
  process.once('SIGINT', () => process.exit(0));
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('error', () => process.exit(0));
  process.stdin.resume();
}
