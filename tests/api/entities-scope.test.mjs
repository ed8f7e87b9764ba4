// Every entity's list, get, export and count applies the caller's data scope — proved for each
// entity GET /api/v1/entities names, as clerk1 (scope own) and as a reader with a subtree-scope
// role, against a "twin": an account with the same permissions but scope `all`. The reader must
// see exactly the twin's rows that lie inside the reader's units (same order, same total), get
// each of them and 404 for the others, and export the same rows; documents' task counts must
// count only the tasks the reader may see. An entity this test does not know how to check
// fails it, so a new entity cannot slip in unchecked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, ok, listAll, sqlite, uniq, unitByName } from './lib.mjs';
import { xlsxRows, createTask, act, day } from './tasks-lib.mjs';
import { ROLE_PERMS, REGISTERS } from './contract.mjs';

let srv;
const c = {};
const readers = {}; // name → { client, twin, units: Set of unit ids, me }
const PW = 'Scope#Pass2026x', PW2 = 'Scope#Pass2026y';

/** A role (secadmin), an account with it (sysadmin), signed in with its password changed. */
async function account(username, unitId, perms, scope) {
    const code = username.replace(/[^a-z0-9_]/g, '_');
    ok(await c.secadmin.post('/api/v1/roles', { code, name: code.slice(0, 30), scope, permissions: perms }), 201);
    const u = ok(await c.sysadmin.post('/api/v1/users', { username, display_name: username, unit_id: unitId, password: PW }), 201).user;
    ok(await c.secadmin.put(`/api/v1/users/${u.id}/role`, { role: code, version: u.version }));
    const client = srv.client();
    const r = await client.login(username, PW);
    assert.equal(r.status, 200, r.text);
    ok(await client.post('/api/v1/auth/password', { old_password: PW, new_password: PW2 }));
    return client;
}

before(async () => {
    srv = await startServer();
    for (const u of ['office', 'clerk1', 'clerk2', 'sysadmin', 'secadmin']) c[u] = await srv.login(u);
    const all = await listAll(c.office, '/api/v1/units');
    const root = all.find((u) => !u.parent_id);
    // a district area with two units below it, so that a subtree is more than one unit
    const tag = uniq('s').replace(/[^a-z0-9]/gi, '').slice(-8);
    const area = ok(await c.office.post('/api/v1/units', { code: `A${tag}`, name: `片区${tag}`, kind: 'street', parent_id: root.id }), 201);
    const sub1 = ok(await c.office.post('/api/v1/units', { code: `B${tag}`, name: `社区甲${tag}`, kind: 'other', parent_id: area.id }), 201);
    const sub2 = ok(await c.office.post('/api/v1/units', { code: `C${tag}`, name: `社区乙${tag}`, kind: 'other', parent_id: area.id }), 201);
    ok(await c.office.post('/api/v1/people', { unit_id: sub1.id, name: '片区联络员', position: '联络员', is_liaison: true }), 201);
    const sfj = await unitByName(c.office, '区司法局');
    const cgjd = await unitByName(c.office, '城关街道');
    const doc = ok(await c.office.post('/api/v1/documents', { title: `${tag} 范围测试文件`, kind: 'plan' }), 201);
    // tasks led inside the area, co-assigned to it, and outside it (some issued, one a draft)
    const issue = async (lead, co, title) => {
        const t = await createTask(c.office, { title, lead_unit_id: lead, co_unit_ids: co, document_id: doc.id, due_on: day(30) });
        return act(c.office, t, 'issue');
    };
    await issue(sub1.id, [sfj.id], `${tag} 片区牵头`);
    await issue(sfj.id, [sub2.id], `${tag} 片区配合`);
    await issue(cgjd.id, [], `${tag} 城关`);
    await createTask(c.office, { title: `${tag} 草稿`, lead_unit_id: sub1.id, document_id: doc.id });
    // announcements: one to 区司法局 only, one to 城关街道 only (published), one draft
    for (const [unit, title] of [[sfj.id, '司法局'], [cgjd.id, '城关']]) {
        const n = ok(await c.office.post('/api/v1/notices', { title: `${tag} ${title}公告`, body: '范围', all_units: false, unit_ids: [unit] }), 201);
        ok(await c.office.post(`/api/v1/notices/${n.id}/actions/publish`, { version: n.version }));
    }
    ok(await c.office.post('/api/v1/notices', { title: `${tag} 草稿公告`, body: '草稿', all_units: true }), 201);
    // clerk1 (own: 区司法局) and its twin; a subtree reader of the area and its twin
    const clerkPerms = [...ROLE_PERMS.clerk]; // the clerk role's, registers included
    const me1 = ok(await c.clerk1.get('/api/v1/auth/me')).user;
    readers.clerk1 = { client: c.clerk1, twin: await account(`twin_clerk_${tag}`.toLowerCase(), me1.unit_id, clerkPerms, 'all'),
        units: new Set([me1.unit_id]), me: me1 };
    const readPerms = ['unit.read', 'person.read', 'task.read', 'user.read', 'role.read', 'legal_service.view',
        ...REGISTERS.map((m) => `${m}.view`)];
    const sub = await account(`sub_${tag}`.toLowerCase(), area.id, readPerms, 'subtree');
    const subMe = ok(await sub.get('/api/v1/auth/me')).user;
    readers.subtree = { client: sub, twin: await account(`twin_sub_${tag}`.toLowerCase(), area.id, readPerms, 'all'),
        units: new Set([area.id, sub1.id, sub2.id]), me: subMe };
    assert.equal(subMe.scope, 'subtree');
    // a notification of another user (clerk2's unit is told of its issued task)
    assert.ok(Number((await sqlite(srv.db, 'SELECT COUNT(*) FROM notifications;')).trim()) > 0, 'some notifications exist');
});
after(async () => { await srv.stopAndCheck(); });

