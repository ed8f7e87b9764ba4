// 公开征求意见 (src/features/consult): the period rule (重大行政决策程序暂行条例第十五条: at least
// 30 days, shorter only with a reason that the public page shows); an anonymous comment through
// the public API (no account) with its signed arithmetic challenge; every refusal — too long,
// empty, after the deadline, a missing, wrong or replayed challenge, too fast, the honeypot — is
// a clear 4xx that stores no comment; the rate limit per client address (429); personal data
// masked in answers (phone, ID number, e-mail; the contact sealed at rest); staff grouping,
// answering and adoption; the tally equals a hand count; the period closes by the daily job and
// on read; publication shows the outcome on the public page; another unit's clerk gets 404.
// The server runs with --trust-proxy so X-Forwarded-For gives each test its own address.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_PASSWORD, fazhi, makeDataDir, startServer, sqlite, ok, assertError, unitByName } from './lib.mjs';
import { day } from './tasks-lib.mjs';

let srv, dir, office, clerk1, clerk2, admin, sfj;
before(async () => {
    dir = await makeDataDir();
    const g = await fazhi(['demo', '--data-dir', dir, '--password', DEMO_PASSWORD]);
    assert.equal(g.code, 0, g.stderr);
    // the server's scheduler must not close consultations itself: the CLI below does, as cron would
    await sqlite(`${dir}/fazhi.db`, "UPDATE settings SET value = '24' WHERE key = 'jobs.daily_hour';");
    srv = await startServer({ demo: false, dataDir: dir, serveArgs: ['--trust-proxy'] });
    office = await srv.login('office');
    clerk1 = await srv.login('clerk1');
    clerk2 = await srv.login('clerk2');
    admin = await srv.login('sysadmin');
    sfj = await unitByName(office, '区司法局');
    await setting('consult.min_fill_seconds', 0);
});
after(async () => { await srv.stopAndCheck(); });

const PATH = '/api/v1/consultations';
const COMMENTS = '/api/v1/consultation-comments';
const TOPICS = '/api/v1/consultation-topics';
const PUBLIC = '/api/v1/public/consultations';

async function setting(key, value) {
    const s = ok(await admin.get('/api/v1/settings')).items.find((x) => x.key === key);
    assert.ok(s, key);
    ok(await admin.put(`/api/v1/settings/${key}`, { value, version: s.version }));
}

let ipSeq = 10;
const newIp = () => `203.0.113.${ipSeq++}`;
/** An anonymous visitor from one address (English answers: the question is easy to read). */
function visitor(ip = newIp()) {
    const c = srv.client({ lang: 'en' });
    const h = { headers: { 'X-Forwarded-For': ip } };
    return {
        get: (p) => c.get(p, h),
        post: (p, b) => c.post(p, b, h),
    };
}
function solve(question) {
    const m = /What is (\d+) (plus|minus) (\d+)\?/.exec(question);
    assert.ok(m, question);
    return String(m[2] === 'plus' ? Number(m[1]) + Number(m[3]) : Number(m[1]) - Number(m[3]));
}
/** Read the public page and send a comment answering its challenge; returns the raw answer. */
async function comment(v, id, fields = {}) {
    const page = ok(await v.get(`${PUBLIC}/${id}`));
    assert.ok(page.challenge, 'a consultation taking comments hands out a challenge');
    return v.post(`${PUBLIC}/${id}/comments`, {
        body: '建议进一步明确适用范围。', challenge: page.challenge.token,
        answer: solve(page.challenge.question), ...fields,
    });
}
async function createOpen(who = clerk1, body = {}) {
    const rec = ok(await who.post(PATH, {
        title: `征求意见稿 ${ipSeq}`, unit_id: sfj.id, starts_on: day(0), ends_on: day(30),
        body: '第一条 为了……制定本办法。', explanation: '起草说明：……', mail_to: 'fzb@example.gov.cn',
        ...body,
    }), 201);
    assert.match(rec.consult_no, /^ZQ\d{4}-\d{6}$/);
    return step(who, rec, 'open');
}
async function step(who, rec, action, body = {}) {
    const cur = ok(await who.get(`${PATH}/${rec.id}`));
    return ok(await who.post(`${PATH}/${rec.id}/actions/${action}`, { version: cur.version, ...body }), 200, action);
}
const staffComments = async (id, who = office) => ok(await who.get(`${COMMENTS}?consultation_id=${id}&per_page=200`));
const stored = async (id) => Number((await sqlite(srv.db, `SELECT COUNT(*) FROM consultation_comments WHERE consultation_id = ${id};`)).trim());

