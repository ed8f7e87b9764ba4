// Attachments (附件): streamed multipart upload with the type allow-list (content and extension
// together), size limit (files.max_mb → 413), storage once by SHA-256, download rights.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { startServer, assertError, ok, sqlite, makeDataDir, removeDataDir, fazhi, ENGINE } from './lib.mjs';

let srv, office, clerk, leader, admin;
before(async () => {
    srv = await startServer();
    office = await srv.login('office');
    clerk = await srv.login('clerk1');
    leader = await srv.login('leader');
    admin = await srv.login('sysadmin');
});
after(async () => { await srv.stopAndCheck(); });

// ---- tiny valid files ----

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
});
function crc32(buf) {
    let c = 0xffffffff;
    for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
}

/** A stored (uncompressed) zip of {name: content}. */
function zip(entries) {
    const locals = [], centrals = [];
    let offset = 0;
    for (const [name, content] of Object.entries(entries)) {
        const n = Buffer.from(name), data = Buffer.from(content), crc = crc32(data);
        const lh = Buffer.alloc(30);
        lh.writeUInt32LE(0x04034b50, 0); lh.writeUInt16LE(20, 4); lh.writeUInt32LE(crc, 14);
        lh.writeUInt32LE(data.length, 18); lh.writeUInt32LE(data.length, 22); lh.writeUInt16LE(n.length, 26);
        const ch = Buffer.alloc(46);
        ch.writeUInt32LE(0x02014b50, 0); ch.writeUInt16LE(20, 4); ch.writeUInt16LE(20, 6); ch.writeUInt32LE(crc, 16);
        ch.writeUInt32LE(data.length, 20); ch.writeUInt32LE(data.length, 24); ch.writeUInt16LE(n.length, 28);
        ch.writeUInt32LE(offset, 42);
        locals.push(lh, n, data);
        centrals.push(ch, n);
        offset += 30 + n.length + data.length;
    }
    const cd = Buffer.concat(centrals);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(centrals.length / 2, 8); end.writeUInt16LE(centrals.length / 2, 10);
    end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(offset, 16);
    return Buffer.concat([...locals, cd, end]);
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('\0\0\0\rIHDR fake png body')]);
const JPG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]), Buffer.from('JFIF\0 fake jpeg body'), Buffer.from([0xff, 0xd9])]);
const OLE2 = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504, 1)]);
const CT = '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>';
const DOCX = zip({ '[Content_Types].xml': CT, '_rels/.rels': '<Relationships/>', 'word/document.xml': '<w:document/>' });
const XLSX = zip({ '[Content_Types].xml': CT, '_rels/.rels': '<Relationships/>', 'xl/workbook.xml': '<workbook/>' });
const OFD = zip({ 'OFD.xml': '<ofd:OFD/>', 'Doc_0/Document.xml': '<ofd:Document/>' });
const ZIP = zip({ 'readme.txt': 'hello 你好' });

function multipart(parts) {
    const boundary = `----fazhi${Math.random().toString(16).slice(2)}`;
    const chunks = [];
    for (const p of parts) {
        let head = `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"`;
        if (p.filename !== undefined) head += `; filename="${p.filename}"`;
        head += `\r\nContent-Type: ${p.type || 'application/octet-stream'}\r\n\r\n`;
        chunks.push(Buffer.from(head), Buffer.from(p.data), Buffer.from('\r\n'));
    }
    chunks.push(Buffer.from(`--${boundary}--\r\n`));
    return { body: Buffer.concat(chunks), type: `multipart/form-data; boundary=${boundary}` };
}

function upload(c, filename, data, extraParts = []) {
    const m = multipart([...extraParts, { name: 'file', filename, data }]);
    return c.req('POST', '/api/v1/files', m.body, { headers: { 'Content-Type': m.type } });
}

const sha = (b) => createHash('sha256').update(b).digest('hex');
async function counts() {
    const out = await sqlite(srv.db, 'SELECT COUNT(*) FROM attachments; SELECT COUNT(*) FROM file_blobs;');
    const [a, b] = out.trim().split('\n').map(Number);
    return { attachments: a, blobs: b };
}

