// Browser test (issue 10): what people read — names, not codes; English throughout; charts that
// open their list; the fixed 操作 column at laptop widths; the list shell's column toolbar,
// collapsible search bar and tabs of open pages. Drives Debian's chromium with playwright-core.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, unitByName } from '../api/lib.mjs';
import { createTask } from '../api/tasks-lib.mjs';
import { launchBrowser, newPage as openPage, signIn } from './lib.mjs';

let srv, browser;
before(async () => {
    srv = await startServer();
    browser = await launchBrowser();
});
after(async () => {
    await browser?.close();
    await srv?.stopAndCheck();
});

/** The UI in `lang` (stored before the first page loads), at `viewport` (1440×900 unless given). */
const newPage = (lang = 'zh-CN', viewport = undefined) =>
    openPage(browser, { locale: lang, viewport, uiLocale: lang === 'en' ? 'en' : 'zh-CN' });

/** The page's visible text (tooltips and title attributes are not part of it). */
async function visibleText(page) {
    return page.locator('.layout-content').first().innerText();
}

const CODE = /\b(?:unit|task|person|user|role|audit|setting|notify|calendar|document|file|legal_service)\.[a-z_]+\b/;

test('我的账户 lists permissions by name, not code, in Chinese and English', async () => {
    for (const [lang, name] of [['zh-CN', '管理督办任务'], ['en', null]]) {
        const { ctx, page, problems } = await newPage(lang);
        try {
            await signIn(page, srv.base, 'office');
            await page.goto(`${srv.base}/account`);
            await page.locator('[data-test="perm-tag"]').first().waitFor();
            const text = await visibleText(page);
            assert.doesNotMatch(text, /task\.manage|unit\.read/, `${lang}: no permission code shown`);
            assert.doesNotMatch(text, CODE, `${lang}: no code at all`);
            const tags = await page.locator('[data-test="perm-tag"]').allInnerTexts();
            assert.ok(tags.length > 3, 'office holds several permissions');
            if (name) assert.ok(tags.some((x) => x.includes('督办')), `zh names: ${tags}`);
            else assert.ok(tags.every((x) => !/[\u4e00-\u9fff]/.test(x)), `en names: ${tags}`);
            assert.deepEqual(problems, []);
        } finally { await ctx.close(); }
    }
});

test('the audit log shows action and object names, codes only in tooltips', async () => {
    // something to show: office creates a task through the API (task.create on object task)
    const office = await srv.login('office');
    await createTask(office, { lead_unit_id: (await unitByName(office, '区公安分局')).id });
    for (const [lang, action, object] of [['zh-CN', '新建督办任务', '督办任务'], ['en', 'Create task', 'Task']]) {
        const { ctx, page, problems } = await newPage(lang);
        try {
            await signIn(page, srv.base, 'auditor');
            await page.goto(`${srv.base}/audit?action=task.create`);
            await page.locator('[data-test="audit-action"]', { hasText: action }).first().waitFor();
            await page.locator('[data-test="audit-object"]', { hasText: object }).first().waitFor();
            const text = await visibleText(page);
            assert.doesNotMatch(text, /task\.create/, `${lang}: the action code is not shown`);
            assert.doesNotMatch(text, CODE, `${lang}: no code shown`);
            assert.equal(await page.locator('[data-test="audit-action"]').first().getAttribute('title'), 'task.create');
            await page.goto(`${srv.base}/audit`);
            await page.locator('[data-test="audit-action"]').first().waitFor();
            await page.waitForLoadState('networkidle');
            assert.doesNotMatch(await visibleText(page), CODE, `${lang}: no code on the first page`);
            assert.deepEqual(problems, []);
        } finally { await ctx.close(); }
    }
});

