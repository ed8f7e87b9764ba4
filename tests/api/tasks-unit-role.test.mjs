// The task list's unit filter by role (issue 10): unit_id = lead or co-unit, lead_unit = the lead
// unit only, co_unit = a co-unit only; in the list and its export, inside the caller's scope.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, ok, unitByName } from './lib.mjs';
import { createTask } from './tasks-lib.mjs';

let srv, office, police, finance, a, b;
before(async () => {
    srv = await startServer();
    office = await srv.login('office');
    police = await unitByName(office, '区公安分局');
    finance = await unitByName(office, '区财政局');
    a = await createTask(office, { lead_unit_id: police.id, co_unit_ids: [finance.id] }); // police leads
    b = await createTask(office, { lead_unit_id: finance.id, co_unit_ids: [police.id] }); // police helps
});
after(async () => { await srv.stopAndCheck(); });

const ids = (r) => r.items.map((x) => x.id);

test('unit_id: lead or co; lead_unit: lead only; co_unit: co only', async () => {
    const any = ids(ok(await office.get(`/api/v1/tasks?unit_id=${police.id}&per_page=200`)));
    assert.ok(any.includes(a.id) && any.includes(b.id));
    const lead = ok(await office.get(`/api/v1/tasks?lead_unit=${police.id}&per_page=200`));
    assert.ok(ids(lead).includes(a.id) && !ids(lead).includes(b.id));
    assert.ok(lead.items.every((x) => x.lead_unit_id === police.id));
    const co = ok(await office.get(`/api/v1/tasks?co_unit=${police.id}&per_page=200`));
    assert.ok(ids(co).includes(b.id) && !ids(co).includes(a.id));
    assert.ok(co.items.every((x) => x.lead_unit_id !== police.id && (x.co_units || []).some((c) => c.unit_id === police.id)));
    assert.equal(lead.total + co.total, ok(await office.get(`/api/v1/tasks?unit_id=${police.id}&per_page=1`)).total);
});

test('the role filters are checked like unit_id', async () => {
    assertError(await office.get('/api/v1/tasks?lead_unit=abc'), 400, 'invalid');
    assertError(await office.get('/api/v1/tasks?co_unit=-1'), 400, 'invalid');
});

test('the export takes the same filter', async () => {
    const r = await office.get(`/api/v1/tasks/export.xlsx?co_unit=${police.id}`, { unchecked: 'an XLSX body is not JSON' });
    assert.equal(r.status, 200);
});

test('overdue=1 with lead_unit is what the stats block counts per unit (its bars open this list)', async () => {
    const stats = ok(await office.get('/api/v1/tasks/stats'));
    assert.ok(stats.overdue_by_unit.length > 0, 'the demo has overdue tasks');
    const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
    for (const u of stats.overdue_by_unit) {
        const r = ok(await office.get(`/api/v1/tasks?lead_unit=${u.unit_id}&overdue=1&per_page=200`));
        assert.equal(r.total, u.overdue, `${u.unit_name}: the list's total is the bar's count`);
        assert.equal(r.items.length, r.total, `${u.unit_name}: the page holds what the total says`);
        for (const t of r.items) {
            assert.ok(['issued', 'in_progress', 'closing'].includes(t.status));
            assert.ok(t.due_on < today, `${t.id} due ${t.due_on} is past`);
            assert.equal(t.lead_unit_id, u.unit_id);
        }
    }
    assertError(await office.get('/api/v1/tasks?overdue=maybe'), 400, 'invalid');
});
