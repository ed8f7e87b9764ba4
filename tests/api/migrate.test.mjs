// `fazhi migrate --from sqlite:… --to postgres://…` copies the demo installation (attachments and
// the audit log included) and the copy serves the same data; the documented production grants
// (docs/scaling.md: tables owned by fazhi_owner, the app role `fazhi` may only SELECT and INSERT
// on audit_log) leave the application working and the audit log unchangeable by it.
// Needs PostgreSQL: runs in the api-pg suite (or alone, with a private server).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { copyFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
    fazhi, sqlite, startServer, makeDataDir, ok, uniq, psql, pgBase, pgCreateDb, pgDropDb, privatePg,
    listAll, NEEDS_PG_SKIP, DEMO_PASSWORD,
} from './lib.mjs';

let pg, src, srcDb, upload, bigUpload, phoneOf;
// more than one page of the copy's chunk table (8 rows of 1 MiB per SELECT, src/store/copy.c)
const BIG = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(9.5 * 1024 * 1024)]);
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from([0, 1, 2, 0xff, 0xfe, 0x80, 0x0d, 0x0a]),
    Buffer.from('迁移测试附件\n%%EOF\n')]);

function multipart(filename, data) {
    const b = `----fazhi${Math.random().toString(16).slice(2)}`;
    const body = Buffer.concat([
        Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n` +
            'Content-Type: application/pdf\r\n\r\n'), data, Buffer.from(`\r\n--${b}--\r\n`)]);
    return { body, type: `multipart/form-data; boundary=${b}` };
}

/** Row counts from `fazhi migrate`'s table: {table: [source, copy]}. */
function countsFrom(stdout) {
    const out = {};
    for (const line of stdout.split('\n')) {
        const m = /^(\w+)\s+(\d+)\s+(\d+)\s*$/.exec(line);
        if (m) out[m[1]] = [Number(m[2]), Number(m[3])];
    }
    return out;
}

before(async () => {
    if (NEEDS_PG_SKIP) return;
    pg = await privatePg();
    // a SQLite installation with demo data, an uploaded attachment and a person with a phone
    src = await makeDataDir();
    srcDb = `sqlite:${join(src, 'fazhi.db')}`;
    const s = await startServer({ dataDir: src, db: srcDb });
    try {
        const office = await s.login('office');
        const m = multipart('迁移附件.pdf', PDF);
        upload = ok(await office.req('POST', '/api/v1/files', m.body, { headers: { 'Content-Type': m.type } }), 201);
        const b = multipart('大附件.pdf', BIG);
        bigUpload = ok(await office.req('POST', '/api/v1/files', b.body, { headers: { 'Content-Type': b.type } }), 201);
        const units = await listAll(office, '/api/v1/units');
        const p = ok(await office.post('/api/v1/people', { unit_id: units[0].id, name: '迁移人员', phone: '13700001234' }), 201);
        phoneOf = p.id;
    } finally {
        assert.deepEqual(await s.stop(), { code: 0, signal: null });
    }
});

after(async () => {
    if (NEEDS_PG_SKIP) return;
    await rm(src, { recursive: true, force: true });
    await pg.stop();
});

/** What office and clerk1 see: the task list, one file's bytes, a phone number. */
async function snapshot(srv) {
    const out = {};
    for (const name of ['office', 'clerk1']) {
        const c = await srv.login(name, DEMO_PASSWORD);
        out[name] = {
            tasks: await listAll(c, '/api/v1/tasks?sort=title'),
            units: await listAll(c, '/api/v1/units'),
            documents: await listAll(c, '/api/v1/documents'),
        };
    }
    const office = await srv.login('office');
    const f = await office.get(`/api/v1/files/${upload.id}`);
    assert.equal(f.status, 200, f.text.slice(0, 200));
    out.file = f.buf.toString('base64');
    const g = await office.get(`/api/v1/files/${bigUpload.id}`);
    assert.equal(g.status, 200);
    out.big = createHash('sha256').update(g.buf).digest('hex');
    out.phone = ok(await office.get(`/api/v1/people/${phoneOf}/phone`)).phone;
    const auditor = await srv.login('auditor');
    out.verify = ok(await auditor.get('/api/v1/audit/verify')).ok;
    return out;
}

test('fazhi migrate copies the SQLite demo into PostgreSQL: row counts equal, audit chain verifies, same data through the API', { skip: NEEDS_PG_SKIP }, async () => {
    const url = await pgCreateDb(pg.dir, 'mig');
    const dst = await makeDataDir();
    try {
        const r = await fazhi(['migrate', '--from', srcDb, '--to', url]);
        assert.equal(r.code, 0, `migrate: ${r.stderr}${r.stdout}`);
        const counts = countsFrom(r.stdout);
        for (const t of ['units', 'users', 'people', 'audit_log', 'file_blobs', 'file_chunks', 'attachments', 'tasks', 'task_events', 'documents']) {
            assert.ok(counts[t], `row count of ${t} printed:\n${r.stdout}`);
            assert.equal(counts[t][0], counts[t][1], `${t}: source and copy`);
        }
        // the printed figures are the databases' own
        for (const [t, [n]] of Object.entries(counts)) {
            const s = Number((await sqlite(join(src, 'fazhi.db'), `SELECT COUNT(*) FROM ${t};`)).trim());
            const d = Number((await psql(url, `SELECT COUNT(*) FROM ${t};`)).trim());
            assert.deepEqual([s, d], [n, n], `${t}: sqlite3 and psql agree with the report`);
        }
        assert.ok(counts.attachments[0] >= 1 && counts.file_blobs[0] >= 1, 'attachments copied');
        const records = counts.audit_log[0];
        assert.match(r.stdout, new RegExp(`audit log intact on the copy: ${records} records`));
        const whole = (sha) => `SELECT encode(string_agg(data, ''::bytea ORDER BY seq), 'base64') FROM file_chunks WHERE sha256 = '${sha}';`;
        const blob = (await psql(url, whole(upload.sha256))).replace(/\s/g, '');
        assert.equal(blob, PDF.toString('base64'), 'attachment bytes identical');
        assert.ok(counts.file_chunks[0] >= 11, 'the big attachment is 10 chunks');
        const big = (await psql(url, `SELECT encode(sha256(string_agg(data, ''::bytea ORDER BY seq)), 'hex') FROM file_chunks WHERE sha256 = '${bigUpload.sha256}';`)).trim();
        assert.equal(big, bigUpload.sha256, 'the big attachment copied in pages, byte for byte');

        await copyFile(join(src, 'secret.key'), join(dst, 'secret.key'));
        const v = await fazhi(['audit', 'verify', '--data-dir', dst, '--db', url]);
        assert.equal(v.code, 0, `audit verify on the copy: ${v.stdout}${v.stderr}`);
        assert.match(v.stdout, new RegExp(`intact: ${records} records`));

        // a second copy into the now populated database is refused and changes nothing
        const again = await fazhi(['migrate', '--from', srcDb, '--to', url]);
        assert.notEqual(again.code, 0, 'copy into a database with accounts must refuse');
        assert.equal(Number((await psql(url, 'SELECT COUNT(*) FROM audit_log;')).trim()), records);

        // both servers serve the same (reads only, the audit records of the reads come after)
        const a = await startServer({ demo: false, dataDir: src, db: srcDb });
        const b = await startServer({ demo: false, dataDir: dst, db: url });
        try {
            const [sa, sb] = [await snapshot(a), await snapshot(b)];
            assert.ok(sa.office.tasks.length >= 10 && sa.clerk1.tasks.length >= 1, 'demo tasks visible');
            assert.ok(sa.clerk1.tasks.length < sa.office.tasks.length, 'clerk1 sees its unit only');
            assert.deepEqual(sb, sa, 'the copy answers exactly what the original answers');
            assert.equal(sb.verify, true);
            assert.equal(sb.file, PDF.toString('base64'));
            assert.equal(sb.big, bigUpload.sha256, 'the big attachment downloads whole from the copy');
            assert.equal(sb.phone, '13700001234', 'personal data opens with the same secret.key');
            // the copy keeps working: a new row continues the ids, the chain goes on
            const office = await b.login('office');
            const u = ok(await office.post('/api/v1/units', { code: uniq('mg'), name: '迁移后新增', kind: 'other' }), 201);
            const maxSrc = Math.max(...sa.office.units.map((x) => x.id));
            assert.ok(u.id > maxSrc, `id ${u.id} continues after ${maxSrc}`);
        } finally {
            await a.stop();
            await b.stop();
        }
        const v2 = await fazhi(['audit', 'verify', '--data-dir', dst, '--db', url]);
        assert.equal(v2.code, 0, `audit verify after use: ${v2.stdout}${v2.stderr}`);
    } finally {
        await rm(dst, { recursive: true, force: true });
        await pgDropDb(url, pg.dir).catch(() => {});
    }
});

test('production grants: tables owned by fazhi_owner, app role fazhi serves normally but cannot UPDATE/DELETE/TRUNCATE audit_log, even without the trigger', { skip: NEEDS_PG_SKIP }, async () => {
    const su = `${pgBase(pg.dir, 'postgres')}/postgres`;
    const name = `grants_${process.pid}_${Date.now().toString(36)}`;
    await psql(su, "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'fazhi_owner') THEN " +
        'CREATE ROLE fazhi_owner LOGIN; END IF; END $$;\n' +
        `CREATE DATABASE "${name}" OWNER fazhi_owner;`);
    const ownerUrl = `${pgBase(pg.dir, 'fazhi_owner')}/${name}`;
    const appUrl = `${pgBase(pg.dir, 'fazhi')}/${name}`;
    const dst = await makeDataDir();
    let srv = null;
    try {
        // schema and data as the owner (the migration role)
        const r = await fazhi(['migrate', '--from', srcDb, '--to', ownerUrl]);
        assert.equal(r.code, 0, `migrate as fazhi_owner: ${r.stderr}${r.stdout}`);
        // the grants of docs/scaling.md, run by the owner
        await psql(ownerUrl, `
            REVOKE ALL ON DATABASE "${name}" FROM PUBLIC;
            GRANT CONNECT, TEMPORARY ON DATABASE "${name}" TO fazhi;
            REVOKE CREATE ON SCHEMA public FROM PUBLIC;
            GRANT USAGE ON SCHEMA public TO fazhi;
            GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO fazhi;
            REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM fazhi;
            GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO fazhi;`);
        assert.equal((await psql(ownerUrl, "SELECT tableowner FROM pg_tables WHERE tablename = 'audit_log';")).trim(), 'fazhi_owner');
        assert.equal((await psql(appUrl, "SELECT string_agg(privilege_type, ',' ORDER BY privilege_type) FROM information_schema.role_table_grants WHERE grantee = 'fazhi' AND table_name = 'audit_log';")).trim(),
            'INSERT,SELECT');

        // the application as `fazhi`: sign in, write (audited), upload, verify
        await copyFile(join(src, 'secret.key'), join(dst, 'secret.key'));
        srv = await startServer({ demo: false, dataDir: dst, db: appUrl });
        const office = await srv.login('office');
        const unit = ok(await office.post('/api/v1/units', { code: uniq('gr'), name: '授权测试', kind: 'other' }), 201);
        ok(await office.put(`/api/v1/units/${unit.id}`, { ...unit, name: '授权测试二', version: unit.version }));
        const m = multipart('授权.pdf', Buffer.concat([PDF, Buffer.from('x')]));
        ok(await office.req('POST', '/api/v1/files', m.body, { headers: { 'Content-Type': m.type } }), 201);
        const t = (await listAll(office, '/api/v1/tasks?status=in_progress'))[0];
        ok(await office.post(`/api/v1/tasks/${t.id}/actions/${t.supervised ? 'unsupervise' : 'supervise'}`, { version: t.version }));
        const auditor = await srv.login('auditor');
        assert.equal(ok(await auditor.get('/api/v1/audit/verify')).ok, true);
        const jobs = await fazhi(['jobs', 'run', '--data-dir', dst, '--db', appUrl, '--force']);
        assert.equal(jobs.code, 0, `jobs run as fazhi: ${jobs.stderr}${jobs.stdout}`);

        // as fazhi: the audit log only grows
        for (const sql of ["UPDATE audit_log SET actor = 'mallory' WHERE seq = 1;", 'DELETE FROM audit_log WHERE seq = 1;', 'TRUNCATE audit_log;']) {
            await assert.rejects(psql(appUrl, sql), /permission denied/, sql);
        }
        // the owner drops the trigger: the app role still cannot change a record
        await psql(ownerUrl, 'DROP TRIGGER audit_log_no_change ON audit_log;');
        for (const sql of ["UPDATE audit_log SET actor = 'mallory' WHERE seq = 1;", 'DELETE FROM audit_log WHERE seq = 1;', 'TRUNCATE audit_log;']) {
            await assert.rejects(psql(appUrl, sql), /permission denied for table audit_log/, sql);
        }
        await assert.rejects(psql(appUrl, 'CREATE TABLE x (id int);'), /permission denied/, 'no DDL for the app role');
        const v = await fazhi(['audit', 'verify', '--data-dir', dst, '--db', appUrl]);
        assert.equal(v.code, 0, `audit verify as fazhi: ${v.stdout}${v.stderr}`);
    } finally {
        if (srv) await srv.stop();
        await rm(dst, { recursive: true, force: true });
        await psql(su, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE);`).catch(() => {});
    }
});
