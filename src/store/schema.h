/* schema.h — what a module contributes to the database: its migrations and the tables that
 * `fazhi migrate --from … --to …` copies. Registered once at start-up (app/modules.c), before any
 * thread; the core schema (migrations 1…, the tables made before modules had their own) is
 * registered by store itself as module "core".
 *
 * Each module has its own version sequence (1, 2, …) recorded in module_migrations(module,
 * version); modules are migrated in registration order, so a module may use the tables of the
 * modules before it. */
#ifndef FAZHI_SCHEMA_H
#define FAZHI_SCHEMA_H

#include <stddef.h>

#include "store/db.h"

struct migration {
    int version;          /* strictly increasing within the module, from 1 */
    const char *name;     /* what it does */
    const char *sql;      /* portable statements; @ID@ and @BLOB@ become each engine's types
                             (NULL: none) */
    const char *sqlite;   /* SQLite-only statements, or NULL */
    const char *postgres; /* PostgreSQL-only statements, or NULL */
    /* A step in C before the statements, inside the same transaction: data SQL cannot carry
     * over (sealing personal data into another table). DB_OK or < 0; NULL: none. */
    int (*run)(struct db *db);
};

/* A table copied by db_copy_all: parents before children. */
struct copy_table {
    const char *name;  /* table */
    const char *order; /* ORDER BY that puts parents before children */
    int identity;      /* has an `id` whose generator must continue after the copy */
    int page;          /* 0: one SELECT; else rows per SELECT, `order` being the key (text, int)
                          columns: big rows, whose whole table no engine's result should hold */
    int derived;       /* kept by triggers from other tables: not copied (the target's triggers
                          make its rows) and not compared after the copy */
};

#define SCHEMA_MODULES_MAX 64

/* Start-up only. module: a short stable name ("tasks"); m and t are static tables (n entries
 * each). 0 ok, -1 with the reason in err (too many modules, versions not increasing). */
int schema_register(const char *module, const struct migration *m, int n_migrations,
                    const struct copy_table *t, int n_tables, char *err, size_t errlen);

/* Every registered module's copy tables, modules in order (for copy.c). Returns how many. */
int schema_copy_tables(const struct copy_table **out, int max);
extern const char *const schema_bookkeeping[]; /* the migrator's own tables, NULL-terminated */

/* The applied version of `module` (0 when none, -1 on error). */
int db_module_version(struct db *db, const char *module);
/* 1 when every registered module's applied version equals its latest migration. */
int db_schema_current(struct db *db);
/* 1 when both databases have the same applied version of every registered module. */
int db_schema_same(struct db *a, struct db *b);

#endif
