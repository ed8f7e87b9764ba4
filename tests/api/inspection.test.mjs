// 法治督察 — 督察方案 (src/features/inspection): a special plan walks 草拟 → 报批 → 已批准 (or 退回)
// → 已通知 → 实施中 → 已反馈 → 已完成 (终止 with a reason), each step by the account whose turn
// it is and every other one refused in words (guards: no leader, fewer than 2 members, no target,
// no item); the notice reaches each target unit's inbox with what to prepare and the dates, and
// the unit's own clerk acknowledges it; records only while 实施中, of a target, with one of the
// plan's methods, dated not in the future, optionally on a 案卷评查 sheet of the unit, with
// evidence; the rectification report clock (the plan's days, else 15 日, end rule); scope (a clerk
// of another unit 404, a team member sees the plan, an inspector not on the team 404); items
// imported from Excel rows.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, ok, uniq } from './lib.mjs';
import { actors, xlsxRows, upload } from './tasks-lib.mjs';

let srv, c, u;
const PLANS = '/api/v1/inspection-plans';
const ITEMS = '/api/v1/inspection-items';
const TEAM = '/api/v1/inspection-team';
const TARGETS = '/api/v1/inspection-targets';
const RECORDS = '/api/v1/inspection-records';
const PW = 'Insp#Pass2026x', PW2 = 'Insp#Pass2026y';
const pool = {}; // inspectors of the directory: with the `inspector` account, without accounts

/** An account with the built-in role `role` in unitId, signed in with its password changed. */
async function account(username, unitId, role) {
    const made = ok(await c.sysadmin.post('/api/v1/users', { username, display_name: username, unit_id: unitId, password: PW }), 201).user;
    ok(await c.secadmin.put(`/api/v1/users/${made.id}/role`, { role, version: made.version }));
    const client = srv.client();
    assert.equal((await client.login(username, PW)).status, 200);
    ok(await client.post('/api/v1/auth/password', { old_password: PW, new_password: PW2 }));
    return client;
}

before(async () => {
    srv = await startServer();
    ({ c, u } = await actors(srv, ['office', 'clerk1', 'clerk2', 'leader', 'inspector', 'sysadmin', 'secadmin', 'reviewer', 'auditor']));
    c.outsider = await account(uniq('insp').toLowerCase().replace(/[^a-z0-9_]/g, '_'), u.sfj.id, 'inspector');
    const me = ok(await c.inspector.get('/api/v1/auth/me')).user;
    const mk = async (body) => ok(await c.office.post('/api/v1/inspectors', { active: true, ...body }), 201);
    pool.staff = await mk({ name: `督察员甲${uniq('')}`, category: 'staff', unit_id: u.sfj.id, user_id: me.id });
    pool.lawyer = await mk({ name: `律师乙${uniq('')}`, category: 'lawyer', employer: '浙江某律师事务所' });
    pool.deputy = await mk({ name: `代表丙${uniq('')}`, category: 'deputy', employer: '区人大代表' });
});
after(async () => { await srv.stopAndCheck(); });

async function plan(body = {}) {
    return ok(await c.office.post(PLANS, {
        title: `行政执法专项督察 ${uniq('')}`, plan_type: 'special', year: 2026, methods: ['report', 'files', 'site'],
        start_on: '2026-11-02', end_on: '2026-12-31', scope_text: '全区行政执法机关', purpose: '行政执法三项制度落实情况',
        prepare: '自查报告、行政执法案卷目录', ...body,
    }), 201);
}
async function act(who, p, action, body = {}) {
    const cur = ok(await c.office.get(`${PLANS}/${p.id}`));
    return who.post(`${PLANS}/${p.id}/actions/${action}`, { version: cur.version, ...body });
}
const step = async (who, p, action, body) => ok(await act(who, p, action, body), 200, action);
function refused(r, msg) {
    assertError(r, 409, 'invalid_transition');
    if (msg) assert.match(r.json.error.message, msg);
}
const item = (p, n = 1) => c.office.post(ITEMS, { plan_id: p.id, seq: n, content: `行政执法公示情况 ${n}`,
    basis: '《中华人民共和国行政处罚法》第三十九条', method: 'files' });
const member = (p, who, role = 'member') => c.office.post(TEAM, { plan_id: p.id, inspector_id: who.id, role });
const target = (p, unit, planned = '2026-11-10') => c.office.post(TARGETS, { plan_id: p.id, unit_id: unit.id, planned_on: planned });

