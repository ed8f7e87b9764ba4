// Browser tests of the web shell (issue 9): the side menu and the routes come from
// GET /api/v1/menu; one list page filters, sorts, pages and exports by the entity's declaration;
// one form shows the server's limits and the server's field errors and says so when the record
// was changed meanwhile (409 stale_version); import reads the sheet, previews it and lists the
// server's row errors. Drives Debian's chromium with playwright-core (same launch as ui.test.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, ROOT, DEMO_PASSWORD, uniq, ok } from '../api/lib.mjs';
import { actors, createTask, day } from '../api/tasks-lib.mjs';
import { launchBrowser, newPage, signIn, SHOTS } from './lib.mjs';

let srv, browser, sys, office;
before(async () => {
    srv = await startServer();
    sys = await srv.login('sysadmin');
    office = await srv.login('office');
    browser = await launchBrowser();
});
after(async () => {
    await browser?.close();
    await srv?.stopAndCheck();
});

/** The next answer of GET /api/v1/<path>?… (the list request a click causes). */
function listAnswer(page, path) {
    return page.waitForResponse((r) => {
        const u = new URL(r.url());
        return u.pathname === `/api/v1/${path}` && r.request().method() === 'GET';
    });
}

const rows = (page) => page.locator('[data-test="list-table"] .el-table__body-wrapper tbody tr');
const formItem = (dialog, name) => dialog.locator(`[data-test="item-${name}"]`);

test('the side menu is the server\'s menu, in both languages', async () => {
    const { ctx, page, problems } = await newPage(browser);
    try {
        await signIn(page, srv.base, 'office');
        const menu = ok(await office.get('/api/v1/menu'));
        const visible = menu.groups.flatMap((g) => g.items.filter((i) => !i.hidden));
        const side = page.locator('.side-menu');
        for (const i of visible) await side.getByText(i.zh, { exact: true }).first().waitFor();
        // a page the office may not open has no route: the not-found page
        await page.goto(`${srv.base}/audit`);
        await page.locator('.el-result').first().waitFor();
        assert.equal(await side.getByText('审计日志', { exact: true }).count(), 0);
        // English: the menu's `en` titles, without asking the server again
        await page.goto(`${srv.base}/org/units`);
        await rows(page).first().waitFor();
        let asked = 0;
        page.on('request', (r) => { if (r.url().endsWith('/api/v1/menu')) asked++; });
        await page.locator('[data-test="locale-switch"]').click();
        await page.locator('.el-dropdown-menu__item:visible', { hasText: 'English' }).click();
        for (const i of visible) await side.getByText(i.en, { exact: true }).first().waitFor();
        const units = visible.find((i) => i.page === 'units');
        await page.locator('.el-breadcrumb').getByText(units.en, { exact: true }).waitFor();
        assert.equal(asked, 0, 'the language switch does not ask for the menu again');
        assert.deepEqual(problems, []);
    } finally {
        await ctx.close();
    }
});

test('a page the user\'s menu lacks says so, in the user\'s language, where it was asked for', async () => {
    const { ctx, page, problems } = await newPage(browser);
    try {
        // signed out: the sign-in page, then the page asked for, which office may not open
        await page.goto(`${srv.base}/audit?from=x`);
        await page.waitForURL((u) => u.pathname === '/login');
        await page.locator('input[name="username"]').fill('office');
        await page.locator('input[name="password"]').fill(DEMO_PASSWORD);
        await page.locator('[data-test="login-submit"]').click();
        const result = page.locator('[data-test="page-unavailable"]');
        await result.getByText('您的账号无权访问').waitFor();
        assert.equal(new URL(page.url()).pathname, '/audit', 'not sent home');
        await page.goto(`${srv.base}/security/roles`);
        await result.getByText('您的账号无权访问').waitFor();
        await page.locator('[data-test="locale-switch"]').click();
        await page.locator('.el-dropdown-menu__item:visible', { hasText: 'English' }).click();
        await result.getByText('your account may not open it').waitFor();
        assert.equal(new URL(page.url()).pathname, '/security/roles');
        // (the signed-out probe of /auth/me answers 401 before the sign-in page)
        assert.deepEqual(problems.filter((x) => !x.includes('status of 401')), []);
    } finally {
        await ctx.close();
    }
});

