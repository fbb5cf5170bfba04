/*
 * sandbox - what the worker does to itself before it reads hostile
 * bytes: resource limits, no new privileges, no network, and a seccomp
 * allow-list of system calls.
 */
#ifndef SANSO_SANDBOX_H
#define SANSO_SANDBOX_H

#include "sanso_limits.h"

/* Apply rlimits (address space, file size, descriptors, no core, no
   processes) and the seccomp filter to the calling process. After it
   returns 0 the process can only compute, read and write descriptors it
   already holds, receive more over its socket, and allocate memory.
   Returns -1 with error_r set when the sandbox could not be installed:
   the worker must then refuse to run. */
int sandbox_enter(const struct limits *limits, const char **error_r);
/* Bound the CPU time of the next job: the soft RLIMIT_CPU becomes the
   CPU used so far plus seconds (SIGXCPU kills the worker past it). */
void sandbox_cpu_budget(unsigned seconds);

#endif
