// Import as users meet it (issue 10): every problem of every row in one answer (row, column,
// message in the user's language; an empty required cell says 必填), a preview that writes
// nothing, a bound on the errors listed, and likely duplicates — of existing records and within
// the sheet — found in the preview and confirmed (skip / allow) before the import writes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, ok, uniq } from './lib.mjs';
import { actors, day } from './tasks-lib.mjs';

let srv, c, u;
before(async () => {
    srv = await startServer();
    ({ c, u } = await actors(srv, ['office', 'clerk1', 'auditor']));
});
after(async () => { await srv.stopAndCheck(); });

const row = (title, extra = {}) => ({ title, content: '导入内容', category: '制度建设', lead_unit: '区司法局',
    responsible: '钱七', start_on: day(0), due_on: day(45), rhythm: '每月', priority: '紧急', ...extra });
const imp = (who, body, lang) => c[who].post('/api/v1/tasks/import', body, lang ? { headers: { 'Accept-Language': lang } } : undefined);
const total = async (tag) => ok(await c.office.get(`/api/v1/tasks?q=${encodeURIComponent(tag)}`)).total;

test('import: every problem of a row at once — cells and the database rules — with column and 必填', async () => {
    const tag = uniq('AE');
    // one row with four problems of different kinds: an unknown priority (a cell), an empty
    // deadline (a required cell), an unknown co-unit (a lookup) and a start after… nothing to
    // compare; a second row whose only problem is a database rule (start after the deadline)
    // next to a cell problem.
    const rows = [
        row(`${tag} 一`, { priority: '特急', due_on: '', co_units: '火星局' }),
        row(`${tag} 二`, { start_on: day(90), rhythm: '每周' }),
        row(`${tag} 三`),
    ];
    const e = assertError(await imp('office', { rows }), 400, 'invalid');
    const errs = e.fields.rows;
    const at = (r, f) => errs.find((x) => x.row === r && x.field === f);
    assert.ok(at(2, 'priority'), `row 2 priority: ${JSON.stringify(errs)}`);
    assert.ok(at(2, 'co_units'), `row 2 co_units: ${JSON.stringify(errs)}`);
    assert.equal(at(2, 'due_on')?.message, '必填', `an empty deadline is 必填: ${JSON.stringify(errs)}`);
    assert.equal(at(2, 'due_on').column, '截止日期', 'the column header');
    assert.ok(at(3, 'rhythm'), `row 3 rhythm: ${JSON.stringify(errs)}`);
    // the database rule is reported although another cell of the row failed
    assert.ok(at(3, 'due_on'), `row 3 due_on (start after due) beside the rhythm problem: ${JSON.stringify(errs)}`);
    assert.ok(!errs.some((x) => x.row === 4), 'the good row has none');
    assert.equal(e.fields.count, errs.length);
    assert.equal(e.fields.truncated, false);
    assert.equal(await total(tag), 0, 'nothing written');
    // in English: the same problems in English
    const en = assertError(await imp('office', { rows }, 'en'), 400, 'invalid');
    const due = en.fields.rows.find((x) => x.row === 2 && x.field === 'due_on');
    assert.equal(due.message, 'Required');
    // an empty lead unit is 必填 too, not "不存在"
    const lead = assertError(await imp('office', { rows: [row(`${tag} 四`, { lead_unit: '' })] }), 400, 'invalid');
    assert.equal(lead.fields.rows.find((x) => x.field === 'lead_unit')?.message, '必填', JSON.stringify(lead.fields.rows));
});

test('import preview: all problems and no write; the error list is bounded and says so', async () => {
    const tag = uniq('PV');
    const p = ok(await imp('office', { preview: true, rows: [row(`${tag} 一`), row(`${tag} 二`, { due_on: '明天' })] }));
    assert.equal(p.rows, 2);
    assert.equal(p.valid, 1);
    assert.equal(p.error_count, 1);
    assert.equal(p.errors[0].row, 3);
    assert.equal(p.errors[0].field, 'due_on');
    assert.deepEqual(p.duplicates, []);
    assert.equal(await total(tag), 0, 'a preview writes nothing');
    // 2000 rows with three problems each: 6000 problems, 1000 listed
    const many = Array.from({ length: 2000 }, (_, i) => row(`${tag} 多${i}`, { due_on: '', priority: '特急', rhythm: '每周' }));
    const e = assertError(await imp('office', { rows: many }), 400, 'invalid');
    assert.equal(e.fields.rows.length, 1000);
    assert.equal(e.fields.truncated, true);
    assert.equal(e.fields.count, 6000);
    assert.match(e.message, /6000/);
    assert.match(e.message, /1000/);
    assertError(await imp('office', { rows: [row('x')], preview: 'yes' }), 400, 'invalid');
    assertError(await imp('office', { rows: [row('x')], duplicates: 'maybe' }), 400, 'invalid');
});

test('re-import: likely duplicates (title, lead unit, deadline) are found against existing tasks and within the sheet, and must be confirmed', async () => {
    const tag = uniq('DUP');
    const sheet = [row(`${tag} 一`), row(`${tag} 二`), row(`${tag} 三`, { lead_unit: '城关街道' })];
    const first = ok(await imp('office', { rows: sheet }), 201);
    assert.equal(first.created, 3);
    const auditBefore = ok(await c.auditor.get('/api/v1/audit?action=task.import')).total;
    // the same sheet again, plus a row repeated inside it and one new row
    const again = [...sheet, row(`${tag} 四`), row(`${tag} 四`), row(`${tag} 二`, { due_on: day(46) })];
    const p = ok(await imp('office', { preview: true, rows: again }));
    const byRow = Object.fromEntries(p.duplicates.map((d) => [d.row, d]));
    assert.equal(byRow[2]?.existing_id, first.ids[0], JSON.stringify(p.duplicates));
    assert.equal(byRow[3]?.existing_id, first.ids[1]);
    assert.equal(byRow[4]?.existing_id, first.ids[2], 'same title and deadline, other lead unit: its own task');
    assert.equal(byRow[5], undefined, 'the first 四 is new');
    assert.equal(byRow[6]?.same_as_row, 5, 'the second 四 repeats row 5');
    assert.equal(byRow[7], undefined, 'another deadline is another task');
    assert.equal(p.duplicates.length, 4);
    // without a choice: 409 with the list, nothing written
    const e = assertError(await imp('office', { rows: again }), 409, 'import_duplicates');
    assert.equal(e.fields.duplicates.length, 4);
    assert.equal(await total(tag), 3, 'nothing written without a choice');
    assert.equal(ok(await c.auditor.get('/api/v1/audit?action=task.import')).total, auditBefore);
    // skip: only the new rows
    const s = ok(await imp('office', { rows: again, duplicates: 'skip' }), 201);
    assert.equal(s.created, 2, 'row 5 (四) and row 7 (二 with another deadline)');
    assert.equal(s.skipped, 4);
    assert.equal(await total(tag), 5);
    const audit = ok(await c.auditor.get('/api/v1/audit?action=task.import')).items[0];
    assert.match(audit.detail, /"skipped_duplicates":4/);
    // allow: everything, duplicates included
    const a = ok(await imp('office', { rows: [row(`${tag} 一`)], duplicates: 'allow' }), 201);
    assert.equal(a.created, 1);
    assert.equal(await total(tag), 6);
});