test('a task opened from 我的任务 keeps 我的任务 highlighted in the side menu, also after a reload', async () => {
    const { ctx, page, problems } = await newPage(browser);
    const active = page.locator('.side-menu .el-menu-item.is-active');
    try {
        await signIn(page, srv.base, 'office');
        for (const [path, title] of [['/tasks/mine', '我的任务'], ['/tasks', '督办任务']]) {
            await page.goto(`${srv.base}${path}`);
            await rows(page).first().waitFor();
            await active.getByText(title, { exact: true }).waitFor();
            await rows(page).first().locator('a.task-link').first().click();
            await page.waitForURL((u) => /^\/tasks\/\d+$/.test(u.pathname));
            await page.locator('.el-breadcrumb').getByText('任务详情').waitFor();
            // the item's title (a badge may stand beside it: the waiting count of 我的任务)
            assert.deepEqual((await active.locator('.menu-title').allInnerTexts()).map((x) => x.trim()), [title], `opened from ${path}`);
            await page.reload();
            await page.locator('.el-breadcrumb').getByText('任务详情').waitFor();
            assert.deepEqual((await active.locator('.menu-title').allInnerTexts()).map((x) => x.trim()), [title], `reloaded, opened from ${path}`);
        }
        assert.deepEqual(problems, []);
    } finally {
        await ctx.close();
    }
});

test('the upload hint states the server\'s size limit, and a larger file is refused before it is sent', async () => {
    const setting = async (value) => {
        const s = ok(await sys.get('/api/v1/settings')).items.find((x) => x.key === 'files.max_mb');
        ok(await sys.put('/api/v1/settings/files.max_mb', { value, version: s.version }));
    };
    await setting(1);
    const { ctx, page, problems } = await newPage(browser);
    try {
        assert.equal(ok(await office.get('/api/v1/auth/me')).limits.files_max_mb, 1);
        await signIn(page, srv.base, 'office');
        let sent = 0;
        page.on('request', (r) => { if (new URL(r.url()).pathname === '/api/v1/files' && r.method() === 'POST') sent++; });
        await page.goto(`${srv.base}/tasks/documents`);
        await page.locator('[data-test="doc-create"]').click();
        const dlg = page.locator('.el-dialog:visible');
        await dlg.locator('[data-test="attach-tip"]').getByText('单个文件不超过 1 MB').waitFor();
        await dlg.locator('input[type="file"]').setInputFiles({ name: '大文件.pdf', mimeType: 'application/pdf',
            buffer: Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(1024 * 1024 + 10, 32)]) });
        await page.locator('.el-message--error').getByText('“大文件.pdf”超过 1 MB，未上传').waitFor();
        assert.equal(sent, 0, 'nothing was sent');
        await page.waitForFunction(() => ![...document.querySelectorAll('.el-upload-list__item')].some((x) => x.innerText.includes('大文件')));
        const up = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/files' && r.request().method() === 'POST');
        await dlg.locator('input[type="file"]').setInputFiles({ name: '小文件.pdf', mimeType: 'application/pdf',
            buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
        assert.equal((await up).status(), 201);
        assert.deepEqual(problems, []);
    } finally {
        await ctx.close();
        await setting(50);
    }
});

