/* notify.h — notifications (消息): the in-app inbox, the outbox of deliveries (webhook, e-mail)
 * with its sending worker. The daily reminders that raise them are a task job
 * (features/tasks/task_reminders.c).
 *
 * Raising is always done inside the caller's open write transaction: the notification and its
 * deliveries commit or roll back together with the business change that caused them. Sending
 * happens later, in the scheduler thread (src/app/jobs.c), never inside a request.
 *
 * Ownership: strings passed in are copied into the database; nothing returned needs freeing. */
#ifndef FAZHI_NOTIFY_H
#define FAZHI_NOTIFY_H

#include <stdatomic.h>
#include <stdint.h>

#include "features/entity/entity.h"
#include "store/db.h"

#define NOTIFY_TITLE_MAX 200  /* characters kept of a title */
#define NOTIFY_BODY_MAX  2000 /* characters kept of a body */

/* The group robot (notify.webhook_url, 企业微信 / 钉钉) is one destination that a whole group
 * reads: it gets one message per event, never one per recipient. An event raised to a unit's
 * clerks is one message naming the unit ("承办单位：区司法局"), one raised to every holder of a
 * permission one message; e-mail stays one per recipient. The webhook delivery of an event is
 * queued with its first newly raised notification, so a raise that raises nothing (dedup) queues
 * nothing; an event with a key (see below) queues it at most once for ever. */

/* Raise one notification to one user, inside the caller's write transaction. kind: a code such
 * as "task_issued" (docs/API-tasks.md); body, link may be NULL; task_id 0 = none. dedup_key:
 * NULL or a key unique for ever — a second raise with the same key does nothing and returns
 * DB_OK. Queues the webhook delivery (setting notify.webhook_url; its text names the recipient)
 * and the e-mail delivery (notify.smtp_url set and the user has an email) in the same
 * transaction. Returns DB_OK or < 0 (the caller rolls back). */
int notify_raise(struct db *db, int64_t user_id, const char *kind, const char *title,
                 const char *body, const char *link, int64_t task_id, const char *dedup_key);

/* One notification of a batch: recipient and content. Strings are copied into the database. */
struct notify_msg {
    int64_t user_id;       /* users.id */
    const char *email;     /* the user's address for e-mail delivery, "" or NULL = none */
    const char *name;      /* display name, for the webhook text; may be NULL */
    const char *kind;      /* e.g. "overdue" (docs/API-tasks.md) */
    const char *title;     /* truncated at NOTIFY_TITLE_MAX characters */
    const char *body;      /* may be NULL */
    const char *title_en;  /* the same in English (a reader of the English UI sees it), or NULL:
                              the Chinese text */
    const char *body_en;   /* … */
    const char *link;      /* a path of the web UI, may be NULL */
    int64_t task_id;       /* 0 = none */
    const char *dedup_key; /* NULL or unique for ever (see notify_raise) */
    /* The group robot. event_key NULL: the message is an event of its own (one webhook message
     * naming its recipient). Otherwise the message is one recipient's copy of the event
     * event_key: one webhook message for the whole event, queued by the first of its copies
     * newly raised, never a second time for the same key (deliveries.dedup_key). */
    const char *event_key;
    const char *audience; /* the event's webhook text ends with this line ("承办单位：…"); NULL:
                             none. Used with event_key only. */
    int no_webhook;       /* 1: inbox and e-mail only (per-user digests, see task_reminders.c) */
};

/* Raise n notifications inside the caller's write transaction, reading the delivery settings
 * once: the batch form of notify_raise for jobs that raise many. Returns the number newly
 * raised (>= 0) or < 0. */
int notify_raise_batch(struct db *db, const struct notify_msg *msgs, int n);

/* Raise one event to every active (not locked) account of unit_id whose role holds the permission
 * `perm` (the code of the kind's work permission, e.g. "task.work"):
 * one notification (and e-mail) each, one webhook message naming the unit. dedup_prefix: NULL
 * (no deduplication) or the event's key; each recipient's key is "<dedup_prefix>:<user_id>",
 * the webhook's "<dedup_prefix>:unit:<unit_id>". Returns the number newly raised (>= 0) or < 0
 * on error. */
int notify_raise_unit(struct db *db, int64_t unit_id, const char *perm, const char *kind,
                      const char *title, const char *body, const char *link, int64_t task_id,
                      const char *dedup_prefix);

