/**
 * @module Wiring of the tool runtime: the account cache behind the Store wrapper that invalidates
 * it, the PostgreSQL change listener for other replicas' writes, the environment-settings cache, the
 * batched tool-call log, and the outbound client.
 */
import { AccountCache } from './domain/accounts/account-cache.ts';
import type { Environment } from './domain/model.ts';
import type { Store } from './domain/ports.ts';
import { ToolCallLogWriter } from './domain/tools/call-log.ts';
import type { ToolRuntime, Upstream } from './domain/tools/runtime.ts';
import { GatewayError } from './errors.ts';
import type { Logger } from './logger.ts';
import { listenForChanges, withCacheInvalidation, type CacheChange, type ChangeListener } from './storage/cache-invalidation.ts';

export interface ToolRuntimeSettings {
  readonly databaseUrl: string | undefined;
  readonly cacheTtlMs: number;
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
}

const ENVIRONMENT_TTL_MS = 5_000;

export interface ToolRuntimeSetup {
  readonly store: Store;
  readonly runtime: ToolRuntime;
  close(): Promise<void>;
}

export function setUpToolRuntime(rawStore: Store, upstream: Upstream, settings: ToolRuntimeSettings, logger: Logger): ToolRuntimeSetup {
  const cache = new AccountCache({ ttlMs: settings.cacheTtlMs, maxEntries: 50_000 });
  const environments = new Map<string, { environment: Environment; expiresAt: number }>();
  const onChange = (change: CacheChange) => {
    if (change.kind === 'account') cache.invalidateAccount(change.id);
    else if (change.kind === 'connection') cache.invalidateConnection(change.id);
    else environments.delete(change.id);
  };
  const store = withCacheInvalidation(rawStore, onChange);

  // PGlite is one process: local invalidation is complete. PostgreSQL may have other replicas writing.
  let listener: ChangeListener | undefined;
  if (settings.databaseUrl !== undefined) {
    listener = listenForChanges(
      settings.databaseUrl,
      onChange,
      (listening) => {
        cache.setEnabled(listening);
        if (!listening) environments.clear();
      },
      (error) => logger.warn({ err: error }, 'cache invalidation listener lost its database connection; caches are off until it reconnects'),
    );
  }
  const callLog = new ToolCallLogWriter(store.toolCalls, { flushMs: 250, maxBatch: 500, onError: (error) => logger.error({ err: error }, 'writing tool call logs failed') });

  const runtime: ToolRuntime = {
    cache,
    upstream,
    callLog,
    async environment(environmentId) {
      const now = Date.now();
      const hit = environments.get(environmentId);
      if (hit !== undefined && hit.expiresAt > now) return hit.environment;
      const environment = await store.environments.findById(environmentId);
      if (environment === undefined) throw new GatewayError('invalid_token', 'The environment of this token no longer exists.');
      environments.set(environmentId, { environment, expiresAt: now + ENVIRONMENT_TTL_MS });
      return environment;
    },
    timeoutMs: settings.timeoutMs,
    maxResponseBytes: settings.maxResponseBytes,
    maxAttempts: 3,
    maxRetryWaitMs: 10_000,
  };
  return {
    store,
    runtime,
    async close() {
      await callLog.flush();
      await listener?.close();
    },
  };
}
