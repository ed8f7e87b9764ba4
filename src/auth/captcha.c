/* captcha.c — the challenge a sign-in must answer after repeated failures (login.captcha_after
 * failures of the account or of the address within their windows, as throttle.c counts them),
 * served by fazhi itself: five characters drawn as SVG strokes (no <text>: the characters are
 * not in the document as text), each character moved, turned and shaken, with noise curves
 * and dots across them. The answer is kept hashed in the table captchas (core migration 11)
 * with the address prefix that asked for it and an expiry; checking it deletes it first, so
 * every captcha answers once, right or wrong. At most CAPTCHA_PER_SOURCE are open per address
 * prefix: asking again drops the oldest, so a flood of requests keeps a few rows. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "base/buf.h"
#include "base/crypto.h"
#include "base/timeutil.h"
#include "store/settings.h"

#define CAPTCHA_PER_SOURCE 5
#define CAPTCHA_WIDTH      150
#define CAPTCHA_HEIGHT     50

/* The alphabet: no look-alikes (0 O, 1 I L, 5 S, B 8 …). Each glyph is strokes on a 4 × 6 grid
 * ("x,y" points; '|' starts a new stroke). */
static const struct {
    char c;
    const char *strokes;
} glyphs[] = {
    {'2', "0,1 1,0 3,0 4,1 4,2 0,6 4,6"},
    {'3', "0,0 4,0 2,2.5 3.5,3 4,4.5 3,6 1,6 0,5"},
    {'4', "3,6 3,0 0,4 4,4"},
    {'6', "3.5,0 1,1.5 0,4 1,6 3,6 4,4.5 3,3 1,3 0,4"},
    {'7', "0,0 4,0 1.5,6"},
    {'8', "2,3 0.5,1.5 2,0 3.5,1.5 2,3 0,4.5 2,6 4,4.5 2,3"},
    {'9', "0.5,6 3,4.5 4,2 3,0 1,0 0,1.5 1,3 3,3 4,2"},
    {'A', "0,6 2,0 4,6|1,3.6 3,3.6"},
    {'C', "4,0.8 3,0 1,0 0,1.5 0,4.5 1,6 3,6 4,5.2"},
    {'E', "4,0 0,0 0,6 4,6|0,3 3,3"},
    {'F', "4,0 0,0 0,6|0,3 3,3"},
    {'H', "0,0 0,6|4,0 4,6|0,3 4,3"},
    {'K', "0,0 0,6|4,0 0,3.5|1.3,2.7 4,6"},
    {'M', "0,6 0,0 2,3.5 4,0 4,6"},
    {'N', "0,6 0,0 4,6 4,0"},
    {'P', "0,6 0,0 3,0 4,1 4,2 3,3 0,3"},
    {'R', "0,6 0,0 3,0 4,1 4,2 3,3 0,3|2,3 4,6"},
    {'T', "0,0 4,0|2,0 2,6"},
    {'W', "0,0 1,6 2,2.5 3,6 4,0"},
    {'X', "0,0 4,6|4,0 0,6"},
    {'Y', "0,0 2,3 4,0|2,3 2,6"},
};
#define N_GLYPHS (int)(sizeof glyphs / sizeof glyphs[0])

static double uniform(double lo, double hi) {
    return lo + (hi - lo) * (double)randombytes_uniform(10001) / 10000.0;
}

static const char *const inks[] = {"#1f3b73", "#6b2d5c", "#2d5c3a", "#5c3d1f", "#333"};

/* One glyph at cell i: scaled to about 16 × 30 px, turned up to ±22°, each point shaken. */
static void draw_glyph(struct buf *b, const char *strokes, int i) {
    double cx = 18 + i * 28 + uniform(-3, 3), cy = 25 + uniform(-4, 4);
    double sx = uniform(3.6, 4.6), sy = uniform(4.4, 5.4), angle = uniform(-0.38, 0.38);
    /* cos and sin by their series: |angle| < 0.4, so the error is below 1e-5 (no libm) */
    double a2 = angle * angle;
    double ca = 1 - a2 / 2 + a2 * a2 / 24, sa = angle * (1 - a2 / 6 + a2 * a2 / 120);
    buf_printf(b,
               "<path fill=\"none\" stroke=\"%s\" stroke-width=\"%.1f\" "
               "stroke-linecap=\"round\" stroke-linejoin=\"round\" d=\"",
               inks[randombytes_uniform(5)], uniform(2.0, 2.8));
    const char *p = strokes;
    int first = 1;
    while (*p) {
        if (*p == '|') {
            first = 1;
            p++;
            continue;
        }
        if (*p == ' ') {
            p++;
            continue;
        }
        char *end;
        double x = strtod(p, &end);
        p = end + 1; /* the comma */
        double y = strtod(p, &end);
        p = end;
        x = (x - 2 + uniform(-0.15, 0.15)) * sx;
        y = (y - 3 + uniform(-0.15, 0.15)) * sy;
        buf_printf(b, "%s%.1f %.1f ", first ? "M" : "L", cx + x * ca - y * sa,
                   cy + x * sa + y * ca);
        first = 0;
    }
    buf_puts(b, "\"/>");
}

