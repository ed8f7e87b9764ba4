// 督办 state machine (docs/API-tasks.md, the action table): every allowed transition for the right
// actor answers the updated task; every refused one answers 409 invalid_transition with
// fields.allowed_actions and changes nothing (row, version, timeline, audit); notes where required;
// stale versions; extensions, urgings, notifications and the timeline.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, ok } from './lib.mjs';
import {
    actors, createTask, act, actRaw, issuedTask, refused, invalid, snapshot, auditOf, upload, day, today,
    workdaysAfter,
} from './tasks-lib.mjs';

let srv, c, u;
before(async () => {
    srv = await startServer();
    ({ c, u } = await actors(srv));
});
after(async () => { await srv.stopAndCheck(); });

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const sorted = (a) => [...a].sort();

async function inbox(client, taskId, kind) {
    const j = ok(await client.get('/api/v1/notifications?per_page=200'));
    return j.items.filter((n) => n.task_id === taskId && (!kind || n.kind === kind));
}

test('issue: draft → issued by the office; version+1, issued_at, timeline and audit record', async () => {
    const d = await createTask(c.office, { lead_unit_id: u.sfj.id, co_unit_ids: [u.cgjd.id] });
    assert.equal(d.status, 'draft');
    assert.equal(d.light, 'none');
    assert.ok(d.allowed_actions.includes('issue'), `office may issue a draft: ${d.allowed_actions}`);
    const auditBefore = (await auditOf(c.auditor, d.id)).length;
    const t = await act(c.office, d, 'issue', { note: '请按期办理' });
    assert.equal(t.status, 'issued');
    assert.equal(t.version, d.version + 1);
    assert.match(t.issued_at, ISO);
    assert.equal(t.lead_ack_at, null);
    assert.deepEqual(t.co_units.map((x) => [x.unit_id, x.acknowledged_at]), [[u.cgjd.id, null]]);
    assert.ok(!t.allowed_actions.includes('issue'));
    const tl = ok(await c.office.get(`/api/v1/tasks/${t.id}/timeline`)).items;
    assert.equal(tl.at(-1).action, 'issue');
    assert.equal(tl.at(-1).note, '请按期办理');
    const audit = await auditOf(c.auditor, d.id);
    assert.equal(audit.length, auditBefore + 1);
    assert.equal(audit[0].action, 'task.issue');
    assert.equal(audit[0].actor, 'office');
    await refused(c, 'office', t, 'issue', {}, 'issue twice');
});

test('issue raises a task_issued notification for the clerks of the lead and the co-unit, not for others', async () => {
    const t = await issuedTask(c, u.sfj, [u.cgjd]);
    const n1 = await inbox(c.clerk1, t.id, 'task_issued');
    assert.equal(n1.length, 1, 'clerk1 (区司法局, lead) has the task_issued notification');
    assert.ok(n1[0].title.includes(t.title), n1[0].title);
    assert.equal(n1[0].read_at, null);
    assert.ok(String(n1[0].link).includes(String(t.id)), `link ${n1[0].link}`);
    assert.equal((await inbox(c.clerk2, t.id, 'task_issued')).length, 1, 'clerk2 (城关街道, co-unit) too');
    const other = await issuedTask(c, u.police, [u.finance]);
    assert.equal((await inbox(c.clerk1, other.id)).length, 0, 'no notification for an unrelated unit');
});

test('acknowledge: a co-unit signing keeps issued; the lead unit signing moves it to in_progress', async () => {
    const t0 = await issuedTask(c, u.sfj, [u.cgjd]);
    const c1 = ok(await c.clerk1.get(`/api/v1/tasks/${t0.id}`));
    assert.ok(c1.allowed_actions.includes('acknowledge'), `clerk1 may acknowledge: ${c1.allowed_actions}`);
    assert.ok(!c1.allowed_actions.includes('report'), 'no report before acknowledging');
    const t1 = await act(c.clerk2, t0, 'acknowledge');
    assert.equal(t1.status, 'issued', 'a co-unit signing does not start the task');
    assert.match(t1.co_units[0].acknowledged_at, ISO);
    assert.equal(t1.lead_ack_at, null);
    await refused(c, 'clerk2', t1, 'acknowledge', {}, 'co-unit acknowledges twice');
    const t2 = await act(c.clerk1, t1, 'acknowledge', { note: '收到' });
    assert.equal(t2.status, 'in_progress');
    assert.match(t2.lead_ack_at, ISO);
    assert.equal(t2.version, t1.version + 1);
    await refused(c, 'clerk1', t2, 'acknowledge', {}, 'lead acknowledges twice');
});

test('the lead signing first starts the task; a co-unit may still sign afterwards', async () => {
    const t = await issuedTask(c, u.sfj, [u.cgjd], {}, ['clerk1']);
    assert.equal(t.status, 'in_progress');
    const t2 = await act(c.clerk2, t, 'acknowledge');
    assert.equal(t2.status, 'in_progress');
    assert.ok(t2.co_units[0].acknowledged_at);
});

