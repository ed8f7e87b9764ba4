// A published assessment run for the objection tests (tests/api/appeal.test.mjs, tests/e2e/
// appeal.test.mjs): a two-area system (A1 60 分: a threshold leaf every unit meets; A2 40 分: one
// manual leaf the assessor scores), scored, reviewed and published through the score module's API.
// The system is published through its kind (assess_system).
import { ok, sqlite, uniq, waitFor, DEMO_PASSWORD } from './lib.mjs';

// the score module's routes (runs, results, cells, changes) are documented on its own branch
export const SC = { unchecked: 'the score module (i14-score) documents its own routes in docs/openapi.yaml' };
const opts = (path) => (/\/api\/v1\/assess-(runs|scores|results|changes)/.test(path) ? SC : undefined);

/** How each amount travels: hundredths (an FT_INT field), or 分 once the field declares
 * `decimals` (the engine's decimal fields). scale[k] is 100 for a decimal field, else 1:
 * send h / scale, read value * scale. */
export async function scales(office) {
    const fields = async (name) => ok(await office.get(`/api/v1/entities/${name}`)).fields;
    const of = (fs, n) => (fs.find((f) => f.name === n)?.decimals ? 100 : 1);
    const [sys, ind, cell, res, chg, obj] = await Promise.all(['assess_systems', 'assess_indicators', 'assess_scores',
        'assess_results', 'assess_changes', 'assess_objections'].map(fields));
    return { sys: of(sys, 'total_points'), ind: of(ind, 'weight'), cell: of(cell, 'final_points'),
        assessor: of(cell, 'assessor_points'), res: of(res, 'total'), chg: of(chg, 'new_points'), obj: of(obj, 'points_before'),
        req: of(obj, 'requested_points') };
}
/** hundredths of an answer's value / the value to send for hundredths h */
export const inH = (v, scale) => (v === null || v === undefined ? v : Math.round(v * scale));
export const outV = (h, scale) => h / scale;

/** A step of a record of `path` as `who`, with the version the office reads. */
export async function step(office, who, path, id, action, body = {}) {
    const cur = ok(await office.get(`${path}/${id}`, opts(path)));
    return who.post(`${path}/${id}/actions/${action}`, { version: cur.version, ...body }, opts(path));
}

export async function makeSystem(srv, office, year) {
    const S = await scales(office);
    const sys = ok(await office.post('/api/v1/assess-systems', { year, name: `测试指标体系${uniq('s')}`, total_points: outV(10000, S.sys) }), 201);
    const ind = async (body) => ok(await office.post('/api/v1/assess-indicators', { system_id: sys.id, ...body, weight: outV(body.weight, S.ind) }), 201);
    const a1 = await ind({ level: 1, code: 'A1', name: '依法全面履行政府职能', weight: 6000, sort_order: 1 });
    await ind({ level: 2, parent_id: a1.id, code: 'A1.1', name: '信访事项登记', weight: 6000, rule: 'threshold',
        metric: 'petitions.received', params: 'min=0', sort_order: 1 });
    const a2 = await ind({ level: 1, code: 'A2', name: '行政执法', weight: 4000, sort_order: 2 });
    const leaf = await ind({ level: 2, parent_id: a2.id, code: 'A2.1', name: '执法案卷评查', weight: 4000, rule: 'manual', sort_order: 1 });
    const cur = ok(await office.get(`/api/v1/assess-systems/${sys.id}`));
    ok(await office.post(`/api/v1/assess-systems/${sys.id}/actions/publish`, { version: cur.version }));
    return { sys: { ...sys, status: 'published' }, a1, a2, leaf };
}

/** A run of `year` scored, reviewed by the office (the manual leaf: pointsOf(unit, index)) and published. */
export async function makeRun(srv, office, year, pointsOf) {
    const s = await makeSystem(srv, office, year);
    const S = await scales(office);
    const r = ok(await office.post('/api/v1/assess-runs', { system_id: s.sys.id, title: `${year} 年度法治建设考核` }, SC), 201);
    const runs = '/api/v1/assess-runs';
    ok(await step(office, office, runs, r.id, 'score'));
    await waitFor(async () => {
        const x = ok(await office.get(`${runs}/${r.id}`, SC));
        return x.finished_at && x.units_total > 0 && x.units_done === x.units_total;
    }, { timeout: 60000, what: 'the run scored' });
    ok(await step(office, office, runs, r.id, 'open_self'));
    ok(await step(office, office, runs, r.id, 'start_review'));
    const manual = ok(await office.get(`/api/v1/assess-scores?run_id=${r.id}&indicator_id=${s.leaf.id}&per_page=200`, SC)).items;
    manual.sort((a, b) => a.unit_id - b.unit_id);
    for (const [i, cell] of manual.entries()) {
        const cur = ok(await office.get(`/api/v1/assess-scores/${cell.id}`, SC));
        ok(await office.put(`/api/v1/assess-scores/${cell.id}`, {
            version: cur.version, assessor_points: outV(pointsOf(cell.unit_id, i), S.assessor), assessor_note: '按评分标准评定' }, SC));
    }
    ok(await step(office, office, runs, r.id, 'publish'));
    return { ...s, run: ok(await office.get(`${runs}/${r.id}`, SC)) };
}

/** A second assessor of the office (the demo's office has one account), signed in. */
export async function secondAssessor(srv, username = 'assessor_t') {
    await sqlite(srv.db, `INSERT INTO users (username, display_name, unit_id, role_id, password_hash, must_change_password,
        created_at, updated_at) SELECT '${username}', '考核评分员（测试）', unit_id, role_id, password_hash, 0, created_at,
        updated_at FROM users WHERE username = 'office';`);
    return srv.login(username, DEMO_PASSWORD);
}

export const resultsOf = async (office, runId) => ok(await office.get(`/api/v1/assess-results?run_id=${runId}&per_page=200`, SC)).items;
