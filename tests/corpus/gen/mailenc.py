#!/usr/bin/env python3
"""Write the encoded-in-mail samples of tests/corpus/mail-samples/encoded/.

Stdlib only. Two families, both read by the unit tests of src/lib-mailenc:
- text parts with uuencode, begin-base64, yEnc and BinHex 4.0 blocks
  (what Outlook Express, Thunderbird and newsreaders pull out of a text
  body as an attachment);
- TNEF (winmail.dat) streams built attribute by attribute as MS-OXTNEF
  describes them, with a compressed RTF body (MS-OXRTFCP).

Every sample NAME gets NAME.expect, one fact a line, that the C tests
compare with exactly:
  block KIND START END DAMAGED NAMEHEX PAYLOAD   (inline samples)
  limit none|parts|size [REST]
  file NAMEHEX PAYLOAD                           (TNEF samples)
  body HEX | rtf PAYLOAD | html PAYLOAD | malformed 0|1 | limit 0|1
NAMEHEX is the name's bytes in hex ("-" when empty); PAYLOAD is a file
beside the sample holding the exact decoded bytes ("-" for none).
Ranges are computed here from how each sample is assembled, not by a
decoder, so the C side is checked against an independent answer.
The same samples (plus a few odd ones) seed fuzz/corpus/fuzz-inline and
fuzz/corpus/fuzz-tnef. Every payload is inert: counters and text.
Run: python3 tests/corpus/gen/mailenc.py
"""

import base64
import binascii
import os
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
OUT = os.path.join(ROOT, "tests", "corpus", "mail-samples", "encoded")
SEED_INLINE = os.path.join(ROOT, "fuzz", "corpus", "fuzz-inline")
SEED_TNEF = os.path.join(ROOT, "fuzz", "corpus", "fuzz-tnef")


def payload(n, salt=0):
    """n deterministic bytes covering every byte value."""
    return bytes((i * 7 + salt + (i >> 8)) & 0xFF for i in range(n))


def write_bytes(path, data):
    with open(path, "wb") as f:
        f.write(data)


def hexname(name):
    return name.hex() if name else "-"


# ---------------------------------------------------------------- inline

def uuencode_body(data, crlf=False):
    """Lines of a uuencode body, the zero-length line included."""
    out = []
    for i in range(0, len(data), 45):
        out.append(binascii.b2a_uu(data[i:i + 45], backtick=True)
                   .rstrip(b"\n"))
    out.append(b"`")
    return out


def yenc_lines(data, width=128):
    """yEnc-encode data (escaping NUL LF CR = and edge TAB/SPACE/dot)."""
    lines, cur = [], bytearray()
    for b in data:
        o = (b + 42) & 0xFF
        edge = len(cur) == 0 or len(cur) >= width - 1
        if o in (0, 10, 13, 61) or (edge and o in (9, 32)) or \
                (len(cur) == 0 and o == 46):
            cur += bytes((61, (o + 64) & 0xFF))
        else:
            cur.append(o)
        if len(cur) >= width:
            lines.append(bytes(cur))
            cur = bytearray()
    if cur:
        lines.append(bytes(cur))
    return lines


def crc16_xmodem(data, crc=0):
    for b in data:
        crc ^= b << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


HQX = b"!\"#$%&'()*+,-012345689@ABCDEFGHIJKLMNPQRSTUVXYZ[`abcdefhijklmpqr"


def binhex(name, data, rsrc=b"", bad_crc=False):
    """A BinHex 4.0 block: header line, blank line, ':'-wrapped body."""
    hdr = bytes((len(name),)) + name + b"\0" + b"TEXTttxt" + b"\0\0" + \
        struct.pack(">II", len(data), len(rsrc))
    stream = hdr + struct.pack(">H", crc16_xmodem(hdr))
    dcrc = crc16_xmodem(data) ^ (0x1234 if bad_crc else 0)
    stream += data + struct.pack(">H", dcrc)
    stream += rsrc + struct.pack(">H", crc16_xmodem(rsrc))
    # RLE90: runs of 4+ equal bytes; a literal 0x90 is 0x90 0x00.
    rle, i = bytearray(), 0
    while i < len(stream):
        b = stream[i]
        j = i
        while j < len(stream) and stream[j] == b and j - i < 255:
            j += 1
        run = j - i
        if b == 0x90:
            rle += b"\x90\x00"
            i += 1
        elif run >= 4:
            rle += bytes((b, 0x90, run))
            i = j
        else:
            rle.append(b)
            i += 1
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
    return [b"(This file must be converted with BinHex 4.0)", b""] + lines


