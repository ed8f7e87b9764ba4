/* commands.c — init, user, migrate, backup, restore, audit, routes. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/app.h"
#include "auth/auth.h"
#include "base/calendar.h"
#include "base/log.h"
#include "features/accounts/accounts.h"
#include "features/org/org.h"
#include "http/http.h"
#include "store/settings.h"

static int64_t count_users(struct db *db) {
    int64_t n = 0;
    db_query_int(db, &n, "SELECT COUNT(*) FROM users", "");
    return n;
}

int cmd_init(int argc, char **argv) {
    if (app_wants_help(argc, argv)) {
        printf("usage: fazhi init [--data-dir DIR] [--db URL]\n\n"
               "Creates the database, applies migrations, and creates the three administrators\n"
               "sysadmin (系统管理员), secadmin (安全管理员) and auditor (审计管理员). Their "
               "one-time\n"
               "passwords are printed once; each must change it at first sign-in.\n");
        return 0;
    }
    struct app_opts o;
    if (app_common_opts(&argc, argv, &o)) return 2;
    struct db *db;
    if (app_open_ready(&o, &db, 1)) return 1;
    if (count_users(db) > 0) {
        fprintf(stderr, "fazhi init: %s is already initialised (it has accounts)\n", o.db_url);
        db_close(db);
        return 1;
    }
    struct audit_actor who = app_actor("cli:init");
    int rc = db_begin(db);
    int64_t root = 0, office = 0;
    if (rc == DB_OK)
        rc = unit_create(db, &who, "committee", "区委全面依法治区委员会", "依法治区委", "committee",
                         0, 1, &root);
    if (rc == DB_OK)
        rc = unit_create(db, &who, "office", "区委依法治区办", "依法治区办", "office", root, 1,
                         &office);
    static const char *admins[][2] = {
        {"sysadmin", "系统管理员"}, {"secadmin", "安全管理员"}, {"auditor", "审计管理员"}};
    char pw[3][130];
    for (int i = 0; i < 3 && rc == DB_OK; i++) {
        int64_t id;
        password_generate_for(db, pw[i], sizeof pw[i]);
        rc = account_create(db, &who, admins[i][0], admins[i][1], office, admins[i][0], pw[i], 1,
                            &id);
    }
    if (rc == DB_OK) rc = db_commit(db);
    if (rc != DB_OK) {
        fprintf(stderr, "fazhi init: failed: %s\n", db_errmsg(db));
        db_rollback(db);
        db_close(db);
        return 1;
    }
    db_close(db);
    printf("initialised %s\n\nOne-time passwords (shown once; each must be changed at first "
           "sign-in):\n",
           o.db_url);
    for (int i = 0; i < 3; i++)
        printf("  %-9s %s  (%s)\n", admins[i][0], pw[i], admins[i][1]);
    return 0;
}

int cmd_demo(int argc, char **argv) {
    if (app_wants_help(argc, argv)) {
        printf(
            "usage: fazhi demo [--data-dir DIR] [--db URL] [--password P] [--today YYYY-MM-DD]\n"
            "       fazhi demo --scale district|city|province [--seed N] [--sample N] ...\n\n"
            "Creates a demo district (committee, office, coordination groups, member units,\n"
            "streets and townships, first responsible persons) and the demo accounts sysadmin,\n"
            "secadmin, auditor, office, leader, reviewer, inspector, clerk1, clerk2. Their\n"
            "password is --password, else $FAZHI_DEMO_PASSWORD, else Fazhi@2026.\n\n"
            "Dates follow the day the data is made (--today, default today in UTC+8): the\n"
            "work year's tasks are overdue, due soon, due later or done as of that day.\n\n"
            "--scale generates benchmark volumes instead, deterministically (same --seed, default\n"
            "1, same rows): province = 1,000 units, 20,000 users, 200,000 tasks with 1,000,000\n"
            "progress reports and 5,000,000 audit records (a valid hash chain); city = 1/5 of\n"
            "that, district = 1/50. The demo accounts above exist at every scale; every other\n"
            "account (clerk_<unit code>, <unit code>.<n>) has the same password too: it is\n"
            "hashed once and the hash is reused for all (only the salt differs between runs).\n"
            "Progress goes to stderr. --sample N (default 50000, 0 = off) also writes the first\n"
            "N rows of each table as SQL, loads them with the sqlite3 tool into a fresh copy of\n"
            "the schema in one transaction, and prints both speeds and their ratio.\n"
            "See docs/performance.md.\n");
        return 0;
    }
    struct app_opts o;
    if (app_common_opts(&argc, argv, &o)) return 2;
    const char *pw = app_take_opt(&argc, argv, "--password");
    const char *scale = app_take_opt(&argc, argv, "--scale");
    const char *seed_s = app_take_opt(&argc, argv, "--seed");
    const char *sample_s = app_take_opt(&argc, argv, "--sample");
    const char *today_s = app_take_opt(&argc, argv, "--today");
    int32_t today = date_today();
    if (today_s && date_parse(today_s, &today) != 0) {
        fprintf(stderr, "fazhi demo: --today must be a date YYYY-MM-DD\n");
        return 2;
    }
    if (scale && !scale_plan_known(scale)) {
        fprintf(stderr, "fazhi demo: --scale is district, city or province\n");
        return 2;
    }
    if (!pw) pw = getenv("FAZHI_DEMO_PASSWORD");
    if (!pw || !*pw) pw = "Fazhi@2026";
    struct db *db;
    if (app_open_ready(&o, &db, 1)) return 1;
    const char *why = password_policy_check(db, pw, NULL);
    if (why) {
        fprintf(stderr, "fazhi demo: the password does not meet the policy (%s)\n", why);
        db_close(db);
        return 2;
    }
    if (count_users(db) > 0) {
        fprintf(stderr, "fazhi demo: %s already has data; use an empty --data-dir\n", o.db_url);
        db_close(db);
        return 1;
    }
    if (scale) {
        int rc = scale_populate(db, o.data_dir, scale, seed_s ? strtoull(seed_s, NULL, 10) : 1, pw,
                                sample_s ? strtoll(sample_s, NULL, 10) : 50000, today);
        if (rc == 0 && db_optimize(db, DB_OPTIMIZE_FULL) != DB_OK)
            fprintf(stderr, "fazhi demo: ANALYZE failed: %s\n", db_errmsg(db));
        db_close(db);
        if (rc == 0)
            printf("accounts (password: %s): sysadmin office leader clerk1 clerk2 …\n", pw);
        return rc == 0 ? 0 : 1;
    }
    int rc = demo_populate(db, pw, today);
    if (rc == 0 && db_optimize(db, DB_OPTIMIZE_FULL) != DB_OK)
        fprintf(stderr, "fazhi demo: ANALYZE failed: %s\n", db_errmsg(db));
    db_close(db);
    if (rc != 0) return 1;
    printf("demo district created in %s\n"
           "accounts (password: %s): sysadmin secadmin auditor office assessor leader reviewer "
           "inspector "
           "clerk1 (区司法局) clerk2 (城关街道), and clerk_<unit code> for every other member "
           "unit\n",
           o.db_url, pw);
    return 0;
}

static int user_usage(void) {
    printf("usage: fazhi user add USERNAME --unit CODE [--name NAME] [--role ROLE] [--password P]\n"
           "       fazhi user passwd USERNAME [--password P]\n"
           "       fazhi user lock USERNAME | unlock USERNAME\n"
           "       fazhi user list\n"
           "(all take --data-dir DIR / --db URL)\n\n"
           "Without --password a one-time password is generated and printed; the user must\n"
           "change it at first sign-in. --role may name any role, including the three\n"
           "administrators (which the web UI never grants).\n");
    return 0;
}

int cmd_user(int argc, char **argv) {
    if (argc < 2 || app_wants_help(argc, argv)) return user_usage();
    struct app_opts o;
    if (app_common_opts(&argc, argv, &o)) return 2;
    const char *sub = argv[1];
    const char *unit = app_take_opt(&argc, argv, "--unit");
    const char *name = app_take_opt(&argc, argv, "--name");
    const char *role = app_take_opt(&argc, argv, "--role");
    const char *given = app_take_opt(&argc, argv, "--password");
    const char *username = argc > 2 ? argv[2] : NULL;
    struct db *db;
    if (app_open_ready(&o, &db, 0)) return 1;
    int rc = 0;
    char action[40];
    snprintf(action, sizeof action, "cli:user %s", sub);
    struct audit_actor who = app_actor(action);
    if (!strcmp(sub, "list")) {
        struct db_stmt *st = db_prepare(
            db, "SELECT u.username, u.display_name, un.name, COALESCE(r.code, '-'), u.locked, "
                "u.must_change_password FROM users u JOIN units un ON un.id = u.unit_id "
                "LEFT JOIN roles r ON r.id = u.role_id ORDER BY u.username");
        printf("%-16s %-12s %-10s %-6s %s\n", "USERNAME", "ROLE", "STATUS", "CHANGE",
               "NAME / UNIT");
        while (st && db_step(st) == DB_ROW)
            printf("%-16s %-12s %-10s %-6s %s / %s\n", db_col_text(st, 0), db_col_text(st, 3),
                   db_col_int(st, 4) ? "locked" : "active", db_col_int(st, 5) ? "yes" : "no",
                   db_col_text(st, 1), db_col_text(st, 2));
        db_done(st);
        db_close(db);
        return 0;
    }
    if (!username) {
        db_close(db);
        fprintf(stderr, "fazhi user %s: USERNAME is required\n", sub);
        return 2;
    }
    char pw[130];
    const char *password = given;
    if (!password)
        password_generate_for(db, pw, sizeof pw), password = pw;
    else if ((rc = !!password_policy_check(db, password, username))) {
        fprintf(stderr, "fazhi user: the password does not meet the policy (%s)\n",
                password_policy_check(db, password, username));
        db_close(db);
        return 2;
    }
    int64_t uid = account_id_by_username(db, username);
    if (!strcmp(sub, "add")) {
        int64_t unit_id = unit ? unit_id_by_code(db, unit) : 0;
        if (!username_valid(username) || !unit_id || uid || (role && !role_id_by_code(db, role))) {
            fprintf(stderr, "fazhi user add: %s\n",
                    !username_valid(username) ? "USERNAME must be 3–32 of a-z 0-9 _ . -"
                    : !unit_id                ? "--unit must name an existing unit code"
                    : uid                     ? "that user name is taken"
                                              : "no such role");
            db_close(db);
            return 2;
        }
        int64_t id;
        rc = db_begin(db);
        if (rc == DB_OK)
            rc = account_create(db, &who, username, name ? name : username, unit_id, role, password,
                                given ? 0 : 1, &id);
    } else if (!strcmp(sub, "passwd") || !strcmp(sub, "lock") || !strcmp(sub, "unlock")) {
        if (!uid) {
            fprintf(stderr, "fazhi user %s: no user %s\n", sub, username);
            db_close(db);
            return 1;
        }
        rc = db_begin(db);
        if (rc == DB_OK && !strcmp(sub, "passwd"))
            rc =
                account_set_password(db, &who, uid, password, given ? 0 : 1, "user.reset_password");
        else if (rc == DB_OK)
            rc = account_set_locked(db, &who, uid, !strcmp(sub, "lock"));
    } else {
        db_close(db);
        fprintf(stderr, "fazhi user: unknown subcommand '%s'\n", sub);
        return 2;
    }
    if (rc == DB_OK) rc = db_commit(db);
    if (rc != DB_OK) {
        fprintf(stderr, "fazhi user %s: failed: %s\n", sub, db_errmsg(db));
        db_rollback(db);
        db_close(db);
        return 1;
    }
    db_close(db);
    if ((!strcmp(sub, "add") || !strcmp(sub, "passwd")) && !given)
        printf("%s: one-time password %s (must be changed at first sign-in)\n", username, password);
    else
        printf("%s: done\n", username);
    return 0;
}

int cmd_migrate(int argc, char **argv) {
    if (app_wants_help(argc, argv)) {
        printf("usage: fazhi migrate [--data-dir DIR] [--db URL] [--schema N]\n"
               "       fazhi migrate --from sqlite:PATH --to postgres://USER@HOST:PORT/DB\n\n"
               "Applies pending schema migrations, each in its own transaction (with --schema,\n"
               "those up to version N only). With --from and\n"
               "--to it copies a whole installation (attachments and audit log included) into an\n"
               "empty database of either engine, in one transaction, and compares row counts.\n"
               "Keep the data dir's secret.key with the copy: personal data stays encrypted.\n");
        return 0;
    }
    struct app_opts o;
    if (app_common_opts(&argc, argv, &o)) return 2;
    const char *from = app_take_opt(&argc, argv, "--from"), *to = app_take_opt(&argc, argv, "--to");
    if (from || to) {
        if (!from || !to) {
            fprintf(stderr, "fazhi migrate: --from and --to go together\n");
            return 2;
        }
        struct db *src, *dst;
        char err[400];
        int applied = 0;
        if (db_open(from, &src, err, sizeof err) != DB_OK) {
            fprintf(stderr, "fazhi migrate: %s\n", err);
            return 1;
        }
        if (db_open(to, &dst, err, sizeof err) != DB_OK) {
            fprintf(stderr, "fazhi migrate: %s\n", err);
            db_close(src);
            return 1;
        }
        int rc = db_migrate(src, &applied) == DB_OK && db_migrate(dst, &applied) == DB_OK
                     ? db_copy_all(src, dst, stdout, err, sizeof err)
                     : (snprintf(err, sizeof err, "migrations failed"), -1);
        /* The copy's planner statistics, before any server reads it. */
        if (rc == 0 && db_optimize(dst, DB_OPTIMIZE_FULL) != DB_OK)
            fprintf(stderr, "fazhi migrate: ANALYZE on the copy failed: %s\n", db_errmsg(dst));
        struct audit_verify_result v = {0};
        if (rc == 0 && (audit_verify(dst, &v) != DB_OK || !v.ok)) {
            snprintf(err, sizeof err, "the audit chain does not verify on the copy: %s", v.message);
            rc = -1;
        }
        db_close(src);
        db_close(dst);
        if (rc != 0) {
            fprintf(stderr, "fazhi migrate: %s\n", err);
            return 1;
        }
        printf("copied; audit log intact on the copy: %lld records\n", (long long)v.records);
        return 0;
    }
    const char *schema = app_take_opt(&argc, argv, "--schema");
    int last = INT_MAX;
    if (schema) {
        char *end = NULL;
        long v = strtol(schema, &end, 10);
        if (!*schema || *end || v < 1 || v > 100000 || schema[0] == '0' || schema[0] == '+') {
            fprintf(stderr, "fazhi migrate: --schema takes a version number\n");
            return 2;
        }
        last = (int)v;
    }
    struct db *db;
    if (app_open(&o, &db, 1)) return 1;
    int applied = 0;
    int rc = db_migrate_to(db, last, &applied);
    int version = db_schema_version(db);
    db_close(db);
    if (rc != DB_OK) return 1;
    printf("schema version %d (%d migration%s applied)\n", version, applied,
           applied == 1 ? "" : "s");
    return 0;
}

