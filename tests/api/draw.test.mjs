// 双随机一公开 (src/features/draw, docs/draw.md): the directories (inspectors with their declared
// conflicts, inspectable objects with risk grades, their Excel templates and imports) and the
// verifiable draws — a commitment published before the random value, the value entered once, the
// result recomputed equal by the API, by `fazhi draw verify` and by tools/draw-verify.py, a redraw
// that keeps the old draw, the refusals (too few eligible inspectors, a ratio out of range, a
// value twice), recusal (own unit, declared conflicts) and who may do what (a clerk: 403).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { startServer, assertError, ok, uniq, fazhi, ROOT } from './lib.mjs';
import { actors, xlsxRows } from './tasks-lib.mjs';

let srv, c, u;
before(async () => {
    srv = await startServer();
    ({ c, u } = await actors(srv));
    await directory();
});
after(async () => { await srv.stopAndCheck(); });

const SCRIPT = resolve(ROOT, 'tools/draw-verify.py');
const python = spawnSync('python3', ['--version']);
const HAS_PYTHON = python.status === 0;

async function inspector(body) {
    return ok(await c.office.post('/api/v1/inspectors', { category: 'other', active: true, ...body }), 201);
}
async function object(body) {
    return ok(await c.office.post('/api/v1/inspect-objects', { object_type: 'market', domain: 'other',
        risk: 'B', active: true, ...body }), 201);
}
async function draw(body = {}) {
    return c.office.post('/api/v1/draws', { title: uniq('专项督察抽查'), obj_domain: 'other',
        sample_mode: 'count', sample_a: 0, sample_b: 0, sample_c: 0, sample_d: 0, insp_category: 'other',
        source_kind: 'witness', source: '公证员现场报出的五位数', ...body });
}
const published = async (d) => ok(await c.office.get(`/api/v1/draws/${d.id}/published`));

// The test's own statement of recusal over a published document.
function respectsRecusal(pub) {
    const ins = new Map(pub.inputs.inspectors.map((p) => [p.id, p]));
    const obj = new Map(pub.inputs.objects.map((o) => [o.id, o]));
    const conf = new Set(pub.inputs.conflicts.map((x) => `${x.inspector_id}:${x.kind}:${x.id}`));
    for (const r of pub.result) {
        const o = obj.get(r.object_id);
        assert.ok(o, `drawn object ${r.object_id} is a candidate`);
        assert.equal(new Set(r.inspector_ids).size, r.inspector_ids.length, 'distinct inspectors');
        assert.ok(r.inspector_ids.length >= 2, 'at least 2 inspectors');
        for (const id of r.inspector_ids) {
            const p = ins.get(id);
            assert.ok(p, `inspector ${id} is a candidate`);
            assert.ok(!(o.unit_id && p.unit_id === o.unit_id), `inspector ${id} never checks their own unit`);
            assert.ok(!conf.has(`${id}:object:${o.id}`), `inspector ${id} declared a conflict with object ${o.id}`);
            assert.ok(!(o.unit_id && conf.has(`${id}:unit:${o.unit_id}`)), `inspector ${id} declared a conflict with unit ${o.unit_id}`);
        }
    }
}

// One district directory for the draws below: objects of domain 其他 in two units, inspectors of
// category 其他 (the demo has none of either), one in unit A, one with a conflict.
let dir;
async function directory() {
    const tag = uniq('D');
    const A = u.finance, B = u.cgjd;
    const objs = [];
    for (let i = 0; i < 6; i++) objs.push(await object({ name: `${tag} 市场主体${i}`, unit_id: i < 3 ? A.id : B.id, risk: i % 2 ? 'C' : 'B' }));
    const own = await inspector({ name: `${tag} 本单位`, unit_id: A.id });
    const conflicted = await inspector({ name: `${tag} 申报回避`, employer: '某律师事务所' });
    const free = [];
    for (let i = 0; i < 3; i++) free.push(await inspector({ name: `${tag} 专家${i}`, employer: '某高校' }));
    // conflicted: with object 0 and with unit B
    ok(await c.office.post('/api/v1/inspector-conflicts', { inspector_id: conflicted.id, object_id: objs[0].id,
        reason: '近亲属在该企业任职', declared_on: '2026-11-02' }), 201);
    ok(await c.office.post('/api/v1/inspector-conflicts', { inspector_id: conflicted.id, unit_id: B.id,
        reason: '曾在该单位任职未满三年', declared_on: '2026-11-02' }), 201);
    dir = { tag, A, B, objs, own, conflicted, free };
}

