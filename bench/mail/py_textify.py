#!/usr/bin/env python3
"""The peer for bench/mail: a mail textifier in Python's stdlib `email`.

Usage: py_textify.py INDIR OUTDIR

Does in one process, for every *.eml in INDIR, the job `sanso mail
sanitize` does, the way a competent stdlib implementation would:
  * parse with email.policy.default;
  * keep From, To, Cc, Date, Subject, Message-ID, In-Reply-To,
    References and Reply-To, decoded (RFC 2047) and re-encoded;
  * decode the text parts with their charset (Shift_JIS read as CP932,
    ISO-2022-JP with NEC row 13 through a small CP50221 decoder, since
    Python has no codec for it; errors replaced); in
    multipart/alternative take text/plain, else the HTML;
  * turn HTML into text with html.parser: script, style, comments,
    head and display:none elements dropped, block elements become line
    breaks, list items and table cells keep a shape, links show their
    defanged target, images are dropped;
  * textify message/rfc822 parts recursively;
  * list every attachment (name, type, size, SHA-256) in a notice
    (Japanese, then English) and drop it;
  * write one text/plain UTF-8 message per input to OUTDIR, same name.
Prints "N in, N out, N failed" to stderr.
"""
import email
import email.header
import email.parser
import email.policy
import hashlib
import html
import html.parser
import os
import re
import sys
from email.message import EmailMessage

ALLOWED = ("From", "To", "Cc", "Date", "Subject", "Message-ID", "In-Reply-To", "References", "Reply-To")
ALIASES = {"shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932",
           "windows-31j": "cp932", "ms_kanji": "cp932", "cp932": "cp932", "euc-jp": "euc_jp",
           "x-euc-jp": "euc_jp", "ks_c_5601-1987": "cp949", "gb2312": "gbk", "us-ascii": "utf-8",
           "ascii": "utf-8", "iso-8859-1": "cp1252", "latin1": "cp1252"}
ESC_RE = re.compile(rb"\x1b(\$B|\$@|\(B|\(J|\(I)")


def jis_to_sjis(j1, j2):
    s1 = ((j1 + 1) >> 1) + (0x70 if j1 <= 0x5E else 0xB0)
    if j1 & 1:
        s2 = j2 + (0x1F if j2 <= 0x5F else 0x20)
    else:
        s2 = j2 + 0x7E
    return bytes((s1, s2))


def decode_iso2022jp_ms(data):
    """ISO-2022-JP as Outlook sends it (NEC row 13 and IBM extensions in
    JIS rows): map each JIS pair to CP932 and decode that."""
    out = []
    mode = b"(B"
    pos = 0
    for m in ESC_RE.finditer(data):
        out.append(_seg(data[pos:m.start()], mode))
        mode = m.group(1)
        pos = m.end()
    out.append(_seg(data[pos:], mode))
    return "".join(out)


def _seg(seg, mode):
    if mode in (b"$B", b"$@"):
        sj = bytearray()
        for i in range(0, len(seg) - 1, 2):
            a, b = seg[i], seg[i + 1]
            if 0x21 <= a <= 0x7E and 0x21 <= b <= 0x7E:
                sj += jis_to_sjis(a, b)
            else:
                sj += b"?"
        return sj.decode("cp932", "replace")
    if mode == b"(I":
        return bytes(c + 0x80 for c in seg).decode("cp932", "replace")
    return seg.decode("ascii", "replace")


def decode_text(data, charset):
    cs = (charset or "").strip().lower() or "utf-8"
    if cs in ("iso-2022-jp", "csiso2022jp", "iso-2022-jp-ms", "cp50220", "cp50221"):
        try:
            return data.decode("iso2022_jp")
        except UnicodeDecodeError:
            return decode_iso2022jp_ms(data)
    cs = ALIASES.get(cs, cs)
    try:
        return data.decode(cs, "replace")
    except LookupError:
        return data.decode("utf-8", "replace")


def defang(url):
    url = re.sub(r"^http", "hxxp", url.strip(), flags=re.I)
    m = re.match(r"^([a-z]+://)([^/?#]*)(.*)$", url, re.I | re.S)
    if m:
        return m.group(1) + m.group(2).replace(".", "[.]") + m.group(3)
    return url


