// 行政复议 (src/features/reconsider) — a register built from declarations: an application walks
// 收到申请 → 受理审查 → 受理 / 不予受理 / 补正 → 答复 → 听证 → 决定 / 终止 → 结案 as the accounts whose
// turn it is (the office decides, the respondent unit's clerk answers), every other step is 409;
// the statutory clocks follow 行政复议法 2023 over the 2026 calendar (5 工作日 across National Day
// with its 调休 Saturday, 补正 moving the due date, 60 日 ending in a holiday, +30 extension,
// 简易程序 30 日 not extendable, the 60-day time to apply); 纠错率's numerator and denominator are
// hand counts of the list filters; a clerk of another unit gets 404; export and import round trip.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, ok, uniq } from './lib.mjs';
import { actors, today, xlsxRows } from './tasks-lib.mjs';

let srv, c, u;
before(async () => {
    srv = await startServer();
    ({ c, u } = await actors(srv));
});
after(async () => { await srv.stopAndCheck(); });

const PATH = '/api/v1/reconsiderations';

/** An 18-digit ID number with a valid check digit (GB 11643). */
function idNo(seq) {
    const base = `11010119800101${String(100 + (seq % 900)).padStart(3, '0')}`;
    const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const s = [...base].reduce((a, d, i) => a + Number(d) * w[i], 0);
    return base + '10X98765432'[s % 11];
}

let seq = 0;
async function apply(body = {}) {
    seq++;
    return ok(await c.office.post(PATH, {
        received_on: '2026-09-29', knew_on: '2026-09-01', respondent_unit_id: u.cgjd.id,
        act_type: 'penalty', act: `城关街道作出的行政处罚决定 ${body.tag || ''}`.trim(),
        request: '请求撤销该行政处罚决定。',
        parties: [{ role: 'applicant', name: '王建国', id_no: idNo(seq), phone: '13912345678' }],
        ...body, tag: undefined,
    }), 201);
}

async function act(who, rec, action, body = {}) {
    const cur = ok(await c.office.get(`${PATH}/${rec.id}`));
    return who.post(`${PATH}/${rec.id}/actions/${action}`, { version: cur.version, ...body });
}
const step = async (who, rec, action, body) => ok(await act(who, rec, action, body), 200, action);

function refused(r, allowed) {
    assertError(r, 409, 'invalid_transition');
    if (allowed) assert.deepEqual([...r.json.error.fields.allowed_actions].sort(), [...allowed].sort());
}
const clock = (rec, code) => rec.clocks.find((k) => k.code === code);
const sorted = (a) => [...a].sort();

