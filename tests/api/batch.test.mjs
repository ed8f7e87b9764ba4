// Batch actions of a list (issue 10): POST /api/v1/tasks/batch {action, ids, args} applies one
// action to each selected task — each in its own transaction with its own audit record, checked
// like its own route (permission, scope, state) — and answers per id; 导出选中 is the export
// with ?ids=.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, ok, uniq } from './lib.mjs';
import { actors, createTask, issuedTask, xlsxRows } from './tasks-lib.mjs';

let srv, c, u;
before(async () => {
    srv = await startServer();
    ({ c, u } = await actors(srv, ['office', 'clerk1', 'auditor']));
});
after(async () => { await srv.stopAndCheck(); });

const batch = (who, body) => c[who].post('/api/v1/tasks/batch', body);
const audits = async (action, id) => ok(await c.auditor.get(`/api/v1/audit?action=${action}&object_id=${id}`)).total;

test('batch 下发: each draft issued with its own audit record; an issued one and an unknown id fail alone', async () => {
    const tag = uniq('B');
    const d1 = await createTask(c.office, { title: `${tag} 一`, lead_unit_id: u.sfj.id });
    const d2 = await createTask(c.office, { title: `${tag} 二`, lead_unit_id: u.cgjd.id });
    const issued = await issuedTask(c, u.sfj, [], { title: `${tag} 已下发` });
    const j = ok(await batch('office', { action: 'issue', ids: [d1.id, issued.id, d2.id, 987654321], args: { note: '统一下发' } }));
    assert.equal(j.action, 'issue');
    assert.equal(j.ok, 2);
    assert.equal(j.failed, 2);
    const by = Object.fromEntries(j.results.map((x) => [x.id, x]));
    assert.deepEqual(j.results.map((x) => x.id), [d1.id, issued.id, d2.id, 987654321], 'in the order asked');
    assert.equal(by[d1.id].ok, true);
    assert.equal(by[d2.id].ok, true);
    assert.equal(by[issued.id].ok, false);
    assert.equal(by[issued.id].code, 'invalid_transition');
    assert.match(by[issued.id].message, /下发/);
    assert.equal(by[987654321].code, 'not_found');
    for (const d of [d1, d2]) {
        const t = ok(await c.office.get(`/api/v1/tasks/${d.id}`));
        assert.equal(t.status, 'issued');
        assert.equal(await audits('task.issue', d.id), 1, `task.issue audited for ${d.id}`);
    }
    // the clerk of the lead unit is told, as with one 下发
    const inbox = ok(await c.clerk1.get('/api/v1/notifications?per_page=50')).items;
    assert.ok(inbox.some((n) => n.task_id === d1.id), 'the clerk of 区司法局 got the new task');
});

test('batch 删除 drafts only, 催办 issued tasks; permission once for the batch; bounded ids', async () => {
    const tag = uniq('BD');
    const d = await createTask(c.office, { title: `${tag} 草稿`, lead_unit_id: u.sfj.id });
    const issued = await issuedTask(c, u.sfj, [], { title: `${tag} 已下发` });
    const del = ok(await batch('office', { action: 'delete', ids: [d.id, issued.id] }));
    assert.equal(del.results[0].ok, true);
    assert.equal(del.results[1].ok, false);
    assert.equal(del.results[1].code, 'forbidden');
    assertError(await c.office.get(`/api/v1/tasks/${d.id}`), 404, 'not_found');
    assert.equal(await audits('task.delete', d.id), 1);
    assert.equal(ok(await c.office.get(`/api/v1/tasks/${issued.id}`)).status, 'issued');
    // 催办: the urging needs its note (the action's rule, checked once: 400 before any record)
    assertError(await batch('office', { action: 'urge', ids: [issued.id] }), 400, 'invalid');
    const urge = ok(await batch('office', { action: 'urge', ids: [issued.id], args: { note: '请加快进度' } }));
    assert.equal(urge.ok, 1, JSON.stringify(urge));
    assert.equal(ok(await c.office.get(`/api/v1/tasks/${issued.id}/urgings`)).items.length, 1);
    assert.equal(await audits('task.urge', issued.id), 1);
    // a clerk holds no task.manage: 403 for the whole batch, nothing done
    const d2 = await createTask(c.office, { title: `${tag} 草稿二`, lead_unit_id: u.sfj.id });
    assertError(await batch('clerk1', { action: 'issue', ids: [d2.id], args: { note: 'x' } }), 403, 'forbidden');
    assertError(await batch('clerk1', { action: 'delete', ids: [d2.id] }), 403, 'forbidden');
    assert.equal(ok(await c.office.get(`/api/v1/tasks/${d2.id}`)).status, 'draft');
    // bad requests: 400, nothing done
    assertError(await batch('office', { action: 'accept', ids: [d2.id] }), 400, 'invalid');
    assertError(await batch('office', { action: 'issue', ids: [] }), 400, 'invalid');
    assertError(await batch('office', { action: 'issue', ids: [d2.id, d2.id] }), 400, 'invalid');
    assertError(await batch('office', { action: 'issue', ids: Array.from({ length: 501 }, (_, i) => i + 1) }), 400, 'invalid');
    assertError(await batch('office', { action: 'issue', ids: ['1'] }), 400, 'invalid');
    assert.equal(ok(await c.office.get(`/api/v1/tasks/${d2.id}`)).status, 'draft');
    // the declaration names the batch actions the caller may take
    const decl = ok(await c.office.get('/api/v1/entities/tasks'));
    assert.deepEqual(decl.batch.map((b) => b.action), ['issue', 'urge', 'delete']);
    assert.deepEqual(ok(await c.clerk1.get('/api/v1/entities/tasks')).batch, []);
});

test('导出选中: export.xlsx?ids= writes only the selected tasks the caller reads; a list takes ?ids= too', async () => {
    const tag = uniq('BX');
    const a = await issuedTask(c, u.sfj, [], { title: `${tag} 甲` });
    const b = await issuedTask(c, u.cgjd, [], { title: `${tag} 乙` });
    await issuedTask(c, u.sfj, [], { title: `${tag} 丙` });
    const r = await c.office.get(`/api/v1/tasks/export.xlsx?ids=${a.id},${b.id}`);
    assert.equal(r.status, 200);
    const titles = xlsxRows(r.buf).slice(1).map((x) => x[1]).sort();
    assert.deepEqual(titles, [`${tag} 甲`, `${tag} 乙`].sort());
    const list = ok(await c.office.get(`/api/v1/tasks?ids=${a.id},${b.id}`));
    assert.equal(list.total, 2);
    // clerk1 reads only 区司法局's: the other selected id is simply not there
    const mine = ok(await c.clerk1.get(`/api/v1/tasks?ids=${a.id},${b.id}`));
    assert.deepEqual(mine.items.map((x) => x.id), [a.id]);
    assert.equal(mine.total, 1);
    assertError(await c.office.get('/api/v1/tasks?ids=1,,2'), 400, 'invalid');
    assertError(await c.office.get('/api/v1/tasks?ids=01'), 400, 'invalid');
});
