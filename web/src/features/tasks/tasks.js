// Shared vocabulary of the 督办 pages: statuses, lights, rhythms, priorities.
export const STATUSES = ['draft', 'issued', 'in_progress', 'closing', 'done', 'cancelled']
export const STATUS_TAG = {
  draft: 'info', issued: 'warning', in_progress: 'primary', closing: 'warning', done: 'success', cancelled: 'info',
}
export const LIGHTS = ['red', 'yellow', 'green', 'none']
// The office's queues (GET /tasks/queues, party office): not confined to the caller's own unit.
export const OFFICE_QUEUES = ['accept', 'extension', 'urged']
export const PRIORITY_TAG = { normal: 'info', high: 'warning', urgent: 'danger' }

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
