/* netaddr_test.c — the address classifier (public or not, after the IANA special-purpose
 * registries), CIDR blocks, the webhook address policy and URL masking. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "app/app.h"
#include "base/arena.h"
#include "base/netaddr.h"
#include "base/urlmask.h"
#include "features/notify/notify_impl.h"

static enum net_class cls(const char *s) {
    struct net_addr a;
    if (net_addr_parse(s, &a) != 0) fail_msg("not an address: %s", s);
    return net_addr_class(&a);
}

static void test_ipv4_classes(void **state) {
    (void)state;
    static const struct {
        const char *addr;
        enum net_class want;
    } cases[] = {
        {"8.8.8.8", NET_PUBLIC},
        {"1.1.1.1", NET_PUBLIC},
        {"101.226.103.106", NET_PUBLIC}, /* qyapi.weixin.qq.com-like */
        {"0.0.0.0", NET_UNSPECIFIED},
        {"0.1.2.3", NET_UNSPECIFIED},
        {"127.0.0.1", NET_LOOPBACK},
        {"127.255.255.254", NET_LOOPBACK},
        {"10.0.0.1", NET_PRIVATE},
        {"10.255.255.255", NET_PRIVATE},
        {"172.16.0.1", NET_PRIVATE},
        {"172.31.255.255", NET_PRIVATE},
        {"172.15.255.255", NET_PUBLIC}, /* just outside 172.16/12 */
        {"172.32.0.0", NET_PUBLIC},
        {"192.168.1.1", NET_PRIVATE},
        {"100.64.0.1", NET_SHARED},
        {"100.127.255.255", NET_SHARED},
        {"100.128.0.0", NET_PUBLIC}, /* just outside 100.64/10 */
        {"100.63.255.255", NET_PUBLIC},
        {"169.254.169.254", NET_LINK_LOCAL}, /* cloud metadata */
        {"169.254.0.1", NET_LINK_LOCAL},
        {"192.0.0.8", NET_RESERVED},
        {"192.0.2.1", NET_RESERVED},
        {"198.18.0.1", NET_RESERVED},
        {"198.19.255.255", NET_RESERVED},
        {"198.51.100.7", NET_RESERVED},
        {"203.0.113.9", NET_RESERVED},
        {"224.0.0.1", NET_MULTICAST},
        {"239.255.255.250", NET_MULTICAST},
        {"240.0.0.1", NET_RESERVED},
        {"255.255.255.255", NET_RESERVED},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (cls(cases[i].addr) != cases[i].want)
            fail_msg("%s: class %s, expected %s", cases[i].addr, net_class_code(cls(cases[i].addr)),
                     net_class_code(cases[i].want));
    }
}

static void test_ipv6_classes(void **state) {
    (void)state;
    static const struct {
        const char *addr;
        enum net_class want;
    } cases[] = {
        {"2001:4860:4860::8888", NET_PUBLIC},
        {"2400:3200::1", NET_PUBLIC},
        {"::", NET_UNSPECIFIED},
        {"::1", NET_LOOPBACK},
        {"[::1]", NET_LOOPBACK},
        {"fe80::1", NET_LINK_LOCAL},
        {"febf::1", NET_LINK_LOCAL},
        {"fec0::1", NET_PRIVATE},
        {"fc00::1", NET_UNIQUE_LOCAL},
        {"fd12:3456::1", NET_UNIQUE_LOCAL},
        {"ff02::1", NET_MULTICAST},
        /* IPv4 inside IPv6 is judged by the IPv4 address */
        {"::ffff:127.0.0.1", NET_LOOPBACK},
        {"::ffff:7f00:1", NET_LOOPBACK},
        {"::ffff:10.0.0.1", NET_PRIVATE},
        {"::ffff:169.254.169.254", NET_LINK_LOCAL},
        {"::ffff:8.8.8.8", NET_PUBLIC},
        {"64:ff9b::10.0.0.1", NET_PRIVATE},
        {"64:ff9b::8.8.8.8", NET_PUBLIC},
        {"2002:7f00:1::1", NET_LOOPBACK},     /* 6to4 of 127.0.0.1 */
        {"2002:a9fe:a9fe::", NET_LINK_LOCAL}, /* 6to4 of 169.254.169.254 */
        {"2002:808:808::1", NET_PUBLIC},
        {"64:ff9b:1::1", NET_PRIVATE},
        {"::127.0.0.1", NET_RESERVED}, /* IPv4-compatible, deprecated */
        {"100::1", NET_RESERVED},
        {"2001:db8::1", NET_RESERVED},
        {"2001::1", NET_RESERVED}, /* Teredo */
        {"3fff::1", NET_RESERVED},
        {"4000::1", NET_RESERVED}, /* outside 2000::/3 */
        {"1::1", NET_RESERVED},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (cls(cases[i].addr) != cases[i].want)
            fail_msg("%s: class %s, expected %s", cases[i].addr, net_class_code(cls(cases[i].addr)),
                     net_class_code(cases[i].want));
    }
}

