// 年度考核, indicator systems (src/features/assess): decimal weights (2.5 分 in and out, 2.345
// refused, 2.5 in the Excel export), the check and the publish guard giving every problem at once
// in words (weights that do not add up, a leaf without a rule, a bad rule, an unknown metric, a
// metric on a manual leaf), indicators of a published system refused (403 naming the state), a new
// version with its change note and what it changed, publishing it retiring the old one, the
// metric registry, the default system from the template, and the system's sheet exported and
// imported back (all or nothing, per-row messages); the demo's 2025 and 2026 systems.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, ok } from './lib.mjs';
import { actors, xlsxRows } from './tasks-lib.mjs';

let srv, c;
before(async () => {
    srv = await startServer();
    ({ c } = await actors(srv, ['office', 'clerk1', 'leader']));
});
after(async () => { await srv.stopAndCheck(); });

const SYS = '/api/v1/assess-systems';
const IND = '/api/v1/assess-indicators';

async function act(who, id, action, body = {}) {
    const cur = ok(await c.office.get(`${SYS}/${id}`));
    return who.post(`${SYS}/${id}/actions/${action}`, { version: cur.version, ...body });
}
async function indicators(id) {
    return ok(await c.office.get(`${IND}?system_id=${id}&per_page=200`)).items;
}
async function addInd(sys, body) {
    return ok(await c.office.post(IND, { system_id: sys, ...body }), 201);
}
async function putInd(ind, body) {
    const cur = ok(await c.office.get(`${IND}/${ind.id}`));
    const { level, code, name, weight, rule, metric, params, method, evidence, sort_order, parent_id } = cur;
    return c.office.put(`${IND}/${ind.id}`, { level, code, name, weight, rule: rule ?? undefined, metric, params, method,
        evidence, sort_order, parent_id: parent_id ?? undefined, ...body, version: cur.version });
}

/** A small system: total 10 = area 1 (6: 1.1 ratio 3.5 + 1.2 deduct 2.5) + area 2 (4: manual). */
async function smallSystem(year, name = `测试指标体系 ${year}`) {
    const sys = ok(await c.office.post(SYS, { year, name, total_points: 10 }), 201);
    const a1 = await addInd(sys.id, { level: 1, code: '1', name: '依法行政制度体系', weight: 6, sort_order: 1 });
    const l11 = await addInd(sys.id, { level: 2, code: '1.1', parent_id: a1.id, name: '规范性文件审核率', weight: 3.5,
        rule: 'ratio', metric: 'normdocs.reviewed_rate', params: 'linear 80:0 100:100', sort_order: 2 });
    const l12 = await addInd(sys.id, { level: 2, code: '1.2', parent_id: a1.id, name: '复议被撤销', weight: 2.5,
        rule: 'deduct', metric: 'reconsiderations.revoked', params: 'per=2 cap=2.5', sort_order: 3 });
    const a2 = await addInd(sys.id, { level: 1, code: '2', name: '组织保障', weight: 4, rule: 'manual', sort_order: 4,
        evidence: '会议纪要' });
    return { sys, a1, l11, l12, a2 };
}

test('decimal weights: 2.5 in and out, at most two places (2.345 → 400 with the message), the declaration says decimals', async () => {
    const sys = ok(await c.office.post(SYS, { year: 2031, name: '小数测试', total_points: 100.5 }), 201);
    assert.equal(sys.total_points, 100.5, 'the total answered as a number of 分');
    const bad = await c.office.post(IND, { system_id: sys.id, level: 1, code: '1', name: '甲', weight: 2.345 });
    assertError(bad, 400, 'invalid');
    assert.match(bad.json.error.fields.weight, /最多 2 位小数/);
    assertError(await c.office.post(IND, { system_id: sys.id, level: 1, code: '1', name: '甲', weight: '2.5' }), 400, 'invalid');
    assertError(await c.office.post(IND, { system_id: sys.id, level: 1, code: '1', name: '甲', weight: 1000.01 }), 400, 'invalid');
    const made = await addInd(sys.id, { level: 1, code: '1', name: '甲', weight: 2.5 });
    assert.equal(made.weight, 2.5);
    assert.equal(ok(await c.office.get(`${IND}/${made.id}`)).weight, 2.5);
    const whole = await addInd(sys.id, { level: 1, code: '2', name: '乙', weight: 15 });
    assert.equal(whole.weight, 15);
    const trailing = await addInd(sys.id, { level: 1, code: '3', name: '丙', weight: 0.1 });
    assert.equal(trailing.weight, 0.1);
    const decl = ok(await c.office.get('/api/v1/entities/assess_indicators'));
    const w = decl.fields.find((f) => f.name === 'weight');
    assert.equal(w.decimals, 2);
    assert.equal(w.min, 0);
    assert.equal(w.max, 1000);
    // the Excel export writes the number
    const x = await c.office.get(`${IND}/export.xlsx?system_id=${sys.id}`);
    assert.equal(x.status, 200);
    const rows = xlsxRows(x.buf);
    const col = rows[0].indexOf('分值');
    assert.ok(col >= 0, rows[0].join(','));
    assert.deepEqual(rows.slice(1).map((r) => r[col]).sort(), ['0.1', '15', '2.5']);
});

