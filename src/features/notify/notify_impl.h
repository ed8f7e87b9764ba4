/* notify_impl.h — helpers shared by the files of features/notify only. */
#ifndef FAZHI_NOTIFY_IMPL_H
#define FAZHI_NOTIFY_IMPL_H

#include <stddef.h>

#include "store/db.h"

/* Text setting (notify.webhook_url, notify.smtp_*) read fresh from the settings table, copied
 * into out (truncated at n - 1 bytes); "" when unset. */
void notify_setting_text(struct db *db, const char *key, char *out, size_t n);

#endif
