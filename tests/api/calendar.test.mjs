// Working-day calendar (工作日历): read, compute with explanations (国庆节 2026 with the Saturday
// make-up day), exception CRUD with versions, all-or-nothing CSV import, permissions, audit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, ok } from './lib.mjs';

let srv, admin, clerk, leader, office, auditor;
before(async () => {
    srv = await startServer();
    admin = await srv.login('sysadmin');
    clerk = await srv.login('clerk1');
    leader = await srv.login('leader');
    office = await srv.login('office');
    auditor = await srv.login('auditor');
});
after(async () => { await srv.stopAndCheck(); });

const NATIONAL_DAY_2026 = [
    'date,kind,name',
    ...['01', '02', '03', '04', '05', '06', '07'].map((d) => `2026-10-${d},holiday,国庆节`),
    '2026-09-25,休,中秋节',
    '2026-09-26,休,中秋节',
    '2026-09-27,休,中秋节',
    '2026-09-20,班,国庆节调休',
    '2026-10-10,workday,国庆节调休',
].join('\n') + '\n';

async function importYear(c, year, csv) {
    return c.post('/api/v1/calendar/import', { year, csv });
}

async function audited(action, objectId) {
    const j = ok(await auditor.get(`/api/v1/audit?action=${action}&object_id=${encodeURIComponent(objectId)}`));
    return j.total;
}

test('import 2026 and compute the 国庆 example: add and count, with the explanation', async () => {
    const j = ok(await importYear(admin, 2026, NATIONAL_DAY_2026));
    assert.equal(j.year, 2026);
    assert.equal(j.items.length, 12);
    assert.deepEqual(j.items.find((x) => x.date === '2026-10-10'),
        { date: '2026-10-10', kind: 'workday', name: '国庆节调休', version: j.items.find((x) => x.date === '2026-10-10').version });
    assert.equal(j.items.find((x) => x.date === '2026-09-25').kind, 'holiday', '休 → holiday');
    assert.ok(await audited('calendar.import', '2026') >= 1, 'calendar.import audited');

    const want = { 1: '2026-10-08', 2: '2026-10-09', 3: '2026-10-10', 4: '2026-10-12', 5: '2026-10-13' };
    for (const [add, date] of Object.entries(want)) {
        const r = ok(await clerk.get(`/api/v1/calendar/compute?from=2026-09-30&add=${add}`));
        assert.equal(r.date, date, `add ${add}`);
        assert.equal(r.from, '2026-09-30');
        assert.equal(r.add, Number(add));
    }
    const five = ok(await clerk.get('/api/v1/calendar/compute?from=2026-09-30&add=5'));
    assert.equal(five.explanation,
        '自 2026-09-30 起 5 个工作日，跳过 国庆节 10-01至10-07（7天），10-10（调休上班）计入，截止 2026-10-13');
    const en = ok(await leader.get('/api/v1/calendar/compute?from=2026-09-30&add=5',
        { headers: { 'Accept-Language': 'en' } }));
    assert.match(en.explanation, /National Day 10-01 to 10-07 \(7 days\)/);
    assert.match(en.explanation, /10-10 \(make-up working day\) counted/);

    const cnt = ok(await leader.get('/api/v1/calendar/compute?from=2026-09-30&to=2026-10-12'));
    assert.equal(cnt.working_days, 4);
    assert.equal(cnt.to, '2026-10-12');
    assert.match(cnt.explanation, /国庆节 10-01至10-07（7天）/);
    assert.match(cnt.explanation, /10-10（调休上班）计入/);
    assert.equal(ok(await leader.get('/api/v1/calendar/compute?from=2026-09-30&to=2026-10-07')).working_days, 0);
    // 中秋 then 国庆: both named; 09-20 (Sunday) worked
    const mid = ok(await leader.get('/api/v1/calendar/compute?from=2026-09-18&add=1'));
    assert.equal(mid.date, '2026-09-20');
    const both = ok(await leader.get('/api/v1/calendar/compute?from=2026-09-24&add=6'));
    assert.match(both.explanation, /中秋节 09-25至09-27（3天）/);
    assert.match(both.explanation, /国庆节 10-01至10-07（7天）/);
});