test('the kind: every allowed step as the right account, every other refused with what is possible', async () => {
    const r = await apply();
    assert.match(r.case_no, /^FY2026-\d{6}$/);
    assert.equal(r.status, 'received');
    assert.deepEqual(sorted(r.allowed_actions), ['accept', 'not_accept', 'request_correction']);
    // the respondent's clerk reads the case but has nothing to do yet; another unit's does not see it
    assert.deepEqual(ok(await c.clerk2.get(`${PATH}/${r.id}`)).allowed_actions, []);
    assertError(await c.clerk1.get(`${PATH}/${r.id}`), 404, 'not_found');
    assertError(await act(c.clerk1, r, 'accept', { procedure_type: 'ordinary' }), 404, 'not_found');
    refused(await act(c.clerk2, r, 'answer', { note: '答复' }), []);
    refused(await act(c.office, r, 'decide', { decision_type: 'uphold', note: '维持' }), ['accept', 'not_accept', 'request_correction']);
    refused(await act(c.office, r, 'correction_received'), ['accept', 'not_accept', 'request_correction']);
    // 补正 needs the note saying what to supply
    assertError(await act(c.office, r, 'request_correction'), 400, 'invalid');
    let x = await step(c.office, r, 'request_correction', { note: '请补正申请人身份证明。', notified_on: '2026-09-30' });
    assert.equal(x.status, 'correcting');
    assert.deepEqual(sorted(x.allowed_actions), ['correction_received', 'not_accept']);
    refused(await act(c.office, r, 'accept', { procedure_type: 'ordinary' }), ['correction_received', 'not_accept']);
    x = await step(c.office, r, 'correction_received', { supplied_on: '2026-10-09' });
    assert.equal(x.status, 'received');
    // 受理 needs the procedure; a date later than today is refused
    assertError(await act(c.office, r, 'accept'), 400, 'invalid');
    const future = await act(c.office, r, 'accept', { procedure_type: 'ordinary', accepted_on: '2099-01-01' });
    assertError(future, 400, 'invalid');
    assert.ok(future.json.error.fields.accepted_on);
    x = await step(c.office, r, 'accept', { procedure_type: 'ordinary', accepted_on: '2026-10-12' });
    assert.equal(x.status, 'accepted');
    assert.equal(x.procedure_type, 'ordinary');
    assert.deepEqual(sorted(x.allowed_actions), ['decide', 'extend', 'hearing', 'terminate']);
    // 答复 is the respondent's: the office may not, the respondent's clerk may (with a note)
    refused(await act(c.office, r, 'answer', { note: '答复' }), ['decide', 'extend', 'hearing', 'terminate']);
    assert.deepEqual(ok(await c.clerk2.get(`${PATH}/${r.id}`)).allowed_actions, ['answer']);
    assertError(await act(c.clerk2, r, 'answer'), 400, 'invalid');
    x = await step(c.clerk2, r, 'answer', { note: '已提交书面答复及证据。', answered_on: '2026-10-20' });
    assert.equal(x.answered_on, '2026-10-20');
    assert.equal(clock(ok(await c.office.get(`${PATH}/${r.id}`)), 'answer').state, 'met');
    refused(await act(c.clerk2, r, 'answer', { note: '再次答复' }), []);
    // the clerk cannot decide; the leader reads only
    refused(await act(c.clerk2, r, 'decide', { decision_type: 'uphold', note: '维持' }), []);
    refused(await act(c.leader, r, 'decide', { decision_type: 'uphold', note: '维持' }), []);
    x = await step(c.office, r, 'hearing', { held_on: '2026-10-28', note: '组织听证。' });
    assert.equal(x.hearing_on, '2026-10-28');
    assertError(await act(c.office, r, 'decide', { decision_type: 'settlement', note: '和解' }), 400, 'invalid');
    assertError(await act(c.office, r, 'decide', { decision_type: 'revoke' }), 400, 'invalid');
    x = await step(c.office, r, 'decide', { decision_type: 'revoke', decided_on: '2026-11-20', note: '撤销原行政处罚决定。' });
    assert.equal(x.status, 'decided');
    assert.equal(x.decision_type, 'revoke');
    assert.equal(clock(x, 'decide').state, 'met');
    assert.deepEqual(x.allowed_actions, ['close']);
    refused(await act(c.office, r, 'decide', { decision_type: 'uphold', note: '维持' }), ['close']);
    refused(await act(c.office, r, 'extend', { note: '延期' }), ['close']);
    x = await step(c.office, r, 'close');
    assert.equal(x.status, 'closed');
    assert.deepEqual(x.allowed_actions, []);
    refused(await act(c.office, r, 'close'), []);
    // a closed case is not edited; a stale version is 409 stale_version
    assertError(await c.office.put(`${PATH}/${r.id}`, { version: x.version, act_type: 'penalty', act: 'x', request: 'y' }), 403, 'forbidden');
    assertError(await c.office.post(`${PATH}/${r.id}/actions/close`, { version: 1 }), 409, 'stale_version');
    assertError(await act(c.office, r, 'no_such'), 404, 'not_found');

    // 不予受理 (with its note) and 终止 (和解/撤回) end the other ways
    const n = await apply();
    assertError(await act(c.office, n, 'not_accept'), 400, 'invalid');
    x = await step(c.office, n, 'not_accept', { note: '不属于行政复议范围。' });
    assert.equal(x.status, 'not_accepted');
    assert.deepEqual(x.allowed_actions, []);
    assert.equal(clock(x, 'review').state, 'met');
    const t = await apply();
    await step(c.office, t, 'accept', { procedure_type: 'ordinary', accepted_on: '2026-10-12' });
    x = await step(c.office, t, 'terminate', { note: '申请人撤回申请。', decided_on: '2026-10-30' });
    assert.equal(x.status, 'terminated');
    assert.equal(x.decision_type, 'settlement');
    assert.equal(clock(x, 'decide').state, 'met');
    assert.equal(clock(x, 'answer').state, 'met', 'the answer clock ends with the case');
    assert.deepEqual(x.allowed_actions, ['close']);
    // the timeline holds every step, the audit log names them
    const audit = ok(await c.auditor.get(`/api/v1/audit?object_type=reconsideration&object_id=${r.id}&per_page=50`)).items;
    for (const a of ['create', 'request_correction', 'correction_received', 'accept', 'answer', 'hearing', 'decide', 'close'])
        assert.ok(audit.some((e) => e.action === `reconsideration.${a}`), a);
});

