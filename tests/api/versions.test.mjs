// 草案版本 (src/features/entity/entity_versions*.c) on an entity that declares `versions` — the
// 行政复议决定书 drafts of a reconsideration: add, list newest first, read one, the line diff of two
// for the side-by-side view (known texts, counts, line numbers), the limits from the declaration
// (400 in words), a stale record version (409), a record outside the caller's scope (404), no
// permission (403), the audit record in the same transaction; and a refused workflow step recorded
// as <audit_type>.refused — once per user, record, action and reason per minute, changing nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, ok } from './lib.mjs';
import { actors, createTask } from './tasks-lib.mjs';

let srv, c, u;
before(async () => {
    srv = await startServer();
    ({ c, u } = await actors(srv));
});
after(async () => { await srv.stopAndCheck(); });

const PATH = '/api/v1/reconsiderations';

function idNo(seq) {
    const base = `11010119800101${String(100 + (seq % 900)).padStart(3, '0')}`;
    const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const s = [...base].reduce((a, d, i) => a + Number(d) * w[i], 0);
    return base + '10X98765432'[s % 11];
}
let seq = 0;
async function apply() {
    seq++;
    return ok(await c.office.post(PATH, {
        received_on: '2026-09-29', knew_on: '2026-09-01', respondent_unit_id: u.cgjd.id,
        act_type: 'penalty', act: `城关街道作出的行政处罚决定 版本${seq}`, request: '请求撤销该行政处罚决定。',
        parties: [{ role: 'applicant', name: '王建国', id_no: idNo(seq + 300), phone: '13912345678' }],
    }), 201);
}
async function addVersion(who, rec, body) {
    const cur = ok(await c.office.get(`${PATH}/${rec.id}`));
    return who.post(`${PATH}/${rec.id}/versions`, { version: cur.version, ...body });
}
const audit = async (id, action) => ok(await c.auditor.get(
    `/api/v1/audit?object_type=reconsideration&object_id=${id}&per_page=100`)).items.filter((a) => !action || a.action === action);

const V1 = '行政复议决定书\n申请人：王建国\n被申请人：城关街道办事处\n经审理查明，被申请人作出的处罚事实清楚。\n本机关决定：维持。\n';
const V2 = '行政复议决定书\n申请人：王建国\n被申请人：城关街道办事处\n经审理查明，被申请人作出的处罚事实不清、证据不足。\n依据《中华人民共和国行政复议法》第六十四条，\n本机关决定：撤销。\n';

test('the declaration says the record has drafts, with their name and limit', async () => {
    const d = ok(await c.office.get('/api/v1/entities/reconsiderations'));
    assert.deepEqual(d.versions, { label: '决定书草稿', zh: '决定书草稿', en: 'Decision draft', max_chars: 50000 });
    const en = ok(await c.office.get('/api/v1/entities/reconsiderations', { headers: { 'Accept-Language': 'en' } }));
    assert.equal(en.versions.label, 'Decision draft');
    // an entity without drafts says so
    assert.equal(ok(await c.office.get('/api/v1/entities/petitions')).versions, null);
});

