/**
 * @module `agentgate connections list|create|show`: a developer's configurations of connectors,
 * through the API (a gateway must be running).
 */
import type { AuthType, Connection, ConnectionInput, ConnectionOAuthConfigInput } from '@agentgate/sdk';
import { API_OPTIONS, apiClient } from '../api.ts';
import type { CommandContext, GroupCommand, LeafCommand } from '../command.ts';
import { UsageError } from '../errors.ts';
import { readSecret } from '../input.ts';
import { formatTime, yesNo, type Output } from '../output.ts';
import { PAGE_OPTIONS, pageFooter, pageParams } from '../paging.ts';

const AUTH_TYPES: readonly AuthType[] = ['OAUTH', 'API_KEY', 'BEARER_TOKEN', 'BASIC_AUTH', 'KEY_PAIR'];

const list: LeafCommand = {
  kind: 'leaf',
  summary: 'List connections, oldest first',
  usage: ['connections list [--provider KEY] [--page-size N] [--page-token TOKEN]'],
  options: {
    provider: { type: 'string', value: 'KEY', description: 'Only connections of this connector (e.g. gmail).' },
    ...PAGE_OPTIONS,
    ...API_OPTIONS,
  },
  positionals: { names: [], required: 0 },
  async run(ctx) {
    const client = apiClient(ctx);
    const provider = ctx.string('provider');
    const page = await client.connections.list({ ...pageParams(ctx), ...(provider === undefined ? {} : { provider }) });
    const { output } = ctx;
    if (output.jsonMode) return output.json(page);
    if (page.connections.length === 0 && page.totalSize === 0) {
      return output.line('No connections (create one with `agentgate connections create --provider KEY --name NAME`).');
    }
    output.table(page.connections, [
      { header: 'NAME', value: (c) => c.name },
      { header: 'ID', value: (c) => c.id },
      { header: 'PROVIDER', value: (c) => c.provider },
      { header: 'TYPE', value: (c) => c.type },
      { header: 'STATUS', value: (c) => c.status },
      { header: 'ENABLED', value: (c) => yesNo(c.enabled) },
      { header: 'CREATED', value: (c) => formatTime(c.createdAt) },
    ]);
    pageFooter(output, page, page.connections.length, 'connection');
  },
};

const create: LeafCommand = {
  kind: 'leaf',
  summary: 'Create a connection',
  usage: [
    'connections create --provider KEY --name NAME [--type TYPE] [--scopes a,b]',
    '         [--oauth-client-id ID] [--oauth-client-secret-stdin | --oauth-client-secret SECRET]',
  ],
  notes: [
    'For OAuth connectors, --oauth-client-id and --oauth-client-secret are YOUR OAuth app at the provider.',
    'Prefer --oauth-client-secret-stdin: a secret on the command line lands in shell history. Without a client',
    'id and secret an OAuth connection is created as a DRAFT. Register the printed redirect URI with the',
    'provider. Connector keys: GET /api/v1/providers.',
  ],
  options: {
    provider: { type: 'string', short: 'p', value: 'KEY', description: 'Connector key, e.g. gmail (required).' },
    name: { type: 'string', short: 'n', value: 'NAME', description: 'Unique name: 1–64 letters, digits, "-", "_", "." (required).' },
    type: { type: 'string', value: 'TYPE', description: `${AUTH_TYPES.join('|')} (default: the connector's first).` },
    'oauth-client-id': { type: 'string', value: 'ID', description: 'OAuth client id of your app at the provider.' },
    'oauth-client-secret-stdin': { type: 'boolean', description: 'Read the OAuth client secret from stdin (prompted at a terminal).' },
    'oauth-client-secret': { type: 'string', value: 'SECRET', description: 'OAuth client secret (visible in shell history; prefer --oauth-client-secret-stdin).' },
    scopes: { type: 'string', value: 'a,b', description: "Comma-separated OAuth scopes (default: the connector's)." },
    ...API_OPTIONS,
  },
  positionals: { names: [], required: 0 },
  async run(ctx) {
    const input = connectionInput(ctx);
    const client = apiClient(ctx);
    // Read after the client is built, so a missing API credential fails before the user types a secret.
    const secret = ctx.flag('oauth-client-secret-stdin') ? await readSecret('OAuth client secret: ') : ctx.string('oauth-client-secret');
    if (secret !== undefined) input.oauthConfig = { ...input.oauthConfig, clientSecret: secret };
    const connection = await client.connections.create(input);
    const { output } = ctx;
    if (output.jsonMode) return output.json({ connection });
    output.line(`Created connection "${connection.name}".`);
    output.line('');
    showConnection(output, connection);
  },
};

