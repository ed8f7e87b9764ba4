/* entity_http.h — the generic routes of every entity (list, get, create, update, delete, XLSX
 * export, import template, import), GET /api/v1/entities[/{name}], and the helpers a module's
 * own handler for an entity uses so it answers exactly like the generic ones. */
#ifndef FAZHI_ENTITY_HTTP_H
#define FAZHI_ENTITY_HTTP_H

#include "features/entity/entity.h"
#include "http/http.h"

/* Generate and register the routes of ents[0..n) (modules_init, after entity_register):
 * 0, or -1 with the reason (too many routes …). */
int entity_routes_register(const struct entity *const *ents, int n, char *err, size_t errlen);

/* The generic handlers (r->route->ctx is the entity). */
void entity_list_route(struct req *r);
void entity_get_route(struct req *r);
void entity_create_route(struct req *r);
void entity_update_route(struct req *r);
void entity_delete_route(struct req *r);
void entity_export_route(struct req *r);         /* entity_xlsx.c */
void entity_template_route(struct req *r);       /* entity_xlsx.c */
void entity_import_route(struct req *r);         /* entity_xlsx.c */
void entity_action_route(struct req *r);         /* a workflow step (entities with a kind) */
void entity_batch_route(struct req *r);          /* POST path/batch (entities with batch_actions) */
void entity_parties_reveal_route(struct req *r); /* POST path/{id}/parties/{pid}/reveal */
void entity_timeline_route(struct req *r); /* GET path/{id}/timeline (a kind with events_table) */
/* 草案版本 of an entity that declares versions (entity_versions_http.c) */
void entity_versions_list_route(struct req *r); /* GET path/{id}/versions */
void entity_version_get_route(struct req *r);   /* GET path/{id}/versions/{n} */
void entity_version_add_route(struct req *r);   /* POST path/{id}/versions */
void entity_versions_diff_route(struct req *r); /* GET path/{id}/versions/diff?a=&b= */
void entities_list(struct req *r);              /* GET /api/v1/entities */
void entities_get(struct req *r);               /* GET /api/v1/entities/:name */

/* For a module's own handlers: the context for the signed-in caller (replies 500 on failure),
 * the request's filters/sort/page (400 with the fields), one record in scope (404 / error
 * replied), a write's result (rolls back and replies unless DB_OK), 400 with field problems. */
int entity_ctx_or_reply(struct req *r, const struct entity *e, enum entity_purpose p,
                        struct entity_ctx *c);
int entity_request_or_reply(struct req *r, const struct entity *e, struct entity_request *rq);
json_t *entity_get_or_reply(struct req *r, const struct entity_ctx *c, int64_t id);
int entity_write_or_reply(struct req *r, const struct entity_write *w, int rc);
void entity_reply_problems(struct req *r, const struct problems *pr);
/* Check a body for create/update (FV_*) with the declaration and its validate hook; 0, or -1
 * after replying 400. w must have c, actor and pr set. */
int entity_input_or_reply(struct req *r, struct entity_write *w, json_t *body, unsigned mode);

/* ---- XLSX answers a module builds itself (entity_xlsx.c; libxlsxwriter's types) ---- */
typedef struct lxw_workbook lxw_workbook;
typedef struct lxw_worksheet lxw_worksheet;
/* A new workbook in a temporary file (*path); constant_memory writes each row out as it is
 * finished (rows in order, one row in memory: the audit log's export). NULL after 500. */
lxw_workbook *xlsx_new_or_reply(struct req *r, char **path, int constant_memory);
/* Close it and answer it as an attachment streamed from the file (or 500). */
void xlsx_finish_reply(struct req *r, lxw_workbook *wb, const char *path, const char *ascii_name,
                       const char *utf8_name);
/* A drop-down of list (NULL-terminated) on the template rows of column col, with its note. */
void xlsx_list_column(lxw_worksheet *ws, uint16_t col, const char **list, const char *title,
                      const char *note);

#endif