test('refused: office acknowledging, clerk of an assigned unit accepting/issuing/urging/cancelling', async () => {
    const t = await issuedTask(c, u.sfj, [u.cgjd]);
    await refused(c, 'office', t, 'acknowledge', {}, 'office acknowledges');
    for (const a of ['issue', 'accept', 'return', 'cancel', 'reopen', 'supervise', 'urge', 'decide_extension']) {
        await refused(c, 'clerk1', t, a, { note: '越权', unit_id: u.sfj.id, extension_id: 1, approve: true }, `clerk1 ${a}`);
    }
});

test('report: refused before acknowledging; note required; lead report with progress and attachment', async () => {
    const t0 = await issuedTask(c, u.sfj, [u.cgjd]);
    await refused(c, 'clerk1', t0, 'report', { note: '进展', progress: 10 }, 'report before acknowledge (issued)');
    const t1 = await act(c.clerk1, t0, 'acknowledge');
    await refused(c, 'clerk2', t1, 'report', { note: '进展' }, 'co-unit report before its acknowledge');
    await invalid(c, 'clerk1', t1, 'report', { progress: 10 }, 'note');
    await invalid(c, 'clerk1', t1, 'report', { note: '', progress: 10 }, 'note');
    await invalid(c, 'clerk1', t1, 'report', { note: '进展', progress: 101 }, 'progress');
    const f = await upload(c.clerk1, '进展材料.pdf');
    const t2 = await act(c.clerk1, t1, 'report', { note: '已完成调研', progress: 40, attachment_ids: [f.id] });
    assert.equal(t2.status, 'in_progress');
    assert.equal(t2.progress, 40);
    assert.equal(t2.version, t1.version + 1);
    const ev = ok(await c.office.get(`/api/v1/tasks/${t2.id}/timeline`)).items.at(-1);
    assert.equal(ev.action, 'report');
    assert.equal(ev.note, '已完成调研');
    assert.equal(ev.progress, 40);
    assert.equal(ev.unit_id, u.sfj.id);
    assert.deepEqual(ev.attachments.map((a) => [a.id, a.name]), [[f.id, '进展材料.pdf']]);
    // an attachment belongs to one record only
    await invalid(c, 'clerk1', t2, 'report', { note: '再用一次', attachment_ids: [f.id] }, 'attachment_ids');
    // the co-unit reports once acknowledged
    await act(c.clerk2, t2, 'acknowledge');
    const t3 = await act(c.clerk2, t2, 'report', { note: '配合单位进展', progress: 50 });
    assert.equal(t3.status, 'in_progress');
});

test('request_close: lead only, note required; co-unit and leader refused; closing', async () => {
    const t = await issuedTask(c, u.sfj, [u.cgjd], {}, ['clerk1', 'clerk2']);
    await refused(c, 'clerk2', t, 'request_close', { note: '申请办结' }, 'co-unit request_close');
    await refused(c, 'leader', t, 'request_close', { note: '申请办结' }, 'leader request_close');
    await refused(c, 'office', t, 'request_close', { note: '申请办结' }, 'office request_close');
    await refused(c, 'office', t, 'accept', {}, 'accept while in_progress');
    await refused(c, 'office', t, 'return', { note: '退回' }, 'return while in_progress');
    await invalid(c, 'clerk1', t, 'request_close', {}, 'note');
    const f = await upload(c.clerk1, '办结佐证.pdf');
    const t2 = await act(c.clerk1, t, 'request_close', { note: '已全部完成', attachment_ids: [f.id], progress: 100 });
    assert.equal(t2.status, 'closing');
    await refused(c, 'clerk1', t2, 'report', { note: '还在做' }, 'report while closing');
    await refused(c, 'clerk1', t2, 'request_close', { note: '再申请' }, 'request_close while closing');
    await refused(c, 'clerk1', t2, 'request_extension', { new_due_on: day(90), note: '延期' }, 'extension while closing');
    await refused(c, 'office', t2, 'urge', { unit_id: u.sfj.id, note: '催' }, 'urge while closing');
});

test('return: note required, back to in_progress, task_returned for the lead unit clerk', async () => {
    const t = await issuedTask(c, u.sfj, [u.cgjd], {}, ['clerk1']);
    const t2 = await act(c.clerk1, t, 'request_close', { note: '完成' });
    await invalid(c, 'office', t2, 'return', {}, 'note');
    await refused(c, 'clerk1', t2, 'return', { note: '自己退回' }, 'clerk return');
    const t3 = await act(c.office, t2, 'return', { note: '佐证材料不足' });
    assert.equal(t3.status, 'in_progress');
    const n = await inbox(c.clerk1, t.id, 'task_returned');
    assert.equal(n.length, 1, 'clerk1 is told the task was returned');
});

