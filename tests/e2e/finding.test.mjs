// Browser test of 问题整改 and 督察通报 (src/features/finding; the generic entity pages): a finding
// registered by the inspector is ordered for rectification from its page's buttons; the unit's
// clerk opens the task it became (来源 links back to the finding) and asks to close it with its
// rectification report; the inspector's 验收 fails with a reason (the task goes back to the unit),
// the clerk asks again, 验收 passes (the task is closed); then a bulletin is drafted from the
// plan's findings, sent, approved and published. Screenshots (zh and en) go to build/e2e/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, ok, unitByName } from '../api/lib.mjs';
import { launchBrowser, newPage as openPage, signIn, SHOTS } from './lib.mjs';

let srv, browser, inspector;
before(async () => {
    srv = await startServer();
    inspector = await srv.login('inspector');
    browser = await launchBrowser();
});
after(async () => {
    await browser?.close();
    await srv?.stopAndCheck();
});

const newPage = (lang = 'zh-CN') => openPage(browser, { locale: lang, uiLocale: lang === 'en' ? 'en' : null });
const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);

/** Click the record's action button and submit its dialog (fill sets its arguments). */
async function takeAction(page, scope, action, fill = async () => {}) {
    const button = page.locator(`[data-test="${scope}"] [data-test="act-${action}"]`);
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
const state = (page, text) => page.locator('[data-test="record-page"] [data-test="record-state"]').filter({ hasText: text }).waitFor();

test('a finding → 下达整改 → the unit asks to close its task → 验收 fails → asks again → passes; a bulletin drafted, approved, published', async () => {
    const sfj = await unitByName(inspector, '区司法局');
    // a plan with the inspector on its team: the plan of the finding and of the bulletin
    const office = await srv.login('office');
    const y = today().slice(0, 4);
    const plan = ok(await office.post('/api/v1/inspection-plans', { title: `法治督察 ${Date.now()}`, plan_type: 'special',
        year: Number(y), methods: ['report'], start_on: `${y}-01-05`, end_on: `${y}-12-31`, scope_text: '全区',
        purpose: '问题整改', prepare: '自查报告' }), 201).id;
    const me = ok(await inspector.get('/api/v1/auth/me')).user;
    const mine = ok(await office.get(`/api/v1/inspectors?user_id=${me.id}`)).items[0];
    ok(await office.post('/api/v1/inspection-team', { plan_id: plan, inspector_id: mine.id, role: 'leader' }), 201);
    const f = ok(await inspector.post('/api/v1/inspection-findings', {
        plan_id: plan, unit_id: sfj.id, category: '行政执法', severity: 'serious',
        rule: '《中华人民共和国行政处罚法》第四十八条', description: '行政处罚决定未按规定公开', found_on: today(),
    }), 201);
    const i = await newPage();
    const k = await newPage();
    const en = await newPage('en');
    try {
        await signIn(i.page, srv.base, 'inspector');
        await i.page.goto(`${srv.base}/inspection-findings`);
        await i.page.locator('[data-test="list-table"] tbody tr').first().waitFor();
        await i.page.screenshot({ path: join(SHOTS, 'inspection-findings-zh.png'), fullPage: true });
        await i.page.goto(`${srv.base}/inspection-findings/${f.id}`);
        await state(i.page, '待整改');
        await takeAction(i.page, 'record-actions', 'assign', async (dlg) => {
            await dlg.locator('textarea').first().fill('请于 15 日内整改并报送整改报告');
        });
        await state(i.page, '整改中');
        const taskId = ok(await inspector.get(`/api/v1/inspection-findings/${f.id}`)).task_id;

        // the unit's clerk: its task, whose 来源 is the finding
        await signIn(k.page, srv.base, 'clerk1');
        await k.page.goto(`${srv.base}/tasks/${taskId}`);
        const origin = k.page.locator('[data-test="task-origin"]');
        await origin.filter({ hasText: f.finding_no }).waitFor();
        assert.equal(await origin.getAttribute('href'), `/inspection-findings/${f.id}`);
        await takeAction(k.page, 'task-actions', 'acknowledge');
        await takeAction(k.page, 'task-actions', 'request_close', async (dlg) => {
            await dlg.locator('textarea').first().fill('已建立处罚决定公开台账，补充公开 12 件');
            const p = dlg.locator('[data-test="arg-progress"] input');
            if (await p.count()) await p.first().fill('100');
        });
        await k.page.screenshot({ path: join(SHOTS, 'finding-task-zh.png'), fullPage: true });

        // 验收 fails with a reason
        await i.page.reload();
        await state(i.page, '待验收');
        await takeAction(i.page, 'record-actions', 'verify', async (dlg) => {
            await dlg.locator('textarea').first().fill('公开内容缺少处罚依据，请补正');
        });
        await state(i.page, '整改中');
        // the clerk sees it returned, asks again
        await k.page.reload();
        await k.page.getByText('公开内容缺少处罚依据，请补正').first().waitFor();
        await takeAction(k.page, 'task-actions', 'request_close', async (dlg) => {
            await dlg.locator('textarea').first().fill('已补正全部公开内容');
        });
        // passes
        await i.page.reload();
        await state(i.page, '待验收');
        await takeAction(i.page, 'record-actions', 'verify', async (dlg) => {
            await dlg.locator('[data-test="arg-passed"] .el-switch').click();
            await dlg.locator('textarea').first().fill('经抽查，整改到位');
        });
        await state(i.page, '已整改');
        await i.page.locator('[data-test="record-page"]').getByText('责任单位报送整改（申请办结）').first().waitFor();
        await i.page.screenshot({ path: join(SHOTS, 'inspection-finding-zh.png'), fullPage: true });
        assert.equal(ok(await inspector.get(`/api/v1/tasks/${taskId}`)).status, 'done');

        // a bulletin of the plan: 生成草稿 → 送审 (inspector) → 批准 → 发布 (office)
        const b = ok(await inspector.post('/api/v1/bulletins', { plan_id: plan, title: '关于专项督察发现问题的通报' }), 201);
        await i.page.goto(`${srv.base}/bulletins/${b.id}`);
        await state(i.page, '草稿');
        await takeAction(i.page, 'record-actions', 'generate');
        await i.page.locator('[data-test="record-page"]').getByText('由问题清单生成').first().waitFor();
        await takeAction(i.page, 'record-actions', 'submit');
        await state(i.page, '待审批');
        const o = await newPage();
        try {
            await signIn(o.page, srv.base, 'office');
            await o.page.goto(`${srv.base}/bulletins/${b.id}`);
            await state(o.page, '待审批');
            await takeAction(o.page, 'record-actions', 'approve');
            await state(o.page, '已批准');
            await takeAction(o.page, 'record-actions', 'publish');
            await state(o.page, '已发布');
            await o.page.screenshot({ path: join(SHOTS, 'bulletin-zh.png'), fullPage: true });
        } finally { await o.ctx.close(); }
        const text = ok(await inspector.get(`/api/v1/bulletins/${b.id}/versions/1`)).body;
        assert.ok(text.includes(f.finding_no) && text.includes(f.rule));

        await signIn(en.page, srv.base, 'inspector');
        await en.page.goto(`${srv.base}/inspection-findings/${f.id}`);
        await en.page.locator('[data-test="record-page"] [data-test="record-state"]').filter({ hasText: 'Rectified' }).waitFor();
        await en.page.screenshot({ path: join(SHOTS, 'inspection-finding-en.png'), fullPage: true });
    } finally {
        await i.ctx.close();
        await k.ctx.close();
        await en.ctx.close();
    }
});
