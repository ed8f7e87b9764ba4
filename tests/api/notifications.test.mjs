// Notifications (消息): the daily reminder job (`fazhi jobs run`: the hand count per user and
// kind on fixed tasks, nothing more the same day), the inbox (own only, paging,
// unread, read, read-all), webhook deliveries to a local HTTP server, retries of a failing one,
// the outbox for the administrator, and the masked SMTP password.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { DEMO_PASSWORD, fazhi, makeDataDir, removeDataDir, startServer, sqlite, assertError, ok, listAll, waitFor, HAS_CJK } from './lib.mjs';

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
    DELETE FROM task_milestones; UPDATE tasks SET parent_id = NULL;
    UPDATE inspection_findings SET task_id = NULL; DELETE FROM tasks;\n`; // (findings' rectification tasks)

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
    assert.match(firstRun.stdout, /^reminders \d{4}-\d{2}-\d{2}: tasks=3 due_soon=1 overdue=1 report_due=1 urging_overdue=1 digest_unit=2 digest_office=2 urgings=1 /m); // office and the demo's second assessor (考核评分员, role office)
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
    // nobody else hears of tasks (the calendar's administrator may hear, from November, that next
    // year's holidays are missing: the calendar module's own job, tests/api/calendar-missing)
    for (const u of ['sysadmin', 'leader', 'reviewer']) {
        const items = await listAll(await srv.login(u), '/api/v1/notifications');
        assert.deepEqual(items.filter((n) => n.kind !== 'calendar_missing').map((n) => n.kind), [], u);
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

/**
 * A tiny webhook receiver on 127.0.0.1; resolves {url, port, bodies, close}. answer(res) writes
 * the reply (default: 200 {"errcode":0}).
 */
function webhookServer(answer = (res) => { res.writeHead(200, { 'Content-Type': 'application/json' }); res.end('{"errcode":0,"errmsg":"ok"}'); }) {
    const bodies = [];
    const s = createServer((req, res) => {
        let data = '';
        req.on('data', (d) => (data += d));
        req.on('end', () => {
            bodies.push({ method: req.method, type: req.headers['content-type'], body: data, url: req.url });
            answer(res);
        });
    });
    return new Promise((res) => s.listen(0, '127.0.0.1', () => res({
        url: `http://127.0.0.1:${s.address().port}/cgi-bin/webhook/send?key=secret-key`,
        port: s.address().port,
        bodies,
        close: () => new Promise((r) => s.close(r)),
    })));
}

async function getSetting(key) {
    return ok(await sysadmin.get('/api/v1/settings')).items.find((x) => x.key === key);
}

async function putSetting(key, value, opts) {
    const s = await getSetting(key);
    return sysadmin.put(`/api/v1/settings/${key}`, { value, version: s.version }, opts);
}

async function setSetting(key, value) {
    return ok(await putSetting(key, value), 200, key);
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
        await setSetting('notify.webhook_allow', '127.0.0.1'); // the local receiver is an "on-premises gateway"
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
    await setSetting('notify.webhook_allow', '');
    assertError(await sysadmin.get('/api/v1/deliveries?status=bogus'), 400, 'invalid');
    assertError(await office.get('/api/v1/deliveries'), 403, 'forbidden');
    assertError(await clerk1.get('/api/v1/deliveries'), 403, 'forbidden');
});

