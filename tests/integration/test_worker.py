#!/usr/bin/env python3
"""The parent fails closed when its sandboxed worker misbehaves.

Fake workers stand in for a compromised or broken sanso-worker: one
crashes, one hangs past the job's wall clock, one answers garbage, one
does not exist. Each time the verdict must be "error" with finding
internal.worker, exit code 3, and no output file. A real worker must
then still work in the same batch run.
"""
import os
import stat
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from testlib import Checks, codes, sanitize  # noqa: E402

FAKES = {
    "crash": "#!/bin/sh\nkill -SEGV $$\n",
    "hang": "#!/bin/sh\nsleep 60\n",
    "garbage": "#!/bin/sh\nprintf 'SREPxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' >&3\nsleep 5\n",
    "exit0": "#!/bin/sh\nexit 0\n",
}


def main():
    sanso = sys.argv[1]
    t = Checks()
    with tempfile.TemporaryDirectory() as tmp:
        sample = os.path.join(tmp, "note.txt")
        with open(sample, "w") as f:
            f.write("hello\n")
        policy = os.path.join(tmp, "policy.yaml")
        with open(policy, "w") as f:
            f.write("limits: {job_seconds: 2}\n")
        for name, body in FAKES.items():
            fake = os.path.join(tmp, "fake-" + name)
            with open(fake, "w") as f:
                f.write(body)
            os.chmod(fake, stat.S_IRWXU)
            out = os.path.join(tmp, "out-" + name)
            start = time.monotonic()
            rc, rep, err = sanitize(sanso, sample, out, os.path.join(tmp, name + ".json"),
                                    ["--policy", policy], env={"SANSO_WORKER": fake})
            took = time.monotonic() - start
            t.check("%s: exit 3" % name, rc == 3, "rc=%d %s" % (rc, err[-200:]))
            t.check("%s: verdict error" % name, rep is not None and rep["verdict"] == "error", rep)
            t.check("%s: internal.worker" % name, rep is not None and "internal.worker" in codes(rep), rep)
            t.check("%s: no output" % name, not os.path.exists(out))
            t.check("%s: bounded time" % name, took < 10, "took %.1fs" % took)
        rep = sanitize(sanso, sample, os.path.join(tmp, "o"), os.path.join(tmp, "c.json"),
                       ["--policy", policy], env={"SANSO_WORKER": os.path.join(tmp, "fake-crash")})[1]
        t.check("crash: reason names the signal", rep is not None and "signal 11" in (rep.get("error") or ""), rep)
        rep = sanitize(sanso, sample, os.path.join(tmp, "o"), os.path.join(tmp, "h.json"),
                       ["--policy", policy], env={"SANSO_WORKER": os.path.join(tmp, "fake-hang")})[1]
        t.check("hang: reason says timed out", rep is not None and "timed out" in (rep.get("error") or ""), rep)
        t.check("hang: limit.job_time", rep is not None and "limit.job_time" in codes(rep), rep)
        rc, rep, _ = sanitize(sanso, sample, os.path.join(tmp, "o"), os.path.join(tmp, "m.json"),
                              env={"SANSO_WORKER": os.path.join(tmp, "does-not-exist")})
        t.check("missing worker: error", rc == 3 and rep is not None and rep["verdict"] == "error", rep)
        rc, rep, _ = sanitize(sanso, sample, os.path.join(tmp, "real.txt"), os.path.join(tmp, "r.json"))
        t.check("real worker: clean", rc == 0 and rep["verdict"] == "clean", rep)
        t.check("real worker: output identical",
                open(os.path.join(tmp, "real.txt"), "rb").read() == b"hello\n")
    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