int cmd_backup(int argc, char **argv) {
    if (argc < 2 || app_wants_help(argc, argv)) {
        printf("usage: fazhi backup FILE [--data-dir DIR]\n\nWrites a consistent copy of the "
               "database to FILE while the server keeps running\n(SQLite online backup). FILE must "
               "not exist. Keep secret.key from the data dir\nwith it: personal data in the copy "
               "is encrypted with that key.\n");
        return argc < 2 ? 2 : 0;
    }
    struct app_opts o;
    if (app_common_opts(&argc, argv, &o)) return 2;
    if (argc < 2) return 2;
    struct db *db;
    if (app_open(&o, &db, 0)) return 1;
    char err[300];
    int rc = db_backup_to(db, argv[1], err, sizeof err);
    db_close(db);
    if (rc != DB_OK) {
        fprintf(stderr, "fazhi backup: %s\n", err);
        return 1;
    }
    printf("backup written to %s\n", argv[1]);
    return 0;
}

/* The head of the SQLite database at path: DB_ROW, DB_DONE (no head row), < 0 when it cannot be
 * read (no such file, not a database). */
static int sqlite_head(const char *path, struct audit_head *out) {
    memset(out, 0, sizeof *out);
    if (access(path, R_OK) != 0) return DB_ERROR;
    char url[1300], err[300];
    snprintf(url, sizeof url, "sqlite:%s", path);
    struct db *db;
    if (db_open(url, &db, err, sizeof err) != DB_OK) return DB_ERROR;
    int rc = audit_head_read(db, out);
    db_close(db);
    return rc;
}

