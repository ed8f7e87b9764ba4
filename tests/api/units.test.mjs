// Units (机构): kinds, list/filter/sort/paging, tree, CRUD, validation, versions, in_use, limits.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, ok, listAll, uniq } from './lib.mjs';

let srv, c;
before(async () => {
    srv = await startServer();
    c = await srv.login('office');
});
after(async () => { await srv.stopAndCheck(); });

const UNIT_FIELDS = ['id', 'code', 'name', 'short_name', 'kind', 'kind_name', 'parent_id', 'parent_name', 'path',
    'sort_order', 'active', 'created_at', 'updated_at', 'version'];
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

async function create(body, status = 201) {
    const r = await c.post('/api/v1/units', { kind: 'department', ...body });
    return ok(r, status, 'create unit');
}

test('GET /unit-kinds lists the ten kinds with Chinese and English names', async () => {
    const j = ok(await c.get('/api/v1/unit-kinds'));
    const codes = j.items.map((k) => k.code);
    assert.deepEqual(codes.slice().sort(), ['committee', 'court', 'department', 'group', 'office', 'other',
        'procuratorate', 'street', 'township', 'village'].sort());
    const street = j.items.find((k) => k.code === 'street');
    assert.equal(street.name, '街道');
    assert.ok(street.name_en && !/[\u4e00-\u9fff]/.test(street.name_en), 'English name');
    assert.equal(j.items.find((k) => k.code === 'procuratorate').name, '检察院');
});

test('demo data has units; each unit row has the contract fields', async () => {
    const j = ok(await c.get('/api/v1/units'));
    assert.ok(j.total >= 3, `total ${j.total}`);
    assert.ok(j.items.length <= 20, 'default per_page is 20');
    for (const u of j.items) {
        for (const k of UNIT_FIELDS) assert.ok(k in u, `unit.${k} missing`);
        assert.match(u.created_at, ISO);
        assert.match(u.updated_at, ISO);
        assert.equal(typeof u.version, 'number');
    }
    const names = (await listAll(c, '/api/v1/units')).map((u) => u.name);
    assert.ok(names.some((n) => n.includes('司法局')), '区司法局 in demo data');
    assert.ok(names.some((n) => n.includes('城关街道')), '城关街道 in demo data');
});

test('create → 201 with version 1, then GET returns the same row', async () => {
    const code = uniq('u');
    const parent = (await listAll(c, '/api/v1/units')).find((u) => u.parent_id === null);
    const u = await create({ code, name: '测试局', short_name: '测试', kind: 'department', parent_id: parent.id, sort_order: 7 });
    assert.equal(u.code, code);
    assert.equal(u.name, '测试局');
    assert.equal(u.short_name, '测试');
    assert.equal(u.kind, 'department');
    assert.equal(u.kind_name, '政府部门');
    assert.equal(u.parent_id, parent.id);
    assert.equal(u.parent_name, parent.name);
    assert.equal(u.sort_order, 7);
    assert.equal(u.active, true);
    assert.equal(u.version, 1);
    assert.deepEqual(ok(await c.get(`/api/v1/units/${u.id}`)), u);
});

test('create validation: code pattern and length, name length, kind, parent → 400 invalid with fields', async () => {
    const bad = [
        [{ code: '', name: 'x', kind: 'other' }, 'code'],
        [{ code: 'has space', name: 'x', kind: 'other' }, 'code'],
        [{ code: '中文', name: 'x', kind: 'other' }, 'code'],
        [{ code: 'a'.repeat(33), name: 'x', kind: 'other' }, 'code'],
        [{ code: uniq('v'), name: '', kind: 'other' }, 'name'],
        [{ code: uniq('v'), name: '名'.repeat(101), kind: 'other' }, 'name'],
        [{ code: uniq('v'), name: 'x', kind: 'nonsense' }, 'kind'],
        [{ code: uniq('v'), name: 'x' }, 'kind'],
        [{ name: 'x', kind: 'other' }, 'code'],
        [{ code: 12345, name: 'x', kind: 'other' }, 'code'],
        [{ code: uniq('v'), name: 'x', kind: 'other', parent_id: 99999999 }, 'parent_id'],
        [{ code: uniq('v'), name: 'x', kind: 'other', sort_order: 'first' }, 'sort_order'],
    ];
    const before = (await c.get('/api/v1/units')).json.total;
    for (const [body, field] of bad) {
        const e = assertError(await c.post('/api/v1/units', body), 400, 'invalid', JSON.stringify(body).slice(0, 80));
        assert.ok(e.fields && field in e.fields, `fields.${field} for ${JSON.stringify(body).slice(0, 80)}: ${JSON.stringify(e.fields)}`);
    }
    assert.equal((await c.get('/api/v1/units')).json.total, before, 'nothing created');
    // boundaries that must pass
    ok(await c.post('/api/v1/units', { code: 'A'.repeat(32), name: '名'.repeat(100), kind: 'other' }), 201);
    ok(await c.post('/api/v1/units', { code: 'a-b_C9', name: 'x', kind: 'other' }), 201);
});

