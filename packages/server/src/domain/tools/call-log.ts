/**
 * @module Tool call logs: one record per execution, written in batches off the request path (one
 * multi-row INSERT per flush instead of one round trip per call), together with the accounts'
 * `last_used_at`. Reads flush first, so a caller always sees its own calls.
 */
import type { ToolCallLogRepository, ToolCallRecord } from '../ports.ts';

export interface CallLogOptions {
  readonly flushMs: number;
  readonly maxBatch: number;
  readonly onError: (error: unknown) => void;
}

/** `last_used_at` is a "recently used" signal, not an audit field: one write per account per minute is plenty. */
const TOUCH_INTERVAL_MS = 60_000;

export class ToolCallLogWriter {
  #pending: ToolCallRecord[] = [];
  readonly #touched = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();
  readonly #repository: ToolCallLogRepository;
  readonly #options: CallLogOptions;

  constructor(repository: ToolCallLogRepository, options: CallLogOptions) {
    this.#repository = repository;
    this.#options = options;
  }

  record(entry: ToolCallRecord): void {
    this.#pending.push(entry);
    if (this.#pending.length >= this.#options.maxBatch) void this.flush();
    else if (this.#timer === undefined) {
      this.#timer = setTimeout(() => void this.flush(), this.#options.flushMs);
      this.#timer.unref();
    }
  }

  /** Writes everything recorded so far; resolves when it is in the database. */
  flush(): Promise<void> {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#pending;
    this.#pending = [];
    // Chained: batches land in order and a read's flush waits for the one already running.
    this.#flushing = this.#flushing.then(async () => {
      if (batch.length === 0) return;
      try {
        await this.#repository.insertMany(batch);
        const lastUse = new Map<string, Date>();
        const now = Date.now();
        for (const entry of batch) {
          const id = entry.connectedAccountId;
          if (id === null || (this.#touched.get(id) ?? 0) > now - TOUCH_INTERVAL_MS) continue;
          lastUse.set(id, entry.startedAt);
        }
        if (this.#touched.size > 100_000) this.#touched.clear();
        for (const id of lastUse.keys()) this.#touched.set(id, now);
        if (lastUse.size > 0) await this.#repository.touchAccounts([...lastUse].map(([id, at]) => ({ id, at })));
      } catch (error) {
        this.#options.onError(error);
      }
    });
    return this.#flushing;
  }
}
