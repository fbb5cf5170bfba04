#!/usr/bin/env python3
"""`sanso mail sanitize` fails closed: every path that cannot finish
answers 75 (or 65 for the policy's size limit) and writes nothing.

  worker    crashes, hangs past limits.job_seconds, answers garbage, is
            missing: 75, empty stdout;
  store     the store cannot keep the original (a file where its folder
            should be, or a read-only folder): 75, empty stdout;
  clamd     required but not answering: 75, empty stdout;
  size      over mail.max_size: 65, empty stdout, a reason in Japanese
            and English on stderr;
  ok        the same message with a working store: 0, the message on
            stdout and its original in the store under X-Sanso-Id.

usage: test_mail_cli.py SANSO
"""
import os
import stat
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from testlib import Checks  # noqa: E402

MAIL = (b"From: a@example.jp\nTo: b@city.example.lg.jp\nSubject: test\n"
        b"MIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n\n"
        + "本文です。\n".encode() * 50)

FAKES = {
    "crash": "#!/bin/sh\nkill -SEGV $$\n",
    "hang": "#!/bin/sh\nsleep 60\n",
    "garbage": "#!/bin/sh\nprintf 'SREPxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' >&3\nsleep 5\n",
}


def run(sanso, args, env=None, data=MAIL):
    e = dict(os.environ)
    e.update(env or {})
    p = subprocess.run([sanso, "mail", "sanitize", *args], input=data,
                       capture_output=True, env=e, timeout=120)
    return p.returncode, p.stdout, p.stderr.decode(errors="replace")


def main():
    sanso = sys.argv[1]
    c = Checks()
    with tempfile.TemporaryDirectory() as tmp:
        pol = os.path.join(tmp, "p.yaml")
        with open(pol, "w") as f:
            f.write("organization: test\nlimits: {job_seconds: 3}\n"
                    "mail: {max_size: 500}\n")
        quick = os.path.join(tmp, "q.yaml")
        with open(quick, "w") as f:
            f.write("organization: test\nlimits: {job_seconds: 3}\n")
        for name, body in FAKES.items():
            path = os.path.join(tmp, "fake-" + name)
            with open(path, "w") as f:
                f.write(body)
            os.chmod(path, 0o755)
            rc, out, err = run(sanso, ["--policy", quick],
                               env={"SANSO_WORKER": path})
            c.check("worker %s: 75, nothing written" % name,
                    rc == 75 and out == b"", "rc=%d %s" % (rc, err[-200:]))
        rc, out, _ = run(sanso, [], env={"SANSO_WORKER": os.path.join(tmp, "nope")})
        c.check("worker missing: 75, nothing written", rc == 75 and out == b"")

        blocked = os.path.join(tmp, "not-a-folder")
        open(blocked, "w").close()
        rc, out, err = run(sanso, ["--store", os.path.join(blocked, "store")])
        c.check("store cannot open: 75, nothing written",
                rc == 75 and out == b"", "rc=%d %s" % (rc, err[-200:]))
        store = os.path.join(tmp, "store")
        rc, out, _ = run(sanso, ["--store", store])
        c.check("store ok: 0 and a message", rc == 0 and b"X-Sanso-Id: q" in out)
        if os.geteuid() != 0:
            # root writes anyway; the disk-full case is in test_store.py.
            for d, _, fs in os.walk(store):
                os.chmod(d, stat.S_IRUSR | stat.S_IXUSR)
            rc, out, _ = run(sanso, ["--store", store])
            c.check("store read-only: 75, nothing written",
                    rc == 75 and out == b"")
        qid = [ln for ln in out.decode().splitlines()
               if ln.startswith("X-Sanso-Id:")]
        if qid:
            q = qid[0].split(":", 1)[1].strip()
            p = subprocess.run([sanso, "quarantine", "show", q, "--store", store],
                               capture_output=True)
            c.check("original kept under X-Sanso-Id", p.returncode == 0)

        rc, out, err = run(sanso, ["--clamd", os.path.join(tmp, "no-clamd.sock"),
                                   "--av-required"])
        c.check("clamd required and down: 75, nothing written",
                rc == 75 and out == b"", "rc=%d" % rc)
        rc, out, err = run(sanso, ["--clamd", os.path.join(tmp, "no-clamd.sock")])
        c.check("clamd optional and down: 0", rc == 0 and out != b"")

        rc, out, err = run(sanso, ["--policy", pol])
        c.check("over mail.max_size: 65, nothing written",
                rc == 65 and out == b"", "rc=%d" % rc)
        c.check("reason in Japanese and English",
                "拒否" in err and "rejected" in err, err)
    return c.finish()


if __name__ == "__main__":
    sys.exit(main())
