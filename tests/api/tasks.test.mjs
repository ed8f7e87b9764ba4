// 督办 tasks: create/update/delete of drafts, validation, subtasks, list filters and sorting, and the
// data scope (a clerk sees only tasks of the own unit, never drafts; 404 outside; leader reads all).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, ok, listAll, uniq } from './lib.mjs';
import { actors, createTask, act, issuedTask, upload, day, auditOf } from './tasks-lib.mjs';

let srv, c, u;
before(async () => {
    srv = await startServer();
    ({ c, u } = await actors(srv));
});
after(async () => { await srv.stopAndCheck(); });

const TASK_FIELDS = ['id', 'document_id', 'document_title', 'parent_id', 'title', 'content', 'category', 'tags',
    'lead_unit_id', 'lead_unit_name', 'co_units', 'lead_ack_at', 'responsible', 'start_on', 'due_on', 'rhythm',
    'custom_dates', 'report_due_on', 'priority', 'supervised', 'status', 'light', 'light_reasons', 'overdue_days',
    'progress', 'child_count', 'milestones', 'allowed_actions', 'issued_at', 'closed_at', 'created_at', 'updated_at',
    'version'];
const LIST_FIELDS = TASK_FIELDS.filter((k) => !['milestones', 'allowed_actions'].includes(k));

test('create → 201 draft with every contract field; GET answers the same task', async () => {
    const doc = ok(await c.office.post('/api/v1/documents', { title: '2026年法治政府建设工作要点', kind: 'work_points', doc_no: '区法办〔2026〕1号' }), 201);
    const t = await createTask(c.office, {
        title: '完善规范性文件备案审查机制', content: '建立健全备案审查制度', category: '制度建设', tags: ['备案审查', '重点'],
        document_id: doc.id, lead_unit_id: u.sfj.id, co_unit_ids: [u.cgjd.id, u.police.id], responsible: '李四',
        start_on: day(0), due_on: day(40), rhythm: 'custom', custom_dates: [day(20), day(10)], priority: 'urgent',
        milestones: [{ title: '起草', due_on: day(10) }, { title: '印发', due_on: day(30) }],
    });
    for (const k of TASK_FIELDS) assert.ok(k in t, `task.${k} missing`);
    assert.equal(t.status, 'draft');
    assert.equal(t.version, 1);
    assert.equal(t.document_id, doc.id);
    assert.equal(t.document_title, '2026年法治政府建设工作要点');
    assert.equal(t.lead_unit_id, u.sfj.id);
    assert.equal(t.lead_unit_name, u.sfj.name);
    assert.deepEqual(t.co_units.map((x) => x.unit_id).sort(), [u.cgjd.id, u.police.id].sort());
    assert.ok(t.co_units.every((x) => x.unit_name && x.acknowledged_at === null));
    assert.deepEqual(t.tags.slice().sort(), ['备案审查', '重点'].sort());
    assert.deepEqual(t.custom_dates, [day(10), day(20)], 'custom dates in order');
    assert.equal(t.priority, 'urgent');
    assert.equal(t.rhythm, 'custom');
    assert.equal(t.supervised, false);
    assert.equal(t.progress, 0);
    assert.equal(t.child_count, 0);
    assert.equal(t.light, 'none', 'a draft has no light');
    assert.deepEqual(t.milestones.map((m) => [m.title, m.due_on, m.done_on]), [['起草', day(10), null], ['印发', day(30), null]]);
    assert.deepEqual(t.allowed_actions, ['issue'], 'office on a draft: issue (edit/delete are PUT/DELETE)');
    assert.deepEqual(ok(await c.office.get(`/api/v1/tasks/${t.id}`)), t);
    const audit = await auditOf(c.auditor, t.id);
    assert.equal(audit.at(-1).action, 'task.create');
    assert.equal(ok(await c.office.get(`/api/v1/documents/${doc.id}`)).task_count, 1);
});

