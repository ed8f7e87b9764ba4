// One form composable for every record dialog: the fields, their labels, limits (required,
// min/max characters or value) and options come from the entity declaration; save() posts or
// puts (with `version`), puts the answer's field errors (`fields`) beside their inputs, and on
// 409 stale_version says so in the dialog and loads the record as it is now.
import { computed, reactive, ref, unref } from 'vue'
import { ElMessage } from 'element-plus'
import { i18n } from '@/i18n'
import { isStale, showError } from '@/api/client'
import { fieldByName, fieldType, hasOptions, label as fieldLabel } from './fields'
import { idProblem } from './idcard'

const t = (k, p) => i18n.global.t(k, p)

function emptyValue(f) {
  switch (fieldType(f)) {
    case 'bool': return hasOptions(f) ? null : false
    case 'int': return f.min != null ? Math.max(Number(f.min), 0) : null
    case 'unit': case 'user': case 'ref': case 'date': case 'datetime': case 'enum': return null
    default: return ''
  }
}

/** el-form rules of one declared field: required, characters (text) or value (int) bounds. */
export function fieldRules(f) {
  const type = fieldType(f)
  const r = []
  const trigger = ['text', 'longtext', 'phone', 'int'].includes(type) ? 'blur' : 'change'
  if (f.required) {
    // async-validator checks the value's type with `required` (a string unless told)
    const vtype = f.multi ? 'array' : ['int', 'unit', 'user', 'ref'].includes(type) ? 'number'
      : ['text', 'longtext', 'phone', 'date'].includes(type) ? 'string' : 'any'
    r.push({ required: true, type: vtype, whitespace: vtype === 'string', message: () => t('validate.required'), trigger })
  }
  if (f.multi) {
    if (f.max_items > 0) r.push({ type: 'array', max: Number(f.max_items), message: () => t('validate.max_items', { n: f.max_items }), trigger })
    return r
  }
  if (['text', 'longtext', 'phone'].includes(type)) {
    if (f.max > 0) r.push({ type: 'string', max: Number(f.max), message: () => t('validate.max_chars', { n: f.max }), trigger })
    if (f.min > 0) r.push({ type: 'string', min: Number(f.min), message: () => t('validate.min_chars', { n: f.min }), trigger })
  }
  if (type === 'int' && (f.min != null || f.max != null)) {
    r.push({
      validator: (_rule, v, cb) => {
        if (v === null || v === undefined || v === '') return cb()
        if ((f.min != null && v < f.min) || (f.max != null && v > f.max)) {
          return cb(new Error(t('validate.range', { min: f.min ?? '—', max: f.max ?? '—' })))
        }
        cb()
      },
      trigger,
    })
  }
  return r
}

/**
 * opts: {
 *   decl: declaration or ref of one; source: {get, create, update} (resource(decl.path));
 *   fields: names in form order (default: the declaration's create / update fields);
 *   initial(record) → form values of a record (default: the fields' values);
 *   extra(record|null) → values the form holds beyond the declared fields (e.g. rows of its own);
 *   body(form, editing) → request body (default: the form; `version` is added on update);
 *   rules: {name: [extra el-form rules]}; onSaved(record, created); onStale(record);
 *   confirm(form, editing) → Promise<bool>: asked after validation, false keeps the form open }
 */
