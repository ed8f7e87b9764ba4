// Which of a list's columns are shown: the user's choices (the column toolbar, kept per list in
// localStorage — a UI preference, never data) and, when the page is too narrow for every column
// at its minimum width, columns left out so that nothing runs under the fixed 操作 column: the
// page's `optional` ones in their order, then the others from the last (never the first, nor one
// marked `keep`). A column the user chose to show stays shown; the toolbar shows what is left out.
import { computed, onBeforeUnmount, reactive, ref, watch } from 'vue'

const PREFIX = 'fazhi.list.'

function read(key) {
  try { return JSON.parse(localStorage.getItem(PREFIX + key) || '{}') || {} } catch { return {} }
}
function write(key, v) {
  try { localStorage.setItem(PREFIX + key, JSON.stringify(v)) } catch { /* private mode: not kept */ }
}

/**
 * key: () => the list's name (entity + menu path); columns: computed [{field, width, minWidth,
 * optional}]; table: ref of the el-table (its other columns — index, a page's own, 操作 — are
 * measured from the DOM, as they have fixed widths).
 */
export function useColumns(key, columns, table) {
  const prefs = reactive({ columns: {}, search: true })
  watch(key, (k) => {
    const p = read(k)
    prefs.columns = p.columns && typeof p.columns === 'object' ? p.columns : {}
    prefs.search = p.search !== false
  }, { immediate: true })
  const save = () => write(key(), { columns: prefs.columns, search: prefs.search })

  // ---- fitting the page's width ----
  const available = ref(0) // the table's width
  const others = ref(0)    // the widths of the columns that are not the declaration's
  let observer = null
  function measure() {
    const el = table.value?.$el
    if (!el) return
    available.value = el.clientWidth
    let w = 0
    for (const th of el.querySelectorAll('.el-table__header-wrapper th')) {
      if (![...th.classList].some((c) => c.startsWith('col-f-')) && !th.classList.contains('gutter')) w += th.offsetWidth
    }
    others.value = w
  }
  watch(() => table.value?.$el, (el, old) => {
    if (old && observer) observer.unobserve(old)
    if (!el || typeof ResizeObserver === 'undefined') return
    observer = observer || new ResizeObserver(() => measure())
    observer.observe(el)
    measure()
  })
  onBeforeUnmount(() => observer?.disconnect())

  const chosen = (name) => prefs.columns[name] // true shown, false hidden, undefined: not chosen
  const hidden = computed(() => {
    const out = new Set(columns.value.filter((c) => chosen(c.field.name) === false).map((c) => c.field.name))
    if (!available.value) return out
    const min = (c) => Number(c.width || c.minWidth || 80)
    let need = others.value + columns.value.filter((c) => !out.has(c.field.name)).reduce((s, c) => s + min(c), 0)
    // the page's optional columns in their order, then the others from the last to the second
    const may = (c) => !out.has(c.field.name) && chosen(c.field.name) !== true && !c.keep
    const ranked = columns.value.filter((c) => c.optional && may(c)).sort((a, b) => a.optional - b.optional)
    const rest = columns.value.slice(1).filter((c) => !c.optional && may(c)).reverse()
    for (const c of [...ranked, ...rest]) {
      if (need <= available.value) break
      out.add(c.field.name)
      need -= min(c)
    }
    return out
  })
  const visible = computed(() => columns.value.filter((c) => !hidden.value.has(c.field.name)))

  function toggle(name, shown) { prefs.columns = { ...prefs.columns, [name]: !!shown }; save() }
  function resetColumns() { prefs.columns = {}; save() }
  function toggleSearch() { prefs.search = !prefs.search; save() }
  return { hidden, visible, searchShown: computed(() => prefs.search), toggle, resetColumns, toggleSearch, measure }
}