test('compute days=N: N 日 from the day after `from`; a last day on a holiday or rest day moves to the next working day', async () => {
    ok(await importYear(admin, 2026, NATIONAL_DAY_2026));
    // 60 日 from 08-02: the last day 10-01 is 国庆节 (10-01…10-07) → 10-08
    const j = ok(await clerk.get('/api/v1/calendar/compute?from=2026-08-02&days=60'));
    assert.deepEqual([j.from, j.days, j.last_day, j.date], ['2026-08-02', 60, '2026-10-01', '2026-10-08']);
    assert.equal(j.explanation, '2026-08-02 起算，60 日，末日 10-01 为法定节假日（国庆节），顺延至 2026-10-08');
    const en = ok(await leader.get('/api/v1/calendar/compute?from=2026-08-02&days=60',
        { headers: { 'Accept-Language': 'en' } }));
    assert.match(en.explanation, /the last day 10-01 is a public holiday \(National Day\), moved to 2026-10-08/);
    // a weekend: 11-07 is a Saturday → Monday 11-09
    const sat = ok(await clerk.get('/api/v1/calendar/compute?from=2026-11-06&days=1'));
    assert.deepEqual([sat.last_day, sat.date], ['2026-11-07', '2026-11-09']);
    assert.match(sat.explanation, /末日 11-07 为休息日，顺延至 2026-11-09/);
    // a 调休 make-up working day (Sunday 09-20) is a working day: the period ends on it
    const makeup = ok(await clerk.get('/api/v1/calendar/compute?from=2026-09-10&days=10'));
    assert.deepEqual([makeup.last_day, makeup.date], ['2026-09-20', '2026-09-20']);
    assert.match(makeup.explanation, /截止 2026-09-20$/);
    // 工作日 (add) and 日 (days) differ on the same start
    assert.equal(ok(await clerk.get('/api/v1/calendar/compute?from=2026-09-30&add=5')).date, '2026-10-13');
    assert.equal(ok(await clerk.get('/api/v1/calendar/compute?from=2026-09-30&days=5')).date, '2026-10-08');
    for (const [q, field] of [['&days=-1', 'days'], ['&days=3661', 'days'], ['&days=x', 'days'],
        ['&days=3&add=3', 'days'], ['&days=3&to=2026-10-01', 'days']]) {
        const e = assertError(await clerk.get(`/api/v1/calendar/compute?from=2026-09-30${q}`), 400, 'invalid', q);
        assert.ok(e.fields[field], `${q}: fields.${field} in ${JSON.stringify(e.fields)}`);
    }
});

test('compute input is validated (400 invalid with fields)', async () => {
    const bad = [
        ['', 'from'],
        ['?add=3', 'from'],
        ['?from=2026-02-30&add=1', 'from'],
        ['?from=2026-09-30', 'add'],
        ['?from=2026-09-30&add=1&to=2026-10-01', 'add'],
        ['?from=2026-09-30&add=-1', 'add'],
        ['?from=2026-09-30&add=100000', 'add'],
        ['?from=2026-09-30&add=x', 'add'],
        ['?from=2026-09-30&to=2026-13-01', 'to'],
        ['?from=2000-01-01&to=2026-01-01', 'to'],
    ];
    for (const [q, field] of bad) {
        const e = assertError(await clerk.get(`/api/v1/calendar/compute${q}`), 400, 'invalid', q);
        assert.ok(e.fields[field], `${q}: fields.${field} in ${JSON.stringify(e.fields)}`);
    }
});

