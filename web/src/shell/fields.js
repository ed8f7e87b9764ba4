// Reading an entity declaration (GET /api/v1/entities/{name}, docs/API.md; ENGINE format):
// labels in the UI language, option labels, which fields list/filter/sort, and the query a set of
// filter values makes. Local declarations (pages whose list the server does not declare) use the
// same shape, with `t` (a message key) instead of zh/en.
import { i18n } from '@/i18n'
import { formatTime } from '@/utils/format'

const t = (k, p) => i18n.global.t(k, p)
const en = () => i18n.global.locale.value === 'en'

/** Field type in lower case without the C prefix: FT_TEXT / "text" → "text". */
export function fieldType(f) {
  return String(f.type || 'text').toLowerCase().replace(/^ft_/, '')
}

/** Label of a field, option, state, transition or declaration, in the UI language. */
export function label(o) {
  if (!o) return ''
  if (o.t) return t(o.t)
  if (en()) return o.en || o.label || o.zh || o.name || ''
  return o.zh || o.label || o.en || o.name || ''
}

export function options(f) {
  return (f.options || []).map((o) => ({ ...o, value: o.value ?? o.code }))
}

/** The options a form offers: a data dictionary's disabled items only for the value a record
 * already has (old records keep it, new ones cannot choose it). */
export function choices(f, current) {
  return options(f).filter((o) => !o.disabled || String(o.value) === String(current ?? ''))
}

/** A select of declared options (enum; a bool with named values): else a bool is a checkbox. */
export function hasOptions(f) {
  return (f.options || []).length > 0
}
/** An enum-like field: shown by the label of its option. */
export function isChoice(f) {
  const type = fieldType(f)
  return type === 'enum' || (type === 'bool' && hasOptions(f))
}

/** The option of `value` in an enum (or bool with options) field, or null. */
export function optionOf(f, value) {
  if (value === undefined || value === null || value === '') return null
  const v = String(value === true ? 1 : value === false ? 0 : value)
  return options(f).find((o) => String(o.value) === v) || null
}

/** What a cell shows for a field of a record: the option's label, the referenced name, a time. */
export function displayValue(f, row) {
  const v = row[f.name]
  const type = fieldType(f)
  if (f.multi && Array.isArray(v)) {
    const names = row[`${f.name.replace(/_ids$/, '')}_names`]
    if (Array.isArray(names)) return names.join('、')
    // several options of an enum: each by its label
    if (isChoice(f)) return v.map((x) => { const o = optionOf(f, x); return o ? label(o) : x }).join('、')
    return v.map((x) => (typeof x === 'object' ? x.name ?? x.unit_name ?? '' : x)).join('、')
  }
  if (isChoice(f)) {
    if (f.label_field && row[`${f.name}_name`]) return row[`${f.name}_name`]
    const o = optionOf(f, v)
    return o ? label(o) : (v ?? '')
  }
  if (type === 'bool') return v === null || v === undefined ? '' : t(v ? 'common.yes' : 'common.no')
  if (type === 'unit' || type === 'user' || type === 'ref') {
    const base = f.name.replace(/_id$/, '')
    return row[`${base}_name`] ?? row[`${base}_title`] ?? row[`${f.name}_name`] ?? row[`${f.name}_label`] ?? v ?? ''
  }
  if (type === 'datetime') return v ? formatTime(v) : ''
  // a decimal field (declared `decimals`): 2.5, 15 — at most its places, no trailing zeros
  if (type === 'int' && f.decimals && typeof v === 'number') return String(Number(v.toFixed(f.decimals)))
  // a computed list (a checklist, steps): each entry by its text, label or name
  if (type === 'json' && Array.isArray(v)) return v.map((x) => (x && typeof x === 'object' ? x.text ?? x.label ?? x.name ?? '' : x)).join('、')
  return v ?? ''
}

export const fieldsWith = (decl, flag) => (decl?.fields || []).filter((f) => f[flag])

