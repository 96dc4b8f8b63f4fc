/** @module The storage ports the domain needs. `storage/` implements them; the domain never sees SQL. */
import type { AccountStatus, ApiCredential, AuthRequest, AuthorizationLink, ConnectedAccount, Connection, Environment, GatewayEvent, Settings } from './model.ts';
import type { McpConfigRepository } from './mcp/mcp-port.ts';
import type { WebhookRepository } from './webhooks/webhook-port.ts';

/** A window of rows ordered by id: after a cursor (forwards) or before one (backwards). */
export interface PageWindow {
  readonly after?: string;
  readonly before?: string;
  readonly limit: number;
}

export interface AccountFilter {
  readonly connectionIds?: readonly string[];
  readonly provider?: string;
  readonly identifier?: string;
  readonly status?: AccountStatus;
  /** Case-insensitive substring over identifier, connection name and provider. */
  readonly query?: string;
  readonly organizationId?: string;
  readonly userId?: string;
}

export interface AccountKey {
  readonly connectionId: string;
  readonly identifier: string;
  readonly organizationId: string;
  readonly userId: string;
}

export interface EventFilter {
  readonly types?: readonly string[];
  readonly connectedAccountId?: string;
  readonly connectionId?: string;
  readonly connectionName?: string;
  readonly from?: Date;
  readonly to?: Date;
}

/** Thrown by a store when an insert or update hits a unique constraint. */
export class UniqueViolation extends Error {
  override name = 'UniqueViolation';
}

export interface EnvironmentRepository {
  findById(id: string): Promise<Environment | undefined>;
  findByName(name: string): Promise<Environment | undefined>;
  list(): Promise<Environment[]>;
  insert(environment: Environment): Promise<void>;
  /** Inserts unless one with that name exists; returns the stored one either way. */
  ensure(environment: Environment): Promise<Environment>;
  updateSettings(id: string, settings: Settings): Promise<void>;
}

export interface CredentialRepository {
  insert(credential: ApiCredential): Promise<void>;
  /** Inserts, or replaces the secret hash when the id exists (admin seeding). */
  upsert(credential: ApiCredential): Promise<void>;
  findById(id: string): Promise<ApiCredential | undefined>;
  list(environmentId: string): Promise<ApiCredential[]>;
  countActive(environmentId: string): Promise<number>;
  revoke(id: string, at: Date): Promise<boolean>;
  touch(id: string, at: Date): Promise<void>;
}

export interface SigningKeyRepository {
  list(): Promise<{ id: string; secretSealed: string; createdAt: Date }[]>;
  insertIfAbsent(key: { id: string; secretSealed: string; createdAt: Date }): Promise<void>;
}

export interface ConnectionRepository {
  insert(connection: Connection): Promise<void>;
  findById(environmentId: string, id: string): Promise<Connection | undefined>;
  findByName(environmentId: string, name: string): Promise<Connection | undefined>;
  findByNames(environmentId: string, names: readonly string[]): Promise<Connection[]>;
  findByIds(environmentId: string, ids: readonly string[]): Promise<Connection[]>;
  list(environmentId: string, filter: { provider?: string }, window: PageWindow): Promise<Connection[]>;
  count(environmentId: string, filter: { provider?: string }): Promise<number>;
  update(connection: Connection): Promise<void>;
  delete(environmentId: string, id: string): Promise<void>;
  countAccounts(connectionId: string): Promise<number>;
}

export interface AccountRepository {
  insert(account: ConnectedAccount): Promise<void>;
  findById(environmentId: string, id: string): Promise<ConnectedAccount | undefined>;
  /** The account and its connection in one round trip (the hot path of every account read). */
  findWithConnection(environmentId: string, id: string): Promise<{ account: ConnectedAccount; connection: Connection } | undefined>;
  findByKey(environmentId: string, key: AccountKey): Promise<ConnectedAccount | undefined>;
  list(environmentId: string, filter: AccountFilter, window: PageWindow): Promise<ConnectedAccount[]>;
  count(environmentId: string, filter: AccountFilter): Promise<number>;
  /** Writes when the stored version equals `account.version - 1`; false when someone else wrote first. */
  update(account: ConnectedAccount): Promise<boolean>;
  delete(environmentId: string, id: string): Promise<void>;
}