test('受理审查 5 工作日 across National Day: 09-29 → 10-12 (10-10 is a 调休 working day); 补正 moves it to 10-14', async () => {
    const r = await apply();
    let k = clock(r, 'review');
    assert.equal(k.start_on, '2026-09-29');
    assert.equal(k.period, 5);
    assert.equal(k.unit, 'workdays');
    // 09-30 (1), 10-01…10-07 holiday, 10-08 (2), 10-09 (3), Saturday 10-10 调休 (4), 10-12 (5)
    assert.equal(k.due_on, '2026-10-12', k.explain);
    assert.equal(r.due_on, '2026-10-12', 'the list column is the current time limit');
    // 补正 from 09-30, materials in on 10-09: 09-30 … 10-08 are not counted
    let x = await step(c.office, r, 'request_correction', { note: '请补正。', notified_on: '2026-09-30' });
    k = clock(x, 'review');
    assert.equal(k.state, 'suspended');
    assert.equal(clock(x, 'correct').state !== undefined, true, 'the applicant\'s 补正期限 runs');
    x = await step(c.office, r, 'correction_received', { supplied_on: '2026-10-09' });
    k = clock(x, 'review');
    // 10-09 (1), 10-10 调休 (2), 10-12 (3), 10-13 (4), 10-14 (5)
    assert.equal(k.due_on, '2026-10-14', k.explain);
    assert.ok(k.suspended_days > 0);
    assert.equal(clock(x, 'correct').state, 'met');
    // accepted on 10-13: the review met, the answer's 10 工作日 and the decision's 60 日 start
    x = await step(c.office, r, 'accept', { procedure_type: 'ordinary', accepted_on: '2026-10-13' });
    assert.equal(clock(x, 'review').state, 'met');
    assert.equal(clock(x, 'review').late, false);
    // 10-14 … 10-27: ten working days
    assert.equal(clock(x, 'answer').due_on, '2026-10-27', clock(x, 'answer').explain);
    // 60 日 from 10-13 is 12-12, a Saturday: the next working day
    assert.equal(clock(x, 'decide').due_on, '2026-12-14', clock(x, 'decide').explain);
});