test('duplicate code → 409 conflict', async () => {
    const code = uniq('dup');
    await create({ code, name: '一' });
    assertError(await c.post('/api/v1/units', { code, name: '二', kind: 'other' }), 409, 'conflict');
});

test('update with the current version → new row with version+1; stale version → 409 and nothing changes', async () => {
    const u = await create({ code: uniq('upd'), name: '原名' });
    const body = { code: u.code, name: '新名', short_name: '新', kind: 'office', parent_id: u.parent_id, sort_order: 3 };
    const u2 = ok(await c.put(`/api/v1/units/${u.id}`, { ...body, version: u.version }));
    assert.equal(u2.name, '新名');
    assert.equal(u2.kind, 'office');
    assert.equal(u2.version, u.version + 1);
    const stale = assertError(await c.put(`/api/v1/units/${u.id}`, { ...body, name: '覆盖', version: u.version }), 409, 'stale_version');
    assert.ok(stale);
    const now = ok(await c.get(`/api/v1/units/${u.id}`));
    assert.deepEqual(now, u2, 'stale update must change nothing');
    const e = assertError(await c.put(`/api/v1/units/${u.id}`, { ...body }), 400, 'invalid', 'version missing');
    assert.ok('version' in (e.fields || {}), 'fields.version');
    assertError(await c.put('/api/v1/units/99999999', { ...body, version: 1 }), 404, 'not_found');
});

test('a unit cannot become its own descendant (or its own parent) → 400', async () => {
    const a = await create({ code: uniq('a'), name: 'A' });
    const b = await create({ code: uniq('b'), name: 'B', parent_id: a.id });
    const cc = await create({ code: uniq('c'), name: 'C', parent_id: b.id });
    for (const pid of [a.id, cc.id, b.id]) {
        const r = await c.put(`/api/v1/units/${a.id}`, { code: a.code, name: a.name, short_name: null, kind: a.kind,
            parent_id: pid, sort_order: 0, version: a.version });
        assertError(r, 400, 'invalid', `parent ${pid}`);
    }
    assert.deepEqual(ok(await c.get(`/api/v1/units/${a.id}`)), a);
});

test('tree nests children under parents', async () => {
    const a = await create({ code: uniq('ta'), name: '树根' });
    const b = await create({ code: uniq('tb'), name: '树枝', parent_id: a.id });
    const j = ok(await c.get('/api/v1/units/tree'));
    const find = (nodes, id) => {
        for (const n of nodes) {
            if (n.id === id) return n;
            const f = find(n.children || [], id);
            if (f) return f;
        }
        return null;
    };
    const na = find(j.items, a.id);
    assert.ok(na, 'new unit in tree');
    for (const k of ['id', 'code', 'name', 'kind', 'active', 'sort_order', 'children']) assert.ok(k in na, `tree node ${k}`);
    assert.deepEqual(na.children.map((x) => x.id), [b.id]);
    const count = (nodes) => nodes.reduce((s, n) => s + 1 + count(n.children || []), 0);
    assert.equal(count(j.items), (await c.get('/api/v1/units')).json.total, 'tree holds every unit once');
});

