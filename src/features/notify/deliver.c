/* deliver.c — the outbox worker: claims due deliveries, sends them (webhook: JSON POST; e-mail:
 * SMTP), and records each attempt with retries after 1, 5, 30 min, 2 h and 12 h, then `failed`.
 * Runs in the scheduler thread or `fazhi jobs run`, never inside a request; no transaction is
 * open while a message is on the wire. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sys/socket.h>

#include <curl/curl.h>
#include <jansson.h>
#include <sodium.h>

#include "base/buf.h"
#include "base/log.h"
#include "base/netaddr.h"
#include "base/timeutil.h"
#include "features/notify/notify.h"
#include "features/notify/notify_impl.h"

#define SEND_TIMEOUT_SECONDS    10
#define CONNECT_TIMEOUT_SECONDS 5
#define ERROR_TEXT_MAX          300     /* bytes of last_error kept */
#define RESPONSE_MAX            (16384) /* bytes of a webhook answer read */
#define CANDIDATES_MAX          200     /* deliveries looked at per pass */

static const int64_t retry_delays[] = {60, 5 * 60, 30 * 60, 2 * 3600, 12 * 3600};

int64_t notify_retry_delay(int64_t attempts) {
    if (attempts < 1 || attempts > (int64_t)(sizeof retry_delays / sizeof retry_delays[0]))
        return 0;
    return retry_delays[attempts - 1];
}

/* ---- webhook ---- */

struct sink {
    char data[RESPONSE_MAX + 1]; /* the answer, truncated */
    size_t n;
};

static size_t sink_write(char *p, size_t size, size_t nmemb, void *arg) {
    struct sink *s = arg;
    size_t len = size * nmemb, room = RESPONSE_MAX - s->n;
    size_t take = len < room ? len : room;
    memcpy(s->data + s->n, p, take);
    s->n += take;
    s->data[s->n] = 0;
    return len;
}

/* What the socket callback needs: the checked addresses, and whether it refused one. */
struct pin {
    const struct webhook_target *target;
    int refused; /* curl tried an address that was not checked */
};

/* Every connection curl opens is checked here against the addresses the policy passed, so a
 * DNS answer that changes between the check and the connect (rebinding) cannot reach another
 * host. */
static curl_socket_t open_checked_socket(void *arg, curlsocktype purpose,
                                         struct curl_sockaddr *address) {
    struct pin *pin = arg;
    struct net_addr a;
    if (purpose != CURLSOCKTYPE_IPCXN || net_addr_from_sockaddr(&address->addr, &a) != 0 ||
        !webhook_target_allows(pin->target, &a)) {
        pin->refused = 1;
        return CURL_SOCKET_BAD;
    }
    return socket(address->family, address->socktype, address->protocol);
}

/* The CURLOPT_RESOLVE entry "host:port:addr,[v6addr]" that makes curl use the checked
 * addresses instead of resolving again. */
static struct curl_slist *pin_resolve(const struct webhook_target *t) {
    if (t->literal) return NULL;
    char entry[600];
    int k = snprintf(entry, sizeof entry, "%s:%ld:", t->host, t->port);
    for (int i = 0; i < t->n && k > 0 && (size_t)k < sizeof entry - 50; i++) {
        char text[64];
        net_addr_format(&t->addr[i], text, sizeof text);
        k += snprintf(entry + k, sizeof entry - (size_t)k,
                      t->addr[i].family == 6 ? "%s[%s]" : "%s%s", i ? "," : "", text);
    }
    return curl_slist_append(NULL, entry);
}

