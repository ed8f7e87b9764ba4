/* consult.h — 公开征求意见: public comment on drafts. Staff open a draft (its text, or the
 * decision or normative document it is the draft of) for comment over a period of at least 30
 * days (shorter only with a stated reason, shown to the public); anyone comments without an
 * account (length-limited, rate-limited per address, a signed arithmetic question, a honeypot
 * field and a minimum fill time); staff group the comments under topics, answer them and mark
 * each adopted, partly adopted or not adopted with a reason; the tally and the 采纳情况 are
 * published once the period has ended.
 *
 * 重大行政决策程序暂行条例 第十五条: 公开征求意见的期限一般不少于30日；因情况紧急等原因需要缩短
 * 期限的，公开征求意见时应当予以说明。第十六条: 对社会公众普遍关心或者专业性、技术性较强的
 * 问题 … 决策承办单位应当 … 反馈意见采纳情况。
 *
 * States: 草稿 → 征求意见中 (open) → 已截止 (the period ended: the daily job `consult_close`
 * closes in batches, and every read closes what has ended, so it is right the moment it ends) →
 * 已公布 (tally and 采纳情况 public). Routes of the entities are generated (features/entity);
 * the public routes and the tally are consult_http.c. Memory: arena or new json references. */
#ifndef FAZHI_CONSULT_H
#define FAZHI_CONSULT_H

#include <jansson.h>
#include <stdint.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "base/arena.h"
#include "features/entity/entity.h"
#include "features/flow/flow.h"
#include "store/db.h"
#include "store/job.h"

extern struct perm_def perm_consult_view, perm_consult_work, perm_consult_manage;
extern const struct entity entity_consultations, entity_consultation_comments,
    entity_consultation_topics;
extern const struct flow_kind consultation_kind;
extern const struct daily_job consult_close_job;

/* Close every open consultation whose last day is before `today` (at most `max`): status
 * closed, a timeline event and an audit record (actor system). Inside the caller's transaction
 * when one is open, else in its own. *closed: how many (may be NULL). DB_OK or < 0. */
int consult_close_due(struct db *db, struct arena *a, int32_t today, int max, int *closed);

/* The counts of a consultation's comments: {total, adoption:{pending, adopted, partly,
 * rejected}, topics:[{topic_id, name, total, pending, adopted, partly, rejected}]} (topics in
 * their order, then "未分组" with topic_id null when some comments have none). The caller
 * checks the reader may see it. New reference or NULL (DB error). */
json_t *consult_tally_json(struct db *db, int64_t id);

/* ---- the public side (consult_public.c) ---- */

/* Open, closed and published consultations for anyone: {items:[…], total}. state: "open",
 * "closed" or "published". New reference or NULL with *rc. */
json_t *consult_public_list(struct db *db, struct arena *a, const char *state, int64_t offset,
                            int64_t limit, int lang, int *rc);
/* One consultation that is not a draft, with the comments' tally, 采纳情况 and the masked
 * comments once published, and a new challenge while it takes comments. NULL with *rc
 * (DB_DONE: none, or a draft). */
json_t *consult_public_get(struct db *db, struct arena *a, int64_t id, int lang, int *rc);

/* Whether consultation `id` takes comments today: 1 yes, 0 no — *ends_on then says until when
 * it did ("" for a draft or none: *exists 0). < 0 error. */
int consult_accepting(struct db *db, int64_t id, int32_t today, int *exists, char ends_on[11]);

/* The challenge (an arithmetic question in words) in a signed token
 * "<consultation>.<issued unix>.<nonce>.<mac>", keyed by a key derived from the data key. */
struct consult_challenge {
    char token[200];
    const char *question_zh, *question_en;
    int64_t expires_in; /* seconds */
};
int consult_challenge_new(struct db *db, struct arena *a, int64_t id,
                          struct consult_challenge *out); /* DB_OK or < 0 (no key) */
/* Check and spend a challenge (inside the caller's transaction): 1 right; 0 refused with
 * *zh and *en saying why (wrong answer, expired, too fast, for another consultation, used before);
 * < 0 error. A token that is genuine is spent whatever the answer. */
int consult_challenge_check(struct db *db, int64_t id, const char *token, const char *answer,
                            const char **zh, const char **en);

/* Store an anonymous comment (contact sealed), its audit record with the client address as the
 * actor's. Inside the caller's transaction. DB_OK with *comment_id, or < 0. */
int consult_comment_add(struct db *db, struct arena *a, const struct audit_actor *actor, int64_t id,
                        const char *body, const char *contact, int64_t *comment_id);

/* demo (consult_demo.c) */
int consult_demo(struct db *db, struct arena *a, int32_t today);
int consult_demo_scale(struct db *db, int64_t volume, int32_t today);

#endif