test('conflicts: a child of the inspector, a unit or an object (one of them), clerks cannot read them', async () => {
    const list = ok(await c.office.get(`/api/v1/inspector-conflicts?inspector_id=${dir.conflicted.id}`));
    assert.equal(list.total, 2);
    assert.ok(list.items.some((x) => x.object_name === dir.objs[0].name));
    assert.ok(list.items.some((x) => x.unit_name === dir.B.name));
    const both = assertError(await c.office.post('/api/v1/inspector-conflicts', { inspector_id: dir.own.id,
        unit_id: dir.B.id, object_id: dir.objs[4].id, reason: '两者都填', declared_on: '2026-11-02' }), 400, 'invalid');
    assert.match(both.fields.object_id || both.fields.unit_id, /二选一/);
    assertError(await c.office.post('/api/v1/inspector-conflicts', { inspector_id: dir.own.id,
        reason: '都不填', declared_on: '2026-11-02' }), 400, 'invalid');
    const decl = ok(await c.office.get('/api/v1/entities/inspectors'));
    assert.ok(JSON.stringify(decl.children).includes('inspector_conflicts'), 'shown on the inspector\'s record page');
    assertError(await c.clerk1.get('/api/v1/inspector-conflicts'), 403, 'forbidden');
    assertError(await c.inspector.post('/api/v1/inspector-conflicts', { inspector_id: dir.own.id,
        unit_id: dir.B.id, reason: '督察员不能录入', declared_on: '2026-11-02' }), 403, 'forbidden');
});

