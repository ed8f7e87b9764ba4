// 信访 (src/features/petition): a petition registered by the office walks 登记 → 受理 → 转送/交办 →
// 签收 or 管辖异议 → 办理 (延期 on approval) → 答复 → 复查 → 复核 (hearing) → 办结 as the accounts
// whose turn it is; each refused step answers 409 with the actions possible now (state,
// permission, relation) or the guard's message; the statutory clocks follow 信访工作条例 over the
// demo's 2026 calendar (15 日 ending in the National Day holiday, 5 工作日 across it with 调休, 60 日
// + 30, the 复核 hearing not counted, 复查 after 30 日 refused); a unit's clerk sees only the
// petitions routed to the unit; export and import; 积案 with its leader, monthly progress and
// 销号; repeat petitions (the same person by the parties' blind index, the same matter).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { inflateRawSync } from 'node:zlib';
import { startServer, assertError, ok } from './lib.mjs';
import { actors, today, addDays } from './tasks-lib.mjs';

let srv, c, u, leaderId;
before(async () => {
    srv = await startServer();
    ({ c, u } = await actors(srv));
    leaderId = ok(await c.leader.get('/api/v1/auth/me')).user.id;
});
after(async () => { await srv.stopAndCheck(); });

const PATH = '/api/v1/petitions';
const sorted = (a) => [...a].sort();

async function register(body = {}) {
    return ok(await c.office.post(PATH, {
        received_on: today(), channel: 'visit', matter_type: 'labour',
        summary: '反映某公司拖欠工资三个月，请求协调支付。', place: '城关街道',
        parties: [{ role: 'petitioner', name: '李秀英', phone: '13800001111' }], ...body,
    }), 201);
}

async function act(who, rec, action, body = {}) {
    const cur = ok(await c.office.get(`${PATH}/${rec.id}`));
    return who.post(`${PATH}/${rec.id}/actions/${action}`, { version: cur.version, ...body });
}
const step = async (who, rec, action, body = {}) => ok(await act(who, rec, action, body), 200, action);

function refused(r, allowed, message) {
    assertError(r, 409, 'invalid_transition');
    if (allowed) assert.deepEqual(sorted(r.json.error.fields.allowed_actions), sorted(allowed));
    if (message) assert.match(r.json.error.message, message);
}
const clock = (rec, code) => rec.clocks.find((k) => k.code === code);

/** A petition routed to 区司法局 (clerk1's unit) with the given dates. */
async function routed({ received = today(), routedOn = received, ...body } = {}) {
    const r = await register({ received_on: received, ...body });
    await step(c.office, r, 'accept');
    return step(c.office, r, 'route', { unit_id: u.sfj.id, route_mode: 'assign', routed_on: routedOn });
}
async function handling(opts = {}) {
    const r = await routed(opts);
    return step(c.clerk1, r, 'sign', opts.signed ? { accepted_on: opts.signed } : {});
}

const inbox = async (who, kind, id) => ok(await who.get('/api/v1/notifications?per_page=200')).items
    .filter((n) => n.kind === kind && n.link === `/petitions/${id}`);

