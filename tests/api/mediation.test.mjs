// 矛盾纠纷 (人民调解) — a register built from declarations only (src/features/mediation): a case
// registered (受理) by the committee that takes it is routed by grade (分流: 简单 → a village or
// community, 复杂 → a street or township, 疑难 → the district; the unit's kind must fit), mediated
// in sessions (a child record), concluded with an agreement (terms, performance, 司法确认) or
// without one, followed up (回访) and archived with its file number (一案一档); the wrong role or
// state is 409 with the actions possible now; the 30-day target is a clock whose last day on a
// holiday moves to the next working day; the metrics' sets equal a hand count through the list's
// filters; a unit's clerk sees only its own cases (404 otherwise); export and import round trip.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, ok, uniq } from './lib.mjs';
import { actors, today, addDays, xlsxRows } from './tasks-lib.mjs';

let srv, c, u, village, villageClerk, township;
before(async () => {
    srv = await startServer();
    ({ c, u } = await actors(srv));
    const units = ok(await c.office.get('/api/v1/units?per_page=200')).items;
    village = units.find((x) => x.code === 'cg-heping');
    township = units.find((x) => x.code === 'beishan');
    assert.ok(village && village.kind === 'village', 'the demo has village units');
    villageClerk = await srv.login('clerk_cg-heping');
});
after(async () => { await srv.stopAndCheck(); });

const PATH = '/api/v1/mediations';
const SESSIONS = '/api/v1/mediation-sessions';

async function register(who = c.clerk2, body = {}) {
    return ok(await who.post(PATH, {
        received_on: today(), source: 'application', dispute_type: 'neighbour',
        summary: '相邻双方因排水沟改道发生争执，请求调解。',
        parties: [{ role: 'applicant', name: '周桂兰' }, { role: 'respondent', name: '吴德胜' }], ...body,
    }), 201);
}

async function act(who, rec, action, body = {}) {
    const cur = ok(await c.office.get(`${PATH}/${rec.id}`));
    return who.post(`${PATH}/${rec.id}/actions/${action}`, { version: cur.version, ...body });
}

function refused(r, allowed) {
    assertError(r, 409, 'invalid_transition');
    if (allowed) assert.deepEqual([...r.json.error.fields.allowed_actions].sort(), [...allowed].sort());
    return r.json.error;
}

async function session(who, rec, body = {}) {
    return who.post(SESSIONS, { mediation_id: rec.id, held_on: today(), place: '社区人民调解室',
        mediators: '调解员 王德明', summary: '听取双方陈述，释法说理。', ...body });
}

