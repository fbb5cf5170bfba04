/*
 * policy_check - the seed's rules over a loaded policy. Each rule is a
 * function; they all append to one list, which is sorted by line at the
 * end so that the output reads like the file.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy_check.h"
#include "policy_priv.h"

struct ctx {
	const struct policy *p;
	struct policy_findings *out;
	bool oom;
};

static void add(struct ctx *c, const char *clause, enum policy_severity sev,
    const char *path, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void
add(struct ctx *c, const char *clause, enum policy_severity sev,
    const char *path, const char *fmt, ...)
{
	struct policy_findings *o = c->out;
	struct policy_finding *f;
	char msg[512];
	va_list ap;

	if (c->oom)
		return;
	if (o->count == o->alloc) {
		size_t n = o->alloc ? o->alloc * 2 : 16;

		f = realloc(o->v, n * sizeof(*f));
		if (f == NULL) {
			c->oom = true;
			return;
		}
		o->v = f;
		o->alloc = n;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	f = &o->v[o->count];
	memset(f, 0, sizeof(*f));
	f->clause = clause;
	f->severity = sev;
	f->path = strdup(path);
	f->message = strdup(msg);
	if (f->path == NULL || f->message == NULL) {
		free(f->path);
		free(f->message);
		c->oom = true;
		return;
	}
	/* Where the key is; for a missing key, where it belongs. */
	if (c->p->priv == NULL || yamlpos_find(c->p->priv->pos, path,
	    &f->line, &f->column) < 0)
		f->line = f->column = 0;
	f->seq = o->count;
	o->count++;
	if (sev == POLICY_SEV_ERROR)
		o->errors++;
	else
		o->warnings++;
}

#define ERR	POLICY_SEV_ERROR
#define WARN	POLICY_SEV_WARNING

/* ---- 6.1(8)②: the network as configured ---- */

static void
check_zones(struct ctx *c)
{
	const struct policy *p = c->p;
	struct netaddr *nets[POLICY_ZONE_COUNT] = { NULL };
	unsigned counts[POLICY_ZONE_COUNT] = { 0 };
	char path[128], text[NETADDR_TEXT_MAX], text2[NETADDR_TEXT_MAX];
	const struct policy_zone *z;
	bool any = false;
	unsigned i, j;
	int id, id2, rc;

	for (id = 0; id < POLICY_ZONE_COUNT; id++) {
		if ((z = policy_zone(p, id)) == NULL)
			continue;
		any = true;
		snprintf(path, sizeof(path), "zones.%s", policy_zone_name(id));
		if (z->networks_count == 0)
			add(c, POLICY_CLAUSE_NETWORK, ERR, path,
			    "zone %s lists no networks: nothing can be placed "
			    "in it or filtered for it", policy_zone_name(id));
		if (z->interface != NULL && !policy_name_ok(z->interface)) {
			snprintf(path, sizeof(path), "zones.%s.interface",
			    policy_zone_name(id));
			add(c, POLICY_CLAUSE_NETWORK, ERR, path,
			    "\"%s\" is not an interface name "
			    "([A-Za-z0-9._-], at most 15 bytes)", z->interface);
		}
		nets[id] = calloc(z->networks_count ? z->networks_count : 1,
		    sizeof(struct netaddr));
		if (nets[id] == NULL) {
			c->oom = true;
			goto out;
		}
		for (i = 0; i < z->networks_count; i++) {
			snprintf(path, sizeof(path), "zones.%s.networks[%u]",
			    policy_zone_name(id), i);
			rc = netaddr_parse_cidr(z->networks[i],
			    &nets[id][counts[id]]);
			if (rc == -1) {
				add(c, POLICY_CLAUSE_NETWORK, ERR, path,
				    "\"%s\" is not a network (CIDR such as "
				    "10.20.0.0/16 or fd00:20::/64)", z->networks[i]);
				continue;
			}
			if (rc == -2) {
				netaddr_format(&nets[id][counts[id]], true, text,
				    sizeof(text));
				add(c, POLICY_CLAUSE_NETWORK, ERR, path,
				    "\"%s\" has host bits set below the prefix; "
				    "the network is %s", z->networks[i], text);
			}
			counts[id]++;
		}
	}
	if (!any)
		add(c, POLICY_CLAUSE_NETWORK, WARN, "zones",
		    "no zones: the firewall ruleset would drop everything");
	/* Overlaps, inside a zone and between zones: an address in two
	   zones makes every zone rule ambiguous. */
	for (id = 0; id < POLICY_ZONE_COUNT; id++) {
		for (i = 0; i < counts[id]; i++) {
			for (id2 = id; id2 < POLICY_ZONE_COUNT; id2++) {
				for (j = id2 == id ? i + 1 : 0; j < counts[id2]; j++) {
					if (!netaddr_overlap(&nets[id][i], &nets[id2][j]))
						continue;
					snprintf(path, sizeof(path),
					    "zones.%s.networks[%u]",
					    policy_zone_name(id2), j);
					netaddr_format(&nets[id][i], true, text,
					    sizeof(text));
					netaddr_format(&nets[id2][j], true, text2,
					    sizeof(text2));
					add(c, POLICY_CLAUSE_NETWORK, ERR, path,
					    "network %s of zone %s overlaps %s of "
					    "zone %s", text2, policy_zone_name(id2),
					    text, policy_zone_name(id));
				}
			}
		}
	}
out:
	for (id = 0; id < POLICY_ZONE_COUNT; id++)
		free(nets[id]);
}

