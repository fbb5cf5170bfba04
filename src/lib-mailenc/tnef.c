/*
 * tnef - a small strict TNEF reader (MS-OXTNEF) with the compressed-RTF
 * decoder of MS-OXRTFCP.
 *
 * Why not libytnef (Debian libytnef0, the usual choice): fuzzed for 60
 * seconds from this project's seeds it leaked memory in DecompressRTF
 * on malformed input, it printf()s "ERROR: ..." to stdout on every bad
 * stream even with Debug off (a library must not print; the worker's
 * stdout is not a log), it takes no limits and callocs whatever size
 * the stream claims with int arithmetic, and it has a CVE history of
 * exactly those bugs. What sanso needs from TNEF is small: the
 * attachments' names and bytes and the bodies. This reader never
 * copies attachment data (it points into the input), checks every
 * length against the bytes left before using it, and bounds what it
 * allocates by lim.
 *
 * Stream: signature 0x223E9F78, a 16-bit legacy key, then attributes
 * (level u8, id u32, length u32, data, checksum u16 = sum of the data
 * bytes). attAttachRendData opens an attachment; attMAPIProps and
 * attAttachment hold MAPI property lists.
 */
#include <stdint.h>
#include <string.h>
#include <zlib.h>

#include "sizeops.h"
#include "tnef.h"

#define TNEF_SIGNATURE		0x223E9F78u

#define LVL_MESSAGE		1
#define LVL_ATTACHMENT		2

/* Attributes by their low 16 bits: writers disagree on the type half. */
#define ATT_BODY		0x800C
#define ATT_ATTACH_DATA		0x800F
#define ATT_ATTACH_TITLE	0x8010
#define ATT_ATTACH_TRANSPORT	0x9001
#define ATT_ATTACH_RENDDATA	0x9002
#define ATT_MAPI_PROPS		0x9003
#define ATT_ATTACHMENT		0x9005

#define PT_STRING8		0x001E
#define PT_UNICODE		0x001F
#define PT_BINARY		0x0102
#define PT_OBJECT		0x000D
#define PT_SVREID		0x00FB
#define MV_FLAG			0x1000

#define PR_BODY			0x1000
#define PR_RTF_COMPRESSED	0x1009
#define PR_HTML			0x1013
#define PR_DISPLAY_NAME		0x3001
#define PR_ATTACH_DATA		0x3701
#define PR_ATTACH_FILENAME	0x3704
#define PR_ATTACH_LONG_FILENAME	0x3707

#define LZFU_MAGIC		0x75465A4Cu	/* "LZFu" */
#define MELA_MAGIC		0x414C454Du	/* "MELA": stored */

/* {00020307-0000-0000-C000-000000000046} as stored. */
static const unsigned char iid_imessage[16] = {
	0x07, 0x03, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
	0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46
};

/* MS-OXRTFCP 2.1.2.1: the dictionary's initial content. */
static const char rtf_prebuf[] =
    "{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman "
    "\\fswiss \\fmodern \\fscript \\fdecor MS Sans SerifSymbolArialTimes "
    "New RomanCourier{\\colortbl\\red0\\green0\\blue0\r\n\\par "
    "\\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx";

/* One property value: bytes in the input and the property type. */
struct pval {
	const unsigned char *p;
	size_t len;
	uint16_t type;
	bool set;
};

/* The properties sanso reads, from one property list. */
struct props {
	struct pval body, rtf, html;
	struct pval data, filename, long_name, display;
};

/* The attachment being read. */
struct att {
	bool open;
	struct pval title, data, transport;
	struct props mapi;
};

struct tctx {
	struct arena *a;
	const struct limits *lim;
	struct tnef_result *res;
	struct tnef_file **tail;
};

static int tnef_stream(struct tctx *c, const unsigned char *in, size_t len,
    unsigned depth);

