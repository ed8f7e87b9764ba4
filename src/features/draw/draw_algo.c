/* draw_algo.c — the draw as a pure function of its inputs and seed (draw_algo.h, docs/draw.md). */
#include "features/draw/draw_algo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/crypto.h"

static int grade_index(char g) {
    const char *p = g ? strchr(DRAW_GRADES, g) : NULL;
    return p ? (int)(p - DRAW_GRADES) : -1;
}

static void clean(const char *s) { /* control characters → spaces, in place */
    for (char *p = (char *)s; p && *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f) *p = ' ';
}

static int conflict_cmp(const void *x, const void *y) {
    const struct draw_conflict *a = x, *b = y;
    if (a->inspector_id != b->inspector_id) return a->inspector_id < b->inspector_id ? -1 : 1;
    if (a->object != b->object) return a->object ? -1 : 1; /* "object" < "unit" */
    return a->id < b->id ? -1 : a->id > b->id;
}

void draw_normalise(struct draw_input *in) {
    clean(in->source);
    for (int i = 0; i < in->n_objects; i++)
        clean(in->objects[i].name);
    for (int i = 0; i < in->n_inspectors; i++)
        clean(in->inspectors[i].name);
    if (in->n_conflicts < 2) return;
    qsort(in->conflicts, (size_t)in->n_conflicts, sizeof *in->conflicts, conflict_cmp);
    int n = 1; /* the same conflict declared twice is one line of the canonical form */
    for (int i = 1; i < in->n_conflicts; i++)
        if (conflict_cmp(&in->conflicts[i], &in->conflicts[n - 1]))
            in->conflicts[n++] = in->conflicts[i];
    in->n_conflicts = n;
}

static void put_id(struct buf *b, int64_t id) {
    if (id)
        buf_printf(b, "\t%lld", (long long)id);
    else
        buf_puts(b, "\t-");
}

char *draw_canonical(struct arena *a, const struct draw_input *in, size_t *len) {
    struct buf b;
    buf_init(&b, a, 1024 + 64 * (size_t)(in->n_objects + in->n_inspectors + in->n_conflicts));
    buf_printf(&b, "%s\nsource\t%s\t%s\nsupersedes\t%s\nper_object\t%d\nrecusal\t%s\n",
               DRAW_ALGORITHM, in->source_kind, in->source, in->supersedes ? in->supersedes : "-",
               in->per_object, DRAW_RECUSAL);
    for (int g = 0; g < 4; g++) {
        buf_printf(&b, "sample\t%c\t", DRAW_GRADES[g]);
        if (in->ratio[g] >= 0)
            buf_printf(&b, "%d", in->ratio[g]);
        else
            buf_puts(&b, "-");
        buf_printf(&b, "\t%d\n", in->count[g]);
    }
    for (int i = 0; i < in->n_objects; i++) {
        const struct draw_object *o = &in->objects[i];
        buf_printf(&b, "object\t%lld\t%c", (long long)o->id, o->risk);
        put_id(&b, o->unit_id);
        buf_printf(&b, "\t%s\n", o->name);
    }
    for (int i = 0; i < in->n_inspectors; i++) {
        const struct draw_inspector *p = &in->inspectors[i];
        buf_printf(&b, "inspector\t%lld", (long long)p->id);
        put_id(&b, p->unit_id);
        buf_printf(&b, "\t%s\n", p->name);
    }
    for (int i = 0; i < in->n_conflicts; i++) {
        const struct draw_conflict *c = &in->conflicts[i];
        buf_printf(&b, "conflict\t%lld\t%s\t%lld\n", (long long)c->inspector_id,
                   c->object ? "object" : "unit", (long long)c->id);
    }
    if (len) *len = b.len;
    return b.data;
}

/* ---- parsing ---- */

static int parse_id(const char *s, int64_t *v, int dash_ok) {
    if (dash_ok && !strcmp(s, "-")) {
        *v = 0;
        return 0;
    }
    if (!*s || *s == '0' || strlen(s) > 18) return -1;
    int64_t x = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9') return -1;
        x = x * 10 + (*p - '0');
    }
    *v = x;
    return 0;
}

/* Split line into at most max tab-separated fields (the last takes the rest). */
static int split(char *line, char **f, int max) {
    int n = 0;
    f[n++] = line;
    for (char *p = line; *p && n < max; p++)
        if (*p == '\t') {
            *p = 0;
            f[n++] = p + 1;
        }
    return n;
}

