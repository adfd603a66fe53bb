/*
 * slice — ask the scheduler for a short time slice (a process that must
 * answer at once) or the default one (a process that keeps a CPU busy).
 */
#ifndef HEXE_SLICE_H
#define HEXE_SLICE_H

#include <stdbool.h>

void slice_set(bool short_slice);

#endif
