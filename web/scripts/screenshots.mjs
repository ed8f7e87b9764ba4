// Visual check of the web UI against a running fazhi server with demo data:
//   BASE=http://127.0.0.1:18080 PW=Fazhi@2026 node scripts/screenshots.mjs [session-prefix]
// Saves PNGs to OUT (default ./shots) and prints console errors, CSP violations and any
// <style> element found in the DOM (the server's CSP forbids injected styles).
import { chromium } from 'playwright-core'
import { writeFileSync, mkdirSync } from 'node:fs'
import ExcelJS from 'exceljs'

const BASE = process.env.BASE || 'http://127.0.0.1:18080'
const OUT = process.env.OUT || new URL('../shots', import.meta.url).pathname
const PW = process.env.PW || 'Fazhi@2026'
const only = process.argv[2]
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync']
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ARGS })
const problems = []
const state = {}

async function session(name, fn) {
  if (only && !name.startsWith(only)) return
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
  const page = await ctx.newPage()
  page.setDefaultTimeout(10000)
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`[${name}] console.${m.type()}: ${m.text()}`)
  })
  page.on('pageerror', (e) => problems.push(`[${name}] pageerror: ${e.message}`))
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`[${name}] HTTP ${r.status()} ${r.request().method()} ${r.url().replace(BASE, '')}`) })
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      console.error('CSP violation', e.violatedDirective, e.blockedURI, e.sourceFile, e.lineNumber))
  })
  try {
    await fn(page, ctx)
  } catch (e) {
    problems.push(`[${name}] FAILED: ${e.message.split('\n')[0]}`)
    await page.screenshot({ path: `${OUT}/fail-${name}.png` }).catch(() => {})
  }
  const styles = await page.evaluate(() => document.querySelectorAll('style').length).catch(() => 0)
  if (styles) problems.push(`[${name}] <style> elements in DOM: ${styles}`)
  await ctx.close()
}
const rows = async (page) => { await page.waitForSelector('.el-table__row'); await page.waitForTimeout(700) }
const shot = (page, n) => page.screenshot({ path: `${OUT}/${n}.png` })
const dialog = (page, title) => page.locator('.el-dialog').filter({ hasText: title })
const field = (dlg, label) => dlg.locator('.el-form-item').filter({ has: dlg.page().locator('.el-form-item__label', { hasText: label }) }).first()
async function login(page, user, pw = PW) {
  await page.goto(BASE + '/login')
  await page.fill('input[name=username]', user)
  await page.fill('input[name=password]', pw)
  await page.click('[data-test=login-submit]')
  await page.waitForURL((u) => !u.pathname.startsWith('/login'))
  await page.waitForTimeout(900)
}
async function confirmBox(page) { await page.locator('.el-message-box .el-button--primary, .el-message-box .el-button--danger').last().click() }

await session('login', async (page) => {
  await page.goto(BASE + '/login'); await page.waitForTimeout(500); await shot(page, '01-login')
  await page.fill('input[name=username]', 'leader'); await page.fill('input[name=password]', 'Wrong#Pass2026')
  await page.click('[data-test=login-submit]'); await page.waitForSelector('[data-test=login-error]'); await shot(page, '02-login-error')
})

