#!/usr/bin/env python3
"""The ruleset of `sanso policy nft`, proven with real packets.

One network namespace per zone of tests/corpus/policy/netns.yaml and one
for the router between them, joined by veth pairs addressed from the
policy's networks (the router's veths carry the policy's interface
names). The pinned マイナンバー系 host's MAC is set on its veth, the
router forwards, and the generated ruleset is loaded there with
`nft -f -`. Then, with socat (TCP and UDP) and a raw ICMP echo:

  - every allowed flow passes, and its accept rule counts it;
  - a sample of denied flows is dropped, and the drop rule named for
    it ("sanso drop internet-lgwan: ", ...) counts it: a non-relay host
    into LGWAN, a wrong port, マイナンバー系 to the internet, an unpinned
    マイナンバー系 address, a spoofed MAC on the pinned IP, an LGWAN
    address arriving from the internet side.

Drops are proven by the counters of the named drop rules (read with
`nft -j list table inet sanso`), not the kernel log: the kernel drops
log lines from namespaces other than the initial one unless
net.netfilter.nf_log_all_netns is set, which a test must not change on
its host, and a container may not see the kernel log at all.

Needs root, `ip netns`, nft and socat; exits 77 (skip) with the reason
when any is missing or namespaces cannot be created.

usage: test_netns.py SANSO
"""
import ipaddress
import json
import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from testlib import Checks  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
POLICY = os.path.join(HERE, "..", "corpus", "policy", "netns.yaml")
PREFIX = "sanso%d" % os.getpid()
ROUTER = PREFIX + "-r"
TIMEOUT = 2			# seconds for one connection attempt
SPOOF_MAC = "52:54:00:00:00:99"


def skip(why):
    print("SKIP test_netns: " + why)
    sys.exit(77)


def sh(*args, ns=None, check=True, input=None, timeout=30):
    cmd = list(args)
    if ns is not None:
        cmd = ["ip", "netns", "exec", ns] + cmd
    r = subprocess.run(cmd, input=input, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=timeout)
    if check and r.returncode != 0:
        raise RuntimeError("%s: %s" % (" ".join(cmd),
                                       r.stderr.decode(errors="replace")))
    return r


def load_policy(sanso):
    """The parts of the policy the test needs, from `check --json` and a
    small reading of the YAML's flow-style lines (stdlib has no YAML)."""
    r = sh(sanso, "policy", "check", "--json", POLICY, check=False)
    doc = json.loads(r.stdout)
    if not doc["ok"] or doc["findings"]:
        raise RuntimeError("netns.yaml does not pass check: %s" % r.stdout)
    zones, hosts, flows = {}, {}, []
    section = None
    for line in open(POLICY, encoding="utf-8"):
        s = line.split("#", 1)[0].rstrip()
        if not s:
            continue
        if not s.startswith(" "):
            section = s.split(":", 1)[0]
            continue
        s = s.strip()
        if section == "zones":
            name, rest = s.split(":", 1)
            zones[name] = parse_map(rest.strip())
        elif section in ("hosts", "flows") and s.startswith("- "):
            m = parse_map(s[2:])
            if section == "hosts":
                hosts[m["name"]] = m
            else:
                flows.append(m)
    return zones, hosts, flows


def parse_map(text):
    """{a: b, c: [d, e]} as written in netns.yaml (flow style)."""
    text = text.strip()
    assert text[0] == "{" and text[-1] == "}", text
    out, key, buf, depth = {}, None, "", 0
    for ch in text[1:-1] + ",":
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        if ch == ":" and depth == 0 and key is None:
            key, buf = buf.strip(), ""
        elif ch == "," and depth == 0:
            v = buf.strip().strip('"')
            if v.startswith("["):
                v = [x.strip() for x in v[1:-1].split(",")]
            out[key] = v
            key, buf = None, ""
        else:
            buf += ch
    return out


