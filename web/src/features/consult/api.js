// API paths of 公开征求意见 (docs/API-legality.md): the staff's consultations (the entity layer's
// routes, plus the tally) and the public side without an account (/api/v1/public/…).
import { api } from '@/api/client'
import { resource } from '@/api/resource'

export const consultations = {
  ...resource('/consultations'),
  tally: (id, opts) => api.get(`/consultations/${id}/tally`, undefined, opts),
}

export const publicConsultations = {
  list: (query, opts) => api.get('/public/consultations', query, opts),
  get: (id, opts) => api.get(`/public/consultations/${id}`, undefined, opts),
  comment: (id, body, opts) => api.post(`/public/consultations/${id}/comments`, body, opts),
}
