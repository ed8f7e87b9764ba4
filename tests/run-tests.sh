#!/usr/bin/env bash
# Run fazhi's test suites and print one closing line: `N passed, M failed`.
#
# Usage: tests/run-tests.sh SUITE...
#   unit:GLOB          run every cmocka test binary matching GLOB (e.g. 'build/test-bin/*')
#   api:BIN            node --test tests/api/*.test.mjs against the server binary BIN
#   api-asan:BIN       the same, labelled as the sanitizer run (any `api-LABEL:` works)
#   api-pg:BIN         the API suite on PostgreSQL: starts a private server (scripts/pg-server in a
#                      temporary dir, free port; PostgreSQL installed by scripts/install-deps when
#                      missing), exports FAZHI_TEST_PG, runs the suite, stops the server (also on
#                      failure or interrupt). tests/api/multiserver and migrate run only here.
#   e2e:BIN            node --test tests/e2e/*.test.mjs (playwright-core + /usr/bin/chromium)
#   crash:BIN          node --test tests/crash/*.test.mjs: SIGKILL/restart rounds under concurrent
#                      writes (FAZHI_CRASH_ROUNDS, default 20; 500 for the long run)
#   spectral:FILE      Spectral lints the OpenAPI document FILE with the ruleset .spectral.yaml
#                      (spectral:oas and fazhi's rules); one test, failed by any problem at warning
#                      level or above. The api suites check every answer against the same file.
#   build:BIN          node --test tests/build/*.test.mjs: the Makefile on a fresh machine (flags
#                      asked for after scripts/install-deps) and bench/run.sh in an empty checkout
# With no arguments, $FAZHI_TEST_SUITES (space-separated) is used.
# Optional env: FAZHI_TEST_FILTER  passed to node as --test-name-pattern (every file still starts)
#               FAZHI_TEST_FILES  a glob of test file names without .test.mjs (e.g. 'petition*'):
#                                 only those run
#               FAZHI_TEST_CONCURRENCY  node test files run at once (default 4)
#               FAZHI_TEST_LOG_DIR  where each suite's full output goes (default build/test-logs)
#
# Exit status is non-zero when any test failed, or a suite crashed or ran no test.
set -uo pipefail
cd "$(dirname "$0")/.."

