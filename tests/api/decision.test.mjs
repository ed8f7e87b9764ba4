// 重大行政决策 (src/features/decision) — the decision file is a kind whose statutory steps are
// gates in order (重大行政决策程序暂行条例): 公众参与 (30 日 comment period unless a reason is
// stated, hearing materials 7 日 before), 专家论证 (an expert with a declared interest is refused,
// naming it), 风险评估, 合法性审查 (≥ 7 工作日 on the calendar, across National Day; an opinion
// only on the version sent), 集体讨论决定 (refused without a passed review; the head speaks
// last), 公布 with 解读, 执行 reports, 决策后评估 (not by the unit that assessed the risk). Each
// step keeps the draft version it saw. Scope: the lead unit, the assigned reviewer, the office.
// Metrics in_order_rate and skipped equal a hand count; export.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, ok, uniq, sqlite } from './lib.mjs';
import { actors, upload, workdaysAfter, xlsxRows, today, addDays } from './tasks-lib.mjs';

let srv, c, u, reviewerId;
before(async () => {
    srv = await startServer();
    ({ c, u } = await actors(srv, ['office', 'clerk1', 'clerk2', 'leader', 'reviewer', 'auditor']));
    reviewerId = ok(await c.reviewer.get('/api/v1/auth/me')).user.id;
});
after(async () => { await srv.stopAndCheck(); });

const PATH = '/api/v1/decisions';

async function start(who = c.clerk2, body = {}) {
    return ok(await who.post(PATH, {
        title: `关于老旧小区加装电梯的实施意见 ${uniq('d')}`, lead_unit_id: u.cgjd.id,
        started_on: '2026-08-03', summary: '城关街道老旧小区加装电梯。', draft: '第一条 为推进老旧小区加装电梯……',
        ...body,
    }), 201, 'create decision');
}
async function act(who, rec, action, body = {}) {
    const cur = ok(await c.office.get(`${PATH}/${rec.id}`));
    return who.post(`${PATH}/${rec.id}/actions/${action}`, { version: cur.version, ...body });
}
const step = async (who, rec, action, body) => ok(await act(who, rec, action, body), 200, action);
function refused(r, re) {
    assertError(r, 409, 'invalid_transition');
    if (re) assert.match(r.json.error.message, re);
    return r;
}
function invalid(r, field, re) {
    assertError(r, 400, 'invalid');
    assert.ok(r.json.error.fields[field], `${field}: ${JSON.stringify(r.json.error.fields)}`);
    if (re) assert.match(r.json.error.fields[field], re);
    return r;
}
const stepOf = (rec, code) => rec.steps.find((s) => s.code === code);
let expertSeq = 0;
async function expert(body = {}) {
    expertSeq++;
    return ok(await c.office.post('/api/v1/experts', {
        name: `专家${expertSeq}${uniq('x')}`.slice(0, 20), specialty: 'planning', title: '教授',
        employer: '某大学建筑学院', active: true, ...body,
    }), 201);
}
const PARTICIPATE = { form: 'forum', held_on: '2026-08-20', participants: '居民代表12人', summary: '座谈会意见已汇总采纳。' };
const RISK = { assessor_unit_id: null, risk_level: 'medium', report: '风险评估报告', risk_points: '施工扰民', measures: '错峰施工', contingency: '应急预案' };
const DECIDE = { meeting_type: 'executive', meeting_on: '2026-10-20', attendees: '区政府常务会议组成人员',
    head: '王区长', speaking_order: '李副区长\n赵副区长\n王区长', dissent: '赵副区长建议扩大试点范围。', result: 'adopted' };

