// 行政应诉 (src/features/litigation) — a register built from declarations: a case walks 立案 →
// 答辩 → 判决/裁定 → 上诉 → 二审 → 结案 as the defendant unit's clerk (or the office), every other
// step is 409; the statutory clocks (答辩 15 日 from the complaint's service, 第六十七条; 上诉 15 日
// from the judgment's, 第八十五条) over the 2026 calendar (a last day in National Day moves to
// 10-08, a last day on the 调休 Saturday does not move); hearings are child records with whether
// the agency head appeared; 出庭应诉率 and 败诉率 are hand counts of the list filters on fixed data;
// a clerk of another unit gets 404; export and import round trip.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, ok, uniq } from './lib.mjs';
import { actors, today, xlsxRows } from './tasks-lib.mjs';

let srv, c, u;
before(async () => {
    srv = await startServer();
    ({ c, u } = await actors(srv));
});
after(async () => { await srv.stopAndCheck(); });

const PATH = '/api/v1/litigations';
const HEARINGS = '/api/v1/litigation-hearings';

let seq = 0;
async function sue(who = c.clerk2, body = {}) {
    seq++;
    return ok(await who.post(PATH, {
        court_case_no: `（2026）浙0102行初${500 + seq}号`, court: '城关区人民法院', instance: 'first',
        cause: `政府信息公开 ${body.tag || ''}`.trim(), defendant_unit_id: u.cgjd.id,
        filed_on: '2026-09-10', served_on: '2026-09-16', claim: '请求判令被告公开相关信息。',
        parties: [{ role: 'plaintiff', name: '何志明' }],
        ...body, tag: undefined,
    }), 201);
}
async function act(who, rec, action, body = {}) {
    const cur = ok(await c.office.get(`${PATH}/${rec.id}`));
    return who.post(`${PATH}/${rec.id}/actions/${action}`, { version: cur.version, ...body });
}
const step = async (who, rec, action, body) => ok(await act(who, rec, action, body), 200, action);
function refused(r, allowed) {
    assertError(r, 409, 'invalid_transition');
    if (allowed) assert.deepEqual([...r.json.error.fields.allowed_actions].sort(), [...allowed].sort());
}
const clock = (rec, code) => rec.clocks.find((k) => k.code === code);
const sorted = (a) => [...a].sort();
async function hearing(who, rec, body = {}) {
    return who.post(HEARINGS, { litigation_id: rec.id, held_on: '2026-10-20', court_room: '第三审判庭',
        head_appeared: true, head_name: '吴晓', head_position: '街道办事处主任', ...body });
}