export function useEntityForm(opts) {
  const decl = computed(() => unref(opts.decl))
  const visible = ref(false)
  const busy = ref(false)
  const editing = ref(null) // the record being edited, null when creating
  const formRef = ref()
  const errors = reactive({})
  const form = reactive({})
  const stale = ref('') // the 409 message shown in the dialog

  const fields = computed(() => {
    const d = decl.value
    if (!d) return []
    const names = unref(opts.fields)
    if (names) return names.map((n) => fieldByName(d, n)).filter(Boolean)
    const flag = editing.value ? 'update' : 'create'
    return (d.fields || []).filter((f) => f[flag] && !f.readonly)
  })
  const field = (name) => fieldByName(decl.value, name) || { name }
  const label = (name) => fieldLabel(field(name))
  /** Attributes of a field's input: max characters, word count, value bounds. */
  function attrs(name) {
    const f = field(name)
    const type = fieldType(f)
    if (type === 'int') return { min: f.min ?? undefined, max: f.max ?? undefined }
    if (!(f.max > 0)) return {}
    return { maxlength: Number(f.max), 'show-word-limit': type === 'longtext' || f.max >= 30 }
  }
  const rules = computed(() => {
    const out = {}
    for (const f of fields.value) out[f.name] = fieldRules(f)
    for (const [k, extra] of Object.entries(opts.rules || {})) out[k] = [...(out[k] || []), ...extra]
    return out
  })

  function clearErrors() { for (const k of Object.keys(errors)) delete errors[k] }
  function fill(record, preset) {
    for (const k of Object.keys(form)) delete form[k]
    for (const f of fields.value) form[f.name] = emptyValue(f)
    if (record) {
      const values = opts.initial ? opts.initial(record) : record
      // a number the record leaves empty stays empty (and unsent): editing other fields never
      // turns it into 0 (a 述法 item's score, given by the office only)
      for (const f of fields.value) {
        if (values[f.name] === undefined) continue
        form[f.name] = values[f.name] === null && fieldType(f) === 'int' ? null : values[f.name] ?? emptyValue(f)
      }
    }
    // 当事人 (a declaration with parties): rows of their own; editing starts with none (the
    // stored ones are masked: rows entered replace them all, none leaves them)
    const spec = decl.value?.parties
    if (spec) {
      const first = spec.roles[0]?.value || ''
      form.parties = record ? [] : Array.from({ length: Math.max(spec.min, 1) }, () => ({ role: first, name: '', id_no: '', phone: '' }))
    }
    if (opts.extra) Object.assign(form, opts.extra(record))
    if (preset) Object.assign(form, preset)
  }

  /** The parties to send (trimmed, empty values left out), or undefined: none to replace. */
  function partiesBody() {
    if (!decl.value?.parties || !Array.isArray(form.parties)) return undefined
    const rows = form.parties.map((p) => {
      const o = { role: p.role, name: String(p.name || '').trim() }
      const id = String(p.id_no || '').trim().toUpperCase(), phone = String(p.phone || '').trim()
      if (id) o.id_no = id
      if (phone) o.phone = phone
      return o
    })
    if (editing.value && !rows.length) return undefined
    return rows
  }
  /** The browser's checks of the rows (the server checks again): false after marking them. */
  function partiesValid() {
    let ok = true
    ;(form.parties || []).forEach((p, i) => {
      if (!String(p.name || '').trim()) { errors[`parties[${i}].name`] = t('validate.required'); ok = false }
      const id = String(p.id_no || '').trim()
      if (id && idProblem(id)) ok = false
    })
    return ok
  }

  /** open(record) edits it; open(null, preset) creates one, starting from preset values. */
  function open(record = null, preset = null) {
    clearErrors()
    stale.value = ''
    editing.value = record
    fill(record, preset)
    visible.value = true
    formRef.value?.clearValidate?.()
  }
  function close() { visible.value = false }

  // The form's fields; an empty number is left out (the server's default), an empty unit, record
  // or date is sent as null (none).
  function defaultBody() {
    const b = {}
    for (const f of fields.value) {
      const v = form[f.name]
      if (v === undefined || (v === null && fieldType(f) === 'int')) continue
      b[f.name] = v
    }
    return b
  }

  async function reloadStale() {
    try {
      const fresh = await opts.source.get(editing.value.id, { quiet: true })
      editing.value = fresh
      fill(fresh)
      stale.value = t('shell.stale')
      opts.onStale && opts.onStale(fresh)
    } catch {
      stale.value = t('shell.stale_gone')
      opts.onStale && opts.onStale(null)
    }
  }

  async function save() {
    if (busy.value) return false
    clearErrors()
    stale.value = ''
    if (formRef.value && !(await formRef.value.validate().catch(() => false))) return false
    if (decl.value?.parties && !partiesValid()) return false
    // a page's own warnings that ask before saving (a deadline in the past): false keeps the form
    if (opts.confirm && !(await opts.confirm(form, editing.value))) return false
    busy.value = true
    try {
      const body = opts.body ? opts.body(form, editing.value) : defaultBody()
      const parties = partiesBody()
      if (parties !== undefined && body.parties === undefined) body.parties = parties
      const created = !editing.value
      const saved = created
        ? await opts.source.create(body, { quiet: true })
        : await opts.source.update(editing.value.id, { ...body, version: editing.value.version }, { quiet: true })
      ElMessage.success(t('common.saved'))
      visible.value = false
      opts.onSaved && opts.onSaved(saved, created)
      return saved
    } catch (e) {
      if (isStale(e) && editing.value) { await reloadStale(); return false }
      if (e.fields) for (const [k, v] of Object.entries(e.fields)) if (typeof v === 'string') errors[k] = v
      showError(e)
      return false
    } finally {
      busy.value = false
    }
  }

  /** A ref field's fixed filters (opts.refQuery: a child's topics are its parent's), or null. */
  const refQuery = (f) => (opts.refQuery ? opts.refQuery(f) : null)
  return { decl, visible, busy, editing, formRef, errors, form, stale, fields, field, label, attrs, rules, refQuery, open, close, save }
}