/** A decision taken through the steps up to (and including) `until`, with the given overrides. */
async function through(until, o = {}) {
    const d = await start(o.who, o.create);
    const order = ['participate', 'expert', 'risk', 'submit', 'review', 'decide', 'publish', 'evaluate'];
    const who = o.who || c.clerk2;
    for (const s of order) {
        if (s === 'participate') {
            if (o.skip?.includes('participation')) await step(who, d, 'participation_na', { note: '内部管理事项，不涉及公众切身利益' });
            else await step(who, d, 'participate', PARTICIPATE);
        } else if (s === 'expert') {
            if (o.skip?.includes('expert')) await step(who, d, 'expert_na', { note: '专业性不强，无需专家论证' });
            else {
                const x = await expert();
                await step(who, d, 'choose_expert', { expert_id: x.id });
                await step(who, d, 'expert_review', { held_on: '2026-08-25', opinion: '方案可行。' });
            }
        } else if (s === 'risk') {
            if (o.skip?.includes('risk')) await step(who, d, 'risk_na', { note: '不涉及社会稳定风险' });
            else await step(who, d, 'assess_risk', { ...RISK, assessor_unit_id: u.cgjd.id, assessed_on: '2026-09-01' });
        } else if (s === 'submit') await step(who, d, 'submit_review', { reviewer_id: reviewerId, submitted_on: '2026-09-28', review_days: 7 });
        else if (s === 'review') await step(c.reviewer, d, 'review', { opinion: 'lawful', draft_version: 1, reviewed_on: '2026-10-12', note: '权限、程序、内容合法。' });
        else if (s === 'decide') await step(who, d, 'decide', DECIDE);
        else if (s === 'publish') await step(who, d, 'publish', { published_on: '2026-10-26', channel: '区政府门户网站', interpretation: '政策解读全文' });
        else if (s === 'evaluate') await step(who, d, 'evaluate', { evaluator_unit_id: u.sfj.id, evaluated_on: '2026-11-20', conclusion: '实施效果良好。' });
        if (s === until) break;
    }
    return ok(await c.office.get(`${PATH}/${d.id}`));
}

