/* log.h — structured logging to stderr: one JSON object per line. */
#ifndef FAZHI_LOG_H
#define FAZHI_LOG_H

void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_line(const char *json_line); /* writes a ready JSON line atomically */
extern int log_quiet;                 /* suppress info (CLI commands) */

#endif
