/* timeutil.h — wall-clock helpers. Stored times are UTC ISO-8601 text ("2026-11-26T08:00:00Z");
 * time arithmetic (sessions, lockouts) uses Unix seconds. */
#ifndef FAZHI_TIMEUTIL_H
#define FAZHI_TIMEUTIL_H

#include <stdint.h>

int64_t now_unix(void);
double now_mono(void);                 /* seconds, monotonic */
void iso_utc(int64_t t, char out[21]); /* "YYYY-MM-DDTHH:MM:SSZ" */
void now_iso(char out[21]);
int iso_valid(const char *s); /* full timestamp or YYYY-MM-DD */

#endif
