// Routes: the sign-in pages and the layout are fixed; the pages inside the layout come from the
// server's menu (stores/menu.js) and are added once the user is known, each with the component
// its page key names (router/pages.js). A page the user may not open has no route at all.
import { watch } from 'vue'
import { createRouter, createWebHistory } from 'vue-router'
import { useSessionStore } from '@/stores/session'
import { pageKey, routeName, routePath, routeTitle, itemEntity, useMenuStore } from '@/stores/menu'
import { setAuthHandlers } from '@/api/client'
import { i18n } from '@/i18n'
import AppLayout from '@/layout/AppLayout.vue'
import { PAGES } from './pages'
import { activeMenu, deniedPath } from './state'
import { publicRoutes } from './public'

const routes = [
  { path: '/login', name: 'login', component: () => import('@/features/auth/LoginPage.vue'),
    meta: { public: true, titleKey: 'login.title' } },
  // pages without an account (router/public.js): before the layout's catch-all
  ...publicRoutes(() => import('@/layout/PublicLayout.vue')),
  { path: '/password-change', name: 'password-change',
    component: () => import('@/features/auth/ForcePasswordPage.vue'),
    meta: { titleKey: 'force.title', allowMustChange: true } },
  {
    path: '/', name: 'layout', component: AppLayout,
    children: [
      { path: '/account', name: 'account', component: () => import('@/features/account/AccountPage.vue'),
        meta: { titleKey: 'menu.account' } },
      { path: '/:pathMatch(.*)*', name: 'notfound', component: () => import('@/layout/NotFound.vue'),
        meta: { titleKey: 'notfound.title' } },
    ],
  },
]

export const router = createRouter({ history: createWebHistory('/'), routes })

let installedFor = null // id of the user whose menu the routes were made from
let added = []          // functions removing the routes added from that menu

function uninstall() {
  added.forEach((remove) => remove())
  added = []
  installedFor = null
  useMenuStore().clear()
}

// Adds a route for every page of the user's menu; answers whether the set changed.
async function install(session) {
  if (installedFor === session.user.id) return false
  uninstall()
  const menu = useMenuStore()
  await menu.load()
  for (const item of menu.items) {
    const component = PAGES[pageKey(item)]
    if (!component) continue // a page this build of the web UI does not know
    const meta = { item, group: item.group, perm: item.perm, active: item.active || item.path }
    const entity = itemEntity(item)
    added.push(router.addRoute('layout', {
      path: routePath(item.path), name: routeName(item), component,
      props: entity ? { entity } : false, meta,
    }))
    // An entity page also answers `<path>/<id>` (a row of its list, the links of notifications
    // and exports): the record's own page (features/entity/RecordPage.vue), under the list's
    // menu entry and tab; a path whose last segment is not an id is not a record.
    if (entity) {
      added.push(router.addRoute('layout', {
        path: routePath(item.path.replace(/\/$/, '') + '/:id(\\d+)'), name: routeName(item) + ':record',
        component: PAGES['entity/record'], props: (route) => ({ entity, id: Number(route.params.id) }), meta,
      }))
    }
  }
  if (!router.hasRoute('home')) { // the menu could not be read: the workbench at least
    added.push(router.addRoute('layout', { path: '/', name: 'home', component: PAGES.home, meta: {} }))
  }
  installedFor = menu.failed ? null : session.user.id // a failed read is tried again on the next page
  return true
}

router.beforeEach(async (to) => {
  const session = useSessionStore()
  // The sign-in page does not probe /auth/me: an anonymous probe answers 401, which the browser
  // logs as a failed resource load on every visit of the login page.
  if (to.meta.public) {
    if (session.signedIn && to.name === 'login') return { path: '/' }
    return true // a public page (router/public.js) is the same with or without a session
  }
  if (!session.loaded) await session.fetchMe()
  if (!session.signedIn) {
    if (installedFor !== null) uninstall()
    // Only the internal path travels in the URL, never personal data.
    return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
  }
  if (session.user.must_change_password) {
    // every API but the password change answers 403 until then: no menu yet
    return to.meta.allowMustChange ? true : { name: 'password-change' }
  }
  // The first page after sign-in was matched before its route existed: match it again.
  // (After a failed menu read the routes are the fallback's; match again only when that changes
  // where the path leads, so that a server that keeps failing does not loop.)
  if (await install(session) && (!useMenuStore().failed || to.name !== router.resolve(to.fullPath).name)) {
    return { path: to.path, query: to.query, hash: to.hash, replace: true }
  }
  // A route whose permission the user lacks: say so where they are, instead of sending them home.
  if (to.meta.perm && to.meta.perm !== 'signed_in' && !session.has(to.meta.perm)) {
    deniedPath.value = to.fullPath
    return { name: 'notfound', params: { pathMatch: to.path.slice(1).split('/') }, query: to.query, hash: to.hash }
  }
  return true
})

function setDocumentTitle() {
  const base = i18n.global.t('app.name')
  const title = routeTitle(router.currentRoute.value)
  document.title = title ? `${title} - ${base}` : base
}
router.afterEach(setDocumentTitle)

// The side menu's highlighted entry. A page outside the menu (a task's detail) highlights the
// entry of its group it was opened from (我的任务, not always 督办任务); the choice is kept in
// the history entry so that a reload or the back button highlights the same.
router.afterEach((to, from, failure) => {
  if (failure) return
  let active = to.meta.active || to.path
  if (to.meta.item?.hidden) {
    const saved = window.history.state?.menuActive
    const came = from.meta.item && from.meta.group?.key === to.meta.group?.key ? activeMenu.value : ''
    active = saved || came || active
    if (!saved && came) window.history.replaceState({ ...window.history.state, menuActive: active }, '')
  }
  activeMenu.value = active
})
watch(i18n.global.locale, setDocumentTitle)

setAuthHandlers({
  unauthenticated() {
    const session = useSessionStore()
    session.clear()
    const cur = router.currentRoute.value
    if (!cur.meta.public) router.replace({ name: 'login', query: { redirect: cur.fullPath } })
  },
  passwordChange() {
    const session = useSessionStore()
    if (session.user) session.user.must_change_password = true
    router.replace({ name: 'password-change' })
  },
})
