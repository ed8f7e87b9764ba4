// 问题整改 and 督察通报 (src/features/finding): a finding flows to a 督办 task whose origin is the
// finding (task origin, features/flow): the unit's close request on the task (its rectification
// report) puts the finding before verification; the task's own 审核办结/退回 are refused on the
// task, naming the finding; 验收 fails (back to the unit, counted) then passes (the task closed);
// 回头看 finds a relapse (a new task) or closes it. Overdue and failed items escalate once per
// level (the daily job, forced): the office and the unit's first responsible person's account
// are told. Scope: an inspected unit sees only its own findings. Metrics equal a hand count.
// A bulletin's draft text is drafted from its plan's findings, approved and published.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, ok, fazhi, sqlite } from './lib.mjs';
import { actors, today, addDays } from './tasks-lib.mjs';

let srv, c, u;
before(async () => {
    srv = await startServer({ dailyHour: 24 });
    ({ c, u } = await actors(srv));
    c.officeEn = await srv.login('office');
    c.officeEn.lang = 'en';
});
after(async () => { await srv.stopAndCheck(); });

const PATH = '/api/v1/inspection-findings';
const TASKS = '/api/v1/tasks';

async function register(body = {}) {
    return ok(await c.inspector.post(PATH, {
        unit_id: u.sfj.id, category: '行政执法', severity: 'serious',
        rule: '《行政处罚法》第三十九条：行政处罚信息应当依法公示',
        description: '2026 年第三季度 12 件行政处罚决定未在七个工作日内公示', found_on: today(), ...body,
    }), 201);
}
/** A new plan with the demo inspector on its team: a plan's findings and bulletins name it, and
 * an inspector reads the plans (and their findings) they are on. */
async function teamPlan() {
    const y = today().slice(0, 4);
    const p = ok(await c.office.post('/api/v1/inspection-plans', {
        title: `法治督察 ${Date.now()}`, plan_type: 'special', year: Number(y), methods: ['report', 'files'],
        start_on: `${y}-01-05`, end_on: `${y}-12-31`, scope_text: '全区', purpose: '问题整改与通报',
        prepare: '自查报告' }), 201);
    const me = ok(await c.inspector.get('/api/v1/auth/me')).user;
    const mine = ok(await c.office.get(`/api/v1/inspectors?user_id=${me.id}`)).items;
    assert.equal(mine.length, 1, 'the demo inspector account is in the directory');
    ok(await c.office.post('/api/v1/inspection-team', { plan_id: p.id, inspector_id: mine[0].id, role: 'leader' }), 201);
    return p.id;
}
async function actRaw(who, rec, action, body = {}) {
    const cur = ok(await c.office.get(`${PATH}/${rec.id}`));
    return who.post(`${PATH}/${rec.id}/actions/${action}`, { version: cur.version, ...body });
}
const act = async (who, rec, action, body = {}) => ok(await actRaw(who, rec, action, body), 200, `${action}`);
async function taskAct(who, id, action, body = {}) {
    const cur = ok(await who.get(`${TASKS}/${id}`));
    return who.post(`${TASKS}/${id}/actions/${action}`, { version: cur.version, ...body });
}
const get = async (who, id) => ok(await who.get(`${PATH}/${id}`));

