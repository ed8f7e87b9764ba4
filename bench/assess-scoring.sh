#!/usr/bin/env bash
# Assessment scoring on the province data set (issue 14), measured, not tested: a 120-leaf
# indicator system made through the API (10 areas × 4 × 3 leaves over the registers' metrics),
# a run over every unit of the set (assess.unit_kinds set to every kind: 1,000 units), scored
# from the command line (the progress bar, the wall time) and through the API (计分 answers at
# once; the server keeps answering while the pass runs: the slowest GET /healthz and list page
# meanwhile), then one unit re-scored. Writes only assess_* tables, settings and the two
# accounts' passwords of the data set it is given — run it on a copy:
#   cp --reflink=auto /tmp/p11/fazhi.db* /tmp/p11/secret.key /tmp/prov-copy/
#   bench/assess-scoring.sh /tmp/prov-copy [build/fazhi]
set -euo pipefail
DIR=${1:?data dir (a copy of the province set)}
BIN=${2:-build/fazhi}
PORT=${PORT:-18977}
PW='Bench#Assess2026x'
B="http://127.0.0.1:$PORT"
"$BIN" user passwd office --password "$PW" --data-dir "$DIR" >/dev/null
"$BIN" user passwd sysadmin --password "$PW" --data-dir "$DIR" >/dev/null
"$BIN" serve --data-dir "$DIR" --listen "127.0.0.1:$PORT" 2>"$DIR/bench-serve.log" &
SRV=$!
trap 'kill $SRV 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -fs "$B/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
login() { # user cookie-file → csrf
    curl -fs -c "$2" -H 'Content-Type: application/json' -d "{\"username\":\"$1\",\"password\":\"$PW\"}" \
        "$B/api/v1/auth/login" | jq -r .csrf_token
}
CO=$(mktemp); CA=$(mktemp)
TO=$(login office "$CO"); TA=$(login sysadmin "$CA")
api() { # method path [body] as office
    curl -fs -b "$CO" -X "$1" -H "X-CSRF-Token: $TO" -H 'Content-Type: application/json' \
        ${3:+-d "$3"} "$B$2"
}
# every unit kind is assessed for the measurement (1,000 units)
V=$(curl -fs -b "$CA" "$B/api/v1/settings" | jq '.items[] | select(.key=="assess.unit_kinds") | .version')
api PUT /api/v1/settings/assess.unit_kinds \
    "{\"value\":\"department,court,procuratorate,street,township,village,other,committee,group,office\",\"version\":$V}" >/dev/null
YEAR=2026
SYS=$(api POST /api/v1/assess-systems "{\"year\":$YEAR,\"name\":\"性能测试指标体系 120 项\",\"total_points\":100}" | jq .id)
# leaves: rule, metric, params — cycled over the registers' metrics
LEAVES=(
  'ratio|tasks.done_on_time|linear 60:0 100:100'
  'deduct|tasks.late|per=0.2 cap=0.5'
  'ratio|petitions.on_time|step 80:50 90:80 95:100'
  'threshold|mediations.success_rate|min=90'
  'deduct|reconsiderations.corrected|per=0.5 cap=0.5'
  'ratio|normdocs.reviewed_rate|linear 80:0 100:100'
  'ratio|enforcement_cases.legal_review_rate|linear 80:0 100:100'
  'deduct|litigations.lost|per=0.5 cap=0.5'
  'ratio|litigation_hearings.head_appearance_rate|linear 50:0 100:100'
  'manual||'
  'ratio|contracts.reviewed_rate|linear 80:0 100:100'
  'deduct|petitions.overdue|per=0.1 cap=0.5'
)
n=0
for a in $(seq 1 10); do
  L1=$(api POST /api/v1/assess-indicators "{\"system_id\":$SYS,\"level\":1,\"code\":\"$a\",\"name\":\"一级指标$a\",\"weight\":10,\"sort_order\":$a}" | jq .id)
  for b in 1 2 3 4; do
    L2=$(api POST /api/v1/assess-indicators "{\"system_id\":$SYS,\"parent_id\":$L1,\"level\":2,\"code\":\"$a.$b\",\"name\":\"二级指标$a.$b\",\"weight\":2.5,\"sort_order\":$b}" | jq .id)
    for c in 1 2 3; do
      IFS='|' read -r rule metric params <<<"${LEAVES[$((n % ${#LEAVES[@]}))]}"
      w=$([ $c = 3 ] && echo 0.5 || echo 1)
      api POST /api/v1/assess-indicators "{\"system_id\":$SYS,\"parent_id\":$L2,\"level\":3,\"code\":\"$a.$b.$c\",\"name\":\"三级指标$a.$b.$c\",\"weight\":$w,\"rule\":\"$rule\",\"metric\":\"$metric\",\"params\":\"$params\",\"sort_order\":$c}" >/dev/null
      n=$((n + 1))
    done
  done