test('a list filters, sorts, pages and exports by the declaration (units)', async () => {
    const decl = ok(await sys.get('/api/v1/entities/units'));
    const kind = decl.fields.find((f) => f.name === 'kind');
    const dept = kind.options.find((o) => o.value === 'department');
    const all = ok(await sys.get('/api/v1/units?per_page=200')).items;
    const { ctx, page, problems } = await newPage(browser);
    try {
        await signIn(page, srv.base, 'sysadmin');
        await page.goto(`${srv.base}/org/units`);
        await rows(page).first().waitFor();
        // the table's headers are the declaration's labels
        const heads = await page.locator('[data-test="list-table"] .el-table__header th').allInnerTexts();
        for (const name of ['code', 'name', 'kind', 'sort_order']) {
            const f = decl.fields.find((x) => x.name === name);
            assert.ok(heads.some((h) => h.trim() === f.zh), `header ${f.zh} in ${heads}`);
        }
        // pages: 20 a page, the rest on page 2
        assert.ok(all.length > 20, 'the demo district has more than a page of units');
        await page.locator('.el-pagination').getByText(`共 ${all.length} 条`).waitFor();
        assert.equal(await rows(page).count(), 20);
        let answer = listAnswer(page, 'units');
        await page.locator('.el-pagination .btn-next').click();
        assert.equal(new URL((await answer).url()).searchParams.get('page'), '2');
        await page.waitForFunction((n) => document.querySelectorAll('[data-test="list-table"] .el-table__body-wrapper tbody tr').length === n,
            all.length - 20);

        // filter: the kind select offers the declared options; the list is those units only
        answer = listAnswer(page, 'units');
        await page.locator('[data-test="filter-kind"] .el-select').click();
        await page.locator('.el-select-dropdown__item:visible', { hasText: dept.zh }).click();
        const filtered = await answer;
        assert.equal(new URL(filtered.url()).searchParams.get('kind'), 'department');
        assert.equal(new URL(filtered.url()).searchParams.get('page'), '1', 'a new filter starts at page 1');
        const want = all.filter((x) => x.kind === 'department');
        await page.locator('.el-pagination').getByText(`共 ${want.length} 条`).waitFor();
        const kinds = await page.locator('[data-test="list-table"] tbody tr td:nth-child(4)').allInnerTexts();
        assert.ok(kinds.length > 0 && kinds.every((k) => k.trim() === dept.zh), `only ${dept.zh}: ${kinds}`);

        // sort: a click on 机构编码 sorts by code on the server, twice: descending
        answer = listAnswer(page, 'units');
        await page.locator('[data-test="list-table"] .el-table__header th', { hasText: decl.fields.find((f) => f.name === 'code').zh }).click();
        assert.equal(new URL((await answer).url()).searchParams.get('sort'), 'code');
        const codes = want.map((x) => x.code).sort().slice(0, 20);
        await page.waitForFunction((first) => {
            const cell = document.querySelector('[data-test="list-table"] tbody tr td:nth-child(2)');
            return cell && cell.innerText.trim() === first;
        }, codes[0]);
        answer = listAnswer(page, 'units');
        await page.locator('[data-test="list-table"] .el-table__header th', { hasText: decl.fields.find((f) => f.name === 'code').zh }).click();
        assert.equal(new URL((await answer).url()).searchParams.get('sort'), '-code');

        // export: the same filters and sort, an .xlsx the server writes
        const href = await page.locator('[data-test="list-export"]').getAttribute('href');
        const u = new URL(href, srv.base);
        assert.equal(u.pathname, '/api/v1/units/export.xlsx');
        assert.equal(u.searchParams.get('kind'), 'department');
        assert.equal(u.searchParams.get('sort'), '-code');
        const x = await page.request.get(u.href);
        assert.equal(x.status(), 200);
        assert.match(x.headers()['content-type'], /spreadsheetml/);
        assert.equal((await x.body()).subarray(0, 2).toString(), 'PK');

        // empty state: a keyword nothing matches, then the filters cleared
        answer = listAnswer(page, 'units');
        await page.locator('[data-test="filter-q"] input').fill('没有这样的机构zz');
        await page.locator('[data-test="filter-search"]').click();
        await answer;
        await page.locator('[data-test="list-empty"]').getByText('没有符合条件的记录').waitFor();
        await page.screenshot({ path: join(SHOTS, 'list-empty.png') });
        answer = listAnswer(page, 'units');
        await page.locator('[data-test="list-clear"]').click();
        const cleared = new URL((await answer).url()).searchParams;
        assert.equal(cleared.get('q'), null);
        assert.equal(cleared.get('kind'), null);
        await page.locator('.el-pagination').getByText(`共 ${all.length} 条`).waitFor();
        assert.deepEqual(problems, []);
    } finally {
        await ctx.close();
    }
});

