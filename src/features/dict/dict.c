/* dict.c — the dictionaries as options (dict.h): one cached JSON text of every dictionary,
 * labelled with the data version `dict`. */
#include "features/dict/dict.h"

#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "store/cache.h"

static const char *const dict_deps[] = {"dict", NULL};
static struct cache *cache;
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;

static struct cache *dict_cache(void) {
    pthread_mutex_lock(&cache_lock);
    if (!cache) cache = cache_new("dict", 4, dict_deps);
    struct cache *c = cache;
    pthread_mutex_unlock(&cache_lock);
    return c;
}

/* {type: [[code, zh, en, tag, enabled], …]} of every dictionary, items in order. */
static int dict_load_json(struct db *db, json_t **out) {
    struct db_stmt *st =
        db_prepare(db, "SELECT t.code, i.code, i.zh, i.en, i.tag, i.enabled FROM dict_items i "
                       "JOIN dict_types t ON t.id = i.type_id ORDER BY t.code, i.sort_order, i.id");
    json_t *all = json_object();
    int rc = DB_ERROR;
    while (st && (rc = db_step(st)) == DB_ROW) {
        const char *type = db_col_text(st, 0);
        json_t *arr = json_object_get(all, type);
        if (!arr) {
            arr = json_array();
            json_object_set_new(all, type, arr);
        }
        json_array_append_new(arr, json_pack("[s,s,s,s,b]", db_col_text(st, 1), db_col_text(st, 2),
                                             db_col_text(st, 3), db_col_text(st, 4),
                                             (int)db_col_int(st, 5)));
    }
    db_done(st);
    if (rc != DB_DONE) {
        json_decref(all);
        return rc < 0 ? rc : DB_ERROR;
    }
    *out = all;
    return DB_OK;
}

int dict_options(struct db *db, struct arena *a, const char *type, const struct field_option **out,
                 const unsigned char **disabled, int *n) {
    *out = NULL;
    *disabled = NULL;
    *n = 0;
    static const char key[] = "all";
    void *val;
    size_t len;
    struct cache_ticket t;
    const char *text;
    if (cache_get(dict_cache(), db, key, sizeof key - 1, a, &val, &len, &t) == CACHE_HIT) {
        text = val;
    } else {
        json_t *all;
        int rc = dict_load_json(db, &all);
        if (rc != DB_OK) {
            cache_cancel(&t);
            return rc;
        }
        char *s = json_dumps(all, JSON_COMPACT);
        json_decref(all);
        if (!s) {
            cache_cancel(&t);
            return DB_ERROR;
        }
        cache_put(&t, s, strlen(s));
        text = arena_strdup(a, s);
        free(s);
    }
    json_t *all = json_loads(text, 0, NULL);
    json_t *items = json_object_get(all, type);
    size_t k = json_array_size(items);
    struct field_option *o = k ? arena_alloc(a, sizeof(*o) * k) : NULL;
    unsigned char *off = k ? arena_alloc(a, k) : NULL;
    for (size_t i = 0; i < k; i++) {
        json_t *x = json_array_get(items, i);
        o[i] = (struct field_option){
            .code = arena_strdup(a, json_string_value(json_array_get(x, 0))),
            .zh = arena_strdup(a, json_string_value(json_array_get(x, 1))),
            .en = arena_strdup(a, json_string_value(json_array_get(x, 2))),
            .tag = arena_strdup(a, json_string_value(json_array_get(x, 3))),
        };
        off[i] = !json_is_true(json_array_get(x, 4));
    }
    json_decref(all);
    *out = o;
    *disabled = off;
    *n = (int)k;
    return DB_OK;
}
