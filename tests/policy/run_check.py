#!/usr/bin/env python3
"""`sanso policy check` and `sanso policy nft` over the policy corpus.

  examples/policies/*.yaml     must pass check (exit 0, no errors) and
                               compile with nft;
  tests/corpus/policy/X.yaml   with X.expect beside it:
    - "clause severity path" lines: check --json gives exactly these
      findings (no more, no fewer), exit 1 when one is an error, else 0;
      nft refuses a policy with errors and prints nothing;
    - "schema LINE": the file is refused (exit 2), the message names
      file:LINE:column, and --json still prints {"ok": false, "error"}.
Lines starting with # in .expect are comments.

usage: run_check.py SANSO
"""
import glob
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
from testlib import Checks  # noqa: E402

CORPUS = os.path.join(HERE, "..", "corpus", "policy")
EXAMPLES = os.path.join(HERE, "..", "..", "examples", "policies")


def run(sanso, *args):
    r = subprocess.run([sanso, "policy", *args], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=60)
    return r.returncode, r.stdout.decode("utf-8", "replace"), \
        r.stderr.decode("utf-8", "replace")


def expectations(path):
    with open(path, encoding="utf-8") as f:
        return [l.strip() for l in f if l.strip() and not l.startswith("#")]


def check_example(c, sanso, path):
    name = "example " + os.path.basename(path)
    rc, out, err = run(sanso, "check", "--json", path)
    c.check(name + " check exit 0", rc == 0, "rc=%d %s %s" % (rc, out, err))
    try:
        doc = json.loads(out)
    except ValueError:
        doc = {}
    c.check(name + " ok and no errors",
            doc.get("ok") is True and doc.get("errors") == 0, out)
    rc, out, err = run(sanso, "nft", path)
    c.check(name + " nft", rc == 0 and "policy drop;" in out and
            "sanso drop default" in out, "rc=%d %s" % (rc, err))


def check_bad(c, sanso, path, want):
    name = os.path.basename(path)
    if want and want[0].startswith("schema "):
        line = want[0].split()[1]
        rc, out, err = run(sanso, "check", path)
        c.check(name + " schema error exit 2", rc == 2, "rc=%d" % rc)
        c.check(name + " names %s:%s:" % (name, line),
                "%s:%s:" % (path, line) in err, err.strip())
        rc, out, err = run(sanso, "check", "--json", path)
        try:
            doc = json.loads(out)
        except ValueError:
            doc = {}
        c.check(name + " --json error", rc == 2 and doc.get("ok") is False
                and "error" in doc, out)
        return
    rc, out, err = run(sanso, "check", "--json", path)
    try:
        doc = json.loads(out)
    except ValueError:
        c.check(name + " json", False, out + err)
        return
    got = sorted("%s %s %s" % (f["clause"], f["severity"], f["path"])
                 for f in doc["findings"])
    c.check(name + " findings", got == sorted(want),
            "\n  want %s\n  got  %s" % (sorted(want), got))
    errors = any(" error " in w for w in want)
    c.check(name + " exit %d" % (1 if errors else 0),
            rc == (1 if errors else 0), "rc=%d" % rc)
    c.check(name + " lines", all(f["line"] > 0 for f in doc["findings"]
                                 if not f["path"].startswith(("console", "log", "av"))),
            out)
    # The text form says the same, one line per finding plus a summary.
    rc2, text, _ = run(sanso, "check", path)
    lines = text.strip().splitlines()
    c.check(name + " text", rc2 == rc and len(lines) == len(got) + 1 and
            lines[-1].startswith(path + ": "), text)
    rc, out, err = run(sanso, "nft", path)
    if errors:
        c.check(name + " nft refuses", rc == 1 and out == "", "rc=%d" % rc)
    else:
        c.check(name + " nft", rc == 0 and "policy drop;" in out, err)


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    sanso = sys.argv[1]
    c = Checks()
    for path in sorted(glob.glob(os.path.join(EXAMPLES, "*.yaml"))):
        check_example(c, sanso, path)
    for path in sorted(glob.glob(os.path.join(CORPUS, "*.yaml"))):
        exp = path[:-len(".yaml")] + ".expect"
        if not os.path.exists(exp):
            c.check(os.path.basename(path) + " has .expect", False)
            continue
        check_bad(c, sanso, path, expectations(exp))
    # Usage and unreadable files: exit 2.
    rc, _, _ = run(sanso, "check")
    c.check("usage exit 2", rc == 2)
    rc, _, _ = run(sanso, "frobnicate", "x")
    c.check("unknown subcommand exit 2", rc == 2)
    rc, _, err = run(sanso, "check", os.path.join(CORPUS, "nonexistent.yaml"))
    c.check("unreadable exit 2", rc == 2 and "nonexistent.yaml" in err, err)
    return c.finish()


if __name__ == "__main__":
    sys.exit(main())
