// 行政执法案件 and 案卷评查 (src/features/enforcement), declarations on the engine: a case walks
// 立案 → 调查取证 → 告知 → (听证) → 法制审核 (major) → 决定 → 送达 → 执行 → 结案 as the enforcing
// unit's clerk (the office reviews); the wrong state or role is 409 with the actions possible now;
// a major decision without a passed legal review is refused with the gate's message; at least two
// officers with certificate numbers; the publication clock (7 or 20 工作日 from the decision)
// across the 2026 National Day holiday with its 调休 workday; the record-step checklist; the
// review's score computed by the server from the sheet (veto → 0, deductions never below 0 per
// section); the metrics' conditions hand-counted through the list filters; scope; export/import.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, ok, uniq } from './lib.mjs';
import { actors, today, addDays, workdaysAfter, xlsxRows } from './tasks-lib.mjs';

let srv, c, u;
before(async () => {
    srv = await startServer();
    ({ c, u } = await actors(srv));
});
after(async () => { await srv.stopAndCheck(); });

const PATH = '/api/v1/enforcement-cases';
const REVIEWS = '/api/v1/case-reviews';
const OFFICERS = [{ name: '周明辉', cert_no: '13010017' }, { name: '吴晓东', cert_no: '晋A0101001' }];

async function file(body = {}, who = c.clerk1) {
    return ok(await who.post(PATH, {
        filed_on: addDays(today(), -60), unit_id: u.sfj.id, case_type: 'penalty',
        cause: `未按规定公示法律服务收费标准 ${uniq('c')}`, summary: '群众举报，现场检查属实。',
        officers: OFFICERS, major: false,
        parties: [{ role: 'counterpart', name: '某某法律咨询有限公司' }], ...body,
    }), 201);
}

async function actRaw(who, rec, action, body = {}) {
    const cur = ok(await c.office.get(`${PATH}/${rec.id}`));
    return who.post(`${PATH}/${rec.id}/actions/${action}`, { version: cur.version, ...body });
}
async function act(who, rec, action, body = {}) {
    return ok(await actRaw(who, rec, action, body), 200, `${action} on ${rec.id}`);
}
function refused(r, allowed, msg) {
    const e = assertError(r, 409, 'invalid_transition');
    if (allowed) assert.deepEqual([...e.fields.allowed_actions].sort(), [...allowed].sort());
    if (msg) assert.match(e.message, msg);
    return e;
}

// Walk a new case to the state before the decision, each step on its day.
async function toNotified(rec, base = addDays(today(), -60)) {
    await act(c.clerk1, rec, 'investigate', { on: addDays(base, 2) });
    return act(c.clerk1, rec, 'notify', { on: addDays(base, 10) });
}