await session('sysadmin', async (page) => {
  await login(page, 'sysadmin'); await shot(page, '03-home-sysadmin')
  await page.goto(BASE + '/org/units'); await rows(page); await shot(page, '04-units')
  await page.click('[data-test=unit-create]')
  let dlg = dialog(page, '新增机构'); await dlg.waitFor(); await page.waitForTimeout(300)
  await dlg.locator('[data-test=unit-save]').click(); await page.waitForTimeout(300); await shot(page, '05-unit-dialog-required')
  state.code = 'UI' + Date.now().toString(36).toUpperCase()
  state.unit = '界面测试局' + state.code.slice(-4)
  await field(dlg, '机构编码').locator('input').fill(state.code)
  await field(dlg, '机构名称').locator('input').fill(state.unit)
  await field(dlg, '机构类型').locator('.el-select').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '政府部门' }).click()
  await dlg.locator('[data-test=unit-save]').click(); await dlg.waitFor({ state: 'hidden' })
  await page.locator('.el-table', { hasText: state.unit }).first().waitFor(); await page.waitForTimeout(500)
  await shot(page, '06-units-created')
  // same code again → 409 conflict shown on the code field
  await page.click('[data-test=unit-create]'); dlg = dialog(page, '新增机构'); await dlg.waitFor()
  await field(dlg, '机构编码').locator('input').fill(state.code)
  await field(dlg, '机构名称').locator('input').fill(state.unit + '2')
  await field(dlg, '机构类型').locator('.el-select').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '政府部门' }).click()
  await dlg.locator('[data-test=unit-save]').click(); await page.waitForTimeout(800); await shot(page, '07-unit-conflict')
  await page.keyboard.press('Escape'); await page.waitForTimeout(300)

  await page.goto(BASE + '/org/people'); await rows(page); await shot(page, '08-people-sysadmin')
  await page.click('[data-test=person-create]'); await dialog(page, '新增人员').waitFor(); await page.waitForTimeout(400); await shot(page, '09-person-dialog')
  await page.keyboard.press('Escape')

  await page.goto(BASE + '/system/users'); await rows(page); await shot(page, '10-users')
  await page.click('[data-test=user-create]')
  const udlg = dialog(page, '新建账号'); await udlg.waitFor()
  state.username = ('ui' + Date.now().toString(36)).toLowerCase()
  await field(udlg, '用户名').locator('input').fill(state.username)
  await field(udlg, '姓名').locator('input').fill('界面测试员')
  await field(udlg, '所属单位').locator('.el-select').click()
  await page.locator('.el-tree-node__content:visible', { hasText: state.unit }).first().click()
  await page.waitForTimeout(300); await shot(page, '11-user-dialog')
  await udlg.locator('[data-test=user-save]').click()
  await page.waitForSelector('[data-test=initial-password]'); await page.waitForTimeout(500)
  state.password = (await page.locator('[data-test=initial-password]').innerText()).trim()
  await shot(page, '12-initial-password')
  await page.getByRole('button', { name: '我已记下' }).click()

  await page.goto(BASE + '/system/settings'); await page.waitForSelector('.settings-card'); await page.waitForTimeout(400); await shot(page, '13-settings-sysadmin')
  await page.goto(BASE + '/security/roles'); await rows(page); await shot(page, '14-roles-sysadmin')
  await page.goto(BASE + '/account'); await page.waitForTimeout(600); await shot(page, '15-account')
})

await session('newuser', async (page) => {
  if (!state.password) throw new Error('no account from the sysadmin session')
  await page.goto(BASE + '/login'); await page.fill('input[name=username]', state.username); await page.fill('input[name=password]', state.password)
  await page.click('[data-test=login-submit]'); await page.waitForURL('**/password-change'); await page.waitForTimeout(500); await shot(page, '16-force-password')
  await page.goto(BASE + '/org/units'); await page.waitForURL('**/password-change')
  const inputs = page.locator('.password-form input')
  await inputs.nth(0).fill('not-the-password'); await inputs.nth(1).fill('Ui#Passw0rd2026'); await inputs.nth(2).fill('Ui#Passw0rd2026')
  await page.click('[data-test=password-submit]'); await page.waitForTimeout(800); await shot(page, '17-force-password-error')
  await inputs.nth(0).fill(state.password); await inputs.nth(1).fill('short'); await inputs.nth(2).fill('short')
  await page.click('[data-test=password-submit]'); await page.waitForTimeout(800); await shot(page, '18-force-password-policy')
  await inputs.nth(1).fill('Ui#Passw0rd2026'); await inputs.nth(2).fill('Ui#Passw0rd2026')
  await page.click('[data-test=password-submit]'); await page.waitForURL((u) => u.pathname === '/'); await page.waitForTimeout(800)
  await shot(page, '19-home-new-user')
})

await session('secadmin', async (page) => {
  await login(page, 'secadmin'); await shot(page, '20-home-secadmin')
  await page.goto(BASE + '/security/roles'); await rows(page); await shot(page, '21-roles-secadmin')
  await page.locator('.el-table__body tr').filter({ hasText: 'clerk' }).first().getByRole('button', { name: '编辑' }).click()
  await page.waitForSelector('.el-dialog'); await page.waitForTimeout(400); await shot(page, '22-role-edit')
  await page.keyboard.press('Escape'); await page.waitForTimeout(300)
  await page.goto(BASE + '/system/users'); await rows(page)
  if (state.username) {
    await page.locator('.filter-bar input').first().fill(state.username)
    await page.keyboard.press('Enter'); await page.waitForTimeout(700)
  }
  await page.locator('[data-test=assign-role]').first().click(); await page.waitForTimeout(400)
  await page.locator('.el-dialog .el-select').click(); await page.locator('.el-select-dropdown__item:visible', { hasText: '联络员' }).click()
  await shot(page, '23-assign-role')
  await page.locator('[data-test=assign-save]').click(); await page.waitForTimeout(800); await shot(page, '24-role-assigned')
  await page.goto(BASE + '/system/settings'); await page.waitForSelector('.settings-card'); await page.waitForTimeout(400); await shot(page, '25-settings-secadmin')
})

