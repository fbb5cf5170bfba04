#!/usr/bin/env python3
"""Golden corpus for `sanso mail check-outbound` (tests/corpus/outbound).

Every NAME.eml runs through the CLI with the policy its NAME.expect
names; the expectations (see tests/corpus/gen/outbound.py) say the exit
status (0 pass, 65 reject, 4 hold), the verdict and findings of the
--report JSON, the decoded output headers and whether the body came
through byte for byte. On 65 and 4 nothing may be written to stdout and
stderr must give the reason in Japanese and in English; on 0 the output
must be the input itself (clean) or the input with only To/Cc/Bcc
changed (sanitized).

usage: run_outbound.py SANSO CORPUS_DIR
"""
import email
import email.policy
import json
import os
import re
import subprocess
import sys
import tempfile

ADDRESS_FIELDS = ("to", "cc", "bcc")


def findings(node, out):
    for f in node.get("findings", []):
        out.add((f["code"], f["action"]))
    for c in node.get("children", []):
        findings(c, out)
    return out


def split(raw):
    """(header fields as (lower name, raw bytes), body from the empty
    line on) of a message, CRLF or LF."""
    m = re.search(rb"\r?\n\r?\n", raw)
    head, body = (raw[:m.start()], raw[m.start():]) if m else (raw, b"")
    fields = []
    for line in re.split(rb"(?<=\n)", head):
        if not line:
            continue
        if line[:1] in (b" ", b"\t") and fields:
            fields[-1] = (fields[-1][0], fields[-1][1] + line)
        else:
            fields.append((line.split(b":", 1)[0].strip().lower().decode(
                "ascii", "replace"), line))
    return fields, body


def bilingual(text):
    """Japanese (kana or kanji) and an English sentence."""
    return re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", text) is not None and \
        re.search(r"[A-Za-z]{3,} [a-z]{2,} [a-z]{2,}", text) is not None


def run_one(sanso, corpus, eml):
    base = eml[:-4]
    expect = []
    if os.path.exists(base + ".expect"):
        with open(base + ".expect", encoding="utf-8") as f:
            expect = [ln.rstrip("\n") for ln in f
                      if ln.strip() and not ln.startswith("#")]
    args = [sanso, "mail", "check-outbound", "--quiet"]
    for ln in expect:
        if ln.startswith("policy "):
            args += ["--policy", os.path.join(corpus, "policies",
                                              ln.split(None, 1)[1])]
    with open(eml, "rb") as f:
        raw = f.read()
    with tempfile.TemporaryDirectory() as tmp:
        rep = os.path.join(tmp, "r.json")
        p = subprocess.run(args + ["--report", rep], input=raw,
                           capture_output=True, timeout=300)
        report = None
        if os.path.exists(rep):
            with open(rep) as f:
                report = json.load(f)
    stderr = p.stderr.decode("utf-8", "replace")
    want_exit = 0
    for ln in expect:
        if ln.startswith("exit "):
            want_exit = int(ln.split()[1])
    if p.returncode != want_exit:
        return ["exit %d, want %d: %s" % (p.returncode, want_exit,
                                          stderr[-400:])]
    errs = []
    if want_exit != 0:
        if p.stdout:
            errs.append("exit %d but a message was written" % want_exit)
        if not bilingual(stderr):
            errs.append("stderr lacks a Japanese and English reason: %r"
                        % stderr[-300:])
    fset = findings(report, set()) if report else set()
    verdict = report and report.get("verdict")
    msg = None
    if want_exit == 0:
        msg = email.message_from_bytes(p.stdout, policy=email.policy.default)
        fin, bin_ = split(raw)
        fout, bout = split(p.stdout)
        if verdict == "clean" and p.stdout != raw:
            errs.append("clean, but the output differs from the input")
        # Only the address fields may change, and nothing else moves.
        keep_in = [f for f in fin if f[0] not in ADDRESS_FIELDS]
        keep_out = [f for f in fout if f[0] not in ADDRESS_FIELDS]
        if keep_in != keep_out:
            errs.append("header fields other than To/Cc/Bcc changed")
        if bin_ != bout:
            errs.append("the body changed")
    for ln in expect:
        key, _, val = ln.partition(" ")
        if key == "verdict" and verdict != val:
            errs.append("verdict %s, want %s" % (verdict, val))
        elif key == "finding":
            code, action = val.split()
            if (code, action) not in fset:
                errs.append("missing finding %s %s (have %s)" % (
                    code, action, sorted(fset)))
        elif key == "no-finding":
            if any(c == val for c, _ in fset):
                errs.append("unexpected finding %s" % val)
        elif key == "header" and msg is not None:
            name, _, want = val.partition(": ")
            got = msg.get(name.rstrip(":"))
            if got is None or str(got) != want:
                errs.append("header %s is %r, want %r" % (
                    name, got and str(got), want))
        elif key == "no-header" and msg is not None:
            if msg.get(val) is not None:
                errs.append("unexpected header %s" % val)
        elif key == "same-body" and msg is not None:
            if split(raw)[1] != split(p.stdout)[1]:
                errs.append("the body is not byte-identical")
    return errs


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    sanso, corpus = sys.argv[1], sys.argv[2]
    emls = sorted(os.path.join(corpus, f) for f in os.listdir(corpus)
                  if f.endswith(".eml"))
    if not emls:
        print("no samples in %s" % corpus)
        return 1
    failed = 0
    for eml in emls:
        errs = run_one(sanso, corpus, eml)
        if errs:
            failed += 1
            for e in errs:
                print("FAIL %s: %s" % (os.path.basename(eml), e))
    print("%d samples, %d failed" % (len(emls), failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
