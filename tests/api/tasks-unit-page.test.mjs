// A unit's task list is read from the index task_units_page and its total from task_unit_counts
// (tasks module migration 1, docs/performance.md). Those are copies kept by triggers, so every
// answer of the fast path must equal the general one: the same request with a filter the fast
// path does not take (root=false adds no condition) goes through the entity layer's own query.
// Checked as a clerk (scope own) and as the office (scope all, unit filter), in both orders, with
// and without a status filter, across pages, and again after every kind of write. Task pages are
// also kept in a labelled cache (entity cache_deps): per caller, and following every write.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, ok, sqlite, uniq } from './lib.mjs';
import { actors, createTask, act, day } from './tasks-lib.mjs';

let srv, c, u;
before(async () => {
    srv = await startServer();
    ({ c, u } = await actors(srv, ['office', 'clerk1']));
});
after(async () => { await srv.stopAndCheck(); });

async function same(client, query, msg) {
    const fast = ok(await client.get(`/api/v1/tasks?${query}`));
    const slow = ok(await client.get(`/api/v1/tasks?${query}&root=false`));
    assert.equal(fast.total, slow.total, `${msg}: total of ${query}`);
    assert.deepEqual(fast.items.map((t) => t.id), slow.items.map((t) => t.id), `${msg}: page of ${query}`);
    assert.deepEqual(fast.items, slow.items, `${msg}: items of ${query}`);
    return fast;
}

async function allSame(msg) {
    const queries = [];
    for (const sort of ['due_on', '-due_on'])
        for (const status of ['', '&status=issued', '&status=draft'])
            for (const page of [1, 2]) queries.push(`per_page=3&page=${page}&sort=${sort}${status}`);
    for (const q of queries) {
        await same(c.clerk1, q, `${msg} clerk1`);
        await same(c.clerk1, `${q}&unit_id=${u.sfj.id}`, `${msg} clerk1 own unit`);
        await same(c.office, `${q}&unit_id=${u.sfj.id}`, `${msg} office`);
        await same(c.office, `${q}&unit_id=${u.cgjd.id}`, `${msg} office`);
    }
    // the maintained counts are the rows there are
    const kept = (await sqlite(srv.db, 'SELECT unit_id, status, n FROM task_unit_counts WHERE n <> 0 ORDER BY unit_id, status;')).trim();
    const real = (await sqlite(srv.db, 'SELECT unit_id, status, COUNT(*) FROM task_units GROUP BY unit_id, status ORDER BY unit_id, status;')).trim();
    assert.equal(kept, real, `${msg}: task_unit_counts`);
    const copies = (await sqlite(srv.db, 'SELECT COUNT(*) FROM task_units tu JOIN tasks t ON t.id = tu.task_id WHERE tu.status <> t.status OR tu.due_on <> t.due_on OR tu.status IS NULL;')).trim();
    assert.equal(copies, '0', `${msg}: task_units' copies of status and due date`);
}

test('a unit\'s page and total from the index and the maintained counts equal the general query, before and after writes', async () => {
    assert.equal(u.sfj.id, c.clerk1.user.unit_id, 'clerk1 works in 区司法局');
    await allSame('demo data');
    const before = ok(await c.clerk1.get('/api/v1/tasks?per_page=1')).total;

    // a draft: the office sees it in both units' lists, the clerk does not (drafts are the office's)
    let t = await createTask(c.office, { lead_unit_id: u.sfj.id, co_unit_ids: [u.cgjd.id], due_on: day(1) });
    assert.equal(ok(await c.clerk1.get('/api/v1/tasks?per_page=1')).total, before);
    await allSame('after a draft');
    // issued: now the clerk's too, first by due date
    t = await act(c.office, t, 'issue', { note: '请办理' });
    const mine = ok(await c.clerk1.get(`/api/v1/tasks?per_page=50&unit_id=${u.sfj.id}&status=issued`));
    assert.equal(ok(await c.clerk1.get('/api/v1/tasks?per_page=1')).total, before + 1);
    assert.ok(mine.items.some((x) => x.id === t.id));
    await allSame('after issue');
    // acknowledged and reported: the status moves in every unit row of the task
    t = await act(c.clerk1, t, 'acknowledge', { note: '已签收' });
    await act(c.clerk1, t, 'report', { note: '进展顺利', progress: 30 });
    await allSame('after acknowledge and report');

    // a draft edited (due date, co-units) and deleted
    const d = await createTask(c.office, { lead_unit_id: u.cgjd.id, co_unit_ids: [u.sfj.id], due_on: day(90) });
    ok(await c.office.put(`/api/v1/tasks/${d.id}`, { ...d, co_unit_ids: [u.police.id], due_on: day(2),
        lead_unit_id: u.cgjd.id, version: d.version, tags: [], custom_dates: [], milestones: [] }));
    await allSame('after a draft edit');
    ok(await c.office.del(`/api/v1/tasks/${d.id}?version=${d.version + 1}`));
    await allSame('after a draft delete');
});

test('task pages are kept per caller and follow writes: through the server at once, a document\'s title too, straight SQL within 1.5 s', async () => {
    const path = `/api/v1/tasks?per_page=5&unit_id=${u.sfj.id}`;
    const page = ok(await c.clerk1.get(path));
    ok(await c.clerk1.get(path)); // kept now
    const first = page.items[0];
    // the office reads its own page of the same request: drafts included, so not the clerk's
    const d = await createTask(c.office, { lead_unit_id: u.sfj.id, start_on: day(-400), due_on: day(-399) });
    assert.equal(ok(await c.office.get(path)).items[0].id, d.id, 'the office sees its draft first');
    assert.notEqual(ok(await c.clerk1.get(path)).items[0].id, d.id, 'the clerk never sees a draft');
    // a source document renamed through the server: at once
    const doc = ok(await c.office.get(`/api/v1/documents/${first.document_id}`));
    const title = `改名 ${uniq('doc')}`;
    ok(await c.office.put(`/api/v1/documents/${doc.id}`, { doc_no: doc.doc_no, title, issuer: doc.issuer,
        issued_on: doc.issued_on, kind: doc.kind, summary: doc.summary, version: doc.version }));
    assert.equal(ok(await c.clerk1.get(path)).items[0].document_title, title);
    // straight SQL (another process): within the data versions' second
    const t0 = Date.now();
    await sqlite(srv.db, `UPDATE tasks SET title = '直接改 ${first.id}' WHERE id = ${first.id};`);
    let seen = '';
    while (Date.now() - t0 < 3000) {
        seen = ok(await c.clerk1.get(path)).items[0].title;
        if (seen === `直接改 ${first.id}`) break;
        await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(seen, `直接改 ${first.id}`);
    assert.ok(Date.now() - t0 < 1500, `seen after ${Date.now() - t0} ms`);
});