// The list's state is the URL's query: a reload shows the same list (filters, sort, page), the
// address can be shared, and the back button undoes the last change.
test('a list keeps its filters, sort and page in the URL: a reload keeps them, the back button goes back', async () => {
    const decl = ok(await sys.get('/api/v1/entities/units'));
    const dept = decl.fields.find((f) => f.name === 'kind').options.find((o) => o.value === 'department');
    const codeLabel = decl.fields.find((f) => f.name === 'code').zh;
    const all = ok(await sys.get('/api/v1/units?per_page=200')).items;
    const want = all.filter((x) => x.kind === 'department');
    const { ctx, page, problems } = await newPage(browser);
    const params = (r) => new URL(r.url()).searchParams;
    const kindSelect = page.locator('[data-test="filter-kind"] .el-select');
    try {
        await signIn(page, srv.base, 'sysadmin');
        await page.goto(`${srv.base}/org/units`);
        await rows(page).first().waitFor();
        let answer = listAnswer(page, 'units');
        await page.locator('.el-pagination .btn-next').click();
        await answer;
        await page.waitForURL((u) => u.searchParams.get('page') === '2');

        answer = listAnswer(page, 'units');
        await kindSelect.click();
        await page.locator('.el-select-dropdown__item:visible', { hasText: dept.zh }).click();
        assert.equal(params(await answer).get('kind'), 'department');
        await page.waitForURL((u) => u.searchParams.get('kind') === 'department' && !u.searchParams.has('page'));
        answer = listAnswer(page, 'units');
        await page.locator('[data-test="list-table"] .el-table__header th', { hasText: codeLabel }).click();
        assert.equal(params(await answer).get('sort'), 'code');
        await page.waitForURL((u) => u.searchParams.get('sort') === 'code');

        // reload: the same request, the filter shown in its control, the sort in its header
        answer = listAnswer(page, 'units');
        await page.reload();
        let p = params(await answer);
        assert.equal(p.get('kind'), 'department');
        assert.equal(p.get('sort'), 'code');
        await kindSelect.getByText(dept.zh, { exact: true }).waitFor();
        await page.locator('.el-pagination').getByText(`共 ${want.length} 条`).waitFor();
        await page.locator('[data-test="list-table"] .el-table__header th.ascending', { hasText: codeLabel }).waitFor();

        // a shared address opens the same list
        const shared = page.url();
        const other = await ctx.newPage();
        answer = listAnswer(other, 'units');
        await other.goto(shared);
        p = params(await answer);
        assert.equal(p.get('kind'), 'department');
        assert.equal(p.get('sort'), 'code');
        await other.close();

        // back: without the sort, then page 2 of every unit again
        answer = listAnswer(page, 'units');
        await page.goBack();
        p = params(await answer);
        assert.equal(p.get('kind'), 'department');
        assert.equal(p.get('sort'), null);
        answer = listAnswer(page, 'units');
        await page.goBack();
        p = params(await answer);
        assert.equal(p.get('kind'), null);
        assert.equal(p.get('page'), '2');
        await page.waitForFunction((n) => document.querySelectorAll('[data-test="list-table"] .el-table__body-wrapper tbody tr').length === n,
            all.length - 20);
        assert.equal(await kindSelect.getByText(dept.zh, { exact: true }).count(), 0, 'the filter control is cleared');
        assert.deepEqual(problems, []);
    } finally {
        await ctx.close();
    }
});

test('zh-CN: the date pickers start weeks on Monday, as the calendar does', async () => {
    const { ctx, page, problems } = await newPage(browser);
    try {
        await signIn(page, srv.base, 'office');
        await page.goto(`${srv.base}/tasks`);
        await rows(page).first().waitFor();
        await page.locator('[data-test="filter-due"] .el-date-editor').click();
        const range = page.locator('.el-date-range-picker:visible .el-date-table').first().locator('th');
        await range.first().waitFor();
        const heads = await range.allInnerTexts();
        assert.deepEqual(heads.map((h) => h.trim()), ['一', '二', '三', '四', '五', '六', '日']);
        await page.keyboard.press('Escape');
        // the form's single date too
        await page.locator('[data-test="task-create"]').click();
        await page.locator('.el-dialog .el-date-editor input').first().click();
        const single = page.locator('.el-picker-panel.el-date-picker:visible .el-date-table th');
        await single.first().waitFor();
        assert.equal((await single.first().innerText()).trim(), '一');
        assert.deepEqual(problems, []);
    } finally {
        await ctx.close();
    }
});

