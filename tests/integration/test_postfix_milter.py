#!/usr/bin/env python3
"""sansod behind a real, private Postfix (postfix_env.py), end to end.

  deliver   a Japanese HTML mail with a macro attachment, sent by swaks,
            arrives as text with the notice (the macro named, its
            findings listed), defanged links, the allow-listed headers
            only; its original sits in the store under the X-Sanso-Id;
  load      smtp-source sends 20 messages: all arrive, all sanitized;
  outage    sansod is killed: a sender talking to the milter's Postfix
            gets 4xx and nothing is delivered; mail sent to a front
            Postfix that relays to it stays in the front queue;
  mid-run   sansod is killed while smtp-source is sending 30 messages
            through the front, and started again: every message arrives
            exactly once, every one sanitized; nothing raw, nothing lost.
  shutdown  SIGTERM: sansod finishes and exits 0.
  outbound  with a policy whose lgwan zone holds 127.0.0.1, a 機密性3
            mail is refused with 5xx and an auto-forwarded one too; a mail
            to two external recipients (max 1, action bcc) is delivered
            to all three envelope recipients with the external ones gone
            from To and no Bcc header.

Skips (77) without root or Postfix. usage: test_postfix_milter.py BUILD
(the folder with sanso, sansod and sanso-worker).
"""
import os
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "mail"))
from testlib import Checks  # noqa: E402
import mailcheck  # noqa: E402
import postfix_env  # noqa: E402
from postfix_env import PostfixEnv, free_port, send_smtp_source, send_swaks  # noqa: E402

HTML_MAIL = """From: =?UTF-8?B?5bGx55Sw5aSq6YOO?= <taro@example.jp>
To: soumu@city.example.lg.jp
Subject: =?UTF-8?B?44GU6KuL5rGC5pu444Gu44GU5qGI5YaF4pGg?=
Message-ID: <e2e-1@example.jp>
X-Mailer: Tricky/1.0
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b1"

--b1
Content-Type: text/html; charset=UTF-8
Content-Transfer-Encoding: 8bit

<html><body><h1>ご請求書</h1><p>お世話になっております。㈱テストです。</p>
<p><a href="https://evil.example/login">https://bank.example.jp</a></p>
<script>alert(1)</script></body></html>
--b1
Content-Type: application/vnd.ms-word.document.macroEnabled.12; name="invoice.docm"
Content-Disposition: attachment; filename="invoice.docm"
Content-Transfer-Encoding: base64

{docm}
--b1--
"""


def make_docm():
    """A tiny macro-enabled Word document (vbaProject.bin inside)."""
    import base64
    import io
    import zipfile
    ct = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
          'openxmlformats.org/package/2006/content-types"><Default Extension='
          '"rels" ContentType="application/vnd.openxmlformats-package.relatio'
          'nships+xml"/><Default Extension="xml" ContentType="application/xml"'
          '/><Default Extension="bin" ContentType="application/vnd.ms-office.'
          'vbaProject"/><Override PartName="/word/document.xml" ContentType="'
          'application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http'
            '://schemas.openxmlformats.org/package/2006/relationships"><Relati'
            'onship Id="rId1" Type="http://schemas.openxmlformats.org/officeDo'
            'cument/2006/relationships/officeDocument" Target="word/document.x'
            'ml"/></Relationships>')
    doc = ('<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://'
           'schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:'
           'p><w:r><w:t>請求金額</w:t></w:r></w:p></w:body></w:document>')
    drels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="htt'
             'p://schemas.openxmlformats.org/package/2006/relationships"><Rel'
             'ationship Id="rId9" Type="http://schemas.microsoft.com/office/20'
             '06/relationships/vbaProject" Target="vbaProject.bin"/></Relation'
             'ships>')
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", ct)
        z.writestr("_rels/.rels", rels)
        z.writestr("word/document.xml", doc)
        z.writestr("word/_rels/document.xml.rels", drels)
        z.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0VBA-MACRO" * 8)
    return base64.encodebytes(b.getvalue()).decode()


class Sansod:
    def __init__(self, build, tmp, policy=None):
        self.build = build
        self.sock = os.path.join(tmp, "sansod-%d.sock" % free_port())
        self.store = os.path.join(tmp, "store")
        self.log = open(os.path.join(tmp, "sansod.log"), "ab")
        self.policy = policy
        self.proc = None

    @property
    def milter(self):
        return "unix:" + self.sock

    def start(self):
        # A unix socket given to the postfix group: what the README
        # recommends (on TCP, Postfix's own writes wait on Nagle).
        args = [os.path.join(self.build, "sansod"), "--socket",
                "unix:" + self.sock, "--socket-group", "postfix",
                "--store", self.store, "--workers", "2"]
        if self.policy:
            args += ["--policy", self.policy]
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=self.log)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                import socket
                s = socket.socket(socket.AF_UNIX)
                s.connect(self.sock)
                s.close()
                if oct(os.stat(self.sock).st_mode)[-3:] == "660":
                    return self
            except OSError:
                pass
            if self.proc.poll() is not None:
                raise RuntimeError("sansod exited %d" % self.proc.returncode)
            time.sleep(0.1)
        raise RuntimeError("sansod did not listen")

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()


