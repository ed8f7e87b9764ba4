// 通知公告: the office writes an announcement (a draft nobody else sees), publishes it to all
// units or to chosen ones, pins and withdraws it; each unit's readers see what is addressed to
// them and mark it read; the office sees who of which unit has read it. The body is text: what
// was written comes back as it was, never turned into markup. Attachments are read by whoever
// reads the notice.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, ok, listAll, unitByName } from './lib.mjs';
import { uploadRaw } from './tasks-lib.mjs';

let srv, office, clerk1, clerk2, leader;
before(async () => {
    srv = await startServer();
    office = await srv.login('office');
    clerk1 = await srv.login('clerk1');
    clerk2 = await srv.login('clerk2');
    leader = await srv.login('leader');
});
after(async () => { await srv.stopAndCheck(); });

const XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>\n第二行 & "引号"';

async function publish(id) {
    const n = ok(await office.get(`/api/v1/notices/${id}`));
    return ok(await office.post(`/api/v1/notices/${id}/actions/publish`, { version: n.version }));
}

test('a draft is the office\'s; published to all units every reader sees it, the body exactly as written', async () => {
    const n = ok(await office.post('/api/v1/notices', { title: '关于开展宪法宣传周活动的通知', body: XSS, all_units: true }), 201);
    assert.equal(n.status, 'draft');
    assert.deepEqual(n.allowed_actions, ['publish']);
    assertError(await clerk1.get(`/api/v1/notices/${n.id}`), 404, 'not_found');
    assert.ok(!(await listAll(clerk1, '/api/v1/notices')).some((x) => x.id === n.id), 'a draft is not listed');
    assertError(await clerk1.post(`/api/v1/notices/${n.id}/read`), 404, 'not_found');
    const p = await publish(n.id);
    assert.equal(p.status, 'published');
    assert.ok(p.published_at);
    for (const c of [clerk1, clerk2, leader]) {
        const got = ok(await c.get(`/api/v1/notices/${n.id}`));
        assert.equal(got.body, XSS, 'stored and answered as text, unchanged');
        assert.equal(got.read, false);
        assert.deepEqual(got.allowed_actions, [], 'readers take no step');
    }
    // the three administrators have no business announcements
    const sys = await srv.login('sysadmin');
    assertError(await sys.get('/api/v1/notices'), 403, 'forbidden');
    // readers cannot write
    assertError(await clerk1.post('/api/v1/notices', { title: 'x', body: 'y', all_units: true }), 403, 'forbidden');
    assertError(await clerk1.post(`/api/v1/notices/${n.id}/actions/withdraw`, { version: p.version }), 409, 'invalid_transition');
});

test('a notice to chosen units reaches only them; bad input is refused with every problem', async () => {
    const sfj = await unitByName(office, '区司法局');
    const e = assertError(await office.post('/api/v1/notices', { title: '', body: 'x', all_units: false }), 400, 'invalid');
    assert.ok(e.fields.title && e.fields.unit_ids, JSON.stringify(e.fields));
    assertError(await office.post('/api/v1/notices', { title: 't', body: 'x', all_units: false, unit_ids: [999999] }), 400, 'invalid');
    const n = ok(await office.post('/api/v1/notices', { title: '司法局专项通知', body: '仅发区司法局', all_units: false, unit_ids: [sfj.id] }), 201);
    assert.deepEqual(n.unit_ids, [sfj.id]);
    await publish(n.id);
    ok(await clerk1.get(`/api/v1/notices/${n.id}`));
    assertError(await clerk2.get(`/api/v1/notices/${n.id}`), 404, 'not_found');
    assert.ok(!(await listAll(clerk2, '/api/v1/notices')).some((x) => x.id === n.id));
});