test('the office is told when a unit reports (once a day per task), asks to close or asks for more time; nobody else is', async () => {
    const OFFICE_KINDS = ['task_reported', 'task_close_requested', 'task_extension_requested'];
    const t = await issuedTask(c, u.sfj, [u.cgjd], {}, ['clerk1', 'clerk2']);
    assert.deepEqual(await inbox(c.office, t.id), [], 'nothing for the office before the unit acts');
    let cur = await act(c.clerk1, t, 'report', { note: '第一次报送', progress: 30 });
    cur = await act(c.clerk1, cur, 'report', { note: '更正报送', progress: 35 });
    cur = await act(c.clerk2, cur, 'report', { note: '配合单位报送' });
    const reported = await inbox(c.office, t.id, 'task_reported');
    assert.equal(reported.length, 1, 'three reports on one day: one notice for the office');
    assert.ok(reported[0].title.includes('进展报送') && reported[0].title.includes(t.title), reported[0].title);
    assert.equal(reported[0].body, '第一次报送');
    assert.ok(String(reported[0].link).endsWith(`/tasks/${t.id}`), reported[0].link);
    cur = await act(c.clerk1, cur, 'request_extension', { note: '需协调', new_due_on: day(90) });
    const ext = await inbox(c.office, t.id, 'task_extension_requested');
    assert.equal(ext.length, 1, 'the extension request is told once');
    assert.equal(ext[0].body, '需协调');
    cur = await act(c.clerk1, cur, 'request_close', { note: '已完成', progress: 100 });
    assert.equal((await inbox(c.office, t.id, 'task_close_requested')).length, 1);
    cur = await act(c.office, cur, 'return', { note: '材料不足' });
    cur = await act(c.clerk1, cur, 'request_close', { note: '已补充', progress: 100 });
    const closing = await inbox(c.office, t.id, 'task_close_requested');
    assert.deepEqual(closing.map((n) => n.body).sort(), ['已完成', '已补充'], 'each close request is told');
    for (const who of ['clerk1', 'clerk2', 'leader', 'inspector', 'sysadmin', 'auditor']) {
        const got = (await inbox(c[who], t.id)).filter((n) => OFFICE_KINDS.includes(n.kind));
        assert.deepEqual(got, [], `${who} is not told what waits for the office`);
    }
});

test('the office is not told of its own step (its own unit reporting)', async () => {
    const t = await issuedTask(c, { id: c.office.user.unit_id }, []);
    const t2 = await act(c.office, t, 'acknowledge');
    await act(c.office, t2, 'report', { note: '自办进展', progress: 10 });
    assert.deepEqual(await inbox(c.office, t.id, 'task_reported'), []);
});

test('a returned task is marked (reason, who, when) until the lead unit reports or asks again; the close request shows its progress', async () => {
    const t = await issuedTask(c, u.sfj, [u.cgjd], {}, ['clerk1', 'clerk2']);
    assert.equal(t.returned, null);
    assert.equal(t.close_request, null);
    const closing = await act(c.clerk1, t, 'request_close', { note: '基本完成', progress: 40 });
    assert.deepEqual({ ...closing.close_request, at: 'x' }, { at: 'x', by: closing.close_request.by, note: '基本完成', progress: 40 });
    assert.match(closing.close_request.at, ISO);
    assert.equal(closing.returned, null);
    const back = await act(c.office, closing, 'return', { note: '佐证材料不足' });
    assert.equal(back.close_request, null, 'no request waits once returned');
    assert.equal(back.returned?.note, '佐证材料不足');
    assert.equal(back.returned.by, c.office.user.display_name);
    assert.match(back.returned.at, ISO);
    for (const who of ['clerk1', 'leader']) {
        const seen = ok(await c[who].get(`/api/v1/tasks/${t.id}`));
        assert.equal(seen.returned?.note, '佐证材料不足', `${who} sees the mark`);
    }
    const listed = ok(await c.office.get(`/api/v1/tasks?q=${encodeURIComponent(t.title)}`)).items;
    assert.equal(listed.find((x) => x.id === t.id)?.returned?.note, '佐证材料不足', 'the list carries it');
    // a co-unit's report is not the lead unit acting again
    const co = await act(c.clerk2, back, 'report', { note: '配合单位进展' });
    assert.equal(co.returned?.note, '佐证材料不足');
    const again = await act(c.clerk1, co, 'report', { note: '已补充材料', progress: 80 });
    assert.equal(again.returned, null, 'the lead unit reported: the mark clears');
    // returned again, then asking to close clears it too
    let cur = await act(c.clerk1, again, 'request_close', { note: '完成', progress: 100 });
    cur = await act(c.office, cur, 'return', { note: '再补充' });
    assert.equal(cur.returned?.note, '再补充');
    cur = await act(c.clerk1, cur, 'request_close', { note: '已补充', progress: 100 });
    assert.equal(cur.returned, null);
    assert.equal(cur.close_request.progress, 100);
    cur = await act(c.office, cur, 'accept');
    assert.equal(cur.returned, null);
    // a request without a progress shows the progress it left standing
    const t2 = await issuedTask(c, u.sfj, [], {}, ['clerk1']);
    await act(c.clerk1, t2, 'report', { note: '进展', progress: 60 });
    assert.equal((await act(c.clerk1, t2, 'request_close', { note: '完成' })).close_request.progress, 60);
    assert.equal(cur.close_request, null);
});

