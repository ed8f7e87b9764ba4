/* notify_http.h — the inbox (消息) routes beyond the notifications entity's generated ones. */
#ifndef FAZHI_NOTIFY_HTTP_H
#define FAZHI_NOTIFY_HTTP_H

struct req;
void notifications_unread_count(struct req *r);
void notifications_read(struct req *r);
void notifications_read_all(struct req *r);

#endif
