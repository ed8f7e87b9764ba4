#include "audit/audit.h"

#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/crypto.h"
#include "base/timeutil.h"

/* The canonical encoding: every field as "<decimal length>:<bytes>", in a fixed order, after the
 * tag "fazhi-audit-v1"; integers as their decimal text. The whole encoding is built in memory
 * and hashed at once (OpenSSL's SHA-256 uses the CPU's SHA instructions where there are some);
 * verify hashes millions of records, and per-field hashing with snprintf cost 4 µs a record. */
#define AUDIT_ENC_STACK 2048 /* encodings up to this size need no allocation */

static char *put_len(char *p, size_t n) {
    char digits[24];
    int k = 0;
    do
        digits[k++] = (char)('0' + n % 10);
    while ((n /= 10) > 0);
    while (k > 0)
        *p++ = digits[--k];
    *p++ = ':';
    return p;
}

static char *put(char *p, const char *s, size_t n) {
    p = put_len(p, n);
    memcpy(p, s, n);
    return p + n;
}

static char *put_int(char *p, int64_t v) {
    char s[24];
    int k = 0;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do
        s[sizeof s - 1 - k++] = (char)('0' + u % 10);
    while ((u /= 10) > 0);
    if (v < 0) s[sizeof s - 1 - k++] = '-';
    return put(p, s + sizeof s - k, (size_t)k);
}

/* SHA256() of OpenSSL 3 looks the algorithm up (under a lock) on every call; fetch it once and
 * keep one digest context per thread. */
static EVP_MD *sha256_md;
static pthread_once_t sha256_once_flag = PTHREAD_ONCE_INIT;
static pthread_key_t sha256_key; /* the thread's context, freed when the thread ends */

static void sha256_ctx_free(void *ctx) {
    EVP_MD_CTX_free(ctx);
}

static void sha256_fetch(void) {
    sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL);
    pthread_key_create(&sha256_key, sha256_ctx_free);
}

static void sha256_once(const void *data, size_t n, unsigned char out[32]) {
    pthread_once(&sha256_once_flag, sha256_fetch);
    EVP_MD_CTX *sha256_ctx = pthread_getspecific(sha256_key);
    if (!sha256_ctx) {
        sha256_ctx = EVP_MD_CTX_new();
        pthread_setspecific(sha256_key, sha256_ctx);
    }
    unsigned int len = 0;
    if (!sha256_md || !sha256_ctx || !EVP_DigestInit_ex2(sha256_ctx, sha256_md, NULL) ||
        !EVP_DigestUpdate(sha256_ctx, data, n) || !EVP_DigestFinal_ex(sha256_ctx, out, &len))
        abort(); /* no SHA-256: nothing in the audit chain can be trusted */
}

struct audit_fields {
    const char *text[11]; /* prev_hash ts actor role ip request_id action object_type object_id
                             result detail; NULL = "" */
    int64_t seq, actor_id, unit_id;
};

/* Bytes the encoding of f needs at most (and fills in lengths). */
static size_t encoding_max(struct audit_fields *f, size_t len[11]) {
    size_t need = 16 + 3 * 24;
    for (int i = 0; i < 11; i++) {
        if (!f->text[i]) f->text[i] = "";
        len[i] = strlen(f->text[i]);
        need += len[i] + 24;
    }
    return need;
}

/* The canonical encoding into buf (encoding_max bytes); its length. */
static size_t encode(const struct audit_fields *f, const size_t len[11], char *buf) {
    char *p = buf;
    p = put(p, "fazhi-audit-v1", 14);
    p = put(p, f->text[0], len[0]); /* prev_hash */
    p = put_int(p, f->seq);
    p = put(p, f->text[1], len[1]); /* ts */
    p = put_int(p, f->actor_id);
    p = put(p, f->text[2], len[2]); /* actor */
    p = put(p, f->text[3], len[3]); /* role */
    p = put_int(p, f->unit_id);
    for (int i = 4; i < 11; i++)
        p = put(p, f->text[i], len[i]); /* ip … detail */
    return (size_t)(p - buf);
}

static void hash_hex(const char *buf, size_t n, char out[65]) {
    unsigned char d[32];
    sha256_once(buf, n, d);
    hex_encode(d, sizeof d, out);
}

