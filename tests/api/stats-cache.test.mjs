// The 督办 dashboard counts (GET /api/v1/tasks/stats) are kept per scope and day, labelled with
// the data versions of the register, units and settings (store/cache.h): a session's own write
// shows in its next counts; anyone else's write (another session, a command, straight SQL,
// another server) within DV_CHECK_SECONDS + STATS_STALE_SECONDS = 1.5 s — allowed 2.5 s here on
// a loaded machine. Many requests at once share one count.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, ok, sqlite } from './lib.mjs';
import { actors, createTask, act, issuedTask, day } from './tasks-lib.mjs';

const WITHIN_MS = 2500;

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
    // clerk1's write: its own counts at once, the office's within the stale window
    const k0 = await stats('clerk1');
    await act(c.clerk1, issued, 'acknowledge', { note: '签收' });
    const k1 = await stats('clerk1');
    assert.equal(k1.by_status.in_progress, k0.by_status.in_progress + 1, 'clerk1 sees its acknowledgement');
    assert.equal(k1.by_status.issued, k0.by_status.issued - 1);
    await within('the office sees the acknowledgement', (s) => s.by_status.in_progress === s0.by_status.in_progress + 1);
    // the office's write, in clerk1's scope: within the stale window
    await issuedTask(c, u.sfj, [], { due_on: day(90) });
    await within('clerk1 sees the new task', (s) => s.by_status.issued === k1.by_status.issued + 1, 'clerk1');
});

/** The counts' cache lookups from /metrics: { hit, stale, miss }. */
async function lookups() {
    const text = (await srv.client().get('/metrics')).text;
    const out = { hit: 0, stale: 0, miss: 0 };
    for (const m of text.matchAll(/^fazhi_cache_lookups_total\{cache="task_stats",result="(\w+)"\} (\d+)$/gm)) out[m[1]] = Number(m[2]);
    return out;
}

test('many reads while tasks change all the time: the counts are made a few times a second, not per write', async () => {
    const t = await issuedTask(c, u.sfj, [], { due_on: day(90) }, ['clerk1']);
    const l0 = await lookups();
    let reports = 0, reads = 0;
    const t0 = Date.now(), until = t0 + 3000;
    const writer = (async () => {
        for (let v = 0; Date.now() < until; v++) {
            await act(c.clerk1, t, 'report', { note: `进展 ${v}`, progress: 10 + (v % 80) });
            reports++;
        }
    })();
    const readers = Array.from({ length: 8 }, async () => {
        while (Date.now() < until) { ok(await c.office.get('/api/v1/tasks/stats')); reads++; }
    });
    await Promise.all([writer, ...readers]);
    const secs = (Date.now() - t0) / 1000, l1 = await lookups();
    const made = l1.miss - l0.miss;
    assert.ok(reports >= 5, `${reports} reports`);
    assert.equal(l1.hit + l1.stale + l1.miss - (l0.hit + l0.stale + l0.miss), reads);
    // STATS_STALE_SECONDS = 0.5: one new count every quarter to half second, whatever the writes
    assert.ok(made <= Math.ceil(secs * 4) + 2, `${made} counts made for ${reads} reads and ${reports} reports in ${secs} s`);
    assert.ok(l1.stale > l0.stale, 'reads were served while the next count was made');
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
