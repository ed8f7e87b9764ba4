// Shared harness for the browser tests: Debian's chromium through playwright-core, a page in a
// fresh browser context that collects what goes wrong on it, and the sign-in through the UI.
//
// Env: FAZHI_CHROMIUM (default /usr/bin/chromium).
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { ROOT, DEMO_PASSWORD } from '../api/lib.mjs';

export const CHROMIUM = process.env.FAZHI_CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** Where the tests leave their screenshots (made by launchBrowser). */
export const SHOTS = join(ROOT, 'build', 'e2e');
/** Every page's default timeout for actions and waits, in ms. */
export const TIMEOUT = 15000;

/** Launch headless chromium (and make the SHOTS directory). */
export async function launchBrowser() {
    await mkdir(SHOTS, { recursive: true });
    return chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
}

/**
 * A page in a new browser context. `problems` collects the page's uncaught errors and, with
 * `consoleErrors`, its console errors, but for those whose text matches `ignoreConsole`.
 * `uiLocale` stores the UI's language (fazhi.locale) before any page loads; `context` adds
 * options of the context (acceptDownloads…).
 */
export async function newPage(browser, {
    locale = 'zh-CN', viewport = { width: 1440, height: 900 }, consoleErrors = true, ignoreConsole = null,
    uiLocale = null, context = {},
} = {}) {
    const ctx = await browser.newContext({ viewport, locale, ...context });
    if (uiLocale) await ctx.addInitScript((l) => { localStorage.setItem('fazhi.locale', l); }, uiLocale);
    const page = await ctx.newPage();
    page.setDefaultTimeout(TIMEOUT);
    const problems = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    if (consoleErrors) {
        page.on('console', (m) => {
            if (m.type() === 'error' && !(ignoreConsole && ignoreConsole.test(m.text()))) problems.push(`console: ${m.text()}`);
        });
    }
    return { ctx, page, problems };
}

/** Sign in on the sign-in page of the server at `base`; answers once the page has left /login. */
export async function signIn(page, base, username, password = DEMO_PASSWORD) {
    await page.goto(`${base}/login`);
    await page.locator('input[name="username"]').fill(username);
    await page.locator('input[name="password"]').fill(password);
    const resp = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login'));
    await page.locator('[data-test="login-submit"]').click();
    assert.equal((await resp).status(), 200, `${username} sign-in`);
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}
