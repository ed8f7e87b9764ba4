// The status light (预警) computed on read: green / yellow (due within task.yellow_days working days,
// or the period's report missing) / red (overdue, or an urging unanswered past its reply date) /
// none (draft, done, cancelled); overdue_days; the `light` filter and /tasks/stats agree with the
// list; the report rhythm (report_due_on). Rows are aged with the sqlite3 CLI where the API (rightly)
// refuses dates in the past.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, ok, listAll, sqlite } from './lib.mjs';
import { actors, createTask, act, issuedTask, day, today, addDays, workdaysAfter } from './tasks-lib.mjs';

let srv, c, u;
before(async () => {
    srv = await startServer();
    ({ c, u } = await actors(srv));
});
after(async () => { await srv.stopAndCheck(); });

const get = async (id, who = 'office') => ok(await c[who].get(`/api/v1/tasks/${id}`));

async function setSetting(key, value) {
    const s = ok(await c.sysadmin.get('/api/v1/settings')).items.find((x) => x.key === key);
    assert.ok(s, `setting ${key}`);
    return ok(await c.sysadmin.put(`/api/v1/settings/${key}`, { value, version: s.version }), 200, `set ${key}=${value}`);
}

test('settings task.yellow_days (7, 1–60) and task.report_day (25, 1–28) exist and are bounded', async () => {
    const items = ok(await c.sysadmin.get('/api/v1/settings')).items;
    const y = items.find((x) => x.key === 'task.yellow_days'), r = items.find((x) => x.key === 'task.report_day');
    assert.deepEqual([y.type, Number(y.value), y.min, y.max], ['int', 7, 1, 60]);
    assert.deepEqual([r.type, Number(r.value), r.min, r.max], ['int', 25, 1, 28]);
    for (const v of [0, 61]) assertError(await c.sysadmin.put('/api/v1/settings/task.yellow_days', { value: v, version: y.version }), 400, 'invalid', String(v));
    assertError(await c.office.put('/api/v1/settings/task.yellow_days', { value: 3, version: y.version }), 403, 'forbidden');
});

test('green when due later than task.yellow_days working days; yellow from that working day on; the setting moves it', async () => {
    const edge = await workdaysAfter(c.office, today(), 7);
    const atEdge = await issuedTask(c, u.sfj, [], { due_on: edge });
    const past = await issuedTask(c, u.sfj, [], { due_on: addDays(edge, 1) });
    const far = await issuedTask(c, u.sfj, [], { due_on: await workdaysAfter(c.office, today(), 60) });
    assert.equal(atEdge.light, 'yellow', `due ${edge} = 7 working days from today`);
    assert.ok(atEdge.light_reasons.length > 0, 'a yellow light says why');
    assert.equal(atEdge.overdue_days, 0);
    assert.equal(past.light, 'green', `due ${addDays(edge, 1)}`);
    assert.deepEqual(past.light_reasons, []);
    assert.equal(far.light, 'green');
    try {
        await setSetting('task.yellow_days', 1);
        const edge1 = await workdaysAfter(c.office, today(), 1);
        assert.equal((await get(atEdge.id)).light, edge <= edge1 ? 'yellow' : 'green', 'threshold 1 working day');
        const soon = await issuedTask(c, u.sfj, [], { due_on: edge1 });
        assert.equal(soon.light, 'yellow');
        await setSetting('task.yellow_days', 60);
        assert.equal((await get(far.id)).light, 'yellow', `due ${far.due_on} = 60 working days ahead`);
        const listed = (await listAll(c.office, '/api/v1/tasks?light=yellow')).map((x) => x.id);
        assert.ok(listed.includes(far.id) && listed.includes(past.id), 'the light filter follows the setting');
    } finally {
        await setSetting('task.yellow_days', 7);
    }
    assert.equal((await get(far.id)).light, 'green');
});

