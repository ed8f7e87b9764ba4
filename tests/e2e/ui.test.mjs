// Browser test: a sysadmin creates a unit and an account in the web UI; the auditor then finds the
// audit entries of both; the UI switches to English. Drives Debian's chromium with playwright-core.
//
// Screenshots go to build/e2e/; with FAZHI_UPDATE_SCREENSHOT=1 the README picture
// docs/screenshot.png is refreshed too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startServer, ROOT, uniq } from '../api/lib.mjs';
import { launchBrowser, newPage, signIn, SHOTS } from './lib.mjs';

let srv, browser;
before(async () => {
    srv = await startServer();
    browser = await launchBrowser();
});
after(async () => {
    await browser?.close();
    await srv?.stopAndCheck();
});

/** The input of the dialog's form item whose label is `label`. */
function field(dialog, label) {
    return dialog.locator('.el-form-item').filter({ has: dialog.page().locator('.el-form-item__label', { hasText: label }) }).first();
}

test('README screenshot: sysadmin on the units page', async () => {
    const { ctx, page } = await newPage(browser);
    try {
        await signIn(page, srv.base, 'sysadmin');
        await page.goto(`${srv.base}/org/units`);
        await page.locator('.el-table__body tr').first().waitFor();
        await page.waitForLoadState('networkidle');
        const file = join(SHOTS, 'screenshot.png');
        await page.screenshot({ path: file });
        if (process.env.FAZHI_UPDATE_SCREENSHOT === '1') await copyFile(file, join(ROOT, 'docs', 'screenshot.png'));
    } finally {
        await ctx.close();
    }
});

let unit, user;

test('sysadmin creates a unit and an account in the UI', async () => {
    const { ctx, page, problems } = await newPage(browser);
    try {
        await signIn(page, srv.base, 'sysadmin');
        await page.goto(`${srv.base}/org/units`);
        await page.locator('[data-test="unit-create"]').click();
        const dlg = page.locator('.el-dialog').filter({ hasText: '新增机构' });
        await dlg.waitFor();
        const code = uniq('e2e');
        const name = `端到端测试局${code.slice(-4)}`;
        await field(dlg, '机构编码').locator('input').fill(code);
        await field(dlg, '机构名称').locator('input').fill(name);
        await field(dlg, '机构类型').locator('.el-select').click();
        await page.locator('.el-select-dropdown__item:visible', { hasText: '政府部门' }).click();
        const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/units') && r.request().method() === 'POST');
        await dlg.locator('[data-test="unit-save"]').click();
        const cr = await created;
        assert.equal(cr.status(), 201, `create unit: ${await cr.text()}`);
        unit = await cr.json();
        await page.locator('.el-table', { hasText: name }).first().waitFor();
        await page.screenshot({ path: join(SHOTS, 'units.png') });

        await page.goto(`${srv.base}/system/users`);
        await page.locator('[data-test="user-create"]').click();
        const udlg = page.locator('.el-dialog').filter({ hasText: '新建账号' });
        await udlg.waitFor();
        const username = `e2e${code.slice(-6)}`.toLowerCase().replace(/[^a-z0-9]/g, '');
        await field(udlg, '用户名').locator('input').fill(username);
        await field(udlg, '姓名').locator('input').fill('端到端用户');
        await field(udlg, '所属单位').locator('.el-select').click();
        await page.locator('.el-tree-node__content:visible', { hasText: name }).first().click();
        const ucreated = page.waitForResponse((r) => r.url().endsWith('/api/v1/users') && r.request().method() === 'POST');
        await udlg.locator('[data-test="user-save"]').click();
        const ur = await ucreated;
        assert.equal(ur.status(), 201, `create user: ${await ur.text()}`);
        const body = await ur.json();
        user = body.user;
        assert.equal(user.unit_id, unit.id, 'the account belongs to the new unit');
        const pw = await page.locator('[data-test="initial-password"]').innerText();
        assert.equal(pw.trim(), body.initial_password, 'the one-time password is shown to the admin');
        assert.deepEqual(problems, []);
    } finally {
        await ctx.close();
    }
});

test('the auditor sees the audit entries of that creation, then switches to English', async () => {
    assert.ok(unit && user, 'needs the previous test');
    const { ctx, page, problems } = await newPage(browser);
    try {
        await signIn(page, srv.base, 'auditor');
        await page.goto(`${srv.base}/audit`);
        // actions are shown by name (新增机构 / Create unit), their codes in the cell's tooltip
        const unitRow = page.locator('.el-table__body tr').filter({ has: page.locator('[title="unit.create"]') }).filter({ hasText: `#${unit.id}` });
        await unitRow.first().waitFor();
        assert.match(await unitRow.first().innerText(), /sysadmin/);
        const userRow = page.locator('.el-table__body tr').filter({ has: page.locator('[title="user.create"]') }).filter({ hasText: `#${user.id}` });
        await userRow.first().waitFor();
        await page.screenshot({ path: join(SHOTS, 'audit-zh.png') });

        await page.locator('[data-test="locale-switch"]').click();
        await page.locator('.el-dropdown-menu__item:visible', { hasText: 'English' }).click();
        await page.locator('.el-menu', { hasText: 'Audit log' }).first().waitFor();
        await page.getByText('Audit log', { exact: true }).first().waitFor();
        assert.equal(await page.getByText('审计日志', { exact: true }).count(), 0, 'no Chinese menu title left');
        await unitRow.first().waitFor();
        await page.screenshot({ path: join(SHOTS, 'audit-en.png') });
        // the choice survives a reload
        await page.reload();
        await page.getByText('Audit log', { exact: true }).first().waitFor();
        assert.deepEqual(problems, []);
    } finally {
        await ctx.close();
    }
});

test('a wrong password shows the server\'s message on the sign-in page', async () => {
    const { ctx, page } = await newPage(browser);
    try {
        await page.goto(`${srv.base}/login`);
        await page.locator('input[name="username"]').fill('leader');
        await page.locator('input[name="password"]').fill('Wrong#Pass2026');
        await page.locator('[data-test="login-submit"]').click();
        const err = page.locator('[data-test="login-error"]');
        await err.waitFor();
        assert.match(await err.innerText(), /[\u4e00-\u9fff]/);
        assert.ok(page.url().includes('/login'));
    } finally {
        await ctx.close();
    }
});
