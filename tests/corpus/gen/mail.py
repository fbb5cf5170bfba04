#!/usr/bin/env python3
"""Write the inbound mail corpus of tests/corpus/mail/ (sanso mail sanitize).

Usage:
  mail.py [OUTDIR]        small samples, their .expect files, the policies
                          and the .expect files of the big samples
                          (default OUTDIR: tests/corpus/mail)
  mail.py --big OUTDIR    the big samples (over 200 KB, never committed)
                          with a copy of their .expect files

Standard library only (plus the openssl CLI for the two samples that
carry a real CMS signature). The output is byte for byte reproducible:
fixed dates, fixed zip timestamps, payloads derived from counters, and a
throwaway RSA key embedded below so that the signatures do not change
(`openssl cms -sign -noattr` signs no time, and PKCS#1 v1.5 signing is
deterministic). Every payload is inert: text, counters, a DOS stub that
only names itself, a VBA project that is not one.

Each NAME.eml has NAME.expect, one assertion a line ('#' comments):
  exit 0|65|75
  policy FILE.yaml          run with --policy policies/FILE.yaml
  verdict clean|sanitized|held|error      (of the whole message)
  finding CODE ACTION       among the findings, any depth of the report
  no-finding CODE
  header NAME: VALUE        decoded output header equals VALUE
  body-contains TEXT        decoded text body contains TEXT (UTF-8)
  body-not-contains TEXT
  attachments N             files attached to the output message
  charset CS                charset of the output text part
The expectations say what a correct gateway must do (what a mail client
would show, what must never reach it), not what one build happens to do.
"""

import base64
import binascii
import hashlib
import io
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.normpath(os.path.join(HERE, "..", "mail"))

DATE = "Mon, 01 Apr 2024 09:00:00 +0900"
ZIP_DT = (2024, 4, 1, 9, 0, 0)
TO = "user@city.example.lg.jp"

# A throwaway signer made once with
#   openssl req -x509 -newkey rsa:2048 -nodes -days 7300
#     -subj "/CN=sanso corpus throwaway signer/emailAddress=signer@example.jp"
# Embedded (rather than made on each run) so the corpus is reproducible.
# It signs nothing but these samples.
SIGNER_KEY = """-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC5o7fIR4geVNxe
wNMeS3z7Q/CGOXx/9sEyMb6ipTPHW7KBIoZXArXEdyTUwIQy+MZcuQ0pqHVYw3Cz
teNTFVwgSHEiNwx4d8vueCEmH564c9sNVP0idKwJiFHSJdMYxzRDUsZkXWuhnDTh
qCQSWOgtG7L7dppiqIPHD0k1NFqUthNevCVyieTAUixrOjJn8bHqkWqKN57UrqmZ
qvFimv1q67d8PAEN62330K17L2QNCNlHu0jQEBQKNpaRQY57X0nOQkNry1YhNijh
7KzGizioowZd3+8ztCzr82QPzAbNP452EFe99IZuIxdZ5Z4f0yD/qrmzCI6u/Soa
HW7XiKERAgMBAAECggEAMM1+ijNr8HVkvbA5kDRONgwlVlQUi9uF7LkxIbcGhrlv
kw1NfeBjgrPDxf6agn/uPgAUGsiDmQNARK5jhbsOzhndTB5ms+Diht2j8U7MvjcO
9lFKft1nQNZKlFGHTnNIJQ7EwyvgGMtlB5HZcc1XtEwc4IjMi3U7t4AoQclyqrdE
J49HXN+pb8CTAwJ2meS9iocEuxKuC/sBcHPBcu0J37Ed1SOFH7hcY59lrJ7kDCY1
QX1Et6QfnkWf46FUbpZESutd6PFT2MBzsbRF4c4WRt+dLBhbii51XF1xrJ/bRAWc
xNeFR1SBbWg5SbxJ3Sdy2UjJLo5cxrnEpH36JQhrlQKBgQDrhbMh1OdsVnwXR8wW
GMAVtkiE4yHfpwKbh+IBfl2WfcBHylfp4n7Zeff8I+I+COoYtQbFuBUu+MBlOmn6
DDoltBZo2Yq7GsCMuZaVSi4YWBhs++tK+2DeSO+hxmx9wwtpG0TXZ3UnXi6QqUX7
SOHoS2/VhjVfVscA4tQPYjvMFwKBgQDJx7fqqnFEycsbA4WBAFGjlcOgN32Ayro5
UPYI293/XZNdajjt+lLq4VBFWRN1DHtUoRw49xIKbo//9cgzPq46mHIBDPdx0irV
pLf8nsMVz2Q38Z3A39eSLAtSR+yLs4y8hR97ELWnVhBFlHFm4NkuHR9wv3UBeXyl
IiX8JIjtFwKBgBbH2NrF4BiPiPMrg6cDf9jZx8vquEUMv2jRzN9+HIlI4odPIA/E
U6avcHgX9HMxo4r+P4hyVMI1V06zRrrj4d/xulUr7YpJfSRfcxw/j5PVOY+ZElov
VGBLx7nrGmVTr0/cTl1TaXaEWpateNJka01vtoJ9t73gA+GnDwHp64TDAoGBAIzA
Ls+XcwlrxayjSTYSFeCJMHuLGZWEVGB01Bqb3AAsswXfebSu/7Xt00N8fjEQstr2
wywNVF1IgFQoiy0L1Rb0jdmjxNt1ogGDNAAYcra9AwhvFv6aZdIFvSP5HczZQxuh
tLLwlfYS96jBglUkFPqwv+Sy+Jg9uS+rYVm/1m+jAoGAPXnKu+gGPKscBD/az+HB
95Wkd3CyLoJrvkVYIWC1Fsvy29fCr8Hn0CD0brUt2DHOJh70VFOQiS93QiP/ebce
CEjbjWW97YrnwbJZQgeX1HbrKTcmwW3VOsj383xndu4MolM9PpUQMnHa2Q7foFQw
hCSoeXJcuqdc5E4E1NXgZPM=
-----END PRIVATE KEY-----
"""
SIGNER_CERT = """-----BEGIN CERTIFICATE-----
MIIDkzCCAnugAwIBAgIUYdjt9PmwcKly+49kUMeL/mFmNcIwDQYJKoZIhvcNAQEL
BQAwSjEmMCQGA1UEAwwdc2Fuc28gY29ycHVzIHRocm93YXdheSBzaWduZXIxIDAe
BgkqhkiG9w0BCQEWEXNpZ25lckBleGFtcGxlLmpwMB4XDTI2MTEyMjEyMDEyOVoX
DTQ2MTExNzEyMDEyOVowSjEmMCQGA1UEAwwdc2Fuc28gY29ycHVzIHRocm93YXdh
eSBzaWduZXIxIDAeBgkqhkiG9w0BCQEWEXNpZ25lckBleGFtcGxlLmpwMIIBIjAN
BgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAuaO3yEeIHlTcXsDTHkt8+0Pwhjl8
f/bBMjG+oqUzx1uygSKGVwK1xHck1MCEMvjGXLkNKah1WMNws7XjUxVcIEhxIjcM
eHfL7nghJh+euHPbDVT9InSsCYhR0iXTGMc0Q1LGZF1roZw04agkEljoLRuy+3aa
YqiDxw9JNTRalLYTXrwlconkwFIsazoyZ/Gx6pFqijee1K6pmarxYpr9auu3fDwB
Dett99Ctey9kDQjZR7tI0BAUCjaWkUGOe19JzkJDa8tWITYo4eysxos4qKMGXd/v
M7Qs6/NkD8wGzT+OdhBXvfSGbiMXWeWeH9Mg/6q5swiOrv0qGh1u14ihEQIDAQAB
o3EwbzAdBgNVHQ4EFgQUtFVvJaIK0aLCXrNcvGJ1EmUHHVgwHwYDVR0jBBgwFoAU
tFVvJaIK0aLCXrNcvGJ1EmUHHVgwDwYDVR0TAQH/BAUwAwEB/zAcBgNVHREEFTAT
gRFzaWduZXJAZXhhbXBsZS5qcDANBgkqhkiG9w0BAQsFAAOCAQEALDeKaD2cusCr
zfIdlW50CpLyGuHFyNf61q2wBqh45lUBrGPzej5wpKJhsu3hNKdB1SCoPGjxvAgy
AB8rRrCdtUD9lchRwwWUnD7r07+9C+WB4KBkYZvR4bUoC0Vq5ax5YGcqsJpu5B9a
DEk+2llHEgJBhjx2Vi0dT0dk5OpGkIfe1LI2MCP688jwUkxtnfXW5aVCpCzJSFRu
icr4MhJsLlQLZ5OdhR43UEBPEtwI+8EeDfOXzHJWYujU3lpSHhQ17zO5lzsvUjUu
oENLRJbD7TwkpTNMVlZ7jMmOHCuaMOb7nbqZymXIdFfGt7E3Y1YUJkBuQPle4fKX
28u3bBMbZQ==
-----END CERTIFICATE-----
"""

POLICIES = {
    "attachments-sanitize.yaml":
        "# Attachments go through the file engine and come back when\n"
        "# clean or sanitized.\norganization: corpus\nmail:\n"
        "  attachments: sanitize\n",
    "links-keep.yaml":
        "organization: corpus\nmail:\n  links: keep\n",
    "links-remove.yaml":
        "organization: corpus\nmail:\n  links: remove\n",
    "output-iso2022jp.yaml":
        "# Text delivered as ISO-2022-JP when every character fits,\n"
        "# else UTF-8.\norganization: corpus\nmail:\n"
        "  output_charset: iso-2022-jp\n",
    "max-size-10kb.yaml":
        "organization: corpus\nmail:\n  max_size: 10KB\n",
    "max-size-1mb.yaml":
        "organization: corpus\nmail:\n  max_size: 1MB\n",
    "line-length-1kb.yaml":
        "organization: corpus\nlimits:\n  line_length: 1KB\n",
    "line-length-1mb.yaml":
        "organization: corpus\nlimits:\n  line_length: 1MB\n",
}


# ------------------------------------------------------------ helpers

def sha(data):
    return hashlib.sha256(data).hexdigest()


def prng(n, salt):
    """n deterministic pseudo-random bytes."""
    out = bytearray()
    i = 0
    while len(out) < n:
        out += hashlib.sha256(b"%s:%d" % (salt.encode(), i)).digest()
        i += 1
    return bytes(out[:n])


def b64lines(data, width=76):
    s = base64.b64encode(data)
    return b"\n".join(s[i:i + width] for i in range(0, len(s), width))


def bword(charset, data):
    if isinstance(data, str):
        data = data.encode(charset)
    return "=?%s?B?%s?=" % (charset, base64.b64encode(data).decode())


def qword(charset, data):
    if isinstance(data, str):
        data = data.encode(charset)
    out = []
    for b in data:
        c = chr(b)
        if c.isalnum() and b < 0x80:
            out.append(c)
        elif c == " ":
            out.append("_")
        else:
            out.append("=%02X" % b)
    return "=?%s?Q?%s?=" % (charset, "".join(out))


def qp(data):
    """Quoted-printable body (soft breaks at 76)."""
    return binascii.b2a_qp(data)