test('red when overdue, with overdue_days in calendar days; none for drafts, done and cancelled', async () => {
    const y = await issuedTask(c, u.sfj, [], { start_on: day(-20), due_on: day(-1) });
    assert.equal(y.light, 'red');
    assert.equal(y.overdue_days, 1);
    assert.ok(y.light_reasons.some((s) => s.includes('逾期')), `reason: ${y.light_reasons}`);
    const w = await issuedTask(c, u.sfj, [], { start_on: day(-20), due_on: day(-9) });
    assert.equal(w.overdue_days, 9);
    const dueToday = await issuedTask(c, u.sfj, [], { due_on: today() });
    assert.equal(dueToday.light, 'yellow', 'due today is not overdue yet');
    assert.equal(dueToday.overdue_days, 0);
    const draft = await createTask(c.office, { lead_unit_id: u.sfj.id, start_on: day(-20), due_on: day(-3) });
    assert.equal(draft.light, 'none');
    assert.equal(draft.overdue_days, 0);
    const en = ok(await c.office.get(`/api/v1/tasks/${w.id}`, { headers: { 'Accept-Language': 'en' } }));
    assert.ok(en.light_reasons.every((s) => !/[\u4e00-\u9fff]/.test(s)), `English reasons: ${en.light_reasons}`);
    // done and cancelled overdue tasks have no light
    let d = await act(c.clerk1, w, 'acknowledge');
    d = await act(c.clerk1, d, 'request_close', { note: '完成' });
    assert.equal(d.light, 'red', 'closing is still under way');
    d = await act(c.office, d, 'accept');
    assert.equal(d.light, 'none');
    assert.equal(d.overdue_days, 0);
    const x = await act(c.office, y, 'cancel', { note: '撤销' });
    assert.equal(x.light, 'none');
});

test('yellow when the period\'s progress report is missing (report_due_on before today)', async () => {
    const t = await issuedTask(c, u.sfj, [u.cgjd], { rhythm: 'monthly', due_on: day(200) }, ['clerk1']);
    assert.equal(t.light, 'green');
    await sqlite(srv.db, `UPDATE tasks SET report_due_on = '${day(-1)}' WHERE id = ${t.id};`);
    const y = await get(t.id);
    assert.equal(y.light, 'yellow');
    assert.ok(y.light_reasons.some((s) => s.includes('报送')), `reason: ${y.light_reasons}`);
    assert.ok((await listAll(c.office, '/api/v1/tasks?light=yellow')).some((x) => x.id === t.id));
    // the lead unit's report covers the period: green again
    const g = await act(c.clerk1, y, 'report', { note: '本月进展', progress: 20 });
    assert.ok(g.report_due_on > today(), `next report due ${g.report_due_on}`);
    assert.equal(g.light, 'green');
});

test('red when an urging is unanswered past its reply date; the reply clears it', async () => {
    const t = await issuedTask(c, u.sfj, [u.cgjd], { due_on: day(200) });
    const t2 = await act(c.office, t, 'urge', { unit_id: u.cgjd.id, note: '请回复', reply_due_on: today() });
    assert.equal(t2.light, 'green', 'an urging due today is not late yet');
    const [g] = ok(await c.office.get(`/api/v1/tasks/${t.id}/urgings`)).items;
    await sqlite(srv.db, `UPDATE task_urgings SET reply_due_on = '${day(-1)}' WHERE id = ${g.id};`);
    const r = await get(t.id);
    assert.equal(r.light, 'red');
    assert.equal(r.overdue_days, 0, 'not overdue: red because of the urging');
    assert.ok(r.light_reasons.some((s) => s.includes('督办')), `reason: ${r.light_reasons}`);
    assert.ok((await listAll(c.office, '/api/v1/tasks?light=red')).some((x) => x.id === t.id), 'light=red lists it');
    assert.ok((await listAll(c.clerk2, '/api/v1/tasks?light=red')).some((x) => x.id === t.id), 'clerk2 too');
    const after = await act(c.clerk2, r, 'reply_urging', { urging_id: g.id, note: '已办理' });
    assert.equal(after.light, 'green');
});

