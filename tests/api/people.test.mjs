// People (人员): CRUD, masked phone, reveal (permission + audit), encryption at rest, clerk data scope.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, ok, listAll, unitByName, uniq, databaseBytes } from './lib.mjs';

let srv, office, clerk1, clerk2, sfj, cgjd;
before(async () => {
    srv = await startServer();
    office = await srv.login('office');
    clerk1 = await srv.login('clerk1');
    clerk2 = await srv.login('clerk2');
    sfj = await unitByName(office, '司法局');
    cgjd = await unitByName(office, '城关街道');
});
after(async () => { await srv.stopAndCheck(); });

const PERSON_FIELDS = ['id', 'unit_id', 'unit_name', 'name', 'position', 'phone', 'is_first_responsible', 'is_liaison',
    'sort_order', 'active', 'created_at', 'updated_at', 'version'];

test('create with phone → 201, phone masked as 138****5678 everywhere', async () => {
    const p = ok(await office.post('/api/v1/people', { unit_id: sfj.id, name: '李四', position: '局长',
        phone: '13812345678', is_first_responsible: true, is_liaison: false, sort_order: 1 }), 201);
    for (const k of PERSON_FIELDS) assert.ok(k in p, `person.${k} missing`);
    assert.equal(p.phone, '138****5678');
    assert.equal(p.unit_id, sfj.id);
    assert.equal(p.unit_name, sfj.name);
    assert.equal(p.is_first_responsible, true);
    assert.equal(p.version, 1);
    assert.equal(ok(await office.get(`/api/v1/people/${p.id}`)).phone, '138****5678');
    const listed = (await listAll(office, `/api/v1/people?unit_id=${sfj.id}`)).find((x) => x.id === p.id);
    assert.equal(listed.phone, '138****5678');
});

test('reveal: office (person.reveal) sees the whole number and it is audited; others get 403', async () => {
    const p = ok(await office.post('/api/v1/people', { unit_id: sfj.id, name: '王五', phone: '13900001111' }), 201);
    assert.deepEqual(ok(await office.get(`/api/v1/people/${p.id}/phone`)), { phone: '13900001111' });
    for (const name of ['sysadmin', 'leader', 'clerk1']) {
        const c = name === 'clerk1' ? clerk1 : await srv.login(name);
        const r = await c.get(`/api/v1/people/${p.id}/phone`);
        assertError(r, 403, 'forbidden', name);
        assert.doesNotMatch(r.text, /13900001111/);
    }
    const auditor = await srv.login('auditor');
    const recs = ok(await auditor.get(`/api/v1/audit?action=person.reveal&object_id=${p.id}`)).items;
    assert.equal(recs.length, 1, 'one reveal, one audit record');
    assert.equal(recs[0].actor, 'office');
    assert.equal(recs[0].result, 'ok');
    assertError(await office.get('/api/v1/people/99999999/phone'), 404, 'not_found');
});

test('phone numbers are encrypted at rest: the plaintext is nowhere in the database files', async () => {
    const phone = '13577778888';
    ok(await office.post('/api/v1/people', { unit_id: sfj.id, name: '赵六', phone }), 201);
    const dump = await databaseBytes(srv);
    assert.notEqual(Buffer.concat(dump).indexOf(Buffer.from('赵六')), -1, 'the row itself is in what was searched');
    for (const buf of dump) {
        assert.equal(buf.indexOf(phone), -1, `the ${srv.engine} database holds the phone number in plaintext`);
        assert.equal(buf.indexOf(Buffer.from(phone, 'utf16le')), -1);
    }
});

test('update: phone omitted = unchanged; new phone replaces; stale → 409 changes nothing', async () => {
    const p = ok(await office.post('/api/v1/people', { unit_id: sfj.id, name: '钱七', phone: '13811112222' }), 201);
    const u = ok(await office.put(`/api/v1/people/${p.id}`, { unit_id: sfj.id, name: '钱七七', position: '科长', version: p.version }));
    assert.equal(u.name, '钱七七');
    assert.equal(u.version, p.version + 1);
    assert.deepEqual(ok(await office.get(`/api/v1/people/${p.id}/phone`)), { phone: '13811112222' });
    const u2 = ok(await office.put(`/api/v1/people/${p.id}`, { unit_id: sfj.id, name: '钱七七', phone: '+86 139-0000-2222', version: u.version }));
    assert.deepEqual(ok(await office.get(`/api/v1/people/${p.id}/phone`)), { phone: '+86 139-0000-2222' });
    assertError(await office.put(`/api/v1/people/${p.id}`, { unit_id: sfj.id, name: '覆盖', version: u.version }), 409, 'stale_version');
    assert.deepEqual(ok(await office.get(`/api/v1/people/${p.id}`)), u2);
    assertError(await office.put('/api/v1/people/99999999', { unit_id: sfj.id, name: 'x', version: 1 }), 404, 'not_found');
});

