// Excel: export.xlsx (a real XLSX with the Chinese headers, the caller's scope and the list's
// filters), the import template, and import (all-or-nothing with the sheet's row numbers; drafts).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, ok, listAll, uniq } from './lib.mjs';
import { actors, createTask, act, issuedTask, day, xlsxRows, unzip, EXPORT_HEADERS } from './tasks-lib.mjs';

let srv, c, u;
before(async () => {
    srv = await startServer();
    ({ c, u } = await actors(srv));
});
after(async () => { await srv.stopAndCheck(); });

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function exportRows(who, query = '') {
    const r = await c[who].get(`/api/v1/tasks/export.xlsx${query ? `?${query}` : ''}`);
    assert.equal(r.status, 200, `${who} export: ${r.status} ${r.text.slice(0, 200)}`);
    assert.equal(r.headers.get('content-type'), XLSX_TYPE);
    assert.ok(r.buf.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04])), 'zip magic PK\\3\\4');
    assert.match(r.headers.get('content-disposition') || '', /^attachment;.*\.xlsx/);
    const rows = xlsxRows(r.buf);
    return { rows, r };
}

const rowFor = (rows, title) => rows.find((x) => x[1] === title);

test('export.xlsx: XLSX with the Chinese headers and one row per task in the list, in list order', async () => {
    const tag = uniq('X');
    const doc = ok(await c.office.post('/api/v1/documents', { title: `${tag} 来源`, kind: 'plan' }), 201);
    let t = await issuedTask(c, u.sfj, [u.cgjd, u.police], { title: `${tag} 甲`, document_id: doc.id, category: '执法监督',
        tags: ['重点', '年度'], responsible: '赵六', start_on: day(-30), due_on: day(-3), rhythm: 'monthly', priority: 'urgent' }, ['clerk1']);
    t = await act(c.office, t, 'supervise');
    t = await act(c.clerk1, t, 'report', { note: '最新的进展说明', progress: 60 });
    const { rows, r } = await exportRows('office', `q=${encodeURIComponent(tag)}`);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    assert.deepEqual(rows[0], EXPORT_HEADERS);
    assert.equal(rows.length, 2, 'header + one task');
    const row = rows[1];
    assert.equal(row[0], '1', '序号');
    assert.equal(row[1], `${tag} 甲`);
    assert.equal(row[2], `${tag} 来源`);
    assert.equal(row[3], '执法监督');
    assert.deepEqual(row[4].split(/[、,;，；]/).sort(), ['年度', '重点'].sort());
    assert.equal(row[5], u.sfj.name);
    assert.deepEqual(row[6].split(/[、,;，；]/).sort(), [u.cgjd.name, u.police.name].sort());
    assert.equal(row[7], '赵六');
    assert.equal(row[8], day(-30));
    assert.equal(row[9], day(-3));
    assert.equal(row[10], '每月');
    assert.equal(row[11], '紧急');
    assert.equal(row[12], '是');
    assert.equal(row[13], '办理中');
    assert.match(row[14], /^红/, '预警: red');
    assert.equal(row[15], '3', '逾期天数');
    assert.equal(row[16], '最新的进展说明');
    // the whole list, in the list's order
    const all = await listAll(c.office, '/api/v1/tasks');
    const full = (await exportRows('office')).rows;
    assert.deepEqual(full.slice(1).map((x) => x[1]), all.map((x) => x.title), 'every task of the list, same order');
});

