// 决策事项目录 (src/features/catalog): a year's catalogue walks 编制 → 报审 → 审定 → 公布 as the
// office, its items following each step at once (never item by item); every other step is 409
// with what is possible; after publication an item changes only by 调整 / 调出 with a reason (a
// missing one is 400 naming it: 请填写调整理由), an item is added only by 增补 with one, and each
// shows as the item's 调整说明 and in the public answer, which works without a session and holds
// no internal field; a clerk of another unit gets 404; 建档率's counts are hand counts;
// export and import round trip (the imported year gets its own catalogue).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, ok, uniq } from './lib.mjs';
import { actors, xlsxRows } from './tasks-lib.mjs';

let srv, c, u;
before(async () => {
    srv = await startServer();
    ({ c, u } = await actors(srv));
});
after(async () => { await srv.stopAndCheck(); });

const CAT = '/api/v1/decision-catalogues';
const ITEMS = '/api/v1/decision-items';
let nextYear = 2040;

async function catalogue(year = nextYear++) {
    return ok(await c.office.post(CAT, { year, deciding_body: '区人民政府' }), 201);
}
async function item(cat, body = {}) {
    return ok(await c.office.post(ITEMS, {
        catalogue_id: cat.id, title: uniq('重大行政决策事项'), deciding_body: '区人民政府',
        lead_unit_id: u.cgjd.id, legal_basis: '《重大行政决策程序暂行条例》第三条',
        planned_quarter: 'q2', planned_month: 5, matter_type: 'policy', summary: '事项概述。', ...body,
    }), 201);
}
async function act(who, path, rec, action, body = {}) {
    const cur = ok(await c.office.get(`${path}/${rec.id}`));
    return who.post(`${path}/${rec.id}/actions/${action}`, { version: cur.version, ...body });
}
const step = async (who, path, rec, action, body) => ok(await act(who, path, rec, action, body), 200, action);
const get = async (path, rec, who = c.office) => ok(await who.get(`${path}/${rec.id}`));
function refused(r, allowed) {
    assertError(r, 409, 'invalid_transition');
    if (allowed) assert.deepEqual([...r.json.error.fields.allowed_actions].sort(), [...allowed].sort());
}

/** A published catalogue of `n` items (the first `cg` led by 城关街道, the rest by 区司法局). */
async function published(n = 3, cg = 2) {
    const cat = await catalogue();
    const items = [];
    for (let i = 0; i < n; i++) items.push(await item(cat, { lead_unit_id: i < cg ? u.cgjd.id : u.sfj.id }));
    await step(c.office, CAT, cat, 'submit');
    await step(c.office, CAT, cat, 'approve', { approval_ref: '区政府常务会议' });
    await step(c.office, CAT, cat, 'publish', { publish_channel: '区政府门户网站' });
    return { cat, items };
}

