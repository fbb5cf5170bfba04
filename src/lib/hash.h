/*
 * hash - SHA-256 as lower-case hex, the id of every object.
 *
 * OpenSSL's libcrypto does the work: it uses the CPU's SHA extensions
 * where they exist, several times faster than a portable C version, and
 * every file crosses this function more than once.
 */
#ifndef SANSO_HASH_H
#define SANSO_HASH_H

#include <stddef.h>

#define HASH_SHA256_HEX_LEN 64

struct hash_sha256 {
	void *ctx;	/* EVP_MD_CTX, owned between begin and end */
};

/* Must be called once before any other hash function; returns 0 or -1.
   (Also initialises libsodium, which the store's MACs use.) */
int hash_init(void);
/* Write the hex digest of data (65 bytes incl. NUL) into hex. */
void hash_sha256_hex(const void *data, size_t len, char hex[65]);
/* Incremental form for streams. begin aborts when out of memory. */
void hash_sha256_begin(struct hash_sha256 *h);
void hash_sha256_update(struct hash_sha256 *h, const void *data, size_t len);
void hash_sha256_end(struct hash_sha256 *h, char hex[65]);

#endif
