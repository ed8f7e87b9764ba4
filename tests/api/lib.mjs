// Shared harness for the API tests: start a real fazhi server on a free port
// with its own temporary data directory, and a small cookie/CSRF-aware client.
//
// Env: FAZHI_BIN (default build/fazhi, relative to the repo root).
//      FAZHI_TEST_PG=<scripts/pg-server directory>: run against that private PostgreSQL. Every data
//      dir then gets its own fresh database (scripts/pg-server createdb), and `--db URL` is added
//      to each `fazhi … --data-dir DIR` run through fazhi()/startServer() (the data dir still holds
//      secret.key). sqlite(file, sql) runs the same SQL through psql on that database.
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, rm, cp } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve, dirname, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { Contract, ContractViolation, violationMessage } from './openapi-check.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** docs/openapi.yaml, checked against every answer a Client receives (tests/api/openapi-check.mjs). */
export const CONTRACT = new Contract(ROOT);
// Every violation is thrown at the request that met it; one whose throw a test swallowed (a
// .catch(), allSettled) still fails the file: it exits 1, listing them.
process.on('exit', () => {
    const v = CONTRACT.violations;
    if (!v.length) return;
    process.stderr.write(`\n${v.length} answer(s) did not match docs/openapi.yaml in this file:\n`
        + `${v.map((m) => m.split('\n').slice(1, 6).join('\n')).join('\n\n')}\n`);
    process.exitCode = 1;
});
export const BIN = resolve(ROOT, process.env.FAZHI_BIN || 'build/fazhi');
export const DEMO_PASSWORD = 'Demo#Pass2026x';
/** The engine this run tests: 'postgres' when FAZHI_TEST_PG names a running pg-server dir. */
export const PG_DIR = process.env.FAZHI_TEST_PG || null;
export const ENGINE = PG_DIR ? 'postgres' : 'sqlite';
export const DEMO_USERS = ['sysadmin', 'secadmin', 'auditor', 'office', 'leader', 'reviewer',
    'inspector', 'clerk1', 'clerk2'];

/** Run a program; resolves {code, signal, stdout, stderr} (never rejects on exit code). */
export function run(cmd, args, { env = {}, timeout = 60000, input = null } = {}) {
    return new Promise((res) => {
        const p = execFile(cmd, args, { env: { ...process.env, ...env }, timeout, maxBuffer: 16 << 20 },
            (err, stdout, stderr) => {
                const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
                res({ code, signal: err?.signal ?? null, stdout: String(stdout), stderr: String(stderr) });
            });
        if (input !== null) p.stdin.end(input);
    });
}

// ---- PostgreSQL (FAZHI_TEST_PG) ----

const pgDbs = new Map(); // data dir → postgres URL
let pgSeq = 0;

/** Base URL of a pg-server dir's server as role `user` (trust authentication, 127.0.0.1). */
export function pgBase(dir = PG_DIR, user = 'fazhi') {
    const port = readFileSync(join(dir, 'port'), 'utf8').trim();
    return `postgres://${user}@127.0.0.1:${port}`;
}

/** Create a fresh database owned by `fazhi` on the pg-server in `dir`; resolves its URL. */
export async function pgCreateDb(dir = PG_DIR, prefix = 't') {
    pgSeq += 1;
    const name = `${prefix}_${process.pid}_${Date.now().toString(36)}_${pgSeq}`;
    const r = await run(resolve(ROOT, 'scripts/pg-server'), ['createdb', dir, name]);
    if (r.code !== 0) throw new Error(`pg-server createdb ${name}: ${r.stderr}${r.stdout}`);
    return r.stdout.trim().split('\n').pop();
}

/**
 * Tests that need PostgreSQL whatever the suite (multiserver, migrate) run once: in the api-pg
 * suite. Under run-tests.sh's SQLite suites (FAZHI_SUITE set, no FAZHI_TEST_PG) they are skipped
 * with this reason; run alone (`node --test tests/api/migrate.test.mjs`) they start their own.
 */
