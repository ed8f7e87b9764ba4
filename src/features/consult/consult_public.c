/* consult_public.c — 公开征求意见, the side without an account: the open consultations, one
 * consultation as the public reads it (with the outcome once published, comments masked), the
 * challenge that stands before a comment, and storing a comment (contact sealed). The HTTP side
 * (limits, rate limit, answers) is consult_http.c. See consult.h. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/calendar.h"
#include "base/crypto.h"
#include "base/pii.h"
#include "base/timeutil.h"
#include "features/consult/consult.h"
#include "store/settings.h"

/* ---- the challenge: "<id>.<issued>.<nonce hex 32>.<mac hex 64>" ---- */

#define NONCE_BYTES 16

/* The challenge key: BLAKE2b of the data key 1 under a fixed context, so no new key file. */
static int challenge_key(unsigned char key[crypto_auth_KEYBYTES]) {
    const unsigned char *k1 = pii_key();
    if (!k1) return -1;
    static const char ctx[] = "fazhi consult challenge v1";
    crypto_generichash(key, crypto_auth_KEYBYTES, (const unsigned char *)ctx, sizeof ctx - 1, k1,
                       CRYPTO_KEY_BYTES);
    return 0;
}

/* The question's two numbers and its operation, from the keyed hash of the nonce: a stranger
 * cannot work them out from the token, only read them from the question. */
static int question_of(const char *nonce, int *x, int *y, int *minus) {
    unsigned char key[crypto_auth_KEYBYTES], h[16];
    if (challenge_key(key)) return -1;
    crypto_generichash(h, sizeof h, (const unsigned char *)nonce, strlen(nonce), key, sizeof key);
    sodium_memzero(key, sizeof key);
    *x = 2 + h[0] % 19;
    *y = 1 + h[1] % 9;
    *minus = h[2] & 1;
    return 0;
}

