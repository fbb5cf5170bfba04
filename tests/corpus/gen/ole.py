#!/usr/bin/env python3
"""Write the hand-made OLE2 (compound file) samples of tests/corpus/files/ole/.

Each sample is a small compound file built here from scratch: a CFB
writer, minimal Word (FIB + piece table), BIFF8 workbook, PowerPoint
record stream and Outlook message structures, plus ECMA-376 Standard and
Agile encryption (pure-Python AES) for encrypted OOXML. The samples are
for sanso, not for Office: they carry exactly the structures the OLE
module looks at. Each gets a .expect file for `sanso file sanitize`.

It is also an independent CFB reader, used to check sanso's rebuilt
files (directory red-black tree, sibling order, chains):

    python3 tests/corpus/gen/ole.py [outdir]
    python3 tests/corpus/gen/ole.py check FILE...   # parse, list, verify
"""
import hashlib
import hmac
import io
import os
import struct
import sys
import zipfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "files", "ole")

SIG = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
FREESECT, ENDOFCHAIN, FATSECT, DIFSECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFC
NOSTREAM = 0xFFFFFFFF


# ---------------------------------------------------------------- CFB writer

class Entry:
    """A storage (children list) or a stream (data bytes)."""

    def __init__(self, name, data=None, children=None, clsid=b"\0" * 16):
        self.name = name
        self.data = data
        self.children = children
        self.clsid = clsid

    @property
    def is_storage(self):
        return self.children is not None


def St(name, *children, clsid=b"\0" * 16):
    return Entry(name, children=list(children), clsid=clsid)


def S(name, data):
    return Entry(name, data=data)


def cfb_key(name):
    """CFB sibling order: length first, then upper-cased UTF-16 units."""
    return (len(name), name.upper())


def _tree(ids):
    """Balanced binary tree over sorted ids: returns (root, {id: (l, r,
    color)}). Nodes on an incomplete last level are red (0)."""
    links = {}
    height = len(ids).bit_length()
    perfect = len(ids) == (1 << height) - 1

    def build(lo, hi, depth):
        if lo >= hi:
            return NOSTREAM
        mid = (lo + hi) // 2
        red = not perfect and depth == height - 1
        links[ids[mid]] = (build(lo, mid, depth + 1), build(mid + 1, hi, depth + 1),
                           0 if red else 1)
        return ids[mid]
    return build(0, len(ids), 0), links


