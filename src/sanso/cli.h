/*
 * cli - what the sanso subcommands share: exit codes, the common
 * options (policy, AV, limits) and the worker location.
 */
#ifndef SANSO_CLI_H
#define SANSO_CLI_H

#include <stdbool.h>

#include "cdr.h"

/* Exit codes of `sanso file ...` (a contract: scripts depend on them). */
#define EXIT_PASSED	0	/* clean/sanitized; inspect: no findings */
#define EXIT_FINDINGS	1	/* inspect: findings */
#define EXIT_USAGE	2
#define EXIT_NOT_PASSED	3	/* blocked, held, error; inspect: cannot */
#define EXIT_TEMPFAIL	75	/* the store cannot be opened: try later */

struct policy;

struct store;

struct cli_common {
	struct policy *policy;	/* loaded --policy, owned */
	struct store *store;	/* opened from store_dir, owned */
	struct limits limits;
	struct cdr_options opts;
	const char *policy_path;
	const char *clamd;
	bool av_required;
	const char *report_path;
	const char *output;
	bool json;
	bool quiet;
	const char *store_dir;	/* --store, or the policy's store.dir */
	const char *zone;	/* --zone: source zone of the input */
	const char *source;	/* --source: where the input came from */
	unsigned retention_days;
};

/* Defaults for every common option. */
void cli_common_init(struct cli_common *c);
/* Load c->policy_path and apply it to limits, options and AV settings
   (command-line options given after it still win). Prints the reason
   and returns -1 when the file is bad. */
int cli_load_policy(struct cli_common *c);
/* Parse the options every gateway subcommand takes (-o, --report,
   --policy, --clamd, --av-required, --links, --no-default-passwords,
   --json, --quiet, --store, --zone, --source) into c. Leaves optind at
   the first operand. -1 on a usage error. */
int cli_parse_common(int argc, char **argv, struct cli_common *c);
/* Release what cli_common holds. */
void cli_common_free(struct cli_common *c);
/* Path of the sanso-worker program: $SANSO_WORKER, else beside this
   program, else the installed libexec one. Static storage. */
const char *cli_worker_path(void);

#ifndef SANSO_STORE_DEFAULT
#define SANSO_STORE_DEFAULT "/var/lib/sanso"
#endif

/* The store folder: store_arg when given, else the policy's store.dir,
   else SANSO_STORE_DEFAULT. NULL (message printed) when the policy
   cannot be read. The string lives until exit. */
const char *cli_store_dir(const char *store_arg, const char *policy_path);

int cmd_file(int argc, char **argv);
int cmd_quarantine(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_log(int argc, char **argv);
int cmd_policy(int argc, char **argv);
int cmd_mail(int argc, char **argv);

#endif
