/* utf8.h — strict UTF-8 for text that people type: no overlong forms, no surrogates, nothing
 * above U+10FFFF, and no control characters except tab, newline and carriage return. */
#ifndef FAZHI_UTF8_H
#define FAZHI_UTF8_H

/* Number of characters (code points), or -1 when the text is not acceptable. */
int utf8_text_chars(const char *s);

#include <stddef.h>
/* Text without spaces, tabs and line breaks at both ends: its start in s, its length in *len. */
const char *text_trim(const char *s, size_t *len);

/* Copy of s for storing text a stranger sent (a header): at most max bytes (out holds max + 1),
 * cut before a character that does not fit, each byte of an invalid sequence as '?', control
 * characters as spaces. Returns the bytes written. */
size_t utf8_clean(char *out, size_t max, const char *s);

#endif
