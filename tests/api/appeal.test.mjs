// 申辩 and 复核 (src/features/appeal): a unit's clerk objects to one of its published score cells
// within the objection window (after it: 403 naming the deadline) with a reason, the points it
// asks and evidence; the office names a re-reviewer — never the cell's assessor (400 naming
// them); the re-reviewer changes the score (the cell's final points, the unit's total and its
// rank change, assess_changes and the audit log record it) or upholds it; the unit withdraws one
// not yet assigned; another unit's clerk reads none of it (404). The leaders' charts
// (GET /api/v1/assess/charts) answer the results' own numbers: the ranking per category, the
// radar over the first-level areas against the category's average, year on year; a clerk sees
// its own unit, and of its category only the others' totals and ranks, no name.
//
// The runs are made through the score module's API (a system's publication is the system
// module's, not on this branch: the test marks its own system published in SQL).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, ok, sqlite } from './lib.mjs';
import { SC, scales, inH, outV, step as stepAs, makeSystem as makeSystemOf, makeRun as makeRunOf, secondAssessor, resultsOf as resultsOfRun } from './appeal-lib.mjs';
import { actors, upload, today } from './tasks-lib.mjs';

const YEAR = 2031; // years no demo touches
const OBJ = '/api/v1/assess-objections';
let srv, c, u, assessor, run, prev, cells, results, S;
const step = (who, path, id, action, body) => stepAs(c.office, who, path, id, action, body);
const makeSystem = (year) => makeSystemOf(srv, c.office, year);
const makeRun = (year, pointsOf) => makeRunOf(srv, c.office, year, pointsOf);
const resultsOf = (runId) => resultsOfRun(c.office, runId);

before(async () => {
    srv = await startServer();
    ({ c, u } = await actors(srv, ['office', 'clerk1', 'clerk2', 'leader', 'auditor']));
    assessor = await secondAssessor(srv); // the demo's office has one account
    S = await scales(c.office); // amounts: hundredths, or 分 where a field declares decimals
    // last year: every unit 30 分 on A2; this year: 区司法局 32 分, 区财政局 34 分, the rest 20–30
    prev = await makeRun(YEAR - 1, () => 3000);
    run = await makeRun(YEAR, (unit, i) => unit === u.sfj.id ? 3200 : unit === u.finance.id ? 3400 : 2000 + 50 * (i % 20));
    cells = ok(await c.office.get(`/api/v1/assess-scores?run_id=${run.run.id}&unit_id=${u.sfj.id}&per_page=50`, SC)).items;
    results = await resultsOf(run.run.id);
});
after(async () => { if (process.env.APPEAL_DEBUG) console.error(srv.stderr.slice(-4000)); await srv.stopAndCheck(); });

const resultOf = (list, unit) => list.find((r) => r.unit_id === unit);

let objection;
test('a clerk objects to its own published cell with a reason, the points it asks and evidence: SB<year> numbered, the office told', async () => {
    const cell = cells.find((x) => x.indicator_id === run.leaf.id);
    assert.equal(inH(cell.final_points, S.cell), 3200);
    let e = assertError(await c.clerk1.post(OBJ, { score_id: cell.id }), 400, 'invalid');
    assert.ok(e.fields.reason, 'the reason is required');
    e = assertError(await c.clerk1.post(OBJ, { score_id: cell.id, reason: '案卷评查已整改', requested_points: outV(4100, S.req) }), 400, 'invalid');
    assert.match(e.fields.requested_points, /不能超过该项分值 40 分/);
    assertError(await c.office.post(OBJ, { score_id: cell.id, reason: 'x' }), 403, 'forbidden'); // the unit objects, not the office
    const file = await upload(c.clerk1);
    objection = ok(await c.clerk1.post(OBJ, { score_id: cell.id, reason: '本单位案卷评查中 2 份案卷已按要求补正，应予加分',
        requested_points: outV(3800, S.req), attachment_ids: [file.id] }), 201);
    assert.match(objection.objection_no, new RegExp(`^SB${YEAR}-\\d{6}$`));
    assert.deepEqual([objection.status, objection.unit_id, objection.run_id, inH(objection.points_before, S.obj), inH(objection.requested_points, S.req)],
        ['submitted', u.sfj.id, run.run.id, 3200, 3800]);
    const one = ok(await c.clerk1.get(`${OBJ}/${objection.id}`));
    assert.deepEqual(one.attachments.map((a) => a.id), [file.id]);
    assert.ok(one.allowed_actions.includes('withdraw'));
    // one per cell
    e = assertError(await c.clerk1.post(OBJ, { score_id: cell.id, reason: '再次申辩' }), 409, 'conflict');
    assert.match(e.fields.score_id, /已提出过申辩/);
    const inbox = ok(await c.office.get('/api/v1/notifications?per_page=50')).items;
    assert.ok(inbox.some((n) => n.title.includes(objection.objection_no)), 'the office is told');
});

