// The side menu as a table: groups of pages, each page with the permission that shows it.
// The router is built from the same rows, so a page and its menu entry cannot disagree.
import {
  HomeFilled, OfficeBuilding, User, Avatar, Lock, Setting, Document, Stamp,
} from '@element-plus/icons-vue'

export const MENU = [
  {
    key: 'workbench', icon: HomeFilled,
    items: [{ path: '/', name: 'home', title: 'menu.home', icon: HomeFilled,
      component: () => import('@/features/home/HomePage.vue') }],
  },
  {
    key: 'org', icon: OfficeBuilding,
    items: [
      { path: '/org/units', name: 'units', title: 'menu.units', perm: 'unit.read', icon: OfficeBuilding,
        component: () => import('@/features/org/UnitsPage.vue') },
      { path: '/org/people', name: 'people', title: 'menu.people', perm: 'person.read', icon: Avatar,
        component: () => import('@/features/org/PeoplePage.vue') },
    ],
  },
  {
    key: 'system', icon: Setting,
    items: [
      { path: '/system/users', name: 'users', title: 'menu.users', perm: 'user.read', icon: User,
        component: () => import('@/features/users/UsersPage.vue') },
      { path: '/system/settings', name: 'settings', title: 'menu.settings', perm: 'setting.read', icon: Setting,
        component: () => import('@/features/settings/SettingsPage.vue') },
    ],
  },
  {
    key: 'security', icon: Lock,
    items: [
      { path: '/security/roles', name: 'roles', title: 'menu.roles', perm: 'role.read', icon: Stamp,
        component: () => import('@/features/roles/RolesPage.vue') },
    ],
  },
  {
    key: 'audit', icon: Document,
    items: [
      { path: '/audit', name: 'audit', title: 'menu.audit', perm: 'audit.read', icon: Document,
        component: () => import('@/features/audit/AuditPage.vue') },
    ],
  },
]

export function visibleMenu(session) {
  return MENU.map((g) => ({ ...g, items: g.items.filter((i) => session.has(i.perm)) }))
    .filter((g) => g.items.length > 0)
}