test('a draw: the commitment is published before the value, the value once, recusal and the result verified three ways', async () => {
    const d = ok(await draw({ sample_b: 2, sample_c: 1, per_object: 2 }), 201);
    assert.match(d.draw_no, /^CQ\d{4}-\d{6}$/);
    assert.equal(d.status, 'committed');
    assert.match(d.commitment, /^[0-9a-f]{64}$/);
    assert.equal(d.n_objects, 6);
    assert.equal(d.n_drawn, 3);
    let pub = await published(d);
    assert.equal(pub.commitment, d.commitment);
    assert.equal(pub.value, null, 'no value yet');
    assert.equal(pub.result, null, 'no result before the value');
    assert.deepEqual(pub.inputs.objects.map((o) => o.id), dir.objs.map((o) => o.id), 'the frozen objects, sorted by id');
    assert.deepEqual(pub.inputs.inspectors.map((p) => p.id),
        [dir.own, dir.conflicted, ...dir.free].map((p) => p.id), 'the frozen inspectors, sorted by id');
    assert.equal(pub.inputs.conflicts.length, 2, 'the conflicts are committed inputs');
    assert.equal(pub.inputs.recusal, 'own-unit,declared-conflicts');
    assert.equal(pub.inputs.algorithm, 'fazhi-draw/1');
    assert.deepEqual(pub.inputs.samples.map((s) => s.count), [0, 2, 1, 0]);
    const before = ok(await c.office.get(`/api/v1/draws/${d.id}/verify`));
    assert.equal(before.match, true);
    assert.equal(before.drawn, false);
    const cliBefore = await fazhi(['draw', 'verify', String(d.id), '--data-dir', srv.dir]);
    assert.equal(cliBefore.code, 0, cliBefore.stderr);
    assert.match(cliBefore.stdout, new RegExp(`commitment ${d.commitment}`));

    // the value: once, by a named witness
    assertError(await c.office.post(`/api/v1/draws/${d.id}/value`, { witness: '', value: '1' }), 400, 'invalid');
    const drawn = ok(await c.office.post(`/api/v1/draws/${d.id}/value`, { witness: '区公证处 公证员李明', value: '40917' }));
    assert.equal(drawn.status, 'drawn');
    assert.equal(drawn.witness, '区公证处 公证员李明');
    assert.equal(drawn.random_value, '40917');
    assert.match(drawn.seed, /^[0-9a-f]{64}$/);
    assert.ok(drawn.value_at);
    const twice = assertError(await c.office.post(`/api/v1/draws/${d.id}/value`, { witness: '另一人', value: '11111' }), 409, 'conflict');
    assert.match(twice.message, /已录入/);
    pub = await published(d);
    assert.equal(pub.value.value, '40917');
    assert.equal(pub.result.length, 3);
    respectsRecusal(pub);
    // object 0 (unit A): not `own` (unit A), not `conflicted` (declared): the two others are free ones
    for (const r of pub.result) {
        if (r.object_id === dir.objs[0].id) {
            assert.ok(!r.inspector_ids.includes(dir.own.id) && !r.inspector_ids.includes(dir.conflicted.id));
        }
        const o = dir.objs.find((x) => x.id === r.object_id);
        if (o.unit_id === dir.B.id) assert.ok(!r.inspector_ids.includes(dir.conflicted.id), 'unit conflict');
        if (o.unit_id === dir.A.id) assert.ok(!r.inspector_ids.includes(dir.own.id), 'own unit');
    }
    const lines = pub.result.map((r) => `${r.object_id}\t${r.inspector_ids.join(',')}`);

    // the API's recomputation
    const v = ok(await c.inspector.get(`/api/v1/draws/${d.id}/verify`));
    assert.equal(v.match, true);
    assert.equal(v.seed, pub.seed);
    assert.deepEqual(v.result, lines);
    // fazhi draw verify
    const cli = await fazhi(['draw', 'verify', String(d.id), '--data-dir', srv.dir]);
    assert.equal(cli.code, 0, cli.stderr + cli.stdout);
    const expected = [`commitment ${d.commitment}`, `seed ${pub.seed}`, ...lines, 'match'].join('\n') + '\n';
    assert.equal(cli.stdout, expected);
    // the stand-alone script on the published JSON (python3: scripts/install-deps installs it)
    assert.ok(HAS_PYTHON, 'python3 runs tools/draw-verify.py: run scripts/install-deps');
    {
        const py = spawnSync('python3', [SCRIPT, '-'], { input: JSON.stringify(pub), encoding: 'utf8' });
        assert.equal(py.status, 0, py.stderr + py.stdout);
        assert.equal(py.stdout, expected, 'the script prints what fazhi draw verify prints');
        // a changed input is caught by both the script and the commitment
        const bad = structuredClone(pub);
        bad.inputs.inspectors[0].name += '改';
        const pyBad = spawnSync('python3', [SCRIPT, '-'], { input: JSON.stringify(bad), encoding: 'utf8' });
        assert.equal(pyBad.status, 1);
        assert.match(pyBad.stdout, /MISMATCH/);
    }
    // an unknown draw
    assert.equal((await fazhi(['draw', 'verify', '999999', '--data-dir', srv.dir])).code, 1);
    assertError(await c.office.get('/api/v1/draws/999999/published'), 404, 'not_found');
});