test('scope: another unit\'s clerk reads none of it (404) and cannot object to another unit\'s cell', async () => {
    assertError(await c.clerk2.get(`${OBJ}/${objection.id}`), 404, 'not_found');
    assertError(await c.clerk2.get(`${OBJ}/${objection.id}/timeline`), 404, 'not_found');
    const list = ok(await c.clerk2.get(`${OBJ}?run_id=${run.run.id}&per_page=200`)).items;
    assert.ok(!list.some((o) => o.unit_id !== u.cgjd.id));
    assertError(await step(c.clerk2, OBJ, objection.id, 'withdraw'), 404, 'not_found');
    const other = cells.find((x) => x.indicator_id === run.leaf.id);
    const e = assertError(await c.clerk2.post(OBJ, { score_id: other.id, reason: '替别的单位申辩' }), 400, 'invalid');
    assert.match(e.fields.score_id, /不在您的数据范围内/);
    ok(await c.leader.get(`${OBJ}/${objection.id}`)); // leaders read every unit's
});

test('the re-reviewer is another assessor than the cell\'s: the office itself (who scored it) is refused in words', async () => {
    const office = ok(await c.office.get('/api/v1/auth/me')).user;
    let e = assertError(await step(c.office, OBJ, objection.id, 'assign', { reviewer_id: office.id }), 400, 'invalid');
    assert.match(e.fields.reviewer_id, /原评分人/);
    const clerk = ok(await c.clerk1.get('/api/v1/auth/me')).user;
    e = assertError(await step(c.office, OBJ, objection.id, 'assign', { reviewer_id: clerk.id }), 400, 'invalid');
    assert.match(e.fields.reviewer_id, /考核评分与复核权限/);
    assertError(await step(c.clerk1, OBJ, objection.id, 'assign', { reviewer_id: clerk.id }), 409, 'invalid_transition');
    assert.equal(ok(await c.office.get(`${OBJ}/${objection.id}`)).status, 'submitted', 'nothing changed');
    const me = ok(await assessor.get('/api/v1/auth/me')).user;
    const a = ok(await step(c.office, OBJ, objection.id, 'assign', { reviewer_id: me.id, note: '请于期限内复核' }));
    assert.equal(a.status, 'assigned');
    const rec = ok(await c.office.get(`${OBJ}/${objection.id}`));
    assert.equal(rec.reviewer_id, me.id);
    const clock = rec.clocks.find((k) => k.code === 'review');
    assert.ok(clock && clock.state === 'running' && clock.unit === 'workdays' && clock.period === 10, JSON.stringify(rec.clocks));
    // the unit can no longer withdraw; the reviewer and the unit are told
    assertError(await step(c.clerk1, OBJ, objection.id, 'withdraw'), 409, 'invalid_transition');
    assert.ok(ok(await assessor.get('/api/v1/notifications?per_page=50')).items.some((n) => n.title.includes(objection.objection_no)));
    assert.ok(ok(await c.clerk1.get('/api/v1/notifications?per_page=50')).items.some((n) => n.title.includes('申辩已分派复核')));
    // only the named reviewer decides
    assertError(await step(c.office, OBJ, objection.id, 'change', { points: outV(3800, S.obj), note: '越权' }), 409, 'invalid_transition');
});

