/**
 * @module `agentgate accounts list|show|link|refresh|diagnose|delete`: end users' connected accounts,
 * through the API (a gateway must be running). Credentials are never shown: only the `auth` API call
 * returns them, and the CLI does not use it.
 */
import type { AccountRef, ConnectedAccount, ConnectedAccountStatus, ListConnectedAccountsParams } from '@agentgate/sdk';
import { API_OPTIONS, apiClient } from '../api.ts';
import type { CommandContext, GroupCommand, LeafCommand, OptionSpecs } from '../command.ts';
import { CliError, UsageError } from '../errors.ts';
import { confirm, isInteractive } from '../input.ts';
import { formatTime } from '../output.ts';
import { PAGE_OPTIONS, pageFooter, pageParams } from '../paging.ts';

const STATUSES: readonly ConnectedAccountStatus[] = ['PENDING_AUTH', 'PENDING_VERIFICATION', 'ACTIVE', 'EXPIRED', 'DISCONNECTED'];

const REF_OPTIONS: OptionSpecs = {
  connection: { type: 'string', short: 'c', value: 'NAME', description: 'Connection name (with --identifier, instead of an id).' },
  identifier: { type: 'string', short: 'i', value: 'ID', description: "The end user's identifier on that connection." },
};

const list: LeafCommand = {
  kind: 'leaf',
  summary: 'List connected accounts, oldest first',
  usage: ['accounts list [--connection NAME] [--identifier ID] [--status S] [--query Q] [--page-size N] [--page-token TOKEN]'],
  options: {
    connection: { type: 'string', short: 'c', value: 'NAME', description: 'Only accounts of this connection.' },
    identifier: { type: 'string', short: 'i', value: 'ID', description: 'Only accounts of this end-user identifier.' },
    status: { type: 'string', short: 's', value: 'STATUS', description: `${STATUSES.join('|')}.` },
    query: { type: 'string', short: 'q', value: 'TEXT', description: 'Case-insensitive text in identifier, connection name or provider.' },
    ...PAGE_OPTIONS,
    ...API_OPTIONS,
  },
  positionals: { names: [], required: 0 },
  async run(ctx) {
    const params = listParams(ctx);
    const page = await apiClient(ctx).connectedAccounts.list(params);
    const { output } = ctx;
    if (output.jsonMode) return output.json(page);
    if (page.connectedAccounts.length === 0 && page.totalSize === 0) return output.line('No connected accounts match.');
    output.table(page.connectedAccounts, [
      { header: 'ID', value: (a) => a.id },
      { header: 'CONNECTION', value: (a) => a.connectionName },
      { header: 'IDENTIFIER', value: (a) => a.identifier },
      { header: 'STATUS', value: (a) => a.status },
      { header: 'EXPIRES', value: (a) => formatTime(a.tokenExpiresAt) },
      { header: 'LAST USED', value: (a) => formatTime(a.lastUsedAt, 'never') },
    ]);
    pageFooter(output, page, page.connectedAccounts.length, 'connected account');
  },
};

function listParams(ctx: CommandContext): ListConnectedAccountsParams {
  const params: ListConnectedAccountsParams = { ...pageParams(ctx) };
  const connection = ctx.string('connection');
  const identifier = ctx.string('identifier');
  const query = ctx.string('query');
  const status = ctx.string('status')?.toUpperCase();
  if (connection !== undefined) params.connectionName = connection;
  if (identifier !== undefined) params.identifier = identifier;
  if (query !== undefined) params.query = query;
  if (status !== undefined) {
    if (!(STATUSES as readonly string[]).includes(status)) {
      throw new UsageError(`--status must be one of ${STATUSES.join(', ')}, got "${ctx.string('status')}"`, 'see "agentgate accounts list --help"');
    }
    params.status = status as ConnectedAccountStatus;
  }
  return params;
}

/** `<id>`, or `--connection` with `--identifier`: exactly one way to name the account. */
function accountRef(ctx: CommandContext): AccountRef {
  const id = ctx.args[0];
  const connectionName = ctx.string('connection');
  const identifier = ctx.string('identifier');
  const hint = `see "agentgate ${ctx.path} --help"`;
  if (id !== undefined) {
    if (connectionName !== undefined || identifier !== undefined) throw new UsageError('give an account id or --connection with --identifier, not both', hint);
    return { connectedAccountId: id };
  }
  if (connectionName === undefined || identifier === undefined) throw new UsageError('give an account id, or both --connection and --identifier', hint);
  return { connectionName, identifier };
}