/* Who ran the command: the OS account, and the one behind sudo when there is one. */
static json_t *os_user_json(void) {
    struct passwd *pw = getpwuid(geteuid());
    const char *sudo = getenv("SUDO_USER");
    json_t *o = json_pack("{s:s,s:I}", "name", pw && pw->pw_name ? pw->pw_name : "", "uid",
                          (json_int_t)geteuid());
    if (sudo && *sudo) json_object_set_new(o, "sudo_user", json_string(sudo));
    return o;
}

static json_t *head_json(int rc, const struct audit_head *h) {
    if (rc != DB_ROW) return json_null();
    return json_pack("{s:I,s:s}", "seq", (json_int_t)h->seq, "hash", h->hash);
}

/* Append the restore's own record (system.restore) to the restored copy at tmp, before it
 * replaces the installation: who, from which file, the head restored to and the head of the
 * log it replaces. *after is the head with the record. 0 ok. */
static int restore_record(const char *tmp, const char *file, const struct audit_head *restored,
                          int replaced_rc, const struct audit_head *replaced,
                          struct audit_head *after, char *err, size_t errlen) {
    char url[1300], path[PATH_MAX];
    snprintf(url, sizeof url, "sqlite:%s", tmp);
    struct db *db;
    if (db_open(url, &db, err, errlen) != DB_OK) return -1;
    json_t *d = json_pack("{s:s,s:o,s:o,s:o,s:s}", "file", realpath(file, path) ? path : file,
                          "os_user", os_user_json(), "restored_head", head_json(DB_ROW, restored),
                          "replaced_head", head_json(replaced_rc, replaced), "note",
                          "database restored from a backup with `fazhi restore`; records after "
                          "restored_head in the replaced log are not in this log");
    char *detail = json_dumps(d, JSON_COMPACT);
    json_decref(d);
    struct audit_actor who = app_actor("cli:restore");
    int rc = detail ? db_begin(db) : DB_ERROR;
    if (rc == DB_OK)
        rc = audit_append(db, &who, "system.restore", "database", "fazhi.db", "ok", detail);
    if (rc == DB_OK) rc = db_commit(db);
    if (rc == DB_OK) rc = audit_head_read(db, after) == DB_ROW ? DB_OK : DB_ERROR;
    if (rc != DB_OK) {
        snprintf(err, errlen, "cannot record the restore in the audit log: %s", db_errmsg(db));
        db_rollback(db);
    }
    free(detail);
    db_close(db);
    return rc == DB_OK ? 0 : -1;
}

