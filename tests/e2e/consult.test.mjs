// Browser test of 公开征求意见: an anonymous visitor (no account, no session) opens the public
// 意见征集 page, reads the draft with its countdown, answers the server's arithmetic question in
// Chinese and sends a comment, which is accepted; the drafting unit's clerk then sees it on the
// consultation's record page, in the tally panel and the comments' child list, marks it adopted
// through the child list's edit dialog and the tally follows. The page also switches to English.
// Screenshots of the public and the staff pages go to build/e2e/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, ok, unitByName } from '../api/lib.mjs';
import { day } from '../api/tasks-lib.mjs';
import { launchBrowser, newPage, signIn, SHOTS } from './lib.mjs';

let srv, browser, clerk1, rec;
before(async () => {
    srv = await startServer();
    clerk1 = await srv.login('clerk1');
    const admin = await srv.login('sysadmin');
    const s = ok(await admin.get('/api/v1/settings')).items.find((x) => x.key === 'consult.min_fill_seconds');
    ok(await admin.put('/api/v1/settings/consult.min_fill_seconds', { value: 2, version: s.version }));
    const sfj = await unitByName(clerk1, '区司法局');
    rec = ok(await clerk1.post('/api/v1/consultations', {
        title: '城关区行政规范性文件管理办法（征求意见稿·浏览器测试）', unit_id: sfj.id, starts_on: day(0), ends_on: day(20),
        short_reason: '根据上级统一部署须于年底前印发', body: '第一条 为加强行政规范性文件管理，制定本办法。\n\n第二条 本办法所称行政规范性文件……',
        explanation: '一、起草背景\n二、主要内容', mail_to: 'fzb@example.gov.cn', post_address: '城关区人民路1号',
    }), 201);
    const cur = ok(await clerk1.get(`/api/v1/consultations/${rec.id}`));
    ok(await clerk1.post(`/api/v1/consultations/${rec.id}/actions/open`, { version: cur.version }));
    browser = await launchBrowser();
});
after(async () => {
    await browser?.close();
    await srv?.stopAndCheck();
});