def body_of(raw):
    return mailcheck.check(raw, trace_ok=True)


def test_deliver(c, build, pf, sd):
    data = HTML_MAIL.replace("{docm}", make_docm())
    rc, tr = send_swaks(pf.smtp_port, data=data)
    c.check("deliver: swaks accepted (250)", rc == 0, tr[-300:])
    got = pf.wait_delivered(1, timeout=60)
    raw = got[0][1] if got else b""
    try:
        msg, body, files = body_of(raw)
    except mailcheck.Bad as e:
        c.check("deliver: sanitized message", False, str(e))
        return
    c.check("deliver: subject decoded", str(msg["Subject"]) == "ご請求書のご案内①",
            str(msg["Subject"]))
    c.check("deliver: notice names the macro file", "invoice.docm" in body and
            "ooxml.vba" in body, body[:400])
    c.check("deliver: HTML text kept", "ご請求書" in body and "㈱テスト" in body)
    c.check("deliver: real link target shown defanged",
            "hxxps://evil[.]example/login" in body)
    c.check("deliver: script and raw link gone", "alert(1)" not in body and
            "https://evil.example" not in body)
    c.check("deliver: no attachment, no X-Mailer", not files and
            msg["X-Mailer"] is None)
    qid = str(msg.get("X-Sanso-Id", ""))
    out = subprocess.run([os.path.join(build, "sanso"), "quarantine", "show",
                          qid, "--store", sd.store], capture_output=True)
    c.check("deliver: original in the store under X-Sanso-Id",
            qid.startswith("q") and out.returncode == 0, out.stderr[-200:])


def all_sanitized(delivered):
    bad = 0
    for _, raw in delivered:
        try:
            body_of(raw)
        except mailcheck.Bad:
            bad += 1
    return bad


def test_load(c, pf):
    pf.clear_delivered()
    rc, out = send_smtp_source(pf.smtp_port, 20, size=2000)
    c.check("load: smtp-source done", rc == 0, out[-300:])
    got = pf.wait_delivered(20, timeout=120)
    # The sink may still hold a dump open for a moment after counting
    # it; read again until all 20 are readable (a real loss never is).
    deadline = time.monotonic() + 15
    while len(got) < 20 and time.monotonic() < deadline:
        time.sleep(0.2)
        got = pf.delivered()
    c.check("load: 20 delivered", len(got) == 20, "%d" % len(got))
    c.check("load: all sanitized", all_sanitized(got) == 0)


