// The side menu as a table: groups of pages, each page with the permission that shows it.
// The router is built from the same rows, so a page and its menu entry cannot disagree.
import {
  HomeFilled, OfficeBuilding, User, Avatar, Lock, Setting, Document, Stamp,
  Flag, List, Memo, Files, Calendar, Message, Promotion,
} from '@element-plus/icons-vue'

export const MENU = [
  {
    key: 'workbench', icon: HomeFilled,
    items: [{ path: '/', name: 'home', title: 'menu.home', icon: HomeFilled,
      component: () => import('@/features/home/HomePage.vue') },
    { path: '/notifications', name: 'notifications', title: 'menu.notifications', hidden: true, icon: Message,
      component: () => import('@/features/notify/NotificationsPage.vue') }],
  },
  {
    key: 'tasks', icon: Flag,
    items: [
      { path: '/tasks', name: 'tasks', title: 'menu.tasks', perm: 'task.read', icon: List,
        component: () => import('@/features/tasks/TaskListPage.vue') },
      { path: '/tasks/mine', name: 'my-tasks', title: 'menu.my_tasks', perm: 'task.work', icon: Memo,
        component: () => import('@/features/tasks/MyTasksPage.vue') },
      { path: '/tasks/documents', name: 'documents', title: 'menu.documents', perm: 'task.read', icon: Files,
        component: () => import('@/features/tasks/DocumentsPage.vue') },
      // pages reached from other pages, not from the menu (hidden: true)
      { path: '/tasks/:id(\\d+)', name: 'task', title: 'menu.task', perm: 'task.read', hidden: true, active: '/tasks',
        component: () => import('@/features/tasks/TaskDetailPage.vue') },
      { path: '/tasks/documents/:id(\\d+)', name: 'document', title: 'menu.document', perm: 'task.read', hidden: true,
        active: '/tasks/documents', component: () => import('@/features/tasks/DocumentTasksPage.vue') },
    ],
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
      // everyone signed in reads the calendar; calendar.manage edits it
      { path: '/system/calendar', name: 'calendar', title: 'menu.calendar', icon: Calendar,
        component: () => import('@/features/calendar/CalendarPage.vue') },
      { path: '/system/deliveries', name: 'deliveries', title: 'menu.deliveries', perm: 'notify.manage', icon: Promotion,
        component: () => import('@/features/notify/DeliveriesPage.vue') },
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
  return MENU.map((g) => ({ ...g, items: g.items.filter((i) => !i.hidden && session.has(i.perm)) }))
    .filter((g) => g.items.length > 0)
}
