/**
 * Dashboard logs over real HTTP (PGlite, and PostgreSQL when TEST_DATABASE_URL is set): the charts of
 * executions by connector and errors by tier (inline SVG with bars whose numbers add up to what was
 * logged, accessible title and description, legend, table fallback), counted by the database over a
 * time range; the list with its filters and cursor pages; the detail of one execution; escaping of
 * hostile tool names, identifiers, messages and payloads; isolation between environments. Each test
 * logs into its own environment, so the counts are exact.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ToolCallRecord } from '../src/domain/ports.ts';
import { newId } from '../src/ids.ts';
import { gmailEmulator, GMAIL_TOKEN } from './emulators/gmail.ts';
import { signInDashboard } from './helpers/dashboard-client.ts';
import { startEmulator, type RunningEmulator } from './helpers/emulator.ts';
import { BACKENDS, startTestGateway, unique, type TestGateway } from './helpers/test-gateway.ts';

const MINUTE = 60_000;

/** Sums the numbers in the bar tooltips of one chart, by series. */
function barTotals(page: string, chartId: string): Record<string, number> {
  const chart = new RegExp(`<figure class="chart" id="${chartId}">([\\s\\S]*?)</figure>`).exec(page)?.[1] ?? '';
  const totals: Record<string, number> = {};
  for (const match of chart.matchAll(/<rect class="bar" data-series="([^"]+)"[^>]*><title>[^:]+: (\d+) /g)) {
    const series = match[1] ?? '';
    totals[series] = (totals[series] ?? 0) + Number(match[2]);
  }
  return totals;
}

