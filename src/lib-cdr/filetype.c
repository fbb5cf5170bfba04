/*
 * filetype - what a file is, decided from its bytes.
 *
 * This runs on every object before dispatch, so it is ordered to be
 * cheap: fixed-offset signatures first, then one bounded look into a
 * zip's central directory (OOXML), then one linear pass for text.
 *
 * The order also decides polyglots: the types that are always blocked
 * (programs, shortcuts, OneNote, disk images) are tested before the
 * documents, so a file that is both an ISO and a PDF fails closed.
 *
 * The name is consulted only once the bytes are known to be text, to
 * choose between readings of the same bytes (any text is valid CSV,
 * HTML or JScript to the program its extension starts).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/xmlreader.h>
#include <zip.h>

#include "filetype.h"
#include "sizeops.h"

struct filetype_info {
	const char *name, *ext, *mime;
	enum file_family family;
};

static const struct filetype_info types[FT_COUNT] = {
#define FILETYPE(e, name, ext, mime, family) [e] = { name, ext, mime, family },
#include "filetype.def"
#undef FILETYPE
};

/* "Not decided yet" from the detectors below; never returned. */
#define FT_NONE FT_COUNT

struct ext_alias {
	const char *ext;
	enum file_type type;
};

/* Extensions beyond the canonical one in filetype.def. Windows runs
   .scr/.cpl/.com/.pif as PE, .cmd as batch, .jse/.vbe as encoded
   scripts, .wsc/.sct as script components. */
static const struct ext_alias name_aliases[] = {
	{ "jpeg", FT_JPEG }, { "jpe", FT_JPEG }, { "jfif", FT_JPEG },
	{ "htm", FT_HTML }, { "xhtml", FT_HTML }, { "xht", FT_HTML },
	{ "shtml", FT_HTML }, { "tiff", FT_TIFF }, { "dib", FT_BMP },
	{ "log", FT_TEXT }, { "md", FT_TEXT }, { "text", FT_TEXT },
	{ "xml", FT_TEXT }, { "tsv", FT_CSV },
	{ "dot", FT_DOC }, { "xlt", FT_XLS }, { "xla", FT_XLS },
	{ "pps", FT_PPT }, { "pot", FT_PPT },
	{ "tgz", FT_GZIP },
	{ "dll", FT_PE }, { "scr", FT_PE }, { "cpl", FT_PE }, { "ocx", FT_PE },
	{ "sys", FT_PE }, { "drv", FT_PE }, { "efi", FT_PE }, { "com", FT_PE },
	{ "pif", FT_PE }, { "xll", FT_PE }, { "wll", FT_PE },
	{ "so", FT_ELF }, { "elf", FT_ELF }, { "dylib", FT_MACHO },
	{ "cmd", FT_BAT }, { "jse", FT_JS }, { "vbe", FT_VBS },
	{ "psm1", FT_PS1 }, { "psd1", FT_PS1 },
	{ "wsc", FT_WSF }, { "sct", FT_WSF },
	{ "bash", FT_SHELL }, { "ksh", FT_SHELL }, { "zsh", FT_SHELL },
	{ "csh", FT_SHELL }, { "command", FT_SHELL },
	{ "website", FT_URL },
	{ "onetoc2", FT_ONENOTE }, { "onepkg", FT_ONENOTE },
	{ "udf", FT_ISO }, { "vhdx", FT_VHD },
};

/*
 * Text that Windows hands to an interpreter we have no module for:
 * shell command files and registry files, Excel web queries and SYLK,
 * MHTML, settings/search/library shortcuts, ClickOnce, MMC consoles
 * (GrimResource), Python/Perl/Ruby. Text with one of these names is
 * FT_UNKNOWN, so it is blocked instead of passing as plain text.
 */
static const char *const risky_text_exts[] = {
	"scf", "reg", "inf", "iqy", "slk", "sylk", "mht", "mhtml", "htc",
	"settingcontent-ms", "library-ms", "searchconnector-ms", "appref-ms",
	"application", "jnlp", "msc", "wsh", "ps1xml", "psc1", "ins", "isp",
	"py", "pyw", "pl", "rb", "xbap", "vsto",
};

static const struct ext_alias mime_aliases[] = {
	{ "image/jpg", FT_JPEG }, { "image/pjpeg", FT_JPEG },
	{ "image/x-png", FT_PNG }, { "image/x-ms-bmp", FT_BMP },
	{ "image/x-bmp", FT_BMP }, { "image/tif", FT_TIFF },
	{ "application/x-zip-compressed", FT_ZIP },
	{ "application/x-zip", FT_ZIP },
	{ "multipart/x-zip", FT_ZIP },
	{ "application/x-gzip", FT_GZIP }, { "application/x-gunzip", FT_GZIP },
	{ "application/x-rar-compressed", FT_RAR },
	{ "application/x-rar", FT_RAR },
	{ "application/x-7z", FT_7Z },
	{ "application/x-pdf", FT_PDF }, { "application/acrobat", FT_PDF },
	{ "text/rtf", FT_RTF }, { "application/x-rtf", FT_RTF },
	{ "text/x-csv", FT_CSV }, { "application/csv", FT_CSV },
	{ "text/comma-separated-values", FT_CSV },
	{ "text/tab-separated-values", FT_CSV },
	{ "text/markdown", FT_TEXT }, { "text/xml", FT_TEXT },
	{ "application/xml", FT_TEXT },
	{ "application/xhtml+xml", FT_HTML },
	{ "application/javascript", FT_JS },
	{ "application/x-javascript", FT_JS },
	{ "text/jscript", FT_JS }, { "application/ecmascript", FT_JS },
	{ "text/ecmascript", FT_JS },
	{ "application/x-vbscript", FT_VBS }, { "text/vbs", FT_VBS },
	{ "application/x-powershell", FT_PS1 },
	{ "application/x-msdownload", FT_PE },
	{ "application/x-dosexec", FT_PE },
	{ "application/x-msdos-program", FT_PE },
	{ "application/x-executable", FT_ELF },
	{ "application/x-sharedlib", FT_ELF },
	{ "application/x-sh", FT_SHELL }, { "text/x-sh", FT_SHELL },
	{ "application/x-mswinurl", FT_URL },
	{ "application/x-cd-image", FT_ISO },
	{ "application/x-vhd", FT_VHD },
	{ "application/msonenote", FT_ONENOTE },
};

/* Main-part content types of OOXML packages ([MS-OFFCRYPTO] aside,
   these are the only values Office accepts for the officeDocument
   part; strict documents use the same ones). */
static const struct ext_alias ooxml_types[] = {
	{ "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml", FT_DOCX },
	{ "application/vnd.ms-word.document.macroEnabled.main+xml", FT_DOCM },
	{ "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml", FT_DOTX },
	{ "application/vnd.ms-word.template.macroEnabledTemplate.main+xml", FT_DOTM },
	{ "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", FT_XLSX },
	{ "application/vnd.ms-excel.sheet.macroEnabled.main+xml", FT_XLSM },
	{ "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml", FT_XLTX },
	{ "application/vnd.ms-excel.template.macroEnabled.main+xml", FT_XLTM },
	{ "application/vnd.ms-excel.sheet.binary.macroEnabled.main", FT_XLSB },
	{ "application/vnd.ms-excel.addin.macroEnabled.main+xml", FT_XLAM },
	{ "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml", FT_PPTX },
	{ "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml", FT_PPTM },
	{ "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml", FT_POTX },
	{ "application/vnd.ms-powerpoint.template.macroEnabled.main+xml", FT_POTM },
	{ "application/vnd.openxmlformats-officedocument.presentationml.slideshow.main+xml", FT_PPSX },
	{ "application/vnd.ms-powerpoint.slideshow.macroEnabled.main+xml", FT_PPSM },
	{ "application/vnd.ms-powerpoint.addin.macroEnabled.main+xml", FT_PPAM },
};

