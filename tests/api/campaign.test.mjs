// 五项行动 (src/features/campaign): a campaign has a name, a period, a target, a lead unit and its
// owning units (its scope); records of any kind are tagged with it through
// POST /campaigns/{id}/items — the campaign and the record must be in the caller's scope (404),
// the kind known (400), the campaign in progress and the record not tagged yet (409). An item is
// cleared when its record is in a final state of its kind: the clearing rate equals a hand count,
// the uncleared list is `cleared=0`. Developed with 调解 and 12348 as the tagged kinds; nothing in
// the module names a kind. The demo seeds the speech's five campaigns.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, ok, uniq } from './lib.mjs';
import { actors, today, addDays, xlsxRows } from './tasks-lib.mjs';

let srv, c, u;
before(async () => {
    srv = await startServer();
    ({ c, u } = await actors(srv));
});
after(async () => { await srv.stopAndCheck(); });

const PATH = '/api/v1/campaigns';
const ITEMS = '/api/v1/campaign-items';

async function campaign(body = {}) {
    return ok(await c.office.post(PATH, {
        name: uniq('专项行动'), starts_on: addDays(today(), -30), ends_on: addDays(today(), 60), target: 4,
        lead_unit_id: u.cgjd.id, unit_ids: [], description: '测试行动', ...body,
    }), 201);
}
async function mediation(who = c.clerk2) {
    return ok(await who.post('/api/v1/mediations', { received_on: today(), source: 'application',
        dispute_type: 'contract', summary: `涉企合同纠纷 ${uniq('m')}`,
        parties: [{ role: 'applicant', name: '某建材公司' }] }), 201);
}
async function legalService() {
    return ok(await c.office.post('/api/v1/legal-services', { received_on: today(), channel: 'hotline',
        service_type: 'consultation', parties: [{ role: 'applicant', name: '王建国' }],
        summary: `企业法律咨询 ${uniq('l')}` }), 201);
}
async function act(who, path, rec, action, body = {}) {
    const cur = ok(await c.office.get(`${path}/${rec.id}`));
    return who.post(`${path}/${rec.id}/actions/${action}`, { version: cur.version, ...body });
}
const tag = (who, cp, kind, rec) => who.post(`${PATH}/${cp.id}/items`, { kind, record_id: rec.id });

