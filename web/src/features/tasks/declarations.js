// 来源文件 and 督办任务 as the list shell reads them, for a server that does not declare them as
// entities. Limits as docs/openapi.yaml states them (DocumentInput, TaskInput).
import { declareFallback, declareKindFallback } from '@/shell/declarations'
import { DOC_KINDS, PRIORITIES, PRIORITY_TAG, RHYTHMS, STATUSES, STATUS_TAG } from './tasks'

const opts = (codes, prefix, tags = {}) => codes.map((c) => ({ value: c, t: prefix + c, tag: tags[c] }))

declareFallback('documents', (session) => {
  const manage = session.has('task.manage')
  return {
    name: 'documents', path: '/api/v1/documents', t: 'menu.documents', default_sort: '-issued_on', per_page: 20,
    can: { read: true, create: manage, update: manage, delete: manage, export: false, import: false },
    fields: [
      { name: 'doc_no', type: 'text', t: 'doc.doc_no', max: 60, list: true, search: true, create: true, update: true },
      { name: 'title', type: 'text', t: 'doc.title', required: true, min: 1, max: 200, list: true, search: true, create: true, update: true },
      { name: 'issuer', type: 'text', t: 'doc.issuer', max: 100, list: true, search: true, create: true, update: true },
      { name: 'issued_on', type: 'date', t: 'doc.issued_on', list: true, create: true, update: true },
      { name: 'kind', type: 'enum', t: 'doc.kind', required: true, list: true, filter: true, create: true, update: true, options: opts(DOC_KINDS, 'doc.kinds.') },
      { name: 'summary', type: 'longtext', t: 'doc.summary', max: 4000, create: true, update: true },
      { name: 'task_count', type: 'int', t: 'doc.task_count', list: true, readonly: true },
    ],
    filters: [{ name: 'year', type: 'int', t: 'doc.year' }],
  }
})

declareFallback('tasks', (session) => {
  const manage = session.has('task.manage')
  // Clerks never see drafts; the office does.
  const statuses = STATUSES.filter((s) => s !== 'draft' || manage)
  return {
    name: 'tasks', path: '/api/v1/tasks', t: 'menu.tasks', default_sort: 'due_on', per_page: 20,
    can: { read: true, create: manage, update: manage, delete: manage, export: true, import: manage },
    sorts: ['title', 'due_on', 'status', 'updated_at'],
    fields: [
      { name: 'title', type: 'text', t: 'task.title', required: true, min: 1, max: 200, list: true, sort: true, search: true, create: true, update: true },
      { name: 'content', type: 'longtext', t: 'task.content', max: 4000, search: true, create: true, update: true },
      { name: 'category', type: 'text', t: 'task.category', max: 30, filter: true, create: true, update: true },
      { name: 'tags', type: 'text', t: 'task.tags', max: 20, multi: true, max_items: 10, create: true, update: true },
      { name: 'document_id', type: 'ref', ref: 'documents', t: 'task.document', create: true, update: true },
      { name: 'parent_id', type: 'ref', ref: 'tasks', t: 'task.parent', create: true, update: true },
      { name: 'lead_unit_id', type: 'unit', t: 'task.lead_unit', required: true, list: true, create: true, update: true },
      { name: 'co_unit_ids', type: 'unit', t: 'task.co_units', multi: true, max_items: 32, list: true, create: true, update: true },
      { name: 'responsible', type: 'text', t: 'task.responsible', max: 50, create: true, update: true },
      { name: 'start_on', type: 'date', t: 'task.start_on', create: true, update: true },
      { name: 'due_on', type: 'date', t: 'task.due_on', required: true, list: true, sort: true, filter: true, create: true, update: true },
      { name: 'rhythm', type: 'enum', t: 'task.rhythm_label', required: true, create: true, update: true, options: opts(RHYTHMS, 'task.rhythm.') },
      { name: 'priority', type: 'enum', t: 'task.priority_label', required: true, create: true, update: true, options: opts(PRIORITIES, 'task.priority.', PRIORITY_TAG) },
      { name: 'status', type: 'enum', t: 'common.status', list: true, sort: true, filter: true, readonly: true, options: opts(statuses, 'task.status.', STATUS_TAG) },
      { name: 'progress', type: 'int', t: 'task.progress', min: 0, max: 100, list: true, readonly: true },
    ],
    filters: [
      { name: 'unit_id', type: 'unit', t: 'task.unit' },
      { name: 'light', type: 'enum', t: 'task.light_label', options: opts(['red', 'yellow', 'green', 'none'], 'task.light.') },
      { name: 'tag', type: 'text', t: 'task.tag' },
      { name: 'supervised', type: 'bool', t: 'task.supervised' },
      { name: 'document_id', type: 'ref', ref: 'documents', t: 'task.document' },
      { name: 'mine', type: 'bool', t: 'menu.my_tasks' },
    ],
  }
})

// 督办's workflow as the action buttons read it, for a server without the workflow engine
// (GET /api/v1/kinds does not list `task`): the actions of docs/API-tasks.md with their
// arguments; the note is at most 4000 characters (TaskAction in docs/openapi.yaml).
declareKindFallback('task', () => {
  const x = (action, style, { note = false, files = false, args = [], confirm = false } = {}) => ({
    action, t: 'task.action.' + action, style, note_required: note, note_max: 4000, attachments: files, args,
    confirm: confirm ? { t: 'task.confirm.' + action } : null,
  })
  const date = (name, tkey, required = false) => ({ name, type: 'date', t: tkey, required })
  return {
    name: 'task', t: 'menu.tasks', entity: 'tasks',
    states: STATUSES.map((s) => ({ code: s, t: 'task.status.' + s, tag: STATUS_TAG[s], final: s === 'done' || s === 'cancelled' })),
    transitions: [
      x('issue', 'primary', { confirm: true }),
      x('acknowledge', 'primary'),
      x('report', 'primary', { note: true, files: true, args: [{ name: 'progress', type: 'int', t: 'task.progress', min: 0, max: 100 }] }),
      x('request_close', 'success', { note: true, files: true }),
      x('accept', 'success', { confirm: true }),
      x('return', 'warning', { note: true }),
      x('request_extension', 'warning', { note: true, args: [date('new_due_on', 'task.ext.new_due', true)] }),
      x('decide_extension', 'warning', { args: [{ name: 'extension_id', type: 'ref', t: 'task.ext.pick', required: true },
        { name: 'approve', type: 'bool', t: 'task.ext.decision', required: true }] }),
      x('urge', 'danger', { note: true, args: [{ name: 'unit_id', type: 'unit', t: 'task.urg.unit' }, date('reply_due_on', 'task.urg.reply_due')] }),
      x('reply_urging', 'primary', { note: true, files: true, args: [{ name: 'urging_id', type: 'ref', t: 'task.urg.pick', required: true }] }),
      x('supervise', 'danger', { confirm: true }),
      x('unsupervise', 'info'),
      x('cancel', 'danger', { note: true, confirm: true }),
      x('reopen', 'warning', { note: true }),
    ],
    clocks: [],
  }
})
