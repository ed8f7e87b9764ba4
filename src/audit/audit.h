/* audit.h — the append-only, hash-chained audit log.
 *
 * Each record stores the previous record's hash and its own:
 *   hash = SHA-256( prev_hash || canonical(record) )
 * where canonical() is "fazhi-audit-v1" followed by each field as <decimal length>:<bytes>,
 * in a fixed order. `hash_alg` names the scheme so it can change later. The head row
 * (audit_head) holds the last seq and hash; updating it inside the writer's transaction
 * serialises appends on every engine and lets verify notice records cut from the end. */
#ifndef FAZHI_AUDIT_H
#define FAZHI_AUDIT_H

#include <stdint.h>

#include "store/db.h"

#define AUDIT_HASH_ALG "sha256-v1"

struct audit_actor {
    int64_t user_id;        /* 0 when unknown (failed login of an unknown name) */
    const char *username;   /* as typed for failed logins */
    const char *role;       /* role code or "" */
    int64_t unit_id;        /* 0 when none */
    const char *ip;         /* client address */
    const char *request_id; /* X-Request-Id */
};

/* The name people read for an audit code (GET /api/v1/audit/names), declared by the module that
 * writes it (http/module.h `audit_names`): a code without a dot is an object type ("task" →
 * 督办任务 / Task, singular), one with a dot an action ("auth.login" → 登录 / Sign in). Actions
 * of entities (create/update/delete/import) and of workflow kinds (their transitions) are named
 * from those declarations and need no row. */
struct audit_name {
    const char *code;
    const char *zh, *en;
};

/* Append one record inside the caller's open write transaction. 0 ok, < 0 error: the caller
 * must roll back (no write without its audit record). detail: JSON text or "". */
int audit_append(struct db *db, const struct audit_actor *who, const char *action,
                 const char *object_type, const char *object_id, const char *result,
                 const char *detail);

struct audit_verify_result {
    int ok;                /* 1 intact */
    int64_t records;       /* records checked */
    int64_t first_bad_seq; /* 0 when intact */
    char message[200];     /* what is wrong */
};
/* Recompute the chain and compare it with the head row; a missing head row is a failure (a log
 * cut from the end would otherwise look whole). rc < 0 on db error. */
int audit_verify(struct db *db, struct audit_verify_result *out);

struct audit_head {
    int64_t seq;   /* last record's sequence, 0 for an empty log */
    char hash[65]; /* its hash (hex) */
};
/* Read the head row: DB_ROW, DB_DONE when the row is missing, < 0 on error. */
int audit_head_read(struct db *db, struct audit_head *out);

/* Canonical hash of one record; exposed for tests. */
void audit_hash(const char *prev_hash, int64_t seq, const char *ts, int64_t actor_id,
                const char *actor, const char *role, int64_t unit_id, const char *ip,
                const char *request_id, const char *action, const char *object_type,
                const char *object_id, const char *result, const char *detail, char out[65]);

#endif