export const NEEDS_PG_SKIP = !PG_DIR && process.env.FAZHI_SUITE
    ? 'needs PostgreSQL: runs once, in the api-pg suite' : false;

/** The run's pg-server dir, or a private one started now; call stop() when done. */
export async function privatePg() {
    if (PG_DIR) return { dir: PG_DIR, stop: async () => {} };
    const dir = await mkdtemp(join(tmpdir(), 'fazhi-pg-'));
    const script = resolve(ROOT, 'scripts/pg-server');
    const r = await run(script, ['start', dir]);
    if (r.code !== 0) throw new Error(`pg-server start: ${r.stderr}${r.stdout}`);
    return {
        dir,
        stop: async () => { await run(script, ['stop', dir]); await rm(dir, { recursive: true, force: true }); },
    };
}

/**
 * A PostgreSQL server of the caller's own, whatever the suite: for tests that stop or restart it
 * (the run's shared server must stay up for the other files). `conf`: extra postgresql.conf lines;
 * `standbyOf`: the dir of an ownPg() server to stream from (a replica: scripts/pg-server standby).
 * Resolves { dir, base, run(verb, ...args), stop() } — run() calls scripts/pg-server VERB DIR ….
 */
export async function ownPg({ conf = '', standbyOf = null } = {}) {
    const dir = await mkdtemp(join(tmpdir(), 'fazhi-pg-own-'));
    const script = resolve(ROOT, 'scripts/pg-server');
    const args = standbyOf ? ['standby', dir, standbyOf] : ['start', dir];
    const r = await run(script, args, { env: { PG_SERVER_CONF: conf }, timeout: 120000 });
    if (r.code !== 0) throw new Error(`pg-server start: ${r.stderr}${r.stdout}`);
    const pgRun = async (verb, ...args) => {
        const x = await run(script, [verb, dir, ...args], { timeout: 120000 });
        if (x.code !== 0) throw new Error(`pg-server ${verb}: ${x.stderr}${x.stdout}`);
        return x.stdout.trim();
    };
    return {
        dir,
        base: r.stdout.trim(),
        run: pgRun,
        stop: async () => { await run(script, ['stop', dir, 'immediate']); await rm(dir, { recursive: true, force: true }); },
    };
}

/** Drop a database made by pgCreateDb (best effort: connections are terminated). */
export async function pgDropDb(url, dir = PG_DIR) {
    const name = new URL(url).pathname.slice(1);
    await run('psql', ['-X', '-q', '-d', `${pgBase(dir, 'postgres')}/postgres`, '-c',
        `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`]);
}

/**
 * The database URL of a data dir on this run's engine: on PostgreSQL a fresh database the first
 * time a dir is seen; on SQLite `sqlite:DIR/fazhi.db`.
 */
export async function dbUrlFor(dir) {
    if (!PG_DIR) return `sqlite:${join(dir, 'fazhi.db')}`;
    if (!pgDbs.has(dir)) pgDbs.set(dir, pgCreateDb());
    return pgDbs.get(dir);
}

