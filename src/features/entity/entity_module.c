/* entity_module.c — the entity layer's own routes: which entities the caller may read, and one
 * declaration (fields with types, labels and limits, filters, sorts, what the caller may do), so
 * the web builds its lists and forms from what the server accepts. The entities themselves are
 * declared by the modules that own them (struct module's `entities`). It also owns 当事人 of
 * every register (case_parties, entity_parties.c) and the permission to see them whole. */
#include "features/entity/entity_http.h"
#include "store/dataver.h"
#include "http/module.h"

/* Rows leave trailing fields out (route flags): 0 by omission. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

struct perm_def perm_pii_reveal = {
    "pii.reveal", "entity", "查看完整个人信息（当事人）", "See parties' personal data whole", 0, 0};
static struct perm_def *const perms[] = {&perm_pii_reveal};

/* The office only: a reason is asked and recorded each time. */
static const struct perm_grant grants[] = {
    {"office", "pii.reveal"},
};

/* case_parties: one row per party of a record of any register (kind, record_id). Per value the
 * sealed text (*_enc: "k<key>:…", associated data case_parties:<id>:<column>), the masked form,
 * and for names and ID numbers the blind index (*_bidx: keyed BLAKE2b, hex). No plaintext. */
static const struct migration migrations[] = {
    {1, "case parties: sealed, masked, blind-indexed",
     "CREATE TABLE case_parties ("
     " id @ID@, kind TEXT NOT NULL, record_id BIGINT NOT NULL, role TEXT NOT NULL,"
     " name_enc TEXT, name_masked TEXT NOT NULL DEFAULT '', name_bidx TEXT,"
     " id_enc TEXT, id_masked TEXT NOT NULL DEFAULT '', id_bidx TEXT,"
     " phone_enc TEXT, phone_masked TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL);"
     "CREATE INDEX case_parties_record ON case_parties(kind, record_id);"
     "CREATE INDEX case_parties_id ON case_parties(id_bidx);"
     "CREATE INDEX case_parties_name ON case_parties(name_bidx);",
     NULL, NULL},
    {2, "record versions: the numbered drafts of a record",
     "CREATE TABLE record_versions ("
     " id @ID@, kind TEXT NOT NULL, record_id BIGINT NOT NULL, number BIGINT NOT NULL,"
     " title TEXT NOT NULL DEFAULT '', body TEXT NOT NULL, note TEXT NOT NULL DEFAULT '',"
     " created_by BIGINT, created_at TEXT NOT NULL);"
     "CREATE UNIQUE INDEX record_versions_number ON record_versions(kind, record_id, number);",
     NULL, NULL},
    /* the registers' kept pages show parties' masked names: a party's change bumps "cases" */
    {3, "register pages are kept: parties bump the cases data version", NULL,
     DV_SQLITE_ALL("case_parties", "cases"), DV_PG_ALL("case_parties", "cases")},
};

static const struct copy_table tables[] = {
    {"case_parties", "id", 1},
    {"record_versions", "id", 1},
};

static const struct sealed_column sealed[] = {
    {"case_parties", "name_enc"},
    {"case_parties", "id_enc"},
    {"case_parties", "phone_enc"},
};

static const struct route routes[] = {
    {M_GET, "/api/v1/entities", &perm_signed_in, entities_list},
    {M_GET, "/api/v1/entities/:name", &perm_signed_in, entities_get},
};

const struct module entity_module = {
    .name = "entity",
    .zh = "数据实体",
    .en = "Entities",
    .perms = perms,
    .n_perms = MODULE_N(perms),
    .grants = grants,
    .n_grants = MODULE_N(grants),
    .migrations = migrations,
    .n_migrations = MODULE_N(migrations),
    .tables = tables,
    .n_tables = MODULE_N(tables),
    .routes = routes,
    .n_routes = MODULE_N(routes),
    .sealed = sealed,
    .n_sealed = MODULE_N(sealed),
};
