/**
 * @module adapters/tool-runner — what every framework adapter does with a model's tool call: find
 * the catalog tool and account the called name is bound to, run the pre-modifiers, execute through
 * the gateway, run the post-modifiers, and turn any failure into a result the model can read and
 * act on (what failed, why, and the fix) instead of an exception that ends the agent's run.
 *
 * When the user's account needs (re-)authorization, the result carries the way out: with
 * `authorizationLinks: 'create'` the runner mints the link itself (`getAuthorizationLink`) so the
 * model can hand it to the user; otherwise the fix says which call the application makes.
 */

import type { AgentgateClient } from '../client.js'
import { isAgentgateError, type AgentgateError } from '../errors.js'
import type { ToolBindings } from '../llm-tools.js'
import { AccountNotActiveError, isToolError, type ToolError } from '../tool-errors.js'
import type { FreeFormObject } from '../types.js'
import { applyPostModifiers, applyPreModifiers, type ModifierContext, type ToolModifier } from './modifiers.js'

/** How the runner handles an account the user must (re-)authorize. */
export type AuthorizationLinkMode = 'create' | 'describe'

/** Options every adapter takes. */
export interface ToolRunnerOptions {
  /** The end user the tools act for. Without `accounts`, a name runs as this identifier's one account of the tool's connector. */
  identifier?: string | undefined
  /** Name → catalog tool and account, as `listScoped({ format })` returns it. When given, other names are refused (`unknown_tool`). */
  accounts?: ToolBindings | undefined
  /** Pre- and post-modifiers, applied in order (see {@link preModifier}, {@link postModifier}). */
  modifiers?: readonly ToolModifier[] | undefined
  /**
   * `'create'`: when the account needs the user to (re-)authorize, call `getAuthorizationLink` and
   * put the link in the result. `'describe'` (default): the result says which call makes the link.
   */
  authorizationLinks?: AuthorizationLinkMode | undefined
  /** Passed to `getAuthorizationLink` with `'create'`. */
  linkOptions?: { state?: string | undefined; userVerifyUrl?: string | undefined } | undefined
  /** Groups the calls of one agent run in the gateway's tool call log. */
  agentRunId?: string | undefined
}

/** A failure as the model reads it (snake_case, like the rest of what a model sees). */
export interface ToolFailure {
  /** The gateway's error code (`account_not_active`, `tool_error`, `validation_failed`…), `unknown_tool` (a name not in `accounts`), or `client_error`. */
  code: string
  /** For `tool_error`: `unauthorized`, `forbidden`, `rate_limited`, `not_found`, `timeout`… */
  kind?: string
  message: string
  /** The next step, in one or two sentences. */
  fix: string
  /** With `authorizationLinks: 'create'`: the link to send the user. */
  authorization_link?: string
  authorization_link_expires_at?: string
  /** For `validation_failed`: which parameters are wrong. */
  issues?: unknown
  retry_after_seconds?: number
  missing_scopes?: string[]
  execution_id?: string
}

export type ToolRunResult =
  | { ok: true; toolName: string; calledAs: string; data: unknown; executionId: string }
  | { ok: false; toolName: string; calledAs: string; error: ToolFailure }

/** Statuses a new authorization link fixes (PENDING_VERIFICATION needs the app's verify call instead). */
const LINK_FIXES = new Set(['PENDING_AUTH', 'EXPIRED', 'DISCONNECTED'])

/**
 * Runs model tool calls through the gateway; never throws for a failed call.
 *
 * @example
 * ```ts
 * const runner = new ToolRunner(client, { identifier: 'user_42', authorizationLinks: 'create' })
 * const result = await runner.run('gmail_fetch_mails', { max_results: 5 })
 * const text = resultText(result)
 * ```
 */
export class ToolRunner {
  readonly #client: AgentgateClient
  readonly #options: ToolRunnerOptions

  constructor(client: AgentgateClient, options: ToolRunnerOptions = {}) {
    this.#client = client
    this.#options = options
  }

