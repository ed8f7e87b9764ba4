// docs/openapi.yaml, the served /api/v1/openapi.json and the server's route table (`fazhi routes`)
// must list the same routes with the same permissions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT, fazhi, startServer, ok } from './lib.mjs';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

/** Read `paths:` of docs/openapi.yaml (block style: path at 2 spaces, method at 4, keys at 6). */
export function openapiRoutes(text) {
    const out = [];
    let inPaths = false, path = null, method = null;
    for (const line of text.split('\n')) {
        if (/^\S/.test(line)) { inPaths = line.startsWith('paths:'); path = method = null; continue; }
        if (!inPaths) continue;
        let m;
        if ((m = /^ {2}(\/\S*):\s*$/.exec(line))) { path = m[1].replace(/^'|'$/g, ''); method = null; continue; }
        if ((m = /^ {4}([a-z]+):\s*$/.exec(line)) && METHODS.includes(m[1])) {
            method = m[1];
            out.push({ method: method.toUpperCase(), path, perm: null });
            continue;
        }
        if (method && (m = /^ {6}x-permission:\s*(\S+)\s*$/.exec(line))) out[out.length - 1].perm = m[1].replace(/^['"]|['"]$/g, '');
    }
    return out;
}

const fmt = (r) => `${r.method} ${r.path} ${r.perm}`;

async function serverRoutes() {
    const r = await fazhi(['routes']);
    assert.equal(r.code, 0, `fazhi routes failed: ${r.stderr}`);
    const lines = r.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
    for (const l of lines) assert.match(l, /^(GET|POST|PUT|DELETE|PATCH) \/\S* \S+$/, `bad line from fazhi routes: ${l}`);
    return lines.map((l) => { const [method, path, perm] = l.split(' '); return { method, path, perm }; });
}

test('docs/openapi.yaml and `fazhi routes` list the same routes and permissions', async () => {
    const doc = openapiRoutes(await readFile(join(ROOT, 'docs/openapi.yaml'), 'utf8'));
    assert.ok(doc.length > 30, `only ${doc.length} routes parsed from openapi.yaml`);
    for (const r of doc) assert.ok(r.perm, `${r.method} ${r.path}: x-permission missing in openapi.yaml`);
    const srv = await serverRoutes();
    const a = new Set(doc.map(fmt)), b = new Set(srv.map(fmt));
    const onlyDoc = [...a].filter((x) => !b.has(x)).sort();
    const onlySrv = [...b].filter((x) => !a.has(x)).sort();
    assert.deepEqual({ only_in_openapi_yaml: onlyDoc, only_in_server: onlySrv }, { only_in_openapi_yaml: [], only_in_server: [] });
    assert.equal(srv.length, b.size, 'fazhi routes lists a route twice');
});

test('`fazhi routes` says what PUT /settings/{key} really needs: the setting\'s own permission (per_setting)', async () => {
    const srv = await serverRoutes();
    const put = srv.find((r) => r.method === 'PUT' && r.path === '/api/v1/settings/{key}');
    assert.equal(put?.perm, 'per_setting', 'not setting.read: every setting names the permission that changes it');
    const doc = openapiRoutes(await readFile(join(ROOT, 'docs/openapi.yaml'), 'utf8'));
    assert.equal(doc.find((r) => r.method === 'PUT' && r.path === '/api/v1/settings/{key}')?.perm, 'per_setting');
});

test('the served /api/v1/openapi.json is docs/openapi.yaml', async () => {
    const s = await startServer();
    try {
        const j = ok(await s.client().get('/api/v1/openapi.json'));
        const served = [];
        for (const [path, item] of Object.entries(j.paths)) {
            for (const [m, op] of Object.entries(item)) {
                if (METHODS.includes(m)) served.push({ method: m.toUpperCase(), path, perm: op['x-permission'] });
            }
        }
        const doc = openapiRoutes(await readFile(join(ROOT, 'docs/openapi.yaml'), 'utf8'));
        assert.deepEqual(served.map(fmt).sort(), doc.map(fmt).sort());
        assert.ok(j.components?.schemas?.Unit, 'components.schemas.Unit');
    } finally {
        await s.stopAndCheck();
    }
});
