// The side menu comes from the modules' declarations (GET /api/v1/menu): each user sees the
// groups and pages their permissions open, in their language, and nothing else.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, ok } from './lib.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.stopAndCheck(); });

const pages = (menu) => menu.groups.flatMap((g) => g.items.map((i) => `${g.key}:${i.page}`));

test('each role sees the pages its permissions open, grouped in order', async () => {
    const clerk = ok(await (await srv.login('clerk1')).get('/api/v1/menu'));
    const p = pages(clerk);
    for (const want of ['workbench:home', 'tasks:tasks', 'tasks:my-tasks', 'cases:metrics', 'org:units', 'system:calendar'])
        assert.ok(p.includes(want), `clerk1 misses ${want}: ${p}`);
    for (const not of ['system:users', 'security:roles', 'audit:audit', 'system:deliveries'])
        assert.ok(!p.includes(not), `clerk1 must not see ${not}`);
    assert.deepEqual(clerk.groups.map((g) => g.key), ['workbench', 'tasks', 'cases', 'enforcement', 'legality', 'inspection', 'assess', 'legal', 'org', 'system']);
    // 法治督察: a clerk reads the plans naming its unit, its notices and its records, its unit's findings and the bulletins, its 述法 (not the directories)
    assert.deepEqual(clerk.groups.find((g) => g.key === 'inspection').items.map((i) => i.path), ['/inspection-plans', '/inspection-targets', '/inspection-records', '/inspection-items', '/inspection-findings', '/bulletins', '/shufa-reports', '/shufa-items']);
    for (const want of ['legality:entity', 'legality:legality/rate'])
        assert.ok(p.includes(want), `clerk1 misses ${want}: ${p}`);
    const tasks = clerk.groups.find((g) => g.key === 'tasks');
    assert.equal(tasks.title, '任务督办');
    const detail = tasks.items.find((i) => i.page === 'task');
    assert.equal(detail.hidden, true);
    assert.equal(detail.active, '/tasks');

    const auditor = pages(ok(await (await srv.login('auditor')).get('/api/v1/menu')));
    assert.deepEqual(auditor.filter((x) => !x.startsWith('workbench:') && x !== 'system:calendar'),
        ['audit:audit']);
    const sys = pages(ok(await (await srv.login('sysadmin')).get('/api/v1/menu')));
    assert.ok(sys.includes('system:users') && sys.includes('system:deliveries'));
    assert.ok(!sys.includes('tasks:tasks'), 'sysadmin reads no tasks');
});

test('titles follow Accept-Language; the menu needs a session', async () => {
    const en = await srv.login('office', undefined, { lang: 'en' });
    const m = ok(await en.get('/api/v1/menu'));
    assert.equal(m.groups.find((g) => g.key === 'tasks').title, 'Task supervision');
    assert.equal(m.groups[0].items[0].title, 'Workbench');
    assert.equal((await srv.client().get('/api/v1/menu')).status, 401);
});
