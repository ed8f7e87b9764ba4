/* files_http.c — upload (streamed by server.c into req->upload) and download of attachments. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "features/files/files.h"
#include "features/files/files_http.h"
#include "http/http.h"

static void file_field_error(struct req *r, const char *zh, const char *en) {
    json_t *f = json_object();
    json_object_set_new(f, "file", json_string(tr(r, zh, en)));
    reply_error(r, ERR_INVALID, f);
}

/* The client's file name without any directory part; NULL when unusable. */
static const char *clean_name(struct req *r, const char *name) {
    if (!name) return NULL;
    const char *slash = strrchr(name, '/'), *back = strrchr(name, '\\');
    if (slash) name = slash + 1;
    if (back && back + 1 > name) name = back + 1;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        if (*p < 0x20 || *p == 0x7f) return NULL;
    int n = utf8_text_chars(name);
    if (n < 1 || n > FILES_NAME_MAX || !strcmp(name, ".") || !strcmp(name, "..")) return NULL;
    return arena_strdup(r->arena, name);
}

void files_upload(struct req *r) {
    struct upload *up = r->upload;
    if (!up || !up->multipart) {
        reply_error_msg(r, ERR_UNSUPPORTED_MEDIA_TYPE, "请以 multipart/form-data 上传文件",
                        "Upload the file as multipart/form-data");
        return;
    }
    if (up->failed) {
        file_field_error(r, "上传内容不完整或格式有误", "The upload is incomplete or malformed");
        return;
    }
    if (!up->parts || !up->file) {
        file_field_error(r, "请选择要上传的文件", "Choose a file to upload");
        return;
    }
    if (up->parts > 1) {
        file_field_error(r, "一次只能上传一个文件", "Upload one file at a time");
        return;
    }
    const char *name = clean_name(r, up->name);
    if (!name) {
        file_field_error(r, "文件名无效（1–200 个字符）", "Invalid file name (1–200 characters)");
        return;
    }
    if (up->size == 0) {
        file_field_error(r, "文件为空", "The file is empty");
        return;
    }
    const struct file_type *type = files_sniff(name, up->head, up->head_len, up->file);
    if (!type) {
        reply_error_msg(
            r, ERR_UNSUPPORTED_MEDIA_TYPE,
            "只接受 PDF、OFD、DOC、DOCX、XLS、XLSX、JPG、PNG、ZIP 文件，且扩展名须与内容一致",
            "Only PDF, OFD, DOC, DOCX, XLS, XLSX, JPG, PNG and ZIP files are accepted, "
            "and the extension must match the content");
        return;
    }
    if (tx_begin_or_reply(r)) return;
    int64_t id = 0;
    int rc =
        files_store(r->db, up->file, up->size, up->sha256, name, type->mime, r->who.user_id, &id);
    if (rc != DB_OK) {
        db_fail_reply(r, rc);
        return;
    }
    if (audit_or_reply(r, "file.upload", "attachment", id,
                       json_pack("{s:s,s:I,s:s,s:s}", "name", name, "size", (json_int_t)up->size,
                                 "mime", type->mime, "sha256", up->sha256)))
        return;
    if (tx_commit_or_reply(r)) return;
    struct db_stmt *st = db_queryv(
        r->db, "SELECT id, name, size, mime, sha256, created_at FROM attachments WHERE id = ?", "i",
        id);
    rc = st ? db_step(st) : DB_ERROR;
    json_t *j = rc == DB_ROW ? db_row_json(st) : NULL;
    db_done(st);
    if (j)
        reply_json(r, 201, j);
    else
        db_fail_reply(r, rc);
}

/* Content-Disposition with an ASCII fallback and the UTF-8 name (RFC 6266, RFC 5987). */
static const char *disposition(struct req *r, const char *name) {
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(name);
    char *ascii = arena_alloc(r->arena, n + 1);
    char *enc = arena_alloc(r->arena, 3 * n + 1);
    size_t k = 0, m = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c < 0x80 || c >= 0xC0) /* one '_' per non-ASCII character */
            ascii[m++] = c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == ';' ? '_' : (char)c;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            strchr("!#$&+-.^_`|~", c)) {
            enc[k++] = (char)c;
        } else {
            enc[k++] = '%';
            enc[k++] = hex[c >> 4];
            enc[k++] = hex[c & 15];
        }
    }
    ascii[m] = 0;
    enc[k] = 0;
    return arena_printf(r->arena, "attachment; filename=\"%s\"; filename*=UTF-8''%s", ascii, enc);
}

/* What a streamed download reads: the content's key and size (malloc'd: outlives the arena). */
struct content_reader {
    char sha256[65];
    int64_t size;
};

static int64_t content_read(void *cls, struct db *db, uint64_t offset, char *buf, size_t n) {
    const struct content_reader *c = cls;
    return files_read(db, c->sha256, c->size, (int64_t)offset, buf, n);
}

void files_download(struct req *r) {
    int64_t id;
    if (req_id_or_reply(r, 0, &id)) return;
    struct db_stmt *st = db_queryv(r->db,
                                   "SELECT a.name, a.mime, b.size, a.sha256, a.owner_type, "
                                   "a.owner_id, a.uploaded_by FROM attachments a "
                                   "JOIN file_blobs b ON b.sha256 = a.sha256 WHERE a.id = ?",
                                   "i", id);
    int rc = st ? db_step(st) : DB_ERROR;
    if (rc != DB_ROW) {
        db_done(st);
        if (rc < 0)
            db_fail_reply(r, rc);
        else
            reply_error(r, ERR_NOT_FOUND, NULL);
        return;
    }
    const char *name = arena_strdup(r->arena, db_col_text(st, 0));
    const char *mime = arena_strdup(r->arena, db_col_text(st, 1));
    int64_t size = db_col_int(st, 2);
    const char *sha = arena_strdup(r->arena, db_col_text(st, 3));
    const char *owner_type = arena_strdup(r->arena, db_col_text(st, 4));
    int64_t owner_id = db_col_int(st, 5), uploaded_by = db_col_int(st, 6);
    db_done(st);
    if (!files_can_read(r->db, r->arena, &r->who, owner_type, owner_id, uploaded_by)) {
        reply_error(r, ERR_NOT_FOUND, NULL);
        return;
    }
    /* Streamed from the database chunk by chunk after this handler returns (the rights are
     * checked above): memory per download is one chunk whatever the file, and no read is held
     * open between two chunks. */
    struct content_reader *c = malloc(sizeof(*c));
    if (!c) {
        db_fail_reply(r, DB_ERROR);
        return;
    }
    snprintf(c->sha256, sizeof c->sha256, "%s", sha);
    c->size = size;
    reply_header(r, "Content-Disposition", disposition(r, name));
    reply_header(r, "ETag", arena_printf(r->arena, "\"%s\"", sha));
    reply_stream(r, 200, mime, (uint64_t)size, FILES_CHUNK, content_read, free, c);
}
