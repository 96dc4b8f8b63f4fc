/**
 * @module settings — client of the environment settings, `/api/v1/settings`.
 */

import type { Transport } from './transport.js'
import type { Settings } from './types.js'
import { fromWire, toWire } from './wire.js'

/**
 * Reads and changes the environment's settings.
 *
 * @example
 * ```ts
 * const settings = await client.settings.get()
 * if (!settings.tokenRetrievalEnabled) await client.settings.update({ tokenRetrievalEnabled: true })
 * ```
 */
export class SettingsClient {
  readonly #transport: Transport

  constructor(transport: Transport) {
    this.#transport = transport
  }

  /**
   * Reads the settings.
   *
   * @example
   * ```ts
   * const { allowedRedirectOrigins } = await client.settings.get()
   * ```
   */
  async get(): Promise<Settings> {
    return settingsOf(await this.#transport.json({ method: 'GET', path: '/api/v1/settings' }))
  }

  /**
   * Changes any subset of the settings and returns the result.
   *
   * @example
   * ```ts
   * await client.settings.update({ allowedRedirectOrigins: ['https://app.example.com'] })
   * ```
   */
  async update(patch: Partial<Settings>): Promise<Settings> {
    return settingsOf(await this.#transport.json({ method: 'PATCH', path: '/api/v1/settings', json: toWire(patch) }))
  }
}

// docs/api.md wraps the GET answer in `settings` and calls the PATCH answer "the new settings";
// accept both forms so either reading of the contract works.
function settingsOf(body: unknown): Settings {
  const wire = typeof body === 'object' && body !== null && 'settings' in body ? body.settings : body
  return fromWire<Settings>(wire)
}
