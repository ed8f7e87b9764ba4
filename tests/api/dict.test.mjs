// 数据字典: categories, rhythms, priorities, document kinds and the 12348 service types and
// channels are dictionaries (module dict) seeded from the code's values. An enum field that names a
// dictionary takes its options from it: validation on write, labels in lists and exports, the
// served declaration (forms), import and the template's drop-downs. A disabled item is refused for
// new records and still labels the old ones; an item in use cannot be deleted; a fixed dictionary
// (the program acts on its codes) takes no new item.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, ok, listAll, uniq } from './lib.mjs';
import { actors, createTask, xlsxRows, unzip } from './tasks-lib.mjs';

let srv, c, u;
before(async () => {
    srv = await startServer();
    ({ c, u } = await actors(srv));
});
after(async () => { await srv.stopAndCheck(); });

const ITEMS = '/api/v1/dict/items';

async function typeId(code) {
    const types = ok(await c.sysadmin.get('/api/v1/dict/types?per_page=100')).items;
    const t = types.find((x) => x.code === code);
    assert.ok(t, `dictionary ${code}; have ${types.map((x) => x.code)}`);
    return t.id;
}
async function items(code) {
    return (await listAll(c.sysadmin, `${ITEMS}?type_id=${await typeId(code)}`));
}
async function item(code, itemCode) {
    const x = (await items(code)).find((i) => i.code === itemCode);
    assert.ok(x, `${code}/${itemCode}`);
    return x;
}
const fieldOf = async (who, entity, name) =>
    ok(await c[who].get(`/api/v1/entities/${entity}`)).fields.find((f) => f.name === name);

test('seeded from the code: every dictionary with its items, in the code\'s order and labels', async () => {
    const types = ok(await c.sysadmin.get('/api/v1/dict/types?per_page=100')).items.map((t) => t.code).sort();
    for (const t of ['task_category', 'task_rhythm', 'task_priority', 'document_kind', 'legal_service_type', 'legal_service_channel'])
        assert.ok(types.includes(t), `dictionary ${t}`);
    assert.deepEqual((await items('task_priority')).map((x) => [x.code, x.zh]),
        [['normal', '一般'], ['high', '重要'], ['urgent', '紧急']]);
    assert.ok((await items('task_category')).some((x) => x.code === '法治政府建设'), 'the demo\'s categories');
    const rhythm = await fieldOf('office', 'tasks', 'rhythm');
    assert.equal(rhythm.dict, 'task_rhythm');
    // who may: the office reads, only the system administrator edits
    ok(await c.office.get(ITEMS));
    assertError(await c.office.post(ITEMS, { type_id: await typeId('task_category'), code: 'x', zh: 'x' }), 403, 'forbidden');
    assertError(await c.clerk1.get(ITEMS), 403, 'forbidden');
});

test('a new item is a valid value at once: form options, validation, list label, export', async () => {
    const zh = uniq('专项类');
    const created = ok(await c.sysadmin.post(ITEMS, { type_id: await typeId('task_category'), code: zh, zh, en: 'Special', sort_order: 5, enabled: true }), 201);
    assert.equal(created.code, zh);
    const cat = await fieldOf('office', 'tasks', 'category');
    assert.ok(cat.options.some((o) => o.value === zh && o.label === zh), 'offered in the form');
    const t = await createTask(c.office, { title: uniq('字典任务'), lead_unit_id: u.sfj.id, category: zh });
    assert.equal(t.category, zh);
    // a value no dictionary has is refused, with the field named
    const bad = await c.office.post('/api/v1/tasks', { title: uniq('坏'), lead_unit_id: u.sfj.id, due_on: '2027-01-01', category: '没有这一类' });
    assertError(bad, 400, 'invalid');
    assert.ok(bad.json.error.fields.category, JSON.stringify(bad.json.error));
    // deleting an item in use is refused with a clear message; unused, it goes
    const x = await item('task_category', zh);
    const refused = await c.sysadmin.del(`${ITEMS}/${x.id}?version=${x.version}`);
    assertError(refused, 409, 'in_use');
    assert.match(refused.json.error.message, /停用/);
    const spare = ok(await c.sysadmin.post(ITEMS, { type_id: await typeId('task_category'), code: uniq('空类'), zh: uniq('空类') }), 201);
    ok(await c.sysadmin.del(`${ITEMS}/${spare.id}?version=${spare.version}`), 200);
    // a duplicate code in one dictionary is a field error
    assertError(await c.sysadmin.post(ITEMS, { type_id: await typeId('task_category'), code: zh, zh: '重复' }), 400, 'invalid');
});

test('relabelling an item changes the label everywhere it is shown, without touching the records', async () => {
    const t = await createTask(c.office, { title: uniq('改名'), lead_unit_id: u.sfj.id, priority: 'urgent' });
    const urgent = await item('task_priority', 'urgent');
    const label = uniq('特急');
    ok(await c.sysadmin.put(`${ITEMS}/${urgent.id}`, { ...urgent, zh: label, en: 'Top', version: urgent.version }));
    const pr = await fieldOf('office', 'tasks', 'priority');
    assert.equal(pr.options.find((o) => o.value === 'urgent').label, label, 'the form\'s option');
    const r = await c.office.get(`/api/v1/tasks/export.xlsx?q=${encodeURIComponent(t.title)}`);
    const rows = xlsxRows(r.buf);
    const col = rows[0].indexOf('优先级');
    assert.equal(rows[1][col], label, 'the export\'s label');
    assert.equal(ok(await c.office.get(`/api/v1/tasks/${t.id}`)).priority, 'urgent', 'the stored code');
    // English
    const en = ok(await c.office.get('/api/v1/entities/tasks', { headers: { 'Accept-Language': 'en' } }));
    assert.equal(en.fields.find((f) => f.name === 'priority').options.find((o) => o.value === 'urgent').label, 'Top');
    ok(await c.sysadmin.put(`${ITEMS}/${urgent.id}`, { ...urgent, zh: '紧急', en: 'Urgent', version: urgent.version + 1 }));
});

