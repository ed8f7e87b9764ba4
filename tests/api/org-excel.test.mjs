// Excel for units, people and accounts through the entity layer's generic machinery: the import
// template (Chinese headers with * on required ones, a note each, drop-downs for enumerated columns
// and units, an example row), import (all or nothing, every row's problems by sheet row) and the
// export — and a round trip: what the export writes, imported again, makes the same records.
// Accounts get a generated initial password, answered once by the import and never exported.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, ok, listAll, uniq } from './lib.mjs';
import { actors, xlsxRows, unzip } from './tasks-lib.mjs';

let srv, c, u;
before(async () => {
    srv = await startServer();
    ({ c, u } = await actors(srv));
});
after(async () => { await srv.stopAndCheck(); });

const strip = (h) => h.replace(/\*$/, '');

async function template(who, path) {
    const r = await c[who].get(`/api/v1/${path}/import-template.xlsx`);
    assert.equal(r.status, 200, r.text.slice(0, 200));
    const files = unzip(r.buf);
    const sheet = files['xl/worksheets/sheet1.xml'].toString('utf8');
    const rows = xlsxRows(r.buf);
    const dv = (header) => {
        const col = String.fromCharCode(65 + rows[0].map(strip).indexOf(header));
        const m = [...sheet.matchAll(/<dataValidation [^>]*sqref="([A-Z]+)2:[A-Z]+\d+"[^>]*>([\s\S]*?)<\/dataValidation>/g)]
            .find((x) => x[1] === col);
        return m ? /<formula1>([\s\S]*?)<\/formula1>/.exec(m[2])[1] : null;
    };
    const notes = Object.keys(files).filter((f) => /comments\d*\.xml$/.test(f)).map((f) => files[f].toString('utf8')).join('');
    return { rows, dv, notes };
}

/** The export's rows as objects keyed by header. */
async function exported(who, path, query) {
    const r = await c[who].get(`/api/v1/${path}/export.xlsx?${query}`);
    assert.equal(r.status, 200, r.text.slice(0, 200));
    const [head, ...rows] = xlsxRows(r.buf);
    return { rows: rows.map((x) => Object.fromEntries(head.map((h, i) => [h, x[i] ?? '']))), buf: r.buf };
}

test('units: template with drop-downs, import with the parent by name, export, round trip', async () => {
    const t = await template('office', 'units');
    assert.deepEqual(t.rows[0].map(strip), ['机构编码', '机构名称', '简称', '机构类型', '上级机构', '排序']);
    assert.equal(t.rows[0][0], '机构编码*', 'a required column is marked');
    assert.ok(t.rows[1][1], 'an example row');
    assert.match(t.dv('机构类型') || '', /政府部门/, 'kinds as a drop-down');
    assert.match(t.dv('上级机构') || '', /单位名称'?!\$A\$2/, 'parent unit from the unit sheet');
    assert.match(t.notes, /必填/);

    const tag = uniq('u').toLowerCase();
    // every problem of every row at once, nothing written
    const bad = await c.office.post('/api/v1/units/import', { rows: [
        { code: `${tag}-a`, name: `${tag}甲科`, kind: '政府部门', parent_unit: '区司法局' },
        { code: '', name: `${tag}乙科`, kind: '不存在的类型', parent_unit: '没有这个单位' },
    ] });
    const err = assertError(bad, 400, 'invalid');
    const row3 = err.fields.rows.filter((x) => x.row === 3).map((x) => x.field).sort();
    assert.deepEqual(row3, ['code', 'kind', 'parent_unit'], JSON.stringify(err.fields.rows));
    assert.equal((await listAll(c.office, `/api/v1/units?q=${tag}`)).length, 0, 'nothing imported');

    const res = ok(await c.office.post('/api/v1/units/import', { rows: [
        { code: `${tag}-a`, name: `${tag}甲科`, short_name: `${tag}甲`, kind: '政府部门', parent_unit: '区司法局', sort_order: '5' },
        { code: `${tag}-b`, name: `${tag}乙科`, kind: 'department', parent_unit: u.sfj.code },
    ] }), 201);
    assert.equal(res.created, 2);
    const made = await listAll(c.office, `/api/v1/units?q=${tag}`);
    assert.deepEqual(made.map((x) => x.parent_id), [u.sfj.id, u.sfj.id]);

    const { rows } = await exported('office', 'units', `q=${tag}`);
    assert.equal(rows.length, 2);
    const a = rows.find((x) => x['机构编码'] === `${tag}-a`);
    assert.equal(a['上级机构'], u.sfj.name);
    assert.equal(a['机构类型'], '政府部门');
    assert.equal(a['简称'], `${tag}甲`);
    // round trip: the export's columns are the template's, under the same headers
    const again = rows.map((x) => ({ code: `${x['机构编码']}-2`, name: `${x['机构名称']}二`, short_name: x['简称'],
        kind: x['机构类型'], parent_unit: x['上级机构'], sort_order: x['排序'] }));
    ok(await c.office.post('/api/v1/units/import', { rows: again }), 201);
    const copies = (await listAll(c.office, `/api/v1/units?q=${tag}`)).filter((x) => x.code.endsWith('-2'));
    assert.equal(copies.length, 2);
    assert.ok(copies.every((x) => x.parent_id === u.sfj.id && x.kind === 'department'));
    assertError(await c.clerk1.post('/api/v1/units/import', { rows: again }), 403, 'forbidden');
});

test('people: import by unit name with phones and 是/否, export masks the phone, round trip', async () => {
    const t = await template('office', 'people');
    assert.deepEqual(t.rows[0].map(strip), ['所属单位', '姓名', '职务', '电话', '第一责任人', '联络员', '排序']);
    assert.match(t.dv('所属单位') || '', /单位名称'?!\$A\$2/);
    assert.match(t.dv('联络员') || '', /是,否/);
    const name = uniq('人');
    const bad = await c.office.post('/api/v1/people/import', { rows: [{ unit: '区司法局', name, phone: 'abc', is_liaison: '也许' }] });
    const err = assertError(bad, 400, 'invalid');
    assert.deepEqual(err.fields.rows.map((x) => x.field).sort(), ['is_liaison', 'phone']);
    ok(await c.office.post('/api/v1/people/import', { rows: [
        { unit: '区司法局', name, position: '科长', phone: '13812345678', is_first_responsible: '否', is_liaison: '是', sort_order: 3 },
    ] }), 201);
    const p = (await listAll(c.office, `/api/v1/people?q=${encodeURIComponent(name)}`))[0];
    assert.equal(p.unit_id, u.sfj.id);
    assert.equal(p.is_liaison, true);
    const { rows } = await exported('office', 'people', `q=${encodeURIComponent(name)}`);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]['所属单位'], u.sfj.name);
    assert.equal(rows[0]['联络员'], '是');
    assert.doesNotMatch(rows[0]['电话'], /13812345678/, 'masked');
    const again = rows.map((x) => ({ unit: x['所属单位'], name: `${x['姓名']}2`, position: x['职务'],
        is_first_responsible: x['第一责任人'], is_liaison: x['联络员'] }));
    ok(await c.office.post('/api/v1/people/import', { rows: again }), 201);
    const copy = (await listAll(c.office, `/api/v1/people?q=${encodeURIComponent(`${name}2`)}`))[0];
    assert.equal(copy.unit_id, u.sfj.id);
    assert.equal(copy.position, '科长');
});