test('审理期限 60 日 ending in the May Day holiday moves to 05-06; 延期 +30 once; 简易程序 30 日 cannot be extended', async () => {
    const r = await apply({ received_on: '2026-02-25', knew_on: '2026-02-01' });
    // 02-26, 02-27, Saturday 02-28 (春节调休), 03-02, 03-03
    assert.equal(clock(r, 'review').due_on, '2026-03-03', clock(r, 'review').explain);
    let x = await step(c.office, r, 'accept', { procedure_type: 'ordinary', accepted_on: '2026-03-02' });
    let k = clock(x, 'decide');
    assert.equal(k.period, 60);
    assert.equal(k.unit, 'days');
    // 60 日 from 03-02 is 05-01, 劳动节 (05-01 … 05-05): the first working day after it
    assert.equal(k.due_on, '2026-05-06', k.explain);
    assert.equal(x.due_on, '2026-05-06');
    assertError(await act(c.office, x, 'extend'), 400, 'invalid'); // the approval's reason
    assertError(await act(c.office, x, 'extend', { note: '案情复杂', days: 31 }), 400, 'invalid');
    x = await step(c.office, r, 'extend', { note: '案情复杂，经行政复议机构负责人批准延长三十日。' });
    k = clock(x, 'decide');
    assert.equal(x.extended_days, 30);
    // 90 日 from 03-02 is 05-31, a Sunday: 06-01
    assert.equal(k.due_on, '2026-06-01', k.explain);
    refused(await act(c.office, x, 'extend', { note: '再次延长' }), ['decide', 'hearing', 'terminate']);
    assert.ok(!x.allowed_actions.includes('extend'));
    // decided after the due date: met, late
    x = await step(c.office, r, 'decide', { decision_type: 'uphold', decided_on: '2026-06-02', note: '维持。' });
    assert.equal(clock(x, 'decide').late, true);

    const s = await apply({ received_on: '2026-08-28', knew_on: '2026-08-20' });
    x = await step(c.office, s, 'accept', { procedure_type: 'simplified', accepted_on: '2026-09-01' });
    k = clock(x, 'decide');
    assert.equal(k.period, 30);
    // 30 日 from 09-01 is 10-01, National Day (10-01 … 10-07): 10-08
    assert.equal(k.due_on, '2026-10-08', k.explain);
    assert.ok(!x.allowed_actions.includes('extend'));
    refused(await act(c.office, s, 'extend', { note: '延期' }), ['decide', 'hearing', 'terminate']);
});

test('申请期限 60 日 from knowing the act: a late application is accepted only with its good cause stated', async () => {
    // 60 日 from 01-01 is 03-02 (a Monday); received 03-10
    const late = await apply({ received_on: '2026-03-10', knew_on: '2026-01-01' });
    assert.equal(late.application_late, true);
    const k = clock(late, 'apply');
    assert.equal(k.due_on, '2026-03-02', k.explain);
    assert.equal(k.state, 'met');
    assert.equal(k.late, true);
    const r = await act(c.office, late, 'accept', { procedure_type: 'ordinary', accepted_on: '2026-03-12' });
    assertError(r, 400, 'invalid');
    assert.match(r.json.error.fields.late_reason, /正当理由/);
    const x = await step(c.office, late, 'accept', { procedure_type: 'ordinary', accepted_on: '2026-03-12', late_reason: '申请人住院治疗，有医院证明。' });
    assert.equal(x.late_reason, '申请人住院治疗，有医院证明。');
    const onTime = await apply({ received_on: '2026-03-02', knew_on: '2026-01-01' });
    assert.equal(onTime.application_late, false);
    assert.equal(clock(onTime, 'apply').late, false);
    const lateList = ok(await c.office.get(`${PATH}?application_late=1&per_page=200`)).items.map((i) => i.id);
    assert.ok(lateList.includes(late.id) && !lateList.includes(onTime.id));
    // the day known cannot follow the day received, nor the day received be in the future
    const bad = await c.office.post(PATH, { received_on: '2026-03-01', knew_on: '2026-03-05', respondent_unit_id: u.cgjd.id,
        act_type: 'penalty', act: 'x', request: 'y' });
    assertError(bad, 400, 'invalid');
    assert.ok(bad.json.error.fields.knew_on);
    assertError(await c.office.post(PATH, { received_on: '2099-03-01', knew_on: '2026-03-05', respondent_unit_id: u.cgjd.id,
        act_type: 'penalty', act: 'x', request: 'y' }), 400, 'invalid');
    assertError(await c.clerk2.post(PATH, { received_on: '2026-03-01', knew_on: '2026-02-05', respondent_unit_id: u.cgjd.id,
        act_type: 'penalty', act: 'x', request: 'y' }), 403, 'forbidden');
});

