// 督办 and data scope beyond the list: a manager whose role has a narrower scope than the whole
// district (a custom role `own` + task.manage) may not create, edit or import tasks that name a
// lead unit, co-unit or parent task outside that scope; documents count only the tasks the reader
// sees; export.xlsx decorates only the exported rows (co-units, tags, latest notes).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, ok, uniq } from './lib.mjs';
import { actors, createTask, act, issuedTask, day, xlsxRows } from './tasks-lib.mjs';

let srv, c, u, mgr;
before(async () => {
    srv = await startServer();
    ({ c, u } = await actors(srv, ['office', 'clerk1', 'clerk2', 'sysadmin', 'secadmin', 'auditor']));
    // 区司法局's own manager: task.manage, but only for its own unit
    const code = uniq('unitmgr').toLowerCase().replace(/[^a-z0-9_]/g, '_');
    ok(await c.secadmin.post('/api/v1/roles', { code, name: '单位督办员', scope: 'own',
        permissions: ['unit.read', 'task.read', 'task.manage', 'task.work'] }), 201);
    const { user, initial_password: pw } = ok(await c.sysadmin.post('/api/v1/users',
        { username: uniq('mgr').toLowerCase().replace(/_/g, '-'), display_name: '司法局督办员', unit_id: u.sfj.id }), 201);
    ok(await c.secadmin.put(`/api/v1/users/${user.id}/role`, { role: code, version: user.version }));
    mgr = srv.client();
    ok(await mgr.login(user.username, pw));
    ok(await mgr.post('/api/v1/auth/password', { old_password: pw, new_password: 'Scope#Pass2026x' }));
});
after(async () => { await srv.stopAndCheck(); });

const base = () => ({ title: `范围 ${uniq('t')}`, lead_unit_id: u.sfj.id, co_unit_ids: [], due_on: day(30) });

test('create and edit: a co-unit, lead unit or parent task outside the manager\'s scope is refused (400, per field), nothing is written', async () => {
    const total = ok(await c.office.get('/api/v1/tasks')).total;
    let e = assertError(await mgr.post('/api/v1/tasks', { ...base(), co_unit_ids: [u.cgjd.id] }), 400, 'invalid', 'co-unit outside scope');
    assert.ok(e.fields.co_unit_ids, JSON.stringify(e));
    assert.match(e.fields.co_unit_ids, /范围/);
    e = assertError(await mgr.post('/api/v1/tasks', { ...base(), lead_unit_id: u.cgjd.id }), 400, 'invalid', 'lead outside scope');
    assert.ok(e.fields.lead_unit_id, JSON.stringify(e));
    const theirs = await createTask(c.office, { lead_unit_id: u.cgjd.id, due_on: day(60) });
    e = assertError(await mgr.post('/api/v1/tasks', { ...base(), parent_id: theirs.id }), 400, 'invalid', 'parent outside scope');
    assert.ok(e.fields.parent_id, JSON.stringify(e));
    assert.equal(ok(await c.office.get('/api/v1/tasks')).total, total + 1, 'only the office\'s task was written');

    // inside the scope it works, and an edit cannot add an outside co-unit either
    const mine = ok(await mgr.post('/api/v1/tasks', base()), 201);
    e = assertError(await mgr.put(`/api/v1/tasks/${mine.id}`, { ...base(), co_unit_ids: [u.police.id], version: mine.version }), 400, 'invalid');
    assert.ok(e.fields.co_unit_ids);
    assert.equal(ok(await mgr.get(`/api/v1/tasks/${mine.id}`)).version, mine.version, 'unchanged');
    // the office (scope all) may name any unit
    ok(await c.office.post('/api/v1/tasks', { ...base(), co_unit_ids: [u.cgjd.id, u.police.id] }), 201);
    // English message
    const en = await mgr.post('/api/v1/tasks', { ...base(), co_unit_ids: [u.cgjd.id] }, { headers: { 'Accept-Language': 'en' } });
    assert.match(assertError(en, 400, 'invalid').fields.co_unit_ids, /outside your data scope/);
});

