// Entity declarations (src/features/entity: GET /api/v1/entities[/{name}]) — fields, labels,
// limits, options and what the caller may do; the records themselves are at the declaration's
// `path` (resource(decl.path)).
import { api } from '@/api/client'

export const entities = {
  list: () => api.get('/entities', undefined, { quiet: true }),
  declaration: (name, opts) => api.get(`/entities/${encodeURIComponent(name)}`, undefined, opts),
}
