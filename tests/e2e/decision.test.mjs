// Browser walk of a 重大行政决策 file (web: the generic record page with its steps panel,
// web/src/shell/RecordSteps.vue): the lead unit's clerk opens a new draft, sees the statutory
// steps in order, tries 集体讨论决定 before the legality review — the locked button says why,
// and sent anyway the server refuses it with that reason, shown in the page — then takes the
// draft through every step (公众参与 and 专家论证 by the buttons; the reviewer's steps and those
// picking a unit or an account through the API), decides by the button once the review passed,
// publishes, and the panel shows every step done with the draft version it saw. Screenshots go
// to build/e2e/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, unitByName, uniq, ok } from '../api/lib.mjs';
import { launchBrowser, newPage, signIn, SHOTS } from './lib.mjs';

let srv, browser, clerk, reviewer, reviewerId, cgjd, sfj;
before(async () => {
    srv = await startServer();
    clerk = await srv.login('clerk2');
    reviewer = await srv.login('reviewer');
    reviewerId = ok(await reviewer.get('/api/v1/auth/me')).user.id;
    const office = await srv.login('office');
    cgjd = await unitByName(office, '城关街道');
    sfj = await unitByName(office, '区司法局');
    browser = await launchBrowser();
});
after(async () => {
    await browser?.close();
    await srv?.stopAndCheck();
});

const PATH = '/api/v1/decisions';
async function api(who, id, action, body) {
    const cur = ok(await who.get(`${PATH}/${id}`));
    return ok(await who.post(`${PATH}/${id}/actions/${action}`, { version: cur.version, ...body }), 200, action);
}

/** Open the action's dialog by its button and fill it; returns the dialog. */
async function openAction(page, action, fill = async () => {}) {
    await page.locator(`[data-test="record-actions"] [data-test="act-${action}"]`).click();
    const dlg = page.locator('[data-test="action-dialog"]').filter({ visible: true });
    await dlg.waitFor();
    await fill(dlg);
    return dlg;
}
async function submit(page, dlg, action, status = 200) {
    const done = page.waitForResponse((r) => r.url().includes(`/actions/${action}`) && r.request().method() === 'POST');
    await dlg.locator('[data-test="action-submit"]').click();
    const r = await done;
    assert.equal(r.status(), status, `${action}: ${r.status()} ${await r.text()}`);
    return r;
}
const text = (dlg, arg) => dlg.locator(`[data-test="arg-${arg}"]`).locator('textarea, input').first();
/** An enumerated argument: radio buttons for a few options, a select for more. */
async function pick(page, dlg, arg, option) {
    const item = dlg.locator(`[data-test="arg-${arg}"]`);
    await item.waitFor();
    if (await item.locator('.el-select__wrapper').count()) {
        await item.locator('.el-select__wrapper').first().click();
        await page.locator('.el-select-dropdown__item:visible').filter({ hasText: option }).first().click();
    } else {
        await item.getByText(option, { exact: true }).first().click();
    }
}
async function date(dlg, arg, value) {
    const input = dlg.locator(`[data-test="arg-${arg}"] input`).first();
    await input.fill(value);
    await input.press('Enter');
}
const stepState = (page, code) => page.locator(`[data-test="record-steps"] [data-test="step-${code}"]`).getAttribute('data-state');

async function fillDecide(page, dlg) {
    await pick(page, dlg, 'meeting_type', '常务会议');
    await date(dlg, 'meeting_on', '2026-10-20');
    await text(dlg, 'attendees').fill('区政府常务会议组成人员');
    await text(dlg, 'head').fill('王区长');
    await text(dlg, 'speaking_order').fill('李副区长\n王区长');
    await pick(page, dlg, 'result', '通过');
}

