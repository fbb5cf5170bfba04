/* test-netaddr - addresses, networks, containment and MAC addresses,
   including the forms that must be refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "netaddr.h"

static void
test_ip(void **state)
{
	struct netaddr a;
	char buf[NETADDR_TEXT_MAX];

	assert_int_equal(netaddr_parse_ip("10.20.0.5", &a), 0);
	assert_int_equal(a.family, 4);
	assert_int_equal(a.prefix, 32);
	assert_memory_equal(a.addr, "\x0a\x14\x00\x05", 4);
	/* What an AF_INET6 socket reports for an IPv4 peer. */
	assert_int_equal(netaddr_parse_ip("::ffff:10.20.0.5", &a), 0);
	assert_int_equal(a.family, 4);
	assert_memory_equal(a.addr, "\x0a\x14\x00\x05", 4);
	assert_int_equal(netaddr_parse_ip("[fd00::1]", &a), 0);
	assert_int_equal(a.family, 6);
	assert_int_equal(a.prefix, 128);
	assert_int_equal(netaddr_format(&a, false, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "fd00::1");
	assert_int_equal(netaddr_parse_ip("fe80::1%eth0", &a), 0);
	assert_int_equal(a.family, 6);
	/* Refused: octal-looking, short, junk, empty, ranges. */
	assert_int_equal(netaddr_parse_ip("010.0.0.1", &a), -1);
	assert_int_equal(netaddr_parse_ip("10.1", &a), -1);
	assert_int_equal(netaddr_parse_ip("10.0.0.256", &a), -1);
	assert_int_equal(netaddr_parse_ip("", &a), -1);
	assert_int_equal(netaddr_parse_ip(NULL, &a), -1);
	assert_int_equal(netaddr_parse_ip("10.0.0.1/32", &a), -1);
	assert_int_equal(netaddr_parse_ip(" 10.0.0.1", &a), -1);
}

static void
test_cidr(void **state)
{
	struct netaddr n, a, m;
	char buf[NETADDR_TEXT_MAX];

	assert_int_equal(netaddr_parse_cidr("10.20.0.0/16", &n), 0);
	assert_int_equal(n.prefix, 16);
	assert_int_equal(netaddr_format(&n, true, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "10.20.0.0/16");
	assert_int_equal(netaddr_parse_ip("10.20.255.1", &a), 0);
	assert_true(netaddr_contains(&n, &a));
	assert_int_equal(netaddr_parse_ip("10.21.0.1", &a), 0);
	assert_false(netaddr_contains(&n, &a));
	/* Host bits: refused, but the masked network is given. */
	assert_int_equal(netaddr_parse_cidr("10.10.0.5/24", &n), -2);
	assert_int_equal(netaddr_format(&n, true, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "10.10.0.0/24");
	assert_int_equal(netaddr_parse_cidr("10.10.0.0/33", &n), -1);
	assert_int_equal(netaddr_parse_cidr("10.10.0.0/", &n), -1);
	assert_int_equal(netaddr_parse_cidr("10.10.0.0/-1", &n), -1);
	assert_int_equal(netaddr_parse_cidr("10.10.0.0/24x", &n), -1);
	assert_int_equal(netaddr_parse_cidr("lgwan", &n), -1);
	/* A bare address is a host network. */
	assert_int_equal(netaddr_parse_cidr("10.0.0.7", &n), 0);
	assert_int_equal(n.prefix, 32);
	/* IPv6, odd prefix lengths, overlap both ways, no cross-family. */
	assert_int_equal(netaddr_parse_cidr("fd00:20::/61", &n), 0);
	assert_int_equal(netaddr_parse_ip("fd00:20:0:7::1", &a), 0);
	assert_true(netaddr_contains(&n, &a));
	assert_int_equal(netaddr_parse_ip("fd00:20:0:8::1", &a), 0);
	assert_false(netaddr_contains(&n, &a));
	assert_int_equal(netaddr_parse_cidr("10.0.0.0/8", &n), 0);
	assert_int_equal(netaddr_parse_cidr("10.30.0.0/16", &m), 0);
	assert_true(netaddr_overlap(&n, &m));
	assert_true(netaddr_overlap(&m, &n));
	assert_int_equal(netaddr_parse_cidr("11.0.0.0/8", &m), 0);
	assert_false(netaddr_overlap(&n, &m));
	assert_int_equal(netaddr_parse_cidr("::/0", &m), 0);
	assert_false(netaddr_overlap(&n, &m));
	assert_int_equal(netaddr_parse_cidr("0.0.0.0/0", &m), 0);
	assert_true(netaddr_overlap(&n, &m));
}

static void
test_mac(void **state)
{
	unsigned char mac[6];
	char buf[NETADDR_MAC_TEXT_MAX];

	assert_int_equal(netaddr_parse_mac("52:54:00:AB:cd:10", mac), 0);
	netaddr_format_mac(mac, buf);
	assert_string_equal(buf, "52:54:00:ab:cd:10");
	assert_int_equal(netaddr_parse_mac("52-54-00-00-00-10", mac), -1);
	assert_int_equal(netaddr_parse_mac("52:54:00:00:00", mac), -1);
	assert_int_equal(netaddr_parse_mac("52:54:00:00:00:1g", mac), -1);
	assert_int_equal(netaddr_parse_mac("52:54:00:00:00:100", mac), -1);
	/* Group and null addresses name no single host. */
	assert_int_equal(netaddr_parse_mac("ff:ff:ff:ff:ff:ff", mac), -1);
	assert_int_equal(netaddr_parse_mac("01:00:5e:00:00:01", mac), -1);
	assert_int_equal(netaddr_parse_mac("00:00:00:00:00:00", mac), -1);
	assert_int_equal(netaddr_parse_mac(NULL, mac), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ip),
		cmocka_unit_test(test_cidr),
		cmocka_unit_test(test_mac),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