await session('office', async (page) => {
  await login(page, 'office'); await shot(page, '26-home-office')
  await page.goto(BASE + '/org/people'); await rows(page)
  const reveal = page.locator('[data-test=reveal]')
  if (await reveal.count()) { await reveal.first().click(); await page.waitForTimeout(600) }
  await shot(page, '27-people-reveal')
  await page.locator('[data-test=first-only]').click(); await page.waitForTimeout(700); await shot(page, '28-people-first-only')
})

await session('clerk', async (page) => {
  await login(page, 'clerk1'); await shot(page, '29-home-clerk')
  await page.goto(BASE + '/org/people'); await page.waitForTimeout(900); await shot(page, '30-people-clerk')
})

await session('auditor', async (page) => {
  await login(page, 'auditor'); await shot(page, '31-home-auditor')
  await page.goto(BASE + '/audit'); await rows(page)
  await page.click('[data-test=audit-verify]'); await page.waitForSelector('[data-test=verify-result]'); await page.waitForTimeout(400); await shot(page, '32-audit')
  await page.getByRole('button', { name: '详情' }).first().click(); await page.waitForTimeout(600); await shot(page, '33-audit-drawer')
  const href = await page.locator('[data-test=audit-export]').getAttribute('href')
  const csv = await page.request.get(BASE + href)
  problems.push(`[auditor] export ${href} → ${csv.status()} ${csv.headers()['content-type']} ${csv.headers()['content-disposition'] || ''}`)
})

await session('stale', async (page) => {
  await login(page, 'sysadmin'); await page.goto(BASE + '/org/units'); await rows(page)
  const ctx2 = await browser.newContext({ viewport: { width: 1440, height: 900 } }); const p2 = await ctx2.newPage()
  await login(p2, 'sysadmin'); await p2.goto(BASE + '/org/units'); await rows(p2)
  await p2.locator('.el-table__body tr').filter({ hasText: state.unit || '' }).first().getByRole('button', { name: '编辑' }).click()
  await p2.waitForSelector('.el-dialog'); await p2.click('[data-test=unit-save]'); await p2.waitForTimeout(800); await ctx2.close()
  await page.locator('.el-table__body tr').filter({ hasText: state.unit || '' }).first().getByRole('button', { name: '编辑' }).click()
  await page.waitForSelector('.el-dialog'); await page.click('[data-test=unit-save]'); await page.waitForTimeout(400); await shot(page, '34-stale-version')
  await page.waitForTimeout(800)
  // the root unit has children: delete answers 409 in_use
  await page.locator('.el-table__body tr').first().getByRole('button', { name: '删除' }).click(); await page.waitForTimeout(300)
  await confirmBox(page); await page.waitForTimeout(600); await shot(page, '35-delete-in-use')
  await page.click('[data-test=user-menu]'); await page.getByRole('menuitem', { name: '退出登录' }).click(); await confirmBox(page)
  await page.waitForURL('**/login**'); await page.waitForTimeout(300); await shot(page, '36-signed-out')
})

