/**
 * @module `agentgate vault status|rotate`: which encryption key versions the stored secrets use, and
 * re-encrypting all of them to the newest key so that an old key can be removed.
 *
 * Server-side: it reads and writes the sealed columns directly, with the same AGENTGATE_ENCRYPTION_KEYS
 * (or development key) as `start`.
 */
import type { CommandContext, GroupCommand, LeafCommand } from '../command.ts';
import { describeDatabase, withStore, type ServerModule, type StoreSession } from '../database.ts';
import { CliError, UsageError } from '../errors.ts';
import { plural } from '../output.ts';
import { createProgress, formatCount } from '../progress.ts';

type Vault = ReturnType<ServerModule['vaultFor']>;
type FieldUsage = Awaited<ReturnType<ServerModule['vaultKeyUsage']>>[number];

interface VaultSession extends StoreSession {
  readonly vault: Vault;
  /** Where the keys came from, for humans. */
  readonly keySource: string;
}

async function withVault<T>(ctx: CommandContext, work: (session: VaultSession) => Promise<T>): Promise<T> {
  return withStore(ctx, async (session) => {
    const { server } = session;
    const config = server.loadConfig(ctx.env);
    const vault = server.vaultFor(config, server.createLogger('silent'));
    const keySource = config.encryptionKeys === undefined ? `the development key in ${config.dataDir}/encryption-key` : 'AGENTGATE_ENCRYPTION_KEYS';
    return work({ ...session, vault, keySource });
  });
}

/** What the stored values need from the configured keys. */
function assess(server: ServerModule, usage: readonly FieldUsage[], vault: Vault) {
  const inUse = server.versionsInUse(usage);
  const count = (filter: (version: number) => boolean) => [...inUse].filter(([v]) => filter(v)).reduce((sum, [, n]) => sum + n, 0);
  const unreadable = server.UNREADABLE_VERSION;
  return {
    inUse,
    /** On a configured key other than the primary: what `rotate` moves. */
    onOlderKeys: count((v) => v !== vault.primaryVersion && vault.versions.includes(v)),
    unreadable: count((v) => v === unreadable),
    notConfigured: [...server.missingVersions(usage, vault).keys()],
    removable: vault.versions.filter((v) => v !== vault.primaryVersion && !inUse.has(v)),
  };
}

const versionList = (versions: ReadonlyMap<number, number>) =>
  versions.size === 0 ? '-' : [...versions].map(([v, n]) => `${v === 0 ? 'unreadable' : `v${v}`}: ${formatCount(n)}`).join(', ');

/** The advice line shared by status and the end of rotate. */
function advise(ctx: CommandContext, state: ReturnType<typeof assess>, vault: Vault): void {
  const { output } = ctx;
  for (const version of state.notConfigured) {
    output.warn(`key version ${version} (${formatCount(state.inUse.get(version) ?? 0)} values) is not configured: the gateway refuses to start; add it back to AGENTGATE_ENCRYPTION_KEYS after the new key`);
  }
  if (state.unreadable > 0) output.warn(`${plural(state.unreadable, 'value')} are not vault ciphertexts (corrupt): \`vault rotate\` reports them as failed`);
  if (state.onOlderKeys > 0) return output.line(`${plural(state.onOlderKeys, 'value')} on older keys: run \`agentgate vault rotate\` (with key ${vault.primaryVersion} first).`);
  if (state.removable.length > 0) {
    return output.line(`Every stored value is on key version ${vault.primaryVersion}: version ${state.removable.join(', ')} can be removed from AGENTGATE_ENCRYPTION_KEYS.`);
  }
  if (state.notConfigured.length === 0) output.line(`Every stored value is on key version ${vault.primaryVersion}.`);
}

const status: LeafCommand = {
  kind: 'leaf',
  summary: 'Show the configured key versions and the versions the stored secrets use, per table',
  usage: ['vault status'],
  notes: ['Run it before removing an old key: a version may go once no stored value uses it.'],
  options: {},
  positionals: { names: [], required: 0 },
  async run(ctx) {
    await withVault(ctx, async ({ server, store, vault, keySource, database }) => {
      const usage = await server.vaultKeyUsage(store);
      const state = assess(server, usage, vault);
      const { output } = ctx;
      if (output.jsonMode) {
        return output.json({
          primaryVersion: vault.primaryVersion,
          configuredVersions: vault.versions,
          inUse: [...state.inUse].map(([version, count]) => ({ version, count, configured: vault.versions.includes(version) })),
          fields: usage.map((f) => ({ table: f.table, field: f.field, total: f.total, versions: [...f.versions].map(([version, count]) => ({ version, count })) })),
          onOlderKeys: state.onOlderKeys,
          notConfigured: state.notConfigured,
          removableVersions: state.removable,
          unreadable: state.unreadable,
        });
      }
      output.details([
        ['Keys', `${vault.versions.map((v) => (v === vault.primaryVersion ? `${v} (encrypts)` : String(v))).join(', ')} from ${keySource}`],
        ['Database', describeDatabase(database)],
      ]);
      output.line('');
      output.table(usage, [
        { header: 'TABLE', value: (f) => f.table },
        { header: 'FIELD', value: (f) => f.field },
        { header: 'VALUES', value: (f) => formatCount(f.total) },
        { header: 'BY KEY VERSION', value: (f) => versionList(f.versions) },
      ]);
      output.line('');
      advise(ctx, state, vault);
    });
  },
};

