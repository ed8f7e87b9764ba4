// Command line: init one-time passwords, audit verify against tampering, backup/restore.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rm, stat, access } from 'node:fs/promises';
import { join } from 'node:path';
import { fazhi, sqlite, startServer, makeDataDir, copyDataDir, removeDataDir, assertError, ok, uniq, DEMO_PASSWORD, ENGINE }
    from './lib.mjs';

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
    const cols = ENGINE === 'postgres'
        ? (await sqlite(db, "SELECT column_name FROM information_schema.columns WHERE table_name = 'audit_log';"))
            .trim().split('\n')
        : (await sqlite(db, 'PRAGMA table_info(audit_log);')).trim().split('\n').map((l) => l.split('|')[1]);
    assert.ok(cols.includes('seq'), `audit_log has no seq column: ${cols}`);
    return cols;
}

async function dropTriggers(db) {
    const pg = ENGINE === 'postgres';
    const names = (await sqlite(db, pg
        ? "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_log'::regclass AND NOT tgisinternal;"
        : "SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name='audit_log';"))
        .trim().split('\n').filter(Boolean);
    assert.ok(names.length > 0, 'audit_log must have triggers that refuse changes');
    await sqlite(db, names.map((n) => `DROP TRIGGER "${n}"${pg ? ' ON audit_log' : ''};`).join('\n'));
}

test('audit_log refuses UPDATE and DELETE while its triggers stand', async () => {
    const s2 = await startServer();
    await s2.login('office');
    const r = await s2.stop();
    assert.deepEqual(r, { code: 0, signal: null });
    try {
        await assert.rejects(sqlite(s2.db, 'UPDATE audit_log SET seq = seq WHERE seq = 1;'), /append-only/);
        await assert.rejects(sqlite(s2.db, 'DELETE FROM audit_log WHERE seq = 1;'), /append-only/);
        if (ENGINE === 'postgres') await assert.rejects(sqlite(s2.db, 'TRUNCATE audit_log;'), /append-only/);
        assert.ok(Number((await sqlite(s2.db, 'SELECT COUNT(*) FROM audit_log;')).trim()) > 0);
    } finally {
        await removeDataDir(s2.dir);
    }
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
        await copyDataDir(dir, copy);

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
        await removeDataDir(copy);
    } finally {
        await removeDataDir(dir);
    }
});

test('fazhi audit verify and GET /audit/verify fail, saying why, when the audit_head row is missing', async () => {
    const srv = await startServer();
    try {
        const office = await srv.login('office');
        ok(await office.post('/api/v1/units', { code: uniq('hd'), name: '无头', kind: 'other' }), 201);
        const aud = await srv.login('auditor'); // signed in while the log can still take records
        assert.equal(ok(await aud.get('/api/v1/audit/verify')).ok, true);
        // an attacker who cuts records from the end also removes the head that would show the cut
        await sqlite(srv.db, 'DELETE FROM audit_head;');
        assert.equal((await sqlite(srv.db, 'SELECT COUNT(*) FROM audit_head;')).trim(), '0', 'the head row is not protected by a trigger');
        const v = ok(await aud.get('/api/v1/audit/verify'));
        assert.equal(v.ok, false, 'no head row is not intact');
        assert.match(v.message, /head/);
        assert.ok(v.first_bad_seq > 0);
    } finally {
        await srv.stop();
    }
    try {
        const r = await fazhi(['audit', 'verify', '--data-dir', srv.dir]);
        assert.equal(r.code, 1, `verify without a head row must fail: ${r.stdout}${r.stderr}`);
        assert.match(r.stdout, /BROKEN.*head row is missing/);
    } finally {
        await removeDataDir(srv.dir);
    }
});

test('fazhi backup FILE while serving; fazhi restore FILE with the server stopped', { skip: ENGINE !== 'sqlite' && 'SQLite only: PostgreSQL is backed up with pg_basebackup/WAL archiving (next test)' }, async () => {
    const srv = await startServer();
    const file = join(await makeDataDir(), 'backup.db');
    let s2 = null;
    try {
        const office = await srv.login('office');
        const before = ok(await office.post('/api/v1/units', { code: uniq('bk'), name: '备份前', kind: 'other' }), 201);
        const b = await fazhi(['backup', file, '--data-dir', srv.dir]);
        assert.equal(b.code, 0, `backup: ${b.stderr}${b.stdout}`);
        assert.ok((await stat(file)).size > 0);
        const afterUnit = ok(await office.post('/api/v1/units', { code: uniq('bk'), name: '备份后', kind: 'other' }), 201);
        assert.deepEqual(await srv.stop(), { code: 0, signal: null });
        const r = await fazhi(['restore', file, '--data-dir', srv.dir]);
        assert.equal(r.code, 0, `restore: ${r.stderr}${r.stdout}`);
        s2 = await startServer({ demo: false, dataDir: srv.dir });
        const c = await s2.login('office', DEMO_PASSWORD);
        ok(await c.get(`/api/v1/units/${before.id}`));
        assertError(await c.get(`/api/v1/units/${afterUnit.id}`), 404, 'not_found');
        const aud = await s2.login('auditor');
        assert.equal(ok(await aud.get('/api/v1/audit/verify')).ok, true, 'restored audit chain verifies');
    } finally {
        await srv.stop();
        if (s2) await s2.stopAndCheck();
        await rm(file, { force: true });
    }
});

