#!/usr/bin/env bash
# bench/entity-ab.sh BIN_A BIN_B DATA_DIR [REPS] — two servers (two builds) on one data dir, the
# same list requests interleaved A/B; prints per request the statements it ran ("queries") and
# the server-side median / p90 ms of each, from the access log. The data dir is a copy of the
# bench's province set (its daily jobs already run, e.g. `fazhi jobs run`), with clerk1 and office
# signed in with BENCH_PASSWORD (default Bench#2026pw).
set -uo pipefail
A=$1; B=$2; D=$3; reps=${4:-15}; pw=${BENCH_PASSWORD:-'Bench#2026pw'}
tmp=$(mktemp -d)
pa=; pb=
trap 'kill $pa $pb 2>/dev/null; wait $pa $pb 2>/dev/null; rm -rf "$tmp"' EXIT
start() { "$1" serve --data-dir $D --listen 127.0.0.1:$2 >/dev/null 2>$3 & echo $!; }
pa=$(start $A 18751 $tmp/a.log); pb=$(start $B 18752 $tmp/b.log)
for p in 18751 18752; do for i in $(seq 100); do curl -sf http://127.0.0.1:$p/healthz >/dev/null && break; sleep 0.1; done; done
login() { curl -si -H 'Content-Type: application/json' -d "{\"username\":\"$2\",\"password\":\"$pw\"}" http://127.0.0.1:$1/api/v1/auth/login | sed -n 's/^[Ss]et-[Cc]ookie: \(fazhi_session=[^;]*\).*/\1/p'; }
declare -A ck
for u in clerk1 office; do ck[a$u]=$(login 18751 $u); ck[b$u]=$(login 18752 $u); done
unit=$(sqlite3 $D/fazhi.db "SELECT lead_unit_id FROM tasks GROUP BY lead_unit_id ORDER BY COUNT(*) DESC, lead_unit_id LIMIT 1")
tid=$(sqlite3 $D/fazhi.db "SELECT t.id FROM tasks t JOIN task_units tu ON tu.task_id=t.id WHERE tu.unit_id=(SELECT unit_id FROM users WHERE username='clerk1') AND t.status<>'draft' LIMIT 1")
stat() { # log path-marker
  python3 - "$1" "$2" <<'PY'
import sys, json
log, tag = sys.argv[1], sys.argv[2]
rows=[json.loads(l) for l in open(log) if l.startswith('{"type":"access"') and tag in l]
rows=[r for r in rows if r.get('user')]
ms=sorted(r['ms'] for r in rows)
if not ms: print('-'); sys.exit()
print('q=%s med=%.1f p90=%.1f n=%d' % (rows[-1].get('queries'), ms[len(ms)//2], ms[int(len(ms)*0.9)-1 if len(ms)>1 else 0], len(ms)))
PY
}
run() { # user path
  local na=$(wc -l < $tmp/a.log) nb=$(wc -l < $tmp/b.log)
  for i in $(seq $reps); do
    curl -s -o /dev/null -H "Cookie: ${ck[a$1]}" "http://127.0.0.1:18751$2"
    curl -s -o /dev/null -H "Cookie: ${ck[b$1]}" "http://127.0.0.1:18752$2"
  done
  sleep 0.1
  tail -n +$((na+1)) $tmp/a.log > $tmp/a.part; tail -n +$((nb+1)) $tmp/b.log > $tmp/b.part
  printf '%-7s %-46s before: %-30s after: %s\n' "$1" "${2:0:46}" "$(stat $tmp/a.part "")" "$(stat $tmp/b.part "")"
}
for u in clerk1 office; do
  run $u "/api/v1/tasks?per_page=20"
  run $u "/api/v1/tasks?per_page=200"
  run $u "/api/v1/tasks?unit_id=$unit&per_page=20"
  run $u "/api/v1/tasks/$tid"
  run $u "/api/v1/documents?per_page=20"
  run $u "/api/v1/people?per_page=200"
  run $u "/api/v1/units?per_page=200"
done
run office "/api/v1/users?per_page=200"
run office "/api/v1/tasks?unit_id=$unit&per_page=200"
