export const KIND_TAG = {
  task_issued: 'primary', task_returned: 'warning', task_accepted: 'success', task_urged: 'danger',
  extension_decided: 'warning', report_due: 'warning', due_soon: 'warning', overdue: 'danger', urging_overdue: 'danger',
  login_locked: 'danger',
}
