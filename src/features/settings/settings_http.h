#ifndef FAZHI_SETTINGS_HTTP_H
#define FAZHI_SETTINGS_HTTP_H
struct req;
void settings_list(struct req *r);
void settings_update(struct req *r);
#endif