const ids = (rows, key = 'id') => rows.map((r) => r[key]);

/** The twin's rows the reader may see, by the entity's declared scope rule. */
async function expectedRows(name, decl, reader, twinRows) {
    if (INSPECTION_PLAN_ENTITIES.includes(name)) return inspectionRows(name, reader, twinRows);
    switch (decl.scope.rule) {
        case 'all':
            return twinRows;
        case 'unit':
            assert.ok(decl.scope.field, `${name}: a unit-scoped entity names the field holding the unit`);
            return twinRows.filter((r) => reader.units.has(r[decl.scope.field]));
        case 'unit_link': {
            // the link tables, as the entity declares them (tasks: task_units, lead or co-unit)
            const known = { tasks: ['task_units', 'task_id', 'unit_id'], notices: ['notice_units', 'notice_id', 'unit_id'],
                campaigns: ['campaign_units', 'campaign_id', 'unit_id'] };
            assert.ok(known[name], `${name}: scope by a link table — add how to check it to this test`);
            const [table, key, unit] = known[name];
            const out = await sqlite(srv.db, `SELECT DISTINCT ${key} FROM ${table} WHERE ${unit} IN (${[...reader.units].join(',')});`);
            const linked = new Set(out.split('\n').filter(Boolean).map(Number));
            return twinRows.filter((r) => linked.has(r.id));
        }
        default:
            assert.fail(`${name}: scope rule ${decl.scope.rule} — add how to check it to this test`);
    }
    return [];
}

const INSPECTION_PLAN_ENTITIES = ['inspection_plans', 'inspection_items', 'inspection_team', 'inspection_targets',
    'inspection_records'];

/** 督察方案 and its child records (served rule 'all': the visible hook decides): a reader with a unit
 * scope reads the plans naming a unit of theirs or with them on the team; items and team follow the
 * plan, targets and records also by their own unit. */
async function inspectionRows(name, reader, twinRows) {
    const units = [...reader.units].join(',');
    const team = `SELECT m.plan_id FROM inspection_team m JOIN inspectors i ON i.id = m.inspector_id WHERE i.user_id = ${reader.me.id}`;
    const plans = `SELECT plan_id FROM inspection_targets WHERE unit_id IN (${units}) UNION ${team}`;
    const sql = {
        inspection_plans: `SELECT id FROM inspection_plans WHERE id IN (${plans})`,
        inspection_items: `SELECT id FROM inspection_items WHERE plan_id IN (${plans})`,
        inspection_team: `SELECT id FROM inspection_team WHERE plan_id IN (${plans})`,
        inspection_targets: `SELECT id FROM inspection_targets WHERE plan_id IN (${team}) OR unit_id IN (${units})`,
        inspection_records: `SELECT id FROM inspection_records WHERE plan_id IN (${team}) OR unit_id IN (${units})`,
    }[name];
    assert.ok(sql, `${name}: add how to check it to this test`);
    const seen = new Set((await sqlite(srv.db, `${sql};`)).split('\n').filter(Boolean).map(Number));
    return twinRows.filter((r) => seen.has(r.id));
}

async function exportRows(client, path) {
    const r = await client.get(`${path}/export.xlsx`);
    assert.equal(r.status, 200, `${path}/export.xlsx: ${r.status} ${r.text?.slice(0, 200)}`);
    return xlsxRows(r.buf);
}

