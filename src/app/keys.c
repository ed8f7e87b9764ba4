/* keys.c — `fazhi keys list|rotate|reseal`: the keyring of personal data (base/crypto.h). Key 1
 * is <data-dir>/secret.key; rotation writes the next key file and makes it current (new seals
 * use it, old ones still open); reseal seals every value of every module's sealed columns again
 * under the current key, in batches, each its own short transaction. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "app/app.h"
#include "base/arena.h"
#include "base/crypto.h"
#include "http/module.h"

#define RESEAL_BATCH 500 /* rows one batch reads and writes */

static void keys_usage(FILE *f) {
    fprintf(f,
            "usage: fazhi keys list|rotate|reseal [--data-dir DIR] [--db URL]\n\n"
            "  list    the key files (key 1 is secret.key, key n is secret.key.n) and the current\n"
            "  rotate  write the next key file (0600) and make it current: new values are\n"
            "          sealed with it, values sealed before still open with their key\n"
            "  reseal  seal every stored value again under the current key (batches of 500,\n"
            "          each its own transaction; the server may keep running). Afterwards an\n"
            "          old key file is no longer needed — keep it with the backups made\n"
            "          before, apart from them.\n");
}

static int keys_list(struct app_opts *o) {
    printf("%-4s %-8s %s\n", "id", "current", "file");
    for (int id = 1; id <= PII_KEYS_MAX; id++) {
        if (!pii_key_loaded(id)) continue;
        char path[1200];
        if (id == 1)
            snprintf(path, sizeof path, "%s", o->key_path);
        else
            snprintf(path, sizeof path, "%s.%d", o->key_path, id);
        printf("%-4d %-8s %s\n", id, id == pii_key_current() ? "yes" : "", path);
    }
    return 0;
}

/* One column: batches of rows whose value is not sealed under the current key, each opened
 * (with its row's associated data, or as the legacy form) and sealed again. A value changed
 * meanwhile is left (the UPDATE names the value read). */
static int reseal_column(struct db *db, const struct sealed_column *sc, int64_t *done,
                         int64_t *failed) {
    struct arena *a = arena_new(1 << 16);
    char cur[16];
    snprintf(cur, sizeof cur, "k%d:%%", pii_key_current());
    const char *sel =
        arena_printf(a,
                     "SELECT id, %s FROM %s WHERE id > ? AND %s IS NOT NULL AND "
                     "%s <> '' AND %s NOT LIKE ? ORDER BY id LIMIT %d",
                     sc->column, sc->table, sc->column, sc->column, sc->column, RESEAL_BATCH);
    const char *upd = arena_printf(a, "UPDATE %s SET %s = ? WHERE id = ? AND %s = ?", sc->table,
                                   sc->column, sc->column);
    int64_t last = 0;
    int rc = DB_OK;
    for (;;) {
        struct arena *b = arena_new(1 << 16);
        int64_t ids[RESEAL_BATCH];
        const char *vals[RESEAL_BATCH];
        int n = 0;
        struct db_stmt *st = db_queryv(db, sel, "is", last, cur);
        while (st && (rc = db_step(st)) == DB_ROW && n < RESEAL_BATCH) {
            ids[n] = db_col_int(st, 0);
            vals[n++] = arena_strdup(b, db_col_text(st, 1));
        }
        db_done(st);
        if (!st || rc < 0) {
            arena_free(b);
            rc = rc < 0 ? rc : DB_ERROR;
            break;
        }
        rc = DB_OK;
        if (!n) {
            arena_free(b);
            break;
        }
        if ((rc = db_begin(db)) != DB_OK) {
            arena_free(b);
            break;
        }
        for (int i = 0; i < n && rc == DB_OK; i++) {
            const char *ad = pii_ad(b, sc->table, ids[i], sc->column);
            char *plain = pii_open(b, ad, vals[i]);
            if (!plain) { /* not openable with the ring: left as it is, counted, id only */
                fprintf(stderr, "fazhi keys reseal: %s.%s of row %lld does not open\n", sc->table,
                        sc->column, (long long)ids[i]);
                (*failed)++;
                continue;
            }
            rc = db_exec(db, upd, "sis", pii_seal(b, ad, plain), ids[i], vals[i]);
            pii_wipe(plain);
            if (rc == DB_OK) (*done)++;
        }
        last = ids[n - 1];
        rc = rc == DB_OK ? db_commit(db) : (db_rollback(db), rc);
        arena_free(b);
        if (rc != DB_OK) break;
    }
    arena_free(a);
    return rc;
}

static int keys_reseal(struct app_opts *o) {
    struct db *db;
    if (app_open_ready(o, &db, 0)) return 1;
    int64_t done = 0, failed = 0;
    int rc = DB_OK;
    for (int m = 0; fazhi_modules[m] && rc == DB_OK; m++)
        for (int i = 0; i < fazhi_modules[m]->n_sealed && rc == DB_OK; i++)
            rc = reseal_column(db, &fazhi_modules[m]->sealed[i], &done, &failed);
    if (rc == DB_OK) {
        struct audit_actor actor = app_actor("cli:keys reseal");
        struct arena *a = arena_new(1024);
        rc = db_begin(db);
        if (rc == DB_OK)
            rc = audit_append(db, &actor, "system.keys_reseal", "system", "", "ok",
                              arena_printf(a, "{\"key\":%d,\"resealed\":%lld,\"failed\":%lld}",
                                           pii_key_current(), (long long)done, (long long)failed));
        rc = rc == DB_OK ? db_commit(db) : (db_rollback(db), rc);
        arena_free(a);
    }
    db_close(db);
    if (rc != DB_OK) {
        fprintf(stderr, "fazhi keys reseal: database error (%d)\n", rc);
        return 1;
    }
    printf("resealed %lld values under key %d; %lld could not be opened\n", (long long)done,
           pii_key_current(), (long long)failed);
    return failed ? 1 : 0;
}

int cmd_keys(int argc, char **argv) {
    if (argc < 2 || app_wants_help(argc, argv)) {
        keys_usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    struct app_opts o;
    if (app_common_opts(&argc, argv, &o)) return 2;
    const char *what = argv[1];
    if (!strcmp(what, "reseal")) return keys_reseal(&o);
    if (pii_keys_load(o.key_path) != 0) {
        fprintf(stderr, "fazhi keys: cannot read the key files %s*: %s\n", o.key_path,
                strerror(errno));
        return 1;
    }
    if (!strcmp(what, "list")) return keys_list(&o);
    if (!strcmp(what, "rotate")) {
        int id = pii_key_rotate(o.key_path);
        if (id < 0) {
            fprintf(stderr, "fazhi keys rotate: cannot write the next key file: %s\n",
                    strerror(errno));
            return 1;
        }
        printf("key %d written to %s.%d and current; run `fazhi keys reseal` to seal the stored "
               "values with it\n",
               id, o.key_path, id);
        return 0;
    }
    keys_usage(stderr);
    return 2;
}
