// Notifications (消息): the daily reminder job (`fazhi jobs run`: the hand count per user and
// kind on fixed tasks, nothing more the same day), the inbox (own only, paging,
// unread, read, read-all), webhook deliveries to a local HTTP server, retries of a failing one,
// the outbox for the administrator, and the masked SMTP password.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { DEMO_PASSWORD, fazhi, makeDataDir, startServer, sqlite, assertError, ok, listAll, waitFor, HAS_CJK } from './lib.mjs';

const SFJ = 7; // 区司法局 in the demo district (clerk1's unit)
const CGJD = 27; // 城关街道 (clerk2's unit)

/** A local (UTC+8) date `days` from today, as YYYY-MM-DD. */
function localDate(days = 0) {
    return new Date(Date.now() + 8 * 3600e3 + days * 86400e3).toISOString().slice(0, 10);
}

const TS = '2026-01-01T00:00:00Z';
/** A task led by `lead` (its task_units row too); issuedAt: ISO time or null (long ago). */
function taskSql(id, title, lead, dueOn, { reportDueOn = null, status = 'in_progress', issuedAt = TS } = {}) {
    const rd = reportDueOn ? `'${reportDueOn}'` : 'NULL';
    return `INSERT INTO tasks (id, path, title, lead_unit_id, due_on, report_due_on, status, issued_at, created_at, updated_at)
        VALUES (${id}, '/${id}/', '${title}', ${lead}, '${dueOn}', ${rd}, '${status}', '${issuedAt}', '${TS}', '${TS}');
        INSERT INTO task_units (task_id, unit_id, role) VALUES (${id}, ${lead}, 'lead');\n`;
}
// The demo's own tasks would remind too: the hand count is over these tasks alone.
const NO_DEMO_TASKS = `DELETE FROM deliveries; DELETE FROM notifications; DELETE FROM task_urgings;
    DELETE FROM task_extensions; DELETE FROM task_events; DELETE FROM task_tags; DELETE FROM task_units;
    DELETE FROM task_milestones; UPDATE tasks SET parent_id = NULL; DELETE FROM tasks;\n`;

let srv, dir, dbFile, clerk1, clerk2, sysadmin, office, firstRun;
before(async () => {
    dir = await makeDataDir();
    const d = await fazhi(['demo', '--data-dir', dir, '--password', DEMO_PASSWORD]);
    assert.equal(d.code, 0, d.stderr);
    dbFile = `${dir}/fazhi.db`;
    const now = new Date().toISOString().slice(0, 19) + 'Z';
    await sqlite(dbFile, NO_DEMO_TASKS +
        taskSql(9001, '规范性文件清理（逾期）', SFJ, localDate(-1)) + // overdue since today
        taskSql(9002, '普法责任清单（临期）', SFJ, localDate(1), { reportDueOn: localDate(0), issuedAt: now }) + // issued today, due soon
        taskSql(9003, '街道法治建设（远期）', CGJD, localDate(300)) +
        taskSql(9004, '已办结任务', SFJ, localDate(-30), { status: 'done' }) +
        taskSql(9005, '长期逾期任务', SFJ, localDate(-3)) + // overdue for days: in the digest only
        `INSERT INTO task_urgings (task_id, unit_id, content, reply_due_on, created_by, created_at)
            VALUES (9003, ${CGJD}, '请说明进度', '${localDate(-1)}', 4, '${TS}');`);
    firstRun = await fazhi(['jobs', 'run', '--data-dir', dir, '--force']);
    srv = await startServer({ demo: false, dataDir: dir });
    clerk1 = await srv.login('clerk1');
    clerk2 = await srv.login('clerk2');
    sysadmin = await srv.login('sysadmin');
    office = await srv.login('office');
});
after(async () => { await srv.stopAndCheck(); });

const mine = (items, taskIds) => items.filter((n) => taskIds.includes(n.task_id));
const kindsOf = (items) => items.map((n) => (n.task_id ? `${n.kind}:${n.task_id}` : n.kind)).sort();

