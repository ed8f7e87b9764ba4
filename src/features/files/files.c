/* files.c — attachment storage, type allow-list, claiming, the owner registry and purging. */
#include "features/files/files.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/log.h"
#include "base/timeutil.h"

/* ---- type allow-list (extension and content together) ---- */

enum sniff {
    SNIFF_PDF,
    SNIFF_OLE2,
    SNIFF_ZIP,
    SNIFF_OFD,
    SNIFF_DOCX,
    SNIFF_XLSX,
    SNIFF_JPG,
    SNIFF_PNG
};

static const struct {
    struct file_type type;
    enum sniff needs; /* what the content must be */
} allowed[] = {
    {{"pdf", "application/pdf"}, SNIFF_PDF},
    {{"ofd", "application/ofd"}, SNIFF_OFD},
    {{"doc", "application/msword"}, SNIFF_OLE2},
    {{"xls", "application/vnd.ms-excel"}, SNIFF_OLE2},
    {{"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
     SNIFF_DOCX},
    {{"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}, SNIFF_XLSX},
    {{"jpg", "image/jpeg"}, SNIFF_JPG},
    {{"jpeg", "image/jpeg"}, SNIFF_JPG},
    {{"png", "image/png"}, SNIFF_PNG},
    {{"zip", "application/zip"}, SNIFF_ZIP},
};

#define ZIP_EOCD_SEARCH (65535 + 22) /* end record plus the longest comment */
#define ZIP_ENTRIES_MAX 10000        /* central directory entries looked at */

struct zip_names {
    int ofd_xml, content_types, word, xl; /* what the directory holds */
};

static uint32_t le32(const unsigned char *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint16_t le16(const unsigned char *p) {
    return (uint16_t)(p[0] | p[1] << 8);
}

/* Read the zip central directory of f and note the names that tell OFD and OOXML apart.
 * 0 when a well-formed directory was found. */
static int zip_scan(FILE *f, struct zip_names *z) {
    memset(z, 0, sizeof(*z));
    if (fseeko(f, 0, SEEK_END) != 0) return -1;
    off_t size = ftello(f);
    if (size < 22) return -1;
    size_t tail = size < ZIP_EOCD_SEARCH ? (size_t)size : ZIP_EOCD_SEARCH;
    unsigned char *buf = malloc(tail);
    if (!buf) return -1;
    int rc = -1;
    if (fseeko(f, size - (off_t)tail, SEEK_SET) != 0 || fread(buf, 1, tail, f) != tail) goto out;
    long eocd = -1;
    for (long i = (long)tail - 22; i >= 0; i--)
        if (buf[i] == 'P' && buf[i + 1] == 'K' && buf[i + 2] == 5 && buf[i + 3] == 6) {
            eocd = i;
            break;
        }
    if (eocd < 0) goto out;
    uint16_t entries = le16(buf + eocd + 10);
    uint32_t cd_size = le32(buf + eocd + 12), cd_off = le32(buf + eocd + 16);
    if ((off_t)cd_off + (off_t)cd_size > size) goto out;
    if (fseeko(f, (off_t)cd_off, SEEK_SET) != 0) goto out;
    for (int i = 0; i < entries && i < ZIP_ENTRIES_MAX; i++) {
        unsigned char h[46];
        char name[256];
        if (fread(h, 1, 46, f) != 46 || le32(h) != 0x02014b50) goto out;
        uint16_t nlen = le16(h + 28), xlen = le16(h + 30), clen = le16(h + 32);
        size_t keep = nlen < sizeof name - 1 ? nlen : sizeof name - 1;
        if (fread(name, 1, keep, f) != keep) goto out;
        name[keep] = 0;
        if (fseeko(f, (off_t)(nlen - keep) + xlen + clen, SEEK_CUR) != 0) goto out;
        const char *base = strrchr(name, '/');
        base = base ? base + 1 : name;
        if (!strcmp(base, "OFD.xml")) z->ofd_xml = 1;
        if (!strcmp(name, "[Content_Types].xml")) z->content_types = 1;
        if (!strncmp(name, "word/", 5)) z->word = 1;
        if (!strncmp(name, "xl/", 3)) z->xl = 1;
    }
    rc = 0;
out:
    free(buf);
    return rc;
}

static int content_is(enum sniff s, const unsigned char *h, size_t n, FILE *f) {
    static const unsigned char ole2[] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    static const unsigned char png[] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    int zip = n >= 4 && h[0] == 'P' && h[1] == 'K' &&
              ((h[2] == 3 && h[3] == 4) || (h[2] == 5 && h[3] == 6));
    struct zip_names z;
    switch (s) {
    case SNIFF_PDF:
        return n >= 5 && !memcmp(h, "%PDF-", 5);
    case SNIFF_OLE2:
        return n >= 8 && !memcmp(h, ole2, 8);
    case SNIFF_JPG:
        return n >= 3 && h[0] == 0xFF && h[1] == 0xD8 && h[2] == 0xFF;
    case SNIFF_PNG:
        return n >= 8 && !memcmp(h, png, 8);
    case SNIFF_ZIP:
        return zip && f && zip_scan(f, &z) == 0;
    case SNIFF_OFD:
        return zip && f && zip_scan(f, &z) == 0 && z.ofd_xml;
    case SNIFF_DOCX:
        return zip && f && zip_scan(f, &z) == 0 && z.content_types && z.word;
    case SNIFF_XLSX:
        return zip && f && zip_scan(f, &z) == 0 && z.content_types && z.xl;
    }
    return 0;
}

const struct file_type *files_sniff(const char *name, const unsigned char *head, size_t head_len,
                                    FILE *f) {
    const char *dot = name ? strrchr(name, '.') : NULL;
    if (!dot || !dot[1]) return NULL;
    for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
        if (!strcasecmp(dot + 1, allowed[i].type.ext))
            return content_is(allowed[i].needs, head, head_len, f) ? &allowed[i].type : NULL;
    return NULL;
}

/* ---- storage ---- */

/* Write the content of sha256 (size bytes of f, from its start) as chunks 0, 1, … */
static int store_chunks(struct db *db, FILE *f, int64_t size, const char *sha256) {
    if (fseeko(f, 0, SEEK_SET) != 0) {
        log_error("files: cannot rewind the upload: %m");
        return DB_ERROR;
    }
    unsigned char *chunk = malloc(FILES_CHUNK);
    if (!chunk) return DB_ERROR;
    int rc = DB_OK;
    for (int64_t seq = 0, off = 0; off < size && rc == DB_OK; seq++, off += FILES_CHUNK) {
        size_t want = size - off < FILES_CHUNK ? (size_t)(size - off) : FILES_CHUNK;
        if (fread(chunk, 1, want, f) != want) {
            log_error("files: the upload is shorter than its size (%lld of %lld bytes)",
                      (long long)off, (long long)size);
            rc = DB_ERROR;
            break;
        }
        struct db_stmt *st =
            db_prepare(db, "INSERT INTO file_chunks (sha256, seq, data) VALUES (?, ?, ?)");
        if (!st) {
            rc = DB_ERROR;
            break;
        }
        db_bind_text(st, 1, sha256);
        db_bind_int(st, 2, seq);
        db_bind_blob(st, 3, chunk, want);
        int step = db_step(st);
        db_done(st);
        if (step < 0) rc = step;
    }
    free(chunk);
    return rc;
}

int files_store(struct db *db, FILE *f, int64_t size, const char *sha256, const char *name,
                const char *mime, int64_t user_id, int64_t *id) {
    char now[21];
    now_iso(now);
    /* Stored once: only the INSERT that made the row writes the chunks (on PostgreSQL a
     * concurrent upload of the same bytes waits here for the first one's commit). */
    int rc = db_exec(db,
                     "INSERT INTO file_blobs (sha256, size, created_at) VALUES (?, ?, ?) "
                     "ON CONFLICT (sha256) DO NOTHING",
                     "sis", sha256, size, now);
    if (rc != DB_OK) return rc;
    if (db_changes(db) == 1 && (rc = store_chunks(db, f, size, sha256)) != DB_OK) return rc;
    return db_query_int(db, id,
                        "INSERT INTO attachments (sha256, name, size, mime, owner_type, owner_id, "
                        "uploaded_by, created_at) VALUES (?, ?, ?, ?, NULL, NULL, ?, ?) "
                        "RETURNING id",
                        "ssisis", sha256, name, size, mime, user_id, now) == DB_ROW
               ? DB_OK
               : DB_ERROR;
}

int64_t files_read(struct db *db, const char *sha256, int64_t size, int64_t offset, void *buf,
                   size_t n) {
    if (offset < 0) return DB_ERROR;
    if (offset >= size || n == 0) return 0;
    int64_t seq = offset / FILES_CHUNK, within = offset % FILES_CHUNK;
    int64_t expect =
        size - seq * FILES_CHUNK < FILES_CHUNK ? size - seq * FILES_CHUNK : FILES_CHUNK;
    struct db_stmt *st = db_queryv(db, "SELECT data FROM file_chunks WHERE sha256 = ? AND seq = ?",
                                   "si", sha256, seq);
    if (!st) return DB_ERROR;
    int64_t rc = db_step(st);
    if (rc == DB_ROW) {
        size_t len = 0;
        const unsigned char *p = db_col_blob(st, 0, &len);
        if (!p || (int64_t)len != expect) {
            rc = DB_ERROR; /* another size now: never bytes of something else */
        } else {
            size_t take = (size_t)(expect - within) < n ? (size_t)(expect - within) : n;
            memcpy(buf, p + within, take);
            rc = (int64_t)take;
        }
    } else if (rc == DB_DONE) {
        rc = DB_ERROR; /* purged meanwhile */
    }
    db_done(st);
    if (rc == DB_ERROR)
        log_error("files: content %.12s… has no chunk %lld of the expected size", sha256,
                  (long long)seq);
    return rc;
}

int files_claim(struct db *db, int64_t user_id, const int64_t *ids, int n, const char *owner_type,
                int64_t owner_id) {
    if (n < 0 || n > FILES_CLAIM_MAX || !owner_type) return FILES_ERR_UNCLAIMABLE;
    for (int i = 0; i < n; i++) {
        int rc = db_exec(db,
                         "UPDATE attachments SET owner_type = ?, owner_id = ? WHERE id = ? AND "
                         "uploaded_by = ? AND owner_type IS NULL",
                         "siii", owner_type, owner_id, ids[i], user_id);
        if (rc != DB_OK) return rc;
        if (db_changes(db) != 1) return FILES_ERR_UNCLAIMABLE;
    }
    return DB_OK;
}

json_t *files_list_json(struct db *db, const char *owner_type, int64_t owner_id) {
    struct db_stmt *st = db_queryv(db,
                                   "SELECT id, name, size, mime FROM attachments WHERE owner_type "
                                   "= ? AND owner_id = ? ORDER BY id",
                                   "si", owner_type, owner_id);
    if (!st) return NULL;
    json_t *items = json_array();
    int rc = db_rows_json(st, items);
    db_done(st);
    if (rc != DB_OK) {
        json_decref(items);
        return NULL;
    }
    return items;
}

/* ---- owners ---- */

#define FILES_OWNERS_MAX 32

static struct {
    const char *owner_type;
    files_can_read_fn can_read;         /* or: */
    files_can_read_ctx_fn can_read_ctx; /* … with its ctx */
    const void *ctx;
} owners[FILES_OWNERS_MAX];
static int owner_count;

/* The owner type's row (made when new), or -1 when the table is full. The last registration of
 * a type wins. */
static int owner_slot(const char *owner_type) {
    for (int i = 0; i < owner_count; i++)
        if (!strcmp(owners[i].owner_type, owner_type)) return i;
    if (owner_count == FILES_OWNERS_MAX) {
        log_error("files: too many owner types, %s not registered", owner_type);
        return -1;
    }
    owners[owner_count].owner_type = owner_type;
    return owner_count++;
}

void files_register_owner(const char *owner_type, files_can_read_fn can_read) {
    int i = owner_slot(owner_type);
    if (i < 0) return;
    owners[i].can_read = can_read;
    owners[i].can_read_ctx = NULL;
    owners[i].ctx = NULL;
}

void files_register_owner_ctx(const char *owner_type, files_can_read_ctx_fn can_read,
                              const void *ctx) {
    int i = owner_slot(owner_type);
    if (i < 0) return;
    owners[i].can_read = NULL;
    owners[i].can_read_ctx = can_read;
    owners[i].ctx = ctx;
}

int files_can_read(struct db *db, struct arena *a, const struct principal *who,
                   const char *owner_type, int64_t owner_id, int64_t uploaded_by) {
    if (!owner_type) return uploaded_by == who->user_id;
    for (int i = 0; i < owner_count; i++) {
        if (strcmp(owners[i].owner_type, owner_type)) continue;
        if (owners[i].can_read_ctx)
            return owners[i].can_read_ctx(db, a, who, owner_id, owners[i].ctx) == 1;
        return owners[i].can_read && owners[i].can_read(db, who, owner_id) == 1;
    }
    return 0;
}

/* ---- purge ---- */

int files_purge_unclaimed(struct db *db, int64_t older_than_seconds) {
    char cutoff[21];
    iso_utc(now_unix() - older_than_seconds, cutoff);
    int own = !db_in_tx(db);
    if (own && db_begin(db) != DB_OK) return DB_ERROR;
    int rc = db_exec(db, "DELETE FROM attachments WHERE owner_type IS NULL AND created_at < ?", "s",
                     cutoff);
    int64_t removed = rc == DB_OK ? db_changes(db) : 0;
    if (rc == DB_OK)
        rc = db_exec(db,
                     "DELETE FROM file_blobs WHERE NOT EXISTS (SELECT 1 FROM attachments a "
                     "WHERE a.sha256 = file_blobs.sha256)",
                     "");
    if (own) {
        if (rc == DB_OK)
            rc = db_commit(db);
        else
            db_rollback(db);
    }
    return rc == DB_OK ? (int)removed : rc;
}