test('a case walks 受理 → 分流 → 调解 → 达成协议 → 司法确认 → 回访 → 归档 as the right accounts', async () => {
    const r = await register();
    assert.match(r.case_no, /^TJ\d{4}-\d{6}$/);
    assert.equal(r.status, 'received');
    assert.equal(r.handling_unit_id, u.cgjd.id, 'registered for the clerk\'s own unit');
    assert.deepEqual([...r.allowed_actions].sort(), ['route', 'withdraw']);
    // another unit's clerk does not see it; the leader reads but takes no step
    assertError(await c.clerk1.get(`${PATH}/${r.id}`), 404, 'not_found');
    assert.deepEqual(ok(await c.leader.get(`${PATH}/${r.id}`)).allowed_actions, []);
    refused(await act(c.leader, r, 'withdraw', { note: 'x' }), []);
    // steps out of order
    refused(await act(c.clerk2, r, 'agree', { agreed_on: today(), terms: 't' }), ['route', 'withdraw']);

    let x = ok(await act(c.clerk2, r, 'route', { grade: 'simple', unit_id: village.id }));
    // routed to the village: the street's clerk no longer reads it
    assert.deepEqual(x, { id: r.id, allowed_actions: [] });
    x = ok(await villageClerk.get(`${PATH}/${r.id}`));
    assert.equal(x.status, 'mediating');
    assert.equal(x.grade, 'simple');
    assert.equal(x.level, 'village');
    assert.equal(x.handling_unit_id, village.id);
    assertError(await c.clerk2.get(`${PATH}/${r.id}`), 404, 'not_found');

    // no session yet: 达成协议 and 调解不成 are not offered, and refused with the guard's message
    assert.deepEqual([...x.allowed_actions].sort(), ['withdraw']);
    const g = refused(await act(villageClerk, r, 'agree', { agreed_on: today(), terms: '赔偿' }), ['withdraw']);
    assert.match(g.message, /调解记录/);

    // a session (the child record): another unit's clerk cannot record one
    assertError(await session(c.clerk1, r), 400, 'invalid');
    assertError(await session(villageClerk, r, { held_on: addDays(today(), 1) }), 400, 'invalid');
    const s = ok(await session(villageClerk, r), 201);
    assert.equal(s.mediation_id, r.id);
    assert.equal(s.case_no, r.case_no);
    const list = ok(await villageClerk.get(`${SESSIONS}?mediation_id=${r.id}`));
    assert.deepEqual(list.items.map((i) => i.id), [s.id]);
    assert.equal(ok(await c.clerk1.get(`${SESSIONS}?mediation_id=${r.id}`)).total, 0, 'sessions follow the case\'s scope');
    assertError(await c.clerk1.get(`${SESSIONS}/${s.id}`), 404, 'not_found');
    const decl = ok(await c.office.get('/api/v1/entities/mediation_sessions'));
    assert.equal(decl.fields.find((f) => f.name === 'mediation_id').ref, 'mediations');

    x = ok(await villageClerk.get(`${PATH}/${r.id}`));
    assert.deepEqual([...x.allowed_actions].sort(), ['agree', 'fail', 'withdraw']);
    // 达成协议: terms required, the day not in the future
    let bad = await act(villageClerk, r, 'agree', { agreed_on: today() });
    assertError(bad, 400, 'invalid');
    assert.ok(bad.json.error.fields.terms);
    bad = await act(villageClerk, r, 'agree', { agreed_on: addDays(today(), 1), terms: '赔偿' });
    assertError(bad, 400, 'invalid');
    assert.ok(bad.json.error.fields.agreed_on);
    bad = await act(villageClerk, r, 'agree', { agreed_on: today(), terms: '赔偿', judicial_confirmed: true });
    assertError(bad, 400, 'invalid');
    assert.ok(bad.json.error.fields.confirmed_on, 'confirmed needs its day');
    x = ok(await act(villageClerk, r, 'agree', { agreed_on: today(), terms: '被申请人三日内恢复排水沟原状。' }));
    assert.equal(x.status, 'agreed');
    assert.equal(x.outcome, 'agreed');
    assert.equal(x.performance, 'pending');
    assert.equal(x.judicial_confirmed, false);
    assert.equal(x.clocks[0].state, 'met');
    refused(await act(villageClerk, r, 'archive'), ['confirm', 'visit']);

    // 司法确认 once
    x = ok(await act(villageClerk, r, 'confirm', { confirmed_on: today() }));
    assert.equal(x.judicial_confirmed, true);
    assert.equal(x.confirmed_on, today());
    refused(await act(villageClerk, r, 'confirm', { confirmed_on: today() }), ['visit']);

    // 回访: after an agreement the performance is required, and a note
    bad = await act(villageClerk, r, 'visit', { visited_on: today(), note: '电话回访' });
    assertError(bad, 400, 'invalid');
    assert.ok(bad.json.error.fields.performance);
    assertError(await act(villageClerk, r, 'visit', { visited_on: today(), performance: 'performed' }), 400, 'invalid');
    x = ok(await act(villageClerk, r, 'visit', { visited_on: today(), performance: 'performed', note: '协议已履行。' }));
    assert.equal(x.status, 'visited');
    assert.equal(x.performance, 'performed');

    // 归档: one case, one file
    x = ok(await act(villageClerk, r, 'archive'));
    assert.equal(x.status, 'archived');
    assert.equal(x.archive_no, `TJDA${r.case_no.slice(2)}`);
    assert.deepEqual(x.allowed_actions, []);
    refused(await act(c.office, r, 'withdraw', { note: '终止' }), []);
    // the timeline (engine events and the session) and the audit trail
    const audit = ok(await c.auditor.get(`/api/v1/audit?object_type=mediation&object_id=${r.id}&per_page=50`)).items
        .map((a) => a.action);
    for (const a of ['mediation.create', 'mediation.route', 'mediation.session', 'mediation.agree',
        'mediation.confirm', 'mediation.visit', 'mediation.archive'])
        assert.ok(audit.includes(a), `${a} in ${audit}`);
    // a stale version, an unknown action
    assertError(await c.office.post(`${PATH}/${r.id}/actions/withdraw`, { version: 1, note: 'x' }), 409, 'stale_version');
    assertError(await act(c.office, r, 'no_such'), 404, 'not_found');
});

