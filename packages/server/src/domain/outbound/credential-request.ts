/**
 * @module Turns "call this connector's API at this path" plus stored credentials into a concrete
 * request: the URL (base URL template filled, or the `api_config.base_url` override), and the
 * headers with the credential injected the way the connector's `api.auth` says.
 *
 * Pure and synchronous, so every host-shaping rule is unit-tested without a network. The URL it
 * returns is still sent through the safe fetch, whose connect-time IP check is the last word; the
 * rules here keep the credential on the host the connector (or the developer's override) names:
 * template values cannot add a host, a port or a path, and the caller's path cannot climb out of
 * the base or reach another origin (ATK-28).
 */
import { createHash, createPrivateKey, createPublicKey, sign, type KeyObject } from 'node:crypto';
import type { ApiAuth, Connector } from '../../catalog/connector-schema.ts';
import { GatewayError } from '../../errors.ts';
import type { AccountCredentials, ApiConfig } from '../model.ts';

export type QueryValue = string | number | boolean;

export interface CredentialRequestInput {
  readonly connector: Connector;
  readonly credentials: AccountCredentials;
  /** The connection's and account's `api_config`, merged by the caller (account wins). */
  readonly apiConfig?: ApiConfig | undefined;
  /** Appended to the base: starts with `/`, segments already percent-encoded by the caller. */
  readonly path: string;
  readonly method: string;
  readonly query?: URLSearchParams | Readonly<Record<string, QueryValue | readonly QueryValue[] | undefined>> | undefined;
  /** A string or bytes go as is; any other value is sent as JSON. */
  readonly body?: unknown;
  /** Extra request headers (Accept, Content-Type...); they can never replace the credential or the connector's headers. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** The clock (epoch milliseconds) for credentials minted per request (Snowflake's key-pair JWT); `Date.now()` when absent. */
  readonly now?: number | undefined;
}

export interface CredentialRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body?: string | Uint8Array;
}

const TEMPLATE = /\{\{([a-z][a-z0-9_]*)\}\}/g;
/** A template value outside the origin position: a host label run (`acme`, `us3.datadoghq.com`) or an id; no `/`, `:`, `@`, `%`. */
const PIECE = /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/;
/** RFC 3986 path characters: what WHATWG leaves untouched, so the path sent is the path checked. */
const PATH = /^(?:\/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})*)*$/;
const METHOD = /^[A-Z]{1,16}$/;
/** Headers the caller may not set: framing and routing belong to the HTTP client, identity to `api.auth`. */
const RESERVED_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'host', 'connection', 'content-length', 'transfer-encoding', 'te', 'upgrade', 'keep-alive', 'trailer', 'expect']);

const badRequest = (message: string) => new GatewayError('validation_failed', message, { details: { issues: [{ path: 'path', message }] } });
const badEndpoint = (message: string) => new GatewayError('insecure_endpoint', message, { details: { field: 'api_config.base_url' } });
const missing = (connector: Connector, name: string) =>
  new GatewayError('invalid_credentials', `The stored ${connector.display_name} credentials have no "${name}"; reconnect the account.`, {
    details: { issues: [{ path: `static_auth.${name}`, message: 'missing' }] },
  });

/** Value of a `{{name}}` template: credential field, then `api_config`, then field default, then OAuth template default. */
function templateValue(input: CredentialRequestInput, name: string): string | undefined {
  const { connector, credentials, apiConfig } = input;
  const field = connector.fields?.find((f) => f.name === name);
  const fromField = credentials.kind === 'static_auth' ? credentials.fields[name] : undefined;
  const fromConfig = apiConfig?.[name];
  const candidates = [fromField, typeof fromConfig === 'string' ? fromConfig : undefined, field?.default, connector.oauth?.template_defaults[name]];
  const value = candidates.find((v) => v !== undefined && v !== '');
  if (value !== undefined && field?.pattern !== undefined && !new RegExp(field.pattern, 'u').test(value)) {
    throw new GatewayError('invalid_credentials', `${field.label} does not have the expected format.`, { details: { issues: [{ path: `static_auth.${name}`, message: 'pattern' }] } });
  }
  return value;
}

function pieceOf(input: CredentialRequestInput, name: string): string {
  const value = templateValue(input, name);
  if (value === undefined) throw badEndpoint(`The ${input.connector.display_name} API URL needs "${name}" (a credential field or api_config.${name}).`);
  if (!PIECE.test(value) || value.includes('..')) throw badEndpoint(`"${name}" is not a valid ${input.connector.display_name} host or id part.`);
  return value;
}

