/* draw_http.h — the draws' own routes (the list, one draw and the commit are generated). */
#ifndef FAZHI_DRAW_HTTP_H
#define FAZHI_DRAW_HTTP_H

#include "http/http.h"

void draw_value_post(struct req *r);    /* POST /api/v1/draws/{id}/value {witness, value} */
void draw_redraw_post(struct req *r);   /* POST /api/v1/draws/{id}/redraw {reason, …} */
void draw_published_get(struct req *r); /* GET /api/v1/draws/{id}/published */
void draw_verify_get(struct req *r);    /* GET /api/v1/draws/{id}/verify */

#endif
