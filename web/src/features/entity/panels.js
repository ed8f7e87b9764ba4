// A register's own panel on its record page (RecordPage.vue), above the child lists: what the
// declarations cannot draw (a consultation's tally, a 述法 report's items). One line per entity name; the component
// takes {record, decl} and emits `changed` when it changed the record.
export const RECORD_PANELS = {
  consultations: () => import('@/features/consult/TallyPanel.vue'),
  inspection_findings: () => import('@/features/finding/TaskPanel.vue'),
  draws: () => import('@/features/draw/DrawPanel.vue'),
  shufa_reports: () => import('@/features/shufa/ShufaPanel.vue'),
  assess_systems: () => import('@/features/assess/SystemPanel.vue'),
  assess_runs: () => import('@/features/scoring/RunPanel.vue'),
}

// A register's own buttons in its list page's toolbar (EntityPage.vue), before 新增: what the
// generic form cannot do (a system made from the built-in template or from a sheet). The
// component takes {decl} and emits `changed` when the list should be read again.
export const LIST_TOOLBARS = {
  assess_systems: () => import('@/features/assess/SystemToolbar.vue'),
}