test('the rectification loop: task with origin, close request → 待验收, failed then passed 验收, 回头看 relapse → a new task', async () => {
    const f = await register();
    assert.match(f.finding_no, /^WT\d{4}-\d{6}$/);
    assert.equal(f.status, 'open');
    assert.ok(f.allowed_actions.includes('assign'));

    // a deadline before today is refused with the field named; nothing changes
    const bad = assertError(await actRaw(c.inspector, f, 'assign', { deadline: addDays(today(), -1) }), 400, 'invalid');
    assert.ok(bad.fields.deadline);
    assert.equal((await get(c.office, f.id)).status, 'open');

    let x = await act(c.inspector, f, 'assign', { note: '请于期限内整改' });
    assert.equal(x.status, 'rectifying');
    assert.equal(x.deadline, addDays(today(), 15), 'default deadline: finding.rectify_days = 15 (DOMAIN.md)');
    const task1 = x.task_id;
    assert.ok(task1);

    // the task carries the finding as its origin, seen by the unit's clerk
    let t = ok(await c.clerk1.get(`${TASKS}/${task1}`));
    assert.equal(t.status, 'issued');
    assert.equal(t.lead_unit_id, u.sfj.id);
    assert.equal(t.due_on, x.deadline);
    assert.equal(t.origin_kind, 'finding');
    assert.deepEqual(t.origin, { kind: 'finding', kind_name: '问题整改', id: f.id, title: f.finding_no,
        path: `/inspection-findings/${f.id}` });
    const listed = ok(await c.office.get(`${TASKS}?origin_kind=finding&per_page=200`)).items.map((i) => i.id);
    assert.ok(listed.includes(task1));
    assert.ok(!ok(await c.office.get(`${TASKS}?origin_kind=meeting&per_page=200`)).items.length);
    // an API body cannot set an origin
    const plain = ok(await c.office.post(TASKS, { title: '普通任务', lead_unit_id: u.sfj.id, due_on: addDays(today(), 30),
        origin_kind: 'finding', origin_id: f.id }), 201);
    assert.equal(ok(await c.office.get(`${TASKS}/${plain.id}`)).origin, null);

    // the unit works on its task: 签收, 申请办结 with its report → the finding awaits verification
    ok(await taskAct(c.clerk1, task1, 'acknowledge', { note: '已签收' }));
    ok(await taskAct(c.clerk1, task1, 'request_close', { note: '已建立处罚信息公示台账，12 件全部补充公示', progress: 100 }));
    x = await get(c.office, f.id);
    assert.equal(x.status, 'verifying');
    assert.equal(x.reported_on, today());
    const tl = ok(await c.office.get(`${PATH}/${f.id}/timeline`)).items;
    const ev = tl.find((e) => e.action === 'task_request_close');
    assert.ok(ev, 'the finding\'s timeline shows the unit\'s report');
    assert.equal(ev.note, '已建立处罚信息公示台账，12 件全部补充公示');
    assert.equal(ev.action_name, '责任单位报送整改（申请办结）');

    // the task's own 审核办结 / 退回 are the finding's: refused on the task, naming it (zh, en)
    t = ok(await c.office.get(`${TASKS}/${task1}`));
    assert.ok(!t.allowed_actions.includes('accept') && !t.allowed_actions.includes('return'));
    let e = assertError(await taskAct(c.office, task1, 'accept'), 409, 'invalid_transition');
    assert.match(e.message, new RegExp(`问题整改“${f.finding_no}”`));
    e = assertError(await taskAct(c.officeEn, task1, 'return', { note: 'no' }), 409, 'invalid_transition');
    assert.match(e.message, new RegExp(`finding “${f.finding_no}”`));
    // nor may the office end it apart from the finding (its 撤销 does)
    e = assertError(await taskAct(c.office, task1, 'cancel', { note: '重复' }), 409, 'invalid_transition');
    assert.match(e.message, /撤销/);
    assert.equal(ok(await c.office.get(`${TASKS}/${task1}`)).status, 'closing');

    // 验收 fails: a reason is required; then the task goes back to the unit, the failure counted
    assertError(await actRaw(c.inspector, f, 'verify', { passed: false }), 400, 'invalid');
    x = await act(c.inspector, f, 'verify', { passed: false, note: '公示内容缺少处罚依据，需补正' });
    assert.equal(x.status, 'rectifying');
    assert.equal(x.failures, 1);
    t = ok(await c.clerk1.get(`${TASKS}/${task1}`));
    assert.equal(t.status, 'in_progress');
    assert.equal(t.returned.note, '公示内容缺少处罚依据，需补正');

    // asks again → 待验收; passed → 已整改, the task closed, the re-check due in 3 months
    ok(await taskAct(c.clerk1, task1, 'request_close', { note: '已补正全部公示内容', progress: 100 }));
    assert.equal((await get(c.office, f.id)).status, 'verifying');
    x = await act(c.inspector, f, 'verify', { passed: true, note: '经抽查，整改到位' });
    assert.equal(x.status, 'rectified');
    assert.equal(x.rectified_on, today());
    assert.equal(x.on_time, true);
    assert.equal(x.verifications, 2);
    assert.ok(x.recheck_due_on > addDays(today(), 80) && x.recheck_due_on < addDays(today(), 100), x.recheck_due_on);
    assert.equal(ok(await c.office.get(`${TASKS}/${task1}`)).status, 'done');

    // 回头看: relapsed → back to rectification with a new task of the finding
    assertError(await actRaw(c.inspector, f, 'recheck', { relapsed: true }), 400, 'invalid'); // the note
    x = await act(c.inspector, f, 'recheck', { relapsed: true, note: '回头看抽查发现 3 件新决定仍未公示', deadline: addDays(today(), 10) });
    assert.equal(x.status, 'rectifying');
    assert.equal(x.relapsed, true);
    assert.equal(x.rounds, 2);
    assert.notEqual(x.task_id, task1);
    t = ok(await c.clerk1.get(`${TASKS}/${x.task_id}`));
    assert.equal(t.status, 'issued');
    assert.equal(t.due_on, addDays(today(), 10));
    assert.equal(t.origin.id, f.id);

    // a clerk cannot verify (no finding.work): 403 at the route's permission or 409
    const r = await actRaw(c.clerk1, f, 'verify', { passed: true });
    assert.ok([403, 409].includes(r.status), r.text);
});

