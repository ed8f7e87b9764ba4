/* auditlog_entities.c — the audit log as an entity (features/entity). It is declared unscoped,
 * honestly: the log records the whole installation and belongs to no unit, and only the 审计管理员
 * (audit.read, an administrator's permission that no business role can hold) reads it. Reading
 * it is itself recorded (audit.query). */
#include <string.h>

#include "base/buf.h"
#include "base/timeutil.h"
#include "features/auditlog/auditlog.h"

/* Rows leave trailing fields out: 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

extern struct perm_def perm_audit_read;

static int iso_ok(const char *v) {
    return iso_valid(v);
}

/* A bare date as the upper bound includes that whole day. */
static void filter_to(const struct entity_ctx *c, struct query *q, const char *value) {
    query_add(q, " AND a.ts < ?", "s",
              strlen(value) == 10 ? arena_printf(c->arena, "%sT99", value) : value);
}

/* "user" matches user.create, user.update … ; "user.create" matches exactly. */
static void filter_action(const struct entity_ctx *c, struct query *q, const char *value) {
    if (strchr(value, '.'))
        query_add(q, " AND a.action = ?", "s", value);
    else
        query_add(q, " AND a.action LIKE ? ESCAPE '\\'", "s",
                  arena_printf(c->arena, "%s.%%", query_like_escape(c->arena, value)));
}

static const struct field_option results[] = {
    {"ok", "成功", "OK", "success"},
    {"denied", "拒绝", "Denied", "danger"},
    {"failed", "失败", "Failed", "warning"},
};

#define DATES_BAD_ZH "日期格式应为 YYYY-MM-DD 或 YYYY-MM-DDTHH:MM:SSZ"
#define DATES_BAD_EN "Dates are YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ"

static const struct entity_filter audit_filters[] = {
    {"from", FT_TEXT, "起始时间", "From", "a.ts >= ?", .max = 20, .valid = iso_ok,
     .bad_zh = DATES_BAD_ZH, .bad_en = DATES_BAD_EN},
    {"to", FT_TEXT, "截止时间", "To", .max = 20, .valid = iso_ok, .bad_zh = DATES_BAD_ZH,
     .bad_en = DATES_BAD_EN, .apply = filter_to},
    {"actor", FT_TEXT, "操作人", "Actor", "a.actor = ?", .max = 64},
    {"action", FT_TEXT, "操作", "Action", .max = 64, .apply = filter_action},
    {"object_type", FT_TEXT, "对象类型", "Object type", "a.object_type = ?", .max = 32},
    {"object_id", FT_TEXT, "对象ID", "Object id", "a.object_id = ?", .max = 64},
    {"result", FT_ENUM, "结果", "Result", "a.result = ?", .options = results,
     .n_options = ENTITY_N(results), .bad_zh = "结果须为 ok、denied 或 failed",
     .bad_en = "Result is ok, denied or failed"},
};

static const struct field audit_fields[] = {
    {"seq", FT_INT, "序号", "Sequence", 0, 0, F_LIST | F_SORT | F_READONLY},
    {"ts", FT_DATETIME, "时间", "Time", 0, 0, F_LIST | F_READONLY},
    {"actor", FT_TEXT, "操作人", "Actor", 0, 0, F_LIST | F_READONLY},
    {"actor_id", FT_USER, "操作人ID", "Actor id", 0, 0, F_READONLY},
    {"role", FT_TEXT, "角色", "Role", 0, 0, F_LIST | F_READONLY},
    {"unit_id", FT_UNIT, "单位ID", "Unit id", 0, 0, F_READONLY},
    {"ip", FT_TEXT, "IP地址", "IP address", 0, 0, F_LIST | F_READONLY},
    {"request_id", FT_TEXT, "请求ID", "Request id", 0, 0, F_READONLY},
    {"action", FT_TEXT, "操作", "Action", 0, 0, F_LIST | F_READONLY},
    {"object_type", FT_TEXT, "对象类型", "Object type", 0, 0, F_LIST | F_READONLY},
    {"object_id", FT_TEXT, "对象ID", "Object id", 0, 0, F_LIST | F_READONLY},
    {"result", FT_ENUM, "结果", "Result", 0, 0, F_LIST | F_READONLY, results, ENTITY_N(results)},
    {"detail", FT_LONGTEXT, "详情", "Detail", 0, 0, F_LIST | F_READONLY},
};

