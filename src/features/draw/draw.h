/* draw.h — 双随机一公开: the directories a random inspection draws from — inspectors (督察人员库:
 * staff of the unit tree and people outside it: deputies, experts, lawyers, journalists) and
 * inspectable objects (检查对象名录: units, market subjects, enforcement files, with a risk grade)
 * — and the draws themselves. */
#ifndef FAZHI_DRAW_H
#define FAZHI_DRAW_H

#include "features/entity/entity.h"

extern struct perm_def perm_draw_view, perm_draw_manage;

extern const struct entity entity_inspectors;
extern const struct entity entity_inspect_objects;

#endif