test('调解不成 needs the reason and where it is referred; 终止 needs a note; a concluded case is not edited', async () => {
    const r = await register(c.office, { handling_unit_id: township.id, dispute_type: 'labour' });
    assert.equal(r.handling_unit_id, township.id, 'the office registers for any unit');
    ok(await act(c.office, r, 'route', { grade: 'complex', unit_id: township.id }));
    ok(await session(c.office, r), 201);
    let bad = await act(c.office, r, 'fail', { note: '未达成一致' });
    assertError(bad, 400, 'invalid');
    assert.ok(bad.json.error.fields.referred_to);
    bad = await act(c.office, r, 'fail', { referred_to: 'arbitration' });
    assertError(bad, 400, 'invalid');
    assert.ok(bad.json.error.fields.note);
    const x = ok(await act(c.office, r, 'fail', { referred_to: 'arbitration', note: '双方分歧较大，引导劳动仲裁。' }));
    assert.equal(x.status, 'failed');
    assert.equal(x.outcome, 'failed');
    assert.equal(x.referred_to, 'arbitration');
    assert.equal(x.failure_reason, '双方分歧较大，引导劳动仲裁。');
    assert.deepEqual([...x.allowed_actions].sort(), ['visit']);
    assertError(await c.office.put(`${PATH}/${r.id}`, { version: x.version, source: 'court', dispute_type: 'labour',
        summary: 's' }), 403, 'forbidden');
    // 调解不成 is visited without a performance
    ok(await act(c.office, r, 'visit', { visited_on: today(), note: '已申请劳动仲裁。' }));

    const w = await register();
    assertError(await act(c.clerk2, w, 'withdraw'), 400, 'invalid');
    const y = ok(await act(c.clerk2, w, 'withdraw', { note: '申请人撤回。' }));
    assert.equal(y.status, 'withdrawn');
    assert.equal(ok(await c.office.get(`${PATH}/${w.id}`)).clocks[0].state, 'met');
    // a clerk registers for the own unit only
    const other = await c.clerk2.post(PATH, { received_on: today(), source: 'application', dispute_type: 'neighbour',
        summary: 's', handling_unit_id: u.sfj.id });
    assertError(other, 400, 'invalid');
    assert.ok(other.json.error.fields.handling_unit_id);
    assertError(await c.leader.post(PATH, { received_on: today() }), 403, 'forbidden');
});

test('分流: the grade decides the level, and the mediating unit must be of that level', async () => {
    const cases = [
        ['simple', u.cgjd, false], ['simple', township, false], ['complex', village, false],
        ['complex', u.sfj, false], ['difficult', u.cgjd, false], ['difficult', village, false],
    ];
    const r = await register(c.office, { handling_unit_id: u.cgjd.id });
    for (const [grade, unit] of cases) {
        const x = await act(c.office, r, 'route', { grade, unit_id: unit.id });
        const e = assertError(x, 400, 'invalid', `${grade} → ${unit.name}`);
        assert.ok(e.fields.unit_id, `${grade} → ${unit.name}: ${JSON.stringify(e.fields)}`);
    }
    assert.equal(ok(await c.office.get(`${PATH}/${r.id}`)).status, 'received', 'nothing changed');
    // the right levels
    const levels = [['simple', village, 'village'], ['complex', township, 'township'], ['complex', u.cgjd, 'township'],
        ['difficult', u.sfj, 'district']];
    for (const [grade, unit, level] of levels) {
        const rec = await register(c.office, { handling_unit_id: u.cgjd.id });
        ok(await act(c.office, rec, 'route', { grade, unit_id: unit.id }));
        const x = ok(await c.office.get(`${PATH}/${rec.id}`));
        assert.equal(x.level, level, `${grade} → ${unit.name}`);
        assert.equal(x.handling_unit_id, unit.id);
    }
    // the kind tells the web what the grade means
    const k = ok(await c.office.get('/api/v1/kinds/mediation'));
    const route = k.transitions.find((t) => t.action === 'route');
    assert.deepEqual(route.args.find((a) => a.name === 'grade').options.map((o) => o.value), ['simple', 'complex', 'difficult']);
});

