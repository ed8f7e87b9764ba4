// The case registers' list pages are kept per caller, request, language and day (entity
// cache_deps, store/cache.h), labelled with the data versions of every table they read: the
// register's own tables, the parties and the statutory clocks ("cases"), units, accounts,
// settings and dictionaries. A write through this server shows in the very next page; a write by
// anyone else (straight SQL, another server, a job) within DV_CHECK_SECONDS = 1 s — allowed
// 2.5 s here on a loaded machine. Runs on SQLite and (api-pg) on PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, ok, sqlite } from './lib.mjs';
import { actors, today, addDays } from './tasks-lib.mjs';

const WITHIN_MS = 2500;
const REGISTER_ENTITIES = ['petitions', 'mediations', 'reconsiderations', 'litigations',
    'enforcement_cases', 'case_reviews', 'campaigns', 'legal_services'];

let srv, c, u;
before(async () => {
    srv = await startServer();
    ({ c, u } = await actors(srv));
});
after(async () => { await srv.stopAndCheck(); });

async function within(what, read, check) {
    const t0 = Date.now();
    for (;;) {
        const v = await read();
        if (check(v)) return Date.now() - t0;
        if (Date.now() - t0 > WITHIN_MS) assert.fail(`${what}: still ${JSON.stringify(v).slice(0, 300)} after ${Date.now() - t0} ms`);
        await new Promise((r) => setTimeout(r, 50));
    }
}

/** The page cache's lookups of an entity from /metrics: { hit, stale, miss }. */
async function lookups(name) {
    const text = (await srv.client().get('/metrics')).text;
    const out = { hit: 0, stale: 0, miss: 0 };
    const re = new RegExp(`^fazhi_cache_lookups_total\\{cache="${name}",result="(\\w+)"\\} (\\d+)$`, 'gm');
    for (const m of text.matchAll(re)) out[m[1]] = Number(m[2]);
    return out;
}

const PETITIONS = '/api/v1/petitions';
const page = async (who = c.office, q = '') => ok(await who.get(`${PETITIONS}?per_page=20${q}`));

async function register(body = {}) {
    return ok(await c.office.post(PETITIONS, {
        received_on: today(), channel: 'visit', matter_type: 'labour',
        summary: '反映某公司拖欠工资三个月，请求协调支付。', place: '城关街道',
        parties: [{ role: 'petitioner', name: '李秀英', phone: '13800001111' }], ...body,
    }), 201);
}

test('every register keeps its pages: the second read of a page is a cache hit', async () => {
    for (const name of REGISTER_ENTITIES) {
        const path = ok(await c.office.get(`/api/v1/entities/${name}`)).path;
        ok(await c.office.get(`${path}?per_page=20`));
        const l0 = await lookups(name);
        ok(await c.office.get(`${path}?per_page=20`));
        const l1 = await lookups(name);
        assert.equal(l1.hit, l0.hit + 1, `${name}: the same page again is kept`);
    }
});

test('writes through the API show in the very next page: a new petition, its parties, a step, a clerk scope', async () => {
    const p0 = await page();
    const rec = await register({ summary: `缓存测试 ${Date.now()}` });
    const p1 = await page();
    assert.equal(p1.total, p0.total + 1, 'the new petition is counted at once');
    const row = p1.items.find((x) => x.id === rec.id);
    assert.ok(row, 'and listed on the first page (newest first)');
    assert.match(row.party_names, /^李\*英$/);
    // parties replaced through the API: the masked names of the kept page follow at once
    const cur = ok(await c.office.get(`${PETITIONS}/${rec.id}`));
    ok(await c.office.put(`${PETITIONS}/${rec.id}`, {
        version: cur.version, channel: cur.channel, matter_type: cur.matter_type, summary: cur.summary,
        parties: [{ role: 'petitioner', name: '王建国', phone: '13900002222' }],
    }));
    assert.equal((await page()).items.find((x) => x.id === rec.id).party_names, '王*国');
    // a step by the office shows in its state at once
    const acc = ok(await c.office.post(`${PETITIONS}/${rec.id}/actions/accept`, { version: cur.version + 1 }));
    assert.equal((await page()).items.find((x) => x.id === rec.id).status, acc.status);
    // routed to clerk1's unit by the office: clerk1's kept page (same server) follows at once
    const k0 = await page(c.clerk1);
    ok(await c.office.post(`${PETITIONS}/${rec.id}/actions/route`, {
        version: acc.version, unit_id: u.sfj.id, route_mode: 'assign', routed_on: today(),
    }));
    const k1 = await page(c.clerk1);
    assert.equal(k1.total, k0.total + 1, 'the routed petition enters the clerk\'s scope at once');
    assert.ok(k1.items.some((x) => x.id === rec.id));
});