test('every gate in order: each refusal in words, each step with the draft version it saw', async () => {
    const d = await start();
    assert.match(d.decision_no, /^JC2026-\d{6}$/);
    assert.equal(d.status, 'participation');
    assert.equal(d.draft_version, 1);
    let x = ok(await c.clerk2.get(`${PATH}/${d.id}`));
    assert.deepEqual(x.steps.map((s) => s.code), ['participation', 'expert', 'risk', 'review', 'discussion', 'publish', 'execute', 'evaluate']);
    assert.deepEqual(x.steps.map((s) => s.state), ['current', 'pending', 'pending', 'pending', 'pending', 'pending', 'pending', 'pending']);
    assert.equal(x.draft, '第一条 为推进老旧小区加装电梯……');
    assert.ok(!x.allowed_actions.includes('decide'), 'decide is not offered before the legality review');
    // … but shown with the reason it waits (the UI's locked button)
    assert.match(x.blocked_actions.find((b) => b.action === 'decide').reason, /未经合法性审查/);
    assert.ok(!ok(await c.leader.get(`${PATH}/${d.id}`)).blocked_actions.length, 'nothing blocked for a reader who may not act');
    // 集体讨论决定 before the legality review: refused with the reason
    refused(await act(c.clerk2, d, 'decide', DECIDE), /未经合法性审查.*不得提交集体讨论决定/);
    // later steps are not possible yet
    assertError(await act(c.clerk2, d, 'submit_review', { reviewer_id: reviewerId }), 409, 'invalid_transition');
    assertError(await act(c.clerk2, d, 'publish', { channel: 'x', interpretation: 'y' }), 409, 'invalid_transition');

    // 公众参与 — 公开征求意见 for 20 days needs a stated reason, which is then shown with the step
    // held in fazhi: the decision's own consultation (公开征求意见), whose period is the step's
    const cs = ok(await c.clerk2.post('/api/v1/consultations', {
        title: '关于老旧小区加装电梯的实施意见（征求意见稿）', unit_id: u.cgjd.id, starts_on: today(),
        ends_on: addDays(today(), 30), body: '第一条 为推进老旧小区加装电梯……', decision_id: d.id,
    }), 201);
    const other = ok(await c.clerk2.post('/api/v1/consultations', {
        title: '另一事项的征求意见稿', unit_id: u.cgjd.id, starts_on: today(), ends_on: addDays(today(), 30), body: '草案',
    }), 201);
    const consult = { form: 'consultation', opens_on: '2026-08-01', closes_on: '2026-09-30', held_on: '2026-08-26',
        consultation_id: cs.id, summary: '收到意见15条，采纳9条。' };
    invalid(await act(c.clerk2, d, 'participate', { ...consult, consultation_id: other.id }), 'consultation_id', /不是本决策事项的/);
    invalid(await act(c.clerk2, d, 'participate', consult), 'consultation_id', /期限尚未届满/);
    // its period over (20 days: the dates given in the step do not count, the consultation's do)
    await sqlite(srv.db, `UPDATE consultations SET status = 'closed', starts_on = '2026-08-05', ends_on = '2026-08-25' WHERE id = ${cs.id};`);
    invalid(await act(c.clerk2, d, 'participate', consult), 'short_reason', /20日.*少于30日的须说明理由/);
    const att = await upload(c.clerk2);
    x = await step(c.clerk2, d, 'participate', { ...consult, short_reason: '汛期前须完成，情况紧急', attachment_ids: [att.id] });
    assert.equal(x.status, 'expert');
    assert.equal(x.participation_form, 'consultation');
    assert.equal(x.consultation_id, cs.id);
    assert.equal(stepOf(x, 'participation').detail?.closes_on ?? '2026-08-25', '2026-08-25');
    // the decision's page lists its consultation (children)
    assert.ok(ok(await c.clerk2.get('/api/v1/entities/decisions')).children.some((ch) => ch.entity === 'consultations'));
    assert.deepEqual(ok(await c.clerk2.get(`/api/v1/consultations?decision_id=${d.id}`)).items.map((i) => i.id), [cs.id]);
    x = ok(await c.clerk2.get(`${PATH}/${d.id}`));
    assert.equal(stepOf(x, 'participation').state, 'done');
    assert.equal(stepOf(x, 'participation').reason, '汛期前须完成，情况紧急');
    assert.equal(stepOf(x, 'participation').detail.period_days, 20);
    assert.equal(stepOf(x, 'participation').draft_version, 1);
    assert.equal(stepOf(x, 'expert').state, 'current');

    // 专家论证 — none chosen: refused; an expert who declared an interest: refused, naming it
    refused(await act(c.clerk2, d, 'expert_review', { opinion: '可行' }), /请先从专家库选定或随机抽取论证专家/);
    const conflicted = await expert({ name: `利害专家${uniq('y')}`.slice(0, 20) });
    const clean = await expert();
    ok(await c.clerk2.post('/api/v1/expert-interests', { expert_id: conflicted.id, decision_id: d.id,
        interest: '其配偶在拟加装电梯的小区拥有住房', declared_on: '2026-08-20' }), 201);
    invalid(await act(c.clerk2, d, 'choose_expert', { expert_id: conflicted.id }), 'expert_id', /利害关系（其配偶在拟加装电梯的小区拥有住房）/);
    x = await step(c.clerk2, d, 'choose_expert', { expert_id: clean.id });
    invalid(await act(c.clerk2, d, 'choose_expert', { expert_id: clean.id }), 'expert_id', /已选定/);
    // drawn at random among the eligible: never the conflicted one, nor one already chosen
    invalid(await act(c.clerk2, d, 'draw_experts', { draw_count: 15, specialty: 'planning' }), 'draw_count', /只有\d+名/);
    await expert();
    await expert();
    x = await step(c.clerk2, d, 'draw_experts', { draw_count: 2, specialty: 'planning' });
    x = ok(await c.clerk2.get(`${PATH}/${d.id}`));
    assert.equal(x.experts.length, 3);
    assert.ok(!x.experts.some((e) => e.id === conflicted.id), 'the conflicted expert is never drawn');
    assert.deepEqual(x.experts.map((e) => e.how).sort(), ['chosen', 'drawn', 'drawn']);
    // a new draft version between the steps: the next step sees version 2
    x = await step(c.clerk2, d, 'revise', { draft: '第一条（修改稿）为推进老旧小区加装电梯……', draft_title: '第2稿' });
    assert.equal(x.draft_version, 2);
    x = await step(c.clerk2, d, 'expert_review', { held_on: '2026-08-28', form: '论证会', opinion: '方案总体可行，建议完善补贴标准。' });
    assert.equal(x.status, 'risk');
    x = ok(await c.clerk2.get(`${PATH}/${d.id}`));
    assert.equal(stepOf(x, 'expert').draft_version, 2);
    assert.equal(stepOf(x, 'participation').draft_version, 1);

    // 风险评估 — by a third party, which must be named
    invalid(await act(c.clerk2, d, 'assess_risk', { ...RISK, assessor_unit_id: u.cgjd.id, third_party: true }), 'third_party_name');
    x = await step(c.clerk2, d, 'assess_risk', { ...RISK, assessor_unit_id: u.cgjd.id, third_party: true,
        third_party_name: '某社会稳定风险评估中心', assessed_on: '2026-09-10' });
    assert.equal(x.status, 'review_ready');
    assert.equal(x.risk_unit_id, u.cgjd.id);
    refused(await act(c.clerk2, d, 'decide', DECIDE), /合法性审查/);

    // 合法性审查 — the reviewer gets at least 7 工作日: 5 refused; 7 from 09-28 cross National Day
    invalid(await act(c.clerk2, d, 'submit_review', { reviewer_id: reviewerId, submitted_on: '2026-09-28', review_days: 5 }),
        'review_days', /不得少于7个工作日/);
    x = await step(c.clerk2, d, 'submit_review', { reviewer_id: reviewerId, submitted_on: '2026-09-28', review_days: 7 });
    assert.equal(x.status, 'reviewing');
    const clock = x.clocks.find((k) => k.code === 'review');
    assert.equal(clock.unit, 'workdays');
    // 09-29, 09-30, (10-01…10-07 国庆节), 10-08, 10-09, 10-10 (调休 Saturday), 10-12, 10-13
    assert.equal(clock.due_on, '2026-10-13', clock.explain);
    assert.equal(clock.due_on, await workdaysAfter(c.office, '2026-09-28', 7));
    // only the assigned reviewer gives the opinion
    assert.ok(!x.allowed_actions.includes('review'));
    assertError(await act(c.clerk2, d, 'review', { opinion: 'lawful', draft_version: 2, note: 'x' }), 409, 'invalid_transition');
    // the reviewer names the version reviewed: another one is refused
    invalid(await act(c.reviewer, d, 'review', { opinion: 'lawful', draft_version: 1, note: '合法。' }), 'draft_version', /只能针对送审的草案第2稿/);
    // the draft changed after it was sent: no opinion passes it until it is sent again
    await step(c.clerk2, d, 'revise', { draft: '第3稿正文', draft_title: '第3稿' });
    refused(await act(c.reviewer, d, 'review', { opinion: 'lawful', draft_version: 3, note: '合法。' }), /送审后决策草案已有新版本/);
    x = await step(c.clerk2, d, 'submit_review', { reviewer_id: reviewerId, submitted_on: '2026-09-29', review_days: 10 });
    assert.equal(x.review_version, 3);
    assert.equal(x.clocks.find((k) => k.code === 'review').period, 10);
    // 不合法: back for revision, the step refused with the reasons
    assertError(await act(c.reviewer, d, 'review', { opinion: 'unlawful', draft_version: 3 }), 400, 'invalid'); // reasons required
    x = await step(c.reviewer, d, 'review', { opinion: 'unlawful', draft_version: 3, reviewed_on: '2026-10-14', note: '第五条设定行政许可，超越权限。' });
    assert.equal(x.status, 'review_ready');
    x = ok(await c.clerk2.get(`${PATH}/${d.id}`));
    assert.equal(stepOf(x, 'review').state, 'refused');
    assert.equal(stepOf(x, 'review').reason, '第五条设定行政许可，超越权限。');
    refused(await act(c.clerk2, d, 'decide', DECIDE), /经审查不合法/);
    await step(c.clerk2, d, 'revise', { draft: '第4稿（删去第五条）', draft_title: '第4稿' });
    await step(c.clerk2, d, 'submit_review', { reviewer_id: reviewerId, submitted_on: '2026-10-15', review_days: 7 });
    x = await step(c.reviewer, d, 'review', { opinion: 'lawful_amended', draft_version: 4, reviewed_on: '2026-10-16', note: '修改后合法。' });
    assert.equal(x.status, 'discussion');
    assert.equal(x.reviewed_version, 4);
    assert.equal(x.clocks.find((k) => k.code === 'review').state, 'met');
    assert.ok(x.allowed_actions.length === 0, 'the reviewer has nothing more to do');
    x = ok(await c.clerk2.get(`${PATH}/${d.id}`));
    assert.ok(x.allowed_actions.includes('decide'));

    // 集体讨论决定 — the head speaks last
    invalid(await act(c.clerk2, d, 'decide', { ...DECIDE, speaking_order: '王区长\n李副区长' }), 'speaking_order', /行政首长（王区长）应当最后发表意见.*李副区长/);
    x = await step(c.clerk2, d, 'decide', DECIDE);
    assert.equal(x.status, 'decided');
    assert.equal(x.decided_on, '2026-10-20');
    assert.equal(x.days_to_decision, 78);
    x = ok(await c.clerk2.get(`${PATH}/${d.id}`));
    assert.equal(stepOf(x, 'discussion').detail.dissent, '赵副区长建议扩大试点范围。');
    assert.equal(stepOf(x, 'discussion').draft_version, 4);

    // 公布 with 解读, then the executing unit's reports
    assertError(await act(c.clerk2, d, 'publish', { channel: '区政府门户网站' }), 400, 'invalid');
    x = await step(c.clerk2, d, 'publish', { published_on: '2026-10-26', channel: '区政府门户网站', interpretation: '一图读懂加装电梯政策' });
    assert.equal(x.status, 'published');
    const report = { decision_id: d.id, reported_on: '2026-11-10', progress: 'on_track', content: '已完成12台电梯加装。' };
    assertError(await c.clerk1.post('/api/v1/decision-reports', report), 400, 'invalid');
    ok(await c.clerk2.post('/api/v1/decision-reports', report), 201);
    const reports = ok(await c.clerk2.get(`/api/v1/decision-reports?decision_id=${d.id}`));
    assert.equal(reports.total, 1);
    x = ok(await c.clerk2.get(`${PATH}/${d.id}`));
    assert.equal(stepOf(x, 'execute').state, 'done');

    // 决策后评估 — not by the unit that assessed the risk before the decision
    invalid(await act(c.clerk2, d, 'evaluate', { evaluator_unit_id: u.cgjd.id, conclusion: '良好' }), 'evaluator_unit_id', /不得由承担决策前风险评估的单位（城关街道）/);
    x = await step(c.clerk2, d, 'evaluate', { evaluator_unit_id: u.sfj.id, evaluated_on: '2026-11-20', conclusion: '实施效果良好。' });
    assert.equal(x.status, 'evaluated');
    assert.deepEqual(x.allowed_actions, []);
    x = ok(await c.clerk2.get(`${PATH}/${d.id}`));
    assert.deepEqual(x.steps.map((s) => s.state), ['done', 'done', 'done', 'done', 'done', 'done', 'done', 'done']);

    // the timeline: every step, with the version it saw and the participation's document
    const tl = ok(await c.clerk2.get(`${PATH}/${d.id}/timeline`)).items;
    const part = tl.find((e) => e.action === 'participate');
    assert.equal(part.detail.draft_version, 1);
    assert.equal(part.files.length, 1);
    assert.equal(tl.find((e) => e.action === 'decide').detail.draft_version, 4);
    const audit = ok(await c.auditor.get(`/api/v1/audit?object_type=decision&object_id=${d.id}&per_page=100`)).items;
    for (const a of ['create', 'participate', 'choose_expert', 'expert_review', 'assess_risk', 'submit_review', 'review', 'decide', 'publish', 'evaluate'])
        assert.ok(audit.some((e) => e.action === `decision.${a}`), a);
});