test('改分: the final score, the total and the rank change, with assess_changes and the audit trail', async () => {
    const before = resultOf(results, u.sfj.id), finance = resultOf(results, u.finance.id);
    assert.equal(inH(before.total, S.res), 9200);
    assert.equal(inH(finance.total, S.res), 9400);
    assert.ok(before.rank_category > finance.rank_category, 'below 区财政局 before');
    let e = assertError(await step(assessor, OBJ, objection.id, 'change', { points: outV(4100, S.obj), note: '补正材料属实' }), 400, 'invalid');
    assert.match(e.fields.points, /0 到 40 分/);
    e = assertError(await step(assessor, OBJ, objection.id, 'change', { points: outV(3200, S.obj), note: '补正材料属实' }), 400, 'invalid');
    assert.match(e.fields.points, /维持原评分/);
    assertError(await step(assessor, OBJ, objection.id, 'change', { points: outV(3800, S.obj) }), 400, 'invalid'); // the reason
    const done = ok(await step(assessor, OBJ, objection.id, 'change', { points: outV(3800, S.obj), note: '补正材料属实，按评分标准改为 38 分' }));
    assert.equal(done.status, 'changed');
    const rec = ok(await c.clerk1.get(`${OBJ}/${objection.id}`));
    assert.deepEqual([rec.decided_points, rec.final_points, rec.points_before].map((v) => inH(v, S.obj)), [3800, 3800, 3200]);
    assert.equal(rec.clocks.find((k) => k.code === 'review').state, 'met');
    const cell = ok(await c.clerk1.get(`/api/v1/assess-scores/${objection.score_id}`, SC));
    assert.equal(inH(cell.final_points, S.cell), 3800);
    const after = await resultsOf(run.run.id);
    const mine = resultOf(after, u.sfj.id);
    assert.equal(inH(mine.total, S.res), 9800);
    assert.ok(mine.rank_category < resultOf(after, u.finance.id).rank_category, 'now above 区财政局');
    assert.equal(mine.rank_category, 1);
    const changes = ok(await c.clerk1.get(`/api/v1/assess-changes?run_id=${run.run.id}&unit_id=${u.sfj.id}&cause=objection`, SC)).items;
    assert.equal(changes.length, 1);
    assert.deepEqual([changes[0].old_points, changes[0].new_points].map((v) => inH(v, S.chg)), [3200, 3800]);
    assert.match(changes[0].reason, new RegExp(objection.objection_no));
    const audit = ok(await c.auditor.get(`/api/v1/audit?object_type=assess_objection&object_id=${objection.id}&per_page=50`)).items;
    const actions = audit.map((x) => x.action).filter((a) => a !== 'assess_objection.refused').sort();
    assert.deepEqual(actions, ['assess_objection.assign', 'assess_objection.change', 'assess_objection.create']);
    assert.ok(audit.some((x) => x.action === 'assess_objection.refused' && x.result === 'denied'), 'the refused steps are recorded');
    const ch = audit.find((x) => x.action === 'assess_objection.change');
    const detail = typeof ch.detail === 'string' ? JSON.parse(ch.detail) : ch.detail;
    assert.deepEqual([detail.old_points, detail.new_points], [3200, 3800]);
    const tl = ok(await c.clerk1.get(`${OBJ}/${objection.id}/timeline`));
    assert.deepEqual(tl.items.map((x) => x.action), ['create', 'assign', 'change']);
    assert.ok(ok(await c.clerk1.get('/api/v1/notifications?per_page=50')).items.some((n) => n.title.includes('已改分')));
    results = after;
});

test('维持 and 撤回: an upheld score stays; a withdrawn objection leaves room for another', async () => {
    const own = ok(await c.clerk2.get(`/api/v1/assess-scores?run_id=${run.run.id}&unit_id=${u.cgjd.id}&per_page=50`, SC)).items;
    const cell = own.find((x) => x.indicator_id === run.leaf.id);
    const first = ok(await c.clerk2.post(OBJ, { score_id: cell.id, reason: '申辩理由一' }), 201);
    assert.equal(ok(await step(c.clerk2, OBJ, first.id, 'withdraw')).status, 'withdrawn');
    assertError(await step(c.office, OBJ, first.id, 'assign', { reviewer_id: 1 }), 409, 'invalid_transition');
    const second = ok(await c.clerk2.post(OBJ, { score_id: cell.id, reason: '申辩理由二' }), 201);
    const me = ok(await assessor.get('/api/v1/auth/me')).user;
    ok(await step(c.office, OBJ, second.id, 'assign', { reviewer_id: me.id }));
    assertError(await step(assessor, OBJ, second.id, 'uphold'), 400, 'invalid'); // the opinion
    const up = ok(await step(assessor, OBJ, second.id, 'uphold', { note: '评分依据充分，维持原评分' }));
    assert.equal(up.status, 'upheld');
    const rec = ok(await c.clerk2.get(`${OBJ}/${second.id}`));
    assert.equal(inH(rec.decided_points, S.obj), inH(cell.final_points, S.cell));
    assert.equal(ok(await c.clerk2.get(`/api/v1/assess-scores/${cell.id}`, SC)).final_points, cell.final_points, 'the cell keeps its points');
    const total = resultOf(await resultsOf(run.run.id), u.cgjd.id).total;
    assert.equal(total, resultOf(results, u.cgjd.id).total, 'the total is unchanged');
});

