/**
 * @module webhook-verify — checks that a webhook request really comes from your gateway.
 *
 * The gateway signs Svix-style (Standard Webhooks): `webhook-signature` lists one or more
 * `v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{raw body}">`, keyed with the
 * base64-decoded part of the endpoint's `whsec_…` secret. Uses `node:crypto` (synchronous, like
 * Svix's verifier); the rest of the SDK stays dependency-free.
 */

import { createHmac, timingSafeEqual } from 'node:crypto'

const SECRET_PREFIX = 'whsec_'
const DEFAULT_TOLERANCE_SECONDS = 300

/** Why a webhook request was refused. */
export type WebhookVerificationReason =
  | 'invalid_secret'
  | 'missing_headers'
  | 'invalid_timestamp'
  | 'timestamp_too_old'
  | 'timestamp_too_new'
  | 'invalid_signature'
  | 'invalid_payload'

/**
 * Thrown by {@link verifyWebhookPayload} for any request that must not be trusted. Answer it with a
 * `400` (or `401`) and do not act on the body.
 *
 * @example
 * ```ts
 * try {
 *   verifyWebhookPayload(secret, req.headers, rawBody)
 * } catch (err) {
 *   if (err instanceof WebhookVerificationError) return res.status(400).end()
 *   throw err
 * }
 * ```
 */
export class WebhookVerificationError extends Error {
  readonly reason: WebhookVerificationReason

  constructor(reason: WebhookVerificationReason, message: string) {
    super(message)
    this.name = 'WebhookVerificationError'
    this.reason = reason
  }
}

/** The envelope of every webhook (kept in wire form, snake_case, exactly as signed). */
export interface WebhookPayload {
  spec_version: string
  /** The event id (`evt_…`), also the `webhook-id` header: deduplicate on it. */
  id: string
  type: string
  occurred_at: string
  environment_id: string
  object: string
  /** The account: `{id, identifier, connection_id, connection_name, provider, authorization_type, status, …}`. */
  data: Record<string, unknown>
  /** Present (true) on events sent by `POST /api/v1/webhooks/test-event/{type}`. */
  test?: boolean
  [key: string]: unknown
}

/**
 * Request headers in any common shape: a fetch `Headers`, Node's `IncomingHttpHeaders`, or a plain
 * object (names are matched case-insensitively).
 */
export type WebhookHeaders = Headers | Readonly<Record<string, string | readonly string[] | undefined>>

/** Options of {@link verifyWebhookPayload}. */
export interface VerifyWebhookOptions {
  /** How far `webhook-timestamp` may be from now, either way, in seconds. Default 300. */
  toleranceSeconds?: number | undefined
  /** The current time (tests); default `new Date()`. */
  now?: Date | number | undefined
}

/**
 * Verifies a webhook request and returns its parsed payload. Pass the body exactly as received (a
 * string or the raw bytes), before any JSON parsing: re-serialised JSON does not match the signature.
 *
 * Throws {@link WebhookVerificationError} when a header is missing, the timestamp is more than
 * `toleranceSeconds` away from now (replays), or no listed signature matches (tampered body, wrong
 * secret). Signatures are compared in constant time; any one of several may match (during a secret
 * rotation the gateway signs with both secrets).
 *
 * @example
 * ```ts
 * import express from 'express'
 * import { verifyWebhookPayload } from '@agentgate/sdk'
 *
 * app.post('/webhooks/agentgate', express.raw({ type: 'application/json' }), (req, res) => {
 *   const event = verifyWebhookPayload(process.env.AGENTGATE_WEBHOOK_SECRET!, req.headers, req.body)
 *   if (event.type === 'connected_account.status_updated') console.log(event.data['status'])
 *   res.sendStatus(204)
 * })
 * ```
 */
export function verifyWebhookPayload(secret: string, headers: WebhookHeaders, body: string | Uint8Array, options: VerifyWebhookOptions = {}): WebhookPayload {
  const key = keyOf(secret)
  const id = header(headers, 'webhook-id')
  const timestampText = header(headers, 'webhook-timestamp')
  const signatureText = header(headers, 'webhook-signature')
  if (id === undefined || timestampText === undefined || signatureText === undefined) {
    throw new WebhookVerificationError('missing_headers', 'webhook-id, webhook-timestamp and webhook-signature are all required')
  }

  if (!/^\d{1,12}$/.test(timestampText)) throw new WebhookVerificationError('invalid_timestamp', 'webhook-timestamp is not a unix time in seconds')
  const timestamp = Number(timestampText)
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS
  const nowMs = options.now === undefined ? Date.now() : typeof options.now === 'number' ? options.now : options.now.getTime()
  const now = Math.floor(nowMs / 1000)
  if (timestamp < now - tolerance) throw new WebhookVerificationError('timestamp_too_old', 'webhook-timestamp is too old (a replay, or a clock far off)')
  if (timestamp > now + tolerance) throw new WebhookVerificationError('timestamp_too_new', 'webhook-timestamp is too far in the future')

  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body.buffer, body.byteOffset, body.byteLength)
  const expected = createHmac('sha256', key).update(`${id}.${timestampText}.`).update(bytes).digest()
  // Check every listed signature, not just until the first match, so timing says nothing about which one.
  let matched = false
  for (const entry of signatureText.split(' ')) {
    const comma = entry.indexOf(',')
    if (comma < 0 || entry.slice(0, comma) !== 'v1') continue
    const candidate = Buffer.from(entry.slice(comma + 1), 'base64')
    if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) matched = true
  }
  if (!matched) throw new WebhookVerificationError('invalid_signature', 'no webhook-signature matches: a changed body or the wrong secret')

  try {
    return JSON.parse(bytes.toString('utf8')) as WebhookPayload
  } catch {
    throw new WebhookVerificationError('invalid_payload', 'the signed body is not JSON')
  }
}

function keyOf(secret: string): Buffer {
  if (typeof secret !== 'string' || !secret.startsWith(SECRET_PREFIX)) {
    throw new WebhookVerificationError('invalid_secret', 'the secret must be the whsec_… value the gateway returned')
  }
  const key = Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64')
  if (key.length === 0) throw new WebhookVerificationError('invalid_secret', 'the secret has no key after whsec_')
  return key
}

function header(headers: WebhookHeaders, name: string): string | undefined {
  let value: string | readonly string[] | null | undefined
  if (typeof (headers as Headers).get === 'function') {
    value = (headers as Headers).get(name)
  } else {
    const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>
    const key = Object.keys(record).find((k) => k.toLowerCase() === name)
    value = key === undefined ? undefined : record[key]
  }
  const text = typeof value === 'string' ? value : Array.isArray(value) ? value.join(' ') : undefined
  const trimmed = text?.trim()
  return trimmed === undefined || trimmed === '' ? undefined : trimmed
}
