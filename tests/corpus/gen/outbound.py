#!/usr/bin/env python3
"""Write the outbound mail corpus of tests/corpus/outbound/
(`sanso mail check-outbound`, mail leaving LGWAN).

    python3 tests/corpus/gen/outbound.py [OUTDIR]

Standard library only, plus qpdf (already needed by gen/pdf.py) for the
encrypted PDFs. The OLE2 writer, the ECMA-376 Agile encryption and the
BIFF RC4 encryption come from gen/ole.py, the PDF writer from gen/pdf.py.
The output is byte for byte reproducible: fixed dates and zip times,
'random' bytes derived from labels, qpdf's static id and IV switches, a
hand-made CMS EnvelopedData (AES key wrap of a fixed key).

Each NAME.eml has NAME.expect, one assertion a line ('#' comments):
  policy FILE.yaml          run with --policy policies/FILE.yaml
  exit 0|65|4               0 pass (message on stdout), 65 rejected,
                            4 held (nothing on stdout, the reason in
                            Japanese and English on stderr)
  verdict clean|sanitized|blocked|held
  finding CODE ACTION       among the findings of the --report JSON
  no-finding CODE
  header NAME: VALUE        the output header, RFC 2047 decoded and
                            unfolded (email.policy.default), equals VALUE
  no-header NAME            the output has no such header
  same-body                 the output after the header is byte-identical
                            to the input's
The expectations say what the policy requires (seed 002 2.(2)⑦⑨,
6.1(14)③, 6.1(15)①③), not what one build happens to do.
"""

import base64
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
sys.path.insert(0, HERE)
import ole  # noqa: E402
import pdf  # noqa: E402

DEFAULT_OUT = os.path.normpath(os.path.join(HERE, "..", "outbound"))
DATE = "Mon, 01 Apr 2024 09:00:00 +0900"
ZIP_DT = (2024, 4, 1, 9, 0, 0)
FROM = "=?UTF-8?B?%s?= <taro@city.example.lg.jp>" % base64.b64encode(
    "山田 太郎".encode()).decode()

POLICIES = {
    "city.yaml": """# A three-zone city: 機密性3 rejected, 機密性2 must be encrypted,
# more than one external recipient moved to Bcc, auto-forward rejected.
organization: corpus
classification: seed
mail:
  max_size: 1MB
  internal_domains: [city.example.lg.jp, example.jp]
  outbound:
    confidential3: reject
    confidential2: require-encryption
    external_recipients_max: 1
    external_recipients_action: bcc
    auto_forward: reject
""",
    "hold.yaml": """# Everything held for a person to release instead of rejected.
organization: corpus
classification: seed
mail:
  max_size: 1MB
  internal_domains: [city.example.lg.jp]
  outbound:
    confidential3: hold
    confidential2: hold
    external_recipients_max: 1
    external_recipients_action: hold
    auto_forward: hold
""",
    "r6.yaml": """# R6 scheme (機密性3A/3B/3C/2/1), its own label header, 機密性2
# without encryption rejected outright.
organization: corpus
classification: r6
mail:
  max_size: 1MB
  internal_domains: [city.example.lg.jp]
  classification_header: X-Johokanri-Label
  outbound:
    confidential3: reject
    confidential2: reject
    external_recipients_max: 3
    external_recipients_action: bcc
    auto_forward: reject
""",
    "small.yaml": """# A 10 KB outbound limit so that the size sample stays small.
organization: corpus
mail:
  max_size: 10KB
  internal_domains: [city.example.lg.jp]
  outbound:
    confidential3: reject
    confidential2: require-encryption
    external_recipients_max: 1
    external_recipients_action: bcc
    auto_forward: reject
""",
}


# ------------------------------------------------------------ helpers

def B(s):
    return s if isinstance(s, bytes) else s.encode("utf-8")


def det(label, n):
    return ole.det_bytes("outbound-" + label, n)


def b64lines(data):
    s = base64.b64encode(data)
    return b"\n".join(s[i:i + 76] for i in range(0, len(s), 76))


def bword(text, charset="UTF-8"):
    return "=?%s?B?%s?=" % (charset, base64.b64encode(
        text.encode(charset.lower().replace("-", "_"))).decode())


