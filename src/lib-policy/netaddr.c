/*
 * netaddr - addresses, networks and MAC addresses of the policy file.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netaddr.h"

static const unsigned char v4mapped[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

/* Parse an address without prefix; the text is at most len bytes. */
static int
parse_addr(const char *s, size_t len, struct netaddr *a)
{
	char tmp[NETADDR_TEXT_MAX];
	unsigned char b[16];

	if (len == 0 || len >= sizeof(tmp))
		return -1;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	memset(a, 0, sizeof(*a));
	/* glibc's inet_pton takes only the dotted quad, no octal or
	   short forms, which is what we want. */
	if (inet_pton(AF_INET, tmp, b) == 1) {
		a->family = 4;
		memcpy(a->addr, b, 4);
		a->prefix = 32;
		return 0;
	}
	if (inet_pton(AF_INET6, tmp, b) == 1) {
		if (memcmp(b, v4mapped, sizeof(v4mapped)) == 0) {
			a->family = 4;
			memcpy(a->addr, b + 12, 4);
			a->prefix = 32;
		} else {
			a->family = 6;
			memcpy(a->addr, b, 16);
			a->prefix = 128;
		}
		return 0;
	}
	return -1;
}

int
netaddr_parse_ip(const char *s, struct netaddr *a)
{
	size_t len;

	if (s == NULL)
		return -1;
	len = strlen(s);
	/* "[fd00::1]" as in URLs and some peer-address strings. */
	if (len >= 2 && s[0] == '[' && s[len - 1] == ']') {
		s++;
		len -= 2;
	}
	/* A scope "%eth0" names the link, not the address. */
	if (memchr(s, '%', len) != NULL)
		len = (size_t)((const char *)memchr(s, '%', len) - s);
	return parse_addr(s, len, a);
}

int
netaddr_parse_cidr(const char *s, struct netaddr *n)
{
	const char *slash;
	unsigned long pfx;
	unsigned i, bits, maxbits;
	unsigned char mask;
	char *end;
	int rc = 0;

	if (s == NULL)
		return -1;
	slash = strchr(s, '/');
	if (slash == NULL)
		return parse_addr(s, strlen(s), n);
	if (parse_addr(s, (size_t)(slash - s), n) < 0)
		return -1;
	/* The prefix: decimal digits only, no sign, no spaces. */
	if (!isdigit((unsigned char)slash[1]) || strlen(slash + 1) > 3)
		return -1;
	pfx = strtoul(slash + 1, &end, 10);
	if (*end != '\0')
		return -1;
	maxbits = n->family == 4 ? 32 : 128;
	if (pfx > maxbits)
		return -1;
	n->prefix = (unsigned)pfx;
	for (i = 0; i < maxbits / 8; i++) {
		bits = i * 8;
		if (bits >= n->prefix)
			mask = 0;
		else if (bits + 8 <= n->prefix)
			mask = 0xff;
		else
			mask = (unsigned char)(0xff << (8 - (n->prefix - bits)));
		if ((n->addr[i] & ~mask) != 0) {
			n->addr[i] &= mask;
			rc = -2;
		}
	}
	return rc;
}

/* Whether the first bits bits of a and b are equal. */
static bool
prefix_equal(const unsigned char *a, const unsigned char *b, unsigned bits)
{
	unsigned whole = bits / 8, rest = bits % 8;

	if (memcmp(a, b, whole) != 0)
		return false;
	if (rest == 0)
		return true;
	return ((a[whole] ^ b[whole]) & (0xff << (8 - rest)) & 0xff) == 0;
}

bool
netaddr_contains(const struct netaddr *net, const struct netaddr *a)
{
	if (net->family != a->family || a->prefix < net->prefix)
		return false;
	return prefix_equal(net->addr, a->addr, net->prefix);
}

bool
netaddr_overlap(const struct netaddr *a, const struct netaddr *b)
{
	/* Two prefixes overlap exactly when one contains the other. */
	return netaddr_contains(a, b) || netaddr_contains(b, a);
}

int
netaddr_format(const struct netaddr *a, bool with_prefix, char *buf,
    size_t size)
{
	char tmp[INET6_ADDRSTRLEN];
	unsigned full = a->family == 4 ? 32 : 128;
	int n;

	if (inet_ntop(a->family == 4 ? AF_INET : AF_INET6, a->addr, tmp,
	    sizeof(tmp)) == NULL)
		return -1;
	if (with_prefix || a->prefix != full)
		n = snprintf(buf, size, "%s/%u", tmp, a->prefix);
	else
		n = snprintf(buf, size, "%s", tmp);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int
netaddr_parse_mac(const char *s, unsigned char mac[6])
{
	unsigned i;
	int hi, lo, any = 0;

	if (s == NULL || strlen(s) != 17)
		return -1;
	for (i = 0; i < 6; i++) {
		hi = hexval((unsigned char)s[i * 3]);
		lo = hexval((unsigned char)s[i * 3 + 1]);
		if (hi < 0 || lo < 0 || (i < 5 && s[i * 3 + 2] != ':'))
			return -1;
		mac[i] = (unsigned char)(hi << 4 | lo);
		any |= mac[i];
	}
	/* The I/G bit marks group addresses; none of them is one host. */
	if (any == 0 || (mac[0] & 1) != 0)
		return -1;
	return 0;
}

void
netaddr_format_mac(const unsigned char mac[6], char *buf)
{
	snprintf(buf, NETADDR_MAC_TEXT_MAX, "%02x:%02x:%02x:%02x:%02x:%02x",
	    mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
}
