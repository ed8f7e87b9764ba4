// 公共法律服务 (12348) requests — the engine's second kind, built from declarations only
// (src/features/legalservice): a request registered by the centre walks 登记 → 分派 → 受理 → 办结 →
// 回访 as the accounts whose turn it is; the wrong role or state is refused with 409 and the
// actions possible now; bad input is 400 with field messages; a unit's clerk sees only the
// requests assigned to the unit (list, get, export, count); the handling time limit follows the
// type's settings (法律援助 7 日, 咨询 1 工作日); the list exports to XLSX.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { inflateRawSync } from 'node:zlib';
import { startServer, assertError, ok } from './lib.mjs';
import { actors, today, addDays } from './tasks-lib.mjs';

let srv, c, u;
before(async () => {
    srv = await startServer();
    ({ c, u } = await actors(srv));
});
after(async () => { await srv.stopAndCheck(); });

const PATH = '/api/v1/legal-services';

async function register(body = {}) {
    return ok(await c.office.post(PATH, {
        received_on: today(), channel: 'hotline', service_type: 'legal_aid',
        parties: [{ role: 'applicant', name: '王建国', phone: '13912345678' }],
        summary: '工伤赔偿纠纷，申请法律援助。', ...body,
    }), 201);
}

async function act(who, rec, action, body = {}) {
    const cur = ok(await c.office.get(`${PATH}/${rec.id}`));
    return who.post(`${PATH}/${rec.id}/actions/${action}`, { version: cur.version, ...body });
}

function refused(r, allowed) {
    assertError(r, 409, 'invalid_transition');
    if (allowed) assert.deepEqual([...r.json.error.fields.allowed_actions].sort(), [...allowed].sort());
}

test('a request walks every state as the right accounts; wrong role or state is 409', async () => {
    const r = await register();
    assert.match(r.request_no, /^GF\d{4}-\d{6}$/);
    assert.equal(r.status, 'received');
    assert.equal(r.parties[0].phone, '139****5678', 'the applicant\'s phone is answered masked');
    assert.equal(r.parties[0].name, '王*国', 'and the name');
    assert.deepEqual([...r.allowed_actions].sort(), ['assign', 'cancel']);
    // not yet assigned: the unit's clerk does not see it at all
    assertError(await c.clerk1.get(`${PATH}/${r.id}`), 404, 'not_found');
    // the clerk holds no manage: assigning is not theirs (404 as they cannot see it)
    assertError(await act(c.clerk1, r, 'assign', { unit_id: u.sfj.id }), 404, 'not_found');
    // accepting before it is assigned: 409 with what is possible
    refused(await act(c.office, r, 'accept'), ['assign', 'cancel']);

    const inbox = async (who) => ok(await who.get('/api/v1/notifications?per_page=200')).items
        .filter((n) => n.kind === 'legal_service_assigned' && n.link === `/legal-services/${r.id}`);
    assert.equal((await inbox(c.clerk1)).length, 0);
    let x = ok(await act(c.office, r, 'assign', { unit_id: u.sfj.id }));
    assert.equal(x.status, 'assigned');
    assert.equal(x.handling_unit_id, u.sfj.id);
    // the assigned unit's clerk is told, once, with a link to the request; another unit is not
    const told = await inbox(c.clerk1);
    assert.equal(told.length, 1);
    assert.equal(told[0].title, `【12348 新分派】${r.request_no}`);
    assert.equal((await inbox(c.clerk2)).length, 0);
    // the office may not accept for the unit (relation: handling unit)
    refused(await act(c.office, r, 'accept'), ['cancel']);
    // another unit's clerk does not see it
    assertError(await c.clerk2.get(`${PATH}/${r.id}`), 404, 'not_found');
    const seen = ok(await c.clerk1.get(`${PATH}/${r.id}`));
    assert.deepEqual([...seen.allowed_actions].sort(), ['accept', 'return']);

    // 退回 needs a note, then goes back to the centre and out of the unit's sight
    assertError(await act(c.clerk1, r, 'return'), 400, 'invalid');
    x = ok(await act(c.clerk1, r, 'return', { note: '不属于本单位职责，请改派。' }));
    // the answer is read by the caller: after a return the clerk no longer sees it
    assert.deepEqual(x, { id: r.id, allowed_actions: [] });
    x = ok(await c.office.get(`${PATH}/${r.id}`));
    assert.equal(x.status, 'received');
    assert.equal(x.handling_unit_id, null);
    assertError(await c.clerk1.get(`${PATH}/${r.id}`), 404, 'not_found');

    ok(await act(c.office, r, 'assign', { unit_id: u.sfj.id }));
    x = ok(await act(c.clerk1, r, 'accept'));
    assert.equal(x.status, 'accepted');
    assert.ok(x.handler_name, 'whoever accepts handles it');
    // 办结 requires the outcome note
    const bad = await act(c.clerk1, r, 'complete');
    assertError(bad, 400, 'invalid');
    assert.ok(bad.json.error.fields.note);
    x = ok(await act(c.clerk1, r, 'complete', { note: '经审查符合法律援助条件，已指派律师。' }));
    assert.equal(x.status, 'completed');
    assert.equal(x.outcome, '经审查符合法律援助条件，已指派律师。');
    assert.equal(x.clocks[0].state, 'met');
    // 回访 is the centre's: the clerk cannot
    refused(await act(c.clerk1, r, 'visit', { satisfaction: 5 }), []);
    // satisfaction 1–5 required
    let v = await act(c.office, r, 'visit', {});
    assertError(v, 400, 'invalid');
    assert.ok(v.json.error.fields.satisfaction);
    v = await act(c.office, r, 'visit', { satisfaction: 6 });
    assertError(v, 400, 'invalid');
    x = ok(await act(c.office, r, 'visit', { satisfaction: 5, note: '电话回访，满意。' }));
    assert.equal(x.status, 'closed');
    assert.equal(x.satisfaction, 5);
    assert.deepEqual(x.allowed_actions, []);
    refused(await act(c.office, r, 'cancel', { note: '撤销' }), []);
    // a stale version is 409 stale_version
    const stale = await c.office.post(`${PATH}/${r.id}/actions/cancel`, { version: 1, note: 'x' });
    assertError(stale, 409, 'stale_version');
    // an unknown action is 404
    assertError(await act(c.office, r, 'no_such'), 404, 'not_found');
});