def message(headers, body=b"", ctype=None, nl=b"\n"):
    """From, Date, Message-ID, then headers (list of "Name: value"),
    MIME-Version and Content-Type when ctype, then body (LF ends)."""
    h = [b"From: " + B(FROM), b"Date: " + B(DATE)]
    h += [B(x) for x in headers]
    h.append(b"Message-ID: <%s@city.example.lg.jp>" %
             hashlib.sha256(b"\n".join(h)).hexdigest()[:16].encode())
    if ctype is not None:
        h += [b"MIME-Version: 1.0", b"Content-Type: " + B(ctype)]
    raw = b"\n".join(h) + b"\n\n" + B(body)
    if not raw.endswith(b"\n"):
        raw += b"\n"
    return raw.replace(b"\n", nl) if nl != b"\n" else raw


def part(headers, body):
    return b"\n".join(B(x) for x in headers) + b"\n\n" + B(body)


def multipart(boundary, parts):
    out = b""
    for p in parts:
        out += b"--" + B(boundary) + b"\n" + B(p) + b"\n"
    return out + b"--" + B(boundary) + b"--\n"


def text_part(text):
    return part(["Content-Type: text/plain; charset=UTF-8",
                 "Content-Transfer-Encoding: 8bit"], text)


def att_part(filename, data, ctype="application/octet-stream",
             disp_name=None):
    """An attachment; disp_name (raw parameter text) overrides the
    plain quoted filename."""
    dn = disp_name or 'filename="%s"' % filename
    return part(["Content-Type: %s; name=\"%s\"" % (ctype, filename),
                 "Content-Disposition: attachment; %s" % dn,
                 "Content-Transfer-Encoding: base64"], b64lines(data))


def mixed(headers, text, atts):
    return message(headers, multipart("=_sanso_b1", [text_part(text)] + atts),
                   'multipart/mixed; boundary="=_sanso_b1"')


# ------------------------------------------------------------ zips

def crc_table():
    t = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0xEDB88320 if c & 1 else c >> 1
        t.append(c)
    return t


CRC = crc_table()


def zipcrypto(data, password, crc):
    """Traditional PKWARE encryption (APPNOTE 6.1) with a deterministic
    12-byte header whose last byte checks the CRC."""
    keys = [0x12345678, 0x23456789, 0x34567890]

    def upd(c):
        keys[0] = (keys[0] >> 8) ^ CRC[(keys[0] ^ c) & 0xFF]
        keys[1] = ((keys[1] + (keys[0] & 0xFF)) * 134775813 + 1) & 0xFFFFFFFF
        keys[2] = (keys[2] >> 8) ^ CRC[(keys[2] ^ (keys[1] >> 24)) & 0xFF]
    for c in password:
        upd(c)
    out = bytearray()
    for p in det("zc-head", 11) + bytes([crc >> 24]) + data:
        k = keys[2] | 2
        out.append(p ^ (((k * (k ^ 1)) >> 8) & 0xFF))
        upd(p)
    return bytes(out)


def zip_raw(members):
    """members: (name, data, mode) with mode "plain", "zipcrypto" or
    "aes" (WinZip AE-2 structure; the data is not really encrypted, the
    gateway only reads the header). Stored, UTF-8 flagged names."""
    local, central = b"", b""
    for name, data, mode in members:
        nb = name.encode()
        crc = zlib.crc32(data)
        flags, method, extra, payload = 0x800, 0, b"", data
        if mode == "zipcrypto":
            flags |= 1
            payload = zipcrypto(data, b"s3cret", crc)
        elif mode == "aes":
            flags |= 1
            method = 99
            extra = struct.pack("<HHH2sBH", 0x9901, 7, 2, b"AE", 3, 0)
            payload = det("aes-salt", 16) + det("aes-" + name, len(data)) + \
                det("aes-mac", 12)
            crc = 0
        off = len(local)
        hdr = struct.pack("<HHHHHIII", 20, flags, method, 0x4800, 0x5881,
                          crc, len(payload), len(data))
        local += b"PK\x03\x04" + hdr + struct.pack("<HH", len(nb),
                                                   len(extra)) + nb + extra + payload
        central += b"PK\x01\x02" + struct.pack("<H", 20) + hdr + \
            struct.pack("<HHHHHII", len(nb), len(extra), 0, 0, 0, 0, off) + \
            nb + extra
    return local + central + b"PK\x05\x06" + struct.pack(
        "<HHHHIIH", 0, 0, len(members), len(members), len(central),
        len(local), 0)


