/* notify_impl.h — helpers shared by the files of features/notify only. */
#ifndef FAZHI_NOTIFY_IMPL_H
#define FAZHI_NOTIFY_IMPL_H

#include <stddef.h>

#include "base/netaddr.h"
#include "features/notify/notify.h"
#include "store/db.h"

/* Text setting (notify.webhook_url, notify.smtp_*) read fresh from the settings table, copied
 * into out (truncated at n - 1 bytes); "" when unset. */
void notify_setting_text(struct db *db, const char *key, char *out, size_t n);

/* ---- webhook.c ---- */

#define WEBHOOK_ADDR_MAX 8 /* addresses of one host kept, checked and pinned */

/* A webhook URL that passed the address policy: where the delivery may connect. */
struct webhook_target {
    char host[256];                         /* as in the URL, lower case, no [brackets] */
    long port;                              /* explicit or the scheme's default */
    int https;                              /* 0: http:// (only for an allow-listed target) */
    int literal;                            /* the host is an IP address (nothing to resolve) */
    struct net_addr addr[WEBHOOK_ADDR_MAX]; /* every address checked; the connection uses these */
    int n;
};

/* Parse url, resolve its host and check every address against the policy and allow_text (the
 * value of notify.webhook_allow). 0 and *t filled, or -1 with the reason in *why. */
int webhook_target_check(const char *url, const char *allow_text, struct webhook_target *t,
                         struct notify_refusal *why);
/* 1 when a is one of the checked addresses (an IPv4-mapped form counts as its IPv4 address). */
int webhook_target_allows(const struct webhook_target *t, const struct net_addr *a);
/* deliver.c: POST payload to url connecting only to t's addresses (t->host pinned to them; any
 * other address curl tries is refused as its socket opens); no redirect, no proxy. 0 sent, -1
 * failed, err = status or curl's error text with a fixed message (never the answer's body). */
int webhook_post(const struct webhook_target *t, const char *url, const char *payload, char *err,
                 size_t errlen);

#endif