/* Whether the address a lies in one of zone id's networks. */
static bool
in_zone(const struct policy *p, enum policy_zone_id id,
    const struct netaddr *a)
{
	size_t i;

	for (i = 0; i < p->priv->nets_count; i++)
		if (p->priv->nets[i].zone == id &&
		    netaddr_contains(&p->priv->nets[i].net, a))
			return true;
	return false;
}

static void
check_hosts(struct ctx *c)
{
	const struct policy *p = c->p;
	const struct policy_host *h, *h2;
	struct netaddr a, a2;
	unsigned char mac[6], mac2[6];
	char path[96];
	unsigned i, j;

	for (i = 0; i < p->hosts_count; i++) {
		h = &p->hosts[i];
		snprintf(path, sizeof(path), "hosts[%u].name", i);
		if (!policy_name_ok(h->name))
			add(c, POLICY_CLAUSE_NETWORK, ERR, path,
			    "host name \"%s\" must be 1-32 of [A-Za-z0-9._-], "
			    "starting with a letter or digit", h->name);
		else if (policy_zone_by_name(h->name) >= 0)
			add(c, POLICY_CLAUSE_NETWORK, ERR, path,
			    "host name \"%s\" is a zone name; flows could not "
			    "tell them apart", h->name);
		for (j = 0; j < i; j++)
			if (strcmp(p->hosts[j].name, h->name) == 0) {
				add(c, POLICY_CLAUSE_NETWORK, ERR, path,
				    "host name \"%s\" is already used by "
				    "hosts[%u]", h->name, j);
				break;
			}
		snprintf(path, sizeof(path), "hosts[%u].zone", i);
		if (policy_zone(p, h->zone_id) == NULL)
			add(c, POLICY_CLAUSE_NETWORK, ERR, path,
			    "host %s is in zone %s, which is not defined under "
			    "zones", h->name, policy_zone_name(h->zone_id));
		snprintf(path, sizeof(path), "hosts[%u].ip", i);
		if (h->ip == NULL)
			add(c, POLICY_CLAUSE_NETWORK, ERR, path,
			    "host %s has no ip: flows to or from it cannot be "
			    "filtered", h->name);
		else if (netaddr_parse_ip(h->ip, &a) < 0 || strchr(h->ip, '[') ||
		    strchr(h->ip, '%'))
			add(c, POLICY_CLAUSE_NETWORK, ERR, path,
			    "\"%s\" is not an IPv4 or IPv6 address", h->ip);
		else {
			if (policy_zone(p, h->zone_id) != NULL &&
			    !in_zone(p, h->zone_id, &a))
				add(c, POLICY_CLAUSE_NETWORK, ERR, path,
				    "%s (host %s) is outside the networks of its "
				    "zone %s", h->ip, h->name,
				    policy_zone_name(h->zone_id));
			for (j = 0; j < i; j++) {
				h2 = &p->hosts[j];
				if (h2->ip != NULL &&
				    netaddr_parse_ip(h2->ip, &a2) == 0 &&
				    a.family == a2.family &&
				    memcmp(a.addr, a2.addr, 16) == 0) {
					add(c, POLICY_CLAUSE_NETWORK, ERR, path,
					    "%s is also the address of host %s",
					    h->ip, h2->name);
					break;
				}
			}
		}
		snprintf(path, sizeof(path), "hosts[%u].mac", i);
		if (h->mac == NULL)
			continue;
		if (netaddr_parse_mac(h->mac, mac) < 0) {
			add(c, POLICY_CLAUSE_NETWORK, ERR, path,
			    "\"%s\" is not a unicast MAC address "
			    "(52:54:00:00:00:10)", h->mac);
			continue;
		}
		for (j = 0; j < i; j++) {
			h2 = &p->hosts[j];
			if (h2->mac != NULL && netaddr_parse_mac(h2->mac, mac2) == 0 &&
			    memcmp(mac, mac2, 6) == 0) {
				add(c, POLICY_CLAUSE_NETWORK, ERR, path,
				    "%s is also the MAC address of host %s",
				    h->mac, h2->name);
				break;
			}
		}
	}
}

