/* test-sandbox - inside the sandbox, computing works, files cannot be
   opened, and exec / socket kill the process. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "sandbox.h"

enum probe { PROBE_COMPUTE, PROBE_OPEN, PROBE_SOCKET, PROBE_EXEC,
    PROBE_FORK };

/* Run probe in a sandboxed child; return its wait status. */
static int
run_probe(enum probe probe)
{
	struct limits l;
	const char *err;
	pid_t pid;
	int status;

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char *argv[] = { "/bin/true", NULL };
		void *p;

		limits_init(&l);
		if (sandbox_enter(&l, &err) < 0)
			_exit(90);
		switch (probe) {
		case PROBE_COMPUTE:
			p = malloc(1 << 20);
			if (p == NULL)
				_exit(91);
			memset(p, 1, 1 << 20);
			free(p);
			_exit(0);
		case PROBE_OPEN:
			_exit(open("/etc/passwd", O_RDONLY) < 0 &&
			    errno == EPERM ? 0 : 92);
		case PROBE_SOCKET:
			(void)socket(AF_INET, SOCK_STREAM, 0);
			_exit(93);
		case PROBE_EXEC:
			execv(argv[0], argv);
			_exit(94);
		case PROBE_FORK:
			(void)fork();
			_exit(95);
		}
		_exit(99);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return status;
}

static void
test_compute_allowed(void **state)
{
	int st = run_probe(PROBE_COMPUTE);

	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

static void
test_open_denied(void **state)
{
	int st = run_probe(PROBE_OPEN);

	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

static void
test_network_exec_fork_kill(void **state)
{
	enum probe p[] = { PROBE_SOCKET, PROBE_EXEC, PROBE_FORK };
	size_t i;

	for (i = 0; i < sizeof(p) / sizeof(p[0]); i++) {
		int st = run_probe(p[i]);

		assert_true(WIFSIGNALED(st));
		assert_int_equal(WTERMSIG(st), SIGSYS);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compute_allowed),
		cmocka_unit_test(test_open_denied),
		cmocka_unit_test(test_network_exec_fork_kill),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
