// Workflow kinds (features/flow): GET /api/v1/kinds lists the kinds the caller may read (督办 is
// the first), GET /api/v1/kinds/{kind} serves the declaration the engine walks — states,
// transitions with who may take them, notes, arguments and their limits, guards — and the API
// answers by that same declaration: a record's allowed_actions are its transitions, an argument
// out of its declared bounds is refused with those bounds, a guard's message is the 409's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, ok, CONTRACT, HAS_CJK } from './lib.mjs';
import { actors, act, issuedTask, refused, invalid } from './tasks-lib.mjs';

let srv, c, u;
before(async () => {
    srv = await startServer();
    ({ c, u } = await actors(srv));
});
after(async () => { await srv.stopAndCheck(); });

const EN = { headers: { 'Accept-Language': 'en' } };

test('GET /api/v1/kinds lists task for those who read tasks; others see none of it', async () => {
    const j = ok(await c.clerk1.get('/api/v1/kinds'));
    const task = j.items.find((k) => k.name === 'task');
    assert.ok(task, JSON.stringify(j));
    assert.equal(task.entity, 'tasks');
    assert.equal(task.title, '督办任务');
    assert.equal(ok(await c.clerk1.get('/api/v1/kinds', EN)).items.find((k) => k.name === 'task').title,
        'Supervised task');
    // the security auditor holds no task.read: neither the list nor the declaration shows it
    assert.ok(!ok(await c.auditor.get('/api/v1/kinds')).items.some((k) => k.name === 'task'));
    assertError(await c.auditor.get('/api/v1/kinds/task'), 404, 'not_found');
    assertError(await c.clerk1.get('/api/v1/kinds/no_such_kind'), 404, 'not_found');
    assertError(await srv.client().get('/api/v1/kinds'), 401, 'unauthenticated');
});

test('GET /api/v1/kinds/task: the states and transitions of the 督办 state machine', async () => {
    const k = ok(await c.office.get('/api/v1/kinds/task'));
    assert.deepEqual(k.states.map((s) => s.code), ['draft', 'issued', 'in_progress', 'closing', 'done', 'cancelled']);
    assert.deepEqual(k.states.filter((s) => s.final).map((s) => s.code), ['done', 'cancelled']);
    // the actions the route accepts are exactly the declared ones (docs/openapi.yaml's enum too)
    const spec = CONTRACT.doc.paths['/api/v1/tasks/{id}/actions/{action}'].post;
    const actionEnum = spec.parameters.find((p) => p.name === 'action').schema.enum;
    assert.deepEqual([...k.transitions.map((t) => t.action)].sort(), [...actionEnum].sort());
    const t = Object.fromEntries(k.transitions.map((x) => [x.action, x]));
    assert.deepEqual(t.issue.from, ['draft']);
    assert.equal(t.issue.to, 'issued');
    assert.equal(t.issue.perm, 'task.manage');
    assert.equal(t.issue.relation, null);
    assert.equal(t.issue.label, '下发');
    assert.ok(t.issue.confirm && HAS_CJK.test(t.issue.confirm.text));
    assert.equal(t.acknowledge.to, null, 'acknowledge keeps the state (the lead unit signing starts it)');
    assert.equal(t.request_close.relation.code, 'lead_acked');
    assert.equal(t.request_close.perm, 'task.work');
    assert.equal(t.report.note_required, true);
    assert.equal(t.supervise.note_required, false);
    assert.deepEqual(t.cancel.from, ['issued', 'in_progress', 'closing']);
    assert.equal(t.cancel.style, 'danger');
    // guards are served with their messages
    assert.equal(t.supervise.guards.length, 1);
    assert.match(t.supervise.guards[0].zh, /已挂牌督办/);
    // arguments with types and limits; the same limits as the documented request body
    const progress = t.report.args.find((a) => a.name === 'progress');
    assert.deepEqual([progress.type, progress.min, progress.max, progress.required], ['int', 0, 100, false]);
    assert.deepEqual(t.decide_extension.args.map((a) => [a.name, a.type, a.required]),
        [['extension_id', 'ref', true], ['approve', 'bool', true]]);
    assert.deepEqual(t.request_extension.args.map((a) => [a.name, a.type, a.required]), [['new_due_on', 'date', true]]);
    const body = CONTRACT.doc.components.schemas.TaskAction.properties;
    for (const tr of k.transitions) {
        assert.equal(tr.note_max, body.note.maxLength, `${tr.action}: note limit`);
        assert.equal(tr.attachments, true);
        for (const a of tr.args) {
            assert.ok(body[a.name], `${tr.action}.${a.name} is documented in TaskAction`);
            if (a.type === 'int') {
                assert.equal(a.min, body[a.name].minimum, `${tr.action}.${a.name} minimum`);
                assert.equal(a.max, body[a.name].maximum, `${tr.action}.${a.name} maximum`);
            }
        }
    }
    assert.deepEqual(k.clocks, [], '督办 deadlines are set per task, not statutory');
    // labels in the request's language, both kept
    const en = ok(await c.office.get('/api/v1/kinds/task', EN));
    const enIssue = en.transitions.find((x) => x.action === 'issue');
    assert.equal(enIssue.label, 'Issue');
    assert.equal(enIssue.zh, '下发');
    assert.doesNotMatch(enIssue.confirm.text, HAS_CJK);
});

