/* clamd - placeholder */
#include <stdio.h>
#include "clamd.h"
enum clamd_result
clamd_scan(const char *address, const void *data, size_t len,
    unsigned timeout_ms, char *sig, size_t sig_size)
{
	snprintf(sig, sig_size, "not implemented");
	return CLAMD_UNAVAILABLE;
}
