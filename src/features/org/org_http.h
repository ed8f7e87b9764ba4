/* org_http.h — routes for units and people. */
#ifndef FAZHI_ORG_HTTP_H
#define FAZHI_ORG_HTTP_H

struct req;
void unit_kinds_list(struct req *r);
void units_list(struct req *r);
void units_tree(struct req *r);
void units_get(struct req *r);
void units_create(struct req *r);
void units_update(struct req *r);
void units_deactivate(struct req *r);
void units_activate(struct req *r);
void units_delete(struct req *r);

void people_list(struct req *r);
void people_get(struct req *r);
void people_phone(struct req *r);
void people_create(struct req *r);
void people_update(struct req *r);
void people_delete(struct req *r);

#endif
