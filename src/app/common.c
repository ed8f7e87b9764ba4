/* common.c — option parsing and opening the installation for commands. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "app/app.h"
#include "base/crypto.h"
#include "features/accounts/accounts.h"
#include "features/dict/dict.h"
#include "store/settings.h"

const char *app_take_opt(int *argc, char **argv, const char *name) {
    size_t n = strlen(name);
    for (int i = 1; i < *argc; i++) {
        const char *v = NULL;
        int used = 0;
        if (!strcmp(argv[i], name) && i + 1 < *argc) {
            v = argv[i + 1];
            used = 2;
        } else if (!strncmp(argv[i], name, n) && argv[i][n] == '=') {
            v = argv[i] + n + 1;
            used = 1;
        }
        if (!v) continue;
        for (int j = i; j + used < *argc; j++)
            argv[j] = argv[j + used];
        *argc -= used;
        argv[*argc] = NULL;
        return v;
    }
    return NULL;
}

int app_take_flag(int *argc, char **argv, const char *name) {
    for (int i = 1; i < *argc; i++) {
        if (strcmp(argv[i], name) != 0) continue;
        for (int j = i; j + 1 < *argc; j++)
            argv[j] = argv[j + 1];
        (*argc)--;
        argv[*argc] = NULL;
        return 1;
    }
    return 0;
}

int app_wants_help(int argc, char **argv) {
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) return 1;
    return 0;
}

int app_common_opts(int *argc, char **argv, struct app_opts *o) {
    memset(o, 0, sizeof(*o));
    o->data_dir = app_take_opt(argc, argv, "--data-dir");
    if (!o->data_dir) o->data_dir = "./data";
    o->db_url = app_take_opt(argc, argv, "--db");
    if (strlen(o->data_dir) > 1000) {
        fprintf(stderr, "fazhi: --data-dir is too long\n");
        return -1;
    }
    if (!o->db_url) {
        snprintf(o->db_url_buf, sizeof o->db_url_buf, "sqlite:%s/fazhi.db", o->data_dir);
        o->db_url = o->db_url_buf;
    }
    snprintf(o->key_path, sizeof o->key_path, "%s/secret.key", o->data_dir);
    return 0;
}

/* mkdir -p: missing parents 0755 (less the umask), the data dir itself 0700; directories that
 * exist already are kept as they are. */
static int mkdir_parents(const char *dir) {
    char path[1024];
    size_t n = strlen(dir);
    if (n == 0 || n >= sizeof path) {
        errno = n ? ENAMETOOLONG : ENOENT;
        return -1;
    }
    memcpy(path, dir, n + 1);
    for (char *p = path + 1; *p; p++) {
        if (*p != '/' || p[-1] == '/' || !p[1]) continue;
        *p = '\0';
        int rc = mkdir(path, 0755);
        *p = '/';
        if (rc != 0 && errno != EEXIST) return -1;
    }
    if (mkdir(path, 0700) != 0 && errno != EEXIST) return -1;
    return 0;
}

int app_open(struct app_opts *o, struct db **db, int create_dir) {
    if (create_dir && mkdir_parents(o->data_dir) != 0) {
        fprintf(stderr, "fazhi: cannot create %s: %s\n", o->data_dir, strerror(errno));
        return -1;
    }
    if (pii_keys_load(o->key_path) != 0) {
        fprintf(stderr, "fazhi: cannot read or create the key file %s: %s\n", o->key_path,
                strerror(errno));
        return -1;
    }
    char err[300];
    if (db_open(o->db_url, db, err, sizeof err) != DB_OK) {
        fprintf(stderr, "fazhi: %s\n", err);
        return -1;
    }
    return 0;
}

struct audit_actor app_actor(const char *command) {
    struct audit_actor a = {0};
    a.username = command; /* e.g. "cli:user add" */
    a.role = "system";
    a.ip = "local";
    a.request_id = "";
    return a;
}

int app_open_ready(struct app_opts *o, struct db **db, int create) {
    if (app_open(o, db, create)) return -1;
    int applied = 0;
    if (db_migrate(*db, &applied) != DB_OK) {
        db_close(*db);
        return -1;
    }
    if (db_begin(*db) != DB_OK || roles_seed(*db) != DB_OK || roles_sync(*db) != DB_OK ||
        settings_seed(*db) != DB_OK || dict_seed(*db) != DB_OK || db_commit(*db) != DB_OK) {
        fprintf(stderr, "fazhi: cannot seed roles: %s\n", db_errmsg(*db));
        db_rollback(*db);
        db_close(*db);
        return -1;
    }
    return 0;
}