test('a petition walks every state as the right accounts; wrong state, role or unit is 409', async () => {
    const r = await register();
    assert.match(r.petition_no, /^XF\d{4}-\d{6}$/);
    assert.equal(r.status, 'registered');
    assert.deepEqual(sorted(r.allowed_actions), ['accept', 'mark_backlog', 'reject']);
    assert.equal(clock(r, 'route').state, 'running', 'the 15 日 routing clock runs from registration');
    // not routed: no unit's clerk sees it
    assertError(await c.clerk1.get(`${PATH}/${r.id}`), 404, 'not_found');
    refused(await act(c.office, r, 'route', { unit_id: u.sfj.id, route_mode: 'assign' }),
        ['accept', 'mark_backlog', 'reject']);
    let x = await step(c.office, r, 'accept');
    assert.equal(x.status, 'accepted');
    // 转送/交办 needs the unit and the mode, a unit that exists, a date not before registration
    let bad = await act(c.office, r, 'route', {});
    assertError(bad, 400, 'invalid');
    assert.ok(bad.json.error.fields.unit_id && bad.json.error.fields.route_mode);
    bad = await act(c.office, r, 'route', { unit_id: 999999, route_mode: 'assign' });
    assertError(bad, 400, 'invalid');
    assert.ok(bad.json.error.fields.unit_id);
    bad = await act(c.office, r, 'route', { unit_id: u.sfj.id, route_mode: 'assign', routed_on: addDays(today(), -1) });
    assertError(bad, 400, 'invalid');
    assert.ok(bad.json.error.fields.routed_on);

    x = await step(c.office, r, 'route', { unit_id: u.sfj.id, route_mode: 'transfer' });
    assert.equal(x.status, 'routed');
    assert.equal(x.handling_unit_id, u.sfj.id);
    assert.equal(x.route_mode, 'transfer');
    assert.equal(clock(x, 'route').state, 'met');
    assert.equal(clock(x, 'objection').state, 'running');
    assert.equal(clock(x, 'objection').unit, 'workdays');
    // the unit is told, another unit sees nothing
    assert.equal((await inbox(c.clerk1, 'petition_routed', r.id)).length, 1);
    assertError(await c.clerk2.get(`${PATH}/${r.id}`), 404, 'not_found');
    assertError(await act(c.clerk2, r, 'sign'), 404, 'not_found');
    // signing for it is the unit's (relation): the office may not
    refused(await act(c.office, r, 'sign'), ['mark_backlog']);
    assert.deepEqual(sorted(ok(await c.clerk1.get(`${PATH}/${r.id}`)).allowed_actions), ['object', 'sign']);

    // 管辖异议 needs the reason, tells the office, then the office insists
    assertError(await act(c.clerk1, r, 'object'), 400, 'invalid');
    x = await step(c.clerk1, r, 'object', { note: '该事项属于区人社局职责。' });
    assert.equal(x.status, 'objected');
    assert.equal(x.objection_reason, '该事项属于区人社局职责。');
    assert.equal((await inbox(c.office, 'petition_objected', r.id)).length, 1);
    refused(await act(c.clerk1, r, 'insist', { note: 'x' }), []);
    bad = await act(c.office, r, 'reroute', { unit_id: u.sfj.id, route_mode: 'assign' });
    assertError(bad, 400, 'invalid');
    assert.ok(bad.json.error.fields.unit_id, 're-routing to the same unit is no re-routing');
    x = await step(c.office, r, 'insist', { note: '经研究属于你单位职责，请依法办理。' });
    assert.equal(x.status, 'handling');
    assert.equal(clock(x, 'handle').state, 'running');
    assert.equal(clock(x, 'handle').period, 60);

    // 延期: asked by the unit, decided by the office, once
    refused(await act(c.office, r, 'approve_extension'), null, /没有待审批的延期申请/);
    assertError(await act(c.clerk1, r, 'request_extension'), 400, 'invalid');
    x = await step(c.clerk1, r, 'request_extension', { note: '需补充调查。' });
    assert.equal(x.ext_pending, true);
    assert.equal((await inbox(c.office, 'petition_extension', r.id)).length, 1);
    refused(await act(c.clerk1, r, 'request_extension', { note: '再次' }), null, /只能延长一次/);
    refused(await act(c.clerk1, r, 'approve_extension'), ['reply']);
    assertError(await act(c.office, r, 'approve_extension', { days: 31 }), 400, 'invalid');
    x = await step(c.office, r, 'approve_extension', { note: '同意延期。' });
    assert.equal(x.extended, true);
    assert.equal(clock(x, 'handle').state, 'extended');
    refused(await act(c.clerk1, r, 'request_extension', { note: '第二次' }), null, /只能延长一次/);

    // 答复 with an outcome stops the clock
    bad = await act(c.clerk1, r, 'reply', { note: '答复' });
    assertError(bad, 400, 'invalid');
    assert.ok(bad.json.error.fields.outcome);
    x = await step(c.clerk1, r, 'reply', { outcome: 'unsupported', note: '诉求缺乏依据，不予支持。' });
    assert.equal(x.status, 'replied');
    assert.equal(x.outcome, 'unsupported');
    assert.equal(x.replied_on, today());
    assert.equal(clock(x, 'handle').state, 'met');
    // 复查 and 复核 are the office's
    refused(await act(c.clerk1, r, 'request_review'), []);
    x = await step(c.office, r, 'request_review');
    assert.equal(x.status, 'reviewing');
    assert.equal(clock(x, 'review').state, 'running');
    x = await step(c.office, r, 'review', { outcome: 'unsupported', note: '维持原处理意见。' });
    assert.equal(x.status, 'reviewed');
    assert.equal(clock(x, 'review').state, 'met');
    x = await step(c.office, r, 'request_recheck');
    assert.equal(x.status, 'rechecking');
    refused(await act(c.office, r, 'hearing_end'), null, /没有进行中的听证/);
    x = await step(c.office, r, 'hearing_start');
    assert.equal(x.hearing, true);
    assert.equal(clock(x, 'recheck').state, 'suspended');
    refused(await act(c.office, r, 'recheck', { outcome: 'explain', note: '复核' }), null, /听证尚未结束/);
    refused(await act(c.office, r, 'hearing_start'), null, /听证尚未结束/);
    x = await step(c.office, r, 'hearing_end');
    assert.equal(x.hearing, false);
    x = await step(c.office, r, 'recheck', { outcome: 'explain', note: '经听证维持复查意见。' });
    assert.equal(x.status, 'closed');
    assert.equal(x.recheck_outcome, 'explain');
    assert.equal(clock(x, 'recheck').state, 'met');
    assert.deepEqual(x.allowed_actions, ['mark_backlog']);
    refused(await act(c.office, r, 'close'), ['mark_backlog']);
    // a stale version is 409 stale_version; an unknown action 404
    assertError(await c.office.post(`${PATH}/${r.id}/actions/close`, { version: 1 }), 409, 'stale_version');
    assertError(await act(c.office, r, 'no_such'), 404, 'not_found');
    // the timeline of the engine holds every step, audited
    const audit = ok(await c.auditor.get(`/api/v1/audit?object_type=petition&object_id=${r.id}&per_page=100`)).items;
    for (const a of ['create', 'accept', 'route', 'object', 'insist', 'request_extension', 'approve_extension', 'reply',
        'request_review', 'review', 'request_recheck', 'hearing_start', 'hearing_end', 'recheck'])
        assert.ok(audit.some((e) => e.action === `petition.${a}`), a);
});

