# shellcheck shell=bash
# bench/data.sh — sourced by the bench scripts: the scale data set they measure, never an aged one.
#
# `fazhi demo --scale` anchors its data to the day it is made (due dates around that day, the last
# event the day before): reused weeks later, every open task is overdue and the benchmark measures
# another data set. So the day a set was made is stamped in DIR/.complete ("made YYYY-MM-DD"; for
# a set made before the stamp, the file's time), and a set older than BENCH_DATA_MAX_DAYS (7) is
# made again.
#
# bench_data BIN SCALE DIR PASSWORD — make DIR when it is missing, unfinished (no .complete) or too
# old; sets BENCH_DATA_MADE (YYYY-MM-DD) and BENCH_DATA_AGE (days) and prints why it (re)made it.

bench_today() { # the local day in China (UTC+8), as fazhi's own "today"
    date -u -d "@$(($(date +%s) + 8 * 3600))" +%F
}

bench_data_made() { # DIR → the day the set was made, or nothing
    local stamp=$1/.complete made
    [ -f "$stamp" ] || return 0
    made=$(sed -n 's/^made \([0-9]\{4\}-[0-9]\{2\}-[0-9]\{2\}\)$/\1/p' "$stamp")
    [ -n "$made" ] || made=$(date -u -d "@$(($(stat -c %Y "$stamp") + 8 * 3600))" +%F)
    echo "$made"
}

bench_data() {
    local bin=$1 scale=$2 dir=$3 pw=$4 today made age max=${BENCH_DATA_MAX_DAYS:-7}
    today=$(bench_today)
    made=$(bench_data_made "$dir")
    if [ -n "$made" ]; then
        age=$((($(date -u -d "$today" +%s) - $(date -u -d "$made" +%s)) / 86400))
        if [ "$age" -gt "$max" ]; then
            echo "bench: the $scale data set in $dir was made on $made, $age days ago; its tasks are" \
                "anchored to that day (most would be overdue now): making it again" \
                "(BENCH_DATA_MAX_DAYS=$max)" >&2
            rm -f "$dir/.complete"
        fi
    fi
    if [ ! -f "$dir/.complete" ]; then
        rm -rf "$dir"
        mkdir -p "$(dirname "$dir")"
        echo "bench: generating the $scale data set into $dir (once a week at most; province takes a few minutes)" >&2
        "$bin" demo --scale "$scale" --data-dir "$dir" --password "$pw" --sample 0 --today "$today" >/dev/null
        echo "made $today" >"$dir/.complete"
        made=$today
    fi
    # shellcheck disable=SC2034 # for the caller
    BENCH_DATA_MADE=$made
    # shellcheck disable=SC2034
    BENCH_DATA_AGE=$((($(date -u -d "$today" +%s) - $(date -u -d "$made" +%s)) / 86400))
}