await session('actions', async (page) => {
  // sysadmin: lock, unlock and reset the password of the account made above
  await login(page, 'sysadmin')
  await page.goto(BASE + '/system/users'); await rows(page)
  await page.locator('[data-test=filter-q] input').fill(state.username || 'clerk2'); await page.keyboard.press('Enter'); await page.waitForTimeout(700)
  for (const item of ['锁定', '解锁', '重置密码']) {
    await page.locator('.el-table__fixed-right .el-button, .el-table__body .el-button').filter({ hasText: '更多' }).first().click()
    await page.locator('.el-dropdown-menu__item:visible', { hasText: item }).click()
    await confirmBox(page); await page.waitForTimeout(800)
    if (item === '锁定') await shot(page, '40-user-locked')
  }
  await page.waitForSelector('[data-test=initial-password]'); await shot(page, '41-user-reset-password')
  await page.getByRole('button', { name: '我已记下' }).click()
  await page.click('[data-test=user-menu]'); await page.getByRole('menuitem', { name: '退出登录' }).click(); await confirmBox(page); await page.waitForURL('**/login**')

  // office: create, edit (phone left empty = unchanged) and delete a person
  await login(page, 'office')
  await page.goto(BASE + '/org/people'); await rows(page)
  await page.click('[data-test=person-create]')
  const dlg = dialog(page, '新增人员'); await dlg.waitFor()
  await field(dlg, '所在单位').locator('.el-select').click()
  await page.locator('.el-tree-node__content:visible', { hasText: '区委全面依法治区委员会' }).first().click()
  await field(dlg, '姓名').locator('input').fill('界面测试人')
  await field(dlg, '职务').locator('input').fill('测试职务')
  await field(dlg, '联系电话').locator('input').fill('abc')
  await dlg.locator('[data-test=person-save]').click(); await page.waitForTimeout(400); await shot(page, '42-person-phone-invalid')
  await field(dlg, '联系电话').locator('input').fill('13700001111')
  await dlg.locator('[data-test=person-save]').click(); await dlg.waitFor({ state: 'hidden' }); await page.waitForTimeout(600)
  await page.locator('.filter-bar input').nth(1).fill('界面测试人'); await page.keyboard.press('Enter'); await page.waitForTimeout(800)
  await page.locator('.el-table__body tr').filter({ hasText: '界面测试人' }).first().getByRole('button', { name: '编辑' }).click()
  const edlg = dialog(page, '编辑人员'); await edlg.waitFor(); await field(edlg, '职务').locator('input').fill('测试职务（改）')
  await page.waitForTimeout(300); await shot(page, '43-person-edit')
  await edlg.locator('[data-test=person-save]').click(); await edlg.waitFor({ state: 'hidden' }); await page.waitForTimeout(800)
  await page.locator('[data-test=reveal]').first().click(); await page.waitForTimeout(600); await shot(page, '44-person-edited')
  await page.locator('.el-table__body tr').filter({ hasText: '界面测试人' }).first().getByRole('button', { name: '删除' }).click()
  await confirmBox(page); await page.waitForTimeout(800); await shot(page, '45-person-deleted')
  await page.click('[data-test=user-menu]'); await page.getByRole('menuitem', { name: '退出登录' }).click(); await confirmBox(page); await page.waitForURL('**/login**')

  // secadmin: new business role, then delete it; change a security setting and put it back
  await login(page, 'secadmin')
  await page.goto(BASE + '/security/roles'); await rows(page)
  await page.click('[data-test=role-create]')
  const rdlg = dialog(page, '新增角色'); await rdlg.waitFor()
  const rcode = 'ui_' + Date.now().toString(36)
  await field(rdlg, '角色代码').locator('input').fill(rcode)
  await field(rdlg, '角色名称').locator('input').fill('界面测试角色')
  await rdlg.locator('.el-checkbox', { hasText: 'unit.read' }).click()
  await rdlg.locator('.el-checkbox', { hasText: 'person.read' }).click()
  await page.waitForTimeout(300); await shot(page, '46-role-create')
  await rdlg.locator('[data-test=role-save]').click(); await rdlg.waitFor({ state: 'hidden' }); await page.waitForTimeout(800)
  await shot(page, '47-role-created')
  await page.locator('.el-table__body tr').filter({ hasText: rcode }).first().getByRole('button', { name: '删除' }).click()
  await confirmBox(page); await page.waitForTimeout(800)
  await page.goto(BASE + '/system/settings'); await page.waitForSelector('.settings-card'); await page.waitForTimeout(400)
  const item = page.locator('.el-form-item').filter({ hasText: 'login.lock_minutes' })
  await item.locator('input').fill('20'); await item.locator('input').blur()
  await item.locator('[data-test="save-login.lock_minutes"]').click(); await page.waitForTimeout(800); await shot(page, '48-setting-saved')
  await item.locator('input').fill('15'); await item.locator('input').blur()
  await item.locator('[data-test="save-login.lock_minutes"]').click(); await page.waitForTimeout(600)
})

await session('english', async (page) => {
  await login(page, 'sysadmin')
  await page.click('[data-test=locale-switch]'); await page.getByRole('menuitem', { name: 'English' }).click(); await page.waitForTimeout(500)
  await shot(page, '37-home-en')
  await page.goto(BASE + '/org/units'); await rows(page); await shot(page, '38-units-en')
  await page.goto(BASE + '/system/users'); await rows(page); await shot(page, '39-users-en')
  problems.push('[english] localStorage=' + await page.evaluate(() => JSON.stringify(localStorage)))
})

