/* metrics_http.c — GET /api/v1/metrics (the registers with metrics the caller reads) and
 * GET /api/v1/metrics/{entity}?from=&to=&unit_id=&subtree= (their values): parse, check,
 * compute (metrics.c) or serve the kept answer, reply. No SQL here. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/calendar.h"
#include "features/entity/entity_http.h"
#include "features/metrics/metrics.h"
#include "features/metrics/metrics_http.h"
#include "store/cache.h"

void metrics_list(struct req *r) {
    reply_json(r, 200, json_pack("{s:o}", "items", metrics_entities_json(&r->who, r->lang)));
}

/* The period (default: this year), the unit and whether its subtree counts. 0, or -1 answered. */
static int request_or_reply(struct req *r, struct metrics_request *mq) {
    memset(mq, 0, sizeof *mq);
    int32_t today = date_today(), from, to;
    char year[11];
    date_format(today, year);
    snprintf(mq->from, sizeof mq->from, "%.4s-01-01", year);
    snprintf(mq->to, sizeof mq->to, "%.4s-12-31", year);
    const char *names[2] = {"from", "to"};
    char *out[2] = {mq->from, mq->to};
    for (int i = 0; i < 2; i++) {
        const char *v = req_query(r, names[i]);
        if (!v || !*v) continue;
        int32_t d;
        if (strlen(v) != 10 || date_parse(v, &d)) {
            reply_field_error(r, ERR_INVALID, names[i], "日期格式应为 YYYY-MM-DD",
                              "Use YYYY-MM-DD");
            return -1;
        }
        memcpy(out[i], v, 11);
    }
    date_parse(mq->from, &from);
    date_parse(mq->to, &to);
    if (to < from) {
        reply_field_error(r, ERR_INVALID, "to", "结束日期不能早于开始日期",
                          "The end cannot be before the start");
        return -1;
    }
    if (to - from + 1 > METRICS_PERIOD_MAX_DAYS) {
        reply_field_error(r, ERR_INVALID, "to", "统计期间不能超过 5 年",
                          "The period cannot be longer than 5 years");
        return -1;
    }
    int present = 0;
    if (req_query_int_or_reply(r, "unit_id", 1, INT64_MAX / 2, &mq->unit_id, &present)) return -1;
    if (!present) mq->unit_id = 0;
    if (req_query_bool_or_reply(r, "subtree", &mq->subtree, &present)) return -1;
    if (!present) mq->subtree = 0;
    if (mq->unit_id) {
        int rc = metrics_unit_name(r->db, r->arena, mq->unit_id, &mq->unit_name);
        if (rc != DB_OK) return db_fail_reply(r, rc);
        if (!mq->unit_name) {
            reply_field_error(r, ERR_INVALID, "unit_id", "单位不存在", "No such unit");
            return -1;
        }
    }
    return 0;
}

/* Answers of entities whose lists declare their data versions (cache_deps) are kept, keyed by
 * the caller's account (scope, permissions), language, today, period and unit; the others are
 * computed each time (nothing would tell when their data changed). */
#define METRICS_CACHES_MAX 64
static struct cache *caches[METRICS_CACHES_MAX];
static pthread_mutex_t caches_lock = PTHREAD_MUTEX_INITIALIZER;

static struct cache *cache_of(const struct entity *e) {
    if (!e->cache_deps || e->audit_read) return NULL;
    for (int i = 0; i < entity_count_registered() && i < METRICS_CACHES_MAX; i++) {
        if (entity_at(i) != e) continue;
        pthread_mutex_lock(&caches_lock);
        if (!caches[i]) caches[i] = cache_new("metrics", 128, e->cache_deps);
        struct cache *c = caches[i];
        pthread_mutex_unlock(&caches_lock);
        return c;
    }
    return NULL;
}

void metrics_get(struct req *r) {
    const struct entity *e = entity_by_name(r->params[0]);
    if (!e || !entity_metric_n(e)) {
        reply_error_msg(r, ERR_NOT_FOUND, "没有该台账的统计指标", "No metrics for this register");
        return;
    }
    if (!entity_can_read(e, &r->who)) {
        reply_error(r, ERR_FORBIDDEN, NULL);
        return;
    }
    struct metrics_request mq;
    if (request_or_reply(r, &mq)) return;
    struct entity_ctx c;
    if (entity_ctx_or_reply(r, e, EP_COUNT, &c)) return;
    struct cache *kept = cache_of(e);
    struct cache_ticket t;
    char key[CACHE_KEY_MAX];
    int n = snprintf(key, sizeof key, "%s|%lld|%d|%ld|%s|%s|%lld|%d", e->name,
                     (long long)r->who.user_id, r->lang, (long)date_today(), mq.from, mq.to,
                     (long long)mq.unit_id, mq.subtree);
    if (kept) {
        void *val;
        size_t len;
        if (cache_get(kept, r->db, key, (size_t)n, r->arena, &val, &len, &t) == CACHE_HIT) {
            reply_raw(r, 200, "application/json; charset=utf-8", val, len);
            return;
        }
    }
    int rc;
    json_t *answer = metrics_compute(&c, &mq, &rc);
    if (!answer) {
        if (kept) cache_cancel(&t);
        db_fail_reply(r, rc);
        return;
    }
    char *text = json_text(r->arena, answer);
    json_decref(answer);
    if (kept) cache_put(&t, text, strlen(text));
    reply_raw(r, 200, "application/json; charset=utf-8", text, strlen(text));
}
