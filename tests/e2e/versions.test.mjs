// Browser test of 草案版本 on the generic record page (web/src/features/entity/RecordVersions.vue,
// VersionDiff.vue), on a 行政复议 case whose 决定书草稿 are kept: the first draft is there, 新增版本
// starts from it, the revision is saved with what changed; two drafts chosen are shown side by
// side — line numbers on both sides, the changed lines on both with the differing characters
// marked, the added line green on the right — and the English UI says the same. Screenshots go
// to build/e2e/ (versions-diff-zh.png, versions-diff-en.png).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, ok } from '../api/lib.mjs';
import { launchBrowser, newPage, signIn, SHOTS } from './lib.mjs';

let srv, browser, office, cgjd;
before(async () => {
    srv = await startServer();
    office = await srv.login('office');
    cgjd = ok(await office.get(`/api/v1/units?q=${encodeURIComponent('城关街道')}`)).items.find((u) => u.name === '城关街道');
    browser = await launchBrowser();
});
after(async () => {
    await browser?.close();
    await srv?.stopAndCheck();
});

const V1 = ['行政复议决定书', '申请人：郑小燕', '被申请人：城关街道办事处',
    '经审理查明，被申请人作出的处罚事实清楚。', '本机关决定：维持。'].join('\n');
const V2 = ['行政复议决定书', '申请人：郑小燕', '被申请人：城关街道办事处',
    '经审理查明，被申请人作出的处罚事实不清、证据不足。', '依据《中华人民共和国行政复议法》第六十四条，', '本机关决定：撤销。'].join('\n');

