/*
 * policy_priv - what policy_load builds beside the YAML fields, shared
 * by policy.c, policy_check.c and policy_nft.c only.
 */
#ifndef SANSO_POLICY_PRIV_H
#define SANSO_POLICY_PRIV_H

#include "netaddr.h"
#include "policy.h"
#include "yamlpos.h"

struct policy_net {
	struct netaddr net;
	enum policy_zone_id zone;
};

struct policy_index {
	struct policy_net *nets;	/* every zone network that parses */
	size_t nets_count;
	struct yamlpos *pos;		/* positions of the source text */
	char *name;			/* the file name given to the loader */
};

/* A flow's end: a zone word or a host name, resolved. */
struct policy_endpoint {
	bool known;		/* a defined zone or a known host */
	bool is_zone;
	enum policy_zone_id zone;	/* the zone, or the host's zone */
	const struct policy_host *host;	/* when !is_zone */
	unsigned host_index;
};

/* Resolve name against the zones and hosts of p. */
void policy_endpoint(const struct policy *p, const char *name,
    struct policy_endpoint *ep);

/* A port "25" or range "8000-8010" (1..65535). Returns 0, -1 when not a
   port, -2 for a word meaning every port ("any", "*", "all"). */
int policy_port_parse(const char *s, unsigned *lo_r, unsigned *hi_r);

/* Whether s can name a host or flow: [A-Za-z0-9][A-Za-z0-9._-]*, at
   most 32 bytes, so that it is safe inside nft quotes and log
   prefixes. */
bool policy_name_ok(const char *s);

#endif
