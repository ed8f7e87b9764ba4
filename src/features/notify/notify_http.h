/* notify_http.h — routes for the inbox (消息) and the outbox of deliveries. */
#ifndef FAZHI_NOTIFY_HTTP_H
#define FAZHI_NOTIFY_HTTP_H

struct req;
void notifications_list(struct req *r);
void notifications_unread_count(struct req *r);
void notifications_read(struct req *r);
void notifications_read_all(struct req *r);
void deliveries_list(struct req *r);

#endif
