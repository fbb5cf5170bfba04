/*
 * ole_crypt - ECMA-376 Agile and Standard decryption [MS-OFFCRYPTO 2.3.4].
 *
 * The Agile descriptor is XML; it is parsed with libxml2 without network
 * access, DTD loading or entity substitution, and only the two elements
 * the key derivation needs are read.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <openssl/evp.h>
#include <sodium.h>

#include "ole_crypt.h"

#define CRYPT_MAX_SPIN		10000000u	/* [MS-OFFCRYPTO] 2.3.4.10 */
#define CRYPT_STD_SPIN		50000u
#define CRYPT_SEGMENT		4096
#define CRYPT_MAX_INFO		(1024 * 1024)	/* descriptor with certificates */
#define CRYPT_MAX_FIELD		256		/* salts, keys, hashes */
#define CRYPT_BLOCK		16

struct crypt_params {
	const EVP_MD *md;
	unsigned hash_size, key_bytes, salt_size, block;
	unsigned char salt[CRYPT_MAX_FIELD];
	size_t salt_len;
};

struct agile {
	struct crypt_params data;	/* keyData */
	struct crypt_params pw;		/* password keyEncryptor */
	unsigned long spin;
	unsigned char vin[CRYPT_MAX_FIELD], vval[CRYPT_MAX_FIELD];
	unsigned char kval[CRYPT_MAX_FIELD];
	size_t vin_len, vval_len, kval_len;
};

static const unsigned char blk_vin[8] = {
	0xfe, 0xa7, 0xd2, 0x76, 0x3b, 0x4b, 0x9e, 0x79 };
static const unsigned char blk_vval[8] = {
	0xd7, 0xaa, 0x0f, 0x6d, 0x30, 0x61, 0x34, 0x4e };
static const unsigned char blk_key[8] = {
	0x14, 0x6e, 0x0b, 0xe7, 0xab, 0xac, 0xd0, 0xd6 };

static uint32_t
rd32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static void
wr32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

/* out = H(a || b). Returns 0 or -1. */
static int
hash2(EVP_MD_CTX *c, const EVP_MD *md, const void *a, size_t alen,
    const void *b, size_t blen, unsigned char *out)
{
	if (EVP_DigestInit_ex(c, md, NULL) != 1 ||
	    EVP_DigestUpdate(c, a, alen) != 1 ||
	    (blen > 0 && EVP_DigestUpdate(c, b, blen) != 1) ||
	    EVP_DigestFinal_ex(c, out, NULL) != 1)
		return -1;
	return 0;
}

/* Iterated password hash: H0 = H(salt || pw), Hi = H(i || Hi-1). */
static int
password_hash(const EVP_MD *md, const unsigned char *salt, size_t salt_len,
    const char *password, unsigned long spin, unsigned char *h)
{
	unsigned char pw[2 * 64], it[4];
	size_t n = strlen(password), i, hl = (size_t)EVP_MD_get_size(md);
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	unsigned long k;
	int ret = -1;

	if (c == NULL || n > 64)
		goto out;
	for (i = 0; i < n; i++) {
		pw[2 * i] = (unsigned char)password[i];
		pw[2 * i + 1] = 0;
	}
	if (hash2(c, md, salt, salt_len, pw, 2 * n, h) < 0)
		goto out;
	for (k = 0; k < spin; k++) {
		wr32(it, (uint32_t)k);
		if (hash2(c, md, it, 4, h, hl, h) < 0)
			goto out;
	}
	ret = 0;
out:
	EVP_MD_CTX_free(c);
	return ret;
}

static const EVP_CIPHER *
aes_cipher(unsigned key_bytes, bool cbc)
{
	switch (key_bytes) {
	case 16:
		return cbc ? EVP_aes_128_cbc() : EVP_aes_128_ecb();
	case 24:
		return cbc ? EVP_aes_192_cbc() : EVP_aes_192_ecb();
	case 32:
		return cbc ? EVP_aes_256_cbc() : EVP_aes_256_ecb();
	}
	return NULL;
}

