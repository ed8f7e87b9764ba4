/* flow_demo.c — the demo's walks through a kind (flow_demo.h). */
#include "features/flow/flow_demo.h"

#include <stdio.h>

#include "base/timeutil.h"

int flow_demo_actor(struct db *db, struct arena *a, const char *username, struct principal *p,
                    struct audit_actor *au) {
    int64_t id = 0;
    if (db_query_int(db, &id, "SELECT id FROM users WHERE username = ?", "s", username) != DB_ROW ||
        !id || principal_load(db, a, id, p) != DB_ROW)
        return -1;
    *au = (struct audit_actor){p->user_id, p->username, p->role, p->unit_id, "local", ""};
    return 0;
}

int flow_demo_act(struct db *db, struct arena *a, const struct flow_kind *k, const char *who,
                  int64_t id, const char *action, json_t *body, int32_t on, int quiet) {
    struct principal p;
    struct audit_actor au;
    int64_t version = 0;
    if (flow_demo_actor(db, a, who, &p, &au) ||
        db_query_int(db, &version, arena_printf(a, "SELECT version FROM %s WHERE id = ?", k->table),
                     "i", id) != DB_ROW) {
        json_decref(body);
        return DB_ERROR;
    }
    json_object_set_new(body, "version", json_integer(version));
    struct flow_actor fa = {&p, &au};
    struct problems pr = {.arena = a};
    /* a refused step must leave nothing behind: it runs inside a savepoint of its own */
    if (quiet && db_exec(db, "SAVEPOINT flow_demo_try", "") != DB_OK) {
        json_decref(body);
        return DB_ERROR;
    }
    int rc = flow_apply_on(db, a, &fa, k, id, action, body, &pr, on ? on : date_today());
    json_decref(body);
    if (quiet) {
        if (db_exec(db,
                    rc == FLOW_OK ? "RELEASE SAVEPOINT flow_demo_try"
                                  : "ROLLBACK TO SAVEPOINT flow_demo_try",
                    "") != DB_OK)
            return DB_ERROR;
        return rc == FLOW_OK ? DB_OK : DB_DONE;
    }
    if (rc != FLOW_OK)
        fprintf(stderr, "fazhi demo: %s %lld %s as %s: %d %s\n", k->name, (long long)id, action,
                who, rc, pr.n ? pr.p[0].zh : (pr.zh ? pr.zh : ""));
    return rc == FLOW_OK ? DB_OK : DB_ERROR;
}

int flow_demo_created(struct db *db, struct arena *a, const struct flow_kind *k, const char *who,
                      int64_t id) {
    struct principal p;
    struct audit_actor au;
    if (flow_demo_actor(db, a, who, &p, &au)) return DB_ERROR;
    struct flow_actor fa = {&p, &au};
    return flow_event_append(db, a, &fa, k, id, "create", "", "", 1) == FLOW_OK ? DB_OK : DB_ERROR;
}