test('a draft through every step: deciding before the legality review is refused with its reason', async () => {
    const title = `城关街道老旧小区加装电梯实施办法 ${uniq('b').slice(-5)}`;
    const d = ok(await clerk.post(PATH, { title, lead_unit_id: cgjd.id, started_on: '2026-08-03',
        summary: '加装电梯的申请、审批和补助。', draft: '第一条 为推进老旧小区加装电梯，制定本办法。' }), 201);
    const o = await newPage(browser);
    try {
        await signIn(o.page, srv.base, 'clerk2');
        await o.page.goto(`${srv.base}/decisions`);
        await o.page.locator('[data-test="list-table"] tbody tr').filter({ hasText: d.decision_no }).first().waitFor();
        await o.page.goto(`${srv.base}/decisions/${d.id}`);
        const rec = o.page.locator('[data-test="record-page"]');
        await rec.locator('[data-test="record-state"]').filter({ hasText: '公众参与' }).waitFor();
        const steps = rec.locator('[data-test="record-steps"]');
        await steps.waitFor();
        assert.equal(await steps.locator('[data-test^="step-"][data-state]').count(), 8);
        assert.equal(await stepState(o.page, 'participation'), 'current');

        // 集体讨论决定 now: the locked button says why; sent anyway, the server refuses in words
        const locked = rec.locator('[data-test="record-actions"] [data-test="act-decide"]');
        assert.equal(await locked.getAttribute('data-blocked'), 'true');
        let dlg = await openAction(o.page, 'decide');
        await dlg.locator('[data-test="action-blocked"]').filter({ hasText: '未经合法性审查' }).waitFor();
        await fillDecide(o.page, dlg);
        await o.page.screenshot({ path: join(SHOTS, 'decision-decide-blocked-zh.png') });
        await submit(o.page, dlg, 'decide', 409);
        await o.page.locator('.el-message').filter({ hasText: '未经合法性审查或者经审查不合法的决策草案，不得提交集体讨论决定' }).waitFor();
        await o.page.screenshot({ path: join(SHOTS, 'decision-decide-refused-zh.png') });
        assert.equal(ok(await clerk.get(`${PATH}/${d.id}`)).status, 'participation', 'the refusal changed nothing');

        // 公众参与 by its button: a forum
        dlg = await openAction(o.page, 'participate', async (x) => {
            await pick(o.page, x, 'form', '座谈会');
            await date(x, 'held_on', '2026-08-20');
            await text(x, 'participants').fill('居民代表12人');
            await text(x, 'summary').fill('座谈会意见已汇总，采纳8条。');
        });
        await submit(o.page, dlg, 'participate');
        await rec.locator('[data-test="record-state"]').filter({ hasText: '专家论证' }).waitFor();
        assert.equal(await stepState(o.page, 'participation'), 'done');

        // 专家论证: an expert chosen (the pool's), the opinion by the button
        const x = ok(await clerk.get('/api/v1/experts?specialty=planning')).items[0];
        await api(clerk, d.id, 'choose_expert', { expert_id: x.id });
        await rec.locator('[data-test="record-refresh"]').click();
        dlg = await openAction(o.page, 'expert_review', async (y) => {
            await date(y, 'held_on', '2026-08-28');
            await text(y, 'opinion').fill('方案总体可行。');
        });
        await submit(o.page, dlg, 'expert_review');
        await rec.locator('[data-test="record-state"]').filter({ hasText: '风险评估' }).waitFor();

        // 风险评估 and the legality review through the API (a unit, an account, the reviewer)
        await api(clerk, d.id, 'assess_risk', { assessor_unit_id: cgjd.id, assessed_on: '2026-09-10', risk_level: 'low',
            report: '评估报告', risk_points: '施工扰民', measures: '错峰施工', contingency: '应急预案' });
        await api(clerk, d.id, 'submit_review', { reviewer_id: reviewerId, submitted_on: '2026-09-28', review_days: 7 });
        await api(reviewer, d.id, 'review', { opinion: 'lawful', draft_version: 1, reviewed_on: '2026-10-12', note: '合法。' });
        await rec.locator('[data-test="record-refresh"]').click();
        await rec.locator('[data-test="record-state"]').filter({ hasText: '待集体讨论决定' }).waitFor();
        assert.equal(await stepState(o.page, 'review'), 'done');
        assert.equal(await rec.locator('[data-test="record-actions"] [data-test="act-decide"]').getAttribute('data-blocked'), null);

        // 集体讨论决定 by its button now, the head speaking last; then 公布 with 解读
        dlg = await openAction(o.page, 'decide', (y) => fillDecide(o.page, y));
        assert.equal(await dlg.locator('[data-test="action-blocked"]').count(), 0);
        await submit(o.page, dlg, 'decide');
        await rec.locator('[data-test="record-state"]').filter({ hasText: '已决定' }).waitFor();
        dlg = await openAction(o.page, 'publish', async (y) => {
            await date(y, 'published_on', '2026-10-26');
            await text(y, 'channel').fill('区政府门户网站');
            await text(y, 'interpretation').fill('一图读懂加装电梯政策');
        });
        await submit(o.page, dlg, 'publish');
        await rec.locator('[data-test="record-state"]').filter({ hasText: '已公布' }).waitFor();

        // 执行 and 决策后评估 (another unit than the risk assessor's)
        ok(await clerk.post('/api/v1/decision-reports', { decision_id: d.id, reported_on: '2026-11-10', progress: 'on_track', content: '已完成12台。' }), 201);
        await api(clerk, d.id, 'evaluate', { evaluator_unit_id: sfj.id, evaluated_on: '2026-11-20', conclusion: '效果良好。' });
        await rec.locator('[data-test="record-refresh"]').click();
        await rec.locator('[data-test="record-state"]').filter({ hasText: '已完成决策后评估' }).waitFor();
        for (const code of ['participation', 'expert', 'risk', 'review', 'discussion', 'publish', 'execute', 'evaluate'])
            assert.equal(await stepState(o.page, code), 'done', code);
        await steps.getByText('草案第1稿').first().waitFor();
        // the refused attempt changed nothing: no decide event before the review on the timeline
        await o.page.screenshot({ path: join(SHOTS, 'decision-record-zh.png'), fullPage: true });
        assert.deepEqual(o.problems.filter((p) => !/409|Conflict/.test(p)), []);
    } finally {
        await o.ctx.close();
    }
});

test('a skipped step shows with its reason; the demo file that tried to skip the review', async () => {
    const o = await newPage(browser);
    try {
        await signIn(o.page, srv.base, 'office');
        const list = ok(await (await srv.login('office')).get(`${PATH}?per_page=100`)).items;
        const skipped = list.find((x) => x.skipped_steps > 0);
        await o.page.goto(`${srv.base}/decisions/${skipped.id}`);
        const reason = o.page.locator('[data-test="step-reason-expert"]');
        await reason.filter({ hasText: '未组织专家论证' }).waitFor();
        assert.equal(await stepState(o.page, 'expert'), 'skipped');
        await o.page.screenshot({ path: join(SHOTS, 'decision-skipped-zh.png'), fullPage: true });
        // the demo's file refused before its legality review: the refusal is on its timeline
        const early = list.find((x) => x.title.startsWith('农贸市场提升改造补助办法'));
        await o.page.goto(`${srv.base}/decisions/${early.id}`);
        await o.page.locator('[data-test="record-timeline-card"]').getByText('集体讨论决定（被拒绝）').waitFor();
        await o.page.locator('[data-test="record-timeline-card"]').getByText(/不得提交集体讨论决定/).first().waitFor();
        await o.page.screenshot({ path: join(SHOTS, 'decision-refused-timeline-zh.png'), fullPage: true });
    } finally {
        await o.ctx.close();
    }
});
