/**
 * @module Named body encoders for requests a JSON template cannot express. Each takes the filled
 * `from` template and returns the value to put in its place.
 */
import { GatewayError } from '../../errors.ts';

/** Header values come from the LLM: a CR or LF would start a header of its own (Bcc injection). */
function headerValue(name: string, value: unknown): string {
  const text = Array.isArray(value) ? value.map(String).join(', ') : String(value);
  if (/[\r\n]/.test(text)) {
    throw new GatewayError('validation_failed', `The ${name} value must not contain line breaks.`, { details: { issues: [{ path: `params.${name}`, message: 'line break' }] } });
  }
  return text;
}

/** RFC 2047 encoded-word for non-ASCII subjects. */
function encodedWord(text: string): string {
  return /^[\x20-\x7e]*$/.test(text) ? text : `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`;
}

/** An RFC 822 message, base64url encoded, as Gmail's `messages.send` `raw` field takes it. */
function rfc822Base64url(source: Record<string, unknown>): string {
  const lines: string[] = [];
  for (const [field, header] of [['from', 'From'], ['to', 'To'], ['cc', 'Cc'], ['bcc', 'Bcc'], ['reply_to', 'Reply-To'], ['in_reply_to', 'In-Reply-To'], ['references', 'References']] as const) {
    const value = source[field];
    if (value !== undefined && !(Array.isArray(value) && value.length === 0)) lines.push(`${header}: ${headerValue(field, value)}`);
  }
  lines.push(`Subject: ${encodedWord(headerValue('subject', source.subject ?? ''))}`);
  lines.push('MIME-Version: 1.0');
  lines.push(`Content-Type: ${source.is_html === true ? 'text/html' : 'text/plain'}; charset="UTF-8"`);
  lines.push('Content-Transfer-Encoding: base64');
  const body = Buffer.from(String(source.body ?? ''), 'utf8').toString('base64').replace(/.{76}/g, '$&\r\n');
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body}`, 'utf8').toString('base64url');
}

export function encodeBody(encoder: string, source: unknown): unknown {
  switch (encoder) {
    case 'rfc822_base64url':
      return rfc822Base64url((source ?? {}) as Record<string, unknown>);
    default:
      throw new Error(`Unknown body encoder ${encoder}`);
  }
}
