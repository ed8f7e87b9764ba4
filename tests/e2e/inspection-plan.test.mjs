// Browser walk of 督察方案 on the generic entity pages (menu page "entity"): the office creates a
// special plan with the declared form (several methods), adds its check items, team and target
// units on the record page (its child lists), sees why 报批 is locked before that, submits,
// approves and sends the notice by the buttons; the target unit's clerk opens the notice from its
// inbox link and acknowledges it; the inspector on the team begins the inspection and adds a
// record on the plan's page; then the whole loop to the bulletin: the inspector registers a finding
// on the plan's page and orders its rectification, the unit's clerk reports on its task (来源: the
// finding), the inspector verifies it, drafts the plan's bulletin from its findings and sends it;
// the office approves and publishes it. Screenshots to build/e2e/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, uniq, ok } from '../api/lib.mjs';
import { launchBrowser, newPage, signIn, SHOTS } from './lib.mjs';

let srv, browser, office;
before(async () => {
    srv = await startServer();
    office = await srv.login('office');
    browser = await launchBrowser();
});
after(async () => {
    await browser?.close();
    await srv?.stopAndCheck();
});

const pick = async (page, form, field, text) => {
    await form.locator(`[data-test="item-${field}"] .el-select__wrapper`).click();
    await page.locator('.el-select-dropdown__item:visible').filter({ hasText: text }).first().click();
};
const fillDate = async (form, field, value) => {
    const input = form.locator(`[data-test="item-${field}"] input`);
    await input.fill(value);
    await input.press('Enter');
};

const unitPick = async (page, form, name) => {
    await form.locator('[data-test="item-unit_id"] .el-select__wrapper').first().click();
    await form.locator('[data-test="item-unit_id"] input').first().fill(name);
    await page.locator('.el-tree-node:visible .el-tree-node__label, .el-tree-node:visible span')
        .filter({ hasText: new RegExp(`^${name}$`) }).first().click();
};

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

async function childCreate(page, entity, fill) {
    const child = page.locator(`[data-test="child-${entity}"]`);
    await child.locator('[data-test="child-create"]').click();
    const form = page.locator(`[data-test="form-${entity}"]`);
    await form.waitFor();
    await fill(form);
    const saved = page.waitForResponse((r) => new URL(r.url()).pathname === `/api/v1/${entity.replace(/_/g, '-')}` && r.request().method() === 'POST');
    await form.locator('[data-test="form-save"]').click();
    const r = await saved;
    assert.equal(r.status(), 201, `${entity}: ${await r.text()}`);
    await form.waitFor({ state: 'hidden' });
}

