/* cmd_serve.c — fazhi serve */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <fcntl.h>
#include <unistd.h>

#include "app/app.h"
#include "base/log.h"
#include "http/server.h"

static const char *scheduler_db_url; /* for start_scheduler */

/* Reminders and deliveries run beside the server, never inside a request, and only once it
 * listens: however long a daily job takes, sign-in and every request are answered. */
static void start_scheduler(void) {
    if (jobs_scheduler_start(scheduler_db_url) != 0)
        log_error("scheduler not started: no reminders or deliveries from this server");
}

int cmd_serve(int argc, char **argv) {
    if (app_wants_help(argc, argv)) {
        printf("usage: fazhi serve [--listen ADDR:PORT] [--data-dir DIR] [--db sqlite:PATH]\n"
               "                   [--threads N] [--max-connections N] [--trust-proxy]\n\n"
               "Serves the web UI and the JSON API. Defaults: --listen 127.0.0.1:8080,\n"
               "--data-dir ./data, --threads 2 per CPU core (4–16). --trust-proxy takes the client "
               "address and\n"
               "scheme from X-Forwarded-For / X-Forwarded-Proto (only behind nginx or haproxy).\n"
               "SIGTERM or SIGINT stops it after the requests in flight finish.\n");
        return 0;
    }
    struct app_opts o;
    if (app_common_opts(&argc, argv, &o)) return 2;
    struct server_config cfg = {
        .listen = "127.0.0.1:8080", .threads = 8, .max_connections = 1000, .timeout_seconds = 60};
    /* Requests are CPU-bound (SQLite in process): two threads a core keep the cores busy; more
     * only add database connections, each with its own page cache (memory). */
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    cfg.threads = cores > 0 ? (int)(cores * 2) : 4;
    if (cfg.threads < 4) cfg.threads = 4;
    if (cfg.threads > 16) cfg.threads = 16;
    const char *v;
    if ((v = app_take_opt(&argc, argv, "--listen"))) cfg.listen = v;
    if ((v = app_take_opt(&argc, argv, "--threads"))) cfg.threads = atoi(v);
    if ((v = app_take_opt(&argc, argv, "--max-connections"))) cfg.max_connections = atoi(v);
    cfg.trust_proxy = app_take_flag(&argc, argv, "--trust-proxy");
    if (argc > 1) {
        fprintf(stderr, "fazhi serve: unexpected argument '%s' (see --help)\n", argv[1]);
        return 2;
    }
    if (cfg.threads < 1 || cfg.threads > 256 || cfg.max_connections < 1 ||
        cfg.max_connections > 100000) {
        fprintf(stderr, "fazhi serve: --threads must be 1–256, --max-connections 1–100000\n");
        return 2;
    }
    struct db *db;
    if (app_open_ready(&o, &db, 0)) return 1;
    int64_t users = 0;
    db_query_int(db, &users, "SELECT COUNT(*) FROM users", "");
    db_close(db);
    if (!users) {
        fprintf(stderr,
                "fazhi serve: %s has no accounts yet; run `fazhi init` (or `fazhi demo`) "
                "first\n",
                o.db_url);
        return 1;
    }
    /* Held while serving, so `fazhi restore` refuses to replace a live database. */
    char lock[1100];
    snprintf(lock, sizeof lock, "%s/serve.lock", o.data_dir);
    int fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd >= 0) flock(fd, LOCK_SH);
    cfg.db_url = o.db_url;
    scheduler_db_url = o.db_url;
    cfg.on_listening = start_scheduler;
    int rc = server_run(&cfg);
    jobs_scheduler_stop();
    if (fd >= 0) close(fd);
    return rc;
}
