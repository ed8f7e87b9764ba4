// Helpers shared by the 督办 tests (tasks*.test.mjs, documents, excel, e2e/tasks): demo actors,
// dates in the district's calendar, task creation, actions with the current version, uploads,
// and a snapshot that proves a refused request changed nothing.
import assert from 'node:assert/strict';
import { inflateRawSync } from 'node:zlib';
import { ok, assertError, unitByName, uniq } from './lib.mjs';

/** The district's calendar date (China Standard Time, UTC+8, as the server's date_today) shifted by `days`. */
export function day(days = 0) {
    const d = new Date(Date.now() + 8 * 3600e3);
    d.setUTCDate(d.getUTCDate() + days);
    return d.toISOString().slice(0, 10);
}
export const today = () => day(0);

/** Add calendar days to a YYYY-MM-DD string. */
export function addDays(date, n) {
    const [y, m, d] = date.split('-').map(Number);
    const t = new Date(Date.UTC(y, m - 1, d + n));
    return t.toISOString().slice(0, 10);
}

/** Log in the demo actors and find the demo units the tests use. */
export async function actors(srv, names = ['office', 'clerk1', 'clerk2', 'leader', 'inspector', 'sysadmin', 'auditor']) {
    const c = {};
    for (const n of names) c[n] = await srv.login(n);
    const u = {
        sfj: await unitByName(c.office, '区司法局'),
        cgjd: await unitByName(c.office, '城关街道'),
        police: await unitByName(c.office, '区公安分局'),
        finance: await unitByName(c.office, '区财政局'),
    };
    return { c, u };
}

/** POST /tasks as `office`; returns the draft. */
export async function createTask(office, body = {}) {
    const b = {
        title: `督办事项 ${uniq('t')}`, content: '按要求落实', category: '制度建设', tags: [],
        lead_unit_id: body.lead_unit_id, co_unit_ids: [], responsible: '张三',
        start_on: day(0), due_on: day(60), rhythm: 'none', priority: 'normal', ...body,
    };
    return ok(await office.post('/api/v1/tasks', b), 201, `create task ${JSON.stringify(b).slice(0, 200)}`);
}

/** Take an action with the task's current version (re-read by the actor); returns the raw answer. */
export async function actRaw(client, task, action, body = {}) {
    const cur = ok(await client.get(`/api/v1/tasks/${task.id}`), 200, `read task ${task.id} before ${action}`);
    return client.post(`/api/v1/tasks/${task.id}/actions/${action}`, { version: cur.version, ...body });
}

/** Take an action that must succeed; returns the updated task from the answer. */
export async function act(client, task, action, body = {}) {
    const r = await actRaw(client, task, action, body);
    const t = ok(r, 200, `${client.user?.username} ${action} on task ${task.id}`);
    assert.equal(t.id, task.id);
    return t;
}

/** A task issued to `lead` (and `co`), optionally acknowledged by the given clerks. */
export async function issuedTask(c, lead, co = [], extra = {}, ackBy = []) {
    let t = await createTask(c.office, { lead_unit_id: lead.id, co_unit_ids: co.map((x) => x.id), ...extra });
    t = await act(c.office, t, 'issue', { note: '请按期办理' });
    for (const who of ackBy) t = await act(c[who], t, 'acknowledge', { note: '已签收' });
    return t;
}

/** Audit records of a task (as the auditor). */
export async function auditOf(auditor, taskId) {
    const j = ok(await auditor.get(`/api/v1/audit?object_type=task&object_id=${taskId}&per_page=200`));
    return j.items;
}

/** Everything a refused request must leave alone: the task row, its timeline, its audit trail. */
export async function snapshot(c, taskId) {
    const t = ok(await c.office.get(`/api/v1/tasks/${taskId}`));
    delete t.allowed_actions; // differs per reader
    const tl = ok(await c.office.get(`/api/v1/tasks/${taskId}/timeline`)).items;
    // a refused step's own record (task.refused) is the one thing a refusal writes
    const audit = (await auditOf(c.auditor, taskId)).filter((a) => a.action !== 'task.refused').map((a) => a.seq);
    const ext = ok(await c.office.get(`/api/v1/tasks/${taskId}/extensions`)).items;
    const urg = ok(await c.office.get(`/api/v1/tasks/${taskId}/urgings`)).items;
    return { task: t, timeline: tl.map((e) => e.id), audit, ext, urg };
}

/**
 * The request must be refused with 409 invalid_transition, carry fields.allowed_actions (= what the
 * caller's own GET says is possible) and change nothing.
 */
export async function refused(c, who, task, action, body = {}, msg = '') {
    const client = c[who];
    const before = await snapshot(c, task.id);
    const r = await client.post(`/api/v1/tasks/${task.id}/actions/${action}`, { version: before.task.version, ...body });
    const label = `${who} ${action} (${msg || before.task.status})`;
    const e = assertError(r, 409, 'invalid_transition', label);
    assert.ok(Array.isArray(e.fields?.allowed_actions), `${label}: fields.allowed_actions ${JSON.stringify(e.fields)}`);
    assert.ok(!e.fields.allowed_actions.includes(action), `${label}: ${action} listed as allowed`);
    const mine = ok(await client.get(`/api/v1/tasks/${task.id}`));
    assert.deepEqual([...e.fields.allowed_actions].sort(), [...mine.allowed_actions].sort(),
        `${label}: allowed_actions of the error = the caller's allowed_actions`);
    assert.deepEqual(await snapshot(c, task.id), before, `${label}: a refused transition must change nothing`);
    // …but the attempt itself is recorded, with the action and the reason (flow_refusal_audit)
    const rec = (await auditOf(c.auditor, task.id)).find((a) => a.action === 'task.refused' && a.actor === who &&
        JSON.parse(a.detail).action === action);
    assert.ok(rec, `${label}: the refusal is audited as task.refused`);
    assert.equal(JSON.parse(rec.detail).message_en !== undefined, true);
    return e;
}

