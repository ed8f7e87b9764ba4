// Shared vocabulary of the 督办 pages: statuses, lights, rhythms, priorities and the action
// table of docs/API-tasks.md (which fields each action's dialog asks for).
export const STATUSES = ['draft', 'issued', 'in_progress', 'closing', 'done', 'cancelled']
export const STATUS_TAG = {
  draft: 'info', issued: 'warning', in_progress: 'primary', closing: 'warning', done: 'success', cancelled: 'info',
}
export const LIGHTS = ['red', 'yellow', 'green', 'none']
export const RHYTHMS = ['none', 'monthly', 'quarterly', 'custom']
export const PRIORITIES = ['normal', 'high', 'urgent']
export const PRIORITY_TAG = { normal: 'info', high: 'warning', urgent: 'danger' }
export const CATEGORY_SUGGESTIONS = ['法治政府建设', '五项行动', '执法监督', '普法宣传', '基层治理']
export const DOC_KINDS = ['work_points', 'plan', 'minutes', 'notice', 'other']

// Order in which the detail page shows the buttons, and how each one looks.
export const ACTIONS = {
  issue: { type: 'primary' },
  acknowledge: { type: 'primary' },
  report: { type: 'primary', note: 'required', progress: true, files: true },
  request_close: { type: 'success', note: 'required', files: true },
  accept: { type: 'success' },
  return: { type: 'warning', note: 'required' },
  request_extension: { type: 'warning', note: 'required', newDue: true },
  decide_extension: { type: 'warning', extension: true },
  urge: { type: 'danger', note: 'required', unit: true, replyDue: true },
  reply_urging: { type: 'primary', note: 'required', urging: true, files: true },
  supervise: { type: 'danger', plain: true },
  unsupervise: { type: 'info', plain: true },
  cancel: { type: 'danger', plain: true, note: 'required' },
  reopen: { type: 'warning', plain: true, note: 'required' },
}
export const ACTION_ORDER = Object.keys(ACTIONS)

// The list/export filters as API query parameters (empty ones are dropped by buildQuery).
export function taskQuery(f) {
  return {
    q: f.q, unit_id: f.unit_id, status: f.status, light: f.light, category: f.category, tag: f.tag,
    document_id: f.document_id, due_from: f.due ? f.due[0] : undefined, due_to: f.due ? f.due[1] : undefined,
    supervised: f.supervised ? 1 : undefined, mine: f.mine ? 1 : undefined, sort: f.sort,
  }
}

export function fileSize(n) {
  if (n == null) return ''
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`
  return `${(n / 1024 / 1024).toFixed(1)} MB`
}

export function todayText() {
  const d = new Date()
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}
