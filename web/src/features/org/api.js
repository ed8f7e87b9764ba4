// 机构 and 人员 (src/features/org).
import { api } from '@/api/client'
import { resource } from '@/api/resource'

export const units = {
  ...resource('/units'),
  tree: (opts) => api.get('/units/tree', undefined, opts),
  kinds: (opts) => api.get('/unit-kinds', undefined, opts),
  setActive(row, active) { return this.post(row.id, active ? 'activate' : 'deactivate', { version: row.version }) },
}

export const people = {
  ...resource('/people'),
  phone: (id) => api.get(`/people/${id}/phone`), // unmasked number (person.reveal, audited)
}