test('不予受理 needs a reason and ends the petition; 办结 after a reply; a rerouted petition leaves the unit', async () => {
    const r = await register();
    assertError(await act(c.office, r, 'reject'), 400, 'invalid');
    // not the unit's: a clerk cannot even see a petition not routed to the unit
    assertError(await act(c.clerk1, r, 'reject', { note: 'x' }), 404, 'not_found');
    let x = await step(c.office, r, 'reject', { note: '已进入诉讼程序。' });
    assert.equal(x.status, 'rejected');
    assert.equal(x.reject_reason, '已进入诉讼程序。');
    assert.deepEqual(x.allowed_actions, []);
    assert.equal(clock(x, 'route').state, 'met');
    assertError(await c.office.put(`${PATH}/${r.id}`, {
        version: x.version, channel: 'letter', matter_type: 'labour', summary: 's',
    }), 403, 'forbidden');

    const h = await handling();
    x = await step(c.clerk1, h, 'reply', { outcome: 'support', note: '诉求合理，已解决。' });
    refused(await act(c.clerk1, x, 'close'), []);
    x = await step(c.office, x, 'close');
    assert.equal(x.status, 'closed');
    assert.equal(x.closed_on, today());

    // objected and routed elsewhere: out of the first unit's sight, told to the new one
    const o = await routed();
    await step(c.clerk1, o, 'object', { note: '不属于本单位职责。' });
    x = ok(await act(c.office, o, 'reroute', { unit_id: u.cgjd.id, route_mode: 'assign' }));
    assert.equal(x.status, 'routed');
    assert.equal(x.handling_unit_id, u.cgjd.id);
    assertError(await c.clerk1.get(`${PATH}/${o.id}`), 404, 'not_found');
    assert.equal((await inbox(c.clerk2, 'petition_routed', o.id)).length, 1);
    x = ok(await act(c.clerk2, o, 'sign'));
    assert.equal(x.status, 'handling');
    // a date after today is refused
    const bad = await act(c.clerk2, o, 'reply', { outcome: 'support', note: 'x', replied_on: addDays(today(), 1) });
    assertError(bad, 400, 'invalid');
    assert.ok(bad.json.error.fields.replied_on);
});

