// `make bench` in a fresh clone reaches its first measurement (issue 8, point 1): bench/run.sh,
// copied into an empty directory (no build/, so no build/bench-data either), generates its data
// set there and measures. District data (1.5 s to make) and healthz only, for 1 s, stand in for
// the province run of `make bench`; the steps are the same ones. A data set made more than a week
// ago is made again (its tasks are anchored to the day it was made), and the output says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, cpSync, rmSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = resolve(ROOT, process.env.FAZHI_BIN || 'build/fazhi');

function run(cmd, args, opts) {
    return new Promise((res, rej) => {
        const p = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        p.stdout.on('data', (d) => { out += d; });
        p.stderr.on('data', (d) => { out += d; });
        const timer = setTimeout(() => p.kill('SIGTERM'), 240000);
        p.on('error', rej);
        p.on('close', (code, signal) => { clearTimeout(timer); res({ code, signal, out }); });
    });
}

test('bench/run.sh in an empty checkout makes its data set and reaches the first measurement', async () => {
    assert.ok(existsSync(BIN), `${BIN} is missing`);
    const dir = mkdtempSync(join(tmpdir(), 'fazhi-bench-'));
    try {
        cpSync(join(ROOT, 'bench'), join(dir, 'bench'), { recursive: true });
        assert.ok(!existsSync(join(dir, 'build')));
        const env = { ...process.env, BENCH_BIN: BIN, BENCH_SCALE: 'district', BENCH_SECS: '1', BENCH_ONLY: '^healthz$' };
        delete env.BENCH_DATA;
        delete env.BENCH_SOAK_SECS;
        const r = await run('bash', [join(dir, 'bench', 'run.sh')], { cwd: dir, env });
        assert.equal(r.code, 0, `bench/run.sh failed (${r.signal || r.code}):\n${r.out.slice(-3000)}`);
        assert.ok(existsSync(join(dir, 'build', 'bench-data', 'district', '.complete')), 'the data set is kept for the next run');
        const row = r.out.split('\n').find((l) => /^healthz\s/.test(l));
        assert.ok(row, `no measurement for healthz in:\n${r.out}`);
        // healthz  BYTES | fazhi r/s p50 p95 p99 errors | nginx r/s ...
        const [, fazhiCols] = row.split('|');
        const [rps, , , , errors] = fazhiCols.trim().split(/\s+/);
        assert.ok(Number(rps) > 0, `fazhi r/s: ${row}`);
        assert.equal(Number(errors), 0, `errors: ${row}`);

        // the stamp names the day; ten days later the set is made again, and the output says so
        const stamp = join(dir, 'build', 'bench-data', 'district', '.complete');
        const day = (offset) => new Date(Date.now() + 8 * 3600e3 + offset * 86400e3).toISOString().slice(0, 10);
        assert.equal(readFileSync(stamp, 'utf8').trim(), `made ${day(0)}`);
        assert.match(r.out, new RegExp(`^data: .*made on ${day(0)} \\(0 days ago`, 'm'));
        writeFileSync(stamp, `made ${day(-10)}\n`);
        const again = await run('bash', [join(dir, 'bench', 'run.sh')], { cwd: dir, env });
        assert.equal(again.code, 0, `second run failed:\n${again.out.slice(-3000)}`);
        assert.match(again.out, new RegExp(`made on ${day(-10)}, 10 days ago; .*making it again`));
        assert.equal(readFileSync(stamp, 'utf8').trim(), `made ${day(0)}`);
        assert.match(again.out, new RegExp(`^data: .*made on ${day(0)} \\(0 days ago`, 'm'));
        // within the week it is reused
        writeFileSync(stamp, `made ${day(-7)}\n`);
        const third = await run('bash', [join(dir, 'bench', 'run.sh')], { cwd: dir, env });
        assert.equal(third.code, 0, third.out.slice(-3000));
        assert.doesNotMatch(third.out, /making it again|generating/);
        assert.match(third.out, new RegExp(`^data: .*made on ${day(-7)} \\(7 days ago`, 'm'));
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
});