/** "请计算：十二加七等于多少？" → 19 */
function solve(question) {
    const m = /请计算：(.+?)(加|减)(.+?)等于多少/.exec(question);
    assert.ok(m, question);
    const num = (s) => {
        const d = { 零: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
        if (!s.includes('十')) return d[s];
        const [a, b] = s.split('十');
        return (a ? d[a] : 1) * 10 + (b ? d[b] : 0);
    };
    const x = num(m[1]), y = num(m[3]);
    return String(m[2] === '加' ? x + y : x - y);
}

test('an anonymous visitor\'s comment is accepted on the public page and appears in the staff tally', async () => {
    const v = await newPage(browser);
    const k = await newPage(browser);
    try {
        // the visitor: no sign-in; the list of open consultations, then the one
        await v.page.goto(`${srv.base}/public/consultations`);
        assert.equal(new URL(v.page.url()).pathname, '/public/consultations', 'no redirect to the sign-in page');
        await v.page.locator('[data-test="public-item"]').filter({ hasText: '浏览器测试' }).waitFor();
        await v.page.screenshot({ path: join(SHOTS, 'consult-public-list-zh.png'), fullPage: true });
        await v.page.locator('[data-test="public-item"]').filter({ hasText: '浏览器测试' }).click();
        await v.page.waitForURL(`**/public/consultations/${rec.id}`);
        await v.page.locator('[data-test="public-countdown"]').waitFor();
        assert.match(await v.page.locator('[data-test="public-short-reason"]').innerText(), /年底前印发/);
        assert.match(await v.page.locator('[data-test="public-body"]').innerText(), /第一条 为加强/);
        await v.page.locator('[data-test="public-comment"]').fill('建议第二条增加“涉及公民权利义务”的表述。联系电话13812345678。');
        await v.page.locator('[data-test="public-contact"]').fill('王先生');
        const question = await v.page.locator('[data-test="public-question"]').innerText();
        await v.page.locator('[data-test="public-answer"]').fill(solve(question));
        await v.page.screenshot({ path: join(SHOTS, 'consult-public-page-zh.png'), fullPage: true });
        await v.page.waitForTimeout(2200); // consult.min_fill_seconds (2 here) since the page was read
        const sent = v.page.waitForResponse((r) => r.url().endsWith(`/public/consultations/${rec.id}/comments`));
        await v.page.locator('[data-test="public-submit"]').click();
        assert.equal((await sent).status(), 201);
        await v.page.locator('[data-test="public-sent"]').filter({ hasText: '您的意见已提交' }).waitFor();
        // the English page
        await v.page.locator('[data-test="locale-switch"]').click();
        await v.page.locator('.el-dropdown-menu__item').filter({ hasText: 'English' }).click();
        await v.page.locator('[data-test="public-form-card"]').filter({ hasText: 'Comment' }).waitFor();
        await v.page.locator('[data-test="public-again"], [data-test="public-sent"] button').first().click();
        await v.page.locator('[data-test="public-question"]').filter({ hasText: /What is/ }).waitFor();
        await v.page.screenshot({ path: join(SHOTS, 'consult-public-page-en.png'), fullPage: true });
        assert.deepEqual(v.problems, []);

        // the drafting unit's clerk: the record page, its tally and the comment
        await signIn(k.page, srv.base, 'clerk1');
        await k.page.goto(`${srv.base}/consultations/${rec.id}`);
        const tally = k.page.locator('[data-test="consult-tally"]');
        await tally.locator('[data-test="tally-total"]').filter({ hasText: '1' }).waitFor();
        await tally.locator('[data-test="tally-pending"]').filter({ hasText: '1' }).waitFor();
        const comments = k.page.locator('[data-test="child-consultation_comments"]');
        await comments.getByText('138****5678').waitFor(); // masked for the clerk
        await comments.locator('[data-test="child-edit"]').first().click();
        const dlg = k.page.locator('.el-dialog').filter({ visible: true });
        await dlg.locator('[data-test="item-adoption"]').getByText('采纳', { exact: true }).click();
        await dlg.locator('[data-test="item-answer"] textarea').fill('已在第二条中增加相关表述。');
        const saved = k.page.waitForResponse((r) => r.url().includes('/api/v1/consultation-comments/') && r.request().method() === 'PUT');
        await dlg.getByRole('button', { name: /保\s*存|确\s*定/ }).click();
        assert.equal((await saved).status(), 200);
        await tally.locator('[data-test="tally-adopted"]').filter({ hasText: '1' }).waitFor();
        await tally.locator('[data-test="tally-pending"]').filter({ hasText: '0' }).waitFor();
        await k.page.screenshot({ path: join(SHOTS, 'consult-staff-record-zh.png'), fullPage: true });
        await k.page.goto(`${srv.base}/consultations`);
        await k.page.locator('.el-table__row .el-tag').first().waitFor();
        await k.page.screenshot({ path: join(SHOTS, 'consult-staff-list-zh.png') });
        assert.deepEqual(k.problems, []);
    } finally {
        await v.ctx.close();
        await k.ctx.close();
    }
});

test('the published outcome on the public page (the demo\'s), and a draft is not public', async () => {
    const v = await newPage(browser, { ignoreConsole: /404/ });
    try {
        await v.page.goto(`${srv.base}/public/consultations`);
        await v.page.locator('.el-tabs__item').filter({ hasText: '结果公布' }).click();
        await v.page.locator('[data-test="public-item"]').filter({ hasText: '噪声' }).click();
        await v.page.locator('[data-test="public-outcome"]').waitFor();
        assert.match(await v.page.locator('[data-test="public-outcome"]').innerText(), /139\*\*\*\*1111/);
        await v.page.screenshot({ path: join(SHOTS, 'consult-public-outcome-zh.png'), fullPage: true });
        assert.deepEqual(v.problems, []);
    } finally {
        await v.ctx.close();
    }
});
