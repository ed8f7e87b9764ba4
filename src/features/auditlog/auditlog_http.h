#ifndef FAZHI_AUDITLOG_HTTP_H
#define FAZHI_AUDITLOG_HTTP_H
struct req;
void audit_export_csv(struct req *r);
void audit_export_xlsx(struct req *r); /* GET /api/v1/audit/export.xlsx */
void audit_verify_route(struct req *r);
void audit_names_route(struct req *r);
#endif