const show: LeafCommand = {
  kind: 'leaf',
  summary: 'Show one connected account (never its credentials)',
  usage: ['accounts show <id>', 'accounts show --connection NAME --identifier ID'],
  options: { ...REF_OPTIONS, ...API_OPTIONS },
  positionals: { names: ['id'], required: 0 },
  async run(ctx) {
    const ref = accountRef(ctx);
    const account = await apiClient(ctx).connectedAccounts.getDetails(ref);
    const { output } = ctx;
    if (output.jsonMode) return output.json({ connectedAccount: account });
    output.details(accountDetails(account));
  },
};

function accountDetails(account: ConnectedAccount): [string, string][] {
  return [
    ['ID', account.id],
    ['Connection', `${account.connectionName} (${account.connectionId})`],
    ['Provider', account.provider],
    ['Identifier', account.identifier],
    ...(account.organizationId ? ([['Organization', account.organizationId]] as [string, string][]) : []),
    ...(account.userId ? ([['User', account.userId]] as [string, string][]) : []),
    ['Status', account.status],
    ['Auth type', account.authorizationType],
    ['Scopes', account.scopes.length === 0 ? '-' : account.scopes.join(', ')],
    ['Token expires', formatTime(account.tokenExpiresAt)],
    ['Last used', formatTime(account.lastUsedAt, 'never')],
    ['Created', formatTime(account.createdAt)],
    ['Updated', formatTime(account.updatedAt)],
    ...(Object.keys(account.apiConfig).length === 0 ? [] : ([['API config', JSON.stringify(account.apiConfig)]] as [string, string][])),
  ];
}

const remove: LeafCommand = {
  kind: 'leaf',
  summary: 'Delete a connected account and erase its credentials',
  usage: ['accounts delete <id> [--yes]', 'accounts delete --connection NAME --identifier ID [--yes]'],
  notes: [
    'Asks for confirmation at a terminal. Scripts must pass --yes: without a terminal to ask, the',
    'command refuses rather than delete unconfirmed.',
  ],
  options: {
    ...REF_OPTIONS,
    yes: { type: 'boolean', short: 'y', description: 'Delete without asking.' },
    ...API_OPTIONS,
  },
  positionals: { names: ['id'], required: 0 },
  async run(ctx) {
    let ref = accountRef(ctx);
    const assumeYes = ctx.flag('yes');
    if (!assumeYes && !isInteractive()) {
      throw new UsageError('refusing to delete without confirmation: stdin is not a terminal; pass --yes to delete');
    }
    const client = apiClient(ctx);
    const { output } = ctx;
    if (!assumeYes) {
      // Show what is about to go, and delete by id so the confirmed account is the one deleted.
      const account = await client.connectedAccounts.getDetails(ref);
      output.info(`Connected account ${account.id}: "${account.identifier}" on connection "${account.connectionName}" (${account.status}).`);
      if (!(await confirm('Delete it and erase its credentials?'))) throw new CliError('cancelled: nothing was deleted');
      ref = { connectedAccountId: account.id };
    }
    await client.connectedAccounts.delete(ref);
    if (output.jsonMode) return output.json({});
    output.line(`Deleted connected account ${ref.connectedAccountId ?? `"${ref.identifier}" on connection "${ref.connectionName}"`}.`);
  },
};

const link: LeafCommand = {
  kind: 'leaf',
  summary: 'Create a single-use authorization link to send to the end user',
  usage: ['accounts link <id> [--verify-url URL] [--state S]', 'accounts link --connection NAME --identifier ID [--verify-url URL] [--state S]'],
  notes: [
    'The account is created in PENDING_AUTH when it does not exist yet. With user verification on (the',
    "default), --verify-url must be your app's verify page on an allowed origin (settings).",
  ],
  options: {
    ...REF_OPTIONS,
    'verify-url': { type: 'string', value: 'URL', description: 'Where the browser goes after the provider, to verify the user (user_verify_url).' },
    state: { type: 'string', value: 'S', description: 'Opaque value handed back to the verify URL.' },
    ...API_OPTIONS,
  },
  positionals: { names: ['id'], required: 0 },
  async run(ctx) {
    const ref = accountRef(ctx);
    const verifyUrl = ctx.string('verify-url');
    const state = ctx.string('state');
    const minted = await apiClient(ctx).actions.getAuthorizationLink({
      ...(ref.connectedAccountId === undefined ? {} : { connectedAccountId: ref.connectedAccountId }),
      ...(ref.connectionName === undefined ? {} : { connectionName: ref.connectionName }),
      ...(ref.identifier === undefined ? {} : { identifier: ref.identifier }),
      ...(verifyUrl === undefined ? {} : { userVerifyUrl: verifyUrl }),
      ...(state === undefined ? {} : { state }),
    });
    const { output } = ctx;
    if (output.jsonMode) return output.json(minted);
    output.line(minted.link);
    output.info(`Single use; expires ${formatTime(minted.expiry)}.`);
  },
};

