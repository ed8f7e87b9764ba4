// 规范性文件, 涉法政策 and 合同 (src/features/normdoc): one legality review declared once for the
// three categories (two entities, two kinds over one table). A draft walks 报送审核 → 分配审核人员
// (回避: never a reviewer of the drafting unit) → 审核意见 (合法 / 修改后合法 / 不合法) → 修改草案
// (a new version) → 重新报送 → 公布 with its 文号 → 报送备案 (30 日, late recorded) → 备案审查
// (30 日, +20 once) → 通过 / 纠错通知 (30 日) → 纠正 / 撤销; 有效期 and 清理; each step as the
// account whose turn it is, every other refused. The 15 工作日 review clock crosses the 2026
// National Day holiday; the metrics (审核率, 未经审核, 报备率, 报备及时率, 纠错, 平均审核日数) equal
// hand counts on fixed data; a clerk of another unit gets 404, the reviewer sees what is assigned
// to them; the quarterly list of filed documents filters and exports.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, ok, uniq } from './lib.mjs';
import { actors, xlsxRows } from './tasks-lib.mjs';

let srv, c, u, reviewerId;
before(async () => {
    srv = await startServer();
    ({ c, u } = await actors(srv, ['office', 'clerk1', 'clerk2', 'leader', 'reviewer', 'auditor']));
    reviewerId = ok(await c.reviewer.get('/api/v1/auth/me')).user.id;
});
after(async () => { await srv.stopAndCheck(); });

const PATH = '/api/v1/normdocs';
const CPATH = '/api/v1/contracts';

async function draft(who = c.clerk2, body = {}) {
    return ok(await who.post(PATH, {
        category: 'normative', title: `关于规范城区临时占道经营管理的规定 ${uniq('g')}`,
        basis: '《城市市容和环境卫生管理条例》第十四条', explanation: '为规范临时占道经营，制定本规定。',
        body: '第一条 为了规范……\n第二条 本规定适用于……', ...body,
    }), 201);
}
const path = (rec) => (rec.reg_no && rec.reg_no.startsWith('HT') ? CPATH : PATH);
async function act(who, rec, action, body = {}) {
    const cur = ok(await c.office.get(`${path(rec)}/${rec.id}`));
    return who.post(`${path(rec)}/${rec.id}/actions/${action}`, { version: cur.version, ...body });
}
const step = async (who, rec, action, body) => ok(await act(who, rec, action, body), 200, action);
function refused(r, allowed) {
    assertError(r, 409, 'invalid_transition');
    if (allowed) assert.deepEqual([...r.json.error.fields.allowed_actions].sort(), [...allowed].sort());
}
const clock = (rec, code) => rec.clocks.find((k) => k.code === code);
const sorted = (a) => [...a].sort();

/** A document walked to 公布 with fixed dates. */
async function issued(dates, body = {}) {
    const d = await draft(c.clerk2, body);
    await step(c.clerk2, d, 'submit', { submitted_on: dates.submitted });
    await step(c.office, d, 'assign', { reviewer_id: reviewerId });
    await step(c.reviewer, d, 'opinion', { opinion: 'lawful', note: '符合上位法规定。', opinion_on: dates.opinion });
    return step(c.clerk2, d, 'issue', { doc_number: `城府规〔2026〕${uniq('')}号`, issued_on: dates.issued });
}