test('`fazhi jobs run`: per task to the unit that acts on the day a threshold is crossed, one digest per user and kind', async () => {
    assert.equal(firstRun.code, 0, firstRun.stderr);
    // hand count: 9001 overdue since today, 9002 due soon and its report due (issued today),
    // the urging of 9003 unanswered since today; 9005 (overdue for days) and 9004 (done) alone
    // raise nothing; clerk1's and clerk2's units a digest each, the office its digest
    assert.match(firstRun.stdout, /^reminders \d{4}-\d{2}-\d{2}: tasks=3 due_soon=1 overdue=1 report_due=1 urging_overdue=1 digest_unit=2 digest_office=1 urgings=1 /m);
    const c1 = await listAll(clerk1, '/api/v1/notifications');
    assert.deepEqual(kindsOf(c1), ['digest_unit', 'due_soon:9002', 'overdue:9001', 'report_due:9002']);
    const overdue = c1.find((n) => n.kind === 'overdue');
    assert.match(overdue.title, /【逾期】.*已逾期 1 天/);
    assert.equal(overdue.link, '/tasks/9001');
    assert.equal(overdue.read_at, null);
    for (const k of ['id', 'kind', 'title', 'body', 'link', 'task_id', 'created_at', 'read_at']) assert.ok(k in overdue, k);
    assert.match(overdue.body, HAS_CJK);
    // the digest names the reasons and links to the list that shows exactly its red tasks
    const digest = c1.find((n) => n.kind === 'digest_unit');
    assert.equal(digest.title, '【每日提醒】你单位有 2 项任务逾期、1 项临期');
    assert.match(digest.body, /红灯 2 项.*黄灯 1 项/);
    assert.equal(digest.link, '/tasks/mine?light=red');
    assert.equal(digest.task_id, null);
    const [path, query] = digest.link.split('?');
    assert.equal(path, '/tasks/mine');
    const red = await listAll(clerk1, `/api/v1/tasks?mine=1&${query}`);
    assert.deepEqual(red.map((t) => t.id).sort(), [9001, 9005]);
    assert.equal((await listAll(clerk1, '/api/v1/tasks?mine=1&light=yellow')).length, 1);

    // clerk2's unit: the unanswered urging, and its digest
    assert.deepEqual(kindsOf(await listAll(clerk2, '/api/v1/notifications')), ['digest_unit', 'urging_overdue:9003']);
    // the office (task.manage): one digest, nothing task by task
    const off = await listAll(office, '/api/v1/notifications');
    assert.deepEqual(kindsOf(off), ['digest_office']);
    assert.equal(off[0].title, '【督办日报】全部督办任务中有 2 项任务逾期、1 项临期、1 项催办超期未回复');
    assert.equal(off[0].link, '/tasks?light=red');
    assert.equal((await listAll(office, '/api/v1/tasks?light=red')).length, 3);
    for (const u of ['sysadmin', 'leader', 'reviewer']) {
        assert.equal(ok(await (await srv.login(u)).get('/api/v1/notifications')).total, 0, u);
    }

    // Second run the same day: already done; even forced to run again, nothing new is raised.
    const again = await fazhi(['jobs', 'run', '--data-dir', dir, '--force']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^reminders \S+: already ran today$/m);
    await sqlite(dbFile, 'DELETE FROM job_runs;');
    const third = await fazhi(['jobs', 'run', '--data-dir', dir, '--force', '--job', 'reminders']);
    assert.equal(third.code, 0, third.stderr);
    assert.match(third.stdout, /due_soon=0 overdue=0 report_due=0 urging_overdue=0 digest_unit=0 digest_office=0/);
    assert.equal((await listAll(clerk1, '/api/v1/notifications')).length, 4);

    const list = await fazhi(['jobs', 'list', '--data-dir', dir]);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /^reminders /m);
    assert.match(list.stdout, /^ {2}\d{4}-\d{2}-\d{2} .*finished/m);
    const bad = await fazhi(['jobs', 'run', '--data-dir', dir, '--job', 'nope']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown job/);

    // the job run is audited as the system
    const auditor = await srv.login('auditor');
    const recs = ok(await auditor.get('/api/v1/audit?action=job.run')).items;
    assert.ok(recs.some((r) => r.actor === 'system' && r.object_id === 'reminders' && r.result === 'ok'));
});

