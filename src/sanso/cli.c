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
	c->zone = "internet";
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
	if (c->policy->store != NULL) {
		if (c->policy->store->dir != NULL)
			c->store_dir = c->policy->store->dir;
		c->retention_days = c->policy->store->retention_days;
	}
	return 0;
}

void
cli_common_free(struct cli_common *c)
{
	policy_free(c->policy);
	c->policy = NULL;
}

const char *
cli_store_dir(const char *store_arg, const char *policy_path)
{
	static struct policy *p;
	char err[1024];

	if (store_arg != NULL)
		return store_arg;
	if (policy_path != NULL) {
		p = policy_load(policy_path, err, sizeof(err));
		if (p == NULL) {
			fprintf(stderr, "sanso: policy: %s\n", err);
			return NULL;
		}
		if (p->store != NULL && p->store->dir != NULL)
			return p->store->dir;
	}
	return SANSO_STORE_DEFAULT;
}