test('15 日 转送交办: a last day in the National Day holiday moves to the next working day', async () => {
    // 2026-09-16 + 15 days = 2026-10-01, 国庆节 (10-01…10-07): due 2026-10-08
    const r = await register({ received_on: '2026-09-16' });
    const k = clock(r, 'route');
    assert.equal(k.start_on, '2026-09-16');
    assert.equal(k.period, 15);
    assert.equal(k.unit, 'days');
    assert.equal(k.due_on, '2026-10-08', k.explain);
    assert.equal(r.due_on, '2026-10-08', 'the list column is the nearest running clock');
    // not routed since: overdue (the list's filter)
    const over = ok(await c.office.get(`${PATH}?overdue=1&received_on_from=2026-09-16&received_on_to=2026-09-16&per_page=200`));
    assert.ok(over.items.some((x) => x.id === r.id));
    const notOver = ok(await c.office.get(`${PATH}?overdue=0&received_on_from=2026-09-16&received_on_to=2026-09-16&per_page=200`));
    assert.ok(!notOver.items.some((x) => x.id === r.id));
    // routed on the 15th day: on time
    await step(c.office, r, 'accept');
    const x = await step(c.office, r, 'route', { unit_id: u.sfj.id, route_mode: 'assign', routed_on: '2026-10-08' });
    assert.equal(clock(x, 'route').state, 'met');
    assert.equal(clock(x, 'route').late, false);
});

test('5 工作日 objection period across the National Day week with 调休; objecting after it is refused', async () => {
    // routed Tue 2026-09-29: 09-30 (1), 10-01…10-07 holiday, 10-08 (2), 10-09 (3),
    // Sat 10-10 调休 working day (4), Sun 10-11 off, Mon 10-12 (5)
    const r = await routed({ received: '2026-09-25', routedOn: '2026-09-29' });
    const k = clock(r, 'objection');
    assert.equal(k.start_on, '2026-09-29');
    assert.equal(k.period, 5);
    assert.equal(k.unit, 'workdays');
    assert.equal(k.due_on, '2026-10-12', k.explain);
    // long past: the unit can only sign for it now
    assert.deepEqual(ok(await c.clerk1.get(`${PATH}/${r.id}`)).allowed_actions, ['sign']);
    refused(await act(c.clerk1, r, 'object', { note: '不属于本单位职责。' }), ['sign'], /5个工作日/);
    // within the period (routed today) it is possible
    const fresh = await routed();
    assert.ok(ok(await c.clerk1.get(`${PATH}/${fresh.id}`)).allowed_actions.includes('object'));
});

test('办理 60 日, +30 with the office\'s approval: the extension only on approval', async () => {
    // signed for Mon 2026-06-01: + 60 = Fri 2026-07-31; + 90 = Sun 2026-08-30 → Mon 2026-08-31
    const r = await handling({ received: '2026-05-25', routedOn: '2026-05-27', signed: '2026-06-01' });
    let k = clock(r, 'handle');
    assert.equal(k.start_on, '2026-06-01');
    assert.equal(k.period, 60);
    assert.equal(k.due_on, '2026-07-31', k.explain);
    assert.equal(clock(r, 'objection').state, 'met', 'signing for it ends the objection period');
    let x = await step(c.clerk1, r, 'request_extension', { note: '情况复杂，申请延期。' });
    assert.equal(clock(x, 'handle').due_on, '2026-07-31', 'a request changes nothing');
    x = await step(c.office, r, 'refuse_extension', { note: '不同意。' });
    assert.equal(clock(x, 'handle').due_on, '2026-07-31');
    assert.equal(x.ext_pending, false);
    assert.equal(x.extended, false);
    x = await step(c.clerk1, r, 'request_extension', { note: '补充材料后再次申请。' });
    x = await step(c.office, r, 'approve_extension', { note: '同意延期30日。' });
    k = clock(x, 'handle');
    assert.equal(k.due_on, '2026-08-31', k.explain);
    assert.equal(x.extended, true);
    assert.equal(ok(await c.office.get(`${PATH}?extended=1&received_on_from=2026-05-25&received_on_to=2026-05-25`)).items
        .filter((p) => p.id === r.id).length, 1);
});