/** The data dir a `…/fazhi.db` path or a postgres URL belongs to, if this run made it. */
function pgUrlOf(target) {
    if (/^postgres(ql)?:\/\//.test(target)) return Promise.resolve(target);
    if (!PG_DIR) return null;
    const dir = basename(target) === 'fazhi.db' ? resolve(dirname(target)) : null;
    return dir && pgDbs.has(dir) ? pgDbs.get(dir) : null;
}

/**
 * Run SQL with psql against a postgres URL (as the URL's role; pass user='postgres' for the
 * superuser). Output like `sqlite3 -batch`: one line per row, columns separated by `|`, no
 * headers; rejects on the first error (ON_ERROR_STOP), with psql's message.
 */
export async function psql(url, sql, { user = null } = {}) {
    let u = url;
    if (user) { const x = new URL(url); x.username = user; u = x.toString(); }
    const r = await run('psql', ['-X', '-q', '-A', '-t', '-F', '|', '-v', 'ON_ERROR_STOP=1', '-d', u, '-f', '-'],
        { input: sql });
    if (r.code !== 0) throw new Error(`psql exit ${r.code}: ${r.stderr}`);
    return r.stdout;
}

/**
 * Everything the database holds, as bytes an attacker with the storage would see: on SQLite the
 * database file and its WAL, on PostgreSQL a plain pg_dump of the database.
 */
export async function databaseBytes(srv) {
    if (srv.engine === 'postgres') {
        const r = await new Promise((res, rej) => execFile('pg_dump', ['--no-owner', '-d', srv.dbUrl],
            { encoding: 'buffer', maxBuffer: 256 << 20 }, (err, out) => (err ? rej(err) : res(out))));
        assert.ok(r.length > 1000, 'pg_dump output');
        return [r];
    }
    const { readFile } = await import('node:fs/promises');
    const { existsSync } = await import('node:fs');
    const out = [];
    for (const f of [srv.db, `${srv.db}-wal`]) if (existsSync(f)) out.push(await readFile(f));
    return out;
}

/** Add `--db URL` to a fazhi command line that names --data-dir but no --db (PostgreSQL runs). */
async function withDb(args) {
    if (!PG_DIR || args.some((a) => a === '--db' || a.startsWith('--db='))) return args;
    if (args[0] === 'migrate' && args.includes('--from')) return args;
    const i = args.findIndex((a) => a === '--data-dir' || a.startsWith('--data-dir='));
    if (i < 0) return args;
    const dir = args[i] === '--data-dir' ? args[i + 1] : args[i].slice('--data-dir='.length);
    if (!dir) return args;
    return [...args, '--db', await dbUrlFor(resolve(dir))];
}

/** Run the fazhi CLI; resolves {code, stdout, stderr} (never rejects on exit code). */
export async function fazhi(args, { env = {}, timeout = 60000 } = {}) {
    args = await withDb(args);
    return new Promise((res) => {
        execFile(BIN, args, { env: { ...process.env, ...env }, timeout, maxBuffer: 16 << 20 },
            (err, stdout, stderr) => {
                const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
                res({ code, signal: err?.signal ?? null, stdout: String(stdout), stderr: String(stderr) });
            });
    });
}

/**
 * Run the sqlite3 CLI on a database file with the given SQL script. On a PostgreSQL run, a
 * `DIR/fazhi.db` made through this harness (or a postgres URL, e.g. srv.db) goes to psql on that
 * dir's database instead: the SQL must then be portable (no PRAGMA, no sqlite_master).
 */
export async function sqlite(dbFile, sql) {
    const url = await pgUrlOf(dbFile);
    if (url) return psql(url, sql);
    return new Promise((res, rej) => {
        // The server may be writing (a request, the daily jobs' batches): wait for its lock as
        // the server itself would, instead of failing at once with "database is locked".
        const p = spawn('sqlite3', ['-batch', '-bail', '-cmd', '.timeout 10000', dbFile],
            { stdio: ['pipe', 'pipe', 'pipe'] });
        // Collect bytes and decode once: a chunk may end inside a multi-byte character.
        const out = [], errs = [];
        p.stdout.on('data', (d) => out.push(d));
        p.stderr.on('data', (d) => errs.push(d));
        p.on('error', rej);
        p.on('close', (code) => (code === 0 ? res(Buffer.concat(out).toString('utf8'))
            : rej(new Error(`sqlite3 exit ${code}: ${Buffer.concat(errs).toString('utf8')}`))));
        p.stdin.end(sql);
    });
}

export async function makeDataDir() {
    return mkdtemp(join(tmpdir(), 'fazhi-test-'));
}

/**
 * Copy a data dir (cp -r) and, on PostgreSQL, its database too (CREATE DATABASE … TEMPLATE: no
 * server may be connected to it). The copy's database is what dbUrlFor(copy) answers.
 */
export async function copyDataDir(src, dst) {
    await cp(src, dst, { recursive: true });
    if (!PG_DIR) return;
    const from = new URL(await dbUrlFor(resolve(src))).pathname.slice(1);
    pgSeq += 1;
    const name = `c_${process.pid}_${Date.now().toString(36)}_${pgSeq}`;
    await psql(`${pgBase(PG_DIR, 'postgres')}/postgres`, `CREATE DATABASE "${name}" TEMPLATE "${from}" OWNER fazhi;`);
    pgDbs.set(resolve(dst), Promise.resolve(`${pgBase()}/${name}`));
}

/** Remove a data dir made by makeDataDir and, on PostgreSQL, drop its database. */
export async function removeDataDir(dir) {
    await rm(dir, { recursive: true, force: true });
    const url = pgDbs.get(resolve(dir));
    if (url) {
        pgDbs.delete(resolve(dir));
        await pgDropDb(await url).catch(() => {});
    }
}

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

/** Poll until fn() returns truthy or the deadline passes (no fixed sleeps). */
export async function waitFor(fn, { timeout = 15000, interval = 25, what = 'condition' } = {}) {
    const deadline = Date.now() + timeout;
    for (;;) {
        const v = await fn();
        if (v) return v;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, interval));
    }
}

