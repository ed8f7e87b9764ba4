/* deadline.c — receive deadlines for connections and the watchdog that enforces them (see
 * deadline.h). */
#include "http/deadline.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#include "base/log.h"
#include "base/timeutil.h"
#include "http/metrics.h"

#define SWEEP_MS 250 /* how often the watchdog looks */

struct guard {
    struct guard *prev, *next; /* the list of open connections */
    int fd;                    /* the connection's socket */
    double deadline;           /* monotonic seconds; 0 = none */
    double body_since;         /* when the headers were in */
    uint64_t body_bytes;       /* body bytes received so far */
    int in_body;               /* headers in, body being received */
    int dropped;               /* shut down by the watchdog */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static struct guard *head;
static double receive_s, idle_s;
static pthread_t watchdog;
static int running, stopping;

static struct guard *guard_of(struct MHD_Connection *conn) {
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? ci->socket_context : NULL;
}

void deadline_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
                     enum MHD_ConnectionNotificationCode code) {
    (void)cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        struct guard *g = calloc(1, sizeof(*g));
        if (!g) return; /* no deadline for this one; the idle timeout still applies */
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        g->fd = ci ? ci->connect_fd : -1;
        pthread_mutex_lock(&lock);
        g->deadline = g->fd >= 0 && receive_s > 0 ? now_mono() + receive_s : 0;
        g->next = head;
        if (head) head->prev = g;
        head = g;
        pthread_mutex_unlock(&lock);
        *socket_context = g;
        return;
    }
    struct guard *g = *socket_context; /* MHD_CONNECTION_NOTIFY_CLOSED, before the close */
    if (!g) return;
    pthread_mutex_lock(&lock);
    if (g->prev)
        g->prev->next = g->next;
    else
        head = g->next;
    if (g->next) g->next->prev = g->prev;
    pthread_mutex_unlock(&lock);
    free(g);
    *socket_context = NULL;
}

void deadline_body(struct MHD_Connection *conn, size_t bytes) {
    struct guard *g = guard_of(conn);
    if (!g) return;
    pthread_mutex_lock(&lock);
    if (!g->in_body) {
        g->in_body = 1;
        g->body_since = now_mono();
        g->body_bytes = 0;
    }
    g->body_bytes += bytes;
    if (receive_s > 0 && g->fd >= 0)
        g->deadline = g->body_since + receive_s + (double)g->body_bytes / DEADLINE_MIN_RATE;
    pthread_mutex_unlock(&lock);
}

void deadline_answering(struct MHD_Connection *conn) {
    struct guard *g = guard_of(conn);
    if (!g) return;
    pthread_mutex_lock(&lock);
    g->in_body = 0;
    g->deadline = 0;
    pthread_mutex_unlock(&lock);
}

void deadline_next(struct MHD_Connection *conn) {
    struct guard *g = guard_of(conn);
    if (!g) return;
    pthread_mutex_lock(&lock);
    g->in_body = 0;
    g->deadline = receive_s > 0 && g->fd >= 0 ? now_mono() + idle_s + receive_s : 0;
    pthread_mutex_unlock(&lock);
}

static void *watch(void *arg) {
    (void)arg;
    pthread_mutex_lock(&lock);
    while (!stopping) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += SWEEP_MS * 1000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&wake, &lock, &ts);
        double now = now_mono();
        int dropped = 0;
        for (struct guard *g = head; g; g = g->next) {
            if (g->dropped || g->deadline <= 0 || now < g->deadline) continue;
            /* The socket stays open until libmicrohttpd closes it after CLOSED (which takes this
             * lock), so this descriptor is still this connection's. */
            shutdown(g->fd, SHUT_RDWR);
            g->dropped = 1;
            dropped++;
            metrics_receive_timeout();
        }
        if (dropped)
            log_info("closed %d connection%s that did not send a request within %.0f s", dropped,
                     dropped == 1 ? "" : "s", receive_s);
    }
    pthread_mutex_unlock(&lock);
    return NULL;
}

int deadline_start(unsigned receive_seconds, unsigned idle_seconds) {
    pthread_mutex_lock(&lock);
    receive_s = receive_seconds;
    idle_s = idle_seconds;
    stopping = 0;
    pthread_mutex_unlock(&lock);
    if (!receive_seconds) return 0;
    int rc = pthread_create(&watchdog, NULL, watch, NULL);
    if (rc != 0) {
        log_error("cannot start the receive watchdog: %d", rc);
        return -1;
    }
    running = 1;
    return 0;
}

void deadline_stop(void) {
    if (!running) return;
    pthread_mutex_lock(&lock);
    stopping = 1;
    pthread_cond_signal(&wake);
    pthread_mutex_unlock(&lock);
    pthread_join(watchdog, NULL);
    running = 0;
}
