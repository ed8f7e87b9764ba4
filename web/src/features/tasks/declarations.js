import { declareKindFallback } from '@/shell/declarations'
import { STATUSES, STATUS_TAG } from './tasks'

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
