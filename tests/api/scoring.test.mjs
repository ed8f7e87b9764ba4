// 年度考核计分 (src/features/scoring): a run over a published indicator system scores every
// assessed unit in the background (progress units_done/units_total); the cells of two units made
// for the test equal a hand computation on data made through the registers' own API (督办 tasks:
// a ratio curve on 按时办结率, a deduction with its cap on 逾期任务, a bonus over its cap on the
// tasks received, a veto by a village's late tasks rolled up to its street, a manual leaf);
// every cell links to the records it counted (the drill list's total is the cell's num) and to
// its rule and system version; totals, ranks (ties share) and grades (thresholds, quota, veto)
// equal a recomputation from the results; the unit's self-assessment only while 自评中 and the
// assessor's points only while 审核中 (403 naming the state), 409 on a stale version; a re-run
// after a data correction lists each score that changed and why; a clerk reads only its unit's
// results and cells (another unit's: 404); publication waits for the manual cells.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, ok, listAll, uniq, waitFor, fazhi } from './lib.mjs';
import { actors, day, createTask, act, upload } from './tasks-lib.mjs';

let srv, c, u, admin, sec, unitA, unitB, unitB1, clerkA, clerkB, system, leaves, run;
const PW = 'Scoring#Pass2026x', PW2 = 'Scoring#Pass2026y';
const RUNS = '/api/v1/assess-runs', RESULTS = '/api/v1/assess-results', SCORES = '/api/v1/assess-scores';
const CHANGES = '/api/v1/assess-changes';

async function clerkOf(unitId) {
    const username = uniq('sc').toLowerCase().replace(/[^a-z0-9]/g, '');
    const made = ok(await admin.post('/api/v1/users', { username, display_name: `联络员${username}`, unit_id: unitId, password: PW }), 201).user;
    ok(await sec.put(`/api/v1/users/${made.id}/role`, { role: 'clerk', version: made.version }));
    const client = srv.client();
    assert.equal((await client.login(username, PW)).status, 200);
    ok(await client.post('/api/v1/auth/password', { old_password: PW, new_password: PW2 }));
    return client;
}

async function setting(key, value) {
    const s = ok(await admin.get('/api/v1/settings')).items.find((x) => x.key === key);
    assert.ok(s, key);
    ok(await c.office.put(`/api/v1/settings/${key}`, { value, version: s.version }));
}

/** Publish a system through its kind (assess_system: the weights are checked). */
async function publish(sys) {
    const cur = ok(await c.office.get(`/api/v1/assess-systems/${sys.id}`));
    ok(await c.office.post(`/api/v1/assess-systems/${sys.id}/actions/publish`, { version: cur.version }));
}

/** A task of `lead` due on `due`, issued; closed on time by `clerk` when given. */
async function task(lead, due, clerk = null) {
    let t = await createTask(c.office, { lead_unit_id: lead, start_on: day(-40), due_on: due });
    t = await act(c.office, t, 'issue', { note: '请按期办理' });
    if (!clerk) return t;
    t = await act(clerk, t, 'acknowledge', { note: '已签收' });
    const f = await upload(clerk, '办结佐证.pdf');
    t = await act(clerk, t, 'request_close', { note: '已完成', attachment_ids: [f.id], progress: 100 });
    return act(c.office, t, 'accept');
}

async function act2(who, r, action, body = {}) {
    const cur = ok(await c.office.get(`${RUNS}/${r.id}`));
    return who.post(`${RUNS}/${r.id}/actions/${action}`, { version: cur.version, ...body });
}

async function scored(r, passes) {
    let cur;
    await waitFor(async () => {
        cur = ok(await c.office.get(`${RUNS}/${r.id}`));
        return cur.runs === passes && cur.finished_at;
    }, { timeout: 60000, what: `pass ${passes} of run ${r.id}` });
    return cur;
}

const cellsOf = async (who, unit) => ok(await who.get(`${SCORES}?run_id=${run.id}&unit_id=${unit.id}&per_page=200`)).items;
const byCode = (cells) => Object.fromEntries(cells.map((x) => [x.code, x]));
const resultOf = async (unit) => ok(await c.office.get(`${RESULTS}?run_id=${run.id}&unit_id=${unit.id}`)).items[0];

