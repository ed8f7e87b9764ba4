// Reads an import sheet in the browser (exceljs, loaded on demand) and maps its columns to the
// row keys of POST {path}/import. A column is found by its header: the declaration's Chinese
// label (what the template has), its English label or the field name; `*` marks are ignored.
// Dates become YYYY-MM-DD.
const pad = (n) => String(n).padStart(2, '0')

function ymdUTC(d) { return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` }

// Excel keeps dates as day serials since 1899-12-30; exceljs gives Date objects (UTC midnight)
// for date-formatted cells and plain numbers for unformatted ones.
export function excelDate(v) {
  if (v == null || v === '') return ''
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : ymdUTC(new Date(v.getTime() + 43200000 - 1)) // round to the day
  if (typeof v === 'number') return ymdUTC(new Date(Math.round((v - 25569) * 86400) * 1000))
  const s = String(v).trim()
  const m = s.match(/^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/)
  if (m) return `${m[1]}-${pad(m[2])}-${pad(m[3])}`
  return s // left as written: the server says what is wrong with it
}

// Plain text of any exceljs cell value: rich text, hyperlinks, formulas, numbers.
function cellText(v) {
  if (v == null) return ''
  if (v instanceof Date) return excelDate(v)
  if (typeof v === 'object') {
    if (Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('')
    if ('result' in v) return cellText(v.result)
    if ('text' in v) return cellText(v.text)
    return ''
  }
  return String(v).trim()
}

const norm = (h) => String(h || '').replace(/[*＊\s]/g, '').toLowerCase()

/**
 * columns: [{key, headers: [names a header may have], required, date}].
 * → { rows: [{key: text}], sheetRows: [sheet row of rows[i]], missing: [header], sheet, tooMany }
 */
export async function readSheet(buffer, columns, maxRows = 2000) {
  const mod = await import('exceljs')
  const ExcelJS = mod.default || mod
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(buffer)
  const names = (c) => c.headers.map(norm)
  const headerRow = (s) => (s.getRow(1).values || []).map((v) => norm(cellText(v)))
  // the sheet whose first row names a required column (templates may carry a notes sheet)
  const firstRequired = columns.find((c) => c.required) || columns[0]
  const ws = wb.worksheets.find((s) => headerRow(s).some((h) => names(firstRequired).includes(h))) || wb.worksheets[0]
  if (!ws) return { rows: [], sheetRows: [], missing: columns.filter((c) => c.required).map((c) => c.headers[0]), sheet: '' }

  const colOf = {}
  ws.getRow(1).eachCell((cell, col) => {
    const h = norm(cellText(cell.value))
    const c = columns.find((x) => names(x).includes(h))
    if (c && !colOf[c.key]) colOf[c.key] = col
  })
  const missing = columns.filter((c) => c.required && !colOf[c.key]).map((c) => c.headers[0])

  const rows = []
  const sheetRows = []
  let tooMany = false
  for (let r = 2; r <= ws.rowCount; r++) {
    const row = ws.getRow(r)
    const out = {}
    let any = false
    for (const c of columns) {
      if (!colOf[c.key]) continue
      const v = row.getCell(colOf[c.key]).value
      out[c.key] = c.date ? excelDate(v instanceof Date || typeof v === 'number' ? v : cellText(v)) : cellText(v)
      if (out[c.key]) any = true
    }
    if (!any) continue // blank lines are skipped; sheetRows keeps the numbering of the sheet
    if (rows.length >= maxRows) { tooMany = true; break }
    rows.push(out)
    sheetRows.push(r)
  }
  return { rows, sheetRows, missing, sheet: ws.name, tooMany }
}
