/** @module Running a command as a child process from the repository root and collecting what it printed. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root (where `npm start` and `npx agentgate` are run from). */
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

export interface CommandResult {
  /** The exit status; 1 when the process was killed (timeout) or could not start. */
  code: number;
  stdout: string;
  stderr: string;
}

/** The test process's environment without the gateway's own variables, so a developer's shell cannot leak into a child. */
function isolatedEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !name.startsWith('AGENTGATE_') && name !== 'DATABASE_URL') env[name] = value;
  }
  return env;
}

/**
 * Runs `command args…` in `options.cwd` (default the repository root) with the test process's
 * environment plus `env`, never rejecting: a failure is a result with a non-zero `code`. With
 * `isolate`, the inherited environment loses every `AGENTGATE_*` variable and `DATABASE_URL`.
 */
export function runCommand(
  command: string,
  args: readonly string[],
  env: Record<string, string>,
  options: { cwd?: string; timeoutMs?: number; isolate?: boolean } = {},
): Promise<CommandResult> {
  const inherited = options.isolate === true ? isolatedEnvironment() : process.env;
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd: options.cwd ?? REPO_ROOT, env: { ...inherited, ...env }, timeout: options.timeoutMs ?? 120_000, maxBuffer: 8 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
