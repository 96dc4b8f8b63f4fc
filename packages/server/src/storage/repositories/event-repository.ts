/** @module The event log (audit trail and, later, webhook source). */
import type { Kysely } from 'kysely';
import type { EventFilter, EventRepository } from '../../domain/ports.ts';
import type { Database } from '../database.ts';
import { applyWindow, finishWindow } from './paging.ts';
import { eventFromRow } from './rows.ts';

export function eventRepository(db: Kysely<Database>): EventRepository {
  const filtered = (environmentId: string, filter: EventFilter) => {
    let q = db.selectFrom('events').where('environment_id', '=', environmentId);
    if (filter.types !== undefined && filter.types.length > 0) q = q.where('type', 'in', [...filter.types]);
    if (filter.connectedAccountId !== undefined) q = q.where('connected_account_id', '=', filter.connectedAccountId);
    if (filter.connectionId !== undefined) q = q.where('connection_id', '=', filter.connectionId);
    if (filter.connectionName !== undefined) q = q.where('connection_name', '=', filter.connectionName);
    if (filter.from !== undefined) q = q.where('occurred_at', '>=', filter.from);
    if (filter.to !== undefined) q = q.where('occurred_at', '<', filter.to);
    return q;
  };
  return {
    async insert(e) {
      await db
        .insertInto('events')
        .values({
          id: e.id,
          environment_id: e.environmentId,
          type: e.type,
          object: e.object,
          connected_account_id: e.connectedAccountId,
          connection_id: e.connectionId,
          connection_name: e.connectionName,
          occurred_at: e.occurredAt,
          data: JSON.stringify(e.data),
        })
        .execute();
    },
    async list(environmentId, filter, window) {
      const rows = await applyWindow(filtered(environmentId, filter).selectAll(), 'id', window, true).execute();
      return finishWindow(rows, window).map(eventFromRow);
    },
    async count(environmentId, filter) {
      const row = await filtered(environmentId, filter).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}
