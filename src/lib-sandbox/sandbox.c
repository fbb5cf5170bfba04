/*
 * sandbox - rlimits and a seccomp allow-list for the worker.
 *
 * The allow-list holds what computing on buffers needs (memory, reading
 * and writing held descriptors, receiving descriptors on the job socket,
 * clocks, random). Everything else fails with EPERM, so a library that
 * probes for a file or a locale degrades instead of dying. The calls an
 * exploit wants (exec, socket, connect, ptrace, fork, mount, ...) kill
 * the process outright: a worker that tries them is compromised, and the
 * parent turns its death into verdict "error".
 */
#include <errno.h>
#include <iconv.h>
#include <seccomp.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/time.h>

#include "sandbox.h"

static const int sandbox_allowed[] = {
	SCMP_SYS(read), SCMP_SYS(write), SCMP_SYS(readv), SCMP_SYS(writev),
	SCMP_SYS(pread64), SCMP_SYS(pwrite64), SCMP_SYS(lseek),
	SCMP_SYS(close), SCMP_SYS(fstat), SCMP_SYS(newfstatat),
	SCMP_SYS(ftruncate), SCMP_SYS(fcntl), SCMP_SYS(dup),
	SCMP_SYS(mmap), SCMP_SYS(munmap), SCMP_SYS(mremap), SCMP_SYS(brk),
	SCMP_SYS(madvise), SCMP_SYS(mprotect),
	SCMP_SYS(recvmsg), SCMP_SYS(sendmsg), SCMP_SYS(poll),
	SCMP_SYS(exit), SCMP_SYS(exit_group), SCMP_SYS(rt_sigreturn),
	SCMP_SYS(rt_sigprocmask), SCMP_SYS(rt_sigaction), SCMP_SYS(sigaltstack),
	SCMP_SYS(futex), SCMP_SYS(getrandom), SCMP_SYS(clock_gettime),
	SCMP_SYS(gettimeofday), SCMP_SYS(getpid), SCMP_SYS(gettid),
	SCMP_SYS(getrusage), SCMP_SYS(prlimit64), SCMP_SYS(setrlimit),
	SCMP_SYS(getrlimit), SCMP_SYS(sched_yield), SCMP_SYS(tgkill),
};

static const int sandbox_fatal[] = {
	SCMP_SYS(execve), SCMP_SYS(execveat), SCMP_SYS(socket),
	SCMP_SYS(connect), SCMP_SYS(bind), SCMP_SYS(listen),
	SCMP_SYS(accept), SCMP_SYS(accept4), SCMP_SYS(sendto),
	SCMP_SYS(ptrace), SCMP_SYS(fork), SCMP_SYS(vfork), SCMP_SYS(clone),
	SCMP_SYS(clone3), SCMP_SYS(mount), SCMP_SYS(umount2),
	SCMP_SYS(setuid), SCMP_SYS(setgid), SCMP_SYS(unshare),
	SCMP_SYS(setns), SCMP_SYS(process_vm_writev), SCMP_SYS(kexec_load),
	SCMP_SYS(init_module), SCMP_SYS(finit_module), SCMP_SYS(bpf),
};

/*
 * iconv loads its converters from files on first use; once the
 * filter is in place it could not. Open the Japanese converters the
 * markup and text modules need now, and keep them for the worker's
 * life so glibc keeps the modules mapped.
 */
static void
sandbox_prewarm(void)
{
	static const char *charsets[] = {
		"CP932", "SHIFT_JIS", "EUC-JP", "ISO-2022-JP", "UTF-16",
		"UTF-16LE", "UTF-16BE", "WINDOWS-1252", "ISO-8859-1",
	};
	size_t i;

	/* Deliberately never closed: see above. */
	for (i = 0; i < sizeof(charsets) / sizeof(charsets[0]); i++)
		(void)iconv_open("UTF-8", charsets[i]);
}

static int
sandbox_rlimits(const struct limits *limits, const char **error_r)
{
	struct rlimit rl;

	rl.rlim_cur = rl.rlim_max = 0;
	if (setrlimit(RLIMIT_CORE, &rl) < 0) {
		*error_r = "setrlimit(RLIMIT_CORE) failed";
		return -1;
	}
	rl.rlim_cur = rl.rlim_max = limits->output_size;
	if (setrlimit(RLIMIT_FSIZE, &rl) < 0) {
		*error_r = "setrlimit(RLIMIT_FSIZE) failed";
		return -1;
	}
	rl.rlim_cur = rl.rlim_max = 16;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0) {
		*error_r = "setrlimit(RLIMIT_NOFILE) failed";
		return -1;
	}
#if !defined(__SANITIZE_ADDRESS__) && !defined(SANSO_ASAN)
	/* AddressSanitizer reserves terabytes of shadow address space, so
	   the address-space limit only applies to normal builds. */
	rl.rlim_cur = rl.rlim_max = limits->job_memory;
	if (setrlimit(RLIMIT_AS, &rl) < 0) {
		*error_r = "setrlimit(RLIMIT_AS) failed";
		return -1;
	}
#endif
	return 0;
}

static int
sandbox_seccomp(const char **error_r)
{
	scmp_filter_ctx sc;
	size_t i;
	int ret = 0;

	sc = seccomp_init(SCMP_ACT_ERRNO(EPERM));
	if (sc == NULL) {
		*error_r = "seccomp_init failed";
		return -1;
	}
	for (i = 0; i < sizeof(sandbox_allowed) / sizeof(int) && ret == 0; i++)
		ret = seccomp_rule_add(sc, SCMP_ACT_ALLOW, sandbox_allowed[i], 0);
	for (i = 0; i < sizeof(sandbox_fatal) / sizeof(int) && ret == 0; i++)
		ret = seccomp_rule_add(sc, SCMP_ACT_KILL_PROCESS,
		    sandbox_fatal[i], 0);
	if (ret == 0)
		ret = seccomp_load(sc);
	seccomp_release(sc);
	if (ret != 0) {
		*error_r = "seccomp filter could not be loaded";
		return -1;
	}
	return 0;
}

int
sandbox_enter(const struct limits *limits, const char **error_r)
{
	sandbox_prewarm();
	if (sandbox_rlimits(limits, error_r) < 0)
		return -1;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		*error_r = "prctl(PR_SET_NO_NEW_PRIVS) failed";
		return -1;
	}
	return sandbox_seccomp(error_r);
}

void
sandbox_cpu_budget(unsigned seconds)
{
	struct rusage ru;
	struct rlimit rl;

	if (getrusage(RUSAGE_SELF, &ru) < 0 || getrlimit(RLIMIT_CPU, &rl) < 0)
		return;
	rl.rlim_cur = (rlim_t)ru.ru_utime.tv_sec + (rlim_t)ru.ru_stime.tv_sec +
	    seconds + 1;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_cur > rl.rlim_max)
		rl.rlim_cur = rl.rlim_max;
	(void)setrlimit(RLIMIT_CPU, &rl);
}
