/*
 * cmd_policy - `sanso policy check FILE [--json]` and
 * `sanso policy nft FILE`.
 *
 * check exits 0 when the policy has no errors (warnings allowed), 1
 * when it has any, 2 for usage, an unreadable file or a schema error
 * (printed as file:line:column). nft prints the ruleset and exits 0; it
 * refuses a policy with errors (exit 1, the findings on stderr) because
 * a ruleset from a broken policy could open what the policy closes.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buffer.h"
#include "cli.h"
#include "json.h"
#include "policy.h"
#include "policy_check.h"
#include "policy_nft.h"

#define POLICY_OUTPUT_MAX	(64u * 1024 * 1024)

static void
policy_usage(void)
{
	fprintf(stderr,
	    "usage: sanso policy check FILE [--json]   check FILE against the seed's rules\n"
	    "       sanso policy nft FILE              print its nftables ruleset\n"
	    "exit: 0 no errors, 1 errors, 2 usage or unreadable/invalid FILE\n");
}

/* One finding as text: "file:line:col: clause severity path: message". */
static void
print_finding(FILE *fp, const char *file, const struct policy_finding *f)
{
	if (f->line > 0)
		fprintf(fp, "%s:%u:%u: ", file, f->line, f->column);
	else
		fprintf(fp, "%s: ", file);
	fprintf(fp, "%s %s %s: %s\n", f->clause,
	    policy_severity_name(f->severity), f->path, f->message);
}

static int
print_json(const char *file, const struct policy_findings *fs,
    const char *error)
{
	struct buffer b;
	size_t i;
	int rc = 0;

	buffer_init(&b, POLICY_OUTPUT_MAX);
	rc |= buffer_append_str(&b, "{\"file\":");
	rc |= json_append_string(&b, file);
	rc |= buffer_printf(&b, ",\"ok\":%s",
	    error == NULL && fs->errors == 0 ? "true" : "false");
	if (error != NULL) {
		rc |= buffer_append_str(&b, ",\"error\":");
		rc |= json_append_string(&b, error);
	}
	rc |= buffer_printf(&b, ",\"errors\":%zu,\"warnings\":%zu,\"findings\":[",
	    fs->errors, fs->warnings);
	for (i = 0; i < fs->count; i++) {
		const struct policy_finding *f = &fs->v[i];

		rc |= buffer_append_str(&b, i > 0 ? ",{\"clause\":" : "{\"clause\":");
		rc |= json_append_string(&b, f->clause);
		rc |= buffer_printf(&b, ",\"severity\":\"%s\",\"path\":",
		    policy_severity_name(f->severity));
		rc |= json_append_string(&b, f->path);
		rc |= buffer_append_str(&b, ",\"message\":");
		rc |= json_append_string(&b, f->message);
		rc |= buffer_printf(&b, ",\"line\":%u,\"column\":%u}", f->line,
		    f->column);
	}
	rc |= buffer_append_str(&b, "]}\n");
	if (rc == 0)
		fwrite(b.data, 1, b.used, stdout);
	buffer_free(&b);
	if (rc != 0) {
		fprintf(stderr, "sanso: policy: output too large\n");
		return -1;
	}
	return 0;
}

static int
policy_check_cmd(const char *file, bool json)
{
	struct policy_findings fs = { 0 };
	struct policy *p;
	char err[1024];
	size_t i;
	int rc;

	p = policy_load(file, err, sizeof(err));
	if (p == NULL) {
		fprintf(stderr, "sanso: policy: %s\n", err);
		if (json)
			print_json(file, &fs, err);
		return EXIT_USAGE;
	}
	if (policy_check(p, &fs) < 0) {
		fprintf(stderr, "sanso: policy: out of memory while checking\n");
		policy_findings_free(&fs);
		policy_free(p);
		return EXIT_USAGE;
	}
	if (json) {
		if (print_json(file, &fs, NULL) < 0)
			fs.errors++;
	} else {
		for (i = 0; i < fs.count; i++)
			print_finding(stdout, file, &fs.v[i]);
		printf("%s: %s, %zu error%s, %zu warning%s\n", file,
		    fs.errors ? "FAILED" : "ok", fs.errors,
		    fs.errors == 1 ? "" : "s", fs.warnings,
		    fs.warnings == 1 ? "" : "s");
	}
	rc = fs.errors > 0 ? EXIT_FINDINGS : 0;
	policy_findings_free(&fs);
	policy_free(p);
	return rc;
}

static int
policy_nft_cmd(const char *file)
{
	struct policy_findings fs = { 0 };
	struct policy *p;
	struct buffer b;
	char err[1024];
	size_t i;
	int rc = 0;

	p = policy_load(file, err, sizeof(err));
	if (p == NULL) {
		fprintf(stderr, "sanso: policy: %s\n", err);
		return EXIT_USAGE;
	}
	buffer_init(&b, POLICY_OUTPUT_MAX);
	if (policy_nft(p, file, &b, err, sizeof(err)) < 0) {
		/* Show why: the errors that stop the compiler. */
		if (policy_check(p, &fs) == 0)
			for (i = 0; i < fs.count; i++)
				if (fs.v[i].severity == POLICY_SEV_ERROR)
					print_finding(stderr, file, &fs.v[i]);
		fprintf(stderr, "sanso: policy nft: %s\n", err);
		policy_findings_free(&fs);
		rc = EXIT_FINDINGS;
	} else if (fwrite(b.data, 1, b.used, stdout) != b.used ||
	    fflush(stdout) != 0) {
		fprintf(stderr, "sanso: policy nft: cannot write the ruleset\n");
		rc = EXIT_FINDINGS;
	}
	buffer_free(&b);
	policy_free(p);
	return rc;
}

int
cmd_policy(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *sub;
	bool json = false;
	int ch;

	if (argc < 2) {
		policy_usage();
		return EXIT_USAGE;
	}
	sub = argv[1];
	optind = 1;
	while ((ch = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'j':
			json = true;
			break;
		default:
			policy_usage();
			return EXIT_USAGE;
		}
	}
	if (optind != argc - 2) {
		policy_usage();
		return EXIT_USAGE;
	}
	if (strcmp(sub, "check") == 0)
		return policy_check_cmd(argv[1 + optind], json);
	if (strcmp(sub, "nft") == 0 && !json)
		return policy_nft_cmd(argv[1 + optind]);
	policy_usage();
	return EXIT_USAGE;
}