test('a case walks every state as the enforcing unit; wrong state or role is 409; the record steps are a checklist', async () => {
    const r = await file();
    assert.match(r.case_no, /^ZF\d{4}-\d{6}$/);
    assert.equal(r.status, 'filed');
    assert.equal(r.officers.length, 2);
    assert.equal(r.officers[1].text, '吴晓东:晋A0101001');
    assert.deepEqual(r.record_steps.map((s) => s.code), ['file', 'investigate', 'notify', 'hearing', 'decide', 'serve', 'execute']);
    assert.equal(r.record_steps[0].done_on, r.filed_on, '立案 is recorded on the day filed');
    assert.deepEqual(r.missing_record_steps.map((m) => m.code), ['investigate', 'notify', 'decide', 'serve', 'execute']);
    assert.deepEqual([...r.allowed_actions].sort(), ['cancel', 'investigate']);
    // the office may read but not act for the unit (relation: enforcing unit)
    refused(await actRaw(c.office, r, 'investigate'), []);
    // deciding at 立案 is not possible
    refused(await actRaw(c.clerk1, r, 'decide', { note: '处罚' }), ['cancel', 'investigate']);
    // the leader reads only
    const seen = ok(await c.leader.get(`${PATH}/${r.id}`));
    assert.deepEqual(seen.allowed_actions, []);
    // a step's date may not be in the future nor before filing
    let bad = await actRaw(c.clerk1, r, 'investigate', { on: addDays(today(), 1) });
    assertError(bad, 400, 'invalid');
    assert.ok(bad.json.error.fields.on);
    bad = await actRaw(c.clerk1, r, 'investigate', { on: addDays(r.filed_on, -1) });
    assertError(bad, 400, 'invalid');

    const base = r.filed_on;
    let x = await act(c.clerk1, r, 'investigate', { on: addDays(base, 2) });
    assert.equal(x.status, 'investigating');
    x = await act(c.clerk1, r, 'notify', { on: addDays(base, 10) });
    assert.equal(x.status, 'notified');
    assert.deepEqual([...x.allowed_actions].sort(), ['cancel', 'decide', 'hearing', 'record'],
        'a case that is not major is not offered legal review');
    refused(await actRaw(c.clerk1, r, 'submit_review'), null, /非重大执法决定无需法制审核/);
    x = await act(c.clerk1, r, 'hearing', { on: addDays(base, 15) });
    assert.equal(x.status, 'hearing');
    // 作出决定 needs the decision as its note
    assertError(await actRaw(c.clerk1, r, 'decide', { decided_on: addDays(base, 20) }), 400, 'invalid');
    x = await act(c.clerk1, r, 'decide', { decided_on: addDays(base, 20), note: '责令改正，罚款五千元。' });
    assert.equal(x.status, 'decided');
    assert.equal(x.decided_on, addDays(base, 20));
    assert.equal(x.decision, '责令改正，罚款五千元。');
    const clock = x.clocks.find((k) => k.code === 'publish');
    assert.ok(clock, 'the publication clock starts at the decision');
    assert.equal(clock.start_on, addDays(base, 20));
    assert.equal(clock.unit, 'workdays');
    assert.equal(clock.period, 7, 'a penalty: 7 工作日');
    assert.equal(x.publish_due_on, clock.due_on);
    x = await act(c.clerk1, r, 'serve', { on: addDays(base, 22) });
    assert.equal(x.status, 'served');
    // 执行 skipped: the case may close, and the checklist says what is missing
    x = await act(c.clerk1, r, 'close', { on: addDays(base, 40) });
    assert.equal(x.status, 'closed');
    assert.deepEqual(x.missing_record_steps.map((m) => m.code), ['execute']);
    assert.equal(x.missing_steps, 1);
    assert.equal(x.record_steps.find((s) => s.code === 'hearing').done_on, addDays(base, 15));
    assert.deepEqual(x.allowed_actions, ['publish'], 'closed: only the publication is left');
    refused(await actRaw(c.clerk1, r, 'record', { step: 'execute', on: addDays(base, 30), note: '补录' }), ['publish']);
    // a stale version; an unknown action
    assertError(await c.clerk1.post(`${PATH}/${r.id}/actions/publish`, { version: 1 }), 409, 'stale_version');
    assertError(await actRaw(c.clerk1, r, 'no_such'), 404, 'not_found');
    // a closed case is not edited
    assertError(await c.clerk1.put(`${PATH}/${r.id}`, { version: x.version, cause: '改', officers: OFFICERS }), 403, 'forbidden');
});

test('补录: a step done but not recorded is added to the checklist; 撤销 needs a reason', async () => {
    const r = await file();
    await act(c.clerk1, r, 'investigate', { on: addDays(r.filed_on, 1) });
    const x = await act(c.clerk1, r, 'record', { step: 'notify', on: addDays(r.filed_on, 3), note: '告知书已送达，补录。' });
    assert.equal(x.status, 'investigating', '补录 keeps the state');
    assert.equal(x.record_steps.find((s) => s.code === 'notify').done_on, addDays(r.filed_on, 3));
    assert.ok(!x.missing_record_steps.map((m) => m.code).includes('notify'));
    // 立案 and 决定 have their own steps; 送达 and 执行 follow a decision
    for (const step of ['file', 'decide', 'serve']) {
        const bad = await actRaw(c.clerk1, r, 'record', { step, on: addDays(r.filed_on, 3), note: '补录' });
        assertError(bad, 400, 'invalid', step);
        assert.ok(bad.json.error.fields.step, step);
    }
    assertError(await actRaw(c.clerk1, r, 'cancel'), 400, 'invalid');
    const y = await act(c.clerk1, r, 'cancel', { note: '不属于本机关管辖。' });
    assert.equal(y.status, 'cancelled');
    assert.deepEqual(y.allowed_actions, []);
});

