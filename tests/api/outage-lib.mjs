// Helpers of the tests that take PostgreSQL away under load (pgrestart, pgfailover): writers that
// keep creating units and record every answer, /readyz probes, and the measures taken on them.
import { uniq } from './lib.mjs';

export const RECOVERY_MS = 5000; // the requirement: writes succeed within 5 s of the database being back
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A client of server `srv` carrying client c's session. */
export function sameSession(srv, c) {
    const x = srv.client();
    x.cookie = c.cookie;
    x.csrf = c.csrf;
    return x;
}

/**
 * `perServer` concurrent unit creations on each [server, signed-in client] until stop(); every
 * answer is kept: {srv (port), t0, t1, status (0: no HTTP answer), code, error, retryAfter, text}.
 */
export function startWriters(sessions, perServer = 4) {
    const results = [];
    let running = true;
    const one = async (srv, c) => {
        while (running) {
            const code = uniq('rs');
            const t0 = Date.now();
            let r;
            try {
                r = await c.post('/api/v1/units', { code, name: `写入 ${code}`, kind: 'other' });
            } catch (e) {
                r = { status: 0, json: null, text: String(e), headers: new Headers() };
            }
            results.push({
                srv: srv.port, t0, t1: Date.now(), status: r.status, code, error: r.json?.error?.code,
                retryAfter: r.headers.get('retry-after'), text: r.status >= 300 || !r.status ? r.text.slice(0, 300) : '',
            });
            if (r.status !== 201) await sleep(50); // while the database is away: keep asking, gently
        }
    };
    const all = [];
    for (const [srv, c] of sessions) for (let k = 0; k < perServer; k++) all.push(one(srv, sameSession(srv, c)));
    return { results, stop: async () => { running = false; await Promise.all(all); } };
}

/** GET /readyz of each server every 100 ms until stop(): seen = [{srv, t, status}]. */
export function startReadyProbes(servers) {
    const seen = [];
    let running = true;
    const one = async (srv) => {
        while (running) {
            let status = 0;
            try { status = (await fetch(`${srv.base}/readyz`)).status; } catch { status = 0; }
            seen.push({ srv: srv.port, t: Date.now(), status });
            await sleep(100);
        }
    };
    const all = servers.map(one);
    return { seen, stop: async () => { running = false; await Promise.all(all); } };
}

/** Per server port: ms from t0 to the first 201 among writes sent after t0 (Infinity: none yet). */
export function recoveryTimes(results, servers, t0) {
    const out = {};
    for (const srv of servers) {
        const first = results.filter((r) => r.srv === srv.port && r.t0 >= t0 && r.status === 201)
            .sort((x, y) => x.t1 - y.t1)[0];
        out[srv.port] = first ? first.t1 - t0 : Infinity;
    }
    return out;
}

/** 16 concurrent writes on each server (more than its worker threads): [{srv, status, code, text}]. */
export async function burst(sessions) {
    return Promise.all(sessions.flatMap(([srv, c]) => Array.from({ length: 16 }, async () => {
        const code = uniq('rb');
        const r = await sameSession(srv, c).post('/api/v1/units', { code, name: `恢复后写入 ${code}`, kind: 'other' });
        return { srv: srv.port, status: r.status, code, text: r.text.slice(0, 200) };
    })));
}

/**
 * What the users saw and what the database holds after an outage, asserted with `assert`:
 * only 201 and 503 (with Retry-After and a known code), every acknowledged unit present, no unit
 * behind a 503 `unavailable`, one audit record per unit. `q` runs SQL on the database now in
 * charge. Returns counts for the diagnostics.
 */
export async function checkOutcome(assert, q, results, extra = []) {
    const bad = results.filter((r) => r.status !== 201 && r.status !== 503);
    assert.deepEqual(bad, [], 'every answer is 201 or 503 — never 500, never a dropped connection');
    const refused = results.filter((r) => r.status === 503);
    for (const r of refused) {
        assert.ok(['unavailable', 'outcome_unknown'].includes(r.error), `503 error code: ${r.text}`);
        assert.ok(Number(r.retryAfter) > 0, `503 carries Retry-After: ${JSON.stringify(r)}`);
    }
    const present = new Set((await q("SELECT code FROM units WHERE code LIKE 'rs%' OR code LIKE 'rb%';"))
        .split('\n').filter(Boolean));
    const acked = [...results.filter((r) => r.status === 201), ...extra.filter((r) => r.status === 201)];
    assert.deepEqual(acked.filter((r) => !present.has(r.code)).map((r) => r.code), [],
        'every acknowledged unit exists');
    assert.deepEqual(refused.filter((r) => r.error === 'unavailable' && present.has(r.code)).map((r) => r.code), [],
        'a write answered 503 unavailable left nothing behind');
    const recs = Number(await q("SELECT COUNT(*) FROM audit_log WHERE action = 'unit.create' AND object_id IN "
        + "(SELECT CAST(id AS TEXT) FROM units WHERE code LIKE 'rs%' OR code LIKE 'rb%');"));
    assert.equal(recs, present.size, 'one audit record per unit that exists');
    return {
        acknowledged: acked.length, refused: refused.length,
        outcomeUnknown: refused.filter((r) => r.error === 'outcome_unknown').length, present: present.size,
    };
}
