// The web's half of the menu: the component of each page key the server's menu names
// (GET /api/v1/menu, src/app/modules.c). A module whose pages are declarations only uses
// `entity` (the generic list page); a page with its own screen adds one line here.
export const PAGES = {
  home: () => import('@/features/home/HomePage.vue'),
  notifications: () => import('@/features/notify/NotificationsPage.vue'),
  deliveries: () => import('@/features/notify/DeliveriesPage.vue'),
  tasks: () => import('@/features/tasks/TaskListPage.vue'),
  'my-tasks': () => import('@/features/tasks/MyTasksPage.vue'),
  documents: () => import('@/features/tasks/DocumentsPage.vue'),
  task: () => import('@/features/tasks/TaskDetailPage.vue'),
  document: () => import('@/features/tasks/DocumentTasksPage.vue'),
  units: () => import('@/features/org/UnitsPage.vue'),
  people: () => import('@/features/org/PeoplePage.vue'),
  users: () => import('@/features/users/UsersPage.vue'),
  roles: () => import('@/features/roles/RolesPage.vue'),
  settings: () => import('@/features/settings/SettingsPage.vue'),
  calendar: () => import('@/features/calendar/CalendarPage.vue'),
  audit: () => import('@/features/audit/AuditPage.vue'),
  entity: () => import('@/features/entity/EntityPage.vue'),
  'entity/record': () => import('@/features/entity/RecordPage.vue'), // <path>/<id> of an entity page
  'security/sessions': () => import('@/features/security/SessionsPage.vue'),
  'notice/list': () => import('@/features/notice/NoticeListPage.vue'),
  'notice/detail': () => import('@/features/notice/NoticeDetailPage.vue'),
  'enforcement/reviews': () => import('@/features/enforcement/ReviewsPage.vue'),
  'enforcement/review-form': () => import('@/features/enforcement/ReviewFormPage.vue'),
  metrics: () => import('@/features/metrics/MetricsPage.vue'),
  'legality/rate': () => import('@/features/legality/LegalityRatePage.vue'),
  'scoring/unit': () => import('@/features/scoring/UnitScorePage.vue'),
  'scoring/mine': () => import('@/features/scoring/MinePage.vue'),
  'appeal/charts': () => import('@/features/appeal/ChartsPage.vue'),
}
