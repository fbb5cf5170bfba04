/*
 * cli - shared defaults and the worker's location.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "policy.h"

#ifndef SANSO_LIBEXECDIR
#define SANSO_LIBEXECDIR "/usr/local/libexec/sanso"
#endif

void
cli_common_init(struct cli_common *c)
{
	memset(c, 0, sizeof(*c));
	limits_init(&c->limits);
	cdr_options_init(&c->opts);
}

const char *
cli_worker_path(void)
{
	static char path[PATH_MAX];
	const char *env = getenv("SANSO_WORKER");
	ssize_t n;
	char *slash;

	if (env != NULL && env[0] != '\0')
		return env;
	n = readlink("/proc/self/exe", path, sizeof(path) - 32);
	if (n > 0) {
		path[n] = '\0';
		slash = strrchr(path, '/');
		if (slash != NULL) {
			strcpy(slash + 1, "sanso-worker");
			if (access(path, X_OK) == 0)
				return path;
		}
	}
	snprintf(path, sizeof(path), "%s/sanso-worker", SANSO_LIBEXECDIR);
	return path;
}

int
cli_load_policy(struct cli_common *c)
{
	char err[1024];

	c->policy = policy_load(c->policy_path, err, sizeof(err));
	if (c->policy == NULL || policy_apply(c->policy, &c->limits, &c->opts,
	    &c->clamd, &c->av_required, err, sizeof(err)) < 0) {
		fprintf(stderr, "sanso: policy: %s\n", err);
		return -1;
	}
	return 0;
}

void
cli_common_free(struct cli_common *c)
{
	policy_free(c->policy);
	c->policy = NULL;
}
