"""Checks every sanitized message must pass, whatever the input.

Shared by the mail corpus runner, the mime-is-broken oracle, the
Japanese round trip and the Postfix end-to-end test: one definition of
"a sanitized message" for all of them.
"""
import email
import email.policy
import re

ALLOWED = {"from", "to", "cc", "reply-to", "date", "subject", "message-id",
           "in-reply-to", "references", "mime-version", "content-type",
           "content-transfer-encoding", "x-sanso", "x-sanso-id"}
# Trace headers an MTA adds on the way are not ours to judge.
TRACE = {"received", "return-path", "delivered-to", "x-original-to"}
INLINE_MARKS = [re.compile(rb"^begin(-base64)? [0-7]{3,4} ", re.M),
                re.compile(rb"^=ybegin ", re.M),
                re.compile(rb"\(This file must be converted with BinHex")]


class Bad(Exception):
    pass


def parse(raw):
    return email.message_from_bytes(raw, policy=email.policy.default)


def check(raw, max_files=0, trace_ok=False):
    """Return (message, body_text, [(name, bytes)]) or raise Bad."""
    msg = parse(raw)
    for name in msg.keys():
        n = name.lower()
        if n not in ALLOWED and not (trace_ok and n in TRACE):
            raise Bad("header %s is not on the allow-list" % name)
    if "x-sanso" not in {k.lower() for k in msg.keys()}:
        raise Bad("no X-Sanso header")
    texts, files = [], []
    for part in msg.walk():
        if part.is_multipart():
            if part.get_content_type() != "multipart/mixed":
                raise Bad("unexpected %s" % part.get_content_type())
            continue
        ctype = part.get_content_type()
        if ctype == "text/plain" and part.get_filename() is None:
            texts.append(part.get_content())
        else:
            if part.get_content_disposition() != "attachment":
                raise Bad("non-text part %s is not an attachment" % ctype)
            files.append((part.get_filename(), part.get_payload(decode=True)))
    if len(texts) != 1:
        raise Bad("%d text parts, want 1" % len(texts))
    if len(files) > max_files:
        raise Bad("%d files attached, want at most %d" % (len(files), max_files))
    body = texts[0]
    for mark in INLINE_MARKS:
        if mark.search(body.encode("utf-8")):
            raise Bad("an inline-encoded block reached the body")
    return msg, body, files
