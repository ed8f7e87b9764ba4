/* fuzz_input.c — the request-input layer: JSON bodies through req_json-like parsing and every
 * form_* validator, strict UTF-8, the router, dates and the calendar CSV-free helpers. Whatever
 * the bytes, nothing may crash, leak or read out of bounds, and validators must agree with
 * themselves (a text accepted by form_text is valid UTF-8 within its bounds). */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/calendar.h"
#include "base/utf8.h"
#include "http/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    struct arena *a = arena_new(4096);
    char *text = arena_strndup(a, (const char *)data, size);

    /* strict UTF-8 */
    int n = utf8_text_chars(text);
    if (n > (int)size) abort();

    /* dates */
    int32_t day;
    if (date_parse(text, &day) == 0) {
        char back[11];
        date_format(day, back);
        if (strcmp(back, text) != 0) abort(); /* a parsed date prints back the same */
    }

    /* router */
    struct req r = {0};
    r.arena = a;
    int known = 0;
    const struct route *rt = router_match(&r, text, M_GET, &known);
    if (rt && !known) abort();

    /* JSON body and the form validators */
    json_error_t err;
    json_t *j = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &err);
    if (json_is_object(j)) {
        struct form f;
        form_init(&f, &r, j);
        const char *keys[] = {"title", "name", "code", "note", "due_on", "version", "flag"};
        for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
            const char *t = form_text(&f, keys[i], 0, 1, 20);
            if (t && *t) {
                int c = utf8_text_chars(t);
                if (c < 1 || c > 20) abort(); /* accepted text is within its bounds */
            }
            form_int(&f, keys[i], 0, -5, 5, 0);
            form_bool(&f, keys[i], 0);
        }
        form_version(&f);
        /* the error answer must be valid JSON */
        if (json_object_size(f.errors)) {
            form_ok_or_reply(&f);
            json_t *back = json_loadb(r.resp, r.resp_len, 0, &err);
            if (!back) abort();
            json_decref(back);
        }
    }
    json_decref(j);
    arena_free(a);
    return 0;
}