test('the catalogue: 报审, 退回, 审定 and 公布 of the year at once, its items following; every other step refused', async () => {
    const cat = await catalogue();
    assert.equal(cat.status, 'drafting');
    assert.match(cat.title, /^\d{4}年度重大行政决策事项目录$/);
    assertError(await c.office.post(CAT, { year: cat.year, deciding_body: '区人民政府' }), 400, 'invalid');
    assertError(await c.clerk2.post(CAT, { year: 2099, deciding_body: '区人民政府' }), 403, 'forbidden');
    // an empty catalogue cannot be submitted: the guard says why
    assert.deepEqual(cat.allowed_actions, []);
    const empty = await act(c.office, CAT, cat, 'submit');
    refused(empty, []);
    assert.match(empty.json.error.message, /没有编制中的事项/);
    const a = await item(cat), b = await item(cat, { lead_unit_id: u.sfj.id, planned_quarter: 'q3', planned_month: null });
    assert.match(a.item_no, new RegExp(`^SX${cat.year}-\\d{6}$`));
    assert.equal(a.status, 'draft');
    assert.equal(a.year, cat.year);
    assert.equal(a.decision_id, null, 'no decision file until the decision module links it');
    assert.equal(a.decision_no, null);
    // a month outside the quarter, an unknown catalogue, a year that is not the catalogue's
    const bad = await c.office.post(ITEMS, { catalogue_id: cat.id, year: cat.year + 1, title: 'x', deciding_body: '区政府',
        lead_unit_id: u.cgjd.id, legal_basis: 'x', planned_quarter: 'q1', planned_month: 7, matter_type: 'plan', summary: 'x' });
    assertError(bad, 400, 'invalid');
    assert.deepEqual(Object.keys(bad.json.error.fields).sort(), ['planned_month', 'year']);
    // a draft item is edited freely; its steps are the catalogue's
    const ed = ok(await c.office.put(`${ITEMS}/${a.id}`, { version: a.version, title: `${a.title}（修改）`, deciding_body: '区人民政府',
        lead_unit_id: u.cgjd.id, legal_basis: a.legal_basis, planned_quarter: 'q1', planned_month: 2, matter_type: 'plan', summary: a.summary }));
    assert.equal(ed.planned_quarter, 'q1');
    assert.deepEqual(ed.allowed_actions, []);
    refused(await act(c.office, ITEMS, a, 'adjust', { note: '理由', title: '新名称' }), []);
    assert.deepEqual((await get(CAT, cat)).allowed_actions, ['submit']);
    refused(await act(c.office, CAT, cat, 'approve', { approval_ref: '常务会议' }), ['submit']);
    refused(await act(c.office, CAT, cat, 'publish', { publish_channel: '网站' }), ['submit']);
    refused(await act(c.clerk2, CAT, cat, 'submit'), []);

    let x = await step(c.office, CAT, cat, 'submit', { note: '提请审定' });
    assert.equal(x.status, 'submitted');
    assert.deepEqual(x.allowed_actions.sort(), ['approve', 'return']);
    for (const it of [a, b]) assert.equal((await get(ITEMS, it)).status, 'submitted');
    // submitted: no item is edited, added or deleted
    const cur = await get(ITEMS, a);
    assertError(await c.office.put(`${ITEMS}/${a.id}`, { version: cur.version, title: 'x', deciding_body: '区政府', lead_unit_id: u.cgjd.id,
        legal_basis: 'x', planned_quarter: 'q1', matter_type: 'plan', summary: 'x' }), 403, 'forbidden');
    const late = await c.office.post(ITEMS, { catalogue_id: cat.id, title: 'x', deciding_body: '区政府', lead_unit_id: u.cgjd.id,
        legal_basis: 'x', planned_quarter: 'q1', matter_type: 'plan', summary: 'x' });
    assertError(late, 400, 'invalid');
    assert.match(late.json.error.fields.catalogue_id, /已报审/);
    assertError(await c.office.del(`${ITEMS}/${a.id}?version=${cur.version}`), 403, 'forbidden');
    // 退回 needs its reason, named
    const noReason = await act(c.office, CAT, cat, 'return');
    assertError(noReason, 400, 'invalid');
    assert.equal(noReason.json.error.fields.note, '请填写退回原因');
    x = await step(c.office, CAT, cat, 'return', { note: '补充决策依据' });
    assert.equal(x.status, 'drafting');
    assert.equal((await get(ITEMS, b)).status, 'draft');
    await step(c.office, CAT, cat, 'submit');
    // 审定 needs what approved it; a future day is refused
    assertError(await act(c.office, CAT, cat, 'approve'), 400, 'invalid');
    assertError(await act(c.office, CAT, cat, 'approve', { approval_ref: '常务会议', approved_on: '2099-01-01' }), 400, 'invalid');
    x = await step(c.office, CAT, cat, 'approve', { approval_ref: '区政府第9次常务会议', approved_on: '2026-03-02' });
    assert.equal(x.status, 'approved');
    assert.equal(x.approved_on, '2026-03-02');
    assert.deepEqual(x.allowed_actions, ['publish']);
    assert.equal((await get(ITEMS, a)).status, 'approved');
    refused(await act(c.office, CAT, cat, 'return', { note: 'x' }), ['publish']);
    assertError(await act(c.office, CAT, cat, 'publish'), 400, 'invalid');
    x = await step(c.office, CAT, cat, 'publish', { publish_channel: '区政府门户网站', published_on: '2026-03-10' });
    assert.equal(x.status, 'published');
    assert.equal(x.published_on, '2026-03-10');
    assert.deepEqual(x.allowed_actions, []);
    assert.equal(x.item_count, 2);
    refused(await act(c.office, CAT, cat, 'publish', { publish_channel: '网站' }), []);
    const pa = await get(ITEMS, a);
    assert.equal(pa.status, 'published');
    assert.equal(pa.published_on, '2026-03-10');
    assert.deepEqual(pa.allowed_actions.sort(), ['adjust', 'remove']);
    // each item's timeline shows the catalogue's steps it followed, by name
    const tl = ok(await c.office.get(`${ITEMS}/${a.id}/timeline`)).items;
    assert.deepEqual(tl.map((e) => e.action), ['create', 'submit', 'return', 'submit', 'approve', 'publish']);
    assert.deepEqual(tl.slice(1, 3).map((e) => [e.action_name, e.note]), [['随目录报审', '提请审定'], ['随目录退回修改', '补充决策依据']]);
    assert.equal(tl[5].action_name, '随目录公布');
    // the catalogue's own timeline
    const ct = ok(await c.office.get(`${CAT}/${cat.id}/timeline`)).items;
    assert.deepEqual(ct.map((e) => e.action), ['create', 'submit', 'return', 'submit', 'approve', 'publish']);
    assert.equal(ct[5].detail.items, 2);
    // the audit log has one record per item per step (and the refused attempts, audited apart)
    const audit = ok(await c.auditor.get(`/api/v1/audit?object_type=decision_item&object_id=${a.id}&per_page=50`)).items
        .filter((e) => e.action !== 'decision_item.refused');
    assert.deepEqual(audit.map((e) => e.action).sort(), ['decision_item.approve', 'decision_item.create', 'decision_item.publish',
        'decision_item.return', 'decision_item.submit', 'decision_item.submit', 'decision_item.update'].sort());
    // the catalogue page lists its items as a child list
    const decl = ok(await c.office.get('/api/v1/entities/decision_catalogues'));
    assert.deepEqual(decl.children.map((k) => [k.entity, k.column]), [['decision_items', 'catalogue_id']]);
    assert.deepEqual(ok(await c.office.get(`${ITEMS}?catalogue_id=${cat.id}`)).items.map((i) => i.id).sort(), [a.id, b.id].sort());
});