/* 1–99 in Chinese numerals: 七, 十二, 二十, 二十三. */
static const char *chinese_number(struct arena *a, int n) {
    static const char *const d[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
    if (n < 10) return d[n];
    if (n < 20) return arena_printf(a, "十%s", n % 10 ? d[n % 10] : "");
    return arena_printf(a, "%s十%s", d[n / 10], n % 10 ? d[n % 10] : "");
}

static void mac_hex(const char *msg, char out[2 * crypto_auth_BYTES + 1]) {
    unsigned char key[crypto_auth_KEYBYTES], mac[crypto_auth_BYTES];
    challenge_key(key);
    crypto_auth(mac, (const unsigned char *)msg, strlen(msg), key);
    sodium_memzero(key, sizeof key);
    hex_encode(mac, sizeof mac, out);
}

int consult_challenge_new(struct db *db, struct arena *a, int64_t id,
                          struct consult_challenge *out) {
    unsigned char key[crypto_auth_KEYBYTES];
    if (challenge_key(key)) return DB_ERROR;
    sodium_memzero(key, sizeof key);
    unsigned char raw[NONCE_BYTES];
    randombytes_buf(raw, sizeof raw);
    char nonce[2 * NONCE_BYTES + 1], mac[2 * crypto_auth_BYTES + 1], msg[96];
    hex_encode(raw, sizeof raw, nonce);
    snprintf(msg, sizeof msg, "%lld.%lld.%s", (long long)id, (long long)now_unix(), nonce);
    mac_hex(msg, mac);
    snprintf(out->token, sizeof out->token, "%s.%s", msg, mac);
    int x, y, minus;
    question_of(nonce, &x, &y, &minus);
    if (minus && y > x) {
        int t = x;
        x = y;
        y = t;
    }
    out->question_zh =
        arena_printf(a, "请计算：%s%s%s等于多少？（请填写阿拉伯数字）", chinese_number(a, x),
                     minus ? "减" : "加", chinese_number(a, y));
    out->question_en =
        arena_printf(a, "What is %d %s %d? (answer in digits)", x, minus ? "minus" : "plus", y);
    out->expires_in = setting_int(db, "consult.challenge_minutes") * 60;
    return DB_OK;
}

/* The answer as typed: ASCII or full-width digits, spaces around. -1 when it is not a number. */
static int answer_value(const char *s) {
    int v = 0, digits = 0;
    while (*s == ' ')
        s++;
    while (*s) {
        if (*s >= '0' && *s <= '9') {
            v = v * 10 + (*s - '0');
            s++;
        } else if ((unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBC &&
                   (unsigned char)s[2] >= 0x90 && (unsigned char)s[2] <= 0x99) {
            v = v * 10 + ((unsigned char)s[2] - 0x90); /* ０–９ */
            s += 3;
        } else {
            break;
        }
        if (++digits > 4) return -1;
    }
    while (*s == ' ')
        s++;
    return digits && !*s ? v : -1;
}

#define REFUSE(z, e) (*zh = (z), *en = (e), 0)

int consult_challenge_check(struct db *db, int64_t id, const char *token, const char *answer,
                            const char **zh, const char **en) {
    long long cid = 0, issued = 0;
    char nonce[2 * NONCE_BYTES + 1] = "", mac[2 * crypto_auth_BYTES + 1] = "";
    char tail;
    if (!token || strlen(token) > 150 ||
        sscanf(token, "%lld.%lld.%32[0-9a-f].%64[0-9a-f]%c", &cid, &issued, nonce, mac, &tail) !=
            4 ||
        strlen(nonce) != 2 * NONCE_BYTES || strlen(mac) != 2 * crypto_auth_BYTES)
        return REFUSE("验证问题无效，请刷新页面获取新的问题", "The check is not valid: reload");
    char msg[96], want[2 * crypto_auth_BYTES + 1];
    snprintf(msg, sizeof msg, "%lld.%lld.%s", cid, issued, nonce);
    mac_hex(msg, want);
    if (sodium_memcmp(want, mac, sizeof want - 1) != 0)
        return REFUSE("验证问题无效，请刷新页面获取新的问题", "The check is not valid: reload");
    if (cid != id)
        return REFUSE("验证问题不属于该征求意见，请刷新页面",
                      "The check belongs to another consultation: reload");
    int64_t now = now_unix();
    if (now - issued > setting_int(db, "consult.challenge_minutes") * 60)
        return REFUSE("验证问题已过期，请回答新的问题后重新提交",
                      "The check has expired: answer the new question");
    /* Genuine: spent now, whatever follows (a wrong answer cannot be tried again). */
    int64_t seen = 0;
    int rc = db_query_int(db, &seen, "SELECT COUNT(*) FROM consult_challenge_uses WHERE nonce = ?",
                          "s", nonce);
    if (rc != DB_ROW) return DB_ERROR;
    if (seen)
        return REFUSE("该验证问题已使用过，请回答新的问题后重新提交",
                      "This check was used before: answer the new question");
    rc = db_exec(db, "INSERT INTO consult_challenge_uses (nonce, used_at) VALUES (?, ?)", "si",
                 nonce, now);
    if (rc != DB_OK) return rc;
    /* spent ones older than any valid token count nothing: a few go each time */
    rc = db_exec(db,
                 "DELETE FROM consult_challenge_uses WHERE nonce IN (SELECT nonce FROM "
                 "consult_challenge_uses WHERE used_at < ? LIMIT 20)",
                 "i", now - setting_int(db, "consult.challenge_minutes") * 60 - 60);
    if (rc != DB_OK) return rc;
    if (now - issued < setting_int(db, "consult.min_fill_seconds"))
        return REFUSE("提交过快，请阅读草案并填写意见后再提交",
                      "Sent too fast: read the draft and write your comment first");
    int x, y, minus;
    if (question_of(nonce, &x, &y, &minus)) return DB_ERROR;
    int right = minus ? abs(x - y) : x + y;
    if (answer_value(answer ? answer : "") != right)
        return REFUSE("验证问题回答错误，请回答新的问题后重新提交",
                      "Wrong answer: answer the new question");
    return 1;
}

/* ---- reading ---- */

int consult_accepting(struct db *db, int64_t id, int32_t today, int *exists, char ends_on[11]) {
    *exists = 0;
    ends_on[0] = 0;
    struct db_stmt *st =
        db_queryv(db, "SELECT status, ends_on FROM consultations WHERE id = ?", "i", id);
    if (!st) return DB_ERROR;
    int rc = db_step(st), ok = 0;
    if (rc == DB_ROW && strcmp(db_col_text(st, 0), "draft")) {
        *exists = 1;
        snprintf(ends_on, 11, "%s", db_col_text(st, 1));
        int32_t end = 0;
        date_parse(ends_on, &end);
        ok = !strcmp(db_col_text(st, 0), "open") && end >= today;
    }
    db_done(st);
    return rc < 0 ? rc : ok;
}

#define PUBLIC_COLUMNS                                                                             \
    "e.id, e.consult_no, e.title, u.name AS unit_name, e.starts_on, e.ends_on, e.status, "         \
    "e.short_reason, e.published_at"

static void add_days_left(json_t *o, int32_t today) {
    int32_t end = 0;
    const char *e = json_string_value(json_object_get(o, "ends_on"));
    const char *status = json_string_value(json_object_get(o, "status"));
    int open = status && !strcmp(status, "open") && e && date_parse(e, &end) == 0 && end >= today;
    json_object_set_new(o, "accepting", json_boolean(open));
    /* the last day counts: on it, 1 day is left */
    json_object_set_new(o, "days_left", open ? json_integer(end - today + 1) : json_integer(0));
}

json_t *consult_public_list(struct db *db, struct arena *a, const char *state, int64_t offset,
                            int64_t limit, int lang, int *rc) {
    (void)lang;
    int32_t today = date_today();
    int64_t total = 0;
    *rc =
        db_query_int(db, &total, "SELECT COUNT(*) FROM consultations WHERE status = ?", "s", state);
    if (*rc != DB_ROW) return NULL;
    struct db_stmt *st = db_queryv(
        db,
        arena_printf(a,
                     "SELECT " PUBLIC_COLUMNS " FROM consultations e LEFT JOIN units u ON "
                     "u.id = e.unit_id WHERE e.status = ? ORDER BY %s LIMIT ? OFFSET ?",
                     !strcmp(state, "open") ? "e.ends_on, e.id" : "e.ends_on DESC, e.id DESC"),
        "sii", state, limit, offset);
    if (!st) {
        *rc = DB_ERROR;
        return NULL;
    }
    json_t *items = json_array();
    *rc = db_rows_json(st, items);
    db_done(st);
    if (*rc != DB_OK) {
        json_decref(items);
        return NULL;
    }
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it) add_days_left(it, today);
    *rc = DB_OK;
    return json_pack("{s:o,s:I}", "items", items, "total", (json_int_t)total);
}

static const char *adoption_label(const char *code, int lang) {
    static const char *const t[][3] = {{"pending", "待处理", "Pending"},
                                       {"adopted", "采纳", "Adopted"},
                                       {"partly", "部分采纳", "Partly adopted"},
                                       {"rejected", "不予采纳", "Not adopted"}};
    for (int i = 0; i < 4; i++)
        if (!strcmp(t[i][0], code)) return t[i][lang ? 2 : 1];
    return code;
}

#define PUBLIC_COMMENTS_MAX 500

/* The published outcome: the summary, the tally and the comments masked (oldest first). */
static int add_outcome(struct db *db, struct arena *a, json_t *o, int64_t id, const char *summary,
                       int lang) {
    json_t *tally = consult_tally_json(db, id);
    if (!tally) return DB_ERROR;
    struct db_stmt *st = db_queryv(
        db,
        "SELECT m.id, m.submitted_at, m.body, COALESCE(t.name, ''), m.adoption, "
        "m.adoption_reason, m.answer FROM consultation_comments m LEFT JOIN consultation_topics "
        "t ON t.id = m.topic_id WHERE m.consultation_id = ? ORDER BY m.id LIMIT ?",
        "ii", id, (int64_t)PUBLIC_COMMENTS_MAX);
    if (!st) {
        json_decref(tally);
        return DB_ERROR;
    }
    json_t *comments = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        const char *adoption = db_col_text(st, 4);
        json_array_append_new(
            comments,
            json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "id", (json_int_t)db_col_int(st, 0),
                      "submitted_at", db_col_text(st, 1), "body",
                      pii_mask_text(a, db_col_text(st, 2)), "topic", db_col_text(st, 3), "adoption",
                      adoption, "adoption_label", adoption_label(adoption, lang), "adoption_reason",
                      pii_mask_text(a, db_col_text(st, 5)), "answer",
                      pii_mask_text(a, db_col_text(st, 6))));
    }
    db_done(st);
    if (rc != DB_DONE) {
        json_decref(tally);
        json_decref(comments);
        return rc < 0 ? rc : DB_ERROR;
    }
    json_object_set_new(
        o, "outcome",
        json_pack("{s:s,s:o,s:o}", "summary", summary, "tally", tally, "comments", comments));
    return DB_OK;
}

