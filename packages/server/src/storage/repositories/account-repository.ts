/** @module Connected accounts. */
import { sql, type CompiledQuery, type Kysely } from 'kysely';
import type { AccountFilter, AccountRepository } from '../../domain/ports.ts';
import type { Database } from '../database.ts';
import type { PreparedQuery } from '../open-database.ts';
import { applyWindow, finishWindow } from './paging.ts';
import { accountFromRow, accountToRow, connectionFromRow, mapUnique } from './rows.ts';

/** LIKE treats % and _ as wildcards; a user's query is matched literally. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * `prepared`: the pool's named prepared statements (PostgreSQL outside a transaction). The cache-miss
 * lookup of every tool call then skips Kysely's driver and the server's parse and plan of the join.
 */
export function accountRepository(db: Kysely<Database>, prepared?: PreparedQuery): AccountRepository {
  const filtered = (environmentId: string, filter: AccountFilter) => {
    let q = db
      .selectFrom('connected_accounts as a')
      .innerJoin('connections as c', 'c.id', 'a.connection_id')
      .where('a.environment_id', '=', environmentId);
    if (filter.connectionIds !== undefined) {
      q = filter.connectionIds.length === 0 ? q.where(sql<boolean>`false`) : q.where('a.connection_id', 'in', [...filter.connectionIds]);
    }
    if (filter.provider !== undefined) q = q.where('c.provider', '=', filter.provider);
    if (filter.identifier !== undefined) q = q.where('a.identifier', '=', filter.identifier);
    if (filter.status !== undefined) q = q.where('a.status', '=', filter.status);
    if (filter.organizationId !== undefined) q = q.where('a.organization_id', '=', filter.organizationId);
    if (filter.userId !== undefined) q = q.where('a.user_id', '=', filter.userId);
    if (filter.query !== undefined) {
      const pattern = likePattern(filter.query);
      q = q.where((eb) =>
        eb.or([eb('a.identifier', 'ilike', pattern), eb('c.name', 'ilike', pattern), eb('c.provider', 'ilike', pattern)]),
      );
    }
    return q;
  };
  const withConnectionQuery = db
    .selectFrom('connected_accounts as a')
    .innerJoin('connections as c', 'c.id', 'a.connection_id')
    // The columns accountFromRow reads (listed, not a.*: a prepared statement must not change shape
    // when a migration adds a column while the process runs).
    .select([
      'a.id',
      'a.environment_id',
      'a.connection_id',
      'a.identifier',
      'a.organization_id',
      'a.user_id',
      'a.status',
      'a.authorization_type',
      'a.credentials_sealed',
      'a.scopes',
      'a.token_expires_at',
      'a.api_config',
      'a.version',
      'a.created_at',
      'a.updated_at',
      'a.last_used_at',
      'c.name as c_name',
      'c.provider as c_provider',
      'c.type as c_type',
      'c.enabled as c_enabled',
      'c.oauth_config as c_oauth_config',
      'c.client_secret_sealed as c_client_secret_sealed',
      'c.api_config as c_api_config',
      'c.created_at as c_created_at',
      'c.updated_at as c_updated_at',
    ])
    .where('a.environment_id', '=', '$environment')
    .where('a.id', '=', '$id')
    .compile();
  type WithConnectionRow = typeof withConnectionQuery extends CompiledQuery<infer R> ? R : never;
  return {
    async insert(a) {
      await mapUnique(db.insertInto('connected_accounts').values(accountToRow(a)).execute());
    },
    async findById(environmentId, id) {
      const row = await db.selectFrom('connected_accounts').selectAll().where('environment_id', '=', environmentId).where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : accountFromRow(row);
    },
    async findWithConnection(environmentId, id) {
      // The cache-miss path of every tool call: built and compiled once, then run with new parameters.
      const row =
        prepared === undefined
          ? (await db.executeQuery<WithConnectionRow>({ ...withConnectionQuery, parameters: [environmentId, id] })).rows[0]
          : (await prepared<WithConnectionRow>({ name: 'agentgate_account_with_connection', text: withConnectionQuery.sql, values: [environmentId, id] }))[0];
      if (row === undefined) return undefined;
      const connection = connectionFromRow({
        id: row.connection_id,
        environment_id: row.environment_id,
        name: row.c_name,
        provider: row.c_provider,
        type: row.c_type,
        enabled: row.c_enabled,
        oauth_config: row.c_oauth_config,
        client_secret_sealed: row.c_client_secret_sealed,
        api_config: row.c_api_config,
        created_at: row.c_created_at,
        updated_at: row.c_updated_at,
      });
      return { account: accountFromRow(row), connection };
    },
    async findByKey(environmentId, key) {
      const row = await db
        .selectFrom('connected_accounts')
        .selectAll()
        .where('environment_id', '=', environmentId)
        .where('connection_id', '=', key.connectionId)
        .where('identifier', '=', key.identifier)
        .where('organization_id', '=', key.organizationId)
        .where('user_id', '=', key.userId)
        .executeTakeFirst();
      return row === undefined ? undefined : accountFromRow(row);
    },
    async list(environmentId, filter, window) {
      const rows = await applyWindow(filtered(environmentId, filter).selectAll('a'), 'a.id', window).execute();
      return finishWindow(rows, window).map(accountFromRow);
    },
    async count(environmentId, filter) {
      const row = await filtered(environmentId, filter).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async update(a) {
      const { id, environment_id, created_at, ...changes } = accountToRow(a);
      void created_at;
      const result = await mapUnique(
        db
          .updateTable('connected_accounts')
          .set(changes)
          .where('environment_id', '=', environment_id)
          .where('id', '=', id)
          .where('version', '=', a.version - 1)
          .executeTakeFirst(),
      );
      return Number(result.numUpdatedRows) === 1;
    },
    async delete(environmentId, id) {
      await db.deleteFrom('connected_accounts').where('environment_id', '=', environmentId).where('id', '=', id).execute();
    },
  };
}
