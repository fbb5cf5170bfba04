/*
 * cmd_store - `sanso quarantine ...` and `sanso user ...`: the evidence
 * store from the command line (issue contract in README "Evidence").
 *
 * Exit codes: 0 done, 1 refused (four-eyes rule, unknown account, wrong
 * state), 2 usage, 75 the store failed (try again later).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "json.h"
#include "store.h"

#define EXIT_REFUSED 1
#define EXIT_STORE 75

static void
store_usage(void)
{
	fprintf(stderr,
	    "usage: sanso quarantine list [--store DIR] [--state S] [--json]\n"
	    "       sanso quarantine show ID [--store DIR] [--json]\n"
	    "       sanso quarantine request-release ID --by USER --reason TEXT\n"
	    "       sanso quarantine approve ID --by USER -o OUT\n"
	    "       sanso quarantine reject ID --by USER --reason TEXT\n"
	    "       sanso quarantine expire [--store DIR]\n"
	    "       sanso user add NAME --role operator|approver|auditor|admin\n"
	    "       sanso user list [--json] | sanso user disable NAME\n"
	    "all take --store DIR (default: the policy's store.dir, else "
	    SANSO_STORE_DEFAULT ")\n");
}

struct store_args {
	const char *store, *by, *reason, *output, *role, *state, *policy;
	bool json;
	char *const *pos;
	int npos;
};

static int
store_parse(int argc, char **argv, struct store_args *a)
{
	static const struct option opts[] = {
		{ "store", required_argument, NULL, 's' },
		{ "by", required_argument, NULL, 'b' },
		{ "reason", required_argument, NULL, 'r' },
		{ "output", required_argument, NULL, 'o' },
		{ "role", required_argument, NULL, 'R' },
		{ "state", required_argument, NULL, 'S' },
		{ "policy", required_argument, NULL, 'p' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	memset(a, 0, sizeof(*a));
	optind = 1;
	while ((ch = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		switch (ch) {
		case 's': a->store = optarg; break;
		case 'b': a->by = optarg; break;
		case 'r': a->reason = optarg; break;
		case 'o': a->output = optarg; break;
		case 'R': a->role = optarg; break;
		case 'S': a->state = optarg; break;
		case 'p': a->policy = optarg; break;
		case 'j': a->json = true; break;
		default: return -1;
		}
	}
	a->pos = argv + optind;
	a->npos = argc - optind;
	return 0;
}

/* Open the store named by --store, the policy, or the default. */
static struct store *
open_store(const struct store_args *a)
{
	char err[STORE_ERR_SIZE];
	const char *dir = cli_store_dir(a->store, a->policy);
	struct store *st;

	if (dir == NULL)
		return NULL;
	st = store_open(dir, err, sizeof(err));
	if (st == NULL)
		fprintf(stderr, "sanso: %s\n", err);
	return st;
}