test('request_close declares its warning below 100% progress (GET /kinds/task); the step is still accepted', async () => {
    const kind = ok(await c.clerk1.get('/api/v1/kinds/task'));
    const rc = kind.transitions.find((x) => x.action === 'request_close');
    assert.equal(rc.warn?.arg, 'progress');
    assert.equal(rc.warn.below, 100);
    assert.match(rc.warn.text, /100%/);
    assert.equal(kind.transitions.find((x) => x.action === 'report').warn, null);
    const t = await issuedTask(c, u.sfj, [], {}, ['clerk1']);
    assert.equal((await act(c.clerk1, t, 'request_close', { note: '部分完成', progress: 40 })).status, 'closing');
});

test('accept: closing → done by the office; clerk refused; light none; reopen needs a note', async () => {
    const t = await issuedTask(c, u.sfj, [], {}, ['clerk1']);
    const t2 = await act(c.clerk1, t, 'request_close', { note: '完成' });
    await refused(c, 'clerk1', t2, 'accept', {}, 'clerk accepts');
    await refused(c, 'leader', t2, 'accept', {}, 'leader accepts');
    const t3 = await act(c.office, t2, 'accept', { note: '同意办结' });
    assert.equal(t3.status, 'done');
    assert.match(t3.closed_at, ISO);
    assert.equal(t3.light, 'none');
    assert.equal(t3.progress, 100);
    assert.equal((await inbox(c.clerk1, t.id, 'task_accepted')).length, 1);
    for (const a of ['cancel', 'urge', 'supervise', 'return', 'accept']) {
        await refused(c, 'office', t3, a, { note: 'x', unit_id: u.sfj.id }, `${a} on done`);
    }
    await refused(c, 'clerk1', t3, 'report', { note: 'x' }, 'report on done');
    await refused(c, 'clerk1', t3, 'reopen', { note: 'x' }, 'clerk reopens');
    await invalid(c, 'office', t3, 'reopen', {}, 'note');
    const t4 = await act(c.office, t3, 'reopen', { note: '发现问题，重新办理' });
    assert.equal(t4.status, 'in_progress');
    assert.equal(t4.closed_at, null);
});

test('reopen of a task that is not done is refused', async () => {
    const d = await createTask(c.office, { lead_unit_id: u.sfj.id });
    await refused(c, 'office', d, 'reopen', { note: '重开' }, 'reopen a draft');
    const t = await act(c.office, d, 'issue');
    await refused(c, 'office', t, 'reopen', { note: '重开' }, 'reopen issued');
    const t2 = await act(c.clerk1, t, 'acknowledge');
    await refused(c, 'office', t2, 'reopen', { note: '重开' }, 'reopen in_progress');
});

test('cancel: note required; cancelled allows nothing for anybody', async () => {
    const t = await issuedTask(c, u.sfj, [u.cgjd]);
    await invalid(c, 'office', t, 'cancel', {}, 'note');
    const t2 = await act(c.office, t, 'cancel', { note: '任务调整' });
    assert.equal(t2.status, 'cancelled');
    assert.equal(t2.light, 'none');
    assert.deepEqual(t2.allowed_actions, []);
    for (const [who, a] of [['office', 'reopen'], ['office', 'issue'], ['office', 'cancel'], ['clerk1', 'acknowledge'], ['clerk2', 'acknowledge']]) {
        const e = await refused(c, who, t2, a, { note: 'x' }, `${a} on cancelled`);
        assert.deepEqual(e.fields.allowed_actions, []);
    }
    // cancel from closing
    const s = await issuedTask(c, u.sfj, [], {}, ['clerk1']);
    const s2 = await act(c.clerk1, s, 'request_close', { note: '完成' });
    assert.equal((await act(c.office, s2, 'cancel', { note: '不再需要' })).status, 'cancelled');
    // a draft is deleted, not cancelled
    const d = await createTask(c.office, { lead_unit_id: u.sfj.id });
    await refused(c, 'office', d, 'cancel', { note: 'x' }, 'cancel a draft');
});

