/**
 * @module `agentgate migrate`: applies pending migrations without starting the gateway, e.g. as a
 * deploy step before rolling out new replicas.
 */
import type { LeafCommand } from '../command.ts';
import { describeDatabase, withStore } from '../database.ts';

export const command: LeafCommand = {
  kind: 'leaf',
  summary: 'Apply pending database migrations and exit',
  usage: ['migrate'],
  notes: [
    'Opens the database `start` would use (AGENTGATE_DATA_DIR or DATABASE_URL). Safe to run again: it',
    'reports "up to date" when nothing is pending. `start` also migrates, so this is optional.',
  ],
  options: {},
  positionals: { names: [], required: 0 },
  async run(ctx) {
    await withStore(ctx, async ({ applied, database }) => {
      const { output } = ctx;
      if (output.jsonMode) return output.json({ applied, database: database.kind, location: database.location });
      if (applied.length === 0) return output.line(`Database is up to date (${describeDatabase(database)}).`);
      output.line(`Applied ${applied.length === 1 ? 'migration' : 'migrations'} ${applied.join(', ')} (${describeDatabase(database)}).`);
    });
  },
};