test('export follows the filters and the caller\'s scope: clerk1 gets only 区司法局 tasks', async () => {
    const tag = uniq('S');
    const mine = await issuedTask(c, u.sfj, [], { title: `${tag} 司法局` });
    const co = await issuedTask(c, u.police, [u.sfj], { title: `${tag} 司法局配合` });
    const other = await issuedTask(c, u.cgjd, [], { title: `${tag} 城关` });
    await createTask(c.office, { title: `${tag} 草稿`, lead_unit_id: u.sfj.id });
    const clerkRows = (await exportRows('clerk1')).rows.slice(1);
    const clerkList = await listAll(c.clerk1, '/api/v1/tasks');
    assert.deepEqual(clerkRows.map((x) => x[1]), clerkList.map((x) => x.title), 'clerk1 export = clerk1 list');
    const titles = clerkRows.map((x) => x[1]);
    assert.ok(titles.includes(mine.title) && titles.includes(co.title));
    assert.ok(!titles.includes(other.title), 'no task of another unit');
    assert.ok(!titles.includes(`${tag} 草稿`), 'no draft');
    for (const x of clerkRows) {
        assert.ok(x[5] === u.sfj.name || x[6].includes(u.sfj.name), `clerk1 export row of another unit: ${x[1]}`);
    }
    // clerk2 asking for 区司法局's tasks gets none of them
    const c2 = (await exportRows('clerk2', `unit_id=${u.sfj.id}&q=${encodeURIComponent(tag)}`)).rows;
    assert.equal(c2.length, 1, 'clerk2: header only');
    const office = (await exportRows('office', `q=${encodeURIComponent(tag)}&status=issued`)).rows.slice(1).map((x) => x[1]);
    assert.deepEqual(office.sort(), [mine.title, co.title, other.title].sort());
    const red = (await exportRows('office', 'light=red')).rows.slice(1).map((x) => x[1]);
    assert.deepEqual(red, (await listAll(c.office, '/api/v1/tasks?light=red')).map((x) => x.title));
    assertError(await c.office.get('/api/v1/tasks/export.xlsx?light=purple'), 400, 'invalid');
    assertError(await c.auditor.get('/api/v1/tasks/export.xlsx'), 403, 'forbidden');
});

test('import template: XLSX with the import headers, an example row and a sheet of unit names', async () => {
    const r = await c.office.get('/api/v1/tasks/import-template.xlsx');
    assert.equal(r.status, 200, r.text.slice(0, 200));
    assert.equal(r.headers.get('content-type'), XLSX_TYPE);
    const rows = xlsxRows(r.buf);
    assert.deepEqual(rows[0].map((h) => h.replace(/\*$/, '')), ['任务名称', '任务内容', '类别', '标签', '牵头单位', '配合单位', '责任人',
        '开始日期', '截止日期', '报送频次', '优先级']);
    assert.ok(rows[1]?.[0], 'an example row');
    const names = xlsxRows(r.buf, 'xl/worksheets/sheet2.xml').slice(1).map((x) => x[0]);
    assert.ok(names.includes(u.sfj.name) && names.includes(u.cgjd.name), 'the unit names sheet');
    assert.ok(Object.keys(unzip(r.buf)).includes('xl/workbook.xml'));
    assertError(await c.clerk1.get('/api/v1/tasks/import-template.xlsx'), 403, 'forbidden');
});

const goodRow = (title, extra = {}) => ({ title, content: '导入内容', category: '制度建设', tags: '导入、重点', lead_unit: '区司法局',
    co_units: '城关街道;区公安分局', responsible: '钱七', start_on: day(0), due_on: day(45), rhythm: '每月', priority: '紧急', ...extra });

test('import: a bad row is named by its sheet row number (header = 1, first data row = 2) and nothing is written', async () => {
    const tag = uniq('I');
    const before = ok(await c.office.get('/api/v1/tasks')).total;
    const auditBefore = ok(await c.auditor.get('/api/v1/audit?action=task.import')).total;
    const rows = [goodRow(`${tag} 一`), goodRow(`${tag} 二`), goodRow(`${tag} 三`, { lead_unit: '不存在的单位' }),
        goodRow(`${tag} 四`), goodRow(`${tag} 五`, { due_on: '2026-13-01' }), goodRow(`${tag} 六`, { priority: '特急' })];
    const e = assertError(await c.office.post('/api/v1/tasks/import', { rows }), 400, 'invalid');
    const errs = e.fields?.rows;
    assert.ok(Array.isArray(errs), JSON.stringify(e));
    const byRow = errs.map((x) => [x.row, x.field]);
    assert.ok(byRow.some(([r, f]) => r === 4 && f === 'lead_unit'), `row 4 lead_unit: ${JSON.stringify(errs)}`);
    assert.ok(byRow.some(([r, f]) => r === 6 && f === 'due_on'), `row 6 due_on: ${JSON.stringify(errs)}`);
    assert.ok(byRow.some(([r, f]) => r === 7 && f === 'priority'), `row 7 priority: ${JSON.stringify(errs)}`);
    assert.ok(errs.every((x) => [4, 6, 7].includes(x.row)), `only the bad rows: ${JSON.stringify(errs)}`);
    assert.ok(errs.every((x) => typeof x.message === 'string' && x.message.length > 0));
    assert.equal(ok(await c.office.get('/api/v1/tasks')).total, before, 'nothing written');
    assert.equal(ok(await c.office.get(`/api/v1/tasks?q=${encodeURIComponent(tag)}`)).total, 0);
    assert.equal(ok(await c.auditor.get('/api/v1/audit?action=task.import')).total, auditBefore);
    // more kinds of bad cells
    const bad = [
        [{ title: '' }, 'title'], [{ co_units: '区司法局' }, 'co_units'], [{ co_units: '火星局' }, 'co_units'],
        [{ rhythm: '每周' }, 'rhythm'], [{ due_on: '' }, 'due_on'], [{ start_on: day(60) }, 'due_on'],
    ];
    for (const [cells, field] of bad) {
        const r = await c.office.post('/api/v1/tasks/import', { rows: [goodRow(`${tag} 好`), goodRow(`${tag} 坏`, cells)] });
        const er = assertError(r, 400, 'invalid', JSON.stringify(cells));
        assert.ok(er.fields.rows.some((x) => x.row === 3 && x.field === field), `${JSON.stringify(cells)} → row 3 ${field}: ${JSON.stringify(er.fields.rows)}`);
    }
    assert.equal(ok(await c.office.get('/api/v1/tasks')).total, before, 'still nothing written');
    assertError(await c.office.post('/api/v1/tasks/import', { rows: [] }), 400, 'invalid');
    assertError(await c.office.post('/api/v1/tasks/import', { rows: Array.from({ length: 2001 }, (_, i) => goodRow(`${tag} ${i}`)) }), 400, 'invalid');
    assertError(await c.clerk1.post('/api/v1/tasks/import', { rows: [goodRow('x')] }), 403, 'forbidden');
});

