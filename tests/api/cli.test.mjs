// Command line: init one-time passwords, audit verify against tampering, backup/restore.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fazhi, sqlite, startServer, makeDataDir, assertError, ok, uniq, DEMO_PASSWORD } from './lib.mjs';

const ADMINS = ['sysadmin', 'secadmin', 'auditor'];

/** Find "USERNAME PASSWORD" in init's output: the token after the user's name. */
function passwordsFrom(out) {
    const pw = {};
    for (const line of out.split('\n')) {
        const toks = line.trim().split(/\s+/).filter(Boolean);
        const i = toks.findIndex((t) => ADMINS.includes(t.replace(/[:=,]$/, '')));
        if (i >= 0 && i + 1 < toks.length) pw[toks[i].replace(/[:=,]$/, '')] = toks[i + 1];
    }
    return pw;
}

test('fazhi init prints one-time passwords; those accounts must change them at first login', async () => {
    const dir = await makeDataDir();
    const r = await fazhi(['init', '--data-dir', dir]);
    assert.equal(r.code, 0, r.stderr);
    const pw = passwordsFrom(r.stdout + '\n' + r.stderr);
    assert.deepEqual(Object.keys(pw).sort(), [...ADMINS].sort(), `passwords not found in:\n${r.stdout}`);
    assert.equal(new Set(Object.values(pw)).size, 3, 'each account gets its own password');
    const again = await fazhi(['init', '--data-dir', dir]);
    assert.notEqual(again.code, 0, 'init on an initialised data dir must refuse');
    const srv = await startServer({ demo: false, dataDir: dir });
    try {
        const probes = { sysadmin: '/api/v1/units', secadmin: '/api/v1/roles', auditor: '/api/v1/audit' };
        for (const name of ADMINS) {
            const c = srv.client();
            const j = ok(await c.login(name, pw[name]), 200, `${name} with the one-time password`);
            assert.equal(j.user.must_change_password, true);
            assertError(await c.get(probes[name]), 403, 'password_change_required', name);
            ok(await c.get('/api/v1/auth/me'));
            ok(await c.post('/api/v1/auth/password', { old_password: pw[name], new_password: `${name}#New2026pw` }));
            ok(await c.get(probes[name]), 200, `${name} after the change`);
            assertError(await srv.client().login(name, pw[name]), 401, 'invalid_credentials');
        }
    } finally {
        await srv.stopAndCheck();
    }
});

async function auditColumns(db) {
    const cols = (await sqlite(db, 'PRAGMA table_info(audit_log);')).trim().split('\n').map((l) => l.split('|')[1]);
    assert.ok(cols.includes('seq'), `audit_log has no seq column: ${cols}`);
    return cols;
}

async function dropTriggers(db) {
    const names = (await sqlite(db, "SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name='audit_log';"))
        .trim().split('\n').filter(Boolean);
    assert.ok(names.length > 0, 'audit_log must have triggers that refuse changes');
    await sqlite(db, names.map((n) => `DROP TRIGGER "${n}";`).join('\n'));
}

test('audit_log refuses UPDATE and DELETE while its triggers stand', async () => {
    const s2 = await startServer();
    await s2.login('office');
    const r = await s2.stop();
    assert.deepEqual(r, { code: 0, signal: null });
    await assert.rejects(sqlite(s2.db, 'UPDATE audit_log SET seq = seq WHERE seq = 1;'));
    await assert.rejects(sqlite(s2.db, 'DELETE FROM audit_log WHERE seq = 1;'));
    await rm(s2.dir, { recursive: true, force: true });
});

