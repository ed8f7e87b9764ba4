// The calendar's import as an XLSX template as well as CSV (日期 / 类型 with a 休/班 drop-down /
// 名称, the year's exceptions filled in; the browser reads the sheet and sends its rows, checked
// as the CSV's records with the sheet's row numbers) and the audit log exported to XLSX as well
// as CSV (the CSV's columns and filters, newest first, audited; written in batches — the memory
// measurement is bench/audit-xlsx.sh, docs/performance.md).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, ok, listAll, uniq } from './lib.mjs';
import { xlsxRows, unzip } from './tasks-lib.mjs';

let srv, admin, office, auditor;
before(async () => {
    srv = await startServer();
    admin = await srv.login('sysadmin');
    office = await srv.login('office');
    auditor = await srv.login('auditor');
});
after(async () => { await srv.stopAndCheck(); });

test('calendar template: 日期/类型/名称 with a 休/班 drop-down and notes, the year\'s exceptions filled in', async () => {
    ok(await admin.post('/api/v1/calendar/import', { year: 2031, csv: 'date,kind,name\n2031-10-01,休,国庆节\n2031-10-11,班,国庆节调休\n' }));
    const r = await admin.get('/api/v1/calendar/import-template.xlsx?year=2031');
    assert.equal(r.status, 200, r.text.slice(0, 200));
    assert.match(r.headers.get('content-disposition') || '', /attachment;.*\.xlsx/);
    const rows = xlsxRows(r.buf);
    assert.deepEqual(rows[0], ['日期*', '类型*', '名称']);
    assert.deepEqual(rows.slice(1), [['2031-10-01', '休', '国庆节'], ['2031-10-11', '班', '国庆节调休']]);
    const files = unzip(r.buf);
    const sheet = files['xl/worksheets/sheet1.xml'].toString('utf8');
    assert.match(sheet, /<dataValidation [^>]*sqref="B2:B\d+"[\s\S]*?<formula1>"休,班"<\/formula1>/, 'a 休/班 drop-down');
    const notes = Object.keys(files).filter((f) => /comments\d*\.xml$/.test(f)).map((f) => files[f].toString('utf8')).join('');
    assert.match(notes, /YYYY-MM-DD/);
    // an empty year: an example row
    assert.equal(xlsxRows((await admin.get('/api/v1/calendar/import-template.xlsx?year=2033')).buf)[1][1], '休');
    assertError(await office.get('/api/v1/calendar/import-template.xlsx?year=2031'), 403, 'forbidden');
});

test('calendar import from the sheet\'s rows: the same checks as CSV, errors by sheet row, all or nothing', async () => {
    const bad = await admin.post('/api/v1/calendar/import', { year: 2032, rows: [
        { date: '2032-10-01', kind: '休', name: '国庆节' },
        { date: '2032-13-01', kind: '休', name: '' },
        { date: '2032-10-09', kind: '上班', name: 'x' },
        { date: '2032-10-01', kind: '班', name: '重复' },
    ] });
    const err = assertError(bad, 400, 'invalid');
    assert.deepEqual(err.fields.rows.map((x) => x.row), [3, 4, 5], JSON.stringify(err.fields.rows));
    assert.equal(ok(await admin.get('/api/v1/calendar?year=2032')).items.length, 0, 'nothing imported');
    const j = ok(await admin.post('/api/v1/calendar/import', { year: 2032, rows: [
        { date: '2032-10-01', kind: '休', name: '国庆节' },
        { date: '2032-10-02', kind: 'holiday', name: '国庆"节"' },
        { date: '2032-10-09', kind: '班', name: '国庆节调休' },
    ] }));
    assert.deepEqual(j.items.map((x) => [x.date, x.kind, x.name]), [
        ['2032-10-01', 'holiday', '国庆节'], ['2032-10-02', 'holiday', '国庆"节"'], ['2032-10-09', 'workday', '国庆节调休']]);
    // the template of the imported year reads back what was imported
    const back = xlsxRows((await admin.get('/api/v1/calendar/import-template.xlsx?year=2032')).buf).slice(1);
    assert.deepEqual(back.map((x) => x[1]), ['休', '休', '班']);
    // bad bodies
    assertError(await admin.post('/api/v1/calendar/import', { year: 2032, rows: [] }), 400, 'invalid');
    assertError(await admin.post('/api/v1/calendar/import', { year: 2032, rows: [{ date: 20321001 }] }), 400, 'invalid');
    assertError(await admin.post('/api/v1/calendar/import', { year: 2032, rows: [{ date: '2032-10-03', kind: '休', name: 'a\nb' }] }), 400, 'invalid');
});

test('audit export.xlsx: the CSV\'s columns under Chinese headers, the filters, newest first, audited', async () => {
    const code = uniq('ax');
    ok(await office.post('/api/v1/units', { code, name: `=HYPERLINK("http://x","${code}")`, kind: 'other' }), 201);
    const r = await auditor.get('/api/v1/audit/export.xlsx?action=unit.create');
    assert.equal(r.status, 200, r.text.slice(0, 200));
    assert.equal(r.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    assert.match(r.headers.get('content-disposition') || '', /^attachment;.*\.xlsx/);
    const rows = xlsxRows(r.buf);
    assert.deepEqual(rows[0], ['序号', '时间', '操作人', '操作人ID', '角色', '单位ID', 'IP地址', '请求ID', '操作', '对象类型', '对象ID', '结果', '详情']);
    const data = rows.slice(1);
    const list = await listAll(auditor, '/api/v1/audit?action=unit.create');
    assert.equal(data.length, list.length, 'the list\'s rows');
    assert.deepEqual(data.map((x) => Number(x[0])), list.map((x) => x.seq), 'newest first, as the list');
    assert.ok(data.every((x) => x[8] === 'unit.create'));
    const mine = data.find((x) => x[12].includes(code));
    assert.ok(mine, 'the new unit\'s record');
    // a value is text, never a formula
    const sheet = unzip(r.buf)['xl/worksheets/sheet1.xml'].toString('utf8');
    assert.doesNotMatch(sheet, /<f>/);
    const ex = await listAll(auditor, '/api/v1/audit?action=audit.export');
    assert.ok(ex.some((x) => x.request_id === r.headers.get('x-request-id')), 'audit.export record');
    // more than one batch (1000 rows): every record of an unfiltered export, in order
    const all = xlsxRows((await auditor.get('/api/v1/audit/export.xlsx')).buf).slice(1).map((x) => Number(x[0]));
    assert.ok(all.length > 0 && all.every((s, i) => i === 0 || s < all[i - 1]), 'strictly newest first');
    assertError(await auditor.get('/api/v1/audit/export.xlsx?result=maybe'), 400, 'invalid');
    for (const who of [office, admin]) assertError(await who.get('/api/v1/audit/export.xlsx'), 403, 'forbidden');
});
