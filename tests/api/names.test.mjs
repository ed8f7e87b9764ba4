// Names served instead of codes (issue 10): the caller's permissions with their names (我的账户)
// and the audit log's action and object names, built from the modules' declarations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, ok, listAll } from './lib.mjs';

let srv, auditor, office, clerk;
before(async () => {
    srv = await startServer();
    auditor = await srv.login('auditor');
    office = await srv.login('office');
    clerk = await srv.login('clerk1');
});
after(async () => { await srv.stopAndCheck(); });

test('GET /auth/permissions: exactly the caller\'s permissions, each with its zh and en name', async () => {
    for (const c of [office, clerk, auditor]) {
        const me = ok(await c.get('/api/v1/auth/me'));
        const r = ok(await c.get('/api/v1/auth/permissions'));
        assert.deepEqual(r.items.map((p) => p.code).sort(), [...me.user.permissions].sort());
        assert.equal(r.total, r.items.length);
        for (const p of r.items) {
            assert.ok(p.name && /[\u4e00-\u9fff]/.test(p.name), `${p.code}: zh name`);
            assert.ok(p.name_en && !/[\u4e00-\u9fff]/.test(p.name_en), `${p.code}: en name`);
        }
    }
    const m = ok(await office.get('/api/v1/auth/permissions')).items.find((p) => p.code === 'task.manage');
    assert.ok(m, 'office holds task.manage');
    assert.notEqual(m.name, 'task.manage');
});

test('GET /auth/permissions needs a session', async () => {
    assertError(await srv.client().get('/api/v1/auth/permissions'), 401, 'unauthenticated');
});

test('GET /audit/names names every action and object the demo log holds', async () => {
    const r = ok(await auditor.get('/api/v1/audit/names'));
    const { actions, objects } = r;
    assert.deepEqual(actions['task.create'], { zh: '新建督办任务', en: 'Create task' });
    assert.deepEqual(objects.task, { zh: '督办任务', en: 'Task' });
    assert.equal(actions['auth.login'].zh, '登录');
    assert.ok(actions['task.issue']?.zh, 'a workflow transition is named from the kind');
    assert.ok(actions['setting.update'] && objects.setting);
    const recs = await listAll(auditor, '/api/v1/audit');
    assert.ok(recs.length > 0);
    for (const x of recs) {
        assert.ok(actions[x.action], `action ${x.action} has a name`);
        if (x.object_type) assert.ok(objects[x.object_type], `object ${x.object_type} has a name`);
    }
});

test('GET /audit/names is the auditor\'s', async () => {
    assertError(await office.get('/api/v1/audit/names'), 403, 'forbidden');
});

test('notifications are served in the reader\'s language (title_en/body_en stored beside the Chinese)', async () => {
    const { createTask, act } = await import('./tasks-lib.mjs');
    const { unitByName } = await import('./lib.mjs');
    const sfj = await unitByName(office, '区司法局');
    let t = await createTask(office, { lead_unit_id: sfj.id, title: `英文通知测试 ${Date.now()}` });
    t = await act(office, t, 'issue', { note: '请按期办理' });
    const zh = ok(await clerk.get('/api/v1/notifications?per_page=50')).items.find((n) => n.task_id === t.id && n.kind === 'task_issued');
    assert.ok(zh, 'clerk1 is told of the new task');
    assert.equal(zh.title, `【新任务】${t.title}`);
    const en = await srv.login('clerk1', undefined, { lang: 'en' });
    const n = ok(await en.get('/api/v1/notifications?per_page=50')).items.find((x) => x.id === zh.id);
    assert.equal(n.title, `[New task] ${t.title}`);
    assert.equal(n.body, '请按期办理', 'the actor\'s own words stay as written');
    assert.ok(!('title_en' in n), 'one title, in the reader\'s language');
    // urging: the generated part of the body too
    t = await act(clerk, t, 'acknowledge', { note: '已签收' });
    t = await act(office, t, 'urge', { note: '请加快进度' });
    const u = ok(await en.get('/api/v1/notifications?per_page=50')).items.find((x) => x.task_id === t.id && x.kind === 'task_urged');
    assert.match(u.title, /^\[Urging notice\] /);
    assert.match(u.body, /^请加快进度 \(reply by \d{4}-\d{2}-\d{2}\)$/);
});

test('/auth/me names a built-in role in English too', async () => {
    const me = ok(await office.get('/api/v1/auth/me')).user;
    assert.ok(me.role_name && /[\u4e00-\u9fff]/.test(me.role_name));
    assert.ok(me.role_name_en && !/[\u4e00-\u9fff]/.test(me.role_name_en), `role_name_en: ${me.role_name_en}`);
});