def check_zipcrypto(z, name, data):
    with zipfile.ZipFile(io.BytesIO(z)) as zf:
        assert zf.read(name, pwd=b"s3cret") == data


def zip_std(files):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files:
            zi = zipfile.ZipInfo(name, ZIP_DT)
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, data)
    return b.getvalue()


def docx(custom=None, title="議事録"):
    """A minimal .docx; custom: (name, value) of one custom property."""
    ct = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
          '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
          '<Default Extension="xml" ContentType="application/xml"/>'
          '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
          '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
          '<Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"/>'
          '</Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
            '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties" Target="docProps/custom.xml"/>'
            '</Relationships>')
    doc = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
           '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
           '<w:body><w:p><w:r><w:t>会議の記録</w:t></w:r></w:p></w:body></w:document>')
    core = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>%s</dc:title>'
            '<dc:creator>総務課</dc:creator></cp:coreProperties>' % title)
    props = ""
    if custom:
        props = ('<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" '
                 'name="%s"><vt:lpwstr>%s</vt:lpwstr></property>' % custom)
    cust = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
            'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">%s'
            '</Properties>' % props)
    return zip_std([("[Content_Types].xml", ct), ("_rels/.rels", rels),
                    ("word/document.xml", doc), ("docProps/core.xml", core),
                    ("docProps/custom.xml", cust)])


# ------------------------------------------------------------ PDFs

def pdf_utf16(text):
    return "<FEFF%s>" % text.encode("utf-16-be").hex().upper()


def pdf_plain(info):
    p = pdf.Pdf()
    root = pdf.page_doc(p)
    num = p.add(info)
    return p.build(root, info=num)


def pdf_objstm_info(info):
    """PDF 1.5: the Info dictionary inside a compressed object stream,
    the trailer a cross-reference stream (what Word's export writes):
    no byte scan finds the label, a PDF reader does."""
    p = pdf.Pdf("1.5")
    root = pdf.page_doc(p)
    info_num = p.add(info)
    packed = [info_num, 2]
    heads, bodies = [], b""
    for num in packed:
        heads.append("%d %d" % (num, len(bodies)))
        bodies += p.objs.pop(num) + b"\n"
    head = (" ".join(heads) + "\n").encode()
    stm = max(list(p.objs) + packed) + 1
    p.objs[stm] = pdf.Pdf.stream("/Type /ObjStm /N %d /First %d" % (
        len(packed), len(head)), head + bodies, compress=True)
    out, offsets = p.body()
    xref = stm + 1
    rows = b""
    for num in range(xref + 1):
        if num in offsets:
            rows += bytes([1]) + offsets[num].to_bytes(4, "big") + b"\0"
        elif num in packed:
            rows += bytes([2]) + stm.to_bytes(4, "big") + \
                bytes([packed.index(num)])
        elif num == xref:
            rows += bytes([1]) + len(out).to_bytes(4, "big") + b"\0"
        else:
            rows += b"\0\0\0\0\0\xff"
    xref_ofs = len(out)
    out += b"%d 0 obj\n" % xref + pdf.Pdf.stream(
        "/Type /XRef /Size %d /W [1 4 1] /Root %d 0 R /Info %d 0 R" % (
            xref + 1, root, info_num), rows, compress=True) + b"\nendobj\n"
    out += b"startxref\n%d\n%%%%EOF\n" % xref_ofs
    return bytes(out)


def pdf_encrypt(data, user, owner):
    qpdf = shutil.which("qpdf")
    if qpdf is None:
        sys.exit("qpdf is needed for the encrypted PDF samples")
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = os.path.join(tmp, "in.pdf"), os.path.join(tmp, "out.pdf")
        with open(src, "wb") as f:
            f.write(data)
        subprocess.run([qpdf, "--static-id", "--static-aes-iv", "--encrypt",
                        user, owner, "128", "--use-aes=y", "--", src, dst],
                       check=True)
        with open(dst, "rb") as f:
            return f.read()