before(async () => {
    srv = await startServer();
    ({ c, u } = await actors(srv));
    admin = c.sysadmin;
    sec = await srv.login('secadmin');
    const all = await listAll(c.office, '/api/v1/units');
    const root = all.find((x) => !x.parent_id);
    const tag = uniq('k').replace(/[^a-z0-9]/gi, '').slice(-6);
    unitA = ok(await c.office.post('/api/v1/units', { code: `SA${tag}`, name: `考核测试局${tag}`, kind: 'department', parent_id: root.id }), 201);
    unitB = ok(await c.office.post('/api/v1/units', { code: `SB${tag}`, name: `考核测试街道${tag}`, kind: 'street', parent_id: root.id }), 201);
    unitB1 = ok(await c.office.post('/api/v1/units', { code: `SC${tag}`, name: `考核测试社区${tag}`, kind: 'village', parent_id: unitB.id }), 201);
    clerkA = await clerkOf(unitA.id);
    clerkB = await clerkOf(unitB.id);
    // A: 5 tasks due in 20 days, 4 closed now (on time); B: 6 closed on time; B's village: 2 due
    // 20 days ago, still open (late)
    for (let i = 0; i < 4; i++) await task(unitA.id, day(20), clerkA);
    await task(unitA.id, day(20));
    for (let i = 0; i < 6; i++) await task(unitB.id, day(20), clerkB);
    for (let i = 0; i < 2; i++) await task(unitB1.id, day(-20));
    // the system: one area worth 20 分 = a ratio (10), a deduction (8), a manual leaf (2); a bonus
    // and a veto outside the sums
    system = ok(await c.office.post('/api/v1/assess-systems', { year: Number(day(0).slice(0, 4)), name: `计分测试体系${tag}`, total_points: 20 }), 201);
    const ind = async (b) => ok(await c.office.post('/api/v1/assess-indicators', { system_id: system.id, ...b }), 201);
    const l1 = await ind({ level: 1, code: '1', name: '依法全面履行政府职能', weight: 20, sort_order: 1 });
    leaves = {
        ratio: await ind({ parent_id: l1.id, level: 2, code: '1.1', name: '督办任务按时办结', weight: 10, rule: 'ratio', metric: 'tasks.done_on_time', params: 'linear 40:0 90:100', sort_order: 1 }),
        deduct: await ind({ parent_id: l1.id, level: 2, code: '1.2', name: '督办任务逾期', weight: 8, rule: 'deduct', metric: 'tasks.late', params: 'per=2 cap=5', sort_order: 2 }),
        manual: await ind({ parent_id: l1.id, level: 2, code: '1.3', name: '法治建设年度报告', weight: 2, rule: 'manual', sort_order: 3 }),
        bonus: await ind({ parent_id: l1.id, level: 2, code: '1.4', name: '承接督办事项', weight: 0, rule: 'bonus', metric: 'tasks.received', params: 'per=0.5 cap=2', sort_order: 4 }),
        veto: await ind({ parent_id: l1.id, level: 2, code: '1.5', name: '逾期未办结任务', weight: 0, rule: 'veto', metric: 'tasks.late', sort_order: 5 }),
    };
    await setting('assess.veto_grade', 'poor');
});
after(async () => { await srv.stopAndCheck(); });

test('a run needs a published system; 计分 answers at once and the pass runs in the background with its progress', async () => {
    const body = { title: `计分测试${system.id}`, system_id: system.id, period_from: day(-30), period_to: day(30) };
    let e = assertError(await c.office.post(RUNS, body), 400, 'invalid');
    assert.match(e.fields.system_id, /已发布/);
    await publish(system);
    assertError(await clerkA.post(RUNS, body), 403, 'forbidden');
    run = ok(await c.office.post(RUNS, body), 201);
    assert.deepEqual([run.status, run.year, run.period_from, run.system_version], ['draft', system.year, day(-30), 1]);
    assert.ok(run.allowed_actions.includes('score'));
    const started = ok(await act2(c.office, run, 'score'));
    assert.equal(started.status, 'scored');
    assert.equal(started.runs, 1);
    const done = await scored(run, 1);
    assert.ok(done.units_total >= 2 && done.units_done === done.units_total, `progress ${done.units_done}/${done.units_total}`);
    // every assessed unit has a result, and the village none (its figures are its street's)
    const results = await listAll(c.office, `${RESULTS}?run_id=${run.id}`);
    assert.equal(results.length, done.units_total);
    assert.ok(!results.some((r) => r.unit_id === unitB1.id));
    const tl = ok(await c.office.get(`${RUNS}/${run.id}/timeline`));
    assert.ok(tl.items.some((x) => x.action === 'score'), 'the step is on the timeline');
});

