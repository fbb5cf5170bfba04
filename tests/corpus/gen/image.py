#!/usr/bin/env python3
"""Write the hand-made image samples of tests/corpus/files/image/.

Stdlib only: every format is written byte by byte here.
- JPEG: a baseline encoder that codes each 8x8 block as its DC value only
  (flat blocks, AC = end-of-block), which any decoder reads.
- PNG: zlib over filter-0 rows, Adam7 for the interlaced sample.
- GIF: "uncompressed" LZW (a clear code every 250 codes keeps 9-bit codes).
- BMP, TIFF: plain headers over raw pixels; RLE8 by hand.
- WebP: a lossless VP8L stream made of "simple" prefix codes, so a pixel
  costs 0 or 1 bit and no real entropy coder is needed.

Each sample gets a sibling .expect (verdict and the findings that must be
present) for `sanso file sanitize`. Pixel patterns are documented where a
unit test checks them. Run: python3 tests/corpus/gen/image.py
"""

import io
import os
import struct
import zipfile
import zlib

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                   "..", "files", "image")


def write(name, data, verdict, findings=(), comment=""):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)
    lines = ["# " + (comment or name)]
    lines.append("verdict " + verdict)
    for code, action in findings:
        lines.append("finding %s %s" % (code, action))
    with open(os.path.join(OUT, name + ".expect"), "w") as f:
        f.write("\n".join(lines) + "\n")


def small_zip():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("payload.js", "WScript.Echo('polyglot');\n")
    return buf.getvalue()


# --- JPEG -----------------------------------------------------------------

DC_BITS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]
DC_VALS = list(range(12))


def huff_codes(bits, vals):
    codes, code, k = {}, 0, 0
    for length in range(1, 17):
        for _ in range(bits[length - 1]):
            codes[vals[k]] = (code, length)
            code += 1
            k += 1
        code <<= 1
    return codes


class JBits:
    def __init__(self):
        self.out = bytearray()
        self.acc = 0
        self.n = 0

    def put(self, value, length):
        for i in range(length - 1, -1, -1):
            self.acc = (self.acc << 1) | ((value >> i) & 1)
            self.n += 1
            if self.n == 8:
                self.out.append(self.acc)
                if self.acc == 0xFF:
                    self.out.append(0)
                self.acc = 0
                self.n = 0

    def flush(self):
        while self.n:
            self.put(1, 1)
        return bytes(self.out)


