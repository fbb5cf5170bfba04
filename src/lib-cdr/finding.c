/*
 * finding - the findings table.
 */
#include <string.h>

#include "finding.h"

static const struct finding_info findings[] = {
#define FINDING(code, desc) { code, desc },
#include "finding.def"
#undef FINDING
};

const char *
finding_action_name(enum finding_action action)
{
	switch (action) {
	case FINDING_REMOVED:
		return "removed";
	case FINDING_BLOCKED:
		return "blocked";
	case FINDING_HELD:
		return "held";
	case FINDING_REPORTED:
		return "reported";
	}
	return "reported";
}

bool
finding_code_known(const char *code)
{
	size_t i;

	if (strncmp(code, "av.", 3) == 0 && code[3] != '\0')
		return true;
	for (i = 0; i < sizeof(findings) / sizeof(findings[0]); i++) {
		if (strcmp(findings[i].code, code) == 0)
			return true;
	}
	return false;
}

const struct finding_info *
finding_table(size_t *count_r)
{
	*count_r = sizeof(findings) / sizeof(findings[0]);
	return findings;
}