test('tagging: records of any kind; scope, kind, duplicates and an ended campaign are refused', async () => {
    const cp = await campaign();
    assert.equal(cp.status, 'active');
    assert.equal(cp.items_total, 0);
    assert.equal(cp.clearing_rate, '');
    assert.deepEqual(cp.unit_ids, [u.cgjd.id], 'the lead unit owns it');
    const m = await mediation();
    const ls = await legalService();
    const a = ok(await tag(c.office, cp, 'mediation', m), 201);
    assert.equal(a.campaign_id, cp.id);
    assert.equal(a.kind, 'mediation');
    assert.equal(a.record_id, m.id);
    assert.equal(a.record_no, m.case_no);
    assert.equal(a.record_title, m.summary);
    assert.equal(a.record_status, 'received');
    assert.equal(a.record_status_name, '待分流');
    assert.equal(a.cleared, false);
    assert.equal(a.unit_id, u.cgjd.id, 'the record\'s responsible unit');
    assert.equal(a.record_link, `/mediations/${m.id}`);
    const b = ok(await tag(c.office, cp, 'legal_service', ls), 201);
    assert.equal(b.record_no, ls.request_no);
    // twice: 409; an unknown kind or record: 400 / 404; a kind without an entity of records
    assertError(await tag(c.office, cp, 'mediation', m), 409, 'conflict');
    let r = await c.office.post(`${PATH}/${cp.id}/items`, { kind: 'no_such', record_id: m.id });
    assert.ok(assertError(r, 400, 'invalid').fields.kind);
    assertError(await c.office.post(`${PATH}/${cp.id}/items`, { kind: 'mediation', record_id: 99999999 }), 404, 'not_found');
    assertError(await c.office.post(`${PATH}/${cp.id}/items`, { kind: 'mediation' }), 400, 'invalid');
    assertError(await c.office.post(`${PATH}/99999999/items`, { kind: 'mediation', record_id: m.id }), 404, 'not_found');
    // a clerk tags the unit's own records with the unit's campaigns
    const m2 = await mediation(c.clerk2);
    ok(await tag(c.clerk2, cp, 'mediation', m2), 201);
    const theirs = await mediation(c.clerk1);
    assertError(await tag(c.clerk2, cp, 'mediation', theirs), 404, 'not_found'); // another unit's record
    assertError(await tag(c.clerk1, cp, 'mediation', theirs), 404, 'not_found'); // a campaign not theirs
    assertError(await c.clerk1.get(`${PATH}/${cp.id}`), 404, 'not_found');
    assertError(await tag(c.leader, cp, 'mediation', theirs), 403, 'forbidden');
    // the audit trail names the kind and record, never more
    const audit = ok(await c.auditor.get(`/api/v1/audit?object_type=campaign&object_id=${cp.id}&per_page=50`)).items;
    assert.equal(audit.filter((x) => x.action === 'campaign.tag').length, 3);

    // untag while in progress; an ended campaign takes no item and keeps its items
    ok(await c.office.del(`${ITEMS}/${b.id}`));
    assertError(await c.clerk2.get(`${ITEMS}/${b.id}`), 404, 'not_found');
    ok(await act(c.office, PATH, cp, 'end'));
    assertError(await tag(c.office, cp, 'legal_service', ls), 409, 'conflict');
    assertError(await c.office.del(`${ITEMS}/${a.id}`), 403, 'forbidden');
    const x = ok(await act(c.office, PATH, cp, 'reopen', { note: '继续开展' }));
    assert.equal(x.status, 'active');
});

test('clearing rate = cleared items / items (and / target): a hand count; the uncleared list', async () => {
    const cp = await campaign({ target: 8 });
    const withdrawn = await mediation(), open = await mediation(), cancelled = await legalService(), waiting = await legalService();
    for (const [k, rec] of [['mediation', withdrawn], ['mediation', open], ['legal_service', cancelled], ['legal_service', waiting]])
        ok(await tag(c.office, cp, k, rec), 201);
    ok(await act(c.office, '/api/v1/mediations', withdrawn, 'withdraw', { note: '双方和解' }));
    ok(await act(c.office, '/api/v1/legal-services', cancelled, 'cancel', { note: '撤回' }));
    let x = ok(await c.office.get(`${PATH}/${cp.id}`));
    // hand count: withdrawn and cancelled are final states of their kinds
    assert.equal(x.items_total, 4);
    assert.equal(x.items_cleared, 2);
    assert.equal(x.items_uncleared, 2);
    assert.equal(x.clearing_rate, '50.0%');
    assert.equal(x.target_rate, '25.0%');
    const items = ok(await c.office.get(`${ITEMS}?campaign_id=${cp.id}&per_page=50`)).items;
    assert.equal(items.length, 4);
    assert.equal(items.filter((i) => i.cleared).length, x.items_cleared, 'the list says the same');
    const un = ok(await c.office.get(`${ITEMS}?campaign_id=${cp.id}&cleared=0`));
    assert.deepEqual(un.items.map((i) => i.record_id).sort(), [open.id, waiting.id].sort());
    assert.ok(un.items.every((i) => i.cleared === false));
    const done = ok(await c.office.get(`${ITEMS}?campaign_id=${cp.id}&cleared=1`));
    assert.deepEqual(done.items.map((i) => i.record_id).sort(), [withdrawn.id, cancelled.id].sort());
    assert.equal(ok(await c.office.get(`${ITEMS}?campaign_id=${cp.id}&kind=legal_service`)).total, 2);
    // a record reaching a final state is cleared at once (computed, never stored)
    ok(await act(c.office, '/api/v1/mediations', open, 'withdraw', { note: '撤回' }));
    x = ok(await c.office.get(`${PATH}/${cp.id}`));
    assert.equal(x.items_cleared, 3);
    assert.equal(x.clearing_rate, '75.0%');
    // the list carries the same numbers
    const row = ok(await c.office.get(`${PATH}?q=${encodeURIComponent(cp.name)}`)).items[0];
    assert.equal(row.items_total, 4);
    assert.equal(row.items_cleared, 3);
    // the uncleared list exports as the office keeps it
    const xl = await c.office.get(`${ITEMS}/export.xlsx?campaign_id=${cp.id}&cleared=0`);
    assert.equal(xl.status, 200);
    const [head, ...xrows] = xlsxRows(xl.buf);
    for (const h of ['专项行动', '事项类型', '编号', '事项摘要', '状态', '已清理']) assert.ok(head.includes(h), h);
    assert.deepEqual(xrows.map((r) => r[head.indexOf('编号')]), [waiting.request_no]);
    assert.equal(xrows[0][head.indexOf('已清理')], '否');
});

