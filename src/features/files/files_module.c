/* files_module.c — the files module's declarations (http/module.h): permissions and their
 * grants, settings, routes and menu entries. */
#include <stdio.h>
#include <string.h>

#include "features/files/files.h"
#include "features/files/files_http.h"
#include "http/module.h"

/* Rows leave trailing fields out (route flags, setting secrecy): 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

struct perm_def perm_file_upload = {"file.upload", "tasks", "上传附件", "Upload attachments", 0, 0};
static struct perm_def *const perms[] = {&perm_file_upload};

static const struct perm_grant grants[] = {
    {"office", "file.upload"},
    {"clerk", "file.upload"},
};

static const struct setting_def settings[] = {
    {"files.max_mb", SETTING_INT, "50", 1, 500, "setting.manage", "files", "附件大小上限（MB）",
     "Attachment size limit (MB)", "单个上传文件的最大大小"},
};

static const struct route routes[] = {
    {M_POST, "/api/v1/files", &perm_file_upload, files_upload, ROUTE_UPLOAD},
    {M_GET, "/api/v1/files/:id", &perm_signed_in, files_download},
};

#define UNCLAIMED_UPLOAD_SECONDS (24 * 3600) /* docs/API-tasks.md: removed after 24 h */

/* ---- files_purge: one batch ---- */

static int job_purge_start(struct db *db, int32_t today, int32_t last_ok, char *state) {
    (void)db, (void)today, (void)last_ok;
    snprintf(state, JOB_STATE_MAX, "pending");
    return DB_OK;
}

static int job_purge_read(struct db *db, struct arena *a, const char *state, void **batch) {
    (void)db;
    *batch = strcmp(state, "pending") ? NULL : arena_alloc(a, 1);
    return DB_OK;
}

static int job_purge_write(struct db *db, void *batch, char *state) {
    (void)batch;
    int removed = files_purge_unclaimed(db, UNCLAIMED_UPLOAD_SECONDS);
    if (removed < 0) return removed;
    snprintf(state, JOB_STATE_MAX, "removed=%d", removed);
    return DB_OK;
}

static void job_purge_result(const char *state, char *out, size_t n) {
    snprintf(out, n, "%s", state);
}

static const struct daily_job jobs[] = {
    {"files_purge", "清理 24 小时内未被引用的上传附件", job_purge_start, job_purge_read,
     job_purge_write, job_purge_result},
};

static const struct audit_name audit_names[] = {
    {"attachment", "附件", "Attachment"},
    {"file.upload", "上传附件", "Upload attachment"},
};

const struct module files_module = {
    .name = "files",
    .zh = "附件",
    .en = "Attachments",
    .perms = perms,
    .n_perms = MODULE_N(perms),
    .grants = grants,
    .n_grants = MODULE_N(grants),
    .settings = settings,
    .n_settings = MODULE_N(settings),
    .routes = routes,
    .n_routes = MODULE_N(routes),
    .jobs = jobs,
    .n_jobs = MODULE_N(jobs),
    .audit_names = audit_names,
    .n_audit_names = MODULE_N(audit_names),
};