test('anyone signed in reads the calendar; nobody without a session', async () => {
    for (const c of [clerk, leader, office, auditor]) {
        const j = ok(await c.get('/api/v1/calendar?year=2026'));
        assert.equal(j.year, 2026);
        assert.ok(Array.isArray(j.items));
        for (const it of j.items) for (const k of ['date', 'kind', 'name', 'version']) assert.ok(k in it, k);
    }
    const now = ok(await clerk.get('/api/v1/calendar'));
    assert.equal(typeof now.year, 'number', 'current year by default');
    assertError(await clerk.get('/api/v1/calendar?year=12'), 400, 'invalid');
    assertError(await srv.client().get('/api/v1/calendar?year=2026'), 401, 'unauthenticated');
    assertError(await srv.client().get('/api/v1/calendar/compute?from=2026-09-30&add=1'), 401, 'unauthenticated');
});

test('writes need calendar.manage: clerk, office and leader get 403 and change nothing', async () => {
    const before = ok(await admin.get('/api/v1/calendar?year=2026'));
    for (const c of [clerk, office, leader]) {
        assertError(await c.put('/api/v1/calendar/days/2026-12-28', { kind: 'holiday', name: 'x' }), 403, 'forbidden');
        assertError(await c.del('/api/v1/calendar/days/2026-10-01?version=1'), 403, 'forbidden');
        assertError(await importYear(c, 2026, 'date,kind,name\n'), 403, 'forbidden');
    }
    assert.deepEqual(ok(await admin.get('/api/v1/calendar?year=2026')), before);
});

test('PUT creates (201) then changes with version (200); stale version 409; DELETE with version', async () => {
    const day = '2031-05-02'; // a Friday
    assert.equal(new Date(`${day}T00:00:00Z`).getUTCDay(), 5);
    let r = await admin.put(`/api/v1/calendar/days/${day}`, { kind: 'holiday', name: '测试假日' });
    const a = ok(r, 201);
    assert.equal(a.date, day);
    assert.equal(a.kind, 'holiday');
    assert.equal(a.name, '测试假日');
    assert.equal(a.version, 1);
    assert.ok(a.created_at && a.updated_at);
    assert.ok(await audited('calendar.update', day) >= 1, 'calendar.update audited');
    assert.equal(ok(await clerk.get(`/api/v1/calendar/compute?from=2031-05-01&add=1`)).date, '2031-05-05');

    // exists: version required, stale answers 409 and changes nothing
    let e = assertError(await admin.put(`/api/v1/calendar/days/${day}`, { kind: 'holiday', name: 'y' }), 400, 'invalid');
    assert.ok(e.fields.version);
    const b = ok(await admin.put(`/api/v1/calendar/days/${day}`, { kind: '休', name: '改名', version: 1 }));
    assert.equal(b.version, 2);
    assert.equal(b.name, '改名');
    assertError(await admin.put(`/api/v1/calendar/days/${day}`, { kind: 'holiday', name: 'z', version: 1 }), 409, 'stale_version');
    const year = ok(await admin.get('/api/v1/calendar?year=2031'));
    assert.deepEqual(year.items, [{ date: day, kind: 'holiday', name: '改名', version: 2 }]);

    assertError(await admin.del(`/api/v1/calendar/days/${day}?version=1`), 409, 'stale_version');
    e = assertError(await admin.del(`/api/v1/calendar/days/${day}`), 400, 'invalid');
    assert.ok(e.fields.version);
    ok(await admin.del(`/api/v1/calendar/days/${day}?version=2`));
    assert.ok(await audited('calendar.delete', day) >= 1, 'calendar.delete audited');
    assertError(await admin.del(`/api/v1/calendar/days/${day}?version=2`), 404, 'not_found');
    assert.deepEqual(ok(await admin.get('/api/v1/calendar?year=2031')).items, []);
    // a version for a row that is gone: someone else removed it
    assertError(await admin.put(`/api/v1/calendar/days/${day}`, { kind: 'holiday', version: 2 }), 409, 'stale_version');
});