test('撤销 by the centre; the leader only reads', async () => {
    const r = await register({ service_type: 'mediation' });
    const leader = ok(await c.leader.get(`${PATH}/${r.id}`));
    assert.deepEqual(leader.allowed_actions, []);
    assertError(await c.leader.post(PATH, { received_on: today() }), 403, 'forbidden');
    refused(await act(c.leader, r, 'cancel', { note: '撤回' }), []);
    const x = ok(await act(c.office, r, 'cancel', { note: '申请人撤回申请。' }));
    assert.equal(x.status, 'cancelled');
    // a cancelled request cannot be edited
    assertError(await c.office.put(`${PATH}/${r.id}`, {
        version: x.version, channel: 'window', summary: 's',
    }), 403, 'forbidden');
});

test('分派 may name the handler: an account of the handling unit, not one of another unit', async () => {
    const me1 = ok(await c.clerk1.get('/api/v1/auth/me')).user;
    const me2 = ok(await c.clerk2.get('/api/v1/auth/me')).user;
    const r = await register();
    // clerk2 works elsewhere: refused by field, nothing changes
    const bad = await act(c.office, r, 'assign', { unit_id: me1.unit_id, handler_id: me2.id });
    assertError(bad, 400, 'invalid');
    assert.ok(bad.json.error.fields.handler_id);
    assert.equal(ok(await c.office.get(`${PATH}/${r.id}`)).status, 'received');
    const x = ok(await act(c.office, r, 'assign', { unit_id: me1.unit_id, handler_id: me1.id }));
    assert.equal(x.status, 'assigned');
    assert.equal(ok(await c.office.get(`${PATH}/${r.id}`)).handler_id, me1.id);
});

test('bad input is 400 with a message per field, and nothing is written', async () => {
    const before = ok(await c.office.get(PATH)).total;
    const r = await c.office.post(PATH, {
        received_on: '2026-13-01', channel: 'fax', service_type: 'x',
        parties: [{ role: 'applicant', name: '', phone: 'abc' }], summary: 'x'.repeat(2001),
    });
    assertError(r, 400, 'invalid');
    const f = r.json.error.fields;
    for (const k of ['received_on', 'channel', 'service_type', 'parties[0].name', 'parties[0].phone',
        'summary'])
        assert.ok(f[k], `${k}: ${JSON.stringify(f)}`);
    assertError(await c.office.post(PATH, { received_on: addDays(today(), 2), channel: 'hotline',
        service_type: 'lawyer', parties: [{ role: 'applicant', name: '张' }], summary: 's' }), 400,
    'invalid');
    // no applicant: 400 on parties
    const none = await c.office.post(PATH, { received_on: today(), channel: 'hotline',
        service_type: 'lawyer', summary: 's' });
    assertError(none, 400, 'invalid');
    assert.ok(none.json.error.fields.parties);
    assert.equal(ok(await c.office.get(PATH)).total, before);
    // an assignment to a unit that does not exist
    const rec = await register();
    const a = await act(c.office, rec, 'assign', { unit_id: 999999 });
    assertError(a, 400, 'invalid');
    assert.ok(a.json.error.fields.unit_id);
});

