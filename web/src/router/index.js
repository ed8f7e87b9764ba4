import { createRouter, createWebHistory } from 'vue-router'
import { MENU } from './menu'
import { useSessionStore } from '@/stores/session'
import { setAuthHandlers } from '@/api/client'
import { i18n } from '@/i18n'
import AppLayout from '@/layout/AppLayout.vue'

const pageRoutes = MENU.flatMap((g) => g.items.map((i) => ({
  path: i.path, name: i.name, component: i.component,
  meta: { title: i.title, perm: i.perm, group: g.key, active: i.active || i.path },
})))

const routes = [
  { path: '/login', name: 'login', component: () => import('@/features/auth/LoginPage.vue'),
    meta: { public: true, title: 'login.title' } },
  { path: '/password-change', name: 'password-change',
    component: () => import('@/features/auth/ForcePasswordPage.vue'),
    meta: { title: 'force.title', allowMustChange: true } },
  {
    path: '/', component: AppLayout,
    children: [
      ...pageRoutes,
      { path: '/account', name: 'account', component: () => import('@/features/account/AccountPage.vue'),
        meta: { title: 'menu.account' } },
      { path: '/:pathMatch(.*)*', name: 'notfound', component: () => import('@/layout/NotFound.vue'),
        meta: { title: 'notfound.title' } },
    ],
  },
]

export const router = createRouter({ history: createWebHistory('/'), routes })

router.beforeEach(async (to) => {
  const session = useSessionStore()
  // The sign-in page does not probe /auth/me: an anonymous probe answers 401, which the browser
  // logs as a failed resource load on every visit of the login page.
  if (to.meta.public) {
    if (session.signedIn && to.name === 'login') return { name: 'home' }
    return true
  }
  if (!session.loaded) await session.fetchMe()
  if (!session.signedIn) {
    // Only the internal path travels in the URL, never personal data.
    return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
  }
  if (session.user.must_change_password && !to.meta.allowMustChange) return { name: 'password-change' }
  if (to.meta.perm && !session.has(to.meta.perm)) return { name: 'home' }
  return true
})

router.afterEach((to) => {
  const base = i18n.global.t('app.name')
  document.title = to.meta.title ? `${i18n.global.t(to.meta.title)} - ${base}` : base
})

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