# ------------------------------------------------------------ S/MIME

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


def aes_key_wrap(kek, key):
    """RFC 3394 with the pure-Python AES of gen/ole.py."""
    a = b"\xa6" * 8
    r = [key[i:i + 8] for i in range(0, len(key), 8)]
    n = len(r)
    for j in range(6):
        for i in range(n):
            b = ole.aes_ecb(kek, a + r[i])
            t = n * j + i + 1
            a = (int.from_bytes(b[:8], "big") ^ t).to_bytes(8, "big")
            r[i] = b[8:]
    return a + b"".join(r)


def smime_enveloped(inner):
    """CMS EnvelopedData for a pre-shared key (KEKRecipientInfo,
    AES-128 key wrap, AES-128-CBC): `openssl cms -decrypt -secretkey
    4b4b...4b -secretkeyid 01` opens it."""
    kek, cek, iv = b"K" * 16, det("cek", 16), det("iv", 16)
    kekri = der(0xA2, der(0x02, b"\x04") + der(0x30, der(0x04, b"\x01")) +
                der(0x30, oid("2.16.840.1.101.3.4.1.5")) +
                der(0x04, aes_key_wrap(kek, cek)))
    eci = der(0x30, oid("1.2.840.113549.1.7.1") +
              der(0x30, oid("2.16.840.1.101.3.4.1.2") + der(0x04, iv)) +
              der(0x80, ole.aes_cbc(cek, iv, pkcs7(inner))))
    env = der(0x30, der(0x02, b"\x02") + der(0x31, kekri) + eci)
    return der(0x30, oid("1.2.840.113549.1.7.3") + der(0xA0, env))


def pkcs7(data):
    n = 16 - len(data) % 16
    return data + bytes([n]) * n


# ------------------------------------------------------------ samples

class Corpus:
    def __init__(self):
        self.samples = []

    def add(self, name, data, expect):
        assert all(n != name for n, _, _ in self.samples), name
        self.samples.append((name, data, expect))


EXT2 = "To: partner-a@example.com, partner-b@example.org"


