#!/usr/bin/env python3
"""postfix_env.py itself: a private Postfix on loopback works end to end.

  no milter    3 mails by swaks and 50 by smtp-source all reach the
               sink; a message sent with smtplib arrives byte for byte;
               only 127.0.0.1 ports are listened on;
  dead milter  smtpd_milters points at a port where nothing listens;
               milter_default_action = tempfail makes smtpd answer 4xx,
               nothing is delivered and nothing is queued;
  chain        front instance -> back instance whose milter (a minimal
               Python milter on a unix socket) is down: the front one
               queues the mail with the 4xx reason; once the milter is
               up the mail goes out within seconds and carries the
               milter's header, so the unix-socket wiring works too;
  teardown     no process of any instance is left, the folders are
               gone, and the default Postfix configuration is unchanged.

Skips (exit 77) without root or Postfix. Takes about 20 s.
"""
import os
import socketserver
import struct
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
from testlib import Checks  # noqa: E402
import postfix_env  # noqa: E402
from postfix_env import (PostfixEnv, free_port, last_reply, send_smtp_source,  # noqa: E402
                         send_smtplib, send_swaks)

JA = "件名テスト ①㈱ 無害化".encode("utf-8")


class MiniMilter:
    """Just enough of the milter protocol (version 6) to prove the wiring:
    continue at every step, and at end of message add the header
    X-Selftest-Milter: ok. Listens on a unix socket that the postfix
    user may connect to (mode 0666 in a world-searchable folder)."""

    def __init__(self, path):
        self.path = path
        self.server = None
        self.messages = 0

    def start(self):
        milter = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self):
                try:
                    milter.serve(self.request)
                except OSError:  # Postfix hung up (abort, timeout)
                    pass
        if os.path.exists(self.path):
            os.unlink(self.path)
        self.server = socketserver.ThreadingUnixStreamServer(self.path, Handler)
        self.server.daemon_threads = True
        os.chmod(self.path, 0o666)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None
        if os.path.exists(self.path):
            os.unlink(self.path)

    def serve(self, conn):
        def recv(n):
            buf = b""
            while len(buf) < n:
                chunk = conn.recv(n - len(buf))
                if not chunk:
                    return None
                buf += chunk
            return buf

        def reply(payload):
            conn.sendall(struct.pack(">I", len(payload)) + payload)
        while True:
            head = recv(4)
            if head is None:
                return
            pkt = recv(struct.unpack(">I", head)[0])
            if not pkt:
                return
            cmd = pkt[:1]
            if cmd == b"O":  # option negotiation: version 6, add headers, all steps
                reply(b"O" + struct.pack(">III", 6, 0x01, 0))
            elif cmd in (b"D", b"A", b"K"):  # macros, abort, new connection: no reply
                continue
            elif cmd == b"Q":
                return
            elif cmd == b"E":
                self.messages += 1
                reply(b"hX-Selftest-Milter\0ok\0")  # SMFIR_ADDHEADER
                reply(b"c")
            else:
                reply(b"c")


def default_config_state():
    p = os.path.join(postfix_env.DEFAULT_CONFIG, "main.cf")
    try:
        with open(p, "rb") as f:
            return f.read()
    except OSError:
        return None


def no_milter(t, tmp):
    with PostfixEnv(tmp) as pf:
        addrs = pf.listening()
        t.check("listens on 127.0.0.1 only", addrs and all(a.startswith("127.0.0.1:") for a in addrs), addrs)
        t.check("smtpd and sink ports listened on",
                "127.0.0.1:%d" % pf.smtp_port in addrs and "127.0.0.1:%d" % pf.sink_port in addrs, addrs)
        for i in range(3):
            body = b"Subject: swaks %d\nFrom: a@example.org\nTo: b@example.net\n\nmarker-swaks-%d\n" % (i, i)
            rc, tr = send_swaks(pf.smtp_port, data=body)
            code, text = last_reply(tr)
            t.check("swaks %d accepted" % i, rc == 0 and code == 250, "rc=%d %s %s" % (rc, code, text))
        rc, out = send_smtp_source(pf.smtp_port, 50, size=2000, sessions=5)
        t.check("smtp-source 50 sent", rc == 0, out[-500:])
        try:
            got = pf.wait_delivered(53, timeout=30)
        except TimeoutError as e:
            got = pf.delivered()
            t.check("53 delivered", False, str(e)[-1500:])
        else:
            t.check("53 delivered", len(got) == 53, len(got))
        texts = b"".join(d for _, d in got)
        t.check("each swaks body delivered once",
                all(texts.count(b"marker-swaks-%d\n" % i) == 1 for i in range(3)))
        t.check("queue empty after delivery", pf.queue() == [], pf.queue_entries())
        first = [p for p, d in got if b"marker-swaks-0\n" in d]
        env = pf.envelope(first[0]) if first else {}
        t.check("envelope recorded by the sink", env.get("mail") == "<sender@example.org>"
                and env.get("rcpt", [""])[0].startswith("<rcpt@example.net>"), env)
        exact = b"Subject: =?UTF-8?B?5Lu25ZCN?=\nFrom: x@example.org\n\n" + JA + b"\n.leading dot\nC:\\new %DATE%\n"
        code, text, secs = send_smtplib(pf.smtp_port, exact)
        t.check("smtplib accepted", code == 250, (code, text))
        got = pf.wait_delivered(54, timeout=20)
        last = got[-1][1]
        t.check("smtplib body arrives byte for byte", last.endswith(exact.split(b"\n\n", 1)[1]), last[-200:])
        t.check("end-of-data latency measured", 0 < secs < 10, secs)
        t.check("maillog written", "status=sent" in pf.maillog())
        pids = pf.pids()
        base = pf.base
    t.check("no-milter instance: processes gone",
            not [p for p in pids if postfix_env._alive(p)], [p for p in pids if postfix_env._alive(p)])
    t.check("no-milter instance: folder removed", not os.path.exists(base))