test('after publication: 调整, 调出 and 增补 only with a reason, kept and shown as 调整说明', async () => {
    const { cat, items: [a, b] } = await published(2, 2);
    // no reason: refused, naming what is missing
    const none = await act(c.office, ITEMS, a, 'adjust', { planned_quarter: 'q4' });
    assertError(none, 400, 'invalid');
    assert.equal(none.json.error.fields.note, '请填写调整理由');
    const en = await c.office.post(`${ITEMS}/${a.id}/actions/adjust`, { version: (await get(ITEMS, a)).version, planned_quarter: 'q4' },
        { headers: { 'Accept-Language': 'en' } });
    assert.equal(en.json.error.fields.note, 'Please give the reason for the adjustment');
    // a reason but no change
    const same = await act(c.office, ITEMS, a, 'adjust', { note: '理由', planned_quarter: 'q2', planned_month: 5 });
    assertError(same, 400, 'invalid');
    assert.match(same.json.error.fields.title, /至少改变一项/);
    // the month must stay in the quarter
    assertError(await act(c.office, ITEMS, a, 'adjust', { note: '理由', planned_quarter: 'q4' }), 400, 'invalid');
    // the kind names the note, for the dialog
    const kind = ok(await c.office.get('/api/v1/kinds/decision_item'));
    const adj = kind.transitions.find((t) => t.action === 'adjust');
    assert.deepEqual([adj.note_required, adj.note_label.zh], [true, '调整理由']);
    const reason = '上级专项资金下达时间推迟，计划时间调整至第四季度。';
    let x = await step(c.office, ITEMS, a, 'adjust', { note: reason, planned_quarter: 'q4', planned_month: 11, lead_unit_id: u.sfj.id });
    assert.equal(x.status, 'published');
    assert.equal(x.planned_quarter, 'q4');
    assert.equal(x.lead_unit_id, u.sfj.id);
    assert.equal(x.adjustments.length, 1);
    assert.deepEqual([x.adjustments[0].adjust_type, x.adjustments[0].reason], ['change', reason]);
    assert.deepEqual(x.adjustments[0].changes.planned_quarter, { from: 'q2', to: 'q4' });
    assert.match(x.adjustment_note, new RegExp(`调整（承办单位、计划季度、计划月份）：${reason}`));
    assert.ok(x.adjusted_on);
    const tl = ok(await c.office.get(`${ITEMS}/${a.id}/timeline`)).items;
    assert.deepEqual([tl.at(-1).action, tl.at(-1).action_name, tl.at(-1).note], ['adjust', '调整', reason]);
    // 调出 needs its reason too; afterwards nothing more
    assertError(await act(c.office, ITEMS, b, 'remove'), 400, 'invalid');
    x = await step(c.office, ITEMS, b, 'remove', { note: '经研究不再列为重大行政决策事项。' });
    assert.equal(x.status, 'removed');
    assert.deepEqual(x.allowed_actions, []);
    refused(await act(c.office, ITEMS, b, 'adjust', { note: '理由', title: '新名称' }), []);
    assertError(await c.office.del(`${ITEMS}/${b.id}?version=${x.version}`), 403, 'forbidden');
    // the decision is completed only once its file is opened (the decision module links it)
    refused(await act(c.office, ITEMS, a, 'complete'), ['adjust', 'remove']);
    // only the office adjusts
    refused(await act(c.clerk1, ITEMS, a, 'adjust', { note: '理由', title: '新名称' }), []);
    // 增补 into the published catalogue: its reason is required
    const body = { catalogue_id: cat.id, title: uniq('增补事项'), deciding_body: '区人民政府', lead_unit_id: u.cgjd.id,
        legal_basis: '《重大行政决策程序暂行条例》', planned_quarter: 'q4', matter_type: 'project', summary: '增补。' };
    const noAdd = await c.office.post(ITEMS, body);
    assertError(noAdd, 400, 'invalid');
    assert.match(noAdd.json.error.fields.adjust_reason, /增补事项须说明增补理由/);
    const added = ok(await c.office.post(ITEMS, { ...body, adjust_reason: '区委常委会议决定新增。' }), 201);
    assert.equal(added.status, 'published');
    assert.ok(added.published_on);
    assert.match(added.adjustment_note, /增补：区委常委会议决定新增。/);
    assert.equal(added.adjust_reason, '区委常委会议决定新增。');
    assert.equal((await get(ITEMS, a)).adjust_reason, null);
    assert.deepEqual(ok(await c.office.get(`${ITEMS}/${added.id}/timeline`)).items.map((e) => [e.action_name, e.note]),
        [['增补入目录', '区委常委会议决定新增。']]);
    // the list filters the adjusted ones
    const adjusted = ok(await c.office.get(`${ITEMS}?catalogue_id=${cat.id}&adjusted=1`)).items.map((i) => i.id).sort();
    assert.deepEqual(adjusted, [a.id, b.id, added.id].sort());
});