test('复查 only within 30 日 of the reply, answered in 30 日; 复核 hearing time is not counted', async () => {
    const t = today();
    const late = await handling({ received: addDays(t, -80), routedOn: addDays(t, -78), signed: addDays(t, -77) });
    await step(c.clerk1, late, 'reply', { outcome: 'unsupported', note: '不予支持。', replied_on: addDays(t, -40) });
    refused(await act(c.office, late, 'request_review'), null, /30日/);
    assert.ok(!ok(await c.office.get(`${PATH}/${late.id}`)).allowed_actions.includes('request_review'));
    // a request received within the 30 日, registered later, is taken
    let x = await step(c.office, late, 'request_review', { requested_on: addDays(t, -15) });
    const rv = clock(x, 'review');
    assert.equal(rv.start_on, addDays(t, -15));
    assert.equal(rv.period, 30);
    assert.ok(rv.due_on >= addDays(t, 15), rv.explain);
    // the review's date is not before the request
    assertError(await act(c.office, x, 'review', { outcome: 'explain', note: 'x', decided_on: addDays(t, -16) }), 400, 'invalid');
    x = await step(c.office, x, 'review', { outcome: 'explain', note: '维持。', decided_on: addDays(t, -14) });
    assert.equal(x.reviewed_on, addDays(t, -14));
    // 复核 asked 20 days ago, hearing from 15 to 5 days ago: 10 days not counted
    x = await step(c.office, x, 'request_recheck', { requested_on: addDays(t, -12) });
    x = await step(c.office, x, 'hearing_start', { on: addDays(t, -10) });
    x = await step(c.office, x, 'hearing_end', { on: addDays(t, -2) });
    const k = clock(x, 'recheck');
    assert.equal(k.start_on, addDays(t, -12));
    assert.equal(k.suspended_days, 8, k.explain);
    assert.ok(k.due_on >= addDays(t, -12 + 30 + 8), `${k.due_on}: ${k.explain}`);
    assert.equal(k.state, 'running');
    // and 复核 after 30 日 of the review is refused
    const old = await handling({ received: addDays(t, -120), routedOn: addDays(t, -118), signed: addDays(t, -117) });
    await step(c.clerk1, old, 'reply', { outcome: 'unsupported', note: '不予支持。', replied_on: addDays(t, -100) });
    await step(c.office, old, 'request_review', { requested_on: addDays(t, -90) });
    await step(c.office, old, 'review', { outcome: 'unsupported', note: '维持。', decided_on: addDays(t, -70) });
    refused(await act(c.office, old, 'request_recheck'), null, /30日/);
});

test('scope: a clerk of another unit lists, reads, exports and acts on none of the unit\'s petitions', async () => {
    const tag = `范围${Date.now()}`;
    const mine = await routed({ summary: `${tag} 甲` });
    const other = await register({ summary: `${tag} 乙` });
    await step(c.office, other, 'accept');
    await step(c.office, other, 'route', { unit_id: u.cgjd.id, route_mode: 'assign' });
    const q = encodeURIComponent(tag);
    const l1 = ok(await c.clerk1.get(`${PATH}?q=${q}`));
    assert.deepEqual(l1.items.map((x) => x.id), [mine.id]);
    assert.equal(l1.total, 1);
    const l2 = ok(await c.clerk2.get(`${PATH}?q=${q}`));
    assert.deepEqual(l2.items.map((x) => x.id), [other.id]);
    assertError(await c.clerk2.get(`${PATH}/${mine.id}`), 404, 'not_found');
    assertError(await act(c.clerk2, mine, 'object', { note: 'x' }), 404, 'not_found');
    assert.equal(ok(await c.office.get(`${PATH}?q=${q}`)).total, 2);
    const xl = await c.clerk2.get(`${PATH}/export.xlsx?q=${q}`);
    assert.equal(xl.status, 200);
    const text = sheetText(xl.buf);
    assert.match(text, new RegExp(`${tag} 乙`));
    assert.doesNotMatch(text, new RegExp(`${tag} 甲`));
    // the leader reads, takes no step
    const seen = ok(await c.leader.get(`${PATH}/${mine.id}`));
    assert.deepEqual(seen.allowed_actions, []);
    assertError(await c.leader.post(PATH, { received_on: today() }), 403, 'forbidden');
});

