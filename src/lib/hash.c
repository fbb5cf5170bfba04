/*
 * hash - SHA-256 through libsodium.
 */
#include <sodium.h>
#include <string.h>

#include "hash.h"

_Static_assert(sizeof(crypto_hash_sha256_state) <=
    sizeof(((struct hash_sha256 *)0)->state), "hash state too small");

int
hash_init(void)
{
	return sodium_init() < 0 ? -1 : 0;
}

void
hash_sha256_begin(struct hash_sha256 *h)
{
	crypto_hash_sha256_init((crypto_hash_sha256_state *)(void *)h->state);
}

void
hash_sha256_update(struct hash_sha256 *h, const void *data, size_t len)
{
	crypto_hash_sha256_update((crypto_hash_sha256_state *)(void *)h->state,
	    data, len);
}

void
hash_sha256_end(struct hash_sha256 *h, char hex[65])
{
	unsigned char md[crypto_hash_sha256_BYTES];

	crypto_hash_sha256_final((crypto_hash_sha256_state *)(void *)h->state,
	    md);
	sodium_bin2hex(hex, 65, md, sizeof(md));
}

void
hash_sha256_hex(const void *data, size_t len, char hex[65])
{
	struct hash_sha256 h;

	hash_sha256_begin(&h);
	hash_sha256_update(&h, data, len);
	hash_sha256_end(&h, hex);
}
