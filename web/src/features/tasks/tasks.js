// Shared vocabulary of the 督办 pages: statuses, lights, rhythms, priorities, import columns.
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

// Columns of the import sheet (POST /api/v1/tasks/import rows): header → row key. Units are
// written by name or code, several separated by 、.
export const IMPORT_COLUMNS = [
  { key: 'title', headers: ['任务名称'], required: true },
  { key: 'content', headers: ['任务内容'] },
  { key: 'category', headers: ['类别'] },
  { key: 'tags', headers: ['标签'] },
  { key: 'lead_unit', headers: ['牵头单位'], required: true },
  { key: 'co_units', headers: ['配合单位'] },
  { key: 'responsible', headers: ['责任人'] },
  { key: 'start_on', headers: ['开始日期'], date: true },
  { key: 'due_on', headers: ['截止日期'], date: true, required: true },
  { key: 'rhythm', headers: ['报送频次'] },
  { key: 'priority', headers: ['优先级'] },
]

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
