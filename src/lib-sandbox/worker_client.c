/*
 * worker_client - start, feed, time and reap sandboxed workers.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "jobproto.h"
#include "log.h"
#include "worker_client.h"

/* The worker gets its socket as descriptor 3. */
#define WORKER_SOCKET_FD 3

struct worker {
	char *path;
	pid_t pid;
	int sock;
	unsigned jobs;
};

struct worker *
worker_new(const char *path)
{
	struct worker *w = calloc(1, sizeof(*w));

	if (w == NULL)
		return NULL;
	w->path = strdup(path);
	if (w->path == NULL) {
		free(w);
		return NULL;
	}
	w->pid = -1;
	w->sock = -1;
	return w;
}

/* Kill and reap the process; describe how it ended into why. */
static void
worker_kill(struct worker *w, char *why, size_t why_size)
{
	int status;

	if (w->sock >= 0)
		close(w->sock);
	w->sock = -1;
	if (w->pid <= 0)
		return;
	/* Give a worker that already died its own status, else kill it
	   and anything it may have left in its process group. */
	if (waitpid(w->pid, &status, WNOHANG) == 0) {
		kill(-w->pid, SIGKILL);
		kill(w->pid, SIGKILL);
		while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	if (why != NULL && why[0] == '\0') {
		if (WIFSIGNALED(status))
			snprintf(why, why_size, "worker killed by signal %d (%s)",
			    WTERMSIG(status), strsignal(WTERMSIG(status)));
		else if (WIFEXITED(status))
			snprintf(why, why_size, "worker exited with status %d",
			    WEXITSTATUS(status));
	}
	w->pid = -1;
}

void
worker_free(struct worker *w)
{
	if (w == NULL)
		return;
	worker_kill(w, NULL, 0);
	free(w->path);
	free(w);
}

static int
worker_spawn(struct worker *w, char *why, size_t why_size)
{
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		snprintf(why, why_size, "socketpair: %s", strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		snprintf(why, why_size, "fork: %s", strerror(errno));
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	if (pid == 0) {
		char *argv[] = { "sanso-worker", NULL };

		int nul = open("/dev/null", O_RDWR);

		/* Its own process group, so that killing the worker kills
		   whatever it might have started. */
		(void)setpgid(0, 0);

		/* The worker inherits no descriptor but its socket and
		   stderr for its log lines. */
		if (dup2(sv[1], WORKER_SOCKET_FD) < 0 || nul < 0 ||
		    dup2(nul, 0) < 0 || dup2(nul, 1) < 0)
			_exit(127);
		closefrom(WORKER_SOCKET_FD + 1);
		execv(w->path, argv);
		_exit(127);
	}
	close(sv[1]);
	w->pid = pid;
	w->sock = sv[0];
	w->jobs = 0;
	return 0;
}

/* Milliseconds left until deadline (a CLOCK_MONOTONIC time), >= 0. */
static int
ms_left(const struct timespec *deadline)
{
	struct timespec now;
	long long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (deadline->tv_sec - now.tv_sec) * 1000LL +
	    (deadline->tv_nsec - now.tv_nsec) / 1000000;
	return ms < 0 ? 0 : ms > 86400000 ? 86400000 : (int)ms;
}

/* Read exactly len bytes before the deadline. 0, -1 error, -2 timeout. */
static int
read_deadline(int fd, void *data, size_t len, const struct timespec *dl)
{
	unsigned char *p = data;
	struct pollfd pfd = { fd, POLLIN, 0 };
	ssize_t n;
	int ret;

	while (len > 0) {
		ret = poll(&pfd, 1, ms_left(dl));
		if (ret < 0 && errno == EINTR)
			continue;
		if (ret == 0)
			return -2;
		if (ret < 0)
			return -1;
		n = read(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The report a failed worker leaves: verdict error, internal.worker
   (and limit.job_time when it ran out of time). */
static struct report *
worker_error_report(struct arena *arena, const char *name, const char *why)
{
	struct report *r = report_new(arena, name);

	if (r == NULL)
		return NULL;
	if (strstr(why, "timed out") != NULL)
		report_add(r, "limit.job_time", FINDING_BLOCKED, NULL,
		    "over limits.job_seconds");
	report_add(r, "internal.worker", FINDING_BLOCKED, NULL, "%s", why);
	report_set_error(r, "%s", why);
	return r;
}

/* Send the request; receive and check the reply. 0 ok, -1 failed. */
static int
worker_exchange(struct worker *w, struct arena *arena,
    const struct worker_job *job, int in_fd, int out_fd,
    struct report **report_r, char *why, size_t why_size)
{
	struct jobproto_request req;
	struct jobproto_reply rep;
	struct timespec dl;
	unsigned char *wire;
	struct stat st;
	size_t name_len = job->name != NULL ? strlen(job->name) : 0;
	int fds[2] = { in_fd, out_fd };
	int ret;

	if (name_len > JOBPROTO_NAME_MAX)
		name_len = JOBPROTO_NAME_MAX;
	memset(&req, 0, sizeof(req));
	req.magic = JOBPROTO_MAGIC_REQ;
	req.version = JOBPROTO_VERSION;
	req.flags = (job->inspect ? JOBPROTO_FLAG_INSPECT : 0) |
	    (job->opts->try_default_passwords ?
	    JOBPROTO_FLAG_DEFAULT_PASSWORDS : 0);
	req.links = job->opts->links;
	req.limits = *job->limits;
	if (job->mail != NULL) {
		req.kind = job->outbound ? JOBPROTO_KIND_OUTBOUND :
		    JOBPROTO_KIND_MAIL;
		req.mail = *job->mail;
	}
	req.name_len = (uint32_t)name_len;
	if (jobproto_send_fds(w->sock, &req, sizeof(req), fds, 2) < 0 ||
	    jobproto_write_all(w->sock, job->name, name_len) < 0) {
		snprintf(why, why_size, "could not send the job to the worker");
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &dl);
	dl.tv_sec += job->limits->job_seconds;
	ret = read_deadline(w->sock, &rep, sizeof(rep), &dl);
	if (ret == -2) {
		snprintf(why, why_size, "worker timed out after %u s",
		    job->limits->job_seconds);
		return -1;
	}
	if (ret < 0) {
		why[0] = '\0';	/* worker_kill() tells how it died */
		return -1;
	}
	if (rep.magic != JOBPROTO_MAGIC_REP || rep.status != JOBPROTO_OK ||
	    rep.report_len == 0 || rep.report_len > JOBPROTO_REPORT_MAX ||
	    fstat(out_fd, &st) < 0 || (uint64_t)st.st_size != rep.output_len) {
		snprintf(why, why_size, "worker sent a malformed reply");
		return -1;
	}
	wire = malloc(rep.report_len);
	if (wire == NULL) {
		snprintf(why, why_size, "out of memory");
		return -1;
	}
	ret = read_deadline(w->sock, wire, rep.report_len, &dl);
	if (ret == 0)
		*report_r = report_deserialize(arena, wire, rep.report_len,
		    (job->limits->archive_entries +
		    job->limits->mime_parts) * 2 + 16);
	free(wire);
	if (ret < 0 || *report_r == NULL) {
		snprintf(why, why_size, ret == -2 ? "worker timed out" :
		    "worker sent a malformed report");
		return -1;
	}
	return 0;
}

int
worker_run(struct worker *w, struct arena *arena, const struct worker_job *job,
    int in_fd, struct report **report_r, int *out_fd_r)
{
	char why[256] = "";
	int out_fd;

	*report_r = NULL;
	*out_fd_r = -1;
	out_fd = memfd_create("sanso-output", MFD_CLOEXEC);
	if (out_fd < 0) {
		snprintf(why, sizeof(why), "memfd_create: %s", strerror(errno));
		*report_r = worker_error_report(arena, job->name, why);
		return *report_r != NULL ? 0 : -1;
	}
	if (w->pid > 0 && w->jobs >= WORKER_JOBS_PER_PROCESS)
		worker_kill(w, NULL, 0);
	if ((w->pid > 0 || worker_spawn(w, why, sizeof(why)) == 0) &&
	    lseek(in_fd, 0, SEEK_SET) == 0 &&
	    worker_exchange(w, arena, job, in_fd, out_fd, report_r, why,
	    sizeof(why)) == 0) {
		w->jobs++;
		*out_fd_r = out_fd;
		return 0;
	}
	/* Whatever went wrong, this worker is not trusted again. */
	worker_kill(w, why, sizeof(why));
	if (why[0] == '\0')
		snprintf(why, sizeof(why), "worker failed");
	log_error("%s", why);
	close(out_fd);
	*report_r = worker_error_report(arena, job->name, why);
	return *report_r != NULL ? 0 : -1;
}