const struct entity entity_audit = {
    .name = "audit",
    .path = "/api/v1/audit",
    .zh = "审计日志",
    .en = "Audit log",
    .table = "audit_log",
    .alias = "a",
    .key = "seq",
    .fields = audit_fields,
    .n_fields = ENTITY_N(audit_fields),
    .scope = {.unscoped = "审计日志记录全系统的操作，不属于哪个单位；只有审计管理员（audit.read，"
                          "三员权限，业务角色不能持有）查看，查看本身也记入审计日志"},
    .filters = audit_filters,
    .n_filters = ENTITY_N(audit_filters),
    .default_sort = "-seq",
    .perm_read = &perm_audit_read,
    .audit_type = "audit",
    .audit_read = "audit.query",
};

int audit_csv(struct db *db, struct arena *a, const struct principal *who,
              const struct entity_request *rq, int64_t max_rows, struct buf *out) {
    struct entity_ctx c;
    int rc = entity_ctx_init(&c, db, a, &entity_audit, who, 0, EP_EXPORT);
    if (rc != DB_OK) return rc;
    struct query q;
    query_init(&q, a,
               "SELECT a.seq, a.ts, a.actor, a.actor_id, a.role, a.unit_id, a.ip, a.request_id, "
               "a.action, a.object_type, a.object_id, a.result, a.detail FROM audit_log a "
               "WHERE 1 = 1");
    entity_conditions(&c, &q, rq);
    query_add(&q, " ORDER BY a.seq DESC LIMIT ?", "i", max_rows);
    struct db_stmt *st = query_prepare(db, &q);
    if (!st) return DB_ERROR;
    buf_puts(out, "\xEF\xBB\xBF"); /* BOM: Excel then reads UTF-8 Chinese correctly */
    buf_puts(out, "序号,时间,操作人,操作人ID,角色,单位ID,IP地址,请求ID,操作,对象类型,对象ID,结果,"
                  "详情\r\n");
    int n = db_col_count(st);
    while ((rc = db_step(st)) == DB_ROW) {
        for (int i = 0; i < n; i++) {
            if (i) buf_add(out, ",", 1);
            buf_csv_field(out, db_col_text(st, i));
        }
        buf_puts(out, "\r\n");
    }
    db_done(st);
    return rc == DB_DONE ? DB_OK : rc;
}

const char *const audit_export_headers[AUDIT_EXPORT_COLUMNS] = {
    "序号",   "时间", "操作人",   "操作人ID", "角色", "单位ID", "IP地址",
    "请求ID", "操作", "对象类型", "对象ID",   "结果", "详情"};

int audit_each(struct db *db, struct arena *a, const struct principal *who,
               const struct entity_request *rq, int64_t max_rows,
               int (*row)(void *cls, const char *const *cells), void *cls) {
    struct entity_ctx c;
    int rc = entity_ctx_init(&c, db, a, &entity_audit, who, 0, EP_EXPORT);
    if (rc != DB_OK) return rc;
    int64_t done = 0, below = INT64_MAX; /* the next batch: sequences below the last one read */
    for (;;) {
        int64_t want = max_rows - done < AUDIT_EACH_BATCH ? max_rows - done : AUDIT_EACH_BATCH;
        if (want <= 0) return DB_OK;
        struct query q; /* a few hundred bytes of the arena per batch */
        query_init(&q, a,
                   "SELECT a.seq, a.ts, a.actor, a.actor_id, a.role, a.unit_id, a.ip, "
                   "a.request_id, a.action, a.object_type, a.object_id, a.result, a.detail "
                   "FROM audit_log a WHERE 1 = 1");
        query_add(&q, " AND a.seq < ?", "i", below);
        entity_conditions(&c, &q, rq);
        query_add(&q, " ORDER BY a.seq DESC LIMIT ?", "i", want);
        struct db_stmt *st = query_prepare(db, &q);
        int64_t got = 0;
        rc = st ? DB_OK : DB_ERROR;
        while (st && (rc = db_step(st)) == DB_ROW) {
            const char *cells[AUDIT_EXPORT_COLUMNS];
            for (int i = 0; i < AUDIT_EXPORT_COLUMNS; i++)
                cells[i] = db_col_text(st, i);
            below = db_col_int(st, 0);
            got++;
            if (row(cls, cells)) {
                rc = DB_DONE;
                got = 0;
                break;
            }
        }
        db_done(st);
        if (rc != DB_DONE) return rc < 0 ? rc : DB_ERROR;
        done += got;
        if (got < want) return DB_OK;
    }
}
