#include "base/log.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/timeutil.h"

int log_quiet;

void log_line(const char *line) {
    size_t n = strlen(line);
    char tmp[8192];
    if (n + 1 < sizeof tmp) { /* one write() keeps concurrent lines whole */
        memcpy(tmp, line, n);
        tmp[n] = '\n';
        ssize_t w = write(2, tmp, n + 1);
        (void)w;
    } else {
        fprintf(stderr, "%s\n", line);
    }
}

static void vlog(const char *level, const char *fmt, va_list ap) {
    char msg[2048], ts[21];
    vsnprintf(msg, sizeof msg, fmt, ap);
    now_iso(ts);
    json_t *o = json_pack("{s:s,s:s,s:s}", "ts", ts, "level", level, "msg", msg);
    char *s = json_dumps(o, JSON_COMPACT);
    if (s) log_line(s);
    free(s);
    json_decref(o);
}

void log_info(const char *fmt, ...) {
    if (log_quiet) return;
    va_list ap;
    va_start(ap, fmt);
    vlog("info", fmt, ap);
    va_end(ap);
}

void log_error(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vlog("error", fmt, ap);
    va_end(ap);
}