test('the public answer: only the published catalogue\'s items, no internal field, without a session', async () => {
    const { cat, items: [a, b, d] } = await published(3, 2);
    await step(c.office, ITEMS, a, 'adjust', { note: '调整理由甲', title: `${a.title}（调整）` });
    await step(c.office, ITEMS, b, 'remove', { note: '调出理由乙' });
    const anon = srv.client();
    const pub = ok(await anon.get(`/api/v1/public/decision-catalogue?year=${cat.year}`));
    assert.deepEqual(Object.keys(pub).sort(), ['adjustments', 'deciding_body', 'items', 'publish_channel', 'published_on', 'title', 'year']);
    assert.equal(pub.year, cat.year);
    assert.deepEqual(pub.items.map((i) => i.item_no).sort(), [a.item_no, d.item_no].sort(), 'the removed item is not listed');
    for (const i of pub.items) {
        assert.deepEqual(Object.keys(i).sort(), ['adjustment_note', 'deciding_body', 'item_no', 'lead_unit', 'legal_basis', 'matter_type',
            'matter_type_name', 'planned', 'planned_month', 'planned_quarter', 'status', 'status_name', 'summary', 'title']);
    }
    const pa = pub.items.find((i) => i.item_no === a.item_no);
    assert.equal(pa.title, `${a.title}（调整）`);
    assert.equal(pa.lead_unit, '城关街道');
    assert.equal(pa.planned, '第二季度（5月）');
    assert.match(pa.adjustment_note, /调整理由甲/);
    assert.deepEqual(pub.adjustments.map((x) => [x.type, x.item_no, x.reason]),
        [['change', a.item_no, '调整理由甲'], ['remove', b.item_no, '调出理由乙']]);
    // a drafting or unknown year: 404 saying so; a bad year: 400
    const draft = await catalogue();
    await item(draft);
    const nf = await anon.get(`/api/v1/public/decision-catalogue?year=${draft.year}`);
    assertError(nf, 404, 'not_found');
    assert.match(nf.json.error.message, /尚未公布/);
    assertError(await anon.get('/api/v1/public/decision-catalogue?year=1900'), 400, 'invalid');
    // absent year: the latest published one
    const latest = ok(await anon.get('/api/v1/public/decision-catalogue'));
    assert.ok(latest.year >= cat.year);
});