/* One event in both languages, for the raisers below that name their recipients otherwise. The
 * reader of the English UI sees title_en/body_en (NULL: the Chinese text); the webhook and
 * e-mail carry the Chinese text. */
struct notify_event {
    const char *kind;
    const char *title, *body;       /* zh-CN (body may be NULL) */
    const char *title_en, *body_en; /* English, or NULL */
    const char *link;               /* may be NULL */
    int64_t task_id;                /* 0 = none */
    const char *dedup_prefix;       /* as the raisers above, or NULL */
};
/* To one user (notify_raise), to a unit's holders of `perm` (notify_raise_unit), to every holder
 * of `perm` but except_user_id (notify_raise_perm_except). Same returns as those. */
int notify_event_user(struct db *db, int64_t user_id, const struct notify_event *ev);
int notify_event_unit(struct db *db, int64_t unit_id, const char *perm,
                      const struct notify_event *ev);
int notify_event_perm(struct db *db, const char *perm, int64_t except_user_id,
                      const struct notify_event *ev);

/* The same for every active account whose role holds the permission `perm` (a code such as
 * "task.manage"): one webhook message for all of them, keyed "<dedup_prefix>" when given.
 * Returns the number newly raised (>= 0) or < 0 on error. */
int notify_raise_perm(struct db *db, const char *perm, const char *kind, const char *title,
                      const char *body, const char *link, int64_t task_id,
                      const char *dedup_prefix);
/* The same, leaving out the account except_user_id (0: none) — the one whose step it tells of. */
int notify_raise_perm_except(struct db *db, const char *perm, int64_t except_user_id,
                             const char *kind, const char *title, const char *body,
                             const char *link, int64_t task_id, const char *dedup_prefix);

/* ---- where a webhook may point (webhook.c) ---- */

/* Why a webhook address or the allow-list was refused, in the user's two languages. */
struct notify_refusal {
    int permanent; /* 1: the address itself is refused; 0: may pass later (DNS did not answer) */
    char zh[240], en[240];
};

/* notify.webhook_url: https only; the host is resolved now and every address must be public,
 * unless notify.webhook_allow names the host or holds the address (then http:// is accepted
 * too). "" (no webhook) passes. 0 ok, else -1 and *why. Resolves DNS: call outside a
 * transaction. */
int notify_webhook_url_check(struct db *db, const char *url, struct notify_refusal *why);
/* notify.webhook_allow: host names, IP addresses and blocks (10.8.0.0/16, fd00::/8) separated
 * by commas, spaces or new lines, at most 32. 0 ok, else -1 and *why. */
int notify_webhook_allow_check(const char *list, struct notify_refusal *why);

/* ---- delivery worker ---- */

#define NOTIFY_LEASE_SECONDS 300 /* a 'sending' claim older than this is taken over */
#define NOTIFY_MAX_ATTEMPTS  6   /* first try + 5 retries (1, 5, 30 min, 2 h, 12 h) */

struct notify_pass {
    int claimed; /* deliveries this pass took */
    int sent;    /* delivered */
    int retry;   /* failed, another attempt scheduled */
    int failed;  /* failed for good */
};

/* Seconds to wait after the n-th failed attempt (n = 1..NOTIFY_MAX_ATTEMPTS-1); 0 = give up. */
int64_t notify_retry_delay(int64_t attempts);

/* Send up to `max` deliveries that are due at `now` (Unix seconds): pending ones whose
 * next_attempt_at has come, and 'sending' ones whose lease expired. Each is claimed in its own
 * short transaction (so two servers never send the same one), sent with no transaction open,
 * and its outcome recorded. `stop` (may be NULL) is checked between deliveries. Returns DB_OK or
 * < 0 on a database error. Must not be called inside a transaction. */
int notify_deliver_pending(struct db *db, int64_t now, int max, const atomic_int *stop,
                           struct notify_pass *out);

/* ---- the inbox and outbox (notify_entities.c) ---- */
extern const struct entity entity_notifications, entity_deliveries;
/* The user's unread notifications. DB_OK or < 0. */
int notification_unread_count(struct db *db, int64_t user_id, int64_t *n);
/* Mark the user's notification `id` read (0: every unread one of the user); *changed rows
 * (may be NULL). Not audited: not a business change. */
int notification_mark_read(struct db *db, int64_t user_id, int64_t id, int64_t *changed);

#endif