const refresh: LeafCommand = {
  kind: 'leaf',
  summary: "Refresh an OAuth account's tokens now",
  usage: ['accounts refresh <id>', 'accounts refresh --connection NAME --identifier ID'],
  notes: ['One refresh per account runs at a time across all gateway replicas; a concurrent one is reused.'],
  options: { ...REF_OPTIONS, ...API_OPTIONS },
  positionals: { names: ['id'], required: 0 },
  async run(ctx) {
    const ref = accountRef(ctx);
    const { connectedAccount } = await apiClient(ctx).actions.refreshConnectedAccount(
      ref.connectedAccountId !== undefined ? { connectedAccountId: ref.connectedAccountId } : { connectionName: ref.connectionName ?? '', identifier: ref.identifier ?? '' },
    );
    const { output } = ctx;
    if (output.jsonMode) return output.json({ connectedAccount });
    output.details(accountDetails(connectedAccount));
  },
};

const diagnose: LeafCommand = {
  kind: 'leaf',
  summary: 'Run the troubleshooting checklist on an account and print each finding with its fix',
  usage: ['accounts diagnose <id> [--refresh] [--no-probe] [--probe-tool NAME]', 'accounts diagnose --connection NAME --identifier ID [--refresh] [--no-probe] [--probe-tool NAME]'],
  notes: [
    'Checks, in order: status, connection, token, refresh (with --refresh), scopes, probe (a read-only',
    'tool run end to end, e.g. gmail_get_profile), recent_errors (last 7 days). Each finding is ok, warn',
    '(works or on its way, but look) or fail (calls fail until the fix is applied).',
    'Exit code: 1 when any finding is fail (after printing them, --json included), 0 otherwise, so',
    'scripts and health checks can branch on it.',
  ],
  options: {
    ...REF_OPTIONS,
    refresh: { type: 'boolean', description: 'Attempt one token refresh first (OAuth accounts).' },
    'no-probe': { type: 'boolean', description: 'Do not run the read-only probe tool.' },
    'probe-tool': { type: 'string', value: 'NAME', description: "A read-only tool to probe with instead of the connector's default." },
    ...API_OPTIONS,
  },
  positionals: { names: ['id'], required: 0 },
  async run(ctx) {
    const ref = accountRef(ctx);
    const client = apiClient(ctx);
    const id = ref.connectedAccountId ?? (await client.connectedAccounts.getDetails(ref)).id;
    const probeTool = ctx.string('probe-tool');
    const diagnosis = await client.actions.diagnoseConnectedAccount(id, {
      refresh: ctx.flag('refresh'),
      includeProbe: !ctx.flag('no-probe'),
      ...(probeTool === undefined ? {} : { probeTool }),
    });
    const { output } = ctx;
    const { connectedAccount: account, findings } = diagnosis;
    if (output.jsonMode) output.json(diagnosis);
    else {
      output.details([
        ['Account', `${account.id} ("${account.identifier}" on connection "${account.connectionName}")`],
        ['Status', account.status],
        ['Result', diagnosis.result],
      ]);
      output.line();
      output.table(findings, [
        { header: 'CHECK', value: (f) => f.check },
        { header: 'RESULT', value: (f) => f.result },
        { header: 'MESSAGE', value: (f) => f.message },
        { header: 'FIX', value: (f) => f.fix ?? '-' },
      ]);
      const linked = findings.filter((f) => f.result !== 'ok' && f.docs !== null);
      if (linked.length > 0) {
        output.line();
        output.line('Docs:');
        for (const f of linked) output.line(`  ${f.check}: ${f.docs}`);
      }
    }
    const failing = findings.filter((f) => f.result === 'fail').map((f) => f.check);
    if (failing.length > 0) throw new CliError(`diagnosis failed: ${failing.length} failing check${failing.length === 1 ? '' : 's'} (${[...new Set(failing)].join(', ')})`);
  },
};

export const command: GroupCommand = {
  kind: 'group',
  summary: 'List, show, link, refresh, diagnose and delete connected accounts (through the API of a running gateway)',
  notes: ['Needs AGENTGATE_URL (default http://localhost:8080), AGENTGATE_CLIENT_ID and AGENTGATE_CLIENT_SECRET.'],
  subcommands: { list, show, link, refresh, diagnose, delete: remove },
};
