/* deadline.h — a bound on the time a client may take to send its request.
 *
 * libmicrohttpd's MHD_OPTION_CONNECTION_TIMEOUT measures idleness only: every byte that arrives
 * restarts it, so a client that sends one byte every few seconds ("slowloris") holds a
 * connection for ever, and a thousand of them hold every connection. Here every connection
 * carries a deadline, and a watchdog thread shuts down the socket of a connection past it
 * (libmicrohttpd then closes it as if the client had gone):
 *   - the request line and headers: `receive_seconds` after the connection opened, or on a kept
 *     alive connection after the previous answer plus the idle timeout;
 *   - the body: `receive_seconds` after the headers, extended by one second for every
 *     DEADLINE_MIN_RATE bytes received, so an honest upload on a slow link is never cut;
 *   - none while the answer is computed and sent (the idle timeout still applies).
 * The per-address connection limit (setting http.max_connections_per_ip) is the other half: it
 * keeps one address from holding many connections even within their deadlines.
 *
 * Ownership: the per-connection state is allocated when libmicrohttpd reports the connection
 * started and freed when it reports it closed (before the socket is closed), under one mutex. */
#ifndef FAZHI_DEADLINE_H
#define FAZHI_DEADLINE_H

#include <microhttpd.h>
#include <stddef.h>

#define DEADLINE_MIN_RATE 1024 /* bytes per second a request body must average */

/* Start the watchdog thread. 0 ok. */
int deadline_start(unsigned receive_seconds, unsigned idle_seconds);
void deadline_stop(void); /* after MHD_stop_daemon */

/* MHD_OPTION_NOTIFY_CONNECTION callback (cls unused). */
void deadline_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
                     enum MHD_ConnectionNotificationCode code);
/* From the request callback: the headers are in (bytes 0), or `bytes` more of the body came. */
void deadline_body(struct MHD_Connection *conn, size_t bytes);
void deadline_answering(struct MHD_Connection *conn); /* the request is in: no deadline */
void deadline_next(struct MHD_Connection *conn);      /* answered: wait for the next request */

#endif
