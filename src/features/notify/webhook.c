/* webhook.c — where a webhook may point. https only; the host is resolved and every address it
 * resolves to must be public, unless the allow-list (setting notify.webhook_allow) names the host
 * or a block holding the address — then http:// is accepted too, for an on-premises robot
 * gateway. The same check runs when the setting is saved and before every delivery, and the
 * delivery connects only to the addresses checked here (deliver.c pins them). */
#include <ctype.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <curl/curl.h>

#include "base/netaddr.h"
#include "features/notify/notify.h"
#include "features/notify/notify_impl.h"

#define ALLOW_MAX 32 /* entries of notify.webhook_allow */

struct allow_list {
    struct net_cidr cidr[ALLOW_MAX]; /* address blocks */
    int n_cidr;
    char host[ALLOW_MAX][254]; /* host names, lower case, no trailing dot */
    int n_host;
};

static void refuse(struct notify_refusal *why, int permanent, const char *zh, const char *en) {
    why->permanent = permanent;
    snprintf(why->zh, sizeof why->zh, "%s", zh);
    snprintf(why->en, sizeof why->en, "%s", en);
}

/* RFC 1123 host name: labels of letters, digits and '-', not starting or ending with '-'. */
static int hostname_valid(const char *s) {
    size_t n = strlen(s), label = 0;
    if (n == 0 || n > 253) return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '.') {
            if (label == 0 || s[i - 1] == '-') return 0;
            label = 0;
        } else if (isalnum(c) || (c == '-' && label > 0)) {
            if (++label > 63) return 0;
        } else {
            return 0;
        }
    }
    return label > 0 && s[n - 1] != '-';
}

