// Pages anyone may open without an account (公开页面): no session is asked for or probed, and
// they show in PublicLayout (the site's name, the language switch, no menu). One line per page;
// a feature adds its public pages here (the consultations' today, the portal's later). Their
// API calls go to /api/v1/public/… routes, which need no session either.
export const PUBLIC_PAGES = [
  { path: '/public/consultations', name: 'public-consultations', titleKey: 'consult.pub.list_title',
    component: () => import('@/features/consult/PublicListPage.vue') },
  { path: '/public/consultations/:id(\\d+)', name: 'public-consultation', titleKey: 'consult.pub.page_title',
    component: () => import('@/features/consult/PublicConsultationPage.vue'),
    props: (route) => ({ id: Number(route.params.id) }) },
]

// The routes: one layout route over every public page, marked public (router/index.js lets
// them through before any session check).
export function publicRoutes(layout) {
  return [{
    path: '/public', component: layout, meta: { public: true, publicPage: true },
    children: PUBLIC_PAGES.map((p) => ({
      path: p.path, name: p.name, component: p.component, props: p.props || false,
      meta: { public: true, publicPage: true, titleKey: p.titleKey },
    })),
  }]
}