def pass_samples(c):
    c.add("pass-internal", message(
        ["To: hanako@city.example.lg.jp", "Cc: jiro@soumu.city.example.lg.jp",
         "Subject: " + bword("会議の日程")], "来週の会議は第三会議室です。\n"),
        ["policy city.yaml", "exit 0", "verdict clean", "same-body",
         "header To: hanako@city.example.lg.jp",
         "no-finding outbound.external_recipients"])
    c.add("pass-one-external", message(
        ["To: partner@example.com", "Cc: Hanako@CITY.Example.LG.JP",
         "Subject: " + bword("ご案内")], "資料は追ってお送りします。\n"),
        ["policy city.yaml", "exit 0", "verdict clean", "same-body",
         "header To: partner@example.com"])
    c.add("pass-level1", message(
        ["To: partner@example.com", "X-Classification: 機密性1",
         "Subject: " + bword("【機密性1】公開資料")], "公開資料です。\n"),
        ["policy city.yaml", "exit 0", "verdict clean",
         "finding outbound.label reported"])
    c.add("pass-not-a-tag", message(
        ["To: partner@example.com",
         "Subject: " + bword("機密性2の取扱いについて")], "研修のご案内です。\n"),
        ["# 機密性2 followed by の is a topic, not a label",
         "policy city.yaml", "exit 0", "verdict clean",
         "no-finding outbound.label"])

    name = "名簿.csv"
    data = "氏名,所属\n山田,総務課\n".encode("cp932")
    z = zip_raw([(name, data, "zipcrypto")])
    check_zipcrypto(z, name, data)
    c.add("l2-zip-zipcrypto", mixed(
        ["To: partner@example.com", "Subject: " + bword("【機密性2】名簿")],
        "パスワードは別途お送りします。\n", [att_part("meibo.zip", z, "application/zip")]),
        ["# 機密性2, every member encrypted (PKWARE), clear cover note",
         "policy city.yaml", "exit 0", "verdict clean", "same-body",
         "finding outbound.label reported"])
    c.add("l2-zip-aes", mixed(
        ["To: partner@example.com", "X-Classification: confidential2",
         "Subject: " + bword("名簿")],
        "パスワードは別途お送りします。\n",
        [att_part("meibo.zip", zip_raw([("a/", b"", "plain"),
                                        ("a/meibo.xlsx", det("x", 300), "aes")]),
                  "application/zip")]),
        ["# AES (WinZip AE-2) members; a folder entry has nothing to encrypt",
         "policy city.yaml", "exit 0", "verdict clean"])
    secret_pdf = pdf_encrypt(pdf_plain("<< /Title (Budget) >>"), "secret", "owner")
    c.add("l2-pdf-user-password", mixed(
        ["To: partner@example.com", "Subject: " + bword("[機密性２] 予算案")],
        "パスワードは別途お送りします。\n", [att_part("budget.pdf", secret_pdf,
                                               "application/pdf")]),
        ["policy city.yaml", "exit 0", "verdict clean"])
    inner = b"Content-Type: text/plain; charset=UTF-8\r\n\r\n" + \
        "名簿を送ります。\r\n".encode()
    c.add("l2-smime-enveloped", message(
        ["To: partner@example.com", "Subject: " + bword("【機密性2】名簿")],
        b64lines(smime_enveloped(inner)),
        "application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\n"
        "Content-Disposition: attachment; filename=smime.p7m\n"
        "Content-Transfer-Encoding: base64"),
        ["# the whole message S/MIME encrypted, as Outlook sends it",
         "policy city.yaml", "exit 0", "verdict clean"])
    armor = b"-----BEGIN PGP MESSAGE-----\n\n" + b64lines(
        b"\x84\x5e\x03" + det("pgp", 90)) + b"\n=AbCd\n-----END PGP MESSAGE-----\n"
    c.add("l2-pgp-mime", message(
        ["To: partner@example.com", "Subject: " + bword("【機密性2】名簿")],
        multipart("=_pgp", [part(["Content-Type: application/pgp-encrypted"],
                                 "Version: 1\n"),
                            part(["Content-Type: application/octet-stream; "
                                  "name=encrypted.asc"], armor)]),
        'multipart/encrypted; protocol="application/pgp-encrypted"; '
        'boundary="=_pgp"'),
        ["policy city.yaml", "exit 0", "verdict clean"])
    pkg = ole.minimal_xlsx()
    c.add("l2-xlsx-encrypted", mixed(
        ["To: partner@example.com", "Subject: " + bword("【機密性2】集計表")],
        "パスワードは別途お送りします。\n",
        [att_part("shukei.xlsx", ole.encrypted_ooxml(*ole.encrypt_agile(pkg, "s3cret")))]),
        ["# ECMA-376 Agile encryption in an OLE2 envelope",
         "policy city.yaml", "exit 0", "verdict clean"])
    c.add("l2-xlsx-velvetsweatshop", mixed(
        ["To: partner@example.com", "Subject: " + bword("【機密性2】集計表")],
        "集計表です。\n",
        [att_part("shukei.xlsx", ole.encrypted_ooxml(
            *ole.encrypt_agile(pkg, "VelvetSweatshop")))]),
        ["# encrypted with the password Excel tries by itself: no protection",
         "policy city.yaml", "exit 65", "verdict blocked",
         "finding outbound.unencrypted blocked"])
    c.add("l2-xls-rc4", mixed(
        ["To: partner@example.com", "Subject: " + bword("【機密性2】集計表")],
        "パスワードは別途お送りします。\n",
        [att_part("shukei.xls", ole.build(ole.xls_rc4(ole.SHEET1, "s3cret")))]),
        ["# Excel 97-2003 password (RC4): encrypted",
         "policy city.yaml", "exit 0", "verdict clean"])