test('a redraw needs a reason, supersedes the old draw and keeps it with its result', async () => {
    const d = ok(await draw({ sample_b: 1, per_object: 2 }), 201);
    ok(await c.office.post(`/api/v1/draws/${d.id}/value`, { witness: '监督员王芳', value: '7' }));
    const oldPub = await published(d);
    assertError(await c.office.post(`/api/v1/draws/${d.id}/redraw`, {}), 400, 'invalid');
    const n = ok(await c.office.post(`/api/v1/draws/${d.id}/redraw`, { reason: '抽中对象已注销，名录更新后重抽',
        source_kind: 'public', source: '中国福利彩票3D第2026321期开奖号码（2026-12-03）' }), 201);
    assert.equal(n.status, 'committed');
    assert.equal(n.supersedes_id, d.id);
    assert.notEqual(n.commitment, d.commitment);
    assert.equal(n.source_kind, 'public');
    const old = ok(await c.office.get(`/api/v1/draws/${d.id}`));
    assert.equal(old.status, 'superseded');
    assert.equal(old.superseded_by, n.id);
    assert.equal(old.superseded_reason, '抽中对象已注销，名录更新后重抽');
    const oldNow = await published(d);
    assert.deepEqual(oldNow.result, oldPub.result, 'the old result stays visible');
    assert.equal(oldNow.superseded_by.reason, '抽中对象已注销，名录更新后重抽');
    const newPub = await published(n);
    assert.equal(newPub.inputs.supersedes, d.commitment, 'the new commitment names the old one');
    assert.equal(newPub.supersedes.id, d.id);
    // the superseded draw takes no more steps; it still verifies
    assertError(await c.office.post(`/api/v1/draws/${d.id}/redraw`, { reason: '再重抽一次试试' }), 409, 'conflict');
    assertError(await c.office.post(`/api/v1/draws/${d.id}/value`, { witness: 'x', value: '1' }), 409, 'conflict');
    assert.equal(ok(await c.office.get(`/api/v1/draws/${d.id}/verify`)).match, true);
    // never deleted: no DELETE route
    const del = await c.office.del(`/api/v1/draws/${d.id}`, { unchecked: 'a route that does not exist' });
    assert.ok([404, 405].includes(del.status), `DELETE answers ${del.status}`);
    // the audit log has every step
    const audit = ok(await c.auditor.get(`/api/v1/audit?object_type=draw&per_page=50`, { unchecked: 'the audit list is not this test\'s contract' }));
    const actions = new Set((audit.items || []).filter((x) => [String(d.id), String(n.id)].includes(String(x.object_id))).map((x) => x.action));
    for (const a of ['draw.create', 'draw.value', 'draw.supersede', 'draw.redraw']) assert.ok(actions.has(a), `audited ${a}: ${[...actions]}`);
});

test('refusals: too few eligible inspectors (before any value), a ratio out of range, nothing to draw', async () => {
    // 5 inspectors of 其他; an object of unit A has 4 eligible (own excluded), of unit B 3
    // (conflicted excluded) — 4 per object is refused, naming the object
    const e = assertError(await draw({ sample_b: 1, per_object: 4 }), 400, 'invalid');
    assert.match(e.fields.per_object, /回避后只有 3 名可选检查人员，少于每个对象 4 名/);
    const one = assertError(await draw({ sample_b: 1, per_object: 1 }), 400, 'invalid');
    assert.ok(one.fields.per_object);
    const ratio = assertError(await draw({ sample_mode: 'ratio', sample_b: 150 }), 400, 'invalid');
    assert.match(ratio.fields.sample_b, /0–100/);
    const count = assertError(await draw({ sample_b: 4 }), 400, 'invalid');
    assert.match(count.fields.sample_b, /只有 3 个候选对象/);
    assertError(await draw({}), 400, 'invalid');
    assertError(await draw({ obj_unit_id: u.police.id, sample_b: 1 }), 400, 'invalid');
    // risk-graded ratios from the settings: 5 % of 3 grade-B objects rounds up to 1, 10 % of 3 C to 1
    const r = ok(await draw({ sample_mode: 'ratio', sample_a: undefined, sample_b: undefined, sample_c: undefined, sample_d: undefined }), 201);
    const pub = await published(r);
    assert.deepEqual(pub.inputs.samples.map((s) => [s.grade, s.ratio, s.count]), [['A', 3, 0], ['B', 5, 1], ['C', 10, 1], ['D', 20, 0]]);
    // the minimum per object is a setting that cannot go below 2
    const s = await c.sysadmin.put('/api/v1/settings/draw.min_inspectors', { value: '1' }, { unchecked: 'settings answers are the settings module\'s' });
    assert.equal(s.status, 400);
});

