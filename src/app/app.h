/* app.h — the command-line program: shared option parsing and the commands. */
#ifndef FAZHI_APP_H
#define FAZHI_APP_H

#include "audit/audit.h"
#include "store/db.h"

#define FAZHI_VERSION "0.1.0"

struct app_opts {
    const char *data_dir; /* --data-dir, default ./data */
    const char *db_url;   /* --db, default sqlite:<data_dir>/fazhi.db */
    char db_url_buf[1200];
    char key_path[1100]; /* <data_dir>/secret.key */
};

/* Parse --data-dir/--db from argv (removing them); 0 ok. */
int app_common_opts(int *argc, char **argv, struct app_opts *o);
/* Value of --name VALUE in argv (and removes both), or NULL. */
const char *app_take_opt(int *argc, char **argv, const char *name);
int app_take_flag(int *argc, char **argv, const char *name);
int app_wants_help(int argc, char **argv);
/* Open the database and load the personal-data key; create_dir makes the data dir first, with
 * its missing parents (like mkdir -p: `fazhi demo --data-dir a/b/c` works in an empty dir). */
int app_open(struct app_opts *o, struct db **db, int create_dir);
/* app_open, then apply pending migrations and seed built-in roles and settings. */
int app_open_ready(struct app_opts *o, struct db **db, int create_dir);
struct audit_actor app_actor(const char *command);

/* modules.c — register every module's permissions, grants, settings, schema, routes and
 * attachment owners (once, before any thread; every command calls it first). 0 ok; else the
 * declarations contradict each other and the reason is printed. */
int modules_init(void);

int cmd_serve(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_routes(int argc, char **argv);
int cmd_jobs(int argc, char **argv);
int cmd_keys(int argc, char **argv);   /* keys.c */
int cmd_draw(int argc, char **argv);   /* cmd_draw.c: draw verify */
int cmd_assess(int argc, char **argv); /* cmd_assess.c: assess run, assess list */

/* jobs.c — the scheduler thread of `fazhi serve` (deliveries every 30 s, daily jobs once per
 * local day) with its own connection to db_url; stop joins it. */
int jobs_scheduler_start(const char *db_url); /* 0 ok */
void jobs_scheduler_stop(void);
/* Run the daily jobs due at `now` (Unix seconds; all, or only the one named; force ignores
 * jobs.daily_hour), each at most once per local day across servers. DB_OK or < 0. */
int jobs_run_daily(struct db *db, int64_t now, const char *only, int force, int *ran_count);

/* demo.c — `today`: the local day the demo's dates are anchored to (days since 1970-01-01). */
int demo_populate(struct db *db, const char *password, int32_t today);

/* scale.c — `fazhi demo --scale`: deterministic benchmark volumes (district, city, province)
 * written into an empty, migrated database; `sample_rows` > 0 also times the sqlite3 tool on
 * the first rows of each table (SQLite only). Temporary files go to data_dir. The dates follow
 * `today` (the generation day): the same seed and day give the same rows. 0 ok. */
int scale_plan_known(const char *name);
int scale_populate(struct db *db, const char *data_dir, const char *scale, uint64_t seed,
                   const char *password, int64_t sample_rows, int32_t today);

#endif