static const char *
proto_name(enum policy_proto proto)
{
	switch (proto) {
	case POLICY_PROTO_TCP:
		return "tcp";
	case POLICY_PROTO_UDP:
		return "udp";
	case POLICY_PROTO_ICMP:
		return "icmp";
	case POLICY_PROTO_ANY:
		return "any";
	default:
		return "(none)";
	}
}

/* A flow's shape: ends that exist, an explicit protocol and port. */
static void
check_flow_shape(struct ctx *c, unsigned i, const struct policy_flow *f,
    const struct policy_endpoint *from, const struct policy_endpoint *to)
{
	char path[96];
	unsigned lo, hi;
	int rc;

	if (f->name != NULL && !policy_name_ok(f->name)) {
		snprintf(path, sizeof(path), "flows[%u].name", i);
		add(c, POLICY_CLAUSE_NETWORK, ERR, path,
		    "flow name \"%s\" must be 1-32 of [A-Za-z0-9._-]", f->name);
	}
	snprintf(path, sizeof(path), "flows[%u].from", i);
	if (!from->known)
		add(c, POLICY_CLAUSE_NETWORK, ERR, path, from->is_zone ?
		    "zone %s is not defined under zones" :
		    "\"%s\" is neither a zone nor a host", f->from);
	snprintf(path, sizeof(path), "flows[%u].to", i);
	if (!to->known)
		add(c, POLICY_CLAUSE_NETWORK, ERR, path, to->is_zone ?
		    "zone %s is not defined under zones" :
		    "\"%s\" is neither a zone nor a host", f->to);
	snprintf(path, sizeof(path), "flows[%u].proto", i);
	if (f->proto_id == POLICY_PROTO_UNSET)
		add(c, POLICY_CLAUSE_NETWORK, ERR, path,
		    "no protocol: name tcp, udp or icmp");
	else if (f->proto_id == POLICY_PROTO_ANY)
		add(c, POLICY_CLAUSE_NETWORK, ERR, path,
		    "proto any: allow only the protocols needed");
	snprintf(path, sizeof(path), "flows[%u].port", i);
	if (f->proto_id == POLICY_PROTO_ICMP) {
		if (f->port != NULL)
			add(c, POLICY_CLAUSE_NETWORK, ERR, path,
			    "icmp has no ports");
		return;
	}
	if (f->port == NULL) {
		if (f->proto_id == POLICY_PROTO_TCP || f->proto_id == POLICY_PROTO_UDP)
			add(c, POLICY_CLAUSE_NETWORK, ERR, path,
			    "no port: every %s port would be open; name the "
			    "port", proto_name(f->proto_id));
		return;
	}
	rc = policy_port_parse(f->port, &lo, &hi);
	if (rc == -2 || (rc == 0 && lo <= 1 && hi == 65535))
		add(c, POLICY_CLAUSE_NETWORK, ERR, path,
		    "port %s: every port is open; name the port", f->port);
	else if (rc < 0)
		add(c, POLICY_CLAUSE_NETWORK, ERR, path,
		    "\"%s\" is not a port (25) or range (8000-8010)", f->port);
}

