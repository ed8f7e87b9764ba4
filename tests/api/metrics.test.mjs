// Register metrics (src/features/metrics, the entity layer's entity_metric.c): on fixed requests
// made here through the API (公共法律服务, the kind with a clock), every metric moves by the hand
// count of what was made — received, closed, on time (clocks stopped within the limit / clocks
// stopped), overdue now, average handling days, the register's own 满意率, counts by state, overdue
// by unit, monthly — and every value equals the total of the list its drill query opens (num and
// den); a unit's clerk sees only the unit's numbers; bad input is 400/404 with zh and en
// messages; the answer costs the same number of queries on small and bigger data.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, ok } from './lib.mjs';
import { actors, today, addDays } from './tasks-lib.mjs';

let srv, c, u;
before(async () => {
    srv = await startServer();
    ({ c, u } = await actors(srv));
});
after(async () => { await srv.stopAndCheck(); });

const PATH = '/api/v1/legal-services';
const FROM = addDays(today(), -40);
const PERIOD = `from=${FROM}&to=${today()}`;
const LATE = addDays(today(), -20); // legal aid: 7 days, so a request received then is overdue

async function register(received_on) {
    return ok(await c.office.post(PATH, {
        received_on, channel: 'hotline', service_type: 'legal_aid',
        parties: [{ role: 'applicant', name: '指标测试' }], summary: '统计指标测试事项。',
    }), 201);
}
async function act(who, rec, action, body = {}) {
    const cur = ok(await c.office.get(`${PATH}/${rec.id}`));
    return ok(await who.post(`${PATH}/${rec.id}/actions/${action}`, { version: cur.version, ...body }));
}
async function metrics(who, q = '') {
    return ok(await who.get(`/api/v1/metrics/legal_services?${PERIOD}${q}`));
}
const item = (m, code) => m.items.find((i) => i.code === code);
const state = (m, s) => m.by_state.find((x) => x.status === s).n;
const unitN = (m, id) => (m.overdue_by_unit.find((x) => x.unit_id === id) || { n: 0 }).n;

/** Every value equals the total of the list its drill query opens, as the same caller. */
async function drillsMatch(who, m) {
    const total = async (q) => ok(await who.get(`${PATH}?${q}&per_page=1`)).total;
    for (const i of m.items) {
        assert.equal(await total(i.drill), i.num, `${i.code}: num = its list`);
        if (i.type === 'rate') assert.equal(await total(i.den_drill), i.den, `${i.code}: den = its list`);
    }
    for (const s of m.by_state) assert.equal(await total(s.drill), s.n, `state ${s.status}`);
    for (const x of m.overdue_by_unit) assert.equal(await total(x.drill), x.n, `overdue of unit ${x.unit_id}`);
    for (const x of m.monthly) {
        assert.equal(await total(x.drill_received), x.received, `${x.month} received`);
        assert.equal(await total(x.drill_closed), x.closed, `${x.month} closed`);
    }
}

test('registers with metrics are listed for those who read them', async () => {
    const list = ok(await c.office.get('/api/v1/metrics')).items;
    const ls = list.find((e) => e.name === 'legal_services');
    assert.deepEqual(ls, { name: 'legal_services', title: '公共法律服务', zh: '公共法律服务',
        en: 'Public legal services', path: '/legal-services', kind: 'legal_service' });
    // the system administrator reads no register
    assert.equal(ok(await c.sysadmin.get('/api/v1/metrics')).items.length, 0);
    assertError(await c.sysadmin.get(`/api/v1/metrics/legal_services?${PERIOD}`), 403, 'forbidden');
});

