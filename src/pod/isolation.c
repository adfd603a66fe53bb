/*
 * isolation — profile names and built-in defaults.
 */
#include "pod/isolation.h"

#include <string.h>

static const char *const profile_names[] = {
	[PROFILE_NONE] = "none",
	[PROFILE_MINIMAL] = "minimal",
	[PROFILE_DEFAULT] = "default",
	[PROFILE_BALANCED] = "balanced",
	[PROFILE_FULL] = "full",
};

const char *
profile_name(enum profile p)
{
	if ((unsigned)p >= sizeof profile_names / sizeof profile_names[0])
		return "?";
	return profile_names[p];
}

int
profile_parse(const char *name, enum profile *out)
{
	for (unsigned i = 0; i < sizeof profile_names / sizeof profile_names[0];
	     i++) {
		if (strcmp(name, profile_names[i]) == 0) {
			*out = (enum profile)i;
			return 0;
		}
	}
	return -1;
}

void
isolation_defaults(struct isolation *iso)
{
	memset(iso, 0, sizeof *iso);
	/* Only `none` exists until the POD isolation work lands; the design's
	 * default (`default`) replaces this then. */
	iso->profile = PROFILE_NONE;
	iso->cpu_period = 100000;
}
