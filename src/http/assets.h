/* assets.h — the web UI, embedded at build time from web/dist by tools/embed. */
#ifndef FAZHI_ASSETS_H
#define FAZHI_ASSETS_H

#include <stddef.h>

struct asset {
    const char *path;         /* "/index.html", "/assets/index-abc123.js" */
    const char *content_type; /* MIME type */
    const unsigned char *data;
    size_t len;
    const char *etag; /* quoted content hash */
};

extern const struct asset assets[];
extern const int asset_count;

#endif