test('the kind: the defendant unit\'s steps through both instances; every other one refused', async () => {
    const r = await sue();
    assert.match(r.case_no, /^YS2026-\d{6}$/);
    assert.equal(r.status, 'filed');
    assert.deepEqual(sorted(r.allowed_actions), ['defend', 'judge']);
    // the office may act for the unit; another unit's clerk does not see it; the leader reads only
    assert.deepEqual(sorted(ok(await c.office.get(`${PATH}/${r.id}`)).allowed_actions), ['defend', 'judge']);
    assertError(await c.clerk1.get(`${PATH}/${r.id}`), 404, 'not_found');
    assertError(await act(c.clerk1, r, 'defend'), 404, 'not_found');
    assert.deepEqual(ok(await c.leader.get(`${PATH}/${r.id}`)).allowed_actions, []);
    refused(await act(c.leader, r, 'defend'), []);
    refused(await act(c.clerk2, r, 'appeal', { appellant: 'agency', appealed_on: '2026-10-01', court: '市中院' }), ['defend', 'judge']);
    refused(await act(c.clerk2, r, 'judge_final', { result: 'win', judged_on: '2026-10-01' }), ['defend', 'judge']);
    refused(await act(c.clerk2, r, 'close'), ['defend', 'judge']);
    let x = await step(c.clerk2, r, 'defend', { submitted_on: '2026-09-25', note: '已提交答辩状。' });
    assert.equal(x.status, 'answered');
    assert.equal(x.defence_on, '2026-09-25');
    assert.equal(clock(x, 'defence').state, 'met');
    assert.deepEqual(x.allowed_actions, ['judge']);
    refused(await act(c.clerk2, r, 'defend'), ['judge']);
    // the result is one of the declared ones, the dates real and not after today
    assertError(await act(c.clerk2, r, 'judge', { result: 'victory', judged_on: '2026-11-02' }), 400, 'invalid');
    assertError(await act(c.clerk2, r, 'judge', { result: 'lose', judged_on: '2099-11-02' }), 400, 'invalid');
    const early = await act(c.clerk2, r, 'judge', { result: 'lose', judged_on: '2026-11-02', served_on: '2026-11-01' });
    assertError(early, 400, 'invalid');
    assert.ok(early.json.error.fields.served_on);
    x = await step(c.clerk2, r, 'judge', { result: 'lose', judged_on: '2026-11-02', served_on: '2026-11-05', note: '判决撤销被诉答复。' });
    assert.equal(x.status, 'judged');
    assert.equal(x.result, 'lose');
    assert.equal(clock(x, 'appeal').due_on, '2026-11-20', clock(x, 'appeal').explain);
    x = await step(c.clerk2, r, 'appeal', { appellant: 'agency', appealed_on: '2026-11-12', court: '市中级人民法院', court_case_no: '（2026）浙01行终88号' });
    assert.equal(x.status, 'appealed');
    assert.equal(x.instance, 'second');
    assert.equal(x.court, '市中级人民法院');
    assert.equal(x.first_result, 'lose');
    assert.equal(x.first_court, '城关区人民法院');
    assert.equal(x.result, null);
    assert.equal(clock(x, 'appeal').state, 'met');
    assert.deepEqual(x.allowed_actions, ['judge_final']);
    refused(await act(c.clerk2, r, 'judge', { result: 'win', judged_on: '2026-11-30' }), ['judge_final']);
    x = await step(c.clerk2, r, 'judge_final', { result: 'win', judged_on: '2026-11-30', note: '二审撤销一审判决。' });
    assert.equal(x.status, 'closed');
    assert.equal(x.result, 'win');
    assert.deepEqual(x.allowed_actions, []);
    refused(await act(c.clerk2, r, 'close'), []);
    assertError(await c.clerk2.put(`${PATH}/${r.id}`, { version: x.version, court_case_no: 'x', court: 'y', cause: 'z', claim: 'w' }), 403, 'forbidden');
    assertError(await c.clerk2.post(`${PATH}/${r.id}/actions/defend`, { version: 1 }), 409, 'stale_version');
    const audit = ok(await c.auditor.get(`/api/v1/audit?object_type=litigation&object_id=${r.id}&per_page=50`)).items;
    for (const a of ['create', 'defend', 'judge', 'appeal', 'judge_final']) assert.ok(audit.some((e) => e.action === `litigation.${a}`), a);

    // 结案 waits for the judgment to become effective: the appeal period must have run out …
    const p = await sue();
    x = await step(c.clerk2, p, 'judge', { result: 'win', judged_on: today(), served_on: today() });
    assert.deepEqual(x.allowed_actions, ['appeal']);
    const wait = await act(c.clerk2, p, 'close');
    refused(wait, ['appeal']);
    assert.match(wait.json.error.message, /上诉期限尚未届满/);
    // … unless a 调解 or 撤诉 ended the case
    const m = await sue();
    x = await step(c.clerk2, m, 'judge', { result: 'mediated', judged_on: today() });
    assert.deepEqual(sorted(x.allowed_actions), ['appeal', 'close']);
    x = await step(c.clerk2, m, 'close');
    assert.equal(x.status, 'closed');
    assert.equal(clock(x, 'appeal').state, 'met');
    // a judgment served long ago: the appeal period ran out unused — met on its last day, not late
    const o = await sue();
    await step(c.clerk2, o, 'judge', { result: 'win', judged_on: '2026-10-09', served_on: '2026-10-12' });
    x = await step(c.clerk2, o, 'close');
    assert.equal(clock(x, 'appeal').stopped_on, '2026-10-27');
    assert.equal(clock(x, 'appeal').late, false);
    // a 二审 case registered as such has a final judgment only
    const s = await sue(c.clerk2, { instance: 'second', court: '市中级人民法院' });
    assert.deepEqual(sorted(s.allowed_actions), ['defend', 'judge_final']);
    refused(await act(c.clerk2, s, 'judge', { result: 'win', judged_on: '2026-10-01' }), ['defend', 'judge_final']);
});