test('scope: a unit reads the items it leads; another unit\'s clerk gets 404; clerks change nothing', async () => {
    const { cat, items: [mine, other] } = await published(2, 1);
    const list = ok(await c.clerk2.get(`${ITEMS}?catalogue_id=${cat.id}`)).items;
    assert.deepEqual(list.map((i) => i.id), [mine.id]);
    assertError(await c.clerk2.get(`${ITEMS}/${other.id}`), 404, 'not_found');
    assertError(await c.clerk1.get(`${ITEMS}/${mine.id}`), 404, 'not_found');
    assertError(await act(c.clerk1, ITEMS, mine, 'adjust', { note: '理由', title: 'x' }), 404, 'not_found');
    assert.deepEqual(ok(await c.clerk2.get(`${ITEMS}/${mine.id}`)).allowed_actions, []);
    assert.equal(ok(await c.leader.get(`${ITEMS}?catalogue_id=${cat.id}`)).total, 2);
    assertError(await c.clerk2.post(ITEMS, { catalogue_id: cat.id }), 403, 'forbidden');
    // the catalogue itself is the government's: every reader sees it (its count is the whole list)
    assert.equal(ok(await c.clerk1.get(`${CAT}/${cat.id}`)).item_count, 2);
    // the export is scoped the same way
    const xl = await c.clerk2.get(`${ITEMS}/export.xlsx?catalogue_id=${cat.id}`);
    assert.equal(xl.status, 200);
    assert.equal(xlsxRows(xl.buf).length, 2, 'the header and the unit\'s one item');
});