class Text:
    """A text part assembled line by line, recording block ranges."""

    def __init__(self, eol=b"\n"):
        self.buf = bytearray()
        self.eol = eol
        self.blocks = []

    def text(self, s):
        if isinstance(s, str):
            s = s.encode("utf-8")
        for line in s.split(b"\n"):
            self.buf += line + self.eol

    def raw(self, b):
        self.buf += b

    def block(self, kind, lines, name, data, damaged=0, eol_last=True):
        start = len(self.buf)
        for i, line in enumerate(lines):
            self.buf += line
            end = len(self.buf)
            if i < len(lines) - 1 or eol_last:
                self.buf += self.eol
        self.blocks.append((kind, start, end, damaged, name, data))


def write_inline(name, t, limit="none", rest=None, seed=True):
    data = bytes(t.buf)
    write_bytes(os.path.join(OUT, name), data)
    lines = ["# " + name]
    for n, (kind, start, end, damaged, bname, bdata) in enumerate(t.blocks):
        pname = "-"
        if bdata is not None:
            pname = "%s.%d.bin" % (name, n + 1)
            write_bytes(os.path.join(OUT, pname), bdata)
        lines.append("block %s %d %d %d %s %s" % (kind, start, end, damaged,
                                                  hexname(bname), pname))
    lines.append("limit " + limit + ("" if rest is None else " %d" % rest))
    with open(os.path.join(OUT, name + ".expect"), "w") as f:
        f.write("\n".join(lines) + "\n")
    if seed:
        write_bytes(os.path.join(SEED_INLINE, name), data)


JA1 = ("お世話になっております。総務課の山田です。\n"
       "先日の会議資料を添付いたします。ご確認ください。\n")
JA2 = ("以上、よろしくお願いいたします。\n"
       "-- \n山田 太郎（総務課）\n")