def bcc_samples(c):
    c.add("bcc-rewrite", message(
        ["To: " + bword("取引先 A") + " <partner-a@example.com>, "
         "hanako@city.example.lg.jp,\n partner-b@example.org",
         "Cc: partner-c@example.net, PARTNER-A@EXAMPLE.COM, "
         "jiro@soumu.city.example.lg.jp",
         "Subject: " + bword("説明会のご案内")],
        "説明会のご案内です。\n\n-- \n総務課\n"),
        ["# three distinct external addresses (one given twice) > 1",
         "policy city.yaml", "exit 0", "verdict sanitized",
         "finding outbound.external_recipients removed",
         "header To: hanako@city.example.lg.jp",
         "header Cc: jiro@soumu.city.example.lg.jp",
         "header Bcc: 取引先 A <partner-a@example.com>, partner-b@example.org, "
         "partner-c@example.net",
         "header Subject: 説明会のご案内", "same-body"])
    c.add("bcc-undisclosed", message(
        [EXT2 + ", partner-c@example.net", "Subject: " + bword("ご案内")],
        "ご案内です。\n", None, nl=b"\r\n"),
        ["# every recipient external; CRLF line ends kept",
         "policy city.yaml", "exit 0", "verdict sanitized",
         "header To: undisclosed-recipients:;",
         "header Bcc: partner-a@example.com, partner-b@example.org, "
         "partner-c@example.net", "no-header Cc", "same-body"])
    c.add("bcc-group", message(
        ["To: " + bword("説明会参加者") + ": partner-a@example.com, "
         "partner-b@example.org;", "Cc: hanako@city.example.lg.jp",
         "Subject: x"], "body\n"),
        ["policy city.yaml", "exit 0", "verdict sanitized",
         "header Bcc: partner-a@example.com, partner-b@example.org",
         "header Cc: hanako@city.example.lg.jp"])
    c.add("bcc-hold", message([EXT2, "Subject: x"], "body\n"),
          ["policy hold.yaml", "exit 4", "verdict held",
           "finding outbound.external_recipients held"])
    c.add("bcc-under-r6-limit", message(
        [EXT2 + ", partner-c@example.net", "Subject: x"], "body\n"),
        ["# r6.yaml allows three", "policy r6.yaml", "exit 0",
         "verdict clean"])