test('法制审核: a major decision cannot be recorded without a passed legal review', async () => {
    const r = await file({ major: true });
    let x = await toNotified(r);
    // the gate: 作出决定 is not offered, and taking it anyway is refused with its message
    assert.ok(!x.allowed_actions.includes('decide'), JSON.stringify(x.allowed_actions));
    assert.ok(x.allowed_actions.includes('submit_review'));
    refused(await actRaw(c.clerk1, r, 'decide', { note: '罚款' }), null, /法制审核/);
    x = ok(await c.office.get(`${PATH}/${r.id}`));
    assert.equal(x.status, 'notified', 'a refused step changes nothing');
    assert.equal(x.decided_on, null);
    x = await act(c.clerk1, r, 'submit_review');
    assert.equal(x.status, 'reviewing');
    assert.equal(x.legal_review, 'pending');
    // the office told; under review the decision is still refused
    refused(await actRaw(c.clerk1, r, 'decide', { note: '罚款' }), null, /法制审核/);
    // only the review body (enforcement.manage) passes or rejects; rejecting needs the reason
    refused(await actRaw(c.clerk1, r, 'pass_review'));
    assertError(await actRaw(c.office, r, 'reject_review'), 400, 'invalid');
    x = await act(c.office, r, 'reject_review', { note: '违法所得认定证据不足，请补充调查。' });
    assert.equal(x.status, 'investigating');
    assert.equal(x.legal_review, 'failed');
    assert.equal(x.legal_review_note, '违法所得认定证据不足，请补充调查。');
    await act(c.clerk1, r, 'notify', { on: addDays(r.filed_on, 20) });
    refused(await actRaw(c.clerk1, r, 'decide', { note: '罚款' }), null, /法制审核/);
    // a case under review stays major
    const cur = ok(await c.clerk1.get(`${PATH}/${r.id}`));
    await act(c.clerk1, r, 'submit_review');
    const mine = ok(await c.clerk1.get(`${PATH}/${r.id}`));
    assertError(await c.clerk1.put(`${PATH}/${r.id}`, { version: mine.version, cause: cur.cause, officers: OFFICERS, major: false }), 403, 'forbidden');
    x = await act(c.office, r, 'pass_review', { note: '同意。' });
    assert.equal(x.status, 'reviewed');
    assert.equal(x.legal_review, 'passed');
    const seen = ok(await c.clerk1.get(`${PATH}/${r.id}`));
    assert.deepEqual([...seen.allowed_actions].sort(), ['cancel', 'decide', 'record']);
    x = await act(c.clerk1, r, 'decide', { decided_on: addDays(r.filed_on, 30), note: '罚款二万元。' });
    assert.equal(x.status, 'decided');
    // the review's opinion reached the unit
    const inbox = ok(await c.clerk1.get('/api/v1/notifications?per_page=200')).items
        .filter((n) => n.kind === 'enforcement_reviewed' && n.link === `/enforcement-cases/${r.id}`);
    assert.equal(inbox.length, 2, 'rejected once, passed once');
});

