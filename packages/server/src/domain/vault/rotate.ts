/**
 * @module Key rotation: which key versions the stored secrets use, the start-up check that every one
 * of them is configured, and the re-encryption of every secret to the primary (first) key.
 *
 * Rotation is resumable by construction: it only ever picks values not sealed with the primary key,
 * so an interrupted run simply continues where it stopped. It writes with a compare-and-set on the old
 * ciphertext and changes nothing else in the row (not `version`, not `updated_at`): a concurrent writer
 * (a refresh saving new tokens) is never overwritten and never sees its own compare-and-set fail.
 */
import type { SealedField, Store } from '../ports.ts';
import { VaultError, type Vault } from './vault.ts';

/**
 * Every field the gateway seals, as its vault context names it; the column is `<table>.<field>_sealed`.
 * A new sealed column is one more line here (rotation, `vault status` and the start-up check follow).
 */
export const SEALED_FIELDS: readonly SealedField[] = [
  { table: 'connections', field: 'client_secret' },
  { table: 'connected_accounts', field: 'credentials' },
  { table: 'signing_keys', field: 'secret' },
  { table: 'auth_requests', field: 'code_verifier' },
  { table: 'auth_requests', field: 'pending_tokens' },
  { table: 'webhook_endpoints', field: 'secret' },
  { table: 'webhook_endpoints', field: 'previous_secret' },
];

/** Stands for values whose version part is not a key version at all (not a vault ciphertext). */
export const UNREADABLE_VERSION = 0;

export interface FieldUsage extends SealedField {
  /** Key version → number of values sealed with it. */
  readonly versions: ReadonlyMap<number, number>;
  readonly total: number;
}

function parseVersion(text: string): number {
  const version = Number(text);
  return /^\d+$/.test(text) && Number.isSafeInteger(version) && version >= 1 ? version : UNREADABLE_VERSION;
}

/** How many values of each sealed field each key version sealed (one grouped query per field). */
export async function vaultKeyUsage(store: Store, fields: readonly SealedField[] = SEALED_FIELDS): Promise<FieldUsage[]> {
  const usage: FieldUsage[] = [];
  for (const field of fields) {
    const versions = new Map<number, number>();
    for (const { version, count } of await store.sealedValues.countByVersion(field)) {
      const parsed = parseVersion(version);
      versions.set(parsed, (versions.get(parsed) ?? 0) + count);
    }
    usage.push({ ...field, versions, total: [...versions.values()].reduce((a, b) => a + b, 0) });
  }
  return usage;
}

/** Key version → number of stored values sealed with it, over every sealed field. */
export function versionsInUse(usage: readonly FieldUsage[]): Map<number, number> {
  const total = new Map<number, number>();
  for (const field of usage) for (const [version, count] of field.versions) total.set(version, (total.get(version) ?? 0) + count);
  return new Map([...total].sort(([a], [b]) => b - a));
}

export async function vaultKeyVersionsInUse(store: Store): Promise<Map<number, number>> {
  return versionsInUse(await vaultKeyUsage(store));
}

/** Stored values use key versions the vault does not have: nothing sealed with them can be read. */
export class VaultKeysMissing extends VaultError {
  override name = 'VaultKeysMissing';
  constructor(
    /** Missing version → number of values sealed with it. */
    readonly missing: ReadonlyMap<number, number>,
    readonly configured: readonly number[],
  ) {
    const versions = [...missing.keys()];
    const counts = [...missing].map(([version, count]) => `version ${version} (${count} ${count === 1 ? 'value' : 'values'})`).join(', ');
    const example = [...configured, ...versions].map((v) => `${v}:<key ${v} base64>`).join(',');
    super(
      `Stored secrets are encrypted with key ${counts}, which the configured encryption keys (versions ${configured.join(', ')}) do not include. ` +
        `Add the missing ${versions.length === 1 ? 'key' : 'keys'} back, after the first one (an old key goes after the new one): AGENTGATE_ENCRYPTION_KEYS="${example}". ` +
        `Then run \`agentgate vault rotate\`, and remove an old key only once \`agentgate vault status\` shows no value uses it.`,
    );
  }
}

/** The versions in use that `vault` cannot decrypt, with their counts (empty when all is well). */
export function missingVersions(usage: readonly FieldUsage[], vault: Pick<Vault, 'versions'>): Map<number, number> {
  const configured = new Set(vault.versions);
  return new Map([...versionsInUse(usage)].filter(([version]) => version !== UNREADABLE_VERSION && !configured.has(version)));
}