test('normdoc: the review: every step as the account whose turn it is, every other refused; recusal names why', async () => {
    const d = await draft();
    assert.match(d.reg_no, /^GZ2026-\d{6}$/);
    assert.equal(d.status, 'drafting');
    assert.equal(d.draft_version, 1);
    assert.equal(d.body.startsWith('第一条'), true);
    assert.deepEqual(sorted(d.allowed_actions), ['revise', 'submit', 'withdraw']);
    // the office may not submit for the unit; nobody may give an opinion before review
    refused(await act(c.office, d, 'submit'), []);
    // the reviewer does not even see a draft not assigned to them
    assertError(await act(c.reviewer, d, 'opinion', { opinion: 'lawful', note: 'x' }), 404, 'not_found');
    assertError(await act(c.clerk1, d, 'submit'), 404, 'not_found');
    let x = await step(c.clerk2, d, 'submit', { submitted_on: '2026-09-28' });
    assert.equal(x.status, 'submitted');
    assert.deepEqual(x.allowed_actions, ['withdraw']);
    refused(await act(c.clerk2, d, 'submit'), ['withdraw']);
    // 回避: the reviewer of the drafting unit is refused, with the reason in words
    const own = await draft(c.clerk1);
    await step(c.clerk1, own, 'submit');
    const r = await act(c.office, own, 'assign', { reviewer_id: reviewerId });
    assertError(r, 400, 'invalid');
    assert.match(r.json.error.fields.reviewer_id, /回避.*起草单位.*区司法局/);
    // an account that may not review is refused too
    const clerkId = ok(await c.clerk1.get('/api/v1/auth/me')).user.id;
    assertError(await act(c.office, d, 'assign', { reviewer_id: clerkId }), 400, 'invalid');
    x = await step(c.office, d, 'assign', { reviewer_id: reviewerId });
    assert.equal(x.status, 'reviewing');
    assert.equal(x.reviewer_id, reviewerId);
    // only the assigned reviewer gives the opinion, with its reasons
    refused(await act(c.office, d, 'opinion', { opinion: 'lawful', note: '合法' }));
    assertError(await act(c.reviewer, d, 'opinion', { opinion: 'lawful' }), 400, 'invalid');
    assertError(await act(c.reviewer, d, 'opinion', { opinion: 'maybe', note: 'x' }), 400, 'invalid');
    x = await step(c.reviewer, d, 'opinion', { opinion: 'unlawful', note: '第五条设定罚款缺乏上位法依据。', opinion_on: '2026-10-09' });
    assert.equal(x.status, 'revising');
    assert.equal(x.opinion, 'unlawful');
    assert.equal(x.reviewed, false);
    // 重新报送 needs a new version first
    refused(await act(c.clerk2, d, 'resubmit'), ['revise', 'withdraw']);
    refused(await act(c.clerk2, d, 'issue', { doc_number: 'x' }), ['revise', 'withdraw']);
    x = await step(c.clerk2, d, 'revise', { body: '第一条 为了规范……（删去第五条）', note: '按审核意见删去第五条' });
    assert.equal(x.draft_version, 2);
    x = await step(c.clerk2, d, 'resubmit');
    assert.equal(x.status, 'reviewing');
    assert.equal(x.review_round, 2);
    // 修改后合法: passed, issued only once revised again
    x = await step(c.reviewer, d, 'opinion', { opinion: 'lawful_if_revised', note: '第三条表述须修改。' });
    assert.equal(x.status, 'passed');
    assert.equal(x.reviewed, true);
    assert.equal(x.reviewed_version, 2);
    const noRevision = await act(c.clerk2, d, 'issue', { doc_number: '城府规〔2026〕7号' });
    refused(noRevision, ['revise']);
    assert.match(noRevision.json.error.message, /修改后合法/);
    await step(c.clerk2, d, 'revise', { body: '第一条 ……（第三条已修改）' });
    x = await step(c.clerk2, d, 'issue', { doc_number: '城府规〔2026〕7号' });
    assert.equal(x.status, 'issued');
    assert.equal(x.doc_number, '城府规〔2026〕7号');
    assert.ok(x.valid_until > x.issued_on);
    assert.equal(clock(x, 'file').state, 'running');
    // each review round keeps the version it saw
    const rounds = ok(await c.office.get(`/api/v1/normdoc-reviews?normdoc_id=${d.id}&sort=round`)).items;
    assert.deepEqual(rounds.map((v) => [v.round, v.version_no, v.opinion]), [[1, 1, 'unlawful'], [2, 2, 'lawful_if_revised']]);
    // a passed draft found 合法 is not revised; an issued one is not edited
    const edit = await c.clerk2.put(`${PATH}/${d.id}`, { version: x.version, title: '新标题', basis: 'x' });
    assertError(edit, 403, 'forbidden');
    assert.match(edit.json.error.message, /^已公布的记录不能修改$/, 'the refusal names the state');
    assert.equal(ok(await c.office.get(`${PATH}/${d.id}`)).title, x.title, 'and changes nothing');
    // the declaration says where 编辑 is offered (the web shows it only there)
    assert.deepEqual(ok(await c.clerk2.get('/api/v1/entities/normdocs')).edit_states, ['drafting', 'revising']);
    // withdraw ends a draft; the timeline and the audit log hold the steps
    const w = await draft();
    assertError(await act(c.clerk2, w, 'withdraw'), 400, 'invalid');
    x = await step(c.clerk2, w, 'withdraw', { note: '不再制定' });
    assert.equal(x.status, 'withdrawn');
    assert.deepEqual(x.allowed_actions, []);
    const audit = ok(await c.auditor.get(`/api/v1/audit?object_type=normdoc&object_id=${d.id}&per_page=50`)).items;
    for (const a of ['create', 'submit', 'assign', 'opinion', 'revise', 'resubmit', 'issue'])
        assert.ok(audit.some((e) => e.action === `normdoc.${a}`), a);
    assertError(await act(c.clerk2, d, 'no_such'), 404, 'not_found');
});

