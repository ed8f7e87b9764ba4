// Authorization matrix: every route of the contract as every demo account (and anonymous),
// expected allow/deny from the role tables in docs/API.md and docs/API-tasks.md.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, ok, listAll, unitByName, uniq, DEMO_USERS } from './lib.mjs';
import { uploadRaw, pdfBytes } from './tasks-lib.mjs';
import { ROUTES, ROLE_PERMS, ACCOUNT_ROLE } from './contract.mjs';

let srv, clients = {}, target = {};
before(async () => {
    srv = await startServer();
    for (const name of DEMO_USERS) clients[name] = await srv.login(name);
    const office = clients.office;
    const sfj = await unitByName(office, '司法局');
    const cgjd = await unitByName(office, '城关街道');
    // targets inside each caller's scope so that a clerk's allowed request is really allowed
    target.unit = { clerk1: sfj.id, clerk2: cgjd.id, default: sfj.id };
    const p1 = ok(await office.post('/api/v1/people', { unit_id: sfj.id, name: '矩阵甲', phone: '13800000001' }), 201);
    const p2 = ok(await office.post('/api/v1/people', { unit_id: cgjd.id, name: '矩阵乙', phone: '13800000002' }), 201);
    target.person = { clerk1: p1.id, clerk2: p2.id, default: p1.id };
    const u = ok(await clients.sysadmin.post('/api/v1/users', { username: uniq('mx').toLowerCase(), display_name: '矩阵', unit_id: sfj.id }), 201);
    target.user = { default: u.user.id };
    const role = ok(await clients.secadmin.post('/api/v1/roles', { code: uniq('mx').toLowerCase(), name: '矩阵角色', scope: 'all', permissions: [] }), 201);
    target.role = { default: role.id };
    // 督办: a document and an issued task that both clerks' units are assigned to (lead 区司法局,
    // co-unit 城关街道), so that a clerk's allowed request is really allowed
    const doc = ok(await office.post('/api/v1/documents', { title: '矩阵文件', kind: 'notice' }), 201);
    target.document = { default: doc.id };
    const day = new Date(Date.now() + 60 * 86400e3).toISOString().slice(0, 10);
    let task = ok(await office.post('/api/v1/tasks', { title: '矩阵任务', lead_unit_id: sfj.id, co_unit_ids: [cgjd.id],
        due_on: day, document_id: doc.id }), 201);
    task = ok(await office.post(`/api/v1/tasks/${task.id}/actions/issue`, { version: task.version }));
    target.task = { default: task.id, version: task.version, total: ok(await office.get('/api/v1/tasks')).total };
    const up = await uploadRaw(clients.clerk1, '矩阵.pdf', pdfBytes(), 'application/pdf');
    target.file = { default: ok(up, 201).id };
});
after(async () => { await srv.stopAndCheck(); });

const pick = (m, who) => (who in m ? m[who] : m.default);

/** Build a harmless request for a route: allowed callers get a 2xx or a validation error, never a change. */
function requestFor(method, path, who) {
    let p = path
        .replace('/units/{id}', `/units/${pick(target.unit, who)}`)
        .replace('/people/{id}', `/people/${pick(target.person, who)}`)
        .replace('/users/{id}', `/users/${pick(target.user, who)}`)
        .replace('/roles/{id}', `/roles/${pick(target.role, who)}`)
        .replace('/documents/{id}', `/documents/${pick(target.document, who)}`)
        .replace('/tasks/{id}', `/tasks/${pick(target.task, who)}`)
        .replace('/actions/{action}', '/actions/supervise') // no version → 400 when allowed
        .replace('/files/{id}', `/files/${pick(target.file, who)}`)
        .replace('/notifications/{id}', '/notifications/99999999')
        .replace('/legal-services/{id}', '/legal-services/99999999') // allowed: 404, never a change
        .replace('/parties/{party_id}', '/parties/99999999')
        .replace('/versions/{n}', '/versions/1')
        .replace('/reconsiderations/{id}', '/reconsiderations/99999999')
        .replace('/litigations/{id}', '/litigations/99999999')
        .replace('/litigation-hearings/{id}', '/litigation-hearings/99999999')
        .replace('/mediations/{id}', '/mediations/99999999')
        .replace('/mediation-sessions/{id}', '/mediation-sessions/99999999')
        .replace('/campaigns/{id}', '/campaigns/99999999')
        .replace('/campaign-items/{id}', '/campaign-items/99999999')
        .replace('/calendar/days/{date}', '/calendar/days/2026-10-01')
        .replace('/kinds/{kind}', '/kinds/task');
    let body;
    if (method !== 'GET' && method !== 'DELETE') body = {}; // missing required fields → 400 when allowed
    return { method, path: p, body };
}

