/**
 * The dashboard in Chromium (playwright-core, Debian's /usr/bin/chromium): every page is reached and
 * used with the keyboard, every control has an accessible name, any console error or page error fails,
 * the first page's scripts stay under the 300 KB (gzip) budget, and each page is saved as a screenshot
 * under test/artifacts/dashboard/ (git-ignored) for a human to look at. PGlite only: the browser adds
 * nothing storage-specific that the HTTP tests do not cover on both backends.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { startFlowGateway } from './helpers/browser-leg.ts';
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
import { unique, type TestGateway } from './helpers/test-gateway.ts';

const JS_BUDGET_GZIP_BYTES = 300 * 1024;

describe('dashboard in Chromium', { skip: BROWSER_SKIP }, () => {
  let browser: Browser;
  let gw: TestGateway;
  let session: WatchedSession | undefined;

  before(async () => {
    browser = await launchBrowser();
    gw = await startFlowGateway('pglite');
  });
  after(async () => {
    await session?.context.close();
    await browser?.close();
    await gw?.close();
  });
  afterEach(async () => {
    await session?.context.close();
    session = undefined;
  });

  it('sign in with the keyboard, search the connectors, sign out; scripts under budget', async () => {
    session = await openWatchedSession(browser, gw.url);
    const { page } = session;
    await page.goto(`${gw.url}/dashboard`);
    assert.equal(new URL(page.url()).pathname, '/dashboard/sign-in', 'no session: the sign-in page');
    await assertEveryControlLabelled(page, 'sign-in');
    await screenshot(page, 'sign-in');
    const budget = [...session.scriptBytes.values()].reduce((a, b) => a + b, 0);
    assert.ok(session.scriptBytes.size >= 1, 'the dashboard script loaded');
    assert.ok(budget <= JS_BUDGET_GZIP_BYTES, `first page loads ${budget} bytes of gzip-compressed script (budget ${JS_BUDGET_GZIP_BYTES})`);

    await signInWithKeyboard(page, gw.url, gw.admin);
    assert.equal(new URL(page.url()).pathname, '/dashboard/connections');
    assert.equal(await page.getByRole('status').first().textContent(), 'Signed in.');
    const cookies = await session.context.cookies(gw.url);
    const sessionCookie = cookies.find((c) => c.name === '__Host-ag_dashboard');
    assert.ok(sessionCookie !== undefined, `Chromium kept the session cookie: ${cookies.map((c) => c.name).join(', ')}`);
    assert.equal(sessionCookie.httpOnly, true);
    assert.equal(sessionCookie.secure, true);
    assert.equal(sessionCookie.sameSite, 'Strict');
    assert.equal(await page.evaluate(() => (globalThis as any).document.cookie), '', 'page script cannot read the session');

    await tabTo(page, 'nav a[href="/dashboard/connectors"]');
    await Promise.all([page.waitForURL((url) => url.pathname === '/dashboard/connectors'), page.keyboard.press('Enter')]);
    // The skip link jumps over the header and nav: the next Tab lands on the page's first field.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => (globalThis as any).document.activeElement?.className), 'skip-link');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => (globalThis as any).document.activeElement?.id), 'main');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => (globalThis as any).document.activeElement?.id), 'field-q', 'after the skip link, Tab reaches the search field');
    await tabAndType(page, '#field-q', 'mail');
    await Promise.all([page.waitForURL((url) => url.searchParams.get('q') === 'mail'), page.keyboard.press('Enter')]);
    const rows = page.locator('tbody tr');
    assert.ok((await rows.count()) >= 1, 'the search finds Gmail');
    assert.match(await rows.first().innerText(), /Gmail[\s\S]*OAuth 2\.0/);
    assert.equal(await page.locator('nav a[aria-current=page]').textContent(), 'Connectors');
    await assertEveryControlLabelled(page, 'connectors');
    await screenshot(page, 'connectors');

    await Promise.all([page.waitForURL((url) => url.pathname === '/dashboard/sign-in'), page.getByRole('button', { name: 'Sign out' }).click()]);
    assert.equal(await page.getByRole('status').first().textContent(), 'Signed out.');
    assert.equal((await session.context.cookies(gw.url)).some((c) => c.name === '__Host-ag_dashboard'), false, 'the session cookie is gone');
    await page.goto(`${gw.url}/dashboard/connectors`);
    assert.equal(new URL(page.url()).pathname, '/dashboard/sign-in');
    assertNoBrowserErrors(session);
  });

  it('connections: create an OAuth connection with the keyboard, copy its redirect URI, disable it, delete it', async () => {
    session = await openWatchedSession(browser, gw.url);
    const { page } = session;
    await signInWithKeyboard(page, gw.url, gw.admin);
    assert.equal(new URL(page.url()).pathname, '/dashboard/connections');
    await assertEveryControlLabelled(page, 'connections');
    await screenshot(page, 'connections-empty');

    await page.goto(`${gw.url}/dashboard/connectors?q=gmail`);
    await Promise.all([page.waitForURL((url) => url.pathname === '/dashboard/connections/new'), page.getByRole('link', { name: 'Create connection for Gmail' }).click()]);
    await assertEveryControlLabelled(page, 'new connection');
    await screenshot(page, 'connection-new');
    const name = unique('browser-gmail');
    await tabAndType(page, '#field-name', name);
    await tabAndType(page, '#field-client_id', 'browser-client');
    await tabAndType(page, '#field-client_secret', 'browser-secret');
    await tabTo(page, '#scope-3');
    await page.keyboard.press('Space');
    await tabAndType(page, '#field-extra_scopes', 'openid');
    await tabTo(page, 'button[type=submit]:not(.secondary)');
    await Promise.all([page.waitForURL((url) => /^\/dashboard\/connections\/conn_/.test(url.pathname)), page.keyboard.press('Enter')]);
    assert.match(await page.getByRole('status').first().innerText(), /created\. Register the redirect URI below with Gmail\./);
    const api = (await gw.api('GET', `/api/v1/connections/${name}`)).body.connection;
    assert.equal(api.oauth_config.client_id, 'browser-client');
    assert.ok(api.oauth_config.scopes.includes('https://www.googleapis.com/auth/gmail.labels'), 'the ticked scope was saved');
    assert.ok(api.oauth_config.scopes.includes('openid'), 'the extra scope was saved');

    const redirectUri = await page.getByLabel('Redirect URI').inputValue();
    assert.equal(redirectUri, api.oauth_config.redirect_uri);
    await tabTo(page, 'button[data-copy]');
    await page.keyboard.press('Enter');
    await page.locator('[data-copy-status="redirect-uri"]').filter({ hasText: 'Copied' }).waitFor();
    assert.equal(await page.evaluate(() => (globalThis as any).navigator.clipboard.readText()), redirectUri, 'the clipboard holds the redirect URI');
    await assertEveryControlLabelled(page, 'connection detail');
    await screenshot(page, 'connection-detail');

    await Promise.all([page.waitForURL((url) => url.pathname.startsWith('/dashboard/connections/conn_')), page.getByRole('button', { name: 'Disable connection' }).click()]);
    assert.equal((await gw.api('GET', `/api/v1/connections/${name}`)).body.connection.enabled, false);
    await page.getByRole('button', { name: 'Enable connection' }).waitFor();

    // Delete: dismissing the confirm() dialog changes nothing; accepting it deletes.
    session.dismissNext = true;
    await page.getByRole('button', { name: 'Delete connection' }).click();
    assert.equal(session.dialogs.length, 1);
    assert.match(session.dialogs[0] ?? '', /^Delete the connection "browser-gmail-/);
    assert.equal((await gw.api('GET', `/api/v1/connections/${name}`)).status, 200, 'dismissed: nothing deleted');
    await Promise.all([page.waitForURL((url) => url.pathname === '/dashboard/connections'), page.getByRole('button', { name: 'Delete connection' }).click()]);
    assert.equal(session.dialogs.length, 2);
    assert.match(await page.getByRole('status').first().innerText(), /deleted\./);
    assert.equal((await gw.api('GET', `/api/v1/connections/${name}`)).status, 404);
    assertNoBrowserErrors(session);
  });

  it('settings: toggle settings, add a webhook (secret shown once), create a credential, with the keyboard', async () => {
    session = await openWatchedSession(browser, gw.url);
    const { page } = session;
    await signInWithKeyboard(page, gw.url, gw.admin);
    await tabTo(page, 'nav a[href="/dashboard/settings"]');
    await Promise.all([page.waitForURL((url) => url.pathname === '/dashboard/settings'), page.keyboard.press('Enter')]);
    assert.equal(await page.locator('nav a[aria-current=page]').textContent(), 'Settings');
    await assertEveryControlLabelled(page, 'settings');

    await tabTo(page, '#field-token_retrieval_enabled');
    await page.keyboard.press('Space');
    await tabTo(page, '#field-tool_call_payloads_enabled');
    await page.keyboard.press('Space');
    await tabTo(page, '#environment ~ form button[type=submit]');
    await Promise.all([page.waitForURL((url) => url.pathname === '/dashboard/settings'), page.keyboard.press('Enter')]);
    await page.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
    const settings = (await gw.api('GET', '/api/v1/settings')).body.settings;
    assert.equal(settings.token_retrieval_enabled, true);
    assert.equal(settings.tool_call_payloads_enabled, true);
    assert.equal(settings.proxy_enabled, false);
    assert.equal(await page.getByLabel('Token retrieval').isChecked(), true);
    await screenshot(page, 'settings');

    await tabAndType(page, '#field-url', `http://127.0.0.1:9/${unique('browser-hook')}`);
    await tabAndType(page, '#field-description', 'browser test receiver');
    await Promise.all([page.waitForURL((url) => url.pathname === '/dashboard/settings/webhooks'), page.keyboard.press('Enter')]);
    assert.equal(await page.locator('h1').textContent(), 'Webhook endpoint added');
    const secret = await page.getByLabel('Signing secret').inputValue();
    assert.match(secret, /^whsec_/);
    await tabTo(page, 'button[data-copy="webhook-secret"]');
    await page.keyboard.press('Enter');
    await page.locator('[data-copy-status="webhook-secret"]').filter({ hasText: 'Copied' }).waitFor();
    assert.equal(await page.evaluate(() => (globalThis as any).navigator.clipboard.readText()), secret);
    await assertEveryControlLabelled(page, 'webhook secret');
    await screenshot(page, 'webhook-secret');

    await tabTo(page, 'main a[href="/dashboard/settings#webhooks"]');
    await Promise.all([page.waitForURL((url) => url.pathname === '/dashboard/settings'), page.keyboard.press('Enter')]);
    assert.equal(await page.getByText(secret).count(), 0, 'the secret is not on the settings page');
    await Promise.all([page.waitForURL((url) => url.pathname === '/dashboard/settings'), page.getByRole('button', { name: 'Send test event' }).click()]);
    assert.match(await page.getByRole('status').first().innerText(), /queued for 1 endpoint/);

    await tabAndType(page, '#field-name', 'browser credential');
    await Promise.all([page.waitForURL((url) => url.pathname === '/dashboard/settings/credentials'), page.keyboard.press('Enter')]);
    assert.equal(await page.locator('h1').textContent(), 'API credential created');
    assert.match(await page.getByLabel('Client secret').inputValue(), /^sec_/);
    await screenshot(page, 'credential-secret');
    await page.goto(`${gw.url}/dashboard/settings`);
    await page.getByRole('button', { name: 'Revoke browser credential' }).click();
    await page.getByRole('status').filter({ hasText: 'revoked' }).waitFor();
    assert.equal(session.dialogs.length, 1, 'revoking asked first');

    await Promise.all([page.waitForURL((url) => url.pathname === '/dashboard/sign-in'), page.getByRole('button', { name: 'Sign out' }).click()]);
    assertNoBrowserErrors(session);
  });
});