test('import: good rows create drafts with units by name or code, tags and co-units split on 、 , ;', async () => {
    const tag = uniq('G');
    const doc = ok(await c.office.post('/api/v1/documents', { title: `${tag} 方案`, kind: 'plan' }), 201);
    const before = ok(await c.office.get('/api/v1/tasks')).total;
    const rows = [goodRow(`${tag} 一`), goodRow(`${tag} 二`, { lead_unit: u.cgjd.code, co_units: '', tags: 'a,b;c', rhythm: '不报送', priority: '一般' }),
        goodRow(`${tag} 三`, { rhythm: '每季度', priority: '重要', co_units: `${u.police.name}、${u.finance.name}` })];
    const j = ok(await c.office.post('/api/v1/tasks/import', { document_id: doc.id, rows }), 201);
    assert.equal(j.created, 3);
    assert.equal(j.ids.length, 3);
    assert.equal(ok(await c.office.get('/api/v1/tasks')).total, before + 3);
    const [a, b, cc] = await Promise.all(j.ids.map((id) => c.office.get(`/api/v1/tasks/${id}`).then((r) => ok(r))));
    for (const t of [a, b, cc]) {
        assert.equal(t.status, 'draft');
        assert.equal(t.document_id, doc.id);
    }
    assert.equal(a.title, `${tag} 一`);
    assert.equal(a.lead_unit_id, u.sfj.id);
    assert.deepEqual(a.co_units.map((x) => x.unit_id).sort(), [u.cgjd.id, u.police.id].sort());
    assert.deepEqual(a.tags.slice().sort(), ['导入', '重点'].sort());
    assert.equal(a.rhythm, 'monthly');
    assert.equal(a.priority, 'urgent');
    assert.equal(a.due_on, day(45));
    assert.equal(a.responsible, '钱七');
    assert.equal(b.lead_unit_id, u.cgjd.id, 'lead unit by code');
    assert.deepEqual(b.co_units, []);
    assert.deepEqual(b.tags.slice().sort(), ['a', 'b', 'c']);
    assert.equal(b.rhythm, 'none');
    assert.equal(b.priority, 'normal');
    assert.equal(cc.rhythm, 'quarterly');
    assert.equal(cc.priority, 'high');
    assert.deepEqual(cc.co_units.map((x) => x.unit_id).sort(), [u.police.id, u.finance.id].sort());
    // imported drafts are invisible to clerks until issued
    assert.ok(!(await listAll(c.clerk1, '/api/v1/tasks')).some((x) => j.ids.includes(x.id)));
    const audit = ok(await c.auditor.get('/api/v1/audit?action=task.import')).items;
    assert.ok(audit.length >= 1 && audit[0].actor === 'office');
});