def inline_samples():
    # uuencode in the middle of Japanese text.
    p = payload(300)
    t = Text()
    t.text(JA1 + "\n" + "資料は以下の通りです:")
    nm = "資料.bin".encode("utf-8")
    t.block("uuencode", [b"begin 644 " + nm] + uuencode_body(p) + [b"end"],
            nm, p)
    t.text(JA2.rstrip("\n"))
    write_inline("uu_japanese.txt", t)

    # The same with CRLF line ends, in Shift_JIS text.
    t = Text(b"\r\n")
    t.text(JA1.encode("cp932").rstrip(b"\n"))
    t.block("uuencode", [b"begin 0600 report.doc"] + uuencode_body(p) +
            [b"end"], b"report.doc", p)
    t.text(JA2.encode("cp932").rstrip(b"\n"))
    write_inline("uu_crlf_sjis.txt", t)

    # Unterminated: runs to the end of the text, damaged.
    p2 = payload(90, 3)
    t = Text()
    t.text("前文です。")
    t.block("uuencode", [b"begin 644 cut.exe"] + uuencode_body(p2)[:-1],
            b"cut.exe", p2, damaged=1)
    write_inline("uu_unterminated.txt", t)

    # Two blocks, a line mentioning "begin 644" mid-line between them.
    a, b = payload(45, 9), payload(100, 11)
    t = Text()
    t.text("first:")
    t.block("uuencode", [b"begin 644 a.txt"] + uuencode_body(a) + [b"end"],
            b"a.txt", a)
    t.text("please begin 644 copies tomorrow (not a block)")
    t.block("uuencode", [b"begin 755 b.sh"] + uuencode_body(b) + [b"end"],
            b"b.sh", b)
    t.text("bye")
    write_inline("uu_two.txt", t)

    # begin-base64 (sharutils uuencode -m).
    p3 = payload(200, 5)
    b64 = base64.b64encode(p3)
    t = Text()
    t.text("base64 variant:")
    t.block("uuencode", [b"begin-base64 644 data.bin"] +
            [b64[i:i + 60] for i in range(0, len(b64), 60)] + [b"===="],
            b"data.bin", p3)
    t.text("end of mail")
    write_inline("uu_base64.txt", t)

    # yEnc, single part, correct and wrong CRC.
    p4 = payload(1000, 42) + b"\x00\n\r=\t ." * 20
    crc = zlib.crc32(p4)
    for name, c, dmg in (("yenc_ok.txt", crc, 0),
                         ("yenc_badcrc.txt", crc ^ 1, 1)):
        t = Text(b"\r\n")
        t.text("yEnc の添付です")
        t.block("yenc", [b"=ybegin line=128 size=%d name=" % len(p4) +
                         "写真 1.jpg".encode("utf-8")] +
                yenc_lines(p4) +
                [b"=yend size=%d crc32=%08x" % (len(p4), c)],
                "写真 1.jpg".encode("utf-8"), p4, damaged=dmg)
        t.text("以上")
        write_inline(name, t)

    # yEnc, a part of a multipart post: damaged (it is not the whole file).
    part = p4[:500]
    t = Text()
    t.block("yenc", [b"=ybegin part=1 total=3 line=128 size=%d name=big.bin"
                     % len(p4),
                     b"=ypart begin=1 end=500"] + yenc_lines(part) +
            [b"=yend size=500 part=1 pcrc32=%08x" % zlib.crc32(part)],
            b"big.bin", part, damaged=1)
    write_inline("yenc_part.txt", t)

    # BinHex 4.0 with correct CRCs and a name; one with a bad data CRC.
    p5 = payload(700, 77) + b"\x90\x90\x90" + b"A" * 40
    for name, bad in (("binhex_ok.txt", False), ("binhex_badcrc.txt", True)):
        t = Text()
        t.text("Mac から送ります。")
        t.block("binhex", binhex(b"Read Me.txt", p5, rsrc=b"",
                                 bad_crc=bad),
                b"Read Me.txt", p5, damaged=1 if bad else 0)
        t.text("よろしく")
        write_inline(name, t)

    # One of each kind, for the fuzzer and the count test.
    t = Text()
    t.text("mixed")
    t.block("uuencode", [b"begin 644 x"] + uuencode_body(a) + [b"end"],
            b"x", a)
    t.block("yenc", [b"=ybegin line=128 size=45 name=y"] + yenc_lines(a) +
            [b"=yend size=45 crc32=%08x" % zlib.crc32(a)], b"y", a)
    t.block("binhex", binhex(b"z", a), b"z", a)
    write_inline("mixed.txt", t)

    # Plain text, nothing to find (mentions, quotes, look-alikes).
    t = Text()
    t.text("We begin 644 tests.\n> begin 644 quoted.txt\n"
           "begin 64 x\nbeginning 644 y\n=ybeginning\n"
           "This mail mentions BinHex but no header.\nend")
    write_inline("plain.txt", t)

    # Seeds only.
    extra = {
        "seed_binhex_rsrc.txt": b"\n".join(
            binhex(b"app", b"data", rsrc=b"RSRC" * 30)) + b"\n",
        "seed_yenc_escape_eol.txt": b"=ybegin size=3 name=e\n=\n=yend\n",
        "seed_cr_only.txt": b"x\rbegin 644 f\rM86)C\r`\rend\r",
        "seed_binhex_noopen.txt":
            b"(This file must be converted with BinHex 4.0)\nno colon\n",
    }
    for n, d in extra.items():
        write_bytes(os.path.join(SEED_INLINE, n), d)