test('听证会: materials to the participants at least 7 days before the hearing', async () => {
    const d = await start();
    const hearing = { form: 'hearing', hearing_on: '2026-08-20', held_on: '2026-08-20', summary: '听证意见已采纳。' };
    invalid(await act(c.clerk2, d, 'participate', { ...hearing, materials_on: '2026-08-15' }), 'materials_on', /7日前.*仅提前5日/);
    invalid(await act(c.clerk2, d, 'participate', hearing), 'materials_on');
    const x = await step(c.clerk2, d, 'participate', { ...hearing, materials_on: '2026-08-13' });
    assert.equal(x.status, 'expert');
    // 30 days of public comment need no reason
    const e = await start();
    const y = await step(c.clerk2, e, 'participate', { form: 'consultation', opens_on: '2026-08-04', closes_on: '2026-09-03', held_on: '2026-09-04', summary: '无意见。' });
    assert.equal(y.status, 'expert');
    // not applicable only with a reason, and it counts as skipped
    const f = await start();
    assertError(await act(c.clerk2, f, 'participation_na'), 400, 'invalid');
    await step(c.clerk2, f, 'participation_na', { note: '涉及国家秘密，依法不公开征求意见' });
    const z = ok(await c.clerk2.get(`${PATH}/${f.id}`));
    assert.equal(stepOf(z, 'participation').state, 'skipped');
    assert.equal(stepOf(z, 'participation').reason, '涉及国家秘密，依法不公开征求意见');
    assert.equal(z.skipped_steps, 1);
});

