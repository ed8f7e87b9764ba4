// Path values are exact (issue 8, point 9): an id is canonical decimal and a key or an action
// name is matched whole. libmicrohttpd unescapes the path, and %00 used to cut the C string the
// router saw, so `/units/10%00abc` opened unit 10 and `/settings/site.name%00junk` changed
// site.name; strtoll let ` 10`, `+10` and `010` through. Each of those is 404 now and changes
// nothing, and the canonical forms still work. Query integers follow the same rule: `?page=+1`,
// `?page=01` and `?unit_id=%2010` are 400 with a field message, not page 1 or unit 10.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, ok, listAll } from './lib.mjs';
import { actors, createTask } from './tasks-lib.mjs';

let srv, c, u;
before(async () => {
    srv = await startServer();
    ({ c, u } = await actors(srv, ['office', 'sysadmin', 'auditor']));
});
after(async () => { await srv.stopAndCheck(); });

test('ids: canonical decimal opens the row; %20, +, leading zeros, %00 and suffixes are 404', async () => {
    const units = await listAll(c.office, '/api/v1/units');
    const unit = units.find((x) => x.id >= 10) || units.at(-1);
    const id = unit.id;
    assert.equal(ok(await c.office.get(`/api/v1/units/${id}`)).id, id);
    for (const p of [`%20${id}`, `+${id}`, `%2B${id}`, `0${id}`, `00${id}`, `${id}%00abc`, `${id}%00`,
        `${id}%20`, `${id}abc`, `${id}.0`, `-${id}`, '0']) {
        assertError(await c.office.get(`/api/v1/units/${p}`), 404, 'not_found', `/units/${p}`);
    }
    // the same rule everywhere an id is a path segment (writes included): nothing changes
    const before = ok(await c.office.get(`/api/v1/units/${id}`));
    assertError(await c.office.put(`/api/v1/units/0${id}`, { name: '改名', version: before.version }), 404, 'not_found');
    assertError(await c.office.put(`/api/v1/units/${id}%00x`, { name: '改名', version: before.version }), 404, 'not_found');
    assert.deepEqual(ok(await c.office.get(`/api/v1/units/${id}`)), before);
});

test('setting keys are exact: PUT /settings/site.name%00junk is 404 and site.name is unchanged', async () => {
    const all = ok(await c.sysadmin.get('/api/v1/settings')).items;
    const site = all.find((s) => s.key === 'site.name');
    for (const key of ['site.name%00junk', 'site.name%00', 'site.name%20', '%20site.name', 'SITE.NAME']) {
        assertError(await c.sysadmin.put(`/api/v1/settings/${key}`, { value: '被篡改', version: site.version }),
            404, 'not_found', key);
    }
    const now = ok(await c.sysadmin.get('/api/v1/settings')).items.find((s) => s.key === 'site.name');
    assert.deepEqual(now, site);
    // the exact key still works
    const j = ok(await c.sysadmin.put('/api/v1/settings/site.name', { value: '测试平台', version: site.version }));
    assert.equal(j.value, '测试平台');
});

test('action names are exact: …/actions/issue%00 is 404 and the draft stays a draft; …/actions/issue issues it', async () => {
    const t = await createTask(c.office, { lead_unit_id: u.sfj.id });
    for (const a of ['issue%00', 'issue%00x', 'issue%20', 'ISSUE']) {
        assertError(await c.office.post(`/api/v1/tasks/${t.id}/actions/${a}`, { version: t.version, note: '下发' }),
            404, 'not_found', a);
    }
    assertError(await c.office.post(`/api/v1/tasks/0${t.id}/actions/issue`, { version: t.version, note: '下发' }),
        404, 'not_found');
    const still = ok(await c.office.get(`/api/v1/tasks/${t.id}`));
    assert.equal(still.status, 'draft');
    assert.equal(still.version, t.version);
    const issued = ok(await c.office.post(`/api/v1/tasks/${t.id}/actions/issue`, { version: t.version, note: '下发' }));
    assert.equal(issued.status, 'issued');
});

test('query values keep %00 as text instead of cutting the value', async () => {
    // ?per_page=20%00junk used to read as 20; now it is not a number
    assertError(await c.office.get('/api/v1/units?per_page=20%00junk'), 400, 'invalid');
    ok(await c.office.get('/api/v1/units?per_page=20'));
});

test('query integers are canonical decimal: +1, 01, %2010, 1e2, 0x1, 1.0 and 10abc are 400 naming the field', async () => {
    const units = await listAll(c.office, '/api/v1/units');
    const id = (units.find((x) => x.id >= 10) || units.at(-1)).id;
    ok(await c.office.get('/api/v1/tasks?page=1&per_page=5'));
    ok(await c.office.get(`/api/v1/tasks?unit_id=${id}&per_page=5`));
    ok(await c.office.get('/api/v1/documents?year=2026'));
    const cases = [
        ['/api/v1/tasks?page=+1', 'page'], ['/api/v1/tasks?page=%2B1', 'page'], ['/api/v1/tasks?page=01', 'page'],
        ['/api/v1/tasks?page=%201', 'page'], ['/api/v1/tasks?page=1%20', 'page'], ['/api/v1/tasks?per_page=1e2', 'per_page'],
        ['/api/v1/tasks?per_page=0x10', 'per_page'], ['/api/v1/tasks?per_page=10.0', 'per_page'], ['/api/v1/tasks?page=-0', 'page'],
        [`/api/v1/tasks?unit_id=%20${id}`, 'unit_id'], [`/api/v1/tasks?unit_id=0${id}`, 'unit_id'], [`/api/v1/tasks?unit_id=${id}abc`, 'unit_id'],
        [`/api/v1/tasks?unit_id=${id}%00`, 'unit_id'], ['/api/v1/documents?year=+2026', 'year'], ['/api/v1/notifications?page=01', 'page'],
    ];
    for (const [path, field] of cases) {
        const e = assertError(await c.office.get(path), 400, 'invalid', path);
        assert.match(e.fields[field], /十进制整数/, `${path}: ${JSON.stringify(e.fields)}`);
    }
    const en = assertError(await c.office.get('/api/v1/tasks?page=+1', { headers: { 'Accept-Language': 'en' } }), 400, 'invalid');
    assert.match(en.fields.page, /decimal integer/);
    // canonical but out of range: its own message
    for (const path of ['/api/v1/tasks?page=0', '/api/v1/tasks?per_page=201', '/api/v1/tasks?page=-1']) {
        const e = assertError(await c.office.get(path), 400, 'invalid', path);
        assert.match(Object.values(e.fields)[0], /超出范围/, path);
    }
});
