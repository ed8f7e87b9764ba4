/* server.h — `fazhi serve`: libmicrohttpd with a thread pool, one DB connection per worker
 * thread, graceful shutdown on SIGTERM/SIGINT. */
#ifndef FAZHI_SERVER_H
#define FAZHI_SERVER_H

#include "base/crypto.h"

struct server_config {
    const char *listen;  /* "127.0.0.1:8080" or "[::1]:8080" */
    const char *db_url;  /* "sqlite:/path/fazhi.db" */
    int threads;         /* worker threads */
    int trust_proxy;     /* take client IP and scheme from X-Forwarded-For / -Proto */
    int max_connections; /* concurrent connections */
    int timeout_seconds; /* idle connection timeout */
    /* Called once the port accepts connections (NULL = nothing): `fazhi serve` starts its
     * scheduler here, so no scheduled job runs before the server answers. */
    void (*on_listening)(void);
};

/* Global read-only state every request may use (set before the server starts). */
extern const char *server_db_url;

int server_run(const struct server_config *cfg); /* blocks until SIGTERM/SIGINT; exit code */

#endif
