/* arena.h — region allocator: one arena per request (or per command), freed all at once.
 * Allocation never returns NULL: out of memory aborts loudly (as PostgreSQL's palloc does).
 * Non-memory resources register a cleanup that runs when the arena is destroyed. */
#ifndef FAZHI_ARENA_H
#define FAZHI_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena;

struct arena *arena_new(size_t first_block);        /* caller owns; free with arena_free */
void arena_free(struct arena *a);                   /* runs cleanups (LIFO), frees every block */
void *arena_alloc(struct arena *a, size_t n);       /* zeroed, 16-byte aligned, never NULL */
char *arena_strdup(struct arena *a, const char *s); /* NULL stays NULL */
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap);
void arena_on_free(struct arena *a, void (*fn)(void *), void *arg); /* cleanup hook */
size_t arena_used(const struct arena *a); /* bytes handed out, for tests and metrics */

#endif