test('every metric moves by the hand count of fixed requests, and equals its drill list', async () => {
    const before = await metrics(c.office);
    const cjBefore = await metrics(c.office, `&unit_id=${u.cgjd.id}`);
    // A: on time — received today, handled today, visited (5: satisfied)
    const a = await register(today());
    await act(c.office, a, 'assign', { unit_id: u.sfj.id });
    await act(c.clerk1, a, 'accept');
    await act(c.clerk1, a, 'complete', { note: '已办结。' });
    await act(c.office, a, 'visit', { satisfaction: 5 });
    // B: late — received 20 days ago, completed today (past its 7 days), visited (2: not satisfied)
    const b = await register(LATE);
    await act(c.office, b, 'assign', { unit_id: u.sfj.id });
    await act(c.clerk1, b, 'accept');
    await act(c.clerk1, b, 'complete', { note: '已办结。' });
    await act(c.office, b, 'visit', { satisfaction: 2 });
    // C: overdue now — received 20 days ago, still in progress at 城关街道
    const cc = await register(LATE);
    await act(c.office, cc, 'assign', { unit_id: u.cgjd.id });
    await act(c.clerk2, cc, 'accept');
    // D: in time — received today, assigned
    const d = await register(today());
    await act(c.office, d, 'assign', { unit_id: u.cgjd.id });
    // E: cancelled 20 days after it was received (its clock stops late)
    const e = await register(LATE);
    await act(c.office, e, 'cancel', { note: '申请人撤回。' });

    const after = await metrics(c.office);
    const delta = (code, k = 'num') => item(after, code)[k] - item(before, code)[k];
    assert.equal(delta('received'), 5);
    assert.equal(delta('closed'), 3, 'closed and cancelled are final');
    assert.equal(delta('on_time'), 1, 'A only');
    assert.equal(delta('on_time', 'den'), 3, 'A, B and E stopped');
    assert.equal(delta('overdue'), 1, 'C');
    assert.equal(delta('avg_days'), 3);
    assert.equal(item(after, 'avg_days').sum - item(before, 'avg_days').sum, 0 + 20 + 20);
    assert.equal(delta('satisfaction'), 1);
    assert.equal(delta('satisfaction', 'den'), 2);
    const on = item(after, 'on_time');
    assert.equal(on.value, Math.round((1000 * on.num) / on.den) / 10, 'a rate is num / den in %');
    assert.equal(on.type, 'rate');
    assert.ok(on.hint.length > 5);
    for (const [s, n] of [['closed', 2], ['cancelled', 1], ['accepted', 1], ['assigned', 1]])
        assert.equal(state(after, s) - state(before, s), n, `state ${s}`);
    assert.equal(unitN(after, u.cgjd.id) - unitN(before, u.cgjd.id), 1);
    const months = (m) => m.monthly.reduce((s, x) => s + x.received, 0);
    assert.equal(months(after) - months(before), 5);
    assert.equal(after.monthly[0].month, FROM.slice(0, 7));
    assert.equal(after.monthly.at(-1).month, today().slice(0, 7));
    await drillsMatch(c.office, after);

    // one unit: 城关街道 got C and D
    const cj = await metrics(c.office, `&unit_id=${u.cgjd.id}`);
    assert.equal(item(cj, 'received').num - item(cjBefore, 'received').num, 2);
    assert.equal(item(cj, 'overdue').num - item(cjBefore, 'overdue').num, 1);
    assert.ok(cj.items[0].drill.includes(`metric_unit=${u.cgjd.id}`));
    await drillsMatch(c.office, cj);
    // a unit and the units below it: the district's top unit holds them all
    const sfj = ok(await c.office.get(`/api/v1/units/${u.sfj.id}`));
    const top = await metrics(c.office, `&unit_id=${sfj.parent_id}&subtree=1`);
    assert.ok(top.items[0].drill.includes('metric_subtree=1'));
    assert.ok(item(top, 'received').num >= item(cj, 'received').num);
    await drillsMatch(c.office, top);
    // the English labels
    const en = ok(await c.office.get(`/api/v1/metrics/legal_services?${PERIOD}`, { headers: { 'Accept-Language': 'en' } }));
    assert.equal(item(en, 'on_time').label, 'On-time rate');
});

test('scope: a unit clerk sees only its unit\'s numbers', async () => {
    const office = await metrics(c.office, `&unit_id=${u.sfj.id}`);
    const clerk = await metrics(c.clerk1);
    for (const i of clerk.items)
        assert.equal(i.num, item(office, i.code).num, `${i.code}: clerk1 = the office's 区司法局`);
    assert.ok(clerk.overdue_by_unit.every((x) => x.unit_id === u.sfj.id));
    await drillsMatch(c.clerk1, clerk);
    // another unit asked for by the clerk: nothing of it is counted
    const other = await metrics(c.clerk1, `&unit_id=${u.cgjd.id}`);
    assert.ok(other.items.every((i) => i.num === 0), JSON.stringify(other.items));
});

test('bad input is 400 (zh and en), an unknown register 404; the drill filter is checked', async () => {
    for (const q of ['from=2026-13-01', 'to=2026/01/01', 'from=2026-02-01&to=2026-01-01',
        'from=2020-01-01&to=2026-12-31', 'unit_id=abc', 'unit_id=99999999', 'subtree=maybe']) {
        const r = await c.office.get(`/api/v1/metrics/legal_services?${q}`);
        assertError(r, 400, 'invalid');
        assert.ok(Object.keys(r.json.error.fields).length === 1, `${q}: ${r.text}`);
    }
    const long = await c.office.get('/api/v1/metrics/legal_services?from=2020-01-01&to=2026-12-31',
        { headers: { 'Accept-Language': 'en' } });
    assert.equal(long.json.error.fields.to, 'The period cannot be longer than 5 years');
    const zh = await c.office.get('/api/v1/metrics/legal_services?from=2020-01-01&to=2026-12-31');
    assert.equal(zh.json.error.fields.to, '统计期间不能超过 5 年');
    assertError(await c.office.get('/api/v1/metrics/no_such'), 404, 'not_found');
    assertError(await c.office.get('/api/v1/metrics/users'), 404, 'not_found');
    for (const q of ['metric=nope', 'metric_from=2026-01-01', 'metric=received&metric_part=den',
        'metric=on_time&metric_part=x', 'metric=received&metric_from=2026-1-1',
        'metric=received&metric_state=nope', 'metric=received&metric_unit=x'])
        assertError(await c.office.get(`${PATH}?${q}`), 400, 'invalid');
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

test('the answer is a fixed number of queries whatever the data', async () => {
    const cost = async (q) => {
        let best = Infinity; // a cache refill (data versions, sessions) may add one: take the fewer
        for (let i = 0; i < 2; i++) {
            const r = await c.office.get(`/api/v1/metrics/legal_services?${q}`);
            ok(r);
            best = Math.min(best, await queriesOf(r));
        }
        return best;
    };
    const empty = await cost('from=2001-01-01&to=2001-12-31'); // nothing received then
    const full = await cost(PERIOD);
    const unit = await cost(`${PERIOD}&unit_id=${u.sfj.id}&subtree=1`);
    assert.equal(full, empty, 'no query per record, state, unit or month');
    assert.ok(unit <= empty + 1, 'the unit is checked once');
    assert.ok(empty <= 8, `${empty} queries`);
});