test('normdoc: 审核期限 15 工作日 across National Day: 09-28 → 10-23 (10-10 a 调休 working day); extended once by 5 → 10-30', async () => {
    const d = await draft();
    let x = await step(c.clerk2, d, 'submit', { submitted_on: '2026-09-28' });
    let k = clock(x, 'review');
    assert.equal(k.period, 15);
    assert.equal(k.unit, 'workdays');
    // 09-29, 09-30, (10-01…10-07 holiday), 10-08, 10-09, 10-10 (Sat, 调休), 10-12 … 10-16, 10-19 … 10-23
    assert.equal(k.due_on, '2026-10-23', k.explain);
    assertError(await act(c.office, d, 'extend_review', { days: 5 }), 400, 'invalid'); // the reason
    x = await step(c.office, d, 'extend_review', { days: 5, note: '涉及多部门职责，需征求意见。' });
    k = clock(x, 'review');
    assert.equal(k.due_on, '2026-10-30', k.explain);
    refused(await act(c.office, d, 'extend_review', { days: 5, note: '再延' }), ['assign']);
    await step(c.office, d, 'assign', { reviewer_id: reviewerId });
    x = await step(c.reviewer, d, 'opinion', { opinion: 'lawful', note: '合法。', opinion_on: '2026-10-29' });
    assert.equal(clock(x, 'review').state, 'met');
    assert.equal(clock(x, 'review').late, false);
    assert.equal(x.review_days, 31);
    // a draft found 合法 is not revised any more (修改后合法 would allow it), and says why
    const noRevise = await act(c.clerk2, d, 'revise', { body: '再改' });
    refused(noRevise, ['issue']);
    assert.match(noRevise.json.error.message, /合法/);
    // the period is a setting (国办发〔2018〕115号 cited in its description)
    const kind = ok(await c.office.get('/api/v1/kinds/normdoc'));
    assert.equal(kind.clocks.find((q) => q.code === 'review').period_setting, 'normdoc.review_days');
});

test('normdoc: 备案 30 日 from publication: 09-01 → 10-08 over National Day, filed 10-08 on time, 10-09 late', async () => {
    const onTime = await issued({ submitted: '2026-08-10', opinion: '2026-08-20', issued: '2026-09-01' });
    let k = clock(onTime, 'file');
    // 30 日 from 09-01 is 10-01, in the holiday: the first working day after it
    assert.equal(k.due_on, '2026-10-08', k.explain);
    assertError(await act(c.clerk2, onTime, 'file', { filed_on: '2026-08-30' }), 400, 'invalid');
    refused(await act(c.office, onTime, 'file', { filed_on: '2026-10-08' }));
    let x = await step(c.clerk2, onTime, 'file', { filed_on: '2026-10-08' });
    assert.equal(x.status, 'filed');
    assert.equal(x.filing_late, false);
    assert.equal(clock(x, 'file').late, false);
    const late = await issued({ submitted: '2026-08-10', opinion: '2026-08-20', issued: '2026-09-01' });
    x = await step(c.clerk2, late, 'file', { filed_on: '2026-10-09' });
    assert.equal(x.filing_late, true);
    assert.equal(clock(x, 'file').late, true);
    const lateIds = ok(await c.office.get(`${PATH}?filing_late=1&per_page=200`)).items.map((i) => i.id);
    assert.ok(lateIds.includes(late.id) && !lateIds.includes(onTime.id));
    // a 涉法政策 is not filed, and says why
    const p = await issued({ submitted: '2026-08-10', opinion: '2026-08-20', issued: '2026-09-01' }, { category: 'policy' });
    const r = await act(c.clerk2, p, 'file');
    refused(r, []);
    assert.match(r.json.error.message, /不报送备案/);
});

