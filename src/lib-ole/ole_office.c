/*
 * ole_office - Word, Excel (BIFF) and PowerPoint main stream scanners.
 *
 * Each scanner walks its stream once, linearly, with every length
 * checked against the bytes that are really there; work is bounded by a
 * small multiple of the stream size.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ole_crypt.h"
#include "ole_office.h"

#define FIB_WIDENT_97		0xa5ec
#define FIB_NFIB_97		0x00c0	/* Word 97 and later: nFib >= 0xC0 */
#define FIB_F_ENCRYPTED		0x0100
#define FIB_F_WHICHTBL		0x0200
#define FIB_F_OBFUSCATED	0x8000
#define FIB_CLX_INDEX		33	/* fcClx/lcbClx pair in FibRgFcLcb97 */
#define PCD_COMPRESSED		0x40000000u

#define BIFF_BOF		0x0809
#define BIFF_FILEPASS		0x002f
#define BIFF_BOUNDSHEET		0x0085
#define BIFF_SUPBOOK		0x01ae
#define BIFF_DT_MACRO		0x0040	/* BOF: Excel 4.0 macro sheet */
#define BIFF_DT_VBMOD		0x0006	/* BOF: Excel 5 VB module sheet */

#define PPT_VBAINFO		0x03ff
#define PPT_VBAINFOATOM		0x0400
#define PPT_EXOLEOBJSTG		0x1011
#define PPT_EXOLEEMBED		0x0fcc
#define PPT_EXOLELINK		0x0fce
#define PPT_EXCONTROL		0x0fee
#define PPT_EXOLEOBJATOM	0x0fc3
#define PPT_CRYPTSESSION	0x2f14
#define PPT_PERSISTDIR		0x1772
#define PPT_USEREDIT		0x0ff5
#define PPT_CURUSER_PLAIN	0xe391c05fu
#define PPT_CURUSER_CRYPT	0xf3d1c4dfu

static uint16_t
rd16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t
rd32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

void
ole_sink_add(struct ole_sink *s, const char *code, enum finding_action action,
    const char *location, const char *fmt, ...)
{
	char *detail = NULL;
	va_list ap;

	if (fmt != NULL) {
		va_start(ap, fmt);
		detail = arena_vprintf(s->arena, fmt, ap);
		va_end(ap);
	}
	report_add(s->r, code, action, location, detail != NULL ? "%s" : NULL,
	    detail);
	if (action == FINDING_BLOCKED)
		s->blocked = true;
	else if (action == FINDING_HELD)
		s->held = true;
}

int
ole_stream_load(const struct cfb *cfb, uint32_t id, struct buffer *b)
{
	/* The reader checked the chain against the file, so the size is
	   bounded by the input size. */
	buffer_init(b, (size_t)cfb->entries[id].size + 1);
	return cfb_read_stream(cfb, id, b);
}

/*
 * Word: DDE fields. A field starts with the character 0x13 followed by
 * its instruction; the first word of the instruction is the field type.
 * Word accepts any case and leading blanks, so the matcher does too.
 */

enum dde_state { DDE_IDLE, DDE_WORD };

struct dde_match {
	enum dde_state state;
	char word[8];
	unsigned n;
	const char *hit;	/* first field type that matched, or NULL */
	bool raw;		/* scanning raw bytes, not document text */
};

static void
dde_word_end(struct dde_match *m)
{
	if (m->hit == NULL && m->n == 3 && memcmp(m->word, "DDE", 3) == 0)
		m->hit = "DDE field";
	else if (m->hit == NULL && m->n == 7 &&
	    memcmp(m->word, "DDEAUTO", 7) == 0)
		m->hit = "DDEAUTO field";
	m->state = DDE_IDLE;
}