test('check and publish: every problem at once in words; fixed, then published; edits refused after', async () => {
    const { sys, l11, l12, a2 } = await smallSystem(2032);
    assert.deepEqual(ok(await c.office.get(`${SYS}/${sys.id}/check`)).problems, [], 'the small system is sound');
    // break it four ways
    ok(await putInd(l11, { weight: 3 }));
    ok(await putInd(l12, { params: 'per=2 cap=5' }));
    ok(await putInd(a2, { metric: 'normdocs.reviewed_rate' }));
    const x = await addInd(sys.id, { level: 2, code: '2.1', parent_id: a2.id, name: '无规则', weight: 4 });
    const chk = ok(await c.office.get(`${SYS}/${sys.id}/check`));
    assert.equal(chk.ok, false);
    const msgs = chk.problems.map((p) => p.message);
    assert.ok(msgs.includes('一级指标 1 的下级分值合计 5.5，应为 6'), msgs.join('\n'));
    assert.ok(msgs.some((m) => m.startsWith('指标 1.2 的计分规则有误：扣分封顶不能超过该项分值')), msgs.join('\n'));
    assert.ok(msgs.includes('指标 2 有下级指标，不设计分规则（由末级指标计分）'), msgs.join('\n'));
    assert.ok(msgs.includes('末级指标 2.1 没有计分规则'), msgs.join('\n'));
    assert.ok(msgs.includes('一级指标分值合计 9.5，应为总分 10') === false, 'first level is 6 + 4 = 10');
    const refused = await act(c.office, sys.id, 'publish');
    assertError(refused, 409, 'invalid_transition');
    for (const m of msgs) assert.ok(refused.json.error.message.includes(m), `the refusal names: ${m}`);
    assert.equal(ok(await c.office.get(`${SYS}/${sys.id}`)).status, 'draft', 'nothing changed');
    // an unknown metric and a metric on a manual leaf
    ok(await c.office.del(`${IND}/${x.id}?version=${x.version}`));
    ok(await putInd(a2, { rule: 'manual', metric: 'nosuch.metric' }));
    const m2 = ok(await c.office.get(`${SYS}/${sys.id}/check`)).problems.map((p) => p.message);
    assert.ok(m2.includes('指标 2 的计分规则（人工评分）不使用数据指标，请清空“nosuch.metric”'), m2.join('\n'));
    ok(await putInd(a2, { rule: 'ratio', metric: 'nosuch.metric', params: 'linear 0:0 100:100' }));
    const m3 = ok(await c.office.get(`${SYS}/${sys.id}/check`)).problems.map((p) => p.message);
    assert.ok(m3.includes('指标 2 的数据指标 nosuch.metric 不存在'), m3.join('\n'));
    // a bonus counted from a metric names its points per event
    const bonus = await addInd(sys.id, { level: 2, code: '1.3', parent_id: l11.parent_id, name: '示范创建', weight: 0, rule: 'bonus',
        metric: 'reconsiderations.revoked', params: 'cap=2', sort_order: 9 });
    const m4 = ok(await c.office.get(`${SYS}/${sys.id}/check`)).problems.map((p) => p.message);
    assert.ok(m4.includes('指标 1.3 按数据指标加分，须给出 per=（每项加分）'), m4.join('\n'));
    ok(await putInd(bonus, { params: 'per=1 cap=2' }));
    // fixed
    ok(await putInd(a2, { rule: 'manual', metric: '', params: '' }));
    ok(await putInd(l11, { weight: 3.5 }));
    ok(await putInd(l12, { params: 'per=2 cap=2.5' }));
    assert.deepEqual(ok(await c.office.get(`${SYS}/${sys.id}/check`)), { ok: true, problems: [] });
    assertError(await act(c.clerk1, sys.id, 'publish'), 409, 'invalid_transition');
    const pub = ok(await act(c.office, sys.id, 'publish'));
    assert.equal(pub.status, 'published');
    assert.ok(pub.published_at);
    // a published system and its indicators do not change
    const put = await putInd(l11, { weight: 3 });
    assertError(put, 403, 'forbidden');
    assert.match(put.json.error.message, /已发布/);
    const add = await c.office.post(IND, { system_id: sys.id, level: 1, code: '3', name: '新增', weight: 1, rule: 'manual' });
    assertError(add, 403, 'forbidden');
    assert.match(add.json.error.message, /已发布/);
    const cur = ok(await c.office.get(`${IND}/${l12.id}`));
    assertError(await c.office.del(`${IND}/${l12.id}?version=${cur.version}`), 403, 'forbidden');
    const s = ok(await c.office.get(`${SYS}/${sys.id}`));
    const ps = await c.office.put(`${SYS}/${sys.id}`, { year: s.year, name: '改名', total_points: 10, version: s.version });
    assertError(ps, 403, 'forbidden');
    assert.match(ps.json.error.message, /已发布/);
    assertError(await c.office.del(`${SYS}/${sys.id}?version=${s.version}`), 403, 'forbidden');
});

