// What one request may cost (issue 8, points 3 and 9). A calendar import of one line with
// 40,000 commas used to take 1.6 GB (csv_split copied the whole line for every field) and then
// abort() in the arena: every user lost the server. Now the CSV reader is bounded and linear,
// every request has a memory budget (setting server.request_memory_mb) past which it answers
// 413 and changes nothing, and attachments are stored and streamed in 1 MiB chunks: neither an
// upload nor a download holds the file in memory.
//
// Memory is read from /proc/<pid>/status: VmHWM (peak resident set) after resetting it to the
// current size through /proc/<pid>/clear_refs, so a figure is the peak growth of one request.
// Under AddressSanitizer (the api-asan suite) resident memory says nothing about the program
// (shadow memory, quarantine of freed blocks): the answers are checked, the figures are not.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { startServer, assertError, ok, BIN } from './lib.mjs';

const SANITIZED = /asan/.test(process.env.FAZHI_SUITE || '') || /asan/.test(BIN);
const MB = 1 << 20;

function status(pid, key) {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return Number(m[1]) * 1024;
}

/** Peak resident growth while fn() runs; resolves [growth in bytes, fn's result]. */
async function peakGrowth(pid, fn) {
    let reset = true;
    try { writeFileSync(`/proc/${pid}/clear_refs`, '5'); } catch { reset = false; }
    const start = reset ? status(pid, 'VmRSS') : status(pid, 'VmHWM');
    const result = await fn();
    return [status(pid, 'VmHWM') - start, result];
}

let srv, admin, office;
before(async () => {
    // One worker thread: SQLite's page cache (bounded, per connection) is then the same one for
    // every request, so it does not show up as growth of the download measured below.
    srv = await startServer({ serveArgs: ['--threads', '1'] });
    admin = await srv.login('sysadmin');
    office = await srv.login('office');
});
after(async () => { await srv.stopAndCheck(); });

test('calendar import of one line of 40,000 commas: 400 at once, little memory, the server lives', async () => {
    const before = ok(await admin.get('/api/v1/calendar?year=2027'));
    const body = { year: 2027, csv: ','.repeat(40000) };
    const t0 = Date.now();
    const [growth, r] = await peakGrowth(srv.proc.pid, () => admin.post('/api/v1/calendar/import', body));
    const ms = Date.now() - t0;
    console.log(`# 40,000 commas: ${r.status} in ${ms} ms, peak RSS growth ${(growth / MB).toFixed(1)} MB`);
    assert.ok(ms < 5000, `answered in ${ms} ms`);
    if (!SANITIZED) assert.ok(growth < 50 * MB, `peak RSS growth ${(growth / MB).toFixed(1)} MB`);
    assert.equal((await fetch(`${srv.base}/healthz`)).status, 200);
    const e = assertError(r, 400, 'invalid');
    assert.equal(e.fields.rows[0].row, 1);
    assert.equal(e.fields.rows[0].column, 17, JSON.stringify(e.fields.rows)); // the first cell past 16
    assert.match(e.fields.rows[0].message, /列数过多/);
    assert.deepEqual(ok(await admin.get('/api/v1/calendar?year=2027')), before);
    // the same shape in every row, many rows: still bounded, still one clear error
    const many = { year: 2027, csv: `date,kind,name\n${'2027-01-01,holiday,元旦,,,,,,,,,,,,,,,,,,\n'.repeat(2000)}` };
    const e2 = assertError(await admin.post('/api/v1/calendar/import', many), 400, 'invalid');
    assert.deepEqual(e2.fields.rows.map((x) => [x.row, x.column]), [[2, 17]]);
    // a quote that never closes names its row and column
    const e3 = assertError(await admin.post('/api/v1/calendar/import',
        { year: 2027, csv: 'date,kind,name\n2027-01-01,holiday,"元旦\n' }), 400, 'invalid');
    assert.deepEqual(e3.fields.rows.map((x) => [x.row, x.column]), [[2, 3]]);
});

test('the per-request memory budget: a body that parses into more than it answers 413, changes nothing, the server lives', async () => {
    const list = ok(await admin.get('/api/v1/settings')).items;
    const s = list.find((x) => x.key === 'server.request_memory_mb');
    assert.ok(s, 'setting server.request_memory_mb');
    assert.equal(s.value, 128);
    const set = ok(await admin.put('/api/v1/settings/server.request_memory_mb', { value: 16, version: s.version }));
    try {
        const before = ok(await admin.get('/api/v1/calendar?year=2027'));
        // Under 1 MiB of JSON (the body limit) that jansson turns into ~40 MB of values.
        const pad = '[' + '[],'.repeat(340000) + '[]]';
        const raw = `{"year":2027,"csv":"date,kind,name\\n2027-01-01,holiday,元旦\\n","pad":${pad}}`;
        assert.ok(raw.length < MB);
        const [growth, r] = await peakGrowth(srv.proc.pid, () => admin.req('POST', '/api/v1/calendar/import', raw,
            { headers: { 'Content-Type': 'application/json' } }));
        const e = assertError(r, 413, 'too_large');
        assert.match(e.message, /16 MB/);
        if (!SANITIZED) assert.ok(growth < 30 * MB, `peak RSS growth ${(growth / MB).toFixed(1)} MB`);
        console.log(`# 1 MiB of nested JSON under a 16 MB budget: ${r.status}, peak RSS growth ${(growth / MB).toFixed(1)} MB`);
        assert.equal((await fetch(`${srv.base}/healthz`)).status, 200);
        assert.deepEqual(ok(await admin.get('/api/v1/calendar?year=2027')), before, 'nothing imported');
        // ordinary requests fit the smallest budget
        ok(await office.get('/api/v1/tasks?per_page=200'));
        ok(await admin.post('/api/v1/calendar/import', { year: 2027, csv: 'date,kind,name\n2027-01-01,holiday,元旦\n' }));
    } finally {
        ok(await admin.put('/api/v1/settings/server.request_memory_mb', { value: 128, version: set.version }));
    }
});

