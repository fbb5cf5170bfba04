/*
 * cli - shared defaults and the worker's location.
 */
#include <errno.h>
#include <getopt.h>
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

enum { OPT_REPORT = 256, OPT_POLICY, OPT_CLAMD, OPT_AV_REQUIRED, OPT_LINKS,
    OPT_NO_DEFAULT_PASSWORDS, OPT_JSON, OPT_QUIET, OPT_STORE, OPT_ZONE,
    OPT_SOURCE };

static const struct option common_options[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "report", required_argument, NULL, OPT_REPORT },
	{ "policy", required_argument, NULL, OPT_POLICY },
	{ "clamd", required_argument, NULL, OPT_CLAMD },
	{ "av-required", no_argument, NULL, OPT_AV_REQUIRED },
	{ "links", required_argument, NULL, OPT_LINKS },
	{ "no-default-passwords", no_argument, NULL, OPT_NO_DEFAULT_PASSWORDS },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "quiet", no_argument, NULL, OPT_QUIET },
	{ "store", required_argument, NULL, OPT_STORE },
	{ "zone", required_argument, NULL, OPT_ZONE },
	{ "source", required_argument, NULL, OPT_SOURCE },
	{ NULL, 0, NULL, 0 },
};

int
cli_parse_common(int argc, char **argv, struct cli_common *c)
{
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "o:", common_options, NULL)) != -1) {
		switch (ch) {
		case 'o':
			c->output = optarg;
			break;
		case OPT_REPORT:
			c->report_path = optarg;
			break;
		case OPT_POLICY:
			c->policy_path = optarg;
			break;
		case OPT_CLAMD:
			c->clamd = optarg;
			break;
		case OPT_AV_REQUIRED:
			c->av_required = true;
			break;
		case OPT_LINKS:
			if (strcmp(optarg, "keep") == 0)
				c->opts.links = LINKS_KEEP;
			else if (strcmp(optarg, "remove") == 0)
				c->opts.links = LINKS_REMOVE;
			else if (strcmp(optarg, "defang") == 0)
				c->opts.links = LINKS_DEFANG;
			else
				return -1;
			break;
		case OPT_NO_DEFAULT_PASSWORDS:
			c->opts.try_default_passwords = false;
			break;
		case OPT_JSON:
			c->json = true;
			break;
		case OPT_QUIET:
			c->quiet = true;
			break;
		case OPT_STORE:
			c->store_dir = optarg;
			break;
		case OPT_ZONE:
			c->zone = optarg;
			break;
		case OPT_SOURCE:
			c->source = optarg;
			break;
		default:
			return -1;
		}
	}
	if (c->policy_path != NULL && access(c->policy_path, R_OK) < 0) {
		fprintf(stderr, "sanso: cannot read policy %s: %s\n",
		    c->policy_path, strerror(errno));
		return -1;
	}
	return 0;
}