test('deactivate / activate toggle active with versions; stale → 409', async () => {
    const u = await create({ code: uniq('act'), name: '停用' });
    const d = ok(await c.post(`/api/v1/units/${u.id}/deactivate`, { version: u.version }));
    assert.equal(d.active, false);
    assert.equal(d.version, u.version + 1);
    assertError(await c.post(`/api/v1/units/${u.id}/activate`, { version: u.version }), 409, 'stale_version');
    assert.equal(ok(await c.get(`/api/v1/units/${u.id}`)).active, false);
    const inactive = await listAll(c, '/api/v1/units?active=false');
    assert.ok(inactive.some((x) => x.id === u.id));
    assert.ok(inactive.every((x) => x.active === false));
    const a = ok(await c.post(`/api/v1/units/${u.id}/activate`, { version: d.version }));
    assert.equal(a.active, true);
    assertError(await c.post(`/api/v1/units/${u.id}/deactivate`, {}), 400, 'invalid');
    assertError(await c.post('/api/v1/units/99999999/deactivate', { version: 1 }), 404, 'not_found');
});

test('delete: 409 in_use with children or people; stale → 409; ok with the right version, then 404', async () => {
    const p = await create({ code: uniq('dp'), name: '父' });
    const ch = await create({ code: uniq('dc'), name: '子', parent_id: p.id });
    assertError(await c.del(`/api/v1/units/${p.id}?version=${p.version}`), 409, 'in_use');
    const person = ok(await c.post('/api/v1/people', { unit_id: ch.id, name: '张三' }), 201);
    assertError(await c.del(`/api/v1/units/${ch.id}?version=${ch.version}`), 409, 'in_use');
    ok(await c.del(`/api/v1/people/${person.id}?version=${person.version}`));
    assertError(await c.del(`/api/v1/units/${ch.id}?version=${ch.version + 5}`), 409, 'stale_version');
    assertError(await c.del(`/api/v1/units/${ch.id}`), 400, 'invalid', 'version missing');
    assert.deepEqual(ok(await c.del(`/api/v1/units/${ch.id}?version=${ch.version}`)), { ok: true });
    assertError(await c.get(`/api/v1/units/${ch.id}`), 404, 'not_found');
    assertError(await c.del(`/api/v1/units/${ch.id}?version=${ch.version}`), 404, 'not_found');
    ok(await c.del(`/api/v1/units/${p.id}?version=${p.version}`));
});

test('a unit with user accounts is in_use', async () => {
    const u = await create({ code: uniq('du'), name: '有账号' });
    const admin = await srv.login('sysadmin');
    ok(await admin.post('/api/v1/users', { username: uniq('du').toLowerCase(), display_name: '某人', unit_id: u.id }), 201);
    assertError(await c.del(`/api/v1/units/${u.id}?version=${u.version}`), 409, 'in_use');
});

test('list: q, kind, parent_id filters; sort; paging; per_page max 200', async () => {
    const tag = uniq('flt');
    const root = await create({ code: `${tag}r`, name: `${tag} 根`, kind: 'committee' });
    const kids = [];
    for (let i = 0; i < 5; i++) {
        kids.push(await create({ code: `${tag}k${i}`, name: `${tag} 子${i}`, kind: i % 2 ? 'street' : 'township', parent_id: root.id, sort_order: 10 - i }));
    }
    let j = ok(await c.get(`/api/v1/units?q=${encodeURIComponent(tag)}`));
    assert.equal(j.total, 6);
    j = ok(await c.get(`/api/v1/units?parent_id=${root.id}`));
    assert.deepEqual(j.items.map((u) => u.id), kids.map((k) => k.id).reverse(), 'sorted by sort_order by default');
    j = ok(await c.get(`/api/v1/units?parent_id=${root.id}&kind=street`));
    assert.equal(j.total, 2);
    assert.ok(j.items.every((u) => u.kind === 'street'));
    j = ok(await c.get(`/api/v1/units?parent_id=${root.id}&sort=code`));
    assert.deepEqual(j.items.map((u) => u.code), kids.map((k) => k.code));
    j = ok(await c.get(`/api/v1/units?parent_id=${root.id}&sort=-code`));
    assert.deepEqual(j.items.map((u) => u.code), kids.map((k) => k.code).reverse());
    const p1 = ok(await c.get(`/api/v1/units?parent_id=${root.id}&sort=code&per_page=2&page=1`));
    const p3 = ok(await c.get(`/api/v1/units?parent_id=${root.id}&sort=code&per_page=2&page=3`));
    assert.equal(p1.total, 5);
    assert.deepEqual(p1.items.map((u) => u.code), [kids[0].code, kids[1].code]);
    assert.deepEqual(p3.items.map((u) => u.code), [kids[4].code]);
    const p9 = ok(await c.get(`/api/v1/units?parent_id=${root.id}&page=9`));
    assert.deepEqual(p9.items, []);
    assert.equal(p9.total, 5);
    for (const q of ['per_page=201', 'per_page=0', 'page=0', 'page=-1', 'per_page=abc', 'sort=nosuchfield', 'sort=;drop']) {
        assertError(await c.get(`/api/v1/units?${q}`), 400, 'invalid', q);
    }
    assert.ok(ok(await c.get('/api/v1/units?per_page=200')).items.length <= 200);
});

