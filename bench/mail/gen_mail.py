#!/usr/bin/env python3
"""Make a realistic, deterministic mix of inbound mail for bench/mail.

Usage: gen_mail.py OUTDIR [-n N] [--seed S] [--crlf] [--manifest FILE]

Writes OUTDIR/mail-NNNN.eml (nothing else, so OUTDIR can be handed to
a batch run as is) and, with --manifest, a JSON list with one entry
per mail: kind, body charset, NEC row 13, attachment types, size. With the default
N=400 the set is about 60-70 MB. The mix, as a Japanese local
government's inbox sees it:

  kinds     plain text (30%), multipart/alternative text+HTML (28%),
            multipart/mixed with 1-3 small attachments (32%; some wrap
            the HTML in multipart/related with an inline cid: image, a
            few forward a message/rfc822), and large mails with 1-3
            attachments of 0.5-3 MB encoded (10%).
  text      business Japanese in ISO-2022-JP (7bit; Outlook-style
            ISO-2022-JP-MS when the text has NEC row 13 characters like
            ① ㈱ Ⅱ), Shift_JIS labelled CP932 (8bit or base64), UTF-8
            (QP or base64) and a few EUC-JP; reply mails quote the
            previous message.
  HTML      newsletter-like: style and script blocks, comments, a
            hidden pre-header, tables, lists, links and remote images.
  files     small PDF, docx (made with zipfile), PNG, zip, CP932 CSV;
            names in RFC 2231 (UTF-8, some with continuations) or the
            RFC 2047-in-quotes style Outlook and Japanese clients use.
  headers   Received chains, DKIM/ARC signatures, List-Unsubscribe,
            X-Mailer ... around the allowed ones; RFC 2047 subjects and
            display names in ISO-2022-JP or UTF-8 (B and Q).

Sizes: most mails are 5-50 KB, the large ones 0.5-3 MB.
"""
import argparse
import base64
import binascii
import io
import json
import math
import os
import quopri
import random
import struct
import urllib.parse
import zipfile
import zlib

# -- Japanese text ---------------------------------------------------------

GREET = ["お世話になっております。", "いつもお世話になっております。", "ご担当者様", "各位",
         "突然のご連絡失礼いたします。", "平素より大変お世話になっております。"]
ORGS = ["総務課", "情報政策課", "財政課", "市民課", "税務課", "福祉課", "教育委員会事務局",
        "危機管理室", "企画課", "子育て支援課", "環境保全課", "契約検査課"]
COMPANIES = ["株式会社みらい情報", "㈱北陸システム", "有限会社さくら印刷", "東和ネットワーク株式会社",
             "合同会社リンクス", "一般財団法人地域情報センター", "㈱アクト・ソリューションズ"]
NAMES = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤", "吉田",
         "山田", "佐々木", "山口", "松本", "井上", "木村", "林", "斎藤", "清水"]
GIVEN = ["太郎", "花子", "一郎", "由美", "健", "恵子", "翔", "美咲", "大輔", "真由美"]
TOPICS = ["令和8年度予算要求資料", "システム更改に係る見積書", "会議日程の調整", "議事録の送付",
          "個人情報保護研修のご案内", "庁内ネットワーク保守作業", "住民向け説明会の資料",
          "業務委託契約書（案）", "セキュリティパッチ適用のお知らせ", "防災訓練の実施について",
          "補助金申請書類の不備", "調査票のご回答のお願い", "請求書の送付について"]
SENT = [
    "標記の件について、下記のとおりご連絡いたします。",
    "添付の資料をご確認いただき、ご不明な点がございましたらお知らせください。",
    "お手数をおかけしますが、{d}までにご回答をお願いいたします。",
    "前回の打合せでご指摘いただいた点を反映いたしました。",
    "つきましては、関係各課へのご周知をお願いできますでしょうか。",
    "なお、当日は庁舎{n}階の第{m}会議室にて開催いたします。",
    "本件に関する問い合わせ先は{org}（内線{x}）までお願いします。",
    "見積金額は税込{y}円となっております。",
    "作業時間帯は{h}時から{h2}時までを予定しており、その間システムが停止します。",
    "引き続きどうぞよろしくお願いいたします。",
    "ご多忙のところ恐縮ですが、ご協力のほどよろしくお願い申し上げます。",
    "資料の一部に誤りがありましたので、差し替え版をお送りします。",
    "詳細は以下のURLからもご確認いただけます。",
    "出席者は各課から一名ずつとし、事前登録をお願いします。",
    "回答様式はExcel形式でも差し支えございません。",
]
NEC13 = ["①", "②", "③", "④", "⑤", "⑩", "㈱", "㈲", "Ⅰ", "Ⅱ", "Ⅲ", "№", "℡", "㍻", "㎝", "㎏", "∑"]
ITEMS = ["日時", "場所", "対象", "内容", "持ち物", "締切", "担当", "備考"]