def build_cfb(root_children, root_clsid=b"\0" * 16, hooks=None, version=3):
    """Return (bytes, info). Layout: header, FAT, directory, mini FAT,
    mini stream, big streams (a different order from sanso's writer on
    purpose). hooks may patch the directory entries or FAT before the
    bytes are made: hooks(entries, fat, info). Version 4 uses 4096-byte
    sectors."""
    ss = 512 if version == 3 else 4096
    per = ss // 4
    entries = []                # dicts, index = directory id

    def add(e, parent_path):
        idx = len(entries)
        if parent_path is None:
            path = ""
        else:
            path = (parent_path + "/" + e.name) if parent_path else e.name
        entries.append({"e": e, "path": path, "left": NOSTREAM,
                        "right": NOSTREAM, "child": NOSTREAM,
                        "start": ENDOFCHAIN, "size": 0})
        if e.is_storage:
            kids = [add(c, path) for c in e.children]
            kids.sort(key=lambda i: cfb_key(entries[i]["e"].name))
            root, links = _tree(kids)
            entries[idx]["child"] = root
            for k, (l, r, color) in links.items():
                entries[k]["left"], entries[k]["right"] = l, r
                entries[k]["color"] = color
        return idx

    root = Entry("Root Entry", children=root_children, clsid=root_clsid)
    add(root, None)
    # mini stream and big streams
    mini = bytearray()
    minifat = []
    bigs = []
    for ent in entries[1:]:
        e = ent["e"]
        if e.is_storage:
            ent["start"] = 0
            continue
        ent["size"] = len(e.data)
        if len(e.data) == 0:
            continue
        if len(e.data) < 4096:
            first = len(mini) // 64
            n = (len(e.data) + 63) // 64
            ent["start"] = first
            minifat += [first + k + 1 for k in range(n - 1)] + [ENDOFCHAIN]
            mini += e.data + b"\0" * (n * 64 - len(e.data))
        else:
            bigs.append(ent)
    ndir = (len(entries) + ss // 128 - 1) // (ss // 128)
    nminifat = (len(minifat) * 4 + ss - 1) // ss
    nmini = (len(mini) + ss - 1) // ss
    nbig = sum((len(b["e"].data) + ss - 1) // ss for b in bigs)
    nfat = 1
    while nfat * per < nfat + ndir + nminifat + nmini + nbig:
        nfat += 1
    assert nfat <= 109
    fat = [FATSECT] * nfat
    info = {"fat_start": 0, "nfat": nfat}

    def chain(n):
        first = len(fat)
        fat.extend([first + k + 1 for k in range(n - 1)] + [ENDOFCHAIN])
        return first
    info["dir_start"] = chain(ndir)
    info["minifat_start"] = chain(nminifat) if nminifat else ENDOFCHAIN
    if nmini:
        entries[0]["start"] = chain(nmini)
        entries[0]["size"] = len(mini)
    for b in bigs:
        b["start"] = chain((len(b["e"].data) + ss - 1) // ss)
    info["entries"] = entries
    info["minifat"] = minifat
    if hooks:
        hooks(entries, fat, info)
    while len(fat) % per:
        fat.append(FREESECT)
    # directory
    d = bytearray()
    for i, ent in enumerate(entries):
        e = ent["e"]
        name = ent.get("rawname", e.name).encode("utf-16-le")
        typ = ent.get("type", 5 if i == 0 else (1 if e.is_storage else 2))
        d += name + b"\0" * (64 - len(name))
        d += struct.pack("<HBB", len(name) + 2, typ, ent.get("color", 1))
        d += struct.pack("<III", ent["left"], ent["right"], ent["child"])
        d += e.clsid + struct.pack("<I", 0) + b"\0" * 16
        d += struct.pack("<IQ", ent["start"], ent["size"])
    while len(d) % ss:
        d += b"\0" * 64 + struct.pack("<HBB", 0, 0, 0) + \
            struct.pack("<III", NOSTREAM, NOSTREAM, NOSTREAM) + b"\0" * 48
    mf = b"".join(struct.pack("<I", x) for x in minifat)
    mf += struct.pack("<I", FREESECT) * ((nminifat * ss - len(mf)) // 4)
    hdr = bytearray(SIG + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, version, 0xFFFE,
                                                    9 if version == 3 else 12, 6))
    hdr += b"\0" * 6 + struct.pack("<IIII", 0 if version == 3 else ndir, nfat,
                                    info["dir_start"], 0)
    hdr += struct.pack("<IIIII", 4096, info["minifat_start"], nminifat,
                       ENDOFCHAIN, 0)
    for k in range(109):
        hdr += struct.pack("<I", k if k < nfat else FREESECT)
    body = b"".join(struct.pack("<I", x) for x in fat)
    body += bytes(d) + mf + bytes(mini) + b"\0" * (nmini * ss - len(mini))
    for b in bigs:
        data = b["e"].data
        body += data + b"\0" * ((-len(data)) % ss)
    hdr += bytes(ss - len(hdr))
    info["header"] = hdr
    return bytes(hdr) + body, info


# ---------------------------------------------------------------- CFB reader

class CfbError(Exception):
    pass


def read_cfb(data):
    """Independent strict reader: returns {path: bytes or None (storage)}
    and checks the red-black tree and sibling order of every storage."""
    if data[:8] != SIG:
        raise CfbError("signature")
    major, bom, shift, mshift = struct.unpack_from("<HHHH", data, 0x1A)
    if bom != 0xFFFE or (major, shift) not in ((3, 9), (4, 12)) or mshift != 6:
        raise CfbError("header")
    ss = 1 << shift
    nfat, dir_start = struct.unpack_from("<II", data, 0x2C)
    mf_start, nmf, dif_start, ndif = struct.unpack_from("<IIII", data, 0x3C)

    def sector(i):
        off = (i + 1) * ss
        if off >= len(data):
            raise CfbError("sector %d out of file" % i)
        return data[off:off + ss]
    fatsecs = list(struct.unpack_from("<109I", data, 0x4C))[:nfat]
    d = dif_start
    seen = set()
    while len(fatsecs) < nfat:
        if d in seen:
            raise CfbError("DIFAT loop")
        seen.add(d)
        s = sector(d)
        vals = struct.unpack("<%dI" % (ss // 4), s)
        fatsecs += list(vals[:-1])
        d = vals[-1]
    fatsecs = fatsecs[:nfat]
    fat = []
    for f in fatsecs:
        fat += struct.unpack("<%dI" % (ss // 4), sector(f))

    def chain(start):
        out, s = [], start
        while s != ENDOFCHAIN:
            if s >= len(fat) or s in out or len(out) > len(fat):
                raise CfbError("bad chain")
            out.append(s)
            s = fat[s]
        return out

    def read(start, size):
        b = b"".join(sector(s) for s in chain(start))
        if len(b) < size:
            raise CfbError("short chain")
        return b[:size]
    dirdata = b"".join(sector(s) for s in chain(dir_start))
    ents = []
    for k in range(len(dirdata) // 128):
        e = dirdata[k * 128:(k + 1) * 128]
        nlen, typ, color, l, r, c = struct.unpack_from("<HBBIII", e, 64)
        start, size = struct.unpack_from("<IQ", e, 116)
        if major == 3:
            size &= 0xFFFFFFFF
        name = e[:max(nlen - 2, 0)].decode("utf-16-le", "replace")
        ents.append((name, typ, color, l, r, c, start, size))
    root = ents[0]
    ministream = read(root[6], root[7]) if root[7] else b""
    minifat = []
    if nmf and mf_start != ENDOFCHAIN:
        for s in chain(mf_start):
            minifat += struct.unpack("<%dI" % (ss // 4), sector(s))

    def read_mini(start, size):
        out, s = b"", start
        while len(out) < size:
            if s >= len(minifat):
                raise CfbError("bad mini chain")
            out += ministream[s * 64:(s + 1) * 64]
            s = minifat[s]
        return out[:size]
    files = {}
    visited = set()

    def check_rb(node):
        """Returns black height; raises on red-red, order is checked by
        the in-order walk of siblings()."""
        if node == NOSTREAM:
            return 1
        e = ents[node]
        for kid in (e[3], e[4]):
            if kid != NOSTREAM and e[2] == 0 and ents[kid][2] == 0:
                raise CfbError("red node with a red child")
        lh, rh = check_rb(e[3]), check_rb(e[4])
        if lh != rh:
            raise CfbError("unequal black heights")
        return lh + (1 if e[2] == 1 else 0)

    def siblings(node, out):
        if node == NOSTREAM:
            return
        if node in visited:
            raise CfbError("directory cycle")
        visited.add(node)
        siblings(ents[node][3], out)
        out.append(node)
        siblings(ents[node][4], out)

    def walk(child, path, depth):
        if depth > 64:
            raise CfbError("too deep")
        kids = []
        siblings(child, kids)
        if child != NOSTREAM and ents[child][2] != 1:
            raise CfbError("red root of a sibling tree")
        check_rb(child)
        keys = [cfb_key(ents[k][0]) for k in kids]
        if keys != sorted(keys) or len(set(keys)) != len(keys):
            raise CfbError("siblings out of order or duplicated in " + path)
        for k in kids:
            name, typ, _, _, _, c, start, size = ents[k]
            p = path + "/" + name if path else name
            if typ == 1:
                files[p] = None
                walk(c, p, depth + 1)
            elif typ == 2:
                files[p] = read_mini(start, size) if size < 4096 else read(start, size)
            else:
                raise CfbError("bad entry type")
    walk(root[5], "", 0)
    return files


# ---------------------------------------------------------------- AES

def _aes_tables():
    sbox = [0] * 256
    p = q = 1
    while True:
        p = (p ^ (p << 1) ^ (0x1B if p & 0x80 else 0)) & 0xFF
        q ^= q << 1
        q ^= q << 2
        q ^= q << 4
        q &= 0xFF
        if q & 0x80:
            q ^= 0x09
        x = q ^ ((q << 1) | (q >> 7)) ^ ((q << 2) | (q >> 6)) ^ \
            ((q << 3) | (q >> 5)) ^ ((q << 4) | (q >> 4))
        sbox[p] = (x ^ 0x63) & 0xFF
        if p == 1:
            break
    sbox[0] = 0x63
    return sbox


SBOX = _aes_tables()


def _xt(a):
    return ((a << 1) ^ 0x1B) & 0xFF if a & 0x80 else a << 1


def aes_expand(key):
    nk = len(key) // 4
    nr = nk + 6
    w = [list(key[4 * i:4 * i + 4]) for i in range(nk)]
    rcon = 1
    for i in range(nk, 4 * (nr + 1)):
        t = list(w[i - 1])
        if i % nk == 0:
            t = [SBOX[b] for b in t[1:] + t[:1]]
            t[0] ^= rcon
            rcon = _xt(rcon)
        elif nk > 6 and i % nk == 4:
            t = [SBOX[b] for b in t]
        w.append([a ^ b for a, b in zip(w[i - nk], t)])
    return [sum(w[4 * r:4 * r + 4], []) for r in range(nr + 1)]


def aes_block(rk, block):
    s = [a ^ b for a, b in zip(block, rk[0])]
    for r in range(1, len(rk)):
        s = [SBOX[b] for b in s]
        s = [s[(i + 4 * (i % 4)) % 16] for i in range(16)]      # shift rows
        if r != len(rk) - 1:
            m = []
            for c in range(4):
                a = s[4 * c:4 * c + 4]
                t = a[0] ^ a[1] ^ a[2] ^ a[3]
                m += [a[i] ^ t ^ _xt(a[i] ^ a[(i + 1) % 4]) for i in range(4)]
            s = m
        s = [a ^ b for a, b in zip(s, rk[r])]
    return bytes(s)


def aes_ecb(key, data):
    rk = aes_expand(key)
    return b"".join(aes_block(rk, data[i:i + 16]) for i in range(0, len(data), 16))


def aes_cbc(key, iv, data):
    rk = aes_expand(key)
    out, prev = b"", iv[:16]
    for i in range(0, len(data), 16):
        prev = aes_block(rk, bytes(a ^ b for a, b in zip(data[i:i + 16], prev)))
        out += prev
    return out


def pad16(b):
    return b + b"\0" * ((-len(b)) % 16)


# ---------------------------------------------------------------- encryption

def det_bytes(label, n):
    """Deterministic 'random' bytes so the samples are reproducible."""
    out = b""
    while len(out) < n:
        out += hashlib.sha256((label + str(len(out))).encode()).digest()
    return out[:n]


def lp_p4(s):
    b = s.encode("utf-16-le")
    return struct.pack("<I", len(b)) + b + b"\0" * ((-len(b)) % 4)


def dataspaces():
    ver = lp_p4("Microsoft.Container.DataSpaces") + struct.pack("<HHHHHH", 1, 0, 1, 0, 1, 0)
    ent = struct.pack("<II", 1, 0) + lp_p4("EncryptedPackage") + lp_p4("StrongEncryptionDataSpace")
    dmap = struct.pack("<II", 8, 1) + struct.pack("<I", len(ent) + 4) + ent
    dsi = struct.pack("<II", 8, 1) + lp_p4("StrongEncryptionTransform")
    hdr = struct.pack("<I", 1) + lp_p4("{FF9A3F03-56EF-4613-BDD5-5A41C1D07246}") + \
        lp_p4("Microsoft.Container.EncryptionTransform") + struct.pack("<HHHHHH", 1, 0, 1, 0, 1, 0)
    prim = struct.pack("<I", len(hdr) + 4) + hdr + struct.pack("<IIII", 0, 0, 0, 4)
    return St("\x06DataSpaces",
              S("Version", ver), S("DataSpaceMap", dmap),
              St("DataSpaceInfo", S("StrongEncryptionDataSpace", dsi)),
              St("TransformInfo", St("StrongEncryptionTransform", S("\x06Primary", prim))))


def std_key(password, salt, nbytes):
    h = hashlib.sha1(salt + password.encode("utf-16-le")).digest()
    for i in range(50000):
        h = hashlib.sha1(struct.pack("<I", i) + h).digest()
    h = hashlib.sha1(h + struct.pack("<I", 0)).digest()
    x1 = hashlib.sha1(bytes(a ^ b for a, b in zip(h, b"\x36" * 20)) + b"\x36" * 44).digest()
    x2 = hashlib.sha1(bytes(a ^ b for a, b in zip(h, b"\x5c" * 20)) + b"\x5c" * 44).digest()
    return (x1 + x2)[:nbytes]


def encrypt_standard(package, password):
    salt = det_bytes("std-salt", 16)
    key = std_key(password, salt, 16)
    verifier = det_bytes("std-verifier", 16)
    csp = "Microsoft Enhanced RSA and AES Cryptographic Provider\0".encode("utf-16-le")
    eh = struct.pack("<IIIIIIII", 0x24, 0, 0x660E, 0x8004, 128, 0x18, 0, 0) + csp
    ev = struct.pack("<I", 16) + salt + aes_ecb(key, verifier) + struct.pack("<I", 20) + \
        aes_ecb(key, pad16(hashlib.sha1(verifier).digest()))
    info = struct.pack("<HHII", 3, 2, 0x24, len(eh)) + eh + ev
    pkg = struct.pack("<Q", len(package)) + aes_ecb(key, pad16(package))
    return info, pkg


def encrypt_agile(package, password, spin=100000):
    hf, hl, kb = hashlib.sha512, 64, 32
    kd_salt, pw_salt = det_bytes("kd-salt", 16), det_bytes("pw-salt", 16)
    secret = det_bytes("secret", kb)
    h = hf(pw_salt + password.encode("utf-16-le")).digest()
    for i in range(spin):
        h = hf(struct.pack("<I", i) + h).digest()

    def bk(block):
        return hf(h + block).digest()[:kb]
    vin = det_bytes("vin", 16)
    e_vin = aes_cbc(bk(bytes.fromhex("fea7d2763b4b9e79")), pw_salt, vin)
    e_vval = aes_cbc(bk(bytes.fromhex("d7aa0f6d3061344e")), pw_salt, pad16(hf(vin).digest()))
    e_key = aes_cbc(bk(bytes.fromhex("146e0be7abacd0d6")), pw_salt, secret)
    enc = b""
    for i in range(0, max(len(package), 1), 4096):
        iv = hf(kd_salt + struct.pack("<I", i // 4096)).digest()[:16]
        enc += aes_cbc(secret, iv, pad16(package[i:i + 4096]))
    pkg = struct.pack("<Q", len(package)) + enc
    hkey = det_bytes("hmac-key", hl)
    iv1 = hf(kd_salt + bytes.fromhex("5fb2ad010cb9e1f6")).digest()[:16]
    iv2 = hf(kd_salt + bytes.fromhex("a0677f02b22c8433")).digest()[:16]
    e_hkey = aes_cbc(secret, iv1, pad16(hkey))
    e_hval = aes_cbc(secret, iv2, pad16(hmac.new(hkey, pkg, hf).digest()))

    def b64(b):
        import base64
        return base64.b64encode(b).decode()
    params = ('saltSize="16" blockSize="16" keyBits="256" hashSize="64" '
              'cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" ')
    xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
           '<encryption xmlns="http://schemas.microsoft.com/office/2006/encryption" '
           'xmlns:p="http://schemas.microsoft.com/office/2006/keyEncryptor/password">'
           '<keyData %ssaltValue="%s"/>'
           '<dataIntegrity encryptedHmacKey="%s" encryptedHmacValue="%s"/>'
           '<keyEncryptors><keyEncryptor uri="http://schemas.microsoft.com/office/2006/keyEncryptor/password">'
           '<p:encryptedKey spinCount="%d" %ssaltValue="%s" encryptedVerifierHashInput="%s" '
           'encryptedVerifierHashValue="%s" encryptedKeyValue="%s"/></keyEncryptor></keyEncryptors>'
           '</encryption>') % (params, b64(kd_salt), b64(e_hkey), b64(e_hval), spin, params,
                               b64(pw_salt), b64(e_vin), b64(e_vval), b64(e_key))
    info = struct.pack("<HHI", 4, 4, 0x40) + xml.encode()
    return info, pkg


def minimal_xlsx():
    ct = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
          '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
          '<Default Extension="xml" ContentType="application/xml"/>'
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
          '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
          '</Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            '</Relationships>')
    wb = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
          '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
          'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
          '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
    wbrels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
              '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
              '</Relationships>')
    sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>sanso</t></is></c></row></sheetData>'
             '</worksheet>')
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in (("[Content_Types].xml", ct), ("_rels/.rels", rels),
                           ("xl/workbook.xml", wb), ("xl/_rels/workbook.xml.rels", wbrels),
                           ("xl/worksheets/sheet1.xml", sheet)):
            zi = zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, text)
    return b.getvalue()


def encrypted_ooxml(info, pkg):
    return build_cfb([dataspaces(), S("EncryptionInfo", info), S("EncryptedPackage", pkg)])[0]


# ---------------------------------------------------------------- common parts

def compobj(user_type, prog_id=""):
    def lpstr(s):
        return struct.pack("<I", len(s) + 1) + s.encode("latin-1") + b"\0" if s else struct.pack("<I", 0)
    return struct.pack("<HHI", 1, 0xFFFE, 0x0A03) + b"\xff" * 4 + b"\0" * 16 + \
        lpstr(user_type) + struct.pack("<I", 0) + lpstr(prog_id) + struct.pack("<I", 0x71B239F4) + b"\0" * 12


def summary():
    # Empty property set stream header (byte order, version, no sections).
    return struct.pack("<HHI", 0xFFFE, 0, 0x00020006) + b"\0" * 16 + struct.pack("<I", 0)


def vba_project(module="ThisDocument"):
    """A VBA project storage body: VBA/{_VBA_PROJECT, dir, module}, PROJECT."""
    src = 'Attribute VB_Name = "%s"\r\nSub AutoOpen()\r\n Shell "calc.exe"\r\nEnd Sub\r\n' % module
    return [St("VBA", S("_VBA_PROJECT", b"\xcc\x61\xff\xff\x00\x00\x00"),
               S("dir", b"\x01" + zlib.compress(b"fake dir")),
               S(module, src.encode())),
            S("PROJECT", ('ID="{00000000-0000-0000-0000-000000000000}"\r\nDocument=%s/&H00000000\r\n'
                          % module).encode()),
            S("PROJECTwm", module.encode() + b"\0" + module.encode("utf-16-le") + b"\0\0\0\0")]


def ole10native(label, payload):
    body = struct.pack("<H", 2) + label.encode() + b"\0" + ("C:\\tmp\\" + label).encode() + b"\0" + \
        struct.pack("<HH", 0, 3) + struct.pack("<I", len("C:\\tmp\\" + label) + 1) + \
        ("C:\\tmp\\" + label).encode() + b"\0" + struct.pack("<I", len(payload)) + payload
    return struct.pack("<I", len(body)) + body


def package_object(label, payload):
    return [S("\x01CompObj", compobj("Package", "Package")),
            S("\x03ObjInfo", b"\x00\x00\x03\x00\x04\x00"),
            S("\x01Ole10Native", ole10native(label, payload))]


# ---------------------------------------------------------------- Word

def word_fib(flags=0x1200, ident=0xA5EC, nfib=0x00C1, fc_clx=0, lcb_clx=0, ccp=0):
    fib = bytearray(0x400)
    struct.pack_into("<HHHHH", fib, 0, ident, nfib, 0, 0x0409, 0)
    struct.pack_into("<H", fib, 0x0A, flags)
    struct.pack_into("<H", fib, 0x0C, 0x00BF)
    struct.pack_into("<H", fib, 0x20, 14)
    struct.pack_into("<H", fib, 0x3E, 22)
    struct.pack_into("<II", fib, 0x40, 0x1000, 0)        # cbMac
    struct.pack_into("<I", fib, 0x4C, ccp)               # ccpText
    struct.pack_into("<H", fib, 0x98, 0x5D)
    struct.pack_into("<II", fib, 0x9A + 33 * 8, fc_clx, lcb_clx)
    return fib


def word_doc(pieces, flags=0x1200, ident=0xA5EC, nfib=0x00C1, extra=(),
             table="1Table"):
    """pieces: list of (text, compressed, fc offset in WordDocument).
    Returns the root children of a minimal .doc."""
    wd = bytearray(word_fib(flags, ident, nfib)) + bytearray(0x1000 - 0x400)
    cps, pcds, cp = [0], b"", 0
    for text, compressed, off in pieces:
        raw = text.encode("latin-1") if compressed else text.encode("utf-16-le")
        if len(wd) < off + len(raw):
            wd += bytearray(off + len(raw) - len(wd))
        wd[off:off + len(raw)] = raw
        fc = (off * 2) | 0x40000000 if compressed else off
        cp += len(text)
        cps.append(cp)
        pcds += struct.pack("<HIH", 0x0040, fc, 0)
    plc = b"".join(struct.pack("<I", c) for c in cps) + pcds
    clx = b"\x02" + struct.pack("<I", len(plc)) + plc
    tbl = bytes(0x200) + clx
    struct.pack_into("<II", wd, 0x9A + 33 * 8, 0x200, len(clx))
    struct.pack_into("<I", wd, 0x4C, cp)
    wd += bytearray((-len(wd)) % 512)
    return [S("WordDocument", bytes(wd)), S(table, tbl),
            S("\x01CompObj", compobj("Microsoft Word 97-2003 Document", "Word.Document.8")),
            S("\x05SummaryInformation", summary()),
            S("\x05DocumentSummaryInformation", summary())] + list(extra)


TEXT = "Hello from sanso.\r"


# ---------------------------------------------------------------- Excel

def rec(t, body=b""):
    return struct.pack("<HH", t, len(body)) + body


def bof(dt):
    return rec(0x0809, struct.pack("<HHHHII", 0x0600, dt, 0x0DBB, 0x07CC, 0, 6))


def workbook(sheets, globals_extra=b"", after_bof=b""):
    """sheets: list of (name, hsState, dt in BOUNDSHEET, BOF dt of substream)."""
    def boundsheet(pos, name, hs, dt):
        return rec(0x0085, struct.pack("<IBB", pos, hs, dt) + struct.pack("<BB", len(name), 0) +
                   name.encode("latin-1"))
    head = bof(0x0005) + after_bof + rec(0x0042, struct.pack("<H", 1252))
    bs_len = sum(len(boundsheet(0, n, 0, 0)) for n, _, _, _ in sheets)
    pos = len(head) + bs_len + len(globals_extra) + 4
    subs, bss = b"", b""
    for name, hs, dt, bofdt in sheets:
        bss += boundsheet(pos + len(subs), name, hs, dt)
        subs += bof(bofdt) + rec(0x0200, struct.pack("<IIHHH", 0, 1, 0, 1, 0)) + rec(0x000A)
    stream = head + bss + globals_extra + rec(0x000A) + subs
    stream += bytes((-len(stream)) % 512) if len(stream) > 4096 else b""
    return stream


def xls(sheets, globals_extra=b"", extra=(), after_bof=b""):
    wb = workbook(sheets, globals_extra, after_bof)
    if len(wb) < 4096:
        wb += bytes(4096 - len(wb))   # Excel pads the stream to the cutoff
    return [S("Workbook", wb),
            S("\x01CompObj", compobj("Microsoft Excel 2003 Worksheet", "Excel.Sheet.8")),
            S("\x05SummaryInformation", summary()),
            S("\x05DocumentSummaryInformation", summary())] + list(extra)


SHEET1 = [("Sheet1", 0, 0, 0x0010)]


def rc4(key, data):
    S = list(range(256))
    j = 0
    for i in range(256):
        j = (j + S[i] + key[i % len(key)]) & 0xFF
        S[i], S[j] = S[j], S[i]
    out, i, j = bytearray(), 0, 0
    for b in data:
        i = (i + 1) & 0xFF
        j = (j + S[i]) & 0xFF
        S[i], S[j] = S[j], S[i]
        out.append(b ^ S[(S[i] + S[j]) & 0xFF])
    return bytes(out)


def biff_rc4_filepass(password):
    """FILEPASS body for Office 97/2000 RC4 and the key base."""
    salt, verifier = det_bytes("xls-salt", 16), det_bytes("xls-verifier", 16)
    h0 = hashlib.md5(password.encode("utf-16-le")).digest()[:5]
    base = hashlib.md5((h0 + salt) * 16).digest()[:5]
    k0 = hashlib.md5(base + struct.pack("<I", 0)).digest()
    enc = rc4(k0, verifier + hashlib.md5(verifier).digest())
    return struct.pack("<HHH", 1, 1, 1) + salt + enc, base


def biff_rc4_encrypt(stream, base):
    """Encrypt record bodies after FILEPASS as Excel does."""
    out = bytearray(stream)
    pos, after = 0, False
    clear = {0x0809, 0x002F, 0x0194, 0x0195, 0x00E1, 0x0196, 0x0138}
    blocks = {}
    while pos + 4 <= len(out):
        t, n = struct.unpack_from("<HH", out, pos)
        body = pos + 4
        if after:
            skip = n if t in clear else (min(4, n) if t == 0x0085 else 0)
            for k in range(body + skip, body + n):
                b = k // 1024
                if b not in blocks:
                    blocks[b] = rc4(hashlib.md5(base + struct.pack("<I", b)).digest(), bytes(1024))
                out[k] ^= blocks[b][k % 1024]
        if t == 0x002F:
            after = True
        pos = body + n
    return bytes(out)


def xls_rc4(sheets, password, globals_extra=b""):
    fp, base = biff_rc4_filepass(password)
    kids = xls(sheets, globals_extra, after_bof=rec(0x002F, fp))
    kids[0] = S("Workbook", biff_rc4_encrypt(kids[0].data, base))
    return kids


# ---------------------------------------------------------------- PowerPoint

def prec(ver, inst, t, body=b""):
    return struct.pack("<HHI", ver | inst << 4, t, len(body)) + body


def ppt_streams(doc_children=b"", objects=(), encrypted=False, hide_at=None):
    """A record stream: DocumentContainer, persist objects, persist
    directory, UserEditAtom; and the Current User stream pointing at it."""
    doc = prec(0xF, 0, 0x03E8, prec(1, 0, 0x03E9, bytes(40)) + doc_children)
    s = b""
    offsets = [len(s)]
    s += doc
    for obj in objects:
        offsets.append(len(s))
        s += obj
    if hide_at is not None:
        # An atom whose body holds a whole record, which the persist
        # directory points into: a linear walker would skip it.
        hidden = prec(0, 1, 0x1011, struct.pack("<I", 64) + zlib.compress(bytes(64)))
        pos = len(s) + 8
        s += prec(0, 0, 0x0FBA, hidden)         # CString-like atom
        offsets.append(pos)
    pd_off = len(s)
    entries = struct.pack("<I", 1 | (len(offsets) << 20)) + b"".join(struct.pack("<I", o) for o in offsets)
    s += prec(0, 0, 0x1772, entries)
    ue_off = len(s)
    s += prec(0, 0, 0x0FF5, struct.pack("<IHBBIIIIHH", 0x100, 0, 0, 3, 0, pd_off, 1,
                                        len(offsets) + 1, 1, 0))
    token = 0xF3D1C4DF if encrypted else 0xE391C05F
    cu = prec(0, 0, 0x0FF6, struct.pack("<IIIHHBBH", 0x14, token, ue_off, 4, 0x03F4, 3, 0, 0) +
              b"user" + struct.pack("<I", 8))
    return [S("PowerPoint Document", s),
            S("Current User", cu),
            S("\x05SummaryInformation", summary()),
            S("\x05DocumentSummaryInformation", summary())]


def exolestg(payload):
    return prec(0, 1, 0x1011, struct.pack("<I", len(payload)) + zlib.compress(payload))


# ---------------------------------------------------------------- Outlook

def msg(attachments=()):
    props = struct.pack("<QIIII", 0, 1, 1, 0, 0) + b"\0" * 8
    kids = [S("__properties_version1.0", props),
            S("__substg1.0_0037001F", "Invoice".encode("utf-16-le")),
            S("__substg1.0_1000001F", "Please see the attachment.".encode("utf-16-le")),
            St("__nameid_version1.0", S("__substg1.0_00020102", b""),
               S("__substg1.0_00030102", b""), S("__substg1.0_00040102", b""))]
    for i, (fname, data) in enumerate(attachments):
        kids.append(St("__attach_version1.0_#%08X" % i,
                       S("__properties_version1.0", bytes(8) + struct.pack("<HHIQ", 3, 0x3705, 6, 1)),
                       S("__substg1.0_3707001F", fname.encode("utf-16-le")),
                       S("__substg1.0_37010102", data)))
    return kids


# ---------------------------------------------------------------- samples

MZ = b"MZ\x90\x00" + bytes(60) + b"This program cannot be run in DOS mode.\r\n"
DDE = '\x13 DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc.exe" \x14\x15'


def corrupt_fat_cycle(entries, fat, info):
    """Point the 4th sector of WordDocument back at its first."""
    wd = next(e for e in entries if e["path"] == "WordDocument")
    fat[wd["start"] + 3] = wd["start"]


def e_size(ent):
    return len(ent["e"].data)


def corrupt_dir_cycle(entries, fat, info):
    """Make a leaf's sibling link point back at the root's child."""
    root_child = entries[0]["child"]
    for i, ent in enumerate(entries[1:], 1):
        if ent["left"] == NOSTREAM and ent["right"] == NOSTREAM and i != root_child:
            ent["left"] = root_child
            return


def corrupt_minifat_cycle(entries, fat, info):
    """A small stream whose mini chain loops on itself."""
    ent = next(e for e in entries if e["path"] == "1Table")
    info["minifat"][ent["start"] + 1] = ent["start"]


def corrupt_duplicate(entries, fat, info):
    """Rename 1Table to WordDocument: two siblings with one name."""
    next(e for e in entries if e["path"] == "1Table")["rawname"] = "WordDocument"


def corrupt_link_range(entries, fat, info):
    entries[1]["right"] = 0x7FFFFFF0


def build(children, hooks=None, root_clsid=b"\0" * 16, version=3):
    return build_cfb(children, root_clsid, hooks, version)[0]


def samples():
    """(file name, bytes, comment, verdict, [(code, action)])."""
    out = []

    def add(name, data, comment, verdict, findings=()):
        out.append((name, data, comment, verdict, list(findings)))
    clean_doc = word_doc([(TEXT, True, 0x800)])
    add("clean.doc", build(clean_doc), "minimal Word 97 document, nothing active", "clean")
    add("clean-v4.doc", build(clean_doc, version=4),
        "version 4 compound file (4096-byte sectors), nothing active", "clean")
    add("vba-macros-v4.doc",
        build(word_doc([(TEXT, True, 0x800)], extra=[St("Macros", *vba_project())]), version=4),
        "version 4 file with macros: rebuilt as version 3", "sanitized", [("ole.vba", "removed")])
    add("clean.xls", build(xls(SHEET1)), "minimal BIFF8 workbook, one worksheet", "clean")
    add("clean.ppt", build(ppt_streams()), "minimal PowerPoint record stream", "clean")
    add("clean.msg", build(msg()), "Outlook message without attachments", "clean")
    add("vba-macros.doc", build(word_doc([(TEXT, True, 0x800)], extra=[St("Macros", *vba_project())])),
        "Word document with a Macros storage (AutoOpen)", "sanitized", [("ole.vba", "removed")])
    add("vba-macros-oddcase.doc",
        build(word_doc([(TEXT, True, 0x800)], extra=[St("mAcRoS", *vba_project())])),
        "Macros storage in odd casing (CFB names compare case-insensitively)",
        "sanitized", [("ole.vba", "removed")])
    add("vba-macros-longs.doc",
        build(word_doc([(TEXT, True, 0x800)], extra=[St("Macro\u017f", *vba_project())])),
        "Macros spelled with U+017F long s, which upper-cases to S",
        "sanitized", [("ole.vba", "removed")])
    add("vba-renamed-storage.doc",
        build(word_doc([(TEXT, True, 0x800)], extra=[St("Data2", *vba_project())])),
        "VBA project under an innocent storage name, found by its _VBA_PROJECT stream",
        "sanitized", [("ole.vba", "removed")])
    add("vba-project.xls", build(xls(SHEET1, extra=[St("_VBA_PROJECT_CUR", *vba_project("ThisWorkbook"))])),
        "workbook with a _VBA_PROJECT_CUR storage", "sanitized", [("ole.vba", "removed")])
    add("objectpool-exe.doc",
        build(word_doc([(TEXT, True, 0x800)],
                       extra=[St("ObjectPool", St("_1572084892", *package_object("invoice.exe", MZ)))])),
        "Word document with an OLE Package (Ole10Native) holding an .exe", "sanitized",
        [("ole.object", "removed")])
    nested = word_doc([(TEXT, True, 0x800)], extra=[St("Macros", *vba_project())])
    add("objectpool-nested-macros.doc",
        build(word_doc([(TEXT, True, 0x800)],
                       extra=[St("ObjectPool", St("_1600000000",
                                                  S("\x03ObjInfo", b"\x00\x00\x03\x00\x04\x00"),
                                                  *nested))])),
        "embedded Word document that itself carries macros", "sanitized",
        [("ole.object", "removed")])
    add("root-ole10native.doc",
        build(word_doc([(TEXT, True, 0x800)], extra=[S("\x01Ole10Native", ole10native("run.bat", b"calc"))])),
        "stray Ole10Native package stream at the root", "sanitized", [("ole.object", "removed")])
    add("mbd-object.xls",
        build(xls(SHEET1, extra=[St("MBD0009CF7B", *package_object("payload.exe", MZ))])),
        "workbook with an MBD embedded package", "sanitized", [("ole.object", "removed")])
    add("ctls-activex.xls",
        build(xls(SHEET1, extra=[S("Ctls", b"\x00" * 64)])),
        "workbook with ActiveX control data (Ctls stream)", "sanitized", [("ole.object", "removed")])
    add("xlm-macrosheet.xls",
        build(xls(SHEET1 + [("Macro1", 2, 1, 0x0040)])),
        "very hidden Excel 4.0 macro sheet", "blocked", [("ole.xlm", "blocked")])
    add("xlm-bof-only.xls",
        build(xls(SHEET1 + [("Sheet2", 0, 0, 0x0040)])),
        "BOUNDSHEET claims a worksheet, but the substream BOF is a macro sheet",
        "blocked", [("ole.xlm", "blocked")])
    add("xlm-with-vba.xls",
        build(xls(SHEET1 + [("Macro1", 1, 1, 0x0040)],
                  extra=[St("_VBA_PROJECT_CUR", *vba_project("ThisWorkbook"))])),
        "hidden macro sheet and a VBA project: the sheet blocks the file", "blocked",
        [("ole.xlm", "blocked"), ("ole.vba", "removed")])
    add("vb-module-sheet.xls",
        build(xls(SHEET1 + [("Module1", 0, 6, 0x0006)])),
        "Excel 5 VB module sheet inside the BIFF stream", "blocked", [("ole.vba", "blocked")])
    add("filepass.xls",
        build(xls(SHEET1, after_bof=rec(0x002F, struct.pack("<HHH", 1, 2, 2) + bytes(48)))),
        "workbook encrypted with a password (FILEPASS)", "held", [("ole.encrypted", "held")])
    supbook = rec(0x01AE, struct.pack("<HHB", 0, 12, 0) + b"cmd\x03/c calc")
    add("dde-supbook.xls", build(xls(SHEET1, globals_extra=supbook)),
        "DDE link to cmd through a SUPBOOK record", "blocked", [("ole.dde", "blocked")])
    add("rc4-velvet-dde.xls", build(xls_rc4(SHEET1, "VelvetSweatshop", supbook)),
        "RC4-encrypted workbook (default password) hiding a DDE link", "blocked",
        [("ole.dde", "blocked"), ("ole.encrypted", "held")])
    add("rc4-velvet-clean.xls", build(xls_rc4(SHEET1, "VelvetSweatshop")),
        "RC4-encrypted workbook with the default password, nothing active", "held",
        [("ole.encrypted", "held")])
    add("rc4-password-dde.xls", build(xls_rc4(SHEET1, "s3cret", supbook)),
        "RC4-encrypted workbook with a real password: content unreadable", "held",
        [("ole.encrypted", "held")])
    add("dde-field.doc", build(word_doc([("Invoice\r" + DDE + "\r", True, 0x800)])),
        "DDEAUTO field in 8-bit text", "blocked", [("ole.dde", "blocked")])
    add("dde-field-utf16.doc", build(word_doc([("\u8acb\u6c42\u66f8\r" + DDE.replace("DDEAUTO", "dDeAuTo") + "\r",
                                                False, 0x800)])),
        "ddeauto in odd case in UTF-16 text", "blocked", [("ole.dde", "blocked")])
    add("dde-field-split.doc",
        build(word_doc([("Invoice \x13 dd", True, 0xC00), ("E c:\\\\x.exe \x14\x15\r", True, 0x800)])),
        "DDE keyword split across two pieces stored in reverse order", "blocked",
        [("ole.dde", "blocked")])
    add("dde-nested-fieldtype.doc",
        build(word_doc([("Report\r\x13 \x13 QUOTE 68 68 69 \x14DDE\x15 cmd.exe \x14\x15\r", True, 0x800)])),
        "field whose type is produced by a nested QUOTE field", "blocked",
        [("ole.dde", "blocked")])
    add("encrypted.doc", build(word_doc([(TEXT, True, 0x800)], flags=0x1300)),
        "Word document with fEncrypted set", "held", [("ole.encrypted", "held")])
    add("word95.doc", build(word_doc([(TEXT, True, 0x800)], ident=0xA5DC, nfib=0x0065)),
        "Word 6/95 document: WordBasic macros would live in the text stream",
        "blocked", [("type.unsupported", "blocked")])
    vbainfo = prec(0xF, 1, 0x03FF, prec(2, 0, 0x0400, struct.pack("<III", 2, 0, 2)))
    add("vba.ppt", build(ppt_streams(vbainfo, [exolestg(b"VBA storage would be here")])),
        "presentation with an embedded VBA project (VbaInfo + ExOleObjStg)", "blocked",
        [("ole.vba", "blocked")])
    embed = prec(0xF, 0, 0x0409, prec(0, 0, 0x040A, struct.pack("<I", 1)) +
                 prec(0xF, 0, 0x0FCC, prec(1, 0, 0x0FCD, struct.pack("<IBBBB", 0, 0, 0, 0, 0)) +
                      prec(1, 0, 0x0FC3, struct.pack("<IIIIII", 1, 2, 0, 3, 0, 0))))
    add("object.ppt", build(ppt_streams(embed, [exolestg(b"package")])),
        "presentation with an embedded OLE object", "blocked", [("ole.object", "blocked")])
    add("encrypted.ppt", build(ppt_streams(encrypted=True)),
        "presentation whose Current User token says encrypted", "held", [("ole.encrypted", "held")])
    add("hidden-record.ppt", build(ppt_streams(hide_at=True)),
        "persist directory points inside another record's body", "blocked",
        [("ole.malformed", "blocked")])
    add("attachment.msg", build(msg([("invoice.exe", MZ)])),
        "Outlook message with an .exe attachment", "held", [("ole.object", "held")])
    add("unknown.ole", build([S("Contents", b"hello"), S("\x05SummaryInformation", summary())]),
        "compound file of no supported kind", "blocked", [("type.unsupported", "blocked")])
    polyglot = word_doc([(TEXT, True, 0x800)])
    polyglot += [e for e in xls(SHEET1 + [("Macro1", 2, 1, 0x0040)])
                 if e.name == "Workbook"]
    add("polyglot-doc-xls.doc", build(polyglot),
        "clean WordDocument plus a Workbook with a macro sheet (opens in Excel if renamed)",
        "blocked", [("ole.xlm", "blocked")])
    # Encrypted OOXML
    pkg = minimal_xlsx()
    add("std-velvet.xlsx", encrypted_ooxml(*encrypt_standard(pkg, "VelvetSweatshop")),
        "ECMA-376 Standard encryption (AES-128) with Excel's default password", "sanitized",
        [("ooxml.encrypted", "removed")])
    add("agile-velvet.xlsx", encrypted_ooxml(*encrypt_agile(pkg, "VelvetSweatshop")),
        "ECMA-376 Agile encryption (AES-256, SHA-512) with the default password", "sanitized",
        [("ooxml.encrypted", "removed")])
    add("std-password.xlsx", encrypted_ooxml(*encrypt_standard(pkg, "s3cret")),
        "Standard encryption with a real password", "held", [("ooxml.encrypted", "held")])
    # Malformed containers
    big = word_doc([(TEXT, True, 0x800)])
    add("fat-cycle.doc", build(big, corrupt_fat_cycle), "FAT chain of WordDocument loops",
        "blocked", [("ole.malformed", "blocked")])
    add("dir-cycle.doc", build(big, corrupt_dir_cycle), "directory sibling link forms a cycle",
        "blocked", [("ole.malformed", "blocked")])
    add("minifat-cycle.doc", build(big, corrupt_minifat_cycle), "mini FAT chain loops",
        "blocked", [("ole.malformed", "blocked")])
    add("duplicate-name.doc", build(big, corrupt_duplicate),
        "two WordDocument streams in the root storage", "blocked", [("ole.malformed", "blocked")])
    add("link-out-of-range.doc", build(big, corrupt_link_range),
        "directory link past the last entry", "blocked", [("ole.malformed", "blocked")])
    good = build(big)
    add("truncated.doc", good[:len(good) - 3000], "file cut inside the WordDocument stream",
        "blocked", [("ole.malformed", "blocked")])
    bad = bytearray(good)
    struct.pack_into("<H", bad, 0x1E, 20)
    add("sector-shift.doc", bytes(bad), "sector shift of 20 (1 MiB sectors)", "blocked",
        [("ole.malformed", "blocked")])
    return out


def verdict_findings_text(comment, verdict, findings):
    lines = ["# " + comment, "verdict " + verdict]
    lines += ["finding %s %s" % f for f in findings]
    return "\n".join(lines) + "\n"


def main(argv):
    if len(argv) > 1 and argv[1] == "check":
        bad = 0
        for path in argv[2:]:
            try:
                files = read_cfb(open(path, "rb").read())
                print("%s: ok, %d entries" % (path, len(files)))
                for p, d in sorted(files.items()):
                    print("   %s %s" % ("d" if d is None else "f %6d" % len(d), p.encode("unicode_escape").decode()))
            except (CfbError, struct.error, IndexError) as e:
                print("%s: BAD: %s" % (path, e))
                bad = 1
        return bad
    outdir = argv[1] if len(argv) > 1 else OUT
    os.makedirs(outdir, exist_ok=True)
    for name, data, comment, verdict, findings in samples():
        with open(os.path.join(outdir, name), "wb") as f:
            f.write(data)
        with open(os.path.join(outdir, name + ".expect"), "w") as f:
            f.write(verdict_findings_text(comment, verdict, findings))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