test('writes by another process show within the check interval: the register, its parties, its clocks, a unit', async () => {
    const rec = await register({ summary: `外部修改 ${Date.now()}` });
    const find = async () => (await page()).items.find((x) => x.id === rec.id);
    await find(); // kept now
    await sqlite(srv.db, `UPDATE petitions SET summary = '经由 SQL 修改的摘要' WHERE id = ${rec.id};`);
    await within('the petition changed in the table', find, (x) => x.summary === '经由 SQL 修改的摘要');
    await sqlite(srv.db, `UPDATE case_parties SET name_masked = '赵*' WHERE kind = 'petition' AND record_id = ${rec.id};`);
    await within('its party changed in the table', find, (x) => x.party_names === '赵*');
    // its acceptance clock made overdue in the table: the list's due date follows
    ok(await c.office.post(`${PETITIONS}/${rec.id}/actions/accept`, { version: rec.version }));
    const due0 = (await find()).due_on;
    assert.ok(due0, 'an accepted petition shows its next deadline');
    const past = addDays(today(), -5);
    await sqlite(srv.db, `UPDATE record_clocks SET due_on = '${past}' WHERE kind = 'petition' AND record_id = ${rec.id} AND stopped_on IS NULL;`);
    await within('its clock changed in the table', find, (x) => x.due_on === past);
    const unit = ok(await c.office.get(`${PETITIONS}/${rec.id}`));
    if (unit.handling_unit_id) {
        await sqlite(srv.db, `UPDATE units SET name = name || '（更名）' WHERE id = ${unit.handling_unit_id};`);
        await within('its unit renamed', find, (x) => /（更名）$/.test(x.handling_unit_name ?? ''));
        await sqlite(srv.db, `UPDATE units SET name = replace(name, '（更名）', '') WHERE id = ${unit.handling_unit_id};`);
    }
});

// A column each register lists from its own table (the record's number where nothing else is).
const OWN_COLUMN = {
    petitions: 'petition_no', mediations: 'case_no', reconsiderations: 'act', litigations: 'court',
    enforcement_cases: 'cause', case_reviews: 'reviewer', campaigns: 'name', legal_services: 'request_no',
};

test('each register follows its own tables: a listed column changed by SQL shows within the check interval', async () => {
    for (const name of REGISTER_ENTITIES) {
        const d = ok(await c.office.get(`/api/v1/entities/${name}`));
        const read = async () => ok(await c.office.get(`${d.path}?per_page=20`));
        const list = await read();
        assert.ok(list.items.length > 0, `${name}: the demo has records`);
        const col = OWN_COLUMN[name], id = list.items[0].id;
        assert.ok(d.fields.some((f) => f.name === col && f.list), `${name} lists ${col}`);
        const text = `SQL-${name.slice(0, 6)}-${id}`;
        await sqlite(srv.db, `UPDATE ${name} SET ${col} = '${text}' WHERE id = ${id};`);
        await within(`${name}.${col} changed in the table`,
            async () => (await read()).items.find((x) => x.id === id), (x) => x && x[col] === text);
    }
});
