#!/usr/bin/env python3
"""Make the benchmark inputs (deterministic, stdlib + cjpeg).

  pdf/    multi-page PDFs: Flate text streams, image XObjects, a font,
          outlines and link annotations; a third carry JavaScript and
          OpenAction, a third are saved with object streams (qpdf).
  ooxml/  image-heavy docx (large incompressible media parts stored as
          they would be), plus docm with VBA and xlsx with many sheets.
  image/  JPEG (with EXIF-like APP1) and PNG photos-like noise+gradient.
"""
import os
import random
import struct
import subprocess
import sys
import zipfile
import zlib

R = random.Random(20261122)


def pdf_bytes(pages, with_js, img_side):
    objs = []

    def add(body):
        objs.append(body)
        return len(objs)

    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    pix = bytes(R.getrandbits(8) if (i % 7) else (i // 3) % 256 for i in range(img_side * img_side * 3))
    img_data = zlib.compress(pix, 6)
    img = add(b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB "
              b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n" % (img_side, img_side, len(img_data))
              + img_data + b"\nendstream")
    page_ids = []
    pages_id_placeholder = len(objs) + 1 + pages * 3
    for p in range(pages):
        lines = [b"BT /F1 11 Tf 50 780 Td 14 TL"]
        for i in range(45):
            words = b" ".join(R.choice([b"sanso", b"LGWAN", b"mail", b"zone", b"policy", b"file", b"report",
                                        b"audit", b"quarantine", b"network"]) for _ in range(9))
            lines.append(b"(" + words + b") '")
        lines.append(b"ET q 200 0 0 200 300 100 cm /Im1 Do Q")
        content = zlib.compress(b"\n".join(lines), 6)
        c = add(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream")
        annot = add(b"<< /Type /Annot /Subtype /Link /Rect [50 50 200 70] /A << /S /URI /URI (https://example.lg.jp/p%d) >> >>" % p)
        pg = add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                 b"/Resources << /Font << /F1 %d 0 R >> /XObject << /Im1 %d 0 R >> >> /Annots [%d 0 R] >>"
                 % (pages_id_placeholder, c, font, img, annot))
        page_ids.append(pg)
    kids = b" ".join(b"%d 0 R" % i for i in page_ids)
    pages_id = add(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages))
    assert pages_id == pages_id_placeholder
    extra = b""
    if with_js:
        js = add(b"<< /S /JavaScript /JS (app.alert('x');) >>")
        extra = b" /OpenAction %d 0 R /Names << /JavaScript << /Names [(a) %d 0 R] >> >>" % (js, js)
    cat = add(b"<< /Type /Catalog /Pages %d 0 R%s >>" % (pages_id, extra))
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offs = []
    for i, body in enumerate(objs, 1):
        offs.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for o in offs:
        out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, cat, xref)
    return bytes(out)


CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
      '<Default Extension="xml" ContentType="application/xml"/>'
      '<Default Extension="jpeg" ContentType="image/jpeg"/>'
      '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
      '<Override PartName="/word/document.xml" ContentType="%s"/></Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
        '</Relationships>')


def docx(path, images, img_size, macro):
    ctype = ("application/vnd.ms-word.document.macroEnabled.main+xml" if macro else
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml")
    rels = ['<Relationship Id="rImg%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" '
            'Target="media/image%d.jpeg"/>' % (i, i) for i in range(images)]
    if macro:
        rels.append('<Relationship Id="rVba" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/>')
    body = "".join('<w:p><w:r><w:t>段落 %d: sanso bench paragraph text.</w:t></w:r></w:p>' % i for i in range(400))
    doc = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
           'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>%s</w:body></w:document>' % body)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CT % ctype)
        z.writestr("_rels/.rels", RELS)
        z.writestr("word/document.xml", doc)
        z.writestr("word/_rels/document.xml.rels",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">%s</Relationships>' % "".join(rels))
        for i in range(images):
            data = b"\xff\xd8\xff\xe0" + R.randbytes(img_size) + b"\xff\xd9"
            z.writestr(zipfile.ZipInfo("word/media/image%d.jpeg" % i), data, zipfile.ZIP_DEFLATED)
        if macro:
            z.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + R.randbytes(20000))


def ppm(w, h):
    px = bytearray()
    for y in range(h):
        for x in range(w):
            n = R.getrandbits(5)
            px += bytes(((x * 255 // w + n) & 255, (y * 255 // h + n) & 255, ((x + y) * 127 // (w + h) + n) & 255))
    return b"P6 %d %d 255\n" % (w, h) + bytes(px)


def png(w, h):
    raw = bytearray()
    for y in range(h):
        raw.append(0)
        for x in range(w):
            n = R.getrandbits(4)
            raw += bytes(((x * 255 // w + n) & 255, (y * 255 // h) & 255, (n * 16) & 255))

    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"tEXt", b"Comment\x00bench") + chunk(b"IDAT", zlib.compress(bytes(raw), 6)) + chunk(b"IEND", b""))


def main():
    out = sys.argv[1]
    small = len(sys.argv) > 2 and sys.argv[2] == "--small"
    for d in ("pdf", "ooxml", "image"):
        os.makedirs(os.path.join(out, d), exist_ok=True)
    npdf = 6 if small else 30
    for i in range(npdf):
        p = os.path.join(out, "pdf", "doc%02d.pdf" % i)
        with open(p, "wb") as f:
            f.write(pdf_bytes(pages=5 + (i % 6) * 8, with_js=(i % 3 == 0), img_side=128 + (i % 4) * 128))
        if i % 3 == 1:
            subprocess.run(["qpdf", "--object-streams=generate", p, p + ".tmp"], check=True)
            os.replace(p + ".tmp", p)
    nimg_docs = 2 if small else 6
    for i in range(nimg_docs):
        docx(os.path.join(out, "ooxml", "photos%02d.docx" % i), images=12, img_size=900_000, macro=False)
    for i in range(2 if small else 6):
        docx(os.path.join(out, "ooxml", "macro%02d.docm" % i), images=2, img_size=200_000, macro=True)
    for i in range(4 if small else 16):
        w, h = (640, 480) if i % 2 else (1024, 768)
        with open(os.path.join(out, "image", "img%02d.png" % i), "wb") as f:
            f.write(png(w, h))
        jp = os.path.join(out, "image", "img%02d.jpg" % i)
        subprocess.run(["cjpeg", "-quality", "88", "-outfile", jp], input=ppm(w, h), check=True)


if __name__ == "__main__":
    main()
