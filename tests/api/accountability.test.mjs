// 问责 (src/features/accountability): records of 约谈, 通报批评, 责令检查, 诫勉, 组织处理, 纪律处分
// against a unit and its official, with the deciding body and the day decided. The office records
// them (WZ<year>-<id> numbers); leaders and inspectors read; a unit's clerk reads none (the
// officials' names are personal data of people under accountability); the day decided is never
// in the future; the metrics count the period's records and break them down by measure and by
// unit — each value a hand count and the total of the list its drill opens; the office's old
// spreadsheet imports; the export carries the columns.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, ok, uniq } from './lib.mjs';
import { actors, today, addDays, xlsxRows } from './tasks-lib.mjs';

let srv, c, u;
before(async () => {
    srv = await startServer();
    ({ c, u } = await actors(srv));
});
after(async () => { await srv.stopAndCheck(); });

const PATH = '/api/v1/accountabilities';
const MEASURES = ['interview', 'criticism', 'self_review', 'admonition', 'organisational', 'disciplinary'];

function body(extra = {}) {
    return { decided_on: today(), unit_id: u.cgjd.id, person_name: '张某某', person_position: '街道办事处主任',
        measure: 'interview', deciding_body: '区委依法治区办', document_no: '区法治督〔2026〕9号',
        reason: '法治督察发现问题整改不力。', basis: '《法治政府建设与责任落实督察工作规定》第三十一条', ...extra };
}

test('the office records a measure: its number, its fields; refusals say why and change nothing', async () => {
    const finding = ok(await c.office.get('/api/v1/inspection-findings?per_page=1')).items[0];
    assert.ok(finding, 'the demo has findings');
    const r = ok(await c.office.post(PATH, body({ finding_id: finding.id })), 201);
    assert.match(r.record_no, new RegExp(`^WZ${today().slice(0, 4)}-\\d{6}$`));
    assert.equal(r.record_no.slice(-6), String(r.id).padStart(6, '0'));
    assert.equal(r.unit_name, u.cgjd.name);
    assert.equal(r.measure_name, '约谈');
    assert.equal(r.finding_id, finding.id);
    const before = ok(await c.office.get(`${PATH}?per_page=1`)).total;
    // the day decided is not in the future; the measure is one of the six; the unit exists
    let e = assertError(await c.office.post(PATH, body({ decided_on: addDays(today(), 1) })), 400, 'invalid');
    assert.ok(e.fields.decided_on);
    e = assertError(await c.office.post(PATH, body({ finding_id: 999999999 })), 400, 'invalid');
    assert.match(e.fields.finding_id, /不存在或不在您的数据范围内/);
    e = assertError(await c.office.post(PATH, body({ measure: 'fine' })), 400, 'invalid');
    assert.ok(e.fields.measure);
    e = assertError(await c.office.post(PATH, body({ unit_id: 999999 })), 400, 'invalid');
    assert.ok(e.fields.unit_id);
    e = assertError(await c.office.post(PATH, body({ deciding_body: '', reason: '' })), 400, 'invalid');
    assert.ok(e.fields.deciding_body && e.fields.reason);
    // only the office records: leaders and inspectors read, clerks do neither
    assertError(await c.inspector.post(PATH, body()), 403, 'forbidden');
    assertError(await c.leader.post(PATH, body()), 403, 'forbidden');
    assertError(await c.clerk2.post(PATH, body()), 403, 'forbidden');
    assert.equal(ok(await c.office.get(`${PATH}?per_page=1`)).total, before, 'nothing written');
    // editing keeps the number; the date rule holds on edit too
    const cur = ok(await c.office.get(`${PATH}/${r.id}`));
    const ed = ok(await c.office.put(`${PATH}/${r.id}`, { ...body({ measure: 'criticism' }), version: cur.version }));
    assert.equal(ed.measure, 'criticism');
    assert.equal(ed.record_no, r.record_no);
    assertError(await c.office.put(`${PATH}/${r.id}`, { ...body({ decided_on: addDays(today(), 3) }), version: ed.version }), 400, 'invalid');
});

test('who reads the officials\' records: accountability.view only (office, leader, inspector), never a clerk or the public', async () => {
    const r = ok(await c.office.post(PATH, body({ person_name: uniq('李') })), 201);
    for (const who of [c.office, c.leader, c.inspector]) {
        const got = ok(await who.get(`${PATH}/${r.id}`));
        assert.equal(got.person_name, r.person_name);
    }
    // the clerk of the very unit held to account reads none of them
    assertError(await c.clerk2.get(`${PATH}/${r.id}`), 403, 'forbidden');
    assertError(await c.clerk2.get(PATH), 403, 'forbidden');
    assertError(await c.clerk2.get('/api/v1/metrics/accountabilities'), 403, 'forbidden');
    assertError(await c.sysadmin.get(PATH), 403, 'forbidden');
    // no public answer names them
    const anon = srv.client();
    const pub = await anon.get(PATH);
    assert.equal(pub.status, 401);
    assert.ok(!JSON.stringify(ok(await c.clerk2.get('/api/v1/menu'))).includes('/accountabilities'));
});