test('accounts: import makes accounts with initial passwords answered once; the export has none', async () => {
    const t = await template('sysadmin', 'users');
    assert.deepEqual(t.rows[0].map(strip), ['用户名', '姓名', '所属单位']);
    assert.match(t.dv('所属单位') || '', /单位名称'?!\$A\$2/);
    const name = uniq('imp').toLowerCase();
    const bad = await c.sysadmin.post('/api/v1/users/import', { rows: [
        { username: 'office', display_name: '重名', unit: '区司法局' },
        { username: 'Bad Name', display_name: '', unit: '无此单位' },
    ] });
    const err = assertError(bad, 400, 'invalid');
    assert.deepEqual(err.fields.rows.filter((x) => x.row === 2).map((x) => x.field), ['username'], 'a taken user name');
    assert.deepEqual(err.fields.rows.filter((x) => x.row === 3).map((x) => x.field).sort(), ['display_name', 'unit', 'username']);
    const res = ok(await c.sysadmin.post('/api/v1/users/import', { rows: [
        { username: `${name}a`, display_name: '导入甲', unit: '区司法局' },
        { username: `${name}b`, display_name: '导入乙', unit: u.cgjd.code },
    ] }), 201);
    assert.equal(res.created, 2);
    assert.deepEqual(res.rows.map((x) => x.username), [`${name}a`, `${name}b`]);
    const pw = res.rows[0].initial_password;
    assert.ok(pw && pw.length >= 8, 'an initial password');
    // the account signs in with it and must change it
    const me = srv.client();
    ok(await me.login(`${name}a`, pw));
    const who = ok(await me.get('/api/v1/auth/me'));
    assert.equal(who.user?.must_change_password ?? who.must_change_password, true);
    const { rows, buf } = await exported('sysadmin', 'users', `q=${name}`);
    assert.deepEqual(rows.map((x) => x['用户名']).sort(), [`${name}a`, `${name}b`]);
    assert.equal(rows.find((x) => x['用户名'] === `${name}b`)['所属单位'], u.cgjd.name);
    assert.ok(!Object.keys(rows[0]).some((h) => /密码/.test(h)), 'no password column');
    const all = Object.values(unzip(buf)).map((b) => b.toString('utf8')).join('');
    assert.ok(!all.includes(pw), 'the password is nowhere in the export');
    // importing the exported rows again: the user names are taken
    const again = rows.map((x) => ({ username: x['用户名'], display_name: x['姓名'], unit: x['所属单位'] }));
    assertError(await c.sysadmin.post('/api/v1/users/import', { rows: again }), 400, 'invalid');
    // only the system administrator creates accounts
    assertError(await c.office.post('/api/v1/users/import', { rows: again }), 403, 'forbidden');
});