# ------------------------------------------------------------------ TNEF

LVL_MSG, LVL_ATT = 1, 2
attBody = 0x0002800C
attMessageClass = 0x00078008
attAttachData = 0x0006800F
attAttachTitle = 0x00018010
attAttachRenddata = 0x00069002
attMAPIProps = 0x00069003
attAttachment = 0x00069005
attTnefVersion = 0x00089006
attOemCodepage = 0x00069007

PT_LONG, PT_STRING8, PT_UNICODE, PT_BINARY, PT_OBJECT = \
    0x0003, 0x001E, 0x001F, 0x0102, 0x000D
PR_BODY, PR_RTF_COMPRESSED, PR_HTML = 0x1000, 0x1009, 0x1013
PR_ATTACH_DATA, PR_ATTACH_FILENAME, PR_ATTACH_METHOD = 0x3701, 0x3704, 0x3705
PR_ATTACH_LONG_FILENAME, PR_DISPLAY_NAME = 0x3707, 0x3001
IID_IMESSAGE = bytes.fromhex("0703020000000000c000000000000046")

# MS-OXRTFCP 4.1 and 4.2: compressed forms of two small RTF documents.
RTF_41 = bytes.fromhex(
    "2d0000002b0000004c5a4675f1c5c7a703000a0072637067313235423"
    "20af32068656c090020627705b06c647d0a800fa0")
RTF_41_PLAIN = b"{\\rtf1\\ansi\\ansicpg1252\\pard hello world}\r\n"
RTF_42 = bytes.fromhex(
    "1a0000001c0000004c5a4675e2d44b51410004205758595a0d6e7d010eb0")
RTF_42_PLAIN = b"{\\rtf1 WXYZWXYZWXYZWXYZWXYZ}"


def attr(level, aid, data, bad_sum=False):
    s = (sum(data) + (1 if bad_sum else 0)) & 0xFFFF
    return struct.pack("<BII", level, aid, len(data)) + data + \
        struct.pack("<H", s)


def pad4(b):
    return b + b"\0" * (-len(b) % 4)


def prop(ptype, pid, value):
    """One MAPI property; variable-length values carry a count of 1."""
    head = struct.pack("<HH", ptype, pid)
    if ptype in (PT_STRING8, PT_UNICODE, PT_BINARY, PT_OBJECT):
        return head + struct.pack("<II", 1, len(value)) + pad4(value)
    if ptype == PT_LONG:
        return head + struct.pack("<I", value)
    raise ValueError(ptype)


def named_prop():
    """A named (id >= 0x8000) string property, to be skipped."""
    nm = "Keywords".encode("utf-16-le") + b"\0\0"
    return (struct.pack("<HH", PT_LONG, 0x8001) + b"\x11" * 16 +
            struct.pack("<II", 1, len(nm)) + pad4(nm) +
            struct.pack("<I", 7))


def props(*ps):
    return struct.pack("<I", len(ps)) + b"".join(ps)


def utf16z(s):
    return s.encode("utf-16-le") + b"\0\0"


def tnef(attrs, key=0x1234):
    return struct.pack("<IH", 0x223E9F78, key) + b"".join(attrs)


def renddata():
    return struct.pack("<HIHHI", 1, 0xFFFFFFFF, 32, 32, 1)


def write_tnef(name, data, files=(), body=None, rtf=None, html=None,
               malformed=0, limit=0, seed=True):
    write_bytes(os.path.join(OUT, name), data)
    lines = ["# " + name]
    for i, (fname, fdata) in enumerate(files):
        pname = "%s.%d.bin" % (name, i + 1)
        write_bytes(os.path.join(OUT, pname), fdata)
        lines.append("file %s %s" % (hexname(fname), pname))
    if body is not None:
        lines.append("body " + body.hex())
    if rtf is not None:
        write_bytes(os.path.join(OUT, name + ".rtf"), rtf)
        lines.append("rtf " + name + ".rtf")
    if html is not None:
        write_bytes(os.path.join(OUT, name + ".html"), html)
        lines.append("html " + name + ".html")
    lines.append("malformed %d" % malformed)
    lines.append("limit %d" % limit)
    with open(os.path.join(OUT, name + ".expect"), "w") as f:
        f.write("\n".join(lines) + "\n")
    if seed:
        write_bytes(os.path.join(SEED_TNEF, name), data)