test('答辩 15 日 ending in National Day → 10-08; ending on the 调休 Saturday 10-10 it stays; 上诉 15 日 likewise', async () => {
    const a = await sue(c.clerk2, { served_on: '2026-09-16' });
    let k = clock(a, 'defence');
    assert.equal(k.period, 15);
    assert.equal(k.unit, 'days');
    // 09-16 + 15 日 = 10-01, a holiday (10-01 … 10-07): the first working day after it
    assert.equal(k.due_on, '2026-10-08', k.explain);
    assert.equal(a.due_on, '2026-10-08', 'the list column is the running clock');
    const b = await sue(c.clerk2, { served_on: '2026-09-25' });
    // 09-25 + 15 日 = 10-10, a Saturday made a working day (国庆节调休): not moved
    assert.equal(clock(b, 'defence').due_on, '2026-10-10', clock(b, 'defence').explain);
    // a defence submitted after the due date: met, late
    let x = await step(c.clerk2, a, 'defend', { submitted_on: '2026-10-09' });
    k = clock(x, 'defence');
    assert.equal(k.state, 'met');
    assert.equal(k.late, true);
    x = await step(c.clerk2, a, 'judge', { result: 'partial', judged_on: '2026-09-18', served_on: '2026-09-20' });
    // 09-20 + 15 日 = 10-05, in the holiday: 10-08
    assert.equal(clock(x, 'appeal').due_on, '2026-10-08', clock(x, 'appeal').explain);
    // a case registered late, its defence never submitted: overdue
    const late = await sue(c.clerk2, { filed_on: '2026-11-01', served_on: '2026-11-02' });
    assert.equal(clock(late, 'defence').state, 'overdue');
    assert.ok(ok(await c.office.get(`${PATH}?sort=due_on&per_page=200`)).items.some((i) => i.id === late.id));
    // the served date cannot precede the filing
    const bad = await c.clerk2.post(PATH, { court_case_no: 'x', court: 'y', instance: 'first', cause: 'z', defendant_unit_id: u.cgjd.id,
        filed_on: '2026-09-10', served_on: '2026-09-01', claim: 'w' });
    assertError(bad, 400, 'invalid');
    assert.ok(bad.json.error.fields.served_on);
    // a clerk registers only cases against the own unit
    const foreign = await c.clerk2.post(PATH, { court_case_no: 'x', court: 'y', instance: 'first', cause: 'z', defendant_unit_id: u.police.id,
        filed_on: '2026-09-10', served_on: '2026-09-11', claim: 'w' });
    assertError(foreign, 400, 'invalid');
    assert.ok(foreign.json.error.fields.defendant_unit_id);
    assertError(await c.leader.post(PATH, {}), 403, 'forbidden');
});