test('the group robot hears of an event once: a unit of N clerks gets N notifications and N e-mails, the webhook one message naming the unit', async () => {
    const hook = await webhookServer();
    try {
        // 城关街道 gets two more clerks like clerk2, and every clerk of it an address
        await sqlite(dbFile, `INSERT INTO users (username, display_name, unit_id, role_id, password_hash, must_change_password, created_at, updated_at)
            SELECT 'cgjd_' || n.x, '城关街道办事员' || n.x, unit_id, role_id, password_hash, 0, created_at, updated_at
            FROM users, (SELECT 'a' AS x UNION ALL SELECT 'b') n WHERE username = 'clerk2';`);
        const clerks = (await sqlite(dbFile, `SELECT u.id FROM users u JOIN role_permissions rp ON rp.role_id = u.role_id
            AND rp.permission = 'task.work' WHERE u.unit_id = ${CGJD} AND u.locked = 0 ORDER BY u.id;`)).trim().split('\n').map(Number);
        assert.ok(clerks.length >= 3, `a unit of several clerks (${clerks.length})`);
        await sqlite(dbFile, `UPDATE users SET email = 'u' || id || '@example.gov.cn' WHERE id IN (${clerks.join(',')});`);
        await setSetting('notify.webhook_allow', '127.0.0.1');
        await setSetting('notify.webhook_url', hook.url);
        await setSetting('notify.smtp_url', 'smtp://127.0.0.1:1');
        await raiseOverdue(9601);
        const count = async (channel) => Number((await sqlite(dbFile, `SELECT COUNT(*) FROM deliveries d JOIN notifications n ON n.id = d.notification_id
            WHERE n.task_id = 9601 AND d.channel = '${channel}';`)).trim());
        assert.equal(Number((await sqlite(dbFile, 'SELECT COUNT(*) FROM notifications WHERE task_id = 9601;')).trim()), clerks.length);
        assert.equal(await count('webhook'), 1, 'one webhook delivery for the unit');
        assert.equal(await count('email'), clerks.length, 'one e-mail per clerk');
        await waitFor(() => hook.bodies.some((b) => b.body.includes('推送测试任务9601')), { what: 'webhook POST' });
        const got = hook.bodies.filter((b) => b.body.includes('推送测试任务9601'));
        assert.equal(got.length, 1);
        const content = JSON.parse(got[0].body).text.content;
        assert.match(content, /^【逾期】《推送测试任务9601》已逾期 1 天\n.*\n承办单位：城关街道$/s);
        assert.doesNotMatch(content, /接收人/);
        // a re-run raises nothing, so queues nothing
        await sqlite(dbFile, 'DELETE FROM job_runs;');
        const again = await fazhi(['jobs', 'run', '--data-dir', dir, '--force', '--job', 'reminders']);
        assert.equal(again.code, 0, again.stderr);
        assert.equal(await count('webhook'), 1);
        assert.equal(await count('email'), clerks.length);
    } finally {
        await setSetting('notify.webhook_url', '');
        await setSetting('notify.smtp_url', '');
        await setSetting('notify.webhook_allow', '');
        await hook.close();
    }
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

test('webhook address policy at save: loopback, private, link-local, a name resolving to loopback and plain http are refused (400, zh/en), nothing changes', async () => {
    const hook = await webhookServer();
    try {
        await setSetting('notify.webhook_allow', '');
        const before = await getSetting('notify.webhook_url');
        const auditor = await srv.login('auditor');
        const audits = ok(await auditor.get('/api/v1/audit?action=setting.update&per_page=1')).total;
        const refused = [
            `http://127.0.0.1:${hook.port}/`, 'http://10.0.0.1/', 'https://10.0.0.1/', 'https://172.16.0.5/hook',
            'https://192.168.1.10/', 'https://100.64.0.1/', 'https://169.254.169.254/latest/meta-data/',
            'https://[::1]/', 'https://[::ffff:127.0.0.1]/', 'https://[fd00::1]/', 'https://0.0.0.0/',
            'https://2130706433/', `https://localhost:${hook.port}/`, 'http://8.8.8.8/', 'ftp://8.8.8.8/', 'nonsense',
        ];
        for (const url of refused) {
            const e = assertError(await putSetting('notify.webhook_url', url), 400, 'invalid', url);
            assert.match(e.fields?.value ?? '', /[\u4e00-\u9fff]/, `${url}: a Chinese message by default`);
        }
        const en = assertError(await putSetting('notify.webhook_url', 'https://169.254.169.254/', { headers: { 'Accept-Language': 'en' } }), 400, 'invalid');
        assert.match(en.fields.value, /link-local/);
        assert.match(assertError(await putSetting('notify.webhook_url', 'https://localhost/', { headers: { 'Accept-Language': 'en' } }), 400, 'invalid').fields.value, /loopback/);
        assert.match(assertError(await putSetting('notify.webhook_url', 'http://8.8.8.8/', { headers: { 'Accept-Language': 'en' } }), 400, 'invalid').fields.value, /https/);
        const after = await getSetting('notify.webhook_url');
        assert.deepEqual([after.value, after.version], [before.value, before.version], 'nothing saved');
        assert.equal(ok(await auditor.get('/api/v1/audit?action=setting.update&per_page=1')).total, audits, 'no audit record for a refused value');
        assert.equal(hook.bodies.length, 0, 'the check never connects');

        // a malformed allow-list is refused too; a good one is kept
        assertError(await putSetting('notify.webhook_allow', '10.0.0.0/33'), 400, 'invalid');
        assertError(await putSetting('notify.webhook_allow', 'http://10.0.0.1/'), 400, 'invalid');
        await setSetting('notify.webhook_allow', '127.0.0.1, 10.8.0.0/16');
        ok(await putSetting('notify.webhook_url', `http://127.0.0.1:${hook.port}/send`), 200, 'listed: http is fine');
        ok(await putSetting('notify.webhook_url', 'https://10.8.1.2/send'), 200, 'inside a listed block');
        assertError(await putSetting('notify.webhook_url', 'https://10.9.1.2/send'), 400, 'invalid', 'outside the listed block');
    } finally {
        await setSetting('notify.webhook_url', '');
        await setSetting('notify.webhook_allow', '');
        await hook.close();
    }
});

test('webhook address policy at delivery: a stored URL no longer allowed is not contacted; redirects are not followed', async () => {
    const hook = await webhookServer();
    const target = await webhookServer();
    const redirect = await webhookServer((res) => { res.writeHead(302, { Location: target.url }); res.end('moved'); });
    try {
        await setSetting('notify.webhook_allow', '127.0.0.1');
        await setSetting('notify.webhook_url', hook.url);
        await setSetting('notify.webhook_allow', ''); // the allow-list is emptied after the URL was saved
        await raiseOverdue(9201);
        const refused = ok(await sysadmin.get('/api/v1/deliveries?status=failed&per_page=200')).items
            .filter((d) => d.title.includes('推送测试任务9201'));
        assert.ok(refused.length >= 1, 'refused deliveries fail for good');
        for (const d of refused) assert.match(d.last_error, /^address refused: .*loopback/);
        assert.equal(hook.bodies.length, 0, 'the receiver was never contacted');

        await setSetting('notify.webhook_allow', '127.0.0.1');
        await setSetting('notify.webhook_url', redirect.url);
        await raiseOverdue(9202);
        const moved = ok(await sysadmin.get('/api/v1/deliveries?status=pending&per_page=200')).items
            .filter((d) => d.title.includes('推送测试任务9202'));
        assert.ok(moved.length >= 1);
        for (const d of moved) assert.equal(d.last_error, 'HTTP 302: redirects are not followed');
        assert.ok(redirect.bodies.length >= 1);
        assert.equal(target.bodies.length, 0, 'the redirect target was never contacted');
    } finally {
        await setSetting('notify.webhook_url', '');
        await setSetting('notify.webhook_allow', '');
        await Promise.all([hook.close(), target.close(), redirect.close()]);
    }
});

test('webhook answers never reach the outbox: errmsg and error bodies leave only the status and a fixed message', async () => {
    const SECRET = 'internal-secret-9f3c';
    const refusing = await webhookServer((res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ errcode: 93000, errmsg: `内网服务 ${SECRET}` }));
    });
    const failing = await webhookServer((res) => { res.writeHead(500, { 'Content-Type': 'text/plain' }); res.end(`stack trace ${SECRET}`); });
    try {
        await setSetting('notify.webhook_allow', '127.0.0.1');
        await setSetting('notify.webhook_url', refusing.url);
        await raiseOverdue(9301);
        await setSetting('notify.webhook_url', failing.url);
        await raiseOverdue(9302);
        const items = ok(await sysadmin.get('/api/v1/deliveries?per_page=200')).items;
        const a = items.filter((d) => d.title.includes('推送测试任务9301'));
        const b = items.filter((d) => d.title.includes('推送测试任务9302'));
        assert.ok(a.length >= 1 && b.length >= 1);
        assert.ok(refusing.bodies.length >= 1 && failing.bodies.length >= 1, 'both receivers were reached');
        for (const d of a) assert.equal(d.last_error, 'HTTP 200: the robot refused the message (errcode is not 0)');
        for (const d of b) assert.equal(d.last_error, 'HTTP 500: the webhook answered with an error status');
        assert.ok(!JSON.stringify(items).includes(SECRET), 'no answer body in the outbox');
        assert.ok(!JSON.stringify(items).includes('93000'), 'not even the errcode');
    } finally {
        await setSetting('notify.webhook_url', '');
        await setSetting('notify.webhook_allow', '');
        await Promise.all([refusing.close(), failing.close()]);
    }
});

