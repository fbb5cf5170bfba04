/*
 * fuzz-policy - the policy loader, the rule check and the nft compiler
 * on arbitrary bytes: no crash, no leak, and a loaded policy always
 * checks and compiles or refuses cleanly.
 */
#include <stddef.h>
#include <stdint.h>

#include "buffer.h"
#include "policy.h"
#include "policy_check.h"
#include "policy_nft.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct policy_findings fs = { 0 };
	struct policy *p;
	struct buffer b;
	char err[1024];

	p = policy_load_mem(data, size, "fuzz.yaml", err, sizeof(err));
	if (p == NULL)
		return 0;
	(void)policy_check(p, &fs);
	policy_findings_free(&fs);
	(void)policy_zone_of_addr(p, "10.20.0.5");
	(void)policy_zone_of_addr(p, "fd00::1");
	buffer_init(&b, 16u * 1024 * 1024);
	(void)policy_nft(p, "fuzz.yaml", &b, err, sizeof(err));
	buffer_free(&b);
	policy_free(p);
	return 0;
}
