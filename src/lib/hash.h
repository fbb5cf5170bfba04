/*
 * hash - SHA-256 (libsodium) as lower-case hex, the id of every object.
 */
#ifndef SANSO_HASH_H
#define SANSO_HASH_H

#include <stddef.h>

#define HASH_SHA256_HEX_LEN 64

struct hash_sha256 {
	unsigned char state[128];	/* crypto_hash_sha256_state, opaque */
};

/* Must be called once before any other hash function; returns 0 or -1. */
int hash_init(void);
/* Write the hex digest of data (65 bytes incl. NUL) into hex. */
void hash_sha256_hex(const void *data, size_t len, char hex[65]);
/* Incremental form for streams. */
void hash_sha256_begin(struct hash_sha256 *h);
void hash_sha256_update(struct hash_sha256 *h, const void *data, size_t len);
void hash_sha256_end(struct hash_sha256 *h, char hex[65]);

#endif