// ---- 督办 (issue 3): tasks, documents, import, attachments, messages, calendar, outbox ----
// Expects demo data with a few tasks (see web/README.md); makes fixtures under /tmp.
const FIX = '/tmp/fazhi-ui-fixtures'
mkdirSync(FIX, { recursive: true })
writeFileSync(`${FIX}/方案.pdf`, '%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n')
writeFileSync(`${FIX}/假的.pdf`, 'this is not a pdf at all\n')
async function sheet(path, rows) {
  const wb = new ExcelJS.Workbook(); const ws = wb.addWorksheet('任务导入')
  ws.addRow(['任务名称*', '任务内容', '类别', '标签', '牵头单位*', '配合单位', '责任人', '开始日期', '截止日期*', '报送频次', '优先级'])
  for (const r of rows) ws.addRow(r)
  await wb.xlsx.writeFile(path)
}
await sheet(`${FIX}/good.xlsx`, [
  ['导入：规范行政执法案卷评查', '每半年开展一次案卷评查', '执法监督', '案卷评查、执法监督', '区司法局', '区市场监督管理局、区城市管理综合执法局', '张三', new Date(Date.UTC(2026, 11, 1)), new Date(Date.UTC(2027, 5, 30)), '每季度', '重要'],
  [],
  ['导入：街道法律顾问全覆盖', '', '基层治理', '法律顾问', '城关街道', '', '李四', '2026/12/1', 46568, '每月', '一般'],
])
await sheet(`${FIX}/bad.xlsx`, [
  ['导入：不存在的单位', '', '', '', '不存在的单位', '', '', '', '2027-01-31', '每月', '一般'],
  ['', '缺少名称', '', '', '区司法局', '', '', '', '2027-13-40', '每周', '特急'],
])
const act = (page, a) => page.locator(`[data-test=act-${a}]`)
const actionDialog = (page) => page.locator('.el-dialog:visible').last()
async function pickUnit(page, scope, text) {
  await scope.locator('.el-select').first().click()
  await page.keyboard.type(text); await page.waitForTimeout(300)
  await page.locator('.el-tree-node__content:visible', { hasText: text }).first().click()
}
async function fillDate(loc, value) { await loc.locator('input').first().fill(value); await loc.locator('input').first().press('Enter') }
async function taskId(page, title) {
  const r = await page.request.get(`${BASE}/api/v1/tasks?q=${encodeURIComponent(title)}`)
  const j = await r.json(); return j.items && j.items[0] ? j.items[0].id : null
}