/** Does the account hold the route's permission? */
function allowed(perm, who, key) {
    const perms = ROLE_PERMS[ACCOUNT_ROLE[who]];
    // PUT /settings/{key}: the setting's own permission (docs/API.md, Settings)
    if (key) return perms.includes(key === 'site.name' ? 'setting.manage' : 'security.manage');
    if (perm === 'public' || perm === 'signed_in') return true;
    return perms.includes(perm);
}

const cases = [];
for (const [method, path, perm] of ROUTES) {
    if (path === '/api/v1/auth/logout' || path === '/api/v1/auth/login') continue; // covered in auth tests
    if (path === '/api/v1/settings/{key}') {
        for (const key of ['site.name', 'password.min_length']) cases.push([method, path.replace('{key}', key), perm, key]);
    } else {
        cases.push([method, path, perm, null]);
    }
}

test('every route as every demo account: allowed exactly when the role table says so', async () => {
    const problems = [];
    for (const [method, path, perm, key] of cases) {
        for (const who of DEMO_USERS) {
            const rq = requestFor(method, path, who);
            const r = await clients[who].req(rq.method, rq.path, rq.body);
            const want = allowed(perm, who, key);
            if (want) {
                if (r.status === 401 || r.status === 403 || r.status >= 500) {
                    problems.push(`${who} ${rq.method} ${rq.path}: expected allowed, got ${r.status} ${r.text.slice(0, 120)}`);
                }
            } else if (r.status !== 403 || r.json?.error?.code !== 'forbidden') {
                problems.push(`${who} ${rq.method} ${rq.path}: expected 403 forbidden, got ${r.status} ${r.text.slice(0, 120)}`);
            }
        }
    }
    assert.deepEqual(problems, []);
});

test('every non-public route answers 401 unauthenticated without a session', async () => {
    const anon = srv.client();
    const problems = [];
    for (const [method, path, perm] of ROUTES) {
        const rq = requestFor(method, path.replace('{key}', 'site.name'), 'anon');
        const r = await anon.req(rq.method, rq.path, rq.body);
        if (perm === 'public') {
            if (r.status === 401 || r.status === 403) problems.push(`${method} ${path}: public route answered ${r.status}`);
        } else if (r.status !== 401 || r.json?.error?.code !== 'unauthenticated') {
            problems.push(`${method} ${path}: expected 401 unauthenticated, got ${r.status}`);
        }
    }
    assert.deepEqual(problems, []);
});

test('the matrix requests changed nothing', async () => {
    const office = clients.office;
    const units = await listAll(office, '/api/v1/units');
    for (const id of [target.unit.clerk1, target.unit.clerk2]) {
        const u = units.find((x) => x.id === id);
        assert.equal(u.version, 1, `unit ${id} was changed`);
        assert.equal(u.active, true);
    }
    for (const id of [target.person.clerk1, target.person.clerk2]) {
        assert.equal(ok(await office.get(`/api/v1/people/${id}`)).version, 1, `person ${id} was changed`);
    }
    assert.equal(ok(await clients.sysadmin.get(`/api/v1/users/${target.user.default}`)).version, 1);
    assert.equal(ok(await clients.secadmin.get(`/api/v1/roles/${target.role.default}`)).version, 1);
    const t = ok(await office.get(`/api/v1/tasks/${target.task.default}`));
    assert.equal(t.version, target.task.version, 'the task was changed');
    assert.equal(t.status, 'issued');
    assert.equal(t.supervised, false);
    assert.equal(ok(await office.get(`/api/v1/documents/${target.document.default}`)).version, 1, 'the document was changed');
    assert.equal(ok(await office.get('/api/v1/tasks')).total, target.task.total, 'no task was created');
});

test('the route table of this test covers every route the server has', async () => {
    const { fazhi } = await import('./lib.mjs');
    const r = await fazhi(['routes']);
    assert.equal(r.code, 0, r.stderr);
    const server = r.stdout.trim().split('\n').map((l) => l.trim().split(/\s+/).slice(0, 2).join(' ')).sort();
    const mine = ROUTES.map(([m, p]) => `${m} ${p}`).sort();
    assert.deepEqual(server, mine);
});