test('metrics: items by state, 目录内事项, 未建档 and 建档率\'s base are hand counts of the year', async () => {
    const { cat, items } = await published(4, 2);
    await step(c.office, ITEMS, items[3], 'remove', { note: '不再列入' });
    const q = `from=${cat.year}-01-01&to=${cat.year}-12-31`;
    const m = ok(await c.office.get(`/api/v1/metrics/decision_items?${q}`));
    const val = (code) => m.items.find((i) => i.code === code);
    assert.equal(val('in_catalogue').num, 3);
    assert.equal(val('unfiled').num, 3);
    assert.deepEqual([val('filed_rate').num, val('filed_rate').den], [0, 3]);
    assert.equal(val('adjusted').num, 1);
    assert.equal(m.by_state.find((s) => s.status === 'published').n, 3);
    assert.equal(m.by_state.find((s) => s.status === 'removed').n, 1);
    // each value opens its list
    for (const code of ['in_catalogue', 'unfiled', 'adjusted']) {
        assert.equal(ok(await c.office.get(`${ITEMS}?${val(code).drill}`)).total, val(code).num, code);
    }
    // a unit's own
    const mine = ok(await c.clerk2.get(`/api/v1/metrics/decision_items?${q}`));
    assert.equal(mine.items.find((i) => i.code === 'in_catalogue').num, 2);
});

test('export and import round trip: next year\'s catalogue from the spreadsheet, its catalogue made', async () => {
    const { cat } = await published(2, 1);
    const xl = await c.office.get(`${ITEMS}/export.xlsx?catalogue_id=${cat.id}&sort=item_no`);
    assert.equal(xl.status, 200);
    const [head, ...rows] = xlsxRows(xl.buf);
    const obj = rows.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i] ?? ''])));
    assert.equal(obj.length, 2);
    assert.equal(obj[0]['计划季度'], '第二季度');
    assert.equal(obj[0]['事项类别'], '重大公共政策和措施');
    assert.equal(obj[0]['状态'], '已公布');
    const tpl = await c.office.get(`${ITEMS}/import-template.xlsx`);
    assert.equal(tpl.status, 200);
    assert.ok(xlsxRows(tpl.buf)[0].some((h) => /年度/.test(h)));
    const year = nextYear++;
    const again = obj.map((x) => ({ year: String(year), title: x['事项名称'], deciding_body: x['决策机关'], lead_unit: x['承办单位'],
        legal_basis: x['决策依据'], planned_quarter: x['计划季度'], planned_month: x['计划月份'], matter_type: x['事项类别'], summary: x['事项概述'] }));
    const pre = ok(await c.office.post(`${ITEMS}/import`, { preview: true, rows: again }));
    assert.equal(pre.rows, 2);
    const res = ok(await c.office.post(`${ITEMS}/import`, { rows: again }), 201);
    assert.equal(res.created, 2);
    const made = ok(await c.office.get(`${ITEMS}?year=${year}&sort=item_no`)).items;
    const orig = ok(await c.office.get(`${ITEMS}?catalogue_id=${cat.id}&sort=item_no`)).items;
    const shape = (i) => [i.title, i.lead_unit_id, i.planned_quarter, i.planned_month, i.matter_type];
    assert.deepEqual(made.map(shape), orig.map(shape));
    assert.ok(made.every((i) => i.status === 'draft'));
    const cats = ok(await c.office.get(`${CAT}?year=${year}`)).items;
    assert.equal(cats.length, 1, 'the year\'s catalogue was made');
    assert.equal(cats[0].status, 'drafting');
    assert.equal(cats[0].item_count, 2);
    // the same year and title again: a likely duplicate, asked about
    const dup = await c.office.post(`${ITEMS}/import`, { rows: again });
    assertError(dup, 409, 'import_duplicates');
    // a bad row: every problem at once, nothing written
    const bad = await c.office.post(`${ITEMS}/import`, { rows: [{ year: String(year), title: 'x', deciding_body: '区政府', lead_unit: '没有这个单位',
        legal_basis: 'x', planned_quarter: '第五季度', matter_type: 'plan', summary: 'x' }] });
    assertError(bad, 400, 'invalid');
    assert.deepEqual(bad.json.error.fields.rows.map((r) => r.field).sort(), ['lead_unit', 'planned_quarter']);
    assertError(await c.clerk2.post(`${ITEMS}/import`, { rows: again }), 403, 'forbidden');
});

