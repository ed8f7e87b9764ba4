// Browser test of 安全管理: the sign-in page asks for a captcha after repeated failures (image,
// refresh, a wrong code refused, the right one accepted); the security administrator sees the
// sign-in log and forces a signed-in clerk out from 在线用户, whose next step lands on the
// sign-in page. Drives Debian's chromium with playwright-core.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { startServer, sqlite, DEMO_PASSWORD } from '../api/lib.mjs';
import { launchBrowser, newPage as openPage, signIn, SHOTS } from './lib.mjs';

let srv, browser;
before(async () => {
    srv = await startServer({ captchaAfter: 3 });
    browser = await launchBrowser();
});
after(async () => {
    await browser?.close();
    await srv?.stopAndCheck();
});

// the refusals the test provokes are logged by the browser as failed requests
const newPage = (lang = 'zh-CN') => openPage(browser, { locale: lang, ignoreConsole: /status of 40[01]/ });

/** Answer the next captcha the page loads with `answer` (only its hash is stored). */
function captchaAnswered(page, answer) {
    return page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/captcha')).then(async (r) => {
        const { id } = await r.json();
        const hash = createHash('sha256').update(`${id}:${answer}`).digest('hex');
        await sqlite(srv.db, `UPDATE captchas SET answer_hash = '${hash}' WHERE id = '${id}';`);
        return id;
    });
}

async function submit(page) {
    const resp = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login'));
    await page.locator('[data-test="login-submit"]').click();
    return resp;
}

test('after three failed sign-ins the sign-in page shows a captcha: refresh, wrong code refused, right code signs in', async () => {
    const { ctx, page, problems } = await newPage();
    try {
        await page.goto(`${srv.base}/login`);
        await page.locator('input[name="username"]').fill('leader');
        for (let i = 0; i < 3; i++) {
            assert.equal(await page.locator('[data-test="login-captcha"]').count(), 0, `no captcha before failure ${i + 1}`);
            await page.locator('input[name="password"]').fill(`Wrong#Pass${i}`);
            const shown = i === 2 ? page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/captcha')) : null;
            assert.equal((await submit(page)).status(), 401);
            if (shown) await shown;
        }
        // the third refusal brings the captcha at once
        const img = page.locator('[data-test="login-captcha-img"]');
        await img.waitFor();
        const first = await img.getAttribute('src');
        assert.match(first, /^data:image\/svg\+xml;base64,/);
        // 换一张: a new image
        const next = captchaAnswered(page, 'X7K2M');
        await page.locator('[data-test="login-captcha-refresh"]').click();
        await next;
        await page.waitForFunction((old) => document.querySelector('[data-test="login-captcha-img"]')?.src !== old, first);
        // a wrong code: refused, the password kept, a new image
        await page.locator('input[name="password"]').fill(DEMO_PASSWORD);
        await page.locator('input[name="captcha"]').fill('AAAAA');
        const again = captchaAnswered(page, 'Y4P9E');
        const wrong = await submit(page);
        assert.equal(wrong.status(), 400);
        assert.equal((await wrong.json()).error.code, 'captcha_wrong');
        await again;
        await page.locator('[data-test="login-captcha"] .el-form-item__error').filter({ hasText: '验证码' }).waitFor();
        assert.equal(await page.locator('input[name="password"]').inputValue(), DEMO_PASSWORD, 'the password is kept');
        assert.equal(await page.locator('input[name="captcha"]').inputValue(), '', 'the code is cleared');
        await page.screenshot({ path: join(SHOTS, 'login-captcha.png') });
        // the right code (case does not matter)
        await page.locator('input[name="captcha"]').fill('y4p9e');
        assert.equal((await submit(page)).status(), 200);
        await page.waitForURL((u) => !u.pathname.startsWith('/login'));
        assert.deepEqual(problems.filter((p) => !/captcha|40[01]/.test(p)), []);
    } finally {
        await ctx.close();
    }
});

test('the security administrator reads the sign-in log and forces a clerk out from 在线用户', async () => {
    // the first test's failures came from this address too: start a new window
    await sqlite(srv.db, 'DELETE FROM login_throttle;');
    const clerk = await newPage();
    const sec = await newPage();
    try {
        await signIn(clerk.page, srv.base, 'clerk1');
        await signIn(sec.page, srv.base, 'secadmin');
        // 登录日志: the clerk's sign-in is there, in words
        await sec.page.goto(`${srv.base}/security/login-log`);
        const logRow = sec.page.locator('.el-table__body tr').filter({ hasText: 'clerk1' }).first();
        await logRow.waitFor();
        assert.match(await logRow.innerText(), /登录成功/);
        // 在线用户
        await sec.page.goto(`${srv.base}/security/sessions`);
        const mine = sec.page.locator('.el-table__body tr').filter({ has: sec.page.locator('[data-test="session-current"]') });
        await mine.first().waitFor();
        assert.equal(await mine.locator('[data-test="session-force-logout"]').count(), 0, 'not one\'s own session');
        const row = sec.page.locator('.el-table__body tr').filter({ hasText: 'clerk1' }).first();
        await row.waitFor();
        assert.match(await row.innerText(), /区司法局/);
        await sec.page.screenshot({ path: join(SHOTS, 'online-users.png') });
        await row.locator('[data-test="session-force-logout"]').click();
        const box = sec.page.locator('.el-message-box');
        await box.waitFor();
        const del = sec.page.waitForResponse((r) => r.request().method() === 'DELETE' && /\/api\/v1\/sessions\/\d+$/.test(r.url()));
        await box.locator('.el-button--danger').click();
        assert.equal((await del).status(), 200);
        await sec.page.locator('.el-message--success').waitFor();
        await sec.page.locator('.el-table__body tr').filter({ hasText: 'clerk1' }).first().waitFor({ state: 'detached' });
        // the clerk's next step: back to the sign-in page
        await clerk.page.goto(`${srv.base}/tasks`);
        await clerk.page.waitForURL((u) => u.pathname.startsWith('/login'));
        assert.deepEqual(sec.problems, []);
    } finally {
        await clerk.ctx.close();
        await sec.ctx.close();
    }
});
