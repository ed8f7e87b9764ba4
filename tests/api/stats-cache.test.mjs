// The 督办 dashboard counts (GET /api/v1/tasks/stats) are kept per scope and day, labelled with
// the data versions of the register, units and settings (store/cache.h): every write shows in
// the next answer of this server, a write by another process (command, straight SQL, another
// server) within DV_CHECK_SECONDS — allowed 1.5 s here. Many requests at once share one count.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, ok, sqlite } from './lib.mjs';
import { actors, createTask, act, issuedTask, day } from './tasks-lib.mjs';

const WITHIN_MS = 1500;

let srv, c, u;
before(async () => {
    srv = await startServer();
    ({ c, u } = await actors(srv));
});
after(async () => { await srv.stopAndCheck(); });

const stats = async (who = 'office') => ok(await c[who].get('/api/v1/tasks/stats'));

async function within(what, check, who = 'office') {
    const t0 = Date.now();
    for (;;) {
        const s = await stats(who);
        if (check(s)) return Date.now() - t0;
        if (Date.now() - t0 > WITHIN_MS) assert.fail(`${what}: stats still ${JSON.stringify(s).slice(0, 300)} after ${Date.now() - t0} ms`);
        await new Promise((r) => setTimeout(r, 50));
    }
}

async function setSetting(key, value) {
    const s = ok(await c.sysadmin.get('/api/v1/settings')).items.find((x) => x.key === key);
    return ok(await c.sysadmin.put(`/api/v1/settings/${key}`, { value, version: s.version }));
}

test('writes through the API show in the very next counts (create, issue, acknowledge; a clerk scope too)', async () => {
    const s0 = await stats();
    const t = await createTask(c.office, { lead_unit_id: u.sfj.id, due_on: day(90) });
    const s1 = await stats();
    assert.equal(s1.by_status.draft, s0.by_status.draft + 1, 'a new draft');
    const issued = await act(c.office, t, 'issue', { note: '下发' });
    const s2 = await stats();
    assert.equal(s2.by_status.draft, s0.by_status.draft);
    assert.equal(s2.by_status.issued, s0.by_status.issued + 1);
    assert.equal(s2.by_light.green, s0.by_light.green + 1);
    await act(c.clerk1, issued, 'acknowledge', { note: '签收' });
    const s3 = await stats();
    assert.equal(s3.by_status.in_progress, s0.by_status.in_progress + 1, 'acknowledged: in progress');
    // clerk1's own scope follows too
    const k0 = await stats('clerk1');
    await issuedTask(c, u.sfj, [], { due_on: day(90) });
    assert.equal((await stats('clerk1')).by_status.issued, k0.by_status.issued + 1, 'clerk1 sees its new task');
});

test('a setting changed through the API (task.yellow_days) shows in the next counts', async () => {
    await issuedTask(c, u.sfj, [], { due_on: day(40) });
    const s0 = await stats();
    try {
        await setSetting('task.yellow_days', 60);
        const s1 = await stats();
        assert.ok(s1.by_light.yellow > s0.by_light.yellow, `more yellow with 60 working days: ${s0.by_light.yellow} → ${s1.by_light.yellow}`);
        assert.equal(s1.by_light.yellow + s1.by_light.green, s0.by_light.yellow + s0.by_light.green);
    } finally {
        await setSetting('task.yellow_days', 7);
    }
    assert.deepEqual((await stats()).by_light, s0.by_light);
});

test('writes by another process show within 1.5 s: a task made overdue, a unit renamed, the setting', async () => {
    const t = await issuedTask(c, u.cgjd, [], { due_on: day(30) });
    const s0 = await stats();
    await sqlite(srv.db, `UPDATE tasks SET due_on = '${day(-3)}' WHERE id = ${t.id};`);
    await within('tasks.due_on moved into the past', (s) => s.by_light.red === s0.by_light.red + 1);
    const row = (s) => s.overdue_by_unit.find((x) => x.unit_id === u.cgjd.id);
    await within('overdue per unit', (s) => row(s) && row(s).overdue === (row(s0)?.overdue ?? 0) + 1);
    await sqlite(srv.db, `UPDATE units SET name = '城关街道（更名）' WHERE id = ${u.cgjd.id};`);
    await within('unit renamed', (s) => row(s)?.unit_name === '城关街道（更名）');
    await sqlite(srv.db, `UPDATE units SET name = '${u.cgjd.name}' WHERE id = ${u.cgjd.id};`);
    const s1 = await stats();
    await sqlite(srv.db, "UPDATE settings SET value = '60' WHERE key = 'task.yellow_days';");
    try {
        await within('task.yellow_days set in the table', (s) => s.by_light.yellow > s1.by_light.yellow);
    } finally {
        await sqlite(srv.db, "UPDATE settings SET value = '7' WHERE key = 'task.yellow_days';");
    }
    await within('task.yellow_days back', (s) => s.by_light.yellow === s1.by_light.yellow);
});

test('an urging unanswered past its date (straight SQL) turns a task red within 1.5 s', async () => {
    const t = await issuedTask(c, u.sfj, [], { due_on: day(90) }, ['clerk1']);
    await act(c.office, t, 'urge', { note: '请尽快报送', reply_due_on: day(5) });
    const s0 = await stats();
    await sqlite(srv.db, `UPDATE task_urgings SET reply_due_on = '${day(-1)}' WHERE task_id = ${t.id};`);
    await within('urging past its reply date', (s) => s.by_light.red === s0.by_light.red + 1);
});

test('64 requests at once after a write all get the new counts', async () => {
    const s0 = await stats();
    await createTask(c.office, { lead_unit_id: u.sfj.id });
    const all = await Promise.all(Array.from({ length: 64 }, () => c.office.get('/api/v1/tasks/stats')));
    for (const r of all) assert.equal(ok(r).by_status.draft, s0.by_status.draft + 1);
});
