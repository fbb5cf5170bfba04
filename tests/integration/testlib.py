"""Small helpers shared by sanso's integration tests (stdlib only)."""
import json
import os
import subprocess


class Checks:
    """Collects named checks and prints "N passed, N failed"."""

    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, cond, detail=""):
        if cond:
            self.passed += 1
            print("ok   %s" % name)
        else:
            self.failed += 1
            print("FAIL %s %s" % (name, detail))

    def finish(self):
        print("%d passed, %d failed" % (self.passed, self.failed))
        return 1 if self.failed or not self.passed else 0


def sanitize(sanso, path, out, report, extra=(), env=None, timeout=120):
    """Run `sanso file sanitize`; return (exit code, report dict or None)."""
    e = dict(os.environ)
    if env:
        e.update(env)
    r = subprocess.run([sanso, "file", "sanitize", path, "-o", out,
                        "--report", report, "--quiet", *extra],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       env=e, timeout=timeout)
    try:
        rep = json.load(open(report, encoding="utf-8"))
    except (OSError, ValueError):
        rep = None
    return r.returncode, rep, r.stderr.decode(errors="replace")


def codes(report):
    out = [f["code"] for f in report.get("findings", [])]
    for c in report.get("children", []):
        out.extend(codes(c))
    return out