test('scope: another unit\'s clerk 404, the assigned reviewer sees what is sent to them, the office all', async () => {
    const d = await through('submit');
    const other = await through('risk');
    assertError(await c.clerk1.get(`${PATH}/${d.id}`), 404, 'not_found');
    assertError(await act(c.clerk1, d, 'revise', { draft: 'x' }), 404, 'not_found');
    ok(await c.reviewer.get(`${PATH}/${d.id}`));
    assertError(await c.reviewer.get(`${PATH}/${other.id}`), 404, 'not_found');
    const mine = ok(await c.reviewer.get(`${PATH}?per_page=200`)).items.map((x) => x.id);
    assert.ok(mine.includes(d.id) && !mine.includes(other.id));
    const clerk1 = ok(await c.clerk1.get(`${PATH}?per_page=200`)).items;
    assert.ok(clerk1.every((x) => x.lead_unit_id === u.sfj.id), 'clerk1 lists only its own unit\'s');
    ok(await c.office.get(`${PATH}/${other.id}`));
    ok(await c.leader.get(`${PATH}/${other.id}`));
    // a clerk registers only its own unit's decisions
    assertError(await c.clerk1.post(PATH, { title: '越权', lead_unit_id: u.cgjd.id, started_on: '2026-08-01', draft: 'x' }), 400, 'invalid');
    // the reviewer acts only as reviewer
    assertError(await act(c.reviewer, other, 'submit_review', { reviewer_id: reviewerId }), 404, 'not_found');
});

