/* json.h — the text of a jansson value, written fast: byte for byte what
 * json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY) writes (keys in insertion order, non-ASCII as
 * UTF-8, control characters as \u00XX, reals as jansson prints them), in two passes — measure,
 * then write into one allocation — without jansson's per-container loop check (a "%p" key in a
 * hash table for every object and array) and its callback per token. Every answer of the API
 * and every access-log line is written with it (docs/performance.md: /auth/me). */
#ifndef FAZHI_JSON_H
#define FAZHI_JSON_H

#include <jansson.h>
#include <stddef.h>

#include "base/arena.h"

#define JSON_TEXT_DEPTH 512 /* deeper values (none of ours) are refused */

/* The text in the arena (NUL-terminated), *len its length; NULL for a value too deep. */
char *json_text_arena(struct arena *a, const json_t *j, size_t *len);
/* The bytes a JSON string of s (n bytes, escaped, with its quotes) takes. */
size_t json_string_text_len(const char *s, size_t n);
/* Write it at out (json_string_text_len bytes; no NUL); returns the end. s must be valid UTF-8
 * (json_utf8_valid), as every jansson string is. */
char *json_string_text(char *out, const char *s, size_t n);
/* 1 when s (n bytes) is UTF-8 that jansson accepts in a string (no overlong forms, no
 * surrogates, nothing above U+10FFFF). */
int json_utf8_valid(const char *s, size_t n);
/* A real as jansson writes it, NUL-terminated in buf (size >= 32): its length, 0 if it fails. */
size_t json_real_text(char *buf, size_t size, double v);

#endif
