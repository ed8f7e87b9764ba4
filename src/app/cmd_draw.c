/* cmd_draw.c — `fazhi draw verify ID`: recompute a stored draw's commitment, seed and result
 * from its published inputs (features/draw/draw.h) and say whether they match. The lines it
 * prints are those of tools/draw-verify.py for the same draw. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "base/arena.h"
#include "features/draw/draw.h"

int cmd_draw(int argc, char **argv) {
    struct app_opts o;
    if (app_wants_help(argc, argv) || app_common_opts(&argc, argv, &o) || argc != 3 ||
        strcmp(argv[1], "verify")) {
        printf("usage: fazhi draw verify ID [--data-dir DIR] [--db URL]\n\nRecomputes a random "
               "draw from its stored published inputs: the commitment (SHA-256\nof the "
               "canonical text), the seed (SHA-256 of the commitment and the random value)\nand "
               "the result. Prints them as tools/draw-verify.py does; exit 0 when all match,\n1 "
               "on a mismatch or an unknown draw, 2 on usage or database errors.\n");
        return app_wants_help(argc, argv) ? 0 : 2;
    }
    char *end = NULL;
    long long id = strtoll(argv[2], &end, 10);
    if (!end || *end || id <= 0) {
        fprintf(stderr, "fazhi draw verify: not a draw id: %s\n", argv[2]);
        return 2;
    }
    struct db *db;
    if (app_open(&o, &db, 0)) return 2;
    struct arena *a = arena_new(1 << 16);
    struct draw_check v;
    int rc = draw_verify(db, a, id, &v);
    int status;
    if (rc == DRAW_NOT_FOUND) {
        fprintf(stderr, "fazhi draw verify: no draw %lld\n", id);
        status = 1;
    } else if (rc != DB_OK) {
        fprintf(stderr, "fazhi draw verify: database error\n");
        status = 2;
    } else {
        printf("commitment %s\n", v.commitment);
        if (v.drawn && v.result) printf("seed %s\n%s", v.seed, v.result);
        int match = v.commitment_ok && (!v.drawn || (v.seed_ok && v.result_ok));
        if (!v.drawn && match) printf("no random value yet: the commitment matches\n");
        printf("%s\n", match ? "match" : "MISMATCH");
        if (!match && v.why) fprintf(stderr, "fazhi draw verify: %s\n", v.why);
        status = match ? 0 : 1;
    }
    arena_free(a);
    db_close(db);
    return status;
}
