// The columns of an indicator system's sheet (GET /assess-systems/{id}/export.xlsx, POST …/import):
// the row keys the server takes and the headers a column may have (shell/excel.js readSheet).
export const SHEET_COLUMNS = [
  { key: 'code', headers: ['编号', 'Code', 'code'], required: true },
  { key: 'level', headers: ['层级', 'Level', 'level'], required: true },
  { key: 'parent_code', headers: ['上级编号', 'Parent', 'parent_code'] },
  { key: 'name', headers: ['指标名称', 'Indicator', 'name'], required: true },
  { key: 'weight', headers: ['分值', 'Weight', 'weight'], required: true },
  { key: 'rule', headers: ['计分规则', 'Rule', 'rule'] },
  { key: 'metric', headers: ['数据指标', 'Metric', 'metric'] },
  { key: 'params', headers: ['规则参数', 'Parameters', 'params'] },
  { key: 'method', headers: ['评分标准', 'Scoring standard', 'method'] },
  { key: 'evidence', headers: ['佐证材料', '佐证材料要求', 'Evidence', 'evidence'] },
]
