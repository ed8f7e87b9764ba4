// A register's own panel on its record page (RecordPage.vue), above the child lists: what the
// declarations cannot draw (a consultation's tally, a 述法 report's items). One line per entity name; the component
// takes {record, decl} and emits `changed` when it changed the record.
export const RECORD_PANELS = {
  consultations: () => import('@/features/consult/TallyPanel.vue'),
  inspection_findings: () => import('@/features/finding/TaskPanel.vue'),
  draws: () => import('@/features/draw/DrawPanel.vue'),
  shufa_reports: () => import('@/features/shufa/ShufaPanel.vue'),
  assess_systems: () => import('@/features/assess/SystemPanel.vue'),
}
