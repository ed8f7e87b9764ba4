/* tasks_http.h — routes for documents, tasks, the state machine, timeline, stats and Excel. */
#ifndef FAZHI_TASKS_HTTP_H
#define FAZHI_TASKS_HTTP_H

struct req;
void documents_list(struct req *r);
void documents_get(struct req *r);
void documents_create(struct req *r);
void documents_update(struct req *r);
void documents_delete(struct req *r);

void tasks_list(struct req *r);
void tasks_get(struct req *r);
void tasks_children(struct req *r);
void tasks_timeline(struct req *r);
void tasks_extensions(struct req *r);
void tasks_urgings(struct req *r);
void tasks_stats(struct req *r);
void tasks_create(struct req *r);
void tasks_update(struct req *r);
void tasks_delete(struct req *r);
void tasks_action(struct req *r);
void tasks_export_xlsx(struct req *r);
void tasks_import_template(struct req *r);
void tasks_import(struct req *r);

#endif