test('the cells equal a hand computation: a ratio curve, a deduction with its cap, a bonus over its cap, a veto by a village rolled up', async () => {
    const a = byCode(await cellsOf(c.office, unitA));
    // 按时办结率 4/5 = 80 %: linear 40:0 90:100 → (80 − 40) / 50 = 80 % of 10 分 = 8 分
    assert.deepEqual([a['1.1'].num, a['1.1'].den, a['1.1'].value, a['1.1'].points], [4, 5, 80, 8]);
    // no late task: 8 − 0
    assert.deepEqual([a['1.2'].num, a['1.2'].points], [0, 8]);
    // 5 received × 0.5 = 2.5, capped at 2
    assert.deepEqual([a['1.4'].num, a['1.4'].points], [5, 2]);
    assert.deepEqual([a['1.5'].veto, a['1.3'].pending, a['1.3'].points], [false, true, 0]);
    const b = byCode(await cellsOf(c.office, unitB));
    // 6 on time of 8 due (the village's 2 late ones count for its street): 75 % → 70 % of 10 分
    assert.deepEqual([b['1.1'].num, b['1.1'].den, b['1.1'].points], [6, 8, 7]);
    // 2 late × 2 = 4 (under the cap 5): 8 − 4
    assert.deepEqual([b['1.2'].num, b['1.2'].points], [2, 4]);
    assert.deepEqual([b['1.4'].num, b['1.4'].points], [8, 2]);
    assert.equal(b['1.5'].veto, true);
    for (const x of [...Object.values(a), ...Object.values(b)]) {
        assert.ok(x.explain && x.explain.length > 1, `${x.code} explains itself: ${x.explain}`);
        assert.deepEqual([x.system_id, x.system_version], [system.id, 1]);
        assert.equal(x.indicator_id, leaves[{ '1.1': 'ratio', '1.2': 'deduct', '1.3': 'manual', '1.4': 'bonus', '1.5': 'veto' }[x.code]].id);
    }
    assert.match(a['1.1'].explain, /80/);
    const ra = await resultOf(unitA), rb = await resultOf(unitB);
    assert.deepEqual([ra.total, ra.bonus, ra.veto, ra.pending, ra.category], [18, 2, false, 1, 'department']);
    assert.deepEqual([rb.total, rb.bonus, rb.veto, rb.category], [13, 2, true, 'township']);
    // 13 of 20 = 65 % would be 一般; vetoed, at most assess.veto_grade (poor here)
    assert.equal(rb.grade, 'poor');
});

test('every cell opens exactly the records it counted: the drill list\'s total is its num (and den)', async () => {
    for (const unit of [unitA, unitB]) {
        for (const x of await cellsOf(c.office, unit)) {
            if (!x.metric) { assert.equal(x.drill, ''); continue; }
            assert.match(x.drill, new RegExp(`^/tasks\\?metric=[a-z_]+&metric_part=num&metric_from=${day(-30)}&metric_to=${day(30)}&metric_unit=${unit.id}&metric_subtree=1$`));
            const list = ok(await c.office.get(`/api/v1${x.drill}`));
            assert.equal(list.total, x.num, `${x.code} of ${unit.name}: ${x.drill}`);
            if (x.den_drill) assert.equal(ok(await c.office.get(`/api/v1${x.den_drill}`)).total, x.den, `${x.code} den`);
        }
    }
});

