/* shufa_http.h — the 述法 module's own route (shufa_http.c). */
#ifndef FAZHI_SHUFA_HTTP_H
#define FAZHI_SHUFA_HTTP_H

struct req;
void shufa_open(struct req *r); /* POST /api/v1/shufa-reports/open */

#endif