test('执法人员: at least two, each with a certificate number in its format, all distinct', async () => {
    const body = (officers) => ({ filed_on: today(), unit_id: u.sfj.id, case_type: 'inspection', cause: '检查', officers });
    let r = await c.clerk1.post(PATH, body([OFFICERS[0]]));
    assertError(r, 400, 'invalid');
    assert.match(r.json.error.fields.officers, /不得少于两人/);
    r = await c.clerk1.post(PATH, body([OFFICERS[0], { name: '王五', cert_no: '13010017' }]));
    assertError(r, 400, 'invalid');
    assert.match(r.json.error.fields.officers, /重复/);
    r = await c.clerk1.post(PATH, body([OFFICERS[0], { name: '王五', cert_no: 'ab-12' }]));
    assertError(r, 400, 'invalid');
    assert.match(r.json.error.fields.officers, /执法证号/);
    r = await c.clerk1.post(PATH, body([OFFICERS[0], { name: '', cert_no: '13019999' }]));
    assertError(r, 400, 'invalid');
    assertError(await c.clerk1.post(PATH, { ...body(OFFICERS), officers: undefined }), 400, 'invalid');
    // "姓名:证号" texts (an import cell's form) are taken too
    const x = await file({ officers: ['张三:13010101', '李四：13010102', '王五:A1234567'] });
    assert.deepEqual(x.officers.map((o) => o.cert_no), ['13010101', '13010102', 'A1234567']);
    // another unit's case cannot be filed by this clerk
    r = await c.clerk1.post(PATH, { ...body(OFFICERS), unit_id: u.cgjd.id });
    assertError(r, 400, 'invalid');
    assert.ok(r.json.error.fields.unit_id);
});

test('公示: 7 工作日 from the decision, across the 2026 National Day holiday and its 调休 workday', async () => {
    // decided Wed 2026-09-30: 10-01…10-07 are holidays, Sat 10-10 a make-up workday (调休):
    // 10-08 (1), 10-09 (2), 10-10 (3), 10-12 (4), 10-13 (5), 10-14 (6), 10-15 (7)
    const base = '2026-09-01';
    const pen = await file({ filed_on: base });
    await toNotified(pen, base);
    let x = await act(c.clerk1, pen, 'decide', { decided_on: '2026-09-30', note: '罚款。' });
    let k = x.clocks.find((y) => y.code === 'publish');
    assert.equal(k.due_on, '2026-10-15', k.explain);
    assert.equal(k.due_on, await workdaysAfter(c.office, '2026-09-30', 7), 'the calendar agrees');
    assert.notEqual(k.due_on, '2026-10-16', 'the 调休 Saturday counts as a working day');
    // published on the last day: met, on time
    x = await act(c.clerk1, pen, 'publish', { published_on: '2026-10-15' });
    k = x.clocks.find((y) => y.code === 'publish');
    assert.equal(k.state, 'met');
    assert.equal(k.late, false);
    assert.equal(x.published_on, '2026-10-15');
    refused(await actRaw(c.clerk1, pen, 'publish'), null, /已公示/);
    // one day later is late
    const late = await file({ filed_on: base });
    await toNotified(late, base);
    await act(c.clerk1, late, 'decide', { decided_on: '2026-09-30', note: '罚款。' });
    x = await act(c.clerk1, late, 'publish', { published_on: '2026-10-16' });
    k = x.clocks.find((y) => y.code === 'publish');
    assert.equal(k.late, true, k.explain);
    // a publication before the decision is refused
    // other decisions (an inspection): 20 工作日 → 2026-11-03
    const insp = await file({ filed_on: base, case_type: 'inspection' });
    await toNotified(insp, base);
    x = await act(c.clerk1, insp, 'decide', { decided_on: '2026-09-30', note: '责令整改。' });
    k = x.clocks.find((y) => y.code === 'publish');
    assert.equal(k.period, 20);
    assert.equal(k.due_on, '2026-11-03', k.explain);
    assert.equal(k.due_on, await workdaysAfter(c.office, '2026-09-30', 20));
    assertError(await actRaw(c.clerk1, insp, 'publish', { published_on: '2026-09-29' }), 400, 'invalid');
    // the list filters agree: published late / on time
    const tagged = async (q) => ok(await c.clerk1.get(`${PATH}?per_page=200&${q}`));
    const ontime = (await tagged('published_on_time=1')).items.map((y) => y.id);
    assert.ok(ontime.includes(pen.id) && !ontime.includes(late.id) && !ontime.includes(insp.id));
    const lateIds = (await tagged('publish_late=1')).items.map((y) => y.id);
    assert.ok(lateIds.includes(late.id) && !lateIds.includes(pen.id));
});

// ---- 案卷评查 ----

