/* consult_http.h — the routes of 公开征求意见 kept by the module (consult_http.c). */
#ifndef FAZHI_CONSULT_HTTP_H
#define FAZHI_CONSULT_HTTP_H

struct req;
void consult_public_list_route(struct req *r);
void consult_public_get_route(struct req *r);
void consult_public_comment_route(struct req *r);
void consult_tally_route(struct req *r);

#endif