test('metrics: in_order_rate and skipped equal a hand count; export', async () => {
    const Y = { create: { started_on: '2025-03-03' } };
    // a period of its own (2025): 3 decided in order, 2 decided with a step skipped, 1 not decided
    const inOrder = [await through('decide', Y), await through('publish', Y), await through('evaluate', Y)];
    const skipped = [await through('decide', { ...Y, skip: ['expert'] }), await through('decide', { ...Y, skip: ['participation', 'risk'] })];
    const open = await through('risk', Y);
    assert.equal(open.status, 'review_ready');
    const q = 'metric_from=2025-01-01&metric_to=2025-12-31';
    const ids = async (metric, part) => ok(await c.office.get(`${PATH}?metric=${metric}&metric_part=${part}&${q}&per_page=200`)).items.map((x) => x.id).sort();
    const sorted = (a) => a.map((x) => x.id).sort();
    assert.deepEqual(await ids('in_order_rate', 'num'), sorted(inOrder));
    assert.deepEqual(await ids('in_order_rate', 'den'), sorted([...inOrder, ...skipped]));
    assert.deepEqual(await ids('skipped', 'num'), sorted(skipped));
    const m = ok(await c.office.get(`/api/v1/metrics/decisions?from=2025-01-01&to=2025-12-31`));
    const val = (code) => m.items.find((i) => i.code === code);
    assert.equal(val('in_order_rate').num, 3);
    assert.equal(val('in_order_rate').den, 5);
    assert.equal(val('in_order_rate').value, 60);
    assert.equal(val('skipped').value, 2);
    assert.equal(val('decided').value, 5);
    // every one of the 2025 set went from 2025-03-03 to the meeting on 2026-10-20
    assert.equal(val('avg_decision_days').value, 596);
    const states = Object.fromEntries(m.by_state.map((s) => [s.status, s.n]));
    assert.equal(states.decided, 3);
    assert.equal(states.published, 1);
    assert.equal(states.evaluated, 1);
    assert.equal(states.review_ready, 1);
    // the list's filters say the same
    assert.equal(ok(await c.office.get(`${PATH}?skipped=true&started_on_from=2025-01-01&started_on_to=2025-12-31`)).total, 2);
    // export: the office's sheet with the skipped column
    const r = await c.office.get(`${PATH}/export.xlsx?started_on_from=2025-01-01&started_on_to=2025-12-31`);
    assert.equal(r.status, 200);
    const rows = xlsxRows(r.buf);
    assert.ok(rows[0].includes('决策编号') && rows[0].includes('跳过的步骤数'), rows[0].join());
    assert.equal(rows.length, 1 + 6);
});