function connectionInput(ctx: CommandContext): ConnectionInput {
  const provider = ctx.string('provider');
  const name = ctx.string('name');
  const hint = 'see "agentgate connections create --help"';
  if (provider === undefined || name === undefined) throw new UsageError('--provider and --name are required', hint);
  if (ctx.flag('oauth-client-secret-stdin') && ctx.string('oauth-client-secret') !== undefined) {
    throw new UsageError('give --oauth-client-secret or --oauth-client-secret-stdin, not both', hint);
  }
  if (ctx.string('oauth-client-secret') !== undefined) {
    ctx.output.warn('a secret on the command line lands in shell history and process lists; prefer --oauth-client-secret-stdin');
  }
  const input: ConnectionInput = { provider, name };
  const type = ctx.string('type')?.toUpperCase();
  if (type !== undefined) {
    if (!(AUTH_TYPES as readonly string[]).includes(type)) throw new UsageError(`--type must be one of ${AUTH_TYPES.join(', ')}, got "${ctx.string('type')}"`, hint);
    input.type = type as AuthType;
  }
  const oauth: ConnectionOAuthConfigInput = {};
  const clientId = ctx.string('oauth-client-id');
  if (clientId !== undefined) oauth.clientId = clientId;
  const scopes = ctx.string('scopes');
  if (scopes !== undefined) oauth.scopes = scopes.split(',').map((scope) => scope.trim()).filter((scope) => scope !== '');
  // Only sent when given: the server rejects oauth_config on non-OAuth connections.
  if (Object.keys(oauth).length > 0) input.oauthConfig = oauth;
  return input;
}

const show: LeafCommand = {
  kind: 'leaf',
  summary: 'Show one connection, with the redirect URI to register for OAuth',
  usage: ['connections show <id|name>'],
  options: { ...API_OPTIONS },
  positionals: { names: ['id|name'], required: 1 },
  async run(ctx) {
    const connection = await apiClient(ctx).connections.get(ctx.args[0] ?? '');
    const { output } = ctx;
    if (output.jsonMode) return output.json({ connection });
    showConnection(output, connection);
  },
};

function showConnection(output: Output, connection: Connection): void {
  const oauth = connection.oauthConfig;
  output.details([
    ['ID', connection.id],
    ['Name', connection.name],
    ['Provider', connection.provider],
    ['Type', connection.type],
    ['Status', connection.status],
    ['Enabled', yesNo(connection.enabled)],
    ...(oauth === undefined
      ? []
      : ([
          ['Client ID', oauth.clientId ?? '(not set)'],
          ['Client secret', oauth.clientSecretSet ? 'set' : '(not set)'],
          ['Scopes', oauth.scopes.length === 0 ? '-' : oauth.scopes.join(', ')],
          ['PKCE', yesNo(oauth.pkceEnabled)],
        ] as const)),
    ...(connection.apiConfig.base_url === undefined ? [] : ([['Base URL', connection.apiConfig.base_url]] as const)),
    ['Created', formatTime(connection.createdAt)],
    ['Updated', formatTime(connection.updatedAt)],
  ]);
  if (oauth === undefined) return;
  // The one value users must copy into the provider's console, so it stands apart.
  output.line('');
  output.line("Redirect URI (register it in your OAuth app's settings at the provider):");
  output.line(`  ${oauth.redirectUri}`);
  if (connection.status === 'DRAFT') {
    output.line('');
    output.line('This connection is a DRAFT: users cannot authorize until it has a client id and secret.');
  }
}

export const command: GroupCommand = {
  kind: 'group',
  summary: 'List, create and show connections (through the API of a running gateway)',
  notes: ['Needs AGENTGATE_URL (default http://localhost:8080), AGENTGATE_CLIENT_ID and AGENTGATE_CLIENT_SECRET.'],
  subcommands: { list, create, show },
};
