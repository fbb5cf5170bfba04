/*
 * sanso - the command line: one entry point, one subcommand group per
 * capability (file, and later mail, quarantine, log, user, policy).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "hash.h"
#include "log.h"

static void
usage(void)
{
	fprintf(stderr,
	    "usage: sanso COMMAND ...\n"
	    "  file sanitize IN -o OUT     rebuild a file without its dangerous parts\n"
	    "  file sanitize DIR -o OUTDIR the same for every file below DIR\n"
	    "  file inspect IN [--json]    report dangerous parts, change nothing\n"
	    "  file codes                  list the finding codes\n"
	    "  mail sanitize < IN > OUT    turn a message into text (無害化)\n"
	    "  mail sanitize DIR -o OUTDIR the same for every message in DIR\n"
	    "  quarantine list|show|request-release|approve|reject|expire\n"
	    "  user add|list|disable\n"
	    "  log verify|report|export|prune\n"
	    "  policy check FILE [--json] check a policy against the seed's rules\n"
	    "  policy nft FILE             print its nftables ruleset\n"
	    "  version\n");
}

int
main(int argc, char **argv)
{
	log_init("sanso");
	if (hash_init() < 0)
		log_fatal("libsodium init failed");
	if (argc < 2) {
		usage();
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "file") == 0)
		return cmd_file(argc - 1, argv + 1);
	if (strcmp(argv[1], "quarantine") == 0)
		return cmd_quarantine(argc - 1, argv + 1);
	if (strcmp(argv[1], "user") == 0)
		return cmd_user(argc - 1, argv + 1);
	if (strcmp(argv[1], "log") == 0)
		return cmd_log(argc - 1, argv + 1);
	if (strcmp(argv[1], "policy") == 0)
		return cmd_policy(argc - 1, argv + 1);
	if (strcmp(argv[1], "mail") == 0)
		return cmd_mail(argc - 1, argv + 1);
	if (strcmp(argv[1], "version") == 0 || strcmp(argv[1], "--version") == 0) {
		printf("sanso %s\n", SANSO_VERSION);
		return 0;
	}
	usage();
	return EXIT_USAGE;
}
