// What the generic record page (RecordPage.vue) shows of a declaration, as plain functions:
// which fields go in the facts grid, how a record is called, the child lists' columns and forms.
import { defaultColumns, fieldType, label } from '@/shell/fields'

// Shown elsewhere on the page or not for people: the state (the header's tag), the version,
// the answer's workflow keys and its steps panel, lists of ids shown by another field (co_unit_ids beside co_units),
// a name shown by its reference (unit_name beside unit_id), the id itself.
const NOT_FACTS = new Set(['id', 'status', 'version', 'allowed_actions', 'clocks', 'parties', 'steps'])

/** The fields of the facts grid, in declaration order. */
export function factFields(decl) {
  const fields = decl?.fields || []
  const names = new Set(fields.map((f) => f.name))
  return fields.filter((f) => {
    if (NOT_FACTS.has(f.name) || f.internal) return false
    const m = /^(.+)_(name|title)$/.exec(f.name)
    if (m && names.has(`${m[1]}_id`)) return false
    if (fieldType(f) === 'json' && names.has(f.name.replace(/s$/, '_ids'))) return false
    return true
  })
}

/** Long texts take a whole row of the grid. */
export const factSpan = (f, columns) => (fieldType(f) === 'longtext' ? columns : 1)

/** The record's heading: its number (the declaration's title_field), else a name or title, else #id. */
export function recordHeading(decl, record) {
  if (!record) return ''
  const keys = [decl?.title_field, 'no', 'title', 'name'].filter(Boolean)
  for (const k of keys) if (record[k]) return String(record[k])
  return `#${record.id}`
}

/** A child list's columns: the child's list columns but the one naming the parent. */
export function childColumns(childDecl, child) {
  const parentRef = child.column.replace(/_id$/, '')
  return defaultColumns(childDecl).filter((n) => {
    const name = typeof n === 'string' ? n : n.name
    return name !== child.column && name !== `${parentRef}_name` && name !== `${parentRef}_title`
  })
}

/** A child's create form: its create fields without the parent column (filled in, hidden). */
export function childFormFields(childDecl, child) {
  return (childDecl?.fields || []).filter((f) => f.create && !f.readonly && f.name !== child.column).map((f) => f.name)
}

/** A child's edit form: its update fields (the parent column is never one). */
export function childEditFields(childDecl, child) {
  return (childDecl?.fields || []).filter((f) => f.update && !f.readonly && f.name !== child.column).map((f) => f.name)
}

/** A ref field of a child naming another child entity of the same record (a comment's topic):
 * its choices are that record's, i.e. the sibling's list filtered by the same parent. */
export function siblingQuery(field, siblings, record) {
  const s = (siblings || []).find((c) => c.entity === field.ref)
  return s ? { [s.column]: record.id } : null
}

/** The child list's fixed query: the parent column = the record. */
export const childQuery = (child, record) => ({ [child.column]: record.id })

/** The title of a child list: the child entity's name. */
export const childTitle = (child) => label(child)