await session('tasks-office', async (page) => {
  await login(page, 'office'); await page.waitForSelector('[data-test=task-stats] .stat-value'); await page.waitForTimeout(800)
  await shot(page, '60-home-office-tasks')
  await page.goto(BASE + '/tasks'); await rows(page); await shot(page, '61-tasks')
  await page.click('[data-test=light-red]').catch(() => {})
  await page.goto(BASE + '/tasks?light=red'); await rows(page); await shot(page, '62-tasks-red')
  const exp = await page.locator('[data-test=task-export]').getAttribute('href')
  const x = await page.request.get(BASE + exp)
  problems.push(`[tasks-office] export ${exp} → ${x.status()} ${x.headers()['content-type']} ${(await x.body()).length} bytes`)
  await page.goto(BASE + '/tasks'); await rows(page)
  await page.click('[data-test=task-create]')
  let dlg = dialog(page, '新建任务'); await dlg.waitFor(); await page.waitForTimeout(300)
  await dlg.locator('[data-test=task-save]').click(); await page.waitForTimeout(300); await shot(page, '63-task-dialog-required')
  state.task = '界面测试任务' + Date.now().toString(36).slice(-4)
  await field(dlg, '任务名称').locator('input').fill(state.task)
  await field(dlg, '任务内容').locator('textarea').fill('通过界面创建的测试任务，检查下发、签收、报送与办结流程。')
  await field(dlg, '类别').locator('.el-select').click(); await page.locator('.el-select-dropdown__item:visible', { hasText: '法治政府建设' }).click()
  await field(dlg, '标签').locator('.el-select').click(); await page.keyboard.type('界面测试'); await page.keyboard.press('Enter'); await page.keyboard.press('Escape')
  await pickUnit(page, field(dlg, '牵头单位'), '区司法局')
  await pickUnit(page, field(dlg, '配合单位'), '城关街道'); await page.keyboard.press('Escape')
  await field(dlg, '责任人').locator('input').fill('王五')
  await fillDate(field(dlg, '开始日期'), '2026-11-26')
  await fillDate(field(dlg, '截止日期'), '2027-03-31')
  await field(dlg, '报送频次').locator('.el-select').click(); await page.locator('.el-select-dropdown__item:visible', { hasText: '自定义' }).click()
  await page.waitForTimeout(200); await field(dlg, '报送日期').waitFor()
  await field(dlg, '报送频次').locator('.el-select').click(); await page.locator('.el-select-dropdown__item:visible', { hasText: '每月' }).click()
  await page.getByRole('button', { name: '添加节点' }).click()
  await dlg.locator('.milestone-row input').first().fill('完成调研')
  await fillDate(dlg.locator('.milestone-row .el-date-editor').first(), '2027-01-15')
  await page.waitForTimeout(300); await shot(page, '64-task-dialog')
  await dlg.locator('[data-test=task-save]').click(); await page.waitForURL(/\/tasks\/\d+$/); await page.waitForTimeout(900)
  await shot(page, '65-task-draft-detail')
  await act(page, 'issue').click(); await page.waitForTimeout(400); await shot(page, '66-issue-dialog')
  await actionDialog(page).locator('[data-test=action-submit]').click(); await page.waitForTimeout(1000)
  await shot(page, '67-task-issued')
  state.taskId = Number(page.url().split('/').pop())

  // task 2: urge dialog; task 3: decide the pending extension; task 5: accept the close request
  await page.goto(BASE + '/tasks/2'); await page.waitForSelector('[data-test=task-actions]'); await page.waitForTimeout(600)
  await shot(page, '68-task-detail-supervised')
  await act(page, 'urge').click(); await page.waitForTimeout(400)
  await actionDialog(page).locator('[data-test=action-note]').fill('请于三个工作日内报送整改进展。'); await shot(page, '69-urge-dialog')
  await actionDialog(page).locator('[data-test=action-submit]').click(); await page.waitForTimeout(900)
  await page.goto(BASE + '/tasks/3'); await page.waitForSelector('[data-test=task-actions]'); await page.waitForTimeout(500)
  if (await act(page, 'decide_extension').count()) {
    await act(page, 'decide_extension').click(); await page.waitForTimeout(600); await shot(page, '70-decide-extension')
    await actionDialog(page).locator('[data-test=action-submit]').click(); await page.waitForTimeout(900)
  }
  await shot(page, '71-extension-decided')
  await page.goto(BASE + '/tasks/5'); await page.waitForSelector('[data-test=task-actions]'); await page.waitForTimeout(500)
  if (await act(page, 'return').count()) {
    await act(page, 'return').click(); await page.waitForTimeout(300)
    await actionDialog(page).locator('[data-test=action-submit]').click(); await page.waitForTimeout(300); await shot(page, '72-return-note-required')
    await actionDialog(page).locator('[data-test=action-note]').fill('佐证材料不全，请补充复议案件台账。')
    await actionDialog(page).locator('[data-test=action-submit]').click(); await page.waitForTimeout(900)
  }
  await shot(page, '73-task-returned')

  // documents, breakdown, new document with attachments (one refused by type)
  await page.goto(BASE + '/tasks/documents'); await rows(page); await shot(page, '74-documents')
  await page.goto(BASE + '/tasks/documents/1'); await page.waitForSelector('[data-test=decompose-tree] .el-table__row'); await page.waitForTimeout(500)
  const expander = page.locator('[data-test=decompose-tree] .el-table__expand-icon').first()
  if (await expander.count()) { await expander.click(); await page.waitForTimeout(800) }
  await shot(page, '75-document-breakdown')
  await page.click('[data-test=decompose]'); dlg = dialog(page, '新建任务'); await dlg.waitFor(); await page.waitForTimeout(500)
  await shot(page, '76-breakdown-new-task'); await page.keyboard.press('Escape'); await page.waitForTimeout(300)
  await page.goto(BASE + '/tasks/documents'); await rows(page)
  await page.click('[data-test=doc-create]'); dlg = dialog(page, '新增文件'); await dlg.waitFor()
  await dlg.locator('[data-test=doc-no]').fill('区委法治办〔2026〕9号')
  await dlg.locator('[data-test=doc-title]').fill('关于开展法治督察“回头看”的通知' + Date.now().toString(36).slice(-3))
  await field(dlg, '发文机关').locator('input').fill('区委全面依法治区委员会办公室')
  await fillDate(field(dlg, '发文日期'), '2026-11-20')
  await dlg.locator('input[type=file]').setInputFiles([`${FIX}/方案.pdf`]); await page.waitForTimeout(800)
  await dlg.locator('input[type=file]').setInputFiles([`${FIX}/假的.pdf`]); await page.waitForTimeout(800)
  await shot(page, '77-document-dialog-upload')
  await dlg.locator('[data-test=doc-save]').click(); await page.waitForURL(/\/tasks\/documents\/\d+$/); await page.waitForTimeout(900)
  await shot(page, '78-document-created')

  // Excel import: bad sheet → per-row errors, nothing written; good sheet → drafts
  await page.goto(BASE + '/tasks'); await rows(page)
  await page.click('[data-test=task-import]'); dlg = dialog(page, '导入'); await dlg.waitFor()
  await dlg.locator('input[type=file]').setInputFiles(`${FIX}/bad.xlsx`); await dlg.locator('[data-test=import-preview]').waitFor()
  await page.waitForTimeout(300); await shot(page, '79-import-preview-bad')
  await dlg.locator('[data-test=import-submit]').click(); await dlg.locator('[data-test=import-errors]').waitFor(); await page.waitForTimeout(300)
  await shot(page, '80-import-errors')
  await dlg.locator('input[type=file]').setInputFiles(`${FIX}/good.xlsx`); await dlg.locator('[data-test=import-preview]').waitFor()
  await page.waitForTimeout(300); await shot(page, '81-import-preview-good')
  await dlg.locator('[data-test=import-submit]').click(); await page.waitForTimeout(1000); await shot(page, '82-import-done')
  await page.keyboard.press('Escape')
  problems.push(`[tasks-office] imported ids: ${await taskId(page, '导入：规范行政执法案卷评查')}, ${await taskId(page, '导入：街道法律顾问全覆盖')}`)

  await page.click('[data-test=bell]'); await page.waitForTimeout(800); await shot(page, '83-bell-drawer')
})

