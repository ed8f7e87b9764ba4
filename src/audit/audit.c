#include "audit/audit.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "base/crypto.h"
#include "base/timeutil.h"

static void put(crypto_hash_sha256_state *h, const char *s) {
    char len[24];
    if (!s) s = "";
    size_t n = strlen(s);
    int k = snprintf(len, sizeof len, "%zu:", n);
    crypto_hash_sha256_update(h, (const unsigned char *)len, (unsigned long long)k);
    crypto_hash_sha256_update(h, (const unsigned char *)s, n);
}

static void put_int(crypto_hash_sha256_state *h, int64_t v) {
    char s[24];
    snprintf(s, sizeof s, "%lld", (long long)v);
    put(h, s);
}

void audit_hash(const char *prev_hash, int64_t seq, const char *ts, int64_t actor_id,
                const char *actor, const char *role, int64_t unit_id, const char *ip,
                const char *request_id, const char *action, const char *object_type,
                const char *object_id, const char *result, const char *detail, char out[65]) {
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    put(&h, "fazhi-audit-v1");
    put(&h, prev_hash);
    put_int(&h, seq);
    put(&h, ts);
    put_int(&h, actor_id);
    put(&h, actor);
    put(&h, role);
    put_int(&h, unit_id);
    put(&h, ip);
    put(&h, request_id);
    put(&h, action);
    put(&h, object_type);
    put(&h, object_id);
    put(&h, result);
    put(&h, detail);
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&h, d);
    hex_encode(d, sizeof d, out);
}

int audit_append(struct db *db, const struct audit_actor *who, const char *action,
                 const char *object_type, const char *object_id, const char *result,
                 const char *detail) {
    if (!db_in_tx(db)) return DB_ERROR; /* the record must share the change's transaction */
    /* Lock the head row first: concurrent writers (several servers on PostgreSQL) then append
     * one after another, each reading the head the previous one left. */
    int lrc = db_exec(db, "UPDATE audit_head SET seq = seq WHERE id = 1", "");
    if (lrc != DB_OK) return lrc;
    struct db_stmt *st = db_prepare(db, "SELECT seq, hash FROM audit_head WHERE id = 1");
    if (!st) return DB_ERROR;
    int rc = db_step(st);
    int64_t seq = 0;
    char prev[65] = {0};
    if (rc == DB_ROW) {
        seq = db_col_int(st, 0) + 1;
        snprintf(prev, sizeof prev, "%s", db_col_text(st, 1));
    }
    db_done(st);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
    char ts[21], hash[65];
    now_iso(ts);
    const char *actor = who->username ? who->username : "";
    const char *role = who->role ? who->role : "";
    const char *ip = who->ip ? who->ip : "";
    const char *rid = who->request_id ? who->request_id : "";
    if (!detail) detail = "";
    if (!object_id) object_id = "";
    audit_hash(prev, seq, ts, who->user_id, actor, role, who->unit_id, ip, rid, action,
               object_type, object_id, result, detail, hash);
    st = db_prepare(db, "INSERT INTO audit_log (seq, ts, actor_id, actor, role, unit_id, ip, "
                        "request_id, action, object_type, object_id, result, detail, hash_alg, "
                        "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!st) return DB_ERROR;
    const char *text[] = {actor, role};
    db_bind_int(st, 1, seq);
    db_bind_text(st, 2, ts);
    if (who->user_id) db_bind_int(st, 3, who->user_id);
    else db_bind_null(st, 3);
    db_bind_text(st, 4, text[0]);
    db_bind_text(st, 5, text[1]);
    if (who->unit_id) db_bind_int(st, 6, who->unit_id);
    else db_bind_null(st, 6);
    const char *rest[] = {ip, rid, action, object_type, object_id, result, detail,
                          AUDIT_HASH_ALG, prev, hash};
    for (int i = 0; i < 10; i++) db_bind_text(st, 7 + i, rest[i]);
    rc = db_step(st);
    db_done(st);
    if (rc != DB_DONE) return rc < 0 ? rc : DB_ERROR;
    return db_exec(db, "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1 AND seq = ?", "isi",
                   seq, hash, seq - 1);
}

int audit_verify(struct db *db, struct audit_verify_result *out) {
    memset(out, 0, sizeof(*out));
    out->ok = 1;
    struct db_stmt *st = db_prepare(
        db, "SELECT seq, ts, actor_id, actor, role, unit_id, ip, request_id, action, object_type, "
            "object_id, result, detail, hash_alg, prev_hash, hash FROM audit_log ORDER BY seq");
    if (!st) return DB_ERROR;
    char prev[65] = "0000000000000000000000000000000000000000000000000000000000000000";
    int64_t expect = 1;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        int64_t seq = db_col_int(st, 0);
        char hash[65];
        out->records++;
#define T(i) db_col_text(st, i)
        if (seq != expect) {
            snprintf(out->message, sizeof out->message, "record %lld is missing",
                     (long long)expect);
            out->first_bad_seq = expect;
        } else if (!T(13) || strcmp(T(13), AUDIT_HASH_ALG) != 0) {
            snprintf(out->message, sizeof out->message, "unknown hash algorithm");
            out->first_bad_seq = seq;
        } else if (!T(14) || strcmp(T(14), prev) != 0) {
            snprintf(out->message, sizeof out->message, "previous-hash link broken");
            out->first_bad_seq = seq;
        } else {
            audit_hash(prev, seq, T(1), db_col_int(st, 2), T(3), T(4), db_col_int(st, 5), T(6),
                       T(7), T(8), T(9), T(10), T(11), T(12), hash);
            if (!T(15) || strcmp(T(15), hash) != 0) {
                snprintf(out->message, sizeof out->message, "record content does not match its hash");
                out->first_bad_seq = seq;
            }
        }
#undef T
        if (out->first_bad_seq) break;
        memcpy(prev, hash, sizeof prev);
        expect++;
    }
    db_done(st);
    if (rc < 0) return rc;
    if (out->first_bad_seq) {
        out->ok = 0;
        return DB_OK;
    }
    /* The head remembers the last record: a cut from the end shows here. */
    st = db_prepare(db, "SELECT seq, hash FROM audit_head WHERE id = 1");
    if (!st) return DB_ERROR;
    rc = db_step(st);
    if (rc == DB_ROW && (db_col_int(st, 0) != expect - 1 || strcmp(db_col_text(st, 1), prev) != 0)) {
        out->ok = 0;
        out->first_bad_seq = expect;
        snprintf(out->message, sizeof out->message,
                 "log ends at record %lld but the head says %lld", (long long)(expect - 1),
                 (long long)db_col_int(st, 0));
    }
    db_done(st);
    if (out->ok) snprintf(out->message, sizeof out->message, "intact");
    return rc < 0 ? rc : DB_OK;
}