class HTMLText(html.parser.HTMLParser):
    """HTML to readable text (see the module comment)."""
    BLOCK = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "section",
             "article", "header", "footer", "blockquote", "pre", "hr", "center", "form"}
    DROP = {"script", "style", "head", "title", "noscript", "template", "svg", "object", "iframe"}
    VOID = {"br", "img", "hr", "meta", "link", "input", "col", "area", "base", "wbr", "source"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = []
        self.skip = []      # tag names whose content is dropped, innermost last
        self.href = []
        self.cell = False

    def handle_starttag(self, tag, attrs):
        if self.skip:
            if tag not in self.VOID:
                self.skip.append(tag)
            return
        a = dict(attrs)
        style = (a.get("style") or "").replace(" ", "").lower()
        if tag in self.DROP or "hidden" in a or "display:none" in style or "visibility:hidden" in style:
            if tag not in self.VOID:
                self.skip.append(tag)
            return
        if tag in self.BLOCK:
            self.out.append("\n")
        elif tag == "li":
            self.out.append("\n・")
        elif tag == "tr":
            self.out.append("\n")
            self.cell = False
        elif tag in ("td", "th"):
            if self.cell:
                self.out.append(" | ")
            self.cell = True
        elif tag == "a":
            self.href.append(a.get("href") or "")

    def handle_endtag(self, tag):
        if self.skip:
            if tag == self.skip[-1]:
                self.skip.pop()
            elif tag in self.skip:
                while self.skip and self.skip.pop() != tag:
                    pass
            return
        if tag in self.BLOCK:
            self.out.append("\n")
        elif tag == "a" and self.href:
            h = self.href.pop()
            if h and not h.startswith(("#", "mailto:", "cid:")):
                self.out.append(" <%s>" % defang(h))
            elif h.startswith("mailto:"):
                self.out.append(" <%s>" % h)

    def handle_data(self, data):
        if not self.skip:
            self.out.append(re.sub(r"\s+", " ", data))

    def text(self):
        t = "".join(self.out)
        t = re.sub(r"[ \t]+\n", "\n", t)
        return re.sub(r"\n{3,}", "\n\n", t).strip() + "\n"


def html_to_text(s):
    p = HTMLText()
    p.feed(s)
    p.close()
    return p.text()


def part_text(part):
    data = part.get_payload(decode=True) or b""
    text = decode_text(data, part.get_content_charset())
    if part.get_content_subtype() == "html":
        text = html_to_text(text)
    return text


def is_attachment(part):
    if part.get_content_disposition() == "attachment" or part.get_filename():
        return True
    return part.get_content_maintype() not in ("text", "multipart", "message")


def walk(part, texts, atts, depth=0):
    """Collect body texts and attachments under part."""
    if depth > 50:
        texts.append("[too deeply nested]\n")
        return
    ctype = part.get_content_type()
    if part.is_multipart():
        subs = part.get_payload()
        if ctype == "multipart/alternative":
            plain = [s for s in subs if s.get_content_type() == "text/plain" and not is_attachment(s)]
            rich = [s for s in subs if s.get_content_type() == "text/html" and not is_attachment(s)]
            pick = plain[:1] or rich[:1]
            for s in subs:
                if s in pick:
                    texts.append(part_text(s))
                elif s.is_multipart() and not pick:
                    walk(s, texts, atts, depth + 1)
                elif is_attachment(s):
                    walk(s, texts, atts, depth + 1)
            return
        for s in subs:
            walk(s, texts, atts, depth + 1)
        return
    if ctype == "message/rfc822":
        inner = part.get_payload()
        inner = inner[0] if isinstance(inner, list) and inner else inner
        if isinstance(inner, email.message.Message):
            t, a = [], []
            walk(inner, t, a, depth + 1)
            hdr = "".join("%s: %s\n" % (h, safe_header(inner, h)) for h in ("From", "Date", "Subject")
                          if inner.get(h) is not None)
            texts.append("\n---------- 転送メッセージ / Forwarded message ----------\n" + hdr + "\n"
                         + "\n".join(t))
            atts.extend(a)
            return
    if is_attachment(part):
        data = part.get_payload(decode=True) or b""
        name = part.get_filename() or "(名前なし / no name)"
        if "=?" in name:  # RFC 2047 in a quoted parameter, as Outlook writes it
            name = decode_words(name)
        atts.append((name, ctype, len(data),
                     hashlib.sha256(data).hexdigest()))
        return
    if part.get_content_maintype() == "text":
        texts.append(part_text(part))


def safe_header(msg, name):
    """The header decoded. RFC 2047 words are decoded here rather than by
    the policy, which leaves a word it cannot decode (ISO-2022-JP with
    NEC row 13) as raw =?...?= text."""
    raw = None
    for k, v in msg.raw_items():
        if k.lower() == name.lower():
            raw = v
            break
    if raw is None:
        return ""
    return decode_words(re.sub(r"\r?\n[ \t]", " ", str(raw)))


def decode_words(raw):
    """RFC 2047 words in raw, each decoded with decode_text()."""
    try:
        chunks = email.header.decode_header(raw)
    except Exception:
        return raw
    out = []
    for data, cs in chunks:
        out.append(decode_text(data, cs) if isinstance(data, bytes) else data)
    return "".join(out)


def textify(msg):
    texts, atts = [], []
    walk(msg, texts, atts)
    body = "\n".join(t if t.endswith("\n") else t + "\n" for t in texts)
    if atts:
        body += "\n==== 添付ファイルは削除されました ====\n"
        for name, ctype, size, digest in atts:
            body += "・%s (%s, %d バイト)\n  SHA-256: %s\n" % (name, ctype, size, digest)
        body += "==== Attachments were removed ====\n"
        for name, ctype, size, digest in atts:
            body += "- %s (%s, %d bytes) SHA-256 %s\n" % (name, ctype, size, digest)
    out = EmailMessage()
    for h in ALLOWED:
        if msg.get(h) is None:
            continue
        try:
            out[h] = safe_header(msg, h)
        except Exception:
            pass
    out["X-Textified"] = "py_textify DEL_ATTACH=%d" % len(atts)
    out.set_content(body, charset="utf-8")
    return out.as_bytes(policy=email.policy.default)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.split("\n\n")[1])
    src, dst = sys.argv[1], sys.argv[2]
    os.makedirs(dst, exist_ok=True)
    n_in = n_out = failed = 0
    parser = email.parser.BytesParser(policy=email.policy.default)
    for name in sorted(os.listdir(src)):
        if not name.endswith(".eml"):
            continue
        n_in += 1
        try:
            with open(os.path.join(src, name), "rb") as f:
                msg = parser.parse(f)
            data = textify(msg)
        except Exception as e:  # a failed mail is counted, the batch goes on
            failed += 1
            print("py_textify: %s: %s" % (name, e), file=sys.stderr)
            continue
        with open(os.path.join(dst, name), "wb") as f:
            f.write(data)
        n_out += 1
    print("py_textify: %d in, %d out, %d failed" % (n_in, n_out, failed), file=sys.stderr)


if __name__ == "__main__":
    main()
