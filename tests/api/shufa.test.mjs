// 述法 (src/features/shufa): the office's item list per kind of speaker (defaults from DOMAIN.md,
// 7–9 items), each first responsible person's annual report against it (one per person and
// year, only a first responsible person, only the own unit's for a clerk: another unit's 404),
// written item by item by the unit, submitted, scored by the office item by item within each
// item's maximum, returned for revision or rated (total, grade, comments); the year opened for
// every first responsible person at once (the denominator of submitted_rate); the metrics
// avg_score and submitted_rate and the breakdown by grade and unit equal a hand count and the
// total of the list each drill opens; the demo's reports in every state.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, ok } from './lib.mjs';
import { actors, today } from './tasks-lib.mjs';

let srv, c, u, head, liaison, headSfj;
const YEAR = Number(today().slice(0, 4)) - 1; // a year the demo left empty
before(async () => {
    srv = await startServer();
    ({ c, u } = await actors(srv));
    const people = async (unit) => ok(await c.office.get(`/api/v1/people?unit_id=${unit}&per_page=50`)).items;
    const cg = await people(u.cgjd.id);
    head = cg.find((p) => p.is_first_responsible);
    liaison = cg.find((p) => !p.is_first_responsible);
    headSfj = (await people(u.sfj.id)).find((p) => p.is_first_responsible);
    assert.ok(head && liaison && headSfj, 'the demo has first responsible persons and liaisons');
});
after(async () => { await srv.stopAndCheck(); });

const PATH = '/api/v1/shufa-reports';
const ITEMS = '/api/v1/shufa-report-items';

async function act(who, rec, action, body = {}) {
    const cur = ok(await c.office.get(`${PATH}/${rec.id}`));
    return who.post(`${PATH}/${rec.id}/actions/${action}`, { version: cur.version, ...body });
}
async function itemsOf(who, rec) {
    return ok(await who.get(`${ITEMS}?report_id=${rec.id}&per_page=50`)).items;
}
async function put(who, item, body) {
    const cur = ok(await c.office.get(`${ITEMS}/${item.id}`));
    return who.put(`${ITEMS}/${item.id}`, { content: cur.content, score: cur.score, comment: cur.comment, ...body, version: cur.version });
}

test('the default item lists: 7–9 items per kind of speaker worth 100 in all; only the office keeps them', async () => {
    const all = ok(await c.clerk2.get('/api/v1/shufa-items?per_page=100')).items;
    const kinds = { township: 8, department: 8, village: 7 };
    for (const [k, n] of Object.entries(kinds)) {
        const mine = all.filter((x) => x.speaker_kind === k);
        assert.equal(mine.length, n, k);
        assert.equal(mine.reduce((s, x) => s + x.max_score, 0), 100, `${k}: 100 in all`);
        assert.deepEqual(mine.map((x) => x.sort_order), [...Array(n).keys()].map((i) => i + 1));
    }
    const titles = all.filter((x) => x.speaker_kind === 'township').map((x) => x.title);
    for (const t of ['学习贯彻习近平法治思想情况', '履行推进法治建设第一责任人职责情况', '依法决策情况', '存在问题与下步打算'])
        assert.ok(titles.includes(t), t);
    const item = { speaker_kind: 'department', sort_order: 9, title: '测试项目', max_score: 5, active: false };
    assertError(await c.clerk2.post('/api/v1/shufa-items', item), 403, 'forbidden');
    assertError(await c.office.post('/api/v1/shufa-items', { ...item, max_score: 0 }), 400, 'invalid');
    const made = ok(await c.office.post('/api/v1/shufa-items', item), 201);
    assert.equal(made.active, false, 'inactive: no new report takes it');
});