def reject_samples(c):
    c.add("l3-header", message(
        ["To: partner@example.com", "X-Classification: 機密性3",
         "Subject: " + bword("人事案")], "人事案です。\n"),
        ["policy city.yaml", "exit 65", "verdict blocked",
         "finding outbound.confidential3 blocked",
         "finding outbound.label reported"])
    c.add("l3-subject-r6", message(
        ["To: hanako@city.example.lg.jp",
         "Subject: " + bword("【機密性3A】人事案", "ISO-2022-JP")], "人事案です。\n"),
        ["# R6 label, internal recipient only: level 3 still never leaves",
         "policy r6.yaml", "exit 65", "verdict blocked",
         "finding outbound.confidential3 blocked"])
    c.add("l3-attachment-name-sjis", mixed(
        ["To: partner@example.com", "Subject: " + bword("資料")], "資料です。\n",
        [att_part("meibo.xlsx", det("xlsx", 200), disp_name=(
            "filename*=shift_jis''" + "".join(
                "%%%02X" % b for b in "名簿【機密性３】.xlsx".encode("cp932"))))]),
        ["# RFC 2231 Shift_JIS file name, full-width digit",
         "policy city.yaml", "exit 65", "verdict blocked",
         "finding outbound.confidential3 blocked"])
    c.add("l3-zip-member-name", mixed(
        ["To: partner@example.com", "Subject: " + bword("資料")], "資料です。\n",
        [att_part("shiryo.zip", zip_raw([("【機密性3】名簿.csv", b"a,b\n",
                                           "zipcrypto")]), "application/zip")]),
        ["# member names are readable even in an encrypted zip",
         "policy city.yaml", "exit 65", "verdict blocked",
         "finding outbound.confidential3 blocked"])
    c.add("l3-docx-custom", mixed(
        ["To: partner@example.com", "Subject: " + bword("議事録")], "議事録です。\n",
        [att_part("gijiroku.docx", docx(("機密性", "3")),
                  "application/vnd.openxmlformats-officedocument."
                  "wordprocessingml.document")]),
        ["policy city.yaml", "exit 65", "verdict blocked",
         "finding outbound.confidential3 blocked"])
    c.add("l2-docx-core-title", mixed(
        ["To: partner@example.com", "Subject: " + bword("議事録")], "議事録です。\n",
        [att_part("gijiroku.docx", docx(None, "【機密性2】議事録"))]),
        ["policy city.yaml", "exit 65", "verdict blocked",
         "finding outbound.unencrypted blocked"])
    c.add("l3-pdf-objstm-info", mixed(
        ["To: partner@example.com", "Subject: " + bword("予算")], "予算です。\n",
        [att_part("yosan.pdf", pdf_objstm_info(
            "<< /Title (Budget) /Keywords %s >>" % pdf_utf16("予算 【機密性3】")),
            "application/pdf")]),
        ["# Info (UTF-16) inside a compressed object stream",
         "policy city.yaml", "exit 65", "verdict blocked",
         "finding outbound.confidential3 blocked"])
    c.add("l3-pdf-owner-password-info", mixed(
        ["To: partner@example.com", "Subject: " + bword("予算")], "予算です。\n",
        [att_part("yosan.pdf", pdf_encrypt(pdf_plain(
            "<< /Subject %s >>" % pdf_utf16("【機密性3】予算")), "", "owner"),
            "application/pdf")]),
        ["# only an owner password: opens for anyone, its (encrypted) Info",
         "# is read, and it does not count as encrypted",
         "policy city.yaml", "exit 65", "verdict blocked",
         "finding outbound.confidential3 blocked"])
    c.add("l3-attached-message", message(
        ["To: partner@example.com", "Subject: " + bword("Fwd: 人事")],
        multipart("=_m", [text_part("転送します。\n"),
                          part(["Content-Type: message/rfc822"], message(
                              ["To: hanako@city.example.lg.jp",
                               "Subject: " + bword("【機密性3】人事案")],
                              "人事案です。\n"))]),
        'multipart/mixed; boundary="=_m"'),
        ["policy city.yaml", "exit 65", "verdict blocked",
         "finding outbound.confidential3 blocked"])
    c.add("l3-hold", message(
        ["To: partner@example.com", "Subject: " + bword("【機密性3】人事案")],
        "人事案です。\n"),
        ["policy hold.yaml", "exit 4", "verdict held",
         "finding outbound.confidential3 held"])

    c.add("l2-plain-body", message(
        ["To: partner@example.com", "Subject: " + bword("【機密性2】住所一覧")],
        "住所一覧を本文に記載します。\n"),
        ["# no attachment: the text itself is 機密性2 and is not encrypted",
         "policy city.yaml", "exit 65", "verdict blocked",
         "finding outbound.unencrypted blocked"])
    c.add("l2-zip-plain", mixed(
        ["To: partner@example.com", "Subject: " + bword("【機密性2】名簿")],
        "名簿です。\n", [att_part("meibo.zip", zip_std([("meibo.csv", "a,b\n")]),
                              "application/zip")]),
        ["policy city.yaml", "exit 65", "verdict blocked",
         "finding outbound.unencrypted blocked"])
    c.add("l2-zip-half-encrypted", mixed(
        ["To: partner@example.com", "Subject: " + bword("【機密性2】名簿")],
        "名簿です。\n", [att_part("meibo.zip", zip_raw([
            ("a.csv", b"a\n", "zipcrypto"), ("b.csv", b"b\n", "plain")]),
            "application/zip")]),
        ["policy city.yaml", "exit 65", "verdict blocked",
         "finding outbound.unencrypted blocked"])
    c.add("l2-pdf-owner-only", mixed(
        ["To: partner@example.com", "Subject: " + bword("【機密性2】予算")],
        "予算です。\n", [att_part("yosan.pdf", pdf_encrypt(
            pdf_plain("<< /Title (Budget) >>"), "", "owner"), "application/pdf")]),
        ["policy city.yaml", "exit 65", "verdict blocked",
         "finding outbound.unencrypted blocked"])
    c.add("l2-hold", message(
        ["To: partner@example.com", "Subject: " + bword("【機密性2】住所一覧")],
        "住所一覧です。\n"),
        ["policy hold.yaml", "exit 4", "verdict held",
         "finding outbound.unencrypted held"])
    c.add("l2-r6-header", message(
        ["To: partner@example.com", "X-Johokanri-Label: 2",
         "Subject: " + bword("名簿")], "名簿です。\n"),
        ["# r6.yaml names its own label header; confidential2: reject",
         "policy r6.yaml", "exit 65", "verdict blocked",
         "finding outbound.unencrypted blocked"])

    for name, marker in (("auto-submitted", "Auto-Submitted: auto-forwarded"),
                         ("resent", "Resent-From: taro@city.example.lg.jp\n"
                          "Resent-To: me@example.com\nResent-Date: " + DATE),
                         ("exchange", "X-MS-Exchange-Inbox-Rules-Loop: "
                          "taro@city.example.lg.jp\n"
                          "X-MS-Exchange-Generated-Message-Source: "
                          "Mailbox Rules Agent"),
                         ("exchange-autoforwarded", "X-Autoforwarded: true"),
                         ("gmail", "X-Forwarded-To: me@example.com\n"
                          "X-Forwarded-For: taro@city.example.lg.jp me@example.com")):
        c.add("fwd-" + name, message(
            ["To: me@example.com", marker, "Subject: " + bword("会議")],
            "会議の件です。\n"),
            ["policy city.yaml", "exit 65", "verdict blocked",
             "finding outbound.auto_forward blocked"])
    c.add("fwd-hold", message(
        ["To: me@example.com", "Auto-Submitted: auto-forwarded",
         "Subject: x"], "x\n"),
        ["policy hold.yaml", "exit 4", "verdict held",
         "finding outbound.auto_forward held"])
    c.add("fwd-auto-replied", message(
        ["To: me@example.com", "Auto-Submitted: auto-replied",
         "Subject: " + bword("不在")], "不在です。\n"),
        ["# an auto-reply is not a forward", "policy city.yaml", "exit 0",
         "verdict clean"])

    c.add("too-big", message(
        ["To: partner@example.com", "Subject: " + bword("大きい")],
        ("あ" * 60 + "\n") * 80),
        ["# 14 KB against a 10 KB mail.max_size", "policy small.yaml",
         "exit 65", "verdict blocked", "finding outbound.too_big blocked"])


