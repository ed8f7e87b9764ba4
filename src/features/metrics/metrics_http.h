/* metrics_http.h — the metrics module's routes (metrics_http.c). */
#ifndef FAZHI_METRICS_HTTP_H
#define FAZHI_METRICS_HTTP_H

#include "http/http.h"

void metrics_list(struct req *r); /* GET /api/v1/metrics */
void metrics_get(struct req *r);  /* GET /api/v1/metrics/{entity} */

#endif