def head_attrs():
    return [attr(LVL_MSG, attTnefVersion, struct.pack("<I", 0x00010000)),
            attr(LVL_MSG, attOemCodepage, struct.pack("<II", 932, 0)),
            attr(LVL_MSG, attMessageClass, b"IPM.Microsoft Mail.Note\0")]


def nest(inner):
    """A TNEF whose one attachment is the message inner."""
    return tnef([attr(LVL_ATT, attAttachRenddata, renddata()),
                 attr(LVL_ATT, attAttachment,
                      props(prop(PT_LONG, PR_ATTACH_METHOD, 5),
                            prop(PT_OBJECT, PR_ATTACH_DATA,
                                 IID_IMESSAGE + inner)))])


def tnef_samples():
    f1 = b"%PDF-1.4\n% inert sample\n" + payload(2000, 1)
    f2 = "会議室の予約表です。\r\n".encode("cp932") * 20
    body = "本文です。TNEF の中のプレーンテキスト。\r\n"
    msg_props = props(prop(PT_UNICODE, PR_BODY, utf16z(body)),
                      named_prop(),
                      prop(PT_BINARY, PR_RTF_COMPRESSED, RTF_41))
    att1 = [attr(LVL_ATT, attAttachRenddata, renddata()),
            attr(LVL_ATT, attAttachTitle, b"report.pdf\0"),
            attr(LVL_ATT, attAttachData, f1),
            attr(LVL_ATT, attAttachment,
                 props(prop(PT_LONG, PR_ATTACH_METHOD, 1),
                       prop(PT_STRING8, PR_ATTACH_FILENAME, b"report.pdf\0")))]
    att2 = [attr(LVL_ATT, attAttachRenddata, renddata()),
            attr(LVL_ATT, attAttachTitle, b"yoyaku.txt\0"),
            attr(LVL_ATT, attAttachData, f2)]
    two = tnef(head_attrs() +
               [attr(LVL_MSG, attBody, b"legacy body\0"),
                attr(LVL_MSG, attMAPIProps, msg_props)] + att1 + att2)
    write_tnef("tnef_two.tnef", two,
               files=[(b"report.pdf", f1), (b"yoyaku.txt", f2)],
               body=body.encode("utf-8"), rtf=RTF_41_PLAIN)

    # Long file name only in the MAPI props (UTF-16), 8.3 in the title;
    # the data only in PR_ATTACH_DATA_BIN.
    long_name = "令和6年度_予算案（最終版）.xlsx"
    f3 = b"PK\x03\x04" + payload(500, 2)
    lf = tnef(head_attrs() +
              [attr(LVL_MSG, attBody, "本文\r\n".encode("cp932") + b"\0"),
               attr(LVL_MSG, attMAPIProps,
                    props(prop(PT_BINARY, PR_RTF_COMPRESSED, RTF_42)))] +
              [attr(LVL_ATT, attAttachRenddata, renddata()),
               attr(LVL_ATT, attAttachTitle, b"R6_~1.XLS\0"),
               attr(LVL_ATT, attAttachment,
                    props(prop(PT_LONG, PR_ATTACH_METHOD, 1),
                          prop(PT_UNICODE, PR_ATTACH_LONG_FILENAME,
                               utf16z(long_name)),
                          prop(PT_BINARY, PR_ATTACH_DATA, f3)))])
    write_tnef("tnef_longname.tnef", lf,
               files=[(long_name.encode("utf-8"), f3)],
               body="本文\r\n".encode("cp932"), rtf=RTF_42_PLAIN)

    # Truncated inside the second attachment's data: the first survives.
    cut = two[:len(two) - len(f2) // 2]
    write_tnef("tnef_truncated.tnef", cut,
               files=[(b"report.pdf", f1), (b"yoyaku.txt", b"")],
               body=body.encode("utf-8"), rtf=RTF_41_PLAIN, malformed=1)

    # An embedded message (PR_ATTACH_DATA_OBJ, IID_IMessage) whose own
    # TNEF holds one attachment, and an HTML body.
    inner_file = b"inner attachment\n" * 10
    inner = tnef([attr(LVL_ATT, attAttachRenddata, renddata()),
                  attr(LVL_ATT, attAttachTitle, b"inner.txt\0"),
                  attr(LVL_ATT, attAttachData, inner_file)], key=1)
    html = b"<html><body><p>HTML body</p></body></html>"
    emb = tnef(head_attrs() +
               [attr(LVL_MSG, attMAPIProps,
                     props(prop(PT_BINARY, PR_HTML, html)))] +
               [attr(LVL_ATT, attAttachRenddata, renddata()),
                attr(LVL_ATT, attAttachment,
                     props(prop(PT_LONG, PR_ATTACH_METHOD, 5),
                           prop(PT_UNICODE, PR_DISPLAY_NAME,
                                utf16z("転送メール")),
                           prop(PT_OBJECT, PR_ATTACH_DATA,
                                IID_IMESSAGE + inner)))])
    write_tnef("tnef_embedded.tnef", emb, files=[(b"inner.txt", inner_file)],
               html=html)

    # Bad checksum on the data attribute: read, but reported malformed.
    bad = tnef(head_attrs() +
               [attr(LVL_ATT, attAttachRenddata, renddata()),
                attr(LVL_ATT, attAttachTitle, b"a.bin\0"),
                attr(LVL_ATT, attAttachData, b"abc", bad_sum=True)])
    write_tnef("tnef_badsum.tnef", bad, files=[(b"a.bin", b"abc")],
               malformed=1)

    # Two different contents for one attachment (attAttachData and
    # PR_ATTACH_DATA_BIN): the first is returned, the stream is reported.
    conf = tnef(head_attrs() +
                [attr(LVL_ATT, attAttachRenddata, renddata()),
                 attr(LVL_ATT, attAttachTitle, b"c.txt\0"),
                 attr(LVL_ATT, attAttachData, b"shown"),
                 attr(LVL_ATT, attAttachment,
                      props(prop(PT_BINARY, PR_ATTACH_DATA, b"hidden")))])
    write_tnef("tnef_conflict.tnef", conf, files=[(b"c.txt", b"shown")],
               malformed=1)

    # Not TNEF at all.
    write_tnef("tnef_nosig.tnef", b"\x78\x9f\x3e\x22" + b"\0" * 20,
               malformed=1)

    # Seeds only: compressed RTF alone (the fuzz target also feeds the
    # input to the LZFu decoder), an MV property, an uncompressed MELA.
    mela = struct.pack("<IIII", 12 + 5, 5, 0x414C454D, 0) + b"{\\rtf"
    mv = props(struct.pack("<HH", 0x1003, 0x0E50) +
               struct.pack("<III", 2, 1, 2),
               struct.pack("<HH", 0x101F, 0x0E51) +
               struct.pack("<I", 2) + struct.pack("<I", 4) + b"a\0\0\0" +
               struct.pack("<I", 2) + b"b\0\0\0")
    seeds = {
        "seed_rtf41.bin": RTF_41,
        "seed_rtf42.bin": RTF_42,
        "seed_mela.bin": mela,
        "seed_mv.tnef": tnef([attr(LVL_MSG, attMAPIProps, mv)]),
        "seed_nested2.tnef": nest(nest(emb)),
    }
    for n, d in seeds.items():
        write_bytes(os.path.join(SEED_TNEF, n), d)


def main():
    for d in (OUT, SEED_INLINE, SEED_TNEF):
        os.makedirs(d, exist_ok=True)
    inline_samples()
    tnef_samples()


if __name__ == "__main__":
    main()