export interface EventRepository {
  insert(event: GatewayEvent): Promise<void>;
  /** Newest first. */
  list(environmentId: string, filter: EventFilter, window: PageWindow): Promise<GatewayEvent[]>;
  count(environmentId: string, filter: EventFilter): Promise<number>;
}

export interface LinkRepository {
  insert(link: AuthorizationLink): Promise<void>;
  findByTokenHash(tokenHash: string): Promise<AuthorizationLink | undefined>;
  findById(id: string): Promise<AuthorizationLink | undefined>;
  /** Marks the link used; false when it was used already (single use, race-free). */
  consume(id: string, at: Date): Promise<boolean>;
}

export interface AuthRequestRepository {
  insert(request: AuthRequest): Promise<void>;
  findByStateHash(stateHash: string): Promise<AuthRequest | undefined>;
  /**
   * Atomically consumes an unconsumed request and returns it, or undefined when it was consumed
   * already: two callbacks with one state can never both proceed.
   */
  consume(id: string, at: Date): Promise<AuthRequest | undefined>;
  findByVerificationHash(environmentId: string, verificationHash: string): Promise<AuthRequest | undefined>;
  /** Atomically takes a pending verification (clears its hash); undefined when someone took it first. */
  claimVerification(id: string, verificationHash: string): Promise<AuthRequest | undefined>;
  update(request: AuthRequest): Promise<void>;
  /** Requests whose verification window closed while tokens were still held. */
  listExpiredPending(now: Date, limit: number): Promise<AuthRequest[]>;
}

export type RefreshTrigger = 'on_demand' | 'background' | 'manual' | 'keep_alive' | 'upstream_401';
export type RefreshOutcome = 'succeeded' | 'reused' | 'failed_transient' | 'failed_permanent' | 'skipped_cooldown';

export interface RefreshAttempt {
  readonly id: string;
  readonly environmentId: string;
  readonly connectedAccountId: string;
  readonly trigger: RefreshTrigger;
  readonly outcome: RefreshOutcome;
  readonly reason: string | null;
  readonly durationMs: number;
  readonly startedAt: Date;
}

export interface RefreshState {
  readonly failures: number;
  readonly cooldownUntil: Date | null;
  readonly lastRefreshedAt: Date | null;
}

/** The lease and bookkeeping of token refresh. Lease times use the database's clock, shared by every replica. */
export interface RefreshRepository {
  /** Takes the account's refresh lease when it is free or expired; false when another holder has it. */
  acquireLease(accountId: string, owner: string, leaseMs: number): Promise<boolean>;
  releaseLease(accountId: string, owner: string): Promise<void>;
  /** Whether anyone holds an unexpired lease right now. */
  leaseHeld(accountId: string): Promise<boolean>;
  state(accountId: string): Promise<RefreshState | undefined>;
  setState(accountId: string, state: RefreshState): Promise<void>;
  insertAttempt(attempt: RefreshAttempt): Promise<void>;
  listAttempts(environmentId: string, accountId: string, window: PageWindow): Promise<RefreshAttempt[]>;
  /** ACTIVE OAuth accounts due for a refresh: expiring before `expiringBefore`, or idle since `idleSince`. */
  listDue(input: { expiringBefore: Date; idleSince: Date; now: Date; limit: number }): Promise<{ id: string; environmentId: string }[]>;
}

export type ToolCallSource = 'api' | 'seed' | 'cli' | 'mcp' | 'proxy' | 'diagnose' | 'dashboard';