test('two drafts side by side: added through the dialog, chosen in the list, compared line by line', async () => {
    const rec = ok(await office.post('/api/v1/reconsiderations', {
        received_on: '2026-11-02', knew_on: '2026-10-20', respondent_unit_id: cgjd.id, act_type: 'penalty',
        act: '城关街道作出的罚款决定（草案版本测试）', request: '请求撤销。', parties: [{ role: 'applicant', name: '郑小燕' }],
    }), 201);
    ok(await office.post(`/api/v1/reconsiderations/${rec.id}/versions`, { version: rec.version, title: '初稿', body: V1, note: '承办人起草' }), 201);
    const o = await newPage(browser, { viewport: { width: 1440, height: 900 } });
    try {
        await signIn(o.page, srv.base, 'office');
        await o.page.goto(`${srv.base}/reconsiderations/${rec.id}`);
        const card = o.page.locator('[data-test="record-versions"]');
        await card.getByText('草案版本（决定书草稿）').waitFor();
        const rows = card.locator('[data-test="versions-table"] .el-table__body-wrapper tbody tr');
        await rows.first().waitFor();
        assert.equal(await rows.count(), 1);
        assert.match(await rows.first().innerText(), /第 1 版[\s\S]*初稿[\s\S]*承办人起草/);

        // 新增版本: the dialog starts from the newest draft's text; its limit is the declaration's
        await card.locator('[data-test="versions-add"]').click();
        const dlg = o.page.locator('[data-test="version-add-dialog"]').filter({ visible: true });
        await dlg.waitFor();
        const body = dlg.locator('[data-test="version-body"]');
        assert.equal(await body.inputValue(), V1);
        assert.equal(await body.getAttribute('maxlength'), '50000');
        await dlg.locator('[data-test="version-title"]').fill('修改稿');
        await body.fill(V2);
        await dlg.locator('[data-test="version-note"]').fill('经集体讨论，改为撤销');
        const saved = o.page.waitForResponse((r) => r.url().endsWith(`/reconsiderations/${rec.id}/versions`) && r.request().method() === 'POST');
        await dlg.locator('[data-test="version-save"]').click();
        assert.equal((await saved).status(), 201);
        await dlg.waitFor({ state: 'hidden' });
        await rows.nth(1).waitFor();
        assert.match(await rows.first().innerText(), /第 2 版[\s\S]*修改稿/, 'newest first');
        // the new draft is on the timeline too
        await o.page.locator('[data-test="timeline-action"]').filter({ hasText: '新增决定书草稿' }).nth(1).waitFor();

        // view one whole
        await card.locator('[data-test="version-view-1"]').click();
        const view = o.page.locator('[data-test="version-view-dialog"]').filter({ visible: true });
        assert.equal(await view.locator('[data-test="version-body-text"]').innerText(), V1);
        await view.locator('.el-dialog__headerbtn').click();
        await view.waitFor({ state: 'hidden' });

        // choose both and compare: older on the left
        const compare = card.locator('[data-test="versions-compare"]');
        assert.equal(await compare.isDisabled(), true, 'two versions must be chosen');
        await rows.nth(0).locator('.el-checkbox').click();
        await rows.nth(1).locator('.el-checkbox').click();
        await compare.click();
        const diff = o.page.locator('[data-test="version-diff-dialog"]').filter({ visible: true });
        await diff.locator('[data-test="version-diff"]').waitFor();
        assert.match(await diff.locator('[data-test="diff-left-head"]').innerText(), /第 1 版 · 初稿/);
        assert.match(await diff.locator('[data-test="diff-right-head"]').innerText(), /第 2 版 · 修改稿/);
        assert.equal((await diff.locator('[data-test="diff-added"]').innerText()).trim(), '新增 1 行');
        assert.equal((await diff.locator('[data-test="diff-changed"]').innerText()).trim(), '修改 2 行');
        assert.equal((await diff.locator('[data-test="diff-removed"]').innerText()).trim(), '删除 0 行');
        assert.equal(await diff.locator('[data-test="diff-row-same"]').count(), 3);
        const changed = diff.locator('[data-test="diff-row-change"]');
        assert.equal(await changed.count(), 2);
        const first = changed.first();
        assert.deepEqual((await first.locator('td').allInnerTexts()).map((x) => x.trim()),
            ['4', '经审理查明，被申请人作出的处罚事实清楚。', '4', '经审理查明，被申请人作出的处罚事实不清、证据不足。']);
        // within the changed line only what differs is marked
        assert.equal(await first.locator('.diff-left .diff-mark').innerText(), '清楚');
        assert.equal(await first.locator('.diff-right .diff-mark').innerText(), '不清、证据不足');
        const added = diff.locator('[data-test="diff-row-add"]');
        assert.deepEqual((await added.locator('td').allInnerTexts()).map((x) => x.trim()), ['', '', '5', '依据《中华人民共和国行政复议法》第六十四条，']);
        // the decision's line beside its revision: only 维持 / 撤销 marked
        assert.equal(await changed.nth(1).locator('.diff-left .diff-mark').innerText(), '维持');
        assert.equal(await changed.nth(1).locator('.diff-right .diff-mark').innerText(), '撤销');
        // coloured like a diff view: the added line green, the removed side of a change red
        const bg = (loc) => loc.evaluate((el) => getComputedStyle(el).backgroundColor);
        assert.equal(await bg(added.locator('.diff-right')), 'rgb(230, 255, 236)');
        assert.equal(await bg(first.locator('.diff-left')), 'rgb(255, 235, 233)');
        await o.page.screenshot({ path: join(SHOTS, 'versions-diff-zh.png') });
        // only the changes
        await diff.locator('[data-test="diff-only-changes"]').click();
        assert.equal(await diff.locator('[data-test="diff-row-same"]').count(), 0);
        assert.equal(await diff.locator('tbody tr').count(), 3);
        assert.deepEqual(o.problems, []);
    } finally {
        await o.ctx.close();
    }

    // the English UI
    const e = await newPage(browser, { locale: 'en-US', uiLocale: 'en', viewport: { width: 1440, height: 900 } });
    try {
        await signIn(e.page, srv.base, 'office');
        await e.page.goto(`${srv.base}/reconsiderations/${rec.id}`);
        const card = e.page.locator('[data-test="record-versions"]');
        await card.getByText('Versions (Decision draft)').waitFor();
        const rows = card.locator('[data-test="versions-table"] .el-table__body-wrapper tbody tr');
        await rows.nth(1).waitFor();
        await rows.nth(0).locator('.el-checkbox').click();
        await rows.nth(1).locator('.el-checkbox').click();
        await card.locator('[data-test="versions-compare"]').click();
        const diff = e.page.locator('[data-test="version-diff-dialog"]').filter({ visible: true });
        await diff.locator('[data-test="version-diff"]').waitFor();
        assert.equal((await diff.locator('[data-test="diff-added"]').innerText()).trim(), '1 added');
        assert.match(await diff.locator('[data-test="diff-left-head"]').innerText(), /Version 1/);
        await e.page.screenshot({ path: join(SHOTS, 'versions-diff-en.png') });
        assert.deepEqual(e.problems, []);
    } finally {
        await e.ctx.close();
    }
});