test('export and import round trip: the sheet\'s rows register petitions with the same values', async () => {
    const tag = `导入${Date.now()}`;
    const r = await register({ summary: `${tag} 原件`, channel: 'letter', matter_type: 'housing', place: '东城街道' });
    const xl = await c.office.get(`${PATH}/export.xlsx?q=${encodeURIComponent(tag)}`);
    assert.equal(xl.status, 200);
    const text = sheetText(xl.buf);
    for (const s of [r.petition_no, `${tag} 原件`, '来信', '城乡建设与住房', '东城街道', '登记日期', '信访形式'])
        assert.ok(text.includes(s), s);
    const tpl = await c.office.get(`${PATH}/import-template.xlsx`);
    assert.equal(tpl.status, 200);
    assert.match(sheetText(tpl.buf), /信访事项/);
    // the exported cells, as the browser sends them under the import keys
    const row = { received_on: r.received_on, channel: '来信', matter_type: '城乡建设与住房', summary: `${tag} 导入`, place: '东城街道',
        party_name: '李秀英', party_phone: '13800001111' };
    const before = ok(await c.office.get(`${PATH}?q=${encodeURIComponent(tag)}`)).total;
    const pv = ok(await c.office.post(`${PATH}/import`, { preview: true, rows: [row] }));
    assert.equal(pv.valid, 1);
    assert.equal(ok(await c.office.get(`${PATH}?q=${encodeURIComponent(tag)}`)).total, before, 'a preview writes nothing');
    const bad = await c.office.post(`${PATH}/import`, { rows: [{ ...row, channel: '传真' }] });
    assertError(bad, 400, 'invalid');
    const res = ok(await c.office.post(`${PATH}/import`, { rows: [row] }), 201);
    assert.equal(res.created, 1);
    const got = ok(await c.office.get(`${PATH}/${res.ids[0]}`));
    assert.equal(got.channel, 'letter');
    assert.equal(got.matter_type, 'housing');
    assert.equal(got.place, '东城街道');
    assert.equal(got.status, 'registered');
    assert.match(got.petition_no, /^XF\d{4}-\d{6}$/);
    assert.equal(clock(got, 'route').state, 'running', 'an imported petition has its routing clock');
    // importing is the office's
    assertError(await c.clerk1.post(`${PATH}/import`, { rows: [row] }), 403, 'forbidden');
});

test('积案: the office marks it with 包案领导, the unit records monthly progress and asks for 销号, the office decides', async () => {
    const r = await handling();
    refused(await act(c.clerk1, r, 'mark_backlog', { leader_id: leaderId }), ['request_extension', 'reply']);
    assertError(await act(c.office, r, 'mark_backlog'), 400, 'invalid');
    assertError(await act(c.office, r, 'mark_backlog', { leader_id: 999999 }), 400, 'invalid');
    let x = await step(c.office, r, 'mark_backlog', { leader_id: leaderId });
    assert.equal(x.backlog, true);
    assert.equal(x.backlog_state, 'open');
    assert.equal(x.backlog_leader_id, leaderId);
    assert.match(x.backlog_leader_name, /陈振华/);
    assert.equal((await inbox(c.leader, 'petition_backlog', r.id)).length, 1, 'the leader is told');
    refused(await act(c.office, r, 'mark_backlog', { leader_id: leaderId }), null, /已列为积案/);

    // monthly progress: a child of the petition, one per month, by the unit (or the office)
    const P = '/api/v1/petition-progress';
    const entry = ok(await c.clerk1.post(P, { petition_id: r.id, month: '2026-11', progress: '包案领导约见信访人。' }), 201);
    assert.equal(entry.petition_id, r.id);
    assert.match(entry.author_name, /何晓东/);
    let bad = await c.clerk1.post(P, { petition_id: r.id, month: '2026-11', progress: '重复' });
    assertError(bad, 400, 'invalid');
    assert.ok(bad.json.error.fields.month);
    bad = await c.clerk1.post(P, { petition_id: r.id, month: '2026-13', progress: 'x' });
    assertError(bad, 400, 'invalid');
    bad = await c.clerk2.post(P, { petition_id: r.id, month: '2026-12', progress: 'x' });
    assertError(bad, 400, 'invalid');
    assert.ok(bad.json.error.fields.petition_id, 'another unit\'s petition is none of theirs');
    const plain = await handling();
    bad = await c.clerk1.post(P, { petition_id: plain.id, month: '2026-11', progress: 'x' });
    assertError(bad, 400, 'invalid');
    assert.ok(bad.json.error.fields.petition_id, 'progress is kept for backlog cases');
    ok(await c.office.post(P, { petition_id: r.id, month: '2026-12', progress: '召开协调会。' }), 201);
    const list = ok(await c.clerk1.get(`${P}?petition_id=${r.id}`));
    assert.deepEqual(list.items.map((e) => e.month), ['2026-12', '2026-11']);
    assert.equal(ok(await c.clerk2.get(`${P}?petition_id=${r.id}`)).total, 0);
    assertError(await c.clerk2.get(`${P}/${entry.id}`), 404, 'not_found');

    // 销号: asked by the unit, refused, asked again, approved
    refused(await act(c.office, r, 'approve_clear'), null, /没有待审批的销号申请/);
    assertError(await act(c.clerk1, r, 'request_clear'), 400, 'invalid');
    x = await step(c.clerk1, r, 'request_clear', { note: '已息诉罢访。' });
    assert.equal(x.backlog_state, 'pending');
    assert.equal((await inbox(c.office, 'petition_clear', r.id)).length, 1);
    refused(await act(c.clerk1, r, 'approve_clear'), ['request_extension', 'reply']);
    refused(await act(c.clerk1, r, 'request_clear', { note: '再次' }), null, /只有化解中的积案/);
    assertError(await act(c.office, r, 'refuse_clear'), 400, 'invalid');
    x = await step(c.office, r, 'refuse_clear', { note: '信访人仍有异议。' });
    assert.equal(x.backlog_state, 'open');
    await step(c.clerk1, r, 'request_clear', { note: '已化解。' });
    x = await step(c.office, r, 'approve_clear');
    assert.equal(x.backlog_state, 'cleared');
    assert.equal(x.cleared_on, today());
    refused(await act(c.office, r, 'unmark_backlog', { note: '误列' }), null, /不是未销号的积案/);

    // the list filters: 积案 / 已销号
    const ids = async (qs) => ok(await c.office.get(`${PATH}?${qs}&per_page=200`)).items.map((p) => p.id);
    assert.ok((await ids('backlog=1')).includes(r.id));
    assert.ok((await ids('backlog_state=cleared')).includes(r.id));
    assert.ok(!(await ids('backlog_state=open')).includes(r.id));
    assert.ok(!(await ids('backlog=0')).includes(r.id));
    assert.ok((await ids(`backlog_leader_id=${leaderId}`)).includes(r.id));
    // a backlog case removed again (撤销积案, with a confirmation and a reason)
    const m = await handling();
    await step(c.office, m, 'mark_backlog', { leader_id: leaderId });
    x = await step(c.office, m, 'unmark_backlog', { note: '误列为积案。' });
    assert.equal(x.backlog, false);
    assert.equal(x.backlog_leader_id, null);
    assert.ok(!(await ids('backlog=1')).includes(m.id));
});