test('a special inspection from plan to published bulletin: drafted, items, team and targets, submitted, approved, notified, acknowledged, begun, a record, a finding rectified and verified, the bulletin published', async () => {
    const title = `行政执法专项督察（浏览器）${uniq('').slice(-5)}`;
    // the directory: a lawyer from outside the unit tree for the team
    const lawyer = ok(await office.post('/api/v1/inspectors', { name: `律师${uniq('').slice(-4)}`, category: 'lawyer', employer: '浙江某律师事务所', active: true }), 201);
    const demoInspector = ok(await office.get('/api/v1/inspectors?per_page=200')).items.find((i) => i.user_id);
    assert.ok(demoInspector, 'the demo links the inspector account to the directory');
    const o = await newPage(browser);
    const k = await newPage(browser);
    const n = await newPage(browser);
    try {
        await signIn(o.page, srv.base, 'office');
        await o.page.goto(`${srv.base}/inspection-plans`);
        await o.page.locator('[data-test="list-table"]').waitFor();
        await o.page.screenshot({ path: join(SHOTS, 'inspection-plans-zh.png'), fullPage: true });
        await o.page.locator('[data-test="entity-create"]').click();
        const form = o.page.locator('[data-test="form-inspection_plans"]');
        await form.waitFor();
        await form.locator('[data-test="item-title"] input').fill(title);
        await form.locator('[data-test="item-plan_type"]').getByText('专项督察').click();
        await form.locator('[data-test="item-year"] input').fill('2026');
        await pick(o.page, form, 'methods', '听取汇报');
        await pick(o.page, form, 'methods', '查阅资料/案卷');
        await fillDate(form, 'start_on', '2026-11-02');
        await fillDate(form, 'end_on', '2026-12-31');
        await form.locator('[data-test="item-prepare"] textarea').fill('自查报告、行政执法案卷目录');
        const made = o.page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/inspection-plans' && r.request().method() === 'POST');
        await form.locator('[data-test="form-save"]').click();
        const res = await made;
        assert.equal(res.status(), 201, await res.text());
        const plan = await res.json();
        assert.deepEqual(plan.methods, ['report', 'files']);
        await o.page.goto(`${srv.base}/inspection-plans/${plan.id}`);
        await o.page.locator('[data-test="record-state"]').filter({ hasText: '草拟' }).waitFor();
        // 报批 is locked, and says why
        const locked = o.page.locator('[data-test="record-actions"] [data-test="act-submit"]');
        await locked.waitFor();
        // items, team and targets on the record page
        await childCreate(o.page, 'inspection_items', async (f) => {
            await f.locator('[data-test="item-seq"] input').fill('1');
            await f.locator('[data-test="item-content"] input').fill('行政执法公示制度落实情况');
            await f.locator('[data-test="item-basis"] input').fill('《中华人民共和国行政处罚法》第三十九条');
        });
        await childCreate(o.page, 'inspection_team', async (f) => {
            await f.locator('[data-test="item-inspector_id"] .el-select__wrapper').click();
            await o.page.keyboard.type(demoInspector.name);
            await o.page.locator('.el-select-dropdown__item:visible').filter({ hasText: demoInspector.name }).first().click();
            await f.locator('[data-test="item-role"]').getByText('组长').click();
        });
        await childCreate(o.page, 'inspection_team', async (f) => {
            await f.locator('[data-test="item-inspector_id"] .el-select__wrapper').click();
            await o.page.keyboard.type(lawyer.name);
            await o.page.locator('.el-select-dropdown__item:visible').filter({ hasText: lawyer.name }).first().click();
            await f.locator('[data-test="item-role"]').getByText('成员').click();
        });
        await childCreate(o.page, 'inspection_targets', async (f) => {
            await unitPick(o.page, f, '区司法局');
            await fillDate(f, 'planned_on', '2026-11-10');
        });
        await o.page.locator('[data-test="record-refresh"]').click();
        await takeAction(o.page, 'submit');
        await o.page.locator('[data-test="record-state"]').filter({ hasText: '报批' }).waitFor();
        await takeAction(o.page, 'approve');
        await takeAction(o.page, 'notify');
        await o.page.locator('[data-test="record-state"]').filter({ hasText: '已通知' }).waitFor();
        await o.page.screenshot({ path: join(SHOTS, 'inspection-plan-notified.png'), fullPage: true });

        // the clerk of 区司法局: the notice in the inbox, its link opens the receipt
        await signIn(k.page, srv.base, 'clerk1');
        const inbox = await k.page.evaluate(async () => (await (await fetch('/api/v1/notifications?per_page=200')).json()).items);
        const notice = inbox.find((x) => x.kind === 'inspection_notice' && x.title.includes(title));
        const targets = ok(await office.get(`/api/v1/inspection-targets?plan_id=${plan.id}`)).items;
        assert.deepEqual(targets.map((x) => x.unit_name), ['区司法局']);
        assert.ok(notice, `the notice reached the unit: ${inbox.filter((x) => x.kind === 'inspection_notice').map((x) => x.title)}`);
        assert.match(notice.body, /自查报告、行政执法案卷目录/);
        await k.page.goto(`${srv.base}${notice.link}`);
        await k.page.locator('[data-test="record-state"]').filter({ hasText: '待签收' }).waitFor();
        await takeAction(k.page, 'acknowledge');
        await k.page.locator('[data-test="record-state"]').filter({ hasText: '已签收' }).waitFor();
        await k.page.screenshot({ path: join(SHOTS, 'inspection-notice-acknowledged.png'), fullPage: true });

        // the inspector on the team begins and records
        await signIn(n.page, srv.base, 'inspector');
        await n.page.goto(`${srv.base}/inspection-plans/${plan.id}`);
        await n.page.locator('[data-test="record-state"]').filter({ hasText: '已通知' }).waitFor();
        await takeAction(n.page, 'start');
        await n.page.locator('[data-test="record-state"]').filter({ hasText: '实施中' }).waitFor();
        await childCreate(n.page, 'inspection_records', async (f) => {
            await unitPick(n.page, f, '区司法局');
            await pick(n.page, f, 'method', '查阅资料/案卷');
            await fillDate(f, 'inspected_on', '2026-11-10');
            await f.locator('[data-test="item-checked"] textarea').fill('抽查行政处罚案卷 10 卷');
        });
        await n.page.locator('[data-test="child-inspection_records"]').getByText('区司法局').first().waitFor();
        await n.page.screenshot({ path: join(SHOTS, 'inspection-plan-record.png'), fullPage: true });
        const recs = ok(await office.get(`/api/v1/inspection-records?plan_id=${plan.id}`)).items;
        assert.equal(recs.length, 1);
        assert.equal(recs[0].method, 'files');

        // a finding on the plan's page, its rectification ordered on its own page
        await childCreate(n.page, 'inspection_findings', async (f) => {
            await unitPick(n.page, f, '区司法局');
            await pick(n.page, f, 'category', '行政执法');
            await f.locator('[data-test="item-severity"]').getByText('较重').click();
            await f.locator('[data-test="item-rule"] textarea').fill('《中华人民共和国行政处罚法》第四十八条（行政处罚决定依法公开）');
            await f.locator('[data-test="item-description"] textarea').fill('抽查案卷 10 卷，3 件行政处罚决定未在七个工作日内公开');
            await fillDate(f, 'found_on', '2026-11-10');
        });
        const finding = ok(await office.get(`/api/v1/inspection-findings?plan_id=${plan.id}`)).items[0];
        assert.ok(finding, 'the finding belongs to the plan');
        await n.page.goto(`${srv.base}/inspection-findings/${finding.id}`);
        await n.page.locator('[data-test="record-state"]').filter({ hasText: '待整改' }).waitFor();
        await takeAction(n.page, 'assign', async (dlg) => {
            await dlg.locator('textarea').first().fill('请于 15 日内整改并报送整改报告');
        });
        await n.page.locator('[data-test="record-state"]').filter({ hasText: '整改中' }).waitFor();
        const taskId = ok(await office.get(`/api/v1/inspection-findings/${finding.id}`)).task_id;

        // the unit reports on its 督办 task, whose 来源 is the finding
        await k.page.goto(`${srv.base}/tasks/${taskId}`);
        await k.page.locator('[data-test="task-origin"]').filter({ hasText: finding.finding_no }).waitFor();
        const taskAction = async (action, fill = async () => {}) => {
            await k.page.locator(`[data-test="task-actions"] [data-test="act-${action}"]`).click();
            const dlg = k.page.locator('[data-test="action-dialog"]').filter({ visible: true });
            await dlg.waitFor();
            await fill(dlg);
            const done = k.page.waitForResponse((r) => r.url().includes(`/actions/${action}`) && r.request().method() === 'POST');
            await dlg.locator('[data-test="action-submit"]').click();
            assert.equal((await done).status(), 200, action);
            await dlg.waitFor({ state: 'hidden' });
        };
        await taskAction('acknowledge');
        await taskAction('request_close', async (dlg) => {
            await dlg.locator('textarea').first().fill('已补充公开 3 件处罚决定，建立公开台账');
            const p = dlg.locator('[data-test="arg-progress"] input');
            if (await p.count()) await p.first().fill('100');
        });

        // the inspector verifies: passed
        await n.page.reload();
        await n.page.locator('[data-test="record-state"]').filter({ hasText: '待验收' }).waitFor();
        await takeAction(n.page, 'verify', async (dlg) => {
            await dlg.locator('[data-test="arg-passed"] .el-switch').click();
            await dlg.locator('textarea').first().fill('经抽查，整改到位');
        });
        await n.page.locator('[data-test="record-state"]').filter({ hasText: '已整改' }).waitFor();

        // the plan's bulletin: created on the plan's page, drafted from its findings, sent
        await n.page.goto(`${srv.base}/inspection-plans/${plan.id}`);
        await childCreate(n.page, 'bulletins', async (f) => {
            await f.locator('[data-test="item-title"] input').fill(`关于${title}发现问题的通报`);
        });
        const bulletin = ok(await office.get(`/api/v1/bulletins?plan_id=${plan.id}`)).items[0];
        await n.page.goto(`${srv.base}/bulletins/${bulletin.id}`);
        await n.page.locator('[data-test="record-state"]').filter({ hasText: '草稿' }).waitFor();
        await takeAction(n.page, 'generate');
        await takeAction(n.page, 'submit');
        await n.page.locator('[data-test="record-state"]').filter({ hasText: '待审批' }).waitFor();
        await o.page.goto(`${srv.base}/bulletins/${bulletin.id}`);
        await takeAction(o.page, 'approve');
        await takeAction(o.page, 'publish');
        await o.page.locator('[data-test="record-state"]').filter({ hasText: '已发布' }).waitFor();
        await o.page.screenshot({ path: join(SHOTS, 'inspection-walk-bulletin.png'), fullPage: true });
        const text = ok(await office.get(`/api/v1/bulletins/${bulletin.id}/versions/1`)).body;
        assert.ok(text.includes(title), 'the bulletin names its plan');
        assert.ok(text.includes(finding.finding_no) && text.includes('第四十八条'), 'and lists the finding with its rule');
    } catch (e) {
        for (const [x, name] of [[o, 'office'], [k, 'clerk'], [n, 'inspector']]) await x.page.screenshot({ path: join(SHOTS, `inspection-fail-${name}.png`), fullPage: true }).catch(() => {});
        throw e;
    } finally {
        await o.ctx.close();
        await k.ctx.close();
        await n.ctx.close();
    }
});
