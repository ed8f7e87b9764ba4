// Browser test of the generic record page (web/src/features/entity/RecordPage.vue), on 公共法律服务:
// a row of the list opens `/legal-services/<id>` with the number, state and buttons, every declared
// field (enum labels, units' names, dates), the statutory clock with its explanation and the
// timeline; a step through the buttons (with an attachment) makes the timeline grow and changes
// state and clock; 返回
// comes back to the list as it was (its search); 打印 prints the record, clock and timeline alone;
// a declaration's `children` render as the child entity's list filtered by the record with a
// create form that fills the parent in (a declaration given to the page by the test); at
// 1366×768 nothing runs off the page. Screenshots go to build/e2e/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, uniq, ok } from '../api/lib.mjs';
import { launchBrowser, newPage as openPage, signIn, SHOTS } from './lib.mjs';

let srv, browser, office, sfj;
before(async () => {
    srv = await startServer();
    office = await srv.login('office');
    sfj = ok(await office.get(`/api/v1/units?q=${encodeURIComponent('区司法局')}`)).items.find((u) => u.name === '区司法局');
    browser = await launchBrowser();
});
after(async () => {
    await browser?.close();
    await srv?.stopAndCheck();
});

const newPage = (opts = {}) => openPage(browser, { locale: 'zh-CN', viewport: { width: 1366, height: 768 }, ...opts });
const rows = (page) => page.locator('[data-test="list-table"] .el-table__body-wrapper tbody tr');
const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);

async function register(applicant) {
    return ok(await office.post('/api/v1/legal-services', {
        received_on: today(), channel: 'window', service_type: 'legal_aid',
        parties: [{ role: 'applicant', name: applicant, phone: '13912345678' }], summary: `${applicant} 房屋租赁合同纠纷，申请法律援助。`,
    }), 201);
}

/** Click the action's button and submit its dialog. */
async function takeAction(page, action, fill = async () => {}) {
    await page.locator(`[data-test="record-actions"] [data-test="act-${action}"]`).click();
    const dlg = page.locator('[data-test="action-dialog"]').filter({ visible: true });
    await dlg.waitFor();
    await fill(dlg);
    const done = page.waitForResponse((r) => r.url().includes(`/actions/${action}`) && r.request().method() === 'POST');
    await dlg.locator('[data-test="action-submit"]').click();
    assert.equal((await done).status(), 200);
    await dlg.waitFor({ state: 'hidden' });
}

/** What runs off the page or its cards at this size: elements wider than their card, a page that
 * scrolls sideways. */
async function overflow(page) {
    return page.evaluate(() => {
        const out = [];
        const doc = document.documentElement;
        if (doc.scrollWidth > doc.clientWidth + 1) out.push(`page scrolls sideways: ${doc.scrollWidth} > ${doc.clientWidth}`);
        const main = document.querySelector('.layout-content');
        if (main && main.scrollWidth > main.clientWidth + 1) out.push(`content scrolls sideways: ${main.scrollWidth} > ${main.clientWidth}`);
        for (const card of document.querySelectorAll('.record-page .el-card')) {
            const box = card.getBoundingClientRect();
            for (const el of card.querySelectorAll('.el-descriptions__cell, .el-tag, .el-button, .el-timeline-item__content')) {
                const r = el.getBoundingClientRect();
                if (r.width > 0 && r.right > box.right + 1) out.push(`runs out of its card: "${el.textContent.trim().slice(0, 30)}"`);
            }
        }
        return out;
    });
}

