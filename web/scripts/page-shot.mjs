// Screenshots of a few pages for a quick look while working on the UI:
//   BASE=http://127.0.0.1:18090 PW=... node scripts/page-shot.mjs user path[,path…] [zh-CN|en] [out-prefix]
// Saves OUT/<prefix><n>.png (OUT default /tmp/shots) and prints console errors and failed requests.
import { chromium } from 'playwright-core'

const BASE = process.env.BASE || 'http://127.0.0.1:18080'
const OUT = process.env.OUT || '/tmp/shots'
const PW = process.env.PW || 'Fazhi@2026'
const [user, paths, lang = 'zh-CN', prefix = ''] = process.argv.slice(2)
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run']
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ARGS })
const ctx = await browser.newContext({ viewport: { width: Number(process.env.W || 1440), height: Number(process.env.H || 900) }, locale: lang })
await ctx.addInitScript((l) => { try { localStorage.setItem('fazhi.locale', l) } catch { /* */ } }, lang)
const page = await ctx.newPage()
page.setDefaultTimeout(15000)
page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') console.log(`console.${m.type()}: ${m.text()}`) })
page.on('pageerror', (e) => console.log(`pageerror: ${e.message}`))
page.on('response', (r) => { if (r.status() >= 400) console.log(`HTTP ${r.status()} ${r.request().method()} ${r.url().replace(BASE, '')}`) })
await page.goto(BASE + '/login')
await page.fill('input[name=username]', user)
await page.fill('input[name=password]', PW)
await page.click('[data-test=login-submit]')
await page.waitForURL((u) => !u.pathname.startsWith('/login'))
let n = 0
for (const p of paths.split(',')) {
  await page.goto(BASE + p)
  await page.waitForLoadState('networkidle')
  await page.waitForTimeout(Number(process.env.WAIT || 600))
  const file = `${OUT}/${prefix}${n++}.png`
  await page.screenshot({ path: file, fullPage: !!process.env.FULL })
  console.log(file, p)
}
await browser.close()