test('系统设置 shows setting names, not keys', async () => {
    for (const lang of ['zh-CN', 'en']) {
        const { ctx, page, problems } = await newPage(lang);
        try {
            await signIn(page, srv.base, 'sysadmin');
            await page.goto(`${srv.base}/system/settings`);
            await page.locator('[data-test="setting-name"]').first().waitFor();
            const text = await visibleText(page);
            assert.doesNotMatch(text, /site\.name|task\.yellow_days|jobs\.daily_hour/, `${lang}: no setting key shown`);
            const keys = (await (await srv.login('sysadmin')).get('/api/v1/settings')).json.items.map((x) => x.key);
            assert.ok(keys.length > 5);
            for (const k of keys) assert.ok(!text.includes(k), `${lang}: the key ${k} is not shown`);
            assert.ok((await page.locator('[data-test="setting-name"]').count()) > 5);
            assert.deepEqual(problems, []);
        } finally { await ctx.close(); }
    }
});

/** The list's table: what runs under the fixed column, how much wider than its card, cut headers and tags. */
async function tableFit(page) {
    return page.evaluate(() => {
        const t = document.querySelector('[data-test="list-table"]');
        const heads = [...t.querySelectorAll('.el-table__header-wrapper th .cell')]
            .filter((c) => c.scrollWidth > c.clientWidth + 1 || c.offsetHeight > 30).map((c) => c.innerText.trim());
        const tags = [...t.querySelectorAll('.el-table__body-wrapper td .el-tag')].filter((g) => {
            const cell = g.closest('.cell');
            return g.getBoundingClientRect().right > cell.getBoundingClientRect().right + 1;
        }).map((g) => g.innerText.trim());
        const ths = [...t.querySelectorAll('.el-table__header-wrapper th')];
        const fixed = ths.filter((h) => h.classList.contains('el-table-fixed-column--right'));
        const edge = Math.min(...fixed.map((h) => h.getBoundingClientRect().left));
        const covered = ths.filter((h) => !fixed.includes(h) && h.getBoundingClientRect().right > edge + 1).map((h) => h.innerText.trim());
        return { over: t.querySelector('.el-table__body-wrapper table').offsetWidth - t.offsetWidth, heads, tags, covered };
    });
}

const LIST_PAGES = {
    sysadmin: ['/org/units', '/system/users', '/system/calendar', '/system/deliveries'],
    secadmin: ['/security/roles'],
    office: ['/org/people', '/tasks/documents', '/tasks', '/tasks/mine', '/notifications'],
    clerk1: ['/tasks'],
    auditor: ['/audit'],
};

test('at 1366×768 and 1280×800 no column runs under the fixed 操作 column and no header is cut, in zh and en', async () => {
    const office = await srv.login('office');
    // a draft due tomorrow puts 详情 编辑 删除 (the widest 操作 cell) on office's first page
    await createTask(office, { lead_unit_id: (await unitByName(office, '区司法局')).id, due_on: new Date(Date.now() + 86400e3).toISOString().slice(0, 10) });
    const found = [];
    for (const viewport of [{ width: 1366, height: 768 }, { width: 1280, height: 800 }]) {
        for (const lang of ['zh-CN', 'en']) {
            for (const [user, paths] of Object.entries(LIST_PAGES)) {
                const { ctx, page } = await newPage(lang, viewport);
                try {
                    await signIn(page, srv.base, user);
                    for (const path of paths) {
                        await page.goto(`${srv.base}${path}`);
                        await page.locator('[data-test="list-table"] .el-table__body tr').first().or(page.locator('[data-test="list-empty"]')).first().waitFor();
                        await page.waitForLoadState('networkidle');
                        await page.waitForTimeout(100); // the column fit follows the rows
                        const r = await tableFit(page);
                        const at = `${viewport.width} ${lang} ${user} ${path}`;
                        if (r.covered.length) found.push(`${at}: under the fixed column: ${r.covered}`);
                        if (r.over > 0) found.push(`${at}: the table is ${r.over}px wider than its card`);
                        if (r.heads.length) found.push(`${at}: headers cut: ${r.heads}`);
                        if (r.tags.length) found.push(`${at}: tags cut: ${[...new Set(r.tags)]}`);
                    }
                } finally { await ctx.close(); }
            }
        }
    }
    assert.deepEqual(found, []);
});