/** Throws {@link VaultKeysMissing} when a stored value uses a key version the vault lacks (the start-up check). */
export async function assertVaultKeysKnown(store: Store, vault: Pick<Vault, 'versions'>): Promise<void> {
  const missing = missingVersions(await vaultKeyUsage(store), vault);
  if (missing.size > 0) throw new VaultKeysMissing(missing, vault.versions);
}

export interface FieldResult extends SealedField {
  /** Values found on an older key. */
  readonly scanned: number;
  readonly reencrypted: number;
  /** Changed by someone else between the read and the write: left as that writer left it. */
  readonly skipped: number;
  /** Could not be decrypted (corrupt, or bound to another row): left as it was. */
  readonly failed: number;
}

export interface RotationFailure extends SealedField {
  readonly id: string;
  readonly reason: string;
}

export interface RotationProgress {
  readonly table: string;
  readonly field: string;
  /** Values handled so far, over every field, and the number on older keys when the run began. */
  readonly done: number;
  readonly total: number;
  readonly reencrypted: number;
  readonly skipped: number;
  readonly failed: number;
}

export interface RotationOptions {
  /** Rows read and written per statement (default 500). */
  readonly batchSize?: number;
  /** Called after every batch; a throw stops the run there (whatever was written stays written). */
  readonly onProgress?: (progress: RotationProgress) => void | Promise<void>;
  readonly fields?: readonly SealedField[];
}

export interface RotationResult {
  readonly primaryVersion: number;
  /** Values on older keys when the run began. */
  readonly total: number;
  readonly scanned: number;
  readonly reencrypted: number;
  readonly skipped: number;
  readonly failed: number;
  readonly byTable: readonly FieldResult[];
  /** The first 100 failures. */
  readonly failures: readonly RotationFailure[];
}

const MAX_FAILURES_KEPT = 100;

/**
 * Re-encrypts every sealed value not on the vault's primary key to it. Refuses to start (with
 * {@link VaultKeysMissing}) when a stored value uses a key version the vault does not have.
 * @example const result = await rotateVault(store, createVault([key2, key1]), { batchSize: 500 })
 */
export async function rotateVault(store: Store, vault: Vault, options: RotationOptions = {}): Promise<RotationResult> {
  const batchSize = options.batchSize ?? 500;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be a whole number ≥ 1');
  const fields = options.fields ?? SEALED_FIELDS;
  const usage = await vaultKeyUsage(store, fields);
  const missing = missingVersions(usage, vault);
  if (missing.size > 0) throw new VaultKeysMissing(missing, vault.versions);
  const primary = vault.primaryVersion;
  const total = usage.reduce((sum, field) => sum + field.total - (field.versions.get(primary) ?? 0), 0);
  const totals = { scanned: 0, reencrypted: 0, skipped: 0, failed: 0 };
  const byTable: FieldResult[] = [];
  const failures: RotationFailure[] = [];

  for (const field of fields) {
    const counts = { scanned: 0, reencrypted: 0, skipped: 0, failed: 0 };
    let after: string | undefined;
    for (;;) {
      const page = await store.sealedValues.listNotOnVersion(field, primary, { ...(after === undefined ? {} : { after }), limit: batchSize });
      if (page.length === 0) break;
      after = page[page.length - 1]?.id;
      const changes: { id: string; from: string; to: string }[] = [];
      for (const row of page) {
        const context = { table: field.table, id: row.id, field: field.field };
        try {
          changes.push({ id: row.id, from: row.sealed, to: vault.encrypt(vault.decrypt(row.sealed, context), context) });
        } catch (error) {
          counts.failed++;
          if (failures.length < MAX_FAILURES_KEPT) failures.push({ ...field, id: row.id, reason: error instanceof Error ? error.message : String(error) });
        }
      }
      const written = (await store.sealedValues.replace(field, changes)).length;
      counts.scanned += page.length;
      counts.reencrypted += written;
      counts.skipped += changes.length - written;
      const done = totals.scanned + counts.scanned;
      await options.onProgress?.({
        table: field.table,
        field: field.field,
        // A value written on an old key while this runs can push `done` past the first count.
        done,
        total: Math.max(total, done),
        reencrypted: totals.reencrypted + counts.reencrypted,
        skipped: totals.skipped + counts.skipped,
        failed: totals.failed + counts.failed,
      });
      if (page.length < batchSize) break;
    }
    byTable.push({ ...field, ...counts });
    for (const key of Object.keys(totals) as (keyof typeof totals)[]) totals[key] += counts[key];
  }
  return { primaryVersion: primary, total, ...totals, byTable, failures };
}
