// 来源文件 (documents): CRUD with versions, validation, kinds, list filters, attachments,
// task_count and 409 in_use when tasks reference a document; permissions.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, ok, listAll, uniq } from './lib.mjs';
import { actors, createTask, upload } from './tasks-lib.mjs';

let srv, c, u;
before(async () => {
    srv = await startServer();
    ({ c, u } = await actors(srv));
});
after(async () => { await srv.stopAndCheck(); });

const DOC_FIELDS = ['id', 'doc_no', 'title', 'issuer', 'issued_on', 'kind', 'summary', 'task_count', 'attachments',
    'created_at', 'updated_at', 'version'];
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

const create = async (body, who = 'office') => ok(await c[who].post('/api/v1/documents', { kind: 'notice', ...body }), 201, 'create document');

test('create → 201 with version 1 and every field; GET answers the same document', async () => {
    const f = await upload(c.office, '工作要点.pdf');
    const d = await create({ doc_no: '区委法办发〔2026〕3号', title: '2026年全区法治政府建设工作要点', issuer: '区委全面依法治区委员会办公室',
        issued_on: '2026-03-01', kind: 'work_points', summary: '共 5 个方面 28 项', attachment_ids: [f.id] });
    for (const k of DOC_FIELDS) assert.ok(k in d, `document.${k} missing`);
    assert.equal(d.version, 1);
    assert.equal(d.kind, 'work_points');
    assert.equal(d.issued_on, '2026-03-01');
    assert.equal(d.task_count, 0);
    assert.match(d.created_at, ISO);
    assert.deepEqual(d.attachments.map((a) => [a.id, a.name]), [[f.id, '工作要点.pdf']]);
    for (const k of ['id', 'name', 'size', 'mime']) assert.ok(k in d.attachments[0], `attachment.${k}`);
    assert.deepEqual(ok(await c.office.get(`/api/v1/documents/${d.id}`)), d);
    // readers of tasks read documents and their files
    assert.deepEqual(ok(await c.clerk1.get(`/api/v1/documents/${d.id}`)), d);
    assert.equal((await c.leader.get(`/api/v1/files/${f.id}`)).status, 200);
    assertError(await c.auditor.get(`/api/v1/files/${f.id}`), 404, 'not_found');
    // an attachment belongs to one record
    const e = assertError(await c.office.post('/api/v1/documents', { title: '再用附件', kind: 'other', attachment_ids: [f.id] }), 400, 'invalid');
    assert.ok('attachment_ids' in e.fields);
    // another user's upload cannot be claimed
    const g = await upload(c.clerk1, '联络员的.pdf');
    assertError(await c.office.post('/api/v1/documents', { title: '别人的附件', kind: 'other', attachment_ids: [g.id] }), 400, 'invalid');
});

test('every kind is accepted; validation → 400 with fields; nothing created', async () => {
    for (const kind of ['work_points', 'plan', 'minutes', 'notice', 'other']) assert.equal((await create({ title: `类型 ${kind}`, kind })).kind, kind);
    const before = ok(await c.office.get('/api/v1/documents')).total;
    const bad = [
        [{ title: '', kind: 'notice' }, 'title'],
        [{ kind: 'notice' }, 'title'],
        [{ title: '题'.repeat(201), kind: 'notice' }, 'title'],
        [{ title: 'x', kind: 'memo' }, 'kind'],
        [{ title: 'x' }, 'kind'],
        [{ title: 'x', kind: 'notice', issued_on: '2026-02-30' }, 'issued_on'],
        [{ title: 'x', kind: 'notice', issued_on: '三月一日' }, 'issued_on'],
        [{ title: 'x', kind: 'notice', doc_no: '号'.repeat(61) }, 'doc_no'],
        [{ title: 'x', kind: 'notice', attachment_ids: 'a' }, 'attachment_ids'],
    ];
    for (const [body, field] of bad) {
        const e = assertError(await c.office.post('/api/v1/documents', body), 400, 'invalid', JSON.stringify(body).slice(0, 80));
        assert.ok(e.fields && field in e.fields, `fields.${field}: ${JSON.stringify(e.fields)}`);
    }
    assert.equal(ok(await c.office.get('/api/v1/documents')).total, before);
});

test('update with version → version+1; stale → 409 and nothing changes; 404 for unknown', async () => {
    const d = await create({ title: '原标题', doc_no: 'A-1' });
    const body = { title: '新标题', doc_no: 'A-2', issuer: '区政府', issued_on: '2026-05-05', kind: 'plan', summary: '摘要' };
    const d2 = ok(await c.office.put(`/api/v1/documents/${d.id}`, { ...body, version: d.version }));
    assert.equal(d2.version, d.version + 1);
    assert.equal(d2.title, '新标题');
    assert.equal(d2.kind, 'plan');
    assert.equal(d2.issued_on, '2026-05-05');
    assertError(await c.office.put(`/api/v1/documents/${d.id}`, { ...body, title: '覆盖', version: d.version }), 409, 'stale_version');
    assert.deepEqual(ok(await c.office.get(`/api/v1/documents/${d.id}`)), d2);
    const e = assertError(await c.office.put(`/api/v1/documents/${d.id}`, body), 400, 'invalid');
    assert.ok('version' in e.fields);
    assertError(await c.office.put('/api/v1/documents/99999999', { ...body, version: 1 }), 404, 'not_found');
    assertError(await c.office.get('/api/v1/documents/99999999'), 404, 'not_found');
});

