// Queues (待办): what waits for each role — the office (task.manage: 待验收, 待审批延期,
// 待回复催办) and a unit's clerk (待签收, 待报送, 被退回, 待回复催办) — counted by
// GET /api/v1/tasks/queues and listed by GET /api/v1/tasks?queue=<code> with the same numbers;
// 已办 (the caller's recent steps). And whose turn it is decides the light and the reminders: a
// close or extension request made before the deadline stops the unit's clock (not red, no overdue
// reminder while the office decides); made after it, the unit stays overdue, counted up to the
// request; the office's own acceptance delay is shown (waiting_days, accept_late) and reminded.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_PASSWORD, fazhi, makeDataDir, startServer, sqlite, ok, listAll } from './lib.mjs';
import { actors, act, issuedTask, day, today } from './tasks-lib.mjs';

let srv, dir, c, u;
before(async () => {
    dir = await makeDataDir();
    const d = await fazhi(['demo', '--data-dir', dir, '--password', DEMO_PASSWORD]);
    assert.equal(d.code, 0, d.stderr);
    // the reminder job runs from the command line below, never on its own (hour 24 never comes)
    await sqlite(`${dir}/fazhi.db`, "UPDATE settings SET value = '24' WHERE key = 'jobs.daily_hour';");
    srv = await startServer({ demo: false, dataDir: dir });
    ({ c, u } = await actors(srv, ['office', 'clerk1', 'clerk2', 'auditor', 'sysadmin']));
});
after(async () => { await srv?.stopAndCheck(); });

const queues = async (who) => ok(await c[who].get('/api/v1/tasks/queues'), 200, `${who} queues`);
const count = (q, code) => q.items.find((x) => x.code === code)?.count;
const inQueue = async (who, code) => (await listAll(c[who], `/api/v1/tasks?queue=${code}`)).map((t) => t.id);
const get = async (id, who = 'office') => ok(await c[who].get(`/api/v1/tasks/${id}`));
const age = (sql) => sqlite(srv.db, sql);

test('queues per role: the office and the clerk of 区司法局 each see what waits for them, and the list agrees', async () => {
    const office0 = await queues('office'), clerk0 = await queues('clerk1');
    const officeCodes = office0.items.filter((x) => x.party === 'office').map((x) => x.code);
    assert.deepEqual(officeCodes, ['accept', 'extension', 'urged']);
    assert.deepEqual(clerk0.items.map((x) => x.code), ['sign', 'report', 'returned', 'reply'],
        'a clerk has its unit\'s queues only');
    assert.ok(office0.items.every((x) => typeof x.label === 'string' && x.label && typeof x.count === 'number'));
    for (const [who, q] of [['office', office0], ['clerk1', clerk0]]) {
        for (const item of q.items)
            assert.equal((await inQueue(who, item.code)).length, item.count, `${who} ${item.code}: count = list`);
        assert.equal(q.total, q.items.filter((x) => x.own_turn).reduce((s, x) => s + x.count, 0), `${who}: total`);
    }
    // the office's queue is not the clerk's: nothing of it for the clerk
    assert.deepEqual(await inQueue('clerk1', 'accept'), []);

    // issued to 区司法局: 待签收 for its clerk, nothing for the office
    let t = await issuedTask(c, u.sfj, [u.cgjd]);
    assert.equal(count(await queues('clerk1'), 'sign'), count(clerk0, 'sign') + 1);
    assert.ok((await inQueue('clerk1', 'sign')).includes(t.id));
    assert.ok((await inQueue('clerk2', 'sign')).includes(t.id), 'the co-unit signs too');
    t = await act(c.clerk1, t, 'acknowledge');
    assert.ok(!(await inQueue('clerk1', 'sign')).includes(t.id), 'signed: out of 待签收');

    // asks to close: 待验收 for the office (its turn: the badge's total grows)
    t = await act(c.clerk1, t, 'request_close', { note: '已完成', progress: 100 });
    let oq = await queues('office');
    assert.equal(count(oq, 'accept'), count(office0, 'accept') + 1);
    assert.equal(oq.total, office0.total + 1);
    assert.ok((await inQueue('office', 'accept')).includes(t.id));

    // returned: 被退回 for the lead unit until it acts; the office's step is in its 已办
    t = await act(c.office, t, 'return', { note: '佐证材料不全' });
    assert.ok(!(await inQueue('office', 'accept')).includes(t.id));
    assert.ok((await inQueue('clerk1', 'returned')).includes(t.id));
    assert.equal(count(await queues('clerk1'), 'returned'), count(clerk0, 'returned') + 1);
    const recent = (await queues('office')).recent;
    assert.equal(recent[0].task_id, t.id);
    assert.equal(recent[0].action, 'return');
    assert.equal(recent[0].action_label, '退回');
    assert.equal(recent[0].title, t.title);
    t = await act(c.clerk1, t, 'report', { note: '已补充材料', progress: 90 });
    assert.ok(!(await inQueue('clerk1', 'returned')).includes(t.id), 'the report answers the return');

    // 待审批延期 for the office
    t = await act(c.clerk1, t, 'request_extension', { note: '需协调', new_due_on: day(90) });
    assert.ok((await inQueue('office', 'extension')).includes(t.id));
    assert.equal(count(await queues('office'), 'extension'), count(office0, 'extension') + 1);

    // an urging: the urged unit must answer (its turn); the office sees it waits (not its turn)
    t = await act(c.office, t, 'urge', { unit_id: u.sfj.id, note: '请加快进度' });
    assert.ok((await inQueue('clerk1', 'reply')).includes(t.id));
    assert.ok(!(await inQueue('clerk2', 'reply')).includes(t.id), 'only the urged unit answers');
    oq = await queues('office');
    assert.ok((await inQueue('office', 'urged')).includes(t.id));
    assert.equal(oq.items.find((x) => x.code === 'urged').own_turn, false);

    // 待报送: the lead unit's periodic report due within 3 working days (or missed)
    const r = await issuedTask(c, u.sfj, [], { rhythm: 'monthly', due_on: day(200) }, ['clerk1']);
    assert.ok(!(await inQueue('clerk1', 'report')).includes(r.id) || r.report_due_on <= day(5));
    await age(`UPDATE tasks SET report_due_on = '${day(-1)}' WHERE id = ${r.id};`);
    assert.ok((await inQueue('clerk1', 'report')).includes(r.id), 'a missed report is 待报送');
    await act(c.clerk1, r, 'report', { note: '本月进展', progress: 20 });
    assert.ok(!(await inQueue('clerk1', 'report')).includes(r.id), 'reported: out of 待报送');

    // English labels
    const en = ok(await c.office.get('/api/v1/tasks/queues', { headers: { 'Accept-Language': 'en' } }));
    assert.equal(en.items.find((x) => x.code === 'accept').label, 'Awaiting acceptance');
});

