// The calendar's exceptions (法定节假日 休 / 调休上班 班) as the list shell and the day form read
// them. The server keeps them per year (GET /calendar?year=); limits as docs/openapi.yaml states
// them (PUT /calendar/days/{date}: name ≤ 50).
import { declareFallback } from '@/shell/declarations'

declareFallback('calendar_days', (session) => ({
  name: 'calendar_days', path: '/api/v1/calendar', t: 'cal.exceptions', per_page: 400,
  can: { read: true, create: session.has('calendar.manage'), update: session.has('calendar.manage') },
  fields: [
    { name: 'date', type: 'date', t: 'cal.date', list: true },
    { name: 'weekday', type: 'text', t: 'cal.weekday', list: true, readonly: true },
    { name: 'kind', type: 'enum', t: 'cal.kind', required: true, list: true, filter: true, create: true, update: true,
      options: [{ value: 'holiday', t: 'cal.holiday', tag: 'danger' }, { value: 'workday', t: 'cal.workday', tag: 'warning' }] },
    { name: 'name', type: 'text', t: 'cal.name', max: 50, list: true, create: true, update: true },
  ],
}))