test('drafts are added, listed newest first, read one by one, and each one is audited with the record bumped', async () => {
    const r = await apply();
    assert.deepEqual(ok(await c.office.get(`${PATH}/${r.id}/versions`)).items, []);
    const v1 = ok(await addVersion(c.office, r, { title: '初稿', body: V1, note: '承办人起草' }), 201);
    assert.equal(v1.number, 1);
    assert.equal(v1.title, '初稿');
    assert.equal(v1.body, V1.trim());
    assert.equal(v1.chars, [...V1.trim()].length, 'characters, not bytes');
    assert.ok(typeof v1.created_by_name === 'string' && v1.created_by_name.length > 0);
    assert.ok(v1.created_by > 0 && /^\d{4}-\d\d-\d\dT/.test(v1.created_at));
    // the record is changed by a new draft: its version went up
    const after1 = ok(await c.office.get(`${PATH}/${r.id}`));
    assert.equal(after1.version, r.version + 1);
    const v2 = ok(await addVersion(c.office, r, { body: V2, note: '经集体讨论修改' }), 201);
    assert.equal(v2.number, 2);
    assert.equal(v2.title, '');
    const list = ok(await c.office.get(`${PATH}/${r.id}/versions`)).items;
    assert.deepEqual(list.map((v) => v.number), [2, 1]);
    assert.equal(list[0].note, '经集体讨论修改');
    assert.equal(list[1].chars, v1.chars);
    assert.equal(list[0].body, undefined, 'the list carries no bodies');
    const one = ok(await c.office.get(`${PATH}/${r.id}/versions/1`));
    assert.equal(one.body, V1.trim());
    assertError(await c.office.get(`${PATH}/${r.id}/versions/3`), 404, 'not_found');
    assertError(await c.office.get(`${PATH}/${r.id}/versions/0`), 404, 'not_found');
    // the respondent unit's clerk reads the drafts (the record is in its scope) but may not add one
    assert.equal(ok(await c.clerk2.get(`${PATH}/${r.id}/versions`)).items.length, 2);
    assertError(await addVersion(c.clerk2, r, { body: 'x' }), 403, 'forbidden');
    // audited in the same transaction: one record per draft, with its number
    const a = await audit(r.id, 'reconsideration.version');
    assert.deepEqual(a.map((x) => JSON.parse(x.detail).number).sort(), [1, 2]);
    assert.equal(JSON.parse(a.find((x) => JSON.parse(x.detail).number === 2).detail).note, '经集体讨论修改');
    // the timeline shows it, named in words
    const tl = ok(await c.office.get(`${PATH}/${r.id}/timeline`)).items.filter((e) => e.action === 'version');
    assert.equal(tl.length, 2);
    assert.equal(tl[0].action_name, '新增决定书草稿');
    const names = ok(await c.auditor.get('/api/v1/audit/names')).actions;
    assert.equal(names['reconsideration.version'].zh, '新增决定书草稿');
    assert.equal(names['reconsideration.refused'].en, 'Administrative reconsideration: action refused');
});

test('the line diff of two drafts: rows side by side with line numbers and counts', async () => {
    const r = await apply();
    ok(await addVersion(c.office, r, { body: V1 }), 201);
    ok(await addVersion(c.office, r, { body: V2 }), 201);
    const d = ok(await c.office.get(`${PATH}/${r.id}/versions/diff?a=1&b=2`));
    assert.equal(d.a.number, 1);
    assert.equal(d.b.number, 2);
    assert.equal(d.a.body, undefined);
    // alike lines are paired as changes (维持 beside 撤销), the new line between them is added
    assert.deepEqual(d.rows.map((x) => x.op), ['same', 'same', 'same', 'change', 'add', 'change']);
    assert.deepEqual(d.rows[3], {
        op: 'change', left_no: 4, left: '经审理查明，被申请人作出的处罚事实清楚。',
        right_no: 4, right: '经审理查明，被申请人作出的处罚事实不清、证据不足。',
    });
    assert.deepEqual(d.rows[4], { op: 'add', left_no: null, left: null, right_no: 5, right: '依据《中华人民共和国行政复议法》第六十四条，' });
    assert.deepEqual(d.rows[5], { op: 'change', left_no: 5, left: '本机关决定：维持。', right_no: 6, right: '本机关决定：撤销。' });
    assert.deepEqual([d.added, d.removed, d.changed, d.approximate], [1, 0, 2, false]);
    // the other way round: what was added is removed
    const back = ok(await c.office.get(`${PATH}/${r.id}/versions/diff?a=2&b=1`));
    assert.deepEqual([back.added, back.removed, back.changed], [0, 1, 2]);
    assert.equal(back.rows[4].op, 'del');
    assert.equal(back.rows[4].left_no, 5);
    // a version against itself: all the same
    const same = ok(await c.office.get(`${PATH}/${r.id}/versions/diff?a=2&b=2`));
    assert.ok(same.rows.every((x) => x.op === 'same'));
    assert.equal(same.rows.length, 6);
    // a removed line in the middle keeps the numbers of both sides right
    ok(await addVersion(c.office, r, { body: V2.replace('申请人：王建国\n', '') }), 201);
    const del = ok(await c.office.get(`${PATH}/${r.id}/versions/diff?a=2&b=3`));
    assert.deepEqual(del.rows[1], { op: 'del', left_no: 2, left: '申请人：王建国', right_no: null, right: null });
    assert.deepEqual([del.rows[2].left_no, del.rows[2].right_no], [3, 2]);
    // bad or missing parameters, a version that does not exist
    assertError(await c.office.get(`${PATH}/${r.id}/versions/diff?a=1`), 400, 'invalid');
    assertError(await c.office.get(`${PATH}/${r.id}/versions/diff?a=x&b=1`), 400, 'invalid');
    const missing = assertError(await c.office.get(`${PATH}/${r.id}/versions/diff?a=1&b=9`), 404, 'not_found');
    assert.match(missing.message, /第 9 版/);
});