static const char *
via_name(enum policy_via via)
{
	switch (via) {
	case POLICY_VIA_SANITIZE_MAIL:
		return "sanitize-mail";
	case POLICY_VIA_SANITIZE_FILE:
		return "sanitize-file";
	case POLICY_VIA_SCREEN_TRANSFER:
		return "screen-transfer";
	case POLICY_VIA_OUTBOUND_MAIL:
		return "outbound-mail";
	default:
		return "none";
	}
}

/*
 * The relay is the one host allowed to cross for a via flow; it must
 * stand on one side of the flow: a host in the zone named there, or the
 * host named there itself.
 */
static void
check_relay(struct ctx *c, unsigned i, const struct policy_flow *f,
    const struct policy_endpoint *from, const struct policy_endpoint *to,
    const char *clause)
{
	struct policy_endpoint r;
	char path[96];

	snprintf(path, sizeof(path), "flows[%u].relay", i);
	if (f->via_id == POLICY_VIA_NONE) {
		add(c, POLICY_CLAUSE_NETWORK, ERR, path,
		    "relay without via: say which channel the relay is");
		return;
	}
	policy_endpoint(c->p, f->relay, &r);
	if (!r.known || r.is_zone) {
		add(c, clause, ERR, path, "relay \"%s\" is not a host", f->relay);
		return;
	}
	if (!from->known || !to->known)
		return;
	if ((from->is_zone && r.zone == from->zone) ||
	    (!from->is_zone && r.host == from->host) ||
	    (to->is_zone && r.zone == to->zone) ||
	    (!to->is_zone && r.host == to->host))
		return;
	add(c, clause, ERR, path, "relay %s (zone %s) stands on neither side of "
	    "the flow %s -> %s", f->relay, policy_zone_name(r.zone), f->from,
	    f->to);
}

/* Whether e's zone is known: a known host, or a zone word (even one the
   policy does not define, so that "to: internet" is still judged). */
static bool
zoned(const struct policy_endpoint *e)
{
	return e->known || e->is_zone;
}

/* 3.(1)①: マイナンバー利用事務系 talks only between pinned hosts, by
   port, and never with the internet zone. */
