/* files_http.h — routes of attachments (附件). */
#ifndef FAZHI_FILES_HTTP_H
#define FAZHI_FILES_HTTP_H

struct req;

void files_upload(struct req *r);   /* POST /api/v1/files (multipart, ROUTE_UPLOAD) */
void files_download(struct req *r); /* GET /api/v1/files/:id */

#endif
