/* replay.c — runs a fuzz target over its corpus without libFuzzer, so `make test` replays every
 * corpus (and every crash once found and saved there) under ASan+UBSan with gcc.
 * usage: fuzz_X_replay DIR...   prints cmocka-style totals for tests/run-tests.sh. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc((size_t)(n > 0 ? n : 1));
    size_t got = n > 0 ? fread(buf, 1, (size_t)n, f) : 0;
    fclose(f);
    LLVMFuzzerTestOneInput(buf, got); /* a bug aborts the process under the sanitizers */
    free(buf);
    return 0;
}

int main(int argc, char **argv) {
    int passed = 0, failed = 0;
    static char *defaults[] = {NULL, CORPUS_DIR}; /* the target's own corpus */
    if (argc < 2) {
        argc = 2;
        argv = defaults;
    }
    for (int i = 1; i < argc; i++) {
        DIR *d = opendir(argv[i]);
        if (!d) {
            fprintf(stderr, "cannot open %s\n", argv[i]);
            failed++;
            continue;
        }
        struct dirent *e;
        while ((e = readdir(d))) {
            if (e->d_name[0] == '.') continue;
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", argv[i], e->d_name);
            if (run_file(path) == 0)
                passed++;
            else
                failed++;
        }
        closedir(d);
    }
    printf("[  PASSED  ] %d test(s).\n", passed);
    if (failed) printf("[  FAILED  ] %d test(s), listed above\n", failed);
    return failed ? 1 : 0;
}
