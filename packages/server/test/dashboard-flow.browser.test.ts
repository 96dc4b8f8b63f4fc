/**
 * The dashboard's acceptance flow in Chromium (playwright-core, Debian's /usr/bin/chromium), with the
 * keyboard wherever a person would type: sign in; create an OAuth connection pointed at the real
 * `oidc-provider` test authorization server (API base URL at the Gmail emulator) and copy its redirect
 * URI (registered at the AS from the clipboard); add an account, create an authorization link on its
 * page, complete the flow in the browser; the account is ACTIVE; Refresh puts a refresh in its
 * history; the playground runs gmail_fetch_mails against the emulator and shows the result; Logs
 * draws the execution in its chart; diagnose on the EXPIRED account shows the failing finding and its
 * fix. Every page: every control has an accessible name, a screenshot goes to
 * test/artifacts/dashboard/<page>.png, and any console or page error fails the test.
 * PGlite only: the HTTP tests cover both backends.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { gmailEmulator } from './emulators/gmail.ts';
import { forceStatus, startFlowGateway } from './helpers/browser-leg.ts';
import {
  assertEveryControlLabelled,
  assertNoBrowserErrors,
  BROWSER_SKIP,
  launchBrowser,
  openWatchedSession,
  screenshot,
  signInWithKeyboard,
  tabAndType,
  tabTo,
  type WatchedSession,
} from './helpers/dashboard-browser.ts';
import { startEmulator, type RunningEmulator } from './helpers/emulator.ts';
import { skipVerification } from './helpers/refresh-fixtures.ts';
import { startTestAuthorizationServer, type TestAuthorizationServer } from './helpers/test-authorization-server.ts';
import { unique, type TestGateway } from './helpers/test-gateway.ts';

/** Waits for the navigation that pressing Enter on the focused control starts. */
async function enterAndWait(page: Page, arrived: (url: URL) => boolean): Promise<void> {
  await Promise.all([page.waitForURL(arrived, { timeout: 20_000 }), page.keyboard.press('Enter')]);
  await page.waitForLoadState('load');
}

/** Checks the page's controls and width, saves its screenshot and stops at the first browser error. */
async function record(session: WatchedSession, name: string): Promise<void> {
  await assertEveryControlLabelled(session.page, name);
  const overflow = await session.page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth - (globalThis as any).innerWidth);
  assert.ok(overflow <= 0, `${name}: the page is ${overflow}px wider than the window (a long unbreakable value?)`);
  await screenshot(session.page, name);
  assertNoBrowserErrors(session);
}