static void
check_mynumber(struct ctx *c, unsigned i, const struct policy_flow *f,
    const struct policy_endpoint *from, const struct policy_endpoint *to,
    bool *host_flagged)
{
	const struct policy_endpoint *ends[2] = { from, to };
	const char *names[2] = { "from", "to" };
	char path[96];
	unsigned lo, hi, k;

	if (!(zoned(from) && from->zone == POLICY_ZONE_MYNUMBER) &&
	    !(zoned(to) && to->zone == POLICY_ZONE_MYNUMBER))
		return;
	for (k = 0; k < 2; k++) {
		const struct policy_endpoint *e = ends[k];
		const struct policy_host *h = e->host;

		if (!zoned(e))
			continue;
		snprintf(path, sizeof(path), "flows[%u].%s", i, names[k]);
		if (e->zone == POLICY_ZONE_INTERNET)
			add(c, POLICY_CLAUSE_MYNUMBER, ERR, path,
			    "マイナンバー利用事務系 must never connect with the "
			    "internet zone (%s)", k == 0 ? f->from : f->to);
		if (e->is_zone) {
			add(c, POLICY_CLAUSE_MYNUMBER, ERR, path,
			    "a マイナンバー系 flow must name a pinned host here, "
			    "not the whole zone %s", policy_zone_name(e->zone));
			continue;
		}
		if (host_flagged[e->host_index])
			continue;
		if (h->ip == NULL || h->mac == NULL) {
			host_flagged[e->host_index] = true;
			snprintf(path, sizeof(path), "hosts[%u].%s",
			    e->host_index, h->ip == NULL ? "ip" : "mac");
			add(c, POLICY_CLAUSE_MYNUMBER, ERR, path,
			    "host %s is an end of マイナンバー系 flow flows[%u] and "
			    "must be pinned by IP and MAC address", h->name, i);
		}
	}
	snprintf(path, sizeof(path), "flows[%u].proto", i);
	if (f->proto_id != POLICY_PROTO_TCP && f->proto_id != POLICY_PROTO_UDP) {
		add(c, POLICY_CLAUSE_MYNUMBER, ERR, path,
		    "a マイナンバー系 flow must name tcp or udp and a port "
		    "(アプリケーションプロトコルでの限定), not %s",
		    proto_name(f->proto_id));
		return;
	}
	snprintf(path, sizeof(path), "flows[%u].port", i);
	if (f->port == NULL || policy_port_parse(f->port, &lo, &hi) < 0)
		add(c, POLICY_CLAUSE_MYNUMBER, ERR, path,
		    "a マイナンバー系 flow must name one explicit port");
	else if (lo != hi)
		add(c, POLICY_CLAUSE_MYNUMBER, ERR, path,
		    "a マイナンバー系 flow must name one port, not the range %s",
		    f->port);
}

static bool
sanitizing(enum policy_via via)
{
	return via == POLICY_VIA_SANITIZE_MAIL || via == POLICY_VIA_SANITIZE_FILE ||
	    via == POLICY_VIA_SCREEN_TRANSFER;
}

/* 3.(2)①: LGWAN接続系 and インターネット接続系 are split; what comes
   into LGWAN passes 無害化 through a named relay. */
static void
check_lgwan_split(struct ctx *c, unsigned i, const struct policy_flow *f,
    const struct policy_endpoint *from, const struct policy_endpoint *to)
{
	char path[96];

	if (!zoned(from) || !zoned(to))
		return;
	if (from->zone == POLICY_ZONE_INTERNET && to->zone == POLICY_ZONE_LGWAN) {
		snprintf(path, sizeof(path), "flows[%u].via", i);
		if (f->via_id == POLICY_VIA_NONE) {
			add(c, POLICY_CLAUSE_LGWAN_SPLIT, ERR, path,
			    "direct flow from the internet zone into LGWAN: it "
			    "must pass 無害化 (via: sanitize-mail, sanitize-file "
			    "or screen-transfer)");
			return;
		}
		if (!sanitizing(f->via_id)) {
			add(c, POLICY_CLAUSE_LGWAN_SPLIT, ERR, path,
			    "via %s does not make traffic into LGWAN harmless; "
			    "use sanitize-mail, sanitize-file or screen-transfer",
			    via_name(f->via_id));
			return;
		}
		if (f->relay == NULL) {
			snprintf(path, sizeof(path), "flows[%u]", i);
			add(c, POLICY_CLAUSE_LGWAN_SPLIT, ERR, path,
			    "via %s names no relay: without the 無害化 host the "
			    "firewall would let the internet zone reach LGWAN "
			    "directly", via_name(f->via_id));
		}
		return;
	}
	if (from->zone == POLICY_ZONE_LGWAN && to->zone == POLICY_ZONE_INTERNET) {
		snprintf(path, sizeof(path), "flows[%u]", i);
		if (f->via_id == POLICY_VIA_NONE && f->purpose == NULL)
			add(c, POLICY_CLAUSE_LGWAN_SPLIT, WARN, path,
			    "flow from LGWAN to the internet zone without via or "
			    "purpose: say why it is needed (必要な通信だけ)");
		else if (f->via_id != POLICY_VIA_NONE && f->relay == NULL)
			add(c, POLICY_CLAUSE_LGWAN_SPLIT, WARN, path,
			    "via %s names no relay: the firewall cannot force "
			    "the traffic through it", via_name(f->via_id));
	}
}