test('the register\'s metric conditions count what a hand count gives (fixed data of March 2025)', async () => {
    // the demo's year is the last 360 days: March 2025 holds only these
    const mk = (d) => handling({ received: d, routedOn: d, signed: d });
    const a = await mk('2025-03-03'), b = await mk('2025-03-04'), cc = await mk('2025-03-05');
    const d = await register({ received_on: '2025-03-06' });
    await step(c.clerk1, a, 'reply', { outcome: 'unsupported', note: '不予支持。', replied_on: '2025-04-01' });
    await step(c.clerk1, b, 'reply', { outcome: 'support', note: '支持。', replied_on: '2025-04-02' });
    await step(c.office, b, 'request_review', { requested_on: '2025-04-10' });
    await step(c.office, a, 'mark_backlog', { leader_id: leaderId });
    await step(c.office, cc, 'mark_backlog', { leader_id: leaderId });
    await step(c.clerk1, cc, 'request_clear', { note: '已化解。' });
    await step(c.office, cc, 'approve_clear');
    const n = async (qs) => ok(await c.office.get(`${PATH}?received_on_from=2025-03-01&received_on_to=2025-03-31&${qs}`)).total;
    assert.equal(await n(''), 4);
    assert.equal(await n('backlog=1'), 2, '积案数');
    assert.equal(await n('backlog_state=cleared'), 1, '积案化解率 = 1 / 2');
    assert.equal(await n('reviewed=1'), 1, '复查率 = 1 / 2 replied');
    assert.equal(await n('outcome=unsupported'), 1, '不予支持 share = 1 / 2 replied');
    assert.equal(await n('repeat=1'), 0, '重复信访率 = 0 / 4 (no parties in common)');
    assert.equal(d.status, 'registered');
});