test('limits and errors: body required and bounded, title and note bounded, stale version 409, scope 404', async () => {
    const r = await apply();
    let e = assertError(await addVersion(c.office, r, { body: '' }), 400, 'invalid');
    assert.ok(e.fields.body);
    e = assertError(await addVersion(c.office, r, { body: '   \n ' }), 400, 'invalid');
    assert.ok(e.fields.body, 'only blanks is no text');
    e = assertError(await addVersion(c.office, r, { body: '字'.repeat(50001) }), 400, 'invalid');
    assert.match(e.fields.body, /1–50000/);
    const en = await c.office.post(`${PATH}/${r.id}/versions`, { version: r.version, body: 'x'.repeat(50001) }, { headers: { 'Accept-Language': 'en' } });
    assert.match(assertError(en, 400, 'invalid').fields.body, /Must be 1–50000 characters/);
    e = assertError(await addVersion(c.office, r, { body: 'x', title: '题'.repeat(201) }), 400, 'invalid');
    assert.ok(e.fields.title);
    e = assertError(await addVersion(c.office, r, { body: 'x', note: '注'.repeat(501) }), 400, 'invalid');
    assert.ok(e.fields.note);
    e = assertError(await c.office.post(`${PATH}/${r.id}/versions`, { body: 'x' }), 400, 'invalid');
    assert.ok(e.fields.version, 'the record version read is required');
    assertError(await c.office.post(`${PATH}/${r.id}/versions`, { body: 'x', version: r.version + 5 }), 409, 'stale_version');
    // exactly at the limit is accepted
    const big = ok(await addVersion(c.office, r, { body: '字'.repeat(50000) }), 201);
    assert.equal(big.chars, 50000);
    // nothing of the refused attempts was written
    assert.equal(ok(await c.office.get(`${PATH}/${r.id}/versions`)).items.length, 1);
    assert.equal((await audit(r.id, 'reconsideration.version')).length, 1);
    // another unit's clerk does not see the record, so not its drafts either
    assertError(await c.clerk1.get(`${PATH}/${r.id}/versions`), 404, 'not_found');
    assertError(await c.clerk1.get(`${PATH}/${r.id}/versions/1`), 404, 'not_found');
    assertError(await c.clerk1.get(`${PATH}/${r.id}/versions/diff?a=1&b=1`), 404, 'not_found');
    assertError(await c.office.get(`${PATH}/99999999/versions`), 404, 'not_found');
    assertError(await c.office.post(`${PATH}/99999999/versions`, { body: 'x', version: 1 }), 404, 'not_found');
    // a big pair of unrelated drafts: the diff still answers, bounded
    const lines = (p) => Array.from({ length: 4000 }, (_, i) => `${p}${i}`).join('\n');
    ok(await addVersion(c.office, r, { body: lines('甲') }), 201);
    ok(await addVersion(c.office, r, { body: lines('乙') }), 201);
    const t0 = Date.now();
    const d = ok(await c.office.get(`${PATH}/${r.id}/versions/diff?a=2&b=3`));
    assert.equal(d.changed, 4000);
    assert.ok(Date.now() - t0 < 10000);
});

