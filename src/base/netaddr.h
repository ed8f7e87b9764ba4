/* netaddr.h — IP addresses for outbound policy: what kind of address this is (public, loopback,
 * private, link-local …, after the special-purpose registries of RFC 6890 / IANA), CIDR blocks
 * and membership. IPv4-mapped, 6to4 and NAT64 IPv6 addresses are judged by the IPv4 address they
 * carry, so ::ffff:127.0.0.1 is loopback like 127.0.0.1. No allocation; no DNS. */
#ifndef FAZHI_NETADDR_H
#define FAZHI_NETADDR_H

#include <stddef.h>

struct sockaddr;

struct net_addr {
    int family;          /* 4 or 6 */
    unsigned char b[16]; /* network order; IPv4 in b[0..3] */
};

enum net_class {
    NET_PUBLIC,       /* global unicast: the only class reachable without an allow-list */
    NET_UNSPECIFIED,  /* 0.0.0.0/8, :: — connects to this host on Linux */
    NET_LOOPBACK,     /* 127.0.0.0/8, ::1 */
    NET_PRIVATE,      /* 10/8, 172.16/12, 192.168/16, fec0::/10, 64:ff9b:1::/48 */
    NET_SHARED,       /* 100.64.0.0/10 (carrier-grade NAT, RFC 6598) */
    NET_LINK_LOCAL,   /* 169.254.0.0/16 (cloud metadata 169.254.169.254), fe80::/10 */
    NET_UNIQUE_LOCAL, /* fc00::/7 */
    NET_MULTICAST,    /* 224.0.0.0/4, ff00::/8 */
    NET_RESERVED,     /* documentation, benchmarking, protocol assignments, 240/4, broadcast,
                         IPv4-compatible IPv6, Teredo, anything outside 2000::/3 */
};

/* A numeric IPv4 (dotted quad) or IPv6 address, optionally in [brackets]; 0 ok, -1 not one. */
int net_addr_parse(const char *s, struct net_addr *out);
/* From an AF_INET/AF_INET6 socket address; 0 ok, -1 another family. */
int net_addr_from_sockaddr(const struct sockaddr *sa, struct net_addr *out);
/* Text form (inet_ntop) into out (at least 46 bytes). */
void net_addr_format(const struct net_addr *a, char *out, size_t n);
/* The IPv4 address an IPv6 address carries (mapped ::ffff:0:0/96, NAT64 64:ff9b::/96, 6to4
 * 2002::/16) as an IPv4 net_addr: 1 when it carries one, else 0 and *out = *a. */
int net_addr_embedded_v4(const struct net_addr *a, struct net_addr *out);

enum net_class net_addr_class(const struct net_addr *a);
const char *net_class_code(enum net_class c); /* "public", "loopback", … */
const char *net_class_zh(enum net_class c);   /* 中文名: 公网地址, 回环地址 … */
const char *net_class_en(enum net_class c);   /* "a public address", "a loopback address" … */

struct net_cidr {
    struct net_addr addr; /* network address (host bits cleared) */
    int prefix;           /* 0..32 or 0..128 */
};
/* "10.0.0.0/8", "fd00::/8", or a single address ("127.0.0.1" = /32). 0 ok, -1 malformed. */
int net_cidr_parse(const char *s, struct net_cidr *out);
/* 1 when a lies inside c; an IPv4-mapped IPv6 address matches IPv4 blocks. */
int net_cidr_contains(const struct net_cidr *c, const struct net_addr *a);

#endif
