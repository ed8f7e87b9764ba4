// Import and batch costs (issue 10), measured, not tested: a 2,000-row import preview (every
// row checked, duplicates looked up), the import itself, the same sheet's preview again (2,000
// duplicates), and a batch 下发 of 500 drafts — wall time and the statements each ran (the
// access log's `queries`). Run: FAZHI_BIN=build/fazhi node bench/import-batch.mjs
import { startServer, ok, uniq } from '../tests/api/lib.mjs';
import { day } from '../tests/api/tasks-lib.mjs';

const srv = await startServer();
const office = await srv.login('office');
async function queriesOf(r) {
    const id = r.headers.get('x-request-id');
    for (let i = 0; i < 200; i++) {
        const line = srv.stderr.split('\n').find((l) => l.includes(`"request_id":"${id}"`) && l.includes('"access"'));
        if (line) return JSON.parse(line).queries;
        await new Promise((res) => setTimeout(res, 20));
    }
    return '?';
}
async function timed(what, fn) {
    const t0 = performance.now();
    const r = await fn();
    const ms = performance.now() - t0;
    console.log(`${what.padEnd(44)} ${String(r.status).padEnd(4)} ${ms.toFixed(0).padStart(6)} ms  queries=${await queriesOf(r)}`);
    return r;
}
const tag = uniq('bench');
const rows = Array.from({ length: 2000 }, (_, i) => ({ title: `${tag} 任务${i}`, lead_unit: i % 2 ? '区司法局' : '城关街道',
    due_on: day(30 + (i % 200)), rhythm: '每月', priority: '一般' }));
await timed('preview 2000 rows (new)', () => office.post('/api/v1/tasks/import', { rows, preview: true }));
const imp = await timed('import 2000 rows', () => office.post('/api/v1/tasks/import', { rows }));
const ids = ok(imp, 201).ids;
await timed('preview 2000 rows (all duplicates)', () => office.post('/api/v1/tasks/import', { rows, preview: true }));
await timed('import 2000 rows, duplicates: skip', () => office.post('/api/v1/tasks/import', { rows, duplicates: 'skip' }));
await timed('batch issue 500 drafts', () => office.post('/api/v1/tasks/batch', { action: 'issue', ids: ids.slice(0, 500), args: { note: '统一下发' } }));
await timed('batch issue 500 again (all refused)', () => office.post('/api/v1/tasks/batch', { action: 'issue', ids: ids.slice(0, 500) }));
await timed('export.xlsx?ids= 500', () => office.get(`/api/v1/tasks/export.xlsx?ids=${ids.slice(0, 500).join(',')}`));
await srv.stop?.();
process.exit(0);
