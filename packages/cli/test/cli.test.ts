/**
 * @module The `agentgate` CLI run as a real child process: server-side commands against a real
 * database, API commands against a real gateway (the server's test harness), and the error contract
 * (exit 1 or 2, one `agentgate: …` line on stderr, no stack trace).
 */
import assert from 'node:assert/strict';
import { failsWith, headerOf, json, ok, runCli } from './helpers/run-cli.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  BACKENDS,
  TEST_ENCRYPTION_KEYS,
  createScratchDatabase,
  startTestGateway,
  unique,
  type TestGateway,
  unusedPort,
} from '../../server/test/helpers/test-gateway.ts';


const cli = runCli;


describe('cli: usage and errors', () => {
  it('prints help for the CLI, a group and a subcommand', async () => {
    const [bare, help, flag, group, leaf, launcher] = await Promise.all([
      cli([]),
      cli(['help']),
      cli(['--help']),
      cli(['accounts', '--help']),
      cli(['connections', 'create', '--help']),
      cli(['help', 'credentials'], { bin: ['packages/cli/bin/agentgate.mjs'] }),
    ]);
    for (const result of [bare, help, flag]) {
      assert.match(ok(result), /^Usage: agentgate <command>/);
      assert.match(result.stdout, /credentials +Create, list and revoke API credentials/);
    }
    assert.match(ok(group), /Usage: agentgate accounts <list\|show\|link\|refresh\|diagnose\|delete>/);
    assert.match(ok(leaf), /--oauth-client-secret-stdin/);
    assert.match(leaf.stdout, /shell history/);
    // The bin launcher registers tsx itself, so it runs without --import.
    assert.match(ok(launcher), /Usage: agentgate credentials <create\|list\|revoke>/);
  });

  it('rejects unknown commands, subcommands, flags and bad values with exit 2', async () => {
    const [command, sub, missingSub, flag, value, status, extra] = await Promise.all([
      cli(['frobnicate']),
      cli(['accounts', 'frobnicate']),
      cli(['accounts']),
      cli(['accounts', 'list', '--bogus']),
      cli(['accounts', 'list', '--page-size', '1000']),
      cli(['accounts', 'list', '--status', 'sleeping']),
      cli(['credentials', 'list', 'surplus']),
    ]);
    failsWith(command, 2, /unknown command "frobnicate" \(see "agentgate help"\)/);
    failsWith(sub, 2, /unknown subcommand "accounts frobnicate"/);
    failsWith(missingSub, 2, /missing subcommand: agentgate accounts <list\|show\|link\|refresh\|diagnose\|delete>/);
    failsWith(flag, 2, /unknown option --bogus \(see "agentgate accounts list --help"\)/);
    failsWith(value, 2, /--page-size must be a whole number from 1 to 100/);
    failsWith(status, 2, /--status must be one of PENDING_AUTH/);
    failsWith(extra, 2, /unexpected argument "surplus"/);
  });

  it('says clearly when API credentials are missing or the gateway cannot be reached', async () => {
    const port = await unusedPort();
    const [missing, unreachable] = await Promise.all([
      cli(['connections', 'list']),
      cli(['accounts', 'list', '--url', `http://127.0.0.1:${port}`], { env: { AGENTGATE_CLIENT_ID: 'cli_x', AGENTGATE_CLIENT_SECRET: 'sec_x' } }),
    ]);
    failsWith(missing, 2, /missing API credentials: set AGENTGATE_CLIENT_ID and AGENTGATE_CLIENT_SECRET/);
    failsWith(unreachable, 1, new RegExp(`^agentgate: connection_failed: Could not reach Agentgate at http://127\\.0\\.0\\.1:${port}/.*ECONNREFUSED.*is the gateway running`));
  });
});

