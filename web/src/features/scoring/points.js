// Points travel as 分 with at most two decimals (the engine's decimal fields; stored as
// hundredths, assess_rule.h): 2.5 is 2.5 分.
export const fen = (v) => (v === null || v === undefined ? '—' : Number(v).toFixed(2).replace(/\.?0+$/, ''))
export const toFen = (v) => (v === null || v === undefined || v === '' ? null : Math.round(Number(v) * 100) / 100)
export const gradeTag = (g) => ({ excellent: 'success', good: 'primary', fair: 'warning', poor: 'danger' })[g] || 'info'