/* ---- bytes ---- */

static bool
has_at(const unsigned char *d, size_t len, size_t off, const void *magic,
    size_t n)
{
	return off <= len && n <= len - off && memcmp(d + off, magic, n) == 0;
}

static uint16_t
le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t
le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static unsigned char
ascii_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 'a' - 'A') : c;
}

/* ---- programs, shortcuts, OneNote ---- */

/*
 * MZ (or ZM, which DOS also loads) leading to "PE\0\0", or a DOS header
 * plausible enough to be a real program. The plausibility test keeps
 * text that merely starts with "MZ" out: text bytes at offsets 2-3
 * make e_cblp far above 511.
 */
static bool
is_pe(const unsigned char *d, size_t len)
{
	if (!has_at(d, len, 0, "MZ", 2) && !has_at(d, len, 0, "ZM", 2))
		return false;
	if (len >= 0x40 && has_at(d, len, le32(d + 0x3c), "PE\0\0", 4))
		return true;
	/* 28 bytes is the DOS header; e_cblp < 512, e_cp >= 1. */
	return len >= 0x1c && le16(d + 2) < 512 && le16(d + 4) >= 1;
}

/*
 * Mach-O thin (both endians, 32/64 bit) and fat binaries. CAFEBABE is
 * also a Java class, whose bytes 4-7 hold minor/major version (major
 * is 45 or more); a fat header holds a small architecture count there.
 * Java classes are FT_UNKNOWN: blocked as unsupported, which is right
 * for code, without mislabelling them as Mach-O.
 */
static enum file_type
macho_type(const unsigned char *d, size_t len)
{
	uint32_t m, n;

	if (len < 8)
		return FT_NONE;
	m = be32(d);
	if (m == 0xfeedfaceU || m == 0xfeedfacfU || m == 0xcefaedfeU ||
	    m == 0xcffaedfeU)
		return FT_MACHO;
	if (m != 0xcafebabeU && m != 0xcafebabfU)
		return FT_NONE;
	n = be32(d + 4);
	return n >= 1 && n < 45 ? FT_MACHO : FT_UNKNOWN;
}

static const unsigned char lnk_magic[20] = {
	0x4c, 0x00, 0x00, 0x00, 0x01, 0x14, 0x02, 0x00, 0x00, 0x00,
	0x00, 0x00, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46,
};
/* {7B5C52E4-D88C-4DA7-AEB1-5378D02996D3}: .one section files. */
static const unsigned char one_magic[16] = {
	0xe4, 0x52, 0x5c, 0x7b, 0x8c, 0xd8, 0xa7, 0x4d,
	0xae, 0xb1, 0x53, 0x78, 0xd0, 0x29, 0x96, 0xd3,
};
/* {43FF2FA1-EFD9-4C76-9EE2-10EA5722765F}: .onetoc2 table of contents. */
static const unsigned char onetoc_magic[16] = {
	0xa1, 0x2f, 0xff, 0x43, 0xd9, 0xef, 0x76, 0x4c,
	0x9e, 0xe2, 0x10, 0xea, 0x57, 0x22, 0x76, 0x5f,
};

/* Signatures at offset 0 of types that are never passed. */
static enum file_type
detect_blocked(const unsigned char *d, size_t len)
{
	enum file_type t;

	if (is_pe(d, len))
		return FT_PE;
	if (has_at(d, len, 0, "\177ELF", 4))
		return FT_ELF;
	if ((t = macho_type(d, len)) != FT_NONE)
		return t;
	if (has_at(d, len, 0, lnk_magic, sizeof(lnk_magic)))
		return FT_LNK;
	if (has_at(d, len, 0, one_magic, sizeof(one_magic)) ||
	    has_at(d, len, 0, onetoc_magic, sizeof(onetoc_magic)))
		return FT_ONENOTE;
	return FT_NONE;
}

/* ---- disk images ---- */

/*
 * ISO 9660 and UDF volume descriptors live in the sectors from 16 on:
 * type byte, five-letter id, version 1. Windows mounts both on a
 * double click, whatever the extension (.iso, .img).
 */
static bool
is_iso(const unsigned char *d, size_t len)
{
	static const size_t offs[] = { 0x8000, 0x8800, 0x9000 };
	static const char *const ids[] = {
		"CD001", "BEA01", "NSR02", "NSR03", "TEA01",
	};
	size_t i, j;

	for (i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
		if (len < offs[i] + 7 || d[offs[i] + 6] != 1)
			continue;
		for (j = 0; j < sizeof(ids) / sizeof(ids[0]); j++) {
			if (memcmp(d + offs[i] + 1, ids[j], 5) == 0)
				return true;
		}
	}
	return false;
}

/* VHD has its footer at the end (fixed disks; 511 bytes in old
   Virtual PC files) and a copy at the start (dynamic disks). */
static bool
is_vhd(const unsigned char *d, size_t len)
{
	if (has_at(d, len, 0, "conectix", 8) ||
	    has_at(d, len, 0, "vhdxfile", 8))
		return true;
	return (len >= 512 && has_at(d, len, len - 512, "conectix", 8)) ||
	    (len >= 511 && has_at(d, len, len - 511, "conectix", 8));
}

/* An MBR partition table: boot flags 0 or 0x80 and one real entry. */
static bool
mbr_plausible(const unsigned char *d)
{
	const unsigned char *e;
	bool used = false;
	int i;

	for (i = 0; i < 4; i++) {
		e = d + 446 + 16 * i;
		if (e[0] != 0x00 && e[0] != 0x80)
			return false;
		if (e[4] != 0 && le32(e + 8) != 0 && le32(e + 12) != 0)
			used = true;
	}
	return used;
}

/* A FAT/NTFS boot sector: x86 jump and a power-of-two sector size. */
static bool
vbr_plausible(const unsigned char *d)
{
	uint16_t bps = le16(d + 11);

	if (!((d[0] == 0xeb && d[2] == 0x90) || d[0] == 0xe9))
		return false;
	return bps == 512 || bps == 1024 || bps == 2048 || bps == 4096;
}

/* Raw disk: GPT header, or 55AA with a partition table or boot sector. */
static bool
is_raw_disk(const unsigned char *d, size_t len)
{
	if (len < 512 || d[510] != 0x55 || d[511] != 0xaa)
		return false;
	return has_at(d, len, 512, "EFI PART", 8) || mbr_plausible(d) ||
	    vbr_plausible(d);
}

/* ---- archives and images ---- */

/* The v7 header checksum: octal at 148, sum of the header with the
   field read as spaces; old tars summed signed chars. */
static bool
tar_checksum_ok(const unsigned char *d)
{
	uint64_t want = 0, usum = 0;
	int64_t ssum = 0;
	unsigned char c;
	int i, digits = 0;

	if (d[0] == '\0' ||
	    !(d[156] == '\0' || (d[156] >= '0' && d[156] <= '7')))
		return false;
	for (i = 148; i < 156 && d[i] == ' '; i++)
		;
	for (; i < 156 && d[i] >= '0' && d[i] <= '7'; i++, digits++)
		want = want * 8 + (uint64_t)(d[i] - '0');
	for (; i < 156; i++) {
		if (d[i] != ' ' && d[i] != '\0')
			return false;
	}
	if (digits == 0)
		return false;
	for (i = 0; i < 512; i++) {
		c = i >= 148 && i < 156 ? ' ' : d[i];
		usum += c;
		ssum += (signed char)c;
	}
	return want == usum || (int64_t)want == ssum;
}

static bool
is_tar(const unsigned char *d, size_t len)
{
	if (len < 512)
		return false;
	return memcmp(d + 257, "ustar", 5) == 0 || tar_checksum_ok(d);
}

