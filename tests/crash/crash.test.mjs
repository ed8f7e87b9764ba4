// Crash safety (issue #5): the server never loses a write it acknowledged and never half-applies a
// multi-row change, whatever moment it is killed at.
//
// One demo installation; 10 sessions write concurrently: office ×2 PUT on their own drafts (title
// with a counter), office POST /tasks (tasks + task_units + task_tags + task_milestones + timeline
// event + audit record in one transaction), office POST /tasks/import (25 such tasks and a
// task.import record in one transaction), five clerks `report` with a unique note and progress on an
// in-progress task of their unit, inspector signs in again and again. Each round restarts
// `fazhi serve` on the same data dir (a new free port), waits for /readyz, checks that every old
// session cookie still works with the same CSRF token, re-reads every owned task (a version below the
// last acknowledged one is a lost write), then lets the writers run and SIGKILLs the server after a
// uniform 50–400 ms. Each writer owns its tasks, so versions are linear: an acknowledged write answers
// sent+1, and after a kill the one request in flight is either wholly there (version +1 with its
// title or progress) or not at all. Requests cut by the kill are unknown outcomes: checked to be whole
// or absent. After the last round the server is stopped cleanly (exit 0) and the SQLite file is
// checked against the ledger of acknowledged writes (checkDb), plus `PRAGMA integrity_check`,
// `PRAGMA foreign_key_check` and `fazhi audit verify`.
// A last test corrupts copies of the final database and asserts the checker reports each change.
//
// Env: FAZHI_BIN (server binary), FAZHI_CRASH_ROUNDS (default 20; `make bench` uses 500),
//      FAZHI_CRASH_KEEP=1 keeps the data dir, FAZHI_CRASH_TRACE=1 prints each round (WAL size, recovery).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFile, mkdtemp, rm, access, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, DEMO_PASSWORD, Client, Server, fazhi, makeDataDir } from '../api/lib.mjs';
import { day } from '../api/tasks-lib.mjs';

const ROUNDS = Number(process.env.FAZHI_CRASH_ROUNDS || 20);
const KILL_MIN_MS = 50;
const KILL_MAX_MS = 400;
const N_UPDATERS = 2; // office sessions doing PUT on their own drafts
const N_CREATORS = 1; // office sessions creating tasks
const N_REPORTERS = 5; // clerk sessions reporting on in-progress tasks

// ---------------------------------------------------------------- small helpers

function freePort() {
    return new Promise((res, rej) => {
        const s = createServer();
        s.unref();
        s.on('error', rej);
        s.listen(0, '127.0.0.1', () => {
            const { port } = s.address();
            s.close(() => res(port));
        });
    });
}