test('scope: a unit reads the campaigns it owns and the items of its own records', async () => {
    const cp = await campaign({ lead_unit_id: u.sfj.id, unit_ids: [u.cgjd.id] });
    assert.deepEqual([...cp.unit_ids].sort((p, q) => p - q), [u.sfj.id, u.cgjd.id].sort((p, q) => p - q));
    const mine = await mediation(c.clerk2), theirs = await mediation(c.clerk1);
    ok(await tag(c.clerk2, cp, 'mediation', mine), 201);
    ok(await tag(c.clerk1, cp, 'mediation', theirs), 201);
    const l2 = ok(await c.clerk2.get(`${ITEMS}?campaign_id=${cp.id}`));
    assert.deepEqual(l2.items.map((i) => i.record_id), [mine.id]);
    const l1 = ok(await c.clerk1.get(`${ITEMS}?campaign_id=${cp.id}`));
    assert.deepEqual(l1.items.map((i) => i.record_id), [theirs.id]);
    assert.equal(ok(await c.office.get(`${ITEMS}?campaign_id=${cp.id}`)).total, 2);
    // a campaign the unit does not own is not listed
    const other = await campaign({ lead_unit_id: u.police.id });
    assertError(await c.clerk2.get(`${PATH}/${other.id}`), 404, 'not_found');
    assert.ok(!ok(await c.clerk2.get(`${PATH}?per_page=200`)).items.some((x) => x.id === other.id));
    // bad input: the period, unknown units
    const bad = await c.office.post(PATH, { name: uniq('x'), starts_on: today(), ends_on: addDays(today(), -1),
        target: 1, lead_unit_id: u.sfj.id, unit_ids: [99999999] });
    const e = assertError(bad, 400, 'invalid');
    assert.ok(e.fields.ends_on && e.fields.unit_ids);
    assertError(await c.clerk2.post(PATH, { name: 'x' }), 403, 'forbidden');
});

test('the demo seeds the speech\'s five campaigns with targets and tagged items', async () => {
    const all = ok(await c.office.get(`${PATH}?per_page=50`)).items;
    for (const n of ['涉企涉法涉诉信访积案清理', '打击非法集资', '打击恶意逃废金融债务', '打击电信网络诈骗', '侵害企业和企业家合法权益']) {
        const x = all.find((cp) => cp.name.includes(n));
        assert.ok(x, n);
        assert.ok(x.target > 0 && x.items_total > 0, `${n}: ${x.target} ${x.items_total}`);
        assert.match(x.clearing_rate, /^\d+\.\d%$/);
    }
    const items = ok(await c.office.get(`${ITEMS}?per_page=200`)).items;
    assert.ok(new Set(items.map((i) => i.kind)).size >= 2, 'items of several kinds');
    const menu = ok(await c.clerk1.get('/api/v1/menu'));
    const group = menu.groups.find((g) => g.items.some((i) => i.path === '/campaigns'));
    assert.equal(group.key, 'cases');
    const d = ok(await c.office.get('/api/v1/entities/campaigns'));
    assert.equal(d.kind, 'campaign');
});