test('hearings are child records: the head appeared (name, position) or the reason absent; scoped by the case', async () => {
    const r = await sue();
    const d = ok(await c.office.get('/api/v1/entities/litigation_hearings'));
    assert.equal(d.fields.find((f) => f.name === 'litigation_id').ref, 'litigations');
    let h = await hearing(c.clerk2, r, { head_name: '' });
    assertError(h, 400, 'invalid');
    assert.ok(h.json.error.fields.head_name);
    h = await hearing(c.clerk2, r, { head_appeared: false, head_name: '', head_position: '' });
    assertError(h, 400, 'invalid');
    assert.ok(h.json.error.fields.absence_reason);
    const first = ok(await hearing(c.clerk2, r), 201);
    assert.equal(first.instance, 'first');
    assert.equal(first.case_no, r.case_no);
    assert.equal(first.head_appeared, true);
    ok(await hearing(c.clerk2, r, { held_on: '2026-11-03', head_appeared: false, head_name: '', head_position: '', absence_reason: '公务冲突，委托副主任出庭' }), 201);
    // another unit's clerk: neither the case nor its hearings
    h = await hearing(c.clerk1, r);
    assertError(h, 400, 'invalid');
    assert.ok(h.json.error.fields.litigation_id);
    assertError(await c.clerk1.get(`${HEARINGS}/${first.id}`), 404, 'not_found');
    assert.equal(ok(await c.clerk1.get(`${HEARINGS}?litigation_id=${r.id}`)).total, 0);
    const mine = ok(await c.clerk2.get(`${HEARINGS}?litigation_id=${r.id}&sort=held_on`));
    assert.deepEqual(mine.items.map((x) => x.head_appeared), [true, false]);
    // an edit keeps the rules; a hearing entered by mistake is deleted
    const cur = ok(await c.clerk2.get(`${HEARINGS}/${first.id}`));
    assertError(await c.clerk2.put(`${HEARINGS}/${first.id}`, { version: cur.version, held_on: '2026-10-20', head_appeared: false }), 400, 'invalid');
    ok(await c.clerk2.put(`${HEARINGS}/${first.id}`, { version: cur.version, held_on: '2026-10-21', head_appeared: true,
        head_name: '吴晓', head_position: '主任' }));
    const extra = ok(await hearing(c.clerk2, r, { held_on: '2026-11-10' }), 201);
    ok(await c.clerk2.del(`${HEARINGS}/${extra.id}?version=${extra.version}`));
    const hearingsOf = ok(await c.office.get(`${PATH}/${r.id}`));
    assert.equal(hearingsOf.hearings, 2);
    assert.equal(hearingsOf.head_appearances, 1);
    // a hearing before the case was filed is refused
    assertError(await hearing(c.clerk2, r, { held_on: '2026-01-01' }), 400, 'invalid');
});

test('出庭应诉率 and 败诉率: hand counts through the list filters on fixed data', async () => {
    const tag = uniq('比率');
    // hearings: case A 3 (head in 2), case B 2 (head in 1) → 3 / 5
    const a = await sue(c.clerk2, { tag }), b = await sue(c.clerk2, { tag });
    for (const [rec, heads] of [[a, [true, true, false]], [b, [false, true]]]) {
        for (const [i, head] of heads.entries()) {
            ok(await hearing(c.clerk2, rec, head ? { held_on: `2026-10-2${i}` }
                : { held_on: `2026-10-2${i}`, head_appeared: false, head_name: '', head_position: '', absence_reason: '公务冲突' }), 201);
        }
    }
    const hcount = async (query) => (await Promise.all([a, b].map(async (r) =>
        ok(await c.office.get(`${HEARINGS}?litigation_id=${r.id}&${query}`)).total))).reduce((x, y) => x + y, 0);
    const appeared = await hcount('head_appeared=1'), all = await hcount('');
    assert.equal(appeared, 3);
    assert.equal(all, 5);
    assert.equal(await hcount('head_appeared=0'), 2);
    assert.equal(Math.round((1000 * appeared) / all) / 10, 60, '出庭应诉率 60.0%');
    // judgments: win, lose, partial, dismissed, withdrawn, mediated, and one under appeal
    for (const result of ['win', 'lose', 'partial', 'dismissed', 'withdrawn', 'mediated']) {
        const r = await sue(c.clerk2, { tag });
        await step(c.clerk2, r, 'judge', { result, judged_on: '2026-11-01', served_on: '2026-11-02' });
    }
    const ap = await sue(c.clerk2, { tag });
    await step(c.clerk2, ap, 'judge', { result: 'lose', judged_on: '2026-11-01', served_on: '2026-11-02' });
    await step(c.clerk2, ap, 'appeal', { appellant: 'agency', appealed_on: '2026-11-10', court: '市中级人民法院' });
    const count = async (query) => ok(await c.office.get(`${PATH}?q=${encodeURIComponent(tag)}&${query}`)).total;
    const by = {};
    for (const r of ['win', 'lose', 'partial', 'dismissed', 'withdrawn', 'mediated']) by[r] = await count(`result=${r}`);
    assert.deepEqual(by, { win: 1, lose: 1, partial: 1, dismissed: 1, withdrawn: 1, mediated: 1 },
        'the case under appeal has no result until its 二审 judgment');
    const lost = by.lose + by.partial, judged = by.win + by.lose + by.partial + by.dismissed;
    assert.equal(await count('lost=1'), lost);
    assert.equal(await count('judged=1'), judged);
    assert.equal(Math.round((1000 * lost) / judged) / 10, 50, '败诉率 50.0%');
    assert.equal(await count('first_result=lose'), 1, 'the appealed case keeps its first-instance result');
    // 应诉案件数: every case of the period
    assert.equal(await count('filed_on_from=2026-09-01&filed_on_to=2026-09-30'), 9);
});

