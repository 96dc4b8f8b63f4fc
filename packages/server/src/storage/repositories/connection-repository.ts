/** @module Connections. */
import type { Kysely } from 'kysely';
import type { ConnectionRepository } from '../../domain/ports.ts';
import type { Database } from '../database.ts';
import { applyWindow, finishWindow } from './paging.ts';
import { connectionFromRow, connectionToRow, mapUnique } from './rows.ts';

export function connectionRepository(db: Kysely<Database>): ConnectionRepository {
  const scoped = (environmentId: string, filter: { provider?: string }) => {
    let q = db.selectFrom('connections').where('environment_id', '=', environmentId);
    if (filter.provider !== undefined) q = q.where('provider', '=', filter.provider);
    return q;
  };
  return {
    async insert(c) {
      await mapUnique(db.insertInto('connections').values(connectionToRow(c)).execute());
    },
    async findById(environmentId, id) {
      const row = await db.selectFrom('connections').selectAll().where('environment_id', '=', environmentId).where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : connectionFromRow(row);
    },
    async findByName(environmentId, name) {
      const row = await db.selectFrom('connections').selectAll().where('environment_id', '=', environmentId).where('name', '=', name).executeTakeFirst();
      return row === undefined ? undefined : connectionFromRow(row);
    },
    async findByNames(environmentId, names) {
      if (names.length === 0) return [];
      const rows = await db.selectFrom('connections').selectAll().where('environment_id', '=', environmentId).where('name', 'in', [...names]).execute();
      return rows.map(connectionFromRow);
    },
    async findByIds(environmentId, ids) {
      if (ids.length === 0) return [];
      const rows = await db.selectFrom('connections').selectAll().where('environment_id', '=', environmentId).where('id', 'in', [...ids]).execute();
      return rows.map(connectionFromRow);
    },
    async list(environmentId, filter, window) {
      const rows = await applyWindow(scoped(environmentId, filter).selectAll(), 'id', window).execute();
      return finishWindow(rows, window).map(connectionFromRow);
    },
    async count(environmentId, filter) {
      const row = await scoped(environmentId, filter).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async update(c) {
      const { id, environment_id, created_at, ...changes } = connectionToRow(c);
      void created_at;
      await mapUnique(db.updateTable('connections').set(changes).where('environment_id', '=', environment_id).where('id', '=', id).execute());
    },
    async delete(environmentId, id) {
      await db.deleteFrom('connections').where('environment_id', '=', environmentId).where('id', '=', id).execute();
    },
    async countAccounts(connectionId) {
      const row = await db
        .selectFrom('connected_accounts')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('connection_id', '=', connectionId)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}