int webhook_post(const struct webhook_target *target, const char *url, const char *payload,
                 char *err, size_t errlen) {
    CURL *c = curl_easy_init();
    if (!c) {
        snprintf(err, errlen, "curl_easy_init failed");
        return -1;
    }
    struct sink *answer = calloc(1, sizeof *answer);
    struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json; charset=utf-8");
    struct curl_slist *resolve = pin_resolve(target);
    struct pin pin = {target, 0};
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, target->https ? "https" : "http");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L); /* a redirect could point anywhere */
    curl_easy_setopt(c, CURLOPT_PROXY, "");          /* no proxy from the environment */
    if (resolve) curl_easy_setopt(c, CURLOPT_RESOLVE, resolve);
    curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, open_checked_socket);
    curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, &pin);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)SEND_TIMEOUT_SECONDS);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)CONNECT_TIMEOUT_SECONDS);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, payload);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(payload));
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink_write);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, answer);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "fazhi-notify/1");
    CURLcode cc = answer ? curl_easy_perform(c) : CURLE_OUT_OF_MEMORY;
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    int rc = 0;
    if (pin.refused) {
        snprintf(err, errlen,
                 "address refused: the connection went to an address that was not "
                 "checked (DNS changed)");
        rc = -1;
    } else if (cc != CURLE_OK) {
        snprintf(err, errlen, "curl error %d: %s", (int)cc, curl_easy_strerror(cc));
        rc = -1;
    } else if (status >= 300 && status <= 399) {
        snprintf(err, errlen, "HTTP %ld: redirects are not followed", status);
        rc = -1;
    } else if (status < 200 || status > 299) {
        snprintf(err, errlen, "HTTP %ld: the webhook answered with an error status", status);
        rc = -1;
    } else {
        /* 企业微信 and 钉钉 answer 200 with {"errcode": N, "errmsg": "..."} on refusal. */
        json_t *j = json_loads(answer->data, 0, NULL);
        json_t *code = json_object_get(j, "errcode");
        if (json_is_integer(code) && json_integer_value(code) != 0) {
            snprintf(err, errlen, "HTTP %ld: the robot refused the message (errcode is not 0)",
                     status);
            rc = -1;
        }
        json_decref(j);
    }
    curl_slist_free_all(h);
    curl_slist_free_all(resolve);
    curl_easy_cleanup(c);
    free(answer);
    return rc;
}

/* Send one webhook: 0 sent; -1 failed, try again; -2 refused by the address policy (for good).
 * err gets the HTTP status or curl's error text and a fixed message, never the answer's body:
 * an internal service's reply must not come back through the outbox. */
static int send_webhook(struct db *db, const char *url, const char *payload, char *err,
                        size_t errlen) {
    char allow[2048]; /* 500 characters, up to 4 bytes each */
    notify_setting_text(db, "notify.webhook_allow", allow, sizeof allow);
    struct webhook_target target;
    struct notify_refusal why;
    if (webhook_target_check(url, allow, &target, &why) != 0) {
        snprintf(err, errlen, "address refused: %s", why.en);
        return why.permanent ? -2 : -1;
    }
    return webhook_post(&target, url, payload, err, errlen);
}

/* ---- e-mail ---- */

/* Append s as RFC 2047 encoded words (=?UTF-8?B?...?=), each at most 75 characters, folded. */
static void put_encoded_words(struct buf *b, const char *s) {
    size_t len = strlen(s), i = 0;
    int first = 1;
    do {
        size_t take = len - i < 45 ? len - i : 45; /* 45 bytes → 60 base64 characters */
        while (i + take < len && take > 0 && ((unsigned char)s[i + take] & 0xC0) == 0x80)
            take--;
        char enc[64];
        sodium_bin2base64(enc, sizeof enc, (const unsigned char *)s + i, take,
                          sodium_base64_VARIANT_ORIGINAL);
        buf_printf(b, "%s=?UTF-8?B?%s?=", first ? "" : "\r\n ", enc);
        first = 0;
        i += take;
    } while (i < len);
}

static int header_safe(const char *s) {
    return !strpbrk(s, "\r\n<>,;\"");
}

/* RFC 5322 message: UTF-8 subject as encoded words, body as base64 text/plain. */
static char *mail_message(struct arena *a, int64_t delivery_id, const char *from, const char *to,
                          const char *subject, const char *text) {
    struct buf b;
    buf_init(&b, a, 1024 + strlen(text) * 2);
    char date[64];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    char host[128] = "fazhi";
    const char *at = strchr(from, '@');
    if (at && at[1]) snprintf(host, sizeof host, "%s", at + 1);
    buf_printf(&b, "Date: %s\r\nFrom: <%s>\r\nTo: <%s>\r\nSubject: ", date, from, to);
    put_encoded_words(&b, subject);
    buf_printf(&b,
               "\r\nMessage-ID: <fazhi.%lld.%lld@%s>\r\nMIME-Version: 1.0\r\n"
               "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n"
               "\r\n",
               (long long)delivery_id, (long long)now, host);
    size_t len = strlen(text);
    for (size_t i = 0; i < len; i += 57) { /* 57 bytes → one 76-character line */
        size_t take = len - i < 57 ? len - i : 57;
        char line[80];
        sodium_bin2base64(line, sizeof line, (const unsigned char *)text + i, take,
                          sodium_base64_VARIANT_ORIGINAL);
        buf_printf(&b, "%s\r\n", line);
    }
    return b.data;
}

