/* linediff.c — the line diff of linediff.h: lines interned as small ids (one hash table), the
 * common prefix and suffix cut off, Myers' greedy forward search with its trace on the middle,
 * the edit script walked back, then removed and added lines of one place paired as changes. */
#include "base/linediff.h"

#include <string.h>

struct lines {
    struct diff_text *t; /* the lines */
    int32_t *id;         /* equal lines have equal ids */
    int32_t n;
};

static int32_t count_lines(const char *s, size_t len) {
    int32_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (s[i] == '\n') n++;
    return n + (len > 0 && s[len - 1] != '\n');
}

static int split(struct arena *a, const char *s, size_t len, struct lines *out) {
    out->n = count_lines(s, len);
    out->t = arena_try_alloc(a, (size_t)out->n * sizeof *out->t + 1);
    out->id = arena_try_alloc(a, (size_t)out->n * sizeof *out->id + 1);
    if (!out->t || !out->id) return -1;
    int32_t k = 0;
    size_t start = 0;
    for (size_t i = 0; i <= len && k < out->n; i++) {
        if (i < len && s[i] != '\n') continue;
        size_t end = i;
        if (end > start && s[end - 1] == '\r') end--;
        out->t[k++] = (struct diff_text){s + start, end - start};
        start = i + 1;
    }
    return 0;
}

static uint64_t hash_text(const struct diff_text *t) {
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (size_t i = 0; i < t->len; i++)
        h = (h ^ (unsigned char)t->s[i]) * 1099511628211ULL;
    return h;
}

static int same_text(const struct diff_text *x, const struct diff_text *y) {
    return x->len == y->len && (x->len == 0 || !memcmp(x->s, y->s, x->len));
}

/* Give every line of both sides its id: one open-addressing table over both. */
static int intern(struct arena *a, struct lines *l, struct lines *r) {
    size_t total = (size_t)l->n + (size_t)r->n, cap = 16;
    while (cap < 2 * total)
        cap *= 2;
    const struct diff_text **slot = arena_try_alloc(a, cap * sizeof *slot);
    int32_t *slot_id = arena_try_alloc(a, cap * sizeof *slot_id);
    if (!slot || !slot_id) return -1;
    int32_t next = 0;
    struct lines *sides[2] = {l, r};
    for (int s = 0; s < 2; s++)
        for (int32_t i = 0; i < sides[s]->n; i++) {
            const struct diff_text *t = &sides[s]->t[i];
            size_t h = (size_t)hash_text(t) & (cap - 1);
            while (slot[h] && !same_text(slot[h], t))
                h = (h + 1) & (cap - 1);
            if (!slot[h]) {
                slot[h] = t;
                slot_id[h] = next++;
            }
            sides[s]->id[i] = slot_id[h];
        }
    return 0;
}

/* Myers on a[0..n) and b[0..m): the edit script into ops ('=', '-', '+'), *n_ops of them, or 1
 * when a bound was reached (nothing written), -1 when memory does not fit. */
static int myers(struct arena *a, const int32_t *x_id, int32_t n, const int32_t *y_id, int32_t m,
                 int32_t max_edits, int64_t max_work, char *ops, int32_t *n_ops) {
    int32_t dmax = n + m < max_edits ? n + m : max_edits;
    int32_t off = dmax + 1;
    int32_t *v = arena_try_alloc(a, (size_t)(2 * dmax + 3) * sizeof *v);
    int32_t **trace = arena_try_alloc(a, (size_t)(dmax + 1) * sizeof *trace);
    if (!v || !trace) return -1;
    int64_t work = 0;
    int32_t d_end = -1;
    for (int32_t d = 0; d <= dmax && d_end < 0; d++) {
        for (int32_t k = -d; k <= d; k += 2) {
            int32_t x = (k == -d || (k != d && v[off + k - 1] < v[off + k + 1]))
                            ? v[off + k + 1]
                            : v[off + k - 1] + 1;
            int32_t y = x - k;
            while (x < n && y < m && x_id[x] == y_id[y]) {
                x++;
                y++;
                work++;
            }
            v[off + k] = x;
            if (++work > max_work) return 1;
            if (x >= n && y >= m) {
                d_end = d;
                break;
            }
        }
        if (d_end >= 0) break;
        trace[d] = arena_try_alloc(a, (size_t)(2 * d + 1) * sizeof(int32_t));
        if (!trace[d]) return -1;
        memcpy(trace[d], v + off - d, (size_t)(2 * d + 1) * sizeof(int32_t));
    }
    if (d_end < 0) return 1;
    /* walk back from (n, m): each d one edit, after the snake that followed it */
    int32_t x = n, y = m, k_ops = 0;
    for (int32_t d = d_end; d > 0; d--) {
        const int32_t *pv = trace[d - 1] + (d - 1); /* pv[k] for k in -(d-1)..d-1 */
        int32_t k = x - y;
        int down = k == -d || (k != d && pv[k - 1] < pv[k + 1]);
        int32_t pk = down ? k + 1 : k - 1, px = pv[pk], py = px - pk;
        int32_t sx = down ? px : px + 1; /* where the edit ended, the snake began */
        while (x > sx) {
            ops[k_ops++] = '=';
            x--;
            y--;
        }
        ops[k_ops++] = down ? '+' : '-';
        x = px;
        y = py;
    }
    while (x > 0) {
        ops[k_ops++] = '=';
        x--;
    }
    for (int32_t i = 0, j = k_ops - 1; i < j; i++, j--) {
        char c = ops[i];
        ops[i] = ops[j];
        ops[j] = c;
    }
    *n_ops = k_ops;
    return 0;
}

