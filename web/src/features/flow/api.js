// Workflow kinds (src/features/flow: GET /api/v1/kinds[/{kind}]) — states, transitions with their
// arguments and limits; a record's allowed_actions say which of them the caller may take now.
import { api } from '@/api/client'

export const kinds = {
  list: () => api.get('/kinds', undefined, { quiet: true }),
  get: (name, opts) => api.get(`/kinds/${encodeURIComponent(name)}`, undefined, opts),
}
