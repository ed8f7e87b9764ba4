// The installation's side menu (src/app/modules.c: GET /api/v1/menu).
import { api } from '@/api/client'

export const system = {
  menu: () => api.get('/menu', undefined, { quiet: true }),
}