function multipart(filename, data) {
    const boundary = `----fazhi${Math.random().toString(16).slice(2)}`;
    const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n`
        + 'Content-Type: application/pdf\r\n\r\n');
    return { body: Buffer.concat([head, data, Buffer.from(`\r\n--${boundary}--\r\n`)]), type: `multipart/form-data; boundary=${boundary}` };
}

test('a 50 MB attachment downloads whole with under 10 MB of peak RSS growth (streamed from the database)', async () => {
    const max = ok(await admin.get('/api/v1/settings')).items.find((x) => x.key === 'files.max_mb');
    assert.equal(max.value, 50);
    // exactly files.max_mb: random bytes after a PDF header (incompressible, like real files)
    const data = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(50 * MB - 9)]);
    const digest = createHash('sha256').update(data).digest('hex');
    const m = multipart('大文件.pdf', data);
    const up = ok(await office.req('POST', '/api/v1/files', m.body, { headers: { 'Content-Type': m.type } }), 201);
    assert.equal(up.size, 50 * MB);
    const download = async () => {
        const res = await fetch(`${srv.base}/api/v1/files/${up.id}`, { headers: { Cookie: `fazhi_session=${office.cookie}` } });
        assert.equal(res.status, 200);
        assert.equal(res.headers.get('content-length'), String(50 * MB));
        const h = createHash('sha256');
        let n = 0;
        for await (const chunk of res.body) { h.update(chunk); n += chunk.length; }
        return { n, digest: h.digest('hex') };
    };
    const warm = await download(); // fills the connection's page cache (bounded), as any query would
    assert.deepEqual(warm, { n: 50 * MB, digest });
    const t0 = Date.now();
    const [growth, got] = await peakGrowth(srv.proc.pid, download);
    const ms = Date.now() - t0;
    assert.deepEqual(got, { n: 50 * MB, digest });
    console.log(`# 50 MB download: ${ms} ms, peak RSS growth ${(growth / MB).toFixed(1)} MB (${srv.engine})`);
    if (!SANITIZED) assert.ok(growth < 10 * MB, `peak RSS growth ${(growth / MB).toFixed(1)} MB`);
    // HEAD answers the headers only
    const head = await fetch(`${srv.base}/api/v1/files/${up.id}`, { method: 'HEAD', headers: { Cookie: `fazhi_session=${office.cookie}` } });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-length'), String(50 * MB));
    assert.equal((await fetch(`${srv.base}/healthz`)).status, 200);
});

test('a 50 MB upload grows peak RSS by under 16 MB (written chunk by chunk) and downloads the same bytes', async () => {
    const file = () => Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(50 * MB - 9)]);
    const upload = async (data) => {
        const m = multipart('上传.pdf', data);
        return office.req('POST', '/api/v1/files', m.body, { headers: { 'Content-Type': m.type } });
    };
    // a first upload fills the connection's page cache (bounded), as any query would
    ok(await upload(file()), 201);
    const data = file();
    const digest = createHash('sha256').update(data).digest('hex');
    const t0 = Date.now();
    const [growth, r] = await peakGrowth(srv.proc.pid, () => upload(data));
    const ms = Date.now() - t0;
    const up = ok(r, 201);
    assert.equal(up.size, 50 * MB);
    assert.equal(up.sha256, digest);
    console.log(`# 50 MB upload: ${ms} ms, peak RSS growth ${(growth / MB).toFixed(1)} MB (${srv.engine})`);
    if (!SANITIZED) assert.ok(growth < 16 * MB, `peak RSS growth ${(growth / MB).toFixed(1)} MB`);
    const res = await fetch(`${srv.base}/api/v1/files/${up.id}`, { headers: { Cookie: `fazhi_session=${office.cookie}` } });
    assert.equal(res.status, 200);
    const h = createHash('sha256');
    let n = 0;
    for await (const chunk of res.body) { h.update(chunk); n += chunk.length; }
    assert.deepEqual({ n, digest: h.digest('hex') }, { n: 50 * MB, digest });
    assert.equal((await fetch(`${srv.base}/healthz`)).status, 200);
});
