/* appeal_http.h — the charts' route (appeal_http.c). */
#ifndef FAZHI_APPEAL_HTTP_H
#define FAZHI_APPEAL_HTTP_H

struct req;
void appeal_charts(struct req *r); /* GET /api/v1/assess/charts?run_id=&unit_id= */

#endif
