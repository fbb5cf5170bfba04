/*
 * policy_nft - write the nftables ruleset. Everything that reaches the
 * output is either generated here or was checked by policy_check()
 * (names are [A-Za-z0-9._-], addresses re-formatted from their parsed
 * form), and free text (organization, file name) goes only into "#"
 * comments with control characters replaced, so the policy cannot
 * inject nft commands.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "policy_check.h"
#include "policy_nft.h"
#include "policy_priv.h"

/* nft keeps at most 127 bytes of a rule comment. */
#define COMMENT_MAX	120

struct side;

struct nft {
	const struct policy *p;
	struct buffer *out;
	bool fail;
	struct side *a, *b;	/* scratch, each a few kilobytes */
};

static void emit(struct nft *n, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
emit(struct nft *n, const char *fmt, ...)
{
	va_list ap;

	if (n->fail)
		return;
	va_start(ap, fmt);
	if (buffer_vprintf(n->out, fmt, ap) < 0)
		n->fail = true;
	va_end(ap);
}

/* Free text for a "#" comment: one line, no control characters. */
static void
emit_text(struct nft *n, const char *s)
{
	char c[2] = { 0, 0 };

	for (; s != NULL && *s != '\0'; s++) {
		c[0] = (unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s;
		emit(n, "%s", c);
	}
}

/* The addresses of one side of a rule. */
struct side {
	struct netaddr v[POLICY_NETWORKS_MAX];
	size_t count;
	const struct policy_host *host;	/* when the side is one host */
	int zone;			/* the side's zone */
};

static void
side_zone(const struct policy *p, enum policy_zone_id id, struct side *s)
{
	size_t i;

	s->count = 0;
	s->host = NULL;
	s->zone = id;
	for (i = 0; i < p->priv->nets_count && s->count < POLICY_NETWORKS_MAX; i++)
		if (p->priv->nets[i].zone == id)
			s->v[s->count++] = p->priv->nets[i].net;
}

static void
side_host(const struct policy_host *h, struct side *s)
{
	s->count = 0;
	s->host = h;
	s->zone = h->zone_id;
	if (h->ip != NULL && netaddr_parse_ip(h->ip, &s->v[0]) == 0)
		s->count = 1;
}

static void
side_endpoint(const struct policy *p, const struct policy_endpoint *e,
    struct side *s)
{
	if (e->is_zone)
		side_zone(p, e->zone, s);
	else
		side_host(e->host, s);
}

static size_t
count_family(const struct side *s, int family)
{
	size_t i, k = 0;

	for (i = 0; i < s->count; i++)
		k += s->v[i].family == family;
	return k;
}

/* "ip saddr 10.0.0.0/8 " or "ip6 daddr { a, b } ". */
static void
emit_addrs(struct nft *n, const struct side *s, int family, const char *dir)
{
	char text[NETADDR_TEXT_MAX];
	size_t i, k = count_family(s, family), done = 0;

	emit(n, "%s %s %s", family == 4 ? "ip" : "ip6", dir, k > 1 ? "{ " : "");
	for (i = 0; i < s->count; i++) {
		if (s->v[i].family != family)
			continue;
		if (netaddr_format(&s->v[i], false, text, sizeof(text)) < 0) {
			n->fail = true;
			return;
		}
		emit(n, "%s%s", done++ > 0 ? ", " : "", text);
	}
	emit(n, "%s ", k > 1 ? " }" : "");
}

static const struct policy_zone *
zone_of_side(const struct policy *p, const struct side *s)
{
	return policy_zone(p, s->zone);
}

/* 1. MAC pinning of マイナンバー系 hosts. */
static void
emit_pins(struct nft *n)
{
	const struct policy *p = n->p;
	unsigned char mac[6];
	char mtext[NETADDR_MAC_TEXT_MAX];
	struct side s;
	unsigned i;

	emit(n, "\t\t# 3.(1): a pinned マイナンバー系 address with another MAC is "
	    "spoofed\n");
	for (i = 0; i < p->hosts_count; i++) {
		const struct policy_host *h = &p->hosts[i];

		if (h->zone_id != POLICY_ZONE_MYNUMBER || h->mac == NULL ||
		    netaddr_parse_mac(h->mac, mac) < 0)
			continue;
		side_host(h, &s);
		if (s.count == 0)
			continue;
		netaddr_format_mac(mac, mtext);
		emit(n, "\t\t");
		emit_addrs(n, &s, s.v[0].family, "saddr");
		emit(n, "ether saddr != %s counter log prefix \"sanso drop spoof "
		    "%s: \" drop comment \"3.(1) MAC pin %s\"\n", mtext, h->name,
		    h->name);
	}
}

/* 2. A zone's addresses arrive only on its own interface. */
static void
emit_antispoof(struct nft *n)
{
	const struct policy *p = n->p;
	const struct policy_zone *z;
	struct side s;
	int id, fam;

	for (id = 0; id < POLICY_ZONE_COUNT; id++) {
		if ((z = policy_zone(p, id)) == NULL || z->interface == NULL)
			continue;
		side_zone(p, id, &s);
		for (fam = 4; fam <= 6; fam += 2) {
			if (count_family(&s, fam) == 0)
				continue;
			emit(n, "\t\tiifname != \"%s\" ", z->interface);
			emit_addrs(n, &s, fam, "saddr");
			emit(n, "counter log prefix \"sanso drop spoof %s: \" drop\n",
			    policy_zone_name(id));
		}
	}
}

static const char *
proto_text(enum policy_proto proto)
{
	return proto == POLICY_PROTO_TCP ? "tcp" :
	    proto == POLICY_PROTO_UDP ? "udp" : "icmp";
}

static const char *const via_words[] = {
	[POLICY_VIA_NONE] = "", [POLICY_VIA_SANITIZE_MAIL] = "sanitize-mail",
	[POLICY_VIA_SANITIZE_FILE] = "sanitize-file",
	[POLICY_VIA_SCREEN_TRANSFER] = "screen-transfer",
	[POLICY_VIA_OUTBOUND_MAIL] = "outbound-mail",
};

/* 4. One flow. */
static void
emit_flow(struct nft *n, unsigned i, const struct policy_flow *f)
{
	const struct policy *p = n->p;
	struct policy_endpoint from, to, relay;
	struct side *src = n->a, *dst = n->b;
	const struct policy_zone *zs, *zd;
	char comment[256], label[48], mtext[NETADDR_MAC_TEXT_MAX];
	unsigned char mac[6];
	bool any = false;
	int fam;

	policy_endpoint(p, f->from, &from);
	policy_endpoint(p, f->to, &to);
	side_endpoint(p, &from, src);
	side_endpoint(p, &to, dst);
	/* The relay stands in for its side (checked: it is on one). */
	if (f->relay != NULL && f->via_id != POLICY_VIA_NONE) {
		policy_endpoint(p, f->relay, &relay);
		if ((from.is_zone && relay.zone == from.zone) ||
		    (!from.is_zone && relay.host == from.host))
			side_host(relay.host, src);
		else
			side_host(relay.host, dst);
	}
	if (f->name != NULL)
		snprintf(label, sizeof(label), "%s", f->name);
	else
		snprintf(label, sizeof(label), "flows[%u]", i);
	snprintf(comment, sizeof(comment), "%s %s->%s %s%s%s%s%s%s", label,
	    f->from, f->to, proto_text(f->proto_id), f->port ? "/" : "",
	    f->port ? f->port : "", f->via_id ? " via " : "", via_words[f->via_id],
	    f->relay && f->via_id ? " relay " : "");
	if (f->relay && f->via_id)
		snprintf(comment + strlen(comment), sizeof(comment) - strlen(comment),
		    "%s", f->relay);
	comment[COMMENT_MAX] = '\0';
	zs = zone_of_side(p, src);
	zd = zone_of_side(p, dst);
	for (fam = 4; fam <= 6; fam += 2) {
		if (count_family(src, fam) == 0 || count_family(dst, fam) == 0)
			continue;
		any = true;
		emit(n, "\t\t");
		if (zs != NULL && zs->interface != NULL)
			emit(n, "iifname \"%s\" ", zs->interface);
		if (zd != NULL && zd->interface != NULL)
			emit(n, "oifname \"%s\" ", zd->interface);
		emit_addrs(n, src, fam, "saddr");
		if (src->host != NULL && src->host->zone_id == POLICY_ZONE_MYNUMBER &&
		    src->host->mac != NULL &&
		    netaddr_parse_mac(src->host->mac, mac) == 0) {
			netaddr_format_mac(mac, mtext);
			emit(n, "ether saddr %s ", mtext);
		}
		emit_addrs(n, dst, fam, "daddr");
		if (f->proto_id == POLICY_PROTO_ICMP)
			emit(n, "meta l4proto %s ", fam == 4 ? "icmp" : "ipv6-icmp");
		else
			emit(n, "%s dport %s ", proto_text(f->proto_id), f->port);
		emit(n, "counter accept comment \"%s\"\n", comment);
	}
	if (!any)
		emit(n, "\t\t# %s: no address family common to both ends; "
		    "nothing allowed\n", comment);
}

/* 5. Counted, logged drops between every pair of zones. */
static void
emit_zone_drops(struct nft *n)
{
	struct side *a = n->a, *b = n->b;
	int za, zb, fam;

	for (za = 0; za < POLICY_ZONE_COUNT; za++) {
		if (policy_zone(n->p, za) == NULL)
			continue;
		side_zone(n->p, za, a);
		for (zb = 0; zb < POLICY_ZONE_COUNT; zb++) {
			if (policy_zone(n->p, zb) == NULL)
				continue;
			side_zone(n->p, zb, b);
			for (fam = 4; fam <= 6; fam += 2) {
				if (count_family(a, fam) == 0 ||
				    count_family(b, fam) == 0)
					continue;
				emit(n, "\t\t");
				emit_addrs(n, a, fam, "saddr");
				emit_addrs(n, b, fam, "daddr");
				emit(n, "counter log prefix \"sanso drop %s-%s: \" drop\n",
				    policy_zone_name(za), policy_zone_name(zb));
			}
		}
	}
}

int
policy_nft(const struct policy *p, const char *source, struct buffer *out,
    char *err, size_t err_size)
{
	struct policy_findings fs = { 0 };
	struct side a, b;
	struct nft n = { .p = p, .out = out, .a = &a, .b = &b };
	unsigned i;

	if (p->priv == NULL) {
		snprintf(err, err_size, "policy not loaded by policy_load");
		return -1;
	}
	if (policy_check(p, &fs) < 0 || fs.errors > 0) {
		snprintf(err, err_size, "the policy has %zu error(s); run "
		    "`sanso policy check` and fix them first", fs.errors);
		policy_findings_free(&fs);
		return -1;
	}
	policy_findings_free(&fs);

	emit(&n, "#!/usr/sbin/nft -f\n# sanso policy nft: ");
	emit_text(&n, p->organization);
	emit(&n, " (");
	emit_text(&n, source);
	emit(&n, ")\n"
	    "# Generated: edit the policy and run `sanso policy nft` again.\n"
	    "# Forwarded traffic only; everything not allowed below is dropped.\n"
	    "# ether saddr matches the MAC of the last hop: MAC pinning holds\n"
	    "# only on the router interface facing the host's own segment.\n"
	    "table inet sanso\n"
	    "delete table inet sanso\n"
	    "table inet sanso {\n"
	    "\tchain forward {\n"
	    "\t\ttype filter hook forward priority filter; policy drop;\n");
	emit_pins(&n);
	emit_antispoof(&n);
	emit(&n, "\t\tct state established,related accept\n"
	    "\t\tct state invalid counter log prefix \"sanso drop invalid: \" drop\n"
	    "\t\t# allowed flows\n");
	for (i = 0; i < p->flows_count; i++)
		emit_flow(&n, i, &p->flows[i]);
	emit(&n, "\t\t# everything else, named by zone pair\n");
	emit_zone_drops(&n);
	emit(&n, "\t\tcounter log prefix \"sanso drop default: \" drop\n"
	    "\t}\n}\n");
	if (n.fail) {
		snprintf(err, err_size, "ruleset too large");
		return -1;
	}
	return 0;
}