let sheet;
const item = (code) => sheet.sections.flatMap((s) => s.items).find((i) => i.code === code);
// The rule written once more, by hand, from the served sheet.
function handScore(items) {
    if (items.some((i) => i.veto)) return { form: 0, content: 0, total: 0, vetoed: true };
    const lost = { form: 0, content: 0 };
    for (const s of sheet.sections.filter((x) => !x.veto)) {
        for (const it of s.items) {
            const f = items.find((i) => i.code === it.code);
            if (f) lost[s.code] += Math.min((f.defects || 0) * it.deduct, it.max);
        }
    }
    const sec = (code) => Math.max(0, sheet.sections.find((x) => x.code === code).max - lost[code]);
    return { form: sec('form'), content: sec('content'), total: sec('form') + sec('content'), vetoed: false };
}

async function decidedCase() {
    const r = await file();
    await toNotified(r);
    return act(c.clerk1, r, 'decide', { decided_on: addDays(r.filed_on, 20), note: '罚款。' });
}

test('the scoring sheet is data: veto items, form 20 and content 80 with points and deductions', async () => {
    sheet = ok(await c.clerk1.get(`${REVIEWS}/sheet`));
    assert.deepEqual(sheet.sections.map((s) => s.code), ['veto', 'form', 'content']);
    assert.equal(sheet.total, 100);
    for (const s of sheet.sections.filter((x) => !x.veto))
        assert.equal(s.items.reduce((n, i) => n + i.max, 0), s.max, `${s.code}: the items add up to the section`);
    for (const code of ['no_subject', 'beyond_power', 'insufficient_evidence'])
        assert.ok(sheet.sections[0].items.some((i) => i.code === code), code);
    assert.equal(sheet.grades.pass, 60);
    assert.equal(sheet.grades.excellent, 90);
    assertError(await c.auditor.get(`${REVIEWS}/sheet`), 403, 'forbidden');
});

test('the score is the server\'s: a hand-computed sheet equals it; veto → 0; never below 0 per section', async () => {
    if (!sheet) sheet = ok(await c.clerk1.get(`${REVIEWS}/sheet`));
    const k = await decidedCase();
    const items = [
        { code: 'documents', defects: 2, note: '文书缺少日期' },
        { code: 'service_proof', defects: 1 },
        { code: 'facts', defects: 1 },
        { code: 'discretion', defects: 3 },
        { code: 'legal_review', defects: 2 }, // 2 × 5 = 10, capped at the item's 5
    ];
    const want = handScore(items);
    assert.equal(want.total, 100 - 2 - 2 - 5 - 6 - 5);
    const r = ok(await c.office.post(REVIEWS, {
        case_id: k.id, reviewed_on: today(), reviewer: '评查组 张三', items, score: 100, grade: 'excellent',
        findings: [{ item: 'discretion', description: '罚款数额未说明裁量理由', rectify: true },
            { item: '', description: '卷宗页码不连续', rectify: false }],
    }), 201);
    assert.match(r.review_no, /^PC\d{4}-\d{6}$/);
    assert.equal(r.score, want.total, 'the score typed in is ignored');
    assert.equal(r.form_score, want.form);
    assert.equal(r.content_score, want.content);
    assert.equal(r.grade, 'pass', '80: between the pass line and excellent');
    assert.equal(r.vetoed, false);
    assert.equal(r.rectify_count, 1);
    assert.equal(r.findings.length, 2);
    assert.equal(r.unit_id, u.sfj.id, 'the review belongs to the case\'s unit');
    // every form item at its worst, and more: the section is 0, never below; content untouched
    const worst = sheet.sections.find((s) => s.code === 'form').items.map((i) => ({ code: i.code, defects: 99 }));
    let x = ok(await c.office.put(`${REVIEWS}/${r.id}`, { version: r.version, reviewed_on: today(), reviewer: '评查组 张三', items: worst }));
    assert.equal(x.form_score, 0);
    assert.equal(x.content_score, 80);
    assert.equal(x.score, 80);
    assert.equal(x.findings.length, 2, 'findings omitted = kept');
    // below the pass line: 不合格
    const low = [{ code: 'facts', defects: 4 }, { code: 'law', defects: 3 }, { code: 'evidence', defects: 5 }];
    x = ok(await c.office.put(`${REVIEWS}/${r.id}`, { version: x.version, reviewed_on: today(), reviewer: '评查组 张三', items: low }));
    assert.equal(x.score, handScore(low).total);
    assert.equal(x.score, 100 - 20 - 15 - 15);
    assert.equal(x.grade, 'fail');
    // a veto item: the file fails with 0 points, whatever else
    const veto = [{ code: 'insufficient_evidence', veto: true }, { code: 'archive', defects: 1 }];
    x = ok(await c.office.put(`${REVIEWS}/${r.id}`, { version: x.version, reviewed_on: today(), reviewer: '评查组 张三', items: veto }));
    assert.equal(x.score, 0);
    assert.equal(x.form_score, 0);
    assert.equal(x.content_score, 0);
    assert.equal(x.vetoed, true);
    assert.equal(x.grade, 'fail');
    // the case page's child list
    const children = ok(await c.clerk1.get(`${REVIEWS}?case_id=${k.id}`));
    assert.deepEqual(children.items.map((y) => y.id), [r.id]);
    // the findings to rectify are queryable
    const rect = ok(await c.office.get(`/api/v1/case-review-findings?review_id=${r.id}&rectify=1`));
    assert.deepEqual(rect.items.map((f) => f.description), ['罚款数额未说明裁量理由']);
});