/** A whole-origin template value (Salesforce's `instance_url`): an https origin, nothing else. */
function originOf(input: CredentialRequestInput, name: string): URL {
  const value = templateValue(input, name);
  if (value === undefined) throw badEndpoint(`The ${input.connector.display_name} API URL needs api_config.${name}.`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw badEndpoint(`api_config.${name} is not a URL.`);
  }
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '' || url.pathname !== '/') {
    throw badEndpoint(`api_config.${name} must be a bare https origin like https://example.my.salesforce.com.`);
  }
  return url;
}

export interface Base {
  readonly origin: string;
  /** Path prefix without a trailing slash ('' for none). */
  readonly prefix: string;
}

/** Fills every `{{name}}` with a checked piece. */
function fillPieces(input: CredentialRequestInput, template: string): string {
  return template.replace(TEMPLATE, (_whole, name: string) => pieceOf(input, name));
}

function baseOf(input: CredentialRequestInput): Base {
  const override = input.apiConfig?.base_url;
  if (typeof override === 'string' && override !== '') {
    // SPEC §8: the developer's override replaces scheme, host and path prefix. It was checked for
    // scheme and private hosts when configured; the safe fetch re-checks both on every call.
    let url: URL;
    try {
      url = new URL(fillPieces(input, override));
    } catch {
      throw badEndpoint('api_config.base_url is not a URL.');
    }
    if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
      throw badEndpoint('api_config.base_url must be an http(s) URL without credentials, query or fragment.');
    }
    return { origin: url.origin, prefix: url.pathname.replace(/\/+$/, '') };
  }

  const template = input.connector.api.base_url;
  const leading = /^\{\{([a-z][a-z0-9_]*)\}\}/.exec(template);
  let expectedHost: string;
  let filled: string;
  if (leading?.[1] !== undefined) {
    const origin = originOf(input, leading[1]);
    expectedHost = origin.host;
    filled = origin.origin + fillPieces(input, template.slice(leading[0].length));
  } else {
    const authority = /^https:\/\/([^/]*)/.exec(template)?.[1] ?? '';
    expectedHost = fillPieces(input, authority).toLowerCase();
    filled = fillPieces(input, template);
  }
  let url: URL;
  try {
    url = new URL(filled);
  } catch {
    throw badEndpoint(`The ${input.connector.display_name} API URL is not valid with these values.`);
  }
  // The values passed PIECE, so this only fails if the URL parser reinterpreted them (a numeric
  // last label, an IDN): the template's host shape is then not what we are about to call.
  if (url.protocol !== 'https:' || url.host !== expectedHost || url.username !== '' || url.password !== '') {
    throw badEndpoint(`The ${input.connector.display_name} API URL does not keep its host with these values.`);
  }
  return { origin: url.origin, prefix: url.pathname.replace(/\/+$/, '') };
}

/** Refuses paths that could leave the base: `..` (also encoded), `//`, `\`, a segment starting with `@`. */
function checkPath(path: string): void {
  if (path !== '' && !path.startsWith('/')) throw badRequest('The path must start with "/".');
  if (path.includes('//')) throw badRequest('The path must not contain "//".');
  if (!PATH.test(path)) throw badRequest('The path has characters that must be percent-encoded (or a query or fragment: pass query separately).');
  for (const segment of path.split('/').slice(1)) {
    if (segment.startsWith('@')) throw badRequest('A path segment must not start with "@".');
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      throw badRequest('The path has an invalid percent-encoding.');
    }
    // Decoded too: upstream servers (and WHATWG, for %2e) treat encoded dots and slashes as real ones.
    if (decoded.split(/[/\\]/).some((part) => part === '.' || part === '..')) throw badRequest('The path must not contain "." or ".." segments.');
  }
}

function queryString(query: CredentialRequestInput['query']): string {
  if (query === undefined) return '';
  const params = new URLSearchParams();
  const entries: Iterable<[string, unknown]> = query instanceof URLSearchParams ? query : Object.entries(query);
  for (const [key, value] of entries) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) params.append(key, String(item));
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** Lifetime of a Snowflake key-pair JWT: Snowflake accepts at most one hour; its own samples use 59 minutes. */
export const SNOWFLAKE_JWT_LIFETIME_SECONDS = 59 * 60;

/**
 * The account part of a Snowflake JWT's `iss`/`sub` (Snowflake's "Using key-pair authentication"
 * guide and its sql-api-generate-jwt sample): uppercase, without the region/cloud suffix of an
 * account locator (`xy12345.us-east-2.aws` → `XY12345`); for a `.global` (replication) URL, the part
 * before the first `-`. The org-account form (`myorg-myaccount`) stays whole.
 */
