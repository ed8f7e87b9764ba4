/* dict.h — the data dictionary (数据字典): editable lists of codes with zh/en labels, order,
 * enabled flag and tag colour (tables dict_types, dict_items: the dict module's migration 1).
 * An enum field that names a dictionary (`struct field.dict`) takes its options from here: the
 * entity layer resolves them per request (entity_resolved), so validation, labels of lists and
 * exports, import, templates and the served declaration all follow the dictionary.
 *
 * Reading is cached: every dictionary in one labelled cache entry (store/cache.h, data version
 * `dict`, bumped by the tables' triggers), so a page costs no dictionary query per row and an
 * edit anywhere is seen within DV_CHECK_SECONDS (at once on the server that made it).
 *
 * Memory: everything handed back lives in the arena given. */
#ifndef FAZHI_DICT_H
#define FAZHI_DICT_H

#include "base/arena.h"
#include "features/entity/field.h"
#include "store/db.h"

/* The items of dictionary `type` in their order, enabled or not (*disabled[i] says), as arena
 * arrays with *n; *n = 0 when the dictionary is unknown or empty (the declaration's own options
 * then apply). DB_OK or < 0. */
int dict_options(struct db *db, struct arena *a, const char *type, const struct field_option **out,
                 const unsigned char **disabled, int *n);

/* Start-up (inside the seeding transaction, after the migrations): a dictionary that does not
 * exist yet is made from the options of the fields naming it and the values already stored in
 * them. Once made it is the administrators': a later start adds nothing. DB_OK or < 0. */
int dict_seed(struct db *db);

#endif
