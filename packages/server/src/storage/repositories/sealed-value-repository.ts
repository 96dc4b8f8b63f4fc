/**
 * @module Sealed values of any table, for key rotation and the start-up key check.
 *
 * A field `F` of table `T` (the vault context's names) lives in column `T.F_sealed`: every sealed
 * column follows that convention, so a new sealed column needs only a line in the domain's list.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { SealedField, SealedValueRepository } from '../../domain/ports.ts';
import type { Database } from '../database.ts';

const NAME = /^[a-z][a-z0-9_]{0,62}$/;

/** The table and column of a field, as SQL identifiers (names are checked: they become identifiers, not parameters). */
function target(field: SealedField): { table: RawBuilder<unknown>; column: RawBuilder<unknown> } {
  if (!NAME.test(field.table) || !NAME.test(field.field)) throw new Error(`not a sealed field name: ${field.table}.${field.field}`);
  return { table: sql.table(field.table), column: sql.ref(`${field.field}_sealed`) };
}

/** The key version of a ciphertext `v1.<version>.<iv>.<tag>.<body>`, in SQL. */
const versionOf = (column: RawBuilder<unknown>) => sql<string>`split_part(${column}, '.', 2)`;

export function sealedValueRepository(db: Kysely<Database>): SealedValueRepository {
  return {
    async countByVersion(field) {
      const { table, column } = target(field);
      const result = await sql<{ version: string; n: number | string }>`
        select ${versionOf(column)} as version, count(*) as n from ${table} where ${column} is not null group by 1
      `.execute(db);
      return result.rows.map((row) => ({ version: row.version, count: Number(row.n) }));
    },
    async listNotOnVersion(field, version, window) {
      const { table, column } = target(field);
      const after = window.after === undefined ? sql`` : sql`and id > ${window.after}`;
      const result = await sql<{ id: string; sealed: string }>`
        select id, ${column} as sealed from ${table}
        where ${column} is not null and ${versionOf(column)} <> ${String(version)} ${after}
        order by id limit ${window.limit}
      `.execute(db);
      return result.rows;
    },
    async replace(field, changes) {
      if (changes.length === 0) return [];
      const { table, column } = target(field);
      // One statement per batch; the old ciphertext in the WHERE is the compare-and-set.
      const values = sql.join(changes.map((c) => sql`(${c.id}::text, ${c.from}::text, ${c.to}::text)`));
      const result = await sql<{ id: string }>`
        update ${table} as t set ${column} = v.sealed_to
        from (values ${values}) as v (id, sealed_from, sealed_to)
        where t.id = v.id and t.${column} = v.sealed_from
        returning t.id
      `.execute(db);
      return result.rows.map((row) => row.id);
    },
  };
}