test('a review\'s bad input is 400 and writes nothing; only decided files; only the office reviews', async () => {
    if (!sheet) sheet = ok(await c.clerk1.get(`${REVIEWS}/sheet`));
    const k = await decidedCase();
    const before = ok(await c.office.get(REVIEWS)).total;
    const post = (body) => c.office.post(REVIEWS, { case_id: k.id, reviewed_on: today(), reviewer: '评查组', items: [], ...body });
    for (const items of [[{ code: 'no_such' }], [{ code: 'facts', defects: -1 }], [{ code: 'facts', defects: 100 }],
        [{ code: 'facts', defects: 1 }, { code: 'facts', defects: 2 }], [{ code: 'beyond_power', defects: 2 }],
        [{ code: 'facts', veto: true }]]) {
        const r = await post({ items });
        assertError(r, 400, 'invalid', JSON.stringify(items));
        assert.ok(r.json.error.fields.items, JSON.stringify(r.json));
    }
    assertError(await post({ findings: [{ description: '' }] }), 400, 'invalid');
    assertError(await post({ reviewed_on: addDays(today(), 1) }), 400, 'invalid');
    const open = await file();
    const r = await post({ case_id: open.id });
    assertError(r, 400, 'invalid');
    assert.match(r.json.error.fields.case_id, /已作出决定/);
    assertError(await c.clerk1.post(REVIEWS, { case_id: k.id, reviewed_on: today(), reviewer: 'x', items: [] }), 403, 'forbidden');
    assert.equal(ok(await c.office.get(REVIEWS)).total, before);
});