for (const backend of BACKENDS) {
  describe(`cli: server-side commands (${backend})`, () => {
    // PGlite admits one process per data folder: every CLI command here runs while no gateway has
    // it open, and the gateway that checks the result starts only at the end.
    let dataDir: string;
    let scratch: { url: string; drop(): Promise<void> } | undefined;
    let env: Record<string, string>;
    let created: { clientId: string; clientSecret: string };
    let revoked: { clientId: string; clientSecret: string };

    before(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'agentgate-cli-'));
      scratch = backend === 'postgres' ? await createScratchDatabase() : undefined;
      env = {
        NODE_ENV: 'test',
        AGENTGATE_DATA_DIR: dataDir,
        AGENTGATE_ENCRYPTION_KEYS: TEST_ENCRYPTION_KEYS,
        ...(scratch === undefined ? {} : { DATABASE_URL: scratch.url }),
      };
    });
    after(async () => {
      await scratch?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('migrate applies the migrations once, then reports up to date', async () => {
      assert.match(ok(await cli(['migrate'], { env })), /^Applied migrations 0001-initial, 0002-authorization-flow, 0003-token-refresh, 0004-webhooks, 0005-tool-calls, 0006-mcp-configs \(/);
      assert.match(ok(await cli(['migrate'], { env })), /^Database is up to date \(/);
      assert.deepEqual(json(await cli(['migrate', '--json'], { env })).applied, []);
    });

    it('credentials create prints the secret once, with a warning; list never shows secrets', async () => {
      assert.match(ok(await cli(['credentials', 'list'], { env })), /No API credentials/);

      const human = ok(await cli(['credentials', 'create', '--name', 'ci'], { env }));
      const clientId = /AGENTGATE_CLIENT_ID=(cli_\w+)/.exec(human)?.[1];
      const clientSecret = /AGENTGATE_CLIENT_SECRET=(sec_[\w-]+)/.exec(human)?.[1];
      assert.ok(clientId !== undefined && clientSecret !== undefined, human);
      assert.match(human, /in environment "default"/);
      assert.match(human, /will NOT be shown again/);
      created = { clientId, clientSecret };

      const scripted = await cli(['credentials', 'create', '--name', 'to revoke', '--json'], { env });
      const body = json(scripted);
      assert.match(body.credential.id, /^cli_/);
      assert.match(body.client_secret, /^sec_/);
      assert.equal(body.credential.secret_hash, undefined);
      assert.match(scripted.stderr, /^agentgate: warning: the client secret is shown only now/);
      revoked = { clientId: body.credential.id, clientSecret: body.client_secret };

      const table = ok(await cli(['credentials', 'list'], { env }));
      assert.deepEqual(headerOf(table), ['ID', 'NAME', 'CREATED', 'LAST USED', 'REVOKED']);
      assert.match(table, new RegExp(`${created.clientId} +ci +\\S+ +never +-`));
      assert.match(table, new RegExp(`${revoked.clientId} +to revoke `));
      const listed = json(await cli(['credentials', 'list', '--json'], { env }));
      assert.deepEqual(
        listed.credentials.map((c: { name: string }) => c.name),
        ['ci', 'to revoke'],
      );
      for (const text of [table, JSON.stringify(listed)]) {
        assert.doesNotMatch(text, /sha256:|secret_hash|sec_/);
      }
    });

    it('credentials revoke revokes once, then reports credential_not_found', async () => {
      assert.match(ok(await cli(['credentials', 'revoke', revoked.clientId], { env })), /Revoked API credential/);
      failsWith(await cli(['credentials', 'revoke', revoked.clientId], { env }), 1, /^agentgate: credential_not_found: /);
      const listed = json(await cli(['credentials', 'list', '--json'], { env }));
      const row = listed.credentials.find((c: { id: string }) => c.id === revoked.clientId);
      assert.ok(row.revoked_at !== null);
      failsWith(await cli(['credentials', 'revoke'], { env }), 2, /missing <client_id>/);
    });

    it('environments list and create; credentials of a named environment', async () => {
      assert.match(ok(await cli(['environments', 'create', 'staging'], { env })), /Created environment "staging" \(env_/);
      failsWith(await cli(['environments', 'create', 'staging'], { env }), 1, /environment "staging" already exists/);
      failsWith(await cli(['environments', 'create', 'env_nope'], { env }), 2, /invalid environment name/);
      // Only the default environment is created on demand: a typo must not mint a new one.
      failsWith(await cli(['credentials', 'create', '--environment', 'stagign'], { env }), 1, /^agentgate: environment_not_found: /);
      assert.match(ok(await cli(['credentials', 'create', '-e', 'staging', '-n', 'stage'], { env })), /in environment "staging"/);

      const table = ok(await cli(['environments', 'list'], { env }));
      assert.deepEqual(headerOf(table), ['ID', 'NAME', 'CREATED', 'ACTIVE CREDENTIALS']);
      assert.match(table, /env_\w+ +default +\S+ +1\n/);
      assert.match(table, /env_\w+ +staging +\S+ +1\n/);
    });

    it('a gateway on the same database accepts the created credential and refuses the revoked one', async () => {
      const gw = await startTestGateway(backend, scratch === undefined ? { dataDir } : { databaseUrl: scratch.url });
      try {
        assert.ok((await gw.tokenFor(created.clientId, created.clientSecret)).length > 0);
        await assert.rejects(gw.tokenFor(revoked.clientId, revoked.clientSecret), /401/);
      } finally {
        await gw.close();
      }
    });
  });

  describe(`cli: API commands (${backend})`, () => {
    let gw: TestGateway;
    let env: Record<string, string>;
    const gmail = unique('gmail');
    const stripe = unique('stripe');

    before(async () => {
      gw = await startTestGateway(backend);
      env = { AGENTGATE_URL: gw.url, AGENTGATE_CLIENT_ID: gw.admin.clientId, AGENTGATE_CLIENT_SECRET: gw.admin.clientSecret };
    });
    after(async () => {
      await gw.close();
    });

    it('connections create reads the OAuth secret from stdin and shows the redirect URI', async () => {
      assert.match(ok(await cli(['connections', 'list'], { env })), /No connections/);
      const result = await cli(
        ['connections', 'create', '--provider', 'gmail', '--name', gmail, '--oauth-client-id', 'app-id', '--oauth-client-secret-stdin', '--scopes', 'a, b'],
        { env, input: 'app-secret\n' },
      );
      const out = ok(result);
      assert.equal(result.stderr, '', 'no warning when the secret comes from stdin');
      const id = /^ID: +(conn_\w+)$/m.exec(out)?.[1];
      assert.ok(id !== undefined, out);
      assert.match(out, /^Status: +COMPLETED$/m);
      assert.match(out, /^Client secret: +set$/m);
      assert.ok(out.includes(`Redirect URI (register it`) && out.includes(`  ${gw.gateway.ctx.publicUrl}/connect/callback/${id}\n`), out);
      assert.doesNotMatch(out, /app-secret/);

      const stored = await gw.api('GET', `/api/v1/connections/${gmail}`);
      assert.equal(stored.body.connection.oauth_config.client_secret_set, true);
      assert.deepEqual(stored.body.connection.oauth_config.scopes, ['a', 'b']);
    });

    it('connections create warns about a secret on the command line, and reports server errors', async () => {
      const name = unique('gm');
      const warned = await cli(['connections', 'create', '-p', 'gmail', '-n', name, '--oauth-client-secret', 'visible'], { env });
      assert.match(ok(warned), /^Status: +DRAFT$/m);
      assert.match(warned.stderr, /^agentgate: warning: a secret on the command line lands in shell history/);

      assert.match(ok(await cli(['connections', 'create', '--provider', 'stripe', '--name', stripe], { env })), /^Type: +BEARER_TOKEN$/m);
      failsWith(await cli(['connections', 'create', '--provider', 'nope', '--name', unique('x')], { env }), 1, /^agentgate: unknown_provider: /);
      failsWith(await cli(['connections', 'create', '--provider', 'gmail', '--name', gmail], { env }), 1, /^agentgate: connection_name_taken: /);
      failsWith(await cli(['connections', 'create', '--name', 'x'], { env }), 2, /--provider and --name are required/);
    });

    it('connections list and show: tables for people, the API shapes with --json', async () => {
      const list = (await gw.api('GET', '/api/v1/connections')).body;
      const api = (await gw.api('GET', `/api/v1/connections/${gmail}`)).body;
      // Read-only calls: run side by side.
      const [table, listJson, filtered, showJson, shown, unknown] = await Promise.all([
        cli(['connections', 'list'], { env }),
        cli(['connections', 'list', '--json'], { env }),
        cli(['connections', 'list', '--provider', 'stripe', '--json'], { env }),
        cli(['connections', 'show', gmail, '--json'], { env }),
        cli(['connections', 'show', api.connection.id], { env }),
        cli(['connections', 'show', 'no-such-connection'], { env }),
      ]);
      assert.deepEqual(headerOf(ok(table)), ['NAME', 'ID', 'PROVIDER', 'TYPE', 'STATUS', 'ENABLED', 'CREATED']);
      assert.match(table.stdout, new RegExp(`^${gmail} +conn_\\w+ +gmail +OAUTH +COMPLETED +yes `, 'm'));
      assert.match(table.stdout, /^3 of 3 connections\.$/m);
      assert.deepEqual(json(listJson), list);
      assert.deepEqual(
        json(filtered).connections.map((c: { name: string }) => c.name),
        [stripe],
      );
      assert.deepEqual(json(showJson), api);
      assert.match(ok(shown), new RegExp(`^Name: +${gmail}$`, 'm'));
      assert.ok(shown.stdout.includes(api.connection.oauth_config.redirect_uri));
      failsWith(unknown, 1, /^agentgate: connection_not_found: /);
    });

    it('accounts list, show and delete', async () => {
      const ids: string[] = [];
      for (const identifier of ['alice', 'bob', 'carol']) {
        const created = await gw.api('POST', '/api/v1/connected_accounts', { connection_name: gmail, identifier });
        assert.equal(created.status, 201, created.text);
        ids.push(created.body.connected_account.id);
      }
      const active = await gw.api('POST', '/api/v1/connected_accounts', {
        connection_name: stripe,
        identifier: 'dave',
        authorization_details: { static_auth: { secret_key: 'sk_test_cli123' } },
      });
      assert.equal(active.status, 201, active.text);

      const list = (await gw.api('GET', '/api/v1/connected_accounts')).body;
      const api = (await gw.api('GET', `/api/v1/connected_accounts/${ids[0]}`)).body;
      const [table, listJson, byStatus, byQuery, first, showJson, shown, noRef, unknown] = await Promise.all([
        cli(['accounts', 'list'], { env }),
        cli(['accounts', 'list', '--json'], { env }),
        cli(['accounts', 'list', '--status', 'active', '--json'], { env }),
        cli(['accounts', 'list', '--connection', gmail, '--query', 'aro', '--json'], { env }),
        cli(['accounts', 'list', '--connection', gmail, '--page-size', '2'], { env }),
        cli(['accounts', 'show', ids[0] ?? '', '--json'], { env }),
        cli(['accounts', 'show', '--connection', gmail, '--identifier', 'alice'], { env }),
        cli(['accounts', 'show'], { env }),
        cli(['accounts', 'show', 'ca_unknown'], { env }),
      ]);
      assert.deepEqual(headerOf(ok(table)), ['ID', 'CONNECTION', 'IDENTIFIER', 'STATUS', 'EXPIRES', 'LAST USED']);
      assert.match(table.stdout, new RegExp(`^${ids[0]} +${gmail} +alice +PENDING_AUTH +- +never$`, 'm'));
      assert.match(table.stdout, new RegExp(`^ca_\\w+ +${stripe} +dave +ACTIVE `, 'm'));
      assert.doesNotMatch(table.stdout, /sk_test_cli123/);
      assert.deepEqual(json(listJson), list);
      assert.deepEqual(
        json(byStatus).connected_accounts.map((a: { identifier: string }) => a.identifier),
        ['dave'],
      );
      assert.deepEqual(
        json(byQuery).connected_accounts.map((a: { identifier: string }) => a.identifier),
        ['carol'],
      );

      // Paging: the footer hands over the token, and the token gives the next page.
      assert.match(ok(first), /^2 of 3 connected accounts\.$/m);
      const token = /--page-token (\S+)/.exec(first.stdout)?.[1];
      assert.ok(token !== undefined, first.stdout);
      const second = ok(await cli(['accounts', 'list', '--connection', gmail, '--page-size', '2', '--page-token', token], { env }));
      assert.match(second, new RegExp(`^${ids[2]} +${gmail} +carol `, 'm'));
      assert.doesNotMatch(second, /Next page/);

      assert.deepEqual(json(showJson), api);
      assert.match(ok(shown), new RegExp(`^ID: +${ids[0]}$`, 'm'));
      assert.match(shown.stdout, /^Status: +PENDING_AUTH$/m);
      failsWith(noRef, 2, /give an account id, or both --connection and --identifier/);
      failsWith(unknown, 1, /^agentgate: connected_account_not_found: \S/);

      // No terminal to ask and no --yes: refuse, delete nothing.
      failsWith(await cli(['accounts', 'delete', ids[0] ?? ''], { env }), 2, /refusing to delete without confirmation.*--yes/);
      assert.equal((await gw.api('GET', `/api/v1/connected_accounts/${ids[0]}`)).status, 200);

      assert.match(ok(await cli(['accounts', 'delete', ids[0] ?? '', '--yes'], { env })), new RegExp(`Deleted connected account ${ids[0]}\\.`));
      assert.equal((await gw.api('GET', `/api/v1/connected_accounts/${ids[0]}`)).status, 404);
      assert.deepEqual(json(await cli(['accounts', 'delete', '-c', gmail, '-i', 'bob', '-y', '--json'], { env })), {});
      assert.equal((await gw.api('GET', `/api/v1/connected_accounts/${ids[1]}`)).status, 404);
      failsWith(await cli(['accounts', 'delete', ids[0] ?? '', '--yes'], { env }), 1, /^agentgate: connected_account_not_found: /);
    });

    it('shows the stack only with --verbose, and reports refused credentials', async () => {
      const verbose = await cli(['accounts', 'show', 'ca_unknown', '--verbose'], { env });
      assert.equal(verbose.code, 1);
      assert.match(verbose.stderr, /^agentgate: connected_account_not_found: /);
      assert.match(verbose.stderr, /\n\s+at /);

      const wrong = await cli(['accounts', 'list'], { env: { ...env, AGENTGATE_CLIENT_SECRET: 'sec_wrong' } });
      failsWith(wrong, 1, /^agentgate: invalid_client: /);
      // Flags win over the environment.
      ok(await cli(['accounts', 'list', '--client-secret', gw.admin.clientSecret], { env: { ...env, AGENTGATE_CLIENT_SECRET: 'sec_wrong' } }));
    });
  });
}