def sentence(r, org):
    s = r.choice(SENT)
    return s.format(d="%d月%d日（%s）" % (r.randint(1, 12), r.randint(1, 28), r.choice("月火水木金")),
                    n=r.randint(2, 9), m=r.randint(1, 12), org=org, x=r.randint(1000, 4999),
                    y="{:,}".format(r.randint(10, 9000) * 1000), h=r.randint(17, 20), h2=r.randint(21, 23))


def body_text(r, nbytes, nec, sender, org, quote=None):
    """Business Japanese of about nbytes (UTF-8 bytes), optionally with
    NEC row 13 characters in item lists and a quoted previous mail."""
    lines = [r.choice(NAMES) + "様", "", r.choice(GREET), "%s%sの%sです。" % (r.choice(COMPANIES) if r.random() < .4
                                                                   else "", org, sender), ""]
    size = 0
    while size < nbytes:
        para = "".join(sentence(r, org) for _ in range(r.randint(1, 4)))
        while para:
            lines.append(para[:38])
            para = para[38:]
        if r.random() < .35:
            lines.append("")
            lines.append("　　　　　記")
            for i, it in enumerate(r.sample(ITEMS, r.randint(2, 5))):
                mark = NEC13[i] if nec and i < 5 else "(%d)" % (i + 1)
                lines.append("%s %s：%s" % (mark, it, sentence(r, org)[:24]))
        if r.random() < .2:
            lines.append("https://www.city.example.lg.jp/soshiki/%d/%d.html" % (r.randint(1, 99),
                                                                              r.randint(1000, 9999)))
        lines.append("")
        size = sum(len(x.encode()) + 1 for x in lines)
    if nec and r.random() < .5:
        lines.append("%s %s" % (r.choice(COMPANIES), r.choice(NEC13)))
    lines += ["以上、よろしくお願いいたします。", "", "-" * 30, "%s %s" % (org, sender),
              "TEL: 0%d-%d-%04d（内線%d）" % (r.randint(11, 99), r.randint(100, 999), r.randint(0, 9999),
                                          r.randint(1000, 4999)),
              "-" * 30]
    if quote:
        lines += ["", "> " + quote[0]] + ["> " + q for q in quote[1:]]
    return "\n".join(lines) + "\n"


# -- charsets and encodings ---------------------------------------------------

def sjis_to_jis(b1, b2):
    """One Shift_JIS/CP932 double-byte character to its JIS X 0208 row/cell
    bytes; NEC row 13 (0x87xx) lands in row 13, as Outlook sends it."""
    j1 = (b1 - (0x70 if b1 < 0xA0 else 0xB0)) * 2
    if b2 < 0x9F:
        j1 -= 1
        j2 = b2 - (0x1F if b2 < 0x7F else 0x20)
    else:
        j2 = b2 - 0x7E
    return bytes((j1, j2))


def iso2022jp_ms(text):
    """ISO-2022-JP as Outlook writes it (CP50221 subset): CP932 characters
    mapped to JIS rows, so ① becomes ESC $ B 0x2D21. Python's iso2022_jp
    cannot write these; each line ends in ASCII."""
    out = bytearray()
    for line in text.split("\n"):
        jis = False
        for ch in line:
            if ord(ch) < 0x80:
                if jis:
                    out += b"\x1b(B"
                    jis = False
                out.append(ord(ch))
                continue
            sj = ch.encode("cp932")
            if len(sj) != 2:
                raise ValueError("no JIS form for %r" % ch)
            if not jis:
                out += b"\x1b$B"
                jis = True
            out += sjis_to_jis(sj[0], sj[1])
        if jis:
            out += b"\x1b(B"
        out += b"\n"
    return bytes(out[:-1])


