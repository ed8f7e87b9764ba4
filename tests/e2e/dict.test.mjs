// Browser test of the 数据字典 page (系统管理 › 数据字典, the generic entity page over dict_items):
// the system administrator relabels the priority 紧急 and the office's task form offers the new
// label at once (its options come from the dictionary through GET /api/v1/entities/tasks).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, uniq, ok } from '../api/lib.mjs';
import { launchBrowser, newPage, signIn } from './lib.mjs';

let srv, browser, sysadmin;
before(async () => {
    srv = await startServer();
    sysadmin = await srv.login('sysadmin');
    browser = await launchBrowser();
});
after(async () => {
    await browser?.close();
    await srv?.stopAndCheck();
});

const rows = (page) => page.locator('[data-test="list-table"] .el-table__body-wrapper tbody tr');

test('数据字典: relabel 紧急 on the dictionary page, the task form offers the new label', async () => {
    const label = `特急${uniq('').slice(-4)}`;
    const a = await newPage(browser);
    const o = await newPage(browser);
    try {
        await signIn(a.page, srv.base, 'sysadmin');
        await a.page.goto(`${srv.base}/system/dict-items?q=urgent`);
        const row = rows(a.page).filter({ hasText: '紧急' }).first();
        await row.waitFor();
        await row.locator('[data-test="entity-edit"]').click();
        const form = a.page.locator('[data-test="form-dict_items"]');
        await form.waitFor();
        await form.locator('[data-test="item-zh"] input').fill(label);
        const saved = a.page.waitForResponse((r) => /\/api\/v1\/dict\/items\/\d+$/.test(r.url()) && r.request().method() === 'PUT');
        await form.locator('[data-test="form-save"]').click();
        assert.equal((await saved).status(), 200);
        await rows(a.page).filter({ hasText: label }).first().waitFor();

        await signIn(o.page, srv.base, 'office');
        await o.page.goto(`${srv.base}/tasks`);
        await o.page.locator('[data-test="task-create"]').click();
        const prio = o.page.locator('[data-test="task-priority"]');
        await prio.waitFor();
        assert.ok((await prio.innerText()).includes(label), `the form's priorities: ${await prio.innerText()}`);
        assert.deepEqual([...a.problems, ...o.problems], []);
    } finally {
        const items = ok(await sysadmin.get('/api/v1/dict/items?q=urgent')).items;
        const it = items.find((x) => x.code === 'urgent');
        if (it) ok(await sysadmin.put(`/api/v1/dict/items/${it.id}`, { ...it, zh: '紧急', version: it.version }));
        await a.ctx.close();
        await o.ctx.close();
    }
});