/**
 * Start `fazhi serve` on a free port. With demo=true (default) the data dir is first
 * filled by `fazhi demo --password DEMO_PASSWORD`. Returns a server handle; call stop().
 */
/**
 * Start `fazhi serve` on a free port (with demo data unless demo: false).
 * captchaAfter: the setting login.captcha_after of a demo server. The suite's servers ask no
 * captcha (0) unless a test says so — tests of repeated failures test the throttle, and
 * tests/api/security.test.mjs and the e2e login test cover the captcha with the default (3).
 */
/** dailyHour: jobs.daily_hour set before the server starts (24: its scheduler never runs the daily
 *  jobs itself, so a test's `fazhi jobs run --force` runs them whatever the hour). */
export async function startServer({ demo = true, dataDir = null, env = {}, serveArgs = [], db = null, captchaAfter = 0, dailyHour = null } = {}) {
    const dir = dataDir || (await makeDataDir());
    const dbArgs = db ? ['--db', db] : [];
    if (demo) {
        // a loaded machine's PostgreSQL demo may take over a minute: the command's own limit is generous
        const r = await fazhi(['demo', '--data-dir', dir, '--password', DEMO_PASSWORD, ...dbArgs], { env, timeout: 240000 });
        assert.equal(r.code, 0, `fazhi demo failed (${r.code}): ${r.stderr}${r.stdout}`);
        if (captchaAfter !== null) {
            await sqlite(db && !db.startsWith('sqlite:') ? db : db ? db.slice(7) : join(dir, 'fazhi.db'),
                "INSERT INTO settings (key, value, updated_at) VALUES ('login.captcha_after', " +
                `'${Number(captchaAfter)}', '2026-01-01T00:00:00Z') ON CONFLICT (key) DO UPDATE SET value = excluded.value;`);
        }
        if (dailyHour !== null) {
            await sqlite(db && !db.startsWith('sqlite:') ? db : db ? db.slice(7) : join(dir, 'fazhi.db'),
                "INSERT INTO settings (key, value, updated_at) VALUES ('jobs.daily_hour', " +
                `'${Number(dailyHour)}', '2026-01-01T00:00:00Z') ON CONFLICT (key) DO UPDATE SET value = excluded.value;`);
        }
    }
    let lastErr;
    for (let attempt = 0; attempt < 3; attempt++) {
        const port = await freePort();
        const args = await withDb(['serve', '--data-dir', dir, '--listen', `127.0.0.1:${port}`, ...dbArgs, ...serveArgs]);
        const proc = spawn(BIN, args, {
            env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
        });
        const dbUrl = db ? (db.startsWith('sqlite:') ? null : db) : PG_DIR ? await dbUrlFor(resolve(dir)) : null;
        const srv = new Server(proc, port, dir, dbUrl);
        try {
            await waitFor(async () => {
                if (srv.exited) throw new Error(`server exited early (${srv.exitCode}/${srv.exitSignal}): ${srv.stderr.slice(-2000)}`);
                try {
                    const r = await fetch(`${srv.base}/healthz`);
                    return r.status === 200;
                } catch { return false; }
            }, { what: 'server /healthz' });
            return srv;
        } catch (e) {
            lastErr = e;
            if (!srv.exited) proc.kill('SIGKILL');
        }
    }
    throw lastErr;
}