test('search text is a value, not SQL', async () => {
    const j = ok(await c.get(`/api/v1/units?q=${encodeURIComponent("' OR 1=1 --")}`));
    assert.equal(j.total, 0);
    const k = ok(await c.get(`/api/v1/units?q=${encodeURIComponent('%')}`));
    assert.equal(k.total, 0, '% must match a literal percent sign only');
});

test('body limits: 413 over 1 MiB, 400 for JSON deeper than 16, strings over 4000, 415 without JSON type', async () => {
    const code = uniq('lim');
    const big = JSON.stringify({ code, name: 'x', kind: 'other', short_name: 'y'.repeat(1 << 20) });
    assertError(await c.post('/api/v1/units', big, { headers: { 'Content-Type': 'application/json' } }), 413, 'too_large');
    let deep = 1;
    for (let i = 0; i < 40; i++) deep = [deep];
    const dr = await c.post('/api/v1/units', { code, name: 'x', kind: 'other', extra: deep });
    assert.equal(dr.status, 400, `deep JSON: ${dr.status}`);
    assert.ok(['invalid', 'bad_json'].includes(dr.json?.error?.code));
    const e = assertError(await c.post('/api/v1/units', { code, name: 'x', kind: 'other', short_name: 's'.repeat(4001) }), 400, 'invalid');
    assert.ok(e.fields?.short_name, 'fields.short_name');
    assertError(await c.post('/api/v1/units', JSON.stringify({ code, name: 'x', kind: 'other' }),
        { headers: { 'Content-Type': 'text/plain' } }), 415, 'unsupported_media_type');
    assertError(await c.post('/api/v1/units', '{"code":', { headers: { 'Content-Type': 'application/json' } }), 400, 'bad_json');
    const str = await c.post('/api/v1/units', '"just a string"', { headers: { 'Content-Type': 'application/json' } });
    assert.equal(str.status, 400, 'a JSON string is not an object');
    assert.ok(['invalid', 'bad_json'].includes(str.json?.error?.code));
    assertError(await c.post('/api/v1/units', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
        { headers: { 'Content-Type': 'application/json' } }), 400, 'bad_json', 'invalid UTF-8');
    assertError(await c.get(`/api/v1/units/${code}`.replace(code, '1'.repeat(40))), 404, 'not_found');
    assert.equal(ok(await c.get(`/api/v1/units?q=${code}`)).total, 0, 'nothing was created');
});

test('read-only roles cannot write units: leader gets 403 forbidden and nothing changes', async () => {
    const l = await srv.login('leader');
    const u = await create({ code: uniq('ro'), name: '只读' });
    assertError(await l.post('/api/v1/units', { code: uniq('x'), name: 'x', kind: 'other' }), 403, 'forbidden');
    assertError(await l.put(`/api/v1/units/${u.id}`, { code: u.code, name: '改', kind: u.kind, version: u.version }), 403, 'forbidden');
    assertError(await l.del(`/api/v1/units/${u.id}?version=${u.version}`), 403, 'forbidden');
    assert.deepEqual(ok(await c.get(`/api/v1/units/${u.id}`)), u);
});
