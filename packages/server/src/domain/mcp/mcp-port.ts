/**
 * @module MCP configs ("virtual MCP servers", reference §1.9) and their storage port. Kept beside the
 * MCP domain (and reached through `Store.mcpConfigs` in ports.ts) so the feature's storage contract
 * reads in one place.
 */
import type { PageWindow } from '../ports.ts';

/** One connection the server exposes, and which of its tools (empty: every tool of its connector). */
export interface ToolMapping {
  readonly connectionName: string;
  readonly tools: readonly string[];
}

export interface McpConfig {
  readonly id: string;
  readonly environmentId: string;
  /** `[a-z0-9_-]{1,100}`, unique in the environment, never changed after creation. */
  readonly name: string;
  readonly description: string;
  readonly mappings: readonly ToolMapping[];
  /**
   * Where authorization links minted for this server send the browser for user verification
   * (environments with `user_verification: custom` need one; an MCP client cannot pass it).
   */
  readonly userVerifyUrl: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface McpConfigFilter {
  /** Exact name (names are lower case, so this is case-insensitive for any input). */
  readonly name?: string | undefined;
  /** Names that start with this text. */
  readonly search?: string | undefined;
}

export interface McpConfigRepository {
  /** Throws `UniqueViolation` when the environment has a config of that name. */
  insert(config: McpConfig): Promise<void>;
  find(environmentId: string, id: string): Promise<McpConfig | undefined>;
  list(environmentId: string, filter: McpConfigFilter, window: PageWindow): Promise<McpConfig[]>;
  count(environmentId: string, filter: McpConfigFilter): Promise<number>;
  /** Writes description, mappings, user_verify_url and updated_at; false when the config is gone. */
  update(config: McpConfig): Promise<boolean>;
  delete(environmentId: string, id: string): Promise<boolean>;
}