/* BMP: "BM" and a known DIB header size, so text starting "BM" is text. */
static bool
is_bmp(const unsigned char *d, size_t len)
{
	uint32_t dib;

	if (len < 26 || !has_at(d, len, 0, "BM", 2))
		return false;
	dib = le32(d + 14);
	return dib == 12 || dib == 16 || dib == 40 || dib == 52 || dib == 56 ||
	    dib == 64 || dib == 108 || dib == 124;
}

static enum file_type
detect_image(const unsigned char *d, size_t len)
{
	if (has_at(d, len, 0, "\211PNG\r\n\032\n", 8))
		return FT_PNG;
	if (has_at(d, len, 0, "GIF87a", 6) || has_at(d, len, 0, "GIF89a", 6))
		return FT_GIF;
	if (has_at(d, len, 0, "\377\330\377", 3))
		return FT_JPEG;
	/* Classic TIFF and BigTIFF, both byte orders. */
	if (has_at(d, len, 0, "II*\0", 4) || has_at(d, len, 0, "MM\0*", 4) ||
	    has_at(d, len, 0, "II+\0", 4) || has_at(d, len, 0, "MM\0+", 4))
		return FT_TIFF;
	if (has_at(d, len, 0, "RIFF", 4) && has_at(d, len, 8, "WEBP", 4))
		return FT_WEBP;
	if (is_bmp(d, len))
		return FT_BMP;
	return FT_NONE;
}

/* Acrobat and most readers look for the header anywhere in the first
   1024 bytes, so a junk prefix must not hide a PDF. */
static bool
is_pdf(const unsigned char *d, size_t len)
{
	return memmem(d, len < 1024 ? len : 1024, "%PDF-", 5) != NULL;
}

/* ---- OOXML inside zip ---- */

#define NS_RELS "http://schemas.openxmlformats.org/package/2006/relationships"
#define NS_CT "http://schemas.openxmlformats.org/package/2006/content-types"

enum opc_part { PART_MAIN, PART_WORD, PART_XL, PART_XLB, PART_PPT, PART_COUNT };

/* The main parts Office writes, tried when _rels/.rels does not name
   one, with the type a package missing [Content_Types].xml is taken
   for (so the OOXML module, not the archive one, judges it). */
static const char *const known_parts[PART_COUNT] = {
	NULL, "/word/document.xml", "/xl/workbook.xml", "/xl/workbook.bin",
	"/ppt/presentation.xml",
};
static const enum file_type known_types[PART_COUNT] = {
	FT_UNKNOWN, FT_DOCX, FT_XLSX, FT_XLSB, FT_PPTX,
};

struct opc {
	zip_t *za;
	const struct limits *limits;
	char *main;			/* from _rels/.rels, normalised */
	const char *name[PART_COUNT];	/* normalised part names */
	bool exists[PART_COUNT];
	bool has_override[PART_COUNT], has_default[PART_COUNT];
	enum file_type override[PART_COUNT], dflt[PART_COUNT];
};

/* A zip member fed to libxml2, never more than left bytes. */
struct member {
	zip_file_t *zf;
	uint64_t left;
};

typedef bool opc_element_fn(struct opc *o, xmlTextReaderPtr rd,
    const char *local);

static int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = ascii_lower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Append one segment to a part name under construction, resolving
   "." and ".." as a URI would. */
static void
part_segment(char *out, size_t *o, size_t start)
{
	size_t seg = *o - start;

	if (seg == 0 || (seg == 1 && out[start] == '.')) {
		*o = start;
	} else if (seg == 2 && out[start] == '.' && out[start + 1] == '.') {
		*o = start;
		if (*o > 1) {
			(*o)--;
			while (*o > 1 && out[*o - 1] != '/')
				(*o)--;
		}
	} else {
		out[(*o)++] = '/';
	}
}

/*
 * OPC part names compare case-insensitively after percent-decoding,
 * relative to the package root. Returns a malloc'd "/a/b" in lower
 * case, or NULL for names no part can have (NUL, backslash, an
 * encoded slash).
 */
static char *
part_normalize(const char *in)
{
	size_t n, o = 1, start;
	char *out;
	int c;

	if (size_add(strlen(in), 2, &n) != 0 || (out = malloc(n)) == NULL)
		return NULL;
	out[0] = '/';
	start = 1;
	while (*in != '\0') {
		c = (unsigned char)*in++;
		if (c == '%' && hexval((unsigned char)in[0]) >= 0 &&
		    hexval((unsigned char)in[1]) >= 0) {
			c = hexval((unsigned char)in[0]) * 16 +
			    hexval((unsigned char)in[1]);
			in += 2;
			if (c == 0 || c == '/')
				goto bad;
		} else if (c == '/') {
			part_segment(out, &o, start);
			start = o;
			continue;
		}
		if (c == '\\')
			goto bad;
		out[o++] = (char)ascii_lower((unsigned char)c);
	}
	part_segment(out, &o, start);
	if (o > 1)
		o--;	/* the separator part_segment added */
	out[o] = '\0';
	return out;
bad:
	free(out);
	return NULL;
}

/* The OOXML type of a content type (parameters and case ignored). */
static enum file_type
ooxml_from_ct(const char *ct)
{
	size_t n, i;

	while (*ct == ' ' || *ct == '\t')
		ct++;
	for (n = 0; ct[n] != '\0' && ct[n] != ';'; n++)
		;
	while (n > 0 && (ct[n - 1] == ' ' || ct[n - 1] == '\t'))
		n--;
	for (i = 0; i < sizeof(ooxml_types) / sizeof(ooxml_types[0]); i++) {
		if (strlen(ooxml_types[i].ext) == n &&
		    strncasecmp(ooxml_types[i].ext, ct, n) == 0)
			return ooxml_types[i].type;
	}
	return FT_UNKNOWN;
}

static int
member_read(void *ctx, char *buf, int len)
{
	struct member *m = ctx;
	zip_int64_t n;

	if (len <= 0)
		return 0;
	n = zip_fread(m->zf, buf, (zip_uint64_t)len);
	if (n < 0 || (uint64_t)n > m->left)
		return -1;
	m->left -= (uint64_t)n;
	return (int)n;
}

/*
 * How much of a member we read: the limits bound the whole archive's
 * expansion (archive_total) and ratio (archive_ratio); applying them to
 * one member is stricter, and failing here only means "not OOXML".
 */
static bool
member_bound(zip_t *za, zip_uint64_t idx, const struct limits *l,
    uint64_t *bound)
{
	zip_stat_t st;
	uint64_t b;

	zip_stat_init(&st);
	if (zip_stat_index(za, idx, 0, &st) != 0 ||
	    (st.valid & ZIP_STAT_COMP_SIZE) == 0)
		return false;
	if (__builtin_mul_overflow(st.comp_size, (uint64_t)l->archive_ratio,
	    &b))
		b = UINT64_MAX;
	*bound = b < l->archive_total ? b : l->archive_total;
	return true;
}

static void
xml_quiet(void *ctx, xmlErrorPtr err)
{
}

static char *
xml_attr(xmlTextReaderPtr rd, const char *name)
{
	return (char *)xmlTextReaderGetAttribute(rd, (const xmlChar *)name);
}

/*
 * Stream one XML member through fn for each element in namespace ns,
 * until fn says it is done. No DTD is loaded, no entity substituted and
 * no network used; a DOCTYPE or entity reference (Office writes
 * neither) ends the parse, as do the xml_depth and xml_nodes limits.
 * Returns 0 when parsed (or stopped by fn), -1 when absent or bad.
 */