test('import: a row naming a co-unit or lead unit outside the importer\'s scope is refused by row number; nothing is imported', async () => {
    const tag = uniq('IS');
    const row = (title, extra = {}) => ({ title, lead_unit: '区司法局', co_units: '', due_on: day(40), ...extra });
    const total = ok(await c.office.get('/api/v1/tasks')).total;
    const e = assertError(await mgr.post('/api/v1/tasks/import', { rows: [row(`${tag} 一`), row(`${tag} 二`, { co_units: '城关街道' }),
        row(`${tag} 三`, { lead_unit: '区公安分局' })] }), 400, 'invalid');
    const byRow = e.fields.rows.map((x) => `${x.row}:${x.field}`);
    assert.deepEqual(byRow.sort(), ['3:co_units', '4:lead_unit'], JSON.stringify(e.fields.rows));
    assert.equal(ok(await c.office.get('/api/v1/tasks')).total, total, 'nothing imported');
    const j = ok(await mgr.post('/api/v1/tasks/import', { rows: [row(`${tag} 一`)] }), 201);
    assert.equal(j.created, 1);
    ok(await c.office.post('/api/v1/tasks/import', { rows: [row(`${tag} 二`, { co_units: '城关街道' })] }), 201);
});

test('documents: task_count counts only the tasks the reader may see (scope, drafts)', async () => {
    const doc = ok(await c.office.post('/api/v1/documents', { title: `${uniq('D')} 计数`, kind: 'plan' }), 201);
    await issuedTask(c, u.sfj, [], { document_id: doc.id });
    await issuedTask(c, u.cgjd, [], { document_id: doc.id });
    await issuedTask(c, u.police, [u.cgjd], { document_id: doc.id });
    await createTask(c.office, { lead_unit_id: u.sfj.id, document_id: doc.id }); // a draft
    const counts = {};
    for (const [who, cl] of [['office', c.office], ['clerk1', c.clerk1], ['clerk2', c.clerk2], ['mgr', mgr]]) {
        const one = ok(await cl.get(`/api/v1/documents/${doc.id}`)).task_count;
        const listed = ok(await cl.get(`/api/v1/documents?q=${encodeURIComponent(doc.title)}`)).items.find((d) => d.id === doc.id).task_count;
        assert.equal(listed, one, `${who}: list and get agree`);
        counts[who] = one;
    }
    // office: all 4; 区司法局's clerk: its issued task; 城关街道's clerk: lead + co; 区司法局's manager: issued + draft
    assert.deepEqual(counts, { office: 4, clerk1: 1, clerk2: 2, mgr: 2 });
    // deleting still sees every task, not the reader's count
    assertError(await mgr.del(`/api/v1/documents/${doc.id}?version=${doc.version}`), 409, 'in_use');
});

test('export.xlsx by a unit clerk: only the unit\'s tasks, each with its own co-units, tags and latest note', async () => {
    const tag = uniq('XS');
    let mine = await issuedTask(c, u.sfj, [u.cgjd], { title: `${tag} 司法局`, tags: ['甲'] }, ['clerk1']);
    mine = await act(c.clerk1, mine, 'report', { note: `${tag} 司法局的进展`, progress: 30 });
    let other = await issuedTask(c, u.police, [u.finance], { title: `${tag} 公安`, tags: ['乙'] });
    other = await act(c.office, other, 'supervise');
    const r = await c.clerk1.get(`/api/v1/tasks/export.xlsx?q=${encodeURIComponent(tag)}`);
    assert.equal(r.status, 200);
    const rows = xlsxRows(r.buf).slice(1);
    assert.deepEqual(rows.map((x) => x[1]), [mine.title]);
    assert.equal(rows[0][4], '甲');
    assert.equal(rows[0][6], u.cgjd.name);
    assert.equal(rows[0][16], `${tag} 司法局的进展`);
    // the office sees both, each with its own decorations
    const all = xlsxRows((await c.office.get(`/api/v1/tasks/export.xlsx?q=${encodeURIComponent(tag)}&sort=title`)).buf).slice(1);
    const o = all.find((x) => x[1] === other.title);
    assert.ok(o);
    assert.equal(o[4], '乙');
    assert.equal(o[6], u.finance.name);
    assert.equal(o[16], '');
});