function commonPrefix(a, b) {
  let i = 0
  while (i < a.length && i < b.length && a[i] === b[i]) i++
  return a.slice(0, i).trim()
}

/**
 * The filters of a list: the `filter` fields, then the declaration's explicit `filters`. Two date
 * filters P_from and P_to are one range control named P (its query keys stay P_from/P_to), its
 * label what their labels share (截止日期起 / 截止日期止 → 截止日期).
 */
export function filtersOf(decl) {
  const out = fieldsWith(decl, 'filter')
  const explicit = decl?.filters || []
  const byName = new Map(explicit.map((x) => [x.name, x]))
  for (const x of explicit) {
    if (out.some((f) => f.name === x.name)) continue
    const m = /^(.+)_(from|to)$/.exec(x.name)
    if (m && fieldType(x) === 'date' && byName.has(`${m[1]}_from`) && byName.has(`${m[1]}_to`)) {
      if (m[2] === 'to' || out.some((f) => f.name === m[1])) continue
      const to = byName.get(`${m[1]}_to`)
      out.push({ name: m[1], type: 'date', range: true,
        zh: commonPrefix(x.zh || '', to.zh || '') || x.zh, en: commonPrefix(x.en || '', to.en || '') || x.en })
      continue
    }
    out.push(x)
  }
  return out
}
/** The columns of a list no page arranged: its `list` fields, a reference once (unit_id shows its
 * name: unit_name beside it is left out). */
export function defaultColumns(decl) {
  const list = fieldsWith(decl, 'list')
  const names = new Set(list.map((f) => f.name))
  return list.filter((f) => {
    const m = /^(.+)_(name|title)$/.exec(f.name)
    return !(m && names.has(`${m[1]}_id`))
  }).map((f) => f.name)
}

/** Whether ?sort=name is accepted: a `sort` field or one of the declaration's named sorts. */
export function sortable(decl, f) {
  return !!f.sort || (decl?.sorts || []).includes(f.name)
}
export const fieldByName = (decl, name) =>
  (decl?.fields || []).find((f) => f.name === name) || (decl?.filters || []).find((f) => f.name === name) || null

// ---- column widths: wide enough for the header (and its sort caret) and the values ----
let canvas = null // one 2D context measuring texts in the page's own font
function measured(s, bold, size) {
  if (typeof document === 'undefined') return null
  canvas ??= document.createElement('canvas').getContext('2d')
  if (!canvas) return null
  canvas.font = `${bold ? 'bold ' : ''}${size}px ${getComputedStyle(document.body).fontFamily}`
  return canvas.measureText(s).width
}
/** Width in pixels of a text in the table's font (14px; headers are bold; small tags 12px):
 *  measured in the page's font, else estimated per character. */
export function textWidth(s, bold = false, size = 14) {
  const text = String(s || '')
  const m = measured(text, bold, size)
  if (m !== null) return Math.ceil(m) + 2
  let w = 0
  for (const ch of text) w += /[\u2e80-\uffff]/.test(ch) ? size : (bold ? 9.6 : 8.2) * size / 14
  return Math.ceil(w)
}
const CELL_PAD = 26 // el-table cell padding, both sides, and the border
const TAG_TEXT_MAX = 84 // text width of a tag in a table cell; a longer label wraps (main.css)
const CARET = 24    // the sort caret next to a sortable header

/** Width a column's header needs (its label and the sort caret). */
export function headerWidth(f, text) {
  return textWidth(text ?? label(f), true) + CELL_PAD + (f.sort ? CARET : 0)
}