test('create validation → 400 invalid with fields; nothing created', async () => {
    const base = { title: '校验', lead_unit_id: u.sfj.id, due_on: day(10) };
    const bad = [
        [{ ...base, title: '' }, 'title'],
        [{ ...base, title: '题'.repeat(201) }, 'title'],
        [{ ...base, due_on: undefined }, 'due_on'],
        [{ ...base, due_on: '2026-02-30' }, 'due_on'],
        [{ ...base, due_on: '明天' }, 'due_on'],
        [{ ...base, start_on: day(20) }, 'due_on'],
        [{ ...base, lead_unit_id: undefined }, 'lead_unit_id'],
        [{ ...base, lead_unit_id: 99999999 }, 'lead_unit_id'],
        [{ ...base, co_unit_ids: [u.sfj.id] }, 'co_unit_ids'],
        [{ ...base, co_unit_ids: [u.cgjd.id, u.cgjd.id] }, 'co_unit_ids'],
        [{ ...base, co_unit_ids: [99999999] }, 'co_unit_ids'],
        [{ ...base, co_unit_ids: 'all' }, 'co_unit_ids'],
        [{ ...base, rhythm: 'weekly' }, 'rhythm'],
        [{ ...base, rhythm: 'custom' }, 'custom_dates'],
        [{ ...base, rhythm: 'custom', custom_dates: ['someday'] }, 'custom_dates'],
        [{ ...base, priority: 'asap' }, 'priority'],
        [{ ...base, document_id: 99999999 }, 'document_id'],
        [{ ...base, parent_id: 99999999 }, 'parent_id'],
        [{ ...base, tags: Array.from({ length: 11 }, (_, i) => `t${i}`) }, 'tags'],
        [{ ...base, milestones: [{ title: '', due_on: day(1) }] }, 'milestones'],
        [{ ...base, milestones: [{ title: '节点', due_on: 'x' }] }, 'milestones'],
    ];
    const before = ok(await c.office.get('/api/v1/tasks')).total;
    for (const [body, field] of bad) {
        const e = assertError(await c.office.post('/api/v1/tasks', body), 400, 'invalid', JSON.stringify(body).slice(0, 120));
        assert.ok(e.fields && field in e.fields, `fields.${field} for ${JSON.stringify(body).slice(0, 120)}: ${JSON.stringify(e.fields)}`);
    }
    assert.equal(ok(await c.office.get('/api/v1/tasks')).total, before, 'nothing created');
});

test('update a draft: new fields, version+1; stale → 409 and nothing changes', async () => {
    const t = await createTask(c.office, { lead_unit_id: u.sfj.id, co_unit_ids: [u.cgjd.id], tags: ['旧'] });
    const body = { title: '改后的名称', content: '新内容', category: '执法监督', tags: ['新'], lead_unit_id: u.police.id,
        co_unit_ids: [u.sfj.id], responsible: '王五', start_on: day(1), due_on: day(20), rhythm: 'monthly', priority: 'high' };
    const t2 = ok(await c.office.put(`/api/v1/tasks/${t.id}`, { ...body, version: t.version }));
    assert.equal(t2.version, t.version + 1);
    assert.equal(t2.title, '改后的名称');
    assert.equal(t2.lead_unit_id, u.police.id);
    assert.deepEqual(t2.co_units.map((x) => x.unit_id), [u.sfj.id]);
    assert.deepEqual(t2.tags, ['新']);
    assert.equal(t2.rhythm, 'monthly');
    assert.equal(t2.priority, 'high');
    assertError(await c.office.put(`/api/v1/tasks/${t.id}`, { ...body, title: '覆盖', version: t.version }), 409, 'stale_version');
    assert.deepEqual(ok(await c.office.get(`/api/v1/tasks/${t.id}`)), t2);
    const e = assertError(await c.office.put(`/api/v1/tasks/${t.id}`, body), 400, 'invalid');
    assert.ok('version' in e.fields);
    assertError(await c.office.put('/api/v1/tasks/99999999', { ...body, version: 1 }), 404, 'not_found');
    const tl = ok(await c.office.get(`/api/v1/tasks/${t.id}/timeline`)).items.map((x) => x.action);
    assert.deepEqual(tl, ['create', 'update']);
});

test('delete a draft: version required, stale → 409, then 404', async () => {
    const t = await createTask(c.office, { lead_unit_id: u.sfj.id });
    assertError(await c.office.del(`/api/v1/tasks/${t.id}`), 400, 'invalid');
    assertError(await c.office.del(`/api/v1/tasks/${t.id}?version=${t.version + 1}`), 409, 'stale_version');
    assert.deepEqual(ok(await c.office.del(`/api/v1/tasks/${t.id}?version=${t.version}`)), { ok: true });
    assertError(await c.office.get(`/api/v1/tasks/${t.id}`), 404, 'not_found');
    assertError(await c.office.del(`/api/v1/tasks/${t.id}?version=${t.version}`), 404, 'not_found');
    const audit = await auditOf(c.auditor, t.id);
    assert.equal(audit[0].action, 'task.delete');
});

