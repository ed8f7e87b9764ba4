/* flow_impl.h — what flow.c and flow_clock.c share inside the engine (not for kinds). */
#ifndef FAZHI_FLOW_IMPL_H
#define FAZHI_FLOW_IMPL_H

#include "features/flow/flow.h"

const struct flow_clock_def *flow_clock_def_find(const struct flow_kind *k, const char *code);
/* Apply the step's clock operations to the record's stored clocks (inside the transaction);
 * appends what they did to c->detail ("clocks"). FLOW_OK, FLOW_INVALID or FLOW_DB. */
int flow_clock_steps(struct flow_ctx *c);
/* Start-up: the calendar tells the clocks when it changes (once, when a kind has clocks). */
void flow_clock_watch_calendar(void);

#endif