/** {width} or {minWidth} of a column for field `f` (pages may override either). */
export function columnWidth(f) {
  const type = fieldType(f)
  const head = headerWidth(f)
  const fixed = (w) => ({ width: Math.max(w, head) })
  switch (type) {
    case 'date': return fixed(112)
    case 'datetime': return fixed(182)
    case 'int': return fixed(84)
    case 'json': return { minWidth: Math.max(160, head) }
    case 'bool':
    case 'enum': {
      const longest = Math.max(textWidth(t('common.yes')), ...options(f).map((o) => textWidth(label(o))))
      // a tag is not cut: the column fits the longest (small tags: 12px text); plain text may
      // be, with a tooltip
      const tagText = Math.max(textWidth(t('common.yes'), false, 12), ...options(f).map((o) => textWidth(label(o), false, 12)))
      // a long label ("Awaiting acceptance") wraps inside its tag rather than widen the column
      if (options(f).some((o) => o.tag)) return fixed(Math.min(tagText, TAG_TEXT_MAX) + CELL_PAD + 20)
      return { minWidth: Math.max(head, Math.min(longest + CELL_PAD, 120)) }
    }
    case 'phone': return fixed(136)
    case 'longtext': return { minWidth: Math.max(240, head) }
    case 'unit':
    case 'user':
    case 'ref': return { minWidth: Math.max(150, head) }
    // short texts (codes, numbers like GF2026-000037): as wide as about 14 characters need
    default: return { minWidth: Math.max(f.max && f.max <= 32 ? Math.min(110 + 2 * f.max, 140) : 160, head) }
  }
}

// ---- filters → query ----

/** The empty value of one filter. */
export function emptyFilter(f) {
  const type = fieldType(f)
  if (type === 'date' || type === 'datetime') return null // [from, to]
  if (type === 'bool' && !hasOptions(f)) return false     // a checkbox: "only these"
  if (type === 'unit' || type === 'user' || type === 'ref' || type === 'int') return null
  return ''
}

export function isEmptyFilter(v) {
  return v === null || v === undefined || v === '' || v === false || (Array.isArray(v) && !v.length)
}

/** Query parameters of the filter values (enum/unit/bool: equality; dates: name_from/name_to). */
export function filterQuery(filterFields, values) {
  const q = {}
  for (const f of filterFields) {
    const v = values[f.name]
    if (isEmptyFilter(v)) continue
    const type = fieldType(f)
    if (type === 'date' || type === 'datetime') {
      if (v[0]) q[`${f.name}_from`] = v[0]
      if (v[1]) q[`${f.name}_to`] = v[1]
    } else if (type === 'bool') q[f.name] = v === true || v === '1' || v === 1 ? 1 : 0
    else q[f.name] = v
  }
  return q
}

/** Filter values from a URL query (links from the workbench and the notifications). */
export function filtersFromQuery(filterFields, query) {
  const out = {}
  for (const f of filterFields) {
    const type = fieldType(f)
    if (type === 'date' || type === 'datetime') {
      const a = query[`${f.name}_from`]; const b = query[`${f.name}_to`]
      if (a || b) out[f.name] = [a ? String(a) : null, b ? String(b) : null]
      continue
    }
    const v = query[f.name]
    if (v === undefined || v === null || v === '') continue
    if (type === 'unit' || type === 'user' || type === 'ref' || type === 'int') out[f.name] = Number(v)
    else if (type === 'bool') out[f.name] = hasOptions(f) ? String(v) : v === '1' || v === 'true' || v === true
    else out[f.name] = String(v)
  }
  return out
}

/** label-width of a form whose items carry these labels: the longest fits on one line. */
export function formLabelWidth(labels, min = 80, max = 170) {
  const w = Math.max(0, ...labels.map((l) => textWidth(l))) + 28 // the required star and the gap
  return `${Math.min(max, Math.max(min, w))}px`
}

/** Width of a cell of link buttons (the operations column) with these labels. */
export function linkButtonsWidth(labels) {
  return labels.reduce((w, l) => w + textWidth(l), 0) + 10 * Math.max(0, labels.length - 1) + CELL_PAD
}

/** "-due_on" → {prop: "due_on", order: "descending"} for el-table's default-sort. */
export function sortSpec(sort) {
  if (!sort) return null
  return sort.startsWith('-') ? { prop: sort.slice(1), order: 'descending' } : { prop: sort, order: 'ascending' }
}