test('validation: name, unit, phone format and length → 400 invalid with fields', async () => {
    const bad = [
        [{ unit_id: sfj.id, name: '' }, 'name'],
        [{ unit_id: sfj.id }, 'name'],
        [{ name: '无单位' }, 'unit_id'],
        [{ unit_id: 99999999, name: '无此单位' }, 'unit_id'],
        [{ unit_id: sfj.id, name: 'x', phone: '12' }, 'phone'],
        [{ unit_id: sfj.id, name: 'x', phone: '1'.repeat(21) }, 'phone'],
        [{ unit_id: sfj.id, name: 'x', phone: '138abc45678' }, 'phone'],
        [{ unit_id: sfj.id, name: 'x', phone: '<script>' }, 'phone'],
        [{ unit_id: sfj.id, name: 'x', is_first_responsible: 'yes' }, 'is_first_responsible'],
    ];
    const before = ok(await office.get('/api/v1/people')).total;
    for (const [body, field] of bad) {
        const e = assertError(await office.post('/api/v1/people', body), 400, 'invalid', JSON.stringify(body));
        assert.ok(e.fields && field in e.fields, `fields.${field} for ${JSON.stringify(body)}: ${JSON.stringify(e.fields)}`);
    }
    assert.equal(ok(await office.get('/api/v1/people')).total, before);
    ok(await office.post('/api/v1/people', { unit_id: sfj.id, name: 'x', phone: '110' }), 201);
    ok(await office.post('/api/v1/people', { unit_id: sfj.id, name: 'y', phone: '1'.repeat(20) }), 201);
});

test('filters: first_responsible=1, q, unit_id', async () => {
    const tag = uniq('人');
    const a = ok(await office.post('/api/v1/people', { unit_id: cgjd.id, name: `${tag}甲`, is_first_responsible: true }), 201);
    const b = ok(await office.post('/api/v1/people', { unit_id: cgjd.id, name: `${tag}乙` }), 201);
    let j = ok(await office.get(`/api/v1/people?q=${encodeURIComponent(tag)}`));
    assert.deepEqual(j.items.map((x) => x.id).sort(), [a.id, b.id].sort());
    j = ok(await office.get(`/api/v1/people?q=${encodeURIComponent(tag)}&first_responsible=1`));
    assert.deepEqual(j.items.map((x) => x.id), [a.id]);
    const all = await listAll(office, `/api/v1/people?unit_id=${cgjd.id}`);
    assert.ok(all.every((x) => x.unit_id === cgjd.id));
    assert.ok(all.some((x) => x.id === b.id));
});

test('delete: stale → 409; right version → ok, then 404', async () => {
    const p = ok(await office.post('/api/v1/people', { unit_id: sfj.id, name: '删除' }), 201);
    assertError(await office.del(`/api/v1/people/${p.id}?version=${p.version + 1}`), 409, 'stale_version');
    assertError(await office.del(`/api/v1/people/${p.id}`), 400, 'invalid');
    assert.deepEqual(ok(await office.del(`/api/v1/people/${p.id}?version=${p.version}`)), { ok: true });
    assertError(await office.get(`/api/v1/people/${p.id}`), 404, 'not_found');
});

