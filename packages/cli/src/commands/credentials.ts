/**
 * @module `agentgate credentials create|list|revoke`: the API credentials (client id + secret) that
 * applications and the API commands exchange for bearer tokens.
 *
 * Server-side on purpose: the first credential cannot be created through an API that needs one.
 */
import type { CommandContext, GroupCommand, LeafCommand, OptionSpecs } from '../command.ts';
import { withStore, type StoreSession } from '../database.ts';
import { formatTime } from '../output.ts';

const ENVIRONMENT_OPTION: OptionSpecs = {
  environment: { type: 'string', short: 'e', value: 'NAME_OR_ID', description: 'Environment (default "default").' },
};

type Environment = Awaited<ReturnType<StoreSession['server']['findEnvironment']>>;
type Credential = Awaited<ReturnType<StoreSession['store']['credentials']['list']>>[number];

function wantedEnvironment(ctx: CommandContext, { server }: StoreSession): string {
  return ctx.string('environment') ?? server.DEFAULT_ENVIRONMENT_NAME;
}

/**
 * The environment to create a credential in. The default one is created on demand so that
 * `credentials create` works on a database no gateway has started on yet; any other must exist,
 * because a typo silently creating an environment would hand out a credential that sees none of
 * the expected data.
 */
async function environmentForCreate(ctx: CommandContext, session: StoreSession): Promise<Environment> {
  const { server, store } = session;
  const wanted = wantedEnvironment(ctx, session);
  return wanted === server.DEFAULT_ENVIRONMENT_NAME ? server.ensureEnvironment(store, wanted, new Date()) : server.findEnvironment(store, wanted);
}

/** The environment to list; undefined for a default environment that does not exist yet (nothing to list). */
async function environmentForList(ctx: CommandContext, session: StoreSession): Promise<Environment | undefined> {
  const { server, store } = session;
  const wanted = wantedEnvironment(ctx, session);
  return wanted === server.DEFAULT_ENVIRONMENT_NAME ? store.environments.findByName(wanted) : server.findEnvironment(store, wanted);
}

/** Everything but the secret hash, which is useless to anyone but an attacker. */
function publicView(credential: Credential) {
  return {
    id: credential.id,
    environmentId: credential.environmentId,
    name: credential.name,
    createdAt: credential.createdAt,
    lastUsedAt: credential.lastUsedAt,
    revokedAt: credential.revokedAt,
  };
}

const create: LeafCommand = {
  kind: 'leaf',
  summary: 'Create an API credential and print its secret (once)',
  usage: ['credentials create [--name NAME] [--environment NAME_OR_ID]'],
  notes: [
    'Only a hash of the secret is stored: copy it when it is printed, it cannot be shown again.',
    'With the embedded database, stop the gateway first (one process at a time per data folder).',
  ],
  options: {
    name: { type: 'string', short: 'n', value: 'NAME', description: 'A label to recognise it by (default "agentgate CLI").' },
    ...ENVIRONMENT_OPTION,
  },
  positionals: { names: [], required: 0 },
  async run(ctx) {
    const name = ctx.string('name') ?? 'agentgate CLI';
    await withStore(ctx, async (session) => {
      const environment = await environmentForCreate(ctx, session);
      const { credential, clientSecret } = await session.server.createCredential(session.store, { environmentId: environment.id, name }, new Date());
      const { output } = ctx;
      if (output.jsonMode) {
        output.warn('the client secret is shown only now and cannot be retrieved again; store it safely');
        return output.json({ credential: publicView(credential), clientSecret });
      }
      output.line(`Created API credential "${credential.name}" in environment "${environment.name}" (${environment.id}).`);
      output.line('');
      output.line(`  AGENTGATE_CLIENT_ID=${credential.id}`);
      output.line(`  AGENTGATE_CLIENT_SECRET=${clientSecret}`);
      output.line('');
      output.line('Store the secret now: only its hash is kept, so it will NOT be shown again.');
    });
  },
};

const list: LeafCommand = {
  kind: 'leaf',
  summary: 'List the API credentials of an environment (never their secrets)',
  usage: ['credentials list [--environment NAME_OR_ID]'],
  options: { ...ENVIRONMENT_OPTION },
  positionals: { names: [], required: 0 },
  async run(ctx) {
    await withStore(ctx, async (session) => {
      const environment = await environmentForList(ctx, session);
      const credentials = environment === undefined ? [] : (await session.store.credentials.list(environment.id)).map(publicView);
      const { output } = ctx;
      if (output.jsonMode) return output.json({ credentials });
      if (credentials.length === 0) return output.line('No API credentials (create one with `agentgate credentials create`).');
      output.table(credentials, [
        { header: 'ID', value: (c) => c.id },
        { header: 'NAME', value: (c) => c.name },
        { header: 'CREATED', value: (c) => formatTime(c.createdAt) },
        { header: 'LAST USED', value: (c) => formatTime(c.lastUsedAt, 'never') },
        { header: 'REVOKED', value: (c) => formatTime(c.revokedAt, '-') },
      ]);
    });
  },
};

const revoke: LeafCommand = {
  kind: 'leaf',
  summary: 'Revoke an API credential',
  usage: ['credentials revoke <client_id>'],
  notes: ['New tokens are refused at once; tokens already issued with it stop working within seconds.'],
  options: {},
  positionals: { names: ['client_id'], required: 1 },
  async run(ctx) {
    const id = ctx.args[0] ?? '';
    await withStore(ctx, async ({ server, store }) => {
      const at = new Date();
      await server.revokeCredential(store, id, at);
      const { output } = ctx;
      if (output.jsonMode) return output.json({ revoked: { id, revokedAt: at } });
      output.line(`Revoked API credential ${id}.`);
    });
  },
};

export const command: GroupCommand = {
  kind: 'group',
  summary: 'Create, list and revoke API credentials (server-side: uses the database directly)',
  notes: ['Uses the same variables as `start` (AGENTGATE_DATA_DIR or DATABASE_URL).'],
  subcommands: { create, list, revoke },
};