static int
opc_parse(struct opc *o, const char *member, const char *ns,
    opc_element_fn *fn)
{
	struct member m;
	xmlTextReaderPtr rd;
	zip_int64_t idx;
	uint64_t nodes = 0;
	const char *uri;
	int ret, type;

	idx = zip_name_locate(o->za, member, ZIP_FL_NOCASE);
	if (idx < 0 ||
	    !member_bound(o->za, (zip_uint64_t)idx, o->limits, &m.left))
		return -1;
	if ((m.zf = zip_fopen_index(o->za, (zip_uint64_t)idx, 0)) == NULL)
		return -1;
	rd = xmlReaderForIO(member_read, NULL, &m, NULL, NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (rd == NULL) {
		zip_fclose(m.zf);
		return -1;
	}
	xmlTextReaderSetStructuredErrorHandler(rd, xml_quiet, NULL);
	while ((ret = xmlTextReaderRead(rd)) == 1) {
		type = xmlTextReaderNodeType(rd);
		if (type == XML_READER_TYPE_DOCUMENT_TYPE ||
		    type == XML_READER_TYPE_ENTITY_REFERENCE ||
		    xmlTextReaderDepth(rd) > (int)o->limits->xml_depth) {
			ret = -1;
			break;
		}
		if (type != XML_READER_TYPE_ELEMENT)
			continue;
		if (++nodes > o->limits->xml_nodes) {
			ret = -1;
			break;
		}
		uri = (const char *)xmlTextReaderConstNamespaceUri(rd);
		if (uri != NULL && strcmp(uri, ns) == 0 &&
		    fn(o, rd, (const char *)xmlTextReaderConstLocalName(rd)))
			break;
	}
	xmlFreeTextReader(rd);
	zip_fclose(m.zf);
	return ret < 0 ? -1 : 0;
}

static bool
is_office_rel(const char *type)
{
	return strcasecmp(type, "http://schemas.openxmlformats.org/"
	    "officeDocument/2006/relationships/officeDocument") == 0 ||
	    strcasecmp(type, "http://purl.oclc.org/ooxml/"
	    "officeDocument/relationships/officeDocument") == 0;
}

/* _rels/.rels: the first internal officeDocument relationship. */
static bool
rels_element(struct opc *o, xmlTextReaderPtr rd, const char *local)
{
	char *type, *target, *mode;

	if (strcmp(local, "Relationship") != 0)
		return false;
	type = xml_attr(rd, "Type");
	target = xml_attr(rd, "Target");
	mode = xml_attr(rd, "TargetMode");
	if (type != NULL && target != NULL && is_office_rel(type) &&
	    (mode == NULL || strcasecmp(mode, "Internal") == 0))
		o->main = part_normalize(target);
	xmlFree(type);
	xmlFree(target);
	xmlFree(mode);
	return o->main != NULL;
}

static const char *
part_ext(const char *part)
{
	const char *slash = strrchr(part, '/'), *dot = strrchr(part, '.');

	return dot != NULL && dot > slash ? dot + 1 : "";
}

static void
ct_default(struct opc *o, const char *ext, const char *ct)
{
	int p;

	for (p = 0; p < PART_COUNT; p++) {
		if (o->name[p] != NULL && !o->has_default[p] &&
		    strcasecmp(part_ext(o->name[p]), ext) == 0) {
			o->has_default[p] = true;
			o->dflt[p] = ooxml_from_ct(ct);
		}
	}
}

/* Returns true once the first existing candidate has its Override,
   which is all detection needs (Overrides beat Defaults). */
static bool
ct_override(struct opc *o, const char *partname, const char *ct)
{
	char *norm = part_normalize(partname);
	int p;

	if (norm == NULL)
		return false;
	for (p = 0; p < PART_COUNT; p++) {
		if (o->name[p] != NULL && !o->has_override[p] &&
		    strcmp(o->name[p], norm) == 0) {
			o->has_override[p] = true;
			o->override[p] = ooxml_from_ct(ct);
		}
	}
	free(norm);
	for (p = 0; p < PART_COUNT; p++) {
		if (o->exists[p])
			return o->has_override[p] &&
			    o->override[p] != FT_UNKNOWN;
	}
	return false;
}

static bool
ct_element(struct opc *o, xmlTextReaderPtr rd, const char *local)
{
	char *key, *ct;
	bool done = false;
	bool over = strcmp(local, "Override") == 0;

	if (!over && strcmp(local, "Default") != 0)
		return false;
	key = xml_attr(rd, over ? "PartName" : "Extension");
	ct = xml_attr(rd, "ContentType");
	if (key != NULL && ct != NULL) {
		if (over)
			done = ct_override(o, key, ct);
		else
			ct_default(o, key, ct);
	}
	xmlFree(key);
	xmlFree(ct);
	return done;
}

static bool
zip_has(zip_t *za, const char *part)
{
	/* Part "/a/b" is zip item "a/b"; OPC names are case-insensitive. */
	return zip_name_locate(za, part + 1, ZIP_FL_NOCASE) >= 0;
}

/*
 * The type of an OOXML package: the main part named by _rels/.rels (or
 * failing that the parts Office writes), typed by its Override or
 * Default in [Content_Types].xml. A package whose [Content_Types].xml
 * is missing or unreadable but that has a main part goes to the OOXML
 * module, which judges it, instead of passing its parts as loose
 * archive members (a rels file is plain text to the archive module).
 */
static enum file_type
opc_type(zip_t *za, const struct limits *limits)
{
	struct opc o;
	enum file_type t = FT_UNKNOWN;
	bool ct_ok;
	int p;

	memset(&o, 0, sizeof(o));
	o.za = za;
	o.limits = limits;
	(void)opc_parse(&o, "_rels/.rels", NS_RELS, rels_element);
	for (p = 0; p < PART_COUNT; p++) {
		o.name[p] = p == PART_MAIN ? o.main : known_parts[p];
		o.exists[p] = o.name[p] != NULL && zip_has(za, o.name[p]);
	}
	ct_ok = opc_parse(&o, "[Content_Types].xml", NS_CT, ct_element) == 0;
	for (p = 0; p < PART_COUNT && t == FT_UNKNOWN; p++) {
		if (!o.exists[p])
			continue;
		t = o.has_override[p] ? o.override[p] :
		    o.has_default[p] ? o.dflt[p] : FT_UNKNOWN;
	}
	for (p = 1; p < PART_COUNT && t == FT_UNKNOWN && !ct_ok; p++) {
		if (o.exists[p])
			t = known_types[p];
	}
	free(o.main);
	return t != FT_UNKNOWN ? t : FT_ZIP;
}

/*
 * OpenDocument (and StarOffice): no module sanitizes it, and as a plain
 * zip its Basic macros and event bindings would pass as text members,
 * so it is FT_UNKNOWN (blocked as unsupported). LibreOffice also opens
 * packages with only META-INF/manifest.xml, so that counts too. The
 * mimetype member is read only as far as the prefix compared.
 */
static bool
zip_is_odf(zip_t *za)
{
	static const char odf[] = "application/vnd.oasis.opendocument.";
	static const char sxw[] = "application/vnd.sun.xml.";
	char buf[sizeof(odf)];
	zip_file_t *zf;
	zip_int64_t idx, n;

	if (zip_name_locate(za, "META-INF/manifest.xml", ZIP_FL_NOCASE) >= 0)
		return true;
	idx = zip_name_locate(za, "mimetype", ZIP_FL_NOCASE);
	if (idx < 0 || (zf = zip_fopen_index(za, (zip_uint64_t)idx, 0)) == NULL)
		return false;
	n = zip_fread(zf, buf, sizeof(buf) - 1);
	zip_fclose(zf);
	if (n <= 0)
		return false;
	return ((size_t)n >= sizeof(odf) - 1 &&
	    strncasecmp(buf, odf, sizeof(odf) - 1) == 0) ||
	    ((size_t)n >= sizeof(sxw) - 1 &&
	    strncasecmp(buf, sxw, sizeof(sxw) - 1) == 0);
}

/* A zip, refined to its OOXML type. Broken zips stay FT_ZIP: the
   archive module reports them as archive.malformed. */
static enum file_type
zip_type(const unsigned char *d, size_t len, const struct limits *limits)
{
	zip_error_t err;
	zip_source_t *src;
	zip_t *za;
	zip_int64_t n;
	enum file_type t;

	zip_error_init(&err);
	src = zip_source_buffer_create(d, len, 0, &err);
	za = src != NULL ? zip_open_from_source(src, ZIP_RDONLY, &err) : NULL;
	zip_error_fini(&err);
	if (za == NULL) {
		zip_source_free(src);
		return FT_ZIP;
	}
	n = zip_get_num_entries(za, 0);
	if (n < 0 || (uint64_t)n > limits->archive_entries)
		t = FT_ZIP;	/* the archive module raises the limit */
	else if (zip_is_odf(za))
		t = FT_UNKNOWN;
	else
		t = opc_type(za, limits);
	zip_discard(za);
	return t;
}

/* PK\3\4, the empty archive's PK\5\6, and the spanning markers that
   precede a first local header. */
static bool
is_zip(const unsigned char *d, size_t len)
{
	return has_at(d, len, 0, "PK\3\4", 4) ||
	    has_at(d, len, 0, "PK\5\6", 4) ||
	    (has_at(d, len, 0, "PK\7\10", 4) &&
	    has_at(d, len, 4, "PK\3\4", 4)) ||
	    (has_at(d, len, 0, "PK00", 4) && has_at(d, len, 4, "PK\3\4", 4));
}

static const unsigned char cfb_magic[8] = {
	0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1,
};

/* Documents and archives recognised at offset 0. RTF is "{\rt": Word
   needs no more, and a UTF-8 BOM in front does not stop it. */
static enum file_type
detect_document(const unsigned char *d, size_t len, const struct limits *l)
{
	if (has_at(d, len, 0, cfb_magic, sizeof(cfb_magic)))
		return FT_OLE_OTHER;	/* lib-ole refines it */
	if (is_zip(d, len))
		return zip_type(d, len, l);
	if (has_at(d, len, 0, "{\\rt", 4) ||
	    has_at(d, len, 0, "\357\273\277{\\rt", 7))
		return FT_RTF;
	if (has_at(d, len, 0, "\037\213", 2))
		return FT_GZIP;
	if (has_at(d, len, 0, "7z\274\257\047\034", 6))
		return FT_7Z;
	if (has_at(d, len, 0, "Rar!\032\007", 6))
		return FT_RAR;
	return FT_NONE;
}

/* ---- text ---- */

enum text_enc { ENC_UTF8, ENC_SJIS, ENC_EUCJP, ENC_UTF16LE, ENC_UTF16BE };

/*
 * How much of the start of a text file the markup and script markers
 * are looked for in. Not a limit on input (the whole file is still
 * validated): only the window the classification reads, so that
 * detection stays linear and a marker buried deep in a long document
 * does not turn it into a script.
 */
#define TEXT_WINDOW	(64 * 1024)
/* HTML tags count only this near the start (MIME sniffing reads 512
   bytes; browsers opening .html files never need sniffing). */
#define HTML_WINDOW	1024

/*
 * A text file seen through its first TEXT_WINDOW characters folded to
 * lower-case ASCII; every other character (kanji, and the 7-bit bytes
 * of ISO-2022-JP double-byte runs) becomes 0x80, so ASCII markers are
 * matched only against real ASCII.
 */
struct text {
	unsigned char *fold;
	size_t nfold, chars, controls;
	bool nul;	/* failed on NUL: no other encoding can help */
};

static void
text_put(struct text *t, unsigned char c)
{
	t->chars++;
	if (t->nfold < TEXT_WINDOW)
		t->fold[t->nfold++] = c >= 0x80 ? 0x80 : ascii_lower(c);
}

/* One ASCII character. NUL is never text (binaries almost always have
   it); other C0 controls are tolerated up to a small share. */
static bool
text_ascii(struct text *t, unsigned char c, bool dbcs)
{
	if (c == 0) {
		t->nul = true;
		return false;
	}
	if ((c < 0x20 && c != '\t' && c != '\n' && c != '\v' && c != '\f' &&
	    c != '\r' && c != 0x1a && c != 0x1b) || c == 0x7f)
		t->controls++;
	text_put(t, dbcs && c >= 0x21 ? 0x80 : c);
	return true;
}

/* Printable ASCII, tabs and newlines: the bulk of most text, taken in
   one tight loop once the window is full (at a character boundary, so
   it is right for every encoding scanned here). */
static size_t
plain_run(struct text *t, const unsigned char *d, size_t len)
{
	size_t i = 0;

	if (t->nfold < TEXT_WINDOW)
		return 0;
	while (i < len && ((d[i] >= 0x20 && d[i] < 0x7f) || d[i] == '\n' ||
	    d[i] == '\r' || d[i] == '\t'))
		i++;
	t->chars += i;
	return i;
}

/* Length of a well-formed UTF-8 sequence at p (RFC 3629: no overlong
   forms, no surrogates, nothing above U+10FFFF), or 0. */
static size_t
utf8_seq(const unsigned char *p, size_t len)
{
	unsigned char c = p[0], lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 0;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (len < n || p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < n; i++) {
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	}
	return n;
}

/* An ISO-2022-JP designation at p: its length, and whether it switches
   to a non-ASCII set. 0 when ESC starts something else. */
static size_t
iso2022_escape(const unsigned char *p, size_t len, bool *dbcs)
{
	if (len >= 3 && p[1] == '$' && (p[2] == '@' || p[2] == 'B')) {
		*dbcs = true;
		return 3;
	}
	if (len >= 4 && p[1] == '$' && p[2] == '(' && p[3] == 'D') {
		*dbcs = true;
		return 4;
	}
	if (len >= 3 && p[1] == '(' &&
	    (p[2] == 'B' || p[2] == 'J' || p[2] == 'I')) {
		*dbcs = p[2] == 'I';
		return 3;
	}
	return 0;
}

/* UTF-8 (ASCII and ISO-2022-JP are subsets of this pass). */
static bool
scan_utf8(const unsigned char *d, size_t len, struct text *t)
{
	size_t i = 0, n;
	bool dbcs = false;

	while (i < len) {
		if ((i += plain_run(t, d + i, len - i)) >= len)
			break;
		if (d[i] == 0x1b &&
		    (n = iso2022_escape(d + i, len - i, &dbcs)) > 0) {
			i += n;
			continue;
		}
		if (d[i] < 0x80) {
			if (!text_ascii(t, d[i++], dbcs))
				return false;
			continue;
		}
		if ((n = utf8_seq(d + i, len - i)) == 0)
			return false;
		/* U+0080..U+009F are C1 controls. */
		if (d[i] == 0xc2 && d[i + 1] < 0xa0)
			t->controls++;
		text_put(t, 0x80);
		i += n;
	}
	return true;
}

/* Shift_JIS as Windows writes it (CP932): JIS X 0208 pairs, NEC and
   IBM extensions, half-width katakana. */
static bool
scan_sjis(const unsigned char *d, size_t len, struct text *t)
{
	size_t i = 0;
	unsigned char c, c2;

	while (i < len) {
		if ((i += plain_run(t, d + i, len - i)) >= len)
			break;
		c = d[i];
		if (c < 0x80) {
			if (!text_ascii(t, c, false))
				return false;
			i++;
		} else if (c >= 0xa1 && c <= 0xdf) {
			text_put(t, 0x80);
			i++;
		} else if ((c >= 0x81 && c <= 0x9f) ||
		    (c >= 0xe0 && c <= 0xfc)) {
			if (i + 1 >= len)
				return false;
			c2 = d[i + 1];
			if (c2 < 0x40 || c2 == 0x7f || c2 > 0xfc)
				return false;
			text_put(t, 0x80);
			i += 2;
		} else {
			return false;
		}
	}
	return true;
}

static bool
euc_byte(unsigned char c)
{
	return c >= 0xa1 && c <= 0xfe;
}

/* EUC-JP: JIS X 0208 pairs, SS2 katakana, SS3 JIS X 0212 triples. */
static bool
scan_eucjp(const unsigned char *d, size_t len, struct text *t)
{
	size_t i = 0;
	unsigned char c;

	while (i < len) {
		if ((i += plain_run(t, d + i, len - i)) >= len)
			break;
		c = d[i];
		if (c < 0x80) {
			if (!text_ascii(t, c, false))
				return false;
			i++;
			continue;
		}
		if (c == 0x8e && i + 1 < len && d[i + 1] >= 0xa1 &&
		    d[i + 1] <= 0xdf)
			i += 2;
		else if (c == 0x8f && i + 2 < len && euc_byte(d[i + 1]) &&
		    euc_byte(d[i + 2]))
			i += 3;
		else if (euc_byte(c) && i + 1 < len && euc_byte(d[i + 1]))
			i += 2;
		else
			return false;
		text_put(t, 0x80);
	}
	return true;
}

/* UTF-16 after its BOM: whole code units, paired surrogates. */
static bool
scan_utf16(const unsigned char *d, size_t len, bool be, struct text *t)
{
	size_t i;
	unsigned u, u2;

	if (len % 2 != 0)
		return false;
	for (i = 0; i < len; i += 2) {
		u = be ? (unsigned)(d[i] << 8 | d[i + 1]) : le16(d + i);
		if (u < 0x80) {
			if (!text_ascii(t, (unsigned char)u, false))
				return false;
			continue;
		}
		if (u >= 0xdc00 && u <= 0xdfff)
			return false;
		if (u >= 0xd800 && u <= 0xdbff) {
			if (i + 3 >= len)
				return false;
			u2 = be ? (unsigned)(d[i + 2] << 8 | d[i + 3]) :
			    le16(d + i + 2);
			if (u2 < 0xdc00 || u2 > 0xdfff)
				return false;
			i += 2;
		}
		if (u >= 0x80 && u < 0xa0)
			t->controls++;
		text_put(t, 0x80);
	}
	return true;
}

static bool
scan_as(enum text_enc enc, const unsigned char *d, size_t len, struct text *t)
{
	t->nfold = t->chars = t->controls = 0;
	t->nul = false;
	switch (enc) {
	case ENC_UTF8:
		return scan_utf8(d, len, t);
	case ENC_SJIS:
		return scan_sjis(d, len, t);
	case ENC_EUCJP:
		return scan_eucjp(d, len, t);
	case ENC_UTF16LE:
		return scan_utf16(d, len, false, t);
	case ENC_UTF16BE:
		return scan_utf16(d, len, true, t);
	}
	return false;
}

/*
 * Is this text? A BOM decides the encoding; without one, UTF-8 (which
 * includes ASCII and ISO-2022-JP), then Shift_JIS, then EUC-JP, each
 * validated over the whole file. At most one control character in 32
 * (beyond tab, newlines, form feed, ^Z and ESC).
 */
static bool
text_scan(const unsigned char *d, size_t len, struct text *t)
{
	static const enum text_enc plain[] = { ENC_UTF8, ENC_SJIS, ENC_EUCJP };
	size_t i;
	bool ok = false;

	if (has_at(d, len, 0, "\377\376", 2))
		ok = scan_as(ENC_UTF16LE, d + 2, len - 2, t);
	else if (has_at(d, len, 0, "\376\377", 2))
		ok = scan_as(ENC_UTF16BE, d + 2, len - 2, t);
	else if (has_at(d, len, 0, "\357\273\277", 3))
		ok = scan_as(ENC_UTF8, d + 3, len - 3, t);
	else {
		for (i = 0; i < sizeof(plain) / sizeof(plain[0]) && !ok &&
		    !t->nul; i++)
			ok = scan_as(plain[i], d, len, t);
	}
	return ok && t->controls * 32 <= t->chars;
}

static bool
fold_has(const struct text *t, size_t from, size_t to, const char *s)
{
	if (to > t->nfold)
		to = t->nfold;
	return from < to &&
	    memmem(t->fold + from, to - from, s, strlen(s)) != NULL;
}

static bool
fold_starts(const struct text *t, size_t at, const char *s)
{
	size_t n = strlen(s);

	return at <= t->nfold && n <= t->nfold - at &&
	    memcmp(t->fold + at, s, n) == 0;
}

static size_t
skip_space(const struct text *t, size_t p)
{
	while (p < t->nfold && (t->fold[p] == ' ' || t->fold[p] == '\t' ||
	    t->fold[p] == '\r' || t->fold[p] == '\n' || t->fold[p] == '\f'))
		p++;
	return p;
}

/* Index just past the first end after p, or nfold when it never ends. */
static size_t
skip_past(const struct text *t, size_t p, const char *end)
{
	const unsigned char *e;

	if (p >= t->nfold)
		return t->nfold;
	e = memmem(t->fold + p, t->nfold - p, end, strlen(end));
	return e != NULL ? (size_t)(e - t->fold) + strlen(end) : t->nfold;
}

/*
 * Skip an XML/HTML prolog: declarations, processing instructions,
 * comments, DOCTYPE (with an internal subset). Sets *office when a
 * <?mso-application?> PI is met: Windows opens such .xml files in Word
 * or Excel (Word 2003 XML, flat OPC), which run their macros, DDE and
 * OLE objects, and no module sanitizes them.
 */
static size_t
skip_prolog(const struct text *t, bool *office)
{
	size_t p = skip_space(t, 0), q;

	for (;;) {
		if (fold_starts(t, p, "<?")) {
			if (fold_starts(t, p, "<?mso-application"))
				*office = true;
			p = skip_past(t, p, "?>");
		} else if (fold_starts(t, p, "<!--")) {
			p = skip_past(t, p + 4, "-->");
		} else if (fold_starts(t, p, "<!doctype")) {
			q = skip_past(t, p, ">");
			if (fold_has(t, p, q, "["))
				q = skip_past(t, skip_past(t,
				    skip_past(t, p, "["), "]"), ">");
			p = q;
		} else {
			return p;
		}
		p = skip_space(t, p);
	}
}

/* The first element's name at p ("<name"), copied into root. */
static void
root_name(const struct text *t, size_t p, char *root, size_t size)
{
	size_t n = 0;
	unsigned char c;

	root[0] = '\0';
	if (p >= t->nfold || t->fold[p] != '<')
		return;
	for (p++; p < t->nfold && n + 1 < size; p++, n++) {
		c = t->fold[p];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == ':' || c == '-' || c == '_' || c == '.'))
			break;
		root[n] = (char)c;
	}
	root[n] = '\0';
}

