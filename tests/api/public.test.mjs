// Public endpoints, response headers on every answer, routing errors, clean shutdown.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, ok } from './lib.mjs';

let srv, admin;
before(async () => {
    srv = await startServer();
    admin = await srv.login('sysadmin');
});
after(async () => { await srv.stopAndCheck(); });

function assertSecurityHeaders(r, what) {
    const h = r.headers;
    assert.ok(h.get('x-request-id'), `${what}: X-Request-Id missing`);
    const csp = h.get('content-security-policy');
    assert.ok(csp, `${what}: Content-Security-Policy missing`);
    assert.match(csp, /default-src/, `${what}: CSP has no default-src`);
    assert.doesNotMatch(csp, /unsafe-eval/, `${what}: CSP must not allow unsafe-eval`);
    assert.equal(h.get('x-content-type-options'), 'nosniff', `${what}: X-Content-Type-Options`);
    assert.equal(h.get('referrer-policy'), 'no-referrer', `${what}: Referrer-Policy`);
    assert.equal(h.get('x-frame-options'), 'DENY', `${what}: X-Frame-Options`);
}

test('GET /healthz answers {"status":"ok"}', async () => {
    const r = await srv.client().get('/healthz');
    assert.deepEqual(ok(r), { status: 'ok' });
    assert.match(r.headers.get('content-type'), /application\/json/);
});

test('GET /readyz answers {"status":"ready"} while the database is reachable', async () => {
    const r = await srv.client().get('/readyz');
    assert.equal(ok(r).status, 'ready');
});

test('GET /metrics answers Prometheus text that counts requests', async () => {
    const c = srv.client();
    const r = await c.get('/metrics');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^text\/plain/);
    assert.match(r.text, /^# TYPE \S+ (counter|gauge|histogram|summary)$/m, 'no # TYPE line');
    const samples = r.text.split('\n').filter((l) => l && !l.startsWith('#'));
    assert.ok(samples.length > 0, 'no samples');
    for (const l of samples) {
        assert.match(l, /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})? [-+0-9.eEInfNa]+( \d+)?$/, `bad sample line: ${l}`);
    }
});

test('GET /api/v1/openapi.json serves the OpenAPI document', async () => {
    const r = await srv.client().get('/api/v1/openapi.json');
    const doc = ok(r);
    assert.match(r.headers.get('content-type'), /application\/json/);
    assert.match(doc.openapi, /^3\./);
    assert.ok(doc.paths['/api/v1/units'], 'paths missing /api/v1/units');
    assert.equal(doc.paths['/api/v1/units'].post['x-permission'], 'unit.manage');
});

test('security headers and X-Request-Id on every kind of answer', async () => {
    const anon = srv.client();
    const cases = [
        ['public', await anon.get('/healthz')],
        ['metrics', await anon.get('/metrics')],
        ['api 401', await anon.get('/api/v1/units')],
        ['api 200', await admin.get('/api/v1/units')],
        ['api 404', await admin.get('/api/v1/no-such-thing')],
        ['api 400', await admin.post('/api/v1/units', '{bad', { headers: { 'Content-Type': 'application/json' } })],
        ['web /', await anon.get('/')],
        ['login 401', await anon.post('/api/v1/auth/login', { username: 'nobody', password: 'x' })],
    ];
    const ids = new Set();
    for (const [what, r] of cases) {
        assertSecurityHeaders(r, what);
        ids.add(r.headers.get('x-request-id'));
    }
    assert.equal(ids.size, cases.length, 'X-Request-Id must differ between requests');
});

test('API answers carry Cache-Control: no-store', async () => {
    for (const r of [await admin.get('/api/v1/units'), await admin.get('/api/v1/auth/me'),
        await srv.client().get('/api/v1/units')]) {
        assert.match(r.headers.get('cache-control') || '', /no-store/);
    }
});

test('unknown API path → 404 not_found as a JSON error', async () => {
    assertError(await admin.get('/api/v1/no-such-thing'), 404, 'not_found');
    assertError(await admin.get('/api/v1/units/999999'), 404, 'not_found');
});

test('known path with a wrong method → 405 method_not_allowed', async () => {
    assertError(await admin.req('PATCH', '/api/v1/units', { a: 1 }), 405, 'method_not_allowed');
    assertError(await admin.del('/api/v1/units'), 405, 'method_not_allowed');
});

test('non-numeric id → 400 or 404, never 500', async () => {
    const r = await admin.get('/api/v1/units/abc');
    assert.ok([400, 404].includes(r.status), `got ${r.status}`);
    assert.ok(r.json?.error?.code);
});

test('the web UI is served at / as HTML', async () => {
    const r = await srv.client().get('/');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /text\/html/);
    assert.match(r.text, /<html/i);
});

test('each request is logged as one JSON line on stderr with its request id', async () => {
    const r = await srv.client().get('/healthz?logcheck=1');
    const id = r.headers.get('x-request-id');
    const { waitFor } = await import('./lib.mjs');
    const line = await waitFor(() => srv.stderr.split('\n').find((l) => l.includes(id)), { what: 'log line' });
    const rec = JSON.parse(line);
    assert.ok(Object.values(rec).includes(id), 'log record must hold the request id');
    assert.ok(Object.values(rec).includes(200), 'log record must hold the status');
});