test('PUT validation: kind, make-up day on a weekday, name length, bad date → 400, nothing stored', async () => {
    const cases = [
        ['2031-06-02', { kind: 'vacation' }, 'kind'],
        ['2031-06-02', {}, 'kind'],
        ['2031-06-02', { kind: 'workday', name: '周一上班' }, 'kind'], // Monday
        ['2031-06-02', { kind: 'holiday', name: '名'.repeat(51) }, 'name'],
        ['2031-06-02', { kind: 'holiday', version: 'one' }, 'version'],
        ['2031-02-29', { kind: 'holiday' }, 'date'],
        ['20310601', { kind: 'holiday' }, 'date'],
    ];
    for (const [day, body, field] of cases) {
        const e = assertError(await admin.put(`/api/v1/calendar/days/${day}`, body), 400, 'invalid', `${day} ${JSON.stringify(body)}`);
        assert.ok(e.fields[field], `fields.${field} in ${JSON.stringify(e.fields)}`);
    }
    assertError(await admin.put('/api/v1/calendar/days/2031-06-02', 'kind=holiday', { headers: { 'Content-Type': 'text/plain' } }), 415, 'unsupported_media_type');
    assert.deepEqual(ok(await admin.get('/api/v1/calendar?year=2031')).items, []);
    // a make-up day on a Saturday is fine
    ok(await admin.put('/api/v1/calendar/days/2031-06-07', { kind: 'workday', name: '调休' }), 201);
});

test('import is all or nothing: a bad row is reported by its row number and nothing changes', async () => {
    const good = 'date,kind,name\n2032-01-01,holiday,元旦\n2032-02-07,班,春节调休\n';
    const first = ok(await importYear(admin, 2032, good));
    assert.deepEqual(first.items.map((x) => [x.date, x.kind, x.name, x.version]),
        [['2032-01-01', 'holiday', '元旦', 1], ['2032-02-07', 'workday', '春节调休', 1]]);

    const bad = [
        // [csv, [rows expected in fields.rows]]
        ['date,kind,name\n2032-05-03,holiday,劳动节\n2032-05-04,holiday,劳动节\n2032-05-35,holiday,劳动节\n', [4]],
        ['date,kind,name\n2031-12-31,holiday,x\n', [2]],
        ['date,kind,name\n2032-05-03,holiday,a\n2032-05-03,holiday,b\n', [3]],
        ['date,kind,name\n2032-05-03,rest,a\n', [2]],
        ['date,kind,name\n2032-05-03,workday,a\n', [2]], // a Monday cannot be a make-up day
        ['date,kind,name\n2032-05-03,holiday\n', [2]],
        ['2032-05-03,holiday,劳动节\n', [1]], // header required
        ['', [1]],
    ];
    for (const [csv, rows] of bad) {
        const e = assertError(await importYear(admin, 2032, csv), 400, 'invalid', JSON.stringify(csv));
        assert.ok(Array.isArray(e.fields.rows), JSON.stringify(e.fields));
        assert.deepEqual(e.fields.rows.map((x) => x.row), rows, JSON.stringify(csv));
        for (const x of e.fields.rows) assert.ok(typeof x.message === 'string' && x.message.length > 0);
    }
    const en = assertError(await admin.post('/api/v1/calendar/import', { year: 2032, csv: 'date,kind,name\n2032-13-01,holiday,x\n' },
        { headers: { 'Accept-Language': 'en' } }), 400, 'invalid');
    assert.match(en.fields.rows[0].message, /Invalid date/);
    assert.deepEqual(ok(await admin.get('/api/v1/calendar?year=2032')), first, 'unchanged after bad imports');

    for (const [body, field] of [[{ csv: good }, 'year'], [{ year: 2032 }, 'csv'], [{ year: 2032, csv: 5 }, 'csv'], [{ year: 99, csv: good }, 'year']]) {
        const e = assertError(await admin.post('/api/v1/calendar/import', body), 400, 'invalid');
        assert.ok(e.fields[field], `fields.${field}`);
    }

    // replacing the year: dates that stay get version + 1, dropped dates vanish
    const again = ok(await importYear(admin, 2032, 'date,kind,name\n"2032-01-01",holiday,"元旦, 新年"\n'));
    assert.deepEqual(again.items, [{ date: '2032-01-01', kind: 'holiday', name: '元旦, 新年', version: 2 }]);
    // other years are untouched
    assert.equal(ok(await admin.get('/api/v1/calendar?year=2026')).items.length, 12);
});
