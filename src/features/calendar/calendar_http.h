/* calendar_http.h — routes of the working-day calendar (工作日历). */
#ifndef FAZHI_CALENDAR_HTTP_H
#define FAZHI_CALENDAR_HTTP_H

struct req;

void calendar_get(struct req *r);        /* GET /api/v1/calendar?year= */
void calendar_compute(struct req *r);    /* GET /api/v1/calendar/compute?from=&add= | &to= */
void calendar_day_put(struct req *r);    /* PUT /api/v1/calendar/days/:date */
void calendar_day_delete(struct req *r); /* DELETE /api/v1/calendar/days/:date?version= */
void calendar_import(struct req *r);     /* POST /api/v1/calendar/import */
void calendar_years(struct req *r);      /* GET /api/v1/calendar/years */
void calendar_import(struct req *r);     /* POST /api/v1/calendar/import (csv, or XLSX rows) */
void calendar_template(struct req *r);   /* GET /api/v1/calendar/import-template.xlsx?year= */

#endif
