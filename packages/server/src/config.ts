/** @module Configuration: parsed once from environment variables at start, validated with zod, frozen. */
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const port = z.coerce.number().int().min(0).max(65535);

const positiveInt = z.coerce.number().int().positive();

/** `2:base64,1:base64`: each key 32 bytes; the first listed encrypts, all decrypt. */
const encryptionKeys = z.string().transform((raw, ctx) => {
  const keys: { version: number; key: Buffer }[] = [];
  for (const part of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [versionText, material] = part.split(':', 2);
    const version = Number(versionText);
    const key = Buffer.from(material ?? '', 'base64');
    if (!Number.isInteger(version) || version < 1 || material === undefined) {
      ctx.addIssue({ code: 'custom', message: `"${versionText}:…" is not VERSION:BASE64 with a whole version ≥ 1` });
      return z.NEVER;
    }
    if (key.length !== 32) {
      ctx.addIssue({ code: 'custom', message: `key version ${version} is ${key.length} bytes; it must be 32 (openssl rand -base64 32)` });
      return z.NEVER;
    }
    if (keys.some((k) => k.version === version)) {
      ctx.addIssue({ code: 'custom', message: `key version ${version} is listed twice` });
      return z.NEVER;
    }
    keys.push({ version, key });
  }
  if (keys.length === 0) {
    ctx.addIssue({ code: 'custom', message: 'no key given' });
    return z.NEVER;
  }
  return keys;
});

/**
 * Every variable the server reads, with its schema, default and the sentence `docs/configuration.md`
 * shows (a test checks the document lists exactly these names).
 */
