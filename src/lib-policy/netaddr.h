/*
 * netaddr - IPv4/IPv6 addresses, CIDR networks and MAC addresses as
 * written in a policy file.
 *
 * Parsing is strict on purpose: a network that nftables would read
 * differently from the administrator (host bits set, a leading zero
 * taken as octal by some tools) is refused instead of guessed. IPv4
 * mapped IPv6 addresses (::ffff:a.b.c.d, what an AF_INET6 socket reports
 * for an IPv4 peer) are turned into IPv4 so that one lookup serves both.
 */
#ifndef SANSO_NETADDR_H
#define SANSO_NETADDR_H

#include <stdbool.h>
#include <stddef.h>

struct netaddr {
	int family;		/* 4 or 6 */
	unsigned char addr[16];	/* network byte order; IPv4 in addr[0..3] */
	unsigned prefix;	/* 0..32 or 0..128; a host address has the
				   full length */
};

#define NETADDR_TEXT_MAX	64	/* enough for any address "/128" */
#define NETADDR_MAC_TEXT_MAX	18

/* Parse one host address ("10.0.0.1", "fd00::1", "::ffff:10.0.0.1",
   "[fd00::1]"). Returns 0, or -1 when s is not an address. */
int netaddr_parse_ip(const char *s, struct netaddr *a);

/* Parse a network "10.0.0.0/8" or "fd00::/64"; a bare address is a
   /32 or /128. Returns 0, -1 when it is not a network, -2 when host
   bits are set below the prefix ("10.0.0.5/24"): *n is then the
   network with those bits cleared, for a helpful message. */
int netaddr_parse_cidr(const char *s, struct netaddr *n);

/* Whether network net contains the address or network a (same family
   and a's prefix at least as long). */
bool netaddr_contains(const struct netaddr *net, const struct netaddr *a);
/* Whether two networks share any address. */
bool netaddr_overlap(const struct netaddr *a, const struct netaddr *b);

/* Write a as text ("10.0.0.0/8"; the prefix is left out for a host
   address when with_prefix is false). Returns 0 or -1 (buf too small). */
int netaddr_format(const struct netaddr *a, bool with_prefix, char *buf,
    size_t size);

/* Parse a unicast MAC "52:54:00:00:00:10" (colons, two hex digits each,
   either case). Multicast, broadcast and all-zero addresses are refused
   because they cannot name one host. Returns 0, or -1. */
int netaddr_parse_mac(const char *s, unsigned char mac[6]);
/* Lower-case colon form, size at least NETADDR_MAC_TEXT_MAX. */
void netaddr_format_mac(const unsigned char mac[6], char *buf);

#endif