struct builder {
    struct diff_result *out;
    const struct lines *l, *r;
    int32_t li, ri; /* next line of each side (0-based) */
};

static void row_same(struct builder *b) {
    b->out->rows[b->out->n_rows++] =
        (struct diff_row){DIFF_SAME, b->li + 1, b->ri + 1, b->l->t[b->li], b->r->t[b->ri]};
    b->li++;
    b->ri++;
}

/* The dels removed and adds added lines at the builder's position, paired in order as changes,
 * the longer side's rest as removed or added. */
static void rows_fill(struct builder *b, int32_t dels, int32_t adds) {
    struct diff_result *o = b->out;
    int32_t pairs = dels < adds ? dels : adds;
    for (int32_t i = 0; i < pairs; i++) {
        o->rows[o->n_rows++] = (struct diff_row){DIFF_CHANGE, b->li + 1 + i, b->ri + 1 + i,
                                                 b->l->t[b->li + i], b->r->t[b->ri + i]};
        o->changed++;
    }
    for (int32_t i = pairs; i < dels; i++) {
        o->rows[o->n_rows++] =
            (struct diff_row){DIFF_DEL, b->li + 1 + i, 0, b->l->t[b->li + i], {NULL, 0}};
        o->removed++;
    }
    for (int32_t i = pairs; i < adds; i++) {
        o->rows[o->n_rows++] =
            (struct diff_row){DIFF_ADD, 0, b->ri + 1 + i, {NULL, 0}, b->r->t[b->ri + i]};
        o->added++;
    }
    b->li += dels;
    b->ri += adds;
}

#define PAIR_CELLS_MAX 2500 /* dels × adds of one place aligned by likeness; beyond: in order */
#define PAIR_ENDS_MAX  512  /* bytes compared at each end of two lines */

/* How alike two lines are: the bytes of their common start and end (at most PAIR_ENDS_MAX
 * each), or 0 when that is less than half of the longer one. */
static int32_t likeness(const struct diff_text *x, const struct diff_text *y) {
    size_t n = x->len < y->len ? x->len : y->len, pre = 0, suf = 0;
    while (pre < n && pre < PAIR_ENDS_MAX && x->s[pre] == y->s[pre])
        pre++;
    while (suf < n - pre && suf < PAIR_ENDS_MAX && x->s[x->len - 1 - suf] == y->s[y->len - 1 - suf])
        suf++;
    size_t longer = x->len > y->len ? x->len : y->len;
    return pre + suf > 0 && 2 * (pre + suf) >= longer ? (int32_t)(pre + suf) : 0;
}

/* One place of dels removed and adds added lines: the pairs of alike lines that keep both
 * orders and are most alike in all (a small alignment, at most PAIR_CELLS_MAX cells) become
 * changes; between them, what is left is filled in order (rows_fill). A place too large for the
 * alignment, or with nothing alike, is filled in order. 0, or -1 when memory does not fit. */
