/** @module Usage text, built from the same declarations the parser uses (see command.ts). */
import { allOptions, type GroupCommand, type LeafCommand, type OptionSpecs } from './command.ts';
import { COMMANDS } from './registry.ts';

export function globalHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const list = (side: 'server' | 'api') =>
    Object.entries(COMMANDS)
      .filter(([, entry]) => entry.side === side)
      .map(([name, entry]) => `  ${name.padEnd(width)}  ${entry.summary}`);
  return [
    'Usage: agentgate <command> [subcommand] [options]',
    '',
    'Server-side commands (use the database directly; same variables as `start`:',
    'AGENTGATE_DATA_DIR or DATABASE_URL, AGENTGATE_ENCRYPTION_KEYS):',
    ...list('server'),
    '',
    'API commands (talk to a running gateway; AGENTGATE_URL, default http://localhost:8080,',
    'AGENTGATE_CLIENT_ID and AGENTGATE_CLIENT_SECRET, or --url/--client-id/--client-secret):',
    ...list('api'),
    '',
    '  help [command]  Show help for a command',
    '',
    'Common options: --json (machine-readable output), --verbose (logs, stack traces), --help.',
    'Exit status: 0 success, 1 the operation failed, 2 the command line is wrong.',
    '',
    'Run `agentgate <command> --help` for details. From the repository: npm run agentgate -- <command>.',
  ].join('\n');
}

export function groupHelp(name: string, group: GroupCommand): string {
  const subs = Object.entries(group.subcommands);
  const width = Math.max(...subs.map(([sub]) => sub.length));
  return [
    `Usage: agentgate ${name} <${subs.map(([sub]) => sub).join('|')}> [options]`,
    '',
    `${group.summary}.`,
    ...(group.notes === undefined ? [] : ['', ...group.notes]),
    '',
    'Subcommands:',
    ...subs.map(([sub, leaf]) => `  ${sub.padEnd(width)}  ${leaf.summary}`),
    '',
    `Run \`agentgate ${name} <subcommand> --help\` for its options.`,
  ].join('\n');
}

export function leafHelp(leaf: LeafCommand): string {
  return [
    // A line starting with a space continues the previous synopsis.
    ...leaf.usage.map((line, i) => (line.startsWith(' ') ? `${' '.repeat(19)}${line.trim()}` : `${i === 0 ? 'Usage: ' : '       '}agentgate ${line}`)),
    '',
    `${leaf.summary}.`,
    ...(leaf.notes === undefined ? [] : ['', ...leaf.notes]),
    '',
    'Options:',
    ...optionLines(allOptions(leaf)),
  ].join('\n');
}

function optionLines(options: OptionSpecs): string[] {
  const labels = Object.entries(options).map(([name, spec]) => {
    const flag = `${spec.short === undefined ? '    ' : `-${spec.short}, `}--${name}`;
    const description = spec.multiple === true ? `${spec.description} Repeatable.` : spec.description;
    return [spec.type === 'string' ? `${flag} ${spec.value ?? 'VALUE'}` : flag, description] as const;
  });
  const width = Math.max(...labels.map(([label]) => label.length));
  return labels.map(([label, description]) => `  ${label.padEnd(width)}  ${description}`);
}
