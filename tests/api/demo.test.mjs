// The demo ages with the day it is made: made today it shows every status light and every task
// state; `--today` moves its dates by whole days and nothing else (same day, same dates).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_PASSWORD, fazhi, makeDataDir, startServer, sqlite, listAll, ok } from './lib.mjs';

const LIGHTS = ['red', 'yellow', 'green', 'none'];
const STATES = ['draft', 'issued', 'in_progress', 'closing', 'done', 'cancelled'];

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.stopAndCheck(); });

test('the demo made today has tasks with every light and every state', async () => {
    const office = await srv.login('office');
    const tasks = await listAll(office, '/api/v1/tasks');
    const lights = new Set(tasks.map((t) => t.light));
    const states = new Set(tasks.map((t) => t.status));
    for (const l of LIGHTS) assert.ok(lights.has(l), `a ${l} task (lights: ${[...lights]})`);
    for (const s of STATES) assert.ok(states.has(s), `a ${s} task (states: ${[...states]})`);
    // the dashboard counts agree, and the open work is mostly still ahead
    const stats = ok(await office.get('/api/v1/tasks/stats'));
    for (const l of ['red', 'yellow', 'green']) assert.ok(stats.by_light[l] > 0, l);
    assert.ok(stats.by_light.green > stats.by_light.red, JSON.stringify(stats.by_light));
    // a clerk sees a yellow task among their own, too
    const clerk1 = await srv.login('clerk1');
    const own = await listAll(clerk1, '/api/v1/tasks?mine=1');
    assert.ok(own.some((t) => t.light === 'red') && own.some((t) => t.light === 'green'));
    // the work year in the texts is the year the work points were issued
    const doc = (await listAll(office, '/api/v1/documents')).find((d) => d.kind === 'work_points');
    assert.equal(doc.title, `${doc.issued_on.slice(0, 4)}年全区法治政府建设工作要点`);
});

/** Task titles, start and due dates of a demo made with `--today day`. */
async function demoDates(day) {
    const dir = await makeDataDir();
    const r = await fazhi(['demo', '--data-dir', dir, '--password', DEMO_PASSWORD, '--today', day]);
    assert.equal(r.code, 0, r.stderr);
    const rows = await sqlite(`${dir}/fazhi.db`, 'SELECT title, start_on, due_on, status FROM tasks ORDER BY id;');
    return rows.trim().split('\n').map((l) => l.split('|'));
}

const plus = (d, n) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86400e3).toISOString().slice(0, 10);

test('--today anchors the demo: the same day gives the same dates, another day moves them by whole days', async () => {
    const a = await demoDates('2027-06-15');
    assert.deepEqual(await demoDates('2027-06-15'), a);
    const b = await demoDates('2027-07-25'); // 40 days later
    assert.equal(b.length, a.length);
    for (let i = 0; i < a.length; i++) {
        assert.equal(b[i][2], plus(a[i][2], 40), `due date of ${a[i][0]}`);
        if (a[i][1]) assert.equal(b[i][1], plus(a[i][1], 40), `start date of ${a[i][0]}`);
        assert.equal(b[i][3], a[i][3]);
    }
    // 2027-06-15 is 202 days after the day the demo's dates describe: its work points were
    // issued on 2026-09-10, and the texts say 2026
    assert.ok(a.some((t) => t[0] === '编制并公布2026年度重大行政决策事项目录' && t[1] === '2026-09-10'),
        a.map((t) => t.join(' ')).join('\n'));
    const c = await demoDates('2028-01-10');
    assert.ok(c.some((t) => t[0] === '编制并公布2027年度重大行政决策事项目录'), c.map((t) => t[0]).join('\n'));
    const bad = await fazhi(['demo', '--data-dir', await makeDataDir(), '--today', '2027-02-30']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--today/);
});