for (const who of ['clerk1', 'subtree']) {
    test(`${who}: every entity's list, count, get and export hold exactly the rows of its scope`, async () => {
        const reader = readers[who];
        const entities = ok(await reader.client.get('/api/v1/entities')).items;
        assert.ok(entities.length >= 5, `${who} reads ${entities.map((e) => e.name)}`);
        const checked = [];
        for (const e of entities) {
            const decl = ok(await reader.client.get(`/api/v1/entities/${e.name}`));
            const key = decl.fields.find((f) => f.name === 'seq') ? 'seq' : 'id';
            const first = ok(await reader.client.get(`${e.path}?per_page=200`));
            const mine = await listAll(reader.client, e.path);
            assert.equal(first.total, mine.length, `${who} ${e.name}: total is the number of rows listed`);
            if (decl.scope.rule === 'user') {
                // one's own rows: the database says which are the reader's
                assert.equal(e.name, 'notifications', `${e.name}: own-rows scope — add how to check it to this test`);
                const own = (await sqlite(srv.db, `SELECT id FROM notifications WHERE user_id = ${reader.me.id} ORDER BY id DESC;`))
                    .split('\n').filter(Boolean).map(Number);
                assert.deepEqual(ids(mine), own, `${who} notifications: exactly their own`);
                const other = (await sqlite(srv.db, `SELECT id FROM notifications WHERE user_id <> ${reader.me.id} LIMIT 3;`))
                    .split('\n').filter(Boolean).map(Number);
                assert.ok(other.length > 0, 'another user has notifications');
                for (const id of other) assert.equal((await reader.client.get(`${e.path}/${id}`)).status, 404, `${who} reads notification ${id}`);
                checked.push(e.name);
                continue;
            }
            const twinRows = await listAll(reader.twin, e.path);
            const expected = await expectedRows(e.name, decl, reader, twinRows);
            assert.deepEqual(ids(mine, key), ids(expected, key), `${who} ${e.name}: the twin's rows inside the scope, in order`);
            if (['units', 'people', 'tasks'].includes(e.name) || (who === 'clerk1' && ['legal_services', 'notices', 'petitions', 'petition_progress', 'inspection_plans', 'inspection_targets', 'inspection_records'].includes(e.name))) {
                assert.ok(expected.length > 0 && expected.length < twinRows.length,
                    `${who} ${e.name}: ${expected.length} of ${twinRows.length} rows — the scope must matter here`);
            }
            // single reads: the rows in scope answer, the others are 404 like missing ones
            for (const row of mine.slice(0, 3)) {
                assert.equal(ok(await reader.client.get(`${e.path}/${row[key]}`))[key], row[key]);
            }
            const inside = new Set(ids(expected, key));
            for (const row of twinRows.filter((r) => !inside.has(r[key])).slice(0, 3)) {
                assert.equal((await reader.client.get(`${e.path}/${row[key]}`)).status, 404, `${who} reads ${e.name} ${row[key]}`);
            }
            // the export: the same rows, in the list's order
            if (decl.can.export) {
                const rows = await exportRows(reader.client, e.path);
                assert.equal(rows.length - 1, mine.length, `${who} ${e.name}: exported rows`);
                const exported = decl.fields.filter((f) => f.export);
                const col = exported.findIndex((f) => f.type === 'text' && mine.every((r) => typeof r[f.name] === 'string'));
                if (col >= 0) {
                    assert.deepEqual(rows.slice(1).map((x) => x[col + 1] ?? ''), mine.map((r) => r[exported[col].name]),
                        `${who} ${e.name}: the export's ${exported[col].zh} column`);
                }
                if (e.name === 'documents') { // 任务数 in the export: the reader's own counts too
                    const tc = exported.findIndex((f) => f.name === 'task_count');
                    assert.deepEqual(rows.slice(1).map((x) => Number(x[tc + 1])), mine.map((d) => d.task_count));
                }
            }
            // documents: each one's task count is the number of its tasks this reader sees
            if (e.name === 'documents') {
                let some = 0;
                for (const d of mine) {
                    const seen = ok(await reader.client.get(`/api/v1/tasks?document_id=${d.id}&per_page=1`)).total;
                    assert.equal(d.task_count, seen, `${who} document ${d.id}: task_count`);
                    assert.equal(ok(await reader.client.get(`/api/v1/documents/${d.id}`)).task_count, seen);
                    const all = ok(await reader.twin.get(`/api/v1/documents/${d.id}`)).task_count;
                    if (all > seen) some++;
                }
                assert.ok(some > 0, `${who}: some document has tasks outside the reader's scope`);
            }
            checked.push(e.name);
        }
        assert.deepEqual(checked.sort(), entities.map((e) => e.name).sort());
        assert.ok(checked.includes('tasks') && checked.includes('documents') && checked.includes('units'));
    });
}