test('leader and inspector read but every action is refused with allowed_actions []', async () => {
    const t = await issuedTask(c, u.sfj, [u.cgjd]);
    for (const who of ['leader', 'inspector']) {
        const mine = ok(await c[who].get(`/api/v1/tasks/${t.id}`));
        assert.deepEqual(mine.allowed_actions, [], `${who} allowed_actions`);
        for (const a of ['acknowledge', 'urge', 'cancel', 'supervise']) {
            const e = await refused(c, who, t, a, { note: 'x', unit_id: u.sfj.id }, `${who} ${a}`);
            assert.deepEqual(e.fields.allowed_actions, []);
        }
    }
});

test('a clerk of an unassigned unit gets 404 on the task and its actions (outside scope)', async () => {
    const t = await issuedTask(c, u.police, [u.finance]);
    const before = await snapshot(c, t.id);
    for (const a of ['acknowledge', 'report', 'request_extension']) {
        const r = await c.clerk1.post(`/api/v1/tasks/${t.id}/actions/${a}`, { version: t.version, note: 'x', new_due_on: day(90) });
        assertError(r, 404, 'not_found', `clerk1 ${a} on another unit's task`);
    }
    assert.deepEqual(await snapshot(c, t.id), before);
});

test('stale version → 409 stale_version and nothing changes; unknown action → 404; missing version → 400', async () => {
    const t = await issuedTask(c, u.sfj, [u.cgjd]);
    const before = await snapshot(c, t.id);
    assertError(await c.clerk1.post(`/api/v1/tasks/${t.id}/actions/acknowledge`, { version: t.version - 1 }), 409, 'stale_version');
    assertError(await c.office.post(`/api/v1/tasks/${t.id}/actions/supervise`, { version: t.version + 3 }), 409, 'stale_version');
    assert.deepEqual(await snapshot(c, t.id), before);
    assertError(await c.office.post(`/api/v1/tasks/${t.id}/actions/explode`, { version: t.version }), 404, 'not_found');
    const e = assertError(await c.office.post(`/api/v1/tasks/${t.id}/actions/supervise`, {}), 400, 'invalid');
    assert.ok('version' in (e.fields || {}), JSON.stringify(e.fields));
    assertError(await c.office.post('/api/v1/tasks/99999999/actions/supervise', { version: 1 }), 404, 'not_found');
    assertError(await c.office.post(`/api/v1/tasks/${t.id}/actions/supervise`, { version: t.version }, { csrf: false }), 403, 'csrf_failed');
    assert.deepEqual(await snapshot(c, t.id), before);
});

test('PUT and DELETE of an issued task → 409 invalid_transition with allowed_actions; nothing changes', async () => {
    const t = await issuedTask(c, u.sfj);
    const before = await snapshot(c, t.id);
    const body = { title: '改名', lead_unit_id: u.sfj.id, due_on: day(30), version: t.version };
    let e = assertError(await c.office.put(`/api/v1/tasks/${t.id}`, body), 409, 'invalid_transition');
    assert.ok(Array.isArray(e.fields?.allowed_actions), JSON.stringify(e));
    e = assertError(await c.office.del(`/api/v1/tasks/${t.id}?version=${t.version}`), 409, 'invalid_transition');
    assert.ok(Array.isArray(e.fields?.allowed_actions));
    assert.deepEqual(await snapshot(c, t.id), before);
});

test('supervise / unsupervise toggle 挂牌督办; twice in a row is refused', async () => {
    const t = await issuedTask(c, u.sfj);
    assert.equal(t.supervised, false);
    const t2 = await act(c.office, t, 'supervise', { note: '挂牌' });
    assert.equal(t2.supervised, true);
    assert.ok(t2.allowed_actions.includes('unsupervise'));
    await refused(c, 'office', t2, 'supervise', {}, 'supervise twice');
    const listed = ok(await c.office.get('/api/v1/tasks?supervised=1&per_page=200')).items.map((x) => x.id);
    assert.ok(listed.includes(t.id), 'supervised=1 lists it');
    const t3 = await act(c.office, t2, 'unsupervise');
    assert.equal(t3.supervised, false);
    await refused(c, 'office', t3, 'unsupervise', {}, 'unsupervise twice');
    await refused(c, 'clerk1', t3, 'supervise', {}, 'clerk supervises');
});

