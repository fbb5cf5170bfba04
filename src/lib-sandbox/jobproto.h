/*
 * jobproto - the messages between a program and its sandboxed worker.
 *
 * One stream socket (socketpair). The parent sends a request frame with
 * two descriptors attached (SCM_RIGHTS): the input, opened read-only,
 * and an empty memfd for the output. The worker answers with a reply
 * frame followed by the serialized report (report_serialize()). Every
 * size is exact and bounded; a frame that does not match ends the
 * receiver's trust in the peer (the parent kills the worker).
 */
#ifndef SANSO_JOBPROTO_H
#define SANSO_JOBPROTO_H

#include <stdint.h>

#include "mail_options.h"
#include "sanso_limits.h"

#define JOBPROTO_MAGIC_REQ	0x53524551u	/* "SREQ" */
#define JOBPROTO_MAGIC_REP	0x53524550u	/* "SREP" */
#define JOBPROTO_VERSION	2
#define JOBPROTO_NAME_MAX	1024
#define JOBPROTO_REPORT_MAX	(16u * 1024 * 1024)

#define JOBPROTO_FLAG_INSPECT		0x1
#define JOBPROTO_FLAG_DEFAULT_PASSWORDS	0x2

enum jobproto_kind {
	JOBPROTO_KIND_FILE = 0,	/* engine_run on one file */
	JOBPROTO_KIND_MAIL = 1,	/* mail_sanitize on one message */
	JOBPROTO_KIND_OUTBOUND = 2,	/* mail_outbound on one message */
};

enum jobproto_status {
	JOBPROTO_OK = 0,	/* report holds the verdict */
	JOBPROTO_FAILED = 1,	/* worker could not run the job at all */
};

struct jobproto_request {
	uint32_t magic;
	uint32_t version;
	uint32_t flags;
	uint32_t links;		/* enum link_policy */
	uint32_t kind;		/* enum jobproto_kind */
	struct limits limits;	/* same binary on both ends */
	struct mail_options mail;	/* JOBPROTO_KIND_MAIL only */
	uint32_t name_len;	/* bytes of name that follow, no NUL */
};

struct jobproto_reply {
	uint32_t magic;
	uint32_t status;
	uint64_t output_len;	/* bytes written to the output memfd */
	uint32_t report_len;	/* bytes of serialized report that follow */
};

/* Send / receive a whole buffer on a stream socket, retrying on EINTR
   and short transfers. Return 0, or -1 on error or EOF. */
int jobproto_write_all(int fd, const void *data, size_t len);
int jobproto_read_all(int fd, void *data, size_t len);
/* Send len bytes with up to two descriptors attached. Returns 0 or -1. */
int jobproto_send_fds(int sock, const void *data, size_t len,
    const int *fds, int nfds);
/* Receive exactly len bytes; the descriptors that came with the first
   bytes are stored in fds (nfds_r says how many, up to max_fds; extra
   ones are closed). Returns 0, or -1 on error/EOF. */
int jobproto_recv_fds(int sock, void *data, size_t len, int *fds,
    int max_fds, int *nfds_r);

#endif