class Net:
    """The namespaces, addresses and servers of one run."""

    def __init__(self, zones, hosts):
        self.zones, self.hosts = zones, hosts
        self.ns = {z: "%s-%s" % (PREFIX, z[:3]) for z in zones}
        self.made = []
        self.servers = []
        self.addr = {}		# zone -> [addresses on its veth]
        self.router_ip = {}
        self.spare = {}		# zone -> an address named by no host

    def setup(self):
        sh("ip", "netns", "add", ROUTER)
        self.made.append(ROUTER)
        sh("sysctl", "-qw", "net.ipv4.ip_forward=1", ns=ROUTER)
        sh("ip", "link", "set", "lo", "up", ns=ROUTER)
        for zone, z in self.zones.items():
            ns = self.ns[zone]
            sh("ip", "netns", "add", ns)
            self.made.append(ns)
            sh("ip", "link", "set", "lo", "up", ns=ns)
            # ARP from the interface's own address, so that a foreign
            # source address (the spoofing probe) still resolves the
            # router and the packet reaches the ruleset.
            sh("sysctl", "-qw", "net.ipv4.conf.all.arp_announce=2", ns=ns)
            # Created inside the namespaces: no name clash between runs.
            sh("ip", "-n", ROUTER, "link", "add", z["interface"], "type",
               "veth", "peer", "name", "z0", "netns", ns)
            net = ipaddress.ip_network(z["networks"][0])
            taken = {h["ip"] for h in self.hosts.values()}
            free = [str(a) for a in net.hosts() if str(a) not in taken]
            self.router_ip[zone] = free[0]
            self.spare[zone] = free[199]
            mine = [h["ip"] for h in self.hosts.values() if h["zone"] == zone]
            self.addr[zone] = mine + [self.spare[zone]]
            sh("ip", "-n", ROUTER, "addr", "add", "%s/%d" % (free[0], net.prefixlen),
               "dev", z["interface"])
            for a in self.addr[zone]:
                sh("ip", "-n", ns, "addr", "add", "%s/%d" % (a, net.prefixlen),
                   "dev", "z0")
            pinned = [h for h in self.hosts.values()
                      if h["zone"] == zone and "mac" in h and zone == "mynumber"]
            assert len(pinned) <= 1, "one pinned host per zone namespace"
            if pinned:
                sh("ip", "-n", ns, "link", "set", "z0", "address", pinned[0]["mac"])
            sh("ip", "-n", ROUTER, "link", "set", z["interface"], "up")
            sh("ip", "-n", ns, "link", "set", "z0", "up")
            sh("ip", "-n", ns, "route", "add", "default", "via", free[0])

    def zone_of(self, ip):
        for zone, z in self.zones.items():
            if ipaddress.ip_address(ip) in ipaddress.ip_network(z["networks"][0]):
                return zone
        raise KeyError(ip)

    def serve(self, proto, ip, port):
        """A socat server answering "ok" on ip:port in ip's zone."""
        ns = self.ns[self.zone_of(ip)]
        if proto == "tcp":
            listen = "TCP-LISTEN:%d,bind=%s,reuseaddr,fork" % (port, ip)
        else:
            listen = "UDP-RECVFROM:%d,bind=%s,fork" % (port, ip)
        p = subprocess.Popen(["ip", "netns", "exec", ns, "socat", "-T%d" % TIMEOUT,
                              listen, "SYSTEM:echo ok"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.servers.append(p)

    def connect(self, proto, src, dst, port, ns=None):
        """Whether src reaches dst:port and gets "ok" back; src's zone
        namespace unless ns is given."""
        ns = ns or self.ns[self.zone_of(src)]
        if proto == "tcp":
            target = "TCP:%s:%d,bind=%s,connect-timeout=%d" % (dst, port, src, TIMEOUT)
        else:
            target = "UDP:%s:%d,bind=%s" % (dst, port, src)
        try:
            r = sh("socat", "-T%d" % TIMEOUT, "-", target, ns=ns, check=False,
                   input=b"hello\n" if proto == "udp" else b"",
                   timeout=TIMEOUT * 3)
        except subprocess.TimeoutExpired:
            return False
        return r.stdout.strip() == b"ok"

    def ping(self, src, dst):
        """One ICMP echo from src to dst, by a raw socket (no ping(8))."""
        code = (
            "import socket,struct,sys\n"
            "s=socket.socket(socket.AF_INET,socket.SOCK_RAW,socket.IPPROTO_ICMP)\n"
            "s.bind((sys.argv[1],0)); s.settimeout(%d)\n"
            "h=struct.pack('!BBHHH',8,0,0,0x5a5a,1)+b'sanso!'\n"
            "c=sum(struct.unpack('!7H',h))\n"
            "c=(c>>16)+(c&0xffff); c=~(c+(c>>16))&0xffff\n"
            "s.sendto(h[:2]+struct.pack('!H',c)+h[4:],(sys.argv[2],0))\n"
            "while True:\n"
            "  d,a=s.recvfrom(2048)\n"
            "  if a[0]==sys.argv[2] and d[20]==0: print('ok'); break\n" % TIMEOUT)
        try:
            r = sh(sys.executable, "-c", code, src, dst, ns=self.ns[self.zone_of(src)],
                   check=False, timeout=TIMEOUT * 3)
        except subprocess.TimeoutExpired:
            return False
        return r.stdout.strip() == b"ok"

    def counters(self):
        """Packets per drop prefix and per accept comment."""
        r = sh("nft", "-j", "list", "table", "inet", "sanso", ns=ROUTER)
        out = {}
        for item in json.loads(r.stdout)["nftables"]:
            rule = item.get("rule")
            if not rule:
                continue
            name, packets = rule.get("comment"), None
            for e in rule.get("expr", []):
                if "log" in e:
                    name = e["log"].get("prefix", name)
                if "counter" in e:
                    packets = e["counter"]["packets"]
            if name is not None and packets is not None:
                out[name] = out.get(name, 0) + packets
        return out

    def cleanup(self):
        for p in self.servers:
            p.kill()
        for p in self.servers:
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
        for ns in reversed(self.made):
            subprocess.run(["ip", "netns", "del", ns], stderr=subprocess.DEVNULL)


def rule_count(net, flow_name):
    """Packets of the accept rule whose comment starts with the flow."""
    return sum(v for k, v in net.counters().items()
               if k.startswith(flow_name + " "))


def flow_ends(net, hosts, zones, f):
    """The source and destination addresses a flow allows: the relay for
    its side, a host's own address, or a spare address of a zone."""
    def addr(name):
        return hosts[name]["ip"] if name in hosts else net.spare[name]

    def zone(name):
        return hosts[name]["zone"] if name in hosts else name

    src, dst = addr(f["from"]), addr(f["to"])
    if f.get("relay"):
        r = hosts[f["relay"]]
        if r["zone"] == zone(f["from"]):
            src = r["ip"]
        else:
            dst = r["ip"]
    return src, dst


def main():
    if len(sys.argv) != 2:
        print("usage: test_netns.py SANSO", file=sys.stderr)
        return 2
    sanso = sys.argv[1]
    if os.geteuid() != 0:
        skip("needs root (network namespaces and nft)")
    for tool in ("ip", "nft", "socat"):
        if shutil.which(tool) is None:
            skip("%s is not installed" % tool)
    probe = PREFIX + "-probe"
    r = subprocess.run(["ip", "netns", "add", probe], stderr=subprocess.PIPE)
    if r.returncode != 0:
        skip("`ip netns add` is not permitted here: %s" %
             r.stderr.decode(errors="replace").strip())
    subprocess.run(["ip", "netns", "del", probe], stderr=subprocess.DEVNULL)

    zones, hosts, flows = load_policy(sanso)
    ruleset = sh(sanso, "policy", "nft", POLICY).stdout
    net = Net(zones, hosts)
    c = Checks()
    start = time.monotonic()
    try:
        net.setup()
        r = sh("nft", "-f", "-", ns=ROUTER, input=ruleset, check=False)
        c.check("ruleset loads in the router", r.returncode == 0,
                r.stderr.decode(errors="replace"))
        if r.returncode != 0:
            return c.finish()

        # Every allowed flow passes and its accept rule counts it.
        allowed = []
        for f in flows:
            src, dst = flow_ends(net, hosts, zones, f)
            port = int(f["port"].split("-")[0]) if f.get("port") else None
            allowed.append((f, src, dst, port))
            if f["proto"] in ("tcp", "udp"):
                net.serve(f["proto"], dst, port)
        # Servers for the denied probes that reach a listening port.
        denied = [
            # (what, proto, src, dst, port, drop prefix)
            ("a non-relay internet host into LGWAN", "tcp",
             net.spare["internet"], hosts["lg-mail"]["ip"], 25,
             "sanso drop internet-lgwan: "),
            ("the relay on a port no flow names", "tcp",
             hosts["sanso"]["ip"], hosts["lg-mail"]["ip"], 22,
             "sanso drop internet-lgwan: "),
            ("UDP from the internet into LGWAN", "udp",
             net.spare["internet"], net.spare["lgwan"], 53,
             "sanso drop internet-lgwan: "),
            ("マイナンバー系 to the internet", "udp",
             hosts["juki"]["ip"], hosts["ntp"]["ip"], 123,
             "sanso drop mynumber-internet: "),
            ("the pinned host on a port no flow names", "tcp",
             hosts["juki"]["ip"], hosts["jlis-relay"]["ip"], 22,
             "sanso drop mynumber-lgwan: "),
            ("an unpinned マイナンバー系 address", "tcp",
             net.spare["mynumber"], hosts["jlis-relay"]["ip"], 443,
             "sanso drop mynumber-lgwan: "),
            ("LGWAN into マイナンバー系", "tcp",
             net.spare["lgwan"], hosts["juki"]["ip"], 443,
             "sanso drop lgwan-mynumber: "),
            ("LGWAN to the internet without a flow", "tcp",
             net.spare["lgwan"], net.spare["internet"], 443,
             "sanso drop lgwan-internet: "),
        ]
        for _, proto, _, dst, port, _ in denied:
            net.serve(proto, dst, port)
        time.sleep(0.5)

        for f, src, dst, port in allowed:
            name = "allowed %s %s %s->%s" % (f["name"], f["proto"], src, dst)
            before = rule_count(net, f["name"])
            if f["proto"] == "icmp":
                ok = net.ping(src, dst)
            else:
                # Retry once: a server may still be starting.
                ok = net.connect(f["proto"], src, dst, port) or \
                    net.connect(f["proto"], src, dst, port)
            c.check(name + " passes", ok)
            after = rule_count(net, f["name"])
            c.check(name + " counted by its rule", after > before,
                    "before %d after %d" % (before, after))

        for what, proto, src, dst, port, prefix in denied:
            before = net.counters().get(prefix, 0)
            ok = net.connect(proto, src, dst, port)
            after = net.counters().get(prefix, 0)
            c.check("denied: %s (%s %s->%s:%d) dropped" % (what, proto, src, dst, port),
                    not ok)
            c.check("denied: %s counted by \"%s\"" % (what, prefix.strip()),
                    after > before, "before %d after %d" % (before, after))

        # The pinned IP with another MAC (3.(1)①): dropped even though
        # the address, port and destination are those of an allowed flow.
        myn = net.ns["mynumber"]
        juki = hosts["juki"]
        sh("ip", "-n", myn, "link", "set", "z0", "address", SPOOF_MAC)
        sh("ip", "-n", ROUTER, "neigh", "flush", "dev", zones["mynumber"]["interface"])
        prefix = "sanso drop spoof juki: "
        before = net.counters().get(prefix, 0)
        ok = net.connect("tcp", juki["ip"], hosts["jlis-relay"]["ip"], 443)
        after = net.counters().get(prefix, 0)
        c.check("spoofed MAC on the pinned IP dropped", not ok)
        c.check("spoofed MAC counted by \"%s\"" % prefix.strip(), after > before,
                "before %d after %d" % (before, after))
        sh("ip", "-n", myn, "link", "set", "z0", "address", juki["mac"])
        sh("ip", "-n", ROUTER, "neigh", "flush", "dev", zones["mynumber"]["interface"])
        c.check("the real MAC passes again",
                net.connect("tcp", juki["ip"], hosts["jlis-relay"]["ip"], 443))

        # An LGWAN source address arriving on the internet interface.
        fake = str(ipaddress.ip_address(net.spare["lgwan"]) + 1)
        inet = net.ns["internet"]
        sh("ip", "-n", inet, "addr", "add", fake + "/32", "dev", "z0")
        prefix = "sanso drop spoof lgwan: "
        before = net.counters().get(prefix, 0)
        ok = net.connect("tcp", fake, net.spare["lgwan"], 443, ns=inet)
        after = net.counters().get(prefix, 0)
        c.check("LGWAN address from the internet side dropped", not ok)
        c.check("counted by \"%s\"" % prefix.strip(), after > before,
                "before %d after %d" % (before, after))
        c.check("the whole test took under 2 minutes",
                time.monotonic() - start < 120, "%.0fs" % (time.monotonic() - start))
    finally:
        net.cleanup()
    return c.finish()


if __name__ == "__main__":
    sys.exit(main())
