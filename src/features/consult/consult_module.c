/* consult_module.c — the 公开征求意见 module's declarations (http/module.h): permissions and
 * grants, settings (the period, the comment's length, the rate limit per address, the
 * challenge), the tables, the entities and the kind (their routes generated), the public routes
 * and the tally, the daily closing job, the sealed contact column, the menu and the demo. */
#include "features/consult/consult.h"
#include "features/consult/consult_http.h"
#include "http/module.h"

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

struct perm_def perm_consult_view = {
    "consult.view", "consult", "查看公开征求意见", "View public consultations", 0, 0};
struct perm_def perm_consult_work = {"consult.work",
                                     "consult",
                                     "办理本单位公开征求意见",
                                     "Handle the unit's public consultations",
                                     0,
                                     0};
struct perm_def perm_consult_manage = {"consult.manage",
                                       "consult",
                                       "办理全部公开征求意见（依法治区办）",
                                       "Handle every public consultation (the office)",
                                       0,
                                       0};
static struct perm_def *const perms[] = {&perm_consult_view, &perm_consult_work,
                                         &perm_consult_manage};

/* A drafting unit's clerks open drafts for comment and handle the comments; the office may act
 * for any unit; leaders and reviewers read. */
static const struct perm_grant grants[] = {
    {"office", "consult.view consult.work consult.manage"},
    {"clerk", "consult.view consult.work"},
    {"leader", "consult.view"},
    {"reviewer", "consult.view"},
};

static const struct setting_def settings[] = {
    {"consult.min_days", SETTING_INT, "30", 1, 365, "setting.manage", "consult",
     "征求意见最短期限（日）", "Shortest comment period (days)",
     "重大行政决策程序暂行条例第十五条：公开征求意见的期限一般不少于30日；短于此期限须说明理由"},
    {"consult.comment_max_chars", SETTING_INT, "2000", 100, 20000, "setting.manage", "consult",
     "每条意见最多字数", "Characters per comment", "社会公众提交的一条意见的字数上限"},
    {"consult.rate_max", SETTING_INT, "10", 1, 100000, "setting.manage", "consult",
     "同一地址每时段最多提交意见数", "Comments per address and window",
     "同一网络地址（IPv6 按 /64）在一个时段内最多可提交的意见条数，超过后答复 429"},
    {"consult.rate_window_minutes", SETTING_INT, "60", 1, 1440, "setting.manage", "consult",
     "提交频率统计时段（分钟）", "Rate window (minutes)", "统计同一地址提交次数的时段长度"},
    {"consult.challenge_minutes", SETTING_INT, "30", 1, 240, "setting.manage", "consult",
     "验证问题有效期（分钟）", "Check valid for (minutes)",
     "打开页面时给出的算术验证问题在此时间内有效，且只能使用一次"},
    {"consult.min_fill_seconds", SETTING_INT, "5", 0, 600, "setting.manage", "consult",
     "最短填写时间（秒）", "Shortest fill time (seconds)",
     "从打开页面到提交不足此时间的视为自动提交，不予受理（0 为不检查）"},
};