static void test_parse_is_strict(void **state) {
    (void)state;
    struct net_addr a;
    /* Forms inet_aton would take, which hide 127.0.0.1: not addresses here (a resolver that
     * takes them still ends in a checked address). */
    static const char *const bad[] = {"2130706433", "0x7f.1",    "127.1",     "017700000001",
                                      "1.2.3.4.5",  "",          "[::1",      "::1]",
                                      "1.2.3.256",  "localhost", "fe80::1%1", NULL};
    for (int i = 0; bad[i]; i++)
        if (net_addr_parse(bad[i], &a) == 0) fail_msg("parsed %s", bad[i]);
    assert_int_equal(net_addr_parse("10.1.2.3", &a), 0);
    assert_int_equal(a.family, 4);
    char text[64];
    net_addr_format(&a, text, sizeof text);
    assert_string_equal(text, "10.1.2.3");
    assert_int_equal(net_addr_parse("[2001:db8::1]", &a), 0);
    assert_int_equal(a.family, 6);
    net_addr_format(&a, text, sizeof text);
    assert_string_equal(text, "2001:db8::1");
}

static void test_cidr(void **state) {
    (void)state;
    struct net_cidr c;
    struct net_addr a;
    assert_int_equal(net_cidr_parse("10.8.0.0/16", &c), 0);
    assert_int_equal(c.prefix, 16);
    net_addr_parse("10.8.255.1", &a);
    assert_true(net_cidr_contains(&c, &a));
    net_addr_parse("10.9.0.1", &a);
    assert_false(net_cidr_contains(&c, &a));
    net_addr_parse("::ffff:10.8.1.1", &a); /* the mapped form matches the IPv4 block */
    assert_true(net_cidr_contains(&c, &a));
    assert_int_equal(net_cidr_parse("10.1.2.3/8", &c), 0); /* host bits cleared */
    net_addr_parse("10.200.0.1", &a);
    assert_true(net_cidr_contains(&c, &a));
    assert_int_equal(net_cidr_parse("127.0.0.1", &c), 0);
    assert_int_equal(c.prefix, 32);
    net_addr_parse("127.0.0.2", &a);
    assert_false(net_cidr_contains(&c, &a));
    net_addr_parse("127.0.0.1", &a);
    assert_true(net_cidr_contains(&c, &a));
    assert_int_equal(net_cidr_parse("fd00::/8", &c), 0);
    net_addr_parse("fd12::1", &a);
    assert_true(net_cidr_contains(&c, &a));
    net_addr_parse("10.0.0.1", &a);
    assert_false(net_cidr_contains(&c, &a)); /* another family */
    assert_int_equal(net_cidr_parse("0.0.0.0/0", &c), 0);
    assert_true(net_cidr_contains(&c, &a));
    static const char *const bad[] = {"10.0.0.0/33", "::/129", "10.0.0.0/", "/8", "10.0.0.0/x",
                                      "10.0.0/8",    "host/8", "[::1]/128", NULL};
    for (int i = 0; bad[i]; i++)
        if (net_cidr_parse(bad[i], &c) == 0) fail_msg("parsed %s", bad[i]);
}

