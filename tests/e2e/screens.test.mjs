// Browser test: the pages people open first — home, 督办任务, 我的任务, a task's detail, the 12348
// list and a request's own page — as the office and as a unit's clerk, in Chinese and in
// English, at the laptop size most offices use
// (1366×768). On every page: no table header is clipped, no table runs under its fixed 操作 column,
// and no raw permission/setting/audit code is shown as text. The screenshots go to
// build/e2e/screens/; with FAZHI_UPDATE_SCREENSHOT=1 they also refresh docs/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startServer, ROOT } from '../api/lib.mjs';
import { launchBrowser, newPage, signIn, SHOTS as E2E_SHOTS } from './lib.mjs';

const SHOTS = join(E2E_SHOTS, 'screens');
const DOCS = join(ROOT, 'docs', 'screenshots');

let srv, browser;
before(async () => {
    await mkdir(SHOTS, { recursive: true });
    if (process.env.FAZHI_UPDATE_SCREENSHOT === '1') await mkdir(DOCS, { recursive: true });
    srv = await startServer();
    browser = await launchBrowser();
});
after(async () => {
    await browser?.close();
    await srv?.stopAndCheck();
});

async function signedIn(username, locale) {
    // the test gathers its own complaints (below), not the page's errors
    const { ctx, page } = await newPage(browser, { locale, viewport: { width: 1366, height: 768 }, consoleErrors: false, uiLocale: locale });
    await signIn(page, srv.base, username);
    return { ctx, page };
}

/* Codes of permissions, settings and audit actions look like `task.manage`, `site.name`,
 * `task.create`: a module prefix, a dot, a lower-case name. File names (`report.pdf`) and
 * addresses are not codes, so the prefixes are the modules' own. */
const CODE = /\b(?:task|tasks|unit|user|role|audit|site|password|session|notify|calendar|files?|legal_service|jobs|limits|org|people|settings|account|dict|notice|login)\.[a-z_]+\b/;

/** What is wrong with the page as a user sees it: clipped headers, columns under the fixed
 * column, raw codes. Answers a list of complaints (empty when the page is right). */
async function complaints(page) {
    return page.evaluate((codeSrc) => {
        const out = [];
        for (const cell of document.querySelectorAll('.el-table__header-wrapper th .cell')) {
            if (cell.offsetParent && cell.scrollWidth > cell.clientWidth + 1)
                out.push(`header clipped: "${cell.textContent.trim()}"`);
        }
        for (const table of document.querySelectorAll('.el-table')) {
            const right = table.querySelector('.el-table__header-wrapper th.el-table-fixed-column--right');
            if (!right || !table.offsetParent) continue;
            const edge = right.getBoundingClientRect().left;
            for (const th of table.querySelectorAll('.el-table__header-wrapper th:not(.el-table-fixed-column--right)')) {
                const r = th.getBoundingClientRect();
                if (r.width > 0 && r.right > edge + 1) out.push(`column under the fixed column: "${th.textContent.trim()}"`);
            }
        }
        const code = new RegExp(codeSrc);
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            const el = n.parentElement;
            if (!el || !el.checkVisibility({ visibilityProperty: true, opacityProperty: true })) continue;
            const m = n.textContent.match(code);
            if (m) out.push(`raw code shown: "${m[0]}"`);
        }
        return out;
    }, CODE.source);
}

async function settle(page) {
    await page.waitForLoadState('networkidle');
    await page.locator('.el-loading-mask').first().waitFor({ state: 'hidden' }).catch(() => {});
}

for (const who of ['office', 'clerk1']) {
    for (const locale of ['zh-CN', 'en']) {
        test(`${who} (${locale}) at 1366×768: home, task list, my tasks, task detail, a register's list and record`, async () => {
            const { ctx, page } = await signedIn(who, locale);
            const tag = `${who}-${locale === 'en' ? 'en' : 'zh'}`;
            const problems = [];
            const shoot = async (name) => {
                await settle(page);
                for (const p of await complaints(page)) problems.push(`${name}: ${p}`);
                const file = join(SHOTS, `${name}-${tag}.png`);
                await page.screenshot({ path: file });
                if (process.env.FAZHI_UPDATE_SCREENSHOT === '1' && locale === 'zh-CN')
                    await copyFile(file, join(DOCS, `${name}-${who}.png`));
            };
            try {
                await page.goto(`${srv.base}/`);
                await shoot('home');
                await page.goto(`${srv.base}/tasks`);
                await page.locator('.el-table__body tr').first().waitFor();
                await shoot('tasks');
                await page.goto(`${srv.base}/tasks/mine`);
                await page.locator('.el-table__body tr').first().waitFor();
                await shoot('my-tasks');
                await page.locator('.el-table__body tr a').first().click();
                await page.waitForURL(/\/tasks\/\d+/);
                await page.locator('h1, h2, .page-title').first().waitFor();
                await shoot('task-detail');
                // a register's list and a record's own page (the generic RecordPage)
                await page.goto(`${srv.base}/legal-services`);
                await page.locator('.el-table__body tr').first().waitFor();
                await shoot('legal-services');
                await page.locator('.el-table__body tr [data-test="entity-view"]').first().click();
                await page.waitForURL(/\/legal-services\/\d+/);
                await page.locator('[data-test="record-title"]').waitFor();
                await shoot('legal-service-record');
                const wide = await page.evaluate(() => {
                    const main = document.querySelector('.layout-content');
                    return main.scrollWidth > main.clientWidth + 1 ? `${main.scrollWidth} > ${main.clientWidth}` : '';
                });
                if (wide) problems.push(`legal-service-record: the page scrolls sideways (${wide})`);
                assert.deepEqual(problems, [], problems.join('\n'));
            } finally {
                await ctx.close();
            }
        });
    }
}