static void
fmt_time(int64_t t, char *buf, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void
item_json(const struct store_item *it, struct buffer *b)
{
	char ts[32];

	fmt_time(it->time, ts, sizeof(ts));
	buffer_append_str(b, "{\"id\":");
	json_append_string(b, it->id);
	buffer_append_str(b, ",\"time\":");
	json_append_string(b, ts);
	buffer_append_str(b, ",\"source\":");
	json_append_string(b, it->source);
	buffer_append_str(b, ",\"zone\":");
	json_append_string(b, it->zone);
	buffer_append_str(b, ",\"name\":");
	json_append_string(b, it->name);
	buffer_append_str(b, ",\"summary\":");
	json_append_string(b, it->summary);
	buffer_append_str(b, ",\"type\":");
	json_append_string(b, it->type);
	buffer_append_str(b, ",\"verdict\":");
	json_append_string(b, it->verdict);
	buffer_printf(b, ",\"size\":%llu,\"sha256\":",
	    (unsigned long long)it->size);
	json_append_string(b, it->sha256);
	buffer_append_str(b, ",\"state\":");
	json_append_string(b, it->state);
	buffer_append_str(b, ",\"findings\":");
	buffer_append_str(b, it->findings_json[0] != '\0' ?
	    it->findings_json : "[]");
	buffer_append_str(b, "}");
}

static int
quarantine_list(const struct store_args *a)
{
	struct store *st = open_store(a);
	struct arena *ar = arena_create(256u << 20);
	struct store_iter *it;
	struct store_item item;
	struct buffer b;
	char ts[32];
	int rc, n = 0;

	if (st == NULL || ar == NULL)
		return EXIT_STORE;
	it = store_items_init(st, a->state);
	buffer_init(&b, 1u << 30);
	if (a->json)
		buffer_append_str(&b, "[");
	else
		printf("%-32s %-20s %-9s %-17s %-10s %s\n", "ID", "TIME", "SOURCE",
		    "STATE", "VERDICT", "NAME");
	while (it != NULL && (rc = store_items_next(it, ar, &item)) == 1) {
		if (a->json) {
			if (n > 0)
				buffer_append_str(&b, ",");
			item_json(&item, &b);
		} else {
			fmt_time(item.time, ts, sizeof(ts));
			printf("%-32s %-20s %-9s %-17s %-10s %s\n", item.id, ts,
			    item.source, item.state, item.verdict, item.name);
		}
		n++;
	}
	if (a->json) {
		buffer_append_str(&b, "]\n");
		fwrite(b.data, 1, b.used, stdout);
	}
	store_iter_deinit(&it);
	buffer_free(&b);
	arena_destroy(ar);
	store_close(st);
	return 0;
}

static int
quarantine_show(const struct store_args *a)
{
	struct store *st;
	struct arena *ar;
	struct store_iter *it;
	struct store_item item;
	struct store_history h;
	char err[STORE_ERR_SIZE], ts[32];
	struct buffer b;
	int rc, n = 0;

	if (a->npos != 1)
		return EXIT_USAGE;
	st = open_store(a);
	ar = arena_create(64u << 20);
	if (st == NULL || ar == NULL)
		return EXIT_STORE;
	rc = store_item_get(st, a->pos[0], ar, &item, err, sizeof(err));
	if (rc != 0) {
		fprintf(stderr, "sanso: %s\n", rc == 1 ? "no such item" : err);
		store_close(st);
		arena_destroy(ar);
		return rc == 1 ? EXIT_REFUSED : EXIT_STORE;
	}
	buffer_init(&b, 1u << 28);
	it = store_history_init(st, item.id);
	if (a->json) {
		item_json(&item, &b);
		b.used--;	/* reopen the object for the history */
		buffer_append_str(&b, ",\"history\":[");
	} else {
		fmt_time(item.time, ts, sizeof(ts));
		printf("id:       %s\ntime:     %s\nsource:   %s (zone %s)\n"
		    "name:     %s\nsummary:  %s\ntype:     %s\nsize:     %llu\n"
		    "sha256:   %s\nverdict:  %s\nstate:    %s\nfindings: %s\n"
		    "history:\n", item.id, ts, item.source, item.zone, item.name,
		    item.summary, item.type, (unsigned long long)item.size,
		    item.sha256, item.verdict, item.state, item.findings_json);
	}
	while (it != NULL && store_history_next(it, ar, &h) == 1) {
		fmt_time(h.time, ts, sizeof(ts));
		if (a->json) {
			buffer_append_str(&b, n++ > 0 ? ",{\"time\":" : "{\"time\":");
			json_append_string(&b, ts);
			buffer_append_str(&b, ",\"actor\":");
			json_append_string(&b, h.actor);
			buffer_append_str(&b, ",\"state\":");
			json_append_string(&b, h.state);
			buffer_append_str(&b, ",\"reason\":");
			json_append_string(&b, h.reason);
			buffer_append_str(&b, "}");
		} else
			printf("  %s  %-17s by %s%s%s\n", ts, h.state, h.actor,
			    h.reason[0] ? ": " : "", h.reason);
	}
	if (a->json) {
		buffer_append_str(&b, "]}\n");
		fwrite(b.data, 1, b.used, stdout);
	}
	store_iter_deinit(&it);
	buffer_free(&b);
	arena_destroy(ar);
	store_close(st);
	return 0;
}

static int
quarantine_decide(const char *cmd, const struct store_args *a)
{
	char err[STORE_ERR_SIZE] = "";
	struct store *st;
	int rc;

	if (a->npos != 1 || a->by == NULL)
		return EXIT_USAGE;
	if (strcmp(cmd, "approve") == 0 && a->output == NULL)
		return EXIT_USAGE;
	if (strcmp(cmd, "approve") != 0 && a->reason == NULL)
		return EXIT_USAGE;
	st = open_store(a);
	if (st == NULL)
		return EXIT_STORE;
	if (strcmp(cmd, "request-release") == 0)
		rc = store_request_release(st, a->pos[0], a->by, a->reason, err,
		    sizeof(err));
	else if (strcmp(cmd, "approve") == 0)
		rc = store_approve(st, a->pos[0], a->by, a->output, err,
		    sizeof(err));
	else
		rc = store_reject(st, a->pos[0], a->by, a->reason, err,
		    sizeof(err));
	store_close(st);
	if (rc < 0) {
		fprintf(stderr, "sanso: %s refused: %s\n", cmd, err);
		return EXIT_REFUSED;
	}
	printf("%s: %s done\n", a->pos[0], cmd);
	return 0;
}

static int
quarantine_expire(const struct store_args *a)
{
	char err[STORE_ERR_SIZE] = "";
	struct store *st = open_store(a);
	int n;

	if (st == NULL)
		return EXIT_STORE;
	n = store_expire(st, time(NULL), err, sizeof(err));
	store_close(st);
	if (n < 0) {
		fprintf(stderr, "sanso: expire: %s\n", err);
		return EXIT_STORE;
	}
	printf("%d items expired\n", n);
	return 0;
}

int
cmd_quarantine(int argc, char **argv)
{
	struct store_args a;
	const char *sub;
	int rc;

	if (argc < 2 || store_parse(argc - 1, argv + 1, &a) < 0) {
		store_usage();
		return EXIT_USAGE;
	}
	sub = argv[1];
	if (strcmp(sub, "list") == 0)
		rc = quarantine_list(&a);
	else if (strcmp(sub, "show") == 0)
		rc = quarantine_show(&a);
	else if (strcmp(sub, "request-release") == 0 ||
	    strcmp(sub, "approve") == 0 || strcmp(sub, "reject") == 0)
		rc = quarantine_decide(sub, &a);
	else if (strcmp(sub, "expire") == 0)
		rc = quarantine_expire(&a);
	else
		rc = EXIT_USAGE;
	if (rc == EXIT_USAGE)
		store_usage();
	return rc;
}

int
cmd_user(int argc, char **argv)
{
	char err[STORE_ERR_SIZE] = "";
	struct store_args a;
	struct store *st;
	struct store_iter *it;
	struct store_user u;
	struct arena *ar;
	enum store_role role;
	const char *actor = getenv("SUDO_USER") ? getenv("SUDO_USER") : "root";
	int rc = 0, n = 0;

	if (argc < 2 || store_parse(argc - 1, argv + 1, &a) < 0) {
		store_usage();
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "add") == 0 && (a.npos != 1 || a.role == NULL ||
	    store_role_parse(a.role, &role) < 0)) {
		store_usage();
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "disable") == 0 && a.npos != 1) {
		store_usage();
		return EXIT_USAGE;
	}
	st = open_store(&a);
	if (st == NULL)
		return EXIT_STORE;
	if (strcmp(argv[1], "add") == 0) {
		if (store_user_add(st, a.pos[0], role, actor, err,
		    sizeof(err)) < 0)
			rc = EXIT_REFUSED;
	} else if (strcmp(argv[1], "disable") == 0) {
		if (store_user_disable(st, a.pos[0], actor, err,
		    sizeof(err)) < 0)
			rc = EXIT_REFUSED;
	} else if (strcmp(argv[1], "list") == 0) {
		ar = arena_create(16u << 20);
		it = store_users_init(st);
		if (a.json)
			printf("[");
		while (ar != NULL && it != NULL &&
		    store_users_next(it, ar, &u) == 1) {
			if (a.json)
				printf("%s{\"name\":\"%s\",\"role\":\"%s\","
				    "\"disabled\":%s}", n++ ? "," : "", u.name,
				    store_role_name(u.role),
				    u.disabled ? "true" : "false");
			else
				printf("%-24s %-9s %s\n", u.name,
				    store_role_name(u.role),
				    u.disabled ? "disabled" : "enabled");
		}
		if (a.json)
			printf("]\n");
		store_iter_deinit(&it);
		arena_destroy(ar);
	} else {
		store_usage();
		rc = EXIT_USAGE;
	}
	store_close(st);
	if (rc == EXIT_REFUSED)
		fprintf(stderr, "sanso: user %s: %s\n", argv[1], err);
	return rc;
}