static void
check_flows(struct ctx *c)
{
	const struct policy *p = c->p;
	struct policy_endpoint from, to;
	bool *flagged;
	unsigned i;

	flagged = calloc(p->hosts_count ? p->hosts_count : 1, sizeof(bool));
	if (flagged == NULL) {
		c->oom = true;
		return;
	}
	for (i = 0; i < p->flows_count; i++) {
		const struct policy_flow *f = &p->flows[i];

		policy_endpoint(p, f->from, &from);
		policy_endpoint(p, f->to, &to);
		check_flow_shape(c, i, f, &from, &to);
		check_mynumber(c, i, f, &from, &to, flagged);
		check_lgwan_split(c, i, f, &from, &to);
		if (f->relay != NULL)
			check_relay(c, i, f, &from, &to,
			    from.known && to.known &&
			    from.zone == POLICY_ZONE_INTERNET &&
			    to.zone == POLICY_ZONE_LGWAN ?
			    POLICY_CLAUSE_LGWAN_SPLIT : POLICY_CLAUSE_NETWORK);
	}
	free(flagged);
}

/* ---- mail: 6.1(14)③, 6.1(15)①③, 2.(2)⑦ ---- */

static void
check_mail(struct ctx *c)
{
	const struct policy_mail *m = c->p->mail;
	const struct policy_outbound *o = m->outbound;
	unsigned i;

	if (m->max_size == NULL)
		add(c, POLICY_CLAUSE_MAIL_SIZE, ERR, "mail.max_size",
		    "no mail size limit (電子メールの送受信容量の上限): set "
		    "mail.max_size, e.g. 20MB");
	if (o->auto_forward_id == POLICY_ACTION_UNSET)
		add(c, POLICY_CLAUSE_AUTO_FORWARD, ERR, "mail.outbound.auto_forward",
		    "自動転送 is not refused: set mail.outbound.auto_forward: reject");
	else if (o->auto_forward_id == POLICY_ACTION_ALLOW)
		add(c, POLICY_CLAUSE_AUTO_FORWARD, ERR, "mail.outbound.auto_forward",
		    "auto_forward: allow lets 自動転送 out; the seed forbids it "
		    "(reject)");
	else if (o->auto_forward_id == POLICY_ACTION_HOLD)
		add(c, POLICY_CLAUSE_AUTO_FORWARD, WARN, "mail.outbound.auto_forward",
		    "auto_forward: hold leaves 自動転送 to a person; the seed "
		    "forbids it outright (reject)");
	if (o->external_recipients_max == 0)
		add(c, POLICY_CLAUSE_RECIPIENTS, ERR,
		    "mail.outbound.external_recipients_max",
		    "no limit on visible external recipients (他の送信先を隠す): "
		    "set external_recipients_max, e.g. 1");
	if (o->external_recipients_action_id == POLICY_ACTION_UNSET)
		add(c, POLICY_CLAUSE_RECIPIENTS, ERR,
		    "mail.outbound.external_recipients_action",
		    "say what happens above external_recipients_max: bcc or hold");
	if (o->confidential2_id == POLICY_ACTION_UNSET)
		add(c, POLICY_CLAUSE_CONFIDENTIAL2, ERR, "mail.outbound.confidential2",
		    "no rule for 機密性2 mail leaving: set confidential2: "
		    "require-encryption, hold or reject");
	for (i = 0; i < m->internal_domains_count; i++) {
		const char *d = m->internal_domains[i];
		char path[64];

		if (strchr(d, '.') == NULL || strchr(d, '@') != NULL ||
		    strchr(d, ' ') != NULL) {
			snprintf(path, sizeof(path), "mail.internal_domains[%u]", i);
			add(c, POLICY_CLAUSE_RECIPIENTS, ERR, path,
			    "\"%s\" is not a domain name", d);
		}
	}
}

/* ---- console: 6.2(4), 6.2(1)③, 4.4④ ---- */