test('webhook secrets (access_token=, key=, user:pass@) are masked in settings answers, the outbox and the audit log; sending the mask back keeps them', async () => {
    const hook = await webhookServer();
    const TOKEN = 'tok-7f2a-SECRET', PASS = 'pw-SECRET-91';
    const url = `http://robot:${PASS}@127.0.0.1:${hook.port}/robot/send?access_token=${TOKEN}&timestamp=1`;
    try {
        await setSetting('notify.webhook_allow', '127.0.0.1');
        const put = await setSetting('notify.webhook_url', url);
        const masked = `http://********@127.0.0.1:${hook.port}/robot/send?access_token=********&timestamp=1`;
        assert.equal(put.value, masked, 'the PUT answer');
        assert.equal((await getSetting('notify.webhook_url')).value, masked, 'GET /settings');
        // the UI sends back what it showed: the stored URL stays whole
        const again = await setSetting('notify.webhook_url', masked);
        assert.equal(again.value, masked);
        assert.equal((await sqlite(dbFile, "SELECT value FROM settings WHERE key = 'notify.webhook_url';")).trim(), url);

        await raiseOverdue(9401);
        await waitFor(() => hook.bodies.some((x) => x.body.includes('推送测试任务9401')), { what: 'webhook POST' });
        assert.equal(hook.bodies.find((x) => x.body.includes('推送测试任务9401')).url, `/robot/send?access_token=${TOKEN}&timestamp=1`,
            'the real URL is used for sending');
        const outbox = ok(await sysadmin.get('/api/v1/deliveries?per_page=200')).items.filter((d) => d.title.includes('推送测试任务9401'));
        assert.ok(outbox.length >= 1);
        for (const d of outbox) assert.equal(d.target, masked);

        // smtp_url with a login is masked the same way
        const smtp = await setSetting('notify.smtp_url', `smtps://mailer:${PASS}@mail.example.gov.cn:465`);
        assert.equal(smtp.value, 'smtps://********@mail.example.gov.cn:465');

        const auditor = await srv.login('auditor');
        const recs = ok(await auditor.get('/api/v1/audit?action=setting.update&per_page=200')).items;
        const text = JSON.stringify(recs);
        assert.ok(text.includes('access_token=********'), 'the audit detail names the change');
        for (const secret of [TOKEN, PASS]) {
            assert.ok(!text.includes(secret), `${secret} in the audit log`);
            assert.ok(!JSON.stringify(ok(await sysadmin.get('/api/v1/settings')).items).includes(secret), `${secret} in GET /settings`);
            assert.ok(!JSON.stringify(ok(await sysadmin.get('/api/v1/deliveries?per_page=200')).items).includes(secret), `${secret} in GET /deliveries`);
        }
        // the CSV export of the audit log too
        const csv = await auditor.get('/api/v1/audit/export.csv?action=setting.update');
        assert.equal(csv.status, 200);
        for (const secret of [TOKEN, PASS]) assert.ok(!csv.text.includes(secret), `${secret} in the audit CSV`);
    } finally {
        await setSetting('notify.webhook_url', '');
        await setSetting('notify.smtp_url', '');
        await setSetting('notify.webhook_allow', '');
        await hook.close();
    }
});