test('period rule: under 30 days needs a stated reason, shown on the public page; the end after the start', async () => {
    const base = { title: '期限测试', unit_id: sfj.id, body: '草案', starts_on: day(0) };
    let r = await clerk1.post(PATH, { ...base, ends_on: day(29) });
    assertError(r, 400, 'invalid');
    assert.match(r.json.error.fields.short_reason, /30日/);
    r = await clerk1.post(PATH, { ...base, ends_on: day(0) });
    assertError(r, 400, 'invalid');
    assert.ok(r.json.error.fields.ends_on);
    r = await clerk1.post(PATH, { ...base, ends_on: day(10), decision_id: 1, normdoc_id: 2 });
    assertError(r, 400, 'invalid');
    assert.ok(r.json.error.fields.normdoc_id, 'at most one linked document');
    r = await clerk1.post(PATH, { title: '无文本', unit_id: sfj.id, starts_on: day(0), ends_on: day(30) });
    assertError(r, 400, 'invalid');
    assert.ok(r.json.error.fields.body, 'the text or a link is needed');
    ok(await clerk1.post(PATH, { ...base, ends_on: day(30) }), 201, 'exactly 30 days needs no reason');
    const short = await createOpen(clerk1, { ends_on: day(10), short_reason: '上级部署时间紧迫，需在年底前出台' });
    assert.equal(short.status, 'open');
    // once opened its text and period stand: an edit is 403 naming the state, nothing changes
    const edit = await clerk1.put(`${PATH}/${short.id}`, { version: short.version, ends_on: day(40), short_reason: '' });
    assertError(edit, 403, 'forbidden');
    assert.match(edit.json.error.message, /^征求意见中的记录不能修改$/);
    assert.equal(ok(await clerk1.get(`${PATH}/${short.id}`)).ends_on, day(10));
    assert.deepEqual(ok(await clerk1.get('/api/v1/entities/consultations')).edit_states, ['draft']);
    const pub = ok(await visitor().get(`${PUBLIC}/${short.id}`));
    assert.equal(pub.short_reason, '上级部署时间紧迫，需在年底前出台');
    assert.equal(pub.ends_on, day(10));
    assert.equal(pub.days_left, 11, 'the last day counts');
});

test('an anonymous visitor reads the open draft and comments without an account', async () => {
    const rec = await createOpen();
    const v = visitor();
    const list = ok(await v.get(PUBLIC));
    assert.ok(list.items.some((x) => x.id === rec.id), 'listed among the open consultations');
    const page = ok(await v.get(`${PUBLIC}/${rec.id}`));
    assert.equal(page.title, rec.title);
    assert.equal(page.body, '第一条 为了……制定本办法。');
    assert.equal(page.explanation, '起草说明：……');
    assert.equal(page.ends_on, day(30));
    assert.equal(page.accepting, true);
    assert.equal(page.channels.online, true);
    assert.equal(page.channels.mail, 'fzb@example.gov.cn');
    assert.equal(page.comment_max, 2000);
    const r = await comment(v, rec.id, { body: '建议增加听证程序。', contact: '张先生' });
    const made = ok(r, 201);
    assert.ok(made.id > 0);
    const mine = (await staffComments(rec.id)).items;
    assert.deepEqual(mine.map((x) => x.body), ['建议增加听证程序。']);
    assert.equal(mine[0].adoption, 'pending');
    // a draft is not public
    const draft = ok(await clerk1.post(PATH, { title: '草稿', unit_id: sfj.id, body: '草案', starts_on: day(0), ends_on: day(30) }), 201);
    assertError(await v.get(`${PUBLIC}/${draft.id}`), 404, 'not_found');
    assertError(await v.post(`${PUBLIC}/${draft.id}/comments`, { body: 'x', challenge: 'x', answer: '1' }), 404, 'not_found');
});

