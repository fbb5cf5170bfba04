#!/usr/bin/env python3
"""The mime-is-broken oracle (shared corpus, hide-filename).

Each mail hides its attachment's real name with a MIME trick and says
in X-Payload-Id the md5 of the hidden attachment's content. After
`sanso mail sanitize`:
  - the output is a sanitized message (mailcheck.check);
  - no part of it, however a client parses it, decodes to content with
    that md5 (attachments are removed by default, so none may remain);
  - the notice names the file the sender meant to send (file.zip).
Skips (77) without the shared corpus.

usage: mime_is_broken.py SANSO
"""
import base64
import email
import email.policy
import hashlib
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mailcheck  # noqa: E402


def all_decodings(raw):
    """Every payload any reading of raw could give: the stdlib parse
    (default and compat32 policies) and every base64 run in the text."""
    out = []
    for pol in (email.policy.default, email.policy.compat32):
        for part in email.message_from_bytes(raw, policy=pol).walk():
            if not part.is_multipart():
                data = part.get_payload(decode=True)
                if data:
                    out.append(data)
    for blk in re.findall(rb"(?:[A-Za-z0-9+/=]{8,}\r?\n?)+", raw):
        try:
            out.append(base64.b64decode(re.sub(rb"\s", b"", blk) + b"==="))
        except Exception:
            pass
    return out


def main():
    sanso = sys.argv[1]
    root = os.environ.get("SANSO_SHARED_CORPUS", "")
    folder = os.path.join(root, "mime-is-broken", "hide-filename")
    if not root or not os.path.isdir(folder):
        print("SKIP: shared corpus (mime-is-broken) not found")
        return 77
    failed = named = 0
    files = sorted(os.listdir(folder))
    for name in files:
        raw = open(os.path.join(folder, name), "rb").read()
        m = re.search(rb"md5\(([A-Za-z0-9+/]+)\)", raw)
        md5 = base64.b64decode(m.group(1) + b"==")
        p = subprocess.run([sanso, "mail", "sanitize", "--quiet"], input=raw,
                           capture_output=True, timeout=120)
        if p.returncode != 0:
            print("FAIL %s: exit %d %s" % (name, p.returncode, p.stderr[-200:]))
            failed += 1
            continue
        try:
            _, body, _ = mailcheck.check(p.stdout)
        except mailcheck.Bad as e:
            print("FAIL %s: %s" % (name, e))
            failed += 1
            continue
        if any(hashlib.md5(d).digest() == md5 for d in all_decodings(p.stdout)):
            print("FAIL %s: the hidden attachment reached the output" % name)
            failed += 1
            continue
        if "file.zip" in body:
            named += 1
        else:
            print("NOTE %s: notice does not name file.zip" % name)
    print("%d mails, %d failed, notice named file.zip in %d" %
          (len(files), failed, named))
    # A few mails mean another name (file.png, or file;.zip where the ';'
    # belongs to the name): those are NOTEd above. Fewer than 90% named
    # means the lax readings of names regressed.
    if named * 10 < len(files) * 9:
        print("FAIL: file.zip named in only %d of %d" % (named, len(files)))
        failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
