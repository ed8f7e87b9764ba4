// Browser test of the 案卷评查 form (web/src/features/enforcement/ReviewFormPage.vue): the office
// opens 案卷评查 › 新建评查, picks a decided case file, and fills the sheet the server serves
// (GET /api/v1/case-reviews/sheet) — defect counters and veto checkboxes — while the live score
// follows the sheet's rule (a veto item → 0; deductions per defect); saving sends the findings
// only, and the score the server keeps equals the one shown; the case page lists its record
// steps (recorded, missing). Screenshots go to build/e2e/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, unitByName, uniq, ok } from '../api/lib.mjs';
import { launchBrowser, newPage, signIn, SHOTS } from './lib.mjs';

let srv, browser, office, clerk;
before(async () => {
    srv = await startServer();
    office = await srv.login('office');
    clerk = await srv.login('clerk1');
    browser = await launchBrowser();
});
after(async () => {
    await browser?.close();
    await srv?.stopAndCheck();
});

// The native input of a component carrying data-test (el-input puts the attribute on the input
// itself, el-input-number on its wrapper).
const inputOf = (root, name) => root.locator(`[data-test="${name}"]`).locator('xpath=descendant-or-self::input').first();
const day = (n) => new Date(Date.now() + 8 * 3600e3 + n * 86400e3).toISOString().slice(0, 10);

/** A case of 区司法局 decided through the API, as its clerk. */
async function decidedCase(cause) {
    const sfj = await unitByName(office, '区司法局');
    let k = ok(await clerk.post('/api/v1/enforcement-cases', {
        filed_on: day(-30), unit_id: sfj.id, case_type: 'penalty', cause,
        officers: [{ name: '周明辉', cert_no: '13010017' }, { name: '吴晓东', cert_no: '13010051' }],
        parties: [{ role: 'counterpart', name: '某某商行' }],
    }), 201);
    for (const [action, body] of [['investigate', { on: day(-28) }], ['notify', { on: day(-20) }],
        ['decide', { decided_on: day(-10), note: '罚款。' }]]) {
        k = ok(await clerk.post(`/api/v1/enforcement-cases/${k.id}/actions/${action}`, { version: k.version, ...body }));
    }
    return k;
}

test('案卷评查: the sheet as a form, the live score by its rule, the server\'s score on save', async () => {
    const cause = `浏览器评查 ${uniq('e').slice(-6)}`;
    const k = await decidedCase(cause);
    const o = await newPage(browser);
    try {
        await signIn(o.page, srv.base, 'office');
        await o.page.goto(`${srv.base}/case-reviews`);
        await o.page.locator('[data-test="review-create"]').click();
        await o.page.waitForURL((u) => u.pathname === '/case-reviews/form');
        const form = o.page.locator('[data-test="review-form"]');
        await form.locator('[data-test="section-content"]').waitFor();
        const total = form.locator('[data-test="live-total"]');
        assert.equal((await total.innerText()).trim(), '100', 'nothing found yet: full points');
        // pick the case file by its number
        await form.locator('[data-test="review-case"] .el-select__wrapper').click();
        await form.locator('[data-test="review-case"] input').fill(k.case_no);
        await o.page.locator('.el-select-dropdown__item:visible').filter({ hasText: k.case_no }).first().click();
        await inputOf(form, 'review-reviewer').fill('评查组 张三');
        // defects: 事实认定 2 × 5, 自由裁量 1 × 2, 送达回证 1 × 2 → 100 − 14 = 86
        const defects = async (code, n) => {
            const input = inputOf(form, `defects-${code}`);
            await input.fill(String(n));
            await input.press('Tab');
        };
        await defects('facts', 2);
        await defects('discretion', 1);
        await defects('service_proof', 1);
        await o.page.waitForFunction(() => document.querySelector('[data-test="live-total"]')?.textContent.trim() === '86');
        assert.match(await form.locator('[data-test="live-grade"]').innerText(), /合格/);
        // a veto item: 0 points and 不合格 at once; unticked, the points come back
        await form.locator('[data-test="veto-beyond_power"]').click();
        await o.page.waitForFunction(() => document.querySelector('[data-test="live-total"]')?.textContent.trim() === '0');
        assert.match(await form.locator('[data-test="live-grade"]').innerText(), /不合格/);
        await form.locator('[data-test="live-vetoed"]').waitFor();
        await o.page.screenshot({ path: join(SHOTS, 'case-review-veto-zh.png'), fullPage: true });
        await form.locator('[data-test="veto-beyond_power"]').click();
        await o.page.waitForFunction(() => document.querySelector('[data-test="live-total"]')?.textContent.trim() === '86');
        // a finding to rectify
        await form.locator('[data-test="finding-add"]').click();
        await form.locator('[data-test="findings"] tbody tr input[type="text"]').last().fill('罚款数额未说明裁量理由');
        await form.locator('[data-test="findings"] tbody tr .el-checkbox').last().click();
        // save: the server scores it, and its score is the one shown
        const saved = o.page.waitForResponse((r) => r.url().endsWith('/api/v1/case-reviews') && r.request().method() === 'POST');
        await form.locator('[data-test="review-save"]').click();
        const resp = await saved;
        assert.equal(resp.status(), 201, await resp.text());
        const body = await resp.json();
        assert.equal(body.score, 86);
        await form.locator('[data-test="server-score"]').filter({ hasText: '86' }).waitFor();
        await o.page.screenshot({ path: join(SHOTS, 'case-review-zh.png'), fullPage: true });
        const rec = ok(await office.get(`/api/v1/case-reviews/${body.id}`));
        assert.equal(rec.score, 86);
        assert.equal(rec.grade, 'pass');
        assert.equal(rec.case_id, k.id);
        assert.deepEqual(rec.findings.map((f) => [f.description, f.rectify]), [['罚款数额未说明裁量理由', true]]);
        // the review is listed on the case's child list and in 案卷评查
        assert.deepEqual(ok(await office.get(`/api/v1/case-reviews?case_id=${k.id}`)).items.map((x) => x.id), [body.id]);
        await o.page.goto(`${srv.base}/case-reviews`);
        await o.page.locator('[data-test="list-table"] tbody tr').filter({ hasText: rec.review_no }).first().waitFor();
        // the case page: the 全过程记录 checklist (recorded steps with their dates, the missing ones)
        await o.page.goto(`${srv.base}/enforcement-cases/${k.id}`);
        const drawer = o.page.locator('[data-test="record-page"]');
        await drawer.locator('[data-test="record-state"]').filter({ hasText: '已决定' }).waitFor();
        await drawer.getByText(`✓ 立案 ${k.filed_on}`).waitFor();
        await drawer.getByText(/✗ 送达 未记录/).first().waitFor();
        await o.page.screenshot({ path: join(SHOTS, 'enforcement-case-zh.png') });
        assert.deepEqual(o.problems, []);
    } finally {
        await o.ctx.close();
    }
});
