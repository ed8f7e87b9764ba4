/* catalog_http.h — the public route of the decision catalogue. */
#ifndef FAZHI_CATALOG_HTTP_H
#define FAZHI_CATALOG_HTTP_H

#include "http/http.h"

/* GET /api/v1/public/decision-catalogue?year= (no account). */
void catalog_public_route(struct req *r);

#endif
