#!/usr/bin/env python3
"""Write the archive samples of tests/corpus/files/archive/.

Zip, tar, gzip, 7z and RAR files with member names that climb out of the
extraction folder (plain, backslashed, percent-encoded, fullwidth,
trailing-dot and drive-relative forms), absolute paths, links, device and
duplicate names, a zip whose two directories disagree, an overlapping-
entries bomb, a ratio bomb, nesting past the depth limit, encrypted
archives (ZipCrypto written here by hand, AES and encrypted-header 7z
when the 7z program is installed), programs inside archives, and clean
archives that must come out clean. Each sample gets a .expect file for
`sanso file sanitize` (the parent archive's verdict and findings only:
what the members turn into is up to their own modules).

The output is the same on every run except for the samples encrypted
by the 7z program (aes.zip, encrypted*.7z), which carry a random salt.

A few small samples are also copied to fuzz/corpus/fuzz-archive/ as
seeds for the libFuzzer target.

    python3 tests/corpus/gen/archive.py [outdir]
"""
import io
import os
import shutil
import struct
import subprocess
import sys
import tarfile
import tempfile
import zipfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "files", "archive")
SEEDS = os.path.join(HERE, "..", "..", "..", "fuzz", "corpus", "fuzz-archive")
MTIME = 1700000000
DATE = (2024, 4, 1, 9, 0, 0)

TEXT = b"Minutes of the 4th planning committee.\nAttendance: 12.\n"
JTEXT = "議事録\n出席者 12 名\n".encode("utf-8")


# ---- contents -----------------------------------------------------------------

def tiny_pe():
    """A PE32 header chain: DOS header -> PE\\0\\0 -> COFF -> optional."""
    dos = bytearray(64)
    dos[0:2] = b"MZ"
    struct.pack_into("<HH", dos, 2, 0x90, 3)
    struct.pack_into("<I", dos, 0x3C, 0x40)
    coff = struct.pack("<HHIIIHH", 0x14C, 1, 0, 0, 0, 224, 0x0102)
    opt = bytearray(224)
    struct.pack_into("<H", opt, 0, 0x10B)
    struct.pack_into("<I", opt, 16, 0x1000)
    struct.pack_into("<I", opt, 28, 0x400000)
    sect = b".text\0\0\0" + struct.pack("<IIIIIIHHI", 0x10, 0x1000, 0x200,
                                        0x200, 0, 0, 0, 0, 0x60000020)
    body = bytes(dos) + b"PE\0\0" + coff + bytes(opt) + sect
    body += b"\0" * (0x200 - len(body))
    return body + b"\xC3" + b"\0" * 0x1FF


