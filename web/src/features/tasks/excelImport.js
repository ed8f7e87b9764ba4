// Reads the 督办任务 import sheet in the browser (exceljs, loaded on demand) and maps its
// columns to the row keys of POST /api/v1/tasks/import. Dates become YYYY-MM-DD.
export const IMPORT_COLUMNS = [
  { header: '任务名称', key: 'title', required: true },
  { header: '任务内容', key: 'content' },
  { header: '类别', key: 'category' },
  { header: '标签', key: 'tags' },
  { header: '牵头单位', key: 'lead_unit', required: true },
  { header: '配合单位', key: 'co_units' },
  { header: '责任人', key: 'responsible' },
  { header: '开始日期', key: 'start_on', date: true },
  { header: '截止日期', key: 'due_on', date: true, required: true },
  { header: '报送频次', key: 'rhythm' },
  { header: '优先级', key: 'priority' },
]
const MAX_ROWS = 2000
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
    if ('error' in v) return ''
    return ''
  }
  return String(v).trim()
}

function norm(h) { return String(h || '').replace(/[*＊\s]/g, '') }

// → { rows: [{title, ...}], sheetRows: [sheet row number of rows[i]], missing: [header], sheet }
export async function readImportSheet(buffer) {
  const mod = await import('exceljs')
  const ExcelJS = mod.default || mod
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(buffer)
  const ws = wb.worksheets.find((s) => {
    const vals = s.getRow(1).values || []
    return vals.some((v) => norm(cellText(v)) === '任务名称')
  }) || wb.worksheets[0]
  if (!ws) return { rows: [], sheetRows: [], missing: IMPORT_COLUMNS.map((c) => c.header), sheet: '' }

  const colOf = {}
  ws.getRow(1).eachCell((cell, col) => {
    const h = norm(cellText(cell.value))
    const c = IMPORT_COLUMNS.find((x) => x.header === h)
    if (c && !colOf[c.key]) colOf[c.key] = col
  })
  const missing = IMPORT_COLUMNS.filter((c) => c.required && !colOf[c.key]).map((c) => c.header)

  const rows = []
  const sheetRows = []
  for (let r = 2; r <= ws.rowCount && rows.length <= MAX_ROWS; r++) {
    const row = ws.getRow(r)
    const out = {}
    let any = false
    for (const c of IMPORT_COLUMNS) {
      const v = colOf[c.key] ? row.getCell(colOf[c.key]).value : null
      out[c.key] = c.date ? excelDate(v instanceof Date || typeof v === 'number' ? v : cellText(v)) : cellText(v)
      if (out[c.key]) any = true
    }
    if (!any) continue // blank lines are skipped; sheetRows keeps the numbering of the sheet
    rows.push(out)
    sheetRows.push(r)
  }
  return { rows, sheetRows, missing, sheet: ws.name }
}

export function columnLabel(key) {
  const c = IMPORT_COLUMNS.find((x) => x.key === key)
  return c ? c.header : key
}
