/**
 * @module Progress of a long command on stderr: a redrawn bar at a terminal, plain lines now and then
 * anywhere else (a log file, CI, `--json` runs), so a pipe never fills with carriage returns.
 */

export interface ProgressSink {
  write(text: string): unknown;
  readonly columns?: number | undefined;
}

export interface ProgressUpdate {
  readonly done: number;
  readonly total: number;
  /** What is being worked on, e.g. `connected_accounts.credentials`. */
  readonly detail?: string;
}

export interface Progress {
  update(update: ProgressUpdate): void;
  /** Ends the bar's line (or prints the last plain line); call once, before the summary. */
  finish(): void;
}

export interface ProgressOptions {
  /** A redrawn bar (`\r`); false: a plain line at the first update and every `intervalMs`. */
  readonly bar: boolean;
  readonly label: string;
  readonly intervalMs?: number;
  readonly now?: () => number;
}

export const formatCount = (n: number): string => n.toLocaleString('en-US');

function percent(done: number, total: number): number {
  return total === 0 ? 100 : Math.min(100, Math.floor((done / total) * 100));
}

/** `label [██████░░░░] 60%  6,000/10,000  2,500/s  detail`: the bar takes what the terminal leaves (10–30 cells). */
export function renderBar(label: string, update: ProgressUpdate, ratePerSecond: number, terminalColumns?: number): string {
  // Some terminals (and `script`) report 0 columns: assume the classic 80 then.
  const columns = terminalColumns !== undefined && terminalColumns >= 40 ? terminalColumns : 80;
  const pct = percent(update.done, update.total);
  const rate = ratePerSecond > 0 ? `  ${formatCount(Math.round(ratePerSecond))}/s` : '';
  const detail = update.detail === undefined ? '' : `  ${update.detail}`;
  const tail = ` ${String(pct).padStart(3)}%  ${formatCount(update.done)}/${formatCount(update.total)}${rate}${detail}`;
  const width = Math.max(10, Math.min(30, columns - 1 - label.length - 3 - tail.length));
  const filled = Math.round((pct / 100) * width);
  const line = `${label} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}]${tail}`;
  return line.length > columns - 1 ? line.slice(0, columns - 1) : line;
}

export function plainLine(label: string, update: ProgressUpdate): string {
  return `${label}: ${formatCount(update.done)}/${formatCount(update.total)} (${percent(update.done, update.total)}%)${update.detail === undefined ? '' : ` ${update.detail}`}`;
}

export function createProgress(sink: ProgressSink, options: ProgressOptions): Progress {
  const now = options.now ?? Date.now;
  const started = now();
  const interval = options.intervalMs ?? (options.bar ? 100 : 2000);
  let last: ProgressUpdate | undefined;
  let lastShown = -Infinity;
  let shownLast = false;
  const show = (update: ProgressUpdate) => {
    lastShown = now();
    shownLast = true;
    if (!options.bar) return void sink.write(`${plainLine(options.label, update)}\n`);
    const seconds = (now() - started) / 1000;
    // Clear the line first: a shorter redraw must not leave the tail of a longer one behind.
    sink.write(`\r\u001b[2K${renderBar(options.label, update, seconds > 0 ? update.done / seconds : 0, sink.columns)}`);
  };
  return {
    update(update) {
      last = update;
      shownLast = false;
      if (now() - lastShown >= interval || update.done >= update.total) show(update);
    },
    finish() {
      if (last !== undefined && !shownLast) show(last);
      if (options.bar && last !== undefined) sink.write('\n');
    },
  };
}
