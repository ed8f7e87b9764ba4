// vue-i18n in composition mode. Messages under src/locales/ are precompiled at build time by
// @intlify/unplugin-vue-i18n (runtime-only build: no message compiler, no eval → CSP-safe).
import { createI18n } from 'vue-i18n'
import messages from '@intlify/unplugin-vue-i18n/messages'

export const LOCALES = [
  { code: 'zh-CN', label: '简体中文' },
  { code: 'en', label: 'English' },
]
const STORAGE_KEY = 'fazhi.locale' // localStorage holds UI preferences only: this, and each list's columns (shell/useColumns.js)

function initialLocale() {
  try {
    const saved = localStorage.getItem(STORAGE_KEY)
    if (LOCALES.some((l) => l.code === saved)) return saved
  } catch { /* storage disabled */ }
  return 'zh-CN'
}

export const i18n = createI18n({
  legacy: false,
  globalInjection: true,
  locale: initialLocale(),
  fallbackLocale: 'zh-CN',
  messages,
  missingWarn: false,
  fallbackWarn: false,
})

export function setLocale(code) {
  i18n.global.locale.value = code
  document.documentElement.lang = code
  try { localStorage.setItem(STORAGE_KEY, code) } catch { /* ignore */ }
}

// Picks the localized name of a server object carrying name / name_en.
export function localName(obj) {
  if (!obj) return ''
  if (i18n.global.locale.value === 'en' && obj.name_en) return obj.name_en
  return obj.name || ''
}