test('new version: the change note required, a draft copy, what it changed; publishing it retires the old one', async () => {
    const { sys } = await smallSystem(2033);
    ok(await act(c.office, sys.id, 'publish'));
    assertError(await act(c.office, sys.id, 'new_version', {}), 400, 'invalid');
    const after = ok(await act(c.office, sys.id, 'new_version', { change_note: '1.1 与 1.2 分值调整' }));
    assert.equal(after.status, 'published', 'the old one stays published until the new one is');
    const drafts = ok(await c.office.get(`${SYS}?based_on_id=${sys.id}`)).items;
    assert.equal(drafts.length, 1);
    const v2 = drafts[0];
    assert.equal(v2.status, 'draft');
    assert.equal(v2.version_no, 2);
    assert.equal(v2.change_note, '1.1 与 1.2 分值调整');
    assertError(await act(c.office, sys.id, 'new_version', { change_note: '再来一版' }), 409, 'invalid_transition');
    const ind = await indicators(v2.id);
    assert.equal(ind.length, 4, 'the indicators copied');
    const by = Object.fromEntries(ind.map((x) => [x.code, x]));
    assert.equal(by['1.1'].parent_id, by['1'].id, 'the tree copied with its own ids');
    // one weight moved between two leaves, one leaf added, one removed
    ok(await putInd(by['1.1'], { weight: 3 }));
    ok(await putInd(by['1.2'], { weight: 3, params: 'per=1 cap=3' }));
    ok(await c.office.del(`${IND}/${by['2'].id}?version=${by['2'].version}`));
    await addInd(v2.id, { level: 1, code: '3', name: '数字法治', weight: 4, rule: 'manual', sort_order: 5 });
    const ch = ok(await c.office.get(`${SYS}/${v2.id}/changes`));
    assert.equal(ch.based_on_id, sys.id);
    assert.equal(ch.based_on_version, 1);
    assert.deepEqual(ch.added.map((x) => [x.code, x.weight]), [['3', 4]]);
    assert.deepEqual(ch.removed.map((x) => [x.code, x.weight]), [['2', 4]]);
    const changed = Object.fromEntries(ch.changed.map((x) => [x.code, x.fields]));
    assert.deepEqual(changed['1.1'], [{ field: 'weight', old: 3.5, new: 3 }]);
    assert.deepEqual(changed['1.2'], [{ field: 'weight', old: 2.5, new: 3 }, { field: 'params', old: 'per=2 cap=2.5', new: 'per=1 cap=3' }]);
    const none = ok(await c.office.get(`${SYS}/${sys.id}/changes`));
    assert.deepEqual([none.based_on_id, none.added, none.removed, none.changed], [null, [], [], []]);
    ok(await act(c.office, v2.id, 'publish'));
    assert.equal(ok(await c.office.get(`${SYS}/${v2.id}`)).status, 'published');
    assert.equal(ok(await c.office.get(`${SYS}/${sys.id}`)).status, 'retired', 'the old version of the year retired');
    const tl = ok(await c.office.get(`${SYS}/${sys.id}/timeline`));
    assert.ok(tl.items.some((e) => e.action === 'retire'), 'the retirement is on the old one\'s timeline');
});