/** A plan with an item, a team of the staff inspector (leader) and the lawyer, and 区司法局 as target. */
async function ready(body) {
    const p = await plan(body);
    ok(await item(p), 201);
    ok(await member(p, pool.staff, 'leader'), 201);
    ok(await member(p, pool.lawyer), 201);
    const t = ok(await target(p, u.sfj), 201);
    return { p, t };
}

test('a plan: its number, and the guards of 报批 say what is missing', async () => {
    const p = await plan();
    assert.match(p.plan_no, /^DC2026-\d{6}$/);
    assert.equal(p.status, 'draft');
    assert.deepEqual(p.methods, ['report', 'files', 'site']);
    assert.deepEqual(p.allowed_actions.sort(), ['terminate']);
    const why = Object.fromEntries(p.blocked_actions.map((b) => [b.action, b.reason]));
    assert.match(why.submit, /组长/);
    refused(await act(c.office, p, 'submit'), /督察组尚未确定组长/);
    ok(await member(p, pool.staff, 'leader'), 201);
    refused(await act(c.office, p, 'submit'), /不足 2 人/);
    ok(await member(p, pool.lawyer), 201);
    refused(await act(c.office, p, 'submit'), /被督察单位/);
    ok(await target(p, u.sfj), 201);
    refused(await act(c.office, p, 'submit'), /督察事项/);
    ok(await item(p), 201);
    // each refusal was audited by the engine, with its reason
    const refusals = ok(await c.auditor.get(`/api/v1/audit?object_type=inspection_plan&object_id=${p.id}&per_page=100`)).items
        .filter((a) => a.action === 'inspection_plan.refused').map((a) => JSON.parse(a.detail).message);
    assert.deepEqual(refusals.sort(), ['尚未列出督察事项', '尚未确定被督察单位', '督察组尚未确定组长', '督察组成员不足 2 人'].sort());
    // a team: no inspector twice, one leader
    assertError(await member(p, pool.lawyer), 400, 'invalid');
    assertError(await member(p, pool.deputy, 'leader'), 400, 'invalid');
    assertError(await target(p, u.sfj), 400, 'invalid');
    assertError(await target(p, u.cgjd, '2027-01-05'), 400, 'invalid');
    // a special plan may belong to the year's annual plan, not to another special one
    const annual = await plan({ plan_type: 'annual', title: `2026年度法治督察方案 ${uniq('')}` });
    ok(await c.office.put(`${PLANS}/${p.id}`, { ...editable(p), parent_id: annual.id, version: ok(await c.office.get(`${PLANS}/${p.id}`)).version }));
    assertError(await c.office.post(PLANS, { ...editable(p), plan_type: 'special', parent_id: p.id }), 400, 'invalid');
    assertError(await c.office.post(PLANS, { ...editable(p), plan_type: 'annual', parent_id: annual.id }), 400, 'invalid');
    assertError(await c.office.post(PLANS, { ...editable(p), plan_type: 'special', year: 2027, parent_id: annual.id }), 400, 'invalid');
    const sub = await step(c.office, p, 'submit');
    assert.equal(sub.status, 'submitted');
    // once submitted nothing of it changes; only 批准 / 退回 / 终止
    assertError(await item(p, 2), 400, 'invalid');
    assertError(await c.office.put(`${PLANS}/${p.id}`, { ...editable(p), version: sub.version }), 403, 'forbidden');
    assert.deepEqual(sub.allowed_actions.sort(), ['approve', 'return', 'terminate']);
    assertError(await act(c.office, p, 'return'), 400, 'invalid'); // 退回 needs its reason
    const back = await step(c.office, p, 'return', { note: '督察事项未列明依据的条款' });
    assert.equal(back.status, 'returned');
    ok(await item(p, 2), 201); // returned: it can be completed and submitted again
    await step(c.office, p, 'submit');
    const appr = await step(c.office, p, 'approve');
    assert.equal(appr.status, 'approved');
    // clerks, leaders and inspectors do not approve or notify
    refused(await act(c.leader, p, 'terminate'));
    refused(await act(c.inspector, p, 'notify'));
    const stop = await step(c.office, p, 'terminate', { note: '因机构改革调整督察安排' });
    assert.equal(stop.status, 'terminated');
    assert.equal(stop.stop_reason, '因机构改革调整督察安排');
    assert.deepEqual(stop.allowed_actions, []);
});

function editable(p) {
    return { title: p.title, year: p.year, methods: p.methods, start_on: p.start_on, end_on: p.end_on,
        scope_text: p.scope_text, purpose: p.purpose, prepare: p.prepare };
}

