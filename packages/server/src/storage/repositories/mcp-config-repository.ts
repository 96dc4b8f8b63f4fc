/** @module MCP configs (virtual MCP servers). */
import type { Kysely, Selectable } from 'kysely';
import type { McpConfig, McpConfigFilter, McpConfigRepository, ToolMapping } from '../../domain/mcp/mcp-port.ts';
import type { Database, McpConfigsTable } from '../database.ts';
import { applyWindow, finishWindow } from './paging.ts';
import { mapUnique, toDate } from './rows.ts';

/** The JSON column keeps the wire's snake_case, as a developer reading the table expects. */
type StoredMapping = { connection_name: string; tools: string[] };

function configFromRow(row: Selectable<McpConfigsTable>): McpConfig {
  return {
    id: row.id,
    environmentId: row.environment_id,
    name: row.name,
    description: row.description,
    mappings: row.connection_tool_mappings.map((m): ToolMapping => ({ connectionName: m.connection_name, tools: m.tools })),
    userVerifyUrl: row.user_verify_url,
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
}

const mappingsJson = (mappings: readonly ToolMapping[]) => JSON.stringify(mappings.map((m): StoredMapping => ({ connection_name: m.connectionName, tools: [...m.tools] })));

/** `%`, `_` and `\` are LIKE wildcards: a search text matches itself only. */
const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export function mcpConfigRepository(db: Kysely<Database>): McpConfigRepository {
  const scoped = (environmentId: string, filter: McpConfigFilter) => {
    let q = db.selectFrom('mcp_configs').where('environment_id', '=', environmentId);
    if (filter.name !== undefined) q = q.where('name', '=', filter.name.toLowerCase());
    if (filter.search !== undefined) q = q.where('name', 'like', `${escapeLike(filter.search.toLowerCase())}%`);
    return q;
  };
  return {
    async insert(c) {
      await mapUnique(
        db
          .insertInto('mcp_configs')
          .values({
            id: c.id,
            environment_id: c.environmentId,
            name: c.name,
            description: c.description,
            connection_tool_mappings: mappingsJson(c.mappings),
            user_verify_url: c.userVerifyUrl,
            created_at: c.createdAt,
            updated_at: c.updatedAt,
          })
          .execute(),
      );
    },
    async find(environmentId, id) {
      const row = await db.selectFrom('mcp_configs').selectAll().where('environment_id', '=', environmentId).where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : configFromRow(row);
    },
    async list(environmentId, filter, window) {
      const rows = await applyWindow(scoped(environmentId, filter).selectAll(), 'id', window).execute();
      return finishWindow(rows, window).map(configFromRow);
    },
    async count(environmentId, filter) {
      const row = await scoped(environmentId, filter).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async update(c) {
      const result = await db
        .updateTable('mcp_configs')
        .set({ description: c.description, connection_tool_mappings: mappingsJson(c.mappings), user_verify_url: c.userVerifyUrl, updated_at: c.updatedAt })
        .where('environment_id', '=', c.environmentId)
        .where('id', '=', c.id)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async delete(environmentId, id) {
      const result = await db.deleteFrom('mcp_configs').where('environment_id', '=', environmentId).where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}