test('the metric registry: every entity metric as <entity>.<metric> with names, type and hint', async () => {
    const items = ok(await c.leader.get('/api/v1/assess/metrics')).items;
    const by = Object.fromEntries(items.map((x) => [x.code, x]));
    for (const code of ['reconsiderations.revoked', 'reconsiderations.changed', 'normdocs.reviewed_rate',
        'litigation_hearings.head_appearance_rate', 'shufa_reports.avg_score', 'petitions.on_time', 'mediations.success_rate'])
        assert.ok(by[code], code);
    assert.equal(by['normdocs.reviewed_rate'].type, 'rate');
    assert.equal(by['shufa_reports.avg_score'].type, 'avg');
    assert.equal(by['reconsiderations.revoked'].type, 'count');
    assert.equal(by['reconsiderations.revoked'].entity, 'reconsiderations');
    assert.ok(by['normdocs.reviewed_rate'].entity_title && by['normdocs.reviewed_rate'].zh);
    for (const x of items) assert.equal(x.code, `${x.entity}.${x.metric}`);
    assertError(await srv.client().get('/api/v1/assess/metrics'), 401, 'unauthenticated');
});

test('the default system: nine areas, 100 分, 100+ leaves of every rule type, sound (check passes)', async () => {
    const sys = ok(await c.office.post(`${SYS}/default`, { year: 2034 }), 201);
    assert.equal(sys.status, 'draft');
    assert.equal(sys.total_points, 100);
    assert.match(sys.name, /2034年度法治政府建设考核指标体系/);
    const ind = await indicators(sys.id);
    const lv = (n) => ind.filter((x) => x.level === n);
    assert.equal(lv(1).length, 9);
    assert.ok(lv(2).length >= 30 && lv(2).length <= 40, `${lv(2).length} second-level`);
    assert.ok(lv(3).length >= 100, `${lv(3).length} leaves`);
    assert.equal(lv(1).reduce((s, x) => s + x.weight * 100, 0), 10000);
    assert.deepEqual([...new Set(lv(3).map((x) => x.rule))].sort(), ['bonus', 'deduct', 'manual', 'ratio', 'threshold', 'veto']);
    const names = lv(1).map((x) => x.name).join('|');
    for (const a of ['依法全面履行政府职能', '重大行政决策', '行政执法', '突发事件', '社会矛盾纠纷', '行政权力制约和监督', '数字法治政府'])
        assert.ok(names.includes(a) || names.includes(a.replace('重大行政决策', '行政决策')), a);
    const revoked = ind.find((x) => x.metric === 'reconsiderations.revoked');
    assert.equal(revoked.rule, 'deduct');
    assert.match(revoked.params, /per=2/);
    assert.ok(ind.some((x) => x.rule === 'bonus' && /示范创建/.test(x.name) && /cap=/.test(x.params)));
    assert.ok(ind.some((x) => x.rule === 'veto' && /重大违法行政决策/.test(x.name)));
    assert.ok(ind.filter((x) => x.rule === 'manual').every((x) => x.evidence), 'manual leaves name their evidence');
    assert.deepEqual(ok(await c.office.get(`${SYS}/${sys.id}/check`)).problems, []);
    assertError(await c.leader.post(`${SYS}/default`, { year: 2034 }), 403, 'forbidden');
});

