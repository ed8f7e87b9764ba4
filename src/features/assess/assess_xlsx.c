/* assess_xlsx.c — a whole indicator system as one sheet (the tree: 编号, 层级, 上级编号, 指标名称,
 * 分值, 计分规则, 数据指标, 规则参数, 评分标准, 佐证材料): the import of its rows into a draft, all
 * or nothing, every problem of every row at once (the web reads the workbook, as every import
 * does: shell/excel.js). The export is assess_http.c's (a workbook is an answer). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "features/assess/assess.h"
#include "features/assess/assess_ind.h"
#include "features/assess/assess_rule.h"

static const char *cell(json_t *row, const char *key) {
    json_t *v = json_object_get(row, key);
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        while (*s == ' ')
            s++;
        return s;
    }
    return "";
}

/* the row's number written as text or a number */
static char *cell_text(struct arena *a, json_t *row, const char *key) {
    json_t *v = json_object_get(row, key);
    if (json_is_integer(v)) return arena_printf(a, "%lld", (long long)json_integer_value(v));
    if (json_is_real(v)) return arena_printf(a, "%.10g", json_real_value(v));
    char *s = arena_strdup(a, cell(row, key));
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        s[--n] = 0;
    return s;
}

static void err(json_t *errors, struct arena *a, int line, const char *column, const char *zh,
                const char *en, int lang) {
    (void)a;
    json_array_append_new(errors, json_pack("{s:i,s:s,s:s}", "row", line, "column", column,
                                            "message", lang ? en : zh));
}

/* "15", "2.5", "2.50" → hundredths; -1 */
static int points(const char *s, int64_t *out) {
    int64_t whole = 0, frac = 0;
    int places = -1, digits = 0;
    for (; *s; s++) {
        if (*s == '.' && places < 0) {
            places = 0;
            continue;
        }
        if (*s < '0' || *s > '9') return -1;
        if (places >= 0) {
            if (++places > 2) {
                if (*s != '0') return -1;
                continue;
            }
            frac = frac * 10 + (*s - '0');
        } else {
            if (whole > 100000) return -1;
            whole = whole * 10 + (*s - '0');
        }
        digits++;
    }
    if (!digits) return -1;
    if (places == 1) frac *= 10;
    *out = whole * 100 + frac;
    return 0;
}

static int text_ok(const char *s, int max) {
    int n = utf8_text_chars(s);
    return n >= 0 && n <= max && !strpbrk(s, "\r\n");
}