static void
dde_feed(struct dde_match *m, unsigned c)
{
	if (c == 0x13) {
		/* A field whose type is itself computed by a nested field
		   is how DDE keywords get hidden; nothing benign does it. */
		if (m->state == DDE_WORD && m->n == 0 && m->hit == NULL &&
		    !m->raw)
			m->hit = "field type computed by a nested field";
		m->state = DDE_WORD;
		m->n = 0;
		return;
	}
	if (m->state != DDE_WORD)
		return;
	if (m->n == 0 && (c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
	    c == '"' || c == 0xa0))
		return;
	if (m->n < sizeof(m->word) && ((c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z'))) {
		m->word[m->n++] = (char)(c & ~0x20u);
		return;
	}
	dde_word_end(m);
}

/* Best effort over the raw stream, as 8-bit and as UTF-16 text at both
   alignments: catches fields even when the piece table is damaged. Only
   the keywords count here: binary data has stray 0x13 bytes. */
static const char *
dde_raw_scan(const unsigned char *p, size_t len)
{
	struct dde_match m8 = { .raw = true }, m16[2] = { { .raw = true },
	    { .raw = true } };
	size_t i;

	for (i = 0; i < len; i++) {
		dde_feed(&m8, p[i]);
		if (i + 1 < len)
			dde_feed(&m16[i & 1], rd16(p + i));
	}
	if (m8.hit != NULL)
		return m8.hit;
	return m16[0].hit != NULL ? m16[0].hit : m16[1].hit;
}

/* Locate the PlcPcd inside the CLX; returns its length or 0. */
static size_t
clx_plcpcd(const unsigned char *clx, size_t len, const unsigned char **plc)
{
	size_t pos = 0;
	uint32_t lcb;

	while (pos < len) {
		if (clx[pos] == 0x01) {		/* Prc: grpprl of cb bytes */
			if (len - pos < 3)
				return 0;
			pos += 3 + rd16(clx + pos + 1);
		} else if (clx[pos] == 0x02) {	/* Pcdt */
			if (len - pos < 5)
				return 0;
			lcb = rd32(clx + pos + 1);
			if (lcb > len - pos - 5)
				return 0;
			*plc = clx + pos + 5;
			return lcb;
		} else
			return 0;
	}
	return 0;
}

/*
 * Feed the document text, piece by piece, to the matcher. Returns 0,
 * or -1 when the piece table is unusable (the raw scan still runs).
 */
static int
word_text_scan(struct dde_match *m, const unsigned char *wd, size_t wdlen,
    const unsigned char *tbl, size_t tbllen, uint32_t fc, uint32_t lcb)
{
	const unsigned char *plc;
	size_t plclen, n, i, k, budget = 4 * wdlen + 4096;

	if (fc > tbllen || lcb > tbllen - fc || lcb == 0)
		return -1;
	plclen = clx_plcpcd(tbl + fc, lcb, &plc);
	if (plclen < 4 || (plclen - 4) % 12 != 0)
		return -1;
	n = (plclen - 4) / 12;
	for (i = 0; i < n; i++) {
		uint32_t cp0 = rd32(plc + 4 * i), cp1 = rd32(plc + 4 * i + 4);
		uint32_t pfc = rd32(plc + 4 * (n + 1) + 8 * i + 2);
		size_t nch, off, bytes;
		bool comp = (pfc & PCD_COMPRESSED) != 0;

		if (cp1 < cp0)
			return -1;
		nch = cp1 - cp0;
		off = comp ? (pfc & ~PCD_COMPRESSED) / 2 : pfc;
		bytes = comp ? nch : 2 * nch;
		if (nch > budget || off > wdlen || bytes > wdlen - off)
			return -1;
		budget -= nch;
		for (k = 0; k < nch; k++)
			dde_feed(m, comp ? wd[off + k] : rd16(wd + off + 2 * k));
	}
	return 0;
}

/* The FibRgFcLcb97 fcClx/lcbClx pair, found through the FIB's own
   counts rather than fixed offsets. Returns 0 or -1. */
static int
fib_clx(const unsigned char *wd, size_t len, uint32_t *fc, uint32_t *lcb)
{
	size_t pos = 32, csw, cslw, cb;

	if (len < pos + 2)
		return -1;
	csw = rd16(wd + pos);
	pos += 2 + 2 * csw;
	if (len < pos + 2)
		return -1;
	cslw = rd16(wd + pos);
	pos += 2 + 4 * cslw;
	if (len < pos + 2)
		return -1;
	cb = rd16(wd + pos);
	pos += 2;
	if (cb <= FIB_CLX_INDEX || len < pos + 8 * (FIB_CLX_INDEX + 1))
		return -1;
	*fc = rd32(wd + pos + 8 * FIB_CLX_INDEX);
	*lcb = rd32(wd + pos + 8 * FIB_CLX_INDEX + 4);
	return 0;
}

static int
word_dde(struct ole_sink *s, const struct cfb *cfb, const char *loc,
    const unsigned char *wd, size_t len, uint16_t flags)
{
	struct dde_match m = { 0 };
	struct buffer tbl;
	uint32_t tid, fc, lcb;
	const char *hit;

	tid = cfb_find(cfb, 0, (flags & FIB_F_WHICHTBL) ? "1Table" : "0Table");
	if (tid != CFB_NOSTREAM && cfb->entries[tid].type == CFB_STREAM &&
	    fib_clx(wd, len, &fc, &lcb) == 0) {
		if (ole_stream_load(cfb, tid, &tbl) < 0) {
			buffer_free(&tbl);
			return -1;
		}
		(void)word_text_scan(&m, wd, len, tbl.data, tbl.used, fc, lcb);
		buffer_free(&tbl);
	}
	if (m.state == DDE_WORD)
		dde_word_end(&m);
	hit = m.hit != NULL ? m.hit : dde_raw_scan(wd, len);
	if (hit != NULL)
		ole_sink_add(s, "ole.dde", FINDING_BLOCKED, loc, "%s", hit);
	return 0;
}

int
ole_scan_word(struct ole_sink *s, const struct cfb *cfb, uint32_t id)
{
	const char *loc = cfb_path(cfb, id);
	struct buffer b;
	uint16_t ident, nfib, flags;
	int ret = 0;

	if (ole_stream_load(cfb, id, &b) < 0) {
		buffer_free(&b);
		return -1;
	}
	if (b.used < 0x20) {
		ole_sink_add(s, "ole.malformed", FINDING_BLOCKED, loc,
		    "WordDocument stream too short for a FIB");
		goto out;
	}
	ident = rd16(b.data);
	nfib = rd16(b.data + 2);
	flags = rd16(b.data + 0x0a);
	if (flags & (FIB_F_ENCRYPTED | FIB_F_OBFUSCATED)) {
		ole_sink_add(s, "ole.encrypted", FINDING_HELD, loc,
		    "Word document is %s", (flags & FIB_F_OBFUSCATED) ?
		    "XOR-obfuscated" : "encrypted");
		goto out;
	}
	if (ident != FIB_WIDENT_97 || nfib < FIB_NFIB_97) {
		/* Word 6/95 keep WordBasic macros inside this stream, where
		   they cannot be told apart from the text. */
		ole_sink_add(s, "type.unsupported", FINDING_BLOCKED, loc,
		    "Word document older than Word 97 (wIdent 0x%04x nFib %u)",
		    ident, nfib);
		goto out;
	}
	ret = word_dde(s, cfb, loc, b.data, b.used, flags);
out:
	buffer_free(&b);
	return ret;
}

/*
 * Excel: BIFF5/BIFF8 records. The whole stream is walked, not just the
 * globals, because a macro sheet can also be recognised by the BOF of
 * its own substream, which a renamed BOUNDSHEET type does not change.
 */

static const char *
sheet_state(unsigned hs)
{
	switch (hs & 3) {
	case 0:
		return "visible";
	case 1:
		return "hidden";
	default:
		return "very hidden";
	}
}

/* Printable copy of a BOUNDSHEET name (BIFF8 ShortXLUnicodeString or
   BIFF5 byte string); non-ASCII shown as '?'. */
static char *
sheet_name(struct arena *a, const unsigned char *p, size_t len, bool biff8)
{
	char name[256];
	size_t cch, i, w, n = 0;

	if (len < 1)
		return arena_strdup(a, "");
	cch = p[0];
	w = biff8 && len >= 2 && (p[1] & 1) ? 2 : 1;
	p += biff8 ? 2 : 1;
	len -= biff8 ? (len >= 2 ? 2 : 1) : 1;
	for (i = 0; i < cch && (i + 1) * w <= len && n + 1 < sizeof(name); i++) {
		unsigned c = w == 2 ? rd16(p + 2 * i) : p[i];

		name[n++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	name[n] = '\0';
	return arena_strdup(a, name);
}

struct biff_state {
	struct ole_sink *s;
	const char *loc;
	bool biff8, encrypted, reported_xlm_bof, reported_vb_bof;
	bool decrypted;		/* bodies were decrypted with a default key */
};

static void
biff_boundsheet(struct biff_state *st, const unsigned char *p, size_t n)
{
	char *name;

	if (n < 6 || st->encrypted)	/* encrypted bodies hide the type */
		return;
	name = sheet_name(st->s->arena, p + 6, n - 6, st->biff8);
	if (p[5] == 1)
		ole_sink_add(st->s, "ole.xlm", FINDING_BLOCKED, st->loc,
		    "Excel 4.0 macro sheet '%s' (%s)", name ? name : "",
		    sheet_state(p[4]));
	else if (p[5] == 6)
		ole_sink_add(st->s, "ole.vba", FINDING_BLOCKED, st->loc,
		    "VB module sheet '%s' (%s)", name ? name : "",
		    sheet_state(p[4]));
}

static void
biff_bof(struct biff_state *st, const unsigned char *p, size_t n)
{
	uint16_t dt;

	if (n < 4)
		return;
	if (rd16(p) >= 0x0600)
		st->biff8 = true;
	dt = rd16(p + 2);
	if (dt == BIFF_DT_MACRO && !st->reported_xlm_bof) {
		st->reported_xlm_bof = true;
		ole_sink_add(st->s, "ole.xlm", FINDING_BLOCKED, st->loc,
		    "substream of type Excel 4.0 macro sheet");
	} else if (dt == BIFF_DT_VBMOD && !st->reported_vb_bof) {
		st->reported_vb_bof = true;
		ole_sink_add(st->s, "ole.vba", FINDING_BLOCKED, st->loc,
		    "substream of type VB module sheet");
	}
}

/* SUPBOOK: ctab 0 with an ordinary path names a DDE or OLE server. */
static void
biff_supbook(struct biff_state *st, const unsigned char *p, size_t n)
{
	uint16_t ctab, cch;

	if (n < 4 || st->encrypted)
		return;
	ctab = rd16(p);
	cch = rd16(p + 2);
	if (cch == 0x0401 || cch == 0x3a01 || ctab != 0 || cch == 0)
		return;
	ole_sink_add(st->s, "ole.dde", FINDING_BLOCKED, st->loc,
	    "DDE/OLE link (SUPBOOK to a server application)");
}

/* Records whose bodies BIFF8 RC4 leaves in clear [MS-XLS 2.2.10]:
   BOF, FILEPASS, USREXCL, FILELOCK, INTERFACEHDR, RRDINFO, RRDHEAD. */
static bool
biff_clear_record(uint16_t type)
{
	return type == BIFF_BOF || type == BIFF_FILEPASS || type == 0x0194 ||
	    type == 0x0195 || type == 0x00e1 || type == 0x0196 || type == 0x0138;
}

/* Offset just past the FILEPASS record header, with its body length;
   false when the stream has none. */
static bool
biff_find_filepass(const unsigned char *p, size_t len, size_t *off,
    size_t *n)
{
	size_t pos = 0, k;

	while (len - pos >= 4) {
		k = rd16(p + pos + 2);
		if (k > len - pos - 4)
			return false;
		if (rd16(p + pos) == BIFF_FILEPASS) {
			*off = pos + 4;
			*n = k;
			return true;
		}
		pos += 4 + k;
	}
	return false;
}

/* Decrypt, in place, the record bodies that follow FILEPASS. The
   keystream runs over absolute stream offsets, headers included. */
static int
biff_decrypt(const struct ole_biff_key *key, unsigned char *p, size_t len,
    size_t pos)
{
	unsigned char ks[1024];
	uint32_t block = UINT32_MAX;
	size_t n, k, skip;
	uint16_t type;

	while (len - pos >= 4) {
		type = rd16(p + pos);
		n = rd16(p + pos + 2);
		if (n > len - pos - 4)
			break;
		pos += 4;
		skip = biff_clear_record(type) ? n :
		    type == BIFF_BOUNDSHEET ? (n < 4 ? n : 4) : 0;
		for (k = pos + skip; k < pos + n; k++) {
			if (k / 1024 != block) {
				block = (uint32_t)(k / 1024);
				if (ole_crypt_biff_keystream(key, block, ks) < 0)
					return -1;
			}
			p[k] ^= ks[k % 1024];
		}
		pos += n;
	}
	return 0;
}

/* Excel opens a workbook encrypted with "VelvetSweatshop" without
   asking: read such a one in clear so what it hides is found. */
static int
biff_try_default(struct biff_state *st, unsigned char *p, size_t len)
{
	struct ole_biff_key key;
	const char *why;
	size_t off, n;

	if (!st->s->try_default_passwords ||
	    !biff_find_filepass(p, len, &off, &n) ||
	    ole_crypt_biff_unlock(p + off, n, "VelvetSweatshop", &key,
	    &why) != OLE_CRYPT_OK)
		return 0;
	if (biff_decrypt(&key, p, len, off + n) < 0)
		return -1;
	st->decrypted = true;
	return 0;
}

static void
biff_filepass(struct biff_state *st)
{
	if (st->encrypted)
		return;
	if (st->decrypted) {
		/* Still held: the file passes only as it is, encrypted. */
		ole_sink_add(st->s, "ole.encrypted", FINDING_HELD, st->loc,
		    "workbook is encrypted (FILEPASS) with the default "
		    "password VelvetSweatshop; its content was scanned");
		st->decrypted = false;	/* report once */
		return;
	}
	st->encrypted = true;
	ole_sink_add(st->s, "ole.encrypted", FINDING_HELD, st->loc,
	    "workbook is encrypted (FILEPASS)");
}

int
ole_scan_biff(struct ole_sink *s, const struct cfb *cfb, uint32_t id)
{
	struct biff_state st = { .s = s, .loc = cfb_path(cfb, id) };
	struct buffer b;
	size_t pos = 0, n;
	uint16_t type;
	int ret = 0;

	if (ole_stream_load(cfb, id, &b) < 0) {
		buffer_free(&b);
		return -1;
	}
	if (b.used < 4 || rd16(b.data) != BIFF_BOF) {
		ole_sink_add(s, "ole.malformed", FINDING_BLOCKED, st.loc,
		    "workbook stream does not start with a BIFF5/8 BOF");
		goto out;
	}
	if ((ret = biff_try_default(&st, b.data, b.used)) < 0)
		goto out;
	/* Excel reads records until one does not fit: so do we. */
	while (b.used - pos >= 4) {
		const unsigned char *p = b.data + pos + 4;

		type = rd16(b.data + pos);
		n = rd16(b.data + pos + 2);
		if (n > b.used - pos - 4)
			break;
		if (type == BIFF_BOF)
			biff_bof(&st, p, n);
		else if (type == BIFF_FILEPASS)
			biff_filepass(&st);
		else if (type == BIFF_BOUNDSHEET)
			biff_boundsheet(&st, p, n);
		else if (type == BIFF_SUPBOOK)
			biff_supbook(&st, p, n);
		pos += 4 + n;
	}
out:
	buffer_free(&b);
	return ret;
}

/*
 * PowerPoint: the record stream is walked linearly, descending into
 * containers. PowerPoint itself reaches records through the persist
 * directory, so every offset it would follow must land on a record we
 * walked: otherwise an object could hide inside another record's body.
 */

struct ppt_state {
	struct ole_sink *s;
	const char *loc;
	const unsigned char *p;
	size_t len;
	uint8_t *starts;	/* bitmap of record start offsets */
	struct buffer targets;	/* u32 offsets PowerPoint will follow */
	bool vba, object, crypt;
	unsigned stg;
};

static bool
ppt_is_start(const struct ppt_state *st, uint32_t off)
{
	return off < st->len && (st->starts[off / 8] & (1u << (off % 8)));
}

static int
ppt_target(struct ppt_state *st, uint32_t off)
{
	unsigned char b[4] = { off, off >> 8, off >> 16, off >> 24 };

	return buffer_append(&st->targets, b, 4);
}

/* PersistDirectoryAtom: runs of (persistId:20, cPersist:12) + offsets. */
static int
ppt_persist_dir(struct ppt_state *st, const unsigned char *p, size_t n)
{
	size_t pos = 0, k, c;

	while (n - pos >= 4) {
		c = rd32(p + pos) >> 20;
		pos += 4;
		for (k = 0; k < c && n - pos >= 4; k++, pos += 4) {
			if (ppt_target(st, rd32(p + pos)) < 0)
				return -1;
		}
	}
	return 0;
}

static int
ppt_record(struct ppt_state *st, uint16_t type, const unsigned char *p,
    size_t n)
{
	switch (type) {
	case PPT_CRYPTSESSION:
		st->crypt = true;
		break;
	case PPT_VBAINFO:
	case PPT_VBAINFOATOM:
		st->vba = true;
		break;
	case PPT_EXOLEOBJSTG:
		st->stg++;
		break;
	case PPT_EXOLEEMBED:
	case PPT_EXOLELINK:
	case PPT_EXCONTROL:
	case PPT_EXOLEOBJATOM:
		st->object = true;
		break;
	case PPT_PERSISTDIR:
		return ppt_persist_dir(st, p, n);
	case PPT_USEREDIT:
		if (n >= 16) {
			if (rd32(p + 8) != 0 && ppt_target(st, rd32(p + 8)) < 0)
				return -1;
			if (ppt_target(st, rd32(p + 12)) < 0)
				return -1;
		}
		break;
	}
	return 0;
}

/* Container record types that must be descended into even if their
   version nibble was tampered with. */
static bool
ppt_container_type(uint16_t type)
{
	return type == 0x03e8 || type == 0x03ee || type == 0x03f0 ||
	    type == 0x03f8 || type == 0x0409 || type == PPT_VBAINFO ||
	    type == PPT_EXOLEEMBED || type == PPT_EXOLELINK ||
	    type == PPT_EXCONTROL || type == 0x0fc9 ||
	    (type >= 0xf000 && type <= 0xf005) || type == 0xf011;
}

static int
ppt_walk(struct ppt_state *st)
{
	size_t pos = 0, n;
	uint16_t ver, type;

	while (st->len - pos >= 8) {
		ver = rd16(st->p + pos) & 0x0f;
		type = rd16(st->p + pos + 2);
		n = rd32(st->p + pos + 4);
		if (n > st->len - pos - 8)
			return 0;	/* caller sees pos did not reach the end */
		st->starts[pos / 8] |= (uint8_t)(1u << (pos % 8));
		if (ppt_record(st, type, st->p + pos + 8, n) < 0)
			return -1;
		pos += 8;
		if (ver != 0x0f && !ppt_container_type(type))
			pos += n;
	}
	return pos == st->len ? 1 : 0;
}

/* Encryption is announced in the Current User stream's header token. */
static bool
ppt_current_user_crypt(const struct cfb *cfb, uint32_t *edit_r)
{
	uint32_t id = cfb_find(cfb, 0, "Current User");
	struct buffer b;
	bool crypt = false;

	*edit_r = 0xffffffffu;
	if (id == CFB_NOSTREAM || cfb->entries[id].type != CFB_STREAM)
		return false;
	if (ole_stream_load(cfb, id, &b) == 0 && b.used >= 20) {
		crypt = rd32(b.data + 12) == PPT_CURUSER_CRYPT;
		*edit_r = rd32(b.data + 16);
	}
	buffer_free(&b);
	return crypt;
}

static void
ppt_report(struct ppt_state *st)
{
	if (st->vba)
		ole_sink_add(st->s, "ole.vba", FINDING_BLOCKED, st->loc,
		    "VBA project embedded in the presentation (VbaInfo)");
	if (st->object || st->stg > (st->vba ? 1u : 0u))
		ole_sink_add(st->s, "ole.object", FINDING_BLOCKED, st->loc,
		    "embedded or linked OLE object / ActiveX control "
		    "(%u object storages)", st->stg);
}

/* Every offset PowerPoint follows must be a record we walked. */
static bool
ppt_targets_ok(struct ppt_state *st, uint32_t edit)
{
	size_t i;

	if (edit != 0xffffffffu && !ppt_is_start(st, edit))
		return false;
	for (i = 0; i + 4 <= st->targets.used; i += 4) {
		if (!ppt_is_start(st, rd32(st->targets.data + i)))
			return false;
	}
	return true;
}

int
ole_scan_ppt(struct ole_sink *s, const struct cfb *cfb, uint32_t id)
{
	struct ppt_state st = { .s = s, .loc = cfb_path(cfb, id) };
	struct buffer b;
	uint32_t edit;
	int ret = 0, walked;

	if (ppt_current_user_crypt(cfb, &edit) ||
	    cfb_find(cfb, 0, "EncryptedSummary") != CFB_NOSTREAM) {
		ole_sink_add(s, "ole.encrypted", FINDING_HELD, st.loc,
		    "presentation is encrypted");
		return 0;
	}
	if (ole_stream_load(cfb, id, &b) < 0) {
		buffer_free(&b);
		return -1;
	}
	buffer_init(&st.targets, b.used + 64);
	st.p = b.data;
	st.len = b.used;
	st.starts = arena_alloc(s->arena, b.used / 8 + 1);
	if (st.starts == NULL || (walked = ppt_walk(&st)) < 0) {
		ret = -1;
		goto out;
	}
	if (st.crypt)
		ole_sink_add(s, "ole.encrypted", FINDING_HELD, st.loc,
		    "presentation is encrypted (CryptSession10Container)");
	else if (walked == 0 || !ppt_targets_ok(&st, edit))
		ole_sink_add(s, "ole.malformed", FINDING_BLOCKED, st.loc,
		    "PowerPoint record stream %s", walked == 0 ?
		    "has a record that overruns the stream" :
		    "has an offset that is not a record");
	ppt_report(&st);
out:
	buffer_free(&st.targets);
	buffer_free(&b);
	return ret;
}