test('the system as one sheet: exported, imported back as a new draft equal to it; bad rows refused with their messages, nothing made', async () => {
    const sys = ok(await c.office.post(`${SYS}/default`, { year: 2035 }), 201);
    const x = await c.office.get(`${SYS}/${sys.id}/export.xlsx`);
    assert.equal(x.status, 200);
    const rows = xlsxRows(x.buf);
    assert.deepEqual(rows[0], ['编号', '层级', '上级编号', '指标名称', '分值', '计分规则', '数据指标', '规则参数', '评分标准', '佐证材料']);
    const keys = ['code', 'level', 'parent_code', 'name', 'weight', 'rule', 'metric', 'params', 'method', 'evidence'];
    const body = rows.slice(1).map((r) => Object.fromEntries(keys.map((k, i) => [k, r[i] ?? ''])));
    const orig = await indicators(sys.id);
    assert.equal(body.length, orig.length);
    assert.ok(body.some((r) => r.weight === '0.5'), 'decimal weights exported as numbers');
    const before = ok(await c.office.get(`${SYS}?year=2036`)).total;
    // bad: a parent that is not there, a bad level, weights that no longer add up
    const bad = body.map((r) => ({ ...r }));
    bad[2].parent_code = '99';
    bad[3].level = '4';
    bad[5].weight = String(Number(bad[5].weight) + 1);
    const refused = await c.office.post(`${SYS}/import`, { year: 2036, name: '导入测试', rows: bad });
    assertError(refused, 400, 'invalid');
    const errs = refused.json.error.fields.rows;
    assert.ok(errs.some((e) => e.row === 4 && /上级编号 99 不存在/.test(e.message)), JSON.stringify(errs));
    assert.ok(errs.some((e) => e.row === 5 && /层级/.test(e.message)), JSON.stringify(errs));
    assert.equal(ok(await c.office.get(`${SYS}?year=2036`)).total, before, 'nothing made');
    const sums = await c.office.post(`${SYS}/import`, { year: 2036, name: '导入测试', rows: body.map((r, i) => (i === 5 ? { ...r, weight: String(Number(r.weight) + 1) } : r)) });
    assertError(sums, 400, 'invalid');
    assert.ok(sums.json.error.fields.rows.some((e) => /下级分值合计/.test(e.message)), JSON.stringify(sums.json.error.fields.rows));
    assert.equal(ok(await c.office.get(`${SYS}?year=2036`)).total, before, 'nothing made');
    // the round trip
    const made = ok(await c.office.post(`${SYS}/import`, { year: 2036, name: '导入测试', rows: body }), 201);
    assert.equal(made.status, 'draft');
    const back = await indicators(made.id);
    const norm = (list) => {
        const code = Object.fromEntries(list.map((i) => [i.id, i.code]));
        return list.map((i) => [i.code, i.level, i.parent_id ? code[i.parent_id] : '', i.name, i.weight, i.rule, i.metric, i.params, i.method, i.evidence])
            .sort((p, q) => (p[0] < q[0] ? -1 : 1));
    };
    assert.deepEqual(norm(back), norm(orig));
    assert.deepEqual(ok(await c.office.get(`${SYS}/${made.id}/check`)).problems, []);
    // replacing a draft's indicators; a published system's refused
    const small = body.filter((r) => r.code === '1' || r.code.startsWith('1.'));
    const cur = ok(await c.office.get(`${SYS}/${made.id}`));
    const r2 = await c.office.post(`${SYS}/${made.id}/import`, { rows: small, version: cur.version });
    assertError(r2, 400, 'invalid');
    assert.ok(r2.json.error.fields.rows.some((e) => /一级指标分值合计 10，应为总分 100/.test(e.message)), JSON.stringify(r2.json.error.fields.rows));
    assert.equal((await indicators(made.id)).length, orig.length, 'unchanged');
    ok(await c.office.post(`${SYS}/${made.id}/import`, { rows: body, version: cur.version }));
    ok(await act(c.office, made.id, 'publish'));
    const pub = ok(await c.office.get(`${SYS}/${made.id}`));
    assertError(await c.office.post(`${SYS}/${made.id}/import`, { rows: body, version: pub.version }), 403, 'forbidden');
});

test('the demo: 2025 and 2026 from the template, published; 2026 version 2 with a change note, version 1 retired', async () => {
    const list = ok(await c.leader.get(`${SYS}?per_page=100`)).items;
    const y = (year) => list.filter((s) => s.year === year);
    const year = Math.max(...list.filter((s) => s.year < 2030).map((s) => s.year));
    assert.deepEqual(y(year - 1).map((s) => s.status), ['published']);
    const cur = y(year).sort((a, b) => a.version_no - b.version_no);
    assert.deepEqual(cur.map((s) => [s.version_no, s.status]), [[1, 'retired'], [2, 'published']]);
    const v2 = ok(await c.leader.get(`${SYS}/${cur[1].id}`));
    assert.ok(v2.change_note);
    const ch = ok(await c.leader.get(`${SYS}/${v2.id}/changes`));
    assert.deepEqual(ch.changed.map((x) => x.fields.find((f) => f.field === 'weight')).map((f) => [f.old, f.new]), [[1.5, 1], [0.5, 1]]);
});
