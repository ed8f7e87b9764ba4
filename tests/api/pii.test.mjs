// 当事人 and personal data (src/features/entity/entity_parties.c, base/crypto.c, base/pii.c): a
// register's parties are answered masked in JSON and in the export; seeing one value whole needs
// pii.reveal and a reason and leaves an audit record with the reason, never the value; ?id_no=
// finds the record by the blind index; a bad check digit is refused; and neither the database
// file, its WAL, a `fazhi backup` copy nor the server's log holds a whole ID number, phone or name.
// Key rotation: `fazhi keys rotate` + `reseal` seal every value under the new key, and it opens.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startServer, assertError, ok, databaseBytes, fazhi, ENGINE, DEMO_PASSWORD, makeDataDir, removeDataDir, sqlite } from './lib.mjs';
import { actors, today, xlsxRows } from './tasks-lib.mjs';

const PATH = '/api/v1/legal-services';

/** A valid 18-character ID number (GB 11643 check digit) from its first 17 digits. */
function idNo(first17) {
    const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const sum = [...first17].reduce((s, d, i) => s + Number(d) * w[i], 0);
    return first17 + '10X98765432'[sum % 11];
}
function badCheck(id) {
    const last = id[17] === '0' ? '1' : '0';
    return id.slice(0, 17) + last;
}

// values no other test or demo row uses, so a raw search means this record
const ID = idNo('44030419870615371');
const ID2 = idNo('11010119900307123');
const PHONE = '13962718254';
const NAME = '皇甫嵩岳';
const NAME2 = '诸葛亮';

let srv, c, rec;
before(async () => {
    srv = await startServer();
    ({ c } = await actors(srv, ['office', 'leader', 'clerk1', 'auditor']));
    rec = ok(await c.office.post(PATH, {
        received_on: today(), channel: 'window', service_type: 'legal_aid', summary: '个人信息测试',
        parties: [{ role: 'applicant', name: NAME, id_no: ID, phone: PHONE },
            { role: 'agent', name: NAME2, id_no: ID2.toLowerCase() }],
    }), 201);
});
after(async () => { await srv.stopAndCheck(); });

function noWhole(text, what) {
    for (const v of [ID, ID2, PHONE, NAME, NAME2])
        assert.equal(text.indexOf(v), -1, `${what} holds ${v} whole`);
}

test('the JSON answers parties masked: 张*明, 110101********1234, 138****1234', async () => {
    assert.equal(rec.parties.length, 2);
    const [a, b] = rec.parties;
    assert.equal(a.role, 'applicant');
    assert.equal(a.role_name, '申请人');
    assert.equal(a.name, '皇**岳');
    assert.equal(a.id_no, `${ID.slice(0, 6)}********${ID.slice(14)}`);
    assert.equal(a.phone, '139****8254');
    assert.equal(b.name, '诸*亮');
    assert.equal(b.phone, '');
    noWhole(JSON.stringify(rec), 'the create answer');
    const got = ok(await c.office.get(`${PATH}/${rec.id}`));
    assert.deepEqual(got.parties, rec.parties);
    const list = ok(await c.office.get(`${PATH}?per_page=200`));
    const row = list.items.find((x) => x.id === rec.id);
    assert.equal(row.party_names, '皇**岳、诸*亮');
    noWhole(JSON.stringify(list), 'the list');
    const decl = ok(await c.office.get('/api/v1/entities/legal_services'));
    assert.equal(decl.parties.min, 1);
    assert.deepEqual(decl.parties.roles.map((r) => r.value), ['applicant', 'agent']);
    assert.equal(decl.parties.can_reveal, true);
    assert.equal(ok(await c.leader.get('/api/v1/entities/legal_services')).parties.can_reveal, false);
});

