/**
 * @module Output shared by every command: aligned tables and key/value blocks for humans, JSON for
 * scripts, warnings on stderr.
 *
 * Data goes to stdout and everything else (warnings, prompts, logs) to stderr, so that
 * `agentgate … --json | jq` always receives exactly one JSON document.
 */
import { toSnake } from '@agentgate/sdk';

export interface Column<T> {
  readonly header: string;
  readonly value: (row: T) => string;
}

export interface Output {
  /** True when `--json` was given: commands print {@link Output.json} instead of tables. */
  readonly jsonMode: boolean;
  line(text?: string): void;
  /**
   * Prints a value as JSON with snake_case keys, the way the REST API (docs/api.md) spells them,
   * so the same jq filters work on the API and on the CLI.
   */
  json(value: unknown): void;
  table<T>(rows: readonly T[], columns: readonly Column<T>[]): void;
  /** `Label:  value` lines with the values aligned. */
  details(pairs: readonly (readonly [string, string])[]): void;
  /** `agentgate: warning: …` on stderr. */
  warn(text: string): void;
  /** A line for the human on stderr (prompts, hints that must not pollute the data on stdout). */
  info(text: string): void;
}

export interface Streams {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

export function createOutput(jsonMode: boolean, streams: Streams = process): Output {
  const out = (text: string) => streams.stdout.write(`${text}\n`);
  return {
    jsonMode,
    line: (text = '') => out(text),
    json: (value) => out(JSON.stringify(toSnake(value), null, 2)),
    table: (rows, columns) => {
      for (const line of renderTable(rows, columns)) out(line);
    },
    details: (pairs) => {
      const width = Math.max(0, ...pairs.map(([label]) => label.length + 1));
      for (const [label, value] of pairs) out(`${`${label}:`.padEnd(width)}  ${clean(value)}`);
    },
    warn: (text) => streams.stderr.write(`agentgate: warning: ${text}\n`),
    info: (text) => streams.stderr.write(`${text}\n`),
  };
}

/** Header row plus one line per row, columns two spaces apart, the last one unpadded. */
export function renderTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string[] {
  const cells = rows.map((row) => columns.map((column) => clean(column.value(row))));
  const widths = columns.map((column, i) => Math.max(column.header.length, ...cells.map((line) => line[i]?.length ?? 0)));
  const render = (line: readonly string[]) =>
    line
      .map((cell, i) => (i === line.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [render(columns.map((column) => column.header)), ...cells.map(render)];
}

/** Other C0/C1 controls and bidi overrides: a terminal would obey them (ANSI escapes) or show text reordered. */
const UNPRINTABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

// A newline or tab inside a value (a name, an identifier) would break the alignment of every row;
// any other control character in a value (an identifier, a provider's message) is dropped.
function clean(value: string): string {
  return value.replace(/[\t\r\n]+/g, ' ').replace(UNPRINTABLE, '');
}

/**
 * A timestamp as `2026-01-31T12:00:00Z`: UTC so two people comparing output agree, seconds because
 * milliseconds only widen the column. `empty` stands for a missing value (never used, no expiry).
 */
export function formatTime(value: string | Date | null | undefined, empty = '-'): string {
  if (value === null || value === undefined || value === '') return empty;
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function yesNo(value: boolean): string {
  return value ? 'yes' : 'no';
}

/** `n thing` / `n things`, for the summary lines under tables. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
