/* assess_http.h — the indicator systems' own routes (assess_http.c). */
#ifndef FAZHI_ASSESS_HTTP_H
#define FAZHI_ASSESS_HTTP_H

struct req;
void assess_check_route(struct req *r);      /* GET  /api/v1/assess-systems/{id}/check */
void assess_changes_route(struct req *r);    /* GET  /api/v1/assess-systems/{id}/changes */
void assess_metrics_route(struct req *r);    /* GET  /api/v1/assess/metrics */
void assess_default_route(struct req *r);    /* POST /api/v1/assess-systems/default */
void assess_export_route(struct req *r);     /* GET  /api/v1/assess-systems/{id}/export.xlsx */
void assess_import_new_route(struct req *r); /* POST /api/v1/assess-systems/import */
void assess_import_route(struct req *r);     /* POST /api/v1/assess-systems/{id}/import */

#endif
