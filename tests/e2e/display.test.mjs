// Browser test (issue 10): what people read — names, not codes; English throughout; charts that
// open their list; the fixed 操作 column at laptop widths; the list shell's column toolbar,
// collapsible search bar and tabs of open pages. Drives Debian's chromium with playwright-core.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { startServer, DEMO_PASSWORD, unitByName } from '../api/lib.mjs';
import { createTask } from '../api/tasks-lib.mjs';

const CHROMIUM = process.env.FAZHI_CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const TIMEOUT = 15000;

let srv, browser;
before(async () => {
    srv = await startServer();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
});
after(async () => {
    await browser?.close();
    await srv?.stopAndCheck();
});

async function newPage(lang = 'zh-CN', viewport = { width: 1440, height: 900 }) {
    const ctx = await browser.newContext({ viewport, locale: lang });
    await ctx.addInitScript((l) => { localStorage.setItem('fazhi.locale', l); }, lang === 'en' ? 'en' : 'zh-CN');
    const page = await ctx.newPage();
    page.setDefaultTimeout(TIMEOUT);
    const problems = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
    return { ctx, page, problems };
}

async function signIn(page, username, password = DEMO_PASSWORD) {
    await page.goto(`${srv.base}/login`);
    await page.locator('input[name="username"]').fill(username);
    await page.locator('input[name="password"]').fill(password);
    const resp = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login'));
    await page.locator('[data-test="login-submit"]').click();
    assert.equal((await resp).status(), 200, `${username} sign-in`);
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

/** The page's visible text (tooltips and title attributes are not part of it). */
async function visibleText(page) {
    return page.locator('.layout-content').first().innerText();
}

const CODE = /\b(?:unit|task|person|user|role|audit|setting|notify|calendar|document|file|legal_service)\.[a-z_]+\b/;

test('我的账户 lists permissions by name, not code, in Chinese and English', async () => {
    for (const [lang, name] of [['zh-CN', '管理督办任务'], ['en', null]]) {
        const { ctx, page, problems } = await newPage(lang);
        try {
            await signIn(page, 'office');
            await page.goto(`${srv.base}/account`);
            await page.locator('[data-test="perm-tag"]').first().waitFor();
            const text = await visibleText(page);
            assert.doesNotMatch(text, /task\.manage|unit\.read/, `${lang}: no permission code shown`);
            assert.doesNotMatch(text, CODE, `${lang}: no code at all`);
            const tags = await page.locator('[data-test="perm-tag"]').allInnerTexts();
            assert.ok(tags.length > 3, 'office holds several permissions');
            if (name) assert.ok(tags.some((x) => x.includes('督办')), `zh names: ${tags}`);
            else assert.ok(tags.every((x) => !/[\u4e00-\u9fff]/.test(x)), `en names: ${tags}`);
            assert.deepEqual(problems, []);
        } finally { await ctx.close(); }
    }
});

test('the audit log shows action and object names, codes only in tooltips', async () => {
    // something to show: office creates a task through the API (task.create on object task)
    const office = await srv.login('office');
    await createTask(office, { lead_unit_id: (await unitByName(office, '区公安分局')).id });
    for (const [lang, action, object] of [['zh-CN', '新建督办任务', '督办任务'], ['en', 'Create task', 'Task']]) {
        const { ctx, page, problems } = await newPage(lang);
        try {
            await signIn(page, 'auditor');
            await page.goto(`${srv.base}/audit?action=task.create`);
            await page.locator('[data-test="audit-action"]', { hasText: action }).first().waitFor();
            await page.locator('[data-test="audit-object"]', { hasText: object }).first().waitFor();
            const text = await visibleText(page);
            assert.doesNotMatch(text, /task\.create/, `${lang}: the action code is not shown`);
            assert.doesNotMatch(text, CODE, `${lang}: no code shown`);
            assert.equal(await page.locator('[data-test="audit-action"]').first().getAttribute('title'), 'task.create');
            await page.goto(`${srv.base}/audit`);
            await page.locator('[data-test="audit-action"]').first().waitFor();
            await page.waitForLoadState('networkidle');
            assert.doesNotMatch(await visibleText(page), CODE, `${lang}: no code on the first page`);
            assert.deepEqual(problems, []);
        } finally { await ctx.close(); }
    }
});

test('系统设置 shows setting names, not keys', async () => {
    for (const lang of ['zh-CN', 'en']) {
        const { ctx, page, problems } = await newPage(lang);
        try {
            await signIn(page, 'sysadmin');
            await page.goto(`${srv.base}/system/settings`);
            await page.locator('[data-test="setting-name"]').first().waitFor();
            const text = await visibleText(page);
            assert.doesNotMatch(text, /site\.name|task\.yellow_days|jobs\.daily_hour/, `${lang}: no setting key shown`);
            const keys = (await (await srv.login('sysadmin')).get('/api/v1/settings')).json.items.map((x) => x.key);
            assert.ok(keys.length > 5);
            for (const k of keys) assert.ok(!text.includes(k), `${lang}: the key ${k} is not shown`);
            assert.ok((await page.locator('[data-test="setting-name"]').count()) > 5);
            assert.deepEqual(problems, []);
        } finally { await ctx.close(); }
    }
});
