/* main.c — `fazhi <command>`: a table of subcommands. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "base/arena.h"
#include "base/crypto.h"

struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
};

static const struct command commands[] = {
    {"serve", cmd_serve, "serve the web UI and the API"},
    {"init", cmd_init, "create an empty installation with the three administrators"},
    {"demo", cmd_demo, "create a demo district with units, people and accounts"},
    {"user", cmd_user, "manage accounts: add, passwd, lock, unlock, list"},
    {"migrate", cmd_migrate, "apply pending database migrations"},
    {"backup", cmd_backup, "write a consistent copy of the database (online)"},
    {"restore", cmd_restore, "replace the database with a backup (server stopped)"},
    {"audit", cmd_audit, "audit log tools: verify"},
    {"draw", cmd_draw, "random draws (双随机): verify ID recomputes a published draw"},
    {"assess", cmd_assess,
     "annual assessment (年度考核): run --run ID scores a run, list the runs"},
    {"routes", cmd_routes, "print the API route table"},
    {"jobs", cmd_jobs, "scheduled jobs: run (reminders, deliveries) or list"},
    {"keys", cmd_keys, "personal-data keys: list, rotate, reseal"},
};

static void usage(FILE *f) {
    fprintf(f,
            "fazhi %s — 全面依法治区信息平台 (rule-of-law work, inspection and assessment)\n\n"
            "usage: fazhi <command> [options]   (fazhi <command> --help for details)\n\n",
            FAZHI_VERSION);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\ncommon options: --data-dir DIR (default ./data), --db sqlite:PATH\n");
}

int main(int argc, char **argv) {
    /* First, before any JSON exists: jansson's memory counts against the memory budget of the
     * request being handled on the thread (base/arena.h). Plain malloc/free underneath. */
    json_set_alloc_funcs(arena_counted_malloc, arena_counted_free);
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
        printf("fazhi %s\n", FAZHI_VERSION);
        return 0;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    if (crypto_init() != 0) {
        fprintf(stderr, "fazhi: cannot initialise libsodium\n");
        return 1;
    }
    if (modules_init() != 0) return 1;
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name)) return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "fazhi: unknown command '%s'\n\n", argv[1]);
    usage(stderr);
    return 2;
}