test('each allowed type uploads: 201 with id, name, size, mime, sha256, created_at', async () => {
    const cases = [
        ['报告.pdf', PDF, 'application/pdf'],
        ['photo.PNG', PNG, 'image/png'],
        ['scan.jpg', JPG, 'image/jpeg'],
        ['scan.jpeg', JPG, 'image/jpeg'],
        ['old.doc', OLE2, 'application/msword'],
        ['old.xls', OLE2, 'application/vnd.ms-excel'],
        ['新.docx', DOCX, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
        ['表.xlsx', XLSX, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
        ['公文.ofd', OFD, 'application/ofd'],
        ['bundle.zip', ZIP, 'application/zip'],
        ['word-as-zip.zip', DOCX, 'application/zip'],
    ];
    for (const [name, data, mime] of cases) {
        const j = ok(await upload(office, name, data), 201, name);
        assert.equal(j.name, name);
        assert.equal(j.size, data.length);
        assert.equal(j.mime, mime, name);
        assert.equal(j.sha256, sha(data));
        assert.ok(Number.isInteger(j.id) && j.id > 0);
        assert.match(j.created_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    }
    // clerks upload too
    ok(await upload(clerk, 'c.pdf', PDF), 201);
});

test('type mismatches and unknown types answer 415 and store nothing', async () => {
    const before = await counts();
    const cases = [
        ['setup.exe', Buffer.from('MZ\x90\0\x03\0\0\0 this program')],
        ['page.html', Buffer.from('<!doctype html><script>alert(1)</script>')],
        ['image.pdf', PNG], // a PNG named .pdf
        ['doc.png', PDF],
        ['fake.docx', ZIP], // a zip without word/
        ['sheet.xlsx', DOCX], // word, not excel
        ['not.ofd', ZIP],
        ['doc.doc', DOCX], // .doc must be OLE2
        ['x.zip', PDF],
        ['noextension', PDF],
        ['trailingdot.', PDF],
        ['script.pdf.html', PDF],
    ];
    for (const [name, data] of cases) assertError(await upload(office, name, data), 415, 'unsupported_media_type', name);
    assert.deepEqual(await counts(), before);
});

test('bad requests: not multipart 415, no file part / empty / two files / bad name 400; no rights 401/403', async () => {
    const before = await counts();
    assertError(await office.post('/api/v1/files', { file: 'x' }), 415, 'unsupported_media_type');
    assertError(await office.req('POST', '/api/v1/files', 'raw', { headers: { 'Content-Type': 'application/pdf' } }), 415, 'unsupported_media_type');
    let m = multipart([{ name: 'other', filename: 'a.pdf', data: PDF }]);
    let e = assertError(await office.req('POST', '/api/v1/files', m.body, { headers: { 'Content-Type': m.type } }), 400, 'invalid');
    assert.ok(e.fields.file);
    e = assertError(await upload(office, 'empty.pdf', Buffer.alloc(0)), 400, 'invalid');
    assert.ok(e.fields.file);
    m = multipart([{ name: 'file', filename: 'a.pdf', data: PDF }, { name: 'file', filename: 'b.pdf', data: PDF }]);
    e = assertError(await office.req('POST', '/api/v1/files', m.body, { headers: { 'Content-Type': m.type } }), 400, 'invalid');
    assert.ok(e.fields.file);
    e = assertError(await upload(office, `${'长'.repeat(201)}.pdf`, PDF), 400, 'invalid');
    assert.ok(e.fields.file);
    // other form fields are ignored
    ok(await upload(office, 'with-note.pdf', PDF, [{ name: 'note', data: 'hello' }]), 201);
    const after1 = await counts();
    assert.equal(after1.attachments, before.attachments + 1);

    assertError(await upload(srv.client(), 'a.pdf', PDF), 401, 'unauthenticated');
    assertError(await upload(leader, 'a.pdf', PDF), 403, 'forbidden');
    // no CSRF token
    m = multipart([{ name: 'file', filename: 'a.pdf', data: PDF }]);
    assertError(await office.req('POST', '/api/v1/files', m.body, { csrf: false, headers: { 'Content-Type': m.type } }), 403, 'csrf_failed');
    assert.deepEqual(await counts(), after1);
});

test('download by the uploader: bytes, type, UTF-8 file name, nosniff; another user gets 404', async () => {
    const name = '整改报告（最终） v2.pdf';
    const up = ok(await upload(office, name, PDF), 201);
    const r = await office.get(`/api/v1/files/${up.id}`);
    assert.equal(r.status, 200);
    assert.ok(r.buf.equals(PDF));
    assert.equal(r.headers.get('content-type'), 'application/pdf');
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    const cd = r.headers.get('content-disposition');
    assert.match(cd, /^attachment; filename="[^"]*\.pdf"; filename\*=UTF-8''/);
    assert.equal(decodeURIComponent(cd.split("UTF-8''")[1]), name);
    assert.equal(r.headers.get('etag'), `"${sha(PDF)}"`);

    for (const c of [clerk, leader, admin]) assertError(await c.get(`/api/v1/files/${up.id}`), 404, 'not_found');
    assertError(await office.get('/api/v1/files/99999999'), 404, 'not_found');
    assertError(await office.get('/api/v1/files/abc'), 404, 'not_found');
    assertError(await srv.client().get(`/api/v1/files/${up.id}`), 401, 'unauthenticated');
});

test('the same content uploaded twice is stored once', async () => {
    const data = Buffer.concat([PDF, Buffer.from(`% unique ${Date.now()}\n`)]);
    const a = ok(await upload(office, 'one.pdf', data), 201);
    const b = ok(await upload(clerk, 'two.pdf', data), 201);
    assert.notEqual(a.id, b.id);
    assert.equal(a.sha256, b.sha256);
    assert.equal(a.sha256, sha(data));
    const ra = await office.get(`/api/v1/files/${a.id}`), rb = await clerk.get(`/api/v1/files/${b.id}`);
    assert.equal(ra.headers.get('etag'), rb.headers.get('etag'));
    assert.ok(ra.buf.equals(rb.buf));
    const n = await sqlite(srv.db, `SELECT COUNT(*) FROM file_blobs WHERE sha256 = '${a.sha256}';`);
    assert.equal(Number(n.trim()), 1);
});

test('files.max_mb limits the upload: 413 too_large and nothing stored', async () => {
    const s = ok(await admin.get('/api/v1/settings')).items.find((x) => x.key === 'files.max_mb');
    assert.equal(s.value, 50);
    ok(await admin.put('/api/v1/settings/files.max_mb', { value: 1, version: s.version }));
    const before = await counts();
    const MiB = 1024 * 1024;
    // just over the limit (streamed, refused while reading) and far over (refused on Content-Length)
    for (const size of [MiB + 1, 3 * MiB]) {
        const big = Buffer.alloc(size, 0x20);
        PDF.copy(big);
        assertError(await upload(office, 'big.pdf', big), 413, 'too_large', `${size} bytes`);
    }
    assert.deepEqual(await counts(), before);
    // exactly the limit is fine
    const edge = Buffer.alloc(MiB, 0x20);
    PDF.copy(edge);
    const j = ok(await upload(office, 'edge.pdf', edge), 201);
    assert.equal(j.size, MiB);
    const back = await office.get(`/api/v1/files/${j.id}`);
    assert.equal(back.buf.length, MiB);
    assert.equal(sha(back.buf), j.sha256);
});

test('content of several chunks (and an odd tail) downloads as the same bytes; stored as 1 MiB rows', async () => {
    const s = ok(await admin.get('/api/v1/settings')).items.find((x) => x.key === 'files.max_mb');
    ok(await admin.put('/api/v1/settings/files.max_mb', { value: 50, version: s.version })); // the test above left 1
    const MiB = 1024 * 1024;
    const data = Buffer.alloc(3 * MiB + 4321);
    for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) >>> 13 & 0xff;
    PDF.copy(data);
    const j = ok(await upload(office, 'chunks.pdf', data), 201);
    const back = await office.get(`/api/v1/files/${j.id}`);
    assert.equal(back.status, 200);
    assert.equal(back.headers.get('content-length'), String(data.length));
    assert.ok(back.buf.equals(data));
    const rows = (await sqlite(srv.db, `SELECT seq, length(data) FROM file_chunks WHERE sha256 = '${j.sha256}' ORDER BY seq;`))
        .trim().split('\n');
    assert.deepEqual(rows, ['0|1048576', '1|1048576', '2|1048576', '3|4321']);
});

test('upgrade (migration 9): attachment content stored whole by an older version becomes chunks, byte for byte', async () => {
    const old = await makeDataDir();
    try {
        const m8 = await fazhi(['migrate', '--data-dir', old, '--schema', '8']);
        assert.equal(m8.code, 0, m8.stderr);
        const db = `${old}/fazhi.db`;
        // two values the way version 8 kept them: 2.5 MiB + 7 bytes, and 5 bytes
        const big = Buffer.alloc(2.5 * 1024 * 1024 + 7);
        for (let i = 0; i < big.length; i++) big[i] = (i * 7919) & 0xff;
        const small = Buffer.from([1, 2, 3, 4, 5]);
        const lit = (b) => (ENGINE === 'postgres' ? `decode('${b.toString('hex')}', 'hex')` : `X'${b.toString('hex')}'`);
        await sqlite(db, `INSERT INTO file_blobs (sha256, size, content, created_at) VALUES
            ('big', ${big.length}, ${lit(big)}, '2026-01-01T00:00:00Z'), ('small', 5, ${lit(small)}, '2026-01-01T00:00:00Z');`);
        const m = await fazhi(['migrate', '--data-dir', old]);
        assert.equal(m.code, 0, m.stderr);
        assert.match(m.stdout, /^schema version 11 /); // core 11 (and the modules that follow a whole core)
        const hex = ENGINE === 'postgres' ? "encode(data, 'hex')" : 'hex(data)';
        const chunks = (await sqlite(db, `SELECT sha256, seq, ${hex} FROM file_chunks ORDER BY sha256, seq;`)).trim().split('\n')
            .map((l) => l.split('|'));
        assert.deepEqual(chunks.map(([s, q, h]) => [s, Number(q), h.length / 2]),
            [['big', 0, 1048576], ['big', 1, 1048576], ['big', 2, 524295], ['small', 0, 5]]);
        const whole = (s) => Buffer.concat(chunks.filter((c) => c[0] === s).map((c) => Buffer.from(c[2], 'hex')));
        assert.ok(whole('big').equals(big), 'the big value, byte for byte');
        assert.ok(whole('small').equals(small));
        // the whole values are gone from file_blobs
        await assert.rejects(sqlite(db, 'SELECT content FROM file_blobs;'), /content/);
        assert.equal((await sqlite(db, 'SELECT sha256, size FROM file_blobs ORDER BY sha256;')).trim(), `big|${big.length}\nsmall|5`);
    } finally {
        await removeDataDir(old);
    }
});
