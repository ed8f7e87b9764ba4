/* flow_http.h — the engine's routes (GET /api/v1/kinds[/{kind}]) and the one helper every
 * action route uses to take a step and answer its refusals. */
#ifndef FAZHI_FLOW_HTTP_H
#define FAZHI_FLOW_HTTP_H

#include "features/flow/flow.h"
#include "http/http.h"

void kinds_list(struct req *r);
void kinds_get(struct req *r);

/* Take `action` on record id with the request body: checks the input (400 before any
 * transaction), opens the write transaction and runs flow_apply. 0: applied, the transaction is
 * still open (the caller commits and answers the record). Otherwise it has rolled back and
 * answered: 404 (no such action or record), 400 invalid with fields, 409 stale_version, 409
 * invalid_transition with the reason as message and fields.allowed_actions, or the database
 * error; returns -1. The caller has checked the record is inside the actor's data scope. */
int flow_apply_or_reply(struct req *r, const struct flow_kind *k, int64_t id, const char *action,
                        json_t *body);

#endif
