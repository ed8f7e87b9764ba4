/* pii.h — personal data as people type it: the 居民身份证 number (GB 11643-1999: 18 characters,
 * the last a check digit, X for 10), phone numbers, and the masked forms answers show
 * (110101********1234, 138****1234, 张*明). No database, no keys: sealing is base/crypto.h. */
#ifndef FAZHI_PII_H
#define FAZHI_PII_H

#include "base/arena.h"

#define PII_ID_LEN 18

/* The ID number's check character for its first 17 digits (GB 11643: weights 2^(17-i) mod 11,
 * '0'…'9' or 'X'), or 0 when those are not 17 digits. */
char pii_id_check_char(const char *first17);
/* 1 when s is a plausible ID number: 18 characters, 17 digits then a digit or X/x, a
 * province code that exists (11–15, 21–23, 31–37, 41–46, 50–54, 61–65, 71, 81, 82, 91), a real
 * birth date from 1900-01-01 to today (UTC+8), and the right check digit. */
int pii_id_valid(const char *s);
/* The stored form: upper-case X (the blind index is taken of it). out holds 19 bytes. */
void pii_id_normalise(const char *s, char out[PII_ID_LEN + 1]);
/* 110101********1234: the region (6) and the last 4 kept, the birth date and sequence hidden. */
const char *pii_id_mask(struct arena *a, const char *id);
/* 1 when a phone number is 3–20 characters of digits (at least 3) and + - ( ) spaces. */
int pii_phone_valid(const char *phone);
/* 138****1234 (11 or more characters: the first 3 and last 4 kept; 7–10: 2 and 2; shorter:
 * the last 1); only digits are hidden. */
const char *pii_phone_mask(struct arena *a, const char *phone);
/* 张*明: the first and last characters kept, every one between hidden; 2 characters: 张*; 1
 * character: * (a one-character name would otherwise be shown whole). */
const char *pii_name_mask(struct arena *a, const char *name);

/* Free text (a public comment, its contact line) with the personal data people type masked:
 * ID numbers (18 characters: 110101********1234), phone numbers (runs of 7 or more digits:
 * 138****1234, 88****88) and e-mail addresses (z***@example.com). Arena copy. */
const char *pii_mask_text(struct arena *a, const char *text);

#endif