test('subtasks: due date not after the parent, children endpoint (any depth), child_count, delete needs no children', async () => {
    const p = await createTask(c.office, { lead_unit_id: u.sfj.id, due_on: day(30), title: '上级任务' });
    const e = assertError(await c.office.post('/api/v1/tasks', { title: '太晚', lead_unit_id: u.sfj.id, due_on: day(31), parent_id: p.id }), 400, 'invalid');
    assert.ok('due_on' in e.fields, JSON.stringify(e.fields));
    const a = await createTask(c.office, { lead_unit_id: u.sfj.id, due_on: day(30), parent_id: p.id, title: '子任务甲' });
    const b = await createTask(c.office, { lead_unit_id: u.cgjd.id, due_on: day(20), parent_id: p.id, title: '子任务乙' });
    const g = await createTask(c.office, { lead_unit_id: u.sfj.id, due_on: day(15), parent_id: a.id, title: '孙任务' });
    assert.equal(a.parent_id, p.id);
    assertError(await c.office.post('/api/v1/tasks', { title: '孙太晚', lead_unit_id: u.sfj.id, due_on: day(31), parent_id: a.id }), 400, 'invalid');
    assert.equal(ok(await c.office.get(`/api/v1/tasks/${p.id}`)).child_count, 2);
    const kids = ok(await c.office.get(`/api/v1/tasks/${p.id}/children`)).items;
    assert.deepEqual(kids.map((k) => k.id).sort(), [a.id, b.id].sort());
    assert.equal(kids.find((k) => k.id === a.id).child_count, 1);
    assert.equal(kids.find((k) => k.id === b.id).child_count, 0);
    const grand = ok(await c.office.get(`/api/v1/tasks/${a.id}/children`)).items;
    assert.deepEqual(grand.map((k) => k.id), [g.id]);
    assert.deepEqual((await listAll(c.office, `/api/v1/tasks?parent_id=${p.id}`)).map((x) => x.id).sort(), [a.id, b.id].sort());
    const roots = (await listAll(c.office, '/api/v1/tasks?root=1')).map((x) => x.id);
    assert.ok(roots.includes(p.id) && !roots.includes(a.id) && !roots.includes(g.id), 'root=1 lists top-level tasks only');
    // editing a child past its parent is refused too
    const e2 = assertError(await c.office.put(`/api/v1/tasks/${b.id}`, { title: b.title, lead_unit_id: u.cgjd.id, due_on: day(45), parent_id: p.id, version: b.version }), 400, 'invalid');
    assert.ok('due_on' in e2.fields);
    // a draft with children cannot be deleted
    assertError(await c.office.del(`/api/v1/tasks/${p.id}?version=${p.version}`), 409, 'in_use');
    assertError(await c.office.del(`/api/v1/tasks/${a.id}?version=${a.version}`), 409, 'in_use');
    assert.equal(ok(await c.office.get(`/api/v1/tasks/${p.id}`)).version, p.version);
    ok(await c.office.del(`/api/v1/tasks/${g.id}?version=${g.version}`));
    ok(await c.office.del(`/api/v1/tasks/${a.id}?version=${a.version}`));
    ok(await c.office.del(`/api/v1/tasks/${b.id}?version=${b.version}`));
    ok(await c.office.del(`/api/v1/tasks/${p.id}?version=${p.version}`));
    assertError(await c.office.get(`/api/v1/tasks/${p.id}/children`), 404, 'not_found');
});