/* AES decrypt len bytes (a multiple of 16); iv NULL means ECB. */
static int
aes_decrypt(EVP_CIPHER_CTX *c, const unsigned char *key, unsigned key_bytes,
    const unsigned char *iv, const unsigned char *in, size_t len,
    unsigned char *out)
{
	const EVP_CIPHER *ciph = aes_cipher(key_bytes, iv != NULL);
	int outl, finl;

	if (ciph == NULL || len % CRYPT_BLOCK != 0 || len > CRYPT_SEGMENT ||
	    EVP_DecryptInit_ex(c, ciph, NULL, key, iv) != 1 ||
	    EVP_CIPHER_CTX_set_padding(c, 0) != 1 ||
	    EVP_DecryptUpdate(c, out, &outl, in, (int)len) != 1 ||
	    EVP_DecryptFinal_ex(c, out + outl, &finl) != 1)
		return -1;
	return 0;
}

static int
aes_decrypt1(const unsigned char *key, unsigned key_bytes,
    const unsigned char *iv, const unsigned char *in, size_t len,
    unsigned char *out)
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int ret;

	if (c == NULL)
		return -1;
	ret = aes_decrypt(c, key, key_bytes, iv, in, len, out);
	EVP_CIPHER_CTX_free(c);
	return ret;
}

/*
 * Agile descriptor.
 */

static const EVP_MD *
md_by_name(const char *name)
{
	if (strcmp(name, "SHA1") == 0)
		return EVP_sha1();
	if (strcmp(name, "SHA256") == 0)
		return EVP_sha256();
	if (strcmp(name, "SHA384") == 0)
		return EVP_sha384();
	if (strcmp(name, "SHA512") == 0)
		return EVP_sha512();
	return NULL;
}

/* Copy attribute name of node into buf (NUL-terminated); 0 or -1. */
static int
attr(xmlNode *node, const char *name, char *buf, size_t size)
{
	xmlChar *v = xmlGetProp(node, (const xmlChar *)name);
	size_t n;

	if (v == NULL)
		return -1;
	n = strlen((const char *)v);
	if (n >= size) {
		xmlFree(v);
		return -1;
	}
	memcpy(buf, v, n + 1);
	xmlFree(v);
	return 0;
}

static int
attr_uint(xmlNode *node, const char *name, unsigned long max,
    unsigned long *v)
{
	char buf[16], *end;

	if (attr(node, name, buf, sizeof(buf)) < 0 || buf[0] < '0' ||
	    buf[0] > '9')
		return -1;
	*v = strtoul(buf, &end, 10);
	return *end == '\0' && *v <= max ? 0 : -1;
}

static int
attr_b64(xmlNode *node, const char *name, unsigned char *out, size_t *len)
{
	char buf[4 * CRYPT_MAX_FIELD / 3 + 8];

	if (attr(node, name, buf, sizeof(buf)) < 0)
		return -1;
	return sodium_base642bin(out, CRYPT_MAX_FIELD, buf, strlen(buf),
	    " \t\r\n", len, NULL, sodium_base64_VARIANT_ORIGINAL);
}

