/* org_http.h — the routes of units and people beyond their entities' generated ones. */
#ifndef FAZHI_ORG_HTTP_H
#define FAZHI_ORG_HTTP_H

struct req;
void unit_kinds_list(struct req *r);
void units_tree(struct req *r);
void units_deactivate(struct req *r);
void units_activate(struct req *r);

void people_phone(struct req *r);

#endif