test('我的任务 sorts finished tasks last (sort=open_due)', async () => {
    const items = (await listAll(c.clerk1, '/api/v1/tasks?mine=1&sort=open_due'));
    const firstDone = items.findIndex((t) => t.status === 'done' || t.status === 'cancelled');
    assert.ok(firstDone > 0, 'the demo unit has open and finished tasks');
    assert.ok(items.slice(firstDone).every((t) => t.status === 'done' || t.status === 'cancelled'),
        'no open task after the first finished one');
});

test('light while awaiting acceptance: asked before the deadline → not red; after it → red, counted up to the request', async () => {
    let t = await issuedTask(c, u.sfj, [], { due_on: day(1) }, ['clerk1']);
    t = await act(c.clerk1, t, 'request_close', { note: '已完成', progress: 100 });
    assert.equal(t.waiting_since, today(), 'the office\'s turn since today');
    assert.equal(t.waiting_days, 0);
    // asked 5 days ago, due 3 days ago: the clock stood at the request
    await age(`UPDATE tasks SET due_on = '${day(-3)}', waiting_since = '${day(-5)}' WHERE id = ${t.id};`);
    for (const who of ['office', 'clerk1']) {
        const x = await get(t.id, who);
        assert.equal(x.light, 'green', `${who}: awaiting acceptance since before the deadline is not red`);
        assert.equal(x.overdue_days, 0);
        assert.equal(x.waiting_days, 5);
        assert.equal(x.accept_late, false, '5 days = task.accept_days: not late yet');
        assert.ok(!(await listAll(c[who], '/api/v1/tasks?light=red')).some((y) => y.id === t.id),
            `${who}: not in the red list`);
    }
    await age(`UPDATE tasks SET waiting_since = '${day(-6)}' WHERE id = ${t.id};`);
    let x = await get(t.id);
    assert.equal(x.waiting_days, 6);
    assert.equal(x.accept_late, true, 'the office\'s own delay: 验收超期');
    const acc = (await listAll(c.office, '/api/v1/tasks?queue=accept')).find((y) => y.id === t.id);
    assert.equal(acc.accept_late, true, 'shown in the list too');

    // asked after the deadline: red, overdue days up to the request
    await age(`UPDATE tasks SET due_on = '${day(-5)}', waiting_since = '${day(-2)}' WHERE id = ${t.id};`);
    x = await get(t.id, 'clerk1');
    assert.equal(x.light, 'red');
    assert.equal(x.overdue_days, 3, 'due 5 days ago, asked 2 days ago');
    assert.ok((await listAll(c.clerk1, '/api/v1/tasks?light=red')).some((y) => y.id === t.id));

    // returned: the unit's turn again, and its clock runs from the due date
    x = await act(c.office, x, 'return', { note: '退回补充' });
    assert.equal(x.waiting_since, null);
    assert.equal(x.light, 'red');
    assert.equal(x.overdue_days, 5);
});

