/* campaign_http.h — the campaign module's own route (tagging); the rest is generated. */
#ifndef FAZHI_CAMPAIGN_HTTP_H
#define FAZHI_CAMPAIGN_HTTP_H

#include "http/http.h"

void campaign_items_post(struct req *r);

#endif
