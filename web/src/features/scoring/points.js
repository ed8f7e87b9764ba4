// Points are hundredths of 分 in the API (assess_rule.h): 250 is 2.5 分.
export const fen = (v) => (v === null || v === undefined ? '—' : (Math.round(v) / 100).toFixed(2).replace(/\.?0+$/, ''))
export const toHundredths = (v) => (v === null || v === undefined || v === '' ? null : Math.round(Number(v) * 100))
export const gradeTag = (g) => ({ excellent: 'success', good: 'primary', fair: 'warning', poor: 'danger' })[g] || 'info'
