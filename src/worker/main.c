/*
 * sanso-worker - the sandboxed process that parses hostile bytes.
 *
 * It is started by worker_client with its job socket on descriptor 3,
 * enters the sandbox as soon as it knows the job limits, then serves
 * jobs until the socket closes: read the input descriptor, run the
 * engine, write the output to the output descriptor, answer with the
 * serialized report. It holds nothing between jobs but its code; the
 * parent recycles it after a fixed number of jobs.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine.h"
#include "hash.h"
#include "jobproto.h"
#include "log.h"
#include "mail.h"
#include "outbound.h"
#include "sandbox.h"

#define WORKER_SOCKET_FD 3
#define WORKER_ARENA_MAX (256u * 1024 * 1024)

/* The whole input: mapped when it is a regular file or memfd (no copy),
   else read (at most max + 1 bytes, so that "too big" is seen). The
   engine only reads it. */
struct worker_input {
	const unsigned char *data;
	size_t len;
	bool mapped;
	struct buffer buf;
};

static int
worker_input_open(int fd, size_t max, struct worker_input *in)
{
	unsigned char chunk[65536];
	struct stat st;
	ssize_t n;
	void *p;

	memset(in, 0, sizeof(*in));
	buffer_init(&in->buf, max + 1 > max ? max + 1 : max);
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		in->len = (size_t)st.st_size;
		if (in->len == 0) {
			in->data = (const unsigned char *)"";
			return 0;
		}
		p = mmap(NULL, in->len, PROT_READ, MAP_PRIVATE, fd, 0);
		if (p != MAP_FAILED) {
			in->data = p;
			in->mapped = true;
			return 0;
		}
	}
	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0 || buffer_append(&in->buf, chunk, (size_t)n) < 0)
			break;	/* over the limit: the engine says so */
	}
	in->data = in->buf.data != NULL ? in->buf.data :
	    (const unsigned char *)"";
	in->len = in->buf.used;
	return 0;
}

static void
worker_input_close(struct worker_input *in)
{
	if (in->mapped)
		munmap((void *)in->data, in->len);
	buffer_free(&in->buf);
}

/* Run one job and answer it. Returns 0, or -1 when the parent is gone
   or the request is malformed (the worker then exits). */
static int
worker_job(int sock, bool *sandboxed)
{
	struct jobproto_request req;
	struct jobproto_reply rep;
	struct cdr_options opts;
	struct worker_input in;
	struct buffer out, wire;
	struct cdr_ctx ctx;
	struct report *r;
	struct arena *arena;
	char name[JOBPROTO_NAME_MAX + 1];
	const char *error;
	int fds[2], nfds, ret = -1;

	if (jobproto_recv_fds(sock, &req, sizeof(req), fds, 2, &nfds) < 0)
		return -1;
	if (nfds != 2 || req.magic != JOBPROTO_MAGIC_REQ ||
	    req.version != JOBPROTO_VERSION || req.name_len > JOBPROTO_NAME_MAX ||
	    req.links > LINKS_REMOVE || req.kind > JOBPROTO_KIND_OUTBOUND ||
	    jobproto_read_all(sock, name, req.name_len) < 0) {
		log_error("malformed job request");
		return -1;
	}
	name[req.name_len] = '\0';
	if (!*sandboxed) {
		if (sandbox_enter(&req.limits, &error) < 0)
			log_fatal("cannot enter the sandbox: %s", error);
		*sandboxed = true;
	}
	sandbox_cpu_budget(req.limits.job_seconds);

	cdr_options_init(&opts);
	opts.links = (enum link_policy)req.links;
	opts.try_default_passwords =
	    (req.flags & JOBPROTO_FLAG_DEFAULT_PASSWORDS) != 0;
	arena = arena_create(WORKER_ARENA_MAX);
	if (arena == NULL)
		log_fatal("out of memory");
	r = report_new(arena, req.name_len > 0 ? name : NULL);
	if (r == NULL)
		log_fatal("out of memory");
	ctx = (struct cdr_ctx){ arena, &req.limits, &opts,
	    (req.flags & JOBPROTO_FLAG_INSPECT) != 0, 0, NULL };
	buffer_init(&out, req.limits.output_size);
	buffer_init(&wire, JOBPROTO_REPORT_MAX);
	if (worker_input_open(fds[0], req.limits.file_size, &in) < 0)
		report_set_error(r, "cannot read input: %s", strerror(errno));
	else {
		/* Most outputs are about the size of their input. */
		(void)buffer_reserve(&out, in.len < req.limits.output_size ?
		    in.len : 0);
		req.mail.qid[sizeof(req.mail.qid) - 1] = '\0';
		if (req.kind == JOBPROTO_KIND_MAIL)
			(void)mail_sanitize(&ctx, &req.mail, in.data, in.len,
			    &out, r);
		else if (req.kind == JOBPROTO_KIND_OUTBOUND)
			(void)mail_outbound(&ctx, &req.mail.outbound, in.data,
			    in.len, &out, r);
		else
			(void)engine_run(&ctx, r, req.name_len > 0 ? name :
			    NULL, in.data, in.len, &out);
	}
	if (out.used > 0 && jobproto_write_all(fds[1], out.data, out.used) < 0) {
		report_clear_output(r);
		report_set_error(r, "cannot write output: %s", strerror(errno));
	}
	if (report_serialize(r, &wire) == 0) {
		memset(&rep, 0, sizeof(rep));
		rep.magic = JOBPROTO_MAGIC_REP;
		rep.status = JOBPROTO_OK;
		rep.output_len = out.used;
		rep.report_len = (uint32_t)wire.used;
		if (jobproto_write_all(sock, &rep, sizeof(rep)) == 0 &&
		    jobproto_write_all(sock, wire.data, wire.used) == 0)
			ret = 0;
	}
	close(fds[0]);
	close(fds[1]);
	worker_input_close(&in);
	buffer_free(&out);
	buffer_free(&wire);
	arena_destroy(arena);
	return ret;
}

int
main(int argc, char **argv)
{
	struct stat st;
	bool sandboxed = false;

	log_init("sanso-worker");
	if (fstat(WORKER_SOCKET_FD, &st) < 0 || !S_ISSOCK(st.st_mode))
		log_fatal("must be started by sanso (no job socket)");
	if (hash_init() < 0)
		log_fatal("libsodium init failed");
	/* GMime and the charset converters load their tables from files;
	   after the sandbox closes open() they could not. */
	mail_prewarm();
	while (worker_job(WORKER_SOCKET_FD, &sandboxed) == 0)
		;
	return 0;
}