test('a list that cannot be read says so and offers to try again', async () => {
    const { ctx, page } = await newPage(browser);
    try {
        await signIn(page, srv.base, 'sysadmin');
        let fail = true;
        await page.route('**/api/v1/people?*', (route) => (fail
            ? route.fulfill({ status: 503, contentType: 'application/json', headers: { 'Retry-After': '1' },
                body: JSON.stringify({ error: { code: 'unavailable', message: '数据库暂时不可用，请稍后重试', fields: {} } }) })
            : route.continue()));
        await page.goto(`${srv.base}/org/people`);
        const state = page.locator('[data-test="list-error"]');
        await state.waitFor();
        assert.match(await state.innerText(), /数据库暂时不可用/);
        fail = false;
        await state.getByRole('button').click();
        await rows(page).first().waitFor();
    } finally {
        await ctx.close();
    }
});

test('a form takes its limits from the declaration and shows the server\'s field error beside the field', async () => {
    const decl = ok(await sys.get('/api/v1/entities/units'));
    const code = decl.fields.find((f) => f.name === 'code');
    const name = decl.fields.find((f) => f.name === 'name');
    const { ctx, page, problems } = await newPage(browser);
    try {
        await signIn(page, srv.base, 'sysadmin');
        await page.goto(`${srv.base}/org/units`);
        await page.locator('[data-test="unit-create"]').click();
        const dlg = page.locator('.el-dialog').filter({ hasText: '新增机构' });
        await dlg.waitFor();
        // labels and limits are the server's
        assert.equal((await formItem(dlg, 'code').locator('.el-form-item__label').innerText()).trim(), code.zh);
        assert.equal(await formItem(dlg, 'code').locator('input').getAttribute('maxlength'), String(code.max));
        assert.equal(await formItem(dlg, 'name').locator('input').getAttribute('maxlength'), String(name.max));
        await formItem(dlg, 'code').locator('input').fill('x'.repeat(code.max + 10));
        assert.equal((await formItem(dlg, 'code').locator('input').inputValue()).length, code.max, 'no more than the server takes');

        // a code the server refuses: its message under the code field, nothing created
        await formItem(dlg, 'code').locator('input').fill('不是编码 !');
        await formItem(dlg, 'name').locator('input').fill(`表单测试局${uniq('f').slice(-4)}`);
        await formItem(dlg, 'kind').locator('.el-select').click();
        await page.locator('.el-select-dropdown__item:visible').first().click();
        const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/units') && r.request().method() === 'POST');
        await dlg.locator('[data-test="unit-save"]').click();
        const r = await created;
        assert.equal(r.status(), 400);
        const msg = (await r.json()).error.fields.code;
        assert.ok(msg, 'the server names the code field');
        await formItem(dlg, 'code').locator('.el-form-item__error').getByText(msg).waitFor();
        assert.ok(await dlg.isVisible(), 'the dialog stays open');
        await page.screenshot({ path: join(SHOTS, 'form-field-error.png') });
        // the problem is a toast too, nothing else went wrong
        assert.deepEqual(problems.filter((p) => !p.includes('400')), []);
    } finally {
        await ctx.close();
    }
});