/* The SVG of `text` with its noise. */
static void draw(struct buf *b, const char *text) {
    buf_printf(b,
               "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
               "viewBox=\"0 0 %d %d\"><rect width=\"100%%\" height=\"100%%\" fill=\"#f2f4f8\"/>",
               CAPTCHA_WIDTH, CAPTCHA_HEIGHT, CAPTCHA_WIDTH, CAPTCHA_HEIGHT);
    for (int k = 0; k < 5; k++) /* curves across the characters */
        buf_printf(b,
                   "<path fill=\"none\" stroke=\"%s\" stroke-width=\"%.1f\" opacity=\"0.6\" "
                   "d=\"M%.1f %.1f C%.1f %.1f %.1f %.1f %.1f %.1f\"/>",
                   inks[randombytes_uniform(5)], uniform(0.8, 1.8), uniform(0, 20), uniform(5, 45),
                   uniform(30, 70), uniform(0, 50), uniform(80, 120), uniform(0, 50),
                   uniform(130, 150), uniform(5, 45));
    for (int k = 0; k < 40; k++)
        buf_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\" opacity=\"0.5\"/>",
                   uniform(0, CAPTCHA_WIDTH), uniform(0, CAPTCHA_HEIGHT), uniform(0.5, 1.6),
                   inks[randombytes_uniform(5)]);
    for (int i = 0; text[i]; i++)
        for (int g = 0; g < N_GLYPHS; g++)
            if (glyphs[g].c == text[i]) draw_glyph(b, glyphs[g].strokes, i);
    buf_puts(b, "</svg>");
}

/* The stored hash of an answer: SHA-256 over the id and the answer in upper case (answers are
 * compared without case). */
static void answer_hash(const char *id, const char *answer, char out[65]) {
    char text[TOKEN_TEXT + CAPTCHA_ANSWER_MAX + 2];
    size_t n = (size_t)snprintf(text, sizeof text, "%s:", id);
    for (size_t i = 0; answer[i] && i < CAPTCHA_ANSWER_MAX && n + 1 < sizeof text; i++) {
        char ch = answer[i];
        text[n++] = ch >= 'a' && ch <= 'z' ? (char)(ch - 'a' + 'A') : ch;
    }
    text[n] = 0;
    sha256_hex(text, n, out);
}

int captcha_create(struct db *db, struct arena *a, const struct login_source *src,
                   char id[TOKEN_TEXT], char **image) {
    char text[CAPTCHA_LENGTH + 1], hash[65];
    for (int i = 0; i < CAPTCHA_LENGTH; i++)
        text[i] = glyphs[randombytes_uniform(N_GLYPHS)].c;
    text[CAPTCHA_LENGTH] = 0;
    random_token(id, 24);
    answer_hash(id, text, hash);
    int64_t now = now_unix();
    int rc = db_exec(db,
                     "DELETE FROM captchas WHERE id IN (SELECT id FROM captchas "
                     "WHERE expires_at <= ? LIMIT 50)",
                     "i", now);
    if (rc == DB_OK)
        rc = db_exec(db,
                     "DELETE FROM captchas WHERE ip = ? AND id NOT IN (SELECT id FROM captchas "
                     "WHERE ip = ? ORDER BY expires_at DESC LIMIT ?)",
                     "ssi", src->prefix, src->prefix, (int64_t)(CAPTCHA_PER_SOURCE - 1));
    if (rc == DB_OK)
        rc = db_exec(db,
                     "INSERT INTO captchas (id, answer_hash, ip, expires_at) VALUES (?, ?, ?, ?)",
                     "sssi", id, hash, src->prefix, now + CAPTCHA_SECONDS);
    if (rc != DB_OK) return rc;
    struct buf svg;
    buf_init(&svg, a, 8192);
    draw(&svg, text);
    size_t n = sodium_base64_encoded_len(svg.len, sodium_base64_VARIANT_ORIGINAL);
    const char *prefix = "data:image/svg+xml;base64,";
    char *out = arena_alloc(a, strlen(prefix) + n);
    strcpy(out, prefix);
    sodium_bin2base64(out + strlen(prefix), n, (const unsigned char *)svg.data, svg.len,
                      sodium_base64_VARIANT_ORIGINAL);
    *image = out;
    return DB_OK;
}

int captcha_check(struct db *db, const struct login_source *src, const char *id,
                  const char *answer) {
    if (!id || !*id || strlen(id) >= TOKEN_TEXT || !answer || strlen(answer) > CAPTCHA_ANSWER_MAX)
        return 0;
    struct db_stmt *st = db_queryv(
        db, "DELETE FROM captchas WHERE id = ? RETURNING answer_hash, ip, expires_at", "s", id);
    if (!st) return DB_ERROR;
    int rc = db_step(st), ok = 0;
    if (rc == DB_ROW) {
        char hash[65];
        answer_hash(id, answer, hash);
        ok = !strcmp(db_col_text(st, 1), src->prefix) && db_col_int(st, 2) > now_unix() &&
             sodium_memcmp(hash, db_col_text(st, 0), 64) == 0;
    }
    db_done(st);
    if (rc < 0) return rc;
    return ok;
}

int captcha_needed(struct db *db, const struct login_source *src, int64_t user_id,
                   const char *username) {
    int64_t after = setting_int(db, "login.captcha_after");
    if (after <= 0) return 0;
    int64_t failures = 0;
    int rc = login_failures(db, src, user_id, username, &failures);
    if (rc < 0) return rc;
    return failures >= after;
}