test('metrics: the declared conditions equal a hand count through the list filters', async () => {
    // fixed test data in a unit of its own scope: 区司法局 (clerk1) — counted before and after
    const count = async (q) => ok(await c.clerk1.get(`${PATH}?unit_id=${u.sfj.id}&per_page=1&${q}`)).total;
    const before = {
        decided: await count('decided=1'), ontime: await count('decided=1&published_on_time=1'),
        closed: await count('status=closed'), complete: await count('status=closed&missing_steps=0'),
        major: await count('major=1&decided=1'), reviewed: await count('major=1&decided=1&legal_review=passed'),
    };
    // 3 decided: one published on time, one late, one unpublished; 2 closed: one complete
    const made = [];
    for (let i = 0; i < 3; i++) made.push(await decidedCase());
    await act(c.clerk1, made[0], 'publish', { published_on: made[0].decided_on });
    const lateDay = await workdaysAfter(c.office, made[1].decided_on, 8);
    await act(c.clerk1, made[1], 'publish', { published_on: lateDay <= today() ? lateDay : today() });
    for (const m of made.slice(0, 2)) await act(c.clerk1, m, 'serve', { on: addDays(m.decided_on, 1) });
    await act(c.clerk1, made[0], 'execute', { on: addDays(made[0].decided_on, 2) });
    await act(c.clerk1, made[0], 'close', { on: addDays(made[0].decided_on, 3) });
    await act(c.clerk1, made[1], 'close', { on: addDays(made[1].decided_on, 3) });
    // a major one decided after its review
    const mj = await file({ major: true });
    await toNotified(mj);
    await act(c.clerk1, mj, 'submit_review');
    await act(c.office, mj, 'pass_review');
    await act(c.clerk1, mj, 'decide', { note: '决定。' });
    const after = {
        decided: await count('decided=1'), ontime: await count('decided=1&published_on_time=1'),
        closed: await count('status=closed'), complete: await count('status=closed&missing_steps=0'),
        major: await count('major=1&decided=1'), reviewed: await count('major=1&decided=1&legal_review=passed'),
    };
    assert.equal(after.decided - before.decided, 4, '公示及时率 denominator: decided');
    assert.equal(after.ontime - before.ontime, 1, '公示及时率 numerator: published within the limit');
    assert.equal(after.closed - before.closed, 2, '全过程记录完整率 denominator: closed');
    assert.equal(after.complete - before.complete, 1, '全过程记录完整率 numerator: no missing step');
    assert.equal(after.major - before.major, 1, '重大决定法制审核率 denominator');
    assert.equal(after.reviewed - before.reviewed, 1, '重大决定法制审核率 numerator');
    // reviews: 不合格 count and the average, through the list
    if (!sheet) sheet = ok(await c.clerk1.get(`${REVIEWS}/sheet`));
    const rv = async (q) => ok(await c.office.get(`${REVIEWS}?unit_id=${u.sfj.id}&per_page=200&${q}`));
    const failBefore = (await rv('grade=fail')).total;
    ok(await c.office.post(REVIEWS, { case_id: made[0].id, reviewed_on: today(), reviewer: '评查组', items: [{ code: 'wrong_law', veto: true }] }), 201);
    ok(await c.office.post(REVIEWS, { case_id: made[1].id, reviewed_on: today(), reviewer: '评查组', items: [{ code: 'facts', defects: 2 }] }), 201);
    assert.equal((await rv('grade=fail')).total - failBefore, 1, '不合格案卷数');
    assert.equal((await rv('vetoed=1')).items.every((x) => x.score === 0), true, 'vetoed files score 0 (the average counts them as 0)');
});

test('scope: another unit\'s clerk sees none of the unit\'s cases or reviews (404)', async () => {
    const k = await decidedCase();
    const rv = ok(await c.office.post(REVIEWS, { case_id: k.id, reviewed_on: today(), reviewer: '评查组', items: [] }), 201);
    assertError(await c.clerk2.get(`${PATH}/${k.id}`), 404, 'not_found');
    assertError(await c.clerk2.post(`${PATH}/${k.id}/actions/serve`, { version: k.version }), 404, 'not_found');
    assertError(await c.clerk2.get(`${REVIEWS}/${rv.id}`), 404, 'not_found');
    const list = ok(await c.clerk2.get(`${PATH}?per_page=200`));
    assert.ok(!list.items.some((x) => x.id === k.id));
    assert.ok(list.items.every((x) => x.unit_name === '城关街道'), 'only the street\'s own');
    assert.equal(ok(await c.clerk2.get(`${REVIEWS}?case_id=${k.id}`)).total, 0);
    // the office reads both
    ok(await c.office.get(`${PATH}/${k.id}`));
    ok(await c.office.get(`${REVIEWS}/${rv.id}`));
});