test('extensions: request needs a later date and a reason; one pending at a time; approve moves due_on, refuse keeps it', async () => {
    const t = await issuedTask(c, u.sfj, [u.cgjd], { due_on: day(30) });
    await invalid(c, 'clerk1', t, 'request_extension', { new_due_on: day(20), note: '太紧' }, 'new_due_on');
    await invalid(c, 'clerk1', t, 'request_extension', { new_due_on: day(30), note: '太紧' }, 'new_due_on');
    await invalid(c, 'clerk1', t, 'request_extension', { new_due_on: 'soon', note: '太紧' }, 'new_due_on');
    await invalid(c, 'clerk1', t, 'request_extension', { new_due_on: day(45) }, 'note');
    await refused(c, 'office', t, 'decide_extension', { extension_id: 1, approve: true }, 'decide with nothing pending');
    const t2 = await act(c.clerk1, t, 'request_extension', { new_due_on: day(45), note: '需要补充调研' });
    assert.equal(t2.status, 'issued', 'a request keeps the state');
    assert.equal(t2.due_on, day(30), 'a request does not move the due date');
    let ext = ok(await c.office.get(`/api/v1/tasks/${t.id}/extensions`)).items;
    assert.equal(ext.length, 1);
    assert.equal(ext[0].status, 'pending');
    assert.equal(ext[0].new_due_on, day(45));
    assert.equal(ext[0].unit_id, u.sfj.id);
    await refused(c, 'clerk2', t2, 'request_extension', { new_due_on: day(50), note: '我也要' }, 'second pending extension');
    await refused(c, 'clerk1', t2, 'decide_extension', { extension_id: ext[0].id, approve: true }, 'clerk decides');
    let e = assertError(await c.office.post(`/api/v1/tasks/${t.id}/actions/decide_extension`, { version: t2.version, approve: true }), 400, 'invalid');
    assert.ok('extension_id' in e.fields);
    e = assertError(await c.office.post(`/api/v1/tasks/${t.id}/actions/decide_extension`, { version: t2.version, extension_id: ext[0].id }), 400, 'invalid');
    assert.ok('approve' in e.fields);
    await invalid(c, 'office', t2, 'decide_extension', { extension_id: ext[0].id + 1000, approve: true }, 'extension_id');
    const t3 = await act(c.office, t2, 'decide_extension', { extension_id: ext[0].id, approve: true, note: '同意' });
    assert.equal(t3.due_on, day(45), 'approval moves the due date');
    ext = ok(await c.office.get(`/api/v1/tasks/${t.id}/extensions`)).items;
    assert.equal(ext[0].status, 'approved');
    assert.equal((await inbox(c.clerk1, t.id, 'extension_decided')).length, 1, 'the requesting unit is told');
    // the co-unit asks next; a refusal keeps the date
    const t4 = await act(c.clerk2, t3, 'request_extension', { new_due_on: day(70), note: '配合单位申请' });
    ext = ok(await c.office.get(`/api/v1/tasks/${t.id}/extensions`)).items;
    const t5 = await act(c.office, t4, 'decide_extension', { extension_id: ext[1].id, approve: false, note: '不同意' });
    assert.equal(t5.due_on, day(45), 'a refusal keeps the due date');
    ext = ok(await c.office.get(`/api/v1/tasks/${t.id}/extensions`)).items;
    assert.deepEqual(ext.map((x) => x.status), ['approved', 'refused']);
    await refused(c, 'office', t5, 'decide_extension', { extension_id: ext[1].id, approve: true }, 'decide twice');
    assert.equal(ok(await c.office.get(`/api/v1/tasks/${t.id}`)).due_on, day(45));
});

test('urge: default reply_due_on is 3 working days ahead; unit must be assigned; past date refused; notification', async () => {
    const t = await issuedTask(c, u.sfj, [u.cgjd]);
    await invalid(c, 'office', t, 'urge', { unit_id: u.police.id, note: '请加快' }, 'unit_id');
    await invalid(c, 'office', t, 'urge', { unit_id: u.sfj.id }, 'note');
    await invalid(c, 'office', t, 'urge', { unit_id: u.sfj.id, note: '请加快', reply_due_on: day(-1) }, 'reply_due_on');
    await invalid(c, 'office', t, 'urge', { unit_id: u.sfj.id, note: '请加快', reply_due_on: '2026-13-40' }, 'reply_due_on');
    const t2 = await act(c.office, t, 'urge', { unit_id: u.sfj.id, note: '请加快进度' });
    assert.equal(t2.status, 'issued');
    const urg = ok(await c.office.get(`/api/v1/tasks/${t.id}/urgings`)).items;
    assert.equal(urg.length, 1);
    assert.equal(urg[0].unit_id, u.sfj.id);
    assert.equal(urg[0].content, '请加快进度');
    assert.equal(urg[0].replied_at, null);
    assert.equal(urg[0].reply_due_on, await workdaysAfter(c.office, today(), 3), 'default: 3 working days');
    const n = await inbox(c.clerk1, t.id, 'task_urged');
    assert.equal(n.length, 1, 'clerk1 gets the urging notice');
    assert.equal((await inbox(c.clerk2, t.id, 'task_urged')).length, 0, 'clerk2 was not urged');
    const t3 = await act(c.office, t2, 'urge', { unit_id: u.cgjd.id, note: '配合单位请回复', reply_due_on: day(0) });
    const urg2 = ok(await c.office.get(`/api/v1/tasks/${t.id}/urgings`)).items;
    assert.equal(urg2[1].reply_due_on, day(0), 'an explicit reply date of today is kept');
    assert.ok(t3);
});