/* "<tag" followed by a delimiter, so "<table" does not match "<tablet". */
static bool
html_tag_near_start(const struct text *t, size_t from, const char *tag)
{
	size_t to = from + HTML_WINDOW, n = strlen(tag), p = from;
	const unsigned char *e;
	unsigned char c;

	if (to > t->nfold)
		to = t->nfold;
	while (p < to && (e = memmem(t->fold + p, to - p, tag, n)) != NULL) {
		p = (size_t)(e - t->fold) + n;
		if (p >= t->nfold)
			return true;
		c = t->fold[p];
		if (c == ' ' || c == '>' || c == '/' || c == '\t' ||
		    c == '\r' || c == '\n')
			return true;
	}
	return false;
}

static bool
html_markers(const struct text *t, size_t from)
{
	static const char *const tags[] = {
		"<!doctype html", "<html", "<head", "<body", "<script",
		"<iframe", "<meta", "<table", "<frameset", "<object", "<embed",
		"<form", "<style", "<title", "<base", "<link",
	};
	size_t i;

	for (i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) {
		if (html_tag_near_start(t, from, tags[i]))
			return true;
	}
	return false;
}

/*
 * Markup by its first element (after the prolog), else by HTML tags
 * near the start. <job>/<package> (WSF) and <scriptlet>/<component>
 * (WSC, squiblydoo) with a script are Windows Script Host files; an
 * MMC console is FT_UNKNOWN.
 */