test('saving a record someone else changed meanwhile says so and shows it as it is now', async () => {
    const unit = ok(await sys.post('/api/v1/units', { code: uniq('stale').replace(/[^A-Za-z0-9_-]/g, ''), name: `并发测试局${uniq('s').slice(-4)}`, kind: 'department' }), 201);
    const { ctx, page } = await newPage(browser);
    try {
        await signIn(page, srv.base, 'sysadmin');
        await page.goto(`${srv.base}/org/units`);
        await page.locator('[data-test="filter-q"] input').fill(unit.name);
        await page.locator('[data-test="filter-search"]').click();
        const row = rows(page).filter({ hasText: unit.name });
        await row.waitFor();
        await row.getByRole('button', { name: '编辑' }).click();
        const dlg = page.locator('.el-dialog').filter({ hasText: '编辑机构' });
        await dlg.waitFor();
        // someone else renames it while the dialog is open
        const renamed = `${unit.name}（已改）`;
        ok(await sys.put(`/api/v1/units/${unit.id}`, { ...unit, name: renamed, version: unit.version }));
        await formItem(dlg, 'short_name').locator('input').fill('我的简称');
        const saved = page.waitForResponse((r) => r.url().endsWith(`/api/v1/units/${unit.id}`) && r.request().method() === 'PUT');
        await dlg.locator('[data-test="unit-save"]').click();
        const r = await saved;
        assert.equal(r.status(), 409);
        assert.equal((await r.json()).error.code, 'stale_version');
        const notice = dlg.locator('[data-test="form-stale"]');
        await notice.waitFor();
        assert.match(await notice.innerText(), /其他人修改/);
        // the form now holds the record as it is, with its new version: saving again works
        assert.equal(await formItem(dlg, 'name').locator('input').inputValue(), renamed);
        await page.screenshot({ path: join(SHOTS, 'form-stale.png') });
        const again = page.waitForResponse((x) => x.url().endsWith(`/api/v1/units/${unit.id}`) && x.request().method() === 'PUT');
        await dlg.locator('[data-test="unit-save"]').click();
        assert.equal((await again).status(), 200);
        await dlg.waitFor({ state: 'hidden' });
    } finally {
        await ctx.close();
    }
});

// exceljs is a dependency of the web UI (it reads import sheets in the browser): the test
// writes its sheet with the same library.
const EXCELJS = join(ROOT, 'web', 'node_modules', 'exceljs', 'excel.js');

test('import: the sheet is read in the browser and checked by the server at once: its row errors are listed, nothing is imported',
    { skip: existsSync(EXCELJS) ? false : 'web/node_modules not installed' }, async () => {
        const ExcelJS = (await import(EXCELJS)).default;
        const wb = new ExcelJS.Workbook();
        const ws = wb.addWorksheet('任务');
        ws.addRow(['任务名称', '牵头单位', '截止日期']);
        ws.addRow([`导入测试一${uniq('i')}`, '区司法局', '2027-03-31']);
        ws.addRow([]);
        ws.addRow([`导入测试二${uniq('i')}`, '没有这个单位', '2027-03-31']);
        const buffer = Buffer.from(await wb.xlsx.writeBuffer());
        const before = ok(await office.get('/api/v1/tasks?per_page=1')).total;
        const { ctx, page, problems } = await newPage(browser);
        try {
            await signIn(page, srv.base, 'office');
            await page.goto(`${srv.base}/tasks`);
            await rows(page).first().waitFor();
            await page.locator('[data-test="task-import"]').click();
            await page.locator('.el-dialog:visible [data-test="import-template"]').waitFor();
            // picking the file sends the rows for the server's check (preview: true, nothing written)
            const sent = page.waitForResponse((r) => r.url().endsWith('/api/v1/tasks/import'));
            await page.locator('.el-dialog:visible input[type="file"]').setInputFiles({ name: '任务导入.xlsx',
                mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer });
            const checked = await sent;
            assert.equal(checked.status(), 200);
            const asked = checked.request().postDataJSON();
            assert.equal(asked.preview, true);
            assert.equal(asked.rows.length, 2, 'two rows, the blank line skipped');
            assert.ok(await page.locator('.el-dialog:visible [data-test="import-submit"]').isDisabled(), 'nothing to import while a row is bad');
            const errors = page.locator('.el-dialog:visible [data-test="import-errors"]');
            await errors.waitFor();
            const text = await errors.innerText();
            assert.match(text, /第 4 行/, `the row as numbered in the sheet: ${text}`);
            assert.match(text, /牵头单位/);
            await page.screenshot({ path: join(SHOTS, 'import-errors.png') });
            assert.equal(ok(await office.get('/api/v1/tasks?per_page=1')).total, before, 'all or nothing');
            assert.deepEqual(problems.filter((p) => !p.includes('400')), []);
        } finally {
            await ctx.close();
        }
    });

// Every list page at 1440×900 in both languages: the table fits its card (no column hidden under
// the fixed operations column), no header is cut or wrapped, no tag runs out of its cell.
const LIST_PAGES = {
    sysadmin: ['/org/units', '/system/users', '/system/calendar', '/system/deliveries'],
    secadmin: ['/security/roles'],
    office: ['/org/people', '/tasks/documents', '/tasks', '/tasks/mine', '/notifications'],
    clerk1: ['/tasks'],
    auditor: ['/audit'],
};