test('reply_urging: only the urged unit, urging_id and note required; reply closes it', async () => {
    const t = await issuedTask(c, u.sfj, [u.cgjd]);
    const t2 = await act(c.office, t, 'urge', { unit_id: u.sfj.id, note: '请说明进展' });
    const [g] = ok(await c.office.get(`/api/v1/tasks/${t.id}/urgings`)).items;
    const c1 = ok(await c.clerk1.get(`/api/v1/tasks/${t.id}`));
    assert.ok(c1.allowed_actions.includes('reply_urging'), `clerk1 may reply: ${c1.allowed_actions}`);
    await refused(c, 'clerk2', t2, 'reply_urging', { urging_id: g.id, note: '代为回复' }, "reply to another unit's urging");
    await refused(c, 'office', t2, 'reply_urging', { urging_id: g.id, note: '代为回复' }, 'office replies');
    const e = assertError(await c.clerk1.post(`/api/v1/tasks/${t.id}/actions/reply_urging`, { version: t2.version, note: '回复' }), 400, 'invalid');
    assert.ok('urging_id' in e.fields);
    await invalid(c, 'clerk1', t2, 'reply_urging', { urging_id: g.id }, 'note');
    const f = await upload(c.clerk1, '情况说明.pdf');
    const t3 = await act(c.clerk1, t2, 'reply_urging', { urging_id: g.id, note: '已加派人手', attachment_ids: [f.id] });
    assert.equal(t3.status, 'issued', 'replying does not acknowledge the task');
    const [g2] = ok(await c.office.get(`/api/v1/tasks/${t.id}/urgings`)).items;
    assert.match(g2.replied_at, ISO);
    assert.equal(g2.reply, '已加派人手');
    await refused(c, 'clerk1', t3, 'reply_urging', { urging_id: g.id, note: '再回复' }, 'reply twice');
});

test('contract: acknowledge is possible only from issued or in_progress (not while closing)', async () => {
    // A co-unit that has not signed yet when the lead asks to close: the table allows
    // `acknowledge` from issued and in_progress only.
    const t = await issuedTask(c, u.sfj, [u.cgjd], {}, ['clerk1']);
    const t2 = await act(c.clerk1, t, 'request_close', { note: '完成' });
    assert.equal(t2.status, 'closing');
    await refused(c, 'clerk2', t2, 'acknowledge', {}, 'co-unit acknowledges while closing');
});

test('the whole flow: every step on the timeline with who, unit, action, note, progress and files', async () => {
    let t = await createTask(c.office, { lead_unit_id: u.sfj.id, co_unit_ids: [u.cgjd.id], title: '全流程任务' });
    t = await act(c.office, t, 'issue', { note: '下发' });
    t = await act(c.clerk1, t, 'acknowledge', { note: '签收' });
    t = await act(c.clerk2, t, 'acknowledge', { note: '配合签收' });
    const f1 = await upload(c.clerk1, '第一次进展.pdf');
    t = await act(c.clerk1, t, 'report', { note: '进展一', progress: 30, attachment_ids: [f1.id] });
    t = await act(c.office, t, 'urge', { unit_id: u.cgjd.id, note: '请配合' });
    const [g] = ok(await c.office.get(`/api/v1/tasks/${t.id}/urgings`)).items;
    t = await act(c.clerk2, t, 'reply_urging', { urging_id: g.id, note: '已配合' });
    t = await act(c.clerk1, t, 'request_extension', { new_due_on: day(90), note: '需要时间' });
    const [x] = ok(await c.office.get(`/api/v1/tasks/${t.id}/extensions`)).items;
    t = await act(c.office, t, 'decide_extension', { extension_id: x.id, approve: true });
    const f2 = await upload(c.clerk1, '佐证.pdf');
    t = await act(c.clerk1, t, 'request_close', { note: '申请办结', attachment_ids: [f2.id] });
    t = await act(c.office, t, 'return', { note: '材料不全' });
    t = await act(c.clerk1, t, 'report', { note: '进展二', progress: 90 });
    t = await act(c.clerk1, t, 'request_close', { note: '再次申请办结' });
    t = await act(c.office, t, 'accept', { note: '通过' });
    assert.equal(t.status, 'done');
    const tl = ok(await c.clerk1.get(`/api/v1/tasks/${t.id}/timeline`)).items;
    const steps = tl.map((e) => [e.action, e.actor_name ? 'named' : '', e.unit_id, e.note]);
    const office = c.office.user, clerk1 = c.clerk1.user, clerk2 = c.clerk2.user;
    const want = [
        ['create', office], ['issue', office, '下发'], ['acknowledge', clerk1, '签收'], ['acknowledge', clerk2, '配合签收'],
        ['report', clerk1, '进展一'], ['urge', office, '请配合'], ['reply_urging', clerk2, '已配合'],
        ['request_extension', clerk1, '需要时间'], ['decide_extension', office], ['request_close', clerk1, '申请办结'],
        ['return', office, '材料不全'], ['report', clerk1, '进展二'], ['request_close', clerk1, '再次申请办结'],
        ['accept', office, '通过'],
    ];
    assert.deepEqual(tl.map((e) => e.action), want.map((w) => w[0]), `timeline: ${JSON.stringify(steps)}`);
    for (let i = 0; i < want.length; i++) {
        const [action, who, note] = want[i], e = tl[i];
        assert.match(e.at, ISO);
        assert.ok([who.id, who.username].includes(e.actor), `${action}: actor (the user) — got ${JSON.stringify(e.actor)} in ${JSON.stringify(e)}`);
        assert.equal(e.actor_name, who.display_name, `${action}: actor_name`);
        assert.equal(e.unit_id, who.unit_id, `${action}: unit_id`);
        assert.equal(e.unit_name, who.unit_name, `${action}: unit_name`);
        if (note !== undefined) assert.equal(e.note, note, `${action}: note`);
        assert.ok(Array.isArray(e.attachments));
    }
    assert.ok(tl.every((e, i) => i === 0 || e.at >= tl[i - 1].at), 'oldest first');
    assert.equal(tl[4].progress, 30);
    assert.equal(tl[11].progress, 90);
    assert.deepEqual(tl[4].attachments.map((a) => a.name), ['第一次进展.pdf']);
    assert.deepEqual(tl[9].attachments.map((a) => a.name), ['佐证.pdf']);
    for (const a of tl[4].attachments) for (const k of ['id', 'name', 'size', 'mime']) assert.ok(k in a, `attachment.${k}`);
    // every step is also in the audit log
    const audit = (await auditOf(c.auditor, t.id)).map((a) => a.action).reverse();
    assert.deepEqual(audit, want.map((w) => `task.${w[0]}`));
});