static enum file_type
markup_type(const struct text *t)
{
	char root[32];
	const char *local;
	bool office = false;
	size_t p;

	p = skip_prolog(t, &office);
	if (office)
		return FT_UNKNOWN;
	root_name(t, p, root, sizeof(root));
	local = strrchr(root, ':') != NULL ? strrchr(root, ':') + 1 : root;
	if (strcmp(local, "svg") == 0)
		return FT_SVG;
	if (strcmp(root, "html") == 0)
		return FT_HTML;
	if ((strcmp(root, "job") == 0 || strcmp(root, "package") == 0 ||
	    strcmp(root, "scriptlet") == 0 || strcmp(root, "component") == 0) &&
	    fold_has(t, 0, t->nfold, "<script"))
		return FT_WSF;
	if (strcmp(root, "mmc_consolefile") == 0)
		return FT_UNKNOWN;
	if (html_markers(t, skip_space(t, 0)))
		return FT_HTML;
	return FT_NONE;
}

static bool
fold_any(const struct text *t, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (fold_has(t, 0, t->nfold, list[i]))
			return true;
	}
	return false;
}

#define FOLD_ANY(t, list) fold_any(t, list, sizeof(list) / sizeof(list[0]))

/* Windows Script Host code: JScript when it uses ActiveXObject or JS
   syntax, VBScript when it uses VB syntax (the default: WScript and
   CreateObject alone are more often VBScript). */
