/* engine.h — what each engine provides to the engine-neutral parts of src/store/ only. */
#ifndef FAZHI_STORE_ENGINE_H
#define FAZHI_STORE_ENGINE_H

#include "store/db.h"

const char *db_engine_type(struct db *db, const char *token); /* "ID", "BLOB" → SQL type */
int db_exec_script(struct db *db, const char *sql);             /* several statements, no params */

#endif