def sjis_pair_to_jis(s1, s2):
    """A CP932 lead/trail pair as JIS X 0208 row/cell bytes (rows 1-94
    only; NEC row 13 lands on 0x2D)."""
    base = (s1 - 0x81) * 2 if s1 <= 0x9F else (s1 - 0xC1) * 2
    off = s2 - 0x40 if s2 < 0x7F else s2 - 0x41
    if off < 94:
        ku, ten = base + 1, off + 1
    else:
        ku, ten = base + 2, off - 94 + 1
    if not (1 <= ku <= 94 and 1 <= ten <= 94):
        raise ValueError("outside JIS X 0208 rows: %02x%02x" % (s1, s2))
    return bytes((ku + 0x20, ten + 0x20))


def iso2022jp_ms(text):
    """text -> ISO-2022-JP as Outlook writes it (CP50221): the CP932
    double-byte set (NEC row 13 included) under ESC $ B, half-width
    katakana under ESC ( I. Python's iso2022_jp codec refuses ①, so the
    bytes are built by hand from CP932. Each line ends in ASCII."""
    out = bytearray()
    for li, line in enumerate(text.split("\n")):
        if li:
            out += b"\n"
        mode = "ascii"
        for ch in line:
            b = ch.encode("cp932")
            if len(b) == 2:
                if mode != "jis":
                    out += b"\x1b$B"
                    mode = "jis"
                out += sjis_pair_to_jis(b[0], b[1])
            elif 0xA1 <= b[0] <= 0xDF:
                if mode != "kana":
                    out += b"\x1b(I"
                    mode = "kana"
                out.append(b[0] - 0x80)
            else:
                if mode != "ascii":
                    out += b"\x1b(B"
                    mode = "ascii"
                out += b
        if mode != "ascii":
            out += b"\x1b(B"
    return bytes(out)


def zip_bytes(members, compress=zipfile.ZIP_STORED):
    bio = io.BytesIO()
    with zipfile.ZipFile(bio, "w") as z:
        for name, data in members:
            if isinstance(data, str):
                data = data.encode("utf-8")
            zi = zipfile.ZipInfo(name, ZIP_DT)
            zi.compress_type = compress
            zi.create_system = 0
            z.writestr(zi, data)
    return bio.getvalue()


def marker_zip(tag):
    """A small stored zip whose member text is ZIPMEMBER-tag: if that
    string shows in a delivered body, the zip was delivered as text."""
    return zip_bytes([("readme-%s.txt" % tag,
                       "ZIPMEMBER-%s inert corpus payload\n" % tag)])


def png_bytes(w=2, h=2):
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + \
            struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
    raw = b"".join(b"\0" + b"".join(bytes(((x * 97) & 255, (y * 57) & 255, 160))
                                     for x in range(w)) for y in range(h))
    return (b"\x89PNG\r\n\x1a\n" +
            chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def exe_bytes():
    """A DOS/PE header that does nothing: 'MZ', e_lfanew, 'PE\\0\\0'."""
    b = bytearray(512)
    b[0:2] = b"MZ"
    b[2:4] = b"\x90\x00"
    b[0x3C:0x40] = struct.pack("<I", 0x80)
    stub = b"This program cannot be run in DOS mode.\r\r\n$"
    b[0x4E:0x4E + len(stub)] = stub
    b[0x80:0x84] = b"PE\0\0"
    b[0x84:0x86] = struct.pack("<H", 0x14C)	# i386
    b[0x86:0x88] = struct.pack("<H", 0)
    b[0x94:0x96] = struct.pack("<H", 0xE0)	# optional header size
    b[0x96:0x98] = struct.pack("<H", 0x0102)
    b[0x98:0x9A] = b"\x0b\x01"		# PE32 magic
    return bytes(b)


CT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def docm_bytes():
    """A macro-enabled Word document: [Content_Types].xml declares
    macroEnabled, word/vbaProject.bin is an OLE header and a VBA
    attribute line (not a working project)."""
    ct = (XML_DECL + '<Types xmlns="%s">'
          '<Default Extension="rels" ContentType="application/'
          'vnd.openxmlformats-package.relationships+xml"/>'
          '<Default Extension="xml" ContentType="application/xml"/>'
          '<Default Extension="bin" ContentType="application/'
          'vnd.ms-office.vbaProject"/>'
          '<Override PartName="/word/document.xml" ContentType="application/'
          'vnd.ms-word.document.macroEnabled.main+xml"/>'
          '</Types>' % CT_TYPES)
    rels = (XML_DECL + '<Relationships xmlns="%s">'
            '<Relationship Id="rId1" Type="%sofficeDocument" '
            'Target="word/document.xml"/></Relationships>' % (REL_NS, RT))
    drels = (XML_DECL + '<Relationships xmlns="%s">'
             '<Relationship Id="rId1" Type="http://schemas.microsoft.com/'
             'office/2006/relationships/vbaProject" '
             'Target="vbaProject.bin"/></Relationships>' % REL_NS)
    doc = (XML_DECL + '<w:document xmlns:w="http://schemas.openxmlformats.org/'
           'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>'
           '請求書 2024年4月分</w:t></w:r></w:p><w:sectPr/></w:body>'
           '</w:document>')
    vba = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 +
           b"Attribute VB_Name = \"ThisDocument\"\r\nSub AutoOpen()\r\nEnd Sub\r\n")
    return zip_bytes([("[Content_Types].xml", ct), ("_rels/.rels", rels),
                      ("word/document.xml", doc),
                      ("word/_rels/document.xml.rels", drels),
                      ("word/vbaProject.bin", vba)], zipfile.ZIP_DEFLATED)


def pdf_bytes():
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"]
    out = bytearray(b"%PDF-1.4\n")
    offs = []
    for i, o in enumerate(objs):
        offs.append(len(out))
        out += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for o in offs:
        out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objs) + 1, xref)
    return bytes(out)


def uuencode(name, data):
    lines = [b"begin 644 " + name.encode()]
    for i in range(0, len(data), 45):
        lines.append(binascii.b2a_uu(data[i:i + 45]).rstrip(b"\n"))
    lines += [b"`", b"end"]
    return b"\n".join(lines)


def yencode(name, data, width=128):
    enc = bytearray()
    col = 0
    lines = []
    for b in data:
        c = (b + 42) & 0xFF
        if c in (0, 9, 10, 13, 32, 46, 61):
            piece = bytes((61, (c + 64) & 0xFF))
        else:
            piece = bytes((c,))
        enc += piece
        col += len(piece)
        if col >= width:
            lines.append(bytes(enc))
            enc = bytearray()
            col = 0
    if enc:
        lines.append(bytes(enc))
    head = b"=ybegin line=%d size=%d name=%s" % (width, len(data), name.encode())
    tail = b"=yend size=%d crc32=%08x" % (len(data), zlib.crc32(data) & 0xFFFFFFFF)
    return b"\n".join([head] + lines + [tail])


HQX = (b"!\"#$%&'()*+,-012345689@ABCDEFGHIJKLMNPQRSTUVXYZ[`abcdefhijklmpqr")


def binhex(name, data):
    def crc(b):
        return binascii.crc_hqx(b, 0)
    n = name.encode()
    hdr = bytes((len(n),)) + n + b"\0" + b"TEXTttxt" + b"\0\0" + \
        struct.pack(">II", len(data), 0)
    stream = hdr + struct.pack(">H", crc(hdr)) + data + \
        struct.pack(">H", crc(data)) + struct.pack(">H", crc(b""))
    rle = stream.replace(b"\x90", b"\x90\x00")	# no runs: literal only
    chars, acc, nbits = bytearray(), 0, 0
    for b in rle:
        acc = (acc << 8) | b
        nbits += 8
        while nbits >= 6:
            nbits -= 6
            chars.append(HQX[(acc >> nbits) & 63])
    if nbits:
        chars.append(HQX[(acc << (6 - nbits)) & 63])
    body = b":" + bytes(chars) + b":"
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    return b"\n".join([b"(This file must be converted with BinHex 4.0)", b""] + lines)


def tnef_bytes(title, data):
    def attr(level, aid, d):
        return bytes((level,)) + struct.pack("<II", aid, len(d)) + d + \
            struct.pack("<H", sum(d) & 0xFFFF)
    s = struct.pack("<IH", 0x223E9F78, 0x4D2)
    s += attr(1, 0x00089006, struct.pack("<I", 0x00010000))	# attTnefVersion
    s += attr(1, 0x00069007, struct.pack("<II", 932, 0))		# attOemCodepage
    s += attr(1, 0x00078008, b"IPM.Microsoft Mail.Note\0")	# attMessageClass
    rend = struct.pack("<HIHHI", 1, 0xFFFFFFFF, 0x20, 0x20, 0)
    s += attr(2, 0x00069002, rend)				# attAttachRendData
    s += attr(2, 0x00018010, title.encode() + b"\0")		# attAttachTitle
    s += attr(2, 0x0006800F, data)				# attAttachData
    return s


def der(tag, content):
    n = len(content)
    if n < 0x80:
        ln = bytes((n,))
    elif n < 0x100:
        ln = b"\x81" + bytes((n,))
    else:
        ln = b"\x82" + struct.pack(">H", n)
    return bytes((tag,)) + ln + content


def oid(dotted):
    parts = [int(x) for x in dotted.split(".")]
    out = bytearray((parts[0] * 40 + parts[1],))
    for p in parts[2:]:
        enc = [p & 0x7F]
        p >>= 7
        while p:
            enc.append(0x80 | (p & 0x7F))
            p >>= 7
        out += bytes(reversed(enc))
    return der(0x06, bytes(out))


def enveloped_der():
    """A CMS EnvelopedData shaped like openssl's (RSA key transport,
    AES-128-CBC); the 'encrypted' bytes are counters. The gateway must
    hold it from its type, never try to read it as text."""
    rid = der(0x30, der(0x30, b"") + der(0x02, b"\x01"))
    ktri = der(0x30, der(0x02, b"\x00") + rid +
               der(0x30, oid("1.2.840.113549.1.1.1") + b"\x05\x00") +
               der(0x04, prng(256, "ktri")))
    eci = der(0x30, oid("1.2.840.113549.1.7.1") +
              der(0x30, oid("2.16.840.1.101.3.4.1.2") + der(0x04, prng(16, "iv"))) +
              der(0x80, prng(96, "ciphertext")))
    env = der(0x30, der(0x02, b"\x00") + der(0x31, ktri) + eci)
    return der(0x30, oid("1.2.840.113549.1.7.3") + der(0xA0, env))


def cms_sign(content, detached):
    """Sign content with the embedded throwaway key (DER). None when the
    openssl CLI is missing."""
    if shutil.which("openssl") is None:
        return None
    d = tempfile.mkdtemp(prefix="sanso-mailcorpus-")
    try:
        for fn, text in (("key.pem", SIGNER_KEY), ("cert.pem", SIGNER_CERT)):
            with open(os.path.join(d, fn), "w") as f:
                f.write(text)
        with open(os.path.join(d, "in"), "wb") as f:
            f.write(content)
        cmd = ["openssl", "cms", "-sign", "-binary", "-noattr", "-outform",
               "DER", "-in", os.path.join(d, "in"), "-signer",
               os.path.join(d, "cert.pem"), "-inkey",
               os.path.join(d, "key.pem"), "-out", os.path.join(d, "out")]
        if not detached:
            cmd.insert(3, "-nodetach")
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        with open(os.path.join(d, "out"), "rb") as f:
            return f.read()
    finally:
        shutil.rmtree(d)


# ------------------------------------------------------------ messages

def B(s):
    return s if isinstance(s, bytes) else s.encode("utf-8")


