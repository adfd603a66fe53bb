/*
 * slice — how long the scheduler lets hexe's processes run before others.
 *
 * Since Linux 6.12 (EEVDF) a task may ask for a shorter time slice: when
 * it wakes it may then take the CPU from a task with a longer one at once,
 * instead of waiting for that task's slice to end. It gets no more CPU
 * than its fair share. A mux and the pods of calm panes wake for each
 * keystroke and have little to do, so they ask for a short slice; a pod
 * whose pane floods output goes back to the default one, so that it does
 * not cut in ahead of them. No privilege is needed, older kernels ignore
 * the request, and children do not inherit it (SCHED_FLAG_RESET_ON_FORK).
 */
#include "core/slice.h"

#include <linux/sched.h>
#include <linux/sched/types.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define SLICE_SHORT_NS 100000u /* the kernel's shortest: 0.1 ms */

void
slice_set(bool short_slice)
{
	struct sched_attr a;

	memset(&a, 0, sizeof a);
	a.size = sizeof a;
	a.sched_policy = SCHED_NORMAL;
	a.sched_flags = SCHED_FLAG_RESET_ON_FORK;
	a.sched_runtime = short_slice ? SLICE_SHORT_NS : 0;
	(void)syscall(SYS_sched_setattr, 0, &a, 0);
}