  /** Runs the tool the model called `calledAs` with the model's input (an object, or JSON text). */
  async run(calledAs: string, input: unknown): Promise<ToolRunResult> {
    const accounts = this.#options.accounts
    // With bindings, only the names listed to the model run: a (prompt-injected) model must not reach
    // a catalog tool it was never offered. Own keys only, so `constructor` or `__proto__` bind nothing.
    if (accounts !== undefined && !Object.hasOwn(accounts, calledAs)) {
      return { ok: false, toolName: calledAs, calledAs, error: { code: 'unknown_tool', message: `No tool named "${calledAs}" was offered.`, fix: 'Call one of the tools that were listed, by its exact name.' } }
    }
    const binding = accounts?.[calledAs]
    const toolName = binding?.toolName ?? calledAs
    const context: ModifierContext = { toolName, calledAs, connectedAccountId: binding?.connectedAccountId }
    try {
      // The model picks no tool version: the gateway reads a `tool_version` pin from the input, and the
      // listed (default) version is the one offered. A pre-modifier may still pin one on purpose.
      const { tool_version: _toolVersion, schema_version: _schemaVersion, ...parsed } = parseInput(input)
      const modifiers = this.#options.modifiers ?? []
      const toolInput = await applyPreModifiers(modifiers, parsed, context)
      const target = binding !== undefined ? { connectedAccountId: binding.connectedAccountId } : { identifier: this.#options.identifier }
      const { data, executionId } = await this.#client.actions.executeTool<unknown>({ toolName, toolInput, ...target, agentRunId: this.#options.agentRunId })
      return { ok: true, toolName, calledAs, data: await applyPostModifiers(modifiers, data, context), executionId }
    } catch (error) {
      return { ok: false, toolName, calledAs, error: await this.#failure(error, binding?.connectedAccountId) }
    }
  }

  async #failure(error: unknown, boundAccountId: string | undefined): Promise<ToolFailure> {
    if (error instanceof InvalidInputError) return { code: 'validation_failed', message: error.message, fix: 'Send the tool input as one JSON object.' }
    if (!isAgentgateError(error)) {
      return { code: 'client_error', message: error instanceof Error ? error.message : String(error), fix: 'This failed in the application before the gateway answered; tell the user the tool is unavailable.' }
    }
    if (error instanceof AccountNotActiveError) {
      const failure: ToolFailure = { code: error.code, message: error.message, fix: error.fix || 'The user must authorize the account again.' }
      if (error.accountStatus === undefined || LINK_FIXES.has(error.accountStatus)) {
        // The account's id first: the server's hint names only connection and identifier, which for an
        // organization- or user-scoped account would re-authorize another account.
        const accountId = error.connectedAccountId ?? boundAccountId
        await this.#withLink(failure, accountId !== undefined ? { connectedAccountId: accountId } : (error.authorizationLink?.body ?? {}))
      }
      return failure
    }
    if (isToolError(error)) return this.#toolFailure(error, boundAccountId)
    return plainFailure(error)
  }

  async #toolFailure(error: ToolError, boundAccountId: string | undefined): Promise<ToolFailure> {
    const wire = error.details.tool_error
    const failure: ToolFailure = { code: error.code, kind: String(error.toolErrorKind), message: error.toolErrorMessage, fix: error.fix || 'See the tool call log for this execution.' }
    if (error.executionId !== '') failure.execution_id = error.executionId
    if (typeof wire.retry_after_seconds === 'number') failure.retry_after_seconds = wire.retry_after_seconds
    if (Array.isArray(wire.missing_scopes) && wire.missing_scopes.length > 0) failure.missing_scopes = wire.missing_scopes
    // The provider refused the user's authorization: the account is EXPIRED now and needs a new link.
    if (error.toolErrorKind === 'unauthorized' && boundAccountId !== undefined) await this.#withLink(failure, { connectedAccountId: boundAccountId })
    return failure
  }

  /** Adds the authorization link (mode `create`) or the call that makes one (mode `describe`). */
  async #withLink(failure: ToolFailure, target: { connectionName?: string; identifier?: string; connectedAccountId?: string }): Promise<void> {
    if (this.#options.authorizationLinks !== 'create') {
      failure.fix = `${failure.fix} The application can create the link with client.actions.getAuthorizationLink(${JSON.stringify(target)}) and send it to the user; then call the tool again.`
      return
    }
    try {
      const { link, expiry } = await this.#client.actions.getAuthorizationLink({ ...target, ...this.#options.linkOptions })
      failure.authorization_link = link
      failure.authorization_link_expires_at = expiry
      failure.fix = `Send the user this link to connect their account, then call the tool again once they have: ${link}`
    } catch (linkError) {
      const reason = linkError instanceof Error ? linkError.message : String(linkError)
      failure.fix = `${failure.fix} (Creating an authorization link failed: ${reason})`
    }
  }
}

/**
 * What the model gets back: the (modified) `data` of a success, `{ error: {...} }` of a failure.
 *
 * @example
 * ```ts
 * const output = resultForModel(await runner.run('github_get_user', {}))
 * ```
 */
export function resultForModel(result: ToolRunResult): unknown {
  return result.ok ? result.data : { error: result.error }
}

/**
 * {@link resultForModel} as JSON text, for frameworks whose tool results are strings.
 *
 * @example
 * ```ts
 * const content = resultText(await runner.run('github_get_user', {}))
 * ```
 */
export function resultText(result: ToolRunResult): string {
  return JSON.stringify(resultForModel(result) ?? null)
}

function plainFailure(error: AgentgateError): ToolFailure {
  const failure: ToolFailure = { code: error.code, message: error.message, fix: fixOf(error) }
  const issues = error.details['issues']
  if (issues !== undefined) failure.issues = issues
  return failure
}

function fixOf(error: AgentgateError): string {
  const fix = error.details['fix']
  if (typeof fix === 'string' && fix !== '') return fix
  if (error.code === 'validation_failed') return 'Correct the parameters listed in issues and call the tool again.'
  return error.docs === undefined ? 'Tell the user the tool could not run.' : `Tell the user the tool could not run; the cause and fix are described at ${error.docs}`
}

class InvalidInputError extends Error {}

function parseInput(input: unknown): FreeFormObject {
  let value = input
  if (typeof input === 'string') {
    try {
      value = input.trim() === '' ? {} : JSON.parse(input)
    } catch {
      throw new InvalidInputError('The tool input is not valid JSON.')
    }
  }
  if (value === undefined || value === null) return {}
  if (typeof value !== 'object' || Array.isArray(value)) throw new InvalidInputError('The tool input must be a JSON object.')
  return value as FreeFormObject
}
