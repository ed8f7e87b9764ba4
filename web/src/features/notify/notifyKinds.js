export const KIND_TAG = {
  task_issued: 'primary', task_returned: 'warning', task_accepted: 'success', task_urged: 'danger',
  task_reported: 'info', task_close_requested: 'success', task_extension_requested: 'warning',
  extension_decided: 'warning', report_due: 'warning', due_soon: 'warning', overdue: 'danger', urging_overdue: 'danger',
  digest_unit: 'info', digest_office: 'info',
  login_locked: 'danger',
}

// Where a notification leads: its task, else its own link (the digests link to a filtered list).
export function notificationTarget(n) {
  if (n.task_id) return `/tasks/${n.task_id}`
  return n.link && n.link.startsWith('/') && !n.link.startsWith('//') ? n.link : null
}