test('the expert pool: the office keeps it, everyone reads it; interests list per expert', async () => {
    const x = await expert({ specialty: 'law' });
    assertError(await c.clerk2.post('/api/v1/experts', { name: '某', specialty: 'law', employer: 'x' }), 403, 'forbidden');
    const d = await start();
    ok(await c.clerk2.post('/api/v1/expert-interests', { expert_id: x.id, decision_id: d.id, interest: '曾为该项目提供咨询', declared_on: '2026-08-10' }), 201);
    const rec = ok(await c.clerk1.get(`/api/v1/experts/${x.id}`));
    assert.equal(rec.interests, 1);
    const list = ok(await c.clerk1.get(`/api/v1/expert-interests?expert_id=${x.id}`));
    assert.equal(list.items[0].interest, '曾为该项目提供咨询');
    assertError(await c.clerk2.post('/api/v1/expert-interests', { expert_id: x.id, decision_id: 999999, interest: 'x', declared_on: '2026-08-10' }), 400, 'invalid');
    // only on a decision the declarer reads: another unit's clerk cannot exclude experts from it
    assertError(await c.clerk1.post('/api/v1/expert-interests', { expert_id: x.id, decision_id: d.id, interest: 'x', declared_on: '2026-08-10' }), 400, 'invalid');
    // drawing more experts than are eligible is refused with the count
    await step(c.clerk2, d, 'participate', PARTICIPATE);
    invalid(await act(c.clerk2, d, 'draw_experts', { draw_count: 15, specialty: 'law' }), 'draw_count', /符合条件.*只有\d+名/);
});

test('a draft revised after its legality review goes back to the reviewer before the decision', async () => {
    const d = await through('review');
    assert.equal(d.status, 'discussion');
    await step(c.clerk2, d, 'revise', { draft: '审查后又修改的草案', draft_title: '第2稿' });
    let x = ok(await c.clerk2.get(`${PATH}/${d.id}`));
    assert.ok(!x.allowed_actions.includes('decide'));
    assert.match(x.blocked_actions.find((b) => b.action === 'decide').reason, /合法性审查后又有修改/);
    refused(await act(c.clerk2, d, 'decide', DECIDE), /提交集体讨论的须是经审查的版本/);
    x = await step(c.clerk2, d, 'submit_review', { reviewer_id: reviewerId, submitted_on: '2026-10-13', review_days: 7 });
    assert.equal(x.status, 'reviewing');
    assert.equal(x.review_version, 2);
    assert.equal(x.review_opinion, null);
    await step(c.reviewer, d, 'review', { opinion: 'lawful', draft_version: 2, reviewed_on: '2026-10-14', note: '合法。' });
    x = await step(c.clerk2, d, 'decide', DECIDE);
    assert.equal(x.status, 'decided');
    x = ok(await c.clerk2.get(`${PATH}/${d.id}`));
    assert.equal(stepOf(x, 'discussion').draft_version, 2);
    assert.equal(stepOf(x, 'review').draft_version, 2);
});
