// Visual check of the web UI against a running fazhi server with demo data:
//   BASE=http://127.0.0.1:18080 PW=Fazhi@2026 node scripts/screenshots.mjs [session-prefix]
// Saves PNGs to OUT (default ./shots) and prints console errors, CSP violations and any
// <style> element found in the DOM (the server's CSP forbids injected styles).
import { chromium } from 'playwright-core'

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
  await field(dlg, '机构代码').locator('input').fill(state.code)
  await field(dlg, '机构名称').locator('input').fill(state.unit)
  await field(dlg, '机构类型').locator('.el-select').click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: '政府部门' }).click()
  await dlg.locator('[data-test=unit-save]').click(); await dlg.waitFor({ state: 'hidden' })
  await page.locator('.el-table', { hasText: state.unit }).first().waitFor(); await page.waitForTimeout(500)
  await shot(page, '06-units-created')
  // same code again → 409 conflict shown on the code field
  await page.click('[data-test=unit-create]'); dlg = dialog(page, '新增机构'); await dlg.waitFor()
  await field(dlg, '机构代码').locator('input').fill(state.code)
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
  await page.locator('.filter-bar input').first().fill(state.username || 'clerk2'); await page.keyboard.press('Enter'); await page.waitForTimeout(700)
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

console.log(problems.join('\n') || 'no problems')
await browser.close()