test('纠错率 = corrected / decided: both hand-counted through the list filters on fixed data', async () => {
    const tag = uniq('纠错');
    const types = ['change', 'change', 'revoke', 'confirm_illegal', 'order_perform', 'confirm_void',
        'uphold', 'uphold', 'uphold', 'dismiss', 'mediation'];
    for (const t of types) {
        const r = await apply({ tag, received_on: '2026-06-01', knew_on: '2026-05-20' });
        await step(c.office, r, 'accept', { procedure_type: 'ordinary', accepted_on: '2026-06-03' });
        await step(c.office, r, 'decide', { decision_type: t, decided_on: '2026-07-01', note: '决定。' });
    }
    const s = await apply({ tag, received_on: '2026-06-01', knew_on: '2026-05-20' });
    await step(c.office, s, 'accept', { procedure_type: 'ordinary', accepted_on: '2026-06-03' });
    await step(c.office, s, 'terminate', { decided_on: '2026-06-20', note: '和解撤回。' });
    const refusedCase = await apply({ tag, received_on: '2026-06-01', knew_on: '2026-05-20' });
    await step(c.office, refusedCase, 'not_accept', { note: '不予受理。', decided_on: '2026-06-03' });
    await apply({ tag, received_on: '2026-06-01', knew_on: '2026-05-20' }); // still under review

    const count = async (query) => ok(await c.office.get(`${PATH}?q=${encodeURIComponent(tag)}&${query}`)).total;
    const by = {};
    for (const t of ['change', 'revoke', 'confirm_illegal', 'order_perform', 'confirm_void', 'uphold', 'dismiss', 'mediation', 'settlement'])
        by[t] = await count(`decision_type=${t}`);
    assert.deepEqual(by, { change: 2, revoke: 1, confirm_illegal: 1, order_perform: 1, confirm_void: 1, uphold: 3,
        dismiss: 1, mediation: 1, settlement: 1 });
    const corrected = by.change + by.revoke + by.confirm_illegal + by.order_perform + by.confirm_void;
    const decided = corrected + by.uphold + by.dismiss;
    assert.equal(await count('corrected=1'), corrected, 'the numerator is the five corrective types');
    assert.equal(await count('decided=1'), decided, 'the denominator is the seven merits decisions');
    assert.equal(corrected, 6);
    assert.equal(decided, 10);
    assert.equal(Math.round((1000 * corrected) / decided) / 10, 60, '纠错率 60.0%');
    // 调解和解率 = (调解 + 和解/撤回) / concluded (nine types); 受理率 = accepted / reviewed
    assert.equal(await count('agreed=1'), 2);
    assert.equal(await count('concluded=1'), 12);
    assert.equal(await count('accepted_on_from=2026-01-01'), 12);
    assert.equal(await count('status=not_accepted'), 1);
    assert.equal(await count(''), 14);
});

test('scope: the respondent unit sees its own cases; another unit\'s clerk gets 404 and an empty list', async () => {
    const tag = uniq('范围');
    const mine = await apply({ tag, respondent_unit_id: u.cgjd.id });
    const other = await apply({ tag, respondent_unit_id: u.police.id });
    const q = `q=${encodeURIComponent(tag)}`;
    assert.deepEqual(ok(await c.clerk2.get(`${PATH}?${q}`)).items.map((x) => x.id), [mine.id]);
    assertError(await c.clerk2.get(`${PATH}/${other.id}`), 404, 'not_found');
    assert.equal(ok(await c.clerk1.get(`${PATH}?${q}`)).total, 0);
    assertError(await c.clerk1.get(`${PATH}/${mine.id}`), 404, 'not_found');
    assert.equal(ok(await c.office.get(`${PATH}?${q}`)).total, 2);
    assert.equal(ok(await c.leader.get(`${PATH}?${q}`)).total, 2);
    const xl = await c.clerk2.get(`${PATH}/export.xlsx?${q}`);
    assert.equal(xl.status, 200);
    const rows = xlsxRows(xl.buf);
    assert.equal(rows.length, 2, 'the header and the unit\'s one case');
});

