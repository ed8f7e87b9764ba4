/* files.h — attachments (附件): uploaded files stored once by SHA-256 (file_blobs: size; their
 * content in file_chunks, FILES_CHUNK bytes a row) and the attachment rows that name them
 * (attachments). Neither storing nor reading holds more than one chunk in memory. An upload belongs
 * to its uploader until a record claims it (owner_type, owner_id); unclaimed uploads are purged
 * after a while.
 *
 * Modules that own attachments register a read check so GET /api/v1/files/:id can ask whether the
 * caller may read the owning record (files_register_owner, at start-up, before serving).
 *
 * Ownership: JSON returned here is a new reference (the caller decrefs or hands it on). */
#ifndef FAZHI_FILES_H
#define FAZHI_FILES_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "store/db.h"

#define FILES_CLAIM_MAX       100       /* attachment ids one record may claim at once */
#define FILES_NAME_MAX        200       /* characters in a file name */
#define FILES_ERR_UNCLAIMABLE (-100)    /* an id is not an unclaimed upload of that user */
#define FILES_CHUNK           (1 << 20) /* bytes of content per file_chunks row (migration 9) */

/* The allowed file types: extension and content must agree. */
struct file_type {
    const char *ext;  /* lower-case, without the dot: "pdf" */
    const char *mime; /* Content-Type served */
};

/* Which allowed type the file is, judged by its name's extension and its content (head: the
 * first bytes; f: the whole file, read for zip directories). NULL when not allowed or when the
 * two disagree. f is left at an unspecified position. */
const struct file_type *files_sniff(const char *name, const unsigned char *head, size_t head_len,
                                    FILE *f);

/* Store an upload inside the caller's open write transaction: the content once by sha256 (read
 * from f, size bytes, chunk by chunk) and an unclaimed attachment row of user_id. Content
 * stored before (the same sha256) is not written again. 0 ok, < 0 db error. */
int files_store(struct db *db, FILE *f, int64_t size, const char *sha256, const char *name,
                const char *mime, int64_t user_id, int64_t *id);

/* Up to n bytes of the content of sha256 (size bytes in all) at offset, from the one chunk that
 * holds offset: the count read (> 0), 0 at or past the end, or < 0 when the content is gone
 * (purged) or does not have the expected size, or on a database error. One short statement on
 * its own: nothing stays open between two reads, inside the caller's transaction or not. */
int64_t files_read(struct db *db, const char *sha256, int64_t size, int64_t offset, void *buf,
                   size_t n);

/* Inside the caller's transaction: give each of ids[0..n) to (owner_type, owner_id). Each must
 * be an unclaimed upload of user_id, else FILES_ERR_UNCLAIMABLE (the caller rolls back and
 * answers 400); < 0 other db errors; 0 ok. */
int files_claim(struct db *db, int64_t user_id, const int64_t *ids, int n, const char *owner_type,
                int64_t owner_id);

/* The owner's attachments as [{id, name, size, mime}] (oldest first); NULL on db error. */
json_t *files_list_json(struct db *db, const char *owner_type, int64_t owner_id);

/* Register the read check for an owner type ("task_event", "document", ...). can_read returns
 * 1 when the principal may read that owner. Call at start-up, before serving. */
typedef int (*files_can_read_fn)(struct db *db, const struct principal *who, int64_t owner_id);
void files_register_owner(const char *owner_type, files_can_read_fn can_read);
/* The same for an owner type whose check needs the declaration it serves (the timeline events
 * of a workflow kind: which entity's scope decides) and the request's arena: ctx is handed back. */
typedef int (*files_can_read_ctx_fn)(struct db *db, struct arena *a, const struct principal *who,
                                     int64_t owner_id, const void *ctx);
void files_register_owner_ctx(const char *owner_type, files_can_read_ctx_fn can_read,
                              const void *ctx);
/* 1 when `who` may download attachment id (its uploader while unclaimed, or the owner's
 * can_read says yes); 0 otherwise (also for unknown ids). a: the request's arena. */
int files_can_read(struct db *db, struct arena *a, const struct principal *who,
                   const char *owner_type, int64_t owner_id, int64_t uploaded_by);

/* For the scheduler: remove unclaimed attachments older than older_than_seconds and blobs no
 * longer referenced. Runs in the caller's transaction when one is open, else in its own.
 * Returns the number of attachments removed (>= 0) or < 0 on error. */
int files_purge_unclaimed(struct db *db, int64_t older_than_seconds);

#endif
