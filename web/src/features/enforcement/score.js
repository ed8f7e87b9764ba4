// The 案卷评查 rule, for display while the form is filled in (the server computes the score that
// is kept, src/features/enforcement/enforcement_review.c): any veto item → 0 points; otherwise
// each section's points less its items' deductions (defects × deduction, at most the item's
// points), never below 0.
export function scoreSheet(sheet, findings) {
  const by = new Map((findings || []).map((f) => [f.code, f]))
  const out = { vetoed: false, form: 0, content: 0, total: 0 }
  if (!sheet) return out
  for (const s of sheet.sections) {
    if (s.veto) { out.vetoed = s.items.some((i) => by.get(i.code)?.veto); continue }
    let lost = 0
    for (const i of s.items) lost += Math.min((by.get(i.code)?.defects || 0) * i.deduct, i.max)
    out[s.code] = Math.max(0, s.max - lost)
  }
  if (out.vetoed) { out.form = 0; out.content = 0 }
  out.total = out.form + out.content
  return out
}

export function gradeOf(sheet, s) {
  if (s.vetoed || !sheet) return 'fail'
  if (s.total >= sheet.grades.excellent) return 'excellent'
  if (s.total >= sheet.grades.pass) return 'pass'
  return 'fail'
}