static const struct migration migrations[] = {
    {1, "consultations, their topics, comments and timeline; spent challenges",
     "CREATE TABLE consultations ("
     " id @ID@, consult_no TEXT UNIQUE, title TEXT NOT NULL, body TEXT NOT NULL DEFAULT '',"
     " explanation TEXT NOT NULL DEFAULT '', decision_id BIGINT, normdoc_id BIGINT,"
     " unit_id BIGINT NOT NULL REFERENCES units(id), starts_on TEXT NOT NULL,"
     " ends_on TEXT NOT NULL, short_reason TEXT NOT NULL DEFAULT '',"
     " mail_to TEXT NOT NULL DEFAULT '', post_address TEXT NOT NULL DEFAULT '',"
     " channel_note TEXT NOT NULL DEFAULT '', status TEXT NOT NULL,"
     " result_summary TEXT NOT NULL DEFAULT '', opened_at TEXT, closed_at TEXT,"
     " published_at TEXT, created_by BIGINT REFERENCES users(id), created_at TEXT NOT NULL,"
     " updated_at TEXT NOT NULL, version BIGINT NOT NULL DEFAULT 1);"
     /* a unit's page by date; the office's and the public's by state; the closing job's */
     "CREATE INDEX consultations_unit ON consultations(unit_id, starts_on);"
     "CREATE INDEX consultations_status ON consultations(status, ends_on);"
     "CREATE INDEX consultations_decision ON consultations(decision_id);"
     "CREATE INDEX consultations_normdoc ON consultations(normdoc_id);"
     "CREATE TABLE consultation_topics ("
     " id @ID@, consultation_id BIGINT NOT NULL REFERENCES consultations(id),"
     " name TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', sort_order BIGINT NOT NULL DEFAULT 0,"
     " created_at TEXT NOT NULL, updated_at TEXT NOT NULL, version BIGINT NOT NULL DEFAULT 1);"
     "CREATE UNIQUE INDEX consultation_topics_name ON consultation_topics(consultation_id, name);"
     "CREATE TABLE consultation_comments ("
     " id @ID@, consultation_id BIGINT NOT NULL REFERENCES consultations(id),"
     " body TEXT NOT NULL, contact TEXT NOT NULL DEFAULT '',"
     " topic_id BIGINT REFERENCES consultation_topics(id), adoption TEXT NOT NULL,"
     " adoption_reason TEXT NOT NULL DEFAULT '', answer TEXT NOT NULL DEFAULT '',"
     " handled_by BIGINT REFERENCES users(id), handled_at TEXT, submitted_at TEXT NOT NULL,"
     " updated_at TEXT NOT NULL, version BIGINT NOT NULL DEFAULT 1);"
     "CREATE INDEX consultation_comments_parent ON consultation_comments(consultation_id,"
     " submitted_at);"
     "CREATE INDEX consultation_comments_topic ON consultation_comments(topic_id);"
     "CREATE TABLE consultation_events ("
     " id @ID@, consultation_id BIGINT NOT NULL REFERENCES consultations(id), at TEXT NOT NULL,"
     " actor_id BIGINT REFERENCES users(id), actor_name TEXT NOT NULL, unit_id BIGINT,"
     " action TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', detail TEXT NOT NULL DEFAULT '');"
     "CREATE INDEX consultation_events_parent ON consultation_events(consultation_id, id);"
     "CREATE TABLE consult_challenge_uses (nonce TEXT PRIMARY KEY, used_at BIGINT NOT NULL);"
     "CREATE INDEX consult_challenge_uses_at ON consult_challenge_uses(used_at);",
     NULL, NULL},
};

static const struct copy_table tables[] = {
    {"consultations", "id", 1},
    {"consultation_topics", "id", 1},
    {"consultation_comments", "id", 1},
    {"consultation_events", "id", 1},
    {"consult_challenge_uses", "nonce", 0},
};

static const struct route routes[] = {
    {M_GET, "/api/v1/public/consultations", &perm_public, consult_public_list_route},
    {M_GET, "/api/v1/public/consultations/:id", &perm_public, consult_public_get_route},
    {M_POST, "/api/v1/public/consultations/:id/comments", &perm_public,
     consult_public_comment_route},
    {M_GET, "/api/v1/consultations/:id/tally", &perm_consult_view, consult_tally_route},
};

static const struct sealed_column sealed[] = {
    {"consultation_comments", "contact"},
};

static const struct entity *const entities[] = {
    &entity_consultations, &entity_consultation_comments, &entity_consultation_topics};
static const struct flow_kind *const kinds[] = {&consultation_kind};

static const struct menu_item menu[] = {
    {"legality", "/consultations", "entity", "公开征求意见", "Public consultations",
     "ChatLineSquare", &perm_consult_view, 40, 0, NULL},
};

static const struct audit_name audit_names[] = {
    {"consultation", "公开征求意见", "Public consultation"},
    {"consultation_topic", "意见分组", "Comment topic"},
    {"consultation_comment", "征求意见意见", "Public comment"},
    {"consultation.close", "征求意见期限届满截止", "Comment period ended"},
    {"consultation_comment.submit", "社会公众提交意见", "Comment submitted by the public"},
};

const struct module consult_module = {
    .name = "consult",
    .zh = "公开征求意见",
    .en = "Public consultation",
    .perms = perms,
    .n_perms = MODULE_N(perms),
    .grants = grants,
    .n_grants = MODULE_N(grants),
    .settings = settings,
    .n_settings = MODULE_N(settings),
    .migrations = migrations,
    .n_migrations = MODULE_N(migrations),
    .tables = tables,
    .n_tables = MODULE_N(tables),
    .routes = routes,
    .n_routes = MODULE_N(routes),
    .jobs = &consult_close_job,
    .n_jobs = 1,
    .sealed = sealed,
    .n_sealed = MODULE_N(sealed),
    .menu = menu,
    .n_menu = MODULE_N(menu),
    .entities = entities,
    .n_entities = MODULE_N(entities),
    .kinds = kinds,
    .n_kinds = MODULE_N(kinds),
    .audit_names = audit_names,
    .n_audit_names = MODULE_N(audit_names),
    .demo = consult_demo,
    .demo_scale = consult_demo_scale,
};