static int rows_place(struct arena *a, struct builder *b, int32_t dels, int32_t adds) {
    if (!dels || !adds || (int64_t)dels * adds > PAIR_CELLS_MAX) {
        rows_fill(b, dels, adds);
        return 0;
    }
    int32_t w = adds + 1;
    int32_t *score = arena_try_alloc(a, (size_t)(dels + 1) * (size_t)w * sizeof *score);
    int32_t *like = arena_try_alloc(a, (size_t)dels * (size_t)adds * sizeof *like);
    if (!score || !like) return -1;
    for (int32_t i = 0; i < dels; i++)
        for (int32_t j = 0; j < adds; j++)
            like[i * adds + j] = likeness(&b->l->t[b->li + i], &b->r->t[b->ri + j]);
    for (int32_t i = 1; i <= dels; i++)
        for (int32_t j = 1; j <= adds; j++) {
            int32_t best = score[(i - 1) * w + j] > score[i * w + j - 1] ? score[(i - 1) * w + j]
                                                                         : score[i * w + j - 1];
            int32_t k = like[(i - 1) * adds + j - 1];
            if (k && score[(i - 1) * w + j - 1] + k > best) best = score[(i - 1) * w + j - 1] + k;
            score[i * w + j] = best;
        }
    /* the pairs, walked back from the end, then emitted in order */
    int32_t *pi = arena_try_alloc(a, (size_t)(dels < adds ? dels : adds) * 2 * sizeof *pi + 8);
    if (!pi) return -1;
    int32_t n = 0;
    for (int32_t i = dels, j = adds; i > 0 && j > 0;) {
        int32_t k = like[(i - 1) * adds + j - 1];
        if (k && score[i * w + j] == score[(i - 1) * w + j - 1] + k) {
            pi[2 * n] = i - 1;
            pi[2 * n + 1] = j - 1;
            n++;
            i--;
            j--;
        } else if (score[i * w + j] == score[(i - 1) * w + j]) {
            i--;
        } else {
            j--;
        }
    }
    int32_t li0 = b->li, ri0 = b->ri;
    for (int32_t k = n - 1; k >= 0; k--) {
        rows_fill(b, li0 + pi[2 * k] - b->li, ri0 + pi[2 * k + 1] - b->ri);
        rows_fill(b, 1, 1);
    }
    rows_fill(b, li0 + dels - b->li, ri0 + adds - b->ri);
    return 0;
}

int diff_lines(struct arena *a, const char *left, size_t llen, const char *right, size_t rlen,
               const struct diff_limits *lim, struct diff_result *out) {
    memset(out, 0, sizeof *out);
    int32_t max_edits = lim && lim->max_edits > 0 ? lim->max_edits : LINEDIFF_EDITS_MAX;
    int64_t max_work = lim && lim->max_work > 0 ? lim->max_work : LINEDIFF_WORK_MAX;
    struct lines l, r;
    if (split(a, left, llen, &l) || split(a, right, rlen, &r) || intern(a, &l, &r)) return -1;
    int32_t pre = 0, suf = 0;
    while (pre < l.n && pre < r.n && l.id[pre] == r.id[pre])
        pre++;
    while (suf < l.n - pre && suf < r.n - pre && l.id[l.n - 1 - suf] == r.id[r.n - 1 - suf])
        suf++;
    int32_t n = l.n - pre - suf, m = r.n - pre - suf, n_ops = 0;
    char *ops = arena_try_alloc(a, (size_t)n + (size_t)m + 1);
    out->rows = arena_try_alloc(a, ((size_t)l.n + (size_t)r.n + 1) * sizeof *out->rows);
    if (!ops || !out->rows) return -1;
    int rc = myers(a, l.id + pre, n, r.id + pre, m, max_edits, max_work, ops, &n_ops);
    if (rc < 0) return -1;
    if (rc > 0) { /* a bound: the whole middle removed, then added */
        out->approximate = 1;
        n_ops = 0;
        for (int32_t i = 0; i < n; i++)
            ops[n_ops++] = '-';
        for (int32_t i = 0; i < m; i++)
            ops[n_ops++] = '+';
    }
    struct builder b = {out, &l, &r, 0, 0};
    for (int32_t i = 0; i < pre; i++)
        row_same(&b);
    for (int32_t i = 0; i < n_ops;) {
        if (ops[i] == '=') {
            row_same(&b);
            i++;
            continue;
        }
        int32_t dels = 0, adds = 0;
        for (; i < n_ops && ops[i] != '='; i++) {
            if (ops[i] == '-')
                dels++;
            else
                adds++;
        }
        if (rows_place(a, &b, dels, adds)) return -1;
    }
    for (int32_t i = 0; i < suf; i++)
        row_same(&b);
    return 0;
}
