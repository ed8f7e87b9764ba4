// Browser test of the engine's second kind, 公共法律服务 (12348), whose page is the generic entity
// page alone (menu page "entity"): the office registers a request with the form built from the
// declaration, assigns it from the record page's buttons (read from GET /api/v1/kinds/
// legal_service and the record's allowed_actions), clerk1 accepts and completes it, the office
// visits it (satisfaction) — every step through the buttons — and exports the list. Screenshots of
// the list and the detail in zh and en go to build/e2e/. (The 督办 walk through the same ActionBar
// is tests/e2e/tasks.test.mjs: issue → sign → report → ask to close → return → accept.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, uniq, ok } from '../api/lib.mjs';
import { launchBrowser, newPage as openPage, signIn, SHOTS } from './lib.mjs';

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

const newPage = (lang = 'zh-CN') => openPage(browser, { locale: lang, context: { acceptDownloads: true } });

const rows = (page) => page.locator('[data-test="list-table"] .el-table__body-wrapper tbody tr');

/** Open the request's page from the list (searched by the applicant). */
// a valid ID number (GB 11643 check digit) for the party row
const ID = '11010519491231002X';

async function openRequest(page, applicant) {
    await page.goto(`${srv.base}/legal-services`);
    await rows(page).first().waitFor();
    const row = rows(page).filter({ hasText: applicant }).first();
    await row.locator('[data-test="entity-view"]').click();
    const drawer = page.locator('[data-test="record-page"]');
    await drawer.locator('[data-test="record-state"]').waitFor();
    return drawer;
}

/** Click the action's button (from the kind) and submit its dialog. */
async function takeAction(page, action, fill = async () => {}) {
    const button = page.locator(`[data-test="record-actions"] [data-test="act-${action}"]`);
    const label = (await button.innerText()).trim();
    await button.click();
    const dlg = page.locator('[data-test="action-dialog"]').filter({ visible: true });
    await dlg.waitFor();
    await fill(dlg);
    const done = page.waitForResponse((r) => r.url().includes(`/actions/${action}`) && r.request().method() === 'POST');
    await dlg.locator('[data-test="action-submit"]').click();
    const r = await done;
    assert.equal(r.status(), 200, `${label}: ${r.status()} ${await r.text()}`);
    await dlg.waitFor({ state: 'hidden' });
    return label;
}

