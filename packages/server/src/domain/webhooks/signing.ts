/**
 * @module Webhook secrets and Svix-style signatures (reference §7.4). A secret is `whsec_` followed by
 * the base64 of 32 random bytes; the HMAC key is those bytes. A request carries `webhook-id`,
 * `webhook-timestamp` (unix seconds) and `webhook-signature`: space-separated `v1,<base64 HMAC-SHA256
 * of "{id}.{timestamp}.{body}">`, one per secret in use (two while a rotated secret is still honoured).
 * Any Svix (Standard Webhooks) verifier, and the SDK's `verifyWebhookPayload`, accepts these.
 */
import { createHmac, randomBytes } from 'node:crypto';

export const SECRET_PREFIX = 'whsec_';

/** A fresh signing secret. */
export function generateWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
}

function keyOf(secret: string): Buffer {
  if (!secret.startsWith(SECRET_PREFIX)) throw new Error('not a whsec_ secret');
  return Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
}

/** `v1,<base64 signature>` of one message under one secret. */
export function signWebhook(secret: string, messageId: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', keyOf(secret)).update(`${messageId}.${timestamp}.`).update(body, 'utf8').digest('base64');
  return `v1,${mac}`;
}

/** The three signature headers for a body, signed with every secret given (newest first). */
export function webhookHeaders(secrets: readonly string[], messageId: string, timestamp: number, body: string): Record<string, string> {
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': secrets.map((secret) => signWebhook(secret, messageId, timestamp, body)).join(' '),
  };
}