test('fazhi audit verify: exit 0 when intact; non-zero naming the seq after an attacker edits or deletes a row', async () => {
    const srv = await startServer();
    const office = await srv.login('office');
    for (let i = 0; i < 6; i++) ok(await office.post('/api/v1/units', { code: uniq('tv'), name: `篡改${i}`, kind: 'other' }), 201);
    const stopped = await srv.stop();
    assert.deepEqual(stopped, { code: 0, signal: null });
    const dir = srv.dir;
    try {
        const clean = await fazhi(['audit', 'verify', '--data-dir', dir]);
        assert.equal(clean.code, 0, `verify on an intact log: ${clean.stderr}${clean.stdout}`);
        const copy = await makeDataDir();
        await cp(dir, copy, { recursive: true });

        // edit a record in the middle
        const db = join(dir, 'fazhi.db');
        const cols = await auditColumns(db);
        const max = Number((await sqlite(db, 'SELECT max(seq) FROM audit_log;')).trim());
        assert.ok(max >= 8, `only ${max} audit records`);
        const victim = Math.floor(max / 2) + 1;
        const col = ['actor', 'action', 'object_id', 'detail'].find((c) => cols.includes(c));
        await dropTriggers(db);
        await sqlite(db, `UPDATE audit_log SET ${col} = 'mallory' WHERE seq = ${victim};`);
        const bad = await fazhi(['audit', 'verify', '--data-dir', dir]);
        assert.notEqual(bad.code, 0, 'verify must fail on an edited record');
        assert.match(bad.stdout + bad.stderr, new RegExp(`\\b${victim}\\b`), `output must name seq ${victim}:\n${bad.stdout}${bad.stderr}`);

        // the API says the same
        const s2 = await startServer({ demo: false, dataDir: dir });
        const aud = await s2.login('auditor');
        const v = ok(await aud.get('/api/v1/audit/verify'));
        assert.equal(v.ok, false);
        assert.equal(v.first_bad_seq, victim);
        assert.deepEqual(await s2.stop(), { code: 0, signal: null });

        // delete a record in the middle of the copy
        const db2 = join(copy, 'fazhi.db');
        await dropTriggers(db2);
        await sqlite(db2, `DELETE FROM audit_log WHERE seq = ${victim};`);
        const gone = await fazhi(['audit', 'verify', '--data-dir', copy]);
        assert.notEqual(gone.code, 0, 'verify must fail when a record was removed');
        assert.match(gone.stdout + gone.stderr, new RegExp(`\\b(${victim}|${victim + 1}|${victim - 1})\\b`));
        await rm(copy, { recursive: true, force: true });
    } finally {
        await rm(dir, { recursive: true, force: true });
    }
});

test('fazhi backup FILE while serving; fazhi restore FILE with the server stopped', async () => {
    const srv = await startServer();
    const office = await srv.login('office');
    const before = ok(await office.post('/api/v1/units', { code: uniq('bk'), name: '备份前', kind: 'other' }), 201);
    const file = join(await makeDataDir(), 'backup.db');
    const b = await fazhi(['backup', file, '--data-dir', srv.dir]);
    assert.equal(b.code, 0, `backup: ${b.stderr}${b.stdout}`);
    assert.ok((await stat(file)).size > 0);
    const afterUnit = ok(await office.post('/api/v1/units', { code: uniq('bk'), name: '备份后', kind: 'other' }), 201);
    assert.deepEqual(await srv.stop(), { code: 0, signal: null });
    const r = await fazhi(['restore', file, '--data-dir', srv.dir]);
    assert.equal(r.code, 0, `restore: ${r.stderr}${r.stdout}`);
    const s2 = await startServer({ demo: false, dataDir: srv.dir });
    try {
        const c = await s2.login('office', DEMO_PASSWORD);
        ok(await c.get(`/api/v1/units/${before.id}`));
        assertError(await c.get(`/api/v1/units/${afterUnit.id}`), 404, 'not_found');
        const aud = await s2.login('auditor');
        assert.equal(ok(await aud.get('/api/v1/audit/verify')).ok, true, 'restored audit chain verifies');
    } finally {
        await s2.stopAndCheck();
        await rm(file, { force: true });
    }
});