test('too long, empty, missing, wrong or replayed challenge, too fast, honeypot: clear 4xx and nothing stored', async () => {
    const rec = await createOpen();
    const v = visitor();
    const page = ok(await v.get(`${PUBLIC}/${rec.id}`));
    const good = { challenge: page.challenge.token, answer: solve(page.challenge.question) };
    let r = await v.post(`${PUBLIC}/${rec.id}/comments`, { ...good, body: '长'.repeat(2001) });
    assertError(r, 400, 'invalid');
    assert.ok(r.json.error.fields.body);
    r = await v.post(`${PUBLIC}/${rec.id}/comments`, { ...good, body: '   ' });
    assertError(r, 400, 'invalid');
    assert.ok(r.json.error.fields.body);
    r = await v.post(`${PUBLIC}/${rec.id}/comments`, { ...good, body: '好', contact: 'x'.repeat(101) });
    assertError(r, 400, 'invalid');
    assert.ok(r.json.error.fields.contact);
    r = await v.post(`${PUBLIC}/${rec.id}/comments`, { body: '好' });
    assertError(r, 400, 'invalid');
    assert.ok(r.json.error.fields.challenge && r.json.error.fields.answer, 'missing challenge');
    r = await v.post(`${PUBLIC}/${rec.id}/comments`, { body: '好', challenge: `${page.challenge.token.slice(0, -1)}${page.challenge.token.endsWith('0') ? '1' : '0'}`, answer: good.answer });
    assertError(r, 400, 'challenge_failed', 'a forged token');
    const wrong = ok(await v.get(`${PUBLIC}/${rec.id}`)).challenge;
    r = await v.post(`${PUBLIC}/${rec.id}/comments`, { body: '好', challenge: wrong.token, answer: String(Number(solve(wrong.question)) + 1) });
    assertError(r, 400, 'challenge_failed', 'a wrong answer');
    r = await v.post(`${PUBLIC}/${rec.id}/comments`, { body: '好', challenge: wrong.token, answer: solve(wrong.question) });
    assertError(r, 400, 'challenge_failed', 'a challenge answered wrong once is spent');
    r = await v.post(`${PUBLIC}/${rec.id}/comments`, { body: '好', challenge: good.challenge, answer: good.answer, website: 'http://spam.example' });
    assertError(r, 400, 'challenge_failed', 'the honeypot field');
    assert.equal(await stored(rec.id), 0, 'nothing stored so far');
    ok(await comment(v, rec.id, { body: '第一条意见' }), 201);
    const used = ok(await v.get(`${PUBLIC}/${rec.id}`)).challenge;
    ok(await v.post(`${PUBLIC}/${rec.id}/comments`, { body: '第二条意见', challenge: used.token, answer: solve(used.question) }), 201);
    r = await v.post(`${PUBLIC}/${rec.id}/comments`, { body: '重放', challenge: used.token, answer: solve(used.question) });
    assertError(r, 400, 'challenge_failed', 'a replayed challenge');
    assert.match(r.json.error.message, /used before/);
    // a challenge of another consultation
    const other = await createOpen();
    const foreign = ok(await v.get(`${PUBLIC}/${other.id}`)).challenge;
    r = await v.post(`${PUBLIC}/${rec.id}/comments`, { body: '串用', challenge: foreign.token, answer: solve(foreign.question) });
    assertError(r, 400, 'challenge_failed');
    // too fast: under consult.min_fill_seconds since the page was read
    await setting('consult.min_fill_seconds', 30);
    r = await comment(v, rec.id, { body: '太快' });
    assertError(r, 400, 'challenge_failed');
    assert.match(r.json.error.message, /too fast/);
    await setting('consult.min_fill_seconds', 0);
    assert.equal(await stored(rec.id), 2, 'only the two accepted comments are stored');
});