test('the task list\'s unit filter chooses 牵头 / 配合 / 全部, kept in the URL', async () => {
    const office = await srv.login('office');
    const police = await unitByName(office, '区公安分局');
    const { ctx, page, problems } = await newPage();
    try {
        await signIn(page, srv.base, 'office');
        await page.goto(`${srv.base}/tasks?co_unit=${police.id}`);
        await page.locator('[data-test="list-table"] .el-table__body tr').first().or(page.locator('[data-test="list-empty"]')).first().waitFor();
        // the role select shows 配合 and the unit picker the unit
        await page.locator('[data-test="f-unit-role"]', { hasText: '配合' }).waitFor();
        const want = (await (await office.get(`/api/v1/tasks?co_unit=${police.id}&per_page=1`)).json).total;
        assert.match(await page.locator('.pager-bar, .el-pagination').first().innerText(), new RegExp(String(want)));
        // choose 牵头: the URL says lead_unit, the list asks the server for it
        const asked = page.waitForRequest((r) => r.url().includes(`lead_unit=${police.id}`));
        await page.locator('[data-test="f-unit-role"]').click();
        await page.locator('.el-select-dropdown__item:visible', { hasText: '牵头' }).click();
        await asked;
        await page.waitForURL((u) => u.searchParams.get('lead_unit') === String(police.id) && !u.searchParams.has('co_unit'));
        await page.reload();
        await page.locator('[data-test="f-unit-role"]', { hasText: '牵头' }).waitFor();
        assert.deepEqual(problems, []);
    } finally { await ctx.close(); }
});

test('the list toolbar: hide a column, collapse the search bar, refresh — kept across a reload', async () => {
    const { ctx, page, problems } = await newPage();
    try {
        await signIn(page, srv.base, 'office');
        await page.goto(`${srv.base}/tasks`);
        const table = page.locator('[data-test="list-table"]');
        await table.locator('.el-table__body tr').first().waitFor();
        const heads = async () => (await table.locator('.el-table__header-wrapper th').allInnerTexts()).map((h) => h.trim());
        assert.ok((await heads()).includes('截止日期'));
        await page.locator('[data-test="column-menu"]').click();
        await page.locator('[data-test="column-due_on"]:visible').click();
        await page.waitForFunction(() => ![...document.querySelectorAll('[data-test="list-table"] .el-table__header-wrapper th')].some((h) => h.innerText.trim() === '截止日期'));
        await page.keyboard.press('Escape');
        // the search bar folds away
        await page.locator('[data-test="filter-bar"]').waitFor();
        await page.locator('[data-test="toggle-search"]').click();
        await page.locator('[data-test="filter-bar"]').waitFor({ state: 'detached' });
        // refresh asks the server again
        const again = page.waitForRequest((r) => /\/api\/v1\/tasks\?/.test(r.url()));
        await page.locator('[data-test="list-refresh"]').click();
        await again;
        // both survive a reload; other lists keep their own columns
        await page.reload();
        await table.locator('.el-table__body tr').first().waitFor();
        assert.ok(!(await heads()).includes('截止日期'), 'the hidden column stays hidden');
        assert.ok((await heads()).includes('任务名称'));
        assert.equal(await page.locator('[data-test="filter-bar"]').count(), 0, 'the search bar stays folded');
        await page.goto(`${srv.base}/tasks/mine`);
        await table.locator('.el-table__body tr').first().or(page.locator('[data-test="list-empty"]')).first().waitFor();
        assert.ok((await heads()).includes('截止日期'), '我的任务 is a list of its own');
        // showing it again
        await page.goto(`${srv.base}/tasks`);
        await table.locator('.el-table__body tr').first().waitFor();
        await page.locator('[data-test="column-menu"]').click();
        await page.locator('[data-test="column-due_on"]:visible').click();
        await page.waitForFunction(() => [...document.querySelectorAll('[data-test="list-table"] .el-table__header-wrapper th')].some((h) => h.innerText.trim() === '截止日期'));
        assert.deepEqual(problems, []);
    } finally { await ctx.close(); }
});