test('an extension request before the deadline stops the clock until it is decided', async () => {
    let t = await issuedTask(c, u.sfj, [], { due_on: day(1) }, ['clerk1']);
    t = await act(c.clerk1, t, 'request_extension', { note: '需协调', new_due_on: day(30) });
    assert.equal(t.waiting_since, today());
    await age(`UPDATE tasks SET due_on = '${day(-2)}', waiting_since = '${day(-4)}' WHERE id = ${t.id};
        UPDATE task_extensions SET old_due_on = '${day(-2)}' WHERE task_id = ${t.id};`);
    let x = await get(t.id, 'clerk1');
    assert.equal(x.light, 'yellow', 'pending since before the deadline: not red while the office decides, still due');
    assert.equal(x.overdue_days, 0);
    const ext = ok(await c.office.get(`/api/v1/tasks/${t.id}/extensions`)).items.at(-1);
    x = await act(c.office, x, 'decide_extension', { extension_id: ext.id, approve: false, note: '不同意' });
    assert.equal(x.waiting_since, null);
    assert.equal(x.light, 'red', 'refused: overdue from the due date');
    assert.equal(x.overdue_days, 2);
});

test('the dashboard counts follow the same rule as the list (office: all; clerk: its scope)', async () => {
    let t = await issuedTask(c, u.sfj, [], { due_on: day(20) }, ['clerk1']);
    t = await act(c.clerk1, t, 'request_close', { note: '已完成', progress: 100 });
    const before = {};
    for (const who of ['office', 'clerk1']) before[who] = ok(await c[who].get('/api/v1/tasks/stats')).by_light;
    // past its deadline while the office has not accepted: still green on the dashboard
    await age(`UPDATE tasks SET due_on = '${day(-2)}', waiting_since = '${day(-4)}' WHERE id = ${t.id};`);
    await new Promise((r) => setTimeout(r, 2000)); // an outside write: seen within 1.5 s
    for (const who of ['office', 'clerk1']) {
        const s = ok(await c[who].get('/api/v1/tasks/stats')).by_light;
        assert.deepEqual([s.red, s.green], [before[who].red, before[who].green], `${who}: awaiting acceptance is not red`);
    }
    for (const who of ['office', 'clerk1']) {
        const s = ok(await c[who].get('/api/v1/tasks/stats'));
        for (const light of ['red', 'yellow', 'green'])
            assert.equal(s.by_light[light], (await listAll(c[who], `/api/v1/tasks?light=${light}`)).length, `${who} ${light}`);
    }
});

test('reminder job: no overdue reminder to the unit while its close request waits; the office is told of its delay', async () => {
    // due yesterday: the crossing the job reminds of
    let waiting = await issuedTask(c, u.sfj, [], { due_on: day(1) }, ['clerk1']);
    waiting = await act(c.clerk1, waiting, 'request_close', { note: '已完成', progress: 100 });
    let late = await issuedTask(c, u.sfj, [], { due_on: day(1) }, ['clerk1']);
    let asked = await issuedTask(c, u.sfj, [], { due_on: day(1) }, ['clerk1']);
    asked = await act(c.clerk1, asked, 'request_extension', { note: '需协调', new_due_on: day(30) });
    let slow = await issuedTask(c, u.sfj, [], { due_on: day(20) }, ['clerk1']);
    slow = await act(c.clerk1, slow, 'request_close', { note: '已完成', progress: 100 });
    await age(`UPDATE tasks SET due_on = '${day(-1)}', waiting_since = '${day(-2)}' WHERE id = ${waiting.id};
        UPDATE tasks SET due_on = '${day(-1)}' WHERE id = ${late.id};
        UPDATE tasks SET due_on = '${day(-1)}', waiting_since = '${day(-2)}' WHERE id = ${asked.id};
        UPDATE tasks SET waiting_since = '${day(-9)}' WHERE id = ${slow.id};
        DELETE FROM job_runs;`);
    const r = await fazhi(['jobs', 'run', '--data-dir', dir, '--force', '--job', 'reminders']);
    assert.equal(r.code, 0, r.stderr);
    const kinds = async (id) => (await sqlite(srv.db, `SELECT kind FROM notifications WHERE task_id = ${id} ORDER BY kind;`)).trim().split('\n').filter(Boolean);
    assert.ok((await kinds(late.id)).includes('overdue'), 'the control task is reminded as overdue');
    assert.deepEqual((await kinds(waiting.id)).filter((k) => k === 'overdue' || k === 'due_soon'), [],
        'awaiting acceptance since before the deadline: not the unit\'s turn');
    assert.ok(!(await kinds(asked.id)).includes('overdue'), 'an extension asked before the deadline waits for the office');
    const body = (await sqlite(srv.db, `SELECT n.body FROM notifications n JOIN users us ON us.id = n.user_id
        WHERE n.kind = 'digest_office' AND us.username = 'office';`)).trim();
    assert.match(body, /等待验收超过 5 天/, `the office digest: ${body}`);
    // its title names the delay among the reasons, in both languages
    const digest = async (col) => (await sqlite(srv.db, `SELECT n.${col} FROM notifications n
        JOIN users us ON us.id = n.user_id WHERE n.kind = 'digest_office' AND us.username = 'office';`)).trim();
    const [title, titleEn] = [await digest('title'), await digest('title_en')];
    assert.match(title, /验收超期/, `the office digest's title: ${title}`);
    assert.match(titleEn, /waiting too long for acceptance/, `the office digest's English title: ${titleEn}`);
});