export function snowflakeJwtAccount(account: string): string {
  const trimmed = account.trim();
  const cut = trimmed.includes('.global') ? trimmed.indexOf('-') : trimmed.indexOf('.');
  return (cut > 0 ? trimmed.slice(0, cut) : trimmed).toUpperCase();
}

/** `SHA256:` + base64 of the SHA-256 of the public key's DER SubjectPublicKeyInfo (what `DESC USER` shows as RSA_PUBLIC_KEY_FP). */
export function snowflakePublicKeyFingerprint(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return `SHA256:${createHash('sha256').update(der).digest('base64')}`;
}

function base64urlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** An RS256 JWT for Snowflake's SQL API, signed with the stored PKCS#8 key. Errors never carry key material. */
function snowflakeJwt(connector: Connector, fields: { account: string; user: string; privateKey: string; passphrase: string | undefined }, nowMs: number): string {
  const invalidKey = (why: string) =>
    new GatewayError('invalid_credentials', `The stored ${connector.display_name} private key ${why}; reconnect the account with a PKCS#8 PEM RSA key.`, {
      details: { issues: [{ path: 'static_auth.private_key', message: why }] },
    });
  let privateKey: KeyObject;
  try {
    // A PEM pasted through a form may arrive with literal "\n" or CRLF line ends.
    const pem = fields.privateKey.replace(/\\n/g, '\n').replace(/\r\n/g, '\n').trim();
    privateKey = createPrivateKey({ key: pem, format: 'pem', ...(fields.passphrase === undefined ? {} : { passphrase: fields.passphrase }) });
  } catch {
    throw invalidKey(fields.passphrase === undefined ? 'cannot be read (or it is encrypted and no passphrase is stored)' : 'cannot be read with the stored passphrase');
  }
  if (privateKey.asymmetricKeyType !== 'rsa') throw invalidKey('is not an RSA key');
  const qualifiedUser = `${snowflakeJwtAccount(fields.account)}.${fields.user.trim().toUpperCase()}`;
  const iat = Math.floor(nowMs / 1000);
  const header = base64urlJson({ alg: 'RS256', typ: 'JWT' });
  const payload = base64urlJson({
    iss: `${qualifiedUser}.${snowflakePublicKeyFingerprint(createPublicKey(privateKey))}`,
    sub: qualifiedUser,
    iat,
    exp: iat + SNOWFLAKE_JWT_LIFETIME_SECONDS,
  });
  const signature = sign('RSA-SHA256', Buffer.from(`${header}.${payload}`, 'utf8'), privateKey).toString('base64url');
  return `${header}.${payload}.${signature}`;
}

/**
 * The caller's query plus the credential parameters of a `query` auth connector. The credential wins
 * over a caller parameter of the same name, so a tool or proxy caller cannot swap in another key.
 */
function withQueryCredentials(input: CredentialRequestInput): CredentialRequestInput['query'] {
  const auth = input.connector.api.auth;
  if (auth.type !== 'query') return input.query;
  const credentials = input.credentials;
  if (credentials.kind !== 'static_auth') throw new GatewayError('invalid_auth_type', `${input.connector.display_name} expects static credentials, not an OAuth token.`);
  const params = new URLSearchParams();
  const source = input.query instanceof URLSearchParams ? [...input.query] : Object.entries(input.query ?? {});
  for (const [key, value] of source) {
    if (value === undefined || Object.hasOwn(auth.params, key)) continue;
    for (const item of Array.isArray(value) ? value : [value]) params.append(key, String(item));
  }
  for (const [param, field] of Object.entries(auth.params)) {
    const value = credentials.fields[field];
    if (value === undefined || value === '') throw missing(input.connector, field);
    params.append(param, value);
  }
  return params;
}