test('the list\'s batch deletes draft items; a published one is refused with its reason', async () => {
    const { items: [pub] } = await published(1, 1);
    const draft = await catalogue();
    const d1 = await item(draft), d2 = await item(draft);
    const r = ok(await c.office.post(`${ITEMS}/batch`, { action: 'delete', ids: [d1.id, d2.id, pub.id] }));
    assert.deepEqual([r.ok, r.failed], [2, 1]);
    const bad = r.results.find((x) => x.id === pub.id);
    assert.equal(bad.code, 'forbidden');
    assert.match(bad.message, /调出目录/);
    assertError(await c.office.get(`${ITEMS}/${d1.id}`), 404, 'not_found');
    assertError(await c.clerk2.post(`${ITEMS}/batch`, { action: 'delete', ids: [pub.id] }), 403, 'forbidden');
    const decl = ok(await c.office.get('/api/v1/entities/decision_items'));
    assert.deepEqual(decl.batch.map((b) => b.action), ['delete']);
});

test('the demo district\'s 2026 catalogue is published with one item adjusted and its reason', async () => {
    const pub = ok(await srv.client().get('/api/v1/public/decision-catalogue?year=2026'));
    assert.equal(pub.items.length, 10);
    assert.ok(new Set(pub.items.map((i) => i.lead_unit)).size >= 8, 'across units');
    assert.equal(pub.adjustments.length, 1);
    assert.match(pub.adjustments[0].reason, /学位/);
    const next = ok(await c.office.get(`${CAT}?year=2027`)).items[0];
    assert.equal(next.status, 'drafting');
    // menu entries in 合法性审查
    const menu = ok(await c.clerk2.get('/api/v1/menu')).groups.find((g) => g.key === 'legality');
    assert.ok(menu.items.some((i) => i.path === '/decision-items'));
});

test('a decision file opens on a published item: the item is 已建档 and names its file; a second file, a draft item or an unknown one is refused', async () => {
    const { items: [a, b] } = await published(2, 2);
    const start = (who, body) => who.post('/api/v1/decisions', {
        title: uniq('关于加装电梯的实施意见'), lead_unit_id: u.cgjd.id, started_on: '2026-08-03',
        summary: '城关街道老旧小区加装电梯。', draft: '第一条 为推进老旧小区加装电梯……', ...body,
    });
    const d = ok(await start(c.clerk2, { item_id: a.id }), 201);
    const filed = await get(ITEMS, a);
    assert.equal(filed.status, 'filed', 'the item is 已建档');
    assert.equal(filed.decision_id, d.id);
    assert.equal(filed.decision_no, d.decision_no);
    assert.ok(ok(await c.office.get(`${ITEMS}?per_page=200`)).items.find((x) => x.id === a.id).decision_no === d.decision_no,
        'the list names the file too');
    const tl = ok(await c.office.get(`${ITEMS}/${a.id}/timeline`)).items;
    assert.equal(tl.at(-1).action, 'file');
    // the item's page lists its file as a child record
    const decl = ok(await c.office.get('/api/v1/entities/decision_items'));
    assert.ok(decl.children.some((ch) => ch.entity === 'decisions' && ch.column === 'item_id'), JSON.stringify(decl.children));
    assert.deepEqual(ok(await c.office.get(`/api/v1/decisions?item_id=${a.id}`)).items.map((x) => x.id), [d.id]);
    // a second file on the same item: 400 naming the first
    const again = await start(c.clerk2, { item_id: a.id });
    assertError(again, 400, 'invalid');
    assert.match(again.json.error.fields.item_id, new RegExp(`已建立决策档案（${d.decision_no}）`));
    // an item not published (a draft of another year) and an unknown one
    const draft = await item(await catalogue());
    assert.match((await start(c.clerk2, { item_id: draft.id })).json.error.fields.item_id, /只能为已公布的目录事项/);
    assert.match((await start(c.clerk2, { item_id: 999999 })).json.error.fields.item_id, /目录事项不存在/);
    // nothing was made by the refusals: b is still only published
    assert.equal((await get(ITEMS, b)).status, 'published');
    assert.equal(ok(await c.office.get(`/api/v1/decisions?item_id=${draft.id}`)).total, 0);
});