test('report rhythm: monthly and quarterly report_due_on on task.report_day, capped at due_on; the lead report moves it', async () => {
    const next = (months, fromDate) => {
        // the first report day (25th) strictly after fromDate in a month accepted by `months`
        const [y, m] = fromDate.split('-').map(Number);
        for (let k = 0; k < 15; k++) {
            const d = new Date(Date.UTC(y, m - 1 + k, 25)).toISOString().slice(0, 10);
            if (d > fromDate && months(Number(d.slice(5, 7)))) return d;
        }
        return null;
    };
    const monthly = await issuedTask(c, u.sfj, [u.cgjd], { rhythm: 'monthly', due_on: day(300) }, ['clerk1', 'clerk2']);
    const m1 = next(() => true, today());
    assert.equal(monthly.report_due_on, m1);
    const quarterly = await issuedTask(c, u.sfj, [], { rhythm: 'quarterly', due_on: day(300) });
    assert.equal(quarterly.report_due_on, next((mm) => mm % 3 === 0, today()));
    const none = await issuedTask(c, u.sfj, [], { rhythm: 'none', due_on: day(300) });
    assert.equal(none.report_due_on, null);
    const capped = await issuedTask(c, u.sfj, [], { rhythm: 'monthly', due_on: day(1) });
    assert.ok(capped.report_due_on <= day(1), `capped at due_on: ${capped.report_due_on}`);
    const custom = await issuedTask(c, u.sfj, [], { rhythm: 'custom', custom_dates: [day(40), day(-5), day(10)], due_on: day(300) });
    assert.equal(custom.report_due_on, day(10), 'the first listed date after today');
    // a co-unit report does not move it, the lead's does
    const co = await act(c.clerk2, monthly, 'report', { note: '配合进展' });
    assert.equal(co.report_due_on, m1);
    const lead = await act(c.clerk1, co, 'report', { note: '牵头进展' });
    assert.equal(lead.report_due_on, next(() => true, m1), 'next period');
    const cu = await act(c.clerk1, await act(c.clerk1, custom, 'acknowledge'), 'report', { note: '按期报送' });
    assert.equal(cu.report_due_on, day(40));
    // task.report_day moves the day
    try {
        await setSetting('task.report_day', 5);
        const t = await issuedTask(c, u.sfj, [], { rhythm: 'monthly', due_on: day(300) });
        assert.equal(t.report_due_on.slice(8), '05');
        assert.ok(t.report_due_on > today());
    } finally {
        await setSetting('task.report_day', 25);
    }
});

async function checkConsistency(who) {
    const all = await listAll(c[who], '/api/v1/tasks');
    const t0 = today();
    for (const it of all) {
        const want = ['draft', 'done', 'cancelled'].includes(it.status) ? 'none' : null;
        if (want) assert.equal(it.light, want, `${who}: task ${it.id} (${it.status}) light`);
        if (it.light !== 'none' && it.due_on < t0) assert.equal(it.light, 'red', `${who}: overdue task ${it.id} is red`);
        if (it.light === 'red' && it.due_on < t0) assert.ok(it.overdue_days > 0);
        else assert.equal(it.overdue_days, 0, `${who}: task ${it.id} overdue_days`);
    }
    const stats = ok(await c[who].get('/api/v1/tasks/stats'));
    for (const light of ['green', 'yellow', 'red', 'none']) {
        const filtered = (await listAll(c[who], `/api/v1/tasks?light=${light}`)).map((x) => x.id).sort((a, b) => a - b);
        const mine = all.filter((x) => x.light === light).map((x) => x.id).sort((a, b) => a - b);
        assert.deepEqual(filtered, mine, `${who}: light=${light} filter agrees with the items' light`);
        assert.equal(stats.by_light[light], mine.length, `${who}: stats.by_light.${light}`);
    }
    for (const s of ['draft', 'issued', 'in_progress', 'closing', 'done', 'cancelled']) {
        assert.equal(stats.by_status[s], all.filter((x) => x.status === s).length, `${who}: stats.by_status.${s}`);
    }
    const overdue = new Map();
    for (const it of all) if (it.light === 'red' && it.due_on < t0) overdue.set(it.lead_unit_id, (overdue.get(it.lead_unit_id) || 0) + 1);
    const got = new Map(stats.overdue_by_unit.map((x) => [x.unit_id, x.overdue]));
    assert.deepEqual(Object.fromEntries([...got].sort()), Object.fromEntries([...overdue].sort()), `${who}: overdue_by_unit`);
    for (const x of stats.overdue_by_unit) assert.ok(x.unit_name, 'overdue_by_unit.unit_name');
    return { all, stats };
}

test('the light filter and /tasks/stats agree with the list, for the office, a clerk and the leader', async () => {
    // make sure each light exists
    await issuedTask(c, u.sfj, [u.cgjd], { start_on: day(-30), due_on: day(-2) });
    await issuedTask(c, u.cgjd, [], { start_on: day(-30), due_on: day(-4) });
    await issuedTask(c, u.sfj, [], { due_on: today() });
    await issuedTask(c, u.sfj, [], { due_on: day(120) });
    await createTask(c.office, { lead_unit_id: u.sfj.id });
    const { stats } = await checkConsistency('office');
    for (const l of ['green', 'yellow', 'red', 'none']) assert.ok(stats.by_light[l] > 0, `office has ${l} tasks`);
    const s1 = await checkConsistency('clerk1');
    assert.ok(s1.stats.overdue_by_unit.every((x) => x.unit_id === u.sfj.id || s1.all.some((t) => t.lead_unit_id === x.unit_id)));
    assert.equal(s1.stats.by_status.draft, 0);
    await checkConsistency('clerk2');
    await checkConsistency('leader');
});
