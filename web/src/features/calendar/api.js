// 工作日历 (src/features/calendar).
import { api } from '@/api/client'

export const calendar = {
  year: (year) => api.get('/calendar', { year }),
  setDay: (date, body, opts) => api.put(`/calendar/days/${date}`, body, opts),
  clearDay: (date, version) => api.del(`/calendar/days/${date}`, { version }),
  compute: (query) => api.get('/calendar/compute', query),
  years: (opts) => api.get('/calendar/years', undefined, { quiet: true, ...opts }),
  importCsv: (year, csv) => api.post('/calendar/import', { year, csv }, { quiet: true }),
}
