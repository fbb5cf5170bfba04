/* test-clamd - the INSTREAM client against a fake clamd that checks the
   framing and answers what each test asks for. */
#include <arpa/inet.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "clamd.h"

static char sock_path[108];

static int
read_n(int fd, void *p, size_t n)
{
	size_t got = 0;
	ssize_t r;

	while (got < n) {
		r = read(fd, (char *)p + got, n - got);
		if (r <= 0)
			return -1;
		got += (size_t)r;
	}
	return 0;
}

/* Serve one connection: read the stream, check it against want, answer
   reply (or "stream: FRAMING ERROR" when the bytes differ; or nothing
   and hang when reply is NULL). */
static pid_t
fake_clamd(const void *want, size_t want_len, const char *reply)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int lfd, fd;
	pid_t pid;

	snprintf(sock_path, sizeof(sock_path), "/tmp/sanso-fakeclamd-%d",
	    (int)getpid());
	unlink(sock_path);
	strcpy(sun.sun_path, sock_path);
	lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(lfd >= 0);
	assert_int_equal(bind(lfd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	assert_int_equal(listen(lfd, 1), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char cmd[10], *buf = malloc(want_len + 1);
		size_t got = 0;
		uint32_t be;
		const char *ans = reply;

		fd = accept(lfd, NULL, NULL);
		if (fd < 0 || read_n(fd, cmd, 10) < 0 ||
		    memcmp(cmd, "zINSTREAM", 10) != 0)
			_exit(1);
		for (;;) {
			if (read_n(fd, &be, 4) < 0)
				_exit(1);
			be = ntohl(be);
			if (be == 0)
				break;
			if (got + be > want_len) {
				ans = "stream: FRAMING ERROR";
				break;
			}
			if (read_n(fd, buf + got, be) < 0)
				_exit(1);
			got += be;
		}
		if (got != want_len || memcmp(buf, want, want_len) != 0)
			ans = "stream: FRAMING ERROR";
		if (reply == NULL)
			sleep(30);
		else if (write(fd, ans, strlen(ans) + 1) < 0)
			_exit(1);
		_exit(0);
	}
	close(lfd);
	return pid;
}

static void
reap(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	unlink(sock_path);
}

static void
test_clean_and_framing(void **state)
{
	size_t len = 200000;	/* several 64 KiB chunks */
	unsigned char *data = malloc(len);
	char sig[128];
	pid_t pid;
	size_t i;

	for (i = 0; i < len; i++)
		data[i] = (unsigned char)(i * 7);
	pid = fake_clamd(data, len, "stream: OK");
	assert_int_equal(clamd_scan(sock_path, data, len, 5000, sig,
	    sizeof(sig)), CLAMD_CLEAN);
	reap(pid);
	free(data);
}

static void
test_found(void **state)
{
	char sig[128];
	pid_t pid = fake_clamd("x", 1, "stream: Win.Test.EICAR_HDB-1 FOUND");

	assert_int_equal(clamd_scan(sock_path, "x", 1, 5000, sig, sizeof(sig)),
	    CLAMD_FOUND);
	assert_string_equal(sig, "Win.Test.EICAR_HDB-1");
	reap(pid);
}

static void
test_error_reply_fails_closed(void **state)
{
	char sig[128];
	pid_t pid = fake_clamd("x", 1,
	    "stream: INSTREAM size limit exceeded. ERROR");

	assert_int_equal(clamd_scan(sock_path, "x", 1, 5000, sig, sizeof(sig)),
	    CLAMD_UNAVAILABLE);
	assert_non_null(strstr(sig, "ERROR"));
	reap(pid);
}

static void
test_timeout_and_absent(void **state)
{
	struct timespec a, b;
	char sig[128];
	pid_t pid = fake_clamd("x", 1, NULL);

	clock_gettime(CLOCK_MONOTONIC, &a);
	assert_int_equal(clamd_scan(sock_path, "x", 1, 300, sig, sizeof(sig)),
	    CLAMD_UNAVAILABLE);
	clock_gettime(CLOCK_MONOTONIC, &b);
	assert_true(b.tv_sec - a.tv_sec < 3);
	reap(pid);
	assert_int_equal(clamd_scan("/nonexistent/clamd.sock", "x", 1, 300,
	    sig, sizeof(sig)), CLAMD_UNAVAILABLE);
	assert_non_null(strstr(sig, "cannot connect"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_and_framing),
		cmocka_unit_test(test_found),
		cmocka_unit_test(test_error_reply_fails_closed),
		cmocka_unit_test(test_timeout_and_absent),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
