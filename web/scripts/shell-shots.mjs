// Screenshots of every list page of the shell and its dialogs, in Chinese and English, for a look
// by eye (clipped columns, raw codes, layout):
//   BASE=http://127.0.0.1:18080 PW=... node scripts/shell-shots.mjs [zh-CN|en] [only-prefix]
// Saves OUT/<lang>-<name>.png (OUT default /tmp/shots); prints console errors and failed requests.
import { chromium } from 'playwright-core'

const BASE = process.env.BASE || 'http://127.0.0.1:18080'
const OUT = process.env.OUT || '/tmp/shots'
const PW = process.env.PW || 'Fazhi@2026'
const lang = process.argv[2] || 'zh-CN'
const only = process.argv[3] || ''
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] })

async function as(user, fn) {
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: lang })
  await ctx.addInitScript((l) => { try { localStorage.setItem('fazhi.locale', l) } catch { /* */ } }, lang)
  const page = await ctx.newPage()
  page.setDefaultTimeout(10000)
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') console.log(`[${user}] console.${m.type()}: ${m.text()}`) })
  page.on('pageerror', (e) => console.log(`[${user}] pageerror: ${e.message}`))
  page.on('response', (r) => { if (r.status() >= 400) console.log(`[${user}] HTTP ${r.status()} ${r.request().method()} ${r.url().replace(BASE, '')}`) })
  await page.goto(BASE + '/login')
  await page.fill('input[name=username]', user)
  await page.fill('input[name=password]', PW)
  await page.click('[data-test=login-submit]')
  await page.waitForURL((u) => !u.pathname.startsWith('/login'))
  try { await fn(page) } catch (e) { console.log(`[${user}] FAILED: ${e.message.split('\n')[0]}`); await shot(page, `fail-${user}`) }
  await ctx.close()
}
async function shot(page, name) { await page.screenshot({ path: `${OUT}/${lang}-${name}.png` }); console.log(`${OUT}/${lang}-${name}.png`) }
async function open(page, path) { await page.goto(BASE + path); await page.waitForLoadState('networkidle'); await page.waitForTimeout(500) }
async function visit(page, name, path) { if (only && !name.startsWith(only)) return false; await open(page, path); await shot(page, name); return true }
async function dialog(page, name, click) {
  await page.locator(click).first().click(); await page.waitForTimeout(700); await shot(page, name)
  await page.keyboard.press('Escape'); await page.waitForTimeout(400)
}

await as('sysadmin', async (page) => {
  if (await visit(page, 'units', '/org/units')) {
    await dialog(page, 'units-create', '[data-test=unit-create]')
    await page.locator('[data-test=list-table] tbody tr').first().getByRole('button').first().click(); await page.waitForTimeout(600); await shot(page, 'units-edit'); await page.keyboard.press('Escape')
  }
  if (await visit(page, 'users', '/system/users')) await dialog(page, 'users-create', '[data-test=user-create]')
  await visit(page, 'deliveries', '/system/deliveries')
  if (await visit(page, 'calendar', '/system/calendar')) {
    await page.evaluate(() => { document.querySelector('.layout-content').scrollTop = 1000 }); await page.waitForTimeout(300); await shot(page, 'calendar-list')
  }
})
await as('secadmin', async (page) => {
  if (await visit(page, 'roles', '/security/roles')) await dialog(page, 'roles-create', '[data-test=role-create]')
})
await as('office', async (page) => {
  if (await visit(page, 'people', '/org/people')) await dialog(page, 'people-create', '[data-test=person-create]')
  if (await visit(page, 'tasks', '/tasks')) {
    await dialog(page, 'tasks-create', '[data-test=task-create]')
    await dialog(page, 'tasks-import', '[data-test=task-import]')
  }
  await visit(page, 'mytasks', '/tasks/mine')
  if (await visit(page, 'documents', '/tasks/documents')) await dialog(page, 'documents-create', '[data-test=doc-create]')
  await visit(page, 'notifications', '/notifications')
  if (!only || 'task-detail'.startsWith(only)) {
    await open(page, '/tasks')
    await page.locator('[data-test=list-table] tbody tr .task-link').nth(1).click(); await page.waitForTimeout(900); await shot(page, 'task-detail')
    const acts = page.locator('[data-test=record-actions] .el-button')
    const n = await acts.count()
    for (let i = 0; i < n; i++) {
      const code = (await acts.nth(i).getAttribute('data-test')).replace('act-', '')
      await acts.nth(i).click(); await page.waitForTimeout(600); await shot(page, `task-act-${code}`)
      await page.keyboard.press('Escape'); await page.waitForTimeout(400)
    }
  }
})
await as('clerk1', async (page) => {
  await visit(page, 'clerk-tasks', '/tasks')
  await visit(page, 'clerk-mytasks', '/tasks/mine')
})
await as('auditor', async (page) => { await visit(page, 'audit', '/audit') })
await browser.close()