def encode_text(text, charset):
    if charset == "iso-2022-jp":
        try:
            return text.encode("iso2022_jp")
        except UnicodeEncodeError:
            return iso2022jp_ms(text)
    if charset in ("shift_jis", "Shift_JIS"):
        return text.encode("cp932")
    if charset == "euc-jp":
        return text.encode("euc_jp", "replace")
    return text.encode(charset)


def b64_lines(data):
    enc = base64.b64encode(data)
    return b"\n".join(enc[i:i + 76] for i in range(0, len(enc), 76)) + b"\n"


def qp(data):
    return quopri.encodestring(data, quotetabs=False)


def cte_body(data, cte):
    if cte == "base64":
        return b64_lines(data)
    if cte == "quoted-printable":
        out = qp(data)
        return out if out.endswith(b"\n") else out + b"\n"
    return data if data.endswith(b"\n") else data + b"\n"


def encoded_words(text, charset, r, mode="B"):
    """RFC 2047 encoded words (folded), each self-contained."""
    words = []
    chunk = 12 if charset == "iso-2022-jp" else 14
    for i in range(0, len(text), chunk):
        piece = encode_text(text[i:i + chunk], charset)
        if mode == "Q":
            q = "".join(chr(c) if (chr(c).isalnum() and c < 0x80) else "=%02X" % c for c in piece)
            words.append("=?%s?Q?%s?=" % (charset.upper() if r.random() < .5 else charset, q))
        else:
            words.append("=?%s?B?%s?=" % (charset.upper() if r.random() < .5 else charset,
                                            base64.b64encode(piece).decode()))
    return "\n ".join(words)


def rfc2231(name, r):
    """filename*=UTF-8''... (with continuations for long names)."""
    enc = urllib.parse.quote(name.encode("utf-8"), safe="")
    if len(enc) < 60 or r.random() < .5:
        return "filename*=UTF-8''%s" % enc
    parts = []
    i = 0
    n = 0
    while i < len(enc):
        end = min(i + 54, len(enc))
        while end < len(enc) and "%" in enc[end - 2:end]:
            end -= 1
        parts.append("filename*%d*=%s%s" % (n, "UTF-8''" if n == 0 else "", enc[i:end]))
        i = end
        n += 1
    return ";\n ".join(parts)


# -- attachments ------------------------------------------------------------

def png(r, nbytes):
    side = max(8, int(math.sqrt(max(64, nbytes) / 3)))
    rows = bytearray()
    noise = r.randbytes(side * side * 3)
    for y in range(side):
        rows.append(0)
        rows += noise[y * side * 3:(y + 1) * side * 3]

    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(bytes(rows), 1)) + chunk(b"IEND", b""))


def pdf(r, nbytes):
    objs = []
    lines = [b"BT /F1 10 Tf 40 800 Td 12 TL"]
    for _ in range(60):
        lines.append(b"(" + b" ".join(r.choice([b"budget", b"estimate", b"meeting", b"city", b"report",
                                                 b"FY2026", b"contract", b"network"]) for _ in range(10)) + b") '")
    lines.append(b"ET")
    content = zlib.compress(b"\n".join(lines))
    img = r.randbytes(max(0, nbytes - 1500 - len(content)))
    objs.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objs.append(b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
                b"/Resources << /Font << /F1 5 0 R >> /XObject << /Im1 6 0 R >> >> >>")
    objs.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream")
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    objs.append(b"<< /Type /XObject /Subtype /Image /Width 1 /Height %d /ColorSpace /DeviceGray "
                b"/BitsPerComponent 8 /Length %d >>\nstream\n" % (max(1, len(img)), len(img)) + img
                + b"\nendstream")
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offs = []
    for i, o in enumerate(objs, 1):
        offs.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    x = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offs)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, x)
    return bytes(out)


def zinfo(name):
    """A zip member with a fixed time stamp, so the output is reproducible."""
    zi = zipfile.ZipInfo(name, date_time=(2026, 11, 2, 9, 30, 0))
    zi.compress_type = zipfile.ZIP_DEFLATED
    return zi