def dead_milter(t, tmp):
    port = free_port()
    with PostfixEnv(tmp, milter="inet:127.0.0.1:%d" % port, milter_connect_timeout="2s") as pf:
        t.check("main.cf has the milter settings",
                pf.main_cf()["smtpd_milters"] == "inet:127.0.0.1:%d" % port
                and pf.main_cf()["milter_default_action"] == "tempfail")
        rc, tr = send_swaks(pf.smtp_port, data=b"Subject: milter down\n\nmarker-milter-down\n")
        code, text = last_reply(tr)
        t.check("swaks refused", rc != 0, "rc=%d" % rc)
        t.check("smtpd answered 4xx (tempfail)", code is not None and 400 <= code < 500, (code, text))
        code2, text2, _ = send_smtplib(pf.smtp_port, b"Subject: milter down 2\n\nmarker-2\n")
        t.check("smtplib sender gets 4xx too", 400 <= code2 < 500, (code2, text2))
        time.sleep(2)
        t.check("nothing delivered", pf.delivered() == [], pf.delivered())
        t.check("nothing queued", pf.queue() == [], pf.queue_entries())
        log = pf.maillog()
        t.check("maillog names the milter failure",
                "milter" in log and ("connect" in log or "Connection refused" in log), log[-800:])
        pids = pf.pids()
    t.check("milter instance: processes gone", not [p for p in pids if postfix_env._alive(p)])


def chain(t, tmp):
    sockdir = os.path.join(tmp, "milter")
    os.mkdir(sockdir)
    os.chmod(sockdir, 0o755)
    sock = os.path.join(sockdir, "mini.sock")
    milter = MiniMilter(sock)
    with PostfixEnv(tmp, milter="unix:" + sock, milter_connect_timeout="2s") as back, \
            PostfixEnv(tmp, relay_to=back) as front:
        rc, tr = send_swaks(front.smtp_port, data=b"Subject: chained\n\nmarker-chain\n")
        t.check("front accepts while the milter is down", rc == 0 and last_reply(tr)[0] == 250, tr[-300:])
        reason = ""
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            q = front.queue_entries()
            reasons = [r.get("delay_reason", "") for e in q for r in e.get("recipients", [])]
            if any("4.7.1" in r or " 451 " in r for r in reasons):
                reason = reasons[0]
                break
            time.sleep(0.2)
        t.check("front defers with the back's 4xx", reason != "", front.queue_entries())
        t.check("nothing delivered while the milter is down", back.delivered() == [])
        milter.start()
        try:
            t0 = time.monotonic()
            try:
                # retries are 1-5 s apart; the margin is for a loaded machine
                got = back.wait_delivered(1, timeout=60)
            except TimeoutError as e:
                got = []
                t.check("delivered once the milter is back", False, "%s\nfront queue: %s\nfront log:\n%s"
                        % (str(e)[-3000:], front.queue_entries(),
                           "\n".join(front.maillog().splitlines()[-30:])))
            else:
                t.check("delivered once the milter is back (%.1f s)" % (time.monotonic() - t0), len(got) == 1)
            data = got[0][1] if got else b""
            t.check("the milter's header is on the delivered mail", b"\nX-Selftest-Milter: ok\n" in data
                    or data.startswith(b"X-Selftest-Milter: ok\n"), data[:600])
            t.check("body intact", data.endswith(b"marker-chain\n") or b"marker-chain\n" in data)
            front.wait_queue_empty(timeout=10)
            t.check("front queue empty afterwards", front.queue() == [])
        finally:
            milter.stop()
        pids = back.pids() + front.pids()
    t.check("chained instances: processes gone", not [p for p in pids if postfix_env._alive(p)])


def main():
    ok, why = postfix_env.available()
    if not ok:
        print("SKIP: %s" % why)
        return 77
    for tool in (postfix_env.SWAKS, postfix_env.SMTP_SOURCE):
        if not os.access(tool, os.X_OK):
            print("SKIP: %s not installed" % tool)
            return 77
    t = Checks()
    before = default_config_state()
    t0 = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="sanso-pf-selftest-") as tmp:
        no_milter(t, tmp)
        dead_milter(t, tmp)
        chain(t, tmp)
    t.check("default Postfix configuration unchanged", default_config_state() == before)
    print("elapsed %.1f s" % (time.monotonic() - t0))
    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