test("a record's allowed_actions are transitions of the declaration that start from its state", async () => {
    const k = ok(await c.office.get('/api/v1/kinds/task'));
    const from = Object.fromEntries(k.transitions.map((x) => [x.action, x.from]));
    const t = await issuedTask(c, u.sfj, [u.cgjd]);
    for (const who of ['office', 'clerk1', 'clerk2']) {
        const mine = ok(await c[who].get(`/api/v1/tasks/${t.id}`));
        assert.ok(mine.allowed_actions.length > 0, who);
        for (const a of mine.allowed_actions) assert.ok(from[a]?.includes(mine.status), `${who}: ${a} from ${mine.status}`);
    }
});

test('a guard refuses with its own message (409 invalid_transition), in both languages', async () => {
    const t = await issuedTask(c, u.sfj);
    const t2 = await act(c.office, t, 'supervise', { note: '挂牌' });
    const e = await refused(c, 'office', t2, 'supervise', {}, 'supervise twice');
    assert.equal(e.message, '该任务已挂牌督办');
    const cur = ok(await c.office.get(`/api/v1/tasks/${t.id}`));
    const en = assertError(await c.office.post(`/api/v1/tasks/${t.id}/actions/supervise`, { version: cur.version }, EN),
        409, 'invalid_transition');
    assert.equal(en.message, 'The task is already under formal supervision');
    // not a guard but the state: the general message names the action
    const d = await refused(c, 'office', t2, 'accept', {}, 'accept while issued');
    assert.equal(d.message, '当前状态下不能执行“审核办结”');
    // decide_extension with nothing pending: the guard's message
    const x = await refused(c, 'office', t2, 'decide_extension', { extension_id: 1, approve: true }, 'nothing pending');
    assert.equal(x.message, '没有待审批的延期申请');
});

test('argument bounds come from the declaration: progress 0–100, dates, ids, booleans', async () => {
    const t = await issuedTask(c, u.sfj, [], {}, ['clerk1']);
    let e = await invalid(c, 'clerk1', t, 'report', { note: '进展', progress: 101 }, 'progress');
    assert.equal(e.fields.progress, '须在 0 到 100 之间');
    e = await invalid(c, 'clerk1', t, 'report', { note: '进展', progress: -1 }, 'progress');
    e = await invalid(c, 'clerk1', t, 'report', { note: '进展', progress: '50' }, 'progress');
    assert.equal(e.fields.progress, '须为整数');
    e = await invalid(c, 'clerk1', t, 'request_extension', { note: '延期' }, 'new_due_on');
    assert.equal(e.fields.new_due_on, '必填');
    e = await invalid(c, 'office', t, 'urge', { note: '催', unit_id: 0 }, 'unit_id');
    e = await invalid(c, 'clerk1', t, 'report', { note: 'x'.repeat(4001) }, 'note');
    assert.match(e.fields.note, /4000/);
    const cur = ok(await c.office.get(`/api/v1/tasks/${t.id}`));
    e = assertError(await c.office.post(`/api/v1/tasks/${t.id}/actions/decide_extension`,
        { version: cur.version, extension_id: 1, approve: 'yes' }), 400, 'invalid');
    assert.equal(e.fields.approve, '须为 true 或 false');
    // an argument another action declares is ignored, as before
    const t2 = await act(c.clerk1, t, 'report', { note: '进展', progress: 20, new_due_on: 'whenever' });
    assert.equal(t2.progress, 20);
});
