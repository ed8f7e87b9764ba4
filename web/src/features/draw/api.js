// API paths of 双随机抽取 (docs/draw.md, docs/API-inspection.md): the draws (the entity layer's
// routes) and their own steps — the random value, the redraw, the published document, verify.
import { api } from '@/api/client'
import { resource } from '@/api/resource'

export const draws = {
  ...resource('/draws'),
  published: (id, opts) => api.get(`/draws/${id}/published`, undefined, opts),
  verify: (id, opts) => api.get(`/draws/${id}/verify`, undefined, opts),
  value: (id, body, opts) => api.post(`/draws/${id}/value`, body, opts),
  redraw: (id, body, opts) => api.post(`/draws/${id}/redraw`, body, opts),
}