test('回头看 without relapse closes (销号); 撤销 ends the open task with the finding', async () => {
    const f = await register({ category: '制度建设', severity: 'general', rule: '《法治政府建设实施纲要（2021—2025年）》第六部分' });
    await act(c.office, f, 'assign', { deadline: addDays(today(), 5) });
    let x = await get(c.office, f.id);
    ok(await taskAct(c.clerk1, x.task_id, 'acknowledge'));
    ok(await taskAct(c.clerk1, x.task_id, 'request_close', { note: '已修订制度', progress: 100 }));
    await act(c.office, f, 'verify', { passed: true });
    x = await act(c.inspector, f, 'recheck', { relapsed: false, note: '未发现反弹' });
    assert.equal(x.status, 'closed');
    assert.deepEqual(x.allowed_actions, []);

    const g = await register({ severity: 'grave' });
    x = await act(c.office, g, 'assign', {});
    assert.equal(ok(await c.office.get(`${TASKS}/${x.task_id}`)).priority, 'urgent');
    assertError(await actRaw(c.inspector, g, 'cancel', { note: 'x' }), 409, 'invalid_transition'); // finding.manage
    x = await act(c.office, g, 'cancel', { note: '重复登记' });
    assert.equal(x.status, 'cancelled');
    assert.equal(ok(await c.office.get(`${TASKS}/${x.task_id}`)).status, 'cancelled');
});

test('scope: an inspected unit sees only its own findings; another unit\'s clerk gets 404', async () => {
    const mine = await register();
    const theirs = await register({ unit_id: u.cgjd.id });
    ok(await c.clerk1.get(`${PATH}/${mine.id}`));
    assertError(await c.clerk1.get(`${PATH}/${theirs.id}`), 404, 'not_found');
    assertError(await c.clerk2.get(`${PATH}/${mine.id}`), 404, 'not_found');
    const ids = ok(await c.clerk1.get(`${PATH}?per_page=200`)).items.map((i) => i.id);
    assert.ok(ids.includes(mine.id) && !ids.includes(theirs.id));
    // the clerk reads but registers nothing (finding.view only)
    assertError(await c.clerk1.post(PATH, { unit_id: u.sfj.id, category: '其他', severity: 'general', rule: 'x', found_on: today() }), 403, 'forbidden');
    assertError(await c.clerk2.get(`${PATH}/${mine.id}/timeline`), 404, 'not_found');
});

