/**
 * @module adapters/modifiers — client-side pre- and post-modifiers of tool calls (the reference's
 * `pre_modifier` / `post_modifier`): a pre-modifier rewrites the model's input before the gateway
 * runs the tool (force `state: "open"`, add a default label); a post-modifier rewrites `data` before
 * the model sees it (drop fields, filter attachments). Each names the tools it applies to, or
 * applies to all; several for one tool run in the order given.
 */

import type { FreeFormObject } from '../types.js'

/** What a modifier is told about the call. */
export interface ModifierContext {
  /** The catalog tool (`gmail_fetch_mails`), whatever name the model called it by. */
  toolName: string
  /** The name the model called (differs when one tool runs as several accounts). */
  calledAs: string
  connectedAccountId: string | undefined
}

/** Rewrites the input of a call; returns the input to send. */
export type PreModifierFunction = (input: FreeFormObject, context: ModifierContext) => FreeFormObject | Promise<FreeFormObject>

/** Rewrites the `data` of a successful call; returns what the model gets. */
export type PostModifierFunction = (data: unknown, context: ModifierContext) => unknown

export interface PreModifier {
  type: 'pre'
  /** Catalog tool names it applies to; `'*'` for every tool. */
  toolNames: readonly string[] | '*'
  modify: PreModifierFunction
}

export interface PostModifier {
  type: 'post'
  toolNames: readonly string[] | '*'
  modify: PostModifierFunction
}

export type ToolModifier = PreModifier | PostModifier

/**
 * A modifier of the input, for the named tools (exact catalog names) or `'*'` for all.
 *
 * @example
 * ```ts
 * const openOnly = preModifier('github_list_issues', (input) => ({ ...input, state: 'open' }))
 * ```
 */
export function preModifier(toolNames: string | readonly string[], modify: PreModifierFunction): PreModifier {
  return { type: 'pre', toolNames: namesOf(toolNames), modify }
}

/**
 * A modifier of the result `data`, for the named tools (exact catalog names) or `'*'` for all.
 *
 * @example
 * ```ts
 * const subjectsOnly = postModifier('gmail_fetch_mails', (data) => (data as { messages: { subject: string }[] }).messages.map((m) => m.subject))
 * ```
 */
export function postModifier(toolNames: string | readonly string[], modify: PostModifierFunction): PostModifier {
  return { type: 'post', toolNames: namesOf(toolNames), modify }
}

/** Runs the pre-modifiers that apply to the call, in order. */
export async function applyPreModifiers(modifiers: readonly ToolModifier[], input: FreeFormObject, context: ModifierContext): Promise<FreeFormObject> {
  let current = input
  for (const modifier of modifiers) {
    if (modifier.type === 'pre' && appliesTo(modifier, context.toolName)) current = await modifier.modify(current, context)
  }
  return current
}

/** Runs the post-modifiers that apply to the call, in order. */
export async function applyPostModifiers(modifiers: readonly ToolModifier[], data: unknown, context: ModifierContext): Promise<unknown> {
  let current = data
  for (const modifier of modifiers) {
    if (modifier.type === 'post' && appliesTo(modifier, context.toolName)) current = await modifier.modify(current, context)
  }
  return current
}

function appliesTo(modifier: ToolModifier, toolName: string): boolean {
  return modifier.toolNames === '*' || modifier.toolNames.includes(toolName)
}

function namesOf(toolNames: string | readonly string[]): readonly string[] | '*' {
  if (toolNames === '*') return '*'
  return typeof toolNames === 'string' ? [toolNames] : [...toolNames]
}