def hold_samples(c):
    c.add("malformed-header", message(
        ["To: partner@example.com", "this line has no colon",
         "Subject: x"], "x\n"),
        ["policy city.yaml", "exit 4", "verdict held",
         "finding mime.malformed held"])
    c.add("malformed-zip", mixed(
        ["To: partner@example.com", "Subject: x"], "x\n",
        [att_part("a.zip", b"PK\x03\x04" + det("junk", 64), "application/zip")]),
        ["# the labels inside cannot be read", "policy city.yaml", "exit 4",
         "verdict held", "finding archive.malformed held"])
    c.add("malformed-multipart", message(
        ["To: partner@example.com", "Subject: x"],
        "--x\nContent-Type: text/plain\n\nx\n--x--\n", "multipart/mixed"),
        ["# multipart without a boundary", "policy city.yaml", "exit 4",
         "verdict held", "finding mime.malformed held"])
    c.add("malformed-recipients", message(
        ["To: <<<@@@>>>", "Subject: x"], "x\n"),
        ["policy city.yaml", "exit 4", "verdict held",
         "finding mime.malformed held"])


def main(argv):
    out = argv[1] if len(argv) > 1 else DEFAULT_OUT
    c = Corpus()
    pass_samples(c)
    bcc_samples(c)
    reject_samples(c)
    hold_samples(c)
    os.makedirs(os.path.join(out, "policies"), exist_ok=True)
    for name, text in POLICIES.items():
        with open(os.path.join(out, "policies", name), "w") as f:
            f.write(text)
    for name, data, expect in c.samples:
        with open(os.path.join(out, name + ".eml"), "wb") as f:
            f.write(data)
        with open(os.path.join(out, name + ".expect"), "w") as f:
            f.write("\n".join(expect) + "\n")
    print("%d samples in %s" % (len(c.samples), out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
