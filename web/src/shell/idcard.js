// 居民身份证 numbers as the server checks them (src/base/pii.c, GB 11643): 18 characters, 17
// digits then the check digit (X for 10), a province code that exists and a real birth date
// from 1900-01-01 to today. The browser checks before sending; the server decides.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const CHECK = '10X98765432'
const PROVINCES = new Set([11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43,
  44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 91])

/** The check character of the first 17 digits, or '' when they are not 17 digits. */
export function idCheckChar(first17) {
  if (!/^\d{17}$/.test(first17)) return ''
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]
  return CHECK[sum % 11]
}

/** '' when valid, else the reason key (validate.id_*) */
export function idProblem(s) {
  const v = String(s || '').toUpperCase()
  if (!/^\d{17}[\dX]$/.test(v)) return 'id_format'
  if (!PROVINCES.has(Number(v.slice(0, 2)))) return 'id_region'
  const y = Number(v.slice(6, 10)), m = Number(v.slice(10, 12)), d = Number(v.slice(12, 14))
  const day = new Date(Date.UTC(y, m - 1, d))
  if (day.getUTCFullYear() !== y || day.getUTCMonth() !== m - 1 || day.getUTCDate() !== d) return 'id_date'
  if (y < 1900 || day.getTime() > Date.now() + 8 * 3600 * 1000) return 'id_date'
  if (idCheckChar(v.slice(0, 17)) !== v[17]) return 'id_check'
  return ''
}