test('escalation: an overdue task and a failed verification rise once per level, to the office and the first responsible person', async () => {
    // 区司法局's first responsible person signs in as `leader` (people.user_id)
    const leader = ok(await c.leader.get('/api/v1/auth/me'));
    const person = ok(await c.office.post('/api/v1/people', { unit_id: u.sfj.id, name: '司法局局长', position: '局长',
        is_first_responsible: true, user_id: leader.id ?? leader.user?.id }), 201);
    assert.equal(person.user_id, leader.id ?? leader.user?.id);

    const f = await register({ rule: '《重大行政决策程序暂行条例》第二十五条' });
    let x = await act(c.office, f, 'assign', { deadline: today() });
    // the deadline passes: the task is overdue
    await sqlite(srv.db, `UPDATE tasks SET due_on = '${addDays(today(), -3)}' WHERE id = ${x.task_id};`);
    const run = async () => {
        const r = await fazhi(['jobs', 'run', '--data-dir', srv.dir, '--job', 'finding_escalate', '--force']);
        assert.equal(r.code, 0, r.stderr + r.stdout);
        return r.stdout;
    };
    const inbox = async (who) => ok(await who.get('/api/v1/notifications?per_page=200')).items
        // one message per run and recipient: the finding itself, or the list naming it with others
        .filter((n) => n.kind === 'finding_escalated' && (n.link === `/inspection-findings/${f.id}` ||
            (n.link.startsWith('/inspection-findings?escalated=1') && n.body.includes(f.finding_no))));
    // a second overdue finding: both rise in the run, yet the office gets one message (no flood)
    const g = await register({ rule: '《法治政府建设与责任落实督察工作规定》第三十一条' });
    const y = await act(c.office, g, 'assign', { deadline: today() });
    await sqlite(srv.db, `UPDATE tasks SET due_on = '${addDays(today(), -3)}' WHERE id = ${y.task_id};`);
    const told = async () => ok(await c.office.get('/api/v1/notifications?per_page=200')).items
        .filter((n) => n.kind === 'finding_escalated').length;
    const before = await told();
    assert.match(await run(), /finding_escalate \S+: findings=\d+ escalated=[1-9]/);
    assert.equal(await told(), before + 1, 'one message to the office for the whole batch');
    assert.equal((await get(c.office, g.id)).escalated_level, 1);
    x = await get(c.office, f.id);
    assert.equal(x.escalated_level, 1);
    assert.ok(x.escalated_at);
    assert.equal((await inbox(c.office)).length, 1);
    assert.equal((await inbox(c.leader)).length, 1, 'the first responsible person\'s account is told');
    assert.equal((await inbox(c.clerk2)).length, 0);
    assert.ok(ok(await c.office.get(`${PATH}/${f.id}/timeline`)).items.some((e) => e.action === 'escalate'));
    // the same day again (a second forced run of another day's key is the same level): nothing twice
    await sqlite(srv.db, "DELETE FROM job_runs WHERE job = 'finding_escalate';");
    await run();
    assert.equal((await inbox(c.office)).length, 1);
    assert.equal((await get(c.office, f.id)).escalated_level, 1);
    // overdue longer than finding.escalate_days: level 2, told again
    await sqlite(srv.db, `UPDATE tasks SET due_on = '${addDays(today(), -40)}' WHERE id = ${x.task_id};`);
    await sqlite(srv.db, "DELETE FROM job_runs WHERE job = 'finding_escalate';");
    await run();
    assert.equal((await get(c.office, f.id)).escalated_level, 2);
    assert.equal((await inbox(c.office)).length, 2);
    assert.ok(ok(await c.office.get(`${PATH}?escalated=1&per_page=200`)).items.some((i) => i.id === f.id));
});

test('metrics on inspection_findings equal a hand count, and each drills to its list', async () => {
    const PERIOD = `from=${addDays(today(), -365)}&to=${today()}`;
    const m = ok(await c.office.get(`/api/v1/metrics/inspection_findings?${PERIOD}`));
    const item = (code) => m.items.find((i) => i.code === code);
    for (const code of ['rectified_on_time', 'pass_rate', 'relapse_rate', 'escalated']) assert.ok(item(code), code);
    const all = ok(await c.office.get(`${PATH}?per_page=200&found_on_from=${addDays(today(), -365)}&found_on_to=${today()}`)).items;
    const n = (p) => all.filter(p).length;
    assert.equal(item('escalated').num, n((f) => f.escalated_level > 0));
    assert.equal(item('relapse_rate').num, n((f) => f.relapsed));
    assert.equal(item('relapse_rate').den, n((f) => f.rechecked_on));
    assert.equal(item('pass_rate').num, n((f) => f.verifications > 0 && f.failures === 0));
    assert.equal(item('pass_rate').den, n((f) => f.verifications > 0));
    assert.equal(item('rectified_on_time').num, n((f) => f.on_time === true));
    assert.equal(item('rectified_on_time').den, n((f) => f.rectified_on));
    assert.ok(item('pass_rate').den >= 2 && item('relapse_rate').num >= 1);
    for (const i of m.items) {
        assert.equal(ok(await c.office.get(`${PATH}?${i.drill}&per_page=1`)).total, i.num, `${i.code} drill`);
        if (i.type === 'rate') assert.equal(ok(await c.office.get(`${PATH}?${i.den_drill}&per_page=1`)).total, i.den, `${i.code} den`);
    }
    // a unit's clerk: its unit's numbers only
    const mine = ok(await c.clerk1.get(`/api/v1/metrics/inspection_findings?${PERIOD}`));
    const theirs = all.filter((f) => f.unit_id === u.sfj.id);
    assert.equal(mine.items.find((i) => i.code === 'received').num, theirs.length);
});

