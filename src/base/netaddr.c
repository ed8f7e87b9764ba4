/* netaddr.c — address classes and CIDR blocks; see netaddr.h. */
#include "base/netaddr.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

int net_addr_parse(const char *s, struct net_addr *out) {
    memset(out, 0, sizeof *out);
    char buf[64];
    size_t n = strlen(s);
    if (n >= sizeof buf) return -1;
    if (n >= 2 && s[0] == '[' && s[n - 1] == ']') { /* [v6] as in URLs */
        memcpy(buf, s + 1, n - 2);
        buf[n - 2] = 0;
        if (inet_pton(AF_INET6, buf, out->b) != 1) return -1;
        out->family = 6;
        return 0;
    }
    if (inet_pton(AF_INET, s, out->b) == 1) { /* strict dotted quad: no 0x7f.1 or 2130706433 */
        out->family = 4;
        return 0;
    }
    if (inet_pton(AF_INET6, s, out->b) == 1) {
        out->family = 6;
        return 0;
    }
    return -1;
}

int net_addr_from_sockaddr(const struct sockaddr *sa, struct net_addr *out) {
    memset(out, 0, sizeof *out);
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        memcpy(out->b, &in->sin_addr, 4);
        out->family = 4;
        return 0;
    }
    if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
        memcpy(out->b, &in6->sin6_addr, 16);
        out->family = 6;
        return 0;
    }
    return -1;
}

void net_addr_format(const struct net_addr *a, char *out, size_t n) {
    if (!inet_ntop(a->family == 4 ? AF_INET : AF_INET6, a->b, out, (socklen_t)n) && n) out[0] = 0;
}

static int prefix_is(const unsigned char *b, const unsigned char *p, int bits) {
    int bytes = bits / 8, rest = bits % 8;
    if (memcmp(b, p, (size_t)bytes) != 0) return 0;
    if (!rest) return 1;
    unsigned char mask = (unsigned char)(0xFF << (8 - rest));
    return (b[bytes] & mask) == (p[bytes] & mask);
}

int net_addr_embedded_v4(const struct net_addr *a, struct net_addr *out) {
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
    static const unsigned char nat64[12] = {0, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0};
    static const unsigned char six_to_four[2] = {0x20, 0x02};
    *out = *a;
    if (a->family != 6) return 0;
    const unsigned char *v4 = NULL;
    if (prefix_is(a->b, mapped, 96) || prefix_is(a->b, nat64, 96))
        v4 = a->b + 12;
    else if (prefix_is(a->b, six_to_four, 16))
        v4 = a->b + 2;
    if (!v4) return 0;
    memset(out, 0, sizeof *out);
    out->family = 4;
    memcpy(out->b, v4, 4);
    return 1;
}

/* IANA IPv4 special-purpose address registry (RFC 6890 and successors), most specific first
 * where blocks nest. */
static const struct {
    unsigned char net[4];
    int bits;
    enum net_class cls;
} v4_blocks[] = {
    {{0, 0, 0, 0}, 8, NET_UNSPECIFIED},     /* "this network" (RFC 791) */
    {{10, 0, 0, 0}, 8, NET_PRIVATE},        /* RFC 1918 */
    {{100, 64, 0, 0}, 10, NET_SHARED},      /* RFC 6598 carrier-grade NAT */
    {{127, 0, 0, 0}, 8, NET_LOOPBACK},      /* RFC 1122 */
    {{169, 254, 0, 0}, 16, NET_LINK_LOCAL}, /* RFC 3927; cloud metadata 169.254.169.254 */
    {{172, 16, 0, 0}, 12, NET_PRIVATE},     /* RFC 1918 */
    {{192, 0, 0, 0}, 24, NET_RESERVED},     /* IETF protocol assignments (RFC 6890) */
    {{192, 0, 2, 0}, 24, NET_RESERVED},     /* TEST-NET-1 (RFC 5737) */
    {{192, 31, 196, 0}, 24, NET_RESERVED},  /* AS112-v4 (RFC 7535) */
    {{192, 52, 193, 0}, 24, NET_RESERVED},  /* AMT (RFC 7450) */
    {{192, 88, 99, 0}, 24, NET_RESERVED},   /* 6to4 relay anycast (RFC 7526) */
    {{192, 168, 0, 0}, 16, NET_PRIVATE},    /* RFC 1918 */
    {{192, 175, 48, 0}, 24, NET_RESERVED},  /* direct delegation AS112 (RFC 7534) */
    {{198, 18, 0, 0}, 15, NET_RESERVED},    /* benchmarking (RFC 2544) */
    {{198, 51, 100, 0}, 24, NET_RESERVED},  /* TEST-NET-2 */
    {{203, 0, 113, 0}, 24, NET_RESERVED},   /* TEST-NET-3 */
    {{224, 0, 0, 0}, 4, NET_MULTICAST},     /* RFC 5771 */
    {{240, 0, 0, 0}, 4, NET_RESERVED},      /* future use, and 255.255.255.255 broadcast */
};