// Every server process we started: killed (by pid) if a failure leaves one running.
const live = new Set();
after(async () => {
    for (const p of live) p.kill('SIGKILL');
    // a passing run whose checker self-test was filtered out: its data dir is not needed
    if (finalState && !process.env.FAZHI_CRASH_KEEP) await rm(finalState.dir, { recursive: true, force: true });
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Run the sqlite3 CLI on a database file. (Not lib.mjs's sqlite(): that one decodes each pipe chunk
 * on its own, which mangles a multi-byte character cut by a 64 KiB chunk boundary.)
 */
function sqlite(dbFile, sql) {
    return new Promise((res, rej) => {
        const p = spawn('sqlite3', ['-batch', '-bail', dbFile], { stdio: ['pipe', 'pipe', 'pipe'] });
        const out = [], errs = [];
        p.stdout.on('data', (d) => out.push(d));
        p.stderr.on('data', (d) => errs.push(d));
        p.on('error', rej);
        p.on('close', (code) => (code === 0 ? res(Buffer.concat(out).toString('utf8'))
            : rej(new Error(`sqlite3 exit ${code}: ${Buffer.concat(errs).toString('utf8')}`))));
        p.stdin.end(sql);
    });
}

/** Rows of one SELECT as objects (sqlite3 CLI, JSON mode). */
async function rows(dbFile, sql) {
    const out = await sqlite(dbFile, `.mode json\n${sql};\n`);
    return out.trim() ? JSON.parse(out) : [];
}

function stats(xs) {
    const s = [...xs].sort((a, b) => a - b);
    const at = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
    return { n: s.length, min: s[0], p50: at(0.5), p95: at(0.95), max: s[s.length - 1] };
}

/** A connection-level failure (the kill): fetch rejects instead of answering. */
function isConnError(e) {
    return e instanceof TypeError || /ECONNRESET|ECONNREFUSED|EPIPE|socket|other side closed/i.test(String(e?.cause ?? e));
}

// ---------------------------------------------------------------- the server process

/**
 * Spawn `fazhi serve` on a new free port and wait until /readyz answers 200.
 * Returns {srv, recoveryMs}: recoveryMs = spawn → first 200 from /readyz.
 */
async function launch(dir) {
    let lastErr;
    for (let attempt = 0; attempt < 5; attempt++) {
        const port = await freePort();
        const t0 = performance.now();
        const proc = spawn(BIN, ['serve', '--data-dir', dir, '--listen', `127.0.0.1:${port}`], {
            stdio: ['ignore', 'pipe', 'pipe'],
        });
        live.add(proc);
        proc.on('exit', () => live.delete(proc));
        let srv;
        try {
            srv = new Server(proc, port, dir);
        } catch (e) {
            proc.kill('SIGKILL');
            throw e;
        }
        const deadline = Date.now() + 20000;
        for (;;) {
            if (srv.exited) {
                lastErr = new Error(`server exited early (${srv.exitCode}/${srv.exitSignal}): ${srv.stderr.slice(-2000)}`);
                break;
            }
            try {
                const r = await fetch(`${srv.base}/readyz`);
                await r.arrayBuffer();
                if (r.status === 200) return { srv, recoveryMs: performance.now() - t0 };
            } catch { /* not listening yet */ }
            if (Date.now() > deadline) {
                proc.kill('SIGKILL');
                throw new Error(`server not ready after 20 s: ${srv.stderr.slice(-2000)}`);
            }
            await sleep(2);
        }
        // bind race on the free port: try another one
        if (!/bind|address already in use|listen/i.test(srv.stderr)) throw lastErr;
    }
    throw lastErr;
}

// ---------------------------------------------------------------- writers and their ledger

class Fail extends Error {}

/** Shared per-round state: writers stop starting requests once `killed` is set. */
class Round {
    constructor(n) { this.n = n; this.killed = false; }
}

/**
 * One write. Resolves the response on an HTTP answer; on a connection error during a killed round
 * resolves null (unknown outcome); a connection error while the server should be up is a failure.
 */
async function send(client, round, method, path, body) {
    try {
        return await client.req(method, path, body);
    } catch (e) {
        if (round.killed && isConnError(e)) return null;
        throw new Fail(`${method} ${path}: request failed while the server was up (round ${round.n}): ${e} ${e?.cause ?? ''}`);
    }
}

function expectStatus(r, status, what) {
    if (r.status !== status) throw new Fail(`${what}: expected ${status}, got ${r.status}: ${r.text.slice(0, 400)}`);
    return r.json;
}

/**
 * A task owned by one writer. `version` is the version we know it has (last acknowledged answer or
 * last re-read); `pending` the one write in flight whose outcome is unknown (after a kill).
 */
class Owned {
    constructor(task) {
        this.id = task.id;
        this.version = task.version;
        this.v0 = task.version;
        this.title = task.title;
        this.progress = task.progress;
        this.pending = null;
    }

    /** Re-read after a restart: lost write, phantom write or the pending write (all or nothing). */
    async resync(client, round, who) {
        const r = await send(client, round, 'GET', `/api/v1/tasks/${this.id}`);
        if (!r) return false;
        const t = expectStatus(r, 200, `${who} re-read task ${this.id}`);
        const p = this.pending;
        if (t.version < this.version) {
            throw new Fail(`LOST WRITE: task ${this.id} is at version ${t.version} after restart, but version ${this.version} was acknowledged (round ${round.n}, ${who})`);
        }
        if (t.version === this.version) {
            if (t.title !== this.title || t.progress !== this.progress) {
                throw new Fail(`task ${this.id} version ${t.version} changed content without a version bump: title ${JSON.stringify(t.title)} progress ${t.progress}, expected ${JSON.stringify(this.title)} / ${this.progress} (round ${round.n})`);
            }
            if (p) p.applied = false;
        } else if (t.version === this.version + 1 && p) {
            const want = { title: p.title ?? this.title, progress: p.progress ?? this.progress };
            if (t.title !== want.title || t.progress !== want.progress) {
                throw new Fail(`HALF-APPLIED: task ${this.id} moved to version ${t.version} but shows title ${JSON.stringify(t.title)} progress ${t.progress}; the unknown write sent ${JSON.stringify(want)} (round ${round.n})`);
            }
            p.applied = true;
        } else {
            throw new Fail(`PHANTOM WRITE: task ${this.id} is at version ${t.version}, known ${this.version}, pending ${p ? 'one write' : 'none'} (round ${round.n}, ${who})`);
        }
        this.version = t.version;
        this.title = t.title;
        this.progress = t.progress;
        this.pending = null;
        return true;
    }
}

const tally = { updates: 0, reports: 0, creates: 0, imports: 0, logins: 0, unknown: 0, unknownApplied: 0, sessionChecks: 0, resyncs: 0 };

/** office: PUT /tasks/:id on its own drafts, title "<base> #<counter>". */
class UpdateWriter {
    constructor(name, client, drafts) {
        this.name = name;
        this.client = client;
        this.drafts = drafts; // [{owned, body}]
        this.counter = 0;
        this.i = 0;
        this.unknown = []; // titles sent without an answer
    }

    async resync(round) {
        for (const d of this.drafts) {
            const p = d.owned.pending;
            if (!(await d.owned.resync(this.client, round, this.name))) return;
            tally.resyncs++;
            if (p?.applied) tally.unknownApplied++;
        }
    }

    async step(round) {
        const d = this.drafts[this.i++ % this.drafts.length];
        const title = `${d.body.title} #${++this.counter}`;
        const sent = d.owned.version;
        const r = await send(this.client, round, 'PUT', `/api/v1/tasks/${d.owned.id}`, { ...d.body, title, version: sent });
        if (!r) {
            d.owned.pending = { title };
            this.unknown.push(title);
            tally.unknown++;
            return;
        }
        const t = expectStatus(r, 200, `${this.name} PUT task ${d.owned.id} v${sent}`);
        if (t.version !== sent + 1 || t.title !== title) {
            throw new Fail(`PUT task ${d.owned.id} v${sent} answered version ${t.version} title ${JSON.stringify(t.title)}`);
        }
        d.owned.version = t.version;
        d.owned.title = t.title;
        d.acked = (d.acked || 0) + 1;
        tally.updates++;
    }
}

/** clerk: `report` on one in-progress task of its unit, unique note, progress 0–100. */
class ReportWriter {
    constructor(name, client, owned) {
        this.name = name;
        this.client = client;
        this.owned = owned;
        this.counter = 0;
        this.acked = []; // {note, progress}
        this.unknown = [];
    }

    async resync(round) {
        const p = this.owned.pending;
        if (!(await this.owned.resync(this.client, round, this.name))) return;
        tally.resyncs++;
        if (p?.applied) tally.unknownApplied++;
    }

    async step(round) {
        const n = ++this.counter;
        const note = `crash ${this.name} report ${n} r${round.n}`;
        const progress = (n * 7) % 101;
        const sent = this.owned.version;
        const r = await send(this.client, round, 'POST', `/api/v1/tasks/${this.owned.id}/actions/report`,
            { version: sent, note, progress });
        if (!r) {
            this.owned.pending = { progress };
            this.unknown.push({ note, progress });
            tally.unknown++;
            return;
        }
        const t = expectStatus(r, 200, `${this.name} report on task ${this.owned.id} v${sent}`);
        if (t.version !== sent + 1 || t.progress !== progress) {
            throw new Fail(`report on task ${this.owned.id} v${sent} answered version ${t.version} progress ${t.progress}`);
        }
        this.owned.version = t.version;
        this.owned.progress = t.progress;
        this.acked.push({ note, progress });
        tally.reports++;
    }
}

/** office: POST /tasks/import — one transaction of IMPORT_ROWS tasks (each whole) and a task.import record. */
const IMPORT_ROWS = 25;
class ImportWriter {
    constructor(name, client, unitCodes) {
        this.name = name;
        this.client = client;
        this.codes = unitCodes;
        this.counter = 0;
        this.acked = []; // {ids, rows}
        this.unknown = []; // rows
    }

    async resync() { /* checked at the end: every batch all there or not at all */ }

    rows(n) {
        const c = this.codes;
        return Array.from({ length: IMPORT_ROWS }, (_, j) => ({
            title: `crash ${this.name} batch ${n} row ${j} ${process.pid}`, content: '导入', category: '制度建设',
            tags: `crash、b${n}`, lead_unit: c[(n + j) % c.length], co_units: `${c[(n + j + 1) % c.length]}、${c[(n + j + 2) % c.length]}`,
            responsible: '王五', start_on: day(0), due_on: day(45), rhythm: '不报送', priority: '一般',
        }));
    }

    async step(round) {
        const rows = this.rows(++this.counter);
        const r = await send(this.client, round, 'POST', '/api/v1/tasks/import', { rows });
        if (!r) {
            this.unknown.push(rows);
            tally.unknown++;
            return;
        }
        const j = expectStatus(r, 201, `${this.name} import`);
        if (j.created !== IMPORT_ROWS || j.ids.length !== IMPORT_ROWS) throw new Fail(`import answered ${r.text.slice(0, 200)}`);
        this.acked.push({ ids: j.ids, rows });
        tally.imports++;
    }
}

/** inspector: POST /auth/login again and again; every acknowledged session must survive the kills. */
class LoginWriter {
    constructor(name, user, base) {
        this.name = name;
        this.user = user;
        this.client = new Client(base); // for the base URL only
        this.acked = []; // {cookie, csrf}
        this.fresh = []; // acknowledged since the last restart
        this.unknown = 0;
    }

    async resync(round) {
        for (const s of this.fresh) {
            const c = new Client(this.client.base);
            c.cookie = s.cookie;
            const r = await send(c, round, 'GET', '/api/v1/auth/me');
            if (!r) return;
            if (r.status !== 200 || r.json.csrf_token !== s.csrf) {
                throw new Fail(`LOST SESSION: a login acknowledged before the kill does not work after restart (round ${round.n}): ${r.status} ${r.text.slice(0, 200)}`);
            }
            tally.sessionChecks++;
        }
        this.fresh = [];
    }

    async step(round) {
        const c = new Client(this.client.base);
        const r = await send(c, round, 'POST', '/api/v1/auth/login', { username: this.user, password: DEMO_PASSWORD });
        if (!r) {
            this.unknown++;
            tally.unknown++;
            return;
        }
        expectStatus(r, 200, `${this.name} login`);
        this.acked.push({ cookie: c.cookie, csrf: c.csrf });
        this.fresh.push({ cookie: c.cookie, csrf: c.csrf });
        tally.logins++;
    }
}

/** office: POST /tasks — tasks + task_units + task_tags + task_milestones + event + audit at once. */
class CreateWriter {
    constructor(name, client, units) {
        this.name = name;
        this.client = client;
        this.units = units; // unit ids to pick lead and co-units from
        this.counter = 0;
        this.acked = []; // {id, body}
        this.unknown = []; // bodies
    }

    async resync() { /* nothing owned across rounds: checked at the end by title */ }

    body(n) {
        const u = this.units;
        const lead = u[n % u.length];
        const co = [];
        for (let k = 1; k <= 1 + (n % 3); k++) co.push(u[(n + k * 3) % u.length]);
        const coIds = [...new Set(co)].filter((x) => x !== lead);
        return {
            title: `crash ${this.name} create ${n} ${process.pid}`, content: '崩溃测试', category: '制度建设',
            tags: [`crash`, `t${n % 5}`, ...(n % 2 ? ['奇数'] : [])], lead_unit_id: lead, co_unit_ids: coIds,
            responsible: '张三', start_on: day(0), due_on: day(60), rhythm: 'none', priority: 'normal',
            milestones: [{ title: `节点 ${n}`, due_on: day(30) }],
        };
    }

    async step(round) {
        const body = this.body(++this.counter);
        const r = await send(this.client, round, 'POST', '/api/v1/tasks', body);
        if (!r) {
            this.unknown.push(body);
            tally.unknown++;
            return;
        }
        const t = expectStatus(r, 201, `${this.name} create`);
        if (t.title !== body.title || t.version !== 1 || t.status !== 'draft') {
            throw new Fail(`create answered ${JSON.stringify({ title: t.title, version: t.version, status: t.status })}`);
        }
        this.acked.push({ id: t.id, body });
        tally.creates++;
    }
}

// ---------------------------------------------------------------- the checker

const sameSet = (a, b) => a.length === b.length && [...a].sort().join('|') === [...b].sort().join('|');

/**
 * Check the database file against the ledger; returns a list of problems (empty = all good).
 * ledger = {updaters: [UpdateWriter], reporters: [ReportWriter], creators: [CreateWriter]}
 */
async function checkDb(dbFile, ledger) {
    const problems = [];
    const tasks = new Map((await rows(dbFile, 'SELECT id, title, version, progress, lead_unit_id, status FROM tasks'))
        .map((t) => [t.id, t]));
    const units = await rows(dbFile, 'SELECT task_id, unit_id, role FROM task_units');
    const tags = await rows(dbFile, 'SELECT task_id, tag FROM task_tags');
    const miles = await rows(dbFile, 'SELECT task_id, title FROM task_milestones');
    const events = await rows(dbFile, 'SELECT id, task_id, action, note, progress FROM task_events ORDER BY id');
    const audit = await rows(dbFile, "SELECT action, object_id, COUNT(*) AS n FROM audit_log WHERE object_type = 'task' AND result = 'ok' GROUP BY action, object_id");
    const by = (list, key) => {
        const m = new Map();
        for (const x of list) { const k = x[key]; if (!m.has(k)) m.set(k, []); m.get(k).push(x); }
        return m;
    };
    const unitsOf = by(units, 'task_id');
    const tagsOf = by(tags, 'task_id');
    const milesOf = by(miles, 'task_id');
    const eventsOf = by(events, 'task_id');
    const codeOf = new Map((await rows(dbFile, 'SELECT id, code FROM units')).map((u) => [u.id, u.code]));
    const auditN = new Map(audit.map((a) => [`${a.action}@${a.object_id}`, a.n]));

    // 1. no multi-row change half applied
    const evCount = new Map();
    for (const e of events) {
        if (!tasks.has(e.task_id)) problems.push(`event ${e.id} (${e.action}) names missing task ${e.task_id}`);
        const k = `task.${e.action}@${e.task_id}`;
        evCount.set(k, (evCount.get(k) || 0) + 1);
    }
    for (const [k, n] of evCount) {
        const a = auditN.get(k) || 0;
        if (a !== n) problems.push(`task ${k.split('@')[1]}: ${n} '${k.split('@')[0].slice(5)}' timeline event(s) but ${a} audit record(s) ${k.split('@')[0]}`);
    }
    for (const [k, a] of auditN) {
        if (k.startsWith('task.delete@') || k.startsWith('task.import@')) continue;
        if (!evCount.has(k)) problems.push(`audit ${k.split('@')[0]} ×${a} for task ${k.split('@')[1]} without a timeline event`);
    }
    for (const t of tasks.values()) {
        const tu = unitsOf.get(t.id) || [];
        const leads = tu.filter((u) => u.role === 'lead');
        if (leads.length !== 1) problems.push(`task ${t.id}: ${leads.length} lead rows in task_units`);
        else if (leads[0].unit_id !== t.lead_unit_id) problems.push(`task ${t.id}: lead row unit ${leads[0].unit_id} ≠ tasks.lead_unit_id ${t.lead_unit_id}`);
        const creates = (eventsOf.get(t.id) || []).filter((e) => e.action === 'create').length;
        if (creates !== 1) problems.push(`task ${t.id}: ${creates} 'create' timeline events`);
        const ac = auditN.get(`task.create@${t.id}`) || 0;
        if (ac !== 1) problems.push(`task ${t.id}: ${ac} task.create audit records`);
    }

    // 2. acknowledged draft updates: final version/title as last known; one update event per bump
    for (const w of ledger.updaters) {
        for (const d of w.drafts) {
            const o = d.owned;
            const t = tasks.get(o.id);
            if (!t) { problems.push(`updated draft ${o.id} missing`); continue; }
            if (t.version !== o.version || t.title !== o.title) {
                problems.push(`draft ${o.id}: version ${t.version} title ${JSON.stringify(t.title)}, acknowledged/last read version ${o.version} title ${JSON.stringify(o.title)}`);
            }
            const ups = (eventsOf.get(o.id) || []).filter((e) => e.action === 'update').length;
            if (ups !== t.version - o.v0) problems.push(`draft ${o.id}: ${ups} update events for ${t.version - o.v0} version bumps`);
            if (ups < (d.acked || 0)) problems.push(`draft ${o.id}: ${ups} update events, ${d.acked} updates acknowledged`);
        }
    }

    // 3. acknowledged reports: each note exactly once; unknown ones at most once; nothing else
    for (const w of ledger.reporters) {
        const o = w.owned;
        const t = tasks.get(o.id);
        if (!t) { problems.push(`reported task ${o.id} missing`); continue; }
        const evs = (eventsOf.get(o.id) || []).filter((e) => e.action === 'report');
        const mine = evs.filter((e) => e.note.startsWith(`crash ${w.name} `));
        const count = new Map();
        for (const e of mine) count.set(e.note, [...(count.get(e.note) || []), e]);
        for (const a of w.acked) {
            const found = count.get(a.note) || [];
            if (found.length !== 1) problems.push(`task ${o.id}: acknowledged report note ${JSON.stringify(a.note)} found ${found.length} times`);
            else if (found[0].progress !== a.progress) problems.push(`task ${o.id}: report ${JSON.stringify(a.note)} progress ${found[0].progress}, sent ${a.progress}`);
        }
        const known = new Set([...w.acked, ...w.unknown].map((x) => x.note));
        for (const [note, found] of count) {
            if (!known.has(note)) problems.push(`task ${o.id}: report note ${JSON.stringify(note)} was never sent`);
            else if (found.length > 1) problems.push(`task ${o.id}: report note ${JSON.stringify(note)} found ${found.length} times`);
        }
        if (t.version - o.v0 !== mine.length) problems.push(`task ${o.id}: version ${o.v0} → ${t.version} but ${mine.length} report events`);
        if (t.version !== o.version) problems.push(`task ${o.id}: version ${t.version}, last acknowledged/read ${o.version}`);
        const last = [...evs].reverse().find((e) => e.progress !== null);
        if (last && t.progress !== last.progress) problems.push(`task ${o.id}: progress ${t.progress} ≠ last report's ${last.progress}`);
    }

    // 4. created tasks: acknowledged ones whole; unknown ones whole or absent
    const byTitle = by([...tasks.values()], 'title');
    const whole = (t, body, label) => {
        if (t.lead_unit_id !== body.lead_unit_id) problems.push(`${label}: lead ${t.lead_unit_id}, sent ${body.lead_unit_id}`);
        const co = (unitsOf.get(t.id) || []).filter((u) => u.role === 'co').map((u) => u.unit_id);
        if (!sameSet(co, body.co_unit_ids)) problems.push(`${label}: co-units [${co}], sent [${body.co_unit_ids}]`);
        const tg = (tagsOf.get(t.id) || []).map((x) => x.tag);
        if (!sameSet(tg, body.tags)) problems.push(`${label}: tags [${tg}], sent [${body.tags}]`);
        const ms = (milesOf.get(t.id) || []).map((x) => x.title);
        if (!sameSet(ms, body.milestones.map((m) => m.title))) problems.push(`${label}: milestones [${ms}]`);
    };
    for (const w of ledger.creators) {
        for (const a of w.acked) {
            const found = byTitle.get(a.body.title) || [];
            if (found.length !== 1 || found[0].id !== a.id) {
                problems.push(`acknowledged created task ${a.id} ${JSON.stringify(a.body.title)}: found ${found.length} (ids ${found.map((x) => x.id)})`);
                continue;
            }
            whole(found[0], a.body, `created task ${a.id}`);
        }
        for (const body of w.unknown) {
            const found = byTitle.get(body.title) || [];
            if (found.length > 1) problems.push(`unknown-outcome create ${JSON.stringify(body.title)} applied ${found.length} times`);
            if (found.length === 1) whole(found[0], body, `unknown-outcome created task ${found[0].id}`);
        }
    }

    // 5. imports: an acknowledged batch wholly there with the answered ids; an unknown one all or nothing;
    //    one task.import audit record per batch that is there
    let batchesThere = 0;
    for (const w of ledger.importers) {
        const batch = (rowsOfBatch, label, ids) => {
            const found = rowsOfBatch.map((row) => byTitle.get(row.title) || []);
            const n = found.filter((f) => f.length > 0).length;
            if (found.some((f) => f.length > 1)) problems.push(`${label}: a row imported twice`);
            if (n !== 0 && n !== rowsOfBatch.length) problems.push(`${label}: HALF-APPLIED, ${n} of ${rowsOfBatch.length} rows there`);
            if (ids && n === rowsOfBatch.length && found.some((f, j) => f[0].id !== ids[j])) problems.push(`${label}: ids differ from the answer`);
            if (ids && n === 0) problems.push(`${label}: acknowledged import missing`);
            found.forEach((f, j) => {
                if (f.length !== 1) return;
                const t = f[0], row = rowsOfBatch[j];
                const co = (unitsOf.get(t.id) || []).filter((u) => u.role === 'co').map((u) => codeOf.get(u.unit_id));
                if (codeOf.get(t.lead_unit_id) !== row.lead_unit || !sameSet(co, row.co_units.split('、'))) problems.push(`${label} row ${j}: units differ`);
                const tg = (tagsOf.get(t.id) || []).map((x) => x.tag);
                if (!sameSet(tg, row.tags.split('、'))) problems.push(`${label} row ${j}: tags [${tg}]`);
            });
            if (n === rowsOfBatch.length) batchesThere++;
        };
        w.acked.forEach((a, k) => batch(a.rows, `${w.name} acknowledged batch ${k}`, a.ids));
        w.unknown.forEach((rowsOfBatch, k) => batch(rowsOfBatch, `${w.name} unknown-outcome batch ${k}`, null));
    }
    const imports = (await rows(dbFile, `SELECT COUNT(*) AS n FROM audit_log WHERE action = 'task.import' AND detail LIKE '%"rows":${IMPORT_ROWS}%'`))[0].n;
    if (imports !== batchesThere) problems.push(`${batchesThere} imported batches but ${imports} task.import audit records`);

    // 6. acknowledged logins: the session row (token stored as its SHA-256)
    const tokens = new Set((await rows(dbFile, 'SELECT token_hash FROM sessions')).map((x) => x.token_hash));
    for (const s of ledger.logins) {
        const h = createHash('sha256').update(s.cookie).digest('hex');
        if (!tokens.has(h)) problems.push(`acknowledged login session ${h.slice(0, 12)}… missing`);
    }
    return problems;
}

async function checkFile(dbFile, ledger, dir) {
    const problems = await checkDb(dbFile, ledger);
    const ic = (await sqlite(dbFile, 'PRAGMA integrity_check;')).trim();
    if (ic !== 'ok') problems.push(`integrity_check: ${ic.slice(0, 500)}`);
    const fk = (await sqlite(dbFile, 'PRAGMA foreign_key_check;')).trim();
    if (fk) problems.push(`foreign_key_check: ${fk.slice(0, 500)}`);
    const v = await fazhi(['audit', 'verify', '--data-dir', dir]);
    if (v.code !== 0) problems.push(`fazhi audit verify exit ${v.code}: ${(v.stdout + v.stderr).trim().slice(0, 500)}`);
    return problems;
}

// ---------------------------------------------------------------- the run

let finalState = null; // {dir, ledger} for the checker self-test

test(`crash: ${ROUNDS} SIGKILL/restart rounds lose no acknowledged write and half-apply nothing`,
    { timeout: Math.max(120000, ROUNDS * 3000) }, async (t) => {
        const dir = await makeDataDir();
        const demo = await fazhi(['demo', '--data-dir', dir, '--password', DEMO_PASSWORD]);
        assert.equal(demo.code, 0, `fazhi demo: ${demo.stderr}${demo.stdout}`);
        const dbFile = join(dir, 'fazhi.db');

        // Reporting targets: in-progress tasks whose lead unit has signed, one clerk session each.
        const targets = await rows(dbFile, `SELECT t.id, MIN(us.username) AS clerk FROM tasks t
            JOIN task_units tu ON tu.task_id = t.id AND tu.unit_id = t.lead_unit_id
            JOIN users us ON us.unit_id = t.lead_unit_id JOIN roles ro ON ro.id = us.role_id AND ro.code = 'clerk'
            WHERE t.status = 'in_progress' AND tu.acknowledged_at IS NOT NULL GROUP BY t.id ORDER BY t.id`);
        assert.ok(targets.length >= N_REPORTERS, `demo has ${targets.length} in-progress signed tasks with a clerk`);
        const unitIds = (await rows(dbFile, "SELECT id FROM units WHERE kind = 'department' AND active = 1 ORDER BY id")).map((u) => u.id);
        assert.ok(unitIds.length >= 5, 'demo departments');

        let { srv, recoveryMs } = await launch(dir);
        const recoveries = [recoveryMs];
        const killToReady = [];
        try {
            const login = async (user) => {
                const c = new Client(srv.base);
                const r = await c.login(user, DEMO_PASSWORD);
                assert.equal(r.status, 200, `login ${user}: ${r.status} ${r.text}`);
                assert.equal(r.json.user.must_change_password, false, `${user} must not need a password change`);
                return c;
            };
            const updaters = [];
            for (let i = 0; i < N_UPDATERS; i++) {
                const c = await login('office');
                const drafts = [];
                for (let k = 0; k < 2; k++) {
                    const body = {
                        title: `crash upd${i}.${k} ${process.pid}`, content: '草稿', category: '制度建设', tags: ['crash'],
                        lead_unit_id: unitIds[(i * 2 + k) % unitIds.length], co_unit_ids: [], responsible: '李四',
                        start_on: day(0), due_on: day(90), rhythm: 'none', priority: 'normal',
                    };
                    const r = await c.post('/api/v1/tasks', body);
                    assert.equal(r.status, 201, `create draft: ${r.text}`);
                    drafts.push({ owned: new Owned(r.json), body });
                }
                updaters.push(new UpdateWriter(`upd${i}`, c, drafts));
            }
            const creators = [];
            for (let i = 0; i < N_CREATORS; i++) creators.push(new CreateWriter(`new${i}`, await login('office'), unitIds));
            const reporters = [];
            for (let i = 0; i < N_REPORTERS; i++) {
                const tg = targets[i];
                const c = await login(tg.clerk);
                const r = await c.get(`/api/v1/tasks/${tg.id}`);
                assert.equal(r.status, 200, `${tg.clerk} reads task ${tg.id}: ${r.text}`);
                assert.ok(r.json.allowed_actions.includes('report'), `${tg.clerk} may report on ${tg.id}: ${r.json.allowed_actions}`);
                reporters.push(new ReportWriter(`rep${i}`, c, new Owned(r.json)));
            }
            const unitCodes = (await rows(dbFile, "SELECT code FROM units WHERE kind = 'department' AND active = 1 ORDER BY id")).map((u) => u.code);
            const importers = [new ImportWriter('imp0', await login('office'), unitCodes)];
            const loginer = new LoginWriter('login0', 'inspector', srv.base);
            const sessions = [...updaters, ...creators, ...importers, ...reporters].map((w) => ({ w, cookie: w.client.cookie, csrf: w.client.csrf, user: w.client.user.username }));
            const writers = [...updaters, ...creators, ...importers, ...reporters, loginer];
            const ledger = { updaters, reporters, creators, importers, logins: loginer.acked };

            const t0 = performance.now();
            for (let n = 1; n <= ROUNDS + 1; n++) {
                const round = new Round(n);
                for (const w of writers) w.client.base = srv.base;
                // The old session cookie still works (sessions live in the database), same CSRF token.
                await Promise.all(sessions.map(async (s) => {
                    const r = await s.w.client.get('/api/v1/auth/me');
                    assert.equal(r.status, 200, `round ${n}: ${s.user}'s session after restart: ${r.status} ${r.text}`);
                    assert.equal(r.json.user.username, s.user);
                    assert.equal(r.json.csrf_token, s.csrf, `round ${n}: ${s.user}'s CSRF token changed`);
                    assert.equal(s.w.client.cookie, s.cookie, `round ${n}: ${s.user}'s cookie was replaced`);
                    tally.sessionChecks++;
                }));
                // Everything acknowledged before the kill is there; the write in flight is all or nothing.
                await Promise.all(writers.map((w) => w.resync(round)));
                if (n > ROUNDS) break; // the final re-read after the last kill

                const loops = writers.map(async (w) => { while (!round.killed) await w.step(round); });
                const delay = KILL_MIN_MS + Math.random() * (KILL_MAX_MS - KILL_MIN_MS);
                const failed = await Promise.race([sleep(delay).then(() => null),
                    Promise.all(loops).then(() => null, (e) => e)]);
                round.killed = true;
                const killedAt = performance.now();
                srv.proc.kill('SIGKILL');
                await srv.done;
                const results = await Promise.allSettled(loops);
                const err = failed || results.find((x) => x.status === 'rejected')?.reason;
                if (err) throw err;
                assert.equal(srv.exitSignal, 'SIGKILL', `round ${n}: server died before the kill: ${srv.exitCode} ${srv.stderr.slice(-2000)}`);
                const walBytes = process.env.FAZHI_CRASH_TRACE ? (await stat(join(dir, 'fazhi.db-wal')).catch(() => ({ size: -1 }))).size : 0;
                ({ srv, recoveryMs } = await launch(dir));
                recoveries.push(recoveryMs);
                if (process.env.FAZHI_CRASH_TRACE) t.diagnostic(`round ${n}: kill after ${delay.toFixed(0)} ms, WAL ${walBytes} bytes, ready after ${recoveryMs.toFixed(1)} ms`);
                killToReady.push(performance.now() - killedAt);
            }
            const elapsed = (performance.now() - t0) / 1000;

            // Stop cleanly, then check the file itself.
            const stopped = await srv.stop();
            assert.deepEqual(stopped, { code: 0, signal: null }, `clean stop: ${srv.stderr.slice(-2000)}`);
            const problems = await checkFile(dbFile, ledger, dir);
            assert.deepEqual(problems, [], `database check after ${ROUNDS} kills (data dir ${dir} kept)`);

            const rec = stats(recoveries);
            const k2r = stats(killToReady);
            const summary = {
                rounds: ROUNDS, seconds: +elapsed.toFixed(1), rounds_per_s: +(ROUNDS / elapsed).toFixed(2),
                recovery_ms: Object.fromEntries(Object.entries(rec).map(([k, v]) => [k, +v.toFixed(1)])),
                kill_to_ready_ms: Object.fromEntries(Object.entries(k2r).map(([k, v]) => [k, +v.toFixed(1)])),
                acknowledged: { updates: tally.updates, reports: tally.reports, creates: tally.creates, imports: tally.imports, logins: tally.logins },
                unknown_outcome: tally.unknown, unknown_found_applied_on_reread: tally.unknownApplied,
                session_checks: tally.sessionChecks, task_rereads: tally.resyncs,
            };
            t.diagnostic(`crash summary ${JSON.stringify(summary)}`);
            assert.ok(tally.updates > 0 && tally.reports > 0 && tally.creates > 0 && tally.imports > 0 && tally.logins > 0, `every kind of write acknowledged: ${JSON.stringify(tally)}`);
            finalState = { dir, dbFile, ledger };
        } catch (e) {
            if (!srv.exited) srv.proc.kill('SIGKILL');
            t.diagnostic(`data dir kept for inspection: ${dir}`);
            throw e;
        }
    });

// The per-round re-read must be able to fail too: a fake answer per case.
test('crash: the re-read after a restart reports lost, phantom and half-applied writes', async () => {
    const fake = (task) => ({ req: async () => ({ status: 200, json: task, text: JSON.stringify(task) }) });
    const round = new Round(7);
    const mk = () => { const o = new Owned({ id: 9, version: 5, title: 'a #3', progress: 40 }); return o; };
    const cases = [
        ['lost', null, { version: 4, title: 'a #2', progress: 40 }, /LOST WRITE: task 9 is at version 4/],
        ['phantom', null, { version: 6, title: 'a #4', progress: 40 }, /PHANTOM WRITE/],
        ['two bumps for one write', { title: 'a #4' }, { version: 7, title: 'a #4', progress: 40 }, /PHANTOM WRITE/],
        ['bump without the content', { title: 'a #4' }, { version: 6, title: 'a #3', progress: 40 }, /HALF-APPLIED/],
        ['content without the bump', { progress: 41 }, { version: 5, title: 'a #3', progress: 41 }, /without a version bump/],
    ];
    for (const [what, pending, answer, expect] of cases) {
        const o = mk();
        o.pending = pending;
        await assert.rejects(o.resync(fake({ id: 9, ...answer }), round, 'w'), expect, what);
    }
    const o = mk();
    o.pending = { title: 'a #4' };
    assert.equal(await o.resync(fake({ id: 9, version: 6, title: 'a #4', progress: 40 }), round, 'w'), true);
    assert.equal(o.version, 6);
});

// The checker must be able to fail: corrupt copies of the final database, one way each.
test('crash: the checker reports a lost or half-applied write', { timeout: 60000 }, async (t) => {
    if (!finalState) { t.skip('the crash run did not finish'); return; }
    const { dir, ledger } = finalState;
    try {
        const report = ledger.reporters.find((w) => w.acked.length > 0).acked[0];
        const created = ledger.creators[0].acked[0];
        const draft = ledger.updaters[0].drafts[0].owned;
        const cases = [
            ['an acknowledged report lost', `DELETE FROM task_events WHERE note = '${report.note}'`,
                new RegExp(`note "${report.note}" found 0 times`)],
            ['an acknowledged report applied twice',
                `INSERT INTO task_events (task_id, at, actor_id, actor_name, unit_id, action, note, progress, detail)
                 SELECT task_id, at, actor_id, actor_name, unit_id, action, note, progress, detail FROM task_events WHERE note = '${report.note}'`,
                new RegExp(`note "${report.note}" found 2 times`)],
            ['a created task without its lead row', `DELETE FROM task_units WHERE task_id = ${created.id} AND role = 'lead'`,
                new RegExp(`task ${created.id}: 0 lead rows`)],
            ['a created task without its tags', `DELETE FROM task_tags WHERE task_id = ${created.id}`,
                new RegExp(`created task ${created.id}: tags \\[\\]`)],
            ['an acknowledged update rolled back', `UPDATE tasks SET title = 'old', version = version - 1 WHERE id = ${draft.id}`,
                new RegExp(`draft ${draft.id}: version ${draft.version - 1} title "old"`)],
            ['a timeline event without its audit record',
                `INSERT INTO task_events (task_id, at, actor_name, action, note) VALUES (${draft.id}, '2026-01-01T00:00:00Z', 'x', 'update', '')`,
                new RegExp(`task ${draft.id}: \\d+ 'update' timeline event\\(s\\) but \\d+ audit`)],
            ['an acknowledged import half there', `DELETE FROM tasks WHERE title = '${ledger.importers[0].acked[0].rows[3].title}'`,
                /acknowledged batch 0: HALF-APPLIED, 24 of 25 rows there/],
            ['an acknowledged login lost', `DELETE FROM sessions WHERE token_hash = '${createHash('sha256').update(ledger.logins[0].cookie).digest('hex')}'`,
                /acknowledged login session .* missing/],
            ['a tampered audit record',
                "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET detail = 'x' WHERE seq = (SELECT MAX(seq) FROM audit_log)",
                /audit verify exit [1-9]/],
        ];
        for (const [what, sql, expect] of cases) {
            const copy = await mkdtemp(join(tmpdir(), 'fazhi-crash-check-'));
            try {
                for (const f of ['fazhi.db', 'fazhi.db-wal', 'secret.key']) {
                    try { await access(join(dir, f)); } catch { continue; }
                    await copyFile(join(dir, f), join(copy, f));
                }
                await sqlite(join(copy, 'fazhi.db'), `${sql};`);
                const problems = await checkFile(join(copy, 'fazhi.db'), ledger, copy);
                assert.ok(problems.some((p) => expect.test(p)), `${what}: expected a problem matching ${expect}, got ${JSON.stringify(problems)}`);
            } finally {
                await rm(copy, { recursive: true, force: true });
            }
        }
    } finally {
        if (!process.env.FAZHI_CRASH_KEEP) await rm(dir, { recursive: true, force: true });
        finalState = null;
    }
});
