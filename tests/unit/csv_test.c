/* csv_test.c — the CSV reader every import uses: RFC 4180 quoting, line endings, the BOM,
 * encoding, every limit with its row and column, and memory that does not grow with the input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/app.h"
#include "base/arena.h"
#include "base/csv.h"

static const struct csv_limits roomy = {
    .input_max = 1 << 20, .field_max = 1000, .fields_max = 20, .rows_max = 1000};

struct rows {
    int n;              /* records read */
    int fields[16];     /* fields per record */
    char text[16][256]; /* the record's fields joined by '|' */
    int rc;             /* the last csv_next answer (CSV_END or an error) */
    int row, col;       /* where the reader stopped */
};

/* Read all of s (length n) with limits lim. */
static struct rows read_all(const char *s, size_t n, const struct csv_limits *lim) {
    struct rows out;
    memset(&out, 0, sizeof out);
    struct arena *a = arena_new(0);
    struct csv_reader c;
    csv_open(&c, a, s, n, lim);
    int nf;
    const char *const *f;
    while ((out.rc = csv_next(&c, &nf, &f)) == CSV_ROW && out.n < 16) {
        out.fields[out.n] = nf;
        for (int i = 0; i < nf; i++) {
            if (i) strcat(out.text[out.n], "|");
            strncat(out.text[out.n], f[i], 200);
        }
        out.n++;
    }
    out.row = c.row;
    out.col = c.col;
    assert_int_equal(csv_next(&c, &nf, &f), out.rc); /* the end (or the error) stays */
    arena_free(a);
    return out;
}

static struct rows read_str(const char *s) {
    return read_all(s, strlen(s), &roomy);
}

static void test_plain_records_and_line_endings(void **state) {
    (void)state;
    struct rows r = read_str("a,b,c\nd,e,f\r\ng,h,i\rj,k,l");
    assert_int_equal(r.rc, CSV_END);
    assert_int_equal(r.n, 4);
    assert_string_equal(r.text[0], "a|b|c");
    assert_string_equal(r.text[1], "d|e|f");
    assert_string_equal(r.text[2], "g|h|i"); /* a lone CR ends a record too */
    assert_string_equal(r.text[3], "j|k|l"); /* no final line break */
    assert_int_equal(r.fields[3], 3);
    /* A final line break does not start a record; an empty line is one empty field. */
    r = read_str("x\n\ny\n");
    assert_int_equal(r.n, 3);
    assert_int_equal(r.fields[1], 1);
    assert_string_equal(r.text[1], "");
    /* Empty fields anywhere. */
    r = read_str(",a,,\n");
    assert_int_equal(r.n, 1);
    assert_int_equal(r.fields[0], 4);
    assert_string_equal(r.text[0], "|a||");
    /* Nothing at all: no record. */
    assert_int_equal(read_str("").n, 0);
    assert_int_equal(read_str("").rc, CSV_END);
}

static void test_quoting(void **state) {
    (void)state;
    struct rows r = read_str("\"a,b\",\"say \"\"hi\"\"\",\"\"\n");
    assert_int_equal(r.n, 1);
    assert_int_equal(r.fields[0], 3);
    assert_string_equal(r.text[0], "a,b|say \"hi\"|");
    /* Line breaks inside quotes belong to the field; the record keeps its row number. */
    r = read_str("name,note\n\"国庆\",\"line one\r\nline two\nthree\"\nnext,row\n");
    assert_int_equal(r.n, 3);
    assert_string_equal(r.text[1], "国庆|line one\r\nline two\nthree");
    assert_string_equal(r.text[2], "next|row");
    /* Spaces around a quoted field are not part of it; inside an unquoted one they are. */
    r = read_str("  \"a\"  , b ,\"c\"\t\n");
    assert_string_equal(r.text[0], "a| b |c");
    /* A quote inside an unquoted field is an ordinary character. */
    r = read_str("5\" disk,x\n");
    assert_string_equal(r.text[0], "5\" disk|x");
}

static void test_bom_is_skipped_once(void **state) {
    (void)state;
    struct rows r = read_str("\xEF\xBB\xBF"
                             "date,kind\n");
    assert_string_equal(r.text[0], "date|kind");
    /* Only at the very start: elsewhere it is text (and valid UTF-8). */
    r = read_str("a\n\xEF\xBB\xBF"
                 "b\n");
    assert_string_equal(r.text[1], "\xEF\xBB\xBF"
                                   "b");
    assert_int_equal(read_str("\xEF\xBB\xBF").n, 0);
}

static void test_quote_errors_name_row_and_column(void **state) {
    (void)state;
    struct rows r = read_str("a,b\nc,\"unclosed\n");
    assert_int_equal(r.rc, CSV_ERR_QUOTE);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.row, 2);
    assert_int_equal(r.col, 2);
    r = read_str("\"a\"x,b\n");
    assert_int_equal(r.rc, CSV_ERR_QUOTE);
    assert_int_equal(r.row, 1);
    assert_int_equal(r.col, 1);
}

