/* files_test.c — attachment content in chunks (features/files): an upload is written chunk by
 * chunk and read back in pieces of any size and alignment as the same bytes; the same content is
 * stored once; content purged (or replaced by another size) between two reads fails the read,
 * never serves other bytes; nothing stays open between reads (a writer on another connection
 * commits in between), and a read inside the caller's transaction joins it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "features/files/files.h"
#include "store/db.h"

#define SIZE (3 * FILES_CHUNK + 123) /* several chunks and an odd tail */
#define TS   "2026-01-01T00:00:00Z"

struct fixture {
    char path[64];
    struct db *db, *writer; /* two connections to one file */
    unsigned char *value;
    FILE *f; /* the upload's temp file */
    int64_t user;
};

static int64_t count(struct db *db, const char *sql) {
    int64_t n = -1;
    assert_int_equal(db_query_int(db, &n, sql, ""), DB_ROW);
    return n;
}

static int setup(void **state) {
    struct fixture *x = calloc(1, sizeof(*x));
    snprintf(x->path, sizeof x->path, "/tmp/fazhi-files-test-%d.db", (int)getpid());
    unlink(x->path);
    char err[200];
    int applied;
    if (db_open(x->path, &x->db, err, sizeof err) != DB_OK) return -1;
    if (db_migrate(x->db, &applied) != DB_OK) return -1;
    if (db_open(x->path, &x->writer, err, sizeof err) != DB_OK) return -1;
    if (db_exec(x->db,
                "INSERT INTO units (code, name, kind, path, created_at, updated_at) VALUES ('u', "
                "'单位', 'other', '/1/', '" TS "', '" TS "')",
                "") != DB_OK)
        return -1;
    if (db_query_int(x->db, &x->user,
                     "INSERT INTO users (username, display_name, unit_id, password_hash, "
                     "created_at, updated_at) VALUES ('u', 'u', 1, 'x', '" TS "', '" TS
                     "') RETURNING id",
                     "") != DB_ROW)
        return -1;
    x->value = malloc(SIZE);
    for (size_t i = 0; i < SIZE; i++)
        x->value[i] = (unsigned char)(i * 2654435761u >> 13);
    x->f = tmpfile();
    if (!x->f || fwrite(x->value, 1, SIZE, x->f) != SIZE) return -1;
    fseek(x->f, 100, SEEK_SET); /* wherever type sniffing left it */
    *state = x;
    return 0;
}

static int teardown(void **state) {
    struct fixture *x = *state;
    db_close(x->db);
    db_close(x->writer);
    char p[80];
    unlink(x->path);
    snprintf(p, sizeof p, "%s-wal", x->path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", x->path);
    unlink(p);
    fclose(x->f);
    free(x->value);
    free(x);
    return 0;
}

static int64_t store(struct fixture *x, const char *sha) {
    int64_t id = 0;
    assert_int_equal(db_begin(x->db), DB_OK);
    assert_int_equal(files_store(x->db, x->f, SIZE, sha, "a.pdf", "application/pdf", x->user, &id),
                     DB_OK);
    assert_int_equal(db_commit(x->db), DB_OK);
    return id;
}

static void test_chunks_make_the_file(void **state) {
    struct fixture *x = *state;
    assert_true(store(x, "s1") > 0);
    assert_int_equal(count(x->db, "SELECT COUNT(*) FROM file_chunks WHERE sha256 = 's1'"), 4);
    assert_int_equal(count(x->db, "SELECT MAX(length(data)) FROM file_chunks"), FILES_CHUNK);
    assert_int_equal(count(x->db, "SELECT length(data) FROM file_chunks WHERE seq = 3"), 123);
    unsigned char *got = malloc(SIZE);
    /* whole chunks, as a download asks for them */
    int64_t off = 0, n;
    while ((n = files_read(x->db, "s1", SIZE, off, got + off, FILES_CHUNK)) > 0) {
        off += n;
        /* a writer commits between two pieces: nothing of the reader is in its way */
        assert_int_equal(db_exec(x->writer, "UPDATE users SET display_name = 'w'", ""), DB_OK);
    }
    assert_int_equal(n, 0);
    assert_int_equal(off, SIZE);
    assert_memory_equal(got, x->value, SIZE);
    /* odd pieces at odd offsets: never past the chunk that holds the offset */
    memset(got, 0, SIZE);
    for (off = 0; (n = files_read(x->db, "s1", SIZE, off, got + off, 100003)) > 0; off += n)
        assert_true(off / FILES_CHUNK == (off + n - 1) / FILES_CHUNK);
    assert_int_equal(off, SIZE);
    assert_memory_equal(got, x->value, SIZE);
    unsigned char buf[16];
    assert_int_equal(files_read(x->db, "s1", SIZE, SIZE + 5, buf, sizeof buf), 0); /* past end */
    assert_true(files_read(x->db, "s1", SIZE, -1, buf, sizeof buf) < 0);
    assert_true(files_read(x->db, "nope", SIZE, 0, buf, sizeof buf) < 0);
    /* the size the caller knows must be the stored one: never a short or foreign piece */
    assert_true(files_read(x->db, "s1", SIZE + 1, 3 * FILES_CHUNK, buf, sizeof buf) < 0);
    free(got);
}

static void test_same_content_stored_once(void **state) {
    struct fixture *x = *state;
    int64_t a = store(x, "s2"), b = store(x, "s2");
    assert_true(a > 0 && b > a);
    assert_int_equal(count(x->db, "SELECT COUNT(*) FROM file_blobs"), 1);
    assert_int_equal(count(x->db, "SELECT COUNT(*) FROM file_chunks"), 4);
    assert_int_equal(count(x->db, "SELECT COUNT(*) FROM attachments"), 2);
}

static void test_purged_between_reads(void **state) {
    struct fixture *x = *state;
    store(x, "s3");
    unsigned char *buf = malloc(FILES_CHUNK);
    assert_int_equal(files_read(x->db, "s3", SIZE, 0, buf, FILES_CHUNK), FILES_CHUNK);
    /* unclaimed and old enough: purged by another connection, chunks and all */
    assert_int_equal(files_purge_unclaimed(x->writer, -3600), 1);
    assert_int_equal(count(x->db, "SELECT COUNT(*) FROM file_chunks"), 0);
    assert_true(files_read(x->db, "s3", SIZE, FILES_CHUNK, buf, FILES_CHUNK) < 0);
    /* other bytes under the key: a chunk of another size is refused */
    assert_int_equal(db_exec(x->writer,
                             "INSERT INTO file_blobs (sha256, size, created_at) VALUES ('s3', 10, "
                             "'" TS "')",
                             ""),
                     DB_OK);
    assert_int_equal(db_exec(x->writer,
                             "INSERT INTO file_chunks (sha256, seq, data) VALUES ('s3', 1, "
                             "X'00010203040506070809')",
                             ""),
                     DB_OK);
    assert_true(files_read(x->db, "s3", SIZE, FILES_CHUNK, buf, FILES_CHUNK) < 0);
    /* inside a caller's transaction the read joins it */
    store(x, "s4");
    assert_int_equal(db_begin(x->db), DB_OK);
    assert_int_equal(files_read(x->db, "s4", SIZE, 10, buf, 5), 5);
    assert_memory_equal(buf, x->value + 10, 5);
    assert_true(db_in_tx(x->db));
    db_rollback(x->db);
    free(buf);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_chunks_make_the_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_same_content_stored_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_purged_between_reads, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