test('complete_milestone: lead unit, acknowledged, in_progress only; milestone_id required; done_on today; once', async () => {
    const t0 = await issuedTask(c, u.sfj, [u.cgjd], { milestones: [{ title: '起草方案', due_on: day(10) }, { title: '印发', due_on: day(20) }] });
    const [m1, m2] = t0.milestones;
    await refused(c, 'clerk1', t0, 'complete_milestone', { milestone_id: m1.id }, 'before acknowledging (issued)');
    const t1 = await act(c.clerk1, t0, 'acknowledge');
    await act(c.clerk2, t1, 'acknowledge');
    await refused(c, 'clerk2', t1, 'complete_milestone', { milestone_id: m1.id }, 'co-unit');
    await refused(c, 'office', t1, 'complete_milestone', { milestone_id: m1.id }, 'office (its unit is not assigned)');
    await refused(c, 'leader', t1, 'complete_milestone', { milestone_id: m1.id }, 'leader');
    await invalid(c, 'clerk1', t1, 'complete_milestone', {}, 'milestone_id');
    const other = await issuedTask(c, u.sfj, [], { milestones: [{ title: '别的任务的节点', due_on: day(5) }] });
    await invalid(c, 'clerk1', t1, 'complete_milestone', { milestone_id: other.milestones[0].id }, 'milestone_id');
    const t2 = await act(c.clerk1, t1, 'complete_milestone', { milestone_id: m1.id });
    assert.equal(t2.status, 'in_progress');
    assert.deepEqual(t2.milestones.map((m) => [m.id, m.done_on]), [[m1.id, today()], [m2.id, null]]);
    assert.equal(ok(await c.office.get(`/api/v1/tasks/${t0.id}/timeline`)).items.at(-1).action, 'complete_milestone');
    await invalid(c, 'clerk1', t2, 'complete_milestone', { milestone_id: m1.id }, 'milestone_id');
    const t3 = await act(c.clerk1, t2, 'request_close', { note: '完成' });
    await refused(c, 'clerk1', t3, 'complete_milestone', { milestone_id: m2.id }, 'while closing');
});

test('the office works (task.work) on a task its own unit 区委依法治区办 is assigned to', async () => {
    const office = c.office.user;
    const t = await issuedTask(c, { id: office.unit_id }, [u.sfj]);
    const mine = ok(await c.office.get(`/api/v1/tasks/${t.id}`));
    assert.ok(mine.allowed_actions.includes('acknowledge'), `office may acknowledge for its unit: ${mine.allowed_actions}`);
    const t2 = await act(c.office, t, 'acknowledge');
    assert.equal(t2.status, 'in_progress');
    const t3 = await act(c.office, t2, 'report', { note: '办公室自办进展', progress: 50 });
    assert.equal(t3.progress, 50);
    // the co-unit still cannot ask to close, the lead (the office's unit) can
    await act(c.clerk1, t3, 'acknowledge');
    await refused(c, 'clerk1', t3, 'request_close', { note: '完成' }, 'co-unit request_close');
    assert.equal((await act(c.office, t3, 'request_close', { note: '完成' })).status, 'closing');
});