test('who may: the office draws; inspectors and leaders read; a clerk sees none of it', async () => {
    const d = ok(await draw({ sample_c: 1 }), 201);
    ok(await c.leader.get(`/api/v1/draws/${d.id}`));
    ok(await c.inspector.get(`/api/v1/draws/${d.id}/published`));
    assertError(await c.inspector.post('/api/v1/draws', { title: 'x' }), 403, 'forbidden');
    assertError(await c.inspector.post(`/api/v1/draws/${d.id}/value`, { witness: 'x', value: '1' }), 403, 'forbidden');
    assertError(await c.clerk1.get('/api/v1/draws'), 403, 'forbidden');
    assertError(await c.clerk1.get(`/api/v1/draws/${d.id}/published`), 403, 'forbidden');
    assertError(await c.clerk1.get(`/api/v1/draws/${d.id}/verify`), 403, 'forbidden');
    assertError(await c.clerk1.post(`/api/v1/draws/${d.id}/redraw`, { reason: '书记员不能重抽' }), 403, 'forbidden');
    const list = ok(await c.office.get('/api/v1/draws?status=committed'));
    assert.ok(list.items.some((x) => x.id === d.id));
});

test('Excel: the directories\' templates, a preview and an import of market subjects with risk grades', async () => {
    for (const p of ['/api/v1/inspectors', '/api/v1/inspect-objects']) {
        const t = await c.office.get(`${p}/import-template.xlsx`);
        assert.equal(t.status, 200);
        const header = xlsxRows(t.buf)[0].join('|');
        assert.match(header, p.includes('objects') ? /对象名称\*.*风险等级\*/ : /姓名\*.*人员类别\*/);
        assertError(await c.inspector.get(`${p}/import-template.xlsx`), 403, 'forbidden');
    }
    const tag = uniq('XL');
    const rows = [
        { name: `${tag} 甲餐饮有限公司`, object_type: '市场主体', code: '91330100MA2XXXXX1A', domain: '市场监管', unit_id: '区财政局', risk: 'D 高风险', address: '城关街道中山路1号' },
        { name: `${tag} 乙建材商行`, object_type: '市场主体', code: '92330100MA2XXXXX2B', domain: '市场监管', unit_id: '', risk: 'A 低风险', address: '' },
        { name: `${tag} 丙公司`, object_type: '市场主体', code: '', domain: '市场监管', unit_id: '', risk: '极高', address: '' },
    ];
    const pv = ok(await c.office.post('/api/v1/inspect-objects/import', { preview: true, rows }));
    assert.equal(pv.rows, 3);
    assert.equal(pv.valid, 2);
    assert.equal(pv.errors[0].row, 4);
    assert.equal(pv.errors[0].field, 'risk');
    assert.equal(ok(await c.office.get(`/api/v1/inspect-objects?q=${encodeURIComponent(tag)}`)).total, 0, 'a preview writes nothing');
    assertError(await c.office.post('/api/v1/inspect-objects/import', { rows }), 400, 'invalid');
    assert.equal(ok(await c.office.post('/api/v1/inspect-objects/import', { rows: rows.slice(0, 2) }), 201).created, 2);
    const got = ok(await c.office.get(`/api/v1/inspect-objects?q=${encodeURIComponent(tag)}&sort=name`));
    const byName = (n) => got.items.find((o) => o.name.includes(n));
    assert.deepEqual([byName('甲'), byName('乙')].map((o) => [o.risk, o.object_type, o.domain]), [['D', 'market', 'market'], ['A', 'market', 'market']]);
    assert.equal(byName('甲').unit_name, '区财政局');
    // inspectors: one outside the unit tree
    assert.equal(ok(await c.office.post('/api/v1/inspectors/import', { rows: [
        { name: `${tag} 陈律师`, category: '律师', unit_id: '', employer: '某律师事务所', title: '合伙人', qualifications: '法律职业资格', cert_no: '13301200910000000' },
    ] }), 201).created, 1);
    const ins = ok(await c.office.get(`/api/v1/inspectors?q=${encodeURIComponent(tag)}`));
    assert.equal(ins.items[0].category, 'lawyer');
    assert.equal(ins.items[0].employer, '某律师事务所');
});