test('scope: a unit clerk lists, counts, reads and exports only the unit\'s requests', async () => {
    const mine = await register({ summary: '范围测试甲' });
    const other = await register({ summary: '范围测试乙' });
    ok(await act(c.office, mine, 'assign', { unit_id: u.sfj.id }));
    ok(await act(c.office, other, 'assign', { unit_id: u.cgjd.id }));
    const all = ok(await c.clerk1.get(`${PATH}?per_page=200`));
    assert.ok(all.items.length > 0);
    assert.ok(all.items.every((x) => x.handling_unit_id === undefined || x.handling_unit_id === u.sfj.id
        || x.handling_unit_name === '区司法局'), 'only the unit\'s');
    const q = ok(await c.clerk1.get(`${PATH}?q=${encodeURIComponent('范围测试')}`));
    assert.deepEqual(q.items.map((x) => x.id), [mine.id]);
    assert.equal(q.total, 1);
    assertError(await c.clerk1.get(`${PATH}/${other.id}`), 404, 'not_found');
    assertError(await act(c.clerk1, other, 'accept'), 404, 'not_found');
    const office = ok(await c.office.get(`${PATH}?q=${encodeURIComponent('范围测试')}`));
    assert.equal(office.total, 2);
    const xl = await c.clerk1.get(`${PATH}/export.xlsx?q=${encodeURIComponent('范围测试')}`);
    assert.equal(xl.status, 200);
    const text = sheetText(xl.buf);
    assert.match(text, /范围测试甲/);
    assert.doesNotMatch(text, /范围测试乙/);
    assert.match(text, /编号/, 'Chinese headers');
});

test('the handling time limit follows the type\'s settings: 法律援助 7 日, 咨询 1 工作日', async () => {
    const aid = await register({ service_type: 'legal_aid' });
    assert.equal(aid.clocks.length, 1);
    const k = aid.clocks[0];
    assert.equal(k.start_on, today());
    assert.equal(k.period, 7);
    assert.equal(k.unit, 'days');
    assert.ok(k.due_on >= addDays(today(), 7), k.explain);
    assert.equal(aid.due_on, k.due_on, 'the list column is the clock\'s due date');
    const ask = await register({ service_type: 'consultation' });
    assert.equal(ask.clocks[0].period, 1);
    assert.equal(ask.clocks[0].unit, 'workdays');
    // the list sorts by it
    ok(await c.office.get(`${PATH}?sort=due_on`));
    // a changed setting applies to requests registered afterwards
    const s = ok(await c.sysadmin.get('/api/v1/settings'));
    const item = (s.items || s).find((x) => x.key === 'legal_service.days.legal_aid');
    assert.ok(item, 'the time limit is a setting');
    assert.match(item.description, /法律援助法/);
});

test('the kind and the entity are served for the generic shell', async () => {
    const k = ok(await c.clerk1.get('/api/v1/kinds/legal_service'));
    assert.deepEqual(k.states.map((s) => s.code), ['received', 'assigned', 'accepted', 'completed', 'closed', 'cancelled']);
    assert.deepEqual(k.transitions.map((t) => t.action), ['assign', 'accept', 'return', 'complete', 'visit', 'cancel']);
    const d = ok(await c.office.get('/api/v1/entities/legal_services'));
    assert.equal(d.kind, 'legal_service');
    assert.equal(d.can.create, true);
    const status = d.fields.find((f) => f.name === 'status');
    assert.deepEqual(status.options.map((o) => o.value), k.states.map((s) => s.code),
        'the status field\'s options are the kind\'s states');
    const list = ok(await c.office.get('/api/v1/entities'));
    assert.equal(list.items.find((e) => e.name === 'legal_services').kind, 'legal_service');
    const menu = ok(await c.clerk1.get('/api/v1/menu'));
    const item = menu.groups.flatMap((g) => g.items).find((i) => i.path === '/legal-services');
    assert.ok(item && item.page === 'entity');
    const none = ok(await c.auditor.get('/api/v1/menu'));
    assert.ok(!none.groups.flatMap((g) => g.items).some((i) => i.path === '/legal-services'));
});

test('the demo has requests in every state', async () => {
    const all = ok(await c.office.get(`${PATH}?per_page=200`));
    const states = new Set(all.items.map((x) => x.status));
    for (const s of ['received', 'assigned', 'accepted', 'completed', 'closed', 'cancelled'])
        assert.ok(states.has(s), s);
});

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
