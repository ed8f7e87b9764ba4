// Attachments (src/features/files): upload one file, link to one.
import { api, apiUrl } from '@/api/client'

export const files = {
  upload: (file) => api.upload('/files', file), // → 201 {id, name, size, mime}
  url: (id) => apiUrl(`/files/${id}`),
}