/* The cipher parameters shared by keyData and encryptedKey. */
static int
parse_params(xmlNode *n, struct crypt_params *p, const char **why)
{
	char alg[32], chain[32], hash[16];
	unsigned long salt, block, bits, hsize;

	if (attr_uint(n, "saltSize", 64, &salt) < 0 ||
	    attr_uint(n, "blockSize", 64, &block) < 0 ||
	    attr_uint(n, "keyBits", 512, &bits) < 0 ||
	    attr_uint(n, "hashSize", 64, &hsize) < 0 ||
	    attr(n, "cipherAlgorithm", alg, sizeof(alg)) < 0 ||
	    attr(n, "cipherChaining", chain, sizeof(chain)) < 0 ||
	    attr(n, "hashAlgorithm", hash, sizeof(hash)) < 0 ||
	    attr_b64(n, "saltValue", p->salt, &p->salt_len) < 0) {
		*why = "incomplete encryption descriptor";
		return OLE_CRYPT_MALFORMED;
	}
	p->md = md_by_name(hash);
	if (strcmp(alg, "AES") != 0 || strcmp(chain, "ChainingModeCBC") != 0 ||
	    p->md == NULL || block != CRYPT_BLOCK ||
	    aes_cipher((unsigned)bits / 8, true) == NULL || bits % 8 != 0) {
		*why = "unsupported cipher, chaining or hash";
		return OLE_CRYPT_UNSUPPORTED;
	}
	p->hash_size = (unsigned)EVP_MD_get_size(p->md);
	p->key_bytes = (unsigned)bits / 8;
	p->salt_size = (unsigned)salt;
	p->block = (unsigned)block;
	if (hsize != p->hash_size || p->salt_len < p->block ||
	    p->salt_len != salt) {
		*why = "inconsistent encryption descriptor";
		return OLE_CRYPT_MALFORMED;
	}
	return OLE_CRYPT_OK;
}

static bool
is_elem(xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE &&
	    strcmp((const char *)n->name, name) == 0;
}

/* The password key encryptor's encryptedKey element, or NULL. */
static xmlNode *
find_password_key(xmlNode *root)
{
	static const char uri[] =
	    "http://schemas.microsoft.com/office/2006/keyEncryptor/password";
	xmlNode *a, *b, *c;
	char u[128];

	for (a = root->children; a != NULL; a = a->next) {
		if (!is_elem(a, "keyEncryptors"))
			continue;
		for (b = a->children; b != NULL; b = b->next) {
			if (!is_elem(b, "keyEncryptor") ||
			    attr(b, "uri", u, sizeof(u)) < 0 || strcmp(u, uri) != 0)
				continue;
			for (c = b->children; c != NULL; c = c->next) {
				if (is_elem(c, "encryptedKey"))
					return c;
			}
		}
	}
	return NULL;
}

static int
parse_agile_doc(xmlNode *root, struct agile *ag, const char **why)
{
	xmlNode *kd = NULL, *ek, *n;
	int rc;

	if (root == NULL || !is_elem(root, "encryption")) {
		*why = "encryption descriptor is not <encryption>";
		return OLE_CRYPT_MALFORMED;
	}
	for (n = root->children; n != NULL && kd == NULL; n = n->next) {
		if (is_elem(n, "keyData"))
			kd = n;
	}
	if (kd == NULL || (ek = find_password_key(root)) == NULL) {
		*why = "no keyData or no password key encryptor";
		return OLE_CRYPT_UNSUPPORTED;
	}
	if ((rc = parse_params(kd, &ag->data, why)) != OLE_CRYPT_OK ||
	    (rc = parse_params(ek, &ag->pw, why)) != OLE_CRYPT_OK)
		return rc;
	if (attr_uint(ek, "spinCount", CRYPT_MAX_SPIN, &ag->spin) < 0 ||
	    attr_b64(ek, "encryptedVerifierHashInput", ag->vin, &ag->vin_len) < 0 ||
	    attr_b64(ek, "encryptedVerifierHashValue", ag->vval, &ag->vval_len) < 0 ||
	    attr_b64(ek, "encryptedKeyValue", ag->kval, &ag->kval_len) < 0) {
		*why = "bad password key encryptor";
		return OLE_CRYPT_MALFORMED;
	}
	return OLE_CRYPT_OK;
}