def message(name, body, ctype=None, subject=None, frm=None, extra=(),
            cte=None, mime=True, nl=b"\n"):
    """Headers then body. body is bytes with LF line ends; nl converts
    every line end (also the headers') at the end."""
    h = []
    h.append(b"From: " + B(frm or "Corpus Sender <sender@example.jp>"))
    h.append(b"To: " + B(TO))
    h.append(b"Subject: " + B(subject if subject is not None else name))
    h.append(b"Date: " + B(DATE))
    h.append(b"Message-ID: <" + B(name) + b"@corpus.example>")
    if mime:
        h.append(b"MIME-Version: 1.0")
    for e in extra:
        h.append(B(e))
    if ctype is not None:
        h.append(b"Content-Type: " + B(ctype))
    if cte is not None:
        h.append(b"Content-Transfer-Encoding: " + B(cte))
    raw = b"\n".join(h) + b"\n\n" + B(body)
    if not raw.endswith(b"\n"):
        raw += b"\n"
    if nl != b"\n":
        raw = raw.replace(b"\n", nl)
    return raw


def part(headers, body):
    return b"\n".join(B(x) for x in headers) + b"\n\n" + B(body)


def multipart(boundary, parts, preamble=b"", epilogue=b"", close=True):
    out = bytearray()
    if preamble:
        out += B(preamble) + b"\n"
    for p in parts:
        out += b"--" + B(boundary) + b"\n" + B(p) + b"\n"
    if close:
        out += b"--" + B(boundary) + b"--\n"
    out += B(epilogue)
    return bytes(out)


def text_part(text, charset="utf-8", cte="8bit"):
    return part(["Content-Type: text/plain; charset=%s" % charset,
                 "Content-Transfer-Encoding: %s" % cte],
                text.encode(charset) if isinstance(text, str) else text)


def att_part(filename, data, ctype="application/octet-stream", extra=()):
    return part(["Content-Type: %s; name=\"%s\"" % (ctype, filename),
                 "Content-Disposition: attachment; filename=\"%s\"" % filename,
                 "Content-Transfer-Encoding: base64"] + list(extra),
                b64lines(data))


class Corpus:
    def __init__(self):
        self.samples = []	# (name, bytes, [expect lines], big)

    def add(self, name, data, expect, big=False):
        assert all(n != name for n, *_ in self.samples), name
        self.samples.append((name, data, expect, big))


# ------------------------------------------------------------ charsets

def charset_samples(c):
    text = "来週の会議は第三会議室で行います。\nよろしくお願いいたします。\n"
    c.add("cs-iso2022jp-plain",
        message("cs-iso2022jp-plain", text.encode("iso2022_jp"),
                "text/plain; charset=ISO-2022-JP", cte="7bit",
                subject=bword("ISO-2022-JP", "会議のお知らせ".encode("iso2022_jp"))),
        ["# plain ISO-2022-JP (JIS X 0208 only), what most Japanese mailers send",
         "exit 0", "verdict clean",
         "header Subject: 会議のお知らせ",
         "body-contains 来週の会議は第三会議室で行います。",
         "body-contains よろしくお願いいたします。",
         "body-not-contains $B", "body-not-contains \ufffd",
         "charset utf-8", "attachments 0"])

    c.add("cs-iso2022jp-base64", message(
        "cs-iso2022jp-base64", b64lines(text.encode("iso2022_jp")),
        "text/plain; charset=\"iso-2022-jp\"", cte="base64",
        subject=bword("iso-2022-jp", "資料送付".encode("iso2022_jp"))),
        ["# ISO-2022-JP carried in base64",
         "exit 0", "header Subject: 資料送付",
         "body-contains 来週の会議は第三会議室で行います。",
         "body-not-contains \ufffd", "charset utf-8"])

    nec = ("①会議の議題 ②予算 ⑩その他\n㈱サンプル商事 ㈲テスト\n"
           "第Ⅰ期 第Ⅱ期 №123 ㍻ ㌔ ㍉\n以上、よろしくお願いします。\n")
    c.add("cs-iso2022jp-nec", message(
        "cs-iso2022jp-nec", iso2022jp_ms(nec),
        "text/plain; charset=ISO-2022-JP", cte="7bit",
        subject=bword("ISO-2022-JP", iso2022jp_ms("請求書のご案内①")),
        frm=bword("ISO-2022-JP", iso2022jp_ms("㈱サンプル商事")) +
        " <info@sample.example.jp>",
        extra=["X-Mailer: Microsoft Outlook 16.0"]),
        ["# ISO-2022-JP with NEC row-13 characters as Outlook sends them",
         "# (CP50221); glibc's ISO-2022-JP fails on the whole part",
         "exit 0",
         "header Subject: 請求書のご案内①",
         "header From: ㈱サンプル商事 <info@sample.example.jp>",
         "body-contains ①会議の議題 ②予算 ⑩その他",
         "body-contains ㈱サンプル商事 ㈲テスト",
         "body-contains 第Ⅰ期 第Ⅱ期 №123 ㍻ ㌔ ㍉",
         "body-contains 以上、よろしくお願いします。",
         "body-not-contains \ufffd", "charset utf-8"])

    sj = ("①お見積りの件\n期間：4月1日～4月30日\n㈱サンプル 髙橋様 山﨑様\n"
          "ご確認ください。\n")
    c.add("cs-sjis-cp932", message(
        "cs-sjis-cp932", sj.encode("cp932"), "text/plain; charset=Shift_JIS",
        cte="8bit", subject=bword("Shift_JIS", "①お見積り～".encode("cp932"))),
        ["# labelled Shift_JIS, written by Windows (CP932): ① ～ ㈱ and the",
         "# IBM extensions 髙 﨑 are not in JIS Shift_JIS; ～ is U+FF5E as",
         "# WHATWG's Shift_JIS decoder (every browser and Thunderbird) gives it",
         "exit 0",
         "header Subject: ①お見積り～",
         "body-contains ①お見積りの件",
         "body-contains 期間：4月1日～4月30日",
         "body-contains ㈱サンプル 髙橋様 山﨑様",
         "body-not-contains \ufffd", "charset utf-8"])

    c.add("cs-label-windows31j", message(
        "cs-label-windows31j", sj.encode("cp932"),
        "text/plain; charset=windows-31j", cte="8bit"),
        ["# the IANA name of CP932",
         "exit 0", "body-contains ①お見積りの件",
         "body-contains ㈱サンプル 髙橋様 山﨑様", "body-not-contains \ufffd"])

    eu = "東京都千代田区霞が関 ｶﾀｶﾅ 全角カタカナ\n日本語のテストです。\n"
    c.add("cs-eucjp", message(
        "cs-eucjp", eu.encode("euc_jp"), "text/plain; charset=EUC-JP",
        cte="8bit", subject=bword("EUC-JP", "EUC-JPの件名".encode("euc_jp"))),
        ["# EUC-JP, half-width katakana through SS2",
         "exit 0", "verdict clean", "header Subject: EUC-JPの件名",
         "body-contains 東京都千代田区霞が関 ｶﾀｶﾅ 全角カタカナ",
         "body-contains 日本語のテストです。", "body-not-contains \ufffd",
         "charset utf-8"])

    u8 = "UTF-8 の本文ですが ISO-2022-JP と宣言されています。\n"
    c.add("cs-utf8-as-iso2022jp", message(
        "cs-utf8-as-iso2022jp", u8.encode(), "text/plain; charset=ISO-2022-JP",
        cte="8bit"),
        ["# UTF-8 bytes labelled ISO-2022-JP (8-bit bytes cannot be ISO-2022-JP)",
         "exit 0", "body-contains UTF-8 の本文ですが ISO-2022-JP と宣言されています。",
         "finding charset.mislabelled reported",
         "body-not-contains \ufffd", "charset utf-8"])

    u8l = "添付の資料をご確認ください。文字化けしないこと。\n"
    c.add("cs-utf8-as-latin1", message(
        "cs-utf8-as-latin1", u8l.encode(), "text/plain; charset=iso-8859-1",
        cte="8bit"),
        ["# UTF-8 labelled Latin-1: every byte is valid Latin-1, but the text",
         "# is valid UTF-8 with Japanese in it; decoding as Latin-1 is mojibake",
         "exit 0", "body-contains 添付の資料をご確認ください。文字化けしないこと。",
         "body-not-contains æ·»", "body-not-contains ã",
         "finding charset.mislabelled reported", "charset utf-8"])

    la = "Grüße aus München. Café, naïve, façade.\n"
    c.add("cs-latin1-real", message(
        "cs-latin1-real", la.encode("latin-1"), "text/plain; charset=ISO-8859-1",
        cte="8bit"),
        ["# real Latin-1 must stay Latin-1 (the UTF-8 guess must not misfire)",
         "exit 0", "body-contains Grüße aus München. Café, naïve, façade.",
         "body-not-contains \ufffd", "no-finding charset.mislabelled"])

    ns = ("お世話になっております。\n資料を送付いたします。ご査収のほど"
          "よろしくお願い申し上げます。\n株式会社サンプル 営業部 山田\n")
    c.add("cs-nocharset-sjis", message(
        "cs-nocharset-sjis", ns.encode("cp932"), "text/plain", cte="8bit"),
        ["# Shift_JIS with no charset at all (old mailers): guessed",
         "exit 0", "body-contains お世話になっております。",
         "body-contains 資料を送付いたします。ご査収のほどよろしくお願い申し上げます。",
         "body-contains 株式会社サンプル 営業部 山田",
         "finding charset.unknown reported", "body-not-contains \ufffd",
         "charset utf-8"])

    hk = "ﾃｽﾄﾒｰﾙ です。ｶﾀｶﾅ と 漢字。\n"
    c.add("cs-halfwidth-kana", message(
        "cs-halfwidth-kana", iso2022jp_ms(hk), "text/plain; charset=ISO-2022-JP",
        cte="7bit", subject=bword("ISO-2022-JP", iso2022jp_ms("ﾃｽﾄ件名"))),
        ["# half-width katakana as ESC ( I inside ISO-2022-JP (CP50222 style)",
         "exit 0", "header Subject: ﾃｽﾄ件名",
         "body-contains ﾃｽﾄﾒｰﾙ です。ｶﾀｶﾅ と 漢字。",
         "body-not-contains \ufffd", "charset utf-8"])

    subj = "日本語の件名テスト".encode()
    c.add("cs-2047-split-b", message(
        "cs-2047-split-b", "本文\n", "text/plain; charset=utf-8", cte="8bit",
        subject=bword("UTF-8", subj[:4]) + "\n " + bword("UTF-8", subj[4:])),
        ["# Subject split in the middle of a UTF-8 character across two",
         "# base64 encoded words (clients join adjacent words first)",
         "exit 0", "header Subject: 日本語の件名テスト"])
    c.add("cs-2047-split-bq", message(
        "cs-2047-split-bq", "本文\n", "text/plain; charset=utf-8", cte="8bit",
        subject=bword("UTF-8", subj[:7]) + "\n " + qword("UTF-8", subj[7:])),
        ["# the same, one base64 word then one Q word",
         "exit 0", "header Subject: 日本語の件名テスト"])

    c.add("cs-2047-from-comma", message(
        "cs-2047-from-comma", "本文です。\n", "text/plain; charset=utf-8",
        cte="8bit", frm=bword("UTF-8", "山田, 太郎") + " <yamada@example.jp>"),
        ["# a comma inside an encoded display name is part of the name: one",
         "# mailbox, never two (header compared as email.policy.default",
         "# renders it)",
         "exit 0", "header From: \"山田, 太郎\" <yamada@example.jp>"])

    c.add("cs-8bit-subject", message(
        "cs-8bit-subject", "本文です。\n", "text/plain; charset=utf-8",
        cte="8bit", subject="生の UTF-8 件名 ①"),
        ["# raw 8-bit UTF-8 in Subject (RFC 6532 style)",
         "exit 0", "header Subject: 生の UTF-8 件名 ①"])

    raw_sj = message("cs-8bit-subject-sjis", "本文です。①\n".encode("cp932"),
                     "text/plain; charset=Shift_JIS", cte="8bit",
                     subject=b"")
    raw_sj = raw_sj.replace(b"Subject: \n",
                            b"Subject: " + "生のShift_JIS件名".encode("cp932") + b"\n")
    c.add("cs-8bit-subject-sjis", raw_sj,
          ["# raw Shift_JIS bytes in Subject (old Japanese mailers); clients",
           "# fall back to the body's charset",
           "exit 0", "header Subject: 生のShift_JIS件名",
           "body-contains 本文です。①"])

    # RFC 2231 continuations, Shift_JIS, percent-encoded.
    fname = "議事録①_2024年度.txt"
    fb = fname.encode("cp932")
    # attribute-char (RFC 2231): tspecials, '*', '\'', '%' and 8-bit
    # bytes are percent-encoded (the trail byte of ① is '@')
    units = [chr(b) if (chr(b).isalnum() and b < 0x80) or chr(b) in "!#$&+-.^_`|~"
             else "%%%02X" % b for b in fb]
    # three sections; the first ends after the lead byte of ①, so the
    # character is only whole once the sections are joined
    lead = fb.index("①".encode("cp932"))
    cuts = ["".join(units[:lead + 1]), "".join(units[lead + 1:lead + 8]),
            "".join(units[lead + 8:])]
    disp = ("Content-Disposition: attachment;\n filename*0*=shift_jis''%s;\n"
            " filename*1*=%s;\n filename*2*=%s" % tuple(cuts))
    ct = ("Content-Type: text/plain; charset=Shift_JIS;\n name*0*=shift_jis''%s;\n"
          " name*1*=%s;\n name*2*=%s" % tuple(cuts))
    data = "議事録\n出席者: 5名\n".encode("cp932")
    c.add("cs-2231-sjis-filename", message(
        "cs-2231-sjis-filename",
        multipart("b2231", [text_part("議事録を添付します。\n"),
                            part([ct, disp, "Content-Transfer-Encoding: base64"],
                                 b64lines(data))]),
        "multipart/mixed; boundary=\"b2231\""),
        ["# RFC 2231 file name in Shift_JIS with continuations (a character",
         "# split between two of them)",
         "exit 0", "body-contains 議事録を添付します。",
         "body-contains " + fname, "body-contains " + sha(data),
         "body-not-contains 出席者", "finding mail.attachment removed",
         "attachments 0"])

    pdf = pdf_bytes()
    w = bword("ISO-2022-JP", "見積書.pdf".encode("iso2022_jp"))
    c.add("cs-2047-quoted-filename", message(
        "cs-2047-quoted-filename",
        multipart("b2047", [text_part(iso2022jp_ms("見積書を添付します。\n"),
                                      "ISO-2022-JP", "7bit"),
                            part(["Content-Type: application/pdf; name=\"%s\"" % w,
                                  "Content-Disposition: attachment; filename=\"%s\"" % w,
                                  "Content-Transfer-Encoding: base64"],
                                 b64lines(pdf))]),
        "multipart/mixed; boundary=\"b2047\""),
        ["# RFC 2047 word inside a quoted name= (not allowed, but what",
         "# Outlook and Japanese mailers send; every client decodes it)",
         "exit 0", "body-contains 見積書を添付します。",
         "body-contains 見積書.pdf", "body-contains " + sha(pdf),
         "body-not-contains =?ISO-2022-JP?", "finding mail.attachment removed",
         "attachments 0"])

    gb = "你好，世界。这是一封测试邮件。\n"
    c.add("cs-gb2312", message(
        "cs-gb2312", gb.encode("gb2312"), "text/plain; charset=gb2312",
        cte="8bit", subject=bword("gb2312", "测试邮件".encode("gb2312"))),
        ["# Simplified Chinese", "exit 0", "header Subject: 测试邮件",
         "body-contains 你好，世界。这是一封测试邮件。", "body-not-contains \ufffd"])

    ko = "안녕하세요. 테스트 메일입니다.\n"
    c.add("cs-ks-c-5601", message(
        "cs-ks-c-5601", ko.encode("cp949"), "text/plain; charset=ks_c_5601-1987",
        cte="8bit", subject=bword("ks_c_5601-1987", "테스트".encode("cp949"))),
        ["# Korean as Outlook labels it (ks_c_5601-1987 is CP949)",
         "exit 0", "header Subject: 테스트",
         "body-contains 안녕하세요. 테스트 메일입니다.", "body-not-contains \ufffd"])

    q = "quoted-printable の本文です。長い行は柔らかい改行で折り返されます。" * 2 + "\n"
    c.add("cs-qp-utf8", message(
        "cs-qp-utf8", qp(q.encode()), "text/plain; charset=UTF-8",
        cte="quoted-printable"),
        ["# quoted-printable UTF-8 with soft line breaks inside characters",
         "exit 0", "verdict clean", "body-contains " + q.strip(),
         "body-not-contains =E3", "charset utf-8"])

    j = "JIS X 0208 だけで書かれた本文です。\n"
    c.add("cs-out-iso2022jp", message(
        "cs-out-iso2022jp", j.encode("iso2022_jp"),
        "text/plain; charset=ISO-2022-JP", cte="7bit",
        subject=bword("ISO-2022-JP", "ISO-2022-JPで配送".encode("iso2022_jp"))),
        ["# output_charset: iso-2022-jp and every character fits",
         "policy output-iso2022jp.yaml", "exit 0",
         "header Subject: ISO-2022-JPで配送",
         "body-contains JIS X 0208 だけで書かれた本文です。",
         "charset iso-2022-jp"])
    c.add("cs-out-iso2022jp-fallback", message(
        "cs-out-iso2022jp-fallback", "絵文字 😀 は ISO-2022-JP にありません。\n",
        "text/plain; charset=UTF-8", cte="8bit"),
        ["# output_charset: iso-2022-jp, but 😀 does not fit: UTF-8, nothing lost",
         "policy output-iso2022jp.yaml", "exit 0",
         "body-contains 絵文字 😀 は ISO-2022-JP にありません。",
         "body-not-contains ?", "charset utf-8"])