export const CONFIG_VARIABLES = {
  NODE_ENV: {
    schema: z.enum(['development', 'production', 'test']).default('development'),
    doc: '`production` refuses to start without `AGENTGATE_ENCRYPTION_KEYS` and binds all interfaces by default.',
  },
  PORT: { schema: port.default(8080), doc: 'HTTP port. `0` picks a free port (tests).' },
  HOST: {
    schema: z.string().min(1).optional(),
    doc: 'Interface to bind. Default `127.0.0.1` in development, `0.0.0.0` in production.',
  },
  AGENTGATE_PUBLIC_URL: {
    schema: z.url({ protocol: /^https?$/ }).optional(),
    doc: 'Public base URL of the gateway, used in redirect URIs and links. Default `http://localhost:$PORT`.',
  },
  AGENTGATE_DATA_DIR: {
    schema: z.string().min(1).default('./.agentgate'),
    doc: 'Folder of the embedded database (PGlite) and, in development, the generated encryption key.',
  },
  DATABASE_URL: {
    schema: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
    doc: 'PostgreSQL connection string. When set, the gateway uses PostgreSQL instead of the embedded database; any number of replicas may share it.',
  },
  AGENTGATE_ENCRYPTION_KEYS: {
    schema: encryptionKeys.optional(),
    doc: 'Vault keys, `VERSION:BASE64` comma separated, each 32 bytes (`openssl rand -base64 32`). The first encrypts, all decrypt. Required in production; in development a key is generated into the data folder.',
  },
  AGENTGATE_ADMIN_CLIENT_ID: {
    schema: z.string().regex(/^[A-Za-z0-9_.-]{3,64}$/, 'letters, digits, _ . - (3–64)').optional(),
    doc: 'Client id of an admin API credential seeded (idempotently) into the default environment. Set with the secret.',
  },
  AGENTGATE_ADMIN_CLIENT_SECRET: {
    schema: z.string().min(24, 'at least 24 characters').max(256).optional(),
    doc: 'Its secret (≥ 24 characters). Changing it replaces the stored hash at the next start; a credential revoked with `agentgate credentials revoke` stays revoked.',
  },
  AGENTGATE_ALLOW_PRIVATE_UPSTREAMS: {
    schema: bool.default(false),
    doc: 'Allow outbound calls to loopback and private addresses and OAuth endpoints over plain http. Local development and tests only; start prints a warning.',
  },
  AGENTGATE_EXTRA_CA_CERTS: {
    schema: z.string().min(1).optional(),
    doc: 'Path to a PEM file of certificate authorities that outbound HTTPS calls (providers, OAuth endpoints, tools, webhooks) trust in addition to the default ones: the CA of a TLS-inspecting corporate proxy or of a private API. Read at start.',
  },
  AGENTGATE_LOG_LEVEL: {
    schema: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
    doc: 'Log level of the JSON logs on standard output.',
  },
  AGENTGATE_TOKEN_TTL_SECONDS: {
    schema: positiveInt.max(7 * 86400).default(86400),
    doc: 'Lifetime of the bearer tokens `POST /oauth/token` issues.',
  },
  AGENTGATE_TRUST_PROXY_HOPS: {
    schema: z.coerce.number().int().min(0).max(10).default(0),
    doc: 'How many reverse proxies or load balancers stand in front of the gateway. With 1 or more, the client address (used by the failed-login limit) is read from `X-Forwarded-For`, that many hops back; 0 uses the connecting address. Set it only when every request comes through those proxies, or clients can choose their address. URLs are always built from `AGENTGATE_PUBLIC_URL`.',
  },
  AGENTGATE_BODY_LIMIT_BYTES: {
    schema: positiveInt.default(1024 * 1024),
    doc: 'Largest accepted request body; larger bodies get `413 payload_too_large`.',
  },
  AGENTGATE_LINK_TTL_SECONDS: {
    schema: positiveInt.max(7 * 86400).default(600),
    doc: 'Lifetime of an authorization link from `POST /api/v1/connected_accounts/magic_link`; links are single use.',
  },
  AGENTGATE_FLOW_TTL_SECONDS: {
    schema: positiveInt.max(3600).default(600),
    doc: 'How long the end user has between leaving for the provider and coming back to the callback (the `state` lifetime).',
  },
  AGENTGATE_VERIFY_TTL_SECONDS: {
    schema: positiveInt.max(86400).default(600),
    doc: 'How long tokens wait for `POST /api/v1/connected_accounts/user/verify` before they are discarded.',
  },
  AGENTGATE_DOCS_URL: {
    schema: z.url({ protocol: /^https?$/ }).optional(),
    doc: 'Where error pages and error answers link for explanations. Default `$AGENTGATE_PUBLIC_URL/docs` (the gateway serves its own docs folder).',
  },
  AGENTGATE_REFRESH_MARGIN_SECONDS: {
    schema: positiveInt.max(86400).default(300),
    doc: 'Access tokens expiring within this many seconds are refreshed before use and by the background refresher.',
  },
  AGENTGATE_REFRESH_LEASE_SECONDS: {
    schema: positiveInt.min(5).max(600).default(30),
    doc: 'How long one refresh may hold an account across all replicas; a holder that dies releases it when it lapses.',
  },
  AGENTGATE_REFRESH_INTERVAL_SECONDS: {
    schema: z.coerce.number().int().min(0).max(3600).default(30),
    doc: 'How often the background refresher looks for tokens to refresh ahead of expiry; `0` turns it off.',
  },
  AGENTGATE_KEEPALIVE_DAYS: {
    schema: positiveInt.max(365).default(7),
    doc: 'Refresh tokens not used for this many days are refreshed anyway, so providers that revoke idle grants do not.',
  },
  AGENTGATE_WEBHOOK_INTERVAL_MS: {
    schema: positiveInt.min(100).max(3_600_000).default(2000),
    doc: 'How often, in milliseconds, each gateway process sends the webhook deliveries that are due (retries included).',
  },
  AGENTGATE_ACCOUNT_CACHE_TTL_SECONDS: {
    schema: z.coerce.number().int().min(0).max(3600).default(30),
    doc: 'How long a connected account and its decrypted credentials stay in memory for tool calls and the proxy; 0 turns the cache off.',
  },
  AGENTGATE_TOOL_TIMEOUT_MS: {
    schema: positiveInt.min(100).max(600_000).default(60_000),
    doc: 'Deadline of one tool call or proxied call, retries included, in milliseconds.',
  },
  AGENTGATE_TOOL_MAX_RESPONSE_BYTES: {
    schema: positiveInt.min(1024).max(100 * 1024 * 1024).default(5 * 1024 * 1024),
    doc: 'Largest upstream answer a tool call or proxied call accepts, in bytes.',
  },
  AGENTGATE_TOKEN_RATE_LIMIT: {
    schema: positiveInt.default(10),
    doc: 'Failed `POST /oauth/token` attempts allowed per client id and per address in a minute before `429 rate_limited`.',
  },
} as const;

type Vars = typeof CONFIG_VARIABLES;
type Parsed = { [K in keyof Vars]: z.output<Vars[K]['schema']> };

export interface Config {
  readonly env: 'development' | 'production' | 'test';
  readonly port: number;
  readonly host: string;
  readonly publicUrl: string;
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  readonly encryptionKeys: readonly { readonly version: number; readonly key: Buffer }[] | undefined;
  readonly admin: { readonly clientId: string; readonly clientSecret: string } | undefined;
  readonly allowPrivateUpstreams: boolean;
  /** AGENTGATE_EXTRA_CA_CERTS: path of a PEM bundle trusted for outbound TLS on top of the defaults (the file is read by whoever builds the outbound clients). */
  readonly extraCaCerts: string | undefined;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  readonly tokenTtlSeconds: number;
  readonly bodyLimitBytes: number;
  /** Proxies in front of the gateway whose X-Forwarded-For is trusted (0: none). */
  readonly trustProxyHops: number;
  readonly tokenRateLimit: number;
  readonly linkTtlSeconds: number;
  readonly flowTtlSeconds: number;
  readonly verifyTtlSeconds: number;
  readonly docsUrl: string;
  readonly refresh: { readonly marginSeconds: number; readonly leaseSeconds: number; readonly intervalSeconds: number; readonly keepAliveDays: number };
  readonly webhookIntervalMs: number;
  readonly tools: { readonly accountCacheTtlSeconds: number; readonly timeoutMs: number; readonly maxResponseBytes: number };
  /** False when publicUrl and docsUrl are derived from PORT: with PORT=0 the server re-derives them from the port it gets. */
  readonly publicUrlConfigured: boolean;
  readonly docsUrlConfigured: boolean;
}