test('metrics: the period\'s records, by measure and by unit — a hand count, and each the total of its drill list', async () => {
    const FROM = addDays(today(), -30), P = `from=${FROM}&to=${today()}`;
    const get = async (who, q = '') => ok(await who.get(`/api/v1/metrics/accountabilities?${P}${q}`));
    const n = (m, f, v) => (m.by[f].find((x) => x.value === v) || { count: 0 }).count;
    const before = await get(c.office);
    assert.deepEqual(before.by_fields.map((f) => f.field), ['measure', 'unit_id']);
    // one of every measure at the street, two more 诫勉 at the justice bureau, one outside the period
    for (const m of MEASURES) ok(await c.office.post(PATH, body({ measure: m, decided_on: addDays(today(), -2) })), 201);
    for (let i = 0; i < 2; i++) ok(await c.office.post(PATH, body({ measure: 'admonition', unit_id: u.sfj.id, person_name: '' })), 201);
    ok(await c.office.post(PATH, body({ decided_on: addDays(today(), -60) })), 201);
    const m = await get(c.office);
    const item = (code) => m.items.find((i) => i.code === code);
    assert.equal(item('received').num, before.items.find((i) => i.code === 'received').num + 8);
    assert.equal(item('persons').num, before.items.find((i) => i.code === 'persons').num + 6);
    for (const x of MEASURES)
        assert.equal(n(m, 'measure', x), n(before, 'measure', x) + (x === 'admonition' ? 3 : 1), x);
    assert.equal(n(m, 'unit_id', u.cgjd.id), n(before, 'unit_id', u.cgjd.id) + 6);
    assert.equal(n(m, 'unit_id', u.sfj.id), n(before, 'unit_id', u.sfj.id) + 2);
    assert.equal(m.by.measure.find((x) => x.value === 'admonition').label, '诫勉');
    assert.equal(m.by.measure.reduce((s, x) => s + x.count, 0), item('received').num);
    const total = async (who, q) => ok(await who.get(`${PATH}?${q}&per_page=1`)).total;
    for (const i of m.items) assert.equal(await total(c.office, i.drill), i.num, i.code);
    for (const f of Object.keys(m.by))
        for (const x of m.by[f]) assert.equal(await total(c.office, x.drill), x.count, `${f}=${x.value}`);
    // one unit: its records only; the inspector (scope all) the office's numbers
    const one = await get(c.office, `&unit_id=${u.sfj.id}`);
    assert.deepEqual(one.by.unit_id.map((x) => [x.value, x.count]), [[u.sfj.id, n(m, 'unit_id', u.sfj.id)]]);
    for (const x of one.by.measure) assert.equal(await total(c.office, x.drill), x.count);
    assert.deepEqual((await get(c.inspector)).by, m.by);
});

test('export, and the import of the office\'s old spreadsheet (units and measures by their names)', async () => {
    const tag = uniq('旧台账');
    const t = await c.office.get(`${PATH}/import-template.xlsx`);
    assert.equal(t.status, 200);
    const [heads] = xlsxRows(t.buf);
    assert.deepEqual(heads.map((h) => h.replace(/\*$/, '')), ['决定日期', '被问责单位', '被问责人', '职务', '问责方式', '决定机关',
        '决定文号', '问责事由', '问责依据']);
    const rows = [
        { decided_on: '2025-06-18', unit: '城关街道', person_name: '王某', person_position: '副主任', measure: '通报批评',
            deciding_body: '区委依法治区办', document_no: '区法治督〔2025〕2号', reason: `${tag} 甲`, basis: '' },
        { decided_on: '2025-09-02', unit: '区司法局', person_name: '', person_position: '', measure: '责令检查',
            deciding_body: '区人民政府', document_no: '', reason: `${tag} 乙`, basis: '' },
    ];
    assertError(await c.leader.post(`${PATH}/import`, { rows }), 403, 'forbidden');
    const bad = assertError(await c.office.post(`${PATH}/import`, { rows: [{ ...rows[0], measure: '罚款' }] }), 400, 'invalid');
    assert.ok(JSON.stringify(bad).includes('measure'));
    const res = ok(await c.office.post(`${PATH}/import`, { rows }), 201);
    assert.equal(res.created, 2);
    const got = ok(await c.office.get(`${PATH}?q=${encodeURIComponent(tag)}&sort=decided_on`)).items;
    assert.deepEqual(got.map((x) => [x.decided_on, x.unit_id, x.measure, x.record_no.slice(0, 6)]),
        [['2025-06-18', u.cgjd.id, 'criticism', 'WZ2025'], ['2025-09-02', u.sfj.id, 'self_review', 'WZ2025']]);
    const xl = await c.office.get(`${PATH}/export.xlsx?q=${encodeURIComponent(tag)}&sort=decided_on`);
    assert.equal(xl.status, 200);
    const [head, ...out] = xlsxRows(xl.buf);
    for (const h of ['问责编号', '决定日期', '被问责单位', '被问责人', '问责方式', '决定机关', '问责事由']) assert.ok(head.includes(h), h);
    assert.equal(out.length, 2);
    assert.equal(out[0][head.indexOf('问责方式')], '通报批评');
});

test('the demo: records of every measure across the demo units; the menu entry', async () => {
    const all = ok(await c.office.get(`${PATH}?per_page=200`)).items;
    for (const m of MEASURES) assert.ok(all.some((x) => x.measure === m && x.record_no), m);
    assert.ok(new Set(all.map((x) => x.unit_id)).size >= 6, 'across units');
    assert.ok(all.every((x) => x.finding_id === null || typeof x.finding_id === 'number'));
    const menu = ok(await c.office.get('/api/v1/menu'));
    const g = menu.groups.find((x) => x.key === 'inspection');
    const item = g.items.find((i) => i.path === '/accountabilities');
    assert.ok(item, 'the menu entry 问责记录');
    assert.equal(item.page, 'entity');
});