def docx(r, nbytes):
    paras = "".join("<w:p><w:r><w:t>%s</w:t></w:r></w:p>" % sentence(r, r.choice(ORGS)) for _ in range(80))
    doc = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="http://schemas.'
           'openxmlformats.org/wordprocessingml/2006/main"><w:body>%s</w:body></w:document>' % paras)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zinfo("[Content_Types].xml"),
                   '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
                   'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
                   '"application/xml"/><Default Extension="png" ContentType="image/png"/><Override '
                   'PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
                   'officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr(zinfo("_rels/.rels"),
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
                   'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
                   'Target="word/document.xml"/></Relationships>')
        z.writestr(zinfo("word/document.xml"), doc)
        if nbytes > 12000:
            z.writestr(zinfo("word/media/image1.png"), png(r, nbytes - 8000), zipfile.ZIP_STORED)
    return buf.getvalue()


def csv_cp932(r, nbytes):
    rows = ["番号,氏名,所属,金額,備考"]
    size = 0
    i = 0
    while size < nbytes:
        i += 1
        rows.append("%d,%s %s,%s,%d,%s" % (i, r.choice(NAMES), r.choice(GIVEN), r.choice(ORGS),
                                           r.randint(1, 999) * 100, r.choice(["", "済", "未", "①要確認", "㈱経由"])))
        size += len(rows[-1]) * 2
    return ("\r\n".join(rows) + "\r\n").encode("cp932")


