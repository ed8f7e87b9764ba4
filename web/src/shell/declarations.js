// Entity declarations and workflow kinds, each read once per signed-in user (they carry what
// that user may do: `can`) and shared by every page that shows the entity.
import { ref, shallowRef, watchEffect, unref } from 'vue'
import { entities } from '@/features/entity/api'
import { kinds } from '@/features/flow/api'
import { useSessionStore } from '@/stores/session'

const cache = new Map() // "user:entity:name" → Promise

function cached(key, load) {
  const session = useSessionStore()
  const k = `${session.user?.id ?? 0}:${key}`
  if (!cache.has(k)) {
    const p = load().catch((e) => { cache.delete(k); throw e })
    cache.set(k, p)
  }
  return cache.get(k)
}

// A feature may bring its own declaration (same shape; labels as message keys `t`) for a list
// the server does not declare: used when GET /entities/{name} answers 404. `make` is called with
// the session store and may be async (e.g. options read from another list).
const fallbacks = new Map()
export function declareFallback(name, make) { fallbacks.set(name, make) }

// The entities the server declares for this user (GET /api/v1/entities), asked once: a list it
// does not declare uses the feature's own declaration without asking (no 404 on every visit).
function declaredNames() {
  return cached('entities', () => entities.list()
    .then((d) => new Set((d.items || []).map((x) => x.name)))
    .catch((e) => { if (e.status === 404) return new Set(); throw e }))
}

export function loadDeclaration(name) {
  return cached(`entity:${name}`, async () => {
    const declared = await declaredNames()
    if (!declared.has(name) && fallbacks.has(name)) return fallbacks.get(name)(useSessionStore())
    return entities.declaration(name, { quiet: true })
  })
}

// Workflow kinds (GET /api/v1/kinds/{name}): the buttons, dialogs and labels of a record's
// actions, as the server decides them.
export function loadKind(name) {
  return cached(`kind:${name}`, () => kinds.get(name, { quiet: true }))
}

export function forgetDeclarations() { cache.clear() }

// Reactive holder: `source` is a name (or a ref/getter of one), or an already made declaration
// object (a local one). → { decl, error, loading }
function useLoaded(source, load) {
  const decl = shallowRef(null)
  const error = ref(null)
  const loading = ref(false)
  const attempt = ref(0)
  watchEffect(async () => {
    void attempt.value
    const s = typeof source === 'function' ? source() : unref(source)
    error.value = null
    if (!s) { decl.value = null; return }
    if (typeof s === 'object') { decl.value = s; return }
    loading.value = true
    try { decl.value = await load(s) } catch (e) { decl.value = null; error.value = e } finally { loading.value = false }
  })
  return { decl, error, loading, retry: () => { attempt.value++ } }
}

export const useDeclaration = (source) => useLoaded(source, loadDeclaration)
export const useKind = (source) => useLoaded(source, loadKind)