/** One tool execution (or proxied call), as the logs keep it: no payloads unless the environment allows them. */
export interface ToolCallRecord {
  readonly executionId: string;
  readonly environmentId: string;
  readonly agentRunId: string | null;
  readonly toolName: string;
  readonly toolVersion: string | null;
  readonly provider: string | null;
  readonly connectedAccountId: string | null;
  readonly connectionId: string | null;
  readonly connectionName: string | null;
  readonly identifier: string | null;
  readonly source: ToolCallSource;
  readonly status: 'SUCCESS' | 'FAILED';
  readonly errorTier: 'provider' | 'platform' | null;
  readonly errorCode: string | null;
  readonly errorMessage: string | null;
  readonly upstreamStatus: number | null;
  readonly attempts: number;
  readonly durationMs: number;
  readonly startedAt: Date;
  readonly payload: Readonly<{ params?: unknown; data?: unknown }> | null;
}

export interface ToolCallLogFilter {
  readonly connectedAccountId?: string | undefined;
  readonly connectionName?: string | undefined;
  readonly identifier?: string | undefined;
  readonly agentRunId?: string | undefined;
  readonly toolName?: string | undefined;
  readonly statuses?: readonly string[] | undefined;
  readonly providers?: readonly string[] | undefined;
  readonly startTime?: Date | undefined;
  readonly endTime?: Date | undefined;
}

/** Executions of one connector with one outcome in one time bucket (the dashboard's charts). */
export interface ToolCallBucket {
  /** Start of the bucket: `from` plus a whole number of buckets. */
  readonly bucketStart: Date;
  readonly provider: string | null;
  readonly status: ToolCallRecord['status'];
  readonly errorTier: ToolCallRecord['errorTier'];
  readonly count: number;
}

export interface ToolCallLogRepository {
  /** Counts grouped by bucket, provider, status and error tier over `[from, to)` (one grouped query). */
  countByBucket(environmentId: string, filter: ToolCallLogFilter, range: { from: Date; to: Date; bucketSeconds: number }): Promise<ToolCallBucket[]>;
  insertMany(records: readonly ToolCallRecord[]): Promise<void>;
  /** Sets `last_used_at` (never moving it backwards); not a credential change, so caches stay valid. */
  touchAccounts(uses: readonly { id: string; at: Date }[]): Promise<void>;
  list(environmentId: string, filter: ToolCallLogFilter, window: PageWindow): Promise<ToolCallRecord[]>;
  find(environmentId: string, executionId: string): Promise<ToolCallRecord | undefined>;
}

/** A field the vault seals, named as its vault context names it (the AAD's table and field). */
export interface SealedField {
  readonly table: string;
  readonly field: string;
}

/**
 * Every sealed value, whatever its table, for key rotation. Versions are the text between the first
 * two dots of a ciphertext (`v1.<version>.…`); the domain parses them.
 */
export interface SealedValueRepository {
  /** How many non-null values of the field each version sealed (one grouped query). */
  countByVersion(field: SealedField): Promise<{ version: string; count: number }[]>;
  /** Up to `limit` values not sealed with `version`, ordered by row id, after the row id `after`. */
  listNotOnVersion(field: SealedField, version: number, window: { after?: string; limit: number }): Promise<{ id: string; sealed: string }[]>;
  /**
   * Writes `to` into each row whose value is still exactly `from` (a compare-and-set: a value someone
   * else wrote meanwhile is left alone); returns the ids written. Touches nothing else in the row.
   */
  replace(field: SealedField, changes: readonly { id: string; from: string; to: string }[]): Promise<string[]>;
}

export interface Store {
  readonly refresh: RefreshRepository;
  readonly links: LinkRepository;
  readonly authRequests: AuthRequestRepository;
  readonly environments: EnvironmentRepository;
  readonly credentials: CredentialRepository;
  readonly signingKeys: SigningKeyRepository;
  readonly connections: ConnectionRepository;
  readonly accounts: AccountRepository;
  readonly events: EventRepository;
  readonly sealedValues: SealedValueRepository;
  readonly webhooks: WebhookRepository;
  readonly mcpConfigs: McpConfigRepository;
  /** Runs `work` in one transaction; everything it writes lands together or not at all. */
  readonly toolCalls: ToolCallLogRepository;
  transaction<T>(work: (store: Store) => Promise<T>): Promise<T>;
  /** Runs `work` while holding a cluster-wide named lock (advisory lock on PostgreSQL). */
  withLock<T>(name: string, work: (store: Store) => Promise<T>): Promise<T>;
}