test('after the objection window: 403 naming the deadline, nothing written', async () => {
    const until = run.run.objection_until;
    assert.ok(until >= today(), `the window is open until ${until}`);
    const y = new Date(Date.now() + 8 * 3600e3 - 86400e3).toISOString().slice(0, 10);
    await sqlite(srv.db, `UPDATE assess_runs SET objection_until = '${y}' WHERE id = ${run.run.id};`);
    try {
        const cell = cells.find((x) => x.indicator_id !== run.leaf.id);
        const n = ok(await c.office.get(`${OBJ}?run_id=${run.run.id}`)).total;
        const e = assertError(await c.clerk1.post(OBJ, { score_id: cell.id, reason: '逾期申辩' }), 403, 'forbidden');
        assert.match(e.message, new RegExp(`申辩期限已于 ${y} 截止`));
        assert.equal(ok(await c.office.get(`${OBJ}?run_id=${run.run.id}`)).total, n);
        // an older run's window is closed too (published long ago: final or past its date)
        const old = ok(await c.office.get(`/api/v1/assess-scores?run_id=${prev.run.id}&unit_id=${u.sfj.id}`, SC)).items[0];
        await sqlite(srv.db, `UPDATE assess_runs SET objection_until = '${y}' WHERE id = ${prev.run.id};`);
        assertError(await c.clerk1.post(OBJ, { score_id: old.id, reason: '对上年度申辩' }), 403, 'forbidden');
    } finally {
        await sqlite(srv.db, `UPDATE assess_runs SET objection_until = '${until}' WHERE id = ${run.run.id};`);
    }
});

/** A chart's figure (分, at most two decimals) in hundredths, as the fixture's amounts. */
const H = (v) => Math.round(v * 100);

test('charts: the ranking, the radar against the category average and the years equal the results', async () => {
    const ch = ok(await c.leader.get(`/api/v1/assess/charts?run_id=${run.run.id}&unit_id=${u.sfj.id}`));
    const res = await resultsOf(run.run.id);
    for (const cat of ['department', 'township']) {
        const mine = res.filter((r) => r.category === cat).sort((a, b) => a.rank_category - b.rank_category || a.unit_id - b.unit_id);
        assert.deepEqual(ch.ranking[cat].map((r) => [r.unit_id, H(r.total), r.rank, r.grade]).sort((a, b) => a[2] - b[2] || a[0] - b[0]),
            mine.map((r) => [r.unit_id, inH(r.total, S.res), r.rank_category, r.grade]), cat);
        assert.ok(ch.ranking[cat].every((r) => r.name), 'leaders see every name');
    }
    assert.equal(ch.ranking.department[0].unit_id, u.sfj.id, 'the changed unit leads its category');
    assert.deepEqual(ch.areas.map((a) => [a.code, H(a.weight)]), [['A1', 6000], ['A2', 4000]]);
    assert.deepEqual([ch.radar.unit_id, ch.radar.values.map(H), ch.radar.rates.map(H)], [u.sfj.id, [6000, 3800], [10000, 9500]]);
    const deps = res.filter((r) => r.category === 'department').map((r) => r.unit_id);
    const a2 = ok(await c.office.get(`/api/v1/assess-scores?run_id=${run.run.id}&indicator_id=${run.leaf.id}&per_page=200`, SC)).items
        .filter((x) => deps.includes(x.unit_id));
    const avg = Math.round(a2.reduce((s, x) => s + inH(x.final_points, S.cell), 0) / deps.length);
    assert.deepEqual(ch.average.map(H), [6000, avg]);
    assert.deepEqual(ch.average_rates.map(H), [10000, Math.round(avg * 10000 / 4000)]);
    const prevRes = resultOf(await resultsOf(prev.run.id), u.sfj.id);
    assert.deepEqual(ch.years.filter((y) => y.year >= YEAR - 1).map((y) => ({ ...y, total: H(y.total) })), [
        { year: YEAR - 1, run_id: prev.run.id, total: inH(prevRes.total, S.res), rank_category: prevRes.rank_category },
        { year: YEAR, run_id: run.run.id, total: 9800, rank_category: 1 }]);
});

/** The statements the server ran for one answer (its access-log line, by X-Request-Id). */
async function queriesOf(r) {
    const id = r.headers.get('x-request-id');
    let line;
    for (let i = 0; i < 100 && !line; i++) {
        line = srv.stderr.split('\n').find((l) => l.includes(`"request_id":"${id}"`) && l.includes('"access"'));
        if (!line) await new Promise((res) => setTimeout(res, 20));
    }
    assert.ok(line, `access log line of ${id}`);
    return JSON.parse(line).queries;
}