test('the walk: notice to the targets, acknowledged by their clerk, records while 实施中, feedback, the 15-day clock', async () => {
    const { p, t } = await ready();
    const t2 = ok(await target(p, u.cgjd, '2026-11-12'), 201);
    await step(c.office, p, 'submit');
    await step(c.office, p, 'approve');
    // before the notice, nothing to acknowledge
    const pending = ok(await c.clerk1.get(`${TARGETS}/${t.id}`));
    assert.equal(pending.status, 'pending');
    assert.deepEqual(pending.allowed_actions, []);
    const n = await step(c.office, p, 'notify', { note: '请指定一名联络员' });
    assert.equal(n.status, 'notified');
    // each target unit's inbox: what to prepare and the dates, a link to its receipt
    const inbox = ok(await c.clerk1.get('/api/v1/notifications?per_page=50')).items.filter((x) => x.kind === 'inspection_notice' && x.link === `/inspection-targets/${t.id}`);
    assert.equal(inbox.length, 1);
    assert.match(inbox[0].title, new RegExp(`督察通知.*${p.title.split(' ')[1]}`));
    assert.match(inbox[0].body, /2026-11-02 至 2026-12-31/);
    assert.match(inbox[0].body, /计划 2026-11-10/);
    assert.match(inbox[0].body, /自查报告、行政执法案卷目录/);
    assert.ok(ok(await c.clerk2.get('/api/v1/notifications?per_page=50')).items.some((x) => x.link === `/inspection-targets/${t2.id}`));
    // the team member with an account is told too
    assert.ok(ok(await c.inspector.get('/api/v1/notifications?per_page=50')).items.some((x) => x.kind === 'inspection_team' && x.link === `/inspection-plans/${p.id}`));
    // the receipt: the unit's own clerk, not the office, not another unit (404)
    assertError(await c.clerk2.get(`${TARGETS}/${t.id}`), 404, 'not_found');
    const tv = ok(await c.clerk1.get(`${TARGETS}/${t.id}`));
    assert.deepEqual(tv.allowed_actions, ['acknowledge']);
    assert.equal(tv.plan_prepare, '自查报告、行政执法案卷目录');
    refused(await c.office.post(`${TARGETS}/${t.id}/actions/acknowledge`, { version: tv.version }));
    const ack = ok(await c.clerk1.post(`${TARGETS}/${t.id}/actions/acknowledge`, { version: tv.version }));
    assert.equal(ack.status, 'acknowledged');
    assert.ok(ack.acknowledged_at);
    assert.equal(ack.acknowledged_by_name, ok(await c.clerk1.get('/api/v1/auth/me')).user.display_name);
    refused(await c.clerk1.post(`${TARGETS}/${t.id}/actions/acknowledge`, { version: ack.version }));
    assert.equal(ok(await c.office.get(`${PLANS}/${p.id}`)).acknowledged_count, 1);
    // a record before 实施中 is refused in words
    const rec = (who, body = {}) => who.post(RECORDS, { plan_id: p.id, unit_id: u.sfj.id, method: 'files', inspected_on: '2026-11-10',
        participants: '督察组全体、区司法局法制科', checked: '抽查行政处罚案卷 10 卷', conclusion: '公示不及时 2 件', ...body });
    const early = await rec(c.inspector);
    assertError(early, 400, 'invalid');
    assert.match(early.json.error.fields.plan_id, /不在实施中/);
    assertError(await act(c.outsider, p, 'start'), 404, 'not_found'); // an inspector not on the team does not read it
    const started = await step(c.inspector, p, 'start');
    assert.equal(started.status, 'in_progress');
    refused(await act(c.inspector, p, 'feedback', { note: '意见' }), /尚无督察记录/);
    // the record's rules: a target, one of the plan's methods, not in the future, a team member
    const notTarget = await rec(c.inspector, { unit_id: u.police.id });
    assertError(notTarget, 400, 'invalid');
    assert.match(notTarget.json.error.fields.unit_id, /不是本方案的被督察单位/);
    const badMethod = await rec(c.inspector, { method: 'covert' });
    assert.match(badMethod.json.error.fields.method, /方案确定的方式/);
    const future = await rec(c.inspector, { inspected_on: '2099-01-01' });
    assert.match(future.json.error.fields.inspected_on, /不能晚于今天/);
    const tooEarly = await rec(c.inspector, { inspected_on: '2026-10-01' });
    assert.match(tooEarly.json.error.fields.inspected_on, /不能早于/);
    assertError(await rec(c.outsider), 400, 'invalid');
    // evidence: an upload of the recorder, read back on the record
    const fileId = (await upload(c.inspector, '现场检查照片.pdf')).id;
    const made = ok(await rec(c.inspector, { attachment_ids: [fileId] }), 201);
    const got = ok(await c.inspector.get(`${RECORDS}/${made.id}`));
    assert.equal(got.unit_name, '区司法局');
    assert.equal(got.method_name, '查阅资料/案卷');
    assert.deepEqual(got.attachments.map((a) => a.id), [fileId]);
    // the clerk of the inspected unit reads its records; another unit's clerk does not
    assert.equal(ok(await c.clerk1.get(`${RECORDS}/${made.id}`)).id, made.id);
    assertError(await c.clerk2.get(`${RECORDS}/${made.id}`), 404, 'not_found');
    assertError(await c.outsider.get(`${RECORDS}/${made.id}`), 404, 'not_found');
    assert.equal((await c.clerk1.get(`/api/v1/files/${fileId}`)).status, 200);
    assert.notEqual((await c.clerk2.get(`/api/v1/files/${fileId}`)).status, 200);
    // feedback: the report clock of 15 日 (no days set), ending on Saturday 12-05 → Monday 12-07
    const noNote = await act(c.inspector, p, 'feedback');
    assertError(noNote, 400, 'invalid');
    assert.match(noNote.json.error.fields.note, /督察意见/);
    const fb = await step(c.inspector, p, 'feedback', { note: '执法公示不及时，请限期整改', feedback_on: '2026-11-20' });
    assert.equal(fb.status, 'feedback');
    const clock = fb.clocks.find((k) => k.code === 'report');
    assert.equal(clock.start_on, '2026-11-20');
    assert.equal(clock.period, 15);
    assert.equal(clock.due_on, '2026-12-07');
    assert.equal(fb.report_due_on, '2026-12-07');
    assert.ok(ok(await c.clerk2.get('/api/v1/notifications?per_page=50')).items.some((x) => x.kind === 'inspection_feedback' && /15 日/.test(x.body)));
    // no record once the inspection is over
    assertError(await rec(c.inspector), 400, 'invalid');
    const done = await step(c.inspector, p, 'complete');
    assert.equal(done.status, 'done');
    assert.equal(done.clocks.find((k) => k.code === 'report').state, 'met');
    const tl = ok(await c.office.get(`${PLANS}/${p.id}/timeline`)).items.map((e) => e.action);
    assert.deepEqual(tl, ['create', 'submit', 'approve', 'notify', 'start', 'feedback', 'complete']);
});

