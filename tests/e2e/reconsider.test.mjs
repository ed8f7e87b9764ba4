// Browser test of 行政复议 and 行政应诉, whose pages are the generic entity page alone (menu page
// "entity"): an application registered through the API is accepted by the office from the detail
// drawer's buttons (the procedure chosen in the step's dialog), answered by the respondent unit's
// clerk (城关街道, clerk2) and decided by the office — every step through the buttons, the clocks
// shown; a litigation case's defence is submitted by the defendant unit's clerk. Screenshots go
// to build/e2e/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, ok, unitByName } from '../api/lib.mjs';
import { launchBrowser, newPage as openPage, signIn, SHOTS } from './lib.mjs';

let srv, browser, office, clerk2, cgjd;
before(async () => {
    srv = await startServer();
    office = await srv.login('office');
    clerk2 = await srv.login('clerk2');
    cgjd = await unitByName(office, '城关街道');
    browser = await launchBrowser();
});
after(async () => {
    await browser?.close();
    await srv?.stopAndCheck();
});

/** Click the action's button (from the kind) and submit its dialog. */
async function takeAction(page, action, fill = async () => {}) {
    const button = page.locator(`[data-test="record-actions"] [data-test="act-${action}"]`);
    await button.click();
    const dlg = page.locator('[data-test="action-dialog"]').filter({ visible: true });
    await dlg.waitFor();
    await fill(dlg);
    const done = page.waitForResponse((r) => r.url().includes(`/actions/${action}`) && r.request().method() === 'POST');
    await dlg.locator('[data-test="action-submit"]').click();
    const r = await done;
    assert.equal(r.status(), 200, `${action}: ${r.status()} ${await r.text()}`);
    await dlg.waitFor({ state: 'hidden' });
}

test('行政复议: 受理 (普通程序) → 答复 by the respondent\'s clerk → 决定 (撤销), by the buttons', async () => {
    const rec = ok(await office.post('/api/v1/reconsiderations', {
        received_on: '2026-11-02', knew_on: '2026-10-20', respondent_unit_id: cgjd.id, act_type: 'penalty',
        act: '城关街道作出的罚款决定（浏览器测试）', request: '请求撤销。', parties: [{ role: 'applicant', name: '郑小燕' }],
    }), 201);
    const o = await openPage(browser);
    const k = await openPage(browser);
    try {
        await signIn(o.page, srv.base, 'office');
        await o.page.goto(`${srv.base}/reconsiderations/${rec.id}`);
        let drawer = o.page.locator('[data-test="record-page"]');
        await drawer.locator('[data-test="record-state"]').filter({ hasText: '受理审查' }).waitFor();
        await drawer.locator('[data-test="record-clocks"]').waitFor();
        await takeAction(o.page, 'accept', async (dlg) => {
            await dlg.locator('[data-test="arg-procedure_type"]').getByText('普通程序').click(); // two options: radio buttons
        });
        await drawer.locator('[data-test="record-state"]').filter({ hasText: '审理中' }).waitFor();
        await o.page.screenshot({ path: join(SHOTS, 'reconsideration-detail-zh.png') });

        await signIn(k.page, srv.base, 'clerk2');
        await k.page.goto(`${srv.base}/reconsiderations/${rec.id}`);
        const kd = k.page.locator('[data-test="record-page"]');
        await kd.locator('[data-test="record-state"]').filter({ hasText: '审理中' }).waitFor();
        await takeAction(k.page, 'answer', async (dlg) => {
            await dlg.locator('textarea').first().fill('已提交书面答复及证据。');
        });
        await kd.locator('[data-test="act-answer"]').waitFor({ state: 'detached' });

        await o.page.goto(`${srv.base}/reconsiderations/${rec.id}`);
        drawer = o.page.locator('[data-test="record-page"]');
        await drawer.locator('[data-test="record-state"]').filter({ hasText: '审理中' }).waitFor();
        await takeAction(o.page, 'decide', async (dlg) => {
            await dlg.locator('[data-test="arg-decision_type"] .el-select__wrapper').click();
            await o.page.locator('.el-select-dropdown__item:visible').filter({ hasText: /^撤销$/ }).click();
            await dlg.locator('textarea').first().fill('撤销原行政处罚决定。');
        });
        await drawer.locator('[data-test="record-state"]').filter({ hasText: '已决定' }).waitFor();
        const x = ok(await office.get(`/api/v1/reconsiderations/${rec.id}`));
        assert.equal(x.decision_type, 'revoke');
        assert.equal(x.procedure_type, 'ordinary');
        assert.ok(x.answered_on);
        assert.deepEqual(o.problems, []);
        assert.deepEqual(k.problems, []);
    } finally {
        await o.ctx.close();
        await k.ctx.close();
    }
});

test('行政应诉: the defendant unit\'s clerk submits the defence by the button; the hearings list', async () => {
    const rec = ok(await clerk2.post('/api/v1/litigations', {
        court_case_no: '（2026）浙0102行初999号', court: '城关区人民法院', instance: 'first', cause: '政府信息公开（浏览器测试）',
        defendant_unit_id: cgjd.id, filed_on: '2026-11-20', served_on: '2026-11-23', claim: '请求判令公开。',
        parties: [{ role: 'plaintiff', name: '孙立' }],
    }), 201);
    const k = await openPage(browser);
    try {
        await signIn(k.page, srv.base, 'clerk2');
        await k.page.goto(`${srv.base}/litigations/${rec.id}`);
        const drawer = k.page.locator('[data-test="record-page"]');
        await drawer.locator('[data-test="record-state"]').filter({ hasText: '待答辩' }).waitFor();
        await takeAction(k.page, 'defend');
        await drawer.locator('[data-test="record-state"]').filter({ hasText: '审理中' }).waitFor();
        assert.equal(ok(await clerk2.get(`/api/v1/litigations/${rec.id}`)).status, 'answered');
        await k.page.goto(`${srv.base}/litigation-hearings`);
        await k.page.locator('[data-test="list-table"] .el-table__body-wrapper tbody tr').first().waitFor();
        await k.page.screenshot({ path: join(SHOTS, 'litigation-hearings-zh.png') });
        assert.deepEqual(k.problems, []);
    } finally {
        await k.ctx.close();
    }
});