test('no list page cuts a column, a header or a tag, in Chinese or in English', async () => {
    const found = [];
    // a draft gives office's task list its widest 操作 cell (详情 编辑 删除)
    const { u } = await actors(srv, ['office']);
    await createTask(office, { lead_unit_id: u.sfj.id, due_on: day(1) });
    for (const lang of ['zh-CN', 'en']) {
        for (const [user, paths] of Object.entries(LIST_PAGES)) {
            const { ctx, page } = await newPage(browser, { locale: lang });
            try {
                await ctx.addInitScript((l) => { localStorage.setItem('fazhi.locale', l); }, lang);
                await signIn(page, srv.base, user);
                for (const path of paths) {
                    await page.goto(`${srv.base}${path}`);
                    await rows(page).first().or(page.locator('[data-test="list-empty"]')).first().waitFor();
                    await page.waitForLoadState('networkidle');
                    const r = await page.evaluate(() => {
                        const t = document.querySelector('[data-test="list-table"]');
                        const heads = [...t.querySelectorAll('.el-table__header-wrapper th .cell')]
                            .filter((c) => c.scrollWidth > c.clientWidth + 1 || c.offsetHeight > 30).map((c) => c.innerText.trim());
                        const tags = [...t.querySelectorAll('.el-table__body-wrapper td .el-tag')].filter((g) => {
                            const cell = g.closest('.cell');
                            return g.getBoundingClientRect().right > cell.getBoundingClientRect().right + 1;
                        }).map((g) => g.innerText.trim());
                        // a fixed column (操作 on the right) sticks over what scrolls under it
                        const ths = [...t.querySelectorAll('.el-table__header-wrapper th')];
                        const fixed = ths.filter((h) => h.classList.contains('el-table-fixed-column--right'));
                        const edge = Math.min(...fixed.map((h) => h.getBoundingClientRect().left));
                        const covered = ths.filter((h) => !fixed.includes(h) && h.getBoundingClientRect().right > edge + 1)
                            .map((h) => h.innerText.trim());
                        return { over: t.querySelector('.el-table__body-wrapper table').offsetWidth - t.offsetWidth, heads, tags, covered };
                    });
                    if (r.covered.length) found.push(`${lang} ${user} ${path}: under the fixed column: ${r.covered}`);
                    if (r.over > 0) found.push(`${lang} ${user} ${path}: the table is ${r.over}px wider than its card`);
                    if (r.heads.length) found.push(`${lang} ${user} ${path}: headers cut: ${r.heads}`);
                    if (r.tags.length) found.push(`${lang} ${user} ${path}: tags cut: ${[...new Set(r.tags)]}`);
                }
            } finally {
                await ctx.close();
            }
        }
    }
    assert.deepEqual(found, []);
});