test('?id_no= finds the record by its exact number; a bad number is 400 without repeating it', async () => {
    const hit = ok(await c.office.get(`${PATH}?id_no=${ID}`));
    assert.deepEqual(hit.items.map((x) => x.id), [rec.id]);
    assert.equal(hit.total, 1);
    // lower-case x, and the second party
    if (ID2.endsWith('X')) assert.equal(ok(await c.office.get(`${PATH}?id_no=${ID2.toLowerCase()}`)).total, 1);
    assert.equal(ok(await c.office.get(`${PATH}?id_no=${ID2}`)).total, 1);
    assert.equal(ok(await c.office.get(`${PATH}?id_no=${idNo('44030419870615372')}`)).total, 0);
    const bad = await c.office.get(`${PATH}?id_no=${badCheck(ID)}`);
    assertError(bad, 400, 'invalid');
    assert.match(bad.json.error.fields.id_no, /校验位/);
    assert.equal(bad.text.indexOf(badCheck(ID)), -1, 'the error does not echo the number');
    assertError(await c.office.get(`${PATH}?id_no=12345`), 400, 'invalid');
    const byName = ok(await c.office.get(`${PATH}?party_name=${encodeURIComponent(NAME)}`));
    assert.deepEqual(byName.items.map((x) => x.id), [rec.id]);
    assert.equal(ok(await c.office.get(`${PATH}?party_name=${encodeURIComponent('皇甫')}`)).total, 0,
        'exact names only');
});

test('a bad check digit, a bad phone, an unknown role are refused on create, each named', async () => {
    const before = ok(await c.office.get(PATH)).total;
    const r = await c.office.post(PATH, {
        received_on: today(), channel: 'window', service_type: 'legal_aid', summary: 's',
        parties: [{ role: 'applicant', name: '甲乙', id_no: badCheck(ID), phone: 'x' },
            { role: 'judge', name: '' }],
    });
    assertError(r, 400, 'invalid');
    const f = r.json.error.fields;
    for (const k of ['parties[0].id_no', 'parties[0].phone', 'parties[1].role', 'parties[1].name'])
        assert.ok(f[k], `${k}: ${JSON.stringify(f)}`);
    assert.equal(r.text.indexOf(badCheck(ID)), -1, 'the error does not echo the number');
    assertError(await c.office.post(PATH, {
        received_on: today(), channel: 'window', service_type: 'legal_aid', summary: 's',
        parties: Array.from({ length: 6 }, () => ({ role: 'applicant', name: '某某' })),
    }), 400, 'invalid');
    assert.equal(ok(await c.office.get(PATH)).total, before, 'nothing written');
});

test('update replaces the parties; omitted leaves them', async () => {
    const x = ok(await c.office.post(PATH, {
        received_on: today(), channel: 'window', service_type: 'consultation', summary: '替换测试',
        parties: [{ role: 'applicant', name: '原来人' }],
    }), 201);
    const y = ok(await c.office.put(`${PATH}/${x.id}`, { version: x.version, channel: 'window', summary: '替换测试2' }));
    assert.deepEqual(y.parties.map((p) => p.name), ['原*人']);
    const z = ok(await c.office.put(`${PATH}/${x.id}`, { version: y.version, channel: 'window', summary: '替换测试3',
        parties: [{ role: 'applicant', name: '新来的人' }, { role: 'agent', name: '代理' }] }));
    assert.deepEqual(z.parties.map((p) => p.name), ['新**人', '代*']);
});

test('the export is masked; whole only for pii.reveal holders, and the audit record says so', async () => {
    const masked = await c.leader.get(`${PATH}/export.xlsx?id_no=${ID}`);
    assert.equal(masked.status, 200);
    const rows = xlsxRows(masked.buf);
    const head = rows[0];
    for (const h of ['当事人', '证件号码', '联系电话']) assert.ok(head.includes(h), `header ${h}: ${head}`);
    const line = rows[1];
    assert.equal(line[head.indexOf('当事人')], '皇**岳、诸*亮');
    assert.equal(line[head.indexOf('证件号码')], `${ID.slice(0, 6)}********${ID.slice(14)}、${ID2.slice(0, 6)}********${ID2.slice(14)}`);
    assert.equal(line[head.indexOf('联系电话')], '139****8254、-');
    noWhole(JSON.stringify(rows), 'the masked export');
    const whole = xlsxRows((await c.office.get(`${PATH}/export.xlsx?id_no=${ID}`)).buf);
    assert.equal(whole[1][whole[0].indexOf('证件号码')], `${ID}、${ID2}`);
    assert.equal(whole[1][whole[0].indexOf('当事人')], `${NAME}、${NAME2}`);
    const log = ok(await c.auditor.get('/api/v1/audit?action=legal_service.export&per_page=20')).items;
    const details = log.map((x) => JSON.parse(x.detail || '{}'));
    assert.ok(details.some((d) => d.personal_data_whole === true && d.rows === 1), JSON.stringify(details));
    assert.ok(details.some((d) => d.personal_data_whole === false), 'the masked export is recorded too');
    noWhole(JSON.stringify(log), 'the export audit');
});