test('list: filters q, status, unit_id (lead or co), category, tag, document_id, due range, mine; sorts; paging', async () => {
    const tag = uniq('L');
    const doc = ok(await c.office.post('/api/v1/documents', { title: `${tag} 文件`, kind: 'plan' }), 201);
    // a category is an item of the data dictionary task_category
    const cats = ok(await c.sysadmin.get('/api/v1/dict/types?per_page=100')).items.find((x) => x.code === 'task_category');
    ok(await c.sysadmin.post('/api/v1/dict/items', { type_id: cats.id, code: `${tag}类`, zh: `${tag}类` }), 201);
    const t1 = await createTask(c.office, { title: `${tag} 甲`, lead_unit_id: u.sfj.id, due_on: day(10), category: `${tag}类`, tags: [tag], priority: 'normal' });
    const t2 = await issuedTask(c, u.police, [u.sfj], { title: `${tag} 乙`, due_on: day(20), document_id: doc.id, priority: 'urgent' });
    const t3 = await issuedTask(c, u.cgjd, [], { title: `${tag} 丙`, due_on: day(30), tags: [tag], priority: 'high' });
    const ids = (path) => listAll(c.office, path).then((xs) => xs.map((x) => x.id));
    const q = `q=${encodeURIComponent(tag)}`;
    assert.deepEqual(await ids(`/api/v1/tasks?${q}`), [t1.id, t2.id, t3.id], 'default sort: due_on');
    assert.deepEqual(await ids(`/api/v1/tasks?${q}&status=draft`), [t1.id]);
    assert.deepEqual(await ids(`/api/v1/tasks?${q}&status=issued`), [t2.id, t3.id]);
    assert.deepEqual(await ids(`/api/v1/tasks?${q}&unit_id=${u.sfj.id}`), [t1.id, t2.id], 'lead or co-unit');
    assert.deepEqual(await ids(`/api/v1/tasks?${q}&unit_id=${u.cgjd.id}`), [t3.id]);
    assert.deepEqual(await ids(`/api/v1/tasks?category=${encodeURIComponent(`${tag}类`)}`), [t1.id]);
    assert.deepEqual(await ids(`/api/v1/tasks?tag=${encodeURIComponent(tag)}`), [t1.id, t3.id]);
    assert.deepEqual(await ids(`/api/v1/tasks?document_id=${doc.id}`), [t2.id]);
    assert.deepEqual(await ids(`/api/v1/tasks?${q}&due_from=${day(15)}&due_to=${day(25)}`), [t2.id]);
    assert.deepEqual(await ids(`/api/v1/tasks?${q}&due_from=${day(20)}`), [t2.id, t3.id], 'due_from inclusive');
    assert.deepEqual(await ids(`/api/v1/tasks?${q}&sort=-due_on`), [t3.id, t2.id, t1.id]);
    assert.deepEqual(await ids(`/api/v1/tasks?${q}&sort=priority`), [t2.id, t3.id, t1.id], 'urgent, high, normal');
    const byTitle = [t1, t2, t3].sort((a, b) => (a.title < b.title ? -1 : 1)).map((x) => x.id);
    assert.deepEqual(await ids(`/api/v1/tasks?${q}&sort=title`), byTitle, 'sort=title');
    // mine=1 for clerk1 (区司法局): the task where 区司法局 is a co-unit; the draft is not visible
    assert.deepEqual((await listAll(c.clerk1, `/api/v1/tasks?${q}&mine=1`)).map((x) => x.id), [t2.id]);
    const p1 = ok(await c.office.get(`/api/v1/tasks?${q}&per_page=2&page=1`));
    const p2 = ok(await c.office.get(`/api/v1/tasks?${q}&per_page=2&page=2`));
    assert.equal(p1.total, 3);
    assert.deepEqual([...p1.items, ...p2.items].map((x) => x.id), [t1.id, t2.id, t3.id]);
    for (const it of p1.items) for (const k of LIST_FIELDS) assert.ok(k in it, `list item .${k}`);
    for (const bad of ['status=open', 'light=blue', 'sort=nosuch', 'per_page=201', 'due_from=yesterday', 'unit_id=abc', 'page=0']) {
        assertError(await c.office.get(`/api/v1/tasks?${bad}`), 400, 'invalid', bad);
    }
    assert.equal(ok(await c.office.get(`/api/v1/tasks?q=${encodeURIComponent("' OR 1=1 --")}`)).total, 0);
    for (const it of await listAll(c.office, `/api/v1/tasks?q=${encodeURIComponent('%')}`)) {
        assert.ok(`${it.title}${it.content}`.includes('%'), `q=% must match a literal percent sign only: ${it.title}`);
    }
    assert.equal(ok(await c.office.get(`/api/v1/tasks?q=${encodeURIComponent(`${tag}_`)}`)).total, 0, '_ is literal');
});

