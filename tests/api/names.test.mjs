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