test('重复信访: the same person (ID number) on the same matter is linked to the first petition', async () => {
    const party = (id_no) => [{ role: 'petitioner', name: '王建国', id_no, phone: '13912345678' }];
    const ID = '320102196503120011'; // check digit below
    const idno = ID.slice(0, 17) + checkDigit(ID.slice(0, 17));
    const first = await register({ received_on: addDays(today(), -30), matter_type: 'land', parties: party(idno) });
    const got = ok(await c.office.get(`${PATH}/${first.id}`));
    assert.equal(got.parties[0].id_no, `${idno.slice(0, 6)}********${idno.slice(14)}`, 'answered masked');
    const second = await register({ received_on: addDays(today(), -10), matter_type: 'land', parties: party(idno) });
    const other = await register({ received_on: addDays(today(), -5), matter_type: 'labour', parties: party(idno) });
    const third = await register({ matter_type: 'land', parties: party(idno) });
    assert.equal(second.repeat_of, first.id);
    assert.equal(second.repeat_count, 1);
    assert.equal(other.repeat_of, null, 'another matter type is no repeat');
    assert.equal(third.repeat_of, first.id);
    assert.equal(third.repeat_count, 2);
    assert.deepEqual(third.earlier.map((e) => e.id), [first.id, second.id]);
    const rep = ok(await c.office.get(`${PATH}?repeat=1&per_page=200`)).items.map((p) => p.id);
    assert.ok(rep.includes(second.id) && rep.includes(third.id) && !rep.includes(first.id));
});

test('the kind, the entity and the menu entry are served for the generic shell', async () => {
    const k = ok(await c.clerk1.get('/api/v1/kinds/petition'));
    assert.deepEqual(k.states.map((s) => s.code), ['registered', 'accepted', 'routed', 'objected', 'handling',
        'replied', 'reviewing', 'reviewed', 'rechecking', 'closed', 'rejected']);
    assert.deepEqual(k.clocks.map((x) => x.code), ['handle', 'route', 'objection', 'review', 'recheck']);
    assert.ok(k.transitions.find((t) => t.action === 'reject').confirm);
    const d = ok(await c.office.get('/api/v1/entities/petitions'));
    assert.equal(d.kind, 'petition');
    assert.equal(d.can.create, true);
    assert.deepEqual(d.fields.find((f) => f.name === 'status').options.map((o) => o.value), k.states.map((s) => s.code));
    const menu = ok(await c.clerk1.get('/api/v1/menu'));
    const group = menu.groups.find((g) => g.key === 'cases');
    assert.ok(group && group.items.some((i) => i.path === '/petitions' && i.page === 'entity'));
    assert.ok(!ok(await c.auditor.get('/api/v1/menu')).groups.flatMap((g) => g.items).some((i) => i.path === '/petitions'));
});

test('the demo has petitions in every state, overdue, extended, suspended, backlog and cleared', async () => {
    const all = ok(await c.office.get(`${PATH}?per_page=200&sort=received_on`)).items;
    const states = new Set(all.map((x) => x.status));
    for (const s of ['registered', 'accepted', 'routed', 'objected', 'handling', 'replied', 'reviewing', 'rechecking', 'closed', 'rejected'])
        assert.ok(states.has(s), s);
    const count = async (qs) => ok(await c.office.get(`${PATH}?${qs}`)).total;
    assert.ok(await count('overdue=1') > 0);
    assert.ok(await count('extended=1') > 0);
    assert.ok(await count('backlog=1') > 0);
    assert.ok(await count('backlog_state=cleared') > 0);
    assert.ok(await count('backlog_state=pending') > 0);
    for (const o of ['support', 'explain', 'unsupported']) assert.ok(await count(`outcome=${o}`) > 0, o);
    const hearing = all.find((x) => x.status === 'rechecking');
    const rec = ok(await c.office.get(`${PATH}/${hearing.id}`));
    assert.equal(clock(rec, 'recheck').state, 'suspended');
    assert.ok(ok(await c.office.get('/api/v1/petition-progress?per_page=5')).total > 0);
});

function checkDigit(d17) {
    const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let s = 0;
    for (let i = 0; i < 17; i++) s += Number(d17[i]) * w[i];
    return '10X98765432'[s % 11];
}

// The shared strings of an XLSX (stored or deflated zip entries).
function sheetText(buf) {
    const out = [];
    let i = 0;
    while ((i = buf.indexOf('PK\x03\x04', i, 'latin1')) >= 0) {
        const method = buf.readUInt16LE(i + 8), size = buf.readUInt32LE(i + 18);
        const nlen = buf.readUInt16LE(i + 26), xlen = buf.readUInt16LE(i + 28);
        const start = i + 30 + nlen + xlen;
        const data = buf.subarray(start, start + size);
        try { out.push((method === 8 ? inflateRawSync(data) : data).toString('utf8')); } catch { /* skip */ }
        i = start + size;
    }
    return out.join('\n');
}
