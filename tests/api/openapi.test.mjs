// The answers every operation can give whatever its own logic — 405 for a method a path lacks,
// 404 for an unknown API path, 413 for a body over the limit, 415 for a body that is not JSON —
// asked of every path and operation of docs/openapi.yaml. The client checks each answer against
// the spec (openapi-check.mjs), so each of these must be documented where it can happen; the
// tests also assert the status itself. And the checker itself: it must reject what the spec does
// not describe (an undocumented status, a wrong type, a date where a date-time is due).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startServer, assertError, CONTRACT, ROOT, Client } from './lib.mjs';
import { ROLE_PERMS, ACCOUNT_ROLE } from './contract.mjs';
import { Contract, ContractViolation } from './openapi-check.mjs';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const PARAMS = { id: '1', key: 'site.name', date: '2027-01-04', action: 'issue' };
const fill = (path) => path.replace(/\{(\w+)\}/g, (_, n) => PARAMS[n] ?? '1');
const operations = () => Object.entries(CONTRACT.doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((m) => ({ path, method: m.toUpperCase(), op: item[m] })));

let srv;
const clients = {};
before(async () => {
    srv = await startServer();
    for (const u of ['sysadmin', 'secadmin', 'auditor', 'office', 'clerk1']) clients[u] = await srv.login(u);
});
after(async () => { await srv.stopAndCheck(); });

/** A signed-in client holding the operation's permission (anonymous for public routes). */
function clientFor(perm) {
    if (perm === 'public') return srv.client();
    if (perm === 'signed_in') return clients.office;
    // per_setting: the setting's own permission; PARAMS.key (site.name) needs setting.manage
    if (perm === 'per_setting') perm = 'setting.manage';
    const who = Object.keys(clients).find((u) => ROLE_PERMS[ACCOUNT_ROLE[u]].includes(perm));
    assert.ok(who, `no demo account in this test holds ${perm}`);
    return clients[who];
}

test('every path of the spec answers 405 method_not_allowed for a method it does not have', async () => {
    let n = 0;
    for (const [path, item] of Object.entries(CONTRACT.doc.paths)) {
        for (const m of METHODS.filter((x) => !item[x])) {
            // PUT /units/tree is PUT /units/{id} with id "tree" (404): only methods no path has
            if (CONTRACT.match(m, fill(path)).method) continue;
            const r = await clients.sysadmin.req(m.toUpperCase(), fill(path), m === 'get' ? undefined : {});
            assertError(r, 405, 'method_not_allowed', `${m.toUpperCase()} ${path}`);
            n++;
        }
    }
    assert.ok(n > 50, `only ${n} method/path pairs tried`);
});

test('a path under /api/ that the spec does not list answers 404 not_found', async () => {
    for (const p of ['/api/v1/nope', '/api/v1/units/1/nope', '/api/v2/units', '/api/v1/tasks/1/actions']) {
        assertError(await clients.sysadmin.get(p), 404, 'not_found', p);
    }
});

test('every POST, PUT and DELETE but uploads answers 413 too_large for a body over 1 MiB (before any other check)', async () => {
    const big = JSON.stringify({ x: 'a'.repeat((1 << 20) + 1) });
    const anon = srv.client();
    // Uploads (multipart) have their own limit, setting files.max_mb: files.test.mjs
    const jsonLimited = operations().filter((o) => o.method !== 'GET' && !o.op.requestBody?.content?.['multipart/form-data']);
    assert.ok(jsonLimited.length > 30, `only ${jsonLimited.length} operations`);
    for (const { path, method } of jsonLimited) {
        const r = await anon.req(method, fill(path), big, { headers: { 'Content-Type': 'application/json' } });
        assertError(r, 413, 'too_large', `${method} ${path}`);
    }
});

test('every operation that reads a JSON body answers 415 unsupported_media_type to another Content-Type', async () => {
    let n = 0;
    for (const { path, method, op } of operations()) {
        if (!op.requestBody?.content?.['application/json']) continue;
        const c = clientFor(op['x-permission']);
        const r = await c.req(method, fill(path), '{}', { headers: { 'Content-Type': 'text/plain' } });
        assertError(r, 415, 'unsupported_media_type', `${method} ${path} as ${c.user?.username ?? 'anonymous'}`);
        n++;
    }
    assert.ok(n >= 20, `only ${n} operations take a JSON body`);
});

test('every signed-in POST, PUT and DELETE answers 403 csrf_failed without the X-CSRF-Token header', async () => {
    let n = 0;
    for (const { path, method, op } of operations()) {
        if (method === 'GET' || op['x-permission'] === 'public') continue;
        const c = clientFor(op['x-permission']);
        assertError(await c.req(method, fill(path), {}, { csrf: false }), 403, 'csrf_failed', `${method} ${path}`);
        n++;
    }
    assert.ok(n > 30, `only ${n} operations`);
});