/** Thrown with every bad variable listed, one per line. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses the environment. Empty strings count as unset so that `FOO= npm start` means the default.
 * @example const config = loadConfig(process.env)
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const problems: string[] = [];
  const values: Partial<Record<keyof Vars, unknown>> = {};
  for (const [name, variable] of Object.entries(CONFIG_VARIABLES) as [keyof Vars, Vars[keyof Vars]][]) {
    const raw = env[name] === '' ? undefined : env[name];
    const result = variable.schema.safeParse(raw);
    if (result.success) values[name] = result.data;
    else problems.push(`${name}: ${result.error.issues.map((i) => i.message).join('; ')}`);
  }
  const v = values as Parsed;
  // Cross-variable rules look at what was given, so they are listed together with every other problem.
  const given = (name: keyof Vars) => env[name] !== undefined && env[name] !== '';
  if (given('AGENTGATE_ADMIN_CLIENT_ID') !== given('AGENTGATE_ADMIN_CLIENT_SECRET')) {
    problems.push('AGENTGATE_ADMIN_CLIENT_ID and AGENTGATE_ADMIN_CLIENT_SECRET: set both or neither');
  }
  if (v.NODE_ENV === 'production' && !given('AGENTGATE_ENCRYPTION_KEYS')) {
    problems.push('AGENTGATE_ENCRYPTION_KEYS: required when NODE_ENV=production (generate one with `openssl rand -base64 32` and set "1:<key>")');
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const production = v.NODE_ENV === 'production';
  const publicUrl = (v.AGENTGATE_PUBLIC_URL ?? `http://localhost:${v.PORT}`).replace(/\/+$/, '');
  return Object.freeze({
    env: v.NODE_ENV,
    port: v.PORT,
    host: v.HOST ?? (production ? '0.0.0.0' : '127.0.0.1'),
    publicUrl,
    dataDir: v.AGENTGATE_DATA_DIR,
    databaseUrl: v.DATABASE_URL,
    encryptionKeys: v.AGENTGATE_ENCRYPTION_KEYS,
    admin:
      v.AGENTGATE_ADMIN_CLIENT_ID !== undefined && v.AGENTGATE_ADMIN_CLIENT_SECRET !== undefined
        ? { clientId: v.AGENTGATE_ADMIN_CLIENT_ID, clientSecret: v.AGENTGATE_ADMIN_CLIENT_SECRET }
        : undefined,
    allowPrivateUpstreams: v.AGENTGATE_ALLOW_PRIVATE_UPSTREAMS,
    extraCaCerts: v.AGENTGATE_EXTRA_CA_CERTS,
    logLevel: v.AGENTGATE_LOG_LEVEL,
    tokenTtlSeconds: v.AGENTGATE_TOKEN_TTL_SECONDS,
    bodyLimitBytes: v.AGENTGATE_BODY_LIMIT_BYTES,
    trustProxyHops: v.AGENTGATE_TRUST_PROXY_HOPS,
    tokenRateLimit: v.AGENTGATE_TOKEN_RATE_LIMIT,
    linkTtlSeconds: v.AGENTGATE_LINK_TTL_SECONDS,
    flowTtlSeconds: v.AGENTGATE_FLOW_TTL_SECONDS,
    verifyTtlSeconds: v.AGENTGATE_VERIFY_TTL_SECONDS,
    docsUrl: (v.AGENTGATE_DOCS_URL ?? `${publicUrl}/docs`).replace(/\/+$/, ''),
    refresh: {
      marginSeconds: v.AGENTGATE_REFRESH_MARGIN_SECONDS,
      leaseSeconds: v.AGENTGATE_REFRESH_LEASE_SECONDS,
      intervalSeconds: v.AGENTGATE_REFRESH_INTERVAL_SECONDS,
      keepAliveDays: v.AGENTGATE_KEEPALIVE_DAYS,
    },
    webhookIntervalMs: v.AGENTGATE_WEBHOOK_INTERVAL_MS,
    tools: { accountCacheTtlSeconds: v.AGENTGATE_ACCOUNT_CACHE_TTL_SECONDS, timeoutMs: v.AGENTGATE_TOOL_TIMEOUT_MS, maxResponseBytes: v.AGENTGATE_TOOL_MAX_RESPONSE_BYTES },
    publicUrlConfigured: v.AGENTGATE_PUBLIC_URL !== undefined,
    docsUrlConfigured: v.AGENTGATE_DOCS_URL !== undefined,
  });
}
