/**
 * @module One user's tools as a list to hand to an LLM: vendor shapes (see llm-formats.ts) plus an
 * `accounts` map from the name the model will call to the catalog tool and the connected account
 * to run it as. The map is what turns a model's tool call into `POST /api/v1/execute_tool`.
 *
 * A user may hold two accounts of one connector (two Gmail connections): the tool then appears
 * once per account, and the model must tell them apart, so those names get the connection name as
 * a suffix (`gmail_send_email__gmail_work`) and the description says which account it acts as.
 * When that suffix still clashes (two accounts on one connection, one organization- or user-scoped;
 * connection names that sanitize alike), each clashing name also gets its account id's tail.
 * Names are decided over the whole list before paging, so a name never changes between pages.
 */
import type { ToolDefinition } from '../../catalog/tool-schema.ts';
import { OPENAI_NAME_MAX, toLlmTool, vendorName, type AnthropicTool, type LlmFormat, type McpTool, type OpenAiTool } from './llm-formats.ts';

export interface ScopedToolEntry {
  readonly tool: ToolDefinition;
  readonly connectedAccountId: string;
  readonly connectionName: string;
}

/** What the model's call of one name runs. */
export interface ToolBinding {
  readonly tool_name: string;
  readonly connected_account_id: string;
  readonly connection_name: string;
}

export interface BoundLlmTool {
  /** The name the model sees and calls (the catalog name unless disambiguated). */
  readonly name: string;
  readonly definition: OpenAiTool | AnthropicTool | McpTool;
  readonly binding: ToolBinding;
}

/**
 * Every entry in `format`, named uniquely. The tightest vendor limit (OpenAI's 64 characters)
 * bounds every format's names so one `accounts` map serves whichever format an agent asked for.
 */
export function bindLlmTools(entries: readonly ScopedToolEntry[], format: LlmFormat): BoundLlmTool[] {
  const counts = new Map<string, number>();
  for (const entry of entries) counts.set(entry.tool.name, (counts.get(entry.tool.name) ?? 0) + 1);
  const named = entries.map((entry) => {
    const shared = (counts.get(entry.tool.name) ?? 0) > 1;
    return { entry, shared, name: shared ? accountToolName(entry.tool.name, entry.connectionName, entry.connectedAccountId) : entry.tool.name };
  });
  // The connection suffix alone can still collide: two accounts of one identifier on one connection
  // (one organization- or user-scoped), or connection names that sanitize alike (gmail.work, gmail_work).
  // A duplicate would bind the name to one account only, so every member of a clash gets its account's tail.
  const uses = new Map<string, number>();
  for (const { name } of named) uses.set(name, (uses.get(name) ?? 0) + 1);
  return named.map(({ entry, shared, name: candidate }) => {
    const clash = (uses.get(candidate) ?? 0) > 1;
    const name = clash ? withAccountTail(candidate, entry.connectedAccountId) : candidate;
    const account = clash ? `"${entry.connectionName}" account ${entry.connectedAccountId}` : `"${entry.connectionName}" account`;
    const description = shared ? `${entry.tool.description} (Acts as the user's ${account}.)` : entry.tool.description;
    return {
      name,
      definition: toLlmTool({ ...entry.tool, name, description }, format),
      binding: { tool_name: entry.tool.name, connected_account_id: entry.connectedAccountId, connection_name: entry.connectionName },
    };
  });
}

const TAIL_LENGTH = 10;
const accountTail = (connectedAccountId: string) => vendorName(connectedAccountId.slice(-TAIL_LENGTH), TAIL_LENGTH);

/** `<tool>__<connection>`; when that is too long, `<tool cut>__<account id tail>` (still unique per account). */
export function accountToolName(toolName: string, connectionName: string, connectedAccountId: string): string {
  const full = vendorName(`${toolName}__${connectionName}`, Number.MAX_SAFE_INTEGER);
  if (full.length <= OPENAI_NAME_MAX) return full;
  const tail = accountTail(connectedAccountId);
  return `${toolName.slice(0, OPENAI_NAME_MAX - tail.length - 2)}__${tail}`;
}

/** `<name>_<account id tail>`, cut to fit 64 characters; the tail (random per account) is what keeps it unique. */
function withAccountTail(name: string, connectedAccountId: string): string {
  const tail = accountTail(connectedAccountId);
  if (name.endsWith(`__${tail}`)) return name; // already the per-account form
  return `${name.slice(0, OPENAI_NAME_MAX - tail.length - 1)}_${tail}`;
}
