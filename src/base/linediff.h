/* linediff.h — a line diff of two texts for a side-by-side view (two draft versions of a
 * decision or a normative document): which lines are the same, added, removed or changed.
 *
 * Myers' O(ND) algorithm on the lines between the common prefix and suffix, with two bounds so
 * that no input can take the server: at most max_edits inserted plus deleted lines and at most
 * max_work steps (diagonal moves and snake comparisons). Past either bound the middle that is
 * left is answered as removed then added (still a true diff, not the shortest: `approximate`).
 * Memory: the lines, their ids, and Myers' trace of at most (max_edits + 1)² ints, all from the
 * arena with arena_try_alloc — diff_lines answers -1 when they do not fit its budget.
 *
 * Pure: no database, no globals. Lines end at '\n' (a "\r" before it is not part of the line);
 * a final '\n' ends the last line and starts none; "" has no lines. */
#ifndef FAZHI_LINEDIFF_H
#define FAZHI_LINEDIFF_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"

#define LINEDIFF_EDITS_MAX 2000    /* default: inserted + deleted lines found by Myers */
#define LINEDIFF_WORK_MAX  4000000 /* default: Myers steps */

enum diff_op {
    DIFF_SAME,   /* the line in both: left_no and right_no */
    DIFF_DEL,    /* only on the left (removed) */
    DIFF_ADD,    /* only on the right (added) */
    DIFF_CHANGE, /* a removed line beside the added line that took its place */
};

struct diff_text {
    const char *s; /* into the caller's text, not NUL-terminated */
    size_t len;    /* bytes */
};

struct diff_row {
    enum diff_op op;
    int32_t left_no, right_no;    /* 1-based line numbers; 0 for the side that has none */
    struct diff_text left, right; /* the lines ({NULL, 0} for the side that has none) */
};

struct diff_result {
    struct diff_row *rows; /* in the arena, in reading order */
    int32_t n_rows;
    int32_t added, removed, changed; /* rows of op ADD, DEL, CHANGE */
    int approximate;                 /* a bound was reached: the middle is not minimal */
};

struct diff_limits {
    int32_t max_edits; /* <= 0: LINEDIFF_EDITS_MAX */
    int64_t max_work;  /* <= 0: LINEDIFF_WORK_MAX */
};

/* Diff left[0..llen) against right[0..rlen) (lim may be NULL: the defaults). The removed and
 * added lines of one place become changes where they are alike (common start and end at least
 * half the longer line: the most alike pairs that keep both orders), the rest beside each other
 * in order; what is left over stays removed or added. 0, or -1 when memory does not fit. */
int diff_lines(struct arena *a, const char *left, size_t llen, const char *right, size_t rlen,
               const struct diff_limits *lim, struct diff_result *out);

#endif