test('the plan\'s own report days; a record on a 案卷评查 sheet of the inspected unit shows its score', async () => {
    const { p } = await ready({ report_days: 10, title: `依法行政专项督察 ${uniq('')}` });
    ok(await target(p, u.police), 201); // the demo's case-file reviews are of 区公安分局 among others
    for (const a of ['submit', 'approve', 'notify']) await step(c.office, p, a);
    await step(c.office, p, 'start'); // the office may act for the team
    const reviews = ok(await c.office.get(`/api/v1/case-reviews?unit_id=${u.police.id}&per_page=1`)).items;
    const others = ok(await c.office.get(`/api/v1/case-reviews?per_page=50`)).items.filter((r) => r.unit_id !== u.police.id);
    assert.ok(reviews.length && others.length, 'the demo has case-file reviews of 区公安分局 and of other units');
    const body = { plan_id: p.id, unit_id: u.police.id, method: 'files', inspected_on: '2026-11-11', checked: '以评查表逐项检查', participants: '督察组' };
    const wrong = await c.office.post(RECORDS, { ...body, case_review_id: others[0].id });
    assertError(wrong, 400, 'invalid');
    assert.match(wrong.json.error.fields.case_review_id, /不是该被督察单位/);
    const r = ok(await c.office.post(RECORDS, { ...body, case_review_id: reviews[0].id }), 201);
    const got = ok(await c.office.get(`${RECORDS}/${r.id}`));
    assert.equal(got.case_review_score, reviews[0].score);
    assert.equal(got.case_review_no, reviews[0].review_no);
    const fb = await step(c.office, p, 'feedback', { note: '请整改', feedback_on: '2026-11-20' });
    const clock = fb.clocks.find((k) => k.code === 'report');
    assert.equal(clock.period, 10);
    assert.equal(clock.due_on, '2026-11-30');
});

