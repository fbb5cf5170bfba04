/*
 * ole_crypt - ECMA-376 / [MS-OFFCRYPTO] document decryption with a known
 * password: Agile encryption (AES-CBC, SHA-1/SHA-256/SHA-384/SHA-512
 * key derivation) and Standard encryption (AES-ECB, SHA-1), as used by
 * encrypted OOXML packages. AES comes from OpenSSL's libcrypto.
 *
 * Inputs are the bytes of the EncryptionInfo and EncryptedPackage
 * streams; nothing in them is trusted: every size is checked against
 * the bytes present and the Agile spin count against the 10,000,000
 * maximum of the specification (the only unbounded work).
 */
#ifndef SANSO_OLE_CRYPT_H
#define SANSO_OLE_CRYPT_H

#include <stddef.h>
#include <stdint.h>

#include "buffer.h"

enum ole_crypt_result {
	OLE_CRYPT_OK,		/* plain holds the package */
	OLE_CRYPT_WRONG_PASSWORD,
	OLE_CRYPT_UNSUPPORTED,	/* RC4, extensible, external providers */
	OLE_CRYPT_MALFORMED,
	OLE_CRYPT_TOO_LARGE,	/* the package would not fit in plain */
	OLE_CRYPT_FAILED,	/* memory or library failure */
};

/* Decrypt the package with password (ASCII), appending its declared
   number of bytes to plain on OLE_CRYPT_OK (nothing otherwise). *why_r
   gets static text explaining any other result. */
enum ole_crypt_result ole_crypt_decrypt(const unsigned char *info,
    size_t info_len, const unsigned char *pkg, size_t pkg_len,
    const char *password, struct buffer *plain, const char **why_r);

/*
 * BIFF8 workbooks (.xls) encrypted with "Office 97/2000 compatible" RC4
 * [MS-OFFCRYPTO 2.3.6]: the key derivation and the keystream, so the
 * workbook can be read when it opens with a default password.
 */
struct ole_biff_key {
	unsigned char base[5];	/* truncated intermediate hash */
};

/* Check password against a FILEPASS record body (RC4 version 1.1).
   OLE_CRYPT_OK fills key; other results as above. */
enum ole_crypt_result ole_crypt_biff_unlock(const unsigned char *filepass,
    size_t len, const char *password, struct ole_biff_key *key,
    const char **why_r);
/* The 1024 keystream bytes of stream block number block. Returns 0 or
   -1 when libcrypto fails. */
int ole_crypt_biff_keystream(const struct ole_biff_key *key, uint32_t block,
    unsigned char ks[1024]);

#endif