/** Hover and click over a chart until the page leaves `from` (a bar or a slice was hit). */
async function clickChart(page, locator, from) {
    const box = await locator.boundingBox();
    for (let y = box.y + 10; y < box.y + box.height - 5; y += 12) {
        for (let x = box.x + box.width * 0.15; x < box.x + box.width * 0.85; x += 40) {
            await page.mouse.move(x, y);
            await page.mouse.click(x, y);
            await page.waitForTimeout(20);
            if (new URL(page.url()).pathname !== from) return;
        }
    }
    assert.fail('no part of the chart opened a list');
}

test('chart bars and slices open the filtered list, with no CSP error in the console', async () => {
    // office: a bar of 逾期任务（按牵头单位） opens that unit's overdue tasks
    {
        const { ctx, page, problems } = await newPage();
        try {
            await signIn(page, srv.base, 'office');
            const chart = page.locator('[data-test="overdue-chart"]');
            await chart.waitFor();
            await page.waitForLoadState('networkidle');
            await clickChart(page, chart, '/');
            await page.waitForURL((u) => u.pathname === '/tasks' && u.searchParams.get('overdue') === '1' && u.searchParams.has('lead_unit'));
            const unit = Number(new URL(page.url()).searchParams.get('lead_unit'));
            const stats = (await (await srv.login('office')).get('/api/v1/tasks/stats')).json;
            const bar = stats.overdue_by_unit.find((u) => u.unit_id === unit);
            assert.ok(bar && bar.overdue > 0, 'the bar clicked is a unit with overdue tasks');
            await page.locator('[data-test="list-table"] .el-table__body tr').first().waitFor();
            await page.locator('.el-pagination__total', { hasText: String(bar.overdue) }).waitFor();
            // the status counts open their list too
            await page.goto(`${srv.base}/`);
            await page.locator('[data-test="status-count-closing"]').click();
            await page.waitForURL((u) => u.pathname === '/tasks' && u.searchParams.get('status') === 'closing');
            assert.deepEqual(problems, [], 'no console error (CSP) on hover or click');
        } finally { await ctx.close(); }
    }
    // sysadmin: a slice of 机构类型 opens the units of that kind
    {
        const { ctx, page, problems } = await newPage('en');
        try {
            await signIn(page, srv.base, 'sysadmin');
            const chart = page.locator('[data-test="units-chart"]');
            await chart.waitFor();
            await page.waitForLoadState('networkidle');
            await clickChart(page, chart, '/');
            await page.waitForURL((u) => u.pathname === '/org/units' && u.searchParams.has('kind'));
            await page.locator('[data-test="list-table"] .el-table__body tr').first().waitFor();
            assert.deepEqual(problems, [], 'no console error (CSP) on hover or click');
        } finally { await ctx.close(); }
    }
});

