#ifndef FAZHI_SYSTEM_HTTP_H
#define FAZHI_SYSTEM_HTTP_H
struct req;
void system_healthz(struct req *r);
void system_readyz(struct req *r);
void system_metrics(struct req *r);
void system_openapi(struct req *r);
#endif
