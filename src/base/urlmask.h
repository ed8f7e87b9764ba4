/* urlmask.h — a URL as it may be shown (settings answers, the outbox, audit details): the parts
 * that authenticate are replaced by URL_MASK — userinfo (user:pass@), query values whose name
 * says secret (key=, access_token=, token=, secret=, sign=, password= …), and path segments that
 * look like a key (16+ letters and digits, as in …/hook/<uuid>). Everything else is kept, so the
 * reader still sees which host and service it names. */
#ifndef FAZHI_URLMASK_H
#define FAZHI_URLMASK_H

#include "base/arena.h"

#define URL_MASK "********"

/* The masked copy of url, in the arena (url itself when nothing is secret). */
const char *url_mask_secrets(struct arena *a, const char *url);

#endif
