/**
 * @module Chromium fixtures for dashboard tests: a watched context (any console error or page error
 * fails), keyboard helpers, the accessible-name check of every form control, screenshots, and the
 * keyboard sign-in every dashboard browser test starts with.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const UNDER_CI = !['', '0', 'false'].includes((process.env['CI'] ?? '').trim().toLowerCase());
/** Skip reason for `describe` when there is no browser (a failure under CI instead). */
export const BROWSER_SKIP: string | false = existsSync(CHROMIUM) || UNDER_CI ? false : `no Chromium at ${CHROMIUM} (install Debian's chromium package, or set CHROMIUM_PATH)`;
export const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
export const DASHBOARD_ARTIFACTS = fileURLToPath(new URL('../artifacts/dashboard/', import.meta.url));

export async function launchBrowser(): Promise<Browser> {
  assert.ok(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}: .ci/run installs Debian's chromium package`);
  mkdirSync(DASHBOARD_ARTIFACTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
}

export interface WatchedSession {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Every console error and uncaught page error, in order. */
  readonly problems: string[];
  /** Gzip-compressed bytes of every script the pages loaded, by URL. */
  readonly scriptBytes: Map<string, number>;
  /** Dialogs the pages opened (`confirm()`), in order; each is accepted unless `dismissNext` is set. */
  readonly dialogs: string[];
  dismissNext: boolean;
}

/** A fresh context (clipboard allowed for `origin`) whose every page is watched from its first request. */
export async function openWatchedSession(browser: Browser, origin: string): Promise<WatchedSession> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  const problems: string[] = [];
  const scriptBytes = new Map<string, number>();
  const dialogs: string[] = [];
  const page = await context.newPage();
  const session: WatchedSession = { context, page, problems, scriptBytes, dialogs, dismissNext: false };
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error on ${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error on ${page.url()}: ${error.message}`));
  page.on('response', (response) => {
    if (response.request().resourceType() !== 'script') return;
    void response.body().then((body) => scriptBytes.set(response.url(), gzipSync(body).length), () => undefined);
  });
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    const dismiss = session.dismissNext;
    session.dismissNext = false;
    void (dismiss ? dialog.dismiss() : dialog.accept());
  });
  return session;
}

export function assertNoBrowserErrors(session: WatchedSession): void {
  assert.deepEqual(session.problems, [], `the browser reported errors:\n${session.problems.join('\n')}`);
}

/** Presses Tab until `selector` has focus (at most `max` times): proves it is reachable by keyboard. */
export async function tabTo(page: Page, selector: string, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => (globalThis as any).document.activeElement?.matches(s) === true, selector)) return;
    await page.keyboard.press('Tab');
  }
  const at = await page.evaluate(() => (globalThis as any).document.activeElement?.outerHTML.slice(0, 120) ?? '(nothing)');
  assert.fail(`${selector} never got focus after ${max} Tab presses (focus is on ${at})`);
}

/** Tab to a field, type into it (replacing what it held). */
export async function tabAndType(page: Page, selector: string, text: string): Promise<void> {
  await tabTo(page, selector);
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(text);
}

/** Every visible form control and button of the page has a non-empty accessible name. */
export async function assertEveryControlLabelled(page: Page, where: string): Promise<number> {
  const controls = page.locator('input:not([type=hidden]):visible, select:visible, textarea:visible, button:visible');
  const count = await controls.count();
  for (let i = 0; i < count; i++) {
    const control = controls.nth(i);
    const snapshot = (await control.ariaSnapshot()).split('\n')[0] ?? '';
    const html = await control.evaluate((el) => el.outerHTML.slice(0, 160));
    assert.match(snapshot, /^- \w+ "[^"]*\S[^"]*"/, `${where}: a control without an accessible name: ${html} (${snapshot})`);
  }
  return count;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(DASHBOARD_ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Signs in on /dashboard/sign-in with the keyboard only (skip link checked on the way). */
export async function signInWithKeyboard(page: Page, baseUrl: string, credential: { clientId: string; clientSecret: string }): Promise<void> {
  await page.goto(`${baseUrl}/dashboard/sign-in`);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => (globalThis as any).document.activeElement?.textContent?.trim()), 'Skip to content', 'the first Tab reaches the skip link');
  await tabAndType(page, '#field-client_id', credential.clientId);
  await tabAndType(page, '#field-client_secret', credential.clientSecret);
  await Promise.all([page.waitForURL((url) => !url.pathname.endsWith('/sign-in'), { timeout: 20_000 }), page.keyboard.press('Enter')]);
}