export class Server {
    constructor(proc, port, dir, dbUrl = null) {
        this.proc = proc;
        this.port = port;
        this.dir = dir;
        /** the SQLite file, or on PostgreSQL the database URL (sqlite() accepts both) */
        this.db = dbUrl || join(dir, 'fazhi.db');
        this.dbUrl = dbUrl || `sqlite:${this.db}`;
        this.engine = dbUrl ? 'postgres' : 'sqlite';
        this.base = `http://127.0.0.1:${port}`;
        this.stderr = '';
        this.stdout = '';
        this.exited = false;
        proc.stderr.on('data', (d) => { this.stderr += d; });
        proc.stdout.on('data', (d) => { this.stdout += d; });
        this.done = new Promise((res) => proc.on('exit', (code, signal) => {
            this.exited = true; this.exitCode = code; this.exitSignal = signal; res({ code, signal });
        }));
    }

    client(opts) { return new Client(this.base, opts); }

    /** Log in a demo user; returns the client. */
    async login(username, password = DEMO_PASSWORD, opts) {
        const c = this.client(opts);
        const r = await c.login(username, password);
        assert.equal(r.status, 200, `login ${username}: ${r.status} ${r.text}`);
        return c;
    }

    /** SIGTERM, wait for exit; resolves {code, signal}. */
    async stop() {
        if (!this.exited) this.proc.kill('SIGTERM');
        const t = setTimeout(() => this.proc.kill('SIGKILL'), 15000);
        const r = await this.done;
        clearTimeout(t);
        return r;
    }

    /** Stop the server, assert a clean exit 0, and remove the data dir. */
    async stopAndCheck() {
        const r = await this.stop();
        await removeDataDir(this.dir);
        assert.deepEqual(r, { code: 0, signal: null },
            `server must exit 0 on SIGTERM; stderr tail:\n${this.stderr.slice(-3000)}`);
    }
}

export class Client {
    /** contract: the Contract answers are checked against (default docs/openapi.yaml). */
    constructor(base, { lang = null, contract = CONTRACT } = {}) {
        this.base = base;
        this.contract = contract;
        this.cookie = null; // fazhi_session value
        this.csrf = null;
        this.lang = lang;
        this.setCookies = [];
    }

