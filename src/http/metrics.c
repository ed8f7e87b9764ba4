#include "http/metrics.h"

#include <stdatomic.h>
#include <stdint.h>

#include "base/buf.h"
#include "http/http.h"
#include "store/cache.h"

#define MAX_ROUTES ROUTES_MAX
static const int statuses[] = {200, 201, 204, 301, 304, 400, 401, 403, 404,
                               405, 409, 413, 415, 429, 500, 503, 0 /* other */};
#define N_STATUS (int)(sizeof statuses / sizeof statuses[0])
static const double buckets[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                 0.1,   0.25,   0.5,   1.0,  2.5,   5.0};
#define N_BUCKETS (int)(sizeof buckets / sizeof buckets[0])

/* slot 0 = requests without a route (static files, 404); slot i+1 = route_at(i) */
static atomic_uint_fast64_t req_count[MAX_ROUTES + 1][N_STATUS];
static atomic_uint_fast64_t hist[MAX_ROUTES + 1][N_BUCKETS + 1];
static atomic_uint_fast64_t hist_sum_us[MAX_ROUTES + 1];
static atomic_uint_fast64_t db_errors;
static atomic_uint_fast64_t request_retries;
static atomic_uint_fast64_t login_refused[2]; /* [0] account locked for the address, [1] address */
static atomic_uint_fast64_t receive_timeouts;

