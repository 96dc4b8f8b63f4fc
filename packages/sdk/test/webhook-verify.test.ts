/**
 * `verifyWebhookPayload` on its own: signatures made here with node:crypto exactly as reference §7.4
 * describes (independently of the gateway's signer), then every way a request must be refused.
 */

import * as assert from 'node:assert/strict'
import { createHmac, randomBytes } from 'node:crypto'
import { describe, test } from 'node:test'

import { WebhookVerificationError, verifyWebhookPayload, type WebhookVerificationReason } from '../src/index.ts'

const secretOf = (bytes = randomBytes(32)) => `whsec_${bytes.toString('base64')}`
const SECRET = secretOf()
const NOW = 1_750_000_000
const BODY = JSON.stringify({ spec_version: '1', id: 'evt_1', type: 'connected_account.created', occurred_at: '2025-06-15T00:00:00.000Z', environment_id: 'env_1', object: 'ConnectedAccount', data: { id: 'ca_1', status: 'ACTIVE' } })

function sign(secret: string, id: string, timestamp: number | string, body: string | Buffer): string {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64')
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest('base64')}`
}

function headersFor(overrides: Record<string, string> = {}, body: string = BODY, secret = SECRET): Record<string, string> {
  return { 'webhook-id': 'evt_1', 'webhook-timestamp': String(NOW), 'webhook-signature': sign(secret, 'evt_1', NOW, body), ...overrides }
}

function refused(reason: WebhookVerificationReason, run: () => unknown): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof WebhookVerificationError, `expected WebhookVerificationError, got ${String(error)}`)
    assert.equal(error.reason, reason, error.message)
    assert.equal(error.name, 'WebhookVerificationError')
    assert.ok(!error.message.includes(SECRET.slice(6)), 'the message never echoes the secret')
    return true
  })
}

describe('verifyWebhookPayload', () => {
  test('accepts a correctly signed request and returns the parsed payload', () => {
    const payload = verifyWebhookPayload(SECRET, headersFor(), BODY, { now: NOW * 1000 })
    assert.equal(payload.id, 'evt_1')
    assert.equal(payload.type, 'connected_account.created')
    assert.deepEqual(payload.data, { id: 'ca_1', status: 'ACTIVE' })
  })

  test('takes a fetch Headers, mixed-case plain headers, array values, a Buffer or Uint8Array body and a Date', () => {
    const now = new Date(NOW * 1000)
    assert.equal(verifyWebhookPayload(SECRET, new Headers(headersFor()), BODY, { now }).id, 'evt_1')
    const mixed = Object.fromEntries(Object.entries(headersFor()).map(([k, v]) => [k.toUpperCase(), v]))
    assert.equal(verifyWebhookPayload(SECRET, mixed, BODY, { now }).id, 'evt_1')
    assert.equal(verifyWebhookPayload(SECRET, { ...headersFor(), 'webhook-signature': [headersFor()['webhook-signature'] ?? ''] }, BODY, { now }).id, 'evt_1')
    assert.equal(verifyWebhookPayload(SECRET, headersFor(), Buffer.from(BODY), { now }).id, 'evt_1')
    const padded = new Uint8Array(Buffer.from(`xx${BODY}yy`)).subarray(2, 2 + Buffer.byteLength(BODY))
    assert.equal(verifyWebhookPayload(SECRET, headersFor(), padded, { now }).id, 'evt_1', 'a view into a larger buffer is read at its offset')
  })

  test('any one of several v1 signatures may match (secret rotation); other versions are ignored', () => {
    const other = secretOf()
    const good = sign(SECRET, 'evt_1', NOW, BODY)
    for (const list of [`${sign(other, 'evt_1', NOW, BODY)} ${good}`, `${good} ${sign(other, 'evt_1', NOW, BODY)}`, `v2,${good.slice(3)} ${good}`, `garbage ${good}`]) {
      assert.equal(verifyWebhookPayload(SECRET, headersFor({ 'webhook-signature': list }), BODY, { now: NOW * 1000 }).id, 'evt_1', list)
    }
    refused('invalid_signature', () => verifyWebhookPayload(SECRET, headersFor({ 'webhook-signature': `v2,${good.slice(3)}` }), BODY, { now: NOW * 1000 }))
  })

  test('refuses a tampered body, id or timestamp', () => {
    const now = NOW * 1000
    refused('invalid_signature', () => verifyWebhookPayload(SECRET, headersFor(), BODY.replace('ACTIVE', 'EXPIRED'), { now }))
    refused('invalid_signature', () => verifyWebhookPayload(SECRET, headersFor(), `${BODY} `, { now }))
    refused('invalid_signature', () => verifyWebhookPayload(SECRET, headersFor({ 'webhook-id': 'evt_2' }), BODY, { now }))
    refused('invalid_signature', () => verifyWebhookPayload(SECRET, headersFor({ 'webhook-timestamp': String(NOW + 1) }), BODY, { now }))
    refused('invalid_signature', () => verifyWebhookPayload(SECRET, headersFor({ 'webhook-signature': 'v1,' }), BODY, { now }))
  })

  test('refuses the wrong secret, and a secret that is not whsec_', () => {
    const now = NOW * 1000
    refused('invalid_signature', () => verifyWebhookPayload(secretOf(), headersFor(), BODY, { now }))
    refused('invalid_secret', () => verifyWebhookPayload(SECRET.slice(6), headersFor(), BODY, { now }))
    refused('invalid_secret', () => verifyWebhookPayload('whsec_', headersFor(), BODY, { now }))
  })

  test('refuses timestamps outside the tolerance (5 minutes by default), either way', () => {
    const at = (seconds: number) => ({ now: seconds * 1000 })
    assert.equal(verifyWebhookPayload(SECRET, headersFor(), BODY, at(NOW + 300)).id, 'evt_1', 'exactly 5 minutes old is still fine')
    assert.equal(verifyWebhookPayload(SECRET, headersFor(), BODY, at(NOW - 300)).id, 'evt_1')
    refused('timestamp_too_old', () => verifyWebhookPayload(SECRET, headersFor(), BODY, at(NOW + 301)))
    refused('timestamp_too_new', () => verifyWebhookPayload(SECRET, headersFor(), BODY, at(NOW - 301)))
    refused('timestamp_too_old', () => verifyWebhookPayload(SECRET, headersFor(), BODY, { now: (NOW + 31) * 1000, toleranceSeconds: 30 }))
    assert.equal(verifyWebhookPayload(SECRET, headersFor(), BODY, { now: (NOW + 3600) * 1000, toleranceSeconds: 3600 }).id, 'evt_1')
    // Without `now`, the real clock (well past NOW) is used.
    refused('timestamp_too_old', () => verifyWebhookPayload(SECRET, headersFor(), BODY))
  })

  test('refuses missing or malformed headers', () => {
    const now = NOW * 1000
    for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
      const { [name]: _dropped, ...rest } = headersFor()
      refused('missing_headers', () => verifyWebhookPayload(SECRET, rest, BODY, { now }))
      refused('missing_headers', () => verifyWebhookPayload(SECRET, { ...headersFor(), [name]: '  ' }, BODY, { now }))
    }
    for (const bad of ['soon', '1.5e9', '-1', '0x10']) {
      refused('invalid_timestamp', () => verifyWebhookPayload(SECRET, headersFor({ 'webhook-timestamp': bad }), BODY, { now }))
    }
  })

  test('a correctly signed body that is not JSON is refused as invalid_payload', () => {
    const body = 'not json'
    refused('invalid_payload', () => verifyWebhookPayload(SECRET, headersFor({}, body), body, { now: NOW * 1000 }))
  })
})