await session('tasks-clerk', async (page) => {
  await login(page, 'clerk1'); await page.waitForTimeout(600); await shot(page, '84-home-clerk-tasks')
  await page.goto(BASE + '/tasks/mine'); await rows(page); await shot(page, '85-my-tasks')
  await page.locator('.todo-red').click(); await page.waitForTimeout(800); await shot(page, '86-my-tasks-red')
  if (state.taskId) {
    await page.goto(BASE + '/tasks/' + state.taskId); await page.waitForSelector('[data-test=task-actions]'); await page.waitForTimeout(500)
    await shot(page, '87-clerk-task-issued')
    // a stale page: the task is acknowledged in another session, then the button here is pressed
    const me = await (await page.request.get(BASE + '/api/v1/auth/me')).json()
    const tk = await (await page.request.get(`${BASE}/api/v1/tasks/${state.taskId}`)).json()
    await page.request.post(`${BASE}/api/v1/tasks/${state.taskId}/actions/acknowledge`, { headers: { 'X-CSRF-Token': me.csrf_token }, data: { version: tk.version } })
    await act(page, 'acknowledge').click(); await page.waitForTimeout(300)
    await actionDialog(page).locator('[data-test=action-submit]').click(); await page.waitForTimeout(700); await shot(page, '88-stale-action')
    await page.waitForTimeout(800)
    await act(page, 'report').click(); await page.waitForTimeout(300)
    const d = actionDialog(page)
    await d.locator('.el-slider__input input').fill('35'); await d.locator('.el-slider__input input').press('Enter')
    await d.locator('[data-test=action-note]').fill('已完成前期调研，形成工作方案初稿。')
    await d.locator('input[type=file]').setInputFiles(`${FIX}/方案.pdf`); await page.waitForTimeout(800)
    await shot(page, '89-report-dialog')
    await d.locator('[data-test=action-submit]').click(); await page.waitForTimeout(1000); await shot(page, '90-task-reported')
    await act(page, 'request_extension').click(); await page.waitForTimeout(300)
    await fillDate(field(actionDialog(page), '延期至'), '2027-04-30')
    await actionDialog(page).locator('[data-test=action-note]').fill('涉及多部门协调，申请延期一个月。')
    await shot(page, '91-extension-dialog')
    await actionDialog(page).locator('[data-test=action-submit]').click(); await page.waitForTimeout(900)
  }
  await page.goto(BASE + '/tasks/2'); await page.waitForSelector('[data-test=task-actions]'); await page.waitForTimeout(500)
  if (await act(page, 'reply_urging').count()) {
    await act(page, 'reply_urging').click(); await page.waitForTimeout(600)
    await actionDialog(page).locator('[data-test=action-note]').fill('已督促各执法单位完成公示，详见附件。')
    await shot(page, '92-reply-urging')
    await actionDialog(page).locator('[data-test=action-submit]').click(); await page.waitForTimeout(900)
  }
  await shot(page, '93-task2-clerk')
  await page.goto(BASE + '/notifications'); await rows(page); await shot(page, '94-notifications')
  if (await page.locator('[data-test=page-read-all]').isEnabled()) { await page.click('[data-test=page-read-all]'); await page.waitForTimeout(800) }
  await shot(page, '95-notifications-read')
})

