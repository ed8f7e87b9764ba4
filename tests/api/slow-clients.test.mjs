// Slow and unfinished requests: one address cannot hold every connection
// (http.max_connections_per_ip), and a request must arrive within http.receive_seconds (its body
// at least 1 KB/s after that) — libmicrohttpd's own timeout only measures idleness, which a
// client sending one byte a second never reaches.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import http from 'node:http';
import { startServer, ok, waitFor, DEMO_PASSWORD } from './lib.mjs';

/** Open a connection, send `head`, then one byte a second; resolves the seconds until the server closed it (or null). */
function trickle(port, head, { localAddress, limit = 20 } = {}) {
    return new Promise((resolve) => {
        const t0 = Date.now();
        const s = net.connect({ host: '127.0.0.1', port, localAddress });
        let iv = null;
        const done = (v) => { clearInterval(iv); clearTimeout(cap); s.destroy(); resolve(v); };
        const cap = setTimeout(() => done(null), limit * 1000);
        s.on('connect', () => {
            s.write(head);
            iv = setInterval(() => s.write('a'), 1000);
        });
        s.on('data', () => {});
        s.on('error', () => {});
        s.on('close', () => done((Date.now() - t0) / 1000));
    });
}

/** GET path from a given local address; resolves the status or the error text. */
function getFrom(port, path, localAddress, timeout = 5000) {
    return new Promise((resolve) => {
        const req = http.get({ host: '127.0.0.1', port, path, localAddress, agent: false, timeout }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode));
        });
        req.on('timeout', () => { req.destroy(); resolve('timeout'); });
        req.on('error', (e) => resolve(e.code || e.message));
    });
}

test('many unfinished connections from one address do not stop /healthz from answering others', async () => {
    const srv = await startServer({ serveArgs: ['--max-connections', '200'] });
    const socks = [];
    try {
        let open = 0;
        const gone = new Set();
        for (let i = 0; i < 300; i++) {
            const s = net.connect({ host: '127.0.0.1', port: srv.port });
            s.on('error', () => {});
            s.on('connect', () => { open++; s.write('GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: '); });
            s.on('close', () => { gone.add(s); });
            socks.push(s);
        }
        await new Promise((r) => setTimeout(r, 1500));
        assert.ok(open > 200, `connected ${open}`);
        // Another address (the whole of 127/8 is this machine) is answered at once.
        assert.equal(await getFrom(srv.port, '/healthz', '127.0.0.2'), 200);
        assert.equal(await getFrom(srv.port, '/readyz', '127.0.0.3'), 200);
        // The server keeps at most 128 connections of one address (the rest may still be waiting
        // in the accept queue on a loaded machine: give it time).
        await waitFor(() => socks.length - gone.size <= 128, { timeout: 10000, what: 'connections beyond 128 closed' });
    } finally {
        for (const s of socks) s.destroy();
        await srv.stopAndCheck();
    }
});

test('a request not received within http.receive_seconds is dropped; a slow but steady body is not', async () => {
    let srv = await startServer();
    const sec = await srv.login('secadmin');
    const s = ok(await sec.get('/api/v1/settings')).items.find((x) => x.key === 'http.receive_seconds');
    assert.equal(s.value, 30);
    assert.equal(s.perm, 'security.manage');
    ok(await sec.put('/api/v1/settings/http.receive_seconds', { value: 5, version: s.version }));
    await srv.stop(); // read at start-up
    srv = await startServer({ demo: false, dataDir: srv.dir });
    try {
        const body = 'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n'
            + 'Content-Length: 1000\r\n\r\n{"username":';
        const [head, unfinished] = await Promise.all([
            trickle(srv.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: '),
            trickle(srv.port, body),
        ]);
        assert.ok(head !== null && head >= 4 && head <= 10, `headers trickled: closed after ${head} s`);
        assert.ok(unfinished !== null && unfinished >= 4 && unfinished <= 10, `body trickled: closed after ${unfinished} s`);
        // 24 KB at about 4 KB/s takes 6 s, longer than 5 s, but faster than 1 KB/s: answered.
        const pad = 'a'.repeat(24 * 1024);
        const json = JSON.stringify({ username: '', password: '', pad });
        const status = await new Promise((resolve) => {
            const c = net.connect({ host: '127.0.0.1', port: srv.port });
            let got = '';
            c.on('data', (d) => { got += d; });
            c.on('error', (e) => resolve(e.code));
            c.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d+)/.exec(got)?.[1]) || got));
            c.on('connect', async () => {
                c.write(`POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n`
                    + `Content-Length: ${Buffer.byteLength(json)}\r\nConnection: close\r\n\r\n`);
                for (let off = 0; off < json.length; off += 1024) {
                    c.write(json.slice(off, off + 1024));
                    await new Promise((r) => setTimeout(r, 250));
                }
            });
        });
        assert.equal(status, 400, 'the steady body was received and answered');
        const metrics = (await srv.client().get('/metrics')).text;
        assert.ok(Number(/^fazhi_http_receive_timeouts_total (\d+)/m.exec(metrics)?.[1]) >= 2, 'counted in /metrics');
        ok(await srv.client().login('leader', DEMO_PASSWORD), 200, 'the server serves on');
    } finally {
        await srv.stopAndCheck();
    }
});