test('scope: a clerk reads the plans naming its unit, a team member the plans they are on, nobody else', async () => {
    const { p } = await ready({ title: `范围测试督察 ${uniq('')}` });
    const other = await plan({ title: `另一督察 ${uniq('')}` });
    ok(await c.office.post(TARGETS, { plan_id: other.id, unit_id: u.cgjd.id }), 201);
    // the office and the leader read both
    for (const who of [c.office, c.leader]) {
        assert.equal(ok(await who.get(`${PLANS}/${p.id}`)).id, p.id);
        assert.equal(ok(await who.get(`${PLANS}/${other.id}`)).id, other.id);
    }
    // clerk1 (区司法局, a target of p): p, its items and team; not the other one
    assert.equal(ok(await c.clerk1.get(`${PLANS}/${p.id}`)).id, p.id);
    assertError(await c.clerk1.get(`${PLANS}/${other.id}`), 404, 'not_found');
    assert.ok(ok(await c.clerk1.get(`${ITEMS}?plan_id=${p.id}`)).total > 0);
    assert.equal(ok(await c.clerk1.get(`${ITEMS}?plan_id=${other.id}`)).total, 0);
    assert.ok(ok(await c.clerk1.get(PLANS + '?per_page=200')).items.every((x) => x.id !== other.id));
    // clerk2 (城关街道): the other one only
    assertError(await c.clerk2.get(`${PLANS}/${p.id}`), 404, 'not_found');
    assert.equal(ok(await c.clerk2.get(`${PLANS}/${other.id}`)).id, other.id);
    // the inspector on p's team sees p, not the other; an inspector on no team sees none of them
    assert.equal(ok(await c.inspector.get(`${PLANS}/${p.id}`)).id, p.id);
    assertError(await c.inspector.get(`${PLANS}/${other.id}`), 404, 'not_found');
    assertError(await c.outsider.get(`${PLANS}/${p.id}`), 404, 'not_found');
    assertError(await c.outsider.get(`${PLANS}/${other.id}`), 404, 'not_found');
    assert.equal(ok(await c.outsider.get(`${TEAM}?plan_id=${p.id}`)).total, 0);
    assertError(await act(c.outsider, p, 'start'), 404, 'not_found');
    // reviewers hold none of it
    assertError(await c.reviewer.get(PLANS), 403, 'forbidden');
    // clerks and inspectors do not draw plans up
    assertError(await c.clerk1.post(PLANS, editable(p)), 403, 'forbidden');
    assertError(await c.inspector.post(ITEMS, { plan_id: p.id, seq: 9, content: 'x', basis: 'y' }), 403, 'forbidden');
});

test('items from Excel: the template, a preview, the import onto a drafted plan; the export', async () => {
    const p = await plan({ title: `导入测试督察 ${uniq('')}` });
    const tpl = await c.office.get(`${ITEMS}/import-template.xlsx`);
    assert.equal(tpl.status, 200);
    const [head] = xlsxRows(tpl.buf);
    assert.ok(head.some((h) => /法律依据/.test(h)), head.join(','));
    const rows = [
        { plan_id: String(p.id), seq: '1', content: '重大行政决策程序执行情况', basis: '《重大行政决策程序暂行条例》第三条', method: '查阅资料/案卷' },
        { plan_id: String(p.id), seq: '2', content: '法治政府建设年度报告公开情况', basis: '《法治政府建设实施纲要（2021—2025年）》', method: '实地查看' },
    ];
    const pv = ok(await c.office.post(`${ITEMS}/import`, { preview: true, rows }));
    assert.equal(pv.valid, 2);
    assertError(await c.office.post(`${ITEMS}/import`, { rows: [{ ...rows[0], basis: '' }] }), 400, 'invalid');
    const res = ok(await c.office.post(`${ITEMS}/import`, { rows }), 201);
    assert.equal(res.created, 2);
    const items = ok(await c.office.get(`${ITEMS}?plan_id=${p.id}`)).items;
    assert.deepEqual(items.map((i) => [i.seq, i.method]), [[1, 'files'], [2, 'site']]);
    assertError(await c.clerk1.post(`${ITEMS}/import`, { rows }), 403, 'forbidden');
    const xl = await c.office.get(`${PLANS}/export.xlsx?q=${encodeURIComponent(p.title)}`);
    assert.equal(xl.status, 200);
    assert.equal(xlsxRows(xl.buf).length, 2);
    assert.equal((await c.office.get(`${ITEMS}/export.xlsx?plan_id=${p.id}`)).status, 200);
    // removing an item of a drafted plan; not of a submitted one
    ok(await member(p, pool.staff, 'leader'), 201);
    ok(await member(p, pool.deputy), 201);
    ok(await target(p, u.cgjd), 201);
    const it = items[1];
    ok(await c.office.del(`${ITEMS}/${it.id}?version=${it.version}`));
    await step(c.office, p, 'submit');
    const left = ok(await c.office.get(`${ITEMS}?plan_id=${p.id}`)).items[0];
    const del = await c.office.del(`${ITEMS}/${left.id}?version=${left.version}`);
    assertError(del, 403, 'forbidden');
});