test('the 30-day target: a last day on a holiday moves to the next working day', async () => {
    // a last day on a Monday to Wednesday (so the day after it is a working day too)
    let received = addDays(today(), -20);
    const dow = (d) => new Date(`${d}T00:00:00Z`).getUTCDay();
    while (![1, 2, 3].includes(dow(addDays(received, 30)))) received = addDays(received, -1);
    const last = addDays(received, 30);
    // make the last day and the next a holiday (the calendar API: data, not code)
    const holidays = [last, addDays(last, 1)];
    for (const d of holidays) ok(await c.sysadmin.put(`/api/v1/calendar/days/${d}`, { kind: 'holiday', name: '测试假日' }), 201);
    try {
        const r = await register(c.clerk2, { received_on: received });
        const k = r.clocks[0];
        assert.equal(k.code, 'mediate');
        assert.equal(k.period, 30);
        assert.equal(k.unit, 'days');
        assert.equal(k.start_on, received);
        // the first day after the holidays that is no weekend (no other entry in this range)
        let want = addDays(last, 2);
        while ([0, 6].includes(dow(want))) want = addDays(want, 1);
        assert.equal(k.due_on, want, k.explain);
        assert.equal(r.due_on, want, 'the list column is the clock\'s due date');
        assert.match(k.explain, /30/);
        // a case received today: 30 days, the end rule only when its last day is a rest day
        const plain = await register(c.clerk2);
        assert.ok(plain.clocks[0].due_on >= addDays(today(), 30));
        // the setting names the rule
        const s = ok(await c.sysadmin.get('/api/v1/settings'));
        const item = (s.items || s).find((x) => x.key === 'mediation.days');
        assert.ok(item, 'the target is a setting');
        assert.match(item.description, /人民调解/);
    } finally {
        const cal = ok(await c.sysadmin.get(`/api/v1/calendar?year=${last.slice(0, 4)}`));
        for (const d of holidays) {
            const e = (cal.items || []).find((x) => x.date === d);
            if (e) await c.sysadmin.del(`/api/v1/calendar/days/${d}?version=${e.version}`);
        }
    }
});

test('metrics: each condition selects what a hand count of fixed cases gives (through the list filters)', async () => {
    // six cases received on a day the demo leaves empty, walked to fixed outcomes
    const day = addDays(today(), -357);
    const plan = [
        { agree: true, confirmed: true, perf: 'performed', visit: true },
        { agree: true, confirmed: false, perf: 'partial', visit: true },
        { agree: true, confirmed: false, perf: null, visit: false },
        { fail: true, visit: true },
        { fail: true, visit: false },
        {},
    ];
    for (const p of plan) {
        const r = await register(c.office, { received_on: day, handling_unit_id: village.id });
        ok(await act(c.office, r, 'route', { grade: 'simple', unit_id: village.id }));
        if (!p.agree && !p.fail) continue;
        ok(await session(c.office, r, { held_on: addDays(day, 2) }), 201);
        if (p.agree) {
            ok(await act(c.office, r, 'agree', { agreed_on: addDays(day, 5), terms: '赔偿', ...(p.confirmed
                ? { judicial_confirmed: true, confirmed_on: addDays(day, 9) } : {}) }));
        } else {
            ok(await act(c.office, r, 'fail', { referred_to: 'litigation', note: '未达成一致' }));
        }
        if (p.visit) ok(await act(c.office, r, 'visit', { visited_on: addDays(day, 20), note: '回访', ...(p.perf ? { performance: p.perf } : {}) }));
    }
    const win = `received_on_from=${day}&received_on_to=${day}`;
    const count = async (q) => ok(await c.office.get(`${PATH}?${win}&${q}`)).total;
    const all = ok(await c.office.get(`${PATH}?${win}&per_page=200`)).items;
    assert.equal(all.length, 6);
    // hand count from the records themselves
    const concluded = all.filter((x) => x.outcome);
    const agreed = all.filter((x) => x.outcome === 'agreed');
    assert.equal(concluded.length, 5);
    assert.equal(agreed.length, 3);
    // 调解成功率 = agreements / concluded: 3 / 5
    assert.equal(await count('concluded=1'), 5);
    assert.equal(await count('outcome=agreed'), 3);
    // 司法确认率 = confirmed agreements / agreements: 1 / 3
    assert.equal(await count('outcome=agreed&judicial_confirmed=1'), agreed.filter((x) => x.judicial_confirmed).length);
    assert.equal(await count('outcome=agreed&judicial_confirmed=1'), 1);
    // 协议履行率 = performed / agreements: 1 / 3
    assert.equal(await count('outcome=agreed&performance=performed'), 1);
    // 回访率 = concluded and visited / concluded: 3 / 5
    assert.equal(await count('concluded=1&visited=1'), concluded.filter((x) => x.visited_on).length);
    assert.equal(await count('concluded=1&visited=1'), 3);
    assert.equal(await count('concluded=0'), 1);
});

