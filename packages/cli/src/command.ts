/**
 * @module What a command is, and how its arguments are parsed (node:util parseArgs, strict).
 *
 * Every command declares its options once; the same declaration drives parsing, validation and the
 * `--help` text, so the help can never list a flag the parser rejects or miss one it accepts.
 */
import { parseArgs } from 'node:util';
import { UsageError } from './errors.ts';
import type { Output } from './output.ts';

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  /** Placeholder shown in help, e.g. `NAME`. */
  readonly value?: string;
  readonly description: string;
  /** A string option that may be given several times (read with {@link CommandContext.strings}). */
  readonly multiple?: boolean;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

export interface CommandContext {
  /** Positional arguments after the command (and subcommand). */
  readonly args: readonly string[];
  readonly output: Output;
  readonly env: NodeJS.ProcessEnv;
  readonly verbose: boolean;
  /** A string option, or undefined when absent. */
  string(name: string): string | undefined;
  /** Every value of a repeatable string option, in command-line order (empty when absent). */
  strings(name: string): readonly string[];
  /** A boolean option (false when absent). */
  flag(name: string): boolean;
  /** The command as typed, e.g. `accounts show`, for messages that point to its help. */
  readonly path: string;
}

export interface LeafCommand {
  readonly kind: 'leaf';
  readonly summary: string;
  /** Synopsis lines after `agentgate `, e.g. `accounts show <id>`. */
  readonly usage: readonly string[];
  /** Paragraphs shown in help after the synopsis: what it does and what to watch for. */
  readonly notes?: readonly string[];
  readonly options: OptionSpecs;
  /** Names of the positional arguments (for messages); the first `required` must be given. */
  readonly positionals: { readonly names: readonly string[]; readonly required: number };
  /** False for commands whose output is not data (start): `--json` is then rejected. */
  readonly json?: boolean;
  run(ctx: CommandContext): Promise<void>;
}

export interface GroupCommand {
  readonly kind: 'group';
  readonly summary: string;
  readonly notes?: readonly string[];
  readonly subcommands: Readonly<Record<string, LeafCommand>>;
}

export type Command = LeafCommand | GroupCommand;

/** Accepted by every command. */
export const COMMON_OPTIONS: OptionSpecs = {
  verbose: { type: 'boolean', short: 'v', description: 'Show logs and stack traces on stderr.' },
  help: { type: 'boolean', short: 'h', description: 'Show this help.' },
};

export const JSON_OPTION: OptionSpecs = {
  json: { type: 'boolean', description: 'Print the result as JSON (for scripts) instead of a table.' },
};

/** Every option a leaf accepts: its own, `--json` unless it opted out, and the common ones. */
export function allOptions(command: LeafCommand): OptionSpecs {
  return { ...command.options, ...(command.json === false ? {} : JSON_OPTION), ...COMMON_OPTIONS };
}

export interface ParsedArgs {
  readonly values: Readonly<Record<string, string | boolean | string[] | undefined>>;
  readonly positionals: readonly string[];
}

/**
 * Parses `args` strictly. parseArgs' own messages explain how to pass a positional starting with
 * `-`, which is noise here; they are shortened to what went wrong.
 */
export function parseCommandArgs(args: readonly string[], options: OptionSpecs, hint: string): ParsedArgs {
  const config: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const [name, spec] of Object.entries(options)) {
    config[name] = {
      type: spec.type,
      ...(spec.short === undefined ? {} : { short: spec.short }),
      ...(spec.multiple === true ? { multiple: true } : {}),
    };
  }
  try {
    const { values, positionals } = parseArgs({ args: [...args], options: config, strict: true, allowPositionals: true });
    return { values: values as Record<string, string | boolean | string[] | undefined>, positionals };
  } catch (error) {
    throw new UsageError(parseErrorMessage(error), hint);
  }
}

function parseErrorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown }).code;
  const flag = /'([^' ]+)/.exec(message)?.[1];
  if (flag === undefined) return message.split('\n')[0] ?? message;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${flag}`;
  if (message.includes('does not take an argument')) return `${flag} does not take a value`;
  if (message.includes('ambiguous')) return `missing value for ${flag} (write ${flag}=-VALUE for a value starting with "-")`;
  if (message.includes('argument missing')) return `missing value for ${flag}`;
  return message.split('\n')[0] ?? message;
}