done
echo "system $SYS: $n leaves"
# published through the system's kind (the weights are checked)
VS=$(api GET "/api/v1/assess-systems/$SYS" | jq .version)
api POST "/api/v1/assess-systems/$SYS/actions/publish" "{\"version\":$VS}" >/dev/null
RUN=$(api POST /api/v1/assess-runs "{\"title\":\"性能测试 $YEAR\",\"system_id\":$SYS}" | jq .id)
RUN2=$(api POST /api/v1/assess-runs "{\"title\":\"性能测试（API）$YEAR\",\"system_id\":$SYS}" | jq .id)
kill $SRV; wait $SRV 2>/dev/null || true
echo "== command line: fazhi assess run --run $RUN (every unit)"
/usr/bin/time -f '%e s wall, %M KiB max RSS' "$BIN" assess run --run "$RUN" --data-dir "$DIR"
U=$(sqlite3 "$DIR/fazhi.db" "SELECT unit_id FROM assess_results WHERE run_id = $RUN ORDER BY unit_id LIMIT 1 OFFSET 100;")
echo "== command line: one unit re-scored (unit $U)"
/usr/bin/time -f '%e s wall' "$BIN" assess run --run "$RUN" --unit "$U" --data-dir "$DIR"
echo "== re-run of every unit (nothing changed)"
/usr/bin/time -f '%e s wall' "$BIN" assess run --run "$RUN" --data-dir "$DIR"
sqlite3 "$DIR/fazhi.db" "SELECT 'cells', COUNT(*) FROM assess_scores WHERE run_id = $RUN; SELECT 'results', COUNT(*) FROM assess_results WHERE run_id = $RUN; SELECT 'changes', COUNT(*) FROM assess_changes WHERE run_id = $RUN;"
echo "== API: 计分 in the background, the server answering meanwhile"
"$BIN" serve --data-dir "$DIR" --listen "127.0.0.1:$PORT" 2>>"$DIR/bench-serve.log" &
SRV=$!
for _ in $(seq 100); do curl -fs "$B/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
TO=$(login office "$CO")
VR=$(api GET "/api/v1/assess-runs/$RUN2" | jq .version)
t0=$(date +%s.%N)
api POST "/api/v1/assess-runs/$RUN2/actions/score" "{\"version\":$VR}" -w '' >/dev/null
echo "score answered in $(echo "$(date +%s.%N) - $t0" | bc) s"
worst=0
while :; do
  s=$(date +%s.%N)
  curl -fs "$B/healthz" >/dev/null
  api GET "/api/v1/assess-runs?per_page=5" >/dev/null
  d=$(echo "$(date +%s.%N) - $s" | bc)
  worst=$(echo "if ($d > $worst) $d else $worst" | bc)
  r=$(api GET "/api/v1/assess-runs/$RUN2")
  [ "$(echo "$r" | jq -r .finished_at)" != null ] && break
  printf '\r%s/%s units' "$(echo "$r" | jq .units_done)" "$(echo "$r" | jq .units_total)"
  sleep 0.5
done
echo
echo "API pass done in $(echo "$(date +%s.%N) - $t0" | bc) s; slowest healthz + list page meanwhile ${worst} s"
