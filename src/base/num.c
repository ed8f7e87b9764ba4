/* num.c — canonical decimal integers (num.h). */
#include "base/num.h"

#include <stdlib.h>
#include <string.h>

int num_parse(const char *s, int64_t *out) {
    const char *d = s && *s == '-' ? s + 1 : s;
    size_t n = d ? strspn(d, "0123456789") : 0;
    if (!n || d[n] || n > 18 || (d[0] == '0' && (n > 1 || d != s))) return -1;
    *out = strtoll(s, NULL, 10);
    return 0;
}