if [[ $# -eq 0 ]]; then
    read -r -a suites <<<"${FAZHI_TEST_SUITES:-}"
else
    suites=("$@")
fi
if [[ ${#suites[@]} -eq 0 ]]; then
    echo "usage: tests/run-tests.sh unit:GLOB api:BIN api-asan:BIN e2e:BIN crash:BIN build:BIN spectral:FILE" >&2
    echo "0 passed, 1 failed"
    exit 2
fi

log_dir=${FAZHI_TEST_LOG_DIR:-build/test-logs}
mkdir -p "$log_dir"
concurrency=${FAZHI_TEST_CONCURRENCY:-4}
total_pass=0
total_fail=0
summary=()

# cmocka: sum `[  PASSED  ] N test(s).` and `[  FAILED  ] N test(s)` over all groups.
count_cmocka() {
    local file=$1 p f
    p=$(sed -n 's/^\[  PASSED  \] \([0-9][0-9]*\) test(s)\..*/\1/p' "$file" | awk '{s+=$1} END {print s+0}')
    f=$(sed -n 's/^\[  FAILED  \] \([0-9][0-9]*\) test(s).*/\1/p' "$file" | awk '{s+=$1} END {print s+0}')
    echo "$p $f"
}

# node --test TAP summary: `# pass N`, `# fail N`, `# cancelled N` (cancelled counts as failed).
count_node() {
    local file=$1 p f c
    p=$(sed -n 's/^# pass \([0-9][0-9]*\)$/\1/p' "$file" | tail -n 1)
    f=$(sed -n 's/^# fail \([0-9][0-9]*\)$/\1/p' "$file" | tail -n 1)
    c=$(sed -n 's/^# cancelled \([0-9][0-9]*\)$/\1/p' "$file" | tail -n 1)
    echo "${p:-0} $(( ${f:-0} + ${c:-0} ))"
}

# record LABEL PASS FAIL EXIT_CODE: add to totals; a crash or an empty run counts as one failure.
record() {
    local label=$1 p=$2 f=$3 rc=$4 note=""
    if [[ $rc -ne 0 && $f -eq 0 ]]; then
        f=1
        note=" (exit $rc without a failed test: crashed?)"
    elif [[ $((p + f)) -eq 0 ]]; then
        f=1
        note=" (ran no test)"
    fi
    total_pass=$((total_pass + p))
    total_fail=$((total_fail + f))
    summary+=("$(printf '%-28s %4d passed, %d failed%s' "$label" "$p" "$f" "$note")")
}

run_unit() {
    local label=$1 glob=$2 bin any=0
    for bin in $glob; do
        [[ -f $bin && -x $bin ]] || continue
        any=1
        local name log rc
        name=$(basename "$bin")
        log="$log_dir/unit-$name.log"
        echo "=== $label: $bin"
        CMOCKA_MESSAGE_OUTPUT=stdout "$bin" >"$log" 2>&1
        rc=$?
        cat "$log"
        read -r p f < <(count_cmocka "$log")
        record "$label:$name" "$p" "$f" "$rc"
    done
    if [[ $any -eq 0 ]]; then
        echo "=== $label: no test binary matches $glob"
        record "$label" 0 0 0
    fi
}

run_node() {
    local label=$1 dir=$2 bin=$3 log rc files
    log="$log_dir/$label.log"
    echo "=== $label: node --test $dir against $bin"
    if [[ ! -x $bin ]]; then
        echo "$label: server binary $bin missing"
        record "$label" 0 0 0
        return
    fi
    # shellcheck disable=SC2206 # FAZHI_TEST_FILES is a glob on purpose
    files=("$dir"/${FAZHI_TEST_FILES:-*}.test.mjs)
    if [[ ! -e ${files[0]} ]]; then
        record "$label" 0 0 0
        return
    fi
    local args=(--test --test-reporter=tap --test-concurrency="$concurrency")
    if [[ -n ${FAZHI_TEST_FILTER:-} ]]; then
        args+=(--test-name-pattern="$FAZHI_TEST_FILTER")
    fi
    FAZHI_BIN=$(realpath "$bin") FAZHI_SUITE=$label node "${args[@]}" "${files[@]}" >"$log" 2>&1
    rc=$?
    cat "$log"
    read -r p f < <(count_node "$log")
    record "$label" "$p" "$f" "$rc"
}

# api-pg: a private PostgreSQL for the duration of the suite.
pg_dir=""
pg_stop() {
    if [[ -n $pg_dir ]]; then
        scripts/pg-server stop "$pg_dir" >/dev/null 2>&1 || true
        rm -rf "$pg_dir"
        pg_dir=""
    fi
}
trap pg_stop EXIT
trap 'pg_stop; exit 130' INT
trap 'pg_stop; exit 143' TERM

run_node_pg() {
    local label=$1 dir=$2 bin=$3
    if ! ls -d /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
        echo "=== $label: PostgreSQL missing, scripts/install-deps"
        scripts/install-deps || { record "$label" 0 0 1; return; }
    fi
    pg_dir=$(mktemp -d "${TMPDIR:-/tmp}/fazhi-pg.XXXXXX")
    local url
    if ! url=$(scripts/pg-server start "$pg_dir"); then
        echo "$label: cannot start PostgreSQL:"
        cat "$pg_dir"/*.log 2>/dev/null | tail -n 20
        pg_stop
        record "$label" 0 0 1
        return
    fi
    echo "=== $label: private PostgreSQL at $url ($pg_dir)"
    FAZHI_TEST_PG=$pg_dir run_node "$label" "$dir" "$bin"
    pg_stop
}

# format:DIRS — clang-format (the repository's .clang-format) must have nothing to change in the
# C sources under the comma-separated DIRS; one test per file.
run_format() {
    local label=$1 dirs=$2 log="$log_dir/format.log" p=0 f=0 file
    echo "=== $label: clang-format --dry-run over ${dirs//,/ }"
    : >"$log"
    while IFS= read -r file; do
        if clang-format --dry-run -Werror "$file" >>"$log" 2>&1; then
            p=$((p + 1))
        else
            f=$((f + 1))
            echo "not formatted: $file (make format)" | tee -a "$log"
        fi
    done < <(find ${dirs//,/ } -name '*.[ch]' | sort)
    record "$label" "$p" "$f" 0
}

# The api suites and spectral need ajv, yaml and Spectral from tests/api/package-lock.json.
api_deps() {
    [[ -d tests/api/node_modules/ajv-formats && -x tests/api/node_modules/.bin/spectral ]] && return 0
    echo "=== api: npm ci in tests/api"
    (cd tests/api && npm ci --no-audit --no-fund --loglevel=error)
}

run_spectral() {
    local label=$1 file=$2 log="$log_dir/spectral.log" rc
    echo "=== $label: spectral lint $file (ruleset .spectral.yaml)"
    if ! api_deps; then
        record "$label" 0 0 1
        return
    fi
    tests/api/node_modules/.bin/spectral lint --ruleset .spectral.yaml --fail-severity=warn \
        "$file" >"$log" 2>&1
    rc=$?
    cat "$log"
    if [[ $rc -eq 0 ]]; then
        record "$label" 1 0 0
    else
        echo "$label: $file has problems (above); fix the spec, see docs/API.md \"The contract checks\""
        record "$label" 0 1 0
    fi
}

# e2e needs playwright-core from tests/e2e/package-lock.json.
e2e_deps() {
    [[ -d tests/e2e/node_modules/playwright-core ]] && return 0
    echo "=== e2e: npm ci in tests/e2e"
    (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
}

for suite in "${suites[@]}"; do
    kind=${suite%%:*}
    arg=${suite#*:}
    if [[ $kind == "$suite" || -z $arg ]]; then
        echo "bad suite '$suite' (want KIND:PATH)" >&2
        record "$suite" 0 0 2
        continue
    fi
    case $kind in
        unit) run_unit "$kind" "$arg" ;;
        spectral) run_spectral "$kind" "$arg" ;;
        api-pg)
            if api_deps; then run_node_pg "$kind" tests/api "$arg"; else record "$kind" 0 0 1; fi
            ;;
        api | api-*)
            if api_deps; then run_node "$kind" tests/api "$arg"; else record "$kind" 0 0 1; fi
            ;;
        crash) run_node "$kind" tests/crash "$arg" ;;
        build) run_node "$kind" tests/build "$arg" ;;
        format) run_format "$kind" "$arg" ;;
        e2e)
            if e2e_deps; then
                run_node "$kind" tests/e2e "$arg"
            else
                record "$kind" 0 0 1
            fi
            ;;
        *)
            echo "unknown suite kind '$kind'" >&2
            record "$suite" 0 0 2
            ;;
    esac
done

echo
echo "=== summary"
for line in "${summary[@]}"; do
    echo "$line"
done
echo "$total_pass passed, $total_fail failed"
[[ $total_fail -eq 0 ]]