test('after the last day: refused with a clear message; the record reads 已截止 at once (closed on read)', async () => {
    const rec = await createOpen();
    const v = visitor();
    const page = ok(await v.get(`${PUBLIC}/${rec.id}`));
    await sqlite(srv.db, `UPDATE consultations SET ends_on = '${day(-1)}' WHERE id = ${rec.id};`);
    const r = await v.post(`${PUBLIC}/${rec.id}/comments`, { body: '迟到的意见', challenge: page.challenge.token, answer: solve(page.challenge.question) });
    assertError(r, 409, 'consultation_closed');
    assert.ok(r.json.error.message.includes(day(-1)), r.json.error.message);
    assert.equal(await stored(rec.id), 0);
    const cur = ok(await clerk1.get(`${PATH}/${rec.id}`));
    assert.equal(cur.status, 'closed');
    assert.ok(cur.closed_at);
    const events = ok(await clerk1.get(`${PATH}/${rec.id}/timeline`)).items.map((e) => e.action);
    assert.ok(events.includes('close'), events.join());
    const again = ok(await v.get(`${PUBLIC}/${rec.id}`));
    assert.equal(again.accepting, false);
    assert.equal(again.challenge, null);
    assert.ok(!ok(await v.get(PUBLIC)).items.some((x) => x.id === rec.id), 'no longer among the open ones');
    assert.ok(ok(await v.get(`${PUBLIC}?state=closed`)).items.some((x) => x.id === rec.id));
});

test('the daily job closes what has ended, in batches, without any read', async () => {
    const a = await createOpen(), b = await createOpen();
    await sqlite(srv.db, `UPDATE consultations SET ends_on = '${day(-2)}' WHERE id IN (${a.id}, ${b.id});`);
    const r = await fazhi(['jobs', 'run', '--force', '--job', 'consult_close', '--data-dir', dir]);
    assert.equal(r.code, 0, r.stderr);
    const rows = (await sqlite(srv.db, `SELECT status FROM consultations WHERE id IN (${a.id}, ${b.id}) ORDER BY id;`)).trim().split('\n');
    assert.deepEqual(rows, ['closed', 'closed']);
    const audit = Number((await sqlite(srv.db, `SELECT COUNT(*) FROM audit_log WHERE action = 'consultation.close' AND object_id IN ('${a.id}', '${b.id}');`)).trim());
    assert.equal(audit, 2);
});

test('rate limit per client address: 429 with a Chinese message past consult.rate_max; other addresses unaffected', async () => {
    await setting('consult.rate_max', 3);
    try {
        const rec = await createOpen();
        const v = visitor();
        for (let i = 0; i < 3; i++) ok(await comment(v, rec.id, { body: `第${i + 1}条` }), 201);
        const r = await comment(v, rec.id, { body: '第4条' });
        assertError(r, 429, 'rate_limited');
        assert.ok(Number(r.headers.get('retry-after')) > 0);
        const zh = srv.client();
        const page = ok(await v.get(`${PUBLIC}/${rec.id}`));
        const rz = await zh.post(`${PUBLIC}/${rec.id}/comments`, { body: '中文', challenge: page.challenge.token, answer: solve(page.challenge.question) },
            { headers: { 'X-Forwarded-For': '203.0.113.250' } });
        ok(rz, 201, 'another address');
        for (const b of ['x', 'y']) ok(await comment(visitor('203.0.113.250'), rec.id, { body: b }), 201);
        const one = await comment(visitor('203.0.113.250'), rec.id, { body: 'z' });
        const err = assertError(one, 429, 'rate_limited');
        assert.equal(err.message, 'Too many comments from your address; try again in about 60 minutes');
        const zhPage = ok(await zh.get(`${PUBLIC}/${rec.id}`, { headers: { 'X-Forwarded-For': '203.0.113.250' } }));
        const rzh = await zh.post(`${PUBLIC}/${rec.id}/comments`, { body: '再来', challenge: zhPage.challenge.token, answer: '0' },
            { headers: { 'X-Forwarded-For': '203.0.113.250' } });
        assertError(rzh, 429, 'rate_limited');
        assert.match(rzh.json.error.message, /提交过于频繁/);
        assert.equal(await stored(rec.id), 6);
    } finally {
        await setting('consult.rate_max', 10);
    }
});

