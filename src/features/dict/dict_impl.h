/* dict_impl.h — what the dict module's files share: its permissions, entities and types. */
#ifndef FAZHI_DICT_IMPL_H
#define FAZHI_DICT_IMPL_H

#include "auth/perm.h"

struct entity;
extern struct perm_def perm_dict_read, perm_dict_manage;
extern const struct entity entity_dict_types, entity_dict_items;

struct dict_type {
    const char *code, *zh, *en; /* "task_rhythm", name */
    int fixed;                  /* the program acts on the codes: no item added or deleted */
};
extern const struct dict_type dict_types[];
extern const int n_dict_types;

#endif