static enum file_type
wsh_type(const struct text *t)
{
	static const char *const wsh[] = {
		"wscript.", "createobject(", "activexobject",
		"getobject(\"winmgmts",
	};
	static const char *const vb[] = {
		"on error resume next", "end sub", "end function", "\ndim ",
		"set ", "msgbox ",
	};
	static const char *const js[] = {
		"var ", "function ", "function(", "let ", "const ", ");",
	};

	if (!FOLD_ANY(t, wsh))
		return FT_NONE;
	if (fold_has(t, 0, t->nfold, "activexobject"))
		return FT_JS;
	if (FOLD_ANY(t, vb) || fold_starts(t, skip_space(t, 0), "dim "))
		return FT_VBS;
	return FOLD_ANY(t, js) ? FT_JS : FT_VBS;
}

/*
 * Scripts recognised by strong markers only, so that prose stays text:
 * "@echo" opening a batch file, the Script Encoder's "#@~^", PowerShell
 * download/execute idioms, WSH objects, batch idioms.
 */
static enum file_type
script_type(const struct text *t)
{
	static const char *const ps1[] = {
		"invoke-expression", "iex(", "iex (", "-encodedcommand",
		"frombase64string(", "net.webclient", "downloadstring(",
		"downloadfile(", "invoke-webrequest", "invoke-restmethod",
		"start-bitstransfer", "set-executionpolicy",
		"-executionpolicy bypass", "-exec bypass",
		"[system.reflection.assembly]", "new-object -comobject",
		"add-type -typedefinition",
	};
	static const char *const bat[] = {
		"%comspec%", "%~dp0", "certutil -urlcache",
		"certutil.exe -urlcache",
		"bitsadmin /transfer",
	};
	enum file_type w;

	if (fold_starts(t, skip_space(t, 0), "@echo"))
		return FT_BAT;
	if (fold_has(t, 0, t->nfold, "#@~^"))
		return FT_VBS;
	if (FOLD_ANY(t, ps1))
		return FT_PS1;
	if ((w = wsh_type(t)) != FT_NONE)
		return w;
	if (FOLD_ANY(t, bat))
		return FT_BAT;
	return FT_NONE;
}

/* Types whose bytes are any text: the name alone chooses them. */
static bool
text_named(enum file_type t)
{
	enum file_family f = filetype_family(t);

	return f == FAMILY_SCRIPT || f == FAMILY_HTML || f == FAMILY_SVG ||
	    f == FAMILY_CSV || t == FT_URL;
}

/*
 * The extension as Windows acts on it, lower-cased into ext: after the
 * last dot of the last path component, with trailing dots and spaces
 * dropped (Explorer strips them, so "a.js. " runs as a.js). False when
 * there is none or it is too long to be one we know.
 */
static bool
name_ext(const char *name, char *ext, size_t size)
{
	const char *base, *dot, *end;
	size_t n, i;

	if (name == NULL)
		return false;
	base = name;
	for (end = name; *end != '\0'; end++) {
		if (*end == '/' || *end == '\\')
			base = end + 1;
	}
	while (end > base && (end[-1] == '.' || end[-1] == ' '))
		end--;
	for (dot = end; dot > base && dot[-1] != '.'; dot--)
		;
	if (dot == base)
		return false;
	n = (size_t)(end - dot);
	if (n == 0 || n >= size)
		return false;
	for (i = 0; i < n; i++)
		ext[i] = (char)ascii_lower((unsigned char)dot[i]);
	ext[n] = '\0';
	return true;
}

static bool
risky_text_name(const char *name)
{
	char ext[32];
	size_t i;

	if (!name_ext(name, ext, sizeof(ext)))
		return false;
	for (i = 0; i < sizeof(risky_text_exts) / sizeof(risky_text_exts[0]);
	    i++) {
		if (strcmp(ext, risky_text_exts[i]) == 0)
			return true;
	}
	return false;
}

/*
 * What text is. In order:
 *  - "ID;" at byte 0: Excel parses any text starting so as SYLK (even
 *    a .csv), and SYLK runs formulas and DDE; FT_UNKNOWN.
 *  - "#!": a shell (or other interpreter) script.
 *  - <hta:application>: an HTA whatever its name says (mshta runs any
 *    HTML, the element only shows intent; renamed .html it is still
 *    meant to run).
 *  - the name, when it names a type any text can be (html, svg, hta,
 *    scripts, csv, url): the program it opens in reads it as that;
 *    or a risky extension (see risky_text_exts): FT_UNKNOWN.
 *  - Internet shortcuts, markup, then script markers.
 *  - plain text. CSV is never guessed without a .csv/.tsv name: prose
 *    with commas is common, CSV handling rewrites cells, and Excel
 *    treats a file as CSV only by its extension.
 */
static enum file_type
text_classify(const struct text *t, const unsigned char *d, size_t len,
    const char *name)
{
	enum file_type named = filetype_from_name(name), m;

	if (has_at(d, len, 0, "ID;", 3))
		return FT_UNKNOWN;
	if (fold_starts(t, 0, "#!"))
		return FT_SHELL;
	if (fold_has(t, 0, t->nfold, "<hta:application"))
		return FT_HTA;
	if (text_named(named))
		return named;
	if (risky_text_name(name))
		return FT_UNKNOWN;
	if (fold_has(t, 0, t->nfold, "[internetshortcut]"))
		return FT_URL;
	if ((m = markup_type(t)) != FT_NONE)
		return m;
	if ((m = script_type(t)) != FT_NONE)
		return m;
	return FT_TEXT;
}

/*
 * Bytes that are not clean text (NULs, invalid sequences) but open like
 * an HTML document. Browsers render such a file, replacing what they
 * cannot decode, so it is HTML for the HTML module (an HTML5 parser
 * that rebuilds it) rather than unknown; an HTA or script name still
 * wins, since mshta and WSH do not care about the bytes either.
 */
static enum file_type
broken_html(struct text *t, const unsigned char *d, size_t len,
    const char *name)
{
	enum file_type named = filetype_from_name(name);
	bool office = false;
	char root[8];
	size_t i, p, start;

	if (has_at(d, len, 0, "\357\273\277", 3)) {
		d += 3;
		len -= 3;
	}
	t->nfold = 0;
	for (i = 0; i < len && t->nfold < TEXT_WINDOW; i++)
		t->fold[t->nfold++] = d[i] == 0 || d[i] >= 0x80 ? 0x80 :
		    ascii_lower(d[i]);
	start = skip_space(t, 0);
	p = skip_prolog(t, &office);
	root_name(t, p, root, sizeof(root));
	if (office || !fold_starts(t, start, "<") ||
	    (strcmp(root, "html") != 0 && !html_markers(t, start)))
		return FT_UNKNOWN;
	if (filetype_family(named) == FAMILY_SCRIPT)
		return named;
	return fold_has(t, 0, t->nfold, "<hta:application") ? FT_HTA : FT_HTML;
}