test('ranks and grades equal a recomputation from the results: ties share a rank, quota per category, veto cap', async () => {
    const rs = await listAll(c.office, `${RESULTS}?run_id=${run.id}`);
    const total = 20;
    for (const r of rs) {
        assert.equal(r.rank_all, 1 + rs.filter((x) => x.total > r.total).length);
        const cat = rs.filter((x) => x.category === r.category);
        assert.equal(r.rank_category, 1 + cat.filter((x) => x.total > r.total).length);
        let g = r.total * 100 >= 90 * total ? 0 : r.total * 100 >= 80 * total ? 1 : r.total * 100 >= 60 * total ? 2 : 3;
        if (g === 0 && r.rank_category > Math.floor(cat.length * 30 / 100)) g = 1;
        if (r.veto && g < 3) g = 3; // veto_grade poor
        assert.equal(r.grade, ['excellent', 'good', 'fair', 'poor'][g], `${r.unit_name} ${r.total}`);
    }
    const sorted = ok(await c.office.get(`${RESULTS}?run_id=${run.id}&sort=-total&per_page=5`)).items;
    for (let i = 1; i < sorted.length; i++) assert.ok(sorted[i - 1].total >= sorted[i].total);
});

test('scope: a clerk reads its own unit\'s result and cells; another unit\'s answer 404', async () => {
    const mine = ok(await clerkA.get(`${RESULTS}?run_id=${run.id}`));
    assert.deepEqual(mine.items.map((x) => x.unit_id), [unitA.id]);
    const rb = await resultOf(unitB);
    assertError(await clerkA.get(`${RESULTS}/${rb.id}`), 404, 'not_found');
    const cb = (await cellsOf(c.office, unitB))[0];
    assertError(await clerkA.get(`${SCORES}/${cb.id}`), 404, 'not_found');
    assert.equal(ok(await clerkA.get(`${SCORES}?run_id=${run.id}&unit_id=${unitB.id}`)).total, 0);
    assertError(await c.clerk1.get(`${SCORES}/${(await cellsOf(c.office, unitA))[0].id}`), 404, 'not_found');
});

test('self-assessment only while 自评中, the assessor\'s points only while 审核中 (403 naming the state), stale 409, the totals follow', async () => {
    let a = byCode(await cellsOf(clerkA, unitA));
    let e = assertError(await clerkA.put(`${SCORES}/${a['1.3'].id}`, { self_points: 1.5, version: a['1.3'].version }), 403, 'forbidden');
    assert.match(e.message, /已计分/);
    ok(await act2(c.office, run, 'open_self'));
    const f = await upload(clerkA, '年度报告.pdf');
    const put = ok(await clerkA.put(`${SCORES}/${a['1.3'].id}`, { self_points: 1.5, self_note: '已按时报送年度报告', attachment_ids: [f.id], version: a['1.3'].version }));
    assert.deepEqual([put.self_points, put.self_note, put.attachments.map((x) => x.id)], [1.5, '已按时报送年度报告', [f.id]]);
    assertError(await clerkA.put(`${SCORES}/${a['1.3'].id}`, { self_points: 1.6, version: a['1.3'].version }), 409, 'stale_version');
    assertError(await clerkA.put(`${SCORES}/${a['1.3'].id}`, { self_points: 3, version: put.version }), 400, 'invalid');
    e = assertError(await c.office.put(`${SCORES}/${a['1.3'].id}`, { assessor_points: 1.5, assessor_note: '材料齐全', version: put.version }), 403, 'forbidden');
    assert.match(e.message, /自评中/);
    ok(await act2(c.office, run, 'start_review'));
    e = assertError(await clerkA.put(`${SCORES}/${a['1.3'].id}`, { self_points: 1, version: put.version }), 403, 'forbidden');
    assert.match(e.message, /审核中/);
    e = assertError(await act2(c.office, run, 'publish'), 409, 'invalid_transition');
    assert.match(e.message, /人工评分/);
    assertError(await c.office.put(`${SCORES}/${a['1.3'].id}`, { assessor_points: 1.5, version: put.version }), 400, 'invalid');
    ok(await c.office.put(`${SCORES}/${a['1.3'].id}`, { assessor_points: 1.5, assessor_note: '材料齐全', version: put.version }));
    const b = byCode(await cellsOf(c.office, unitB));
    ok(await c.office.put(`${SCORES}/${b['1.3'].id}`, { assessor_points: 1, assessor_note: '报告内容不完整', version: b['1.3'].version }));
    a = byCode(await cellsOf(clerkA, unitA));
    assert.deepEqual([a['1.3'].assessor_points, a['1.3'].final_points, a['1.3'].pending], [1.5, 1.5, false]);
    const ra = await resultOf(unitA);
    assert.deepEqual([ra.total, ra.pending], [19.5, 0]);
    assert.equal((await resultOf(unitB)).total, 14);
    const review = ok(await c.office.get(`${CHANGES}?run_id=${run.id}&cause=review`)).items;
    assert.ok(review.some((x) => x.unit_id === unitA.id && x.new_points === 1.5 && x.reason === '材料齐全'));
});