# ------------------------------------------------------------ HTML

RICH_HTML = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>TITLE-TEXT</title>
<style>body{font-family:STYLE-TEXT} .hid{display:none}</style>
<script>document.write('SCRIPT-TEXT');</script>
</head><body>
<!-- COMMENT-TEXT -->
<h1>会議のご案内</h1>
<p>関係者各位</p>
<p>R&amp;D 部門の会議を開催します。</p>
<ul>
<li>第一部
  <ul><li>開会挨拶</li><li>報告</li></ul>
</li>
<li>第二部</li>
</ul>
<table>
<tr><th>区分</th><th>金額</th></tr>
<tr><td>交通費</td><td>1,200円</td></tr>
</table>
<div style="display:none">HIDDEN-DIV-TEXT</div>
<div class="hid">CLASS-HIDDEN-TEXT</div>
<span style="mso-hide:all">MSO-HIDDEN-TEXT</span>
<p>見え<span style="font-size:0">ZERO-FONT-TEXT</span>ます</p>
<img src="https://img.example/banner.png" alt="">
<img src="https://tracker.example/open?id=12345" width="1" height="1">
<p>ログイン: <a href="https://evil.example/login">https://bank.example.jp</a></p>
<p><a href="javascript:alert(1)">ここをクリック</a></p>
<p onclick="alert(2)">以上</p>
</body></html>
"""


def html_samples(c):
    alt = multipart("balt", [
        text_part("PLAIN-VERSION プレーンテキストの本文です。\n"),
        part(["Content-Type: text/html; charset=utf-8",
              "Content-Transfer-Encoding: 8bit"],
             "<html><body><p>HTML-VERSION HTMLの本文です。</p>"
             "<script>alert(1)</script></body></html>\n")])
    c.add("html-alternative", message(
        "html-alternative", alt, "multipart/alternative; boundary=\"balt\""),
        ["# plain and HTML alternatives: the plain one is delivered",
         "exit 0", "body-contains PLAIN-VERSION プレーンテキストの本文です。",
         "body-not-contains HTML-VERSION", "body-not-contains <script",
         "body-not-contains alert(", "attachments 0", "charset utf-8"])

    c.add("html-rich", message(
        "html-rich", qp(RICH_HTML.encode()), "text/html; charset=utf-8",
        cte="quoted-printable"),
        ["# HTML only: shape kept (headings, nested lists, tables), active,",
         "# hidden and remote content dropped, the phishing link's real",
         "# target shown next to its text, everything defanged",
         "exit 0", "verdict sanitized",
         "finding mail.html removed", "finding mail.remote_image removed",
         "finding mail.hidden_text removed",
         "body-contains 会議のご案内", "body-contains 関係者各位",
         "body-contains R&D 部門の会議を開催します。",
         "body-contains - 第一部", "body-contains   - 開会挨拶",
         "body-contains - 第二部",
         "body-contains 区分 | 金額", "body-contains 交通費 | 1,200円",
         "body-contains 見えます", "body-contains 以上",
         "body-contains hxxps://bank[.]example[.]jp",
         "body-contains hxxps://evil[.]example/login",
         "body-not-contains https://evil.example",
         "body-not-contains https://bank.example.jp",
         "body-not-contains javascript:", "body-not-contains alert(",
         "body-not-contains TITLE-TEXT", "body-not-contains STYLE-TEXT",
         "body-not-contains SCRIPT-TEXT", "body-not-contains COMMENT-TEXT",
         "body-not-contains HIDDEN-DIV-TEXT", "body-not-contains CLASS-HIDDEN-TEXT",
         "body-not-contains MSO-HIDDEN-TEXT", "body-not-contains ZERO-FONT-TEXT",
         "body-not-contains img.example", "body-not-contains img[.]example",
         "body-not-contains tracker.example", "body-not-contains tracker[.]example",
         "body-not-contains <script", "body-not-contains <table",
         "body-not-contains <li", "body-not-contains <img",
         "body-not-contains <a ", "body-not-contains &amp;",
         "attachments 0", "charset utf-8"])

    links = ("<html><body><p>詳しくは<a href=\"https://www.city.example.lg.jp/info?id=7\">"
             "お知らせ</a>をご覧ください。</p>"
             "<p>本文中のURL: https://docs.example.jp/a/b</p></body></html>\n")
    common = ["body-contains お知らせ", "body-contains をご覧ください。",
              "attachments 0"]
    c.add("html-links-defang", message(
        "html-links-defang", links, "text/html; charset=utf-8", cte="8bit"),
        ["# links: defang (the default): targets shown, not clickable",
         "exit 0"] + common +
        ["body-contains hxxps://www[.]city[.]example[.]lg[.]jp/info?id=7",
         "body-contains hxxps://docs[.]example[.]jp/a/b",
         "body-not-contains https://", "body-not-contains http://",
         "finding mail.link removed"])
    c.add("html-links-keep", message(
        "html-links-keep", links, "text/html; charset=utf-8", cte="8bit"),
        ["# links: keep: targets shown as they are",
         "policy links-keep.yaml", "exit 0"] + common +
        ["body-contains https://www.city.example.lg.jp/info?id=7",
         "body-contains https://docs.example.jp/a/b",
         "body-not-contains hxxp", "finding mail.link reported"])
    c.add("html-links-remove", message(
        "html-links-remove", links, "text/html; charset=utf-8", cte="8bit"),
        ["# links: remove: link text stays, targets go",
         "policy links-remove.yaml", "exit 0"] + common +
        ["body-not-contains city.example", "body-not-contains city[.]example",
         "body-not-contains docs.example", "body-not-contains docs[.]example",
         "body-not-contains https://", "body-not-contains hxxp",
         "finding mail.link removed"])

    sjh = ("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; "
           "charset=Shift_JIS\"></head><body><p>①ご案内 ㈱サンプル</p>"
           "<p>メタタグだけが文字コードを示しています。</p></body></html>\n")
    c.add("html-sjis-meta", message(
        "html-sjis-meta", sjh.encode("cp932"), "text/html", cte="8bit"),
        ["# Shift_JIS HTML whose charset is only in <meta> (MIME has none)",
         "exit 0", "body-contains ①ご案内 ㈱サンプル",
         "body-contains メタタグだけが文字コードを示しています。",
         "body-not-contains \ufffd", "charset utf-8"])

    conf = ("<html><head><meta charset=\"Shift_JIS\"></head><body>"
            "<p>MIME の charset が優先されます。UTF-8 の本文。</p></body></html>\n")
    c.add("html-meta-conflict", message(
        "html-meta-conflict", conf.encode(), "text/html; charset=UTF-8",
        cte="8bit"),
        ["# MIME says UTF-8, <meta> says Shift_JIS, the bytes are UTF-8:",
         "# the MIME label wins as in every mail client",
         "exit 0", "body-contains MIME の charset が優先されます。UTF-8 の本文。",
         "body-not-contains \ufffd"])

    ol = ("<html xmlns:o=\"urn:schemas-microsoft-com:office:office\"><head>"
          "<!--[if gte mso 9]><xml><o:OfficeDocumentSettings>MSO-XML-TEXT"
          "</o:OfficeDocumentSettings></xml><![endif]-->"
          "<style>p.MsoNormal{margin:0}</style></head><body lang=JA>"
          "<div class=WordSection1><p class=MsoNormal>お世話になっております。</p>"
          "<p class=MsoNormal>①の件、承知しました。</p>"
          "<p class=MsoNormal>&nbsp;</p><p class=MsoNormal>山田</p></div>"
          "</body></html>\n")
    c.add("html-outlook-iso2022jp", message(
        "html-outlook-iso2022jp", iso2022jp_ms(ol), "text/html; charset=\"iso-2022-jp\"",
        cte="7bit"),
        ["# Outlook HTML in ISO-2022-JP with NEC characters and an MSO",
         "# conditional comment",
         "exit 0", "body-contains お世話になっております。",
         "body-contains ①の件、承知しました。", "body-contains 山田",
         "body-not-contains MSO-XML-TEXT", "body-not-contains \ufffd",
         "finding mail.html removed"])

    png = png_bytes()
    rel = multipart("brel", [
        part(["Content-Type: text/html; charset=utf-8",
              "Content-Transfer-Encoding: 8bit"],
             "<html><body><p>ロゴ付きのお知らせです。</p>"
             "<img src=\"cid:logo@corpus.example\" alt=\"ロゴ\"></body></html>\n"),
        part(["Content-Type: image/png; name=\"logo.png\"",
              "Content-ID: <logo@corpus.example>",
              "Content-Disposition: inline; filename=\"logo.png\"",
              "Content-Transfer-Encoding: base64"], b64lines(png))])
    c.add("html-inline-related", message(
        "html-inline-related", rel,
        "multipart/related; type=\"text/html\"; boundary=\"brel\""),
        ["# inline image in multipart/related: an attachment like any other",
         "exit 0", "body-contains ロゴ付きのお知らせです。",
         "body-contains logo.png", "body-contains " + sha(png),
         "body-not-contains cid:", "finding mail.html removed",
         "finding mail.attachment removed", "attachments 0"])

    c.add("plain-link-defang", message(
        "plain-link-defang",
        "詳細はhttps://www.example.jp/a?b=1です。\n"
        "メール: mailto:info@example.jp\n", "text/plain; charset=utf-8",
        cte="8bit"),
        ["# URLs in plain text are defanged too (the URL ends at the",
         "# first non-ASCII character)",
         "exit 0", "body-contains 詳細はhxxps://www[.]example[.]jp/a?b=1です。",
         "body-not-contains https://", "finding mail.link removed"])


# ------------------------------------------------------------ attachments

def attachment_samples(c):
    docm = docm_bytes()
    body = multipart("bdocm", [
        text_part("添付の請求書をご確認ください。\n"),
        att_part("請求書.docm", docm,
                 "application/vnd.ms-word.document.macroEnabled.12")])
    body = body.replace(b'name="\xe8\xab\x8b\xe6\xb1\x82\xe6\x9b\xb8.docm"',
                        B('name="%s"' % bword("UTF-8", "請求書.docm")))
    body = body.replace(b'filename="\xe8\xab\x8b\xe6\xb1\x82\xe6\x9b\xb8.docm"',
                        B("filename*=UTF-8''%E8%AB%8B%E6%B1%82%E6%9B%B8.docm"))
    docm_mail = message("att-docm", body, "multipart/mixed; boundary=\"bdocm\"",
                        subject=bword("UTF-8", "請求書送付"))
    c.add("att-docm", docm_mail,
          ["# macro-enabled Word file: removed by default, listed with ooxml.vba",
           "exit 0", "verdict sanitized", "header Subject: 請求書送付",
           "body-contains 添付の請求書をご確認ください。",
           "body-contains 請求書.docm", "body-contains " + sha(docm),
           "body-contains ooxml.vba", "finding ooxml.vba removed",
           "finding mail.attachment removed", "attachments 0",
           "charset utf-8"])
    c.add("att-docm-sanitize", docm_mail.replace(b"<att-docm@", b"<att-docm-sanitize@"),
          ["# the same with attachments: sanitize: re-attached as .docx",
           "policy attachments-sanitize.yaml", "exit 0", "verdict sanitized",
           "body-contains 請求書.docm", "body-contains 請求書.docx",
           "body-contains ooxml.vba", "finding ooxml.vba removed",
           "finding mail.attachment reported", "attachments 1"])

    exe = exe_bytes()
    c.add("att-exe-doubleext", message(
        "att-exe-doubleext",
        multipart("bexe", [text_part("請求書です。\n"),
                           att_part("invoice.pdf.exe", exe, "application/pdf")]),
        "multipart/mixed; boundary=\"bexe\""),
        ["# a program named invoice.pdf.exe declared application/pdf:",
         "# removed even when attachments are sanitized",
         "policy attachments-sanitize.yaml", "exit 0",
         "body-contains invoice.pdf.exe", "body-contains " + sha(exe),
         "finding mail.attachment removed", "finding type.executable blocked",
         "attachments 0"])

    zjs = zip_bytes([("readme.txt", "請求書の説明\n"),
                     ("invoice.js", "WScript.Echo('inert corpus script');\n")])
    zmail = message("att-zip-js",
                    multipart("bzip", [text_part("書類一式です。\n"),
                                       att_part("documents.zip", zjs, "application/zip")]),
                    "multipart/mixed; boundary=\"bzip\"")
    c.add("att-zip-js", zmail,
          ["# zip with a script inside: removed by default",
           "exit 0", "body-contains documents.zip", "body-contains " + sha(zjs),
           "finding mail.attachment removed", "attachments 0"])
    c.add("att-zip-js-sanitize", zmail.replace(b"<att-zip-js@", b"<att-zip-js-sanitize@"),
          ["# attachments: sanitize: the zip comes back without the script",
           "policy attachments-sanitize.yaml", "exit 0",
           "body-contains documents.zip", "finding archive.member_dropped removed",
           "finding mail.attachment reported", "attachments 1"])

    png = png_bytes(4, 3)
    c.add("att-png-sanitize", message(
        "att-png-sanitize",
        multipart("bpng", [text_part("写真を送ります。\n"),
                           att_part("photo.png", png, "image/png")]),
        "multipart/mixed; boundary=\"bpng\""),
        ["# a PNG with attachments: sanitize: re-encoded and re-attached",
         "policy attachments-sanitize.yaml", "exit 0",
         "body-contains 写真を送ります。", "body-contains photo.png",
         "finding mail.attachment reported", "attachments 1"])

    csv = ("名前,金額\n田中,100\n\"=cmd|' /C calc'!A0\",1\n@SUM(1+1),2\n").encode()
    c.add("att-csv-sanitize", message(
        "att-csv-sanitize",
        multipart("bcsv", [text_part("集計表です。\n"),
                           att_part("集計.csv", csv, "text/csv")]),
        "multipart/mixed; boundary=\"bcsv\""),
        ["# CSV with formula cells: neutralised and re-attached",
         "policy attachments-sanitize.yaml", "exit 0",
         "body-contains 集計.csv", "finding csv.formula removed",
         "body-not-contains =cmd", "finding mail.attachment reported",
         "attachments 1"])

    txt = "ATTACHED-TEXT-SECRET この文字列は本文に出てはいけません。\n"
    c.add("att-text-attachment", message(
        "att-text-attachment",
        multipart("btxt", [text_part("メモを添付します。\n"),
                           part(["Content-Type: text/plain; charset=utf-8",
                                 "Content-Disposition: attachment; filename=\"memo.txt\"",
                                 "Content-Transfer-Encoding: 8bit"], txt)]),
        "multipart/mixed; boundary=\"btxt\""),
        ["# a text/plain part with Content-Disposition: attachment is a file,",
         "# not body text",
         "exit 0", "body-contains メモを添付します。", "body-contains memo.txt",
         "body-not-contains ATTACHED-TEXT-SECRET", "body-contains " + sha(txt.encode()),
         "finding mail.attachment removed", "attachments 0"])

    c.add("att-html-attachment", message(
        "att-html-attachment",
        multipart("bhatt", [text_part("請求書(HTML)を添付します。\n"),
                            part(["Content-Type: text/html; charset=utf-8",
                                  "Content-Disposition: attachment; filename=\"invoice.html\"",
                                  "Content-Transfer-Encoding: 8bit"],
                                 "<html><body><p>HTMLATT-TEXT</p><script>"
                                 "location='https://evil.example/'</script></body></html>\n")]),
        "multipart/mixed; boundary=\"bhatt\""),
        ["# an HTML attachment is a file, not a body to textify",
         "exit 0", "body-contains invoice.html", "body-not-contains HTMLATT-TEXT",
         "body-not-contains evil", "finding mail.attachment removed",
         "attachments 0"])

    noname = prng(300, "noname")
    c.add("att-no-name", message(
        "att-no-name",
        multipart("bnn", [text_part("名前のない添付です。\n"),
                          part(["Content-Type: application/octet-stream",
                                "Content-Transfer-Encoding: base64"],
                               b64lines(noname))]),
        "multipart/mixed; boundary=\"bnn\""),
        ["# binary part without any name is still an attachment",
         "exit 0", "body-contains 名前のない添付です。", "body-contains " + sha(noname),
         "finding mail.attachment removed", "attachments 0"])


# ------------------------------------------------------------ tricks

def zip_att(name, tag, ctype="application/zip", extra=()):
    z = marker_zip(tag)
    return z, att_part(name, z, ctype, extra)


def trick_samples(c):
    leak = ["body-not-contains UEsDB", "attachments 0"]

    z = marker_zip("dupct")
    p = part(["Content-Type: text/plain; charset=us-ascii",
              "Content-Type: application/zip; name=\"dupct.zip\"",
              "Content-Transfer-Encoding: base64"], b64lines(z))
    c.add("trick-dup-ctype", message(
        "trick-dup-ctype", multipart("bdct", [text_part("DUPCT-TEXT 本文\n"), p]),
        "multipart/mixed; boundary=\"bdct\""),
        ["# Content-Type twice on one part: text/plain for some readers,",
         "# a zip for others; the zip must be exposed, never shown as text",
         "exit 0", "body-contains DUPCT-TEXT 本文", "body-contains dupct.zip",
         "body-contains " + sha(z), "body-not-contains ZIPMEMBER-dupct",
         "finding mime.duplicate_header reported"] + leak)

    z = marker_zip("dupcte")
    p = part(["Content-Type: application/zip; name=\"dupcte.zip\"",
              "Content-Transfer-Encoding: 7bit",
              "Content-Transfer-Encoding: base64",
              "Content-Disposition: attachment; filename=\"dupcte.zip\""], b64lines(z))
    c.add("trick-dup-cte", message(
        "trick-dup-cte", multipart("bdcte", [text_part("DUPCTE-TEXT\n"), p]),
        "multipart/mixed; boundary=\"bdcte\""),
        ["# Content-Transfer-Encoding twice",
         "exit 0", "body-contains DUPCTE-TEXT", "body-contains dupcte.zip",
         "body-contains " + sha(z),
         "finding mime.duplicate_header reported"] + leak)

    js = b"WScript.Echo('inert corpus script');\n"
    p = part(["Content-Type: application/octet-stream",
              "Content-Disposition: attachment; filename=\"invoice.txt\"; filename=\"invoice.js\"",
              "Content-Transfer-Encoding: base64"], b64lines(js))
    c.add("trick-dup-filename", message(
        "trick-dup-filename", multipart("bdfn", [text_part("DUPFN-TEXT\n"), p]),
        "multipart/mixed; boundary=\"bdfn\""),
        ["# filename= twice with different values: clients pick either;",
         "# both names listed, never re-attached",
         "policy attachments-sanitize.yaml",
         "exit 0", "body-contains DUPFN-TEXT", "body-contains invoice.txt",
         "body-contains invoice.js", "body-not-contains WScript",
         "finding mime.duplicate_param reported", "attachments 0"])

    exe = exe_bytes()
    p = part(["Content-Type: application/pdf; name=\"report.pdf\"",
              "Content-Disposition: attachment; filename=\"report.exe\"",
              "Content-Transfer-Encoding: base64"], b64lines(exe))
    c.add("trick-name-mismatch", message(
        "trick-name-mismatch", multipart("bnm", [text_part("NM-TEXT\n"), p]),
        "multipart/mixed; boundary=\"bnm\""),
        ["# name= says report.pdf, filename= says report.exe",
         "policy attachments-sanitize.yaml",
         "exit 0", "body-contains NM-TEXT", "body-contains report.pdf",
         "body-contains report.exe", "finding mime.name_mismatch reported",
         "attachments 0"])

    p = part(["Content-Type: application/octet-stream",
              "Content-Disposition: attachment; filename=\"safe.txt\"; "
              "filename*=UTF-8''evil.js",
              "Content-Transfer-Encoding: base64"], b64lines(js))
    c.add("trick-2231-vs-plain", message(
        "trick-2231-vs-plain", multipart("b31", [text_part("R2231-TEXT\n"), p]),
        "multipart/mixed; boundary=\"b31\""),
        ["# filename= and filename*= disagree (RFC 2231 readers take the",
         "# second): both names listed, never re-attached",
         "policy attachments-sanitize.yaml",
         "exit 0", "body-contains R2231-TEXT", "body-contains safe.txt",
         "body-contains evil.js", "body-not-contains WScript", "attachments 0"])

    z = marker_zip("dupb")
    body = (b"--AAA\nContent-Type: text/plain; charset=utf-8\n\nDUPB-TEXT-A\n"
            b"--BBB\nContent-Type: application/zip; name=\"hidden.zip\"\n"
            b"Content-Transfer-Encoding: base64\n\n" + b64lines(z) +
            b"\n--BBB--\n--AAA--\n")
    c.add("trick-dup-boundary", message(
        "trick-dup-boundary", body,
        "multipart/mixed; boundary=\"AAA\"; boundary=\"BBB\""),
        ["# two boundary parameters: the two readings split the message",
         "# differently, so it is held; the notice still names the zip",
         "exit 0", "verdict held", "finding mime.duplicate_param reported",
         "body-not-contains DUPB-TEXT-A", "body-contains hidden.zip"] + leak)

    z = marker_zip("nob")
    body = (b"--XYZ\nContent-Type: text/plain; charset=utf-8\n\nNOBOUND-TEXT\n"
            b"--XYZ\nContent-Type: application/zip; name=\"nobound.zip\"\n"
            b"Content-Transfer-Encoding: base64\n\n" + b64lines(z) +
            b"\n--XYZ--\n")
    c.add("trick-no-boundary", message(
        "trick-no-boundary", body, "multipart/mixed"),
        ["# multipart without a boundary: some clients guess it from the",
         "# first '--' line, others show one text part: held",
         "exit 0", "verdict held", "body-not-contains NOBOUND-TEXT",
         "body-not-contains ZIPMEMBER-nob"] + leak)

    z, p = zip_att("unclosed.zip", "unclosed")
    c.add("trick-boundary-unclosed", message(
        "trick-boundary-unclosed",
        multipart("bunc", [text_part("UNCLOSED-TEXT\n"), p], close=False),
        "multipart/mixed; boundary=\"bunc\""),
        ["# closing delimiter missing: clients still show the attachment",
         "exit 0", "body-contains UNCLOSED-TEXT", "body-contains unclosed.zip",
         "body-contains " + sha(z), "finding mime.broken_boundary reported"] + leak)

    z, p = zip_att("inner.zip", "prefix")
    inner = multipart("XX-alt", [text_part("PREFIX-TEXT\n"), p])
    c.add("trick-boundary-prefix", message(
        "trick-boundary-prefix",
        multipart("XX", [part(["Content-Type: multipart/mixed; boundary=\"XX-alt\""],
                              inner)]),
        "multipart/mixed; boundary=\"XX\""),
        ["# inner boundary starts with the outer one: readers that match",
         "# delimiters by prefix cut the inner multipart short",
         "exit 0", "body-contains PREFIX-TEXT", "body-contains inner.zip",
         "body-contains " + sha(z)] + leak)

    z, p = zip_att("barecr.zip", "barecr")
    c.add("trick-bare-cr", message(
        "trick-bare-cr", multipart("bcr", [text_part("BARECR-TEXT\n"), p]),
        "multipart/mixed; boundary=\"bcr\"", nl=b"\r"),
        ["# every line ends in a bare CR (old Mac): the attachment is exposed",
         "# and the message is not read as one long header",
         "exit 0", "header From: Corpus Sender <sender@example.jp>",
         "header Subject: trick-bare-cr", "body-contains BARECR-TEXT",
         "body-contains barecr.zip", "body-contains " + sha(z),
         "finding mime.bare_newline reported"] + leak)

    z, p = zip_att("mixed.zip", "mixednl")
    raw = message("trick-crlf-mixed",
                  multipart("bmix", [text_part("MIXEDNL-TEXT\n"), p]),
                  "multipart/mixed; boundary=\"bmix\"", nl=b"\r\n")
    # the boundary lines lose their CR: some readers see them, some not
    raw = raw.replace(b"\r\n--bmix", b"\n--bmix")
    c.add("trick-crlf-mixed", raw,
          ["# CRLF with bare LF on the boundary lines",
           "exit 0", "body-contains MIXEDNL-TEXT", "body-contains mixed.zip",
           "body-contains " + sha(z),
           "finding mime.bare_newline reported"] + leak)

    png = png_bytes(3, 3)
    s = base64.b64encode(png).decode()
    junk = []
    for i in range(0, len(s), 20):
        junk.append(s[i:i + 10] + "!*" + s[i + 10:i + 20] + " #")
    junkb = "\n".join(junk) + "\n~~~~"
    c.add("trick-b64-junk", message(
        "trick-b64-junk",
        multipart("bj", [text_part("B64JUNK-TEXT\n"),
                         part(["Content-Type: image/png; name=\"junk.png\"",
                               "Content-Disposition: attachment; filename=\"junk.png\"",
                               "Content-Transfer-Encoding: base64"], junkb)]),
        "multipart/mixed; boundary=\"bj\""),
        ["# base64 with characters outside the alphabet: decoders skip them",
         "# (RFC 2045 6.8), so the file is the PNG",
         "exit 0", "body-contains junk.png", "body-contains " + sha(png),
         "finding mime.bad_encoding reported", "attachments 0"])

    payload = b"XFOO-PAYLOAD raw bytes of an unknown encoding\nsecond line"
    c.add("trick-cte-unknown", message(
        "trick-cte-unknown",
        multipart("bx", [text_part("XFOO-TEXT\n"),
                         part(["Content-Type: application/octet-stream; name=\"xfoo.bin\"",
                               "Content-Disposition: attachment; filename=\"xfoo.bin\"",
                               "Content-Transfer-Encoding: x-foo"], payload)]),
        "multipart/mixed; boundary=\"bx\""),
        ["# unknown Content-Transfer-Encoding: the part stays an attachment",
         "# (clients save its bytes as they are)",
         "exit 0", "body-contains XFOO-TEXT", "body-contains xfoo.bin",
         "body-contains " + sha(payload),
         "body-not-contains XFOO-PAYLOAD", "finding mime.bad_encoding reported",
         "attachments 0"])

    z, p = zip_att("spacecolon.zip", "spacecolon")
    raw = message("trick-ctype-space",
                  multipart("bsp", [text_part("SPACECOLON-TEXT\n"), p]),
                  "multipart/mixed; boundary=\"bsp\"")
    raw = raw.replace(b"\nContent-Type: multipart", b"\nContent-Type : multipart")
    c.add("trick-ctype-space", raw,
          ["# 'Content-Type : multipart/mixed' (space before the colon, obsolete",
           "# syntax some clients accept): the zip must not slip through as text",
           "exit 0", "body-contains spacecolon.zip", "body-contains " + sha(z),
           "body-not-contains ZIPMEMBER-spacecolon"] + leak)

    z = marker_zip("nohdr")
    body = (b"--bnh\nContent-Type: text/plain; charset=utf-8\n\nNOHDR-TEXT\n"
            b"--bnh\n\nContent-Type: application/zip; name=\"noheader.zip\"\n"
            b"Content-Transfer-Encoding: base64\n\n" + b64lines(z) +
            b"\n--bnh--\n")
    c.add("trick-part-noheaders", message(
        "trick-part-noheaders", body, "multipart/mixed; boundary=\"bnh\""),
        ["# a part with no headers (blank line right after the delimiter)",
         "# whose text looks like headers and base64: lenient readers see a",
         "# zip, strict ones text; the base64 must never reach the body",
         "exit 0", "body-contains noheader.zip"] + leak)

    z = marker_zip("uu")
    uu = uuencode("invoice.zip", z)
    body = (b"UU-BEFORE \xe6\x9c\xac\xe6\x96\x87\xe3\x81\xa7\xe3\x81\x99\xe3\x80\x82\n\n" +
            uu + b"\n\nUU-AFTER\n")
    c.add("trick-uuencode", message(
        "trick-uuencode", body, "text/plain; charset=utf-8", cte="8bit"),
        ["# uuencode block inside text/plain: Outlook and Thunderbird show it",
         "# as an attachment, so it is cut out and handled as one",
         "exit 0", "body-contains UU-BEFORE 本文です。", "body-contains UU-AFTER",
         "body-contains invoice.zip", "body-contains " + sha(z),
         "body-not-contains begin 644", "finding mail.inline_encoded removed",
         "finding mail.attachment removed", "attachments 0"])

    ydata = prng(400, "yenc")
    c.add("trick-yenc", message(
        "trick-yenc", b"YENC-BEFORE\n" + yencode("data.bin", ydata) + b"\nYENC-AFTER\n",
        "text/plain; charset=iso-8859-1", cte="8bit"),
        ["# yEnc block inside text/plain",
         "exit 0", "body-contains YENC-BEFORE", "body-contains YENC-AFTER",
         "body-contains data.bin", "body-contains " + sha(ydata),
         "body-not-contains =ybegin", "body-not-contains =yend",
         "finding mail.inline_encoded removed", "attachments 0"])

    hdata = b"BINHEX-PAYLOAD inert text\r" * 4
    c.add("trick-binhex", message(
        "trick-binhex", b"BINHEX-BEFORE\n\n" + binhex("notes.txt", hdata) +
        b"\n\nBINHEX-AFTER\n", "text/plain; charset=us-ascii", cte="7bit"),
        ["# BinHex 4.0 block inside text/plain",
         "exit 0", "body-contains BINHEX-BEFORE", "body-contains BINHEX-AFTER",
         "body-contains notes.txt", "body-contains " + sha(hdata),
         "body-not-contains BinHex 4.0", "body-not-contains BINHEX-PAYLOAD",
         "finding mail.inline_encoded removed", "attachments 0"])

    z = marker_zip("pre")
    pre = b"This is a multi-part message in MIME format.\n\n" + \
        uuencode("secret.zip", z) + b"\n"
    c.add("trick-uuencode-preamble", message(
        "trick-uuencode-preamble",
        multipart("bpre", [text_part("PREAMBLE-TEXT 本文です。\n")], preamble=pre),
        "multipart/mixed; boundary=\"bpre\""),
        ["# uuencoded file in the multipart preamble, which MIME readers",
         "# skip and uudecoding readers do not",
         "exit 0", "body-contains PREAMBLE-TEXT 本文です。",
         "body-contains secret.zip", "body-contains " + sha(z),
         "body-not-contains begin 644", "attachments 0"])

    rep = "TNEF-PAYLOAD-TEXT 報告書の本文\n".encode()
    tn = tnef_bytes("report.txt", rep)
    c.add("trick-tnef", message(
        "trick-tnef",
        multipart("btnef", [text_part("TNEF-TEXT 報告書を送ります。\n"),
                            att_part("winmail.dat", tn, "application/ms-tnef")]),
        "multipart/mixed; boundary=\"btnef\""),
        ["# winmail.dat (TNEF) with one attached file: unpacked, the file",
         "# listed by its own name",
         "exit 0", "body-contains TNEF-TEXT 報告書を送ります。",
         "body-contains report.txt", "body-contains " + sha(rep),
         "body-not-contains TNEF-PAYLOAD-TEXT", "finding mail.tnef removed",
         "attachments 0"])

    c.add("trick-external-body", message(
        "trick-external-body",
        multipart("bext", [text_part("EXTBODY-TEXT\n"),
                           part(["Content-Type: message/external-body; access-type=URL;"
                                 " URL=\"https://evil.example/payload.exe\""],
                                "Content-Type: application/octet-stream\n"
                                "Content-Disposition: attachment; filename=\"payload.exe\"\n\n")]),
        "multipart/mixed; boundary=\"bext\""),
        ["# message/external-body points at a remote file: removed",
         "exit 0", "body-contains EXTBODY-TEXT",
         "finding mime.external_body removed",
         "body-not-contains https://evil.example", "attachments 0"])

    c.add("trick-message-partial", message(
        "trick-message-partial",
        "PARTIAL-TEXT fragment 1 of 2 of a split message\n",
        "message/partial; id=\"split-1@corpus.example\"; number=1; total=2"),
        ["# message/partial: fragments are never reassembled or delivered",
         "exit 0", "finding mime.external_body removed",
         "body-not-contains PARTIAL-TEXT", "attachments 0"])


# ------------------------------------------------------------ nesting

def nesting_samples(c):
    inner_note = "INNER-ATTACHMENT-TEXT\n"
    inner = (("From: %s <partner@example.com>\nTo: sender@example.jp\n"
              "Subject: %s\nDate: %s\nMessage-ID: <inner@corpus.example>\n"
              "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"inner\"\n\n") %
             (bword("ISO-2022-JP", "取引先".encode("iso2022_jp")),
              bword("ISO-2022-JP", "見積の件".encode("iso2022_jp")), DATE)).encode() + \
        multipart("inner", [
            text_part(iso2022jp_ms("INNER-TEXT 見積書を添付します。①\n"),
                      "ISO-2022-JP", "7bit"),
            part(["Content-Type: text/plain; charset=utf-8; name=\"inner-note.txt\"",
                  "Content-Disposition: attachment; filename=\"inner-note.txt\""],
                 inner_note)])
    c.add("nest-rfc822", message(
        "nest-rfc822",
        multipart("bfwd", [text_part("FWD-OUTER-TEXT 転送します。\n"),
                           part(["Content-Type: message/rfc822",
                                 "Content-Disposition: attachment; filename=\"forward.eml\""],
                                inner)]),
        "multipart/mixed; boundary=\"bfwd\""),
        ["# attached message: its headers and text are shown after the outer",
         "# text, its own attachment is listed",
         "exit 0", "body-contains FWD-OUTER-TEXT 転送します。",
         "body-contains 見積の件", "body-contains partner@example.com",
         "body-contains 取引先",
         "body-contains INNER-TEXT 見積書を添付します。①",
         "body-contains inner-note.txt", "body-contains " + sha(inner_note.encode()),
         "body-not-contains INNER-ATTACHMENT-TEXT",
         "finding mail.rfc822 reported", "attachments 0", "charset utf-8"])

    lvl2 = ("From: origin@example.org\nTo: a@example.jp\nSubject: %s\nDate: %s\n"
            "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n"
            "LEVEL2-TEXT 元のメールです。\n" % (bword("UTF-8", "二重転送の元"), DATE)).encode()
    lvl1 = ("From: middle@example.net\nTo: b@example.jp\nSubject: Fwd: level one\n"
            "Date: %s\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"l1\"\n\n"
            % DATE).encode() + multipart("l1", [
                text_part("LEVEL1-TEXT\n"),
                part(["Content-Type: message/rfc822"], lvl2)])
    c.add("nest-rfc822-double", message(
        "nest-rfc822-double",
        multipart("bl0", [text_part("LEVEL0-TEXT\n"),
                          part(["Content-Type: message/rfc822"], lvl1)]),
        "multipart/mixed; boundary=\"bl0\""),
        ["# a message inside a message inside a message",
         "exit 0", "body-contains LEVEL0-TEXT", "body-contains LEVEL1-TEXT",
         "body-contains Fwd: level one", "body-contains 二重転送の元",
         "body-contains LEVEL2-TEXT 元のメールです。",
         "body-contains origin@example.org", "finding mail.rfc822 reported"])

    docm = docm_bytes()
    inner = ("From: partner@example.com\nTo: a@example.jp\nSubject: macro inside\n"
             "Date: %s\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"im\"\n\n"
             % DATE).encode() + multipart("im", [
                 text_part("INNER-MACRO-TEXT\n"),
                 att_part("inner.docm", docm,
                          "application/vnd.ms-word.document.macroEnabled.12")])
    c.add("nest-rfc822-docm", message(
        "nest-rfc822-docm",
        multipart("bim", [text_part("OUTER-TEXT\n"),
                          part(["Content-Type: message/rfc822"], inner)]),
        "multipart/mixed; boundary=\"bim\""),
        ["# the attached message's own macro attachment is handled like a",
         "# top-level one, even with attachments: sanitize",
         "policy attachments-sanitize.yaml",
         "exit 0", "body-contains INNER-MACRO-TEXT", "body-contains inner.docm",
         "body-contains " + sha(docm), "finding ooxml.vba removed",
         "attachments 1", "finding mail.attachment reported"])


# ------------------------------------------------------------ limits

def limit_samples(c):
    n = 40
    body = b"--d0\nContent-Type: text/plain; charset=utf-8\n\nDEPTH-TOP-TEXT\n"
    inner = b"Content-Type: text/plain; charset=utf-8\n\nDEPTH-DEEP-TEXT\n"
    for i in range(n - 1, 0, -1):
        inner = (b"Content-Type: multipart/mixed; boundary=\"d%d\"\n\n--d%d\n" % (i, i) +
                 inner + b"--d%d--\n" % i)
    body += b"--d0\n" + inner + b"--d0--\n"
    c.add("limit-depth40", message(
        "limit-depth40", body, "multipart/mixed; boundary=\"d0\""),
        ["# 40 nested multiparts, over limits.mime_depth (32): held, the",
         "# delivered mail is the notice alone, never a partial body",
         "exit 0", "verdict held", "finding limit.mime_depth held",
         "header Subject: limit-depth40",
         "body-not-contains DEPTH-TOP-TEXT", "body-not-contains DEPTH-DEEP-TEXT",
         "attachments 0"])

    parts = [part(["Content-Type: text/plain"], "PART-MARKER-%04d" % i)
             for i in range(1200)]
    c.add("limit-parts1200", message(
        "limit-parts1200", multipart("bp", parts), "multipart/mixed; boundary=\"bp\""),
        ["# 1200 parts, over limits.mime_parts (1000): held",
         "exit 0", "verdict held", "finding limit.mime_parts held",
         "header Subject: limit-parts1200",
         "body-not-contains PART-MARKER", "attachments 0"])

    filler = ["X-Filler-%04d: %s" % (i, "f" * 84) for i in range(1100)]
    c.add("limit-header-100k", message(
        "limit-header-100k", "HEADER-LIMIT-TEXT\n", "text/plain; charset=utf-8",
        cte="8bit", extra=filler),
        ["# header section over limits.header_bytes (102400): held",
         "exit 0", "verdict held", "finding limit.header_bytes held",
         "body-not-contains HEADER-LIMIT-TEXT", "attachments 0"])

    c.add("limit-line-4k", message(
        "limit-line-4k", "LINE-LIMIT-TEXT\n" + "L" * 4096 + "\n",
        "text/plain; charset=utf-8", cte="8bit"),
        ["# a 4 KB line with limits.line_length: 1KB: held, not truncated",
         "policy line-length-1kb.yaml",
         "exit 0", "verdict held", "finding limit.line_length held",
         "# the headers are fine: the notice names the message it stands for",
         "header Subject: limit-line-4k",
         "body-not-contains LINE-LIMIT-TEXT", "body-not-contains LLLLLLLL"])

    att = prng(15000, "size")
    c.add("limit-size-20k", message(
        "limit-size-20k",
        multipart("bsz", [text_part("SIZE-TEXT\n"), att_part("big.bin", att)]),
        "multipart/mixed; boundary=\"bsz\""),
        ["# a 20 KB message with mail.max_size: 10KB: rejected (nothing written)",
         "policy max-size-10kb.yaml", "exit 65"])

    # big ones: generated on demand, never committed
    c.add("limit-line-2mb", message(
        "limit-line-2mb", "LINE2MB-TEXT\n" + "A" * (2 * 1024 * 1024) + "\n",
        "text/plain; charset=utf-8", cte="8bit"),
        ["# one 2 MB line with limits.line_length: 1MB: held",
         "policy line-length-1mb.yaml",
         "exit 0", "verdict held", "finding limit.line_length held",
         "header Subject: limit-line-2mb",
         "body-not-contains LINE2MB-TEXT", "body-not-contains AAAAAAAA"], big=True)

    # HTML nested past the walk's depth (256): held, never a partial body
    c.add("limit-html-deep", message(
        "limit-html-deep", "<p>DEEP-TEXT</p>" + "<div>" * 400 + "INNER\n",
        "text/html; charset=utf-8", cte="8bit"),
        ["# HTML nested 400 deep: limit.xml_depth, the message is held",
         "exit 0", "verdict held", "finding limit.xml_depth held",
         "header Subject: limit-html-deep",
         "body-not-contains DEEP-TEXT", "body-not-contains INNER"])
    # 60,000 start tags: over limits.xml_nodes / 100, held before gumbo
    # (whose time grows with the square of the nesting) ever sees it
    c.add("limit-html-tags", message(
        "limit-html-tags", "<p>TAGS-TEXT</p>" + "<div>" * 60000 + "\n",
        "text/html; charset=utf-8", cte="8bit"),
        ["# 60,000 nested start tags: held without parsing",
         "exit 0", "verdict held", "finding limit.xml_nodes held",
         "body-not-contains TAGS-TEXT"], big=True)

    att = prng(3 * 1024 * 1024, "size3mb")
    c.add("limit-size-3mb", message(
        "limit-size-3mb",
        multipart("bsz3", [text_part("SIZE3MB-TEXT\n"), att_part("big.bin", att)]),
        "multipart/mixed; boundary=\"bsz3\""),
        ["# a 4 MB message (3 MB file in base64) with mail.max_size: 1MB: rejected",
         "policy max-size-1mb.yaml", "exit 65"], big=True)


# ------------------------------------------------------------ S/MIME, PGP

FAKE_PGP_SIG = """-----BEGIN PGP SIGNATURE-----