test('export and import round trip: the exported rows import as new cases with the same fields', async () => {
    const tag = uniq('RT');
    const a = await file({ cause: `${tag} 甲`, case_type: 'license', major: true });
    await file({ cause: `${tag} 乙`, officers: [...OFFICERS, { name: '郑立新', cert_no: '13010034' }] });
    const xl = await c.clerk1.get(`${PATH}/export.xlsx?q=${encodeURIComponent(tag)}&sort=created_at`);
    assert.equal(xl.status, 200);
    const rows = xlsxRows(xl.buf);
    const head = rows[0];
    for (const h of ['案件编号', '立案日期', '执法单位', '执法类别', '案由', '执法人员', '重大执法决定', '状态'])
        assert.ok(head.includes(h), `${h} in ${head}`);
    const col = (row, h) => row[head.indexOf(h)];
    assert.equal(rows.length, 3);
    assert.equal(col(rows[1], '执法人员'), '周明辉:13010017、吴晓东:晋A0101001');
    assert.equal(col(rows[1], '重大执法决定'), '是');
    // the sheet's rows as the browser sends them (import keys from the declaration)
    const d = ok(await c.clerk1.get('/api/v1/entities/enforcement_cases'));
    const keys = Object.fromEntries(d.fields.filter((f) => f.import).map((f) => [f.zh, f.import_key]));
    const body = rows.slice(1).map((row) => Object.fromEntries(Object.entries(keys)
        .map(([zh, key]) => [key, col(row, zh)]).filter(([, v]) => v !== undefined)));
    // the export's 当事人 are masked (whole only for pii.reveal): the sheet names them anew
    for (const b of body) Object.assign(b, { cause: b.cause.replace(tag, `${tag}导入`), party_name: '某某餐饮有限公司' });
    const tpl = await c.clerk1.get(`${PATH}/import-template.xlsx`);
    assert.equal(tpl.status, 200);
    const res = ok(await c.clerk1.post(`${PATH}/import`, { rows: body }), 201);
    assert.equal(res.created, 2);
    const back = ok(await c.clerk1.get(`${PATH}/${res.ids[0]}`));
    assert.equal(back.cause, `${tag}导入 甲`);
    assert.equal(back.case_type, 'license');
    assert.equal(back.major, true);
    assert.equal(back.unit_id, u.sfj.id);
    assert.equal(back.filed_on, a.filed_on);
    assert.deepEqual(back.officers.map((o) => [o.name, o.cert_no]), OFFICERS.map((o) => [o.name, o.cert_no]));
    const two = ok(await c.clerk1.get(`${PATH}/${res.ids[1]}`));
    assert.equal(two.officers.length, 3);
    // a row with one officer is refused, naming the row and column
    const bad = await c.clerk1.post(`${PATH}/import`, { rows: [{ ...body[0], officers: '张三:13010001' }] });
    const e = assertError(bad, 400, 'invalid');
    assert.equal(e.fields.rows[0].field, 'officers');
});

test('the kind, the entities and the menu are served for the generic shell; the demo has cases and failing files', async () => {
    const k = ok(await c.clerk1.get('/api/v1/kinds/enforcement_case'));
    assert.deepEqual(k.states.map((s) => s.code), ['filed', 'investigating', 'notified', 'hearing', 'reviewing', 'reviewed',
        'decided', 'served', 'executed', 'closed', 'cancelled']);
    assert.equal(k.clocks[0].code, 'publish');
    const d = ok(await c.clerk1.get('/api/v1/entities/enforcement_cases'));
    assert.equal(d.kind, 'enforcement_case');
    const menu = ok(await c.clerk1.get('/api/v1/menu'));
    const items = menu.groups.flatMap((g) => g.items);
    assert.ok(items.find((i) => i.path === '/enforcement-cases' && i.page === 'entity'));
    assert.ok(items.find((i) => i.path === '/case-reviews' && i.page === 'enforcement/reviews'));
    const all = ok(await c.office.get(`${PATH}?per_page=200`));
    const states = new Set(all.items.map((x) => x.status));
    for (const s of ['investigating', 'reviewing', 'closed', 'cancelled']) assert.ok(states.has(s), s);
    const fail = ok(await c.office.get(`${REVIEWS}?grade=fail&per_page=200`)).items;
    assert.ok(fail.some((x) => x.vetoed) && fail.some((x) => !x.vetoed && x.score < 60), 'vetoed and low-scoring files');
    const late = ok(await c.office.get(`${PATH}?publish_late=1`)).total;
    assert.ok(late > 0, 'late publications');
});