/* The webhook policy on literal addresses (no DNS) and on localhost (/etc/hosts). */
static int target_ok(const char *url, const char *allow) {
    struct webhook_target t;
    struct notify_refusal why;
    return webhook_target_check(url, allow, &t, &why) == 0;
}

static void test_webhook_policy(void **state) {
    (void)state;
    assert_true(target_ok("https://8.8.8.8/cgi-bin/webhook/send?key=x", ""));
    assert_true(target_ok("https://[2001:4860:4860::8888]:8443/hook", ""));
    static const char *const refused[] = {"http://8.8.8.8/", /* http: not without the allow-list */
                                          "https://127.0.0.1/",
                                          "https://127.0.0.1:8080/hook",
                                          "https://10.0.0.1/",
                                          "https://172.16.5.4/",
                                          "https://192.168.0.1/",
                                          "https://100.64.1.1/",
                                          "https://169.254.169.254/latest/meta-data/",
                                          "https://0.0.0.0/",
                                          "https://[::1]/",
                                          "https://[::ffff:127.0.0.1]/",
                                          "https://[fd00::1]/",
                                          "https://[fe80::1]/",
                                          "https://224.0.0.1/",
                                          "https://2130706433/", /* 127.0.0.1 as a number */
                                          "https://0x7f.1/",
                                          "https://localhost/",
                                          "https://LOCALHOST./",
                                          "ftp://8.8.8.8/",
                                          "file:///etc/passwd",
                                          "gopher://127.0.0.1/",
                                          "not a url",
                                          "",
                                          NULL};
    for (int i = 0; refused[i]; i++)
        if (target_ok(refused[i], "")) fail_msg("accepted %s", refused[i]);
    /* the allow-list: an address, a block or a host name lets that target in, http too */
    assert_true(target_ok("http://127.0.0.1:9000/hook", "127.0.0.1"));
    assert_true(target_ok("https://10.8.3.4/hook", "10.8.0.0/16"));
    assert_false(target_ok("https://10.9.3.4/hook", "10.8.0.0/16"));
    assert_true(target_ok("http://localhost:9000/hook", "localhost"));
    assert_true(target_ok("http://[::1]:9000/", "::1"));
    assert_false(target_ok("http://8.8.8.8/", "10.8.0.0/16"));    /* http, unlisted target */
    assert_false(target_ok("https://0.0.0.0/", "0.0.0.0/0"));     /* never a target */
    assert_false(target_ok("https://224.0.0.1/", "224.0.0.0/4")); /* never a target */
    /* the reason names the class, in both languages */
    struct webhook_target t;
    struct notify_refusal why;
    assert_int_equal(webhook_target_check("https://169.254.169.254/", "", &t, &why), -1);
    assert_true(why.permanent);
    assert_non_null(strstr(why.en, "link-local"));
    assert_non_null(strstr(why.zh, "链路本地"));
    assert_int_equal(webhook_target_check("http://8.8.8.8/", "", &t, &why), -1);
    assert_non_null(strstr(why.en, "https"));
    /* a checked target remembers its addresses; the mapped form of one counts */
    assert_int_equal(webhook_target_check("http://127.0.0.1:9/", "127.0.0.1", &t, &why), 0);
    assert_int_equal(t.n, 1);
    assert_int_equal(t.port, 9);
    assert_false(t.https);
    struct net_addr a;
    net_addr_parse("::ffff:127.0.0.1", &a);
    assert_true(webhook_target_allows(&t, &a));
    net_addr_parse("127.0.0.2", &a);
    assert_false(webhook_target_allows(&t, &a));
}

/* The connection goes only where the check said: the host is pinned to the checked addresses,
 * and a socket to any other address is refused. */
