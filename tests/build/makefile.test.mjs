// The Makefile on a fresh machine (issue 8, point 1). There the build packages, pkg-config
// included, exist only after `make run`/`make test`/`make bench` has run scripts/install-deps, so
// the compile flags must be asked for after that step, not while make reads the Makefile.
//
// A copy of the tracked tree (no build/, no node_modules) is made with a `pkg-config` first on
// PATH that fails until a marker file exists; INSTALL_DEPS is a script that creates the marker
// (the "install"). Each top-level target must then hand the rest to a make that reads the
// Makefile after the install: with MAKE='make -n' that inner make only prints its commands, and
// the compile lines must carry the real `pkg-config --cflags` (-I/usr/include/postgresql).
// CC is a stand-in that fails, so a Makefile that compiles in the same make fails at once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, chmodSync, rmSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
let tmp, tree, fakeBin, marker, installDeps, fakeCc, realCflags, realLibs;

function sh(cmd, args, opts = {}) {
    const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 120000, maxBuffer: 64 << 20, ...opts });
    if (r.error) throw r.error;
    return r;
}

before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'fazhi-makefile-'));
    tree = join(tmp, 'tree');
    mkdirSync(tree);
    // The tracked files as they are in the work tree (uncommitted changes included); outside a
    // git checkout, everything but build output, node_modules and data.
    const copy = sh('bash', ['-c', 'set -o pipefail; if git -C "$1" rev-parse --git-dir >/dev/null 2>&1; then' +
        ' git -C "$1" ls-files -z --cached --others --exclude-standard |' +
        ' tar -C "$1" --null --ignore-failed-read -T - -cf - | tar -C "$2" -xf -; else' +
        ' tar -C "$1" --exclude=./build --exclude=node_modules --exclude=./data --exclude=./web/dist -cf - . |' +
        ' tar -C "$2" -xf -; fi', '_', ROOT, tree]);
    assert.equal(copy.status, 0, copy.stderr);
    assert.ok(existsSync(join(tree, 'Makefile')) && !existsSync(join(tree, 'build')));

    const which = sh('bash', ['-c', 'command -v pkg-config']);
    assert.equal(which.status, 0, 'pkg-config is missing (scripts/install-deps installs it)');
    const real = which.stdout.trim();
    const q = sh(real, ['--cflags', '--libs', 'libpq']);
    assert.equal(q.status, 0, q.stderr);
    realCflags = sh(real, ['--cflags', 'libpq']).stdout.trim().split(/\s+/).filter(Boolean);
    realLibs = sh(real, ['--libs', 'libpq']).stdout.trim().split(/\s+/).filter(Boolean);
    assert.ok(realCflags.some((f) => f.startsWith('-I')), `libpq cflags: ${realCflags}`);

    fakeBin = join(tmp, 'bin');
    mkdirSync(fakeBin);
    marker = join(tmp, 'installed');
    writeFileSync(join(fakeBin, 'pkg-config'),
        `#!/bin/sh\n# not installed until the fake install-deps has run\n` +
        `[ -e '${marker}' ] || { echo "pkg-config: not found" >&2; exit 127; }\n` +
        `exec '${real}' "$@"\n`);
    chmodSync(join(fakeBin, 'pkg-config'), 0o755);
    installDeps = join(tmp, 'install-deps');
    writeFileSync(installDeps, `#!/bin/sh\necho "fake install-deps: installing"\ntouch '${marker}'\n`);
    chmodSync(installDeps, 0o755);
    fakeCc = join(tmp, 'cc');
    writeFileSync(fakeCc, `#!/bin/sh\necho "fake cc ran: $*" >&2\nexit 1\n`);
    chmodSync(fakeCc, 0o755);
});

after(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
});

function make(args) {
    rmSync(marker, { force: true });
    const env = { ...process.env, PATH: `${fakeBin}:${process.env.PATH}` };
    delete env.MAKEFLAGS;
    delete env.MAKELEVEL;
    delete env.MFLAGS;
    return sh('make', ['--no-print-directory', '-C', tree, `CC=${fakeCc}`, ...args], { env });
}

function compileLine(out, obj) {
    return out.split('\n').find((l) => l.includes(` -o ${obj} `));
}

for (const target of ['test', 'run', 'bench']) {
    test(`make ${target}: pkg-config missing while the Makefile is read, the build still gets its flags`, () => {
        const r = make([target, `INSTALL_DEPS=${installDeps}`, 'MAKE=make -n']);
        const out = r.stdout + r.stderr;
        assert.equal(r.status, 0, `make ${target} failed:\n${out.slice(-3000)}`);
        assert.match(out, /fake install-deps: installing/, 'the install step runs first');
        assert.ok(existsSync(marker));
        for (const obj of ['build/rel/src/store/pg.o', ...(target === 'test' ? ['build/asan/src/store/pg.o'] : [])]) {
            const line = compileLine(out, obj);
            assert.ok(line, `no compile line for ${obj} in:\n${out.slice(0, 3000)}`);
            for (const f of realCflags) assert.ok(line.split(/\s+/).includes(f), `${obj} is compiled without ${f}:\n${line}`);
        }
        const link = out.split('\n').find((l) => / -o build\/fazhi /.test(l));
        assert.ok(link, 'no link line for build/fazhi');
        for (const f of realLibs) assert.ok(link.split(/\s+/).includes(f), `build/fazhi is linked without ${f}:\n${link}`);
        const embed = out.split('\n').find((l) => / -o build\/tools\/embed /.test(l));
        assert.ok(embed && /-lsodium/.test(embed), `build/tools/embed without libsodium's flags:\n${embed}`);
        if (target === 'test') assert.match(out, /tests\/run-tests\.sh /);
        if (target === 'run') assert.match(out, /build\/fazhi serve --data-dir data/);
        if (target === 'bench') assert.match(out, /bench\/run\.sh/);
    });
}

test('make build/fazhi without the packages stops with the cause instead of compiling without flags', () => {
    const r = make(['-n', 'build/fazhi']);
    const out = r.stdout + r.stderr;
    assert.notEqual(r.status, 0, `make -n build/fazhi went on without pkg-config:\n${out.slice(0, 2000)}`);
    assert.match(out, /pkg-config --cflags .*libpq.* failed/);
    assert.match(out, /scripts\/install-deps/);
    assert.doesNotMatch(out, / -c -o build\/rel\//, 'no compile command may be printed');
});

test('make build/fazhi and make test-unit work directly once the packages are there', () => {
    for (const target of ['build/fazhi', 'test-unit']) {
        const env = { ...process.env, PATH: `${fakeBin}:${process.env.PATH}` };
        delete env.MAKEFLAGS;
        delete env.MAKELEVEL;
        writeFileSync(marker, '');
        const r = sh('make', ['--no-print-directory', '-n', '-C', tree, `CC=${fakeCc}`, target], { env });
        const out = r.stdout + r.stderr;
        assert.equal(r.status, 0, `make -n ${target}:\n${out.slice(-2000)}`);
        assert.doesNotMatch(out, /fake install-deps/, `${target} must not install anything`);
        const obj = target === 'test-unit' ? 'build/asan/src/store/pg.o' : 'build/rel/src/store/pg.o';
        const line = compileLine(out, obj);
        assert.ok(line, `no compile line for ${obj}`);
        for (const f of realCflags) assert.ok(line.split(/\s+/).includes(f), `${obj} without ${f}`);
    }
});
