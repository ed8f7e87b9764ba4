/* flow_demo.h — what every kind's demo data does (`fazhi demo`): act as a demo account, walk a
 * record through its kind as the accounts whose turn it is, and start a record's timeline with
 * its creation (登记) as the API does. Inside the demo's write transaction. */
#ifndef FAZHI_FLOW_DEMO_H
#define FAZHI_FLOW_DEMO_H

#include "features/flow/flow.h"

/* The principal and audit actor of the account `username` (arena strings). 0, or -1 when there
 * is no such account. */
int flow_demo_actor(struct db *db, struct arena *a, const char *username, struct principal *p,
                    struct audit_actor *au);
/* Take `action` on record id of k as `who`, with the record's current version, as of local day
 * `on` (0: today); body is stolen. A refused step is reported on stderr and answered DB_ERROR —
 * unless `quiet`: then it runs inside a savepoint, leaves nothing behind and answers DB_DONE. */
int flow_demo_act(struct db *db, struct arena *a, const struct flow_kind *k, const char *who,
                  int64_t id, const char *action, json_t *body, int32_t on, int quiet);
/* The creation event on the timeline of a record the demo inserted (the API's create appends
 * it), as `who`. DB_OK or < 0. */
int flow_demo_created(struct db *db, struct arena *a, const struct flow_kind *k, const char *who,
                      int64_t id);

#endif