test('English UI: notification texts and the calendar\'s marks are English', async () => {
    const office = await srv.login('office');
    const { act } = await import('../api/tasks-lib.mjs');
    let t = await createTask(office, { lead_unit_id: (await unitByName(office, '区司法局')).id, title: `英文界面通知 ${Date.now()}` });
    t = await act(office, t, 'issue', { note: '请按期办理' });
    {
        const { ctx, page, problems } = await newPage('en');
        try {
            await signIn(page, srv.base, 'clerk1');
            await page.goto(`${srv.base}/notifications`);
            await page.locator('[data-test="list-table"]').getByText(`[New task] ${t.title}`).first().waitFor();
            const text = await visibleText(page);
            assert.doesNotMatch(text, /【新任务】|【逾期】|【临期】|【督办通知】|【每日提醒】/, 'no Chinese title tag in English');
            assert.deepEqual(problems, []);
        } finally { await ctx.close(); }
    }
    {
        const { ctx, page, problems } = await newPage('en');
        try {
            await signIn(page, srv.base, 'sysadmin');
            await page.goto(`${srv.base}/system/calendar`);
            await page.locator('.cal-mark').first().waitFor();
            const marks = new Set(await page.locator('.cal-mark').allInnerTexts());
            assert.deepEqual([...marks].sort(), ['H', 'W'], `marks: ${[...marks]}`);
            const legend = await page.locator('.cal-legend-item').allInnerTexts();
            assert.ok(legend.every((x) => !/[休班]/.test(x)), `legend: ${legend}`);
            assert.deepEqual(problems, []);
        } finally { await ctx.close(); }
    }
});

test('tabs of open pages: one per page, close, close others, kept for the browser tab, can be turned off', async () => {
    const { ctx, page, problems } = await newPage();
    try {
        await signIn(page, srv.base, 'office');
        const tags = page.locator('[data-test="tags-view"] [data-test="tag"]');
        await page.locator('[data-test="tags-view"]').waitFor();
        await page.locator('.side-menu').getByText('督办任务', { exact: true }).click();
        await page.waitForURL((u) => u.pathname === '/tasks');
        await page.locator('.side-menu').getByText('我的任务').click();
        await page.waitForURL((u) => u.pathname === '/tasks/mine');
        await page.goto(`${srv.base}/tasks?status=closing`); // a reload keeps the tabs (sessionStorage)
        await page.locator('[data-test="list-table"] .el-table__body tr').first().or(page.locator('[data-test="list-empty"]')).first().waitFor();
        const paths = async () => tags.evaluateAll((els) => els.map((e) => e.dataset.path));
        assert.deepEqual(await paths(), ['/', '/tasks', '/tasks/mine']);
        assert.deepEqual((await tags.allInnerTexts()).map((x) => x.trim()), ['工作台', '督办任务', '我的任务']);
        // a tab brings its page back with its filters
        await tags.nth(2).click();
        await page.waitForURL((u) => u.pathname === '/tasks/mine');
        await tags.nth(1).click();
        await page.waitForURL((u) => u.pathname === '/tasks' && u.searchParams.get('status') === 'closing');
        // close the current tab: the next one opens
        await tags.nth(1).locator('[data-test="tag-close"]').click();
        await page.waitForURL((u) => u.pathname === '/tasks/mine');
        assert.deepEqual(await paths(), ['/', '/tasks/mine']);
        // close others
        await page.locator('.side-menu').getByText('督办任务', { exact: true }).click();
        await page.waitForURL((u) => u.pathname === '/tasks');
        await page.locator('[data-test="tags-more"]').click();
        await page.locator('[data-test="tags-close-others"]:visible').click();
        await page.waitForFunction(() => document.querySelectorAll('[data-test="tags-view"] [data-test="tag"]').length === 2);
        assert.deepEqual(await paths(), ['/', '/tasks']);
        // the titles follow the language switch
        await page.locator('[data-test="locale-switch"]').click();
        await page.locator('.el-dropdown-menu__item:visible', { hasText: 'English' }).click();
        await page.waitForFunction(() => [...document.querySelectorAll('[data-test="tags-view"] [data-test="tag"]')].map((e) => e.innerText.trim()).join('|') === 'Workbench|Tasks');
        // turned off from the user menu, and it stays off
        await page.locator('[data-test="user-menu"]').click();
        await page.locator('[data-test="toggle-tags"]:visible').click();
        await page.locator('[data-test="tags-view"]').waitFor({ state: 'detached' });
        await page.reload();
        await page.locator('.side-menu').waitFor();
        assert.equal(await page.locator('[data-test="tags-view"]').count(), 0);
        assert.deepEqual(problems, []);
    } finally { await ctx.close(); }
});
