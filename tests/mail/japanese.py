#!/usr/bin/env python3
"""The shared corpus's Japanese text in ISO-2022-JP, Shift_JIS and UTF-8,
each sent as a mail labelled with its charset (and once unlabelled):
every output body must hold exactly the same text, with no U+FFFD and
no charset.invalid finding. Skips (77) without the shared corpus.

usage: japanese.py SANSO
"""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mailcheck  # noqa: E402

FILES = [("gmime-japanese.iso-2022-jp.txt", "iso-2022-jp"),
         ("gmime-japanese.shift-jis.txt", "shift_jis"),
         ("gmime-japanese.utf-8.txt", "utf-8")]


def sanitize(sanso, raw):
    with tempfile.TemporaryDirectory() as tmp:
        rep = os.path.join(tmp, "r.json")
        p = subprocess.run([sanso, "mail", "sanitize", "--quiet", "--report",
                            rep], input=raw, capture_output=True, timeout=60)
        if p.returncode != 0:
            raise mailcheck.Bad("exit %d" % p.returncode)
        with open(rep) as f:
            report = json.load(f)
    _, body, _ = mailcheck.check(p.stdout)
    return body, report


def main():
    sanso = sys.argv[1]
    root = os.environ.get("SANSO_SHARED_CORPUS", "")
    folder = os.path.join(root, "japanese")
    if not root or not os.path.isdir(folder):
        print("SKIP: shared corpus (japanese) not found")
        return 77
    want = open(os.path.join(folder, FILES[2][0]), encoding="utf-8").read()
    want = want.replace("\r\n", "\n").strip()
    failed = 0
    for fname, cs in FILES:
        data = open(os.path.join(folder, fname), "rb").read()
        for label in (cs, None):
            head = b"From: a@example.jp\nTo: b@example.jp\nSubject: ja\n" \
                b"MIME-Version: 1.0\n"
            head += (b"Content-Type: text/plain; charset=" + label.encode()
                     if label else b"Content-Type: text/plain") + b"\n\n"
            try:
                body, report = sanitize(sanso, head + data)
            except mailcheck.Bad as e:
                print("FAIL %s (%s): %s" % (fname, label, e))
                failed += 1
                continue
            got = body.replace("\r\n", "\n").strip()
            codes = {f["code"] for f in report.get("findings", [])}
            if want not in got or "\ufffd" in got or "charset.invalid" in codes:
                print("FAIL %s labelled %s: text differs" % (fname, label))
                failed += 1
    print("%d cases, %d failed" % (len(FILES) * 2, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