/** A 400 invalid answer naming `field`, and nothing changed. */
export async function invalid(c, who, task, action, body, field) {
    const before = await snapshot(c, task.id);
    const r = await c[who].post(`/api/v1/tasks/${task.id}/actions/${action}`, { version: before.task.version, ...body });
    const e = assertError(r, 400, 'invalid', `${who} ${action} ${JSON.stringify(body)}`);
    assert.ok(e.fields && field in e.fields, `${action}: fields.${field} expected, got ${JSON.stringify(e.fields)}`);
    assert.deepEqual(await snapshot(c, task.id), before, `${who} ${action}: a rejected request must change nothing`);
    return e;
}

/** Multipart upload of one file; returns the raw answer. */
export async function uploadRaw(client, name, bytes, mime = 'application/octet-stream') {
    const boundary = `----fazhi${uniq('b')}`;
    const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\n` +
        `Content-Type: ${mime}\r\n\r\n`);
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    return client.req('POST', '/api/v1/files', Buffer.concat([head, bytes, tail]),
        { headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` } });
}

/** A small real PDF (the server checks magic bytes and extension). */
export function pdfBytes(text = 'fazhi') {
    return Buffer.from(`%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\n% ${text}\ntrailer<</Root 1 0 R>>\n%%EOF\n`);
}

export async function upload(client, name = `材料${uniq('f')}.pdf`, bytes = pdfBytes(name)) {
    return ok(await uploadRaw(client, name, bytes, 'application/pdf'), 201, `upload ${name}`);
}

/** GET /calendar/compute?from&add → the date `add` working days after `from`. */
export async function workdaysAfter(client, from, add) {
    const j = ok(await client.get(`/api/v1/calendar/compute?from=${from}&add=${add}`), 200, 'calendar compute');
    assert.match(j.date, /^\d{4}-\d{2}-\d{2}$/);
    return j.date;
}

// ---- XLSX reading: a tiny zip reader (central directory + inflateRaw) and the sheet's cells ----

/** Map of file name → Buffer for every entry of a zip archive. */
export function unzip(buf) {
    let eocd = -1;
    for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--) {
        if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
    }
    assert.ok(eocd >= 0, 'zip: end of central directory not found');
    const n = buf.readUInt16LE(eocd + 10);
    let p = buf.readUInt32LE(eocd + 16);
    const out = {};
    for (let k = 0; k < n; k++) {
        assert.equal(buf.readUInt32LE(p), 0x02014b50, 'zip: central directory entry');
        const method = buf.readUInt16LE(p + 10);
        const csize = buf.readUInt32LE(p + 20);
        const nlen = buf.readUInt16LE(p + 28), xlen = buf.readUInt16LE(p + 30), clen = buf.readUInt16LE(p + 32);
        const local = buf.readUInt32LE(p + 42);
        const name = buf.toString('utf8', p + 46, p + 46 + nlen);
        const lnlen = buf.readUInt16LE(local + 26), lxlen = buf.readUInt16LE(local + 28);
        const data = buf.subarray(local + 30 + lnlen + lxlen, local + 30 + lnlen + lxlen + csize);
        out[name] = method === 0 ? Buffer.from(data) : inflateRawSync(data);
        p += 46 + nlen + xlen + clen;
    }
    return out;
}

const unxml = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

/** Rows (arrays of cell text, by column) of the first worksheet (or the named sheet file) of an XLSX. */
export function xlsxRows(buf, sheet = 'xl/worksheets/sheet1.xml') {
    const files = unzip(buf);
    const shared = [];
    if (files['xl/sharedStrings.xml']) {
        for (const m of files['xl/sharedStrings.xml'].toString('utf8').matchAll(/<si>([\s\S]*?)<\/si>/g)) {
            shared.push(unxml([...m[1].matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((x) => x[1]).join('')));
        }
    }
    assert.ok(files[sheet], `${sheet} missing; entries: ${Object.keys(files).join(', ')}`);
    const xml = files[sheet].toString('utf8');
    const rows = [];
    for (const rm of xml.matchAll(/<row[^>]*?r="(\d+)"[^>]*>([\s\S]*?)<\/row>/g)) {
        const row = [];
        for (const cm of rm[2].matchAll(/<c r="([A-Z]+)\d+"([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
            const col = [...cm[1]].reduce((s, ch) => s * 26 + ch.charCodeAt(0) - 64, 0) - 1;
            const attrs = cm[2], inner = cm[3] || '';
            const v = /<v>([\s\S]*?)<\/v>/.exec(inner)?.[1];
            let text = '';
            if (/t="s"/.test(attrs)) text = shared[Number(v)];
            else if (/t="inlineStr"/.test(attrs)) text = unxml([...inner.matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((x) => x[1]).join(''));
            else if (v !== undefined) text = unxml(v);
            row[col] = text;
        }
        rows[Number(rm[1]) - 1] = Array.from(row, (x) => x ?? '');
    }
    return Array.from(rows, (x) => x ?? []);
}

export const EXPORT_HEADERS = ['序号', '任务名称', '来源文件', '类别', '标签', '牵头单位', '配合单位', '责任人', '开始日期',
    '截止日期', '报送频次', '优先级', '挂牌督办', '状态', '预警', '逾期天数', '最新进展'];

export { assertError, ok };