test('a 12348 request: register → assign → accept → complete → visit, by the buttons; export', async () => {
    const applicant = `浏览器${uniq('a').slice(-6)}`;
    const o = await newPage();
    const k = await newPage();
    try {
        await signIn(o.page, srv.base, 'office');
        await o.page.goto(`${srv.base}/legal-services`);
        await rows(o.page).first().waitFor();
        await o.page.screenshot({ path: join(SHOTS, 'legal-services-zh.png'), fullPage: true });
        // register with the declared form
        await o.page.locator('[data-test="entity-create"]').click();
        const form = o.page.locator('[data-test="form-legal_services"]');
        await form.waitFor();
        await form.locator('[data-test="item-received_on"] input').fill(new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10));
        await form.locator('[data-test="item-received_on"] input').press('Enter');
        await form.locator('[data-test="item-channel"]').getByText('12348热线').click();
        await form.locator('[data-test="item-service_type"] .el-select__wrapper').click();
        await o.page.locator('.el-select-dropdown__item:visible').filter({ hasText: '法律援助' }).click();
        // the applicant: a party row (the ID number checked in the browser: a wrong check digit)
        await form.locator('[data-test="party-name-0"] input').fill(applicant);
        await form.locator('[data-test="party-id-0"] input').fill('110101199003071230');
        await form.locator('[data-test="party-id-error-0"]').filter({ hasText: '校验位' }).waitFor();
        await form.locator('[data-test="party-id-0"] input').fill(ID);
        assert.equal(await form.locator('[data-test="party-id-error-0"]').count(), 0);
        await form.locator('[data-test="party-phone-0"] input').fill('13912345678');
        await form.locator('[data-test="item-summary"] textarea').fill('工伤赔偿纠纷，申请法律援助。');
        const created = o.page.waitForResponse((r) => r.url().endsWith('/api/v1/legal-services') && r.request().method() === 'POST');
        await form.locator('[data-test="form-save"]').click();
        const answer = await created;
        assert.equal(answer.status(), 201);
        const no = (await answer.json()).request_no;

        let drawer = await openRequest(o.page, no);
        // the parties table: masked, 查看 asks for a reason and shows the number whole
        const parties = drawer.locator('[data-test="record-parties"]');
        await parties.getByText(`${ID.slice(0, 6)}********${ID.slice(14)}`).waitFor();
        await parties.getByText('139****5678').waitFor();
        await parties.locator('[data-test^="party-reveal-id_no-"]').click();
        const box = o.page.locator('.party-reveal-box');
        await box.locator('input').fill('核对申请人身份');
        await box.locator('.el-button--primary').click();
        await parties.getByText(ID).waitFor();
        await drawer.locator('[data-test="record-state"]').filter({ hasText: '待分派' }).waitFor();
        await drawer.locator('[data-test="record-clocks"]').waitFor();
        await takeAction(o.page, 'assign', async (dlg) => {
            await dlg.locator('[data-test="arg-unit_id"] .el-select__wrapper').first().click();
            await dlg.locator('[data-test="arg-unit_id"] input').first().fill('区司法局');
            await o.page.locator('.el-tree-node:visible .el-tree-node__label, .el-tree-node:visible span')
                .filter({ hasText: /^区司法局$/ }).first().click();
        });
        await drawer.locator('[data-test="record-state"]').filter({ hasText: '待受理' }).waitFor();

        // the clerk follows the notification's link, /legal-services/<id>: the request's page
        await signIn(k.page, srv.base, 'clerk1');
        const id = ok(await office.get(`/api/v1/legal-services?q=${encodeURIComponent(no)}`)).items[0].id;
        await k.page.goto(`${srv.base}/legal-services/${id}`);
        drawer = k.page.locator('[data-test="record-page"]');
        await drawer.locator('[data-test="record-state"]').filter({ hasText: '待受理' }).waitFor();
        await takeAction(k.page, 'accept');
        await drawer.locator('[data-test="record-state"]').filter({ hasText: '办理中' }).waitFor();
        await takeAction(k.page, 'complete', async (dlg) => {
            await dlg.locator('textarea').first().fill('经审查符合法律援助条件，已指派律师。');
        });
        await drawer.locator('[data-test="record-state"]').filter({ hasText: '待回访' }).waitFor();

        drawer = await openRequest(o.page, no);
        await o.page.screenshot({ path: join(SHOTS, 'legal-service-detail-zh.png'), fullPage: true });
        await takeAction(o.page, 'visit', async (dlg) => {
            await dlg.locator('[data-test="arg-satisfaction"] input').fill('5');
        });
        await drawer.locator('[data-test="record-state"]').filter({ hasText: '已办结' }).waitFor();
        const rec = ok(await office.get(`/api/v1/legal-services?q=${encodeURIComponent(no)}`)).items[0];
        assert.equal(rec.status, 'closed');
        assert.equal(rec.satisfaction, 5);
        // a closed request is no longer offered for editing; an open one is
        await o.page.goto(`${srv.base}/legal-services`);
        await rows(o.page).first().waitFor();
        const closedRow = rows(o.page).filter({ hasText: no }).first();
        await closedRow.locator('[data-test="entity-view"]').waitFor();
        assert.equal(await closedRow.locator('[data-test="entity-edit"]').count(), 0);
        const openRow = rows(o.page).filter({ hasText: '待分派' }).first();
        assert.equal(await openRow.locator('[data-test="entity-edit"]').count(), 1);

        // export: the list's own link, an .xlsx from the server
        await o.page.goto(`${srv.base}/legal-services`);
        await rows(o.page).first().waitFor();
        const href = await o.page.locator('[data-test="list-export"]').getAttribute('href');
        assert.equal(new URL(href, srv.base).pathname, '/api/v1/legal-services/export.xlsx');
        const xl = await office.get(new URL(href, srv.base).pathname + new URL(href, srv.base).search);
        assert.equal(xl.status, 200);
        assert.deepEqual(o.problems, []);
        assert.deepEqual(k.problems, []);
    } finally {
        await o.ctx.close();
        await k.ctx.close();
    }
});

test('the list in English', async () => {
    const e = await newPage('en');
    try {
        await e.ctx.addInitScript(() => { localStorage.setItem('fazhi.locale', 'en'); });
        await signIn(e.page, srv.base, 'office');
        await e.page.goto(`${srv.base}/legal-services`);
        await rows(e.page).first().waitFor();
        // the page speaks English: the menu's title and the kind's state labels
        await e.page.getByText('12348 requests').first().waitFor();
        await rows(e.page).filter({ hasText: 'To assign' }).first().waitFor();
        await e.page.screenshot({ path: join(SHOTS, 'legal-services-en.png'), fullPage: true });
        assert.deepEqual(e.problems, []);
    } finally {
        await e.ctx.close();
    }
});