iHUEARYKAB0WIQRzYW5zbyBjb3JwdXMgdGhyb3dhd2F5IGtleQAKCRBzYW5zbyBj
b3JwdXMgZmFrZSBzaWduYXR1cmUgYnl0ZXMgb25seQAAAAAAAAAAAAAAAAAAAAA=
=abcd
-----END PGP SIGNATURE-----
"""


def signed_samples(c):
    # The signed entity is signed in canonical form (CRLF), so this
    # message is written with CRLF throughout.
    signed = part(["Content-Type: text/plain; charset=utf-8",
                   "Content-Transfer-Encoding: 8bit"],
                  "SMIME-SIGNED-TEXT 署名付きの本文です。\n")
    sig = cms_sign(signed.replace(b"\n", b"\r\n"), detached=True)
    if sig is not None:
        body = multipart("bsig", [
            signed,
            part(["Content-Type: application/pkcs7-signature; name=\"smime.p7s\"",
                  "Content-Transfer-Encoding: base64",
                  "Content-Disposition: attachment; filename=\"smime.p7s\""],
                 b64lines(sig, 64))],
            preamble="This is an S/MIME signed message\n")
        c.add("sig-smime-detached", message(
            "sig-smime-detached", body,
            "multipart/signed; protocol=\"application/pkcs7-signature\"; "
            "micalg=sha-256; boundary=\"bsig\"", nl=b"\r\n"),
            ["# S/MIME detached signature: text kept, signature removed",
             "exit 0", "verdict sanitized",
             "body-contains SMIME-SIGNED-TEXT 署名付きの本文です。",
             "finding mail.signature removed", "no-finding mail.encrypted",
             "attachments 0"])

    body = multipart("bpgp", [
        part(["Content-Type: text/plain; charset=utf-8",
              "Content-Transfer-Encoding: quoted-printable"],
             qp("PGPMIME-SIGNED-TEXT PGP署名付きの本文です。\n".encode())),
        part(["Content-Type: application/pgp-signature; name=\"signature.asc\"",
              "Content-Description: OpenPGP digital signature",
              "Content-Disposition: attachment; filename=\"signature.asc\""],
             FAKE_PGP_SIG)])
    c.add("sig-pgp-mime", message(
        "sig-pgp-mime", body,
        "multipart/signed; micalg=pgp-sha256; protocol=\"application/pgp-signature\";"
        " boundary=\"bpgp\""),
        ["# PGP/MIME signature: text kept, signature removed",
         "exit 0", "body-contains PGPMIME-SIGNED-TEXT PGP署名付きの本文です。",
         "body-not-contains BEGIN PGP", "finding mail.signature removed",
         "no-finding mail.encrypted", "attachments 0"])

    clear = ("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n"
             "INLINE-PGP-TEXT 署名された本文です。\n"
             "- --- 区切り ---\n"
             "最後の行。\n" + FAKE_PGP_SIG)
    c.add("sig-pgp-inline", message(
        "sig-pgp-inline", clear, "text/plain; charset=utf-8", cte="8bit"),
        ["# inline PGP clear-signed text: armour and signature gone, text kept",
         "# with its dash-escaping undone",
         "exit 0", "body-contains INLINE-PGP-TEXT 署名された本文です。",
         "body-contains --- 区切り ---", "body-not-contains - --- 区切り",
         "body-contains 最後の行。",
         "body-not-contains BEGIN PGP", "body-not-contains END PGP",
         "body-not-contains Hash: SHA256", "finding mail.signature removed"])

    enc = ("-----BEGIN PGP MESSAGE-----\n\n"
           + b64lines(prng(300, "pgpenc"), 64).decode() + "\n=wxyz\n"
           "-----END PGP MESSAGE-----\n")
    body = multipart("benc", [
        part(["Content-Type: application/pgp-encrypted",
              "Content-Description: PGP/MIME version identification"], "Version: 1\n"),
        part(["Content-Type: application/octet-stream; name=\"encrypted.asc\"",
              "Content-Disposition: inline; filename=\"encrypted.asc\""], enc)],
        preamble="This is an OpenPGP/MIME encrypted message (RFC 4880 and 3156)")
    c.add("sig-pgp-encrypted", message(
        "sig-pgp-encrypted", body,
        "multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=\"benc\""),
        ["# PGP/MIME encrypted: cannot be inspected, held",
         "exit 0", "verdict held", "finding mail.encrypted held",
         "body-not-contains BEGIN PGP MESSAGE", "attachments 0"])

    c.add("sig-smime-enveloped", message(
        "sig-smime-enveloped", b64lines(enveloped_der()),
        "application/pkcs7-mime; smime-type=enveloped-data; name=\"smime.p7m\"",
        cte="base64",
        extra=["Content-Disposition: attachment; filename=\"smime.p7m\""]),
        ["# S/MIME enveloped (encrypted): held",
         "exit 0", "verdict held", "finding mail.encrypted held",
         "attachments 0"])

    inner = ("Content-Type: text/plain; charset=utf-8\r\n"
             "Content-Transfer-Encoding: 8bit\r\n\r\n"
             "OPAQUE-SIGNED-TEXT 署名付き本文です。\r\n").encode()
    sd = cms_sign(inner, detached=False)
    if sd is not None:
        c.add("sig-smime-opaque", message(
            "sig-smime-opaque", b64lines(sd),
            "application/pkcs7-mime; smime-type=signed-data; name=\"smime.p7m\"",
            cte="base64",
            extra=["Content-Disposition: attachment; filename=\"smime.p7m\""]),
            ["# S/MIME opaque signed-data: the signed entity is read out of the",
             "# CMS structure and textified; the signature removed",
             "exit 0", "body-contains OPAQUE-SIGNED-TEXT 署名付き本文です。",
             "finding mail.signature removed", "no-finding mail.encrypted",
             "attachments 0"])


# ------------------------------------------------------------ plain

def plain_samples(c):
    c.add("plain-ascii-clean", message(
        "plain-ascii-clean",
        "Hello,\n\nThe meeting is moved to Thursday at 10:00.\n\nRegards,\nSato\n",
        "text/plain; charset=us-ascii", cte="7bit", subject="Meeting moved",
        frm="Sato Ichiro <sato@example.jp>",
        extra=["X-Mailer: corpus", "Received: from mx.example.jp by gw"]),
        ["# plain ASCII, nothing to do: clean, no notice, the text as is",
         "exit 0", "verdict clean", "header Subject: Meeting moved",
         "header From: Sato Ichiro <sato@example.jp>",
         "header To: user@city.example.lg.jp",
         "header Message-ID: <plain-ascii-clean@corpus.example>",
         "header X-Sanso: CHG_TEXT",
         "body-contains The meeting is moved to Thursday at 10:00.",
         "body-contains Regards,", "body-not-contains sanso",
         "body-not-contains 無害化", "attachments 0"])


# ------------------------------------------------------------ output

def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def write_expect(path, lines):
    text = "# generated by tests/corpus/gen/mail.py\n" + "\n".join(lines) + "\n"
    write(path, text.encode("utf-8"))


def build():
    c = Corpus()
    charset_samples(c)
    html_samples(c)
    attachment_samples(c)
    trick_samples(c)
    nesting_samples(c)
    limit_samples(c)
    signed_samples(c)
    plain_samples(c)
    return c


def main(argv):
    big = False
    args = list(argv[1:])
    if args and args[0] == "--big":
        big = True
        args.pop(0)
        if not args:
            sys.stderr.write("usage: mail.py --big OUTDIR\n")
            return 2
    out = args[0] if args else DEFAULT_OUT
    c = build()
    os.makedirs(out, exist_ok=True)
    if big:
        for name, data, expect, is_big in c.samples:
            if is_big:
                write(os.path.join(out, name + ".eml"), data)
                write_expect(os.path.join(out, name + ".expect"), expect)
        return 0
    pol = os.path.join(out, "policies")
    bigdir = os.path.join(out, "big")
    os.makedirs(pol, exist_ok=True)
    os.makedirs(bigdir, exist_ok=True)
    for fn, text in sorted(POLICIES.items()):
        write(os.path.join(pol, fn), text.encode())
    write(os.path.join(bigdir, ".gitignore"), b"*.eml\n")
    for name, data, expect, is_big in c.samples:
        if is_big:
            write_expect(os.path.join(bigdir, name + ".expect"), expect)
            continue
        assert len(data) <= 200 * 1024, name
        write(os.path.join(out, name + ".eml"), data)
        write_expect(os.path.join(out, name + ".expect"), expect)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