int assess_system_import(struct db *db, struct arena *a, int64_t system_id, json_t *rows, int lang,
                         const struct audit_actor *actor, json_t **errors) {
    *errors = json_array();
    int64_t total = 0;
    if (db_query_int(db, &total, "SELECT total_points FROM assess_systems WHERE id = ?", "i",
                     system_id) != DB_ROW)
        return DB_ERROR;
    size_t n = json_array_size(rows);
    struct assess_ind *v = arena_alloc(a, (n ? n : 1) * sizeof *v);
    memset(v, 0, (n ? n : 1) * sizeof *v);
    const char **parent_code = arena_alloc(a, (n ? n : 1) * sizeof *parent_code);
    int k = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *row = json_array_get(rows, i);
        int line = (int)i + 2; /* row 1 is the header */
        if (!json_is_object(row)) {
            err(*errors, a, line, "", "行格式无效", "Invalid row", lang);
            continue;
        }
        struct assess_ind *x = &v[k];
        x->row = line;
        x->parent = -1;
        x->code = cell_text(a, row, "code");
        x->name = cell_text(a, row, "name");
        const char *level = cell_text(a, row, "level"), *weight = cell_text(a, row, "weight");
        const char *rule = cell_text(a, row, "rule");
        x->metric = cell_text(a, row, "metric");
        x->params = cell_text(a, row, "params");
        x->method = cell_text(a, row, "method");
        x->evidence = cell_text(a, row, "evidence");
        parent_code[k] = cell_text(a, row, "parent_code");
        x->sort_order = k + 1;
        if (!*x->code && !*x->name && !*weight) continue; /* an empty line */
        int ok = 1;
        if (!*x->code || !text_ok(x->code, 20))
            err(*errors, a, line, "编号", "编号必填，最多 20 个字符",
                "The code is required (at most 20 characters)", lang),
                ok = 0;
        if (!*x->name || !text_ok(x->name, 200))
            err(*errors, a, line, "指标名称", "指标名称必填，最多 200 个字符",
                "The name is required (at most 200 characters)", lang),
                ok = 0;
        x->level = *level >= '1' && *level <= '3' && !level[1] ? *level - '0' : 0;
        if (!x->level)
            err(*errors, a, line, "层级", "层级须为 1、2 或 3", "The level is 1, 2 or 3", lang),
                ok = 0;
        if (points(weight, &x->weight) || x->weight > ASSESS_POINTS_MAX)
            err(*errors, a, line, "分值", "分值须为 0–1000 之间最多两位小数的数字",
                "The weight is a number 0–1000 with at most two decimals", lang),
                ok = 0;
        /* the rule by its code or its name (计分规则 column: 比率计分, deduct …) */
        x->rule = "";
        if (*rule) {
            for (int t = 0; t < AR_N; t++)
                if (!strcmp(rule, assess_rule_types[t].code) ||
                    !strcmp(rule, assess_rule_types[t].zh) ||
                    !strcmp(rule, assess_rule_types[t].en))
                    x->rule = assess_rule_types[t].code;
            if (!*x->rule)
                err(*errors, a, line, "计分规则",
                    "计分规则须为 比率计分、达标计分、扣分、加分、一票否决 或 人工评分",
                    "The rule is ratio, threshold, deduct, bonus, veto or manual", lang),
                    ok = 0;
        }
        if (!text_ok(x->metric, 100) || !text_ok(x->params, ASSESS_PARAMS_MAX) ||
            utf8_text_chars(x->method) > 2000 || utf8_text_chars(x->evidence) > 1000)
            err(*errors, a, line, "规则参数", "数据指标、规则参数、评分标准或佐证材料过长",
                "A metric, parameters, standard or evidence text is too long", lang),
                ok = 0;
        (void)ok;
        k++;
    }
    if (!k && !json_array_size(*errors))
        err(*errors, a, 1, "", "表中没有指标", "The sheet has no indicator", lang);
    /* parents by code, then the tree's own check (sums, levels, rules, metrics) by row */
    for (int i = 0; i < k; i++) {
        for (int j = 0; j < i; j++)
            if (!strcmp(v[j].code, v[i].code)) {
                err(*errors, a, v[i].row, "编号",
                    arena_printf(a, "编号 %s 与第 %d 行重复", v[i].code, v[j].row),
                    arena_printf(a, "The code %s is also on row %d", v[i].code, v[j].row), lang);
                break;
            }
        if (!*parent_code[i]) continue;
        for (int j = 0; j < k; j++)
            if (j != i && !strcmp(v[j].code, parent_code[i])) v[i].parent = j;
        if (v[i].parent < 0)
            err(*errors, a, v[i].row, "上级编号",
                arena_printf(a, "上级编号 %s 不存在", parent_code[i]),
                arena_printf(a, "No indicator %s to be the parent", parent_code[i]), lang);
        else
            v[i].parent_id = -1; /* has one (ids are written later) */
    }
    if (json_array_size(*errors)) return DB_OK;
    for (int i = 0; i < k; i++)
        if (v[i].parent >= 0) v[v[i].parent].children++;
    json_t *problems = json_array();
    assess_ind_check(a, v, k, total, problems);
    size_t i;
    json_t *p;
    json_array_foreach(problems, i, p) {
        const char *code = json_string_value(json_object_get(p, "code"));
        int line = 0;
        for (int j = 0; j < k && code && *code; j++)
            if (!strcmp(v[j].code, code)) line = v[j].row;
        json_array_append_new(*errors,
                              json_pack("{s:i,s:s,s:O}", "row", line, "column", "", "message",
                                        json_object_get(p, lang ? "en" : "zh")));
    }
    json_decref(problems);
    if (json_array_size(*errors)) return DB_OK;
    int rc = db_exec(db, "UPDATE assess_indicators SET parent_id = NULL WHERE system_id = ?", "i",
                     system_id);
    if (rc == DB_OK)
        rc = db_exec(db, "DELETE FROM assess_indicators WHERE system_id = ?", "i", system_id);
    if (rc == DB_OK) rc = assess_ind_insert(db, a, system_id, v, k);
    if (rc == DB_OK)
        rc = audit_append(db, actor, "assess_system.import", "assess_system",
                          arena_printf(a, "%lld", (long long)system_id), "ok",
                          arena_printf(a, "{\"indicators\":%d}", k));
    return rc;
}