test('a bulletin drafted from its plan\'s findings, approved, published and withdrawn', async () => {
    const plan = await teamPlan();
    // a plan the caller cannot read is no plan of a finding
    const none = assertError(await c.inspector.post(PATH, { unit_id: u.sfj.id, category: '行政执法',
        severity: 'serious', rule: '《行政处罚法》第三十九条', found_on: today(), plan_id: 999999999 }), 400, 'invalid');
    assert.match(none.fields.plan_id, /督察方案不存在或不在您的数据范围内/);
    const a = await register({ plan_id: plan, category: '行政执法', rule: '《行政处罚法》第三十九条（公示）' });
    const b = await register({ plan_id: plan, category: '行政执法', rule: '《行政处罚法》第五十八条（法制审核）' });
    const d = await register({ plan_id: plan, unit_id: u.cgjd.id, category: '依法决策', rule: '《重大行政决策程序暂行条例》第三十二条' });
    await register({ rule: '不属于本方案的问题' });
    const BUL = '/api/v1/bulletins';
    let bl = ok(await c.inspector.post(BUL, { plan_id: plan, title: '关于 2026 年度法治督察发现问题的通报' }), 201);
    assert.match(bl.bulletin_no, /^TB\d{4}-\d{6}$/);
    assert.equal(bl.status, 'draft');
    // a clerk sees no draft
    assertError(await c.clerk1.get(`${BUL}/${bl.id}`), 404, 'not_found');
    const step = async (who, action, body = {}) => {
        const cur = ok(await c.office.get(`${BUL}/${bl.id}`));
        return who.post(`${BUL}/${bl.id}/actions/${action}`, { version: cur.version, ...body });
    };
    // 送审 needs a text
    assertError(await step(c.inspector, 'submit'), 409, 'invalid_transition');
    bl = ok(await step(c.inspector, 'generate'));
    const vs = ok(await c.office.get(`${BUL}/${bl.id}/versions`)).items;
    assert.equal(vs.length, 1);
    const text = ok(await c.office.get(`${BUL}/${bl.id}/versions/1`)).body;
    for (const f of [a, b, d]) {
        assert.ok(text.includes(f.finding_no), `the draft names ${f.finding_no}`);
        assert.ok(text.includes(f.rule), 'and its rule');
    }
    assert.ok(!text.includes('不属于本方案的问题'));
    assert.match(text, /共发现问题 3 个，涉及 2 个单位/);
    assert.match(text, /区司法局（2 个问题）/);
    assert.match(text, /行政执法（2 个）/);
    bl = ok(await step(c.inspector, 'submit'));
    assert.equal(bl.status, 'reviewing');
    assertError(await step(c.inspector, 'approve'), 409, 'invalid_transition'); // finding.manage
    bl = ok(await step(c.office, 'reject', { note: '请补充整改要求' }));
    assert.equal(bl.status, 'draft');
    bl = ok(await step(c.inspector, 'submit'));
    bl = ok(await step(c.office, 'approve'));
    bl = ok(await step(c.office, 'publish'));
    assert.equal(bl.status, 'published');
    assert.equal(bl.published_on, today());
    ok(await c.clerk1.get(`${BUL}/${bl.id}`));
    assertError(await step(c.office, 'withdraw'), 400, 'invalid');
    bl = ok(await step(c.office, 'withdraw', { note: '数据有误，更正后重发' }));
    assert.equal(bl.status, 'withdrawn');
    assert.equal(bl.withdrawn_reason, '数据有误，更正后重发');
});