json_t *consult_public_get(struct db *db, struct arena *a, int64_t id, int lang, int *rc) {
    struct db_stmt *st = db_queryv(db,
                                   "SELECT " PUBLIC_COLUMNS ", e.body, e.explanation, e.mail_to, "
                                   "e.post_address, e.channel_note, e.result_summary, "
                                   "e.decision_id, e.normdoc_id FROM consultations e LEFT JOIN "
                                   "units u ON u.id = e.unit_id WHERE e.id = ? AND "
                                   "e.status <> 'draft'",
                                   "i", id);
    if (!st) {
        *rc = DB_ERROR;
        return NULL;
    }
    *rc = db_step(st);
    json_t *o = *rc == DB_ROW ? db_row_json(st) : NULL;
    db_done(st);
    if (!o) return NULL;
    *rc = DB_OK;
    add_days_left(o, date_today());
    json_t *channels =
        json_pack("{s:b,s:O,s:O,s:O}", "online", json_is_true(json_object_get(o, "accepting")),
                  "mail", json_object_get(o, "mail_to"), "address",
                  json_object_get(o, "post_address"), "note", json_object_get(o, "channel_note"));
    json_object_set_new(o, "channels", channels);
    const char *summary =
        arena_strdup(a, json_string_value(json_object_get(o, "result_summary")) ?: "");
    const char *status = arena_strdup(a, json_string_value(json_object_get(o, "status")) ?: "");
    for (const char *k = "mail_to\0post_address\0channel_note\0result_summary\0"; *k;
         k += strlen(k) + 1)
        json_object_del(o, k);
    json_object_set_new(o, "comment_max",
                        json_integer(setting_int(db, "consult.comment_max_chars")));
    json_object_set_new(o, "contact_max", json_integer(100));
    json_object_set_new(o, "challenge", json_null());
    json_object_set_new(o, "outcome", json_null());
    if (json_is_true(json_object_get(o, "accepting"))) {
        struct consult_challenge ch;
        if ((*rc = consult_challenge_new(db, a, id, &ch)) != DB_OK) {
            json_decref(o);
            return NULL;
        }
        json_object_set_new(o, "challenge",
                            json_pack("{s:s,s:s,s:I,s:I}", "token", ch.token, "question",
                                      lang ? ch.question_en : ch.question_zh, "expires_in",
                                      (json_int_t)ch.expires_in, "min_fill_seconds",
                                      (json_int_t)setting_int(db, "consult.min_fill_seconds")));
    }
    if (!strcmp(status, "published")) {
        *rc = add_outcome(db, a, o, id, summary, lang);
        if (*rc != DB_OK) {
            json_decref(o);
            return NULL;
        }
    }
    return o;
}