test('normdoc: 备案审查 30 日 (+20 once, a setting); 纠错通知 answered in 30 日 or 撤销 after them', async () => {
    const d = await issued({ submitted: '2026-06-01', opinion: '2026-06-10', issued: '2026-06-15' });
    let x = await step(c.clerk2, d, 'file', { filed_on: '2026-07-01' });
    let k = clock(x, 'filing_review');
    assert.equal(k.due_on, '2026-07-31', k.explain);
    refused(await act(c.clerk2, d, 'pass_filing'), []);
    assertError(await act(c.office, d, 'extend_filing_review'), 400, 'invalid');
    x = await step(c.office, d, 'extend_filing_review', { note: '需征求上级主管部门意见。' });
    // 50 日 from 07-01
    assert.equal(clock(x, 'filing_review').due_on, '2026-08-20', clock(x, 'filing_review').explain);
    refused(await act(c.office, d, 'extend_filing_review', { note: '再延' }), ['correction_notice', 'pass_filing']);
    x = await step(c.office, d, 'correction_notice', { noticed_on: '2026-08-10', note: '第六条增设许可条件，与上位法不一致。' });
    assert.equal(x.status, 'correcting');
    assert.equal(x.filing_result, 'correction');
    assert.equal(clock(x, 'correct').due_on, '2026-09-09', clock(x, 'correct').explain);
    // the drafting unit answers, not the office
    refused(await act(c.office, d, 'correct', { answer: 'amended', note: 'x' }));
    // the drafting unit corrects: back in force
    x = await step(c.clerk2, d, 'correct', { answer: 'amended', corrected_on: '2026-09-01', note: '已修改第六条并重新公布。' });
    assert.equal(x.status, 'in_force');
    assert.equal(clock(x, 'correct').late, false);

    // unanswered: 撤销 only once the 30 日 ran out
    const e = await issued({ submitted: '2026-06-01', opinion: '2026-06-10', issued: '2026-06-15' });
    await step(c.clerk2, e, 'file', { filed_on: '2026-07-01' });
    await step(c.office, e, 'correction_notice', { noticed_on: '2026-07-20', note: '违法设定罚款。' });
    assertError(await act(c.office, e, 'revoke'), 400, 'invalid');
    x = await step(c.office, e, 'revoke', { note: '逾期未纠正，予以撤销。' });
    assert.equal(x.status, 'revoked');
    assert.deepEqual(x.allowed_actions, []);
    const f = await issued({ submitted: '2026-06-01', opinion: '2026-06-10', issued: '2026-06-15' });
    await step(c.clerk2, f, 'file', { filed_on: '2026-07-01' });
    await step(c.office, f, 'correction_notice', { note: '违法设定罚款。' }); // today: 30 日 still running
    const r = await act(c.office, f, 'revoke', { note: '撤销' });
    refused(r, []);
    assert.match(r.json.error.message, /尚未届满/);

    // the extension is a setting (本地规则): at 10 日, 30 + 10 from 07-01 is 08-10
    const admin = await srv.login('sysadmin');
    const key = '/api/v1/settings/normdoc.filing_review_extend_days';
    const version = async () => ok(await admin.get('/api/v1/settings')).items.find((i) => i.key === 'normdoc.filing_review_extend_days').version;
    const set = async (value) => ok(await admin.put(key, { value, version: await version() }));
    await set(10);
    const g = await issued({ submitted: '2026-06-01', opinion: '2026-06-10', issued: '2026-06-15' });
    await step(c.clerk2, g, 'file', { filed_on: '2026-07-01' });
    x = await step(c.office, g, 'extend_filing_review', { note: '情况复杂。' });
    assert.equal(clock(x, 'filing_review').due_on, '2026-08-10', clock(x, 'filing_review').explain);
    await set(20);
});