test('a record opens from its row: fields, clock, timeline; a step grows the timeline; back keeps the list', async () => {
    const applicant = `页面${uniq('r').slice(-6)}`;
    const rec = await register(applicant);
    ok(await office.post(`/api/v1/legal-services/${rec.id}/actions/assign`, { version: rec.version, unit_id: sfj.id }));
    const o = await newPage();
    try {
        await signIn(o.page, srv.base, 'office');
        // the list searched by the request's number: the search is in the URL
        await o.page.goto(`${srv.base}/legal-services?q=${encodeURIComponent(rec.request_no)}`);
        await rows(o.page).filter({ hasText: rec.request_no }).first().waitFor();
        assert.equal(await rows(o.page).count(), 1);
        // a click on the row (not its buttons) opens the record's page
        await rows(o.page).first().locator('td').nth(1).click();
        await o.page.waitForURL(`${srv.base}/legal-services/${rec.id}`);
        const p = o.page.locator('[data-test="record-page"]');
        await p.locator('[data-test="record-title"]').filter({ hasText: rec.request_no }).waitFor();
        await p.locator('[data-test="record-state"]').filter({ hasText: '待受理' }).waitFor();
        // the declared fields with their labels: enum labels, the unit's name, dates
        const facts = p.locator('[data-test="record-facts"]');
        await facts.getByText('服务类型').waitFor();
        assert.equal((await p.locator('[data-test="fact-service_type"]').innerText()).trim(), '法律援助');
        assert.equal((await p.locator('[data-test="fact-channel"]').innerText()).trim(), '窗口');
        assert.equal((await p.locator('[data-test="fact-handling_unit_id"]').innerText()).trim(), '区司法局');
        assert.equal((await p.locator('[data-test="fact-received_on"]').innerText()).trim(), today());
        // the applicant is a party: masked in the parties table
        await p.locator('[data-test="record-parties"]').getByText('139****5678').waitFor();
        // the statutory clock: due date, days left, state and the explanation in words
        const clocks = p.locator('[data-test="record-clocks"]');
        await clocks.locator('[data-test="clock-state"]').filter({ hasText: '计时中' }).waitFor();
        assert.match(await clocks.locator('[data-test="clock-left"]').innerText(), /剩 \d+ 日/);
        assert.ok((await clocks.locator('[data-test="clock-explain"]').innerText()).trim().length > 4, 'the explanation');
        // the timeline: the registration, then the assignment, each named
        const events = p.locator('[data-test="timeline-event"]');
        await events.nth(1).waitFor();
        assert.equal(await events.count(), 2);
        assert.deepEqual((await p.locator('[data-test="timeline-action"]').allInnerTexts()).map((x) => x.trim()), ['新建公共法律服务', '分派']);
        // the office may only cancel now; the buttons are the kind's
        assert.deepEqual(await p.locator('[data-test="record-actions"] [data-test^="act-"]').evaluateAll((b) => b.map((x) => x.dataset.test)), ['act-cancel']);
        assert.deepEqual(await overflow(o.page), [], 'at 1366×768 nothing runs off the page');
        await o.page.screenshot({ path: join(SHOTS, 'record-page-zh.png'), fullPage: true });

        // 返回: the list as it was, with its search
        await p.locator('[data-test="record-back"]').click();
        await o.page.waitForURL((u) => u.pathname === '/legal-services' && u.searchParams.get('q') === rec.request_no);
        await rows(o.page).filter({ hasText: rec.request_no }).first().waitFor();
        assert.equal(await rows(o.page).count(), 1);
        assert.deepEqual(o.problems, []);
    } finally {
        await o.ctx.close();
    }

    // the unit's clerk opens the notification's link, accepts and completes: each step reloads
    // the record, its clock and the timeline
    const k = await newPage();
    try {
        await signIn(k.page, srv.base, 'clerk1');
        await k.page.goto(`${srv.base}/legal-services/${rec.id}`);
        const p = k.page.locator('[data-test="record-page"]');
        await p.locator('[data-test="record-state"]').filter({ hasText: '待受理' }).waitFor();
        const events = p.locator('[data-test="timeline-event"]');
        await events.first().waitFor();
        // 受理 with the applicant's materials: the step's attachment is in the timeline, a link
        await takeAction(k.page, 'accept', async (dlg) => {
            const up = k.page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/files' && r.request().method() === 'POST');
            await dlg.locator('input[type="file"]').setInputFiles({ name: '申请材料.pdf', mimeType: 'application/pdf',
                buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
            assert.equal((await up).status(), 201);
        });
        await p.locator('[data-test="record-state"]').filter({ hasText: '办理中' }).waitFor();
        await events.nth(2).waitFor();
        assert.equal((await events.nth(2).locator('[data-test="timeline-action"]').innerText()).trim(), '受理');
        const link = events.nth(2).locator('a.attach-link', { hasText: '申请材料.pdf' });
        await link.waitFor();
        const file = await k.page.request.get(new URL(await link.getAttribute('href'), srv.base).href);
        assert.equal(file.status(), 200, 'the unit reads the materials of its request');
        await takeAction(k.page, 'complete', async (dlg) => { await dlg.locator('textarea').first().fill('已指派律师代理。'); });
        await p.locator('[data-test="record-state"]').filter({ hasText: '待回访' }).waitFor();
        await events.nth(3).getByText('已指派律师代理。').waitFor();
        assert.equal(await events.count(), 4);
        await p.locator('[data-test="clock-state"]').filter({ hasText: '已办结' }).waitFor();
        assert.equal((await p.locator('[data-test="fact-handler_id"]').innerText()).trim() !== '—', true, 'the handler is shown');
        assert.deepEqual(k.problems, []);
    } finally {
        await k.ctx.close();
    }
});

test('打印 prints the record, its clock and timeline without the menu and the buttons', async () => {
    const rec = await register(`打印${uniq('p').slice(-6)}`);
    const o = await newPage();
    try {
        await o.ctx.addInitScript(() => { window.__printed = 0; window.print = () => { window.__printed++; }; });
        await signIn(o.page, srv.base, 'office');
        await o.page.goto(`${srv.base}/legal-services/${rec.id}`);
        const p = o.page.locator('[data-test="record-page"]');
        await p.locator('[data-test="record-state"]').waitFor();
        await p.locator('[data-test="record-print"]').click();
        await o.page.waitForFunction(() => window.__printed === 1);
        await o.page.emulateMedia({ media: 'print' });
        for (const sel of ['.layout-aside', '.layout-header', '[data-test="record-actions"]', '[data-test="record-back"]'])
            assert.equal(await o.page.locator(sel).first().isVisible(), false, `${sel} is not printed`);
        for (const sel of ['[data-test="record-title"]', '[data-test="record-facts"]', '[data-test="record-clocks"]', '[data-test="record-timeline-card"]'])
            assert.equal(await p.locator(sel).first().isVisible(), true, `${sel} is printed`);
        // the cards one after the other, the page's full width
        const [facts, clocks, timeline] = await Promise.all(['[data-test="record-facts"]', '[data-test="record-clocks"]', '[data-test="record-timeline-card"]']
            .map((s) => p.locator(s).first().boundingBox()));
        assert.ok(timeline.y >= clocks.y + clocks.height - 1, 'the timeline below the clock');
        assert.ok(timeline.width >= facts.width - 40, 'full width');
        await o.page.screenshot({ path: join(SHOTS, 'record-print.png'), fullPage: true });
        assert.deepEqual(o.problems, []);
    } finally {
        await o.ctx.close();
    }
});

test('a missing record says so; an English page names the steps in English', async () => {
    const rec = await register(`英文${uniq('e').slice(-6)}`);
    ok(await office.post(`/api/v1/legal-services/${rec.id}/actions/assign`, { version: rec.version, unit_id: sfj.id }));
    const e = await newPage({ locale: 'en', uiLocale: 'en' });
    try {
        await signIn(e.page, srv.base, 'office');
        await e.page.goto(`${srv.base}/legal-services/${rec.id}`);
        const p = e.page.locator('[data-test="record-page"]');
        await p.locator('[data-test="record-state"]').filter({ hasText: 'To accept' }).waitFor();
        await p.locator('[data-test="timeline-action"]').filter({ hasText: 'Assign' }).waitFor();
        await p.getByText('Timeline').first().waitFor();
        assert.deepEqual(await overflow(e.page), []);
        await e.page.waitForLoadState('networkidle');
        await e.page.waitForTimeout(400); // the tags' own transition
        await e.page.screenshot({ path: join(SHOTS, 'record-page-en.png'), fullPage: true });
        // a record that does not exist (or is not the caller's)
        const quiet = e.page.waitForResponse((r) => r.url().endsWith('/api/v1/legal-services/99999999'));
        await e.page.goto(`${srv.base}/legal-services/99999999`);
        assert.equal((await quiet).status(), 404);
        await e.page.locator('[data-test="record-missing"]').waitFor();
        e.problems.splice(0); // the 404 of the missing record is the point here
    } finally {
        await e.ctx.close();
    }
});

test('the declaration`s children: the child list filtered by the record, its form fills the parent in', async () => {
    const rec = await register(`子表${uniq('c').slice(-6)}`);
    const o = await newPage();
    try {
        // legal services declare no children yet: give the page a declaration that does — the
        // units below a unit, as if units were the record's child entity (column parent_id)
        await o.page.route('**/api/v1/entities/legal_services', async (route) => {
            const res = await route.fetch();
            const d = await res.json();
            d.children = [{ entity: 'units', column: 'parent_id', path: '/api/v1/units', title: '下级机构', zh: '下级机构', en: 'Sub-units', can_create: true }];
            await route.fulfill({ response: res, json: d });
        });
        const asked = [];
        o.page.on('request', (r) => { if (new URL(r.url()).pathname === '/api/v1/units') asked.push(new URL(r.url()).searchParams); });
        await signIn(o.page, srv.base, 'office');
        await o.page.goto(`${srv.base}/legal-services/${rec.id}`);
        const child = o.page.locator('[data-test="child-units"]');
        await child.locator('[data-test="list-table"]').waitFor();
        await child.getByText('下级机构').first().waitFor();
        assert.ok(asked.some((q) => q.get('parent_id') === String(rec.id)), `the child list is filtered by the record: ${asked.map(String)}`);
        // the parent column is not a column of the child list
        const heads = await child.locator('.el-table__header-wrapper th').allInnerTexts();
        assert.ok(!heads.some((h) => h.includes('上级机构')), heads.join('|'));
        // 新增: the child's create form without the parent column, which is sent filled in
        await child.locator('[data-test="child-create"]').click();
        const form = o.page.locator('[data-test="form-units"]');
        await form.waitFor();
        assert.equal(await form.locator('[data-test="item-parent_id"]').count(), 0, 'the parent column is not asked');
        assert.ok(await form.locator('[data-test="item-name"]').count(), 'the child`s own fields are');
        // (what is sent is the point: the made-up child is answered here, nothing is written)
        await o.page.route('**/api/v1/units', (route) => (route.request().method() === 'POST'
            ? route.fulfill({ status: 400, json: { error: { code: 'invalid', message: '测试：未保存', fields: {} } } })
            : route.fallback()));
        const sent = o.page.waitForRequest((r) => new URL(r.url()).pathname === '/api/v1/units' && r.method() === 'POST');
        await form.locator('[data-test="item-code"] input').fill(`c${uniq('u').slice(-5)}`);
        await form.locator('[data-test="item-name"] input').fill(`子单位${uniq('u').slice(-5)}`);
        await form.locator('[data-test="item-kind"] .el-select__wrapper').click();
        await o.page.locator('.el-select-dropdown__item:visible').first().click();
        await form.locator('[data-test="form-save"]').click();
        const body = (await sent).postDataJSON();
        assert.equal(body.parent_id, rec.id, 'the parent column is the record');
        await o.page.screenshot({ path: join(SHOTS, 'record-children.png'), fullPage: true });
        o.problems.splice(0); // the 400 answered above
    } finally {
        await o.ctx.close();
    }
});