for (const backend of BACKENDS) {
  describe(`dashboard logs (${backend})`, () => {
    let gw: TestGateway;
    let emulator: RunningEmulator;

    before(async () => {
      emulator = await startEmulator(gmailEmulator);
      gw = await startTestGateway(backend, { env: { AGENTGATE_ALLOW_PRIVATE_UPSTREAMS: 'true' } });
    });
    after(async () => {
      await gw?.close();
      await emulator?.close();
    });

    /** A fresh environment with a signed-in dashboard and a way to log executions into it. */
    async function environment() {
      const env = await gw.newEnvironment(unique('logs'));
      const client = await signInDashboard(gw, env);
      const log = async (records: Partial<ToolCallRecord>[]) => {
        const now = Date.now();
        await gw.gateway.store.toolCalls.insertMany(
          records.map((r, i) => {
            const startedAt = r.startedAt ?? new Date(now - i);
            return {
              executionId: newId('exec', startedAt.getTime()),
              environmentId: env.environmentId,
              agentRunId: null,
              toolName: 'gmail_get_profile',
              toolVersion: '1',
              provider: 'gmail',
              connectedAccountId: 'ca_test',
              connectionId: 'conn_test',
              connectionName: 'gmail',
              identifier: 'ada',
              source: 'api',
              status: 'SUCCESS',
              errorTier: null,
              errorCode: null,
              errorMessage: null,
              upstreamStatus: 200,
              attempts: 1,
              durationMs: 12,
              payload: null,
              ...r,
              startedAt,
            } satisfies ToolCallRecord;
          }),
        );
      };
      return { env, client, log };
    }

    const failed = (tier: 'provider' | 'platform', extra: Partial<ToolCallRecord> = {}): Partial<ToolCallRecord> => ({
      status: 'FAILED',
      errorTier: tier,
      errorCode: tier === 'provider' ? 'forbidden' : 'account_not_active',
      errorMessage: 'no',
      upstreamStatus: tier === 'provider' ? 403 : null,
      ...extra,
    });

    it('draws executions by connector and errors by tier as SVG bars that add up to what was logged', async () => {
      const { client, log } = await environment();
      const now = Date.now();
      await log([
        { startedAt: new Date(now - 50 * MINUTE) },
        { startedAt: new Date(now - 20 * MINUTE) },
        { startedAt: new Date(now - 1000) },
        failed('provider', { startedAt: new Date(now - 20 * MINUTE) }),
        failed('provider', { startedAt: new Date(now - 2000) }),
        failed('platform', { provider: 'slack', toolName: 'slack_send_message', connectionName: 'slack', startedAt: new Date(now - 3000) }),
        { startedAt: new Date(now - 3 * 3600_000) }, // outside the last hour
      ]);
      const page = await client.get('/dashboard/logs?range=1h');
      assert.equal(page.status, 200);
      assert.match(page.text, /role="status">6 executions, 3 failed \(2 provider, 1 platform\)\./);
      assert.deepEqual(barTotals(page.text, 'chart-executions'), { gmail: 5, slack: 1 });
      assert.deepEqual(barTotals(page.text, 'chart-errors'), { 'provider errors': 2, 'platform errors': 1 });
      assert.match(page.text, /<svg viewBox="0 0 720 240"[^>]* role="img" aria-labelledby="chart-executions-title" aria-describedby="chart-executions-desc"/);
      assert.match(page.text, /<title id="chart-executions-title">Executions by connector<\/title>\n<desc id="chart-executions-desc">6 executions from [^:]+:\d\d to [^:]+:\d\d UTC: gmail 5, slack 1\.<\/desc>/);
      assert.match(page.text, /<ul class="legend"><li><svg[^>]*aria-hidden="true"[^>]*><rect[^>]*fill="#[0-9a-f]{6}"\/><\/svg>gmail <span class="muted">5<\/span>/);
      assert.match(page.text, /<summary>Executions by connector as a table<\/summary>/);
      assert.match(page.text, /<th scope="row">gmail<\/th><td class="num">5<\/td><td class="num">2<\/td><td class="num">2<\/td><td class="num">0<\/td>/);
      assert.doesNotMatch(page.text, /style=/, 'no inline style: the CSP forbids it');
      // 12 five-minute bars in the last hour; the last 24 hours have 24 one-hour bars and all 7 executions.
      const day = await client.get('/dashboard/logs');
      assert.deepEqual(barTotals(day.text, 'chart-executions'), { gmail: 6, slack: 1 });
      assert.match(day.text, /one bar per hour/);
    });

    it('filters the list and the charts by tool, connector, status, account and time range', async () => {
      const { client, log } = await environment();
      const now = Date.now();
      await log([
        { toolName: 'gmail_fetch_mails' },
        failed('provider'),
        { connectedAccountId: 'ca_other', identifier: 'bob' },
        failed('platform', { provider: 'slack', toolName: 'slack_send_message', connectionName: 'slack' }),
        { startedAt: new Date(now - 3 * 86_400_000) },
      ]);
      const rows = (text: string) => (/<table id="executions-table">[\s\S]*?<\/table>/.exec(text)?.[0].match(/<tr>\n<td>/g) ?? []).length;
      assert.equal(rows((await client.get('/dashboard/logs')).text), 4);
      assert.equal(rows((await client.get('/dashboard/logs?range=7d')).text), 5);
      assert.equal(rows((await client.get('/dashboard/logs?tool=gmail_fetch_mails')).text), 1);
      const slack = await client.get('/dashboard/logs?connector=slack');
      assert.equal(rows(slack.text), 1);
      assert.deepEqual(barTotals(slack.text, 'chart-executions'), { slack: 1 });
      assert.match(slack.text, /<option value="slack" selected>/);
      assert.equal(rows((await client.get('/dashboard/logs?status=FAILED')).text), 2);
      assert.equal(rows((await client.get('/dashboard/logs?account=ca_other')).text), 1);
      const none = await client.get('/dashboard/logs?tool=nothing_at_all');
      assert.match(none.text, /No tool executions match these filters\./);
      assert.match(none.text, /No executions in this period/);
    });

    it('pages through executions with links that keep the filters', async () => {
      const { client, log } = await environment();
      await log(Array.from({ length: 30 }, () => failed('provider')));
      const first = await client.get('/dashboard/logs?status=FAILED');
      assert.equal((first.text.match(/<tr>\n<td><a href="\/dashboard\/logs\/exec_/g) ?? []).length, 25);
      const next = /href="(\/dashboard\/logs\?[^"]+)" rel="next"/.exec(first.text)?.[1]?.replace(/&amp;/g, '&');
      assert.ok(next !== undefined && new URL(next, gw.url).searchParams.get('status') === 'FAILED');
      const second = await client.get(next);
      assert.equal((second.text.match(/<tr>\n<td><a href="\/dashboard\/logs\/exec_/g) ?? []).length, 5);
    });

    it('shows one execution, with its payload when payload logging kept it; hostile values are escaped', async () => {
      const { client, log, env } = await environment();
      const hostile = '<script>alert(1)</script>';
      await log([failed('provider', { identifier: hostile, errorMessage: `refused ${hostile}`, connectionName: 'conn"<b>', payload: { params: { q: hostile }, data: { html: hostile } } })]);
      const list = await client.get('/dashboard/logs');
      const id = /href="\/dashboard\/logs\/(exec_[^"]+)"/.exec(list.text)?.[1] ?? '';
      const detail = await client.get(`/dashboard/logs/${id}`);
      assert.equal(detail.status, 200);
      for (const page of [list.text, detail.text]) assert.ok(!page.includes('<script>alert') && !page.includes('conn"<b>'), 'nothing hostile is markup');
      assert.match(detail.text, /<dt>Error message<\/dt><dd>refused &lt;script&gt;alert\(1\)&lt;\/script&gt;<\/dd>/);
      assert.match(detail.text, /<dt>Error tier<\/dt><dd>provider<\/dd>/);
      assert.match(detail.text, /aria-label="Parameters JSON"><code>\{\n {2}&quot;q&quot;: &quot;&lt;script&gt;/);
      assert.match(detail.text, /href="\/dashboard\/playground\?account=ca_test&amp;tool=gmail_get_profile">Run this tool again/);
      assert.equal((await client.get('/dashboard/logs/exec_missing')).status, 404);
      const stranger = await signInDashboard(gw);
      assert.equal((await stranger.get(`/dashboard/logs/${id}`)).status, 404, "another environment's execution is not found");
      assert.ok(env.environmentId !== '');
    });

    it('a real execution shows up in the list, the charts and its detail', async () => {
      const { env, client } = await environment();
      const token = await gw.tokenFor(env.clientId, env.clientSecret);
      const name = unique('gmail-logs');
      const created = await gw.api('POST', '/api/v1/connections', { connection: { provider: 'gmail', name, oauth_config: { client_id: 'c', client_secret: 's' }, api_config: { base_url: emulator.url } } }, { token });
      assert.equal(created.status, 201, created.text);
      const account = await gw.api('POST', '/api/v1/connected_accounts', { connection_name: name, identifier: 'ada', authorization_details: { oauth_token: { access_token: GMAIL_TOKEN } } }, { token });
      const executed = await gw.api('POST', '/api/v1/execute_tool', { tool_name: 'gmail_get_profile', connected_account_id: account.body.connected_account.id, params: {} }, { token });
      assert.equal(executed.status, 200, executed.text);
      const page = await client.get('/dashboard/logs');
      assert.deepEqual(barTotals(page.text, 'chart-executions'), { gmail: 1 });
      assert.ok(page.text.includes(`href="/dashboard/logs/${executed.body.execution_id}"`));
      const detail = await client.get(`/dashboard/logs/${executed.body.execution_id}`);
      assert.match(detail.text, /<dt>Upstream status<\/dt><dd>200<\/dd>/);
      assert.match(detail.text, /payload logging is off/);
    });
  });
}