/* Something was dropped at a limit: say which, first one wins. */
static void
limit_hit(struct tnef_result *res, const char *code)
{
	if (!res->limit_hit)
		res->limit_code = code;
	res->limit_hit = true;
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

/* ------------------------------------------------------------ LZFu */

/* MS-OXRTFCP's CRC: the CRC-32 table, started at 0, no final xor. */
static uint32_t
rtf_crc(const unsigned char *p, size_t n)
{
	return ~(uint32_t)crc32(0xFFFFFFFFUL, p, (uInt)n);
}

int
tnef_rtf_decompress(struct arena *a, const struct limits *lim,
    const unsigned char *in, size_t len, const unsigned char **out_r,
    size_t *out_len_r, bool *limit_r)
{
	unsigned char dict[4096], *out;
	const unsigned char *d;
	uint32_t comp, raw, magic, crc;
	size_t dlen, i = 0, o = 0, w, k, n, off;
	unsigned bit, ctl;

	*out_r = NULL;
	*out_len_r = 0;
	*limit_r = false;
	if (len < 16)
		return 1;
	comp = le32(in);
	raw = le32(in + 4);
	magic = le32(in + 8);
	crc = le32(in + 12);
	/* comp counts the bytes after itself: 12 of header, then data. */
	if (comp < 12 || comp > len - 4)
		return 1;
	d = in + 16;
	dlen = comp - 12;
	if (raw > lim->file_size) {
		*limit_r = true;
		return 1;
	}
	if (magic == MELA_MAGIC) {
		if (raw > dlen || (out = arena_alloc(a, raw + 1)) == NULL)
			return raw > dlen ? 1 : -1;
		memcpy(out, d, raw);
		*out_r = out;
		*out_len_r = raw;
		return 0;
	}
	if (magic != LZFU_MAGIC || rtf_crc(d, dlen) != crc)
		return 1;
	/* 17 bytes of input (a control byte, 8 references) give at most
	   8 * 17 bytes: a larger raw size is a lie, and we must not
	   reserve memory for it. */
	if ((uint64_t)raw * 2 > (uint64_t)dlen * 17)
		return 1;
	if ((out = arena_alloc(a, (size_t)raw + 1)) == NULL)
		return -1;
	memcpy(dict, rtf_prebuf, sizeof(rtf_prebuf) - 1);
	w = sizeof(rtf_prebuf) - 1;
	/* Stop at the end marker (a reference to the write position) or
	   when raw bytes are out, as Outlook and libytnef do. */
	while (i < dlen && o < raw) {
		ctl = d[i++];
		for (bit = 0; bit < 8 && i < dlen && o < raw; bit++) {
			if (!(ctl & (1u << bit))) {
				out[o++] = dict[w] = d[i++];
				w = (w + 1) & 4095;
				continue;
			}
			if (dlen - i < 2)
				return 1;
			off = (size_t)(d[i] << 4 | d[i + 1] >> 4);
			n = (size_t)(d[i + 1] & 15) + 2;
			i += 2;
			if (off == w)
				goto done;
			/* Byte by byte: a reference may overlap the bytes
			   it is producing (a run). */
			for (k = 0; k < n && o < raw; k++) {
				out[o++] = dict[w] = dict[(off + k) & 4095];
				w = (w + 1) & 4095;
			}
		}
	}
done:
	if (o != raw)
		return 1;
	*out_r = out;
	*out_len_r = o;
	return 0;
}

/* ------------------------------------------------------ MAPI props */

/* Bytes of one fixed-size value in a TNEF property list (16-bit
   values are padded to 4); 0 for variable-size types, -1 unknown. */
static int
fixed_size(uint16_t type)
{
	switch (type) {
	case 0x0001:	/* PtypNull */
	case 0x0002:	/* PtypInteger16 */
	case 0x0003:	/* PtypInteger32 */
	case 0x0004:	/* PtypFloating32 */
	case 0x000A:	/* PtypErrorCode */
	case 0x000B:	/* PtypBoolean */
		return 4;
	case 0x0005:	/* PtypFloating64 */
	case 0x0006:	/* PtypCurrency */
	case 0x0007:	/* PtypFloatingTime */
	case 0x0014:	/* PtypInteger64 */
	case 0x0040:	/* PtypTime */
		return 8;
	case 0x0048:	/* PtypGuid */
		return 16;
	case PT_STRING8:
	case PT_UNICODE:
	case PT_BINARY:
	case PT_OBJECT:
	case PT_SVREID:
		return 0;
	default:
		return -1;
	}
}

static struct pval *
prop_slot(struct props *ps, uint16_t id)
{
	switch (id) {
	case PR_BODY:
		return &ps->body;
	case PR_RTF_COMPRESSED:
		return &ps->rtf;
	case PR_HTML:
		return &ps->html;
	case PR_ATTACH_DATA:
		return &ps->data;
	case PR_ATTACH_FILENAME:
		return &ps->filename;
	case PR_ATTACH_LONG_FILENAME:
		return &ps->long_name;
	case PR_DISPLAY_NAME:
		return &ps->display;
	default:
		return NULL;
	}
}

/* Read a property list (MS-OXTNEF 2.1.3.5) and keep the values sanso
   uses. Returns false when the list is malformed; what was read before
   the fault is kept. */
static bool
props_parse(const unsigned char *p, size_t n, struct props *ps)
{
	size_t off = 4, vlen, pad, j;
	uint32_t count, i, vcount, kind;
	uint16_t type, base, id;
	struct pval *slot;
	bool ok = true;
	int fs;

#define NEED(k) do { if (n - off < (size_t)(k)) return false; } while (0)
	if (n < 4)
		return false;
	count = le32(p);
	for (i = 0; i < count; i++) {
		NEED(4);
		type = le16(p + off);
		id = le16(p + off + 2);
		off += 4;
		if (id >= 0x8000) {
			/* Named property: GUID, kind, then an id or a name. */
			NEED(20);
			kind = le32(p + off + 16);
			off += 20;
			NEED(4);
			if (kind == 1) {
				vlen = le32(p + off);
				off += 4;
				pad = (4 - vlen % 4) % 4;
				NEED(vlen);
				off += vlen;
				NEED(pad);
				off += pad;
			} else if (kind == 0)
				off += 4;
			else
				return false;
		}
		base = type & (uint16_t)~MV_FLAG;
		if ((fs = fixed_size(base)) < 0)
			return false;
		vcount = 1;
		if ((type & MV_FLAG) || fs == 0) {
			NEED(4);
			vcount = le32(p + off);
			off += 4;
			/* Every value takes 4 bytes at least. */
			if (vcount > (n - off) / 4)
				return false;
		}
		slot = (type & MV_FLAG) ? NULL : prop_slot(ps, id);
		for (j = 0; j < vcount; j++) {
			const unsigned char *v;

			if (fs == 0) {
				NEED(4);
				vlen = le32(p + off);
				off += 4;
				NEED(vlen);
				v = p + off;
				off += vlen;
				pad = (4 - vlen % 4) % 4;
				if (n - off < pad) {
					/* Last value without its padding:
					   keep it, report the list. */
					ok = false;
					pad = n - off;
				}
				off += pad;
			} else {
				NEED(fs);
				v = p + off;
				vlen = (size_t)fs;
				off += vlen;
			}
			if (slot == NULL || j > 0)
				continue;
			if (slot->set) {
				ok = false;	/* twice: keep the first */
				continue;
			}
			*slot = (struct pval){ .p = v, .len = vlen,
			    .type = base, .set = true };
		}
	}
#undef NEED
	return ok;
}

/* --------------------------------------------------------- strings */

/* UTF-16LE up to its NUL unit, as UTF-8 in the arena; bad surrogates
   become U+FFFD. */
static char *
utf16_to_utf8(struct arena *a, const unsigned char *p, size_t n)
{
	size_t units = n / 2, i, o = 0, cap;
	uint32_t u, lo;
	char *out;

	if (size_mul(units, 3, &cap) < 0 || size_add(cap, 1, &cap) < 0 ||
	    (out = arena_alloc(a, cap)) == NULL)
		return NULL;
	for (i = 0; i < units; i++) {
		u = le16(p + 2 * i);
		if (u == 0)
			break;
		if (u >= 0xD800 && u < 0xDC00 && i + 1 < units &&
		    (lo = le16(p + 2 * i + 2)) >= 0xDC00 && lo < 0xE000) {
			u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
			i++;
		} else if (u >= 0xD800 && u < 0xE000)
			u = 0xFFFD;
		if (u < 0x80)
			out[o++] = (char)u;
		else if (u < 0x800) {
			out[o++] = (char)(0xC0 | u >> 6);
			out[o++] = (char)(0x80 | (u & 0x3F));
		} else if (u < 0x10000) {
			out[o++] = (char)(0xE0 | u >> 12);
			out[o++] = (char)(0x80 | (u >> 6 & 0x3F));
			out[o++] = (char)(0x80 | (u & 0x3F));
		} else {
			/* Two units in, four bytes out: within cap. */
			out[o++] = (char)(0xF0 | u >> 18);
			out[o++] = (char)(0x80 | (u >> 12 & 0x3F));
			out[o++] = (char)(0x80 | (u >> 6 & 0x3F));
			out[o++] = (char)(0x80 | (u & 0x3F));
		}
	}
	out[o] = '\0';
	return out;
}

/* A string value as a C string: UTF-8 from Unicode, else the raw bytes
   up to the first NUL. *out NULL when v is not a string; returns -1 on
   arena exhaustion. */
static int
pval_string(struct arena *a, const struct pval *v, const char **out)
{
	*out = NULL;
	if (!v->set || (v->type != PT_STRING8 && v->type != PT_UNICODE))
		return 0;
	if (v->type == PT_UNICODE)
		*out = utf16_to_utf8(a, v->p, v->len);
	else
		*out = arena_strndup(a, (const char *)v->p, v->len);
	return *out == NULL ? -1 : 0;
}

/* ----------------------------------------------------- attachments */

/* Add one file to the result, or note the limit. */
static int
add_file(struct tctx *c, const char *name, const unsigned char *data,
    size_t len)
{
	struct tnef_file *f;

	if (c->res->count >= c->lim->mime_parts) {
		limit_hit(c->res, "limit.mime_parts");
		return 0;
	}
	if ((f = arena_alloc(c->a, sizeof(*f))) == NULL)
		return -1;
	f->name = name;
	f->data = len > 0 ? data : NULL;
	f->len = len;
	*c->tail = f;
	c->tail = &f->next;
	c->res->count++;
	return 0;
}

/* The attachment is complete: emit its file, and read an embedded
   message's own TNEF (its attachments join the list). */
static int
att_close(struct tctx *c, struct att *t, unsigned depth)
{
	const struct pval *names[] = { &t->mapi.long_name, &t->title,
	    &t->mapi.filename, &t->mapi.display, &t->transport };
	const unsigned char *data = NULL, *obj = NULL;
	const char *name = NULL;
	size_t len = 0, objlen = 0, i;
	bool embedded = false;

	if (!t->open)
		return 0;
	t->open = false;
	for (i = 0; i < sizeof(names) / sizeof(names[0]) && name == NULL;
	    i++) {
		if (names[i] == &t->title || names[i] == &t->transport) {
			/* Legacy attributes: a NUL-terminated string. */
			if (names[i]->set && (name = arena_strndup(c->a,
			    (const char *)names[i]->p, names[i]->len)) == NULL)
				return -1;
		} else if (pval_string(c->a, names[i], &name) < 0)
			return -1;
		if (name != NULL && name[0] == '\0')
			name = NULL;
	}
	if (name == NULL && (name = arena_strdup(c->a, "")) == NULL)
		return -1;

	if (t->mapi.data.set && t->mapi.data.type == PT_OBJECT) {
		if (t->mapi.data.len < 16)
			c->res->malformed = true;
		else {
			obj = t->mapi.data.p + 16;
			objlen = t->mapi.data.len - 16;
			embedded = memcmp(t->mapi.data.p, iid_imessage,
			    16) == 0;
		}
	}
	if (t->data.set) {
		data = t->data.p;
		len = t->data.len;
		/* Two different contents for one attachment: a client may
		   show either. We return one and say the stream is odd. */
		if (t->mapi.data.set && t->mapi.data.type == PT_BINARY &&
		    (t->mapi.data.len != len ||
		    memcmp(t->mapi.data.p, data, len) != 0))
			c->res->malformed = true;
	} else if (t->mapi.data.set && t->mapi.data.type == PT_BINARY) {
		data = t->mapi.data.p;
		len = t->mapi.data.len;
	} else if (obj != NULL && !embedded) {
		data = obj;	/* an OLE storage: the file engine reads it */
		len = objlen;
	}
	if (!embedded || t->data.set) {
		if (add_file(c, name, data, len) < 0)
			return -1;
	}
	if (embedded) {
		if (depth + 1 >= c->lim->mime_depth) {
			limit_hit(c->res, "limit.mime_depth");
			return 0;
		}
		return tnef_stream(c, obj, objlen, depth + 1);
	}
	return 0;
}

/* ---------------------------------------------------------- bodies */

/* The message's bodies, from its property list and attBody. */
static int
message_bodies(struct tctx *c, const struct props *mp, const struct pval *ab)
{
	struct tnef_result *res = c->res;
	const unsigned char *rtf;
	size_t rtf_len;
	bool limit;
	int r;

	if (pval_string(c->a, &mp->body, &res->body_text) < 0)
		return -1;
	if (res->body_text == NULL && ab->set &&
	    (res->body_text = arena_strndup(c->a, (const char *)ab->p,
	    ab->len)) == NULL)
		return -1;
	if (mp->rtf.set) {
		if (mp->rtf.type != PT_BINARY)
			res->malformed = true;
		else if ((r = tnef_rtf_decompress(c->a, c->lim, mp->rtf.p,
		    mp->rtf.len, &rtf, &rtf_len, &limit)) < 0)
			return -1;
		else if (r > 0) {
			if (limit)
				limit_hit(res, "limit.file_size");
			else
				res->malformed = true;
		} else {
			res->body_rtf = rtf;
			res->body_rtf_len = rtf_len;
		}
	}
	if (mp->html.set) {
		if (mp->html.type == PT_UNICODE) {
			const char *s;

			if ((s = utf16_to_utf8(c->a, mp->html.p,
			    mp->html.len)) == NULL)
				return -1;
			res->body_html = (const unsigned char *)s;
			res->body_html_len = strlen(s);
		} else if (mp->html.type == PT_BINARY ||
		    mp->html.type == PT_STRING8) {
			res->body_html = mp->html.p;
			res->body_html_len = mp->html.len;
		} else
			res->malformed = true;
	}
	return 0;
}

/* ---------------------------------------------------------- stream */

/* Read one TNEF stream; depth > 0 for embedded messages, whose bodies
   are not returned. */
static int
tnef_stream(struct tctx *c, const unsigned char *in, size_t len,
    unsigned depth)
{
	struct props mp;
	struct pval abody = { 0 };
	struct att t;
	size_t pos = 6, alen, k;
	uint32_t aid;
	uint16_t sum;
	const unsigned char *d;
	unsigned level;

	memset(&mp, 0, sizeof(mp));
	memset(&t, 0, sizeof(t));
	if (len < 6 || le32(in) != TNEF_SIGNATURE) {
		c->res->malformed = true;
		return 0;
	}
	while (pos < len) {
		/* level, id, length, then data and a 16-bit checksum. */
		if (len - pos < 11 || le32(in + pos + 5) > len - pos - 11) {
			c->res->malformed = true;	/* truncated */
			break;
		}
		level = in[pos];
		aid = le32(in + pos + 1) & 0xFFFF;
		alen = le32(in + pos + 5);
		d = in + pos + 9;
		for (sum = 0, k = 0; k < alen; k++)
			sum = (uint16_t)(sum + d[k]);
		if (sum != le16(d + alen))
			c->res->malformed = true;	/* kept: fail wide */
		pos += 11 + alen;

		if (level == LVL_MESSAGE) {
			if (aid == ATT_BODY && !abody.set)
				abody = (struct pval){ .p = d, .len = alen,
				    .type = PT_STRING8, .set = true };
			else if (aid == ATT_MAPI_PROPS &&
			    !props_parse(d, alen, &mp))
				c->res->malformed = true;
			continue;
		}
		if (level != LVL_ATTACHMENT) {
			c->res->malformed = true;
			continue;
		}
		if (aid == ATT_ATTACH_RENDDATA) {
			if (att_close(c, &t, depth) < 0)
				return -1;
			memset(&t, 0, sizeof(t));
		}
		/* An attribute before any attAttachRendData opens one. */
		t.open = true;
		switch (aid) {
		case ATT_ATTACH_TITLE:
			if (!t.title.set)
				t.title = (struct pval){ .p = d, .len = alen,
				    .set = true };
			break;
		case ATT_ATTACH_TRANSPORT:
			if (!t.transport.set)
				t.transport = (struct pval){ .p = d,
				    .len = alen, .set = true };
			break;
		case ATT_ATTACH_DATA:
			if (t.data.set)
				c->res->malformed = true;
			else
				t.data = (struct pval){ .p = d, .len = alen,
				    .set = true };
			break;
		case ATT_ATTACHMENT:
			if (!props_parse(d, alen, &t.mapi))
				c->res->malformed = true;
			break;
		default:
			break;
		}
	}
	if (att_close(c, &t, depth) < 0)
		return -1;
	if (depth == 0)
		return message_bodies(c, &mp, &abody);
	return 0;
}

int
tnef_unpack(struct arena *a, const struct limits *lim,
    const unsigned char *in, size_t len, struct tnef_result *res)
{
	struct tctx c = { .a = a, .lim = lim, .res = res };

	memset(res, 0, sizeof(*res));
	c.tail = &res->files;
	if (len > lim->file_size) {
		limit_hit(res, "limit.file_size");
		return 0;
	}
	return tnef_stream(&c, in, len, 0);
}