test('normdoc: 有效期 and 清理: 继续有效 / 修改 / 废止 recorded; documents whose validity ends soon are flagged', async () => {
    const d = await issued({ submitted: '2026-03-01', opinion: '2026-03-10', issued: '2026-03-20' });
    assert.equal(d.valid_until, '2031-03-19');
    await step(c.clerk2, d, 'file', { filed_on: '2026-04-01' });
    let x = await step(c.office, d, 'pass_filing', { reviewed_on: '2026-04-20' });
    assert.equal(x.status, 'in_force');
    refused(await act(c.clerk2, d, 'cleanup', { decision: 'keep', note: 'x' }), []);
    assertError(await act(c.office, d, 'cleanup', { decision: 'keep' }), 400, 'invalid');
    x = await step(c.office, d, 'cleanup', { decision: 'keep', valid_until: '2026-12-31', note: '经评估继续有效，有效期至年底。' });
    assert.equal(x.status, 'in_force');
    assert.equal(x.cleanup_decision, 'keep');
    assert.equal(x.valid_until, '2026-12-31');
    const soon = ok(await c.office.get(`${PATH}?expiring=1&per_page=200`)).items.map((i) => i.id);
    assert.ok(soon.includes(d.id), 'its validity ends within 90 days');
    x = await step(c.office, d, 'cleanup', { decision: 'amend', note: '部分条款与新修订的上位法不一致，拟修改。' });
    assert.equal(x.status, 'to_amend');
    x = await step(c.office, d, 'cleanup', { decision: 'abolish', note: '已被新规定替代，予以废止。' });
    assert.equal(x.status, 'abolished');
    assert.equal(x.cleanup_decision, 'abolish');
    const gone = ok(await c.office.get(`${PATH}?expiring=1&per_page=200`)).items.map((i) => i.id);
    assert.ok(!gone.includes(d.id), 'an abolished document is not flagged');
});

test('normdoc: a document issued without review is recorded by the office (the gap), never by a unit', async () => {
    const body = { category: 'normative', title: `城关街道关于占道经营收费的通知 ${uniq('u')}`, basis: '无',
        unit_id: u.cgjd.id, doc_number: '城街发〔2026〕12号', issued_on: '2026-05-10', filed_on: '2026-06-20' };
    const r = await c.clerk2.post(PATH, body);
    assertError(r, 400, 'invalid');
    assert.ok(r.json.error.fields.issued_on);
    assertError(await c.office.post(PATH, { ...body, filed_on: '2026-05-01' }), 400, 'invalid');
    const x = ok(await c.office.post(PATH, body), 201);
    assert.equal(x.status, 'filed');
    assert.equal(x.reviewed, false);
    assert.equal(x.filing_late, true, '51 days after publication');
    assert.equal(clock(x, 'filing_review').due_on, '2026-07-20', 'the filing review runs from 06-20');
    const gap = ok(await c.office.get(`${PATH}?unreviewed=1&per_page=200`)).items.map((i) => i.id);
    assert.ok(gap.includes(x.id));
    const drill = ok(await c.office.get(`${PATH}?metric=unreviewed&metric_from=2026-01-01&metric_to=2026-12-31&per_page=200`)).items.map((i) => i.id);
    assert.ok(drill.includes(x.id));
});