def zipped(r, nbytes):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zinfo("名簿.csv".encode("cp932").decode("cp437")), csv_cp932(r, nbytes // 3))
        z.writestr(zinfo("readme.txt"), "添付資料一式\r\n".encode("cp932"))
        z.writestr(zinfo("data.bin"), r.randbytes(max(0, nbytes * 2 // 3)), zipfile.ZIP_STORED)
    return buf.getvalue()


ATTACH = {
    "pdf": ("application/pdf", pdf, ["見積書_{n}.pdf", "請求書{n}.pdf", "会議資料（第{n}回）.pdf",
                                     "estimate_{n}.pdf"]),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", docx,
             ["議事録_{n}.docx", "業務委託契約書（案）{n}.docx", "依頼文書{n}.docx"]),
    "png": ("image/png", png, ["image{n:03d}.png", "スクリーンショット {n}.png", "地図①_{n}.png"]),
    "zip": ("application/zip", zipped, ["添付資料一式_{n}.zip", "data_{n}.zip"]),
    "csv": ("text/csv", csv_cp932, ["名簿_{n}.csv", "調査回答_{n}.csv"]),
}


# -- assembly -------------------------------------------------------------------

class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.n = 0

    def boundary(self):
        return "----=_Part_%d_%d.%d" % (self.r.randint(10 ** 5, 10 ** 6), self.n, self.r.randint(10 ** 9, 10 ** 10))

    def address(self, domain):
        r = self.r
        fam, giv = r.choice(NAMES), r.choice(GIVEN)
        local = "%s.%s" % (r.choice(["sato", "suzuki", "tanaka", "yamada", "kato", "ito", "info", "kikaku"]),
                           r.choice(["t", "h", "k", "m", "y"]))
        disp = fam + " " + giv
        style = r.random()
        if style < .45:
            return "%s <%s@%s>" % (encoded_words(disp, "iso-2022-jp", r), local, domain)
        if style < .8:
            return "%s <%s@%s>" % (encoded_words(disp, "utf-8", r), local, domain)
        return "%s@%s" % (local, domain)

    def headers(self, subject, extra_ct):
        r = self.r
        n = self.n
        sender_dom = r.choice(["example.co.jp", "mirai-joho.example.jp", "sakura-print.example.com",
                               "mail.example.net", "city.example.lg.jp"])
        hops = ["Received: from mx%d.%s (mx%d.%s [192.0.2.%d])\n\tby mx.city.example.lg.jp (Postfix) with ESMTPS id "
                "4Xk%05dZ\n\tfor <soumu@city.example.lg.jp>; Mon, %d Nov 2026 %02d:%02d:%02d +0900"
                % (i, sender_dom, i, sender_dom, r.randint(1, 254), n, r.randint(1, 28), r.randint(0, 23),
                   r.randint(0, 59), r.randint(0, 59)) for i in range(r.randint(2, 5))]
        h = hops + [
            "Authentication-Results: mx.city.example.lg.jp; spf=pass smtp.mailfrom=%s; dkim=pass header.d=%s"
            % (sender_dom, sender_dom),
            "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=%s; s=s1;\n\th=from:to:subject:date:"
            "message-id;\n\tbh=%s;\n\tb=%s" % (sender_dom, base64.b64encode(r.randbytes(32)).decode(),
                                               "\n\t ".join(base64.b64encode(r.randbytes(256)).decode()[i:i + 70]
                                                            for i in range(0, 344, 70))),
            "From: " + self.address(sender_dom),
            "To: " + self.address("city.example.lg.jp"),
        ]
        if r.random() < .3:
            h.append("Cc: " + self.address("city.example.lg.jp") + ",\n " + self.address("pref.example.lg.jp"))
        cs = r.choice(["iso-2022-jp", "iso-2022-jp", "utf-8"])
        mode = "Q" if cs == "utf-8" and r.random() < .3 else "B"
        h += ["Subject: " + encoded_words(subject, cs, r, mode),
              "Date: Mon, %d Nov 2026 %02d:%02d:%02d +0900" % (r.randint(1, 28), r.randint(0, 23),
                                                               r.randint(0, 59), r.randint(0, 59)),
              "Message-ID: <%s.%d@%s>" % (binascii.hexlify(r.randbytes(8)).decode(), n, sender_dom)]
        if r.random() < .3:
            ref = "<%s@city.example.lg.jp>" % binascii.hexlify(r.randbytes(6)).decode()
            h += ["In-Reply-To: " + ref, "References: <%s@example.jp>\n %s"
                  % (binascii.hexlify(r.randbytes(6)).decode(), ref)]
        if r.random() < .2:
            h.append("Reply-To: " + self.address(sender_dom))
        h.append("X-Mailer: " + r.choice(["Microsoft Outlook 16.0", "Becky! ver. 2.81.04",
                                          "Mozilla Thunderbird 128.4", "Apple Mail (2.3776)",
                                          "Denbun POP ver.3.3", "Active! mail 6"]))
        if r.random() < .25:
            h.append("List-Unsubscribe: <https://news.example.jp/unsub?id=%d>, <mailto:unsub@example.jp>" % n)
        h += ["MIME-Version: 1.0", extra_ct]
        return "\n".join(h).encode("ascii") + b"\n\n"

    def text_part(self, text, nec):
        r = self.r
        cs = r.choices(["iso-2022-jp", "shift_jis", "utf-8", "euc-jp"], [45, 20, 30, 0 if nec else 5])[0]
        data = encode_text(text, cs)
        if cs == "iso-2022-jp":
            cte = "7bit"
        elif cs == "shift_jis":
            cte = r.choice(["8bit", "base64"])
        elif cs == "utf-8":
            cte = r.choice(["base64", "quoted-printable", "8bit"])
        else:
            cte = "8bit"
        label = {"shift_jis": r.choice(["Shift_JIS", "shift_jis", "SHIFT_JIS"])}.get(cs, cs)
        hdr = 'Content-Type: text/plain; charset="%s"%s\nContent-Transfer-Encoding: %s\n\n' % (
            label, "; format=flowed" if r.random() < .1 else "", cte)
        return hdr.encode() + cte_body(data, cte), cs

    def html(self, nbytes, cid=None):
        r = self.r
        org = r.choice(ORGS)
        out = ['<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>%s</title>' % r.choice(TOPICS),
               "<style>body{font-family:'Meiryo',sans-serif}td{padding:4px;border:1px solid #ccc}"
               ".hide{display:none}</style>"]
        if r.random() < .3:
            out.append("<script>window.dataLayer=window.dataLayer||[];function t(){dataLayer.push("
                       "arguments)}t('js',new Date());</script>")
        out.append('</head><body><div class="hide" style="display:none">%s</div>' % sentence(r, org))
        out.append("<!-- tracking: campaign=%d -->" % self.n)
        out.append('<img src="https://cdn.news.example.jp/banner/%d.png" width="600" alt="バナー">' % self.n)
        while sum(len(x.encode()) for x in out) < nbytes:
            out.append("<h2>%s</h2>" % r.choice(TOPICS))
            out.append("<p>%s</p>" % "".join(sentence(r, org) for _ in range(r.randint(2, 5))))
            out.append("<table><tr><th>項目</th><th>内容</th><th>リンク</th></tr>")
            for it in r.sample(ITEMS, r.randint(3, 6)):
                out.append('<tr><td>%s</td><td>%s</td><td><a href="https://www.example.jp/p/%d?utm_source=mail&'
                           'amp;id=%d">詳細</a></td></tr>' % (it, sentence(r, org)[:30], r.randint(1, 9999), self.n))
            out.append("</table><ul>%s</ul>" % "".join(
                "<li>%s</li>" % sentence(r, org)[:40] for _ in range(r.randint(2, 5))))
            if r.random() < .4:
                out.append('<p><a href="https://bit.example/%s"><img src="https://cdn.news.example.jp/btn%d.gif" '
                           'alt="今すぐ確認"></a></p>' % (binascii.hexlify(r.randbytes(4)).decode(), self.n))
        if cid:
            out.append('<p><img src="cid:%s" alt="図"></p>' % cid)
        out.append('<p style="font-size:10px">配信停止は<a href="https://news.example.jp/unsub">こちら</a></p>'
                   "</body></html>")
        data = "\n".join(out).encode("utf-8")
        cte = r.choice(["quoted-printable", "base64"])
        hdr = 'Content-Type: text/html; charset="utf-8"\nContent-Transfer-Encoding: %s\n\n' % cte
        return hdr.encode() + cte_body(data, cte)

    def multipart(self, subtype, parts, extra=""):
        b = self.boundary()
        ct = 'Content-Type: multipart/%s;\n boundary="%s"%s' % (subtype, b, extra)
        body = b"This is a multi-part message in MIME format.\n\n" if self.r.random() < .5 else b""
        for p in parts:
            body += b"--" + b.encode() + b"\n" + p
            if not p.endswith(b"\n"):
                body += b"\n"
        body += b"--" + b.encode() + b"--\n"
        return ct, body

    def attachment(self, kind, nbytes):
        r = self.r
        ctype, make, names = ATTACH[kind]
        data = make(r, nbytes)
        name = r.choice(names).format(n=r.randint(1, 99))
        style = r.random()
        if all(ord(c) < 128 for c in name):
            disp = 'filename="%s"' % name
            ctn = '; name="%s"' % name
        elif style < .45:
            disp = rfc2231(name, r)
            ctn = ""
        elif style < .85:
            w = encoded_words(name, "iso-2022-jp", r).replace("\n ", "")
            disp = 'filename="%s"' % w
            ctn = '; name="%s"' % w
        else:
            w = encoded_words(name, "utf-8", r).replace("\n ", "")
            disp = 'filename="%s"' % w
            ctn = '; name="%s"' % w
        hdr = "Content-Type: %s%s\nContent-Transfer-Encoding: base64\nContent-Disposition: attachment;\n %s\n\n" % (
            ctype, ctn, disp)
        return hdr.encode() + b64_lines(data), kind, len(data)

    def mail(self, kind):
        r = self.r
        self.n += 1
        sender = r.choice(NAMES)
        org = r.choice(ORGS)
        subject = r.choice(["", "Re: ", "RE: ", "Fw: ", "【重要】", "【ご案内】"]) + r.choice(TOPICS)
        if r.random() < .15:
            subject += " " + r.choice(NEC13)
        nec = r.random() < .3
        quote = None
        if subject.startswith(("Re", "RE")):
            quote = body_text(r, 600, False, r.choice(NAMES), r.choice(ORGS)).splitlines()[:20]
        small = kind != "large"
        text = body_text(r, r.randint(1200, 6000) if small else r.randint(1500, 4000), nec, sender, org, quote)
        tpart, cs = self.text_part(text, nec)
        info = {"kind": kind, "charset": cs, "nec_row13": nec, "attachments": []}
        if kind == "plain":
            ct, body = tpart.split(b"\n\n", 1)
            return self.headers(subject, ct.decode()) + body, info
        alt = None
        if kind == "alt" and r.random() < .3:
            # HTML only, as some newsletters and web forms send it
            ct, body = self.html(r.randint(6000, 26000)).split(b"\n\n", 1)
            info.update({"html": True, "html_only": True})
            return self.headers(subject, ct.decode()) + body, info
        if kind == "alt" or r.random() < .4:
            html = self.html(r.randint(6000, 26000) if kind == "alt" else r.randint(4000, 12000))
            actc, abody = self.multipart("alternative", [tpart, html])
            alt = (actc + "\n\n").encode() + abody
            if kind != "alt" and r.random() < .35:
                cid = "image001.png@01DB%08X" % r.getrandbits(32)
                html = self.html(r.randint(4000, 12000), cid)
                actc, abody = self.multipart("alternative", [tpart, html])
                img = png(r, r.randint(3000, 15000))
                inline = ("Content-Type: image/png; name=\"image001.png\"\nContent-Transfer-Encoding: base64\n"
                          "Content-ID: <%s>\nContent-Disposition: inline; filename=\"image001.png\"\n\n" % cid
                          ).encode() + b64_lines(img)
                rct, rbody = self.multipart("related", [(actc + "\n\n").encode() + abody, inline],
                                            '; type="multipart/alternative"')
                alt = (rct + "\n\n").encode() + rbody
                info["inline_image"] = True
            info["html"] = True
        if kind == "alt":
            ct, body = alt.split(b"\n\n", 1)
            return self.headers(subject, ct.decode()) + body, info
        parts = [alt or tpart]
        count = r.choice([1, 1, 2, 3])
        if kind == "large":
            total = math.exp(r.uniform(math.log(380_000), math.log(2_150_000)))
            kinds = r.choices(["pdf", "docx", "png", "zip"], k=count)
        else:
            total = r.uniform(3000, 30000)
            kinds = r.choices(["pdf", "docx", "png", "zip", "csv"], [30, 20, 20, 10, 20], k=count)
        weights = [r.uniform(.6, 1.4) for _ in kinds]
        for k, w in zip(kinds, weights):
            part, kk, size = self.attachment(k, int(total * w / sum(weights)))
            parts.append(part)
            info["attachments"].append({"type": kk, "bytes": size})
        if kind != "large" and r.random() < .06:
            inner, _ = Gen(r.random()).mail("plain")
            parts.append(b'Content-Type: message/rfc822\nContent-Disposition: attachment; filename="fwd.eml"\n\n'
                         + inner)
            info["attachments"].append({"type": "message/rfc822", "bytes": len(inner)})
        ct, body = self.multipart("mixed", parts)
        return self.headers(subject, ct) + body, info


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("-n", type=int, default=400, help="number of mails (default 400)")
    ap.add_argument("--seed", type=int, default=20261122)
    ap.add_argument("--crlf", action="store_true", help="CRLF line ends (default LF, as a local pipe delivers)")
    ap.add_argument("--manifest", help="write a JSON description of each mail here")
    args = ap.parse_args()
    os.makedirs(args.outdir, exist_ok=True)
    g = Gen(args.seed)
    # exact shares, shuffled: the mix does not drift when N or the code changes
    shares = (("plain", .30), ("alt", .28), ("large", .10))
    kinds = [k for k, f in shares for _ in range(round(args.n * f))]
    kinds += ["mixed"] * (args.n - len(kinds))
    random.Random(args.seed).shuffle(kinds)
    manifest = []
    total = 0
    for i, kind in enumerate(kinds):
        data, info = g.mail(kind)
        if args.crlf:
            data = data.replace(b"\n", b"\r\n")
        name = "mail-%04d.eml" % (i + 1)
        with open(os.path.join(args.outdir, name), "wb") as f:
            f.write(data)
        info.update({"file": name, "size": len(data)})
        manifest.append(info)
        total += len(data)
    if args.manifest:
        with open(args.manifest, "w") as f:
            json.dump(manifest, f, ensure_ascii=False, indent=1)
    print("gen_mail: %d mails, %.1f MB in %s" % (args.n, total / 1e6, args.outdir))


if __name__ == "__main__":
    main()