void metrics_request(int route_index, int status, double seconds) {
    int slot = route_index >= 0 && route_index < MAX_ROUTES ? route_index + 1 : 0;
    int s = N_STATUS - 1;
    for (int i = 0; i < N_STATUS - 1; i++)
        if (statuses[i] == status) s = i;
    atomic_fetch_add_explicit(&req_count[slot][s], 1, memory_order_relaxed);
    int b = N_BUCKETS;
    for (int i = 0; i < N_BUCKETS; i++)
        if (seconds <= buckets[i]) {
            b = i;
            break;
        }
    atomic_fetch_add_explicit(&hist[slot][b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&hist_sum_us[slot], (uint64_t)(seconds * 1e6), memory_order_relaxed);
}

void metrics_db_error(void) {
    atomic_fetch_add_explicit(&db_errors, 1, memory_order_relaxed);
}

void metrics_request_retry(void) {
    atomic_fetch_add_explicit(&request_retries, 1, memory_order_relaxed);
}

void metrics_login_refused(int by_address) {
    atomic_fetch_add_explicit(&login_refused[by_address ? 1 : 0], 1, memory_order_relaxed);
}

void metrics_receive_timeout(void) {
    atomic_fetch_add_explicit(&receive_timeouts, 1, memory_order_relaxed);
}

static const char *method_name(enum http_method m) {
    static const char *names[] = {"GET", "POST", "PUT", "DELETE", "PATCH", "OTHER"};
    return names[m];
}

char *metrics_render(struct arena *a) {
    struct buf b;
    buf_init(&b, a, 16384);
    buf_puts(&b, "# HELP fazhi_http_requests_total HTTP requests by route and status.\n"
                 "# TYPE fazhi_http_requests_total counter\n");
    int nslots = route_total() + 1 < MAX_ROUTES + 1 ? route_total() + 1 : MAX_ROUTES + 1;
    for (int slot = 0; slot < nslots; slot++) {
        const char *route = slot ? route_at(slot - 1)->pattern : "other";
        const char *method = slot ? method_name(route_at(slot - 1)->method) : "*";
        for (int s = 0; s < N_STATUS; s++) {
            uint64_t v = atomic_load_explicit(&req_count[slot][s], memory_order_relaxed);
            if (!v) continue;
            char st[8];
            if (statuses[s])
                snprintf(st, sizeof st, "%d", statuses[s]);
            else
                snprintf(st, sizeof st, "other");
            buf_printf(&b,
                       "fazhi_http_requests_total{method=\"%s\",route=\"%s\",status=\"%s\"} %llu\n",
                       method, route, st, (unsigned long long)v);
        }
    }
    buf_puts(&b, "# HELP fazhi_http_request_duration_seconds Request latency.\n"
                 "# TYPE fazhi_http_request_duration_seconds histogram\n");
    for (int slot = 0; slot < nslots; slot++) {
        uint64_t total = 0;
        for (int i = 0; i <= N_BUCKETS; i++)
            total += atomic_load(&hist[slot][i]);
        if (!total) continue;
        const char *route = slot ? route_at(slot - 1)->pattern : "other";
        const char *method = slot ? method_name(route_at(slot - 1)->method) : "*";
        uint64_t cum = 0;
        for (int i = 0; i < N_BUCKETS; i++) {
            cum += atomic_load(&hist[slot][i]);
            buf_printf(&b,
                       "fazhi_http_request_duration_seconds_bucket{method=\"%s\",route=\"%s\","
                       "le=\"%g\"} %llu\n",
                       method, route, buckets[i], (unsigned long long)cum);
        }
        buf_printf(&b,
                   "fazhi_http_request_duration_seconds_bucket{method=\"%s\",route=\"%s\","
                   "le=\"+Inf\"} %llu\n",
                   method, route, (unsigned long long)total);
        buf_printf(&b, "fazhi_http_request_duration_seconds_sum{method=\"%s\",route=\"%s\"} %.6f\n",
                   method, route, (double)atomic_load(&hist_sum_us[slot]) / 1e6);
        buf_printf(&b,
                   "fazhi_http_request_duration_seconds_count{method=\"%s\",route=\"%s\"} %llu\n",
                   method, route, (unsigned long long)total);
    }
    buf_printf(&b,
               "# HELP fazhi_db_errors_total Database errors.\n"
               "# TYPE fazhi_db_errors_total counter\nfazhi_db_errors_total %llu\n",
               (unsigned long long)atomic_load(&db_errors));
    struct db_health h;
    db_health_get(&h);
    buf_printf(&b,
               "# HELP fazhi_db_connections_lost_total Database connections found lost (server "
               "restart, crash, failover).\n"
               "# TYPE fazhi_db_connections_lost_total counter\n"
               "fazhi_db_connections_lost_total %llu\n"
               "# HELP fazhi_db_reconnects_total Lost database connections made again.\n"
               "# TYPE fazhi_db_reconnects_total counter\nfazhi_db_reconnects_total %llu\n"
               "# HELP fazhi_db_reconnect_failures_total Reconnection attempts that failed.\n"
               "# TYPE fazhi_db_reconnect_failures_total counter\n"
               "fazhi_db_reconnect_failures_total %llu\n"
               "# HELP fazhi_http_request_retries_total Requests run again after their database "
               "connection was lost before they sent anything.\n"
               "# TYPE fazhi_http_request_retries_total counter\n"
               "fazhi_http_request_retries_total %llu\n",
               (unsigned long long)h.lost, (unsigned long long)h.reconnected,
               (unsigned long long)h.failed_tries,
               (unsigned long long)atomic_load(&request_retries));
    buf_printf(&b,
               "# HELP fazhi_db_statements_total SQL statements run (every connection).\n"
               "# TYPE fazhi_db_statements_total counter\nfazhi_db_statements_total %llu\n",
               (unsigned long long)h.statements);
    buf_printf(
        &b,
        "# HELP fazhi_login_refused_total Sign-ins refused (429) before any password check.\n"
        "# TYPE fazhi_login_refused_total counter\n"
        "fazhi_login_refused_total{reason=\"address\"} %llu\n"
        "fazhi_login_refused_total{reason=\"account\"} %llu\n",
        (unsigned long long)atomic_load(&login_refused[1]),
        (unsigned long long)atomic_load(&login_refused[0]));
    buf_printf(&b,
               "# HELP fazhi_http_receive_timeouts_total Connections closed because a request was "
               "not received within http.receive_seconds.\n"
               "# TYPE fazhi_http_receive_timeouts_total counter\n"
               "fazhi_http_receive_timeouts_total %llu\n",
               (unsigned long long)atomic_load(&receive_timeouts));
    buf_puts(&b,
             "# HELP fazhi_cache_lookups_total Lookups of the in-process caches (store/cache.h): "
             "hit (current), stale (within the cache's allowed lag), miss (computed).\n"
             "# TYPE fazhi_cache_lookups_total counter\n");
    for (int i = 0; i < cache_count(); i++) {
        struct cache *c = cache_at(i);
        if (!c) continue;
        struct cache_stats cs;
        cache_stats_get(c, &cs);
        const char *name = cache_name(c);
        buf_printf(&b,
                   "fazhi_cache_lookups_total{cache=\"%s\",result=\"hit\"} %llu\n"
                   "fazhi_cache_lookups_total{cache=\"%s\",result=\"stale\"} %llu\n"
                   "fazhi_cache_lookups_total{cache=\"%s\",result=\"miss\"} %llu\n",
                   name, (unsigned long long)(cs.hits - cs.stale), name,
                   (unsigned long long)cs.stale, name, (unsigned long long)cs.misses);
    }
    return b.data;
}