test('normdoc: contracts: the same review (counterparty, amount, term), signed — no filing; the gap too', async () => {
    const k = ok(await c.clerk2.post(CPATH, { title: `城关街道保洁服务外包合同 ${uniq('h')}`, counterparty: '南湖物业服务有限公司',
        amount: 1200000, term_from: '2026-01-01', term_to: '2026-12-31', basis: '经街道党工委会议研究决定采购', body: '甲方：……乙方：……' }), 201);
    assert.match(k.reg_no, /^HT2026-\d{6}$/);
    assert.equal(k.amount, 1200000);
    assertError(await c.clerk2.post(CPATH, { title: 'x', counterparty: 'y', basis: 'z', body: 'b', term_from: '2026-05-01', term_to: '2026-04-01' }), 400, 'invalid');
    // a contract is not a normative document: not in that list, 404 there
    assertError(await c.office.get(`${PATH}/${k.id}`), 404, 'not_found');
    await step(c.clerk2, k, 'submit');
    const r = await act(c.office, k, 'assign', { reviewer_id: reviewerId });
    ok(r);
    let x = await step(c.reviewer, k, 'opinion', { opinion: 'lawful', note: '合同条款合法。' });
    assert.equal(x.status, 'passed');
    x = await step(c.clerk2, k, 'issue', { doc_number: 'CGJD-2026-018' });
    assert.equal(x.status, 'issued');
    assert.deepEqual(x.allowed_actions, []);
    assert.equal(x.clocks.length, 1, 'a contract has the review clock only');
    const kind = ok(await c.office.get('/api/v1/kinds/contract'));
    assert.ok(!kind.transitions.some((t) => t.action === 'file'));
    assert.equal(kind.states.find((s) => s.code === 'issued').zh, '已签订');
    const gap = ok(await c.office.post(CPATH, { title: `未经审查的租赁合同 ${uniq('h')}`, counterparty: '某公司', basis: '无',
        unit_id: u.cgjd.id, doc_number: 'ZL-2026-3', issued_on: '2026-04-01' }), 201);
    assert.equal(gap.status, 'issued');
    assert.ok(ok(await c.office.get(`${CPATH}?unreviewed=1&per_page=200`)).items.some((i) => i.id === gap.id));
});

test('normdoc: metrics equal a hand count on fixed data; each drills down to its records', async () => {
    // in 区财政局 (a unit of its own), over 2026-02: 4 reviewed and issued (2 filed on time, 1 late,
    // 1 not filed; 1 corrected), 1 issued without review
    const fin = u.finance.id;
    const clerk = await srv.login('clerk_finance').catch(() => null);
    assert.ok(clerk, 'the demo has a clerk for 区财政局');
    const mk = async (i) => {
        const d = ok(await clerk.post(PATH, { category: 'normative', title: `财政指标文件 ${i} ${uniq('m')}`, basis: '预算法', body: '正文' }), 201);
        await step(clerk, d, 'submit', { submitted_on: '2026-01-05' });
        await step(c.office, d, 'assign', { reviewer_id: reviewerId });
        await step(c.reviewer, d, 'opinion', { opinion: 'lawful', note: '合法。', opinion_on: `2026-01-${String(9 + i).padStart(2, '0')}` });
        return step(clerk, d, 'issue', { doc_number: `区财发〔2026〕${i}号`, issued_on: '2026-02-02' });
    };
    const docs = [];
    for (let i = 1; i <= 4; i++) docs.push(await mk(i));
    await step(clerk, docs[0], 'file', { filed_on: '2026-02-10' });
    await step(clerk, docs[1], 'file', { filed_on: '2026-02-20' });
    await step(clerk, docs[2], 'file', { filed_on: '2026-03-20' }); // late
    await step(c.office, docs[1], 'correction_notice', { noticed_on: '2026-03-01', note: '纠错' });
    ok(await c.office.post(PATH, { category: 'normative', title: `未审文件 ${uniq('m')}`, basis: '无', unit_id: fin,
        doc_number: '区财发〔2026〕9号', issued_on: '2026-02-15' }), 201);
    const m = ok(await c.office.get(`/api/v1/metrics/normdocs?from=2026-02-01&to=2026-02-28&unit_id=${fin}`));
    const item = (code) => m.items.find((i) => i.code === code);
    assert.deepEqual([item('reviewed_rate').num, item('reviewed_rate').den, item('reviewed_rate').value], [4, 5, 80]);
    assert.equal(item('unreviewed').value, 1);
    assert.deepEqual([item('filed_rate').num, item('filed_rate').den], [3, 5]);
    assert.deepEqual([item('filed_on_time_rate').num, item('filed_on_time_rate').den], [2, 3]);
    assert.equal(item('corrected').value, 1);
    // review days: 2026-01-05 → 01-10, 01-11, 01-12, 01-13: 5, 6, 7, 8 → 6.5
    assert.equal(item('avg_review_days').value, 6.5);
    for (const code of ['reviewed_rate', 'unreviewed', 'filed_rate', 'filed_on_time_rate', 'corrected']) {
        const it = item(code);
        const listed = ok(await c.office.get(`${PATH}?${it.drill}&per_page=200`)).total;
        assert.equal(listed, it.num, `${code}: the drill-down lists what it counts`);
        if (it.den_drill) assert.equal(ok(await c.office.get(`${PATH}?${it.den_drill}&per_page=200`)).total, it.den);
    }
    // the unit's clerk sees the same numbers for the unit
    const mine = ok(await clerk.get(`/api/v1/metrics/normdocs?from=2026-02-01&to=2026-02-28`));
    assert.equal(mine.items.find((i) => i.code === 'reviewed_rate').den, 5);
    const cm = ok(await c.office.get('/api/v1/metrics/contracts?from=2026-01-01&to=2026-12-31'));
    assert.ok(cm.items.some((i) => i.code === 'reviewed_rate') && cm.items.some((i) => i.code === 'unreviewed'));
});

