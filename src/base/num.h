/* num.h — integers as the API reads them: canonical decimal only. */
#ifndef FAZHI_NUM_H
#define FAZHI_NUM_H

#include <stdint.h>

/* Canonical decimal: "0", or an optional '-' then 1-9 and at most 17 more digits — nothing
 * strtoll would also take (" 10", "+10", "010", "10abc", "1e3", "0x1a"). 0 and *out, else -1. */
int num_parse(const char *s, int64_t *out);

#endif