test('a re-run after a data correction lists each score that changed and why; the assessor\'s points stay', async () => {
    // the village's two late tasks were wrongly issued: cancelled
    const late = await listAll(c.office, `/api/v1/tasks?lead_unit=${unitB1.id}`);
    assert.equal(late.length, 2);
    for (const t of late) await act(c.office, t, 'cancel', { note: '误下发，撤销' });
    ok(await act2(c.office, run, 'score'));
    await scored(run, 2);
    const b = byCode(await cellsOf(c.office, unitB));
    assert.deepEqual([b['1.1'].num, b['1.1'].den, b['1.1'].points], [6, 6, 10]);
    assert.deepEqual([b['1.2'].num, b['1.2'].points], [0, 8]);
    assert.deepEqual([b['1.5'].veto, b['1.3'].final_points], [false, 1]);
    const rb = await resultOf(unitB);
    assert.deepEqual([rb.total, rb.veto], [21, false]);
    const ch = await listAll(c.office, `${CHANGES}?run_id=${run.id}&cause=rerun`);
    const mine = ch.filter((x) => x.unit_id === unitB.id).map((x) => [x.code, x.old_num, x.new_num, x.old_den, x.new_den, x.old_points, x.new_points]);
    assert.deepEqual(mine.sort(), [['1.1', 6, 6, 8, 6, 7, 10], ['1.2', 2, 0, 0, 0, 4, 8], ['1.5', 2, 0, 0, 0, 0, 0]].sort());
    for (const x of ch.filter((y) => y.unit_id === unitB.id)) assert.match(x.reason, /重新计分/);
    assert.ok(!ch.some((x) => x.unit_id === unitA.id), 'A\'s figures did not change: nothing listed');
    // the clerk of B sees its own changes, A's clerk none of B's
    assert.equal(ok(await clerkB.get(`${CHANGES}?run_id=${run.id}`)).total, 3 + 1);
    assert.equal(ok(await clerkA.get(`${CHANGES}?run_id=${run.id}&unit_id=${unitB.id}`)).total, 0);
});

test('publication sets the objection period; a published run is scored no more; finalizing waits for the period', async () => {
    // the assessor scores every unit's manual leaf first
    for (const x of await listAll(c.office, `${SCORES}?run_id=${run.id}&pending=1`))
        ok(await c.office.put(`${SCORES}/${x.id}`, { assessor_points: 1.2, assessor_note: '按评分标准评定', version: x.version }));
    const p = ok(await act2(c.office, run, 'publish'));
    assert.equal(p.status, 'published');
    assert.ok(p.published_at && p.objection_until > day(0));
    let e = assertError(await act2(c.office, run, 'score'), 409, 'invalid_transition');
    e = assertError(await act2(c.office, run, 'finalize'), 409, 'invalid_transition');
    assert.match(e.message, /申辩期限/);
});

test('fazhi assess run re-scores one unit with a progress bar; fazhi assess list lists the runs', async () => {
    const list = await fazhi(['assess', 'list', '--data-dir', srv.dir]);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, new RegExp(`${run.id}\\s+\\d{4}\\s+published`));
    const refused = await fazhi(['assess', 'run', '--run', String(run.id), '--data-dir', srv.dir]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /published or final/);
    const r2 = ok(await c.office.post(RUNS, { title: `单位重算${system.id}`, system_id: system.id, period_from: day(-30), period_to: day(30) }), 201);
    const one = await fazhi(['assess', 'run', '--run', String(r2.id), '--unit', String(unitA.id), '--data-dir', srv.dir]);
    assert.equal(one.code, 0, one.stderr);
    assert.match(one.stderr, /\[#+\] 1\/1 units/);
    const cells = byCode(ok(await c.office.get(`${SCORES}?run_id=${r2.id}&per_page=200`)).items);
    assert.deepEqual([cells['1.1'].points, cells['1.2'].points, cells['1.4'].points], [8, 8, 2]);
    assert.equal(ok(await c.office.get(`${RESULTS}?run_id=${r2.id}`)).total, 1);
});