function batchSizeOf(ctx: CommandContext): number {
  const text = ctx.string('batch-size');
  if (text === undefined) return 500;
  const size = Number(text);
  if (!/^\d+$/.test(text) || size < 1 || size > 10_000) throw new UsageError(`--batch-size must be a whole number from 1 to 10000, not "${text}"`, `see "agentgate ${ctx.path} --help"`);
  return size;
}

const rotate: LeafCommand = {
  kind: 'leaf',
  summary: 'Re-encrypt every stored secret to the first key of AGENTGATE_ENCRYPTION_KEYS',
  usage: ['vault rotate [--batch-size N]'],
  notes: [
    'Put the new key first and keep the old one after it ("2:new,1:old"), run this, check `vault status`,',
    'then remove the old key. Safe to interrupt and run again: it only picks values still on older keys.',
    'With PostgreSQL it may run beside live gateways (they must already have the new key list); a value a',
    'gateway writes meanwhile is never overwritten. With the embedded database, stop the gateway first.',
    'Exits 1 when a value could not be decrypted.',
  ],
  options: {
    'batch-size': { type: 'string', value: 'N', description: 'Values read and written per statement (default 500).' },
  },
  positionals: { names: [], required: 0 },
  async run(ctx) {
    const batchSize = batchSizeOf(ctx);
    await withVault(ctx, async ({ server, store, vault }) => {
      const { output } = ctx;
      const bar = !output.jsonMode && process.stderr.isTTY === true;
      const progress = createProgress(bar ? process.stderr : { write: (text: string) => output.info(text.replace(/\n$/, '')) }, { bar, label: 'Re-encrypting' });
      const started = performance.now();
      let result: Awaited<ReturnType<ServerModule['rotateVault']>>;
      try {
        result = await server.rotateVault(store, vault, { batchSize, onProgress: (p) => progress.update({ done: p.done, total: p.total, detail: `${p.table}.${p.field}` }) });
      } finally {
        progress.finish();
      }
      const seconds = (performance.now() - started) / 1000;
      const state = assess(server, await server.vaultKeyUsage(store), vault);
      if (output.jsonMode) {
        output.json({ ...result, nothingToDo: result.total === 0, seconds: Number(seconds.toFixed(3)), onOlderKeys: state.onOlderKeys, removableVersions: state.removable });
      } else if (result.total === 0) {
        output.line(`Nothing to do: every stored secret is already on key version ${vault.primaryVersion}.`);
      } else {
        output.line(`Re-encrypted ${formatCount(result.reencrypted)} of ${formatCount(result.total)} values to key version ${vault.primaryVersion} in ${seconds.toFixed(1)} s (${formatCount(result.skipped)} skipped, ${formatCount(result.failed)} failed).`);
        output.line('');
        output.table(result.byTable, [
          { header: 'TABLE', value: (f) => f.table },
          { header: 'FIELD', value: (f) => f.field },
          { header: 'SCANNED', value: (f) => formatCount(f.scanned) },
          { header: 'RE-ENCRYPTED', value: (f) => formatCount(f.reencrypted) },
          { header: 'SKIPPED', value: (f) => formatCount(f.skipped) },
          { header: 'FAILED', value: (f) => formatCount(f.failed) },
        ]);
        output.line('');
        if (result.skipped > 0) output.line(`Skipped values were rewritten by a gateway during the run; any still on an older key is picked up by running again.`);
        for (const failure of result.failures.slice(0, 10)) output.line(`Failed: ${failure.table}.${failure.field} ${failure.id}: ${failure.reason}`);
        advise(ctx, state, vault);
      }
      if (result.failed > 0) {
        throw new CliError(`${plural(result.failed, 'value')} could not be decrypted and stayed on ${result.failed === 1 ? 'its' : 'their'} old key (see the failures above or in the JSON)`);
      }
    });
  },
};

export const command: GroupCommand = {
  kind: 'group',
  summary: 'Show encryption key usage and re-encrypt stored secrets to the newest key (server-side)',
  notes: ['Uses the same variables as `start` (AGENTGATE_DATA_DIR or DATABASE_URL, AGENTGATE_ENCRYPTION_KEYS).'],
  subcommands: { status, rotate },
};