/* ---- writing ---- */

int consult_comment_add(struct db *db, struct arena *a, const struct audit_actor *actor, int64_t id,
                        const char *body, const char *contact, int64_t *comment_id) {
    char now[21];
    now_iso(now);
    struct db_stmt *st =
        db_prepare(db, "INSERT INTO consultation_comments (consultation_id, body, contact, "
                       "adoption, adoption_reason, answer, submitted_at, updated_at, version) "
                       "VALUES (?, ?, '', 'pending', '', '', ?, ?, 1) RETURNING id");
    if (!st) return DB_ERROR;
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, body);
    db_bind_text(st, 3, now);
    db_bind_text(st, 4, now);
    int rc = db_step(st);
    if (rc == DB_ROW) *comment_id = db_col_int(st, 0);
    db_done(st);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
    if (contact && *contact) {
        char *sealed =
            pii_seal(a, pii_ad(a, "consultation_comments", *comment_id, "contact"), contact);
        if (!sealed) return DB_ERROR;
        rc = db_exec(db, "UPDATE consultation_comments SET contact = ? WHERE id = ?", "si", sealed,
                     *comment_id);
        if (rc != DB_OK) return rc;
    }
    return audit_append(db, actor, "consultation_comment.submit", "consultation_comment",
                        arena_printf(a, "%lld", (long long)*comment_id), "ok",
                        arena_printf(a, "{\"consultation_id\":%lld}", (long long)id));
}