int draw_parse(struct arena *a, const char *text, struct draw_input *out) {
    memset(out, 0, sizeof *out);
    char *t = arena_strdup(a, text);
    int lines = 0;
    for (const char *p = t; *p; p++)
        lines += *p == '\n';
    out->objects = arena_alloc(a, sizeof *out->objects * (size_t)(lines + 1));
    out->inspectors = arena_alloc(a, sizeof *out->inspectors * (size_t)(lines + 1));
    out->conflicts = arena_alloc(a, sizeof *out->conflicts * (size_t)(lines + 1));
    int line_no = 0, grades = 0, have[4] = {0};
    char *p = t;
    while (*p) {
        char *nl = strchr(p, '\n');
        if (!nl) return -1; /* every line ends with LF */
        *nl = 0;
        char *f[5];
        int n = split(p, f, 5);
        int64_t v;
        if (line_no == 0) {
            if (strcmp(p, DRAW_ALGORITHM)) return -1;
        } else if (line_no == 1) {
            if (n != 3 || strcmp(f[0], "source") ||
                (strcmp(f[1], "witness") && strcmp(f[1], "public")))
                return -1;
            out->source_kind = f[1];
            out->source = f[2];
        } else if (line_no == 2) {
            if (n != 2 || strcmp(f[0], "supersedes")) return -1;
            out->supersedes = strcmp(f[1], "-") ? f[1] : NULL;
            if (out->supersedes && strlen(out->supersedes) != 64) return -1;
        } else if (line_no == 3) {
            if (n != 2 || strcmp(f[0], "per_object") || parse_id(f[1], &v, 0) || v < 2 ||
                v > DRAW_PER_OBJECT_MAX)
                return -1;
            out->per_object = (int)v;
        } else if (line_no == 4) {
            if (n != 2 || strcmp(f[0], "recusal") || strcmp(f[1], DRAW_RECUSAL)) return -1;
        } else if (line_no <= 8) {
            int g = line_no - 5;
            if (n != 4 || strcmp(f[0], "sample") || f[1][0] != DRAW_GRADES[g] || f[1][1]) return -1;
            if (!strcmp(f[2], "-"))
                out->ratio[g] = -1;
            else if (!strcmp(f[2], "0"))
                out->ratio[g] = 0;
            else if (parse_id(f[2], &v, 0) || v > 100)
                return -1;
            else
                out->ratio[g] = (int)v;
            if (!strcmp(f[3], "0"))
                out->count[g] = 0;
            else if (parse_id(f[3], &v, 0) || v > 1000000)
                return -1;
            else
                out->count[g] = (int)v;
            grades++;
        } else if (!strcmp(f[0], "object")) {
            struct draw_object *o = &out->objects[out->n_objects];
            if (out->n_inspectors || out->n_conflicts || n != 5 || parse_id(f[1], &o->id, 0) ||
                grade_index(f[2][0]) < 0 || f[2][1] || parse_id(f[3], &o->unit_id, 1))
                return -1;
            if (out->n_objects && o->id <= out->objects[out->n_objects - 1].id) return -1;
            o->risk = f[2][0];
            o->name = f[4];
            have[grade_index(o->risk)]++;
            out->n_objects++;
        } else if (!strcmp(f[0], "inspector")) {
            struct draw_inspector *i = &out->inspectors[out->n_inspectors];
            if (out->n_conflicts || n != 4 || parse_id(f[1], &i->id, 0) ||
                parse_id(f[2], &i->unit_id, 1))
                return -1;
            if (out->n_inspectors && i->id <= out->inspectors[out->n_inspectors - 1].id) return -1;
            i->name = f[3];
            out->n_inspectors++;
        } else if (!strcmp(f[0], "conflict")) {
            struct draw_conflict *c = &out->conflicts[out->n_conflicts];
            if (n != 4 || parse_id(f[1], &c->inspector_id, 0) || parse_id(f[3], &c->id, 0) ||
                (strcmp(f[2], "object") && strcmp(f[2], "unit")))
                return -1;
            c->object = !strcmp(f[2], "object");
            if (out->n_conflicts && conflict_cmp(c, &out->conflicts[out->n_conflicts - 1]) <= 0)
                return -1;
            out->n_conflicts++;
        } else {
            return -1;
        }
        line_no++;
        p = nl + 1;
    }
    if (grades != 4) return -1;
    for (int g = 0; g < 4; g++)
        if (out->count[g] > have[g]) return -1;
    return 0;
}

void draw_commitment(const char *canonical, size_t len, char hex[65]) {
    sha256_hex(canonical, len, hex);
}

int draw_seed(const char *commitment_hex, const char *value, unsigned char seed[32]) {
    size_t vn = strlen(value);
    if (strlen(commitment_hex) != 64) return -1;
    unsigned char *m = malloc(32 + vn + 1);
    if (!m) return -1;
    for (int i = 0; i < 32; i++) {
        unsigned v = 0;
        for (int k = 0; k < 2; k++) {
            char c = commitment_hex[2 * i + k];
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
            if (d < 0) {
                free(m);
                return -1;
            }
            v = v * 16 + (unsigned)d;
        }
        m[i] = (unsigned char)v;
    }
    memcpy(m + 32, value, vn);
    sha256_raw(m, 32 + vn, seed);
    free(m);
    return 0;
}

/* ---- eligibility ---- */

/* The conflicts of one inspector: [*from, *to). */
static void conflicts_of(const struct draw_input *in, int64_t inspector, int *from, int *to) {
    int lo = 0, hi = in->n_conflicts;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (in->conflicts[mid].inspector_id < inspector)
            lo = mid + 1;
        else
            hi = mid;
    }
    *from = lo;
    while (hi < in->n_conflicts && in->conflicts[hi].inspector_id == inspector)
        hi++;
    *to = hi;
}