test('delete: 409 in_use while tasks reference it (task_count), ok once they are gone', async () => {
    const d = await create({ title: '有任务的文件' });
    const t = await createTask(c.office, { lead_unit_id: u.sfj.id, document_id: d.id });
    const t2 = await createTask(c.office, { lead_unit_id: u.cgjd.id, document_id: d.id });
    assert.equal(ok(await c.office.get(`/api/v1/documents/${d.id}`)).task_count, 2);
    assertError(await c.office.del(`/api/v1/documents/${d.id}?version=${d.version}`), 409, 'in_use');
    assert.equal(ok(await c.office.get(`/api/v1/documents/${d.id}`)).version, d.version, 'nothing changed');
    ok(await c.office.del(`/api/v1/tasks/${t.id}?version=${t.version}`));
    assertError(await c.office.del(`/api/v1/documents/${d.id}?version=${d.version}`), 409, 'in_use');
    ok(await c.office.del(`/api/v1/tasks/${t2.id}?version=${t2.version}`));
    assert.equal(ok(await c.office.get(`/api/v1/documents/${d.id}`)).task_count, 0);
    assertError(await c.office.del(`/api/v1/documents/${d.id}`), 400, 'invalid', 'version missing');
    assertError(await c.office.del(`/api/v1/documents/${d.id}?version=${d.version + 1}`), 409, 'stale_version');
    assert.deepEqual(ok(await c.office.del(`/api/v1/documents/${d.id}?version=${d.version}`)), { ok: true });
    assertError(await c.office.get(`/api/v1/documents/${d.id}`), 404, 'not_found');
    const audit = ok(await c.auditor.get(`/api/v1/audit?object_type=document&object_id=${d.id}`)).items.map((a) => a.action);
    assert.deepEqual(audit, ['document.delete', 'document.create']);
});

test('list: q (title or 文号), kind, year filters, sort by issued_on (newest first), paging', async () => {
    const tag = uniq('D');
    const a = await create({ title: `${tag} 甲`, doc_no: `${tag}-001`, issued_on: '2025-06-01', kind: 'plan' });
    const b = await create({ title: `${tag} 乙`, doc_no: `X-${tag}`, issued_on: '2026-01-15', kind: 'minutes' });
    const cc = await create({ title: `${tag} 丙`, issued_on: '2026-09-30', kind: 'plan' });
    const ids = (p) => listAll(c.office, p).then((xs) => xs.map((x) => x.id));
    const q = `q=${encodeURIComponent(tag)}`;
    assert.deepEqual(await ids(`/api/v1/documents?${q}`), [cc.id, b.id, a.id], 'newest first');
    assert.deepEqual(await ids(`/api/v1/documents?q=${encodeURIComponent(`X-${tag}`)}`), [b.id], 'by 文号');
    assert.deepEqual(await ids(`/api/v1/documents?${q}&kind=plan`), [cc.id, a.id]);
    assert.deepEqual(await ids(`/api/v1/documents?${q}&year=2026`), [cc.id, b.id]);
    assert.deepEqual(await ids(`/api/v1/documents?${q}&year=2025`), [a.id]);
    assert.deepEqual(await ids(`/api/v1/documents?${q}&sort=issued_on`), [a.id, b.id, cc.id]);
    const p = ok(await c.office.get(`/api/v1/documents?${q}&per_page=2&page=2`));
    assert.equal(p.total, 3);
    assert.deepEqual(p.items.map((x) => x.id), [a.id]);
    for (const k of DOC_FIELDS.filter((x) => x !== 'attachments')) assert.ok(k in p.items[0], `list item .${k}`);
    for (const bad of ['year=abc', 'per_page=500', 'sort=nosuch', 'page=0']) assertError(await c.office.get(`/api/v1/documents?${bad}`), 400, 'invalid', bad);
    assert.equal(ok(await c.office.get(`/api/v1/documents?q=${encodeURIComponent("' OR 1=1 --")}`)).total, 0);
});

test('permissions: clerks and leaders read; only task.manage writes (403, nothing changes); admins 403', async () => {
    const d = await create({ title: '权限文件' });
    for (const who of ['clerk1', 'leader', 'inspector']) {
        assert.ok(ok(await c[who].get('/api/v1/documents')).total >= 1, `${who} lists documents`);
        assertError(await c[who].post('/api/v1/documents', { title: 'x', kind: 'notice' }), 403, 'forbidden', who);
        assertError(await c[who].put(`/api/v1/documents/${d.id}`, { title: 'x', kind: 'notice', version: d.version }), 403, 'forbidden', who);
        assertError(await c[who].del(`/api/v1/documents/${d.id}?version=${d.version}`), 403, 'forbidden', who);
    }
    for (const who of ['sysadmin', 'auditor']) assertError(await c[who].get('/api/v1/documents'), 403, 'forbidden', who);
    assert.deepEqual(ok(await c.office.get(`/api/v1/documents/${d.id}`)), d);
});