/* The IPv6 registry: blocks not judged by an embedded IPv4 address. */
static const struct {
    unsigned char net[16];
    int bits;
    enum net_class cls;
} v6_blocks[] = {
    {{0}, 128, NET_UNSPECIFIED},                                           /* :: */
    {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 128, NET_LOOPBACK}, /* ::1 */
    {{0}, 96, NET_RESERVED},                        /* ::/96 IPv4-compatible (deprecated) */
    {{0, 0x64, 0xFF, 0x9B, 0, 1}, 48, NET_PRIVATE}, /* 64:ff9b:1::/48 local-use NAT64 */
    {{0x01, 0x00}, 64, NET_RESERVED},               /* 100::/64 discard (RFC 6666) */
    {{0x20, 0x01, 0x0D, 0xB8}, 32, NET_RESERVED},   /* documentation (RFC 3849) */
    {{0x20, 0x01, 0x00, 0x00}, 23, NET_RESERVED},   /* IETF protocol assignments, Teredo */
    {{0x3F, 0xFF}, 20, NET_RESERVED},               /* documentation (RFC 9637) */
    {{0x5F, 0x00}, 16, NET_RESERVED},               /* SRv6 SIDs (RFC 9602) */
    {{0xFC}, 7, NET_UNIQUE_LOCAL},                  /* RFC 4193 */
    {{0xFE, 0x80}, 10, NET_LINK_LOCAL},             /* RFC 4291 */
    {{0xFE, 0xC0}, 10, NET_PRIVATE},                /* site-local (deprecated, RFC 3879) */
    {{0xFF}, 8, NET_MULTICAST},                     /* RFC 4291 */
};

enum net_class net_addr_class(const struct net_addr *a) {
    struct net_addr v4;
    if (a->family == 6 && net_addr_embedded_v4(a, &v4)) return net_addr_class(&v4);
    if (a->family == 4) {
        for (size_t i = 0; i < sizeof v4_blocks / sizeof v4_blocks[0]; i++)
            if (prefix_is(a->b, v4_blocks[i].net, v4_blocks[i].bits)) return v4_blocks[i].cls;
        return NET_PUBLIC;
    }
    if (a->family != 6) return NET_RESERVED;
    for (size_t i = 0; i < sizeof v6_blocks / sizeof v6_blocks[0]; i++)
        if (prefix_is(a->b, v6_blocks[i].net, v6_blocks[i].bits)) return v6_blocks[i].cls;
    if ((a->b[0] & 0xE0) != 0x20) return NET_RESERVED; /* outside global unicast 2000::/3 */
    return NET_PUBLIC;
}

static const struct {
    const char *code, *zh, *en;
} class_names[] = {
    [NET_PUBLIC] = {"public", "公网地址", "a public address"},
    [NET_UNSPECIFIED] = {"unspecified", "未指定地址（本机）", "an unspecified address (this host)"},
    [NET_LOOPBACK] = {"loopback", "本机回环地址", "a loopback address"},
    [NET_PRIVATE] = {"private", "内网地址", "a private network address"},
    [NET_SHARED] = {"shared", "运营商共享地址（100.64.0.0/10）",
                    "a carrier-grade NAT address (100.64.0.0/10)"},
    [NET_LINK_LOCAL] = {"link_local", "链路本地地址（含云主机元数据地址）",
                        "a link-local address (cloud metadata included)"},
    [NET_UNIQUE_LOCAL] = {"unique_local", "IPv6 本地地址", "an IPv6 unique-local address"},
    [NET_MULTICAST] = {"multicast", "组播地址", "a multicast address"},
    [NET_RESERVED] = {"reserved", "保留地址", "a reserved address"},
};

const char *net_class_code(enum net_class c) {
    return class_names[c].code;
}
const char *net_class_zh(enum net_class c) {
    return class_names[c].zh;
}
const char *net_class_en(enum net_class c) {
    return class_names[c].en;
}

int net_cidr_parse(const char *s, struct net_cidr *out) {
    memset(out, 0, sizeof *out);
    char buf[64];
    const char *slash = strchr(s, '/');
    size_t n = slash ? (size_t)(slash - s) : strlen(s);
    if (n == 0 || n >= sizeof buf) return -1;
    memcpy(buf, s, n);
    buf[n] = 0;
    if (buf[0] == '[' || net_addr_parse(buf, &out->addr) != 0) return -1;
    int max = out->addr.family == 4 ? 32 : 128;
    out->prefix = max;
    if (slash) {
        const char *p = slash + 1;
        if (!*p || strlen(p) > 3) return -1;
        int v = 0;
        for (; *p; p++) {
            if (*p < '0' || *p > '9') return -1;
            v = v * 10 + (*p - '0');
        }
        if (v > max) return -1;
        out->prefix = v;
    }
    /* Clear the host bits, so 10.1.2.3/8 means 10.0.0.0/8. */
    for (int bit = out->prefix; bit < max; bit++)
        out->addr.b[bit / 8] &= (unsigned char)~(0x80 >> (bit % 8));
    return 0;
}

int net_cidr_contains(const struct net_cidr *c, const struct net_addr *a) {
    struct net_addr x = *a;
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
    if (x.family == 6 && c->addr.family == 4 && prefix_is(x.b, mapped, 96)) {
        memmove(x.b, x.b + 12, 4);
        memset(x.b + 4, 0, 12);
        x.family = 4;
    }
    if (x.family != c->addr.family) return 0;
    return prefix_is(x.b, c->addr.b, c->prefix);
}