await session('tasks-sysadmin', async (page) => {
  await login(page, 'sysadmin')
  await page.goto(BASE + '/system/calendar'); await page.waitForSelector('[data-test=cal-grid] .cal-day'); await page.waitForTimeout(500)
  await page.click('[data-test=cal-import]'); let dlg = dialog(page, '导入 CSV'); await dlg.waitFor()
  await dlg.locator('[data-test=cal-csv]').fill('date,kind,name\n2026-10-01,休,国庆节\n2026-13-01,休,不存在\n2026-10-10,上班,调休')
  await dlg.locator('[data-test=cal-import-submit]').click(); await page.waitForTimeout(700); await shot(page, '96-calendar-import-errors')
  const csv = ['date,kind,name', '2026-01-01,休,元旦', '2026-01-02,休,元旦', '2026-01-04,班,元旦调休',
    '2026-02-16,休,春节', '2026-02-17,休,春节', '2026-02-18,休,春节', '2026-02-19,休,春节', '2026-02-20,休,春节', '2026-02-23,休,春节',
    '2026-02-14,班,春节调休', '2026-02-28,班,春节调休', '2026-04-06,休,清明节', '2026-05-01,休,劳动节', '2026-05-04,休,劳动节',
    '2026-05-05,休,劳动节', '2026-05-09,班,劳动节调休', '2026-06-19,休,端午节', '2026-09-25,休,中秋节',
    '2026-10-01,休,国庆节', '2026-10-02,休,国庆节', '2026-10-05,休,国庆节', '2026-10-06,休,国庆节', '2026-10-07,休,国庆节',
    '2026-09-20,班,国庆节调休', '2026-10-10,班,国庆节调休'].join('\n')
  await dlg.locator('[data-test=cal-csv]').fill(csv)
  await dlg.locator('[data-test=cal-import-submit]').click(); await dlg.waitFor({ state: 'hidden' }); await page.waitForTimeout(800)
  await shot(page, '97-calendar')
  await page.locator('.cal-day[data-date="2026-12-31"]').click(); dlg = page.locator('.el-dialog:visible').last(); await dlg.waitFor()
  await dlg.locator('[data-test=cal-day-name]').fill('测试休息日'); await page.waitForTimeout(200); await shot(page, '98-calendar-day')
  await dlg.locator('[data-test=cal-day-save]').click(); await page.waitForTimeout(800)
  await page.locator('.cal-day[data-date="2026-12-31"]').click(); await page.waitForTimeout(300)
  await page.locator('[data-test=cal-day-clear]').click(); await page.waitForTimeout(800)
  await fillDate(page.locator('.calc-result, .filter-bar').locator('.el-date-editor').first(), '2026-09-30')
  await page.click('[data-test=cal-compute]'); await page.waitForSelector('[data-test=cal-result]'); await page.waitForTimeout(300)
  await page.locator('[data-test=cal-result]').scrollIntoViewIfNeeded(); await shot(page, '99-calendar-compute')
  await page.goto(BASE + '/system/deliveries'); await page.waitForTimeout(900); await shot(page, '100-deliveries')
  await page.goto(BASE + '/system/settings'); await page.waitForSelector('.settings-card'); await page.waitForTimeout(400); await shot(page, '101-settings-notify')
})

await session('tasks-leader', async (page) => {
  await login(page, 'leader'); await page.waitForTimeout(800); await shot(page, '102-home-leader')
  await page.goto(BASE + '/tasks'); await rows(page); await shot(page, '103-tasks-leader')
  await page.goto(BASE + '/tasks/1'); await page.waitForSelector('[data-test=timeline]'); await page.waitForTimeout(900); await shot(page, '104-task-detail-leader')
  await page.goto(BASE + '/system/calendar'); await page.waitForSelector('.cal-day'); await page.waitForTimeout(500); await shot(page, '105-calendar-leader')
})

await session('tasks-en', async (page) => {
  await login(page, 'office')
  await page.click('[data-test=locale-switch]'); await page.getByRole('menuitem', { name: 'English' }).click(); await page.waitForTimeout(500)
  await page.goto(BASE + '/tasks'); await rows(page); await shot(page, '106-tasks-en')
  await page.goto(BASE + '/tasks/2'); await page.waitForSelector('[data-test=timeline]'); await page.waitForTimeout(800); await shot(page, '107-task-detail-en')
  await page.goto(BASE + '/'); await page.waitForTimeout(1200); await shot(page, '108-home-en-tasks')
})

console.log(problems.join('\n') || 'no problems')
await browser.close()
