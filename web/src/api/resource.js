// The calls every REST collection of the API answers (docs/API.md): list, get, create, update,
// delete with `version`, record actions, Excel export/import. A feature's api.js names its
// collections with resource('/units') and adds its own calls; pages never write a path.
import { api, apiUrl } from './client'

const PREFIX = '/api/v1'

// Entity declarations name their full path ("/api/v1/legal-services"); the client adds the prefix.
export function apiPath(path) {
  return path.startsWith(PREFIX + '/') ? path.slice(PREFIX.length) : path
}

export function resource(base) {
  const path = apiPath(base)
  const one = (id) => `${path}/${id}`
  return {
    path,
    list: (query, opts) => api.get(path, query, opts),
    get: (id, opts) => api.get(one(id), undefined, opts),
    create: (body, opts) => api.post(path, body, opts),
    update: (id, body, opts) => api.put(one(id), body, opts),
    // DELETE carries the version the caller read (stale → 409 stale_version)
    remove: (row, opts) => api.del(one(row.id), { version: row.version }, opts),
    // GET {path}/{id}/{what} (timeline, children, …) and POST {path}/{id}/{what} (lock, read, …)
    read: (id, what, query, opts) => api.get(`${one(id)}/${what}`, query, opts),
    post: (id, what, body, opts) => api.post(`${one(id)}/${what}`, body, opts),
    // a state-machine action of a record (workflow kinds)
    act: (id, action, body, opts) => api.post(`${one(id)}/actions/${encodeURIComponent(action)}`, body, opts),
    exportUrl: (query, ext = 'xlsx') => apiUrl(`${path}/export.${ext}`, query),
    templateUrl: () => apiUrl(`${path}/import-template.xlsx`),
    importRows: (body, opts) => api.post(`${path}/import`, body, opts),
    // one action on a selection: POST {path}/batch {action, ids, args} → per-id results
    batch: (body, opts) => api.post(`${path}/batch`, body, opts),
  }
}