test('scope: a unit\'s clerk lists, counts, reads and exports only the unit\'s cases', async () => {
    const tag = uniq('范围');
    const mine = await register(c.clerk2, { summary: `${tag} 城关` });
    const other = await register(c.clerk1, { summary: `${tag} 司法局` });
    const l2 = ok(await c.clerk2.get(`${PATH}?q=${encodeURIComponent(tag)}`));
    assert.deepEqual(l2.items.map((x) => x.id), [mine.id]);
    assert.equal(l2.total, 1);
    assertError(await c.clerk2.get(`${PATH}/${other.id}`), 404, 'not_found');
    assertError(await act(c.clerk2, other, 'withdraw', { note: 'x' }), 404, 'not_found');
    assertError(await c.clerk1.get(`${PATH}/${mine.id}`), 404, 'not_found');
    assert.equal(ok(await c.office.get(`${PATH}?q=${encodeURIComponent(tag)}`)).total, 2);
    const all = ok(await c.clerk2.get(`${PATH}?per_page=200`)).items;
    assert.ok(all.every((x) => x.handling_unit_id === u.cgjd.id), 'only the street\'s cases');
    const xl = await c.clerk2.get(`${PATH}/export.xlsx?q=${encodeURIComponent(tag)}`);
    assert.equal(xl.status, 200);
    const [, ...rows] = xlsxRows(xl.buf);
    assert.equal(rows.length, 1);
});

test('export and import round trip: what the export writes imports as the same cases', async () => {
    const tag = uniq('往返');
    await register(c.clerk2, { summary: `${tag} 甲`, source: 'police', dispute_type: 'damages', received_on: addDays(today(), -3) });
    await register(c.clerk2, { summary: `${tag} 乙`, source: 'court', dispute_type: 'property' });
    const xl = await c.office.get(`${PATH}/export.xlsx?q=${encodeURIComponent(tag)}&sort=received_on`);
    assert.equal(xl.status, 200);
    const [head, ...rows] = xlsxRows(xl.buf);
    const col = (r, h) => r[head.indexOf(h)];
    for (const h of ['案件编号', '受理日期', '纠纷来源', '纠纷类型', '纠纷简要情况', '调解组织', '状态']) assert.ok(head.includes(h), h);
    assert.equal(rows.length, 2);
    assert.equal(col(rows[0], '纠纷来源'), '公安移送');
    assert.equal(col(rows[0], '纠纷类型'), '损害赔偿');
    assert.equal(col(rows[0], '调解组织'), '城关街道');
    // the template's columns are the import's
    const t = await c.clerk2.get(`${PATH}/import-template.xlsx`);
    assert.equal(t.status, 200);
    const [theads] = xlsxRows(t.buf);
    assert.deepEqual(theads.map((h) => h.replace(/\*$/, '')), ['受理日期', '纠纷来源', '纠纷类型', '纠纷简要情况', '调解组织',
        '当事人姓名', '身份证号', '联系电话']);
    // the export's 当事人 are masked (whole only for pii.reveal): the sheet names them anew
    const again = rows.map((r) => ({ received_on: col(r, '受理日期'), source: col(r, '纠纷来源'), dispute_type: col(r, '纠纷类型'),
        summary: `${col(r, '纠纷简要情况')} 二`, handling_unit: col(r, '调解组织'), party_name: '周桂兰' }));
    // a clerk imports for the own unit only
    assertError(await c.clerk1.post(`${PATH}/import`, { rows: again }), 400, 'invalid');
    const res = ok(await c.clerk2.post(`${PATH}/import`, { rows: again }), 201);
    assert.equal(res.created, 2);
    const copies = ok(await c.office.get(`${PATH}?q=${encodeURIComponent(`${tag}`)}&sort=received_on&per_page=50`)).items
        .filter((x) => x.summary.endsWith(' 二'));
    assert.equal(copies.length, 2);
    assert.deepEqual(copies.map((x) => [x.source, x.dispute_type, x.handling_unit_id, x.status]),
        [['police', 'damages', u.cgjd.id, 'received'], ['court', 'property', u.cgjd.id, 'received']]);
    assert.ok(copies.every((x) => /^TJ\d{4}-\d{6}$/.test(x.case_no) && x.clocks === undefined));
});

