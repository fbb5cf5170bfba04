/*
 * hash - SHA-256 through OpenSSL's EVP interface.
 */
#include <openssl/evp.h>
#include <sodium.h>
#include <stdlib.h>

#include "hash.h"

static void
to_hex(const unsigned char *md, char hex[65])
{
	static const char digits[] = "0123456789abcdef";
	int i;

	for (i = 0; i < 32; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[64] = '\0';
}

int
hash_init(void)
{
	char hex[65];

	/* OpenSSL reads its configuration on first use; do that now, before
	   a sandbox forbids opening files. */
	hash_sha256_hex("", 0, hex);
	return sodium_init() < 0 ? -1 : 0;
}

void
hash_sha256_begin(struct hash_sha256 *h)
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();

	/* A digest that cannot be computed must not be mistaken for one:
	   stop here (in the worker this becomes verdict error). */
	if (c == NULL || EVP_DigestInit_ex(c, EVP_sha256(), NULL) != 1)
		abort();
	h->ctx = c;
}

void
hash_sha256_update(struct hash_sha256 *h, const void *data, size_t len)
{
	if (EVP_DigestUpdate(h->ctx, data, len) != 1)
		abort();
}

void
hash_sha256_end(struct hash_sha256 *h, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	if (EVP_DigestFinal_ex(h->ctx, md, &n) != 1 || n != 32)
		abort();
	EVP_MD_CTX_free(h->ctx);
	h->ctx = NULL;
	to_hex(md, hex);
}

void
hash_sha256_hex(const void *data, size_t len, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	if (EVP_Digest(data, len, md, &n, EVP_sha256(), NULL) != 1 || n != 32)
		abort();
	to_hex(md, hex);
}
