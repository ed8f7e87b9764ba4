/* metrics.h — Prometheus counters: requests by route and status, latency histogram, DB errors,
 * lost and re-established database connections.
 * Lock-free (atomic adds); the text is rendered on demand. */
#ifndef FAZHI_METRICS_H
#define FAZHI_METRICS_H

#include "base/arena.h"

void metrics_request(int route_index, int status, double seconds); /* -1: no route (static/404) */
void metrics_db_error(void);
void metrics_request_retry(void);           /* a request run again after its connection was lost */
void metrics_login_refused(int by_address); /* a sign-in answered 429 before any hashing */
void metrics_receive_timeout(void);         /* a connection closed: request not received in time */
char *metrics_render(struct arena *a);      /* Prometheus text exposition format */

#endif