test('personal data in comments is masked in answers (reveal holders see it whole); the contact is sealed at rest', async () => {
    const rec = await createOpen();
    const body = '我的电话13812345678，身份证110101199003071234，邮箱zhang.san@example.com。';
    ok(await comment(visitor(), rec.id, { body, contact: '张三 13900001111' }), 201);
    const masked = (await staffComments(rec.id, clerk1)).items[0];
    assert.equal(masked.body, '我的电话138****5678，身份证110101********1234，邮箱z********@example.com。');
    assert.equal(masked.contact, '张三 139****1111');
    const one = ok(await clerk1.get(`${COMMENTS}/${masked.id}`));
    assert.equal(one.body, masked.body);
    const whole = (await staffComments(rec.id, office)).items[0];
    assert.equal(whole.body, body, 'office holds pii.reveal');
    assert.equal(whole.contact, '张三 13900001111');
    const raw = (await sqlite(srv.db, `SELECT contact FROM consultation_comments WHERE id = ${masked.id};`)).trim();
    assert.match(raw, /^k\d+:/);
    assert.ok(!raw.includes('13900001111'));
});

test('staff group, answer and mark adoption; the tally equals a hand count; publication shows it on the public page', async () => {
    const rec = await createOpen();
    for (let i = 0; i < 6; i++) ok(await comment(visitor(), rec.id, { body: `意见${i} 联系13812345678` }), 201);
    const t1 = ok(await clerk1.post(TOPICS, { consultation_id: rec.id, name: '适用范围', sort_order: 1 }), 201);
    const t2 = ok(await clerk1.post(TOPICS, { consultation_id: rec.id, name: '程序', sort_order: 2 }), 201);
    assertError(await clerk1.post(TOPICS, { consultation_id: rec.id, name: '程序' }), 409, 'conflict');
    const other = await createOpen();
    const foreign = ok(await clerk1.post(TOPICS, { consultation_id: other.id, name: '别处' }), 201);
    const items = (await staffComments(rec.id, clerk1)).items.sort((a, b) => a.id - b.id);
    const put = (c, b) => clerk1.put(`${COMMENTS}/${c.id}`, { version: c.version, ...b });
    let r = await put(items[0], { topic_id: t1.id, adoption: 'rejected' });
    assertError(r, 400, 'invalid');
    assert.ok(r.json.error.fields.adoption_reason, 'not adopted needs a reason');
    r = await put(items[0], { topic_id: foreign.id });
    assertError(r, 400, 'invalid');
    assert.ok(r.json.error.fields.topic_id, 'a topic of another consultation');
    const plan = [
        [t1, 'adopted', ''], [t1, 'rejected', '与上位法不符'], [t2, 'partly', '部分吸收'],
        [t2, 'adopted', ''], [null, 'rejected', '超出本办法范围'], [null, 'pending', ''],
    ];
    for (let i = 0; i < 6; i++) {
        const [t, adoption, reason] = plan[i];
        ok(await put(items[i], { topic_id: t ? t.id : null, adoption, adoption_reason: reason, answer: `答复${i}` }));
    }
    // the hand count, from the list the staff read
    const list = (await staffComments(rec.id, clerk1)).items;
    const hand = { total: list.length, pending: 0, adopted: 0, partly: 0, rejected: 0 };
    for (const c of list) hand[c.adoption]++;
    const tally = ok(await clerk1.get(`${PATH}/${rec.id}/tally`));
    for (const k of Object.keys(hand)) assert.equal(tally[k], hand[k], k);
    assert.deepEqual(tally.topics.map((t) => [t.name, t.total, t.adopted, t.partly, t.rejected, t.pending]),
        [['适用范围', 2, 1, 0, 1, 0], ['程序', 2, 1, 1, 0, 0], ['未分组', 2, 0, 0, 1, 1]]);
    const byFilter = ok(await clerk1.get(`${COMMENTS}?consultation_id=${rec.id}&adoption=rejected`)).total;
    assert.equal(byFilter, tally.rejected);
    // publication: not before the period ends, not while a comment is pending
    let cur = ok(await clerk1.get(`${PATH}/${rec.id}`));
    assert.ok(!cur.allowed_actions.includes('publish'));
    await sqlite(srv.db, `UPDATE consultations SET ends_on = '${day(-1)}' WHERE id = ${rec.id};`);
    cur = ok(await clerk1.get(`${PATH}/${rec.id}`));
    assert.equal(cur.status, 'closed');
    r = await clerk1.post(`${PATH}/${rec.id}/actions/publish`, { version: cur.version, summary: '共收到意见6条。' });
    assertError(r, 409, 'invalid_transition');
    assert.match(r.json.error.message, /未标注采纳情况/);
    const last = (await staffComments(rec.id, clerk1)).items.find((c) => c.adoption === 'pending');
    ok(await put(last, { adoption: 'adopted' }));
    const v = visitor();
    assert.equal(ok(await v.get(`${PUBLIC}/${rec.id}`)).outcome, null, 'nothing public before publication');
    const done = await step(clerk1, rec, 'publish', { summary: '共收到意见6条，采纳3条。' });
    assert.equal(done.status, 'published');
    assertError(await put((await staffComments(rec.id, clerk1)).items[0], { adoption: 'pending' }), 400, 'invalid');
    const pub = ok(await v.get(`${PUBLIC}/${rec.id}`));
    assert.equal(pub.status, 'published');
    assert.equal(pub.outcome.summary, '共收到意见6条，采纳3条。');
    assert.equal(pub.outcome.tally.total, 6);
    assert.equal(pub.outcome.tally.adopted, 3);
    assert.equal(pub.outcome.comments.length, 6);
    assert.ok(pub.outcome.comments.every((c) => c.body.includes('138****5678')), 'masked on the public page');
    assert.equal(pub.outcome.comments.find((c) => c.adoption === 'rejected' && c.topic === '适用范围').adoption_reason, '与上位法不符');
    assert.ok(ok(await v.get(`${PUBLIC}?state=published`)).items.some((x) => x.id === rec.id));
});

