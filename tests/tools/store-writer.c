/*
 * store-writer - write N distinct originals into a store and print
 * "ACK id sha256" after each one the store acknowledged. The crash
 * and disk-full tests kill it or starve it and then check that every
 * acknowledged item is present and whole.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hash.h"
#include "store.h"

int
main(int argc, char **argv)
{
	struct store_new_item item = { "file", "internet", NULL, "crash test",
	    "text", "clean", "[]", 0, NULL, NULL };
	char err[STORE_ERR_SIZE], id[STORE_ID_LEN + 1], name[64], line[256];
	char sha[65];
	unsigned char *data;
	struct store *st;
	long i, n, size;

	if (argc != 4) {
		fprintf(stderr, "usage: store-writer DIR COUNT SIZE\n");
		return 2;
	}
	n = atol(argv[2]);
	size = atol(argv[3]);
	if (hash_init() < 0 || size < 16 || (data = malloc((size_t)size)) == NULL)
		return 2;
	st = store_open(argv[1], err, sizeof(err));
	if (st == NULL) {
		fprintf(stderr, "store-writer: %s\n", err);
		free(data);
		return 1;
	}
	for (i = 0; i < n; i++) {
		/* Distinct content per item and per run. */
		snprintf((char *)data, (size_t)size, "%ld-%ld-", (long)getpid(), i);
		memset(data + strlen((char *)data), 'a' + (int)(i % 26),
		    (size_t)size - strlen((char *)data));
		snprintf(name, sizeof(name), "item-%ld.txt", i);
		item.name = name;
		if (store_quarantine(st, &item, data, (size_t)size, "crashtest",
		    id, err, sizeof(err)) < 0) {
			fprintf(stderr, "store-writer: %s\n", err);
			store_close(st);
			free(data);
			return 1;
		}
		hash_sha256_hex(data, (size_t)size, sha);
		/* One write per line so a kill never leaves half an ACK. */
		snprintf(line, sizeof(line), "ACK %s %s\n", id, sha);
		if (write(STDOUT_FILENO, line, strlen(line)) < 0)
			break;
	}
	store_close(st);
	free(data);
	return 0;
}