static int
parse_agile(const unsigned char *xml, size_t len, struct agile *ag,
    const char **why)
{
	xmlDoc *doc;
	int rc;

	if (len > CRYPT_MAX_INFO) {
		*why = "encryption descriptor too large";
		return OLE_CRYPT_MALFORMED;
	}
	doc = xmlReadMemory((const char *)xml, (int)len, NULL, NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (doc == NULL) {
		*why = "encryption descriptor is not XML";
		return OLE_CRYPT_MALFORMED;
	}
	rc = parse_agile_doc(xmlDocGetRootElement(doc), ag, why);
	xmlFreeDoc(doc);
	return rc;
}

/* Key for one block key: H(Hn || blockKey), cut or 0x36-padded. */
static int
agile_key(const struct crypt_params *p, const unsigned char *hn,
    const unsigned char blk[8], unsigned char *key)
{
	unsigned char h[EVP_MAX_MD_SIZE];
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	int ret = -1;

	if (c != NULL && hash2(c, p->md, hn, p->hash_size, blk, 8, h) == 0) {
		memset(key, 0x36, p->key_bytes);
		memcpy(key, h, p->key_bytes < p->hash_size ? p->key_bytes :
		    p->hash_size);
		ret = 0;
	}
	EVP_MD_CTX_free(c);
	return ret;
}

/* Check the password and recover the package key (data.key_bytes). */
static int
agile_unlock(struct agile *ag, const char *password, unsigned char *dkey,
    const char **why)
{
	const struct crypt_params *p = &ag->pw;
	unsigned char hn[EVP_MAX_MD_SIZE], k[64], a[CRYPT_MAX_FIELD];
	unsigned char b[CRYPT_MAX_FIELD], h[EVP_MAX_MD_SIZE];
	EVP_MD_CTX *c;
	int ok;

	if (ag->vin_len < p->salt_size || ag->vval_len < p->hash_size ||
	    ag->kval_len < ag->data.key_bytes || ag->vin_len % 16 ||
	    ag->vval_len % 16 || ag->kval_len % 16) {
		*why = "bad verifier sizes";
		return OLE_CRYPT_MALFORMED;
	}
	if (password_hash(p->md, p->salt, p->salt_len, password, ag->spin,
	    hn) < 0 || agile_key(p, hn, blk_vin, k) < 0 ||
	    aes_decrypt1(k, p->key_bytes, p->salt, ag->vin, ag->vin_len, a) < 0 ||
	    agile_key(p, hn, blk_vval, k) < 0 ||
	    aes_decrypt1(k, p->key_bytes, p->salt, ag->vval, ag->vval_len, b) < 0)
		return OLE_CRYPT_FAILED;
	if ((c = EVP_MD_CTX_new()) == NULL)
		return OLE_CRYPT_FAILED;
	ok = hash2(c, p->md, a, p->salt_size, NULL, 0, h);
	EVP_MD_CTX_free(c);
	if (ok < 0)
		return OLE_CRYPT_FAILED;
	if (memcmp(h, b, p->hash_size) != 0) {
		*why = "not the default password";
		return OLE_CRYPT_WRONG_PASSWORD;
	}
	if (agile_key(p, hn, blk_key, k) < 0 ||
	    aes_decrypt1(k, p->key_bytes, p->salt, ag->kval, ag->kval_len, a) < 0)
		return OLE_CRYPT_FAILED;
	memcpy(dkey, a, ag->data.key_bytes);
	return OLE_CRYPT_OK;
}

/* Check the declared package size against the ciphertext present and
   the room in plain; *size_r gets it. */
static int
package_size(const unsigned char *pkg, size_t len, const struct buffer *plain,
    uint64_t *size_r, const char **why)
{
	uint64_t size;

	if (len < 8) {
		*why = "EncryptedPackage too short";
		return OLE_CRYPT_MALFORMED;
	}
	size = (uint64_t)rd32(pkg) | (uint64_t)rd32(pkg + 4) << 32;
	if (size > len - 8 || (size + 15) / 16 * 16 > len - 8) {
		*why = "EncryptedPackage shorter than its declared size";
		return OLE_CRYPT_MALFORMED;
	}
	if (size > plain->max - plain->used) {
		*why = "decrypted package over the output limit";
		return OLE_CRYPT_TOO_LARGE;
	}
	*size_r = size;
	return OLE_CRYPT_OK;
}

/* Decrypt the package segment by segment; iv NULL = Standard (ECB). */
static int
decrypt_package(const struct crypt_params *dp, const unsigned char *key,
    const unsigned char *pkg, uint64_t size, bool agile, struct buffer *plain)
{
	unsigned char seg[CRYPT_SEGMENT], iv[EVP_MAX_MD_SIZE], idx[4];
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	uint64_t off = 0;
	uint32_t i = 0;
	size_t take, ct;
	int ret = -1;

	if (c == NULL || m == NULL)
		goto out;
	for (; off < size; off += take, i++) {
		take = size - off < CRYPT_SEGMENT ? (size_t)(size - off) :
		    CRYPT_SEGMENT;
		ct = (take + 15) / 16 * 16;
		wr32(idx, i);
		if (agile && hash2(m, dp->md, dp->salt, dp->salt_len, idx, 4,
		    iv) < 0)
			goto out;
		if (aes_decrypt(c, key, dp->key_bytes, agile ? iv : NULL,
		    pkg + 8 + off, ct, seg) < 0 ||
		    buffer_append(plain, seg, take) < 0)
			goto out;
	}
	ret = 0;
out:
	EVP_CIPHER_CTX_free(c);
	EVP_MD_CTX_free(m);
	return ret;
}

static enum ole_crypt_result
decrypt_agile(const unsigned char *info, size_t info_len,
    const unsigned char *pkg, size_t pkg_len, const char *password,
    struct buffer *plain, const char **why)
{
	struct agile *ag = calloc(1, sizeof(*ag));
	unsigned char key[64];
	uint64_t size;
	size_t start = plain->used;
	int rc;

	if (ag == NULL)
		return OLE_CRYPT_FAILED;
	if (info_len < 8 || rd32(info + 4) != 0x40) {
		*why = "bad Agile descriptor header";
		rc = OLE_CRYPT_MALFORMED;
	} else if ((rc = parse_agile(info + 8, info_len - 8, ag, why)) ==
	    OLE_CRYPT_OK &&
	    (rc = package_size(pkg, pkg_len, plain, &size, why)) ==
	    OLE_CRYPT_OK &&
	    (rc = agile_unlock(ag, password, key, why)) == OLE_CRYPT_OK &&
	    decrypt_package(&ag->data, key, pkg, size, true, plain) < 0) {
		plain->used = start;
		rc = OLE_CRYPT_FAILED;
	}
	sodium_memzero(key, sizeof(key));
	free(ag);
	return (enum ole_crypt_result)rc;
}

/*
 * Standard encryption: binary EncryptionHeader + EncryptionVerifier,
 * SHA-1 with 50,000 rounds, then the X1/X2 expansion of 2.3.4.7.
 */
static int
standard_key(const unsigned char *salt, const char *password,
    unsigned key_bytes, unsigned char *key)
{
	unsigned char h[EVP_MAX_MD_SIZE], zero[4] = { 0 }, buf[64], x[40];
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	int i, ret = -1;

	if (c == NULL ||
	    password_hash(EVP_sha1(), salt, 16, password, CRYPT_STD_SPIN, h) < 0 ||
	    hash2(c, EVP_sha1(), h, 20, zero, 4, h) < 0)
		goto out;
	memset(buf, 0x36, sizeof(buf));
	for (i = 0; i < 20; i++)
		buf[i] ^= h[i];
	if (hash2(c, EVP_sha1(), buf, 64, NULL, 0, x) < 0)
		goto out;
	memset(buf, 0x5c, sizeof(buf));
	for (i = 0; i < 20; i++)
		buf[i] ^= h[i];
	if (hash2(c, EVP_sha1(), buf, 64, NULL, 0, x + 20) < 0)
		goto out;
	memcpy(key, x, key_bytes);
	ret = 0;
out:
	EVP_MD_CTX_free(c);
	return ret;
}

/* AES-ECB over the whole package; plain is left as it was on failure. */
static int
standard_package(const unsigned char *key, unsigned key_bytes,
    const unsigned char *pkg, uint64_t size, struct buffer *plain)
{
	struct crypt_params dp = { .md = EVP_sha1(), .key_bytes = key_bytes };
	size_t start = plain->used;

	if (decrypt_package(&dp, key, pkg, size, false, plain) < 0) {
		plain->used = start;
		return OLE_CRYPT_FAILED;
	}
	return OLE_CRYPT_OK;
}

static enum ole_crypt_result
decrypt_standard(const unsigned char *info, size_t len,
    const unsigned char *pkg, size_t pkg_len, const char *password,
    struct buffer *plain, const char **why)
{
	unsigned char key[32], v[16], vh[32], h[20];
	const unsigned char *hdr, *ver;
	uint32_t flags, hsize, alg, halg, bits;
	uint64_t size;
	int rc;

	if (len < 12 || (hsize = rd32(info + 8)) < 32 || hsize > len - 12 ||
	    len - 12 - hsize < 4 + 16 + 16 + 4 + 32) {
		*why = "truncated Standard encryption header";
		return OLE_CRYPT_MALFORMED;
	}
	flags = rd32(info + 4);
	hdr = info + 12;
	ver = hdr + hsize;
	alg = rd32(hdr + 8);
	halg = rd32(hdr + 12);
	bits = rd32(hdr + 16);
	if (!(flags & 0x20) || (flags & 0x10) || (halg != 0 && halg != 0x8004) ||
	    (alg != 0x660e && alg != 0x660f && alg != 0x6610) ||
	    bits != (alg == 0x660e ? 128u : alg == 0x660f ? 192u : 256u) ||
	    rd32(ver) != 16 || rd32(ver + 36) != 20) {
		*why = "unsupported Standard encryption (not AES/SHA-1)";
		return OLE_CRYPT_UNSUPPORTED;
	}
	if ((rc = package_size(pkg, pkg_len, plain, &size, why)) != OLE_CRYPT_OK)
		return (enum ole_crypt_result)rc;
	rc = OLE_CRYPT_FAILED;
	if (standard_key(ver + 4, password, bits / 8, key) < 0 ||
	    aes_decrypt1(key, bits / 8, NULL, ver + 20, 16, v) < 0 ||
	    aes_decrypt1(key, bits / 8, NULL, ver + 40, 32, vh) < 0 ||
	    EVP_Digest(v, 16, h, NULL, EVP_sha1(), NULL) != 1)
		goto out;
	if (memcmp(h, vh, 20) != 0) {
		*why = "not the default password";
		rc = OLE_CRYPT_WRONG_PASSWORD;
		goto out;
	}
	rc = standard_package(key, bits / 8, pkg, size, plain);
out:
	sodium_memzero(key, sizeof(key));
	return (enum ole_crypt_result)rc;
}

enum ole_crypt_result
ole_crypt_decrypt(const unsigned char *info, size_t info_len,
    const unsigned char *pkg, size_t pkg_len, const char *password,
    struct buffer *plain, const char **why_r)
{
	unsigned major, minor;

	*why_r = NULL;
	if (info_len < 8) {
		*why_r = "EncryptionInfo too short";
		return OLE_CRYPT_MALFORMED;
	}
	major = (unsigned)(info[0] | info[1] << 8);
	minor = (unsigned)(info[2] | info[3] << 8);
	if (major == 4 && minor == 4)
		return decrypt_agile(info, info_len, pkg, pkg_len, password,
		    plain, why_r);
	if ((major == 2 || major == 3 || major == 4) && minor == 2)
		return decrypt_standard(info, info_len, pkg, pkg_len, password,
		    plain, why_r);
	*why_r = "unsupported encryption version (extensible or RC4)";
	return OLE_CRYPT_UNSUPPORTED;
}

/*
 * BIFF8 RC4 (Office 97/2000 compatible): MD5 key derivation, RC4 re-keyed
 * every 1024 bytes. RC4 is a few lines and only in OpenSSL 3's legacy
 * provider, so it is written out here.
 */

struct rc4 {
	unsigned char s[256];
	unsigned i, j;
};

static void
rc4_init(struct rc4 *r, const unsigned char *key, size_t len)
{
	unsigned i, j = 0;
	unsigned char t;

	for (i = 0; i < 256; i++)
		r->s[i] = (unsigned char)i;
	for (i = 0; i < 256; i++) {
		j = (j + r->s[i] + key[i % len]) & 0xff;
		t = r->s[i];
		r->s[i] = r->s[j];
		r->s[j] = t;
	}
	r->i = r->j = 0;
}

static void
rc4_xor(struct rc4 *r, unsigned char *p, size_t len)
{
	unsigned char t;
	size_t k;

	for (k = 0; k < len; k++) {
		r->i = (r->i + 1) & 0xff;
		r->j = (r->j + r->s[r->i]) & 0xff;
		t = r->s[r->i];
		r->s[r->i] = r->s[r->j];
		r->s[r->j] = t;
		p[k] ^= r->s[(r->s[r->i] + r->s[r->j]) & 0xff];
	}
}

static int
biff_block_key(const struct ole_biff_key *key, uint32_t block,
    unsigned char out[16])
{
	unsigned char buf[9];

	memcpy(buf, key->base, 5);
	wr32(buf + 5, block);
	return EVP_Digest(buf, sizeof(buf), out, NULL, EVP_md5(), NULL) == 1 ?
	    0 : -1;
}

enum ole_crypt_result
ole_crypt_biff_unlock(const unsigned char *fp, size_t len,
    const char *password, struct ole_biff_key *key, const char **why_r)
{
	unsigned char pw[2 * 64], h[16], buf[16 * 21], k[16], v[32];
	size_t n = strlen(password), i;
	struct rc4 r;

	*why_r = NULL;
	if (len < 6 || fp[0] != 1 || fp[1] != 0) {
		*why_r = "XOR obfuscation, not RC4";
		return OLE_CRYPT_UNSUPPORTED;
	}
	if (fp[2] != 1 || fp[3] != 0 || fp[4] != 1 || fp[5] != 0) {
		*why_r = "RC4 CryptoAPI encryption";
		return OLE_CRYPT_UNSUPPORTED;
	}
	if (len < 6 + 48 || n > 64) {
		*why_r = "truncated FILEPASS";
		return OLE_CRYPT_MALFORMED;
	}
	for (i = 0; i < n; i++) {
		pw[2 * i] = (unsigned char)password[i];
		pw[2 * i + 1] = 0;
	}
	if (EVP_Digest(pw, 2 * n, h, NULL, EVP_md5(), NULL) != 1)
		return OLE_CRYPT_FAILED;
	for (i = 0; i < 16; i++) {
		memcpy(buf + 21 * i, h, 5);
		memcpy(buf + 21 * i + 5, fp + 6, 16);
	}
	if (EVP_Digest(buf, sizeof(buf), h, NULL, EVP_md5(), NULL) != 1)
		return OLE_CRYPT_FAILED;
	memcpy(key->base, h, 5);
	if (biff_block_key(key, 0, k) < 0)
		return OLE_CRYPT_FAILED;
	memcpy(v, fp + 22, 32);
	rc4_init(&r, k, sizeof(k));
	rc4_xor(&r, v, 32);
	if (EVP_Digest(v, 16, h, NULL, EVP_md5(), NULL) != 1)
		return OLE_CRYPT_FAILED;
	if (memcmp(h, v + 16, 16) != 0) {
		*why_r = "not the default password";
		return OLE_CRYPT_WRONG_PASSWORD;
	}
	return OLE_CRYPT_OK;
}

int
ole_crypt_biff_keystream(const struct ole_biff_key *key, uint32_t block,
    unsigned char ks[1024])
{
	unsigned char k[16];
	struct rc4 r;

	if (biff_block_key(key, block, k) < 0)
		return -1;
	memset(ks, 0, 1024);
	rc4_init(&r, k, sizeof(k));
	rc4_xor(&r, ks, 1024);
	return 0;
}