def seg(marker, payload):
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def jpeg(width, height, comps, block_value, extra=b"", adobe=False,
         jfif=True, after_scan=b""):
    """block_value(bx, by, c) -> 0..255 sample of that flat block."""
    dc = huff_codes(DC_BITS, DC_VALS)
    out = b"\xFF\xD8"
    if jfif:
        out += seg(0xE0, b"JFIF\0\x01\x01\x00\x00\x01\x00\x01\x00\x00")
    if adobe:
        out += seg(0xEE, b"Adobe\x00\x64\x00\x00\x00\x00\x00")
    out += extra
    out += seg(0xDB, b"\x00" + bytes([8] * 64))
    sof = struct.pack(">BHHB", 8, height, width, comps)
    for c in range(comps):
        sof += bytes([c + 1, 0x11, 0])
    out += seg(0xC0, sof)
    dht = b"\x00" + bytes(DC_BITS) + bytes(DC_VALS)
    dht += b"\x10" + bytes([1] + [0] * 15) + b"\x00"   # AC: only EOB, code '0'
    out += seg(0xC4, dht)
    sos = bytes([comps])
    for c in range(comps):
        sos += bytes([c + 1, 0x00])
    out += seg(0xDA, sos + b"\x00\x3F\x00")
    bits = JBits()
    pred = [0] * comps
    for by in range(height // 8):
        for bx in range(width // 8):
            for c in range(comps):
                v = block_value(bx, by, c) - 128
                diff = v - pred[c]
                pred[c] = v
                cat = abs(diff).bit_length()
                code, length = dc[cat]
                bits.put(code, length)
                if cat:
                    bits.put(diff if diff >= 0 else diff + (1 << cat) - 1, cat)
                bits.put(0, 1)   # EOB
    out += bits.flush() + after_scan + b"\xFF\xD9"
    return out


def colour_blocks(bx, by, c):
    return [(bx * 40) % 256, (by * 60) % 256, 128][c] if c < 3 else 0


def exif(orientation):
    make = b"EvilCam\0"
    ifd = struct.pack(">H", 2)
    ifd += struct.pack(">HHII", 0x010F, 2, len(make), 8 + 2 + 24 + 4)
    ifd += struct.pack(">HHIHH", 0x0112, 3, 1, orientation, 0)
    ifd += struct.pack(">I", 0)
    return b"Exif\0\0MM\0*" + struct.pack(">I", 8) + ifd + make


XMP = (b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
       b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf='
       b'"http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
       b'xmlns:dc="http://purl.org/dc/elements/1.1/" dc:creator="secret"/>'
       b'</rdf:RDF></x:xmpmeta><?xpacket end="w"?>')


def gen_jpeg():
    meta = (seg(0xE1, exif(1)) + seg(0xE1, b"http://ns.adobe.com/xap/1.0/\0"
            + XMP) + seg(0xFE, b"made by a careless camera"))
    write("jpeg_exif_xmp_com.jpg", jpeg(32, 16, 3, colour_blocks, meta),
          "sanitized", [("image.metadata", "removed")],
          "JPEG with EXIF (Make), XMP and a COM segment")
    clean = jpeg(32, 16, 3, colour_blocks)
    write("jpeg_clean.jpg", clean, "clean", [],
          "plain JFIF JPEG: re-encoded, no finding")
    write("jpeg_zip_polyglot.jpg", clean + small_zip(), "sanitized",
          [("image.trailing_data", "removed")],
          "JPEG+ZIP polyglot: a zip with a script after EOI")
    write("jpeg_truncated.jpg", clean[:-6], "blocked",
          [("image.malformed", "blocked")], "JPEG cut inside the scan")
    # 32x16 stored, EXIF orientation 6: the output is 16x32.
    write("jpeg_orientation6.jpg",
          jpeg(32, 16, 3, colour_blocks, seg(0xE1, exif(6))), "sanitized",
          [("image.metadata", "removed")],
          "EXIF orientation 6 applied to the pixels (output 16x32)")
    hidden = (seg(0xE2, b"ICC_PROFILE\0\x01\x01" + b"\0" * 128)
              + seg(0xED, b"Photoshop 3.0\08BIM\x04\x04\0\0\0\0\0\x05"
                    b"\x1c\x02\x78\0\0")
              + seg(0xEF, b"private data in APP15"))
    write("jpeg_icc_iptc_app15_com_after_scan.jpg",
          jpeg(16, 16, 3, colour_blocks, hidden,
               after_scan=seg(0xFE, b"<script>comment after the scan</script>")),
          "sanitized", [("image.metadata", "removed")],
          "ICC, IPTC, APP15 and a COM hidden between scan data and EOI")
    write("jpeg_gray.jpg", jpeg(16, 8, 1, lambda bx, by, c: 30 + bx * 100),
          "clean", [], "greyscale JPEG stays greyscale")
    write("jpeg_cmyk_adobe.jpg",
          jpeg(16, 16, 4, lambda bx, by, c: [255, 128, 64, 200][c],
               adobe=True, jfif=False),
          "clean", [], "Adobe CMYK JPEG: converted to RGB, no finding")
    bad = bytearray(clean)
    sof = bad.index(b"\xFF\xC0")
    bad[sof + 5:sof + 9] = struct.pack(">HH", 0xFFFF, 0xFFFF)
    write("jpeg_pixel_bomb.jpg", bytes(bad), "blocked",
          [("limit.image_pixels", "blocked")], "SOF claims 65535x65535")


# --- PNG ------------------------------------------------------------------

def chunk(ctype, data):
    return (struct.pack(">I", len(data)) + ctype + data
            + struct.pack(">I", zlib.crc32(ctype + data) & 0xFFFFFFFF))


PNG_SIG = b"\x89PNG\r\n\x1a\n"


def png(width, height, colour_type, rows, depth=8, before=b"", after=b"",
        interlace=0, ihdr_dims=None):
    """rows: list of raw row bytes (unfiltered)."""
    w, h = ihdr_dims or (width, height)
    ihdr = struct.pack(">IIBBBBB", w, h, depth, colour_type, 0, 0, interlace)
    raw = b"".join(b"\0" + r for r in rows)
    return (PNG_SIG + chunk(b"IHDR", ihdr) + before
            + chunk(b"IDAT", zlib.compress(raw)) + after + chunk(b"IEND", b""))


def rgb_rows(width, height):
    """Pixel (x, y) = (x*16, y*16, 200): checked by the unit test."""
    return [bytes(v for x in range(width) for v in (x * 16 % 256,
                                                      y * 16 % 256, 200))
            for y in range(height)]


def adam7_rows(width, height, pixel):
    passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4),
              (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
    rows = []
    for x0, y0, dx, dy in passes:
        for y in range(y0, height, dy):
            xs = range(x0, width, dx)
            if len(xs):
                rows.append(bytes(pixel(x, y) for x in xs))
    return rows


def gen_png():
    write("png_clean.png", png(8, 8, 2, rgb_rows(8, 8)), "clean", [],
          "small RGB PNG, pixel (x,y) = (16x, 16y, 200)")
    text = (chunk(b"tEXt", b"Comment\0secret note")
            + chunk(b"zTXt", b"Author\0\0" + zlib.compress(b"someone")))
    itxt = chunk(b"iTXt", b"XML:com.adobe.xmp\0\0\0\0\0" + XMP)
    write("png_text_after_iend.png",
          png(8, 8, 2, rgb_rows(8, 8), before=text, after=itxt)
          + b"<?php system($_GET['c']); ?>",
          "sanitized", [("image.metadata", "removed"),
                        ("image.trailing_data", "removed")],
          "tEXt/zTXt before IDAT, iTXt (XMP) after IDAT, PHP after IEND")
    private = (chunk(b"prVt", b"<script>alert(1)</script>")
               + chunk(b"eXIf", exif(1)[6:])
               + chunk(b"iCCP", b"icc\0\0" + zlib.compress(b"\0" * 64)))
    write("png_private_exif_icc.png",
          png(4, 4, 2, rgb_rows(4, 4), before=private), "sanitized",
          [("image.metadata", "removed")],
          "private ancillary chunk prVt, eXIf and iCCP")
    bomb = png(1, 1, 0, [b"\0"], ihdr_dims=(65535, 65535))
    write("png_pixel_bomb.png", bomb, "blocked",
          [("limit.image_pixels", "blocked")],
          "IHDR claims 65535x65535 with a 1-pixel IDAT")
    plte = chunk(b"PLTE", bytes([255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9]))
    trns = chunk(b"tRNS", b"\xff\x80\x00")
    write("png_palette_trns_interlaced.png",
          png(13, 11, 3, adam7_rows(13, 11, lambda x, y: (x + y) % 4),
              before=plte + trns, interlace=1),
          "clean", [], "Adam7-interlaced palette PNG with tRNS")
    g16 = [bytes(v for x in range(5) for v in struct.pack(">HH", x * 9000,
                                                            65535 - y * 9000))
           for y in range(5)]
    write("png_gray16_alpha.png", png(5, 5, 4, g16, depth=16), "clean", [],
          "16-bit grey+alpha PNG")
    clean = png(8, 8, 2, rgb_rows(8, 8))
    idat = clean.index(b"IDAT")
    write("png_truncated.png", clean[:idat + 20], "blocked",
          [("image.malformed", "blocked")], "PNG cut inside IDAT")
    bad = bytearray(clean)
    bad[29] ^= 0xFF     # IHDR CRC
    write("png_bad_ihdr_crc.png", bytes(bad), "blocked",
          [("image.malformed", "blocked")], "IHDR with a wrong CRC")
    actl = chunk(b"acTL", struct.pack(">II", 2, 0))
    fctl = chunk(b"fcTL", struct.pack(">IIIIIHHBB", 0, 4, 4, 0, 0, 1, 10, 0, 0))
    write("png_apng.png", png(4, 4, 2, rgb_rows(4, 4), before=actl + fctl),
          "sanitized", [("image.metadata", "removed")],
          "APNG control chunks: the default image is kept")


# --- GIF ------------------------------------------------------------------

def lzw_uncompressed(pixels):
    """Min code size 8, a clear code every 250 codes: codes stay 9 bits."""
    out, acc, n = bytearray(), 0, 0
    codes = []
    for i, p in enumerate(pixels):
        if i % 250 == 0:
            codes.append(256)
        codes.append(p)
    codes.append(257)
    for c in codes:
        acc |= c << n
        n += 9
        while n >= 8:
            out.append(acc & 0xFF)
            acc >>= 8
            n -= 8
    if n:
        out.append(acc & 0xFF)
    blocks = b"".join(bytes([len(out[i:i + 255])]) + out[i:i + 255]
                      for i in range(0, len(out), 255))
    return b"\x08" + blocks + b"\x00"


def gif_palette(n=256):
    return b"".join(bytes([i, 255 - i, (i * 7) % 256]) for i in range(n))


def gif_frame(w, h, pixels, x=0, y=0, delay=None):
    out = b""
    if delay is not None:
        out += b"\x21\xF9\x04\x04" + struct.pack("<H", delay) + b"\x00\x00"
    return (out + b"\x2C" + struct.pack("<HHHH", x, y, w, h) + b"\x00"
            + lzw_uncompressed(pixels))


def gif(w, h, body, trailer=b"\x3B"):
    return (b"GIF89a" + struct.pack("<HH", w, h) + b"\xF7\x00\x00"
            + gif_palette() + body + trailer)


def netscape(loops, extra=b""):
    return (b"\x21\xFF\x0BNETSCAPE2.0\x03\x01" + struct.pack("<H", loops)
            + extra + b"\x00")


def gen_gif():
    pix = [(x * 20 + y) % 256 for y in range(8) for x in range(8)]
    comment = b"\x21\xFE\x0Fsecret comment!\x00"
    write("gif_comment_trailing.gif",
          gif(8, 8, comment + gif_frame(8, 8, pix)) + b"junk after trailer",
          "sanitized", [("image.metadata", "removed"),
                        ("image.trailing_data", "removed")],
          "GIF comment extension and junk after the trailer")
    frames = b"".join(gif_frame(8, 8, [(i * 50 + p) % 256 for p in pix],
                                delay=10 * (i + 1)) for i in range(3))
    write("gif_animated.gif", gif(8, 8, netscape(0) + frames), "clean", [],
          "3 frames, delays 10/20/30, NETSCAPE loop forever")
    xmp = b"\x21\xFF\x0BXMP DataXMP" + bytes([len(XMP[:200])]) + XMP[:200] + b"\x00"
    between = b"\x21\xFE\x05later\x00"
    write("gif_xmp_netscape_extra.gif",
          gif(8, 8, netscape(3, b"\x05hide!") + xmp
              + gif_frame(8, 8, pix, delay=5) + between
              + gif_frame(4, 4, pix[:16], 2, 2, delay=5)),
          "sanitized", [("image.metadata", "removed")],
          "XMP application extension, data hidden in the NETSCAPE block, "
          "comment between frames")
    full = gif(8, 8, gif_frame(8, 8, pix))
    write("gif_truncated.gif", full[:len(full) - 40], "blocked",
          [("image.malformed", "blocked")], "GIF cut inside the image data")
    # Interlaced frame with a local colour table of 4 entries; rows are
    # stored in interlace order (0, 8, ..., 4, ..., 2, ..., 1, 3, ...).
    order = (list(range(0, 10, 8)) + list(range(4, 10, 8))
             + list(range(2, 10, 4)) + list(range(1, 10, 2)))
    rows = [[(x + y) % 4 for x in range(6)] for y in range(10)]
    local = b"".join(bytes(c) for c in [(0, 0, 0), (255, 0, 0), (0, 255, 0),
                                        (0, 0, 255)])
    inter = (b"\x2C" + struct.pack("<HHHH", 1, 1, 6, 10) + b"\xC1" + local
             + lzw_uncompressed([p for y in order for p in rows[y]]))
    write("gif_interlaced_local.gif", gif(8, 12, inter), "clean", [],
          "interlaced frame with a local colour table, stays interlaced")
    write("gifar.gif", full + small_zip(), "sanitized",
          [("image.trailing_data", "removed")], "GIF+ZIP (GIFAR) polyglot")


# --- BMP ------------------------------------------------------------------

def bmp(width, height, bpp, pixel_data, palette=b"", compression=0,
        header_size=40, extra_header=b"", tail=b""):
    info = struct.pack("<IiiHHIIiiII", header_size, width, height, 1, bpp,
                       compression, len(pixel_data), 2835, 2835,
                       len(palette) // 4, 0) + extra_header
    off = 14 + len(info) + len(palette)
    head = b"BM" + struct.pack("<IHHI", off + len(pixel_data), 0, 0, off)
    return head + info + palette + pixel_data + tail


def bmp24_rows(width, height):
    """Pixel (x, y) from the top = (x*16, y*16, 200), bottom-up rows."""
    stride = (width * 3 + 3) & ~3
    rows = []
    for y in range(height - 1, -1, -1):
        r = b"".join(bytes([200, y * 16 % 256, x * 16 % 256])
                     for x in range(width))
        rows.append(r + b"\0" * (stride - len(r)))
    return b"".join(rows)


def rle8(rows):
    out = b""
    for r in rows:
        i = 0
        while i < len(r):
            j = i
            while j < len(r) and r[j] == r[i] and j - i < 255:
                j += 1
            out += bytes([j - i, r[i]])
            i = j
        out += b"\0\0"
    return out[:-2] + b"\0\1"


def gen_bmp():
    write("bmp_24.bmp", bmp(6, 5, 24, bmp24_rows(6, 5)), "clean", [],
          "24-bit BMP: becomes PNG, pixel (x,y) = (16x, 16y, 200)")
    pal = b"".join(bytes([b, g, r, 0]) for r, g, b in
                   [(0, 0, 0), (255, 255, 255), (255, 0, 0), (0, 0, 255)])
    rows = [bytes((x // 3 + y) % 4 for x in range(9)) for y in range(7)]
    write("bmp_rle8.bmp", bmp(9, 7, 8, rle8(rows), pal, compression=1),
          "clean", [], "RLE8 BMP")
    px4 = b"".join(bytes([0x01, 0x23, 0x00, 0x00]) for _ in range(4))
    write("bmp_4bit_trailing.bmp",
          bmp(4, 4, 4, px4, pal, tail=b"MZ\x90\x00payload after the pixels"),
          "sanitized", [("image.trailing_data", "removed")],
          "4-bit palette BMP with an executable-looking tail")
    masks = struct.pack("<IIII", 0x00FF0000, 0x0000FF00, 0x000000FF,
                        0xFF000000)
    v5 = masks + struct.pack("<I", 0x4D424544) + b"\0" * 48 + struct.pack("<IIII", 4, 0, 0, 0)
    px32 = b"".join(struct.pack("<I", (0x80 << 24) | (x * 60 << 16) | 0x40)
                    for x in range(4) for _ in range(1)) * 2
    profile = b"fake icc profile"
    data = bmp(4, 2, 32, px32, compression=3, header_size=124,
               extra_header=v5)
    # Profile offset is relative to the info header (offset 14).
    prof_off = len(data) - 14
    data = bmp(4, 2, 32, px32, compression=3, header_size=124,
               extra_header=v5[:-16] + struct.pack("<IIII", 4, prof_off,
                                                    len(profile), 0))
    write("bmp_v5_alpha_icc.bmp", data + profile, "sanitized",
          [("image.metadata", "removed")],
          "V5 BMP, 32-bit with alpha bit field and an embedded profile")
    full = bmp(6, 5, 24, bmp24_rows(6, 5))
    write("bmp_truncated.bmp", full[:-20], "blocked",
          [("image.malformed", "blocked")], "BMP pixel data cut short")
    write("bmp_pixel_bomb.bmp", bmp(100000, -100000, 24, b""), "blocked",
          [("limit.image_pixels", "blocked")], "top-down 100000x100000 BMP")


# --- TIFF -----------------------------------------------------------------

def tiff_page(width, height, pixels, extra_tags, data_off):
    """One RGB strip page; returns (ifd entries, blobs) with offsets laid
    out from data_off: pixel data first, then tag data."""
    blobs = bytearray(pixels)
    tags = []

    def blob(data):
        off = data_off + len(blobs)
        blobs.extend(data)
        if len(blobs) % 2:
            blobs.append(0)
        return off

    bps = blob(struct.pack("<HHH", 8, 8, 8))
    tags += [(256, 4, 1, width), (257, 4, 1, height), (258, 3, 3, bps),
             (259, 3, 1, 1), (262, 3, 1, 2), (273, 4, 1, data_off),
             (277, 3, 1, 3), (278, 4, 1, height), (279, 4, 1, len(pixels)),
             (284, 3, 1, 1)]
    for tag, typ, data in extra_tags:
        tags.append((tag, typ, len(data), blob(data) if len(data) > 4 else
                     int.from_bytes(data.ljust(4, b"\0"), "little")))
    return sorted(tags), bytes(blobs)


def tiff(pages):
    """pages: list of (width, height, pixels, extra_tags)."""
    out = bytearray(b"II*\0\0\0\0\0")
    ifd_offsets = []
    for width, height, pixels, extra in pages:
        tags, blobs = tiff_page(width, height, pixels, extra, len(out))
        out += blobs
        ifd_offsets.append(len(out))
        out += struct.pack("<H", len(tags))
        for tag, typ, count, value in tags:
            if typ == 3 and count == 1:
                out += struct.pack("<HHIHH", tag, typ, count, value, 0)
            else:
                out += struct.pack("<HHII", tag, typ, count, value)
        out += b"\0\0\0\0"
    struct.pack_into("<I", out, 4, ifd_offsets[0])
    for a, b in zip(ifd_offsets, ifd_offsets[1:]):
        n = struct.unpack_from("<H", out, a)[0]
        struct.pack_into("<I", out, a + 2 + 12 * n, b)
    return bytes(out)


def tiff_rgb(width, height):
    """Pixel (x, y) = (x*16, y*16, 200)."""
    return bytes(v for y in range(height) for x in range(width)
                 for v in (x * 16 % 256, y * 16 % 256, 200))


def gen_tiff():
    write("tiff_rgb.tif", tiff([(6, 4, tiff_rgb(6, 4), [])]), "clean", [],
          "uncompressed RGB TIFF: becomes PNG")
    meta = [(270, 2, b"secret description\0"), (315, 2, b"Someone\0"),
            (700, 1, XMP), (65000, 7, b"private tag data")]
    write("tiff_multipage_meta.tif",
          tiff([(6, 4, tiff_rgb(6, 4), meta), (3, 2, tiff_rgb(3, 2), [])]),
          "sanitized", [("image.metadata", "removed"),
                        ("image.multipage", "reported")],
          "2 pages (6x4 and 3x2: one 6x6 PNG), ImageDescription, Artist, "
          "XMP and an unknown private tag")
    write("tiff_pixel_bomb.tif",
          tiff([(100000, 100000, tiff_rgb(1, 1), [])]), "blocked",
          [("limit.image_pixels", "blocked")], "TIFF claims 100000x100000")
    bad = bytearray(tiff([(6, 4, tiff_rgb(6, 4), [])]))
    ifd = struct.unpack_from("<I", bad, 4)[0]
    for i in range(struct.unpack_from("<H", bad, ifd)[0]):
        if struct.unpack_from("<H", bad, ifd + 2 + 12 * i)[0] == 273:
            struct.pack_into("<I", bad, ifd + 2 + 12 * i + 8, 0x7FFFFF00)
    write("tiff_truncated.tif", bytes(bad), "blocked",
          [("image.malformed", "blocked")],
          "TIFF whose strip lies past the end of the file")


# --- WebP -----------------------------------------------------------------

class LBits:
    """LSB-first bit writer (VP8L)."""
    def __init__(self):
        self.v = 0
        self.n = 0

    def put(self, value, length):
        self.v |= value << self.n
        self.n += length

    def bytes(self):
        return self.v.to_bytes((self.n + 7) // 8, "little")


def vp8l(width, height, green, red, blue, alpha, pattern):
    """green: one or two symbols; with two, pattern(x, y) picks index 0/1
    (1 bit per pixel). red/blue/alpha: one symbol each (0 bits)."""
    b = LBits()
    b.put(0x2F, 8)
    b.put(width - 1, 14)
    b.put(height - 1, 14)
    b.put(1 if alpha != 255 else 0, 1)
    b.put(0, 3)
    b.put(0, 1)          # no transform
    b.put(0, 1)          # no colour cache
    b.put(0, 1)          # no meta prefix codes

    def simple(symbols):
        b.put(1, 1)
        b.put(len(symbols) - 1, 1)
        b.put(1, 1)          # first symbol on 8 bits
        b.put(symbols[0], 8)
        if len(symbols) == 2:
            b.put(symbols[1], 8)

    simple(sorted(green))
    simple([red])
    simple([blue])
    simple([alpha])
    b.put(1, 1)              # distance code: simple, one 1-bit symbol 0
    b.put(0, 1)
    b.put(0, 1)
    b.put(0, 1)
    if len(green) == 2:
        for y in range(height):
            for x in range(width):
                b.put(pattern(x, y), 1)
    return b.bytes()


def riff_chunk(fourcc, data):
    return fourcc + struct.pack("<I", len(data)) + data + (b"\0" if len(data) % 2 else b"")


def webp(chunks):
    body = b"WEBP" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def vp8x(flags, width, height):
    return riff_chunk(b"VP8X", bytes([flags, 0, 0, 0])
                      + (width - 1).to_bytes(3, "little")
                      + (height - 1).to_bytes(3, "little"))


def gen_webp():
    img = vp8l(8, 6, [0x20, 0xE0], 0x80, 0x40, 255,
               lambda x, y: ((x // 2) + (y // 2)) % 2)
    write("webp_lossless.webp", webp([riff_chunk(b"VP8L", img)]), "clean",
          [], "lossless WebP, 2-colour checkerboard: becomes PNG")
    ext = webp([vp8x(0x20 | 0x08 | 0x04, 8, 6),
                riff_chunk(b"ICCP", b"\0" * 32),
                riff_chunk(b"VP8L", img),
                riff_chunk(b"EXIF", exif(1)[6:]),
                riff_chunk(b"XMP ", XMP),
                riff_chunk(b"ZZZZ", b"unknown chunk data")])
    write("webp_meta_trailing.webp", ext + small_zip(), "sanitized",
          [("image.metadata", "removed"), ("image.trailing_data", "removed")],
          "VP8X WebP with ICCP, EXIF, XMP, an unknown chunk and a zip "
          "after the RIFF")
    frame = (b"\0\0\0" + b"\0\0\0" + (7).to_bytes(3, "little")
             + (5).to_bytes(3, "little") + (100).to_bytes(3, "little")
             + b"\0" + riff_chunk(b"VP8L", img))
    anim = webp([vp8x(0x02, 8, 6), riff_chunk(b"ANIM", b"\0" * 6),
                 riff_chunk(b"ANMF", frame), riff_chunk(b"ANMF", frame)])
    write("webp_animated.webp", anim, "blocked",
          [("type.unsupported", "blocked")],
          "animated WebP: one PNG frame would lose the rest")
    good = webp([riff_chunk(b"VP8L", img)])
    cut = good[:-4]
    write("webp_truncated.webp", cut, "blocked",
          [("image.malformed", "blocked")],
          "WebP whose RIFF size runs past the end of the file")


def main():
    os.makedirs(OUT, exist_ok=True)
    gen_jpeg()
    gen_png()
    gen_gif()
    gen_bmp()
    gen_tiff()
    gen_webp()


if __name__ == "__main__":
    main()