// ---- data scope: a clerk (scope own) never receives another unit's rows
test('clerk sees only own unit in units, tree and people lists', async () => {
    // make sure both units have people
    ok(await office.post('/api/v1/people', { unit_id: sfj.id, name: '司法局的人' }), 201);
    ok(await office.post('/api/v1/people', { unit_id: cgjd.id, name: '街道的人', phone: '13600001234' }), 201);
    for (const [c, unit] of [[clerk1, sfj], [clerk2, cgjd]]) {
        assert.equal(c.user.unit_id, unit.id);
        const units = await listAll(c, '/api/v1/units');
        assert.deepEqual(units.map((u) => u.id), [unit.id], `${c.user.username} units`);
        const tree = ok(await c.get('/api/v1/units/tree'));
        const ids = [];
        const walk = (ns) => ns.forEach((n) => { ids.push(n.id); walk(n.children || []); });
        walk(tree.items);
        assert.deepEqual(ids, [unit.id], `${c.user.username} tree`);
        const people = await listAll(c, '/api/v1/people');
        assert.ok(people.length > 0, 'own people visible');
        assert.ok(people.every((p) => p.unit_id === unit.id), `${c.user.username} got another unit's people`);
        // asking for the other unit explicitly gives nothing of it
        const other = unit.id === sfj.id ? cgjd : sfj;
        for (const path of [`/api/v1/people?unit_id=${other.id}`, `/api/v1/units?parent_id=${other.parent_id ?? 0}`,
            `/api/v1/units?q=${encodeURIComponent(other.name)}`, `/api/v1/people?q=${encodeURIComponent('人')}`]) {
            const r = await c.get(path);
            if (r.status === 200) {
                for (const row of r.json.items) {
                    const leaked = path.startsWith('/api/v1/people') ? row.unit_id !== unit.id : row.id !== unit.id;
                    assert.ok(!leaked, `${path} leaked ${JSON.stringify(row)}`);
                }
            } else {
                assert.ok([403, 404].includes(r.status), `${path}: ${r.status}`);
            }
        }
    }
});

test('clerk cannot read, create, update or delete another unit\'s rows', async () => {
    const theirs = ok(await office.post('/api/v1/people', { unit_id: cgjd.id, name: '别人家', phone: '13700009999' }), 201);
    const denied = async (r, what) => {
        assert.ok([403, 404].includes(r.status), `${what}: expected 403/404, got ${r.status} ${r.text.slice(0, 200)}`);
        assert.doesNotMatch(r.text, /别人家|13700009999|9999/, `${what} leaked data`);
    };
    await denied(await clerk1.get(`/api/v1/people/${theirs.id}`), 'GET other person');
    await denied(await clerk1.get(`/api/v1/units/${cgjd.id}`), 'GET other unit');
    await denied(await clerk1.put(`/api/v1/people/${theirs.id}`, { unit_id: cgjd.id, name: '改了', version: theirs.version }), 'PUT other person');
    await denied(await clerk1.del(`/api/v1/people/${theirs.id}?version=${theirs.version}`), 'DELETE other person');
    const before = ok(await office.get(`/api/v1/people?unit_id=${cgjd.id}`)).total;
    const r = await clerk1.post('/api/v1/people', { unit_id: cgjd.id, name: '塞进去' });
    assert.ok([400, 403, 404].includes(r.status), `POST into other unit: ${r.status}`);
    assert.equal(ok(await office.get(`/api/v1/people?unit_id=${cgjd.id}`)).total, before, 'nothing created in other unit');
    assert.deepEqual(ok(await office.get(`/api/v1/people/${theirs.id}`)), theirs, 'other unit\'s person unchanged');
    // moving own person into the other unit is refused too
    const mine = ok(await clerk1.post('/api/v1/people', { unit_id: sfj.id, name: '我的人' }), 201);
    const mv = await clerk1.put(`/api/v1/people/${mine.id}`, { unit_id: cgjd.id, name: '我的人', version: mine.version });
    assert.ok([400, 403, 404].includes(mv.status), `move to other unit: ${mv.status}`);
    assert.equal(ok(await office.get(`/api/v1/people/${mine.id}`)).unit_id, sfj.id);
});

test('clerk manages people of own unit', async () => {
    const p = ok(await clerk1.post('/api/v1/people', { unit_id: sfj.id, name: '联络员新增', is_liaison: true }), 201);
    const u = ok(await clerk1.put(`/api/v1/people/${p.id}`, { unit_id: sfj.id, name: '联络员改名', is_liaison: true, version: p.version }));
    assert.equal(u.name, '联络员改名');
    ok(await clerk1.del(`/api/v1/people/${p.id}?version=${u.version}`));
});
