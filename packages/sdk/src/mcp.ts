/**
 * @module mcp — client of `/api/v1/mcp/configs`: virtual MCP servers (a named set of connection →
 * tools mappings served at one URL), session tokens that let an MCP client use one as one end user,
 * and that user's account states on it.
 */

import type { Transport } from './transport.js'
import type { ConnectedAccountStatus, PageInfo } from './types.js'
import { fromWire, required, segment, toQuery, toWire, withPageInfo } from './wire.js'

const BASE = '/api/v1/mcp/configs'

/** One connection the server exposes, and which of its tools (empty: every tool of its connector). */
export interface McpToolMapping {
  connectionName: string
  tools: string[]
}

/** A virtual MCP server. Give an MCP client its `mcpServerUrl` and a session token from {@link McpClient.createToken}. */
export interface McpConfig {
  /** `cfg_…` */
  id: string
  /** Lower-case letters, digits, `-` and `_`; unique in the environment; never changes. */
  name: string
  description: string
  connectionToolMappings: McpToolMapping[]
  /** Where authorization links minted for this server send the browser for user verification. */
  userVerifyUrl: string | null
  /** The Streamable HTTP endpoint (`Authorization: Bearer <session token>`). */
  mcpServerUrl: string
  createdAt: string
  updatedAt: string
}

/** Input of {@link McpClient.createConfig}. */
export interface McpConfigInput {
  name: string
  description?: string | undefined
  /** 1–25 mappings; `tools` left out or empty exposes every tool of the connection's connector. */
  connectionToolMappings: { connectionName: string; tools?: string[] | undefined }[]
  /** Needed for authorization links when the environment verifies users (the default). */
  userVerifyUrl?: string | undefined
}

/** Input of {@link McpClient.updateConfig}: fields left out keep their value; the name never changes. */
export interface McpConfigUpdate {
  description?: string | undefined
  connectionToolMappings?: McpConfigInput['connectionToolMappings'] | undefined
  /** `null` removes it. */
  userVerifyUrl?: string | null | undefined
}

/** Filters of {@link McpClient.listConfigs}. */
export interface ListMcpConfigsParams {
  /** Exact name (case-insensitive). */
  name?: string | undefined
  /** Names starting with this text. */
  search?: string | undefined
  /** 1–30, default 30. */
  pageSize?: number | undefined
  pageToken?: string | undefined
}

/** A page of configs, oldest first. */
export interface McpConfigPage extends PageInfo {
  configs: McpConfig[]
}

/** Input of {@link McpClient.createToken}. */
export interface CreateMcpTokenParams {
  /** The end user the MCP client acts as: every tool call uses this user's accounts only. */
  identifier: string
  /** Lifetime in seconds (60 to 86 400), or a duration such as `'3600s'`. Default 3600. */
  expiry?: number | string | undefined
}

/** A session token (RS256 JWT, verifiable with the gateway's JWKS at `/keys`). */
export interface McpSessionToken {
  token: string
  expiresAt: string
  mcpServerUrl: string
}

/** Input of {@link McpClient.connectedAccounts}. */
export interface McpConnectedAccountsParams {
  identifier: string
  /** Mint an authorization link for every mapping that is not ACTIVE (creating missing accounts in `PENDING_AUTH`). */
  includeAuthLink?: boolean | undefined
  /** For the links; default the config's `userVerifyUrl`. */
  userVerifyUrl?: string | undefined
}

/** One mapping's account for one user. */
export interface McpAccountState {
  connectionName: string
  /** Null when the mapped connection no longer exists. */
  connectionId: string | null
  provider: string | null
  /** Null when the user has no account on the connection. */
  connectedAccountId: string | null
  connectedAccountStatus: ConnectedAccountStatus | null
  authenticationLink: string | null
  authenticationLinkExpiresAt: string | null
}