def test_outage(c, build, tmp, pf, sd):
    pf.clear_delivered()
    front = PostfixEnv(tmp, relay_to=pf).start()
    try:
        sd.kill()
        rc, tr = send_swaks(pf.smtp_port, data=HTML_MAIL.replace("{docm}", ""))
        c.check("outage: direct sender gets 4xx", rc != 0 and
                ("451" in tr or "4.7.1" in tr), tr[-300:])
        rc, tr = send_swaks(front.smtp_port, data=HTML_MAIL.replace("{docm}", ""))
        c.check("outage: front accepts and queues", rc == 0, tr[-200:])
        time.sleep(3)
        c.check("outage: nothing delivered while down", pf.delivered_count() == 0)
        c.check("outage: message waits in the front queue", len(front.queue()) == 1,
                str(front.queue_entries()))
        sd.start()
        front.flush()
        got = pf.wait_delivered(1, timeout=90)
        c.check("outage: delivered once sansod is back", len(got) == 1)
        c.check("outage: delivered sanitized", all_sanitized(got) == 0)
        front.wait_queue_empty(timeout=30)

        # Kill in the middle of a run of 30.
        pf.clear_delivered()
        src = subprocess.Popen([postfix_env.SMTP_SOURCE, "-s", "2", "-m", "30",
                                "-l", "3000", "-f", "src@example.org",
                                "-t", "rcpt@example.net",
                                "127.0.0.1:%d" % front.smtp_port],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(0.5)
        sd.kill()
        src.wait(120)
        time.sleep(2)
        sd.start()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and (front.queue() or
                                               pf.delivered_count() < 30):
            front.flush()
            time.sleep(1)
        got = pf.wait_delivered(30, timeout=30)
        time.sleep(2)
        got = pf.delivered()
        c.check("mid-run: smtp-source finished", src.returncode == 0)
        c.check("mid-run: all 30 delivered exactly once", len(got) == 30,
                "%d delivered" % len(got))
        c.check("mid-run: every one sanitized", all_sanitized(got) == 0)
    finally:
        front.stop()


OUTBOUND_POLICY = """organization: e2e
zones:
  lgwan:    {networks: [127.0.0.0/8]}
  internet: {networks: [10.255.0.0/16]}
mail:
  max_size: 5MB
  internal_domains: [city.example.lg.jp]
  outbound:
    confidential3: reject
    confidential2: hold
    external_recipients_max: 1
    external_recipients_action: bcc
    auto_forward: reject
"""

PLAIN = """From: kacho@city.example.lg.jp
To: {to}
Subject: {subject}
Message-ID: <{mid}@city.example.lg.jp>
{extra}MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8

LGWAN から外部への連絡です。
"""


def test_outbound(c, build, tmp):
    """A second sansod whose policy puts loopback in the LGWAN zone."""
    pol = os.path.join(tmp, "outbound.yaml")
    with open(pol, "w") as f:
        f.write(OUTBOUND_POLICY)
    sd = Sansod(build, tmp, policy=pol).start()
    try:
        with PostfixEnv(tmp, milter=sd.milter) as pf:
            msg = PLAIN.format(to="a@example.com", subject="【機密性3】人事案",
                               mid="o1", extra="")
            rc, tr = send_swaks(pf.smtp_port, data=msg, to="a@example.com")
            c.check("outbound: 機密性3 refused with 5xx", rc != 0 and "554" in tr,
                    tr[-300:])
            msg = PLAIN.format(to="a@example.com", subject="fw", mid="o2",
                               extra="Auto-Submitted: auto-forwarded\n")
            rc, tr = send_swaks(pf.smtp_port, data=msg, to="a@example.com")
            c.check("outbound: auto-forwarded refused with 5xx",
                    rc != 0 and "554" in tr, tr[-300:])
            rcpts = "a@example.com,b@example.org,c@city.example.lg.jp"
            msg = PLAIN.format(to="a@example.com, b@example.org, "
                               "c@city.example.lg.jp", subject="日程",
                               mid="o3", extra="")
            rc, tr = send_swaks(pf.smtp_port, data=msg, to=rcpts)
            c.check("outbound: external recipients accepted", rc == 0, tr[-300:])
            got = pf.wait_delivered(1, timeout=60)
            raw = got[0][1] if got else b""
            m = mailcheck.parse(raw)
            to = str(m.get("To", ""))
            c.check("outbound: external addresses gone from To",
                    "a@example.com" not in to and "b@example.org" not in to, to)
            c.check("outbound: no Bcc header shown to recipients",
                    m.get("Bcc") is None)
            c.check("outbound: body untouched", "LGWAN から外部への連絡です。"
                    in m.get_body().get_content())
            env = pf.envelope(got[0][0]) if got else ""
            c.check("outbound: every envelope recipient kept",
                    all(r in str(env) for r in rcpts.split(",")), str(env))
            # Reload: the same daemon, a policy that allows forwarding.
            with open(pol, "w") as f:
                f.write(OUTBOUND_POLICY.replace("auto_forward: reject",
                                                "auto_forward: allow"))
            sd.proc.send_signal(signal.SIGUSR1)
            time.sleep(0.5)
            msg = PLAIN.format(to="c@city.example.lg.jp", subject="fw2",
                               mid="o4", extra="Auto-Submitted: auto-forwarded\n")
            rc, tr = send_swaks(pf.smtp_port, data=msg, to="c@city.example.lg.jp")
            c.check("reload: SIGUSR1 applies the new policy to new mail",
                    rc == 0, tr[-300:])
            c.check("reload: logged", "policy reloaded" in open(
                os.path.join(tmp, "sansod.log"), errors="replace").read())
    finally:
        sd.stop()


def main():
    build = os.path.abspath(sys.argv[1])
    ok, why = postfix_env.available()
    if not ok:
        print("SKIP: %s" % why)
        return 77
    c = Checks()
    with tempfile.TemporaryDirectory(prefix="sanso-milter-") as tmp:
        os.chmod(tmp, 0o755)
        sd = Sansod(build, tmp).start()
        try:
            with PostfixEnv(tmp, milter=sd.milter) as pf:
                test_deliver(c, build, pf, sd)
                test_load(c, pf)
                test_outage(c, build, tmp, pf, sd)
        finally:
            sd.stop()
        c.check("shutdown: SIGTERM stops sansod cleanly (exit 0)",
                sd.proc.returncode == 0, "exit %s" % sd.proc.returncode)
        try:
            test_outbound(c, build, tmp)
        finally:
            if c.failed:
                print(open(os.path.join(tmp, "sansod.log"), errors="replace")
                      .read()[-3000:])
    return c.finish()


if __name__ == "__main__":
    sys.exit(main())