test('fazhi restore leaves a trace: a system.restore record (who, file, heads before and after) and the printed head', { skip: ENGINE !== 'sqlite' && 'SQLite only (restore replaces the SQLite file)' }, async () => {
    const srv = await startServer();
    const file = join(await makeDataDir(), 'backup.db');
    try {
        const office = await srv.login('office');
        ok(await office.post('/api/v1/units', { code: uniq('rs'), name: '备份前', kind: 'other' }), 201);
        assert.equal((await fazhi(['backup', file, '--data-dir', srv.dir])).code, 0);
        const [bseq, bhash] = (await sqlite(file, 'SELECT seq, hash FROM audit_head;')).trim().split('|');
        ok(await office.post('/api/v1/units', { code: uniq('rs'), name: '备份后', kind: 'other' }), 201);
        assert.deepEqual(await srv.stop(), { code: 0, signal: null });
        const [oseq, ohash] = (await sqlite(srv.db, 'SELECT seq, hash FROM audit_head;')).trim().split('|');
        assert.ok(Number(oseq) > Number(bseq));

        const r = await fazhi(['restore', file, '--data-dir', srv.dir]);
        assert.equal(r.code, 0, `restore: ${r.stderr}${r.stdout}`);
        // the head it restored to, and the head after its own record, are printed
        assert.match(r.stdout, new RegExp(`audit head restored to: seq ${bseq} hash ${bhash}`));
        assert.match(r.stdout, new RegExp(`replaced log's head was: seq ${oseq} hash ${ohash}`));
        const m = /head now: seq (\d+) hash ([0-9a-f]{64})/.exec(r.stdout);
        assert.ok(m, r.stdout);
        const [hseq, hhash] = (await sqlite(srv.db, 'SELECT seq, hash FROM audit_head;')).trim().split('|');
        assert.deepEqual([m[1], m[2]], [hseq, hhash], 'the printed head is the database\'s head');
        assert.equal(Number(hseq), Number(bseq) + 1, 'one record appended to the restored log');

        const last = (await sqlite(srv.db, 'SELECT seq, actor, role, action, object_type, prev_hash, hash FROM audit_log ORDER BY seq DESC LIMIT 1;'))
            .trim().split('|');
        assert.deepEqual(last, [hseq, 'cli:restore', 'system', 'system.restore', 'database', bhash, hhash]);
        const detail = JSON.parse((await sqlite(srv.db, `SELECT detail FROM audit_log WHERE seq = ${hseq};`)).trim());
        assert.equal(detail.file, file);
        assert.equal(typeof detail.os_user.name, 'string');
        assert.ok(detail.os_user.name.length > 0);
        assert.deepEqual(detail.restored_head, { seq: Number(bseq), hash: bhash });
        assert.deepEqual(detail.replaced_head, { seq: Number(oseq), hash: ohash });
        assert.ok(detail.note.length > 0);

        const v = await fazhi(['audit', 'verify', '--data-dir', srv.dir]);
        assert.equal(v.code, 0, `the restored log with its restore record verifies: ${v.stdout}`);
        const s2 = await startServer({ demo: false, dataDir: srv.dir });
        try {
            const aud = await s2.login('auditor');
            const recs = ok(await aud.get('/api/v1/audit?action=system.restore')).items;
            assert.equal(recs.length, 1);
            assert.equal(recs[0].seq, Number(hseq));
        } finally {
            await s2.stopAndCheck();
        }
    } finally {
        await srv.stop();
        await rm(file, { force: true });
    }
});

test('on PostgreSQL fazhi backup and restore refuse (the SQLite file copy does not apply) and change nothing', { skip: ENGINE !== 'postgres' && 'PostgreSQL only' }, async () => {
    const srv = await startServer();
    const file = join(await makeDataDir(), 'backup.db');
    try {
        const office = await srv.login('office');
        const unit = ok(await office.post('/api/v1/units', { code: uniq('bk'), name: '备份前', kind: 'other' }), 201);
        const b = await fazhi(['backup', file, '--data-dir', srv.dir]);
        assert.notEqual(b.code, 0, `backup on PostgreSQL must fail: ${b.stdout}`);
        assert.match(b.stderr, /pg_dump|pg_basebackup/, 'the error names the PostgreSQL tools');
        await assert.rejects(access(file), 'no file written');
        assert.deepEqual(await srv.stop(), { code: 0, signal: null });
        // restore replaces a SQLite file: on a PostgreSQL installation it must refuse, not report success
        const sqliteDir = await makeDataDir();
        const made = await fazhi(['demo', '--data-dir', sqliteDir, '--db', `sqlite:${sqliteDir}/fazhi.db`, '--password', DEMO_PASSWORD]);
        assert.equal(made.code, 0, made.stderr);
        const r = await fazhi(['restore', `${sqliteDir}/fazhi.db`, '--data-dir', srv.dir]);
        await rm(sqliteDir, { recursive: true, force: true });
        assert.notEqual(r.code, 0, `restore onto a PostgreSQL installation must refuse: ${r.stdout}`);
        const s2 = await startServer({ demo: false, dataDir: srv.dir });
        try {
            ok(await (await s2.login('office')).get(`/api/v1/units/${unit.id}`), 200, 'data unchanged');
        } finally {
            await s2.stopAndCheck();
        }
    } finally {
        await srv.stop();
        await rm(file, { force: true });
    }
});
