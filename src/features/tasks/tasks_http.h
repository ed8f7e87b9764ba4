/* tasks_http.h — the 督办 routes beyond the tasks and documents entities' generated ones
 * (tasks_entities.c): drafts' update and delete, subtasks, timeline, extensions, urgings,
 * dashboard counts and the state machine. */
#ifndef FAZHI_TASKS_HTTP_H
#define FAZHI_TASKS_HTTP_H

struct req;
void tasks_children(struct req *r);
void tasks_timeline(struct req *r);
void tasks_extensions(struct req *r);
void tasks_urgings(struct req *r);
void tasks_stats(struct req *r);
void tasks_queues(struct req *r); /* GET /api/v1/tasks/queues: what waits for the caller */
void tasks_update(struct req *r);
void tasks_delete(struct req *r);
void tasks_action(struct req *r);

#endif
