/**
 * @module The background refresher: tokens are refreshed ahead of expiry, and idle grants are kept
 * alive. Every replica runs it; the per-account lease makes them share the work instead of repeating it.
 */
import type { DomainContext } from '../context.ts';
import { needsRefresh, refreshAccount } from './refresh.ts';

export interface SweepReport {
  readonly due: number;
  readonly refreshed: number;
  readonly failed: number;
}

/** One pass: finds due accounts and refreshes them, `concurrency` at a time. Failures are counted, not thrown. */
export async function runRefreshSweep(ctx: DomainContext, options: { limit?: number; concurrency?: number } = {}): Promise<SweepReport> {
  const now = ctx.clock();
  // Jitter the horizon so replicas (and accounts minted together) do not all refresh in the same second.
  const margin = ctx.refresh.marginSeconds * 1000 * (1 + Math.random() * 0.2);
  const idleSince = new Date(now.getTime() - ctx.refresh.keepAliveDays * 86_400_000);
  const due = await ctx.store.refresh.listDue({
    expiringBefore: new Date(now.getTime() + margin),
    idleSince,
    now,
    limit: options.limit ?? 200,
  });
  let refreshed = 0;
  let failed = 0;
  const queue = [...due];
  const worker = async () => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      try {
        const view = await ctx.store.accounts.findWithConnection(next.environmentId, next.id);
        if (view === undefined) continue;
        const expiring = needsRefresh(ctx, view.account) || (view.account.tokenExpiresAt !== null && view.account.tokenExpiresAt.getTime() < now.getTime() + margin);
        if (!expiring) {
          // Listed as due, but another replica (or a caller) may have refreshed it since: keep alive only a grant still idle.
          const lastRefreshedAt = (await ctx.store.refresh.state(next.id))?.lastRefreshedAt ?? view.account.createdAt;
          if (lastRefreshedAt.getTime() >= idleSince.getTime()) continue;
        }
        // Someone else is refreshing it right now: leave it to them and take the next one, so replicas share the list.
        if (await ctx.store.refresh.leaseHeld(next.id)) continue;
        await refreshAccount(ctx, next.environmentId, next.id, { trigger: expiring ? 'background' : 'keep_alive', force: true });
        refreshed++;
      } catch {
        failed++; // recorded in the account's refresh history; the next pass or a caller tries again
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
  return { due: due.length, refreshed, failed };
}