int cmd_restore(int argc, char **argv) {
    if (argc < 2 || app_wants_help(argc, argv)) {
        printf("usage: fazhi restore FILE [--data-dir DIR]\n\nReplaces the database in the data "
               "dir with FILE (made by `fazhi backup`).\nThe server must be stopped. FILE is "
               "checked (integrity, schema, audit chain)\nbefore anything is replaced. The restore "
               "appends its own audit record (system.restore:\nwho, from which file, the head "
               "restored to and the head of the replaced log)\nand prints the head.\n");
        return argc < 2 ? 2 : 0;
    }
    struct app_opts o;
    if (app_common_opts(&argc, argv, &o)) return 2;
    if (argc < 2) return 2;
    if (db_url_is_postgres(o.db_url)) {
        fprintf(stderr, "fazhi restore: restores SQLite installations; restore PostgreSQL with "
                        "pg_restore or from a base backup (docs/scaling.md)\n");
        return 1;
    }
    const char *file = argv[1];
    char lock[1100], target[1100], tmp[1200];
    snprintf(lock, sizeof lock, "%s/serve.lock", o.data_dir);
    snprintf(target, sizeof target, "%s/fazhi.db", o.data_dir);
    snprintf(tmp, sizeof tmp, "%s/fazhi.db.restore", o.data_dir);
    int fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) != 0) {
        fprintf(stderr, "fazhi restore: a server is running on %s; stop it first\n", o.data_dir);
        if (fd >= 0) close(fd);
        return 1;
    }
    /* Check the backup before touching anything. */
    char url[1300], err[300];
    snprintf(url, sizeof url, "sqlite:%s", file);
    struct db *src;
    if (access(file, R_OK) != 0 || db_open(url, &src, err, sizeof err) != DB_OK) {
        fprintf(stderr, "fazhi restore: cannot open %s\n", file);
        close(fd);
        return 1;
    }
    struct db_stmt *st = db_prepare(src, "PRAGMA integrity_check");
    int ok = st && db_step(st) == DB_ROW && !strcmp(db_col_text(st, 0), "ok");
    db_done(st);
    struct audit_verify_result v = {0};
    struct audit_head restored = {0}, replaced, after;
    if (ok) ok = db_schema_version(src) >= 1 && audit_verify(src, &v) == DB_OK && v.ok;
    if (ok) ok = audit_head_read(src, &restored) == DB_ROW;
    if (ok) ok = db_backup_to(src, tmp, err, sizeof err) == DB_OK;
    db_close(src);
    if (!ok) {
        fprintf(stderr, "fazhi restore: %s is not a valid fazhi backup (%s)\n", file,
                v.message[0] ? v.message : "integrity or schema check failed");
        unlink(tmp);
        close(fd);
        return 1;
    }
    /* The restore itself goes into the restored log, so the rollback leaves a trace. */
    int replaced_rc = sqlite_head(target, &replaced);
    if (restore_record(tmp, file, &restored, replaced_rc, &replaced, &after, err, sizeof err)) {
        fprintf(stderr, "fazhi restore: %s; nothing was replaced\n", err);
        unlink(tmp);
        close(fd);
        return 1;
    }
    char wal[1200], shm[1200];
    snprintf(wal, sizeof wal, "%s-wal", target);
    snprintf(shm, sizeof shm, "%s-shm", target);
    unlink(wal);
    unlink(shm);
    if (rename(tmp, target) != 0) {
        fprintf(stderr, "fazhi restore: cannot replace %s: %s\n", target, strerror(errno));
        close(fd);
        return 1;
    }
    close(fd);
    printf("restored %s from %s (%lld audit records, chain intact)\n", target, file,
           (long long)v.records);
    printf("audit head restored to: seq %lld hash %s\n", (long long)restored.seq, restored.hash);
    if (replaced_rc == DB_ROW)
        printf("replaced log's head was: seq %lld hash %s\n", (long long)replaced.seq,
               replaced.hash);
    printf("restore recorded as audit record %lld (system.restore); head now: seq %lld hash %s\n",
           (long long)after.seq, (long long)after.seq, after.hash);
    return 0;
}

