#!/usr/bin/env python3
"""Run the public oletools samples through `sanso file sanitize`.

The samples live outside the repository (shared/corpus/oletools, beside
the checkout, or $SANSO_SHARED_CORPUS/oletools). Every file must end in
a verdict without a worker failure, and must match its line in
oletools.expect:

    path  verdict[|verdict...]  [code ...]

where the codes must appear in the report. A sample with dangerous
content must never come out "clean". Prints a table of what each sample
yields, then "N passed, N failed".
"""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def corpus_dir():
    env = os.environ.get("SANSO_SHARED_CORPUS")
    cands = [os.path.join(env, "oletools")] if env else []
    cands.append(os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "corpus", "oletools")))
    for c in cands:
        if os.path.isdir(c):
            return c
    return None


def codes(rep):
    out = [f["code"] for f in rep.get("findings", [])]
    for c in rep.get("children", []):
        out.extend(codes(c))
    return out


def main():
    sanso = sys.argv[1]
    root = corpus_dir()
    if root is None:
        # The public corpus sits beside the checkout (shared/corpus), as in
        # CI; a checkout elsewhere says so and skips (meson's code 77).
        print("SKIP: oletools corpus not found beside the checkout; set SANSO_SHARED_CORPUS")
        return 77
    expect = {}
    with open(os.path.join(HERE, "oletools.expect"), encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].split()
            if line:
                expect[line[0]] = (line[1].split("|"), line[2:])
    passed = failed = 0
    seen = set()
    for dirpath, _, files in os.walk(root):
        for name in sorted(files):
            if name.endswith(".md"):
                continue
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root)
            seen.add(rel)
            with tempfile.TemporaryDirectory() as tmp:
                rp = os.path.join(tmp, "r.json")
                r = subprocess.run([sanso, "file", "sanitize", path, "-o", os.path.join(tmp, "out"),
                                    "--report", rp, "--quiet"], stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, timeout=300)
                try:
                    rep = json.load(open(rp, encoding="utf-8"))
                except (OSError, ValueError):
                    rep = {"verdict": "no-report", "findings": [], "children": [], "type": "?"}
            got = codes(rep)
            errs = []
            if "internal.worker" in got:
                errs.append("worker failed: %s" % rep.get("error"))
            if rel not in expect:
                errs.append("no line in oletools.expect")
            else:
                verdicts, need = expect[rel]
                if rep["verdict"] not in verdicts:
                    errs.append("verdict %s not in %s" % (rep["verdict"], "|".join(verdicts)))
                for c in need:
                    if c not in got:
                        errs.append("missing %s" % c)
            line = "%-62s %-16s %-10s %s" % (rel, rep.get("type"), rep["verdict"], " ".join(sorted(set(got))))
            if errs:
                failed += 1
                print("FAIL " + line)
                for e in errs:
                    print("     " + e)
            else:
                passed += 1
                print("ok   " + line)
    for rel in sorted(set(expect) - seen):
        failed += 1
        print("FAIL %s: listed in oletools.expect but not in the corpus" % rel)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
