/* arena.h — region allocator: one arena per request (or per command), freed all at once.
 * Non-memory resources register a cleanup that runs when the arena is destroyed.
 *
 * Memory budget. A request's arena has a budget (arena_set_budget; 0 = none, the default for
 * commands and jobs). It counts the arena's blocks plus the bytes charged to it from outside:
 * while an arena is its thread's current one (arena_set_current), every allocation made through
 * arena_counted_malloc/arena_counted_free — jansson's, installed with json_set_alloc_funcs in
 * main() — is charged to it. The contract:
 *  - arena_alloc never returns NULL and never fails because of the budget: past the budget it
 *    still allocates, and marks the arena exhausted. Whoever owns the arena checks the mark at
 *    its decision points (the HTTP layer: no commit for an exhausted request, and the answer is
 *    413 instead of what the handler built). A limit never becomes a crash or half a write.
 *  - Sizes that input decides (a body, a field of an import, a file, a result set) are asked
 *    for with arena_try_alloc or checked first with arena_fits: they answer NULL / 0 past the
 *    budget (and mark the arena), so the big consumers stop before they allocate.
 *  - Counted allocations past the budget fail (NULL) only while arena_refuse_over_budget is on
 *    (around parsing a request body, which jansson unwinds cleanly); otherwise they succeed
 *    and mark the arena.
 *  - Only a failing malloc for memory within the budget aborts (the machine is out of memory,
 *    as PostgreSQL's palloc fails loudly); arena_try_alloc answers NULL instead.
 *
 * Accounting of counted memory is by the thread's current arena at the time of the call: a
 * value made in one request and freed in another credits the second; the budget is a bound
 * on what one request holds, not an exact ledger. */
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

/* ---- budget ---- */
void arena_set_budget(struct arena *a, size_t bytes); /* 0: no budget */
size_t arena_budget(const struct arena *a);
size_t arena_memory(const struct arena *a); /* blocks plus counted bytes: what the budget sees */
int arena_exhausted(const struct arena *a); /* something went past the budget */
/* Like arena_alloc, but NULL (and the arena marked exhausted) when n bytes do not fit the
 * budget or malloc fails. For sizes that input decides. */
void *arena_try_alloc(struct arena *a, size_t n);
/* Would n more bytes (allocated elsewhere, for this arena's request) fit? 0 marks it. */
int arena_fits(struct arena *a, size_t n);

/* ---- counted allocations (the thread's current arena) ---- */
void arena_set_current(struct arena *a); /* NULL: none; arena_free clears it too */
struct arena *arena_current(void);
int arena_refuse_over_budget(struct arena *a, int on); /* returns the previous setting */
void *arena_counted_malloc(size_t n);                  /* malloc, charged to the current arena */
void arena_counted_free(void *p);                      /* free, credited to the current arena */

#endif