struct reader {
    const char *p; /* next byte to hand to libcurl */
    size_t left;   /* bytes remaining */
};

static size_t reader_read(char *out, size_t size, size_t nmemb, void *arg) {
    struct reader *r = arg;
    size_t n = size * nmemb < r->left ? size * nmemb : r->left;
    memcpy(out, r->p, n);
    r->p += n;
    r->left -= n;
    return n;
}

static int send_email(struct db *db, struct arena *a, int64_t id, const char *to,
                      const char *payload, char *err, size_t errlen) {
    char url[300], from[200], user[200], password[200];
    notify_setting_text(db, "notify.smtp_url", url, sizeof url);
    notify_setting_text(db, "notify.smtp_from", from, sizeof from);
    notify_setting_text(db, "notify.smtp_user", user, sizeof user);
    notify_setting_text(db, "notify.smtp_password", password, sizeof password);
    if (!url[0] || !from[0]) {
        snprintf(err, errlen, "notify.smtp_url or notify.smtp_from is not set");
        return -1;
    }
    if (!header_safe(from) || !header_safe(to) || !strchr(to, '@')) {
        snprintf(err, errlen, "bad sender or recipient address");
        return -1;
    }
    json_t *j = json_loads(payload, 0, NULL);
    const char *subject = json_string_value(json_object_get(j, "subject"));
    const char *body = json_string_value(json_object_get(j, "body"));
    const char *link = json_string_value(json_object_get(j, "link"));
    char *text = arena_printf(a, "%s\r\n\r\n%s%s%s\r\n", subject ? subject : "", body ? body : "",
                              link && *link ? "\r\n\r\n" : "", link ? link : "");
    char *msg = mail_message(a, id, from, to, subject ? subject : "", text);
    json_decref(j);

    CURL *c = curl_easy_init();
    if (!c) {
        snprintf(err, errlen, "curl_easy_init failed");
        return -1;
    }
    struct curl_slist *rcpt = curl_slist_append(NULL, arena_printf(a, "<%s>", to));
    struct reader rd = {msg, strlen(msg)};
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)SEND_TIMEOUT_SECONDS * 3);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)CONNECT_TIMEOUT_SECONDS);
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, arena_printf(a, "<%s>", from));
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
    if (user[0]) {
        curl_easy_setopt(c, CURLOPT_USERNAME, user);
        curl_easy_setopt(c, CURLOPT_PASSWORD, password);
        /* A password never travels in clear: STARTTLS is required for smtp:// with a login. */
        curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
    } else {
        curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
    }
    curl_easy_setopt(c, CURLOPT_READFUNCTION, reader_read);
    curl_easy_setopt(c, CURLOPT_READDATA, &rd);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    CURLcode cc = curl_easy_perform(c);
    sodium_memzero(password, sizeof password);
    int rc = 0;
    if (cc != CURLE_OK) { /* curl's text for the code, never the server's reply */
        snprintf(err, errlen, "curl error %d: %s", (int)cc, curl_easy_strerror(cc));
        rc = -1;
    }
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(c);
    return rc;
}

/* ---- the pass ---- */

struct candidate {
    int64_t id;              /* deliveries.id */
    int64_t next_attempt_at; /* as read, the claim compares it */
    int sending;             /* status was 'sending' (an expired lease) */
};

/* Claim one delivery: 1 claimed, 0 someone else has it, < 0 error. */
static int claim(struct db *db, const struct candidate *c, int64_t lease_until) {
    int rc = db_begin(db);
    if (rc != DB_OK) return rc;
    rc =
        db_exec(db,
                "UPDATE deliveries SET status = 'sending', next_attempt_at = ? "
                "WHERE id = ? AND status = ? AND next_attempt_at = ?",
                "iisi", lease_until, c->id, c->sending ? "sending" : "pending", c->next_attempt_at);
    int64_t changed = rc == DB_OK ? db_changes(db) : 0;
    if (rc == DB_OK) rc = db_commit(db);
    if (rc != DB_OK) {
        db_rollback(db);
        return rc;
    }
    return changed == 1;
}

