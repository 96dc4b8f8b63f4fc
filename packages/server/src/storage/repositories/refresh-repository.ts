/** @module Refresh leases and history. The lease is a conditional UPDATE: race-free on PGlite and PostgreSQL alike. */
import { sql, type Kysely } from 'kysely';
import type { RefreshAttempt, RefreshOutcome, RefreshRepository, RefreshTrigger } from '../../domain/ports.ts';
import type { Database } from '../database.ts';
import { applyWindow, finishWindow } from './paging.ts';
import { toDate, toDateOrNull } from './rows.ts';

export function refreshRepository(db: Kysely<Database>): RefreshRepository {
  return {
    async acquireLease(accountId, owner, leaseMs) {
      const result = await db
        .updateTable('connected_accounts')
        .set({ refresh_lease_owner: owner, refresh_lease_until: sql<Date>`now() + ${`${leaseMs} milliseconds`}::interval` })
        .where('id', '=', accountId)
        .where((eb) => eb.or([eb('refresh_lease_until', 'is', null), eb('refresh_lease_until', '<', sql<Date>`now()`)]))
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async releaseLease(accountId, owner) {
      await db
        .updateTable('connected_accounts')
        .set({ refresh_lease_owner: null, refresh_lease_until: null })
        .where('id', '=', accountId)
        .where('refresh_lease_owner', '=', owner)
        .execute();
    },
    async leaseHeld(accountId) {
      const row = await db
        .selectFrom('connected_accounts')
        .select(sql<boolean>`refresh_lease_until is not null and refresh_lease_until >= now()`.as('held'))
        .where('id', '=', accountId)
        .executeTakeFirst();
      return row?.held === true;
    },
    async state(accountId) {
      const row = await db
        .selectFrom('connected_accounts')
        .select(['refresh_failures', 'refresh_cooldown_until', 'last_refreshed_at'])
        .where('id', '=', accountId)
        .executeTakeFirst();
      if (row === undefined) return undefined;
      return { failures: row.refresh_failures, cooldownUntil: toDateOrNull(row.refresh_cooldown_until), lastRefreshedAt: toDateOrNull(row.last_refreshed_at) };
    },
    async setState(accountId, state) {
      await db
        .updateTable('connected_accounts')
        .set({ refresh_failures: state.failures, refresh_cooldown_until: state.cooldownUntil, last_refreshed_at: state.lastRefreshedAt })
        .where('id', '=', accountId)
        .execute();
    },
    async insertAttempt(a) {
      await db
        .insertInto('refresh_attempts')
        .values({
          id: a.id,
          environment_id: a.environmentId,
          connected_account_id: a.connectedAccountId,
          trigger: a.trigger,
          outcome: a.outcome,
          reason: a.reason,
          duration_ms: a.durationMs,
          started_at: a.startedAt,
        })
        .execute();
    },
    async listAttempts(environmentId, accountId, window) {
      const query = db.selectFrom('refresh_attempts').selectAll().where('environment_id', '=', environmentId).where('connected_account_id', '=', accountId);
      const rows = finishWindow(await applyWindow(query, 'id', window, true).execute(), window);
      return rows.map(
        (r): RefreshAttempt => ({
          id: r.id,
          environmentId: r.environment_id,
          connectedAccountId: r.connected_account_id,
          trigger: r.trigger as RefreshTrigger,
          outcome: r.outcome as RefreshOutcome,
          reason: r.reason,
          durationMs: r.duration_ms,
          startedAt: toDate(r.started_at),
        }),
      );
    },
    async listDue({ expiringBefore, idleSince, now, limit }) {
      const rows = await db
        .selectFrom('connected_accounts')
        .select(['id', 'environment_id'])
        .where('status', '=', 'ACTIVE')
        .where('authorization_type', '=', 'OAUTH')
        .where('credentials_sealed', 'is not', null)
        .where((eb) => eb.or([eb('refresh_cooldown_until', 'is', null), eb('refresh_cooldown_until', '<', now)]))
        .where((eb) => eb.or([eb('refresh_lease_until', 'is', null), eb('refresh_lease_until', '<', sql<Date>`now()`)]))
        .where((eb) =>
          eb.or([
            eb('token_expires_at', '<', expiringBefore),
            eb.and([eb('last_refreshed_at', 'is', null), eb('created_at', '<', idleSince)]),
            eb('last_refreshed_at', '<', idleSince),
          ]),
        )
        .orderBy('token_expires_at')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ id: r.id, environmentId: r.environment_id }));
    },
  };
}
