// Planner statistics (store/db.h db_optimize): `fazhi demo` analyzes what it wrote, and
// `fazhi serve` analyzes a SQLite database that never was (the dashboard counts of one unit read
// 43,000 index entries without statistics, 3,500 with them: docs/performance.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sqlite, ENGINE } from './lib.mjs';

test('fazhi demo leaves planner statistics behind; fazhi serve makes them when they are missing', async () => {
    const srv = await startServer();
    try {
        if (ENGINE === 'postgres') {
            const last = (await sqlite(srv.db, "SELECT COUNT(*) FROM pg_stat_user_tables WHERE relname IN ('tasks', 'task_units', 'users') AND last_analyze IS NOT NULL;")).trim();
            assert.equal(last, '3', 'ANALYZE ran on the demo tables');
            return;
        }
        const rows = Number((await sqlite(srv.db, "SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'tasks';")).trim());
        assert.ok(rows > 0, 'sqlite_stat1 has the tasks indexes');
    } finally {
        await srv.stop();
    }
    if (ENGINE === 'postgres') return;
    await sqlite(srv.db, 'DROP TABLE sqlite_stat1;');
    const again = await startServer({ demo: false, dataDir: srv.dir });
    try {
        const n = Number((await sqlite(again.db, "SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'tasks';")).trim());
        assert.ok(n > 0, 'the server analyzed the database at start');
    } finally {
        await again.stopAndCheck();
    }
});