/* Record the outcome of an attempt, unless our lease was taken over meanwhile. */
static int record(struct db *db, int64_t id, int64_t lease_until, int64_t attempts, int ok,
                  int permanent, int64_t now, const char *error, struct notify_pass *out) {
    char now_text[21];
    iso_utc(now_unix(), now_text);
    int64_t delay = ok || permanent ? 0 : notify_retry_delay(attempts);
    const char *status = ok ? "sent" : delay ? "pending" : "failed";
    int rc = db_begin(db);
    if (rc != DB_OK) return rc;
    rc = db_exec(db,
                 "UPDATE deliveries SET status = ?, attempts = ?, next_attempt_at = ?, "
                 "last_error = ?, sent_at = ? WHERE id = ? AND status = 'sending' "
                 "AND next_attempt_at = ?",
                 "siissii", status, attempts, now + delay, error, ok ? now_text : NULL, id,
                 lease_until);
    int64_t changed = rc == DB_OK ? db_changes(db) : 0;
    if (rc == DB_OK) rc = db_commit(db);
    if (rc != DB_OK) {
        db_rollback(db);
        return rc;
    }
    if (!changed)
        log_error("delivery %lld: lease lost before the outcome was recorded", (long long)id);
    if (ok)
        out->sent++;
    else if (delay)
        out->retry++;
    else
        out->failed++;
    return DB_OK;
}

static int deliver_one(struct db *db, const struct candidate *c, int64_t now,
                       struct notify_pass *out) {
    int64_t lease_until = now + NOTIFY_LEASE_SECONDS;
    int rc = claim(db, c, lease_until);
    if (rc <= 0) return rc;
    out->claimed++;
    struct arena *a = arena_new(8192);
    char *channel = NULL, *target = NULL, *payload = NULL;
    int64_t attempts = 0;
    struct db_stmt *st = db_queryv(
        db, "SELECT channel, target, payload, attempts FROM deliveries WHERE id = ?", "i", c->id);
    rc = st ? db_step(st) : DB_ERROR;
    if (rc == DB_ROW) {
        channel = arena_strdup(a, db_col_text(st, 0));
        target = arena_strdup(a, db_col_text(st, 1));
        payload = arena_strdup(a, db_col_text(st, 2));
        attempts = db_col_int(st, 3);
    }
    db_done(st);
    if (rc != DB_ROW) {
        arena_free(a);
        return rc < 0 ? rc : DB_OK;
    }
    char err[ERROR_TEXT_MAX] = "";
    int sent, permanent = 0;
    if (!strcmp(channel, "webhook")) {
        int wrc = send_webhook(db, target, payload, err, sizeof err);
        sent = wrc == 0;
        permanent = wrc == -2;
    } else if (!strcmp(channel, "email")) {
        sent = send_email(db, a, c->id, target, payload, err, sizeof err) == 0;
    } else {
        snprintf(err, sizeof err, "unknown channel %s", channel);
        sent = 0;
    }
    attempts++;
    if (sent)
        log_info("delivery %lld: %s sent (attempt %lld)", (long long)c->id, channel,
                 (long long)attempts);
    else
        log_error("delivery %lld: %s attempt %lld failed: %s", (long long)c->id, channel,
                  (long long)attempts, err);
    rc = record(db, c->id, lease_until, attempts, sent, permanent, now, err, out);
    arena_free(a);
    return rc;
}

int notify_deliver_pending(struct db *db, int64_t now, int max, const atomic_int *stop,
                           struct notify_pass *out) {
    memset(out, 0, sizeof *out);
    if (max > CANDIDATES_MAX) max = CANDIDATES_MAX;
    struct candidate list[CANDIDATES_MAX];
    int n = 0;
    struct db_stmt *st =
        db_queryv(db,
                  "SELECT id, next_attempt_at, status FROM deliveries "
                  "WHERE status IN ('pending', 'sending') AND next_attempt_at <= ? "
                  "ORDER BY next_attempt_at, id LIMIT ?",
                  "ii", now, (int64_t)max);
    int rc = st ? DB_ROW : DB_ERROR;
    while (st && n < max && (rc = db_step(st)) == DB_ROW) {
        list[n].id = db_col_int(st, 0);
        list[n].next_attempt_at = db_col_int(st, 1);
        list[n].sending = !strcmp(db_col_text(st, 2), "sending");
        n++;
    }
    db_done(st);
    if (rc < 0) return rc;
    for (int i = 0; i < n && !(stop && atomic_load(stop)); i++) {
        if (list[i].sending)
            log_info("delivery %lld: lease expired, taking it over", (long long)list[i].id);
        if ((rc = deliver_one(db, &list[i], now, out)) < 0) return rc;
    }
    return DB_OK;
}
