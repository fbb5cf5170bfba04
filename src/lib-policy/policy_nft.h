/*
 * policy_nft - the policy compiled to an nftables ruleset for the
 * boundary host (the router between the zones).
 *
 * One table, `inet sanso`, with one chain on the forward hook whose
 * policy is drop. In order:
 *   1. MAC pinning (3.(1)①): a packet from a pinned マイナンバー系 IP
 *      with another source MAC is dropped and logged, before anything,
 *      even on an established connection. `ether saddr` is the MAC of
 *      the last hop, so this holds only where the router's interface
 *      faces the host's own L2 segment;
 *   2. per-zone anti-spoofing when the zone names its interface;
 *   3. established/related accepted, invalid dropped;
 *   4. one accept rule per flow (per address family), with a comment
 *      naming the flow. A flow with via and relay lets only the relay
 *      cross: the relay replaces the zone on its own side, so
 *      "internet -> lgwan via sanitize-mail relay gw" (gw in the
 *      internet zone) becomes "gw -> lgwan networks";
 *   5. a counted, logged drop per pair of zones, prefix
 *      "sanso drop <from>-<to>: ", then a final "sanso drop default: ".
 * Every drop rule has a counter, so the drops can be read without the
 * kernel log (`nft -j list table inet sanso`).
 *
 * The ruleset is loaded atomically and replaces an older one
 * (`nft -f`). Only the forward path is filtered: the boundary host's
 * own input and output are left to its administrator.
 */
#ifndef SANSO_POLICY_NFT_H
#define SANSO_POLICY_NFT_H

#include <stddef.h>

#include "buffer.h"
#include "policy.h"

/* Append the ruleset for p to out; source names the policy in the
   header comment. Returns 0, or -1 with a reason in err: the policy has
   errors by policy_check() (a ruleset from a broken policy could open
   what the policy closes), or out is full. */
int policy_nft(const struct policy *p, const char *source,
    struct buffer *out, char *err, size_t err_size);

#endif
