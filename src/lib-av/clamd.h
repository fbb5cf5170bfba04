/*
 * clamd - a client for clamd's INSTREAM command over its unix or TCP
 * socket. It only streams bytes and reads clamd's one-line answer, so it
 * may run in the parent: it never parses the scanned content.
 */
#ifndef SANSO_CLAMD_H
#define SANSO_CLAMD_H

#include <stddef.h>

enum clamd_result {
	CLAMD_CLEAN,
	CLAMD_FOUND,		/* signature_r holds the name */
	CLAMD_UNAVAILABLE,	/* no answer, bad answer, timeout, error */
};

/* Scan len bytes. address is a unix socket path or "tcp:HOST:PORT".
   timeout_ms bounds the whole exchange. On CLAMD_FOUND the signature
   name (without " FOUND") is copied into sig (NUL-terminated, cut to
   sig_size - 1 bytes); on CLAMD_UNAVAILABLE the reason goes to sig. */
enum clamd_result clamd_scan(const char *address, const void *data,
    size_t len, unsigned timeout_ms, char *sig, size_t sig_size);

#endif