let report;
test('a clerk makes its first responsible person\'s report; refusals say why: not a first responsible person, another unit\'s, twice, a future year', async () => {
    let e = assertError(await c.clerk2.post(PATH, { year: YEAR, person_id: liaison.id }), 400, 'invalid');
    assert.match(e.fields.person_id, /不是所在单位的第一责任人/);
    e = assertError(await c.clerk2.post(PATH, { year: YEAR, person_id: headSfj.id }), 400, 'invalid');
    assert.match(e.fields.person_id, /本单位/);
    e = assertError(await c.clerk2.post(PATH, { year: YEAR + 2, person_id: head.id }), 400, 'invalid');
    assert.ok(e.fields.year);
    assertError(await c.leader.post(PATH, { year: YEAR, person_id: head.id }), 403, 'forbidden');
    report = ok(await c.clerk2.post(PATH, { year: YEAR, person_id: head.id }), 201);
    assert.match(report.report_no, new RegExp(`^SF${YEAR}-\\d{6}$`));
    assert.equal(report.report_no.slice(-6), String(report.id).padStart(6, '0'));
    assert.deepEqual([report.status, report.unit_id, report.person_name, report.speaker_kind],
        ['draft', u.cgjd.id, head.name, 'township']);
    e = assertError(await c.clerk2.post(PATH, { year: YEAR, person_id: head.id }), 400, 'invalid');
    assert.match(e.fields.person_id, /每人每年一份/);
    // the year's active items of the speaker's kind, copied in order (the inactive one left out)
    const items = await itemsOf(c.clerk2, report);
    assert.equal(items.length, 8);
    assert.deepEqual(items.map((x) => x.sort_order), [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.ok(items.every((x) => x.content === '' && x.score === null));
    // another unit's clerk: 404 on the report and its items
    assertError(await c.clerk1.get(`${PATH}/${report.id}`), 404, 'not_found');
    assertError(await c.clerk1.get(`${ITEMS}/${items[0].id}`), 404, 'not_found');
    assert.equal(ok(await c.clerk1.get(`${ITEMS}?report_id=${report.id}`)).total, 0);
    assertError(await put(c.clerk1, items[0], { content: '越权' }), 404, 'not_found');
    assertError(await act(c.clerk1, report, 'submit'), 404, 'not_found');
});

test('write → submit → score within each item\'s max → return → resubmit → rate: the total, the grade', async () => {
    const items = await itemsOf(c.clerk2, report);
    // nothing written yet: submitting is refused, and says why
    let r = await act(c.clerk2, report, 'submit');
    assert.equal(r.status, 409);
    assert.match(r.json.error.message, /未填写内容/);
    // the unit writes; it does not score
    assertError(await put(c.clerk2, items[0], { score: 5 }), 403, 'forbidden');
    for (const it of items) ok(await put(c.clerk2, it, { content: `${it.title}：本年度依法履职情况。` }));
    ok(await act(c.clerk2, report, 'submit'));
    let cur = ok(await c.clerk2.get(`${PATH}/${report.id}`));
    assert.equal(cur.status, 'submitted');
    assert.equal(cur.submitted_on, today());
    // submitted: the text is fixed; the clerk neither writes nor scores; the office scores within max
    assertError(await put(c.clerk2, items[0], { content: '改写' }), 403, 'forbidden');
    assertError(await put(c.office, items[0], { content: '改写' }), 403, 'forbidden');
    assertError(await put(c.clerk2, items[0], { score: 1 }), 403, 'forbidden');
    const e = assertError(await put(c.office, items[0], { score: items[0].max_score + 1 }), 400, 'invalid');
    assert.match(e.fields.score, new RegExp(`${items[0].max_score}`));
    ok(await put(c.office, items[0], { score: items[0].max_score, comment: '学法制度健全' }));
    // not every item scored: rating is refused with the reason
    r = await act(c.office, report, 'rate', { note: '评议意见' });
    assert.equal(r.status, 409);
    assert.match(r.json.error.message, /未评分/);
    assert.ok(ok(await c.office.get(`${PATH}/${report.id}`)).blocked_actions.some((b) => b.action === 'rate'));
    // the clerk cannot rate or return; the office returns with a reason
    assert.equal((await act(c.clerk2, report, 'rate', { note: 'x' })).status, 409);
    assertError(await act(c.office, report, 'return', {}), 400, 'invalid');
    ok(await act(c.office, report, 'return', { note: '请补充依法决策的具体事例。' }));
    assert.equal(ok(await c.clerk2.get(`${PATH}/${report.id}`)).status, 'returned');
    ok(await put(c.clerk2, items[2], { content: '依法决策情况：全年重大行政决策3项，均经合法性审查。' }));
    ok(await act(c.clerk2, report, 'submit'));
    // every item scored (the first at max, the others at max − 2): the total and its grade
    for (const it of items.slice(1)) ok(await put(c.office, it, { score: it.max_score - 2 }));
    const expected = 100 - 2 * 7;
    ok(await act(c.office, report, 'rate', { note: '述法内容全面，职责履行到位。' }));
    cur = ok(await c.clerk2.get(`${PATH}/${report.id}`));
    assert.deepEqual([cur.status, cur.total_score, cur.max_score, cur.grade, cur.grade_name, cur.review_comment],
        ['rated', expected, 100, 'good', '良好', '述法内容全面，职责履行到位。']);
    // rated: closed
    assertError(await put(c.office, items[1], { score: 1 }), 403, 'forbidden');
    const tl = ok(await c.clerk2.get(`${PATH}/${report.id}/timeline`));
    assert.deepEqual(tl.items.map((x) => x.action), ['create', 'submit', 'return', 'submit', 'rate']);
});

test('the year opened for every first responsible person; the metrics equal a hand count and their drill lists', async () => {
    assertError(await c.clerk2.post(`${PATH}/open`, { year: YEAR }), 403, 'forbidden');
    assertError(await c.office.post(`${PATH}/open`, { year: YEAR + 2 }), 400, 'invalid');
    const opened = ok(await c.office.post(`${PATH}/open`, { year: YEAR }));
    assert.ok(opened.created > 10);
    assert.equal(ok(await c.office.post(`${PATH}/open`, { year: YEAR })).created, 0, 'again: nothing missing');
    const all = ok(await c.office.get(`${PATH}?year=${YEAR}&per_page=200`));
    assert.equal(all.total, opened.created + 1, 'one report per first responsible person');
    assert.ok(all.items.every((x) => x.person_id && x.report_no.startsWith(`SF${YEAR}-`)));
    // every first responsible person of a unit that gives 述法 has exactly one
    const fr = ok(await c.office.get('/api/v1/people?first_responsible=true&active=true&per_page=200')).items;
    const units = ok(await c.office.get('/api/v1/units?per_page=200')).items;
    const kindOf = Object.fromEntries(units.map((x) => [x.id, x.kind]));
    const due = fr.filter((p) => !['committee', 'group'].includes(kindOf[p.unit_id]));
    assert.deepEqual(all.items.map((x) => x.person_id).sort((a, b) => a - b), due.map((p) => p.id).sort((a, b) => a - b));
    // one more submitted (the justice bureau's), none rated
    const sfj = all.items.find((x) => x.unit_id === u.sfj.id);
    for (const it of await itemsOf(c.clerk1, sfj)) ok(await put(c.clerk1, it, { content: `${it.title}：已落实。` }));
    ok(await act(c.clerk1, sfj, 'submit'));
    const P = `from=${YEAR}-01-01&to=${YEAR}-12-31`;
    const m = ok(await c.office.get(`/api/v1/metrics/shufa_reports?${P}`));
    const item = (code) => m.items.find((i) => i.code === code);
    assert.deepEqual([item('received').num, item('closed').num], [all.total, 1]);
    assert.deepEqual([item('avg_score').num, item('avg_score').value], [1, 86]);
    assert.deepEqual([item('submitted_rate').num, item('submitted_rate').den], [2, all.total]);
    assert.equal(item('submitted_rate').value, Math.round(1000 * 2 / all.total) / 10);
    assert.deepEqual(m.by.grade.map((x) => [x.value, x.label, x.count]), [['good', '良好', 1]]);
    assert.equal(m.by.unit_id.find((x) => x.value === u.cgjd.id).count, 1);
    const total = async (who, q) => ok(await who.get(`${PATH}?${q}&per_page=1`)).total;
    for (const i of m.items) {
        assert.equal(await total(c.office, i.drill), i.num, i.code);
        if (i.den_drill) assert.equal(await total(c.office, i.den_drill), i.den, `${i.code} den`);
    }
    for (const f of Object.keys(m.by)) for (const x of m.by[f]) assert.equal(await total(c.office, x.drill), x.count, `${f}=${x.value}`);
    // a unit's clerk: its own report only
    const mine = ok(await c.clerk2.get(`/api/v1/metrics/shufa_reports?${P}`));
    assert.deepEqual([mine.items.find((i) => i.code === 'received').num, mine.items.find((i) => i.code === 'avg_score').value], [1, 86]);
    assert.deepEqual(mine.by.unit_id.map((x) => x.value), [u.cgjd.id]);
});

test('the demo: this year\'s reports of the demo units\' first responsible persons in every state, scored; the menu', async () => {
    const y = Number(today().slice(0, 4));
    const all = ok(await c.office.get(`${PATH}?year=${y}&per_page=200`)).items;
    for (const s of ['draft', 'submitted', 'returned', 'rated']) assert.ok(all.some((x) => x.status === s), s);
    const rated = all.filter((x) => x.status === 'rated');
    for (const g of ['excellent', 'good', 'pass', 'fail']) assert.ok(rated.some((x) => x.grade === g), g);
    assert.ok(rated.every((x) => x.total_score > 0 && x.max_score === 100));
    const m = ok(await c.office.get(`/api/v1/metrics/shufa_reports?from=${y}-01-01&to=${y}-12-31`));
    const avg = m.items.find((i) => i.code === 'avg_score');
    assert.equal(avg.num, rated.length);
    assert.equal(avg.value, Math.round(10 * rated.reduce((s, x) => s + x.total_score, 0) / rated.length) / 10);
    const menu = ok(await c.clerk2.get('/api/v1/menu'));
    const g = menu.groups.find((x) => x.key === 'inspection');
    assert.ok(g.items.some((i) => i.path === '/shufa-reports') && g.items.some((i) => i.path === '/shufa-items'));
    // the clerk reads its own unit's reports only
    const mine = ok(await c.clerk2.get(`${PATH}?per_page=200`)).items;
    assert.ok(mine.length >= 1 && mine.every((x) => x.unit_id === u.cgjd.id));
});
