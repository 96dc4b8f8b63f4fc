/**
 * @module The compact JWS form both of our token kinds use (the management API's HS256 bearer and the
 * MCP session token, RS256): encoding a part, and splitting a presented token into its three parts
 * with a decoded header, before any key or claim is looked at. Algorithms and claims stay with each kind.
 */

/** base64url(JSON) of a header or a payload. */
export const encodeJwtPart = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JSON object from a base64url part; undefined for anything else (bad base64url, bad JSON, not an object). */
export function decodeJwtPart(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export interface JwtParts {
  readonly header: Record<string, unknown>;
  readonly headerText: string;
  readonly payloadText: string;
  readonly signatureText: string;
  /** `header.payload`, what the signature covers. */
  readonly signingInput: string;
}

const B64URL = /^[A-Za-z0-9_-]+$/;

/** Three non-empty base64url parts and a JSON-object header, or undefined (malformed). */
export function splitJwt(token: string): JwtParts | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((part) => B64URL.test(part))) return undefined;
  const [headerText, payloadText, signatureText] = parts as [string, string, string];
  const header = decodeJwtPart(headerText);
  if (header === undefined) return undefined;
  return { header, headerText, payloadText, signatureText, signingInput: `${headerText}.${payloadText}` };
}