test('a refused step is audited once per minute per user, record, action and reason, and changes nothing', async () => {
    const r = await apply();
    const cur = ok(await c.office.get(`${PATH}/${r.id}`));
    const decide = () => c.office.post(`${PATH}/${r.id}/actions/decide`, { version: cur.version, decision_type: 'uphold', note: '维持' });
    for (let i = 0; i < 5; i++) assertError(await decide(), 409, 'invalid_transition');
    const same = ok(await c.office.get(`${PATH}/${r.id}`));
    assert.equal(same.version, cur.version, 'the record is unchanged');
    assert.equal(same.status, 'received');
    let refused = await audit(r.id, 'reconsideration.refused');
    assert.equal(refused.length, 1, 'a burst of identical refusals is one record');
    const d = JSON.parse(refused[0].detail);
    assert.equal(d.action, 'decide');
    assert.match(d.message, /当前状态下不能执行/);
    assert.equal(refused[0].result, 'denied');
    assert.equal(refused[0].actor, 'office');
    // another action, another user: their own records
    assertError(await c.office.post(`${PATH}/${r.id}/actions/close`, { version: cur.version }), 409, 'invalid_transition');
    assertError(await c.clerk2.post(`${PATH}/${r.id}/actions/decide`, { version: cur.version, decision_type: 'uphold', note: '维持' }), 409, 'invalid_transition');
    refused = await audit(r.id, 'reconsideration.refused');
    assert.equal(refused.length, 3);
    // no timeline event, no other audit record for the attempts
    const tl = ok(await c.office.get(`${PATH}/${r.id}/timeline`)).items;
    assert.deepEqual(tl.map((e) => e.action), ['create']);
    assert.equal((await audit(r.id)).filter((a) => a.action !== 'reconsideration.refused' && a.action !== 'reconsideration.create').length, 0);
    // the audit chain stays whole
    assert.equal(ok(await c.auditor.get('/api/v1/audit/verify')).ok, true);
});

test('a guard refusal (a major enforcement decision before its legal review) is audited with the guard message', async () => {
    const EPATH = '/api/v1/enforcement-cases';
    const day = (n) => new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);
    const rec = ok(await c.clerk1.post(EPATH, {
        filed_on: day(-60), unit_id: u.sfj.id, case_type: 'penalty', cause: '未按规定公示收费标准（版本测试）', summary: '现场检查属实。',
        officers: [{ name: '周明辉', cert_no: '13010017' }, { name: '吴晓东', cert_no: '晋A0101001' }], major: true,
        parties: [{ role: 'counterpart', name: '某某法律咨询有限公司' }],
    }), 201);
    const step = async (action, body) => {
        const x = ok(await c.office.get(`${EPATH}/${rec.id}`));
        return c.clerk1.post(`${EPATH}/${rec.id}/actions/${action}`, { version: x.version, ...body });
    };
    ok(await step('investigate', { on: day(-58) }));
    ok(await step('notify', { on: day(-50) }));
    const e = assertError(await step('decide', { note: '罚款' }), 409, 'invalid_transition');
    assert.match(e.message, /法制审核/);
    const a = ok(await c.auditor.get(`/api/v1/audit?object_type=enforcement_case&object_id=${rec.id}&per_page=50`)).items
        .filter((x) => x.action.endsWith('.refused'));
    assert.equal(a.length, 1, JSON.stringify(a));
    const d = JSON.parse(a[0].detail);
    assert.equal(d.action, 'decide');
    assert.equal(d.message, '重大执法决定须经法制审核通过后方可作出决定，请先提请法制审核');
    assert.equal(d.message_en, 'A major enforcement decision needs a passed legal review first');
    assert.equal(ok(await c.office.get(`${EPATH}/${rec.id}`)).status, 'notified');
});

test('a batch action refused for one record is audited for that record as <type>.refused', async () => {
    const t = await createTask(c.office, { lead_unit_id: u.sfj.id });
    let j = ok(await c.office.post('/api/v1/tasks/batch', { action: 'issue', ids: [t.id], args: { note: '下发' } }));
    assert.equal(j.ok, 1);
    // issuing it again is refused (already issued): the result says why and the attempt is recorded
    j = ok(await c.office.post('/api/v1/tasks/batch', { action: 'issue', ids: [t.id], args: { note: '下发' } }));
    assert.equal(j.failed, 1);
    assert.equal(j.results[0].code, 'invalid_transition');
    const a = ok(await c.auditor.get(`/api/v1/audit?object_type=task&object_id=${t.id}&per_page=50`)).items
        .filter((x) => x.action === 'task.refused');
    assert.equal(a.length, 1);
    assert.equal(JSON.parse(a[0].detail).action, 'issue');
    assert.equal(JSON.parse(a[0].detail).message, j.results[0].message);
});