test('inbox: own only, paging, unread filter and count, read, read-all', async () => {
    const all = ok(await clerk1.get('/api/v1/notifications?per_page=200'));
    assert.ok(all.total >= 3);
    const page1 = ok(await clerk1.get('/api/v1/notifications?per_page=1&page=1'));
    const page2 = ok(await clerk1.get('/api/v1/notifications?per_page=1&page=2'));
    assert.equal(page1.items.length, 1);
    assert.equal(page1.total, all.total);
    assert.notEqual(page1.items[0].id, page2.items[0].id);
    assert.ok(page1.items[0].id > page2.items[0].id, 'newest first');
    assertError(await clerk1.get('/api/v1/notifications?per_page=0'), 400, 'invalid');
    assertError(await clerk1.get('/api/v1/notifications?unread=maybe'), 400, 'invalid');

    // another user's notification is invisible: 404, and it stays unread
    const theirs = ok(await clerk2.get('/api/v1/notifications')).items[0];
    assert.ok(!all.items.some((n) => n.id === theirs.id), 'clerk1 must not list clerk2\'s notifications');
    assertError(await clerk1.post(`/api/v1/notifications/${theirs.id}/read`), 404, 'not_found');
    assert.equal(ok(await clerk2.get('/api/v1/notifications')).items[0].read_at, null);
    assertError(await clerk1.post('/api/v1/notifications/99999999/read'), 404, 'not_found');
    assertError(await clerk1.post('/api/v1/notifications/abc/read'), 404, 'not_found');
    assertError(await clerk1.post(`/api/v1/notifications/${all.items[0].id}/read`, {}, { csrf: false }), 403, 'csrf_failed');
    assertError(await srv.client().get('/api/v1/notifications'), 401, 'unauthenticated');

    const before = ok(await clerk1.get('/api/v1/notifications/unread-count')).count;
    assert.equal(before, ok(await clerk1.get('/api/v1/notifications?unread=1')).total);
    const n = all.items[0];
    const read = ok(await clerk1.post(`/api/v1/notifications/${n.id}/read`));
    assert.equal(read.id, n.id);
    assert.match(read.read_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    ok(await clerk1.post(`/api/v1/notifications/${n.id}/read`)); // again: still fine
    assert.equal(ok(await clerk1.get('/api/v1/notifications/unread-count')).count, before - 1);
    assert.ok(!ok(await clerk1.get('/api/v1/notifications?unread=1&per_page=200')).items.some((x) => x.id === n.id));
    assert.ok(ok(await clerk1.get('/api/v1/notifications?unread=0&per_page=200')).items.some((x) => x.id === n.id));

    const all2 = ok(await clerk1.post('/api/v1/notifications/read-all'));
    assert.equal(all2.ok, true);
    assert.equal(all2.count, before - 1);
    assert.equal(ok(await clerk1.get('/api/v1/notifications/unread-count')).count, 0);
    // clerk2 untouched; marking read is not audited
    assert.ok(ok(await clerk2.get('/api/v1/notifications/unread-count')).count >= 1);
    const auditor = await srv.login('auditor');
    assert.equal(ok(await auditor.get('/api/v1/audit?action=notification.read')).total, 0);
});

/** A tiny webhook receiver on 127.0.0.1; resolves {url, bodies, close}. */
function webhookServer() {
    const bodies = [];
    const s = createServer((req, res) => {
        let data = '';
        req.on('data', (d) => (data += d));
        req.on('end', () => {
            bodies.push({ method: req.method, type: req.headers['content-type'], body: data });
            res.writeHead(200, { 'Content-Type': 'application/json' });
            res.end('{"errcode":0,"errmsg":"ok"}');
        });
    });
    return new Promise((res) => s.listen(0, '127.0.0.1', () => res({
        url: `http://127.0.0.1:${s.address().port}/cgi-bin/webhook/send?key=secret-key`,
        bodies,
        close: () => new Promise((r) => s.close(r)),
    })));
}

async function setSetting(key, value) {
    const s = ok(await sysadmin.get('/api/v1/settings')).items.find((x) => x.key === key);
    return ok(await sysadmin.put(`/api/v1/settings/${key}`, { value, version: s.version }), 200, key);
}

/** A task of 城关街道 overdue since today and a fresh daily run. */
async function raiseOverdue(id) {
    await sqlite(dbFile, taskSql(id, `推送测试任务${id}`, CGJD, localDate(-1)) + 'DELETE FROM job_runs;');
    const r = await fazhi(['jobs', 'run', '--data-dir', dir, '--force', '--job', 'reminders']);
    assert.equal(r.code, 0, r.stderr);
    return r;
}

test('webhook: delivered as {"msgtype":"text",...} JSON; a failing one stays pending with attempts=1', async () => {
    const hook = await webhookServer();
    try {
        await setSetting('notify.webhook_url', hook.url);
        await raiseOverdue(9101);
        await waitFor(() => hook.bodies.some((b) => b.body.includes('推送测试任务9101')), { what: 'webhook POST' });
        const got = hook.bodies.find((b) => b.body.includes('推送测试任务9101'));
        assert.equal(got.method, 'POST');
        assert.match(got.type, /^application\/json/);
        const j = JSON.parse(got.body);
        assert.deepEqual(Object.keys(j).sort(), ['msgtype', 'text']);
        assert.equal(j.msgtype, 'text');
        assert.match(j.text.content, /【逾期】《推送测试任务9101》已逾期 1 天/);
        const sent = await waitFor(async () => {
            const items = ok(await sysadmin.get('/api/v1/deliveries?status=sent&per_page=200')).items
                .filter((d) => d.title.includes('推送测试任务9101'));
            return items.length > 0 && items.every((d) => d.status === 'sent') && items;
        }, { what: 'deliveries sent' });
        assert.equal(sent[0].channel, 'webhook');
        assert.equal(sent[0].attempts, 1);
        assert.doesNotMatch(sent[0].target, /secret-key/, 'the webhook key is not shown');
    } finally {
        await hook.close();
    }

    await setSetting('notify.webhook_url', 'http://127.0.0.1:1/'); // nothing listens there
    await raiseOverdue(9102);
    const pending = ok(await sysadmin.get('/api/v1/deliveries?status=pending&per_page=200')).items
        .filter((d) => d.title.includes('推送测试任务9102'));
    assert.ok(pending.length >= 1);
    for (const d of pending) {
        assert.equal(d.attempts, 1);
        assert.equal(d.status, 'pending');
        assert.ok(d.last_error.length > 0);
        const wait = Date.parse(d.next_attempt_at) - Date.now();
        assert.ok(wait > 30e3 && wait <= 61e3, `retry in about a minute, got ${wait} ms`);
    }
    await setSetting('notify.webhook_url', '');
    assertError(await sysadmin.get('/api/v1/deliveries?status=bogus'), 400, 'invalid');
    assertError(await office.get('/api/v1/deliveries'), 403, 'forbidden');
    assertError(await clerk1.get('/api/v1/deliveries'), 403, 'forbidden');
});

test('settings: notify.smtp_password is never answered; the mask keeps it', async () => {
    const get = async () => ok(await sysadmin.get('/api/v1/settings')).items.find((x) => x.key === 'notify.smtp_password');
    assert.equal((await get()).value, '');
    const s1 = await setSetting('notify.smtp_password', 'S3cret-smtp');
    assert.equal(s1.value, '********');
    assert.equal((await get()).value, '********');
    const s2 = await setSetting('notify.smtp_password', '********');
    assert.equal(s2.value, '********');
    assert.equal((await sqlite(dbFile, "SELECT value FROM settings WHERE key = 'notify.smtp_password';")).trim(), 'S3cret-smtp');
    const auditor = await srv.login('auditor');
    const recs = ok(await auditor.get('/api/v1/audit?action=setting.update&per_page=200')).items;
    assert.ok(recs.length > 0);
    assert.ok(!JSON.stringify(recs).includes('S3cret-smtp'), 'the password is not in the audit log');
    await setSetting('notify.smtp_password', '');
    assert.equal((await get()).value, '');
});