test('read receipts: a reader marks it read once; the office sees read and unread per unit, with names', async () => {
    const n = ok(await office.post('/api/v1/notices', { title: '回执测试', body: '请阅知', all_units: true }), 201);
    await publish(n.id);
    const first = ok(await clerk1.post(`/api/v1/notices/${n.id}/read`));
    const again = ok(await clerk1.post(`/api/v1/notices/${n.id}/read`));
    assert.equal(again.read_at, first.read_at, 'the first reading is kept');
    const mine = ok(await clerk1.get(`/api/v1/notices/${n.id}`));
    assert.equal(mine.read, true);
    assert.equal(mine.read_at, first.read_at);
    assert.equal((await listAll(clerk1, '/api/v1/notices')).find((x) => x.id === n.id).read, true);
    assert.equal((await listAll(clerk2, '/api/v1/notices')).find((x) => x.id === n.id).read, false, 'per reader');
    const r = ok(await office.get(`/api/v1/notices/${n.id}/reads`));
    const sfj = r.units.find((u) => u.unit_name === '区司法局');
    const cg = r.units.find((u) => u.unit_name === '城关街道');
    assert.equal(sfj.read, 1);
    assert.ok(sfj.users >= 1);
    assert.equal(sfj.readers.length, 1);
    assert.match(sfj.readers[0].display_name, /何晓东/);
    assert.equal(cg.read, 0);
    assert.equal(r.units_read, 1);
    assert.equal(r.users_read, 1);
    assert.ok(r.units_total >= 10 && r.users_total > r.users_read);
    assertError(await clerk1.get(`/api/v1/notices/${n.id}/reads`), 403, 'forbidden');
    // reading is not an audited business change
    ok(await clerk2.post(`/api/v1/notices/${n.id}/read`));
    assert.equal(ok(await office.get(`/api/v1/notices/${n.id}/reads`)).units_read, 2);
});

test('pinned first; a published notice is not edited; withdrawn it disappears for the readers, drafts only are deleted', async () => {
    const a = ok(await office.post('/api/v1/notices', { title: '普通公告', body: 'a', all_units: true }), 201);
    const b = ok(await office.post('/api/v1/notices', { title: '置顶公告', body: 'b', all_units: true }), 201);
    await publish(b.id);
    const pa = await publish(a.id); // the newer one
    let pb = ok(await office.get(`/api/v1/notices/${b.id}`));
    pb = ok(await office.post(`/api/v1/notices/${b.id}/actions/pin`, { version: pb.version }));
    assert.equal(pb.pinned, true);
    assert.deepEqual(pb.allowed_actions, ['unpin', 'withdraw']);
    const list = (await listAll(clerk1, '/api/v1/notices')).map((x) => x.id);
    assert.ok(list.indexOf(b.id) < list.indexOf(a.id), 'the pinned one first, though older');
    assertError(await office.put(`/api/v1/notices/${a.id}`, { title: '改', body: 'x', all_units: true, version: pa.version }), 403, 'forbidden');
    assertError(await office.del(`/api/v1/notices/${a.id}?version=${pa.version}`), 403, 'forbidden');
    const w = ok(await office.post(`/api/v1/notices/${a.id}/actions/withdraw`, { version: pa.version }));
    assert.equal(w.status, 'withdrawn');
    assertError(await clerk1.get(`/api/v1/notices/${a.id}`), 404, 'not_found');
    // withdrawn: edited and published again
    const edited = ok(await office.put(`/api/v1/notices/${a.id}`, { title: '更正后的公告', body: 'x', all_units: true, version: w.version }));
    assert.equal(edited.title, '更正后的公告');
    const again = ok(await office.post(`/api/v1/notices/${a.id}/actions/publish`, { version: edited.version }));
    assert.equal(again.status, 'published');
    // a draft is deleted
    const d = ok(await office.post('/api/v1/notices', { title: '草稿', body: 'x', all_units: true }), 201);
    ok(await office.del(`/api/v1/notices/${d.id}?version=${d.version}`));
    assertError(await office.get(`/api/v1/notices/${d.id}`), 404, 'not_found');
});

test('attachments of a notice are read by its readers only', async () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
    const f = ok(await uploadRaw(office, '活动方案.pdf', pdf, 'application/pdf'), 201);
    const sfj = await unitByName(office, '区司法局');
    const n = ok(await office.post('/api/v1/notices', { title: '附件通知', body: '见附件', all_units: false, unit_ids: [sfj.id], attachment_ids: [f.id] }), 201);
    assert.equal(n.attachments.length, 1);
    assert.equal(n.attachments[0].name, '活动方案.pdf');
    assertError(await clerk1.get(`/api/v1/files/${f.id}`), 404, 'not_found');
    await publish(n.id);
    const got = await clerk1.get(`/api/v1/files/${f.id}`);
    assert.equal(got.status, 200);
    assert.equal(got.buf.toString(), pdf.toString());
    assertError(await clerk2.get(`/api/v1/files/${f.id}`), 404, 'not_found');
    // an upload used once cannot be given to another notice
    assertError(await office.post('/api/v1/notices', { title: 'x', body: 'y', all_units: true, attachment_ids: [f.id] }), 400, 'invalid');
});