test('reveal: 403 without pii.reveal, 400 without a reason, 404 outside the scope; audited without the value', async () => {
    const pid = rec.parties[0].id;
    const url = `${PATH}/${rec.id}/parties/${pid}/reveal`;
    assertError(await c.leader.post(url, { field: 'id_no', reason: '核对身份' }), 403, 'forbidden');
    assertError(await c.office.post(url, { field: 'id_no' }), 400, 'invalid');
    assertError(await c.office.post(url, { field: 'id_no', reason: '查' }), 400, 'invalid');
    assertError(await c.office.post(url, { field: 'id_no', reason: 'x'.repeat(201) }), 400, 'invalid');
    assertError(await c.office.post(url, { field: 'password', reason: '核对身份' }), 400, 'invalid');
    assertError(await c.office.post(`${PATH}/${rec.id}/parties/99999999/reveal`, { field: 'id_no', reason: '核对身份' }), 404, 'not_found');
    assertError(await c.office.post(`${PATH}/99999999/parties/${pid}/reveal`, { field: 'id_no', reason: '核对身份' }), 404, 'not_found');
    assert.deepEqual(ok(await c.office.post(url, { field: 'id_no', reason: '核对申请人身份' })), { field: 'id_no', value: ID });
    assert.deepEqual(ok(await c.office.post(url, { field: 'phone', reason: '电话回访申请人' })), { field: 'phone', value: PHONE });
    assert.deepEqual(ok(await c.office.post(url, { field: 'name', reason: '制作文书' })), { field: 'name', value: NAME });
    const log = ok(await c.auditor.get(`/api/v1/audit?action=legal_service.reveal&per_page=50`)).items;
    const mine = log.filter((x) => Number(x.object_id) === rec.id).map((x) => JSON.parse(x.detail));
    assert.equal(mine.length, 3);
    assert.ok(mine.some((d) => d.field === 'id_no' && d.reason === '核对申请人身份' && d.party_id === pid));
    noWhole(JSON.stringify(log), 'the reveal audit');
});

test('the people phone reveal uses the same sealing', async () => {
    const p = ok(await c.office.post('/api/v1/people', { unit_id: c.office.user.unit_id, name: '密封测试', phone: '13755556666' }), 201);
    assert.equal(p.phone, '137****6666');
    assert.deepEqual(ok(await c.office.get(`/api/v1/people/${p.id}/phone`)), { phone: '13755556666' });
});

const IMP_ID = idNo('32010219800101551');
const IMP_NAME = '东方未明';

test('import: the first party from 当事人姓名/身份证号/联系电话; a bad number names its column, not its value', async () => {
    const tpl = xlsxRows((await c.office.get(`${PATH}/import-template.xlsx`)).buf);
    for (const h of ['当事人姓名*', '身份证号', '联系电话']) assert.ok(tpl[0].includes(h), `template header ${h}: ${tpl[0]}`);
    const row = { received_on: today(), channel: '窗口', service_type: '法律咨询', summary: '导入测试' };
    const bad = await c.office.post(`${PATH}/import`, { rows: [{ ...row, party_name: IMP_NAME, party_id_no: badCheck(IMP_ID) }] });
    assertError(bad, 400, 'invalid');
    const e = bad.json.error.fields.rows[0];
    assert.equal(e.field, 'party_id_no');
    assert.equal(e.column, '身份证号');
    assert.equal(bad.text.indexOf(badCheck(IMP_ID)), -1, 'the error does not echo the number');
    const none = await c.office.post(`${PATH}/import`, { rows: [row], preview: true });
    assert.equal(none.json.errors[0].field, 'party_name', 'the applicant is required');
    const r = ok(await c.office.post(`${PATH}/import`, { rows: [{ ...row, party_name: IMP_NAME, party_id_no: IMP_ID, party_phone: '13712345678' }] }), 201);
    const got = ok(await c.office.get(`${PATH}/${r.ids[0]}`));
    assert.deepEqual(got.parties.map((p) => [p.role, p.name, p.id_no, p.phone]),
        [['applicant', '东**明', `${IMP_ID.slice(0, 6)}********${IMP_ID.slice(14)}`, '137****5678']]);
    assert.equal(ok(await c.office.get(`${PATH}?id_no=${IMP_ID}`)).total, 1);
    const log = ok(await c.auditor.get('/api/v1/audit?action=legal_service.import&per_page=5')).items;
    assert.ok(log.length >= 1);
    for (const v of [IMP_ID, IMP_NAME, '13712345678']) assert.equal(JSON.stringify(log).indexOf(v), -1, `the import audit holds ${v}`);
});