def tiny_pdf():
    """One empty page, with a correct xref table."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] "
            b"/Resources << >> /Contents 4 0 R >>",
            b"<< /Length 0 >>\nstream\n\nendstream"]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offs = []
    for i, body in enumerate(objs, 1):
        offs.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for o in offs:
        out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objs) + 1, xref)
    return bytes(out)


# ---- zip writers ----------------------------------------------------------------

def zinfo(name, compress=zipfile.ZIP_DEFLATED):
    zi = zipfile.ZipInfo(name, DATE)
    zi.compress_type = compress
    zi.external_attr = 0o644 << 16
    return zi


def make_zip(members, compress=zipfile.ZIP_DEFLATED):
    """members: list of (name, bytes); names written exactly as given."""
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w") as z:
        for name, data in members:
            z.writestr(zinfo(name, compress), data)
    return b.getvalue()


def raw_zip(entries):
    """Hand-built stored zip. entries: (local_name, central_name, data,
    flags, offset_override). Names are bytes, written verbatim."""
    out = bytearray()
    cd = bytearray()
    for lname, cname, data, flags, off in entries:
        crc = zlib.crc32(data)
        here = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, 0, 0,
                           0x5881, crc, len(data), len(data), len(lname), 0)
        out += lname + data
        cd += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, flags,
                          0, 0, 0x5881, crc, len(data), len(data),
                          len(cname), 0, 0, 0, 0, 0,
                          here if off is None else off)
        cd += cname
    eocd = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries),
                       len(entries), len(cd), len(out), 0)
    return bytes(out + cd + eocd)


# ZipCrypto (PKWARE traditional encryption), APPNOTE 6.1, so that the
# encrypted samples are real: python's zipfile opens them with the
# password "infected-test".
def _crc_table():
    t = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ 0xEDB88320 if c & 1 else c >> 1
        t.append(c)
    return t


CRC_TABLE = _crc_table()


class ZipCrypto:
    def __init__(self, password):
        self.k = [0x12345678, 0x23456789, 0x34567890]
        for c in password:
            self.update(c)

    def crc(self, c, b):
        return (c >> 8) ^ CRC_TABLE[(c ^ b) & 0xFF]

    def update(self, b):
        k = self.k
        k[0] = self.crc(k[0], b)
        k[1] = ((k[1] + (k[0] & 0xFF)) * 134775813 + 1) & 0xFFFFFFFF
        k[2] = self.crc(k[2], k[1] >> 24)

    def encrypt(self, data):
        out = bytearray()
        for b in data:
            t = (self.k[2] | 2) & 0xFFFF
            out.append(b ^ (((t * (t ^ 1)) >> 8) & 0xFF))
            self.update(b)
        return bytes(out)


def zipcrypto_zip(members, password=b"infected-test"):
    out = bytearray()
    cd = bytearray()
    for name, data in members:
        crc = zlib.crc32(data)
        comp = zlib.compressobj(9, zlib.DEFLATED, -15)
        packed = comp.compress(data) + comp.flush()
        header = bytes(range(11)) + bytes([crc >> 24])
        enc = ZipCrypto(password).encrypt(header + packed)
        here = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 1, 8, 0, 0x5881,
                           crc, len(enc), len(data), len(name), 0)
        out += name + enc
        cd += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 1, 8, 0,
                          0x5881, crc, len(enc), len(data), len(name), 0, 0,
                          0, 0, 0, here)
        cd += name
    eocd = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members),
                       len(members), len(cd), len(out), 0)
    return bytes(out + cd + eocd)


def overlap_zip():
    """Fifield's overlapping-entries construction in miniature: many
    central entries whose data is the same bytes."""
    data = b"A" * 4096
    first = raw_zip([(b"f0.txt", b"f0.txt", data, 0, None)])
    lfh_len = 30 + len(b"f0.txt") + len(data)
    cd = bytearray()
    for i in range(50):
        name = b"f0.txt" if i == 0 else b"f%d.txt" % i
        cd += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 0, 0,
                          0x5881, zlib.crc32(data), len(data), len(data),
                          len(b"f0.txt"), 0, 0, 0, 0, 0, 0)
        cd += b"f0.txt"
    body = first[:lfh_len]
    eocd = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 50, 50, len(cd),
                       len(body), 0)
    return bytes(body + cd + eocd)


def claimed_entries_zip():
    """An end record that announces 65535 members."""
    z = bytearray(make_zip([("a.txt", TEXT)]))
    eocd = z.rfind(b"PK\x05\x06")
    struct.pack_into("<HH", z, eocd + 8, 0xFFFF, 0xFFFF)
    return bytes(z)


def declared_huge_zip():
    """Both headers say the member inflates to 200 MiB; it is judged
    (limit.file_size) before a byte is inflated."""
    z = bytearray(make_zip([("huge.bin", TEXT)]))
    struct.pack_into("<I", z, 22, 200 << 20)
    cd = z.rfind(b"PK\x01\x02")
    struct.pack_into("<I", z, cd + 24, 200 << 20)
    return bytes(z)


def nested(depth, inner_name="core.txt", inner=TEXT):
    data = make_zip([(inner_name, inner)])
    for level in range(depth - 1, 0, -1):
        data = make_zip([("level%d.zip" % level, data)], zipfile.ZIP_STORED)
    return data


# ---- tar, gzip, 7z, rar ---------------------------------------------------------

def make_tar(members, fmt=tarfile.PAX_FORMAT):
    """members: (name, kind, data_or_target)."""
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w", format=fmt) as t:
        for name, kind, arg in members:
            ti = tarfile.TarInfo(name)
            ti.mtime = MTIME
            ti.mode = 0o644
            if kind == "file":
                ti.size = len(arg)
                t.addfile(ti, io.BytesIO(arg))
                continue
            ti.type = {"dir": tarfile.DIRTYPE, "sym": tarfile.SYMTYPE,
                       "hard": tarfile.LNKTYPE, "fifo": tarfile.FIFOTYPE,
                       "chr": tarfile.CHRTYPE}[kind]
            if kind in ("sym", "hard"):
                ti.linkname = arg
            if kind == "dir":
                ti.mode = 0o755
            t.addfile(ti)
        end = t.offset
    # Only the two zero blocks that end a tar, not the 10 KiB record.
    return b.getvalue()[:end + 1024]


def make_gz(data, fname):
    """gzip with FNAME written verbatim (python's gzip module would keep
    only the base name)."""
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    body = comp.compress(data) + comp.flush()
    head = struct.pack("<BBBBIBB", 0x1F, 0x8B, 8, 0x08, MTIME, 2, 3)
    head += fname.encode("utf-8") + b"\0"
    return head + body + struct.pack("<II", zlib.crc32(data),
                                     len(data) & 0xFFFFFFFF)


def rar4_stored(members, main_flags=0, file_flags=0):
    """RAR 4.x archive with stored (method 0x30) files. file_flags 0x04
    marks members encrypted, main_flags 0x80 the headers encrypted (the
    bytes are not really encrypted: readers must refuse on the flag)."""
    def block(htype, flags, body):
        head = struct.pack("<BHH", htype, flags, 7 + len(body)) + body
        return struct.pack("<H", zlib.crc32(head) & 0xFFFF) + head

    out = bytearray(b"Rar!\x1a\x07\x00")
    out += block(0x73, main_flags, b"\0" * 6)
    for name, data in members:
        body = struct.pack("<IIBIIBBHI", len(data), len(data), 2,
                           zlib.crc32(data), 0x58810000, 20, 0x30, len(name),
                           0x20) + name
        out += block(0x74, 0x8000 | file_flags, body) + data
    out += block(0x7B, 0x4000, b"")
    return bytes(out)


def seven_zip(files, extra_args=()):
    """7z archive made by the 7z program; None when it is not installed."""
    exe = shutil.which("7z") or shutil.which("7za")
    if exe is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        for name, data in files:
            p = os.path.join(tmp, "in", name)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "wb") as f:
                f.write(data)
            os.utime(p, (MTIME, MTIME))
        out = os.path.join(tmp, "out.7z")
        subprocess.run([exe, "a", "-bd", "-y", "-mtc=off", "-mta=off",
                        *extra_args, out] + [name for name, _ in files],
                       cwd=os.path.join(tmp, "in"), check=True,
                       stdout=subprocess.DEVNULL)
        with open(out, "rb") as f:
            return f.read()


def aes_zip(files):
    exe = shutil.which("7z") or shutil.which("7za")
    if exe is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        for name, data in files:
            with open(os.path.join(tmp, name), "wb") as f:
                f.write(data)
            os.utime(os.path.join(tmp, name), (MTIME, MTIME))
        out = os.path.join(tmp, "out.zip")
        subprocess.run([exe, "a", "-bd", "-y", "-tzip", "-pinfected-test",
                        "-mem=AES256", out] + [n for n, _ in files], cwd=tmp,
                       check=True, stdout=subprocess.DEVNULL)
        with open(out, "rb") as f:
            return f.read()


# ---- the samples -----------------------------------------------------------------

def samples():
    pe = tiny_pe()
    pdf = tiny_pdf()
    s = []

    def add(name, data, verdict, findings=(), comment="", seed=False):
        if data is not None:
            s.append((name, data, verdict, list(findings), comment, seed))

    rm = "removed"
    # clean
    add("clean-text.zip", make_zip([("docs/", b""), ("readme.txt", TEXT),
                                    ("docs/議事録.txt", JTEXT)]),
        "clean", comment="text files and a folder: nothing to do", seed=True)
    add("clean-nested.zip", nested(2), "clean",
        comment="a zip in a zip, within the depth limit")
    add("clean-stored.zip", make_zip([("a.txt", TEXT)], zipfile.ZIP_STORED),
        "clean", comment="stored (uncompressed) member")
    add("notes.txt.gz", make_gz(TEXT, "notes.txt"), "clean",
        comment="gzip of one text file: rebuilt as gzip", seed=True)
    add("report.tar", make_tar([("report/", "dir", None),
                                ("report/summary.pdf", "file", pdf),
                                ("report/notes.txt", "file", TEXT)]),
        "clean", comment="tar with a pdf: rebuilt as zip", seed=True)
    add("clean.7z", seven_zip([("a.txt", TEXT), ("sub/b.txt", JTEXT)]),
        "clean", comment="7z: rebuilt as zip", seed=True)
    add("clean.rar", rar4_stored([(b"minutes.txt", TEXT)]), "clean",
        comment="RAR 4 with a stored member: rebuilt as zip", seed=True)
    add("empty.zip", make_zip([]), "clean", comment="no members")
    add("sjis-names.zip", raw_zip([
        ("議事録/".encode("cp932"), "議事録/".encode("cp932"), b"", 0, None),
        ("議事録/出席者.txt".encode("cp932"),
         "議事録/出席者.txt".encode("cp932"), JTEXT, 0, None)]),
        "clean", comment="CP932 names without the UTF-8 flag, as Japanese "
        "Windows writes them: rebuilt with UTF-8 names")

    # programs inside
    add("exe-member.zip", make_zip([("setup.exe", pe), ("readme.txt", TEXT)]),
        "sanitized", [("archive.member_dropped", rm)],
        comment="the program is left out, the text stays", seed=True)
    add("renamed-exe.zip", make_zip([("invoice.pdf", pe),
                                     ("readme.txt", TEXT)]),
        "sanitized", [("archive.member_dropped", rm)],
        comment="a program named .pdf: content decides")
    add("exe-in-nested.zip", make_zip([("inner.zip", make_zip(
        [("run.exe", pe), ("ok.txt", TEXT)]))]), "sanitized",
        [("archive.member_dropped", rm)],
        comment="program one level down: dropped from the inner zip, so the "
        "inner zip is sanitized and so is the outer one")
    add("tool.exe.gz", make_gz(pe, "tool.exe"), "blocked",
        [("archive.member_dropped", "blocked")],
        comment="a .gz holds one file: a blocked file blocks the .gz")
    add("exe-member.7z", seven_zip([("setup.exe", pe), ("a.txt", TEXT)]),
        "sanitized", [("archive.member_dropped", rm)])

    # names
    add("traversal.zip", raw_zip([
        (b"../../evil.txt", b"../../evil.txt", TEXT, 0, None),
        (b"ok.txt", b"ok.txt", TEXT, 0, None)]),
        "sanitized", [("archive.path_traversal", rm)], seed=True)
    add("traversal-backslash.zip", raw_zip([
        (b"..\\..\\Windows\\win.ini", b"..\\..\\Windows\\win.ini", TEXT, 0,
         None), (b"ok.txt", b"ok.txt", TEXT, 0, None)]),
        "sanitized", [("archive.path_traversal", rm)],
        comment="Windows separators")
    add("traversal-encoded.zip", raw_zip([
        (b"..%2f..%2fenc.txt", b"..%2f..%2fenc.txt", TEXT, 0, None),
        (b"%252e%252e%252fdouble.txt", b"%252e%252e%252fdouble.txt", TEXT, 0,
         None),
        (b"ok.txt", b"ok.txt", TEXT, 0, None)]),
        "sanitized", [("archive.path_traversal", rm)],
        comment="percent-encoded, once and twice")
    add("traversal-fullwidth.zip", raw_zip([
        ("．．／．．／fw.txt".encode(), "．．／．．／fw.txt".encode(), TEXT, 0x800,
         None),
        ("..¥..¥yen.txt".encode(), "..¥..¥yen.txt".encode(), TEXT, 0x800,
         None),
        (b"ok.txt", b"ok.txt", TEXT, 0x800, None)]),
        "sanitized", [("archive.path_traversal", rm)],
        comment="fullwidth dots/solidus and the yen sign: Windows best-fit "
        "turns them into ../ and ..\\")
    add("traversal-dots.zip", raw_zip([
        (b"... /x.txt", b"... /x.txt", TEXT, 0, None),
        (b"a/.. /../b.txt", b"a/.. /../b.txt", TEXT, 0, None),
        (b"ok.txt", b"ok.txt", TEXT, 0, None)]),
        "sanitized", [("archive.path_traversal", rm)],
        comment="components Windows trims to ..")
    add("traversal.tar.gz", make_gz(make_tar([
        ("../../etc/cron.d/job", "file", b"* * * * * root sh\n"),
        ("ok.txt", "file", TEXT)]), "x.tar"),
        "sanitized", [("archive.path_traversal", rm)],
        comment="tar.gz: rebuilt as zip")
    add("traversal-name.txt.gz", make_gz(TEXT, "../../etc/passwd.txt"),
        "sanitized", [("archive.path_traversal", rm)],
        comment="gzip header name climbing out (gunzip -N): basename kept")
    add("absolute.zip", raw_zip([
        (b"/etc/cron.d/job.txt", b"/etc/cron.d/job.txt", TEXT, 0, None),
        (b"C:\\Users\\Public\\x.txt", b"C:\\Users\\Public\\x.txt", TEXT, 0,
         None),
        (b"\\\\server\\share\\y.txt", b"\\\\server\\share\\y.txt", TEXT, 0,
         None),
        (b"d:drive-relative.txt", b"d:drive-relative.txt", TEXT, 0, None),
        (b"ok.txt", b"ok.txt", TEXT, 0, None)]),
        "sanitized", [("archive.absolute_path", rm)])
    add("absolute.tar", make_tar([("/tmp/abs.txt", "file", TEXT),
                                  ("ok.txt", "file", TEXT)],
                                 tarfile.GNU_FORMAT),
        "sanitized", [("archive.absolute_path", rm)])
    add("symlink.tar", make_tar([
        ("passwd", "sym", "/etc/passwd"),
        ("up", "sym", "../../.."),
        ("hard", "hard", "/etc/shadow"),
        ("notes.txt", "file", TEXT)]),
        "sanitized", [("archive.symlink", rm)], seed=True)
    add("symlink-then-file.tar", make_tar([
        ("dir", "sym", "/etc"), ("dir/cron.txt", "file", TEXT)]),
        "sanitized", [("archive.symlink", rm)],
        comment="a link followed by a file written through it")
    add("device.tar", make_tar([("null", "chr", None), ("pipe", "fifo", None),
                                ("ok.txt", "file", TEXT)]),
        "sanitized", [("archive.member_dropped", rm)],
        comment="device and fifo entries")
    add("symlink.zip", zip_symlink(), "sanitized",
        [("archive.symlink", rm)], comment="zip with a unix symlink member")
    add("duplicate.zip", make_zip([("Report.txt", TEXT),
                                   ("report.TXT", b"second copy\n"),
                                   ("dir\\a.txt", TEXT),
                                   ("dir/a.txt", b"other\n")]),
        "sanitized", [("archive.duplicate_name", rm)],
        comment="case and separator variants of one name")
    add("unsafe-names.zip", make_zip([
        ("CON.txt", TEXT), ("aux", TEXT), ("notes.txt. . ", TEXT),
        ("notes.txt:hidden.exe", TEXT), ("report\u202efdp.txt", TEXT),
        ("tab\there.txt", TEXT)]),
        "sanitized", [("archive.unsafe_name", rm)],
        comment="device names, trailing dots, ADS colon, RLO, control char")

    # structure
    add("mismatch.zip", raw_zip([(b"evil.exe", b"readme.txt", pe, 0, None)]),
        "blocked", [("archive.malformed", "blocked")],
        comment="local header says evil.exe, central directory readme.txt",
        seed=True)
    add("overlap.zip", overlap_zip(), "blocked",
        [("archive.malformed", "blocked")],
        comment="50 entries sharing one data stream (non-recursive bomb)")
    add("broken.zip", make_zip([("a.txt", TEXT * 20)])[:-40], "blocked",
        [("archive.malformed", "blocked")], comment="truncated directory")
    bad_crc = bytearray(make_zip([("a.txt", TEXT)], zipfile.ZIP_STORED))
    bad_crc[30 + 5 + 3] ^= 0x20
    add("bad-crc.zip", bytes(bad_crc), "blocked",
        [("archive.malformed", "blocked")], comment="data does not match CRC")
    add("broken.tar.gz", make_gz(make_tar([("a.txt", "file", TEXT)]),
                                 "a.tar")[:-12] + b"\0" * 4,
        "blocked", [("archive.malformed", "blocked")],
        comment="gzip stream cut short")
    whole7z = seven_zip([("a.txt", TEXT)])
    add("broken.7z", whole7z[:40] if whole7z else None, "blocked",
        [("archive.malformed", "blocked")], comment="7z cut short")

    # encryption
    add("zipcrypto.zip", zipcrypto_zip([(b"secret.txt", TEXT)]), "held",
        [("archive.encrypted", "held")],
        comment="ZipCrypto, password infected-test", seed=True)
    add("zipcrypto-one-member.zip", mixed_encrypted(), "held",
        [("archive.encrypted", "held")],
        comment="one plain member, one encrypted: the whole archive waits")
    add("aes.zip", aes_zip([("secret.txt", TEXT)]), "held",
        [("archive.encrypted", "held")], comment="WinZip AES-256")
    add("encrypted.rar", rar4_stored([(b"secret.txt", TEXT)], file_flags=4),
        "held", [("archive.encrypted", "held")],
        comment="RAR 4 member with the password flag")
    add("encrypted-headers.rar", rar4_stored([(b"secret.txt", TEXT)],
                                            main_flags=0x80),
        "held", [("archive.encrypted", "held")],
        comment="RAR 4 with encrypted headers")
    add("encrypted.7z", seven_zip([("secret.txt", TEXT)],
                                  ["-pinfected-test"]),
        "held", [("archive.encrypted", "held")])
    add("encrypted-headers.7z", seven_zip([("secret.txt", TEXT)],
                                          ["-pinfected-test", "-mhe=on"]),
        "held", [("archive.encrypted", "held")],
        comment="even the names are encrypted")

    # limits
    add("depth7.zip", nested(7), "blocked",
        [("limit.archive_depth", "blocked")],
        comment="seven zips deep, limit 5", seed=True)
    add("bomb.zip", make_zip([("zeros.bin", b"\0" * (10 << 20))]),
        "blocked", [("limit.archive_ratio", "blocked")],
        comment="10 MiB of zeros in 10 KB: stopped from the declared size")
    add("bomb-nested.zip", make_zip([("inner.zip", make_zip(
        [("zeros.bin", b"\0" * (10 << 20))])), ("ok.txt", TEXT)],
        zipfile.ZIP_STORED), "blocked", [("limit.archive_ratio", "blocked")],
        comment="the bomb one level down stops the outer archive")
    add("bomb.bin.gz", make_gz(b"\0" * (10 << 20), "zeros.bin"), "blocked",
        [("limit.archive_ratio", "blocked")],
        comment="gzip has no declared size: stopped while inflating")
    add("declared-huge.zip", declared_huge_zip(), "blocked",
        [("limit.file_size", "blocked")],
        comment="a member that declares 200 MiB (limit 100 MiB)")
    add("entries-claimed.zip", claimed_entries_zip(), "blocked",
        [("limit.archive_entries", "blocked")],
        comment="the end record announces 65535 members")
    return s


def zip_symlink():
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w") as z:
        zi = zinfo("shadow", zipfile.ZIP_STORED)
        zi.create_system = 3
        zi.external_attr = (0o120777 << 16)
        z.writestr(zi, "/etc/shadow")
        z.writestr(zinfo("ok.txt"), TEXT)
    return b.getvalue()


def mixed_encrypted():
    plain = make_zip([("plain.txt", TEXT)], zipfile.ZIP_STORED)
    enc = zipcrypto_zip([(b"secret.txt", TEXT)])
    # splice: plain local entry, encrypted local entry, both central
    # entries (the second with its offset moved past the first).
    p_cd = plain.rfind(b"PK\x01\x02")
    e_cd = enc.rfind(b"PK\x01\x02")
    p_eocd = plain.rfind(b"PK\x05\x06")
    e_eocd = enc.rfind(b"PK\x05\x06")
    body = plain[:p_cd] + enc[:e_cd]
    cd2 = bytearray(enc[e_cd:e_eocd])
    struct.pack_into("<I", cd2, 42, p_cd)
    cd = plain[p_cd:p_eocd] + bytes(cd2)
    eocd = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 2, 2, len(cd),
                       len(body), 0)
    return bytes(body + cd + eocd)


def write_expect(path, verdict, findings, comment):
    with open(path, "w", encoding="utf-8") as f:
        f.write("# %s\n" % (comment or os.path.basename(path)[:-7]))
        f.write("verdict %s\n" % verdict)
        for code, action in findings:
            f.write("finding %s %s\n" % (code, action))


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else OUT
    os.makedirs(out, exist_ok=True)
    os.makedirs(SEEDS, exist_ok=True)
    for name, data, verdict, findings, comment, seed in samples():
        path = os.path.join(out, name)
        with open(path, "wb") as f:
            f.write(data)
        write_expect(path + ".expect", verdict, findings, comment)
        if seed and len(data) < 8192:
            with open(os.path.join(SEEDS, name), "wb") as f:
                f.write(data)
        print("%-32s %6d  %s" % (name, len(data), verdict))


if __name__ == "__main__":
    main()
