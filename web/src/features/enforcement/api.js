// 行政执法监督 (src/features/enforcement): the cases, the 案卷评查 reviews and their scoring sheet.
import { api } from '@/api/client'
import { resource } from '@/api/resource'

export const enforcementCases = resource('/enforcement-cases')
const reviews = resource('/case-reviews')
export const caseReviews = {
  ...reviews,
  // the standard the form is built from (sections, items, points, deductions, grade lines)
  sheet: (opts) => api.get(`${reviews.path}/sheet`, undefined, opts),
}
