/** @module Running the `agentgate` CLI as a real child process in tests, and the assertions on what it printed. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../..', import.meta.url));
const BIN = 'packages/cli/src/bin.ts';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI from the repository root, with none of the caller's AGENTGATE_* or DATABASE_URL
 * variables (a developer's shell must not leak into the test). stdin is always a pipe, never a TTY.
 */
export function runCli(args: readonly string[], options: { env?: Record<string, string>; input?: string; bin?: string[] } = {}): Promise<CliResult> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('AGENTGATE_') && key !== 'DATABASE_URL') env[key] = value;
  }
  const command = options.bin ?? ['--import', 'tsx', BIN];
  const child = spawn(process.execPath, [...command, ...args], { cwd: ROOT, env: { ...env, ...options.env }, stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  child.stdin.end(options.input ?? '');
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export function ok(result: CliResult): string {
  assert.equal(result.code, 0, `exit ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  return result.stdout;
}

export function json<T = any>(result: CliResult): T {
  return JSON.parse(ok(result)) as T;
}

/** The error contract: the exit code and exactly one `agentgate: …` line, never a stack trace. */
export function failsWith(result: CliResult, code: 1 | 2, pattern: RegExp): void {
  assert.equal(result.code, code, `exit ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  const lines = result.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `expected one stderr line, got:\n${result.stderr}`);
  assert.match(lines[0] ?? '', /^agentgate: /);
  assert.match(lines[0] ?? '', pattern);
  assert.doesNotMatch(result.stderr, /\n\s+at /);
}

/** The first line of a table, with its columns split on runs of two or more spaces. */
export function headerOf(table: string): string[] {
  return (table.split('\n')[0] ?? '').split(/\s{2,}/);
}