static void
check_console(struct ctx *c)
{
	const struct policy_console *k = c->p->console;
	uint64_t secs;

	if (k == NULL || k->mfa_id == POLICY_MFA_UNSET || k->mfa_id == POLICY_MFA_NONE)
		add(c, POLICY_CLAUSE_MFA, ERR, "console.mfa",
		    "多要素認証 is off for the console: set mfa: totp or webauthn");
	if (k == NULL || k->max_login_attempts == 0)
		add(c, POLICY_CLAUSE_LOGIN, ERR, "console.max_login_attempts",
		    "no limit on login attempts (ログイン試行回数の制限)");
	else if (k->max_login_attempts > 10)
		add(c, POLICY_CLAUSE_LOGIN, WARN, "console.max_login_attempts",
		    "%u login attempts is a weak limit; 5 is usual",
		    k->max_login_attempts);
	if (k == NULL || k->idle_timeout == NULL)
		add(c, POLICY_CLAUSE_LOGIN, ERR, "console.idle_timeout",
		    "no idle timeout (アクセスタイムアウト): set e.g. 15m");
	else if (policy_parse_duration(k->idle_timeout, &secs) == 0 &&
	    secs > 3600)
		add(c, POLICY_CLAUSE_LOGIN, WARN, "console.idle_timeout",
		    "idle timeout %s is over an hour", k->idle_timeout);
	if (k != NULL && k->privileged_session_max != NULL &&
	    policy_parse_duration(k->privileged_session_max, &secs) == 0 &&
	    secs > 8 * 3600)
		add(c, POLICY_CLAUSE_PRIVILEGED, WARN,
		    "console.privileged_session_max",
		    "a privileged session of %s outlasts a working day",
		    k->privileged_session_max);
}

/* ---- 6.1(6)② logs, 6.4(1)① malware check ---- */

static void
check_log_av(struct ctx *c)
{
	const struct policy *p = c->p;

	if (p->log == NULL || p->log->retention_days == 0)
		add(c, POLICY_CLAUSE_LOG_RETENTION, ERR, "log.retention_days",
		    "no log retention period (ログの保存期間): set "
		    "log.retention_days");
	if (p->av == NULL || p->av->clamd == NULL)
		add(c, POLICY_CLAUSE_AV, ERR, "av.clamd",
		    "no malware scanner: set av.clamd to the clamd socket "
		    "(不正プログラムのチェック at the gateway)");
	if (p->av == NULL || p->av->required != POLICY_TRUE)
		add(c, POLICY_CLAUSE_AV, ERR, "av.required",
		    "av.required is not true: files would pass unscanned when "
		    "clamd is down");
}

/* Findings without a line go last; equal lines keep rule order. */
static bool
finding_before(const struct policy_finding *x, const struct policy_finding *y)
{
	unsigned lx = x->line ? x->line : ~0u, ly = y->line ? y->line : ~0u;

	return lx != ly ? lx < ly : x->seq < y->seq;
}

static int
finding_cmp(const void *a, const void *b)
{
	const struct policy_finding *x = a, *y = b;

	if (finding_before(x, y))
		return -1;
	return finding_before(y, x) ? 1 : 0;
}

int
policy_check(const struct policy *p, struct policy_findings *out)
{
	struct ctx c = { .p = p, .out = out };

	check_zones(&c);
	check_hosts(&c);
	check_flows(&c);
	check_mail(&c);
	check_console(&c);
	check_log_av(&c);
	if (out->count > 1)
		qsort(out->v, out->count, sizeof(out->v[0]), finding_cmp);
	return c.oom ? -1 : 0;
}

void
policy_findings_free(struct policy_findings *out)
{
	size_t i;

	for (i = 0; i < out->count; i++) {
		free(out->v[i].path);
		free(out->v[i].message);
	}
	free(out->v);
	memset(out, 0, sizeof(*out));
}

const char *
policy_severity_name(enum policy_severity s)
{
	return s == POLICY_SEV_ERROR ? "error" : "warning";
}
