// Reading a workflow kind (GET /api/v1/kinds/{kind}): its states and transitions, and which
// transitions a record's allowed_actions open, in the kind's order.
import { label } from '@/shell/fields'

export function stateOf(kind, code) {
  return (kind?.states || []).find((s) => s.code === code) || null
}
export function stateLabel(kind, code) {
  const s = stateOf(kind, code)
  return s ? label(s) : code || ''
}
export function transitionOf(kind, action) {
  return (kind?.transitions || []).find((x) => x.action === action) || null
}
/** The transitions the record's allowed_actions name, in the kind's order. */
export function allowedTransitions(kind, record) {
  const allowed = new Set(record?.allowed_actions || [])
  const seen = new Set()
  return (kind?.transitions || []).filter((x) => allowed.has(x.action) && !seen.has(x.action) && seen.add(x.action))
}
/** The transitions a guard refuses now (the record's blocked_actions: kinds with explain_guards),
 * in the kind's order, each with the server's reason: [{...transition, blocked: reason}]. */
export function blockedTransitions(kind, record) {
  const allowed = new Set(record?.allowed_actions || [])
  const reasons = new Map((record?.blocked_actions || []).map((b) => [b.action, b.reason]))
  return (kind?.transitions || []).filter((x) => reasons.has(x.action) && !allowed.has(x.action))
    .map((x) => ({ ...x, blocked: reasons.get(x.action) }))
}
/** Button type of a transition's `style` (primary | warning | danger | success | default). */
export function buttonType(x) {
  return !x.style || x.style === 'default' ? undefined : x.style
}
/** The note an action asks for: an argument named `note`, or one made from note_required —
 *  labelled by the transition's note_label when it names it (调整理由), else 说明. */
export function noteArg(x, kind) {
  const a = (x.args || []).find((y) => y.name === 'note')
  if (a) return a
  const max = x.note_max ?? kind?.note_max
  const named = x.note_label ? { zh: x.note_label.zh, en: x.note_label.en, label: x.note_label.label } : { t: 'flow.note' }
  return { name: 'note', type: 'longtext', required: !!x.note_required, max: max || undefined, ...named }
}