int cmd_audit(int argc, char **argv) {
    if (argc < 2 || app_wants_help(argc, argv) || strcmp(argv[1], "verify") != 0) {
        printf("usage: fazhi audit verify [--data-dir DIR] [--db URL]\n\nRecomputes the hash "
               "chain of the audit log. Exit 0 when intact; otherwise exit 1\nand print the "
               "sequence number of the first bad record.\n");
        return app_wants_help(argc, argv) ? 0 : 2;
    }
    struct app_opts o;
    if (app_common_opts(&argc, argv, &o)) return 2;
    struct db *db;
    if (app_open(&o, &db, 0)) return 1;
    struct audit_verify_result v;
    int rc = audit_verify(db, &v);
    db_close(db);
    if (rc != DB_OK) {
        fprintf(stderr, "fazhi audit verify: database error\n");
        return 2;
    }
    if (v.ok) {
        printf("audit log intact: %lld records\n", (long long)v.records);
        return 0;
    }
    printf("audit log BROKEN at record %lld: %s\n%lld\n", (long long)v.first_bad_seq, v.message,
           (long long)v.first_bad_seq);
    return 1;
}

int cmd_routes(int argc, char **argv) {
    (void)argc;
    (void)argv;
    static const char *methods[] = {"GET", "POST", "PUT", "DELETE", "PATCH", "OTHER"};
    for (int i = 0; i < route_total(); i++) {
        const struct route *rt = route_at(i);
        char path[256];
        size_t k = 0;
        for (const char *p = rt->pattern; *p && k + 3 < sizeof path;) {
            if (*p == ':') { /* :id → {id} */
                path[k++] = '{';
                p++;
                while (*p && *p != '/' && k + 2 < sizeof path)
                    path[k++] = *p++;
                path[k++] = '}';
            } else {
                path[k++] = *p++;
            }
        }
        path[k] = 0;
        printf("%s %s %s\n", methods[rt->method], path, perm_code(rt->perm));
    }
    return 0;
}