test('no whole ID number, phone or name in the database, its WAL, a backup or the server log', async () => {
    const dump = await databaseBytes(srv);
    const all = Buffer.concat(dump);
    assert.notEqual(all.indexOf(Buffer.from('个人信息测试')), -1, 'the record itself is in what was searched');
    const needles = [ID, ID2, ID2.toLowerCase(), PHONE, NAME, NAME2, IMP_ID, IMP_NAME, '13712345678'];
    for (const buf of dump)
        for (const v of needles) {
            assert.equal(buf.indexOf(Buffer.from(v)), -1, `the ${ENGINE} database holds ${v}`);
            assert.equal(buf.indexOf(Buffer.from(v, 'utf16le')), -1, `utf16 ${v}`);
        }
    if (ENGINE === 'sqlite') {
        const file = join(srv.dir, 'backup-copy.db');
        const r = await fazhi(['backup', file, '--data-dir', srv.dir]);
        assert.equal(r.code, 0, r.stderr);
        const copy = await readFile(file);
        assert.notEqual(copy.indexOf(Buffer.from('个人信息测试')), -1);
        for (const v of needles) assert.equal(copy.indexOf(Buffer.from(v)), -1, `the backup holds ${v}`);
    }
    // the access log carried ?id_no= and ?party_name= requests: masked there
    for (const v of needles) assert.equal(srv.stderr.indexOf(v), -1, `the server log holds ${v}`);
    assert.equal(srv.stderr.indexOf(encodeURIComponent(NAME)), -1, 'nor the name url-encoded');
});

test('keys rotate + reseal: every value sealed under key 2, still revealed', { skip: ENGINE !== 'sqlite' && 'SQLite file checks' }, async () => {
    const dir = await makeDataDir();
    try {
        let r = await fazhi(['demo', '--data-dir', dir, '--password', DEMO_PASSWORD]);
        assert.equal(r.code, 0, r.stderr);
        const db = join(dir, 'fazhi.db');
        // a value sealed the old way (no key id, no associated data) still opens and is resealed
        r = await fazhi(['keys', 'rotate', '--data-dir', dir]);
        assert.equal(r.code, 0, r.stderr);
        assert.ok(existsSync(join(dir, 'secret.key.2')));
        r = await fazhi(['keys', 'list', '--data-dir', dir]);
        assert.match(r.stdout, /2\s+yes/);
        r = await fazhi(['keys', 'reseal', '--data-dir', dir]);
        assert.equal(r.code, 0, r.stderr + r.stdout);
        assert.match(r.stdout, /resealed \d+ values under key 2/);
        const left = await sqlite(db, "SELECT COUNT(*) FROM case_parties WHERE (name_enc IS NOT NULL AND name_enc NOT LIKE 'k2:%') OR (id_enc IS NOT NULL AND id_enc NOT LIKE 'k2:%') OR (phone_enc IS NOT NULL AND phone_enc NOT LIKE 'k2:%')");
        assert.equal(String(left).trim(), '0');
        const people = await sqlite(db, "SELECT COUNT(*) FROM people WHERE phone_enc IS NOT NULL AND phone_enc NOT LIKE 'k2:%'");
        assert.equal(String(people).trim(), '0');
        const s2 = await startServer({ demo: false, dataDir: dir });
        try {
            const office = await s2.login('office');
            const one = ok(await office.get(`${PATH}?per_page=1`)).items[0];
            const full = ok(await office.get(`${PATH}/${one.id}`));
            const v = ok(await office.post(`${PATH}/${one.id}/parties/${full.parties[0].id}/reveal`, { field: 'id_no', reason: '轮换后核对' }));
            assert.match(v.value, /^\d{17}[\dX]$/);
        } finally {
            await s2.stop?.();
        }
    } finally {
        await removeDataDir(dir);
    }
});
