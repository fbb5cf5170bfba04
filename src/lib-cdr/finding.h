/*
 * finding - the table of stable finding codes and the actions taken.
 *
 * The codes live in finding.def, one line each, so the list is in one
 * place for reports, docs (`sanso file codes`) and tests.
 */
#ifndef SANSO_FINDING_H
#define SANSO_FINDING_H

#include <stdbool.h>
#include <stddef.h>

enum finding_action {
	FINDING_REMOVED,	/* the element was taken out of the output */
	FINDING_BLOCKED,	/* the whole object may not pass */
	FINDING_HELD,		/* a person must decide (e.g. encrypted) */
	FINDING_REPORTED,	/* noted, nothing changed */
};

struct finding_info {
	const char *code;
	const char *description;
};

/* Name of an action as written in reports ("removed", ...). */
const char *finding_action_name(enum finding_action action);
/* True when code is in the table, or is "av." followed by a signature. */
bool finding_code_known(const char *code);
/* The table and its length, for listings. */
const struct finding_info *finding_table(size_t *count_r);

#endif
