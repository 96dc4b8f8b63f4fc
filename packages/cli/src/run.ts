/**
 * @module Dispatch: finds the command, parses its arguments, runs it and maps failures to an exit
 * code and one line on stderr (see errors.ts).
 */
import { readFileSync } from 'node:fs';
import { allOptions, parseCommandArgs, type CommandContext, type LeafCommand } from './command.ts';
import { reportOf, UsageError } from './errors.ts';
import { globalHelp, groupHelp, leafHelp } from './help.ts';
import { createOutput, type Streams } from './output.ts';
import { COMMANDS } from './registry.ts';

const HELP_FLAGS = new Set(['--help', '-h']);
const GLOBAL_HINT = 'see "agentgate help"';

/** Runs one command line; resolves to the exit code (it never rejects). */
export async function run(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, streams: Streams = process): Promise<number> {
  // Known before parsing so that even a parse failure can show its stack when asked to.
  const verbose = argv.includes('--verbose') || argv.includes('-v');
  try {
    await dispatch(argv, env, streams);
    return 0;
  } catch (error) {
    const report = reportOf(error);
    streams.stderr.write(`agentgate: ${report.line}\n`);
    if (verbose && error instanceof Error && !(error instanceof UsageError)) streams.stderr.write(`${stackOf(error)}\n`);
    return report.exitCode;
  }
}

async function dispatch(argv: readonly string[], env: NodeJS.ProcessEnv, streams: Streams): Promise<void> {
  const print = (text: string): void => void streams.stdout.write(`${text}\n`);
  const [name, ...rest] = argv;
  if (name === undefined) return print(globalHelp());
  if (name === 'help' || HELP_FLAGS.has(name)) return print(await helpFor(rest));
  if (name === '--version' || name === '-V') return print(version());
  if (name.startsWith('-')) throw new UsageError(`expected a command before ${name}`, GLOBAL_HINT);
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (entry === undefined) throw new UsageError(`unknown command "${name}"`, GLOBAL_HINT);
  const command = await entry.load();
  if (command.kind === 'leaf') return runLeaf(name, command, rest, env, streams);

  const [sub, ...subArgs] = rest;
  const choices = Object.keys(command.subcommands).join('|');
  if (sub !== undefined && HELP_FLAGS.has(sub)) return print(groupHelp(name, command));
  if (sub === undefined || sub.startsWith('-')) {
    throw new UsageError(`missing subcommand: agentgate ${name} <${choices}>`, `see "agentgate ${name} --help"`);
  }
  const leaf = Object.hasOwn(command.subcommands, sub) ? command.subcommands[sub] : undefined;
  if (leaf === undefined) throw new UsageError(`unknown subcommand "${name} ${sub}" (expected ${choices})`, `see "agentgate ${name} --help"`);
  return runLeaf(`${name} ${sub}`, leaf, subArgs, env, streams);
}

async function runLeaf(path: string, leaf: LeafCommand, args: readonly string[], env: NodeJS.ProcessEnv, streams: Streams): Promise<void> {
  const hint = `see "agentgate ${path} --help"`;
  const { values, positionals } = parseCommandArgs(args, allOptions(leaf), hint);
  if (values['help'] === true) {
    streams.stdout.write(`${leafHelp(leaf)}\n`);
    return;
  }
  const { names, required } = leaf.positionals;
  if (positionals.length < required) throw new UsageError(`missing <${names[positionals.length] ?? 'argument'}>`, hint);
  if (positionals.length > names.length) throw new UsageError(`unexpected argument "${positionals[names.length]}"`, hint);
  const ctx: CommandContext = {
    args: positionals,
    output: createOutput(values['json'] === true, streams),
    env,
    verbose: values['verbose'] === true,
    path,
    string: (option) => {
      const value = values[option];
      return typeof value === 'string' ? value : undefined;
    },
    strings: (option) => {
      const value = values[option];
      return Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
    },
    flag: (option) => values[option] === true,
  };
  await leaf.run(ctx);
}

async function helpFor(topic: readonly string[]): Promise<string> {
  const [name, sub, ...extra] = topic;
  if (name === undefined) return globalHelp();
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (entry === undefined || extra.length > 0) throw new UsageError(`no help for "${topic.join(' ')}"`, GLOBAL_HINT);
  const command = await entry.load();
  if (command.kind === 'leaf') {
    if (sub !== undefined) throw new UsageError(`"${name}" has no subcommand "${sub}"`, GLOBAL_HINT);
    return leafHelp(command);
  }
  if (sub === undefined) return groupHelp(name, command);
  const leaf = Object.hasOwn(command.subcommands, sub) ? command.subcommands[sub] : undefined;
  if (leaf === undefined) throw new UsageError(`unknown subcommand "${name} ${sub}"`, `see "agentgate ${name} --help"`);
  return leafHelp(leaf);
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
  return `agentgate ${pkg.version ?? 'unknown'}`;
}

/** The stack plus every `cause`, which is where the database or network error usually is. */
function stackOf(error: Error): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== undefined; depth++) {
    parts.push(current instanceof Error ? (current.stack ?? String(current)) : String(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join('\nCaused by: ');
}