void audit_hash(const char *prev_hash, int64_t seq, const char *ts, int64_t actor_id,
                const char *actor, const char *role, int64_t unit_id, const char *ip,
                const char *request_id, const char *action, const char *object_type,
                const char *object_id, const char *result, const char *detail, char out[65]) {
    struct audit_fields f = {{prev_hash, ts, actor, role, ip, request_id, action, object_type,
                              object_id, result, detail},
                             seq,
                             actor_id,
                             unit_id};
    size_t len[11], need = encoding_max(&f, len);
    char stack[AUDIT_ENC_STACK];
    char *buf = need <= sizeof stack ? stack : malloc(need);
    if (!buf) abort(); /* allocation failure: fail loudly rather than hash something else */
    hash_hex(buf, encode(&f, len, buf), out);
    if (buf != stack) free(buf);
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
    audit_hash(prev, seq, ts, who->user_id, actor, role, who->unit_id, ip, rid, action, object_type,
               object_id, result, detail, hash);
    st = db_prepare(db, "INSERT INTO audit_log (seq, ts, actor_id, actor, role, unit_id, ip, "
                        "request_id, action, object_type, object_id, result, detail, hash_alg, "
                        "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!st) return DB_ERROR;
    const char *text[] = {actor, role};
    db_bind_int(st, 1, seq);
    db_bind_text(st, 2, ts);
    db_bind_id(st, 3, who->user_id);
    db_bind_text(st, 4, text[0]);
    db_bind_text(st, 5, text[1]);
    db_bind_id(st, 6, who->unit_id);
    const char *rest[] = {ip,     rid,    action,         object_type, object_id,
                          result, detail, AUDIT_HASH_ALG, prev,        hash};
    for (int i = 0; i < 10; i++)
        db_bind_text(st, 7 + i, rest[i]);
    rc = db_step(st);
    db_done(st);
    if (rc != DB_DONE) return rc < 0 ? rc : DB_ERROR;
    return db_exec(db, "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1 AND seq = ?", "isi",
                   seq, hash, seq - 1);
}

/* ---- verify: the reader steps rows and checks order and links, a second thread hashes ----
 *
 * Record n is intact when its stored hash is the hash of its content (which names its stored
 * prev_hash) and that prev_hash is record n-1's stored hash; this is the chain checked record by
 * record, and the two checks need no order between records, so hashing runs beside the reading
 * (both cores: about twice the records per second). The first bad record is the lowest sequence
 * either side finds. */
#define VERIFY_BATCH 2048 /* records handed to the hashing thread at once */
#define VERIFY_RING  4    /* batches in flight */

struct verify_batch {
    int n;
    int64_t seq[VERIFY_BATCH];
    size_t off[VERIFY_BATCH + 1]; /* encoding i is buf[off[i] .. off[i+1]) */
    char hash[VERIFY_BATCH][64];  /* stored hashes */
    char *buf;                    /* encodings (malloc, grows) */
    size_t cap;
};

struct verify_pipe {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct verify_batch b[VERIFY_RING];
    int head, count, closed; /* next to fill; batches full; reader finished */
    int64_t bad_seq;         /* lowest record whose content does not match its hash; 0 = none */
};

static void verify_batch_hash(struct verify_pipe *vp, struct verify_batch *b) {
    for (int i = 0; i < b->n; i++) {
        char h[65];
        hash_hex(b->buf + b->off[i], b->off[i + 1] - b->off[i], h);
        if (memcmp(h, b->hash[i], 64) != 0) {
            pthread_mutex_lock(&vp->mu);
            if (!vp->bad_seq || b->seq[i] < vp->bad_seq) vp->bad_seq = b->seq[i];
            pthread_mutex_unlock(&vp->mu);
            return;
        }
    }
}

static void *verify_worker(void *arg) {
    struct verify_pipe *vp = arg;
    pthread_mutex_lock(&vp->mu);
    for (;;) {
        while (!vp->count && !vp->closed)
            pthread_cond_wait(&vp->cv, &vp->mu);
        if (!vp->count) break;
        struct verify_batch *b = &vp->b[(vp->head - vp->count + VERIFY_RING) % VERIFY_RING];
        pthread_mutex_unlock(&vp->mu);
        verify_batch_hash(vp, b);
        pthread_mutex_lock(&vp->mu);
        vp->count--;
        pthread_cond_broadcast(&vp->cv);
    }
    pthread_mutex_unlock(&vp->mu);
    return NULL; /* the thread's digest context is freed by the key's destructor */
}

/* Hand the batch being filled to the hashing thread (or hash it here without one); returns the
 * next empty batch. */
static struct verify_batch *verify_submit(struct verify_pipe *vp, int threaded) {
    struct verify_batch *b = &vp->b[vp->head];
    if (!threaded) {
        verify_batch_hash(vp, b);
        b->n = 0;
        return b;
    }
    pthread_mutex_lock(&vp->mu);
    vp->head = (vp->head + 1) % VERIFY_RING;
    vp->count++;
    pthread_cond_broadcast(&vp->cv);
    while (vp->count == VERIFY_RING)
        pthread_cond_wait(&vp->cv, &vp->mu);
    pthread_mutex_unlock(&vp->mu);
    b = &vp->b[vp->head];
    b->n = 0;
    return b;
}

int audit_verify(struct db *db, struct audit_verify_result *out) {
    memset(out, 0, sizeof(*out));
    out->ok = 1;
    /* The head first: records appended while the log is read come after it (seq > head), so a
     * concurrent writer never makes a whole log look cut, and a cut from the end still shows. */
    struct audit_head head;
    int hrc = audit_head_read(db, &head);
    if (hrc < 0) return hrc;
    struct db_stmt *st = db_prepare(
        db, "SELECT seq, ts, actor_id, actor, role, unit_id, ip, request_id, action, object_type, "
            "object_id, result, detail, hash_alg, prev_hash, hash FROM audit_log ORDER BY seq");
    if (!st) return DB_ERROR;
    struct verify_pipe *vp = calloc(1, sizeof(*vp));
    if (!vp) abort();
    pthread_mutex_init(&vp->mu, NULL);
    pthread_cond_init(&vp->cv, NULL);
    pthread_t worker;
    int threaded = pthread_create(&worker, NULL, verify_worker, vp) == 0;
    struct verify_batch *b = &vp->b[0];
    char prev[65] = "0000000000000000000000000000000000000000000000000000000000000000";
    char head_hash[65]; /* the hash of record head.seq, as read (zeros for an empty log) */
    memcpy(head_hash, prev, sizeof head_hash);
    int64_t expect = 1;
    int rc, stop = 0;
    while (!stop && (rc = db_step(st)) == DB_ROW) {
        int64_t seq = db_col_int(st, 0);
        out->records++;
#define T(i) db_col_text(st, i)
        const char *stored = T(15);
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
        } else if (!stored || strlen(stored) != 64) {
            snprintf(out->message, sizeof out->message, "record content does not match its hash");
            out->first_bad_seq = seq;
        } else {
            struct audit_fields f = {
                {T(14), T(1), T(3), T(4), T(6), T(7), T(8), T(9), T(10), T(11), T(12)},
                seq,
                db_col_int(st, 2),
                db_col_int(st, 5)};
            size_t len[11], need = encoding_max(&f, len);
            size_t at = b->n ? b->off[b->n] : 0;
            if (at + need > b->cap) {
                b->cap = (at + need) * 2 + 65536;
                b->buf = realloc(b->buf, b->cap);
                if (!b->buf) abort();
            }
            b->off[b->n] = at;
            b->off[b->n + 1] = at + encode(&f, len, b->buf + at);
            b->seq[b->n] = seq;
            memcpy(b->hash[b->n], stored, 64);
            memcpy(prev, stored, 64);
            if (seq == head.seq) memcpy(head_hash, stored, 64);
            if (++b->n == VERIFY_BATCH) {
                b = verify_submit(vp, threaded);
                pthread_mutex_lock(&vp->mu);
                stop =
                    vp->bad_seq != 0; /* the hashing side found a bad record: no need to read on */
                pthread_mutex_unlock(&vp->mu);
            }
        }
#undef T
        if (out->first_bad_seq) break;
        expect++;
    }
    db_done(st);
    if (b->n) verify_submit(vp, threaded);
    if (threaded) {
        pthread_mutex_lock(&vp->mu);
        vp->closed = 1;
        pthread_cond_broadcast(&vp->cv);
        pthread_mutex_unlock(&vp->mu);
        pthread_join(worker, NULL);
    }
    int64_t bad_hash = vp->bad_seq;
    for (int i = 0; i < VERIFY_RING; i++)
        free(vp->b[i].buf);
    pthread_mutex_destroy(&vp->mu);
    pthread_cond_destroy(&vp->cv);
    free(vp);
    if (rc < 0 && !stop) return rc;
    if (bad_hash && (!out->first_bad_seq || bad_hash <= out->first_bad_seq)) {
        out->first_bad_seq = bad_hash;
        out->records = bad_hash;
        snprintf(out->message, sizeof out->message, "record content does not match its hash");
    }
    if (out->first_bad_seq) {
        out->ok = 0;
        return DB_OK;
    }
    /* The head remembers the last record at the time it was read: a cut from the end shows. */
    if (hrc == DB_DONE) {
        /* Without its head a log cut from the end looks whole: never call that intact. */
        out->ok = 0;
        out->first_bad_seq = expect;
        snprintf(out->message, sizeof out->message,
                 "the audit head row is missing: records cut from the end could not be noticed");
    } else if (expect - 1 < head.seq || strcmp(head_hash, head.hash) != 0) {
        out->ok = 0;
        out->first_bad_seq = expect - 1 < head.seq ? expect : head.seq;
        snprintf(out->message, sizeof out->message,
                 "log ends at record %lld but the head says %lld", (long long)(expect - 1),
                 (long long)head.seq);
    }
    if (out->ok) snprintf(out->message, sizeof out->message, "intact");
    return DB_OK;
}

int audit_head_read(struct db *db, struct audit_head *out) {
    memset(out, 0, sizeof *out);
    struct db_stmt *st = db_prepare(db, "SELECT seq, hash FROM audit_head WHERE id = 1");
    if (!st) return DB_ERROR;
    int rc = db_step(st);
    if (rc == DB_ROW) {
        out->seq = db_col_int(st, 0);
        snprintf(out->hash, sizeof out->hash, "%s", db_col_text(st, 1));
    }
    db_done(st);
    return rc;
}