test('scope and export/import round trip', async () => {
    const tag = uniq('往返');
    const mine = await sue(c.clerk2, { tag, filed_on: '2026-05-06', served_on: '2026-05-08' });
    const other = await sue(c.office, { tag, defendant_unit_id: u.police.id, instance: 'retrial', filed_on: '2026-05-07', served_on: '2026-05-09' });
    const q = `q=${encodeURIComponent(tag)}`;
    assert.deepEqual(ok(await c.clerk2.get(`${PATH}?${q}`)).items.map((x) => x.id), [mine.id]);
    assertError(await c.clerk2.get(`${PATH}/${other.id}`), 404, 'not_found');
    assert.equal(ok(await c.clerk1.get(`${PATH}?${q}`)).total, 0);
    const xl = await c.office.get(`${PATH}/export.xlsx?${q}&sort=filed_on`);
    assert.equal(xl.status, 200);
    const [head, ...rows] = xlsxRows(xl.buf);
    const obj = rows.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i] ?? ''])));
    assert.deepEqual(obj.map((x) => [x['被告单位'], x['审级']]), [['城关街道', '一审'], ['区公安分局', '再审']]);
    const again = obj.map((x) => ({ court_case_no: `${x['案号']}-2`, court: x['审理法院'], instance: x['审级'], cause: `${x['案由']} 副本`,
        defendant_unit: x['被告单位'], filed_on: x['立案日期'], served_on: x['收到起诉状副本日期'], claim: x['诉讼请求'],
        party_name: '钱立新' })); // the export's 当事人 are masked: the sheet names them anew
    const res = ok(await c.office.post(`${PATH}/import`, { rows: again }), 201);
    assert.equal(res.created, 2);
    const made = ok(await c.office.get(`${PATH}?q=${encodeURIComponent(`${tag} 副本`)}&sort=filed_on`)).items;
    assert.deepEqual(made.map((m) => [m.defendant_unit_name, m.instance, m.filed_on, m.status]),
        [['城关街道', 'first', '2026-05-06', 'filed'], ['区公安分局', 'retrial', '2026-05-07', 'filed']]);
    assert.equal(clock(ok(await c.office.get(`${PATH}/${made[0].id}`)), 'defence').start_on, '2026-05-08');
    // a clerk imports only the own unit's cases
    const r = await c.clerk2.post(`${PATH}/import`, { rows: again });
    assertError(r, 400, 'invalid');
    const hx = await c.office.get(`${HEARINGS}/export.xlsx`);
    assert.equal(hx.status, 200);
});

test('the demo: hearings with and without the head, judgments of every result, cases on appeal and overdue', async () => {
    const hearings = ok(await c.office.get(`${HEARINGS}?per_page=200&held_on_to=${today()}`)).items;
    assert.ok(hearings.some((h) => h.head_appeared) && hearings.some((h) => !h.head_appeared));
    const all = ok(await c.office.get(`${PATH}?per_page=200&filed_on_to=${today()}`)).items;
    for (const r of ['win', 'lose', 'partial', 'dismissed', 'withdrawn', 'mediated'])
        assert.ok(all.some((x) => x.result === r), r);
    for (const s of ['filed', 'answered', 'judged', 'appealed', 'closed']) assert.ok(all.some((x) => x.status === s), s);
    assert.ok(all.some((x) => x.status === 'filed' && x.due_on < today()), 'an overdue defence');
    const menu = ok(await c.clerk2.get('/api/v1/menu'));
    assert.ok(menu.groups.find((g) => g.key === 'cases')?.items.some((i) => i.path === '/litigations' && i.page === 'entity'));
});