test('a disabled item: refused for new records, still labels the old ones, kept by an update', async () => {
    const kind = await item('document_kind', 'minutes');
    const doc = ok(await c.office.post('/api/v1/documents', { title: uniq('纪要'), kind: 'minutes' }), 201);
    ok(await c.sysadmin.put(`${ITEMS}/${kind.id}`, { ...kind, enabled: false, version: kind.version }));
    try {
        const f = await fieldOf('office', 'documents', 'kind');
        assert.equal(f.options.find((o) => o.value === 'minutes').disabled, true, 'served as disabled');
        const r = await c.office.post('/api/v1/documents', { title: uniq('新纪要'), kind: 'minutes' });
        assertError(r, 400, 'invalid');
        assert.ok(r.json.error.fields.kind);
        const old = ok(await c.office.get(`/api/v1/documents/${doc.id}`));
        assert.equal(old.kind, 'minutes');
        ok(await c.office.put(`/api/v1/documents/${doc.id}`, { ...old, title: `${old.title}改`, version: old.version }));
    } finally {
        const now = await item('document_kind', 'minutes');
        ok(await c.sysadmin.put(`${ITEMS}/${now.id}`, { ...now, enabled: true, version: now.version }));
    }
});

test('a fixed dictionary (the program acts on its codes) takes no new item and deletes none', async () => {
    const r = await c.sysadmin.post(ITEMS, { type_id: await typeId('task_rhythm'), code: 'weekly', zh: '每周' });
    assertError(r, 400, 'invalid');
    assert.ok(r.json.error.fields.type_id);
    const monthly = await item('task_rhythm', 'monthly');
    assertError(await c.sysadmin.del(`${ITEMS}/${monthly.id}?version=${monthly.version}`), 403, 'forbidden');
    // relabelling it is fine
    ok(await c.sysadmin.put(`${ITEMS}/${monthly.id}`, { ...monthly, zh: '按月', version: monthly.version }));
    const rh = await fieldOf('office', 'tasks', 'rhythm');
    assert.equal(rh.options.find((o) => o.value === 'monthly').label, '按月');
    // import reads the new label
    const title = uniq('按月导入');
    ok(await c.office.post('/api/v1/tasks/import', { rows: [{ title, lead_unit: '区司法局', due_on: '2027-03-01', rhythm: '按月', priority: '一般' }] }), 201);
    const t = (await listAll(c.office, `/api/v1/tasks?q=${encodeURIComponent(title)}`))[0];
    assert.equal(t.rhythm, 'monthly');
    const back = await item('task_rhythm', 'monthly');
    ok(await c.sysadmin.put(`${ITEMS}/${back.id}`, { ...back, zh: '每月', version: back.version }));
});

test('the import template: drop-down lists for enumerated columns (from the dictionary) and units (a sheet range), notes on headers', async () => {
    const r = await c.office.get('/api/v1/tasks/import-template.xlsx');
    assert.equal(r.status, 200);
    const files = unzip(r.buf);
    const sheet = files['xl/worksheets/sheet1.xml'].toString('utf8');
    const headers = xlsxRows(r.buf)[0].map((h) => h.replace(/\*$/, ''));
    const colOf = (name) => String.fromCharCode(65 + headers.indexOf(name));
    const dvs = [...sheet.matchAll(/<dataValidation [^>]*sqref="([A-Z]+)2:[A-Z]+(\d+)"[^>]*>([\s\S]*?)<\/dataValidation>/g)]
        .map((m) => ({ col: m[1], last: Number(m[2]), formula: /<formula1>([\s\S]*?)<\/formula1>/.exec(m[3])?.[1] }));
    const dv = (name) => dvs.find((d) => d.col === colOf(name));
    assert.match(dv('优先级')?.formula || '', /"一般,重要,紧急"/, JSON.stringify(dvs));
    assert.match(dv('报送频次')?.formula || '', /每月/);
    assert.ok(dv('类别')?.formula, 'category from the dictionary');
    assert.match(dv('牵头单位')?.formula || '', /单位名称'?!\$A\$2:\$A\$\d+/, 'unit names from the unit sheet');
    assert.ok(dv('优先级').last >= 1000, 'covers the rows of an import');
    assert.ok(!dv('配合单位'), 'a multi-unit cell has no drop-down');
    const comments = Object.keys(files).filter((f) => /comments\d*\.xml$/.test(f)).map((f) => files[f].toString('utf8')).join('');
    assert.match(comments, /必填/, 'a note on the required headers');
    // an item added to the dictionary is offered in the next template
    const zh = uniq('模板类');
    ok(await c.sysadmin.post(ITEMS, { type_id: await typeId('task_category'), code: zh, zh }), 201);
    const again = unzip((await c.office.get('/api/v1/tasks/import-template.xlsx')).buf);
    const all = Object.values(again).map((b) => b.toString('utf8')).join('');
    assert.ok(all.includes(zh), 'the new category is in the template');
});