    /**
     * Send a request. body: object → JSON (Content-Type set), string/Buffer → raw.
     * opts.csrf=false omits the CSRF header; opts.headers adds/overrides headers.
     * The answer is checked against docs/openapi.yaml (status documented for the route and method,
     * Content-Type, JSON body against the schema): a mismatch throws a ContractViolation.
     * opts.unchecked='<reason>' skips that check for this one call; the reason is required.
     */
    async req(method, path, body, opts = {}) {
        if (opts.unchecked !== undefined && (typeof opts.unchecked !== 'string' || opts.unchecked.trim().length < 8)) {
            throw new TypeError(`${method} ${path}: opts.unchecked must state why the answer is not checked against docs/openapi.yaml`);
        }
        const headers = {};
        if (this.lang) headers['Accept-Language'] = this.lang;
        if (this.cookie) headers['Cookie'] = `fazhi_session=${this.cookie}`;
        if (this.csrf && opts.csrf !== false && !['GET', 'HEAD'].includes(method)) {
            headers['X-CSRF-Token'] = this.csrf;
        }
        let payload;
        if (body !== undefined && body !== null) {
            if (typeof body === 'string' || Buffer.isBuffer(body)) payload = body;
            else { payload = JSON.stringify(body); headers['Content-Type'] = 'application/json'; }
        }
        Object.assign(headers, opts.headers || {});
        for (const k of Object.keys(headers)) if (headers[k] === null) delete headers[k];
        const res = await fetch(this.base + path, { method, headers, body: payload, redirect: 'manual' });
        const buf = Buffer.from(await res.arrayBuffer());
        const text = buf.toString('utf8');
        let json = null;
        if ((res.headers.get('content-type') || '').includes('json')) {
            try { json = JSON.parse(text); } catch { json = null; }
        }
        const setCookies = res.headers.getSetCookie();
        for (const sc of setCookies) {
            const m = /^fazhi_session=([^;]*)/.exec(sc);
            if (m) this.cookie = m[1] || null;
        }
        this.setCookies = setCookies;
        if (opts.unchecked === undefined) {
            const ans = { method, path, status: res.status, headers: res.headers, buf };
            const v = this.contract.check(ans);
            if (v) {
                const msg = violationMessage(ans, v);
                this.contract.violations.push(msg);
                throw new ContractViolation(msg, v);
            }
        }
        // login, /auth/me and /auth/password hand out the (new) session's CSRF token
        if (res.status === 200 && json && typeof json.csrf_token === 'string') {
            this.csrf = json.csrf_token;
            if (json.user) this.user = json.user;
        }
        return { status: res.status, headers: res.headers, json, text, buf, setCookies };
    }

    get(path, opts) { return this.req('GET', path, undefined, opts); }
    post(path, body = {}, opts) { return this.req('POST', path, body, opts); }
    put(path, body = {}, opts) { return this.req('PUT', path, body, opts); }
    del(path, opts) { return this.req('DELETE', path, undefined, opts); }

    async login(username, password) {
        const r = await this.post('/api/v1/auth/login', { username, password });
        return r;
    }
}

/** Assert an error answer: status and error.code; returns the error object. */
export function assertError(r, status, code, msg = '') {
    assert.equal(r.status, status, `${msg} expected ${status} ${code}, got ${r.status}: ${r.text.slice(0, 500)}`);
    assert.ok(r.json && r.json.error, `${msg} error body missing: ${r.text.slice(0, 500)}`);
    assert.equal(r.json.error.code, code, `${msg} error code: ${r.text.slice(0, 500)}`);
    assert.equal(typeof r.json.error.message, 'string');
    assert.ok(r.json.error.message.length > 0, 'error message must not be empty');
    return r.json.error;
}

/** Assert 2xx-specific status and return json. */
export function ok(r, status = 200, msg = '') {
    assert.equal(r.status, status, `${msg} expected ${status}, got ${r.status}: ${r.text.slice(0, 500)}`);
    return r.json;
}

/** Fetch all rows of a list endpoint (per_page=200). */
export async function listAll(c, path) {
    const sep = path.includes('?') ? '&' : '?';
    const items = [];
    for (let page = 1; page < 100; page++) {
        const j = ok(await c.get(`${path}${sep}page=${page}&per_page=200`), 200, path);
        items.push(...j.items);
        if (items.length >= j.total || j.items.length === 0) return items;
    }
    return items;
}

/** Find the demo unit id by name fragment (e.g. '司法局'). */
export async function unitByName(c, fragment) {
    const units = await listAll(c, '/api/v1/units');
    const u = units.find((x) => x.name.includes(fragment));
    assert.ok(u, `demo unit containing ${fragment} not found`);
    return u;
}

let seq = 0;
/** A unique short code for test data. */
export function uniq(prefix = 't') {
    seq += 1;
    return `${prefix}${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}${seq}`;
}

export const HAS_CJK = /[\u4e00-\u9fff]/;
