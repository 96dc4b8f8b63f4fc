/**
 * @module Tool executions counted over time: per time bucket, by connector and by error tier (whose
 * side failed: the provider's or ours). One grouped query over a bounded window; the buckets the
 * database has no rows for are filled with zeros here so every series has one value per bucket.
 */
import type { DomainContext } from '../context.ts';
import type { ToolCallLogFilter } from '../ports.ts';

export interface StatsWindow {
  readonly from: Date;
  readonly to: Date;
  readonly bucketSeconds: number;
}

export interface ConnectorSeries {
  /** The connector key; `(none)` for calls that failed before a tool was found. */
  readonly provider: string;
  /** Executions per bucket. */
  readonly executions: readonly number[];
  /** Failed executions per bucket. */
  readonly failed: readonly number[];
  readonly total: number;
  readonly totalFailed: number;
  readonly providerErrors: number;
  readonly platformErrors: number;
}

export interface CallStats {
  /** Start of each bucket, oldest first. */
  readonly buckets: readonly Date[];
  readonly bucketSeconds: number;
  /** Busiest connector first. */
  readonly connectors: readonly ConnectorSeries[];
  /** Failed executions per bucket by tier. */
  readonly errorsByTier: { readonly provider: readonly number[]; readonly platform: readonly number[] };
  readonly totals: { readonly executions: number; readonly failed: number; readonly providerErrors: number; readonly platformErrors: number };
}

/** At most this many buckets: a chart with more bars than pixels says nothing. */
export const MAX_BUCKETS = 200;

export const NO_PROVIDER = '(none)';

export async function toolCallStats(ctx: DomainContext, environmentId: string, filter: ToolCallLogFilter, window: StatsWindow): Promise<CallStats> {
  const span = window.to.getTime() - window.from.getTime();
  const count = Math.ceil(span / (window.bucketSeconds * 1000));
  if (span <= 0 || count > MAX_BUCKETS) throw new Error(`a stats window needs 1..${MAX_BUCKETS} buckets, not ${count}`);
  // Calls this replica made a moment ago are still in the batch: write them first.
  await ctx.tools.callLog.flush();
  const rows = await ctx.store.toolCalls.countByBucket(environmentId, filter, window);
  const buckets = Array.from({ length: count }, (_, i) => new Date(window.from.getTime() + i * window.bucketSeconds * 1000));
  const zeros = () => new Array<number>(count).fill(0);
  const series = new Map<string, { executions: number[]; failed: number[]; providerErrors: number; platformErrors: number }>();
  const tiers = { provider: zeros(), platform: zeros() };
  for (const row of rows) {
    const index = Math.round((row.bucketStart.getTime() - window.from.getTime()) / (window.bucketSeconds * 1000));
    if (index < 0 || index >= count) continue;
    const key = row.provider ?? NO_PROVIDER;
    let s = series.get(key);
    if (s === undefined) series.set(key, (s = { executions: zeros(), failed: zeros(), providerErrors: 0, platformErrors: 0 }));
    s.executions[index] = (s.executions[index] ?? 0) + row.count;
    if (row.status !== 'FAILED') continue;
    s.failed[index] = (s.failed[index] ?? 0) + row.count;
    const tier = row.errorTier ?? 'platform';
    tiers[tier][index] = (tiers[tier][index] ?? 0) + row.count;
    if (tier === 'provider') s.providerErrors += row.count;
    else s.platformErrors += row.count;
  }
  const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
  const connectors = [...series]
    .map(([provider, s]) => ({ provider, ...s, total: sum(s.executions), totalFailed: sum(s.failed) }))
    .sort((a, b) => b.total - a.total || a.provider.localeCompare(b.provider));
  return {
    buckets,
    bucketSeconds: window.bucketSeconds,
    connectors,
    errorsByTier: tiers,
    totals: {
      executions: sum(connectors.map((c) => c.total)),
      failed: sum(connectors.map((c) => c.totalFailed)),
      providerErrors: sum(tiers.provider),
      platformErrors: sum(tiers.platform),
    },
  };
}