test('scope: another unit\'s clerk gets 404 on the consultation, its tally and its comments', async () => {
    const rec = await createOpen();
    ok(await comment(visitor(), rec.id), 201);
    assertError(await clerk2.get(`${PATH}/${rec.id}`), 404, 'not_found');
    assertError(await clerk2.get(`${PATH}/${rec.id}/tally`), 404, 'not_found');
    const cid = (await staffComments(rec.id)).items[0].id;
    assertError(await clerk2.get(`${COMMENTS}/${cid}`), 404, 'not_found');
    assert.equal(ok(await clerk2.get(`${COMMENTS}?consultation_id=${rec.id}`)).total, 0);
    assertError(await clerk2.post(TOPICS, { consultation_id: rec.id, name: '越权' }), 400, 'invalid');
    assert.ok(!ok(await clerk2.get(PATH)).items.some((x) => x.id === rec.id));
    assert.ok(ok(await office.get(PATH)).items.some((x) => x.id === rec.id), 'the office sees every unit\'s');
});

test('the demo has one consultation open with a dozen comments and one published with its 采纳情况', async () => {
    const open = ok(await visitor().get(PUBLIC)).items.find((x) => /轻微违法/.test(x.title));
    assert.ok(open);
    const all = ok(await office.get(`${PATH}/${open.id}`));
    assert.equal(all.comments, 12);
    const published = ok(await visitor().get(`${PUBLIC}?state=published`)).items.find((x) => /噪声/.test(x.title));
    const pub = ok(await visitor().get(`${PUBLIC}/${published.id}`));
    assert.equal(pub.outcome.tally.total, 6);
    assert.ok(pub.outcome.comments.some((c) => c.body.includes('139****1111')));
});