/**
 * Manages virtual MCP servers.
 *
 * @example
 * ```ts
 * const config = await client.mcp.createConfig({ name: 'support-agent', connectionToolMappings: [{ connectionName: 'gmail', tools: ['gmail_fetch_mails'] }] })
 * const { token, mcpServerUrl } = await client.mcp.createToken(config.id, { identifier: 'user_42' })
 * // give mcpServerUrl and `Authorization: Bearer ${token}` to the MCP client
 * ```
 */
export class McpClient {
  readonly #transport: Transport

  constructor(transport: Transport) {
    this.#transport = transport
  }

  /**
   * Creates a config; every mapped connection and tool must exist.
   *
   * @example
   * ```ts
   * const config = await client.mcp.createConfig({ name: 'mail', connectionToolMappings: [{ connectionName: 'gmail' }] })
   * ```
   */
  async createConfig(input: McpConfigInput): Promise<McpConfig> {
    return configOf(await this.#transport.json({ method: 'POST', path: BASE, json: { config: toWire(input) } }))
  }

  /**
   * Lists configs, oldest first.
   *
   * @example
   * ```ts
   * const { configs } = await client.mcp.listConfigs({ search: 'support' })
   * ```
   */
  async listConfigs(params: ListMcpConfigsParams = {}): Promise<McpConfigPage> {
    const body = await this.#transport.json({ method: 'GET', path: BASE, query: toQuery(params) })
    return withPageInfo({ configs: [], ...fromWire<Partial<McpConfigPage>>(body) })
  }

  /**
   * Reads one config (`NotFoundError` for an unknown id or one of another environment).
   *
   * @example
   * ```ts
   * const config = await client.mcp.getConfig('cfg_…')
   * ```
   */
  async getConfig(id: string): Promise<McpConfig> {
    return configOf(await this.#transport.json({ method: 'GET', path: pathOf(id) }))
  }

  /**
   * Changes the description, mappings or user verification URL.
   *
   * @example
   * ```ts
   * await client.mcp.updateConfig('cfg_…', { description: 'Mail only' })
   * ```
   */
  async updateConfig(id: string, patch: McpConfigUpdate): Promise<McpConfig> {
    return configOf(await this.#transport.json({ method: 'PUT', path: pathOf(id), json: { config: toWire(patch) } }))
  }

  /**
   * Deletes a config; its URL and every session token for it stop working at once.
   *
   * @example
   * ```ts
   * await client.mcp.deleteConfig('cfg_…')
   * ```
   */
  async deleteConfig(id: string): Promise<void> {
    await this.#transport.json({ method: 'DELETE', path: pathOf(id) })
  }

  /**
   * Mints a session token for one end user.
   *
   * @example
   * ```ts
   * const { token, expiresAt } = await client.mcp.createToken('cfg_…', { identifier: 'user_42', expiry: 900 })
   * ```
   */
  async createToken(configId: string, params: CreateMcpTokenParams): Promise<McpSessionToken> {
    const json = { identifier: required(params.identifier, 'identifier'), ...(params.expiry === undefined ? {} : { expiry: params.expiry }) }
    return fromWire<McpSessionToken>(await this.#transport.json({ method: 'POST', path: `${pathOf(configId)}/tokens`, json }))
  }

  /**
   * One user's account on each mapping, with authorization links when asked.
   *
   * @example
   * ```ts
   * const accounts = await client.mcp.connectedAccounts('cfg_…', { identifier: 'user_42', includeAuthLink: true })
   * const missing = accounts.filter((a) => a.connectedAccountStatus !== 'ACTIVE')
   * ```
   */
  async connectedAccounts(configId: string, params: McpConnectedAccountsParams): Promise<McpAccountState[]> {
    const json = toWire({ ...params, identifier: required(params.identifier, 'identifier') })
    const body = await this.#transport.json({ method: 'POST', path: `${pathOf(configId)}/connected_accounts`, json })
    return fromWire<{ connectedAccounts?: McpAccountState[] }>(body).connectedAccounts ?? []
  }
}

function pathOf(id: string): string {
  return `${BASE}/${segment(id, 'id')}`
}

function configOf(body: unknown): McpConfig {
  return fromWire<{ config: McpConfig }>(body).config
}
