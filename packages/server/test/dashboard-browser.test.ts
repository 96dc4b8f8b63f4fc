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
  type WatchedSession,
} from './helpers/dashboard-browser.ts';
import type { TestGateway } from './helpers/test-gateway.ts';

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
    assert.equal(new URL(page.url()).pathname, '/dashboard/connectors');
    assert.equal(await page.getByRole('status').first().textContent(), 'Signed in.');
    const cookies = await session.context.cookies(gw.url);
    const sessionCookie = cookies.find((c) => c.name === '__Host-ag_dashboard');
    assert.ok(sessionCookie !== undefined, `Chromium kept the session cookie: ${cookies.map((c) => c.name).join(', ')}`);
    assert.equal(sessionCookie.httpOnly, true);
    assert.equal(sessionCookie.secure, true);
    assert.equal(sessionCookie.sameSite, 'Strict');
    assert.equal(await page.evaluate(() => document.cookie), '', 'page script cannot read the session');

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
});