// A module with declarations only gets a page from its menu entry (`page: "entity"`): list,
// create form and detail, all from GET /api/v1/entities/{name}. Shown here with the people
// entity under a menu entry of its own (the answer of GET /api/v1/menu gets one more item).
test('a menu entry with page "entity" is a whole page made from the declaration: list, form, detail', async () => {
    const decl = ok(await office.get('/api/v1/entities/people'));
    const unit = ok(await office.get('/api/v1/units/tree')).items[0]; // a root: shown without opening the tree
    const { ctx, page, problems } = await newPage(browser);
    try {
        await page.route('**/api/v1/menu', async (route) => {
            const res = await route.fetch();
            const menu = await res.json();
            menu.groups.find((g) => g.key === 'org').items.push({
                path: '/org/people-generic', page: 'entity', entity: 'people', title: '人员（通用页）', zh: '人员（通用页）',
                en: 'People (generic)', icon: 'NoSuchIcon', hidden: false, perm: 'person.read', active: '/org/people-generic', module: 'org',
            });
            await route.fulfill({ response: res, json: menu });
        });
        await signIn(page, srv.base, 'office');
        await page.locator('.side-menu').getByText('人员（通用页）').click();
        await page.waitForURL((u) => u.pathname === '/org/people-generic');
        await rows(page).first().waitFor();
        // the table's columns are the declaration's list fields
        const heads = (await page.locator('[data-test="list-table"] .el-table__header th').allInnerTexts()).map((h) => h.trim());
        // (a page too narrow for all of them leaves the last ones out: the column toolbar lists them)
        await page.locator('[data-test="column-menu"]').click();
        await page.locator('[data-test="column-list"]:visible').waitFor(); // the popover is open
        for (const f of decl.fields.filter((x) => x.list)) {
            assert.ok(heads.includes(f.zh) || await page.locator(`[data-test="column-${f.name}"]:visible`).count(), `column ${f.zh} in ${heads}`);
        }
        await page.keyboard.press('Escape');
        // the form: the create fields, their limits; save creates the record
        await page.locator('[data-test="entity-create"]').click();
        const dlg = page.locator('.el-dialog:visible');
        await dlg.waitFor();
        for (const f of decl.fields.filter((x) => x.create && !x.readonly)) await formItem(dlg, f.name).waitFor();
        const name = decl.fields.find((x) => x.name === 'name');
        assert.equal(await formItem(dlg, 'name').locator('input').getAttribute('maxlength'), String(name.max));
        await formItem(dlg, 'unit_id').locator('.el-select').click();
        await page.locator('.el-tree-node__content:visible', { hasText: unit.name }).first().click();
        const person = `通用页测试${uniq('p').slice(-4)}`;
        await formItem(dlg, 'name').locator('input').fill(person);
        const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/people') && r.request().method() === 'POST');
        await dlg.locator('[data-test="form-save"]').click();
        assert.equal((await created).status(), 201);
        // the detail: every field with its label
        await page.locator('[data-test="filter-q"] input').fill(person);
        await page.locator('[data-test="filter-search"]').click();
        const row = rows(page).filter({ hasText: person });
        await row.waitFor();
        await row.locator('[data-test="entity-view"]').click();
        const drawer = page.locator('[data-test="record-page"]');
        await drawer.locator('[data-test="record-facts"]').getByText(person).first().waitFor();
        assert.ok((await drawer.innerText()).includes(unit.name), 'the unit by its name');
        await page.screenshot({ path: join(SHOTS, 'entity-page.png') });
        assert.deepEqual(problems, []);
    } finally {
        await ctx.close();
    }
});

test('a new account changes its initial password first, then gets its menu and pages', async () => {
    const secadmin = await srv.login('secadmin');
    const unit = ok(await sys.get('/api/v1/units/tree')).items[0];
    const username = `menu${uniq('u').replace(/[^a-z0-9]/g, '').slice(-8)}`;
    const made = ok(await sys.post('/api/v1/users', { username, display_name: '菜单测试员', unit_id: unit.id }), 201);
    ok(await secadmin.put(`/api/v1/users/${made.user.id}/role`, { role: 'clerk', version: made.user.version }));
    const { ctx, page, problems } = await newPage(browser);
    try {
        await signIn(page, srv.base, username, made.initial_password);
        await page.waitForURL((u) => u.pathname === '/password-change');
        const inputs = page.locator('.password-form input[type="password"]');
        const fresh = `Menu#Pass${Date.now()}`;
        await inputs.nth(0).fill(made.initial_password);
        await inputs.nth(1).fill(fresh);
        await inputs.nth(2).fill(fresh);
        const changed = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/password'));
        await page.locator('[data-test="password-submit"]').click();
        assert.equal((await changed).status(), 200);
        await page.waitForURL((u) => u.pathname === '/');
        // the clerk's menu, and its pages open
        const menu = ok(await (await srv.login(username, fresh)).get('/api/v1/menu'));
        const tasks = menu.groups.flatMap((g) => g.items).find((i) => i.page === 'my-tasks');
        await page.locator('.side-menu').getByText(tasks.zh, { exact: true }).click();
        await page.waitForURL((u) => u.pathname === tasks.path);
        await page.locator('[data-test="list-table"]').waitFor();
        assert.deepEqual(problems.filter((p) => !p.includes('403')), []);
    } finally {
        await ctx.close();
    }
});