static enum file_type
detect_text(const unsigned char *d, size_t len, const char *name)
{
	struct text t;
	enum file_type type;

	memset(&t, 0, sizeof(t));
	if ((t.fold = malloc(len < TEXT_WINDOW ? len : TEXT_WINDOW)) == NULL)
		return FT_UNKNOWN;	/* blocked, never passed unseen */
	if (text_scan(d, len, &t))
		type = text_classify(&t, d, len, name);
	else
		type = broken_html(&t, d, len, name);
	free(t.fold);
	return type;
}

/* ---- public ---- */

/* Signatures at 0 and fixed offsets, then tar and raw disks (weaker
   signatures, tried once nothing stronger matched), then text. */
enum file_type
filetype_detect(const unsigned char *data, size_t len, const char *name,
    const struct limits *limits)
{
	struct limits defaults;
	enum file_type t;

	if (len == 0)
		return FT_EMPTY;
	if (data == NULL)
		return FT_UNKNOWN;
	if (limits == NULL) {
		limits_init(&defaults);
		limits = &defaults;
	}
	if ((t = detect_blocked(data, len)) != FT_NONE)
		return t;
	if (is_iso(data, len))
		return FT_ISO;
	if (is_vhd(data, len))
		return FT_VHD;
	if ((t = detect_document(data, len, limits)) != FT_NONE)
		return t;
	if ((t = detect_image(data, len)) != FT_NONE)
		return t;
	if (is_pdf(data, len))
		return FT_PDF;
	if (is_tar(data, len))
		return FT_TAR;
	if (is_raw_disk(data, len))
		return FT_IMG;
	return detect_text(data, len, name);
}

enum file_type
filetype_from_name(const char *name)
{
	char ext[32];
	size_t i;

	if (!name_ext(name, ext, sizeof(ext)))
		return FT_UNKNOWN;
	for (i = 0; i < sizeof(name_aliases) / sizeof(name_aliases[0]); i++) {
		if (strcmp(name_aliases[i].ext, ext) == 0)
			return name_aliases[i].type;
	}
	for (i = 0; i < FT_COUNT; i++) {
		if (types[i].ext[0] != '\0' && strcmp(types[i].ext, ext) == 0)
			return (enum file_type)i;
	}
	return FT_UNKNOWN;
}

/* MIME types compare without parameters ("; charset=...") and case. */
static bool
mime_eq(const char *want, const char *mime, size_t n)
{
	return strlen(want) == n && strncasecmp(want, mime, n) == 0;
}

enum file_type
filetype_from_mime(const char *mime)
{
	size_t n, i;

	if (mime == NULL)
		return FT_UNKNOWN;
	while (*mime == ' ' || *mime == '\t')
		mime++;
	for (n = 0; mime[n] != '\0' && mime[n] != ';'; n++)
		;
	while (n > 0 && (mime[n - 1] == ' ' || mime[n - 1] == '\t'))
		n--;
	/* The generic types claim nothing. */
	if (mime_eq("application/octet-stream", mime, n))
		return FT_UNKNOWN;
	for (i = 0; i < sizeof(mime_aliases) / sizeof(mime_aliases[0]); i++) {
		if (mime_eq(mime_aliases[i].ext, mime, n))
			return mime_aliases[i].type;
	}
	for (i = 0; i < FT_COUNT; i++) {
		if (mime_eq(types[i].mime, mime, n))
			return (enum file_type)i;
	}
	return FT_UNKNOWN;
}

/* Word, Excel or PowerPoint: 'w', 'x', 'p', or 0. */
static int
office_app(enum file_type t)
{
	switch (t) {
	case FT_DOCX: case FT_DOCM: case FT_DOTX: case FT_DOTM: case FT_DOC:
		return 'w';
	case FT_XLSX: case FT_XLSM: case FT_XLTX: case FT_XLTM: case FT_XLSB:
	case FT_XLAM: case FT_XLS:
		return 'x';
	case FT_PPTX: case FT_PPTM: case FT_POTX: case FT_POTM: case FT_PPSX:
	case FT_PPSM: case FT_PPAM: case FT_PPT:
		return 'p';
	default:
		return 0;
	}
}

/* OOXML that can carry macros (XLSB always can). */
static bool
macro_capable(enum file_type t)
{
	return filetype_macro_free(t) != t || t == FT_XLSB;
}

/*
 * Is the declared type consistent with the content?
 *
 *  declared            detected                       compatible
 *  any                 the same type                  yes
 *  text / csv          text, csv, empty               yes
 *  zip                 any OOXML                      yes (a package is a zip)
 *  OOXML               same app, no macros            yes (docx as dotx, ...)
 *  macro OOXML         same app, with macros          yes
 *  OOXML               same app, with macros          NO  (docm named .docx)
 *  OOXML               ooxml-encrypted, ole           yes (encrypted = CFB)
 *  doc/xls/ppt/msg     ole (not yet refined)          yes
 *  doc/xls/ppt         ooxml-encrypted, any OOXML     NO  (an OOXML package
 *                                                      under a 97-2003 name)
 *  doc                 rtf                            yes (Word saves RTF so)
 *  disk image          disk image                     yes (.img holding ISO)
 *  anything else                                      NO  (jpg holding png,
 *                                                      txt holding a script)
 */
bool
filetype_compatible(enum file_type declared, enum file_type detected)
{
	enum file_family df = filetype_family(declared);
	int app = office_app(declared);

	if (declared == FT_UNKNOWN || declared == detected)
		return true;
	if (declared == FT_TEXT || declared == FT_CSV)
		return detected == FT_TEXT || detected == FT_CSV ||
		    detected == FT_EMPTY;
	if (declared == FT_ZIP)
		return filetype_family(detected) == FAMILY_OOXML;
	if (detected == FT_OLE_OTHER)
		return df == FAMILY_OOXML || df == FAMILY_OLE;
	if (detected == FT_OOXML_ENCRYPTED)
		return df == FAMILY_OOXML;
	if (declared == FT_DOC && detected == FT_RTF)
		return true;
	if (df == FAMILY_DISK_IMAGE)
		return filetype_family(detected) == FAMILY_DISK_IMAGE;
	if (df == FAMILY_OOXML && app == office_app(detected) &&
	    filetype_family(detected) == FAMILY_OOXML)
		return !macro_capable(detected) || macro_capable(declared);
	return false;
}

const char *
filetype_name(enum file_type type)
{
	return (unsigned)type < FT_COUNT ? types[type].name : "unknown";
}

const char *
filetype_ext(enum file_type type)
{
	return (unsigned)type < FT_COUNT ? types[type].ext : "";
}

const char *
filetype_mime(enum file_type type)
{
	return (unsigned)type < FT_COUNT ? types[type].mime :
	    "application/octet-stream";
}

enum file_family
filetype_family(enum file_type type)
{
	return (unsigned)type < FT_COUNT ? types[type].family : FAMILY_UNKNOWN;
}

enum file_type
filetype_macro_free(enum file_type type)
{
	switch (type) {
	case FT_DOCM: return FT_DOCX;
	case FT_DOTM: return FT_DOTX;
	case FT_XLSM: return FT_XLSX;
	case FT_XLTM: return FT_XLTX;
	case FT_PPTM: return FT_PPTX;
	case FT_POTM: return FT_POTX;
	case FT_PPSM: return FT_PPSX;
	case FT_XLAM: return FT_XLSX;
	case FT_PPAM: return FT_PPTX;
	default: return type;
	}
}