/** The credential as headers, per `api.auth`. OAuth tokens always go as a bearer token. */
function authHeaders(connector: Connector, auth: ApiAuth, credentials: AccountCredentials, nowMs: number): Record<string, string> {
  if (credentials.kind === 'oauth_token') {
    if (auth.type !== 'bearer' || !connector.auth_types.includes('OAUTH')) throw new GatewayError('invalid_auth_type', `${connector.display_name} does not take OAuth tokens.`);
    return { Authorization: `Bearer ${credentials.access_token}` };
  }
  const field = (name: string): string => {
    const value = credentials.fields[name];
    if (value === undefined || value === '') throw missing(connector, name);
    return value;
  };
  switch (auth.type) {
    case 'bearer':
      if (auth.field === undefined) throw new GatewayError('invalid_auth_type', `${connector.display_name} expects an OAuth token, not static credentials.`);
      return { Authorization: `Bearer ${field(auth.field)}` };
    case 'basic': {
      const username = field(auth.username_field) + (auth.username_suffix ?? '');
      // A colon in the username would move the user/password split the server sees.
      if (username.includes(':')) throw new GatewayError('invalid_credentials', `The ${connector.display_name} username must not contain ":".`);
      const password = auth.password_field === undefined ? (auth.password ?? '') : field(auth.password_field);
      return { Authorization: `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}` };
    }
    case 'headers':
      return Object.fromEntries(Object.entries(auth.headers).map(([header, name]) => [header, field(name)]));
    case 'query':
      return {}; // in the query string: see withQueryCredentials
    case 'snowflake_jwt': {
      const passphrase = auth.passphrase_field === undefined ? undefined : credentials.fields[auth.passphrase_field];
      const jwt = snowflakeJwt(
        connector,
        { account: field(auth.account_field), user: field(auth.user_field), privateKey: field(auth.private_key_field), passphrase: passphrase === '' ? undefined : passphrase },
        nowMs,
      );
      return { Authorization: `Bearer ${jwt}`, 'X-Snowflake-Authorization-Token-Type': 'KEYPAIR_JWT' };
    }
  }
}

/**
 * Builds the request for `path` on the connector's API with the credential attached. Throws a
 * {@link GatewayError}: `validation_failed` for a bad path, method or query; `insecure_endpoint`
 * when the base URL cannot be built safely; `invalid_credentials` / `invalid_auth_type` when the
 * credentials do not fit `api.auth`. Messages never contain credential values.
 */
/**
 * What may be computed once per cached account (same connector, credentials and api_config): the
 * base URL and static credential headers. Time-bound credentials (key-pair JWTs) are never memoized.
 */
export interface CredentialMemo {
  base?: Base;
  auth?: Record<string, string>;
}

export function applyCredentials(input: CredentialRequestInput, memo?: CredentialMemo): CredentialRequest {
  const { connector } = input;
  const method = input.method.toUpperCase();
  if (!METHOD.test(method)) throw badRequest('The method is not a valid HTTP method.');
  checkPath(input.path);
  const base = memo?.base ?? baseOf(input);
  if (memo !== undefined) memo.base = base;
  const url = `${base.origin}${base.prefix}${input.path}${queryString(withQueryCredentials(input))}`;

  // Belt and braces: re-parse what will be sent and insist it is still on the base, below its prefix.
  const parsed = new URL(url);
  if (parsed.origin !== base.origin || parsed.pathname !== (`${base.prefix}${input.path}` || '/') || parsed.username !== '') {
    throw badRequest('The path does not stay on the API base URL.');
  }

  const headers: Record<string, string> = {};
  const taken = new Set<string>();
  const set = (name: string, value: string) => {
    // Header injection: a CR or LF in a stored value would start a new header line.
    if (/[\r\n\0]/.test(value)) throw new GatewayError('invalid_credentials', `The value for header ${name} contains a line break.`);
    for (const existing of Object.keys(headers)) if (existing.toLowerCase() === name.toLowerCase()) delete headers[existing];
    headers[name] = value;
  };
  const credentialHeaders = memo?.auth ?? authHeaders(connector, connector.api.auth, input.credentials, input.now ?? Date.now());
  if (memo !== undefined && connector.api.auth.type !== 'snowflake_jwt') memo.auth = credentialHeaders;
  for (const name of [...Object.keys(credentialHeaders), ...Object.keys(connector.api.headers)]) taken.add(name.toLowerCase());
  for (const [name, value] of Object.entries(input.headers ?? {})) {
    const lower = name.toLowerCase();
    if (!RESERVED_HEADERS.has(lower) && !taken.has(lower)) set(name, value);
  }

  let body: string | Uint8Array | undefined;
  if (input.body !== undefined) {
    if (method === 'GET' || method === 'HEAD') throw badRequest(`A ${method} request cannot have a body.`);
    if (typeof input.body === 'string' || input.body instanceof Uint8Array) body = input.body;
    else {
      body = JSON.stringify(input.body);
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) set('Content-Type', 'application/json');
    }
  }
  for (const [name, value] of Object.entries(connector.api.headers)) set(name, value);
  for (const [name, value] of Object.entries(credentialHeaders)) set(name, value);
  return { url, method, headers, ...(body === undefined ? {} : { body }) };
}
