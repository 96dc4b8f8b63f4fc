/**
 * @module `agentgate environments list|create`: the tenants of one installation. Each environment has
 * its own connections, accounts and credentials; a credential only ever sees its own environment.
 */
import type { LeafCommand, GroupCommand } from '../command.ts';
import { withStore } from '../database.ts';
import { CliError, UsageError } from '../errors.ts';
import { formatTime } from '../output.ts';

// Same rule as connection names. `env_` is reserved: commands resolve `env_…` as an id, so an
// environment named that way could never be found by its name.
const NAME = /^[A-Za-z0-9_.-]{1,64}$/;

const list: LeafCommand = {
  kind: 'leaf',
  summary: 'List environments with their number of active API credentials',
  usage: ['environments list'],
  options: {},
  positionals: { names: [], required: 0 },
  async run(ctx) {
    await withStore(ctx, async ({ store }) => {
      const environments = await store.environments.list();
      const rows = await Promise.all(
        environments.map(async (environment) => ({ ...environment, activeCredentials: await store.credentials.countActive(environment.id) })),
      );
      const { output } = ctx;
      if (output.jsonMode) return output.json({ environments: rows });
      if (rows.length === 0) return output.line('No environments yet (`agentgate start` or `agentgate credentials create` creates "default").');
      output.table(rows, [
        { header: 'ID', value: (row) => row.id },
        { header: 'NAME', value: (row) => row.name },
        { header: 'CREATED', value: (row) => formatTime(row.createdAt) },
        { header: 'ACTIVE CREDENTIALS', value: (row) => String(row.activeCredentials) },
      ]);
    });
  },
};

const create: LeafCommand = {
  kind: 'leaf',
  summary: 'Create an environment',
  usage: ['environments create <name>'],
  notes: ['Names are 1–64 letters, digits, "-", "_" or "." and must not start with "env_". Then give it a', 'credential: agentgate credentials create --environment <name>.'],
  options: {},
  positionals: { names: ['name'], required: 1 },
  async run(ctx) {
    const name = ctx.args[0] ?? '';
    if (!NAME.test(name) || name.startsWith('env_')) {
      throw new UsageError(`invalid environment name "${name}": use 1–64 letters, digits, "-", "_" or ".", not starting with "env_"`);
    }
    await withStore(ctx, async ({ server, store }) => {
      const environment = await store.transaction(async (tx) => {
        const existing = await tx.environments.findByName(name);
        if (existing !== undefined) throw new CliError(`environment "${name}" already exists (${existing.id})`);
        return server.ensureEnvironment(tx, name, new Date());
      });
      const { output } = ctx;
      if (output.jsonMode) return output.json({ environment });
      output.line(`Created environment "${environment.name}" (${environment.id}).`);
      output.line(`Give it an API credential: agentgate credentials create --environment ${environment.name}`);
    });
  },
};

export const command: GroupCommand = {
  kind: 'group',
  summary: 'List and create environments (server-side: uses the database directly)',
  subcommands: { list, create },
};