static void host_normal(const char *in, char *out, size_t n) {
    snprintf(out, n, "%s", in);
    for (char *p = out; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    size_t len = strlen(out);
    if (len > 1 && out[len - 1] == '.') out[len - 1] = 0;
}

/* Bytes of the separator at p (",", ";", space, tab, new line, "，", "、", "；"), 0 if none. */
static size_t separator(const char *p) {
    if (*p && strchr(", ;\t\r\n", *p)) return 1;
    if (!strncmp(p, "，", 3) || !strncmp(p, "、", 3) || !strncmp(p, "；", 3)) return 3;
    return 0;
}

/* Parse the allow-list: entries separated by commas, semicolons, spaces or new lines. */
static int allow_parse(const char *text, struct allow_list *out, struct notify_refusal *why) {
    memset(out, 0, sizeof *out);
    const char *p = text ? text : "";
    for (;;) {
        size_t k;
        while ((k = separator(p)) > 0)
            p += k;
        if (!*p) break;
        size_t len = 0;
        while (p[len] && !separator(p + len))
            len++;
        char entry[300];
        snprintf(entry, sizeof entry, "%.*s", (int)(len < 299 ? len : 299), p);
        p += len;
        if (out->n_cidr + out->n_host >= ALLOW_MAX) {
            refuse(why, 1, "白名单最多 32 项", "At most 32 entries");
            return -1;
        }
        if (net_cidr_parse(entry, &out->cidr[out->n_cidr]) == 0) {
            out->n_cidr++;
            continue;
        }
        char host[254];
        host_normal(entry, host, sizeof host);
        if (len > 253 || !hostname_valid(host) || strspn(host, "0123456789.") == strlen(host)) {
            char zh[200], en[200];
            snprintf(zh, sizeof zh, "“%.60s”不是主机名、IP 地址或网段（如 10.8.0.0/16）", entry);
            snprintf(en, sizeof en,
                     "\"%.60s\" is not a host name, IP address or block (10.8.0.0/16)", entry);
            refuse(why, 1, zh, en);
            return -1;
        }
        snprintf(out->host[out->n_host++], sizeof out->host[0], "%s", host);
    }
    return 0;
}

int notify_webhook_allow_check(const char *list, struct notify_refusal *why) {
    struct allow_list al;
    return allow_parse(list, &al, why);
}

static int allow_has_host(const struct allow_list *al, const char *host) {
    for (int i = 0; i < al->n_host; i++)
        if (!strcmp(al->host[i], host)) return 1;
    return 0;
}

static int allow_has_addr(const struct allow_list *al, const struct net_addr *a) {
    for (int i = 0; i < al->n_cidr; i++)
        if (net_cidr_contains(&al->cidr[i], a)) return 1;
    return 0;
}

static void refuse_class(struct notify_refusal *why, enum net_class c) {
    char zh[200], en[200];
    snprintf(zh, sizeof zh,
             "该地址指向%s，不允许推送；内网机器人网关须先加入 notify.webhook_allow 白名单",
             net_class_zh(c));
    snprintf(en, sizeof en,
             "The address is %s: refused. List an on-premises robot gateway in "
             "notify.webhook_allow first",
             net_class_en(c));
    refuse(why, 1, zh, en);
}

int webhook_target_check(const char *url, const char *allow_text, struct webhook_target *t,
                         struct notify_refusal *why) {
    memset(t, 0, sizeof *t);
    memset(why, 0, sizeof *why);
    struct allow_list al;
    if (allow_parse(allow_text, &al, why) != 0) {
        refuse(why, 1, "notify.webhook_allow 白名单格式有误", "notify.webhook_allow is malformed");
        return -1;
    }
    CURLU *u = curl_url();
    char *scheme = NULL, *host = NULL, *port = NULL, *zone = NULL;
    int bad = !u || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
              curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
              curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
              curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) != CURLUE_OK ||
              curl_url_get(u, CURLUPART_ZONEID, &zone, 0) != CURLUE_NO_ZONEID;
    if (!bad) {
        t->https = !strcmp(scheme, "https");
        bad = !t->https && strcmp(scheme, "http") != 0;
        if (bad) {
            refuse(why, 1, "只支持 https:// 地址", "Only https:// addresses");
        } else {
            size_t n = strlen(host);
            if (n >= 2 && host[0] == '[') /* [v6] → v6 */
                snprintf(t->host, sizeof t->host, "%.*s", (int)(n - 2), host + 1);
            else
                host_normal(host, t->host, sizeof t->host);
            t->port = strtol(port, NULL, 10);
            bad = !t->host[0] || t->port <= 0 || t->port > 65535;
        }
    }
    if (bad && !why->en[0])
        refuse(why, 1, "Webhook 地址无效（应为 https://主机/路径）",
               "Not a valid webhook URL (https://host/path)");
    curl_free(scheme);
    curl_free(host);
    curl_free(port);
    curl_free(zone);
    curl_url_cleanup(u);
    if (bad) return -1;

    struct net_addr literal;
    t->literal = net_addr_parse(t->host, &literal) == 0;
    int listed = allow_has_host(&al, t->host); /* the host is named: any unicast address */
    int all_in_blocks = 1;
    if (t->literal) {
        t->addr[t->n++] = literal;
    } else {
        struct addrinfo hints = {0}, *res = NULL;
        hints.ai_family = AF_UNSPEC;
        hints.ai_socktype = SOCK_STREAM;
        hints.ai_flags = AI_IDN; /* 中文域名 as their punycode */
        int gai = getaddrinfo(t->host, NULL, &hints, &res);
        if (gai != 0 || !res) {
            if (res) freeaddrinfo(res);
            /* A name that does not resolve now may resolve later: not permanent. */
            refuse(why, 0, "无法解析 Webhook 的主机名", "The webhook's host name does not resolve");
            return -1;
        }
        for (struct addrinfo *ai = res; ai && t->n < WEBHOOK_ADDR_MAX; ai = ai->ai_next) {
            struct net_addr a;
            if (net_addr_from_sockaddr(ai->ai_addr, &a) != 0) continue;
            int dup = 0;
            for (int i = 0; i < t->n; i++)
                dup |= t->addr[i].family == a.family && !memcmp(t->addr[i].b, a.b, 16);
            if (!dup) t->addr[t->n++] = a;
        }
        freeaddrinfo(res);
    }
    /* Every address the name gives must pass: the connection may use any of them. */
    for (int i = 0; i < t->n; i++) {
        enum net_class c = net_addr_class(&t->addr[i]);
        int in_block = allow_has_addr(&al, &t->addr[i]);
        all_in_blocks &= in_block;
        if (c == NET_UNSPECIFIED || c == NET_MULTICAST ||
            (c != NET_PUBLIC && !listed && !in_block)) {
            refuse_class(why, c);
            return -1;
        }
    }
    if (t->n == 0) {
        refuse(why, 0, "无法解析 Webhook 的主机名", "The webhook's host name does not resolve");
        return -1;
    }
    if (!t->https && !listed && !all_in_blocks) {
        refuse(why, 1,
               "只允许 https:// 地址；内网机器人网关使用 http:// 时，须先将其主机名或网段加入 "
               "notify.webhook_allow 白名单",
               "Only https:// addresses; an on-premises robot gateway on http:// must first be "
               "listed (host or block) in notify.webhook_allow");
        return -1;
    }
    return 0;
}

int notify_webhook_url_check(struct db *db, const char *url, struct notify_refusal *why) {
    memset(why, 0, sizeof *why);
    if (!url || !*url) return 0; /* empty: no webhook */
    char allow[2048];            /* 500 characters, up to 4 bytes each */
    notify_setting_text(db, "notify.webhook_allow", allow, sizeof allow);
    struct webhook_target t;
    return webhook_target_check(url, allow, &t, why);
}

/* ::ffff:a.b.c.d as a.b.c.d; every other address as it is. */
static void unmap(const struct net_addr *in, struct net_addr *out) {
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
    *out = *in;
    if (in->family == 6 && !memcmp(in->b, mapped, 12)) {
        memset(out, 0, sizeof *out);
        out->family = 4;
        memcpy(out->b, in->b + 12, 4);
    }
}

int webhook_target_allows(const struct webhook_target *t, const struct net_addr *a) {
    struct net_addr y;
    unmap(a, &y);
    for (int i = 0; i < t->n; i++) {
        struct net_addr x;
        unmap(&t->addr[i], &x);
        if (x.family == y.family && !memcmp(x.b, y.b, sizeof x.b)) return 1;
    }
    return 0;
}