test('normdoc: scope: another unit\'s clerk 404; the reviewer sees what is assigned to them (and their unit\'s) only', async () => {
    const d = await draft();
    assertError(await c.clerk1.get(`${PATH}/${d.id}`), 404, 'not_found');
    assert.ok(!ok(await c.clerk1.get(`${PATH}?per_page=200`)).items.some((i) => i.id === d.id));
    // not assigned: the reviewer (a role reading every unit) does not see it
    assertError(await c.reviewer.get(`${PATH}/${d.id}`), 404, 'not_found');
    await step(c.clerk2, d, 'submit');
    assertError(await c.reviewer.get(`${PATH}/${d.id}`), 404, 'not_found');
    await step(c.office, d, 'assign', { reviewer_id: reviewerId });
    const seen = ok(await c.reviewer.get(`${PATH}/${d.id}`));
    assert.deepEqual(seen.allowed_actions, ['opinion']);
    const list = ok(await c.reviewer.get(`${PATH}?per_page=200`)).items;
    assert.ok(list.some((i) => i.id === d.id));
    assert.ok(list.every((i) => i.reviewer_id === reviewerId || i.unit_name === '区司法局'), 'assigned or its own unit only');
    // the office and the drafting unit see it; the leader reads
    ok(await c.office.get(`${PATH}/${d.id}`));
    ok(await c.clerk2.get(`${PATH}/${d.id}`));
    ok(await c.leader.get(`${PATH}/${d.id}`));
    assert.equal(ok(await c.clerk1.get(`/api/v1/normdoc-reviews?normdoc_id=${d.id}`)).total, 0);
    assert.equal(ok(await c.reviewer.get(`/api/v1/normdoc-reviews?normdoc_id=${d.id}`)).total, 1);
});

test('normdoc: the quarterly list of filed documents: filter by filing quarter and export it', async () => {
    const d = await issued({ submitted: '2026-06-01', opinion: '2026-06-10', issued: '2026-07-01' });
    await step(c.clerk2, d, 'file', { filed_on: '2026-07-15' });
    const q3 = ok(await c.office.get(`${PATH}?filed_quarter=2026-Q3&per_page=200`)).items;
    assert.ok(q3.some((i) => i.id === d.id));
    assert.ok(q3.every((i) => i.filed_on >= '2026-07-01' && i.filed_on <= '2026-09-30'));
    assert.ok(!ok(await c.office.get(`${PATH}?filed_quarter=2026-Q2&per_page=200`)).items.some((i) => i.id === d.id));
    assertError(await c.office.get(`${PATH}?filed_quarter=2026-Q5`), 400, 'invalid');
    const res = await c.office.get(`${PATH}/export.xlsx?filed_quarter=2026-Q3`);
    assert.equal(res.status, 200);
    const rows = xlsxRows(res.buf);
    assert.ok(rows[0].includes('文号') && rows[0].includes('备案日期'));
    assert.ok(rows.some((row) => row.includes(d.reg_no)));
});