test('upgrade (migration 8): robot answers kept by older versions are removed from the outbox', async () => {
    const SECRET = 'old-internal-answer-5c1d';
    // an installation still at schema 7, with what an older version kept in its outbox
    const old = await makeDataDir();
    try {
        const m7 = await fazhi(['migrate', '--data-dir', old, '--schema', '7']);
        assert.equal(m7.code, 0, m7.stderr);
        assert.match(m7.stdout, /^schema version 7 /);
        await sqlite(`${old}/fazhi.db`, `INSERT INTO deliveries (notification_id, channel, target, payload, status, attempts, next_attempt_at, last_error, created_at)
            VALUES (NULL, 'webhook', 'https://example.invalid/x', '{}', 'failed', 6, 0, 'errcode 93000: ${SECRET}', '2026-01-01T00:00:00Z'),
                   (NULL, 'email', 'a@example.invalid', '{}', 'failed', 6, 0, 'curl error 67: Login denied', '2026-01-01T00:00:00Z');`);
        const m = await fazhi(['migrate', '--data-dir', old]);
        assert.equal(m.code, 0, m.stderr);
        assert.match(m.stdout, /migrations applied/);
        const rows = (await sqlite(`${old}/fazhi.db`, 'SELECT channel, last_error FROM deliveries ORDER BY channel;')).trim().split('\n');
        assert.deepEqual(rows, ['email|curl error 67: Login denied', 'webhook|HTTP 200: the robot refused the message (errcode is not 0)']);
        for (const bad of ['07', '+7', 'x', '0']) {
            const r = await fazhi(['migrate', '--data-dir', old, '--schema', bad]);
            assert.equal(r.code, 2, `--schema ${bad}`);
        }
    } finally {
        await removeDataDir(old);
    }
});