test('scope: clerk1 sees only tasks of 区司法局 (lead or co-unit), never drafts; 404 elsewhere', async () => {
    const mineLead = await issuedTask(c, u.sfj, [], { title: '司法局牵头' });
    const mineCo = await issuedTask(c, u.police, [u.sfj], { title: '司法局配合' });
    const other = await issuedTask(c, u.police, [u.cgjd], { title: '公安牵头城关配合' });
    const draft = await createTask(c.office, { lead_unit_id: u.sfj.id, title: '司法局草稿' });
    const see1 = (await listAll(c.clerk1, '/api/v1/tasks')).map((x) => x.id);
    assert.ok(see1.includes(mineLead.id) && see1.includes(mineCo.id), 'clerk1 sees its tasks');
    assert.ok(!see1.includes(other.id), 'clerk1 does not see a task of other units');
    assert.ok(!see1.includes(draft.id), 'clerk1 does not see drafts');
    for (const it of await listAll(c.clerk1, '/api/v1/tasks')) {
        const units = [it.lead_unit_id, ...it.co_units.map((x) => x.unit_id)];
        assert.ok(units.includes(u.sfj.id), `clerk1 list item ${it.id} is not a 区司法局 task`);
        assert.notEqual(it.status, 'draft');
    }
    for (const t of [other, draft]) {
        for (const p of ['', '/timeline', '/children', '/extensions', '/urgings']) {
            assertError(await c.clerk1.get(`/api/v1/tasks/${t.id}${p}`), 404, 'not_found', `clerk1 GET ${t.title}${p}`);
        }
    }
    assert.equal(ok(await c.clerk1.get(`/api/v1/tasks?unit_id=${u.police.id}&per_page=200`)).items.some((x) => x.id === other.id), false,
        'unit_id of another unit does not widen the scope');
    // clerk2 (城关街道) sees `other` (co-unit) but none of 区司法局's
    const see2 = (await listAll(c.clerk2, '/api/v1/tasks')).map((x) => x.id);
    assert.ok(see2.includes(other.id));
    assert.ok(!see2.includes(mineLead.id) && !see2.includes(mineCo.id) && !see2.includes(draft.id));
    assertError(await c.clerk2.get(`/api/v1/tasks/${mineLead.id}`), 404, 'not_found');
    // the leader reads everything issued but has no action
    const seeL = (await listAll(c.leader, '/api/v1/tasks')).map((x) => x.id);
    for (const t of [mineLead, mineCo, other]) assert.ok(seeL.includes(t.id), `leader sees ${t.title}`);
    assert.deepEqual(ok(await c.leader.get(`/api/v1/tasks/${other.id}`)).allowed_actions, []);
    // stats follow the scope
    const st1 = ok(await c.clerk1.get('/api/v1/tasks/stats'));
    const sum = (o) => Object.values(o).reduce((s, n) => s + n, 0);
    assert.equal(sum(st1.by_status), see1.length, 'clerk1 stats count only its tasks');
    assert.equal(st1.by_status.draft, 0);
});

test('scope: attachments on the timeline of a task outside scope cannot be downloaded', async () => {
    const other = await issuedTask(c, u.cgjd, [u.police], {}, ['clerk2']);
    const f = await upload(c.clerk2, '城关材料.pdf');
    await act(c.clerk2, other, 'report', { note: '城关进展', attachment_ids: [f.id] });
    const ev = ok(await c.clerk2.get(`/api/v1/tasks/${other.id}/timeline`)).items.at(-1);
    assert.deepEqual(ev.attachments.map((a) => a.id), [f.id]);
    const got = await c.clerk2.get(`/api/v1/files/${f.id}`);
    assert.equal(got.status, 200, 'the uploader\'s unit downloads it');
    assert.ok(got.buf.subarray(0, 5).equals(Buffer.from('%PDF-')));
    assert.equal((await c.office.get(`/api/v1/files/${f.id}`)).status, 200, 'the office downloads it');
    assert.equal((await c.leader.get(`/api/v1/files/${f.id}`)).status, 200, 'the leader (task.read, all) downloads it');
    assertError(await c.clerk1.get(`/api/v1/files/${f.id}`), 404, 'not_found', 'clerk1 must not download 城关街道\'s file');
    assertError(await c.auditor.get(`/api/v1/files/${f.id}`), 404, 'not_found', 'auditor has no task.read');
});

test('write routes need task.manage: clerk and leader get 403 and nothing is created', async () => {
    const before = ok(await c.office.get('/api/v1/tasks')).total;
    for (const who of ['clerk1', 'leader', 'inspector']) {
        assertError(await c[who].post('/api/v1/tasks', { title: 'x', lead_unit_id: u.sfj.id, due_on: day(5) }), 403, 'forbidden', who);
    }
    const t = await createTask(c.office, { lead_unit_id: u.sfj.id });
    assertError(await c.clerk1.put(`/api/v1/tasks/${t.id}`, { title: 'x', lead_unit_id: u.sfj.id, due_on: day(5), version: 1 }), 403, 'forbidden');
    assertError(await c.clerk1.del(`/api/v1/tasks/${t.id}?version=1`), 403, 'forbidden');
    for (const who of ['sysadmin', 'auditor']) assertError(await c[who].get('/api/v1/tasks'), 403, 'forbidden', who);
    assert.equal(ok(await c.office.get('/api/v1/tasks')).total, before + 1);
});