test('charts are a fixed number of queries: the same for any unit, fewer than the units ranked', async () => {
    const a = await queriesOf(await c.leader.get(`/api/v1/assess/charts?run_id=${run.run.id}&unit_id=${u.sfj.id}`));
    const b = await queriesOf(await c.leader.get(`/api/v1/assess/charts?run_id=${run.run.id}&unit_id=${u.cgjd.id}`));
    const units = (await resultsOf(run.run.id)).length;
    assert.equal(a, b);
    assert.ok(a < 12 && a < units, `${a} statements for ${units} units`);
});

test('charts for a clerk: its own unit only, the others of its category without id, name or grade', async () => {
    const ch = ok(await c.clerk2.get(`/api/v1/assess/charts?run_id=${run.run.id}`));
    assert.equal(ch.unit_id, u.cgjd.id);
    assert.deepEqual(ch.ranking.department, [], 'not its category');
    const res = (await resultsOf(run.run.id)).filter((r) => r.category === 'township');
    assert.equal(ch.ranking.township.length, res.length);
    for (const r of ch.ranking.township) {
        if (r.unit_id === u.cgjd.id) { assert.ok(r.name && r.grade); continue; }
        assert.deepEqual([r.unit_id, r.name, r.grade], [null, null, null]);
    }
    assert.deepEqual(ch.ranking.township.map((r) => [H(r.total), r.rank]).sort((a, b) => a[1] - b[1] || b[0] - a[0]),
        res.map((r) => [inH(r.total, S.res), r.rank_category]).sort((a, b) => a[1] - b[1] || b[0] - a[0]), 'totals and ranks as the results');
    assert.doesNotMatch(JSON.stringify(ch), /区司法局|区财政局/);
    assert.equal(ch.radar.unit_id, u.cgjd.id);
    assertError(await c.clerk2.get(`/api/v1/assess/charts?run_id=${run.run.id}&unit_id=${u.sfj.id}`), 404, 'not_found');
    // an unpublished run is not the unit's to see yet
    const s = await makeSystem(YEAR + 1);
    const draft = ok(await c.office.post('/api/v1/assess-runs', { system_id: s.sys.id, title: '草拟中的考核' }, SC), 201);
    assertError(await c.clerk2.get(`/api/v1/assess/charts?run_id=${draft.id}`), 404, 'not_found');
    assert.equal(ok(await c.clerk2.get('/api/v1/assess/charts')).run_id, run.run.id, 'the newest published run');
    assertError(await c.clerk2.get('/api/v1/assess/charts?run_id=abc'), 400, 'invalid');
});

test('定档 waits for every objection: an open one holds the run (409 in words, not offered), decided, the run is finalized', async () => {
    const r = await makeRun(YEAR + 3, () => 3000);
    const own = ok(await c.clerk2.get(`/api/v1/assess-scores?run_id=${r.run.id}&unit_id=${u.cgjd.id}&per_page=50`, SC)).items;
    const cell = own.find((x) => x.indicator_id === r.leaf.id);
    const o = ok(await c.clerk2.post(OBJ, { score_id: cell.id, reason: '年度报告已按时报送' }), 201);
    const y = new Date(Date.now() + 8 * 3600e3 - 86400e3).toISOString().slice(0, 10);
    await sqlite(srv.db, `UPDATE assess_runs SET objection_until = '${y}' WHERE id = ${r.run.id};`); // the window closed
    const runNow = async () => ok(await c.office.get(`/api/v1/assess-runs/${r.run.id}`, SC));
    assert.ok(!(await runNow()).allowed_actions.includes('finalize'), 'not offered while an objection is open');
    const e = assertError(await step(c.office, '/api/v1/assess-runs', r.run.id, 'finalize'), 409, 'invalid_transition');
    assert.match(e.message, /申辩尚未复核完毕/);
    const me = ok(await assessor.get('/api/v1/auth/me')).user;
    ok(await step(c.office, OBJ, o.id, 'assign', { reviewer_id: me.id }));
    assertError(await step(c.office, '/api/v1/assess-runs', r.run.id, 'finalize'), 409, 'invalid_transition'); // under re-review
    ok(await step(assessor, OBJ, o.id, 'uphold', { note: '评分依据充分，维持原评分' }));
    assert.ok((await runNow()).allowed_actions.includes('finalize'));
    assert.equal(ok(await step(c.office, '/api/v1/assess-runs', r.run.id, 'finalize')).status, 'final');
});
