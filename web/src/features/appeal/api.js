// 申辩、复核与考核分析 (src/features/appeal, docs/API-assess.md "Objections and charts").
import { api } from '@/api/client'
import { resource } from '@/api/resource'
import { loadDeclaration } from '@/shell/declarations'

export const objections = resource('/assess-objections')
// the runs (the score module's collection): the charts' run select
export const runs = resource('/assess-runs')

export const charts = {
  // {run_id, year, status, unit_id, ranking: {department, township}, areas, radar, average, average_rates, years}
  get: (query, opts) => api.get('/assess/charts', query, opts),
}

// a unit's score page (the score module's route, menu entry /assess-units/:run/:unit)
export const unitScorePath = (runId, unitId) => `/assess-units/${runId}/${unitId}`

// points are hundredths of 分 (assess_rule.h): 1250 → "12.5"
export function points(v) {
  if (v === null || v === undefined) return '—'
  return String(Math.round(v) / 100)
}

// today in China Standard Time (UTC+8), as the server counts days: "YYYY-MM-DD"
export function todayCst() {
  return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10)
}

// 100 when the entity's field travels as 分 with decimals (the engine's decimal fields), else 1
// (hundredths): send hundredths / scale, read value × scale
export async function scaleOf(entity, field) {
  try {
    const d = await loadDeclaration(entity)
    return d.fields.find((f) => f.name === field)?.decimals ? 100 : 1
  } catch {
    return 1
  }
}