static void test_webhook_connects_only_to_checked_addresses(void **state) {
    (void)state;
    char err[300];
    struct webhook_target t = {0};
    t.port = 1; /* nothing listens on port 1 */
    t.n = 1;
    net_addr_parse("127.0.0.1", &t.addr[0]);
    /* a name that never resolves: curl connects to the pinned 127.0.0.1 (refused: error 7), so
     * it did not ask DNS (that would be error 6) */
    snprintf(t.host, sizeof t.host, "pinned.invalid");
    assert_int_equal(webhook_post(&t, "http://pinned.invalid:1/hook", "{}", err, sizeof err), -1);
    assert_non_null(strstr(err, "curl error 7:"));
    /* the URL's address is not the checked one (as after a DNS change): refused at the socket */
    snprintf(t.host, sizeof t.host, "127.0.0.2");
    t.literal = 1;
    assert_int_equal(webhook_post(&t, "http://127.0.0.2:1/hook", "{}", err, sizeof err), -1);
    assert_non_null(strstr(err, "address refused"));
    net_addr_parse("127.0.0.2", &t.addr[0]); /* the checked one: connected (and refused: 7) */
    assert_int_equal(webhook_post(&t, "http://127.0.0.2:1/hook", "{}", err, sizeof err), -1);
    assert_non_null(strstr(err, "curl error 7:"));
    /* no redirect protocol games: an https target is not sent over http */
    t.https = 1;
    net_addr_parse("127.0.0.2", &t.addr[0]);
    assert_int_equal(webhook_post(&t, "http://127.0.0.2:1/hook", "{}", err, sizeof err), -1);
    assert_non_null(strstr(err, "curl error 1:")); /* unsupported protocol */
}

static void test_allow_list_syntax(void **state) {
    (void)state;
    struct notify_refusal why;
    assert_int_equal(notify_webhook_allow_check("", &why), 0);
    assert_int_equal(
        notify_webhook_allow_check("10.1.2.3, 10.8.0.0/16;robot.gov.internal\nfd00::/8，::1", &why),
        0);
    assert_int_equal(notify_webhook_allow_check("a.example，，b.example、、；c.example ,, ", &why),
                     0);
    assert_int_equal(notify_webhook_allow_check("10.0.0.0/40", &why), -1);
    assert_non_null(strstr(why.en, "10.0.0.0/40"));
    assert_int_equal(notify_webhook_allow_check("http://10.0.0.1/", &why), -1);
    assert_int_equal(notify_webhook_allow_check("bad_host!", &why), -1);
    assert_int_equal(notify_webhook_allow_check("999.1.1.1", &why), -1);
}

static void test_url_mask(void **state) {
    (void)state;
    struct arena *a = arena_new(4096);
    static const char *const cases[][2] = {
        {"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx",
         "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=********"},
        {"https://oapi.dingtalk.com/robot/send?access_token=abc123&timestamp=1&sign=zz%3D",
         "https://oapi.dingtalk.com/robot/send?access_token=********&timestamp=1&sign=********"},
        {"https://u:p@host.example/x?Token=1&secret=2&app_key=3&page=4",
         "https://********@host.example/x?Token=********&secret=********&app_key=********&page=4"},
        {"https://open.feishu.cn/open-apis/bot/v2/hook/2a5a3c4e-1b2c-4d5e-8f90-123456789abc",
         "https://open.feishu.cn/open-apis/bot/v2/hook/********"},
        {"http://10.1.2.3:8080/robot/send", "http://10.1.2.3:8080/robot/send"},
        {"smtps://mailer:S3cret@mail.example.gov.cn:465",
         "smtps://********@mail.example.gov.cn:465"},
        {"", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_string_equal(url_mask_secrets(a, cases[i][0]), cases[i][1]);
    arena_free(a);
}

int main(void) {
    if (modules_init() != 0) return 1; /* permissions, settings and schema of every module */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ipv4_classes),
        cmocka_unit_test(test_ipv6_classes),
        cmocka_unit_test(test_parse_is_strict),
        cmocka_unit_test(test_cidr),
        cmocka_unit_test(test_webhook_policy),
        cmocka_unit_test(test_webhook_connects_only_to_checked_addresses),
        cmocka_unit_test(test_allow_list_syntax),
        cmocka_unit_test(test_url_mask),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
