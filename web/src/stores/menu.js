// The side menu and the pages' routes, from GET /api/v1/menu: the groups and pages the signed-in
// user may open, with their titles in both languages (the language switch needs no new request).
import { defineStore } from 'pinia'
import { system } from '@/features/system/api'
import { i18n } from '@/i18n'

// A server path `/tasks/:id` becomes `/tasks/:id(\d+)`: an id parameter only matches digits, so
// `/tasks/mine` stays the list of one's own tasks.
export function routePath(path) {
  return path.replace(/:([A-Za-z_]*id)\b(?!\()/g, ':$1(\\d+)')
}

// The entity a generic (`page: "entity"`) menu item lists: `entity`, else `entity:<name>` as
// its page, else the last segment of its path (`/x/legal-services` → legal_services).
export function itemEntity(item) {
  if (item.entity) return item.entity
  if (item.page && item.page.startsWith('entity:')) return item.page.slice(7)
  if (item.page !== 'entity') return null
  return item.path.split('/').filter(Boolean).pop().replace(/-/g, '_')
}

export function pageKey(item) {
  const e = itemEntity(item)
  return e ? 'entity' : item.page
}

export function routeName(item) {
  const e = itemEntity(item)
  return e ? `entity:${e}` : item.page
}

/** zh or en of a server object carrying both, in the current UI language. */
export function localText(o) {
  if (!o) return ''
  if (i18n.global.locale.value === 'en') return o.en || o.zh || o.title || ''
  return o.zh || o.title || o.en || ''
}

/** The title of a route in the current language: its menu item's zh/en, or a local message. */
export function routeTitle(route) {
  if (route.meta.item) return localText(route.meta.item)
  return route.meta.titleKey ? i18n.global.t(route.meta.titleKey) : ''
}

export const useMenuStore = defineStore('menu', {
  state: () => ({
    groups: [],    // [{key, zh, en, icon, items: [{path, page, zh, en, icon, hidden, perm, active, module}]}]
    loaded: false, // the menu of the signed-in user has been read
    failed: false, // the last attempt failed (network): the router shows the home page only
  }),
  getters: {
    items: (s) => s.groups.flatMap((g) => g.items.map((i) => ({ ...i, group: g }))),
    visible: (s) => s.groups.map((g) => ({ ...g, items: g.items.filter((i) => !i.hidden) }))
      .filter((g) => g.items.length > 0),
  },
  actions: {
    async load() {
      try {
        const data = await system.menu()
        this.groups = data.groups || []
        this.failed = false
      } catch {
        this.groups = []
        this.failed = true
      }
      this.loaded = true
      return this.groups
    },
    clear() { this.groups = []; this.loaded = false; this.failed = false },
  },
})
