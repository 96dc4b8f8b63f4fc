/**
 * @module Keeping the hot-path caches honest. Locally: the Store is wrapped so that every write of
 * an account, a connection or an environment's settings drops the cached entry at once, and again
 * after the transaction commits (a read between the write and the commit may have cached the old
 * row). Across replicas: triggers NOTIFY `agentgate_cache` after commit (migration 0005) and
 * `listenForChanges` feeds those to the same handler; while its connection is down, the caches are
 * switched off.
 */
import pg from 'pg';
import type { Store } from '../domain/ports.ts';
import { CACHE_CHANNEL } from './migrations/0005-tool-calls.ts';

export type CacheChange = { readonly kind: 'account' | 'connection' | 'environment'; readonly id: string };
export type ChangeHandler = (change: CacheChange) => void;

export function withCacheInvalidation(store: Store, onChange: ChangeHandler, pending?: CacheChange[]): Store {
  const changed = (change: CacheChange) => {
    onChange(change);
    pending?.push(change);
  };
  const afterCommit = async <T>(run: (collected: CacheChange[]) => Promise<T>): Promise<T> => {
    const collected: CacheChange[] = [];
    try {
      return await run(collected);
    } finally {
      for (const change of collected) onChange(change);
    }
  };
  return {
    ...store,
    accounts: {
      ...store.accounts,
      async update(account) {
        const updated = await store.accounts.update(account);
        changed({ kind: 'account', id: account.id });
        return updated;
      },
      async delete(environmentId, id) {
        await store.accounts.delete(environmentId, id);
        changed({ kind: 'account', id });
      },
    },
    connections: {
      ...store.connections,
      async update(connection) {
        await store.connections.update(connection);
        changed({ kind: 'connection', id: connection.id });
      },
      async delete(environmentId, id) {
        await store.connections.delete(environmentId, id);
        changed({ kind: 'connection', id });
      },
    },
    environments: {
      ...store.environments,
      async updateSettings(id, settings) {
        await store.environments.updateSettings(id, settings);
        changed({ kind: 'environment', id });
      },
    },
    transaction: (work) => (pending !== undefined ? store.transaction((tx) => work(withCacheInvalidation(tx, onChange, pending))) : afterCommit((collected) => store.transaction((tx) => work(withCacheInvalidation(tx, onChange, collected))))),
    withLock: (name, work) => (pending !== undefined ? store.withLock(name, (tx) => work(withCacheInvalidation(tx, onChange, pending))) : afterCommit((collected) => store.withLock(name, (tx) => work(withCacheInvalidation(tx, onChange, collected))))),
  };
}

export function parseChange(payload: string | undefined): CacheChange | undefined {
  const match = /^([ace]):(.+)$/.exec(payload ?? '');
  if (match === null) return undefined;
  const kind = match[1] === 'a' ? 'account' : match[1] === 'c' ? 'connection' : 'environment';
  return { kind, id: match[2] ?? '' };
}

export interface ChangeListener {
  close(): Promise<void>;
}

/**
 * LISTENs on PostgreSQL with a dedicated connection, reconnecting with backoff. `onState(false)`
 * when the connection is lost (callers stop trusting their caches), `onState(true)` once listening.
 */
export function listenForChanges(databaseUrl: string, onChange: ChangeHandler, onState: (listening: boolean) => void, onError: (error: Error) => void): ChangeListener {
  let client: pg.Client | undefined;
  let closed = false;
  let retryMs = 250;
  let timer: NodeJS.Timeout | undefined;
  const connect = async () => {
    const next = new pg.Client({ connectionString: databaseUrl });
    client = next;
    const lost = (error?: Error) => {
      if (client !== next) return;
      client = undefined;
      onState(false);
      if (error !== undefined) onError(error);
      next.end().catch(() => undefined);
      if (!closed) {
        timer = setTimeout(() => void connect(), retryMs);
        timer.unref();
        retryMs = Math.min(retryMs * 2, 10_000);
      }
    };
    next.on('error', lost);
    next.on('end', () => lost());
    next.on('notification', (message) => {
      const change = parseChange(message.payload);
      if (change !== undefined) onChange(change);
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${CACHE_CHANNEL}`);
      retryMs = 250;
      onState(true);
    } catch (error) {
      lost(error as Error);
    }
  };
  onState(false);
  void connect();
  return {
    async close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      const current = client;
      client = undefined;
      await current?.end().catch(() => undefined);
    },
  };
}