test('every error code the server has (src/http/reply.c and hand-built ones) is in the spec, under its status', async () => {
    const src = await readFile(join(ROOT, 'src/http/reply.c'), 'utf8');
    const table = [...src.matchAll(/\[ERR_\w+\]\s*=\s*\{\s*"(\w+)",\s*(\d+)/g)].map((m) => [m[1], Number(m[2])]);
    assert.ok(table.length >= 15, `only ${table.length} rows read from the error table of src/http/reply.c`);
    // Error bodies built by hand: json_pack(... "code", "<code>" ...) with their status in the same call
    for (const f of ['src/features/tasks/tasks_http.c']) {
        const text = await readFile(join(ROOT, f), 'utf8');
        for (const m of text.matchAll(/"code", "(\w+)"[\s\S]{0,400}?reply_json\(r, (\d+)/g)) table.push([m[1], Number(m[2])]);
    }
    assert.ok(table.some(([c]) => c === 'invalid_transition'), 'invalid_transition (tasks_http.c) not found');
    const spec = CONTRACT.doc.components;
    const all = spec.schemas.Error.properties.error.properties.code.enum;
    const problems = [];
    for (const [code, status] of table) {
        if (!all.includes(code)) problems.push(`${code} (${status}): add it to components.schemas.Error…code.enum`);
        if (code === 'method_not_allowed') continue; // not per operation: the 405 rule of info.description
        const resp = spec.responses[`E${status}`];
        if (!resp) { if (status < 500) problems.push(`${code} (${status}): no components.responses.E${status}`); continue; }
        const [schema] = CONTRACT.deref(resp.content['application/json'].schema);
        const codes = schema.allOf?.[1]?.properties?.error?.properties?.code?.enum;
        if (codes && !codes.includes(code)) problems.push(`${code} (${status}): add it to the code enum of the schema of components.responses.E${status}`);
    }
    assert.deepEqual(problems, []);
});

// ---- the checker itself ----

const H = (ct) => new Headers({ 'content-type': ct });
const answer = (method, path, status, body, ct = 'application/json; charset=utf-8') => ({
    method, path, status, headers: H(ct), buf: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
});

test('the checker: an undocumented status, a wrong type and a date for a date-time are violations', () => {
    const unit = { id: 1, code: 'a', name: 'b', created_at: '2026-11-26T08:00:00Z' };
    assert.equal(CONTRACT.check(answer('GET', '/api/v1/units/1', 200, unit)), null);
    let v = CONTRACT.check(answer('GET', '/api/v1/units/1', 418, { error: { code: 'internal', message: 'x' } }));
    assert.match(v.problems[0], /status 418 is not documented: paths\.\/api\/v1\/units\/\{id\}\.get\.responses lists/);
    v = CONTRACT.check(answer('GET', '/api/v1/units/1', 200, { ...unit, id: '1' }));
    assert.match(v.problems.join('\n'), /body \/id: must be integer — value "1" \[components\.schemas\.Unit\.properties\.id\.type\]/);
    v = CONTRACT.check(answer('GET', '/api/v1/units/1', 200, { ...unit, created_at: '2026-11-26' }));
    assert.match(v.problems.join('\n'), /body \/created_at: must match format "date-time"/);
    v = CONTRACT.check(answer('GET', '/api/v1/units/1', 404, { error: { code: 'no_such_code', message: 'x' } }));
    assert.match(v.problems.join('\n'), /body \/error\/code: must be one of/);
    v = CONTRACT.check(answer('GET', '/api/v1/units/1', 200, 'not json'));
    assert.match(v.problems.join('\n'), /body is not JSON/);
    v = CONTRACT.check(answer('GET', '/api/v1/tasks/export.xlsx', 200, 'x', 'text/html'));
    assert.match(v.problems.join('\n'), /Content-Type text\/html is not one of/);
    v = CONTRACT.check(answer('PATCH', '/api/v1/units', 404, { error: { code: 'not_found', message: 'x' } }));
    assert.match(v.problems.join('\n'), /a method the path does not have must answer 405/);
    v = CONTRACT.check(answer('GET', '/api/v1/nope', 200, {}));
    assert.match(v.problems.join('\n'), /a path the spec does not list must answer 404/);
    assert.equal(CONTRACT.check(answer('GET', '/assets/app.js', 200, 'x', 'text/javascript')), null,
        'the web UI files are outside the spec');
});

test('the checker: literal path segments win over {params}; query strings and repeated slashes are ignored', () => {
    assert.equal(CONTRACT.match('GET', '/api/v1/tasks/stats?x=1').route.path, '/api/v1/tasks/stats');
    assert.equal(CONTRACT.match('GET', '/api/v1/tasks/12').route.path, '/api/v1/tasks/{id}');
    assert.equal(CONTRACT.match('GET', '/api/v1//units/tree').route.path, '/api/v1/units/tree');
});

test('the client throws a ContractViolation at the request, and a call opts out only with a reason', async () => {
    // A copy of the spec that no longer documents GET /readyz's 200.
    const doc = structuredClone(CONTRACT.doc);
    delete doc.paths['/readyz'].get.responses['200'];
    const drifted = new Contract(ROOT, doc);
    const c = new Client(srv.base, { contract: drifted });
    await assert.rejects(c.get('/readyz'), (e) => {
        assert.ok(e instanceof ContractViolation);
        assert.match(e.message, /request: {3}GET \/readyz/);
        assert.match(e.message, /answer: {4}200 application\/json/);
        assert.match(e.message, /status 200 is not documented: paths\.\/readyz\.get\.responses lists 503/);
        return true;
    });
    assert.equal(drifted.violations.length, 1, 'the violation is recorded for the end-of-file check');
    await assert.rejects(c.get('/readyz', { unchecked: '' }), TypeError);
    await assert.rejects(c.get('/readyz', { unchecked: true }), TypeError);
    const r = await c.get('/readyz', { unchecked: 'shows that a stated reason skips the check' });
    assert.equal(r.status, 200);
    assert.equal(drifted.violations.length, 1);
    // The real spec documents it.
    assert.equal((await srv.client().get('/readyz')).status, 200);
});
