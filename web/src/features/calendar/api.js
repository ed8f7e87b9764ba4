// 工作日历 (src/features/calendar).
import { api, apiUrl } from '@/api/client'

export const calendar = {
  year: (year) => api.get('/calendar', { year }),
  setDay: (date, body, opts) => api.put(`/calendar/days/${date}`, body, opts),
  clearDay: (date, version) => api.del(`/calendar/days/${date}`, { version }),
  compute: (query) => api.get('/calendar/compute', query),
  years: (opts) => api.get('/calendar/years', undefined, { quiet: true, ...opts }),
  importCsv: (year, csv) => api.post('/calendar/import', { year, csv }, { quiet: true }),
  importRows: (year, rows) => api.post('/calendar/import', { year, rows }, { quiet: true }),
  templateUrl: (year) => apiUrl('/calendar/import-template.xlsx', { year }),
}