describe('dashboard acceptance flow in Chromium', { skip: BROWSER_SKIP }, () => {
  let browser: Browser;
  let gw: TestGateway;
  let as: TestAuthorizationServer;
  let emulator: RunningEmulator;
  let session: WatchedSession;
  let page: Page;
  const connectionName = unique('flow-gmail');
  const identifier = unique('flow-user');
  const clientId = unique('flow-client');
  const clientSecret = unique('flow-secret');
  let accountPath = '';

  before(async () => {
    browser = await launchBrowser();
    as = await startTestAuthorizationServer();
    // The emulator takes whatever bearer token the test AS issued.
    emulator = await startEmulator({ ...gmailEmulator, authorized: (request) => /^Bearer \S+$/.test(request.headers['authorization'] ?? '') });
    gw = await startFlowGateway('pglite');
    await skipVerification(gw);
    session = await openWatchedSession(browser, gw.url);
    page = session.page;
  });
  after(async () => {
    await session?.context.close();
    await browser?.close();
    await gw?.close();
    await emulator?.close();
    await as?.close();
  });

  it('signs in and creates an OAuth connection at the test authorization server; the redirect URI is copied and registered there', async () => {
    await signInWithKeyboard(page, gw.url, gw.admin);
    await page.goto(`${gw.url}/dashboard/connections/new?provider=gmail`);
    await tabAndType(page, '#field-name', connectionName);
    await tabAndType(page, '#field-client_id', clientId);
    await tabAndType(page, '#field-client_secret', clientSecret);
    // No `openid`: the form has no issuer field, and an ID token's `iss` is only checked against a known issuer.
    await tabAndType(page, '#field-extra_scopes', 'offline_access api:read');
    await tabTo(page, 'details summary');
    await page.keyboard.press('Enter');
    await tabAndType(page, '#field-authorize_uri', as.endpoints.authorize);
    await tabAndType(page, '#field-token_uri', as.endpoints.token);
    await tabAndType(page, '#field-base_url', emulator.url);
    await enterAndWait(page, (url) => /^\/dashboard\/connections\/conn_/.test(url.pathname));
    await tabTo(page, 'button[data-copy="redirect-uri"]');
    await page.keyboard.press('Enter');
    await page.locator('[data-copy-status="redirect-uri"]').filter({ hasText: 'Copied' }).waitFor();
    const redirectUri = String(await page.evaluate(() => (globalThis as any).navigator.clipboard.readText()));
    assert.match(redirectUri, new RegExp(`^${gw.url}/connect/callback/conn_`));
    as.clients.register({ client_id: clientId, client_secret: clientSecret, redirect_uris: [redirectUri] });
    assertNoBrowserErrors(session);
  });

  it('adds an account, creates an authorization link on its page, completes the flow: the account page shows ACTIVE', async () => {
    await tabTo(page, 'nav a[href="/dashboard/accounts"]');
    await enterAndWait(page, (url) => url.pathname === '/dashboard/accounts');
    await record(session, 'accounts-empty');
    await tabTo(page, 'main a[href="/dashboard/accounts/new"]');
    await enterAndWait(page, (url) => url.pathname === '/dashboard/accounts/new');
    await tabTo(page, '#field-connection');
    await page.locator('#field-connection').selectOption(connectionName);
    await tabTo(page, 'main button[type=submit]');
    await enterAndWait(page, (url) => url.searchParams.get('connection') === connectionName);
    await record(session, 'account-new');
    await tabAndType(page, '#field-identifier', identifier);
    await enterAndWait(page, (url) => /^\/dashboard\/accounts\/ca_/.test(url.pathname));
    accountPath = new URL(page.url()).pathname;
    assert.equal(await page.locator('dl.facts .badge').first().textContent(), 'PENDING_AUTH');

    await tabTo(page, 'form[action$="/link"] button[type=submit]');
    await enterAndWait(page, (url) => url.pathname === `${accountPath}/link`);
    const link = await page.getByRole('textbox', { name: 'Authorization link' }).inputValue();
    assert.match(link, new RegExp(`^${gw.url}/connect/link/`));
    await tabTo(page, 'button[data-copy="authorization-link"]');
    await page.keyboard.press('Enter');
    await page.locator('[data-copy-status="authorization-link"]').filter({ hasText: 'Copied' }).waitFor();
    assert.equal(await page.evaluate(() => (globalThis as any).navigator.clipboard.readText()), link, 'the clipboard holds the link');
    await record(session, 'account-link');

    await page.goto(link);
    const logins = as.logins.length;
    await Promise.all([page.waitForURL((url) => url.pathname === '/connect/success', { timeout: 20_000 }), page.getByRole('button', { name: /^Continue/ }).click()]);
    assert.equal(as.logins.length - logins, 1, 'the user went through the provider once');
    await page.goto(`${gw.url}${accountPath}`);
    assert.equal(await page.locator('dl.facts .badge').first().textContent(), 'ACTIVE');
    assert.match(await page.locator('#status-meaning').innerText(), /tool calls with this account work/);
    await record(session, 'account-active');
  });

  it('Refresh puts a manual refresh in the account\'s refresh history', async () => {
    await tabTo(page, `form[action="${accountPath}/refresh"] button`);
    await enterAndWait(page, (url) => url.pathname === accountPath);
    await page.getByRole('status').filter({ hasText: 'Token refreshed.' }).waitFor();
    const row = page.locator('#refresh-history tbody tr').first();
    assert.match((await row.innerText()).replace(/\s+/g, ' '), /manual succeeded/);
    await record(session, 'account-refreshed');
  });

  it('the playground runs a tool against the emulator and shows the result and its log entry', async () => {
    await tabTo(page, 'nav a[href="/dashboard/playground"]');
    await enterAndWait(page, (url) => url.pathname === '/dashboard/playground');
    await tabTo(page, '#field-account');
    await page.locator('#field-account').selectOption({ index: 1 });
    await tabTo(page, 'form[aria-label="Choose an account"] button');
    await enterAndWait(page, (url) => url.searchParams.has('account'));
    await tabTo(page, '#field-tool');
    await page.locator('#field-tool').selectOption('gmail_fetch_mails');
    await tabTo(page, 'form[aria-label="Choose a tool"] button');
    await enterAndWait(page, (url) => url.searchParams.get('tool') === 'gmail_fetch_mails');
    await record(session, 'playground');
    const before = emulator.requests.length;
    await tabAndType(page, '#param-query', 'from:alice');
    await tabAndType(page, '#param-max_results', '5');
    await enterAndWait(page, (url) => url.pathname === '/dashboard/playground' && !url.searchParams.has('tool'));
    assert.equal(emulator.requests.length, before + 1, 'the tool reached the emulator');
    assert.deepEqual(emulator.last().query, { q: 'from:alice', maxResults: '5' });
    const result = await page.getByLabel('Result JSON').innerText();
    assert.deepEqual(JSON.parse(result), { messages: [{ id: '18c1', thread_id: '18c0' }, { id: '18c2', thread_id: '18c2' }], result_size_estimate: 2, next_page_token: 'page-2' });
    assert.match(await page.locator('#execution-entry').innerText(), /SUCCESS[\s\S]*200/);
    await record(session, 'playground-result');
  });

  it('Logs draws the execution in its chart and opens its detail', async () => {
    await tabTo(page, 'nav a[href="/dashboard/logs"]');
    await enterAndWait(page, (url) => url.pathname === '/dashboard/logs');
    const bars = page.locator('#chart-executions > svg rect.bar[data-series="gmail"]');
    assert.ok((await bars.count()) >= 1, 'the executions chart has a gmail bar');
    const height = Number(await bars.first().getAttribute('height'));
    assert.ok(height > 0, `the bar has a height (${height})`);
    const chart = page.getByRole('img', { name: 'Executions by connector' });
    assert.match((await chart.getAttribute('aria-describedby')) ?? '', /chart-executions-desc/);
    assert.match(await page.locator('#chart-executions-desc').textContent() ?? '', /^1 executions? from .*: gmail 1\.$/);
    const box = await chart.boundingBox();
    assert.ok(box !== null && box.width > 300 && box.height > 80, `the chart is drawn at a visible size (${JSON.stringify(box)})`);
    await tabAndType(page, '#field-tool', 'gmail_fetch_mails');
    await enterAndWait(page, (url) => url.searchParams.get('tool') === 'gmail_fetch_mails');
    assert.equal(await page.locator('#executions-table tbody tr').count(), 1);
    await record(session, 'logs');
    await tabTo(page, '#executions-table tbody a[href^="/dashboard/logs/exec_"]');
    await enterAndWait(page, (url) => url.pathname.startsWith('/dashboard/logs/exec_'));
    assert.match(await page.locator('dl.facts').innerText(), /gmail_fetch_mails[\s\S]*dashboard/);
    await record(session, 'log-detail');
  });

  it('diagnose on an EXPIRED account shows a failing finding with its fix', async () => {
    await forceStatus(gw, accountPath.split('/').pop() ?? '', 'EXPIRED');
    await page.goto(`${gw.url}${accountPath}`);
    assert.equal(await page.locator('dl.facts .badge').first().textContent(), 'EXPIRED');
    await tabTo(page, `form[action="${accountPath}/diagnose"] button`);
    await enterAndWait(page, (url) => url.pathname === `${accountPath}/diagnose`);
    const status = page.locator('ol.findings li.fail[data-check="status"]');
    assert.equal(await status.count(), 1, 'the status check fails');
    assert.match(await status.innerText(), /EXPIRED[\s\S]*Fix: Try a refresh first/);
    assert.equal(await status.locator('a[href*="troubleshooting"]').count(), 1, 'with its docs link');
    await record(session, 'account-diagnose');
  });

  it('disconnect and delete ask with confirm() and then act; the list finds the account by search', async () => {
    await page.goto(`${gw.url}${accountPath}`);
    await tabTo(page, `form[action="${accountPath}/disconnect"] button`);
    await enterAndWait(page, (url) => url.pathname === accountPath);
    await page.getByRole('status').filter({ hasText: 'disconnected' }).waitFor();
    assert.equal(session.dialogs.length, 1, 'confirm() asked first');
    assert.equal(await page.locator('dl.facts .badge').first().textContent(), 'DISCONNECTED');
    await tabTo(page, 'nav a[href="/dashboard/accounts"]');
    await enterAndWait(page, (url) => url.pathname === '/dashboard/accounts');
    await tabAndType(page, '#field-q', identifier);
    await enterAndWait(page, (url) => url.searchParams.get('q') === identifier);
    assert.equal(await page.locator('tbody tr').count(), 1);
    await record(session, 'accounts');
    await tabTo(page, `main a[href="${accountPath}"]`);
    await enterAndWait(page, (url) => url.pathname === accountPath);
    await tabTo(page, `form[action="${accountPath}/delete"] button`);
    await enterAndWait(page, (url) => url.pathname === '/dashboard/accounts');
    await page.getByRole('status').filter({ hasText: 'deleted' }).waitFor();
    assert.equal(session.dialogs.length, 2, 'confirm() asked before deleting too');
    assert.equal((await gw.api('GET', `/api/v1/connected_accounts/details?id=${accountPath.split('/').pop() ?? ''}`)).status, 404);
    assertNoBrowserErrors(session);
  });
});