test('export and import round trip: the exported rows, imported again, make the same cases', async () => {
    const tag = uniq('往返');
    await apply({ tag, received_on: '2026-04-01', knew_on: '2026-03-15', act_type: 'licence' });
    await apply({ tag, received_on: '2026-04-02', knew_on: '2026-03-16', respondent_unit_id: u.police.id, act_type: 'coercion' });
    const q = `q=${encodeURIComponent(tag)}`;
    const xl = await c.office.get(`${PATH}/export.xlsx?${q}&sort=received_on`);
    assert.equal(xl.status, 200);
    const [head, ...rows] = xlsxRows(xl.buf);
    const obj = rows.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i] ?? ''])));
    assert.equal(obj.length, 2);
    assert.equal(obj[0]['行为类别'], '行政许可');
    assert.equal(obj[1]['被申请人'], '区公安分局');
    const tpl = await c.office.get(`${PATH}/import-template.xlsx`);
    assert.equal(tpl.status, 200);
    const again = obj.map((x) => ({ received_on: x['收到申请日期'], knew_on: x['知道行政行为日期'], respondent_unit: x['被申请人'],
        act_type: x['行为类别'], act: `${x['被申请复议的行政行为']} 副本`, request: x['复议请求'],
        // the export's 当事人 are masked (whole only for pii.reveal): the sheet names them anew
        party_name: '赵敏', party_phone: '13900002222' }));
    const pre = ok(await c.office.post(`${PATH}/import`, { preview: true, rows: again }));
    assert.equal(pre.rows, 2);
    const res = ok(await c.office.post(`${PATH}/import`, { rows: again }), 201);
    assert.equal(res.created, 2);
    const made = ok(await c.office.get(`${PATH}?q=${encodeURIComponent(`${tag} 副本`)}&sort=received_on`)).items;
    assert.deepEqual(made.map((m) => [m.received_on, m.respondent_unit_name, m.act_type, m.status]),
        [['2026-04-01', '城关街道', 'licence', 'received'], ['2026-04-02', '区公安分局', 'coercion', 'received']]);
    const one = ok(await c.office.get(`${PATH}/${made[0].id}`));
    assert.equal(one.knew_on, '2026-03-15');
    assert.equal(clock(one, 'review').start_on, '2026-04-01', 'an imported case starts its clocks like a registered one');
    // a bad row: every problem at once, nothing written
    const bad = await c.office.post(`${PATH}/import`, { rows: [{ received_on: '2026-04-01', knew_on: '', respondent_unit: '没有这个单位', act_type: '不存在', act: 'x', request: 'y', party_name: '赵敏' }] });
    assertError(bad, 400, 'invalid');
    assert.deepEqual(bad.json.error.fields.rows.map((x) => x.field).sort(), ['act_type', 'knew_on', 'respondent_unit']);
    assertError(await c.clerk2.post(`${PATH}/import`, { rows: again }), 403, 'forbidden');
});

test('the kind, the entity and the menu are served for the generic shell; the demo has every decision type', async () => {
    const k = ok(await c.clerk2.get('/api/v1/kinds/reconsideration'));
    assert.deepEqual(k.clocks.map((x) => [x.code, x.period, x.unit]), [['decide', 60, 'days'], ['review', 5, 'workdays'],
        ['answer', 10, 'workdays'], ['correct', 10, 'workdays'], ['apply', 60, 'days']]);
    const d = ok(await c.office.get('/api/v1/entities/reconsiderations'));
    assert.equal(d.kind, 'reconsideration');
    const menu = ok(await c.clerk2.get('/api/v1/menu'));
    const item = menu.groups.find((g) => g.key === 'cases')?.items.find((i) => i.path === '/reconsiderations');
    assert.ok(item && item.page === 'entity', JSON.stringify(menu.groups.map((g) => g.key)));
    const all = ok(await c.office.get(`${PATH}?per_page=200&received_on_to=${today()}`)).items;
    const types = new Set(all.map((x) => x.decision_type).filter(Boolean));
    for (const t of ['change', 'revoke', 'confirm_illegal', 'order_perform', 'confirm_void', 'uphold', 'dismiss', 'mediation', 'settlement'])
        assert.ok(types.has(t), t);
    const states = new Set(all.map((x) => x.status));
    for (const s of ['received', 'correcting', 'accepted', 'decided', 'not_accepted', 'closed']) assert.ok(states.has(s), s);
    assert.ok(all.some((x) => x.extended_days > 0), 'an extended case');
    assert.ok(all.some((x) => x.procedure_type === 'simplified'), 'a simplified case');
    assert.ok(all.some((x) => x.status === 'accepted' && x.due_on < today()), 'an overdue case');
});
