#!/usr/bin/env python3
"""Golden corpus for `sanso mail sanitize` (tests/corpus/mail).

Every NAME.eml runs through the CLI; NAME.expect lists what must hold
(exit, verdict, findings, decoded headers, body text, attachments,
charset; see tests/corpus/mail/README.md) and NAME.golden, when present,
is the exact expected rendering of the output (decoded headers and
body). Every output must also pass mailcheck.check(). With --update the
goldens are rewritten from the current output (review the diff!).

Samples over 200 KB are not kept in the repository: CORPUS_DIR/big/
holds only their .expect files, and the samples are generated into a
temporary folder with `tests/corpus/gen/mail.py --big` (policies still
come from CORPUS_DIR/policies).

usage: run_corpus.py SANSO CORPUS_DIR [--update]
"""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mailcheck  # noqa: E402

SHOWN = ["From", "To", "Cc", "Reply-To", "Date", "Subject", "Message-ID",
         "In-Reply-To", "References", "X-Sanso"]


def findings(node, out):
    for f in node.get("findings", []):
        out.add((f["code"], f["action"]))
    for c in node.get("children", []):
        findings(c, out)
    return out


def render(msg, body, files):
    lines = []
    for h in SHOWN:
        for v in msg.get_all(h, []):
            lines.append("%s: %s" % (h, v))
    lines.append("Content-Type: %s; charset=%s" % (
        msg.get_content_type(), [p for p in msg.walk()
                                 if p.get_content_type() == "text/plain"][0]
        .get_content_charset()))
    lines.append("")
    lines.append(body.rstrip("\n"))
    for name, data in files:
        lines.append("[file %s %d bytes]" % (name, len(data)))
    return "\n".join(lines) + "\n"


def run_one(sanso, corpus, eml, update):
    base = eml[:-4]
    if not os.path.exists(base + ".expect"):
        raise SystemExit("no expectations for %s" % eml)
    expect = []
    if os.path.exists(base + ".expect"):
        with open(base + ".expect", encoding="utf-8") as f:
            expect = [ln.rstrip("\n") for ln in f
                      if ln.strip() and not ln.startswith("#")]
    args = [sanso, "mail", "sanitize", "--quiet"]
    for ln in expect:
        if ln.startswith("policy "):
            args += ["--policy", os.path.join(corpus, "policies",
                                              ln.split(None, 1)[1])]
    with tempfile.TemporaryDirectory() as tmp:
        rep = os.path.join(tmp, "r.json")
        with open(eml, "rb") as f:
            p = subprocess.run(args + ["--report", rep], stdin=f,
                               capture_output=True, timeout=300)
        report = None
        if os.path.exists(rep):
            with open(rep) as f:
                report = json.load(f)
    errs = []
    want_exit = 0
    for ln in expect:
        if ln.startswith("exit "):
            want_exit = int(ln.split()[1])
    if p.returncode != want_exit:
        return ["exit %d, want %d: %s" % (p.returncode, want_exit,
                                          p.stderr.decode(errors="replace")[-300:])]
    if want_exit != 0:
        if p.stdout:
            errs.append("exit %d but a message was written" % want_exit)
        return errs
    max_files = 0
    for ln in expect:
        if ln.startswith("attachments "):
            max_files = int(ln.split()[1])
    try:
        msg, body, files = mailcheck.check(p.stdout, max_files=max_files)
    except mailcheck.Bad as e:
        return ["output: %s" % e]
    fset = findings(report, set()) if report else set()
    for ln in expect:
        key, _, val = ln.partition(" ")
        if key == "verdict" and (report is None or report["verdict"] != val):
            errs.append("verdict %s, want %s" % (report and report["verdict"], val))
        elif key == "finding":
            code, action = val.split()
            if (code, action) not in fset:
                errs.append("missing finding %s %s" % (code, action))
        elif key == "no-finding":
            if any(c == val for c, _ in fset):
                errs.append("unexpected finding %s" % val)
        elif key == "header":
            name, _, want = val.partition(": ")
            got = msg.get(name.rstrip(":"))
            if got is None or str(got) != want:
                errs.append("header %s is %r, want %r" % (name, got and str(got), want))
        elif key == "body-contains" and val not in body:
            errs.append("body lacks %r" % val)
        elif key == "body-not-contains" and val in body:
            errs.append("body has %r" % val)
        elif key == "attachments" and len(files) != int(val):
            errs.append("%d attachments, want %s" % (len(files), val))
        elif key == "charset":
            cs = [q for q in msg.walk() if q.get_content_type() == "text/plain"][0] \
                .get_content_charset()
            if cs != val:
                errs.append("charset %s, want %s" % (cs, val))
    golden = base + ".golden"
    text = render(msg, body, files)
    if update:
        with open(golden, "w", encoding="utf-8") as f:
            f.write(text)
    elif os.path.exists(golden):
        with open(golden, encoding="utf-8") as f:
            if f.read() != text:
                errs.append("output differs from %s (run with --update and "
                            "review the diff)" % os.path.basename(golden))
    return errs


def main():
    sanso, corpus = sys.argv[1], sys.argv[2]
    update = "--update" in sys.argv
    emls = sorted(os.path.join(d, f) for d, _, fs in os.walk(corpus)
                  for f in fs if f.endswith(".eml"))
    if not emls:
        print("no samples in %s" % corpus)
        return 1
    big = tempfile.TemporaryDirectory()
    if os.path.isdir(os.path.join(corpus, "big")):
        gen = os.path.join(os.path.dirname(os.path.abspath(corpus)), "gen",
                           "mail.py")
        subprocess.run([sys.executable, gen, "--big", big.name], check=True,
                       capture_output=True)
        emls += sorted(os.path.join(big.name, f)
                       for f in os.listdir(big.name) if f.endswith(".eml"))
    failed = 0
    for eml in emls:
        errs = run_one(sanso, corpus, eml, update)
        rel = os.path.basename(eml)
        if errs:
            failed += 1
            for e in errs:
                print("FAIL %s: %s" % (rel, e))
    print("%d samples, %d failed" % (len(emls), failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