static void test_encoding(void **state) {
    (void)state;
    /* GBK bytes (what Excel writes on a Chinese Windows by default) are not UTF-8. */
    struct rows r = read_str("date,name\n2027-01-01,\xd4\xaa\xb5\xa9\n");
    assert_int_equal(r.rc, CSV_ERR_ENCODING);
    assert_int_equal(r.row, 2);
    assert_int_equal(r.col, 2);
    /* A NUL byte inside the input (the length is given, not a C string). */
    r = read_all("ab,c\0d\n", 7, &roomy);
    assert_int_equal(r.rc, CSV_ERR_ENCODING);
    assert_int_equal(r.col, 2);
    /* Control characters other than tab and line breaks. */
    assert_int_equal(read_str("a\x01").rc, CSV_ERR_ENCODING);
    assert_int_equal(read_str("\"a\tb\"").rc, CSV_END);
}

static void test_limits(void **state) {
    (void)state;
    struct csv_limits lim = {.input_max = 100, .field_max = 4, .fields_max = 3, .rows_max = 2};
    struct rows r = read_all("abcd,ab\n", 8, &lim);
    assert_int_equal(r.rc, CSV_END); /* exactly at the field limit */
    r = read_all("ab,abcde\n", 9, &lim);
    assert_int_equal(r.rc, CSV_ERR_FIELD_TOO_LONG);
    assert_int_equal(r.row, 1);
    assert_int_equal(r.col, 2);
    r = read_all("\"a\"\"\"\"\"\n", 8, &lim); /* quoted a"" is 3 bytes once unquoted */
    assert_int_equal(r.rc, CSV_END);
    assert_string_equal(r.text[0], "a\"\"");
    r = read_all("a,b,c\nd,e,f,g\n", 14, &lim);
    assert_int_equal(r.rc, CSV_ERR_TOO_MANY_FIELDS);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.row, 2);
    assert_int_equal(r.col, 4);
    r = read_all("a\nb\nc\n", 6, &lim);
    assert_int_equal(r.rc, CSV_ERR_TOO_MANY_ROWS);
    assert_int_equal(r.n, 2);
    assert_int_equal(r.row, 3);
    char big[101];
    memset(big, 'a', sizeof big);
    r = read_all(big, sizeof big, &lim);
    assert_int_equal(r.rc, CSV_ERR_INPUT_TOO_LONG);
    assert_int_equal(r.n, 0);
    /* The messages say what and where. */
    struct arena *a = arena_new(0);
    struct csv_reader c;
    csv_open(&c, a, "a,b,c,d", 7, &lim);
    int nf;
    const char *const *f;
    int rc = csv_next(&c, &nf, &f);
    char text[200];
    assert_string_equal(csv_describe(&c, rc, 0, text, sizeof text),
                        "第 4 列：列数过多（最多 3 列）");
    assert_string_equal(csv_describe(&c, rc, 1, text, sizeof text),
                        "Column 4: Too many columns (at most 3)");
    arena_free(a);
}

/* The input: one row of 40,000 commas. The reader stops at the first field past the
 * limit, having allocated one small buffer. */
static void test_many_commas_stop_early_with_little_memory(void **state) {
    (void)state;
    size_t n = 100000;
    char *s = malloc(n);
    memset(s, ',', n);
    struct arena *a = arena_new(1024);
    struct csv_limits lim = {.input_max = n, .field_max = 1024, .fields_max = 16, .rows_max = 10};
    struct csv_reader c;
    csv_open(&c, a, s, n, &lim);
    int nf;
    const char *const *f;
    assert_int_equal(csv_next(&c, &nf, &f), CSV_ERR_TOO_MANY_FIELDS);
    assert_int_equal(c.col, 17);
    assert_true(arena_used(a) < 20 * 1024);
    arena_free(a);
    /* Many rows: memory stays what the first record needed. */
    for (size_t i = 0; i < n; i++)
        s[i] = i % 4 == 3 ? '\n' : 'x';
    a = arena_new(1024);
    lim.rows_max = 0; /* no limit */
    csv_open(&c, a, s, n, &lim);
    size_t before = arena_used(a);
    int rows = 0, rc;
    while ((rc = csv_next(&c, &nf, &f)) == CSV_ROW)
        rows++;
    assert_int_equal(rc, CSV_END);
    assert_int_equal(rows, (int)(n / 4));
    assert_int_equal(arena_used(a), before);
    arena_free(a);
    free(s);
}

/* Under a memory budget the buffer that does not fit is refused, not allocated. */
static void test_budget_refuses_the_buffer(void **state) {
    (void)state;
    struct arena *a = arena_new(1024);
    arena_set_budget(a, 64 * 1024);
    static char s[200000];
    memset(s, 'x', sizeof s);
    struct csv_limits lim = {
        .input_max = sizeof s, .field_max = sizeof s, .fields_max = 4, .rows_max = 0};
    struct csv_reader c;
    csv_open(&c, a, s, sizeof s, &lim);
    int nf;
    const char *const *f;
    assert_int_equal(csv_next(&c, &nf, &f), CSV_ERR_MEMORY);
    assert_true(arena_exhausted(a));
    assert_true(arena_memory(a) <= 64 * 1024);
    arena_free(a);
}

int main(void) {
    if (modules_init() != 0) return 1; /* permissions, settings and schema of every module */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_records_and_line_endings),
        cmocka_unit_test(test_quoting),
        cmocka_unit_test(test_bom_is_skipped_once),
        cmocka_unit_test(test_quote_errors_name_row_and_column),
        cmocka_unit_test(test_encoding),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_many_commas_stop_early_with_little_memory),
        cmocka_unit_test(test_budget_refuses_the_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