int draw_eligible(const struct draw_input *in, const struct draw_object *obj,
                  const struct draw_inspector *ins) {
    if (obj->unit_id && ins->unit_id == obj->unit_id) return 0; /* never their own unit */
    int from, to;
    conflicts_of(in, ins->id, &from, &to);
    for (int k = from; k < to; k++) {
        const struct draw_conflict *c = &in->conflicts[k];
        if (c->object ? c->id == obj->id : (obj->unit_id && c->id == obj->unit_id)) return 0;
    }
    return 1;
}

static int eligible_count(const struct draw_input *in, const struct draw_object *obj) {
    int n = 0;
    for (int i = 0; i < in->n_inspectors; i++)
        n += draw_eligible(in, obj, &in->inspectors[i]);
    return n;
}

int draw_short_object(const struct draw_input *in, int *have) {
    for (int i = 0; i < in->n_objects; i++) {
        int g = grade_index(in->objects[i].risk);
        if (g < 0 || !in->count[g]) continue;
        int n = eligible_count(in, &in->objects[i]);
        if (n < in->per_object) {
            if (have) *have = n;
            return i;
        }
    }
    return -1;
}

/* ---- the random stream: block k = SHA-256(seed ‖ k as 8 bytes big-endian), read as eight
 * 32-bit big-endian words; integers in [0, n) by rejection (unbiased). ---- */

struct stream {
    unsigned char seed[32];
    uint64_t block;
    unsigned char words[32];
    int used; /* words taken from `words` (8: take a new block) */
};

static uint32_t stream_u32(struct stream *s) {
    if (s->used == 8) {
        unsigned char m[40];
        memcpy(m, s->seed, 32);
        for (int i = 0; i < 8; i++)
            m[32 + i] = (unsigned char)(s->block >> (56 - 8 * i));
        sha256_raw(m, sizeof m, s->words);
        s->block++;
        s->used = 0;
    }
    const unsigned char *w = s->words + 4 * s->used++;
    return (uint32_t)w[0] << 24 | (uint32_t)w[1] << 16 | (uint32_t)w[2] << 8 | w[3];
}

static uint32_t stream_below(struct stream *s, uint32_t n) {
    uint64_t limit = ((uint64_t)1 << 32) - (((uint64_t)1 << 32) % n); /* a multiple of n */
    for (;;) {
        uint32_t x = stream_u32(s);
        if (x < limit) return x % n;
    }
}

/* Partial Fisher-Yates: the first k of v[0..m) become a uniform ordered sample. */
static void sample(struct stream *s, int64_t *v, int m, int k) {
    for (int i = 0; i < k; i++) {
        int j = i + (int)stream_below(s, (uint32_t)(m - i));
        int64_t t = v[i];
        v[i] = v[j];
        v[j] = t;
    }
}

int draw_run(struct arena *a, const struct draw_input *in, const unsigned char seed[32],
             struct draw_pick **picks, int *n) {
    struct stream s = {.used = 8};
    memcpy(s.seed, seed, 32);
    int total = 0;
    for (int g = 0; g < 4; g++)
        total += in->count[g];
    struct draw_pick *out = arena_alloc(a, sizeof *out * (size_t)(total + 1));
    int64_t *v = arena_alloc(a, sizeof *v * (size_t)(in->n_objects + in->n_inspectors + 1));
    const struct draw_object **chosen = arena_alloc(a, sizeof *chosen * (size_t)(total + 1));
    int k = 0;
    for (int g = 0; g < 4; g++) {
        int m = 0;
        for (int i = 0; i < in->n_objects; i++)
            if (in->objects[i].risk == DRAW_GRADES[g]) v[m++] = i;
        if (in->count[g] > m) return -1;
        sample(&s, v, m, in->count[g]);
        for (int i = 0; i < in->count[g]; i++)
            chosen[k++] = &in->objects[v[i]];
    }
    for (int p = 0; p < k; p++) {
        const struct draw_object *o = chosen[p];
        int m = 0;
        for (int i = 0; i < in->n_inspectors; i++)
            if (draw_eligible(in, o, &in->inspectors[i])) v[m++] = in->inspectors[i].id;
        if (m < in->per_object) return -1;
        sample(&s, v, m, in->per_object);
        out[p].object = o->id;
        memcpy(out[p].inspectors, v, sizeof *v * (size_t)in->per_object);
    }
    *picks = out;
    *n = k;
    return 0;
}

char *draw_result_text(struct arena *a, const struct draw_pick *picks, int n, int per_object) {
    struct buf b;
    buf_init(&b, a, 64 + 24 * (size_t)n * (size_t)(per_object + 1));
    for (int p = 0; p < n; p++) {
        buf_printf(&b, "%lld", (long long)picks[p].object);
        for (int i = 0; i < per_object; i++)
            buf_printf(&b, "%c%lld", i ? ',' : '\t', (long long)picks[p].inspectors[i]);
        buf_puts(&b, "\n");
    }
    return b.data;
}