test('the kind, the entity (parties, metrics, child records) and the demo', async () => {
    const k = ok(await c.clerk1.get('/api/v1/kinds/mediation'));
    assert.deepEqual(k.states.map((s) => s.code), ['received', 'mediating', 'agreed', 'failed', 'visited', 'archived', 'withdrawn']);
    assert.deepEqual(k.transitions.map((t) => t.action), ['route', 'agree', 'fail', 'confirm', 'visit', 'archive', 'withdraw']);
    const d = ok(await c.office.get('/api/v1/entities/mediations'));
    assert.equal(d.kind, 'mediation');
    const menu = ok(await c.clerk1.get('/api/v1/menu'));
    const group = menu.groups.find((g) => g.items.some((i) => i.path === '/mediations'));
    assert.equal(group.key, 'cases');
    assert.equal(group.items.find((i) => i.path === '/mediations').page, 'entity');
    // a year of demo cases in every state, at every level
    const all = ok(await c.office.get(`${PATH}?per_page=200`)).items;
    for (const s of k.states.map((x) => x.code)) assert.ok(all.some((x) => x.status === s), s);
    for (const l of ['village', 'township', 'district']) assert.ok(all.some((x) => x.level === l), l);
    assert.ok(all.some((x) => x.status === 'mediating' && x.due_on < today()), 'an overdue case');
    const days = all.map((x) => x.received_on).sort();
    assert.ok(days[0] <= addDays(today(), -300), 'about a year');
});

test('the metrics break the period\'s cases down by dispute type and mediating unit (metric_by): each value a hand count and its drill list\'s total', async () => {
    const FROM = addDays(today(), -3), P = `from=${FROM}&to=${today()}`;
    const get = async (who, q = '') => ok(await who.get(`/api/v1/metrics/mediations?${P}${q}`));
    const count = (m, f, v) => (m.by[f].find((x) => x.value === v) || { count: 0 }).count;
    const before = await get(c.office);
    assert.deepEqual(before.by_fields.map((f) => f.field), ['dispute_type', 'handling_unit_id']);
    assert.equal(before.by_fields[0].label, '纠纷类型');
    await register(c.clerk2, { dispute_type: 'labour' });
    await register(c.clerk2, { dispute_type: 'labour' });
    await register(c.clerk2, { dispute_type: 'contract' });
    const after = await get(c.office);
    assert.equal(count(after, 'dispute_type', 'labour'), count(before, 'dispute_type', 'labour') + 2);
    assert.equal(count(after, 'dispute_type', 'contract'), count(before, 'dispute_type', 'contract') + 1);
    assert.equal(count(after, 'handling_unit_id', u.cgjd.id), count(before, 'handling_unit_id', u.cgjd.id) + 3);
    const labour = after.by.dispute_type.find((x) => x.value === 'labour');
    assert.equal(labour.label, '劳动争议');
    assert.equal(after.by.handling_unit_id.find((x) => x.value === u.cgjd.id).label, u.cgjd.name);
    // every record of the period with a value counted once per field
    const received = after.items.find((i) => i.code === 'received').num;
    assert.equal(after.by.dispute_type.reduce((s, x) => s + x.count, 0), received);
    // each value is the total of the list its drill opens, as the same caller
    const total = async (who, q) => ok(await who.get(`${PATH}?${q}&per_page=1`)).total;
    for (const f of Object.keys(after.by))
        for (const x of after.by[f]) assert.equal(await total(c.office, x.drill), x.count, `${f}=${x.value}`);
    // a unit's clerk: its own unit's cases only, the same breakdown over them
    const mine = await get(c.clerk2);
    assert.deepEqual(mine.by.handling_unit_id.map((x) => x.value), [u.cgjd.id]);
    for (const x of mine.by.dispute_type) assert.equal(await total(c.clerk2, x.drill), x.count);
    // one unit asked for: the breakdown is that unit's
    const one = await get(c.office, `&unit_id=${u.cgjd.id}`);
    const strip = (rows) => rows.map(({ value, count }) => ({ value, count }));
    assert.deepEqual(strip(one.by.dispute_type), strip(mine.by.dispute_type));
    for (const x of one.by.dispute_type) assert.match(x.drill, new RegExp(`metric_unit=${u.cgjd.id}&`));
});
