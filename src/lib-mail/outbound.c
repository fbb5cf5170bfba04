/*
 * outbound - see outbound.h. The message is read three ways: its raw
 * top-level header fields (our own splitter, because the To/Cc rewrite
 * must leave every other byte alone), its MIME tree (GMime, with the
 * part headers read again by mimeparam so that every file name any
 * reading gives is looked at), and the attachments' own bytes (libzip,
 * libxml2 through ooxml_xml, the CFB reader, MuPDF, libcrypto's CMS
 * parser). Where a reading fails and the answer could depend on it, the
 * message is held: a label that could not be read must not let
 * 機密性3 data leave.
 *
 * PDF Info is read with MuPDF rather than by scanning the bytes: Info
 * lives in compressed object streams in PDF 1.5+ files (Word's and
 * LibreOffice's exports among them), its strings may be UTF-16 with
 * escapes, and in a PDF encrypted with only an owner password they are
 * encrypted too. MuPDF is already linked into the worker for the file
 * engine and runs here under a memory cap of its own.
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gmime/gmime.h>
#include <mupdf/fitz.h>
#include <mupdf/pdf.h>
#include <openssl/cms.h>
#include <openssl/objects.h>
#include <zip.h>

#include "charset.h"
#include "encword.h"
#include "filetype.h"
#include "mimeparam.h"
#include "ole_cdr.h"
#include "mimepart.h"
#include "ooxml_xml.h"
#include "outbound.h"
#include "pdf_mem.h"
#include "sizeops.h"
#include "tnef.h"

#define OB_MAX_NAMES	8	/* file names kept per part */
#define OB_MAX_LABELS	64	/* outbound.label findings per message */
#define OB_SHOW_MAX	160	/* bytes of a name shown in a reason */
#define OB_PDF_STORE	(4u << 20)	/* MuPDF's resource cache */

/* One top-level header field, as written. */
struct ob_field {
	const char *name;	/* NUL-terminated copy */
	size_t start, end;	/* in[start..end): the field with its line ends */
	size_t colon;		/* offset of the ':' */
	const char *value;	/* NUL-terminated copy of the folded value */
	size_t value_len;
};

struct ob_hdr {
	struct ob_field *f;
	unsigned n;
	size_t end;		/* offset of the empty line, or len */
	const char *eol;	/* "\r\n" or "\n", as the message writes it */
};

struct ob {
	struct cdr_ctx *ctx;
	const struct outbound_options *o;
	struct report *r;
	const struct limits *lim;
	char header[sizeof(((struct outbound_options *)0)->header) + 1];
	/* Labels. */
	unsigned level;		/* highest level found, 0 when none */
	char level_label[OUTBOUND_LABEL_SIZE];	/* "機密性3A" */
	const char *level_where;
	unsigned nlabels;
	/* What the MIME walk saw (attachments of attached messages are
	   looked at for labels only: the attached message itself counts). */
	unsigned natt, nplain;	/* attachments, those not encrypted */
	const char *first_plain;
	unsigned body_plain, body_enc;	/* text parts in clear / encrypted */
	unsigned parts;
	unsigned warned;	/* GMime warning codes already seen */
	bool held;		/* cannot decide: held */
	bool named;		/* r->name is the Subject */
	bool stop;		/* read no further (limit) */
};

static const char *
header_name_or_default(const struct ob *b)
{
	return b->header[0] != '\0' ? b->header : "X-Classification";
}

/* ---- findings ---- */

static void
ob_hold(struct ob *b, const char *code, const char *where, const char *why)
{
	report_add(b->r, code, FINDING_HELD, where,
	    "メールを読み取れないため判定できません。保留しました（%s） / "
	    "the message cannot be read well enough to decide: held (%s)",
	    why, why);
	b->held = true;
}

/* A copy of s fit for a reason line: control characters replaced, cut
   at a character boundary after OB_SHOW_MAX bytes. */
static const char *
ob_show(struct ob *b, const char *s)
{
	char buf[OB_SHOW_MAX + 8];
	size_t i, n = 0;

	if (s == NULL || *s == '\0')
		return "(名前なし / no name)";
	for (i = 0; s[i] != '\0' && n < OB_SHOW_MAX; i++) {
		unsigned char c = (unsigned char)s[i];

		buf[n++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	if (s[i] != '\0') {
		/* Back to the start of the cut character. */
		while (n > 0 && ((unsigned char)buf[n - 1] & 0xc0) == 0x80)
			n--;
		if (n > 0 && (unsigned char)buf[n - 1] >= 0xc0)
			n--;
		memcpy(buf + n, "...", 3);
		n += 3;
	}
	buf[n] = '\0';
	s = arena_strdup(b->ctx->arena, buf);
	return s != NULL ? s : "?";
}

/* ---- labels ---- */

/* The next code point of s[*pos..len), with full-width ASCII folded to
   ASCII, U+3000 to a space and ASCII letters to lower case; invalid
   UTF-8 gives U+FFFD for one byte. */
static unsigned
cp_next(const unsigned char *s, size_t len, size_t *pos)
{
	unsigned c = s[*pos], cp, n, i;

	if (c < 0x80) {
		(*pos)++;
		return c >= 'A' && c <= 'Z' ? c + 32 : c;
	}
	if (c >= 0xc2 && c <= 0xdf)
		n = 1, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		n = 2, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 3, cp = c & 0x07;
	else {
		(*pos)++;
		return 0xfffd;
	}
	if (*pos + n >= len) {
		(*pos)++;
		return 0xfffd;
	}
	for (i = 1; i <= n; i++) {
		if ((s[*pos + i] & 0xc0) != 0x80) {
			(*pos)++;
			return 0xfffd;
		}
		cp = cp << 6 | (s[*pos + i] & 0x3f);
	}
	*pos += n + 1;
	if (cp == 0x3000)
		return ' ';
	if (cp >= 0xff01 && cp <= 0xff5e) {
		cp -= 0xfee0;
		return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
	}
	return cp;
}

/* What may stand around a tag: ASCII other than letters and digits,
   CJK symbols and punctuation (【】「」、。…), half-width brackets and
   the middle dot. 0 stands for the start or the end. */
static bool
cp_delim(unsigned cp)
{
	if (cp == 0)
		return true;
	if (cp < 0x80)
		return !((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') ||
		    (cp >= 'A' && cp <= 'Z'));
	return (cp >= 0x3000 && cp <= 0x303f) || (cp >= 0xff5f &&
	    cp <= 0xff65) || cp == 0x30fb || (cp >= 0x2010 && cp <= 0x206f);
}

/* Does s[pos..) start with the code points of word (ASCII lower case or
   UTF-8)? *after gets the position behind it. */
static bool
cp_word(const unsigned char *s, size_t len, size_t pos, const char *word,
    size_t *after)
{
	const unsigned char *w = (const unsigned char *)word;
	size_t wlen = strlen(word), wp = 0;

	while (wp < wlen) {
		if (pos >= len || cp_next(s, len, &pos) != cp_next(w, wlen,
		    &wp))
			return false;
	}
	*after = pos;
	return true;
}

/* A level at s[pos..): separators, one digit, an optional A-C, and
   (when strict) a delimiter or the end after it. */
static unsigned
cp_level_at(const unsigned char *s, size_t len, size_t pos, bool strict,
    char *letter)
{
	size_t p = pos, q;
	unsigned cp = 0, d;

	*letter = '\0';
	while (p < len) {
		q = p;
		cp = cp_next(s, len, &q);
		if (cp != ' ' && cp != ':' && cp != '-' && cp != '_' &&
		    cp != '\t')
			break;
		p = q;
	}
	if (p >= len)
		return 0;
	cp = cp_next(s, len, &p);
	if (cp < '1' || cp > '3')
		return 0;
	d = cp - '0';
	cp = p < len ? cp_next(s, len, &(size_t){ p }) : 0;
	if (cp >= 'a' && cp <= 'c') {
		*letter = (char)(cp - 32);
		(void)cp_next(s, len, &p);
		cp = p < len ? cp_next(s, len, &(size_t){ p }) : 0;
	}
	if (strict && !cp_delim(cp))
		return 0;
	if (!strict && cp != 0 && !cp_delim(cp)) {
		*letter = '\0';
		return 0;
	}
	return d;
}

unsigned
outbound_level(const char *str, size_t len, bool tag_only, char *label_r)
{
	static const char *const prefixes[] = { "機密性", "機密",
	    "confidentiality", "confidential", "classification", NULL };
	const unsigned char *s = (const unsigned char *)str;
	size_t pos = 0, start, after, end;
	unsigned best = 0, d, prev = 0, cp, i;
	char letter, best_letter = '\0';

	while (pos < len) {
		start = pos;
		cp = cp_next(s, len, &pos);
		/* 機密性 is a word of its own; an ASCII word needs a
		   delimiter before it ("nonconfidential2" is no tag). */
		d = 0;
		if (cp_word(s, len, start, "機密性", &after) ||
		    (cp_delim(prev) && cp_word(s, len, start, "confidential",
		    &after)))
			d = cp_level_at(s, len, after, true, &letter);
		if (d > best || (d == best && d > 0 && letter > best_letter)) {
			best = d;
			best_letter = letter;
		}
		prev = cp;
	}
	if (best == 0 && !tag_only) {
		/* The whole value is the level: "3A", "２", "confidential2",
		   "機密3". */
		while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' ||
		    s[len - 1] == '\r' || s[len - 1] == '\n'))
			len--;
		pos = 0;
		while (pos < len) {
			start = pos;
			if (cp_next(s, len, &start) != ' ')
				break;
			pos = start;
		}
		for (i = 0; prefixes[i] != NULL; i++)
			if (cp_word(s, len, pos, prefixes[i], &end)) {
				pos = end;
				break;
			}
		best = cp_level_at(s, len, pos, false, &best_letter);
	}
	if (label_r != NULL) {
		if (best > 0)
			snprintf(label_r, OUTBOUND_LABEL_SIZE, "機密性%u%s", best,
			    best_letter != '\0' ? (char[2]){ best_letter, 0 } :
			    "");
		else
			label_r[0] = '\0';
	}
	return best;
}

/* Record a label found at where. */
static void
ob_label(struct ob *b, unsigned level, const char *label, const char *where)
{
	if (b->nlabels++ < OB_MAX_LABELS)
		report_add(b->r, "outbound.label", FINDING_REPORTED, where,
		    "%s", label);
	if (level > b->level) {
		b->level = level;
		snprintf(b->level_label, sizeof(b->level_label), "%s", label);
		b->level_where = where;
	}
}

/* Look at text for a label; where is copied only when one is found. */
static void
ob_text(struct ob *b, const char *s, size_t len, bool tag_only,
    const char *where)
{
	char label[OUTBOUND_LABEL_SIZE];
	unsigned level = outbound_level(s, len, tag_only, label);

	if (level > 0)
		ob_label(b, level, label, arena_strdup(b->ctx->arena, where));
}

/* ---- the raw top-level header ---- */

static bool
name_char(unsigned char c)
{
	return c > 32 && c < 127 && c != ':';
}

/* Split the header section into fields. Returns 0 (fields filled, or
   b->held with a finding when the section is malformed or too big), -1
   when the arena runs out. */
static int
hdr_split(struct ob *b, const unsigned char *in, size_t len, struct ob_hdr *h)
{
	size_t pos = 0, cap = 0, nl, line_end, content_end, colon, nend;
	struct ob_field *f, *nf;

	memset(h, 0, sizeof(*h));
	h->eol = "\n";
	h->end = len;
	while (pos < len) {
		const unsigned char *p = memchr(in + pos, '\n', len - pos);

		nl = p != NULL ? (size_t)(p - in) : len;
		line_end = p != NULL ? nl + 1 : len;
		content_end = nl > pos && in[nl - 1] == '\r' && p != NULL ?
		    nl - 1 : nl;
		if (pos == 0 && p != NULL && content_end < nl)
			h->eol = "\r\n";
		if (content_end == pos) {
			h->end = pos;
			break;
		}
		if (pos > b->lim->header_bytes)
			break;
		if (memchr(in + pos, '\0', line_end - pos) != NULL) {
			ob_hold(b, "mime.malformed", NULL,
			    "NUL in the header / NUL バイト");
			return 0;
		}
		if (in[pos] == ' ' || in[pos] == '\t') {
			if (h->n == 0) {
				ob_hold(b, "mime.malformed", NULL,
				    "header starts with a continuation line");
				return 0;
			}
			h->f[h->n - 1].end = line_end;
			pos = line_end;
			continue;
		}
		for (colon = pos; colon < content_end && in[colon] != ':';
		    colon++)
			;
		for (nend = colon; nend > pos && (in[nend - 1] == ' ' ||
		    in[nend - 1] == '\t'); nend--)
			;
		if (colon == content_end || nend == pos) {
			ob_hold(b, "mime.malformed", NULL,
			    "header line without a field name");
			return 0;
		}
		for (size_t i = pos; i < nend; i++)
			if (!name_char(in[i])) {
				ob_hold(b, "mime.malformed", NULL,
				    "invalid header field name");
				return 0;
			}
		if (h->n == cap) {
			cap = cap == 0 ? 32 : cap * 2;
			nf = arena_alloc(b->ctx->arena, cap * sizeof(*nf));
			if (nf == NULL)
				return -1;
			if (h->n > 0)
				memcpy(nf, h->f, h->n * sizeof(*nf));
			h->f = nf;
		}
		f = &h->f[h->n++];
		f->start = pos;
		f->end = line_end;
		f->name = arena_strndup(b->ctx->arena, (const char *)in + pos,
		    nend - pos);
		f->colon = colon;
		if (f->name == NULL)
			return -1;
		pos = line_end;
	}
	if (pos < len && h->end == len) {
		/* Stopped at the limit, not at the end of the header. */
		h->end = pos;
	}
	if (h->end > b->lim->header_bytes) {
		report_add(b->r, "limit.header_bytes", FINDING_HELD, NULL,
		    "ヘッダが大きすぎるため判定できません。保留しました / "
		    "header section over limits.header_bytes: held");
		b->held = true;
		return 0;
	}
	/* Values: from after the colon to the end of the last line of the
	   field, without that line's end. */
	for (unsigned i = 0; i < h->n; i++) {
		size_t vs = (f = &h->f[i])->colon + 1, ve = f->end;

		if (ve > vs && in[ve - 1] == '\n')
			ve--;
		if (ve > vs && in[ve - 1] == '\r')
			ve--;
		f->value = arena_strndup(b->ctx->arena, (const char *)in + vs,
		    ve - vs);
		f->value_len = ve - vs;
		if (f->value == NULL)
			return -1;
	}
	return 0;
}

/* Decode an unstructured value (RFC 2047, raw 8-bit) to UTF-8 in the
   arena. */
static const char *
decode_text(struct ob *b, const char *raw, size_t len, size_t *len_r)
{
	struct buffer buf;
	const char *s;
	size_t skip = 0;

	buffer_init(&buf, b->lim->header_bytes + 4096);
	if (encword_decode_text(raw, len, &buf, NULL) < 0) {
		buffer_free(&buf);
		return NULL;
	}
	/* Without the blanks around the value. */
	while (buf.used > 0 && (buf.data[buf.used - 1] == ' ' ||
	    buf.data[buf.used - 1] == '\t'))
		buf.used--;
	while (skip < buf.used && (buf.data[skip] == ' ' ||
	    buf.data[skip] == '\t'))
		skip++;
	s = arena_strndup(b->ctx->arena, buf.data != NULL ?
	    (const char *)buf.data + skip : "", buf.used - skip);
	*len_r = buf.used - skip;
	buffer_free(&buf);
	return s;
}

/* A label header or Subject value (of the message or an attached one). */
static int
ob_header_label(struct ob *b, const char *name, const char *raw, size_t len,
    const char *prefix)
{
	const char *v;
	char where[128], label[OUTBOUND_LABEL_SIZE];
	size_t vlen;
	unsigned level;
	bool subject = strcasecmp(name, "Subject") == 0;

	if (!subject && strcasecmp(name, header_name_or_default(b)) != 0)
		return 0;
	if (len > b->lim->header_bytes) {
		/* Only an attached message's header can get here. */
		report_add(b->r, "limit.header_bytes", FINDING_HELD, prefix,
		    "ヘッダが大きすぎるため判定できません。保留しました / "
		    "a header over limits.header_bytes: held");
		b->held = true;
		return 0;
	}
	v = decode_text(b, raw, len, &vlen);
	if (v == NULL)
		return -1;
	/* The subject names the message in reports and the quarantine. */
	if (subject && prefix[0] == '\0' && !b->named) {
		b->r->name = v;
		b->named = true;
	}
	snprintf(where, sizeof(where), "%s%s%s", prefix, subject ? "Subject" :
	    "header ", subject ? "" : header_name_or_default(b));
	level = outbound_level(v, vlen, subject, label);
	if (level > 0)
		ob_label(b, level, label, arena_strdup(b->ctx->arena, where));
	else if (!subject && strspn(v, " \t") < vlen &&
	    b->nlabels++ < OB_MAX_LABELS)
		/* Not a level we know: noted, no rule applies. */
		report_add(b->r, "outbound.label", FINDING_REPORTED,
		    arena_strdup(b->ctx->arena, where),
		    "レベルではない値 %s / unrecognised value %s: no level",
		    ob_show(b, v), ob_show(b, v));
	return 0;
}

/* First token of a value, lower case, comments and blanks skipped. */
static bool
value_token_is(const char *v, const char *want)
{
	size_t n = strlen(want);

	while (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n')
		v++;
	return strncasecmp(v, want, n) == 0 && (v[n] == '\0' ||
	    v[n] == ' ' || v[n] == '\t' || v[n] == ';' || v[n] == '(' ||
	    v[n] == '\r' || v[n] == '\n');
}

/* The marker of an automatically forwarded message this field is, or
   NULL. */
static const char *
forward_marker(const struct ob_field *f)
{
	if (strcasecmp(f->name, "Auto-Submitted") == 0 &&
	    value_token_is(f->value, "auto-forwarded"))
		return "Auto-Submitted: auto-forwarded";
	if (strncasecmp(f->name, "Resent-", 7) == 0)
		return f->name;
	if (strcasecmp(f->name, "X-Autoforwarded") == 0 &&
	    value_token_is(f->value, "true"))
		return "X-Autoforwarded: true";
	if (strcasecmp(f->name, "X-MS-Exchange-Inbox-Rules-Loop") == 0)
		return "X-MS-Exchange-Inbox-Rules-Loop";
	if (strcasecmp(f->name,
	    "X-MS-Exchange-Generated-Message-Source") == 0 &&
	    strcasestr(f->value, "Mailbox Rules Agent") != NULL)
		return "X-MS-Exchange-Generated-Message-Source: Mailbox Rules Agent";
	if (strcasecmp(f->name, "X-Forwarded-To") == 0 ||
	    strcasecmp(f->name, "X-Forwarded-For") == 0)
		return f->name;
	return NULL;
}

/* ---- attachments: zip, OOXML properties ---- */

/* Read one zip entry whole, bounded by the limits. Returns 1 with
   *data_r (malloc'd, NUL-terminated), 0 when held (finding added), -1
   on memory failure. */
static int
zip_read_entry(struct ob *b, zip_t *za, zip_int64_t idx, const char *where,
    unsigned char **data_r, size_t *len_r)
{
	zip_stat_t st;
	zip_file_t *zf;
	unsigned char *data;
	zip_int64_t n;
	size_t got = 0;

	*data_r = NULL;
	zip_stat_init(&st);
	if (zip_stat_index(za, (zip_uint64_t)idx, 0, &st) < 0 ||
	    (st.valid & (ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE)) !=
	    (ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE)) {
		ob_hold(b, "ooxml.malformed", where, "unreadable entry");
		return 0;
	}
	if (st.size > b->lim->file_size || st.size > SIZE_MAX - 1) {
		report_add(b->r, "limit.file_size", FINDING_HELD, where,
		    "文書のプロパティが大きすぎます。保留しました / "
		    "document properties over limits.file_size: held");
		b->held = true;
		return 0;
	}
	/* A zip bomb in a property part would cost memory, not time: the
	   size is declared, and checked again while reading. */
	if (st.size > 65536 && st.size / (st.comp_size + 1) >=
	    b->lim->archive_ratio) {
		report_add(b->r, "limit.archive_ratio", FINDING_HELD, where,
		    "文書のプロパティの圧縮率が高すぎます。保留しました / "
		    "document properties over limits.archive_ratio: held");
		b->held = true;
		return 0;
	}
	data = malloc((size_t)st.size + 1);
	if (data == NULL)
		return -1;
	zf = zip_fopen_index(za, (zip_uint64_t)idx, 0);
	if (zf == NULL) {
		free(data);
		ob_hold(b, "ooxml.malformed", where, "entry cannot be opened");
		return 0;
	}
	while (got < st.size && (n = zip_fread(zf, data + got,
	    st.size - got)) > 0)
		got += (size_t)n;
	/* zip_fclose reports a CRC mismatch. */
	if (zip_fclose(zf) != 0 || got != st.size) {
		free(data);
		ob_hold(b, "ooxml.malformed", where, "entry is corrupt");
		return 0;
	}
	data[got] = '\0';
	*data_r = data;
	*len_r = got;
	return 1;
}

static xmlDocPtr
ob_xml(struct ob *b, const unsigned char *data, size_t len, const char *where,
    bool *nomem)
{
	struct ooxml_xml_quiet q;
	enum ooxml_xml_status st;
	xmlDocPtr doc;

	ooxml_xml_init();
	ooxml_xml_quiet(&q);
	doc = ooxml_xml_parse(data, len, b->lim, &st);
	ooxml_xml_unquiet(&q);
	*nomem = st == OOXML_XML_NOMEM;
	if (doc != NULL || *nomem)
		return doc;
	if (st == OOXML_XML_DEPTH)
		report_add(b->r, "limit.xml_depth", FINDING_HELD, where,
		    "XML の入れ子が深すぎます。保留しました / "
		    "XML nested deeper than limits.xml_depth: held");
	else if (st == OOXML_XML_NODES)
		report_add(b->r, "limit.xml_nodes", FINDING_HELD, where,
		    "XML の要素が多すぎます。保留しました / "
		    "more XML elements than limits.xml_nodes: held");
	else {
		ob_hold(b, "ooxml.malformed", where, "XML cannot be parsed");
		return NULL;
	}
	b->held = true;
	return NULL;
}

static bool
has_class_word(const char *s)
{
	return s != NULL && (strstr(s, "機密性") != NULL ||
	    strcasestr(s, "classification") != NULL);
}

/* docProps/custom.xml: properties named or valued 機密性 /
   classification. docProps/core.xml: title, subject, keywords, category,
   description carry tags like a subject. */
static int
ooxml_props(struct ob *b, zip_t *za, const char *att, bool custom)
{
	const char *part = custom ? "docProps/custom.xml" : "docProps/core.xml";
	char where[OB_SHOW_MAX + 64];
	unsigned char *data;
	size_t len;
	zip_int64_t idx;
	xmlDocPtr doc;
	xmlNodePtr root, n;
	bool nomem;
	int rc;

	idx = zip_name_locate(za, part, ZIP_FL_NOCASE);
	if (idx < 0)
		return 0;
	snprintf(where, sizeof(where), "%s %s", ob_show(b, att), part);
	rc = zip_read_entry(b, za, idx, where, &data, &len);
	if (rc <= 0)
		return rc;
	doc = ob_xml(b, data, len, where, &nomem);
	free(data);
	if (doc == NULL)
		return nomem ? -1 : 0;
	root = xmlDocGetRootElement(doc);
	for (n = root; n != NULL; n = ooxml_xml_next(n, root, false)) {
		xmlChar *text;
		const char *pname = NULL;

		if (custom && !ooxml_xml_is(n, "property"))
			continue;
		if (!custom && !ooxml_xml_is(n, "title") &&
		    !ooxml_xml_is(n, "subject") && !ooxml_xml_is(n, "keywords") &&
		    !ooxml_xml_is(n, "category") &&
		    !ooxml_xml_is(n, "description"))
			continue;
		text = xmlNodeGetContent(n);
		if (text == NULL)
			continue;
		if (custom) {
			pname = ooxml_xml_plain_attr(n, "name");
			if (has_class_word(pname) ||
			    has_class_word((const char *)text)) {
				char label[OUTBOUND_LABEL_SIZE];
				unsigned level = outbound_level(
				    (const char *)text, strlen((const char *)
				    text), false, label);

				snprintf(where, sizeof(where), "%s %s %s",
				    ob_show(b, att), part, ob_show(b, pname));
				if (level > 0)
					ob_label(b, level, label,
					    arena_strdup(b->ctx->arena, where));
			}
		} else {
			snprintf(where, sizeof(where), "%s %s %s",
			    ob_show(b, att), part, (const char *)n->name);
			ob_text(b, (const char *)text, strlen((const char *)text),
			    true, where);
		}
		xmlFree(text);
	}
	xmlFreeDoc(doc);
	return 0;
}

/* A zip member name as UTF-8: as stored when valid UTF-8, else CP932
   (what Japanese Windows writes without the UTF-8 flag). */
static const char *
zip_name_utf8(struct ob *b, const char *raw)
{
	struct buffer buf;
	const char *s;
	size_t n = strlen(raw);

	if (charset_is_utf8((const unsigned char *)raw, n))
		return raw;
	buffer_init(&buf, n * 4 + 16);
	if (charset_to_utf8("shift_jis", (const unsigned char *)raw, n, &buf,
	    NULL) < 0) {
		buffer_free(&buf);
		return raw;
	}
	s = arena_strndup(b->ctx->arena, (const char *)buf.data, buf.used);
	buffer_free(&buf);
	return s != NULL ? s : raw;
}

/* A zip: encrypted when every file in it is; member names are labels;
   an OOXML package's properties are read. Returns 1 encrypted, 0 not,
   -1 on memory failure. */
static int
ob_zip(struct ob *b, const char *att, const unsigned char *data, size_t len)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *za;
	zip_int64_t n, i;
	unsigned files = 0, enc = 0;
	bool ooxml = false;
	char where[2 * OB_SHOW_MAX + 8];
	int ret = 0;

	zip_error_init(&ze);
	src = zip_source_buffer_create(data, len, 0, &ze);
	if (src == NULL) {
		zip_error_fini(&ze);
		return -1;
	}
	za = zip_open_from_source(src, ZIP_RDONLY, &ze);
	zip_error_fini(&ze);
	if (za == NULL) {
		zip_source_free(src);
		ob_hold(b, "archive.malformed", ob_show(b, att),
		    "zip cannot be read");
		return 0;
	}
	n = zip_get_num_entries(za, 0);
	if (n < 0 || (uint64_t)n > b->lim->archive_entries) {
		report_add(b->r, "limit.archive_entries", FINDING_HELD,
		    ob_show(b, att), "zip のファイル数が多すぎます。保留しました"
		    " / more members than limits.archive_entries: held");
		b->held = true;
		goto out;
	}
	for (i = 0; i < n; i++) {
		zip_stat_t st;
		const char *name;
		size_t nlen;

		zip_stat_init(&st);
		if (zip_stat_index(za, (zip_uint64_t)i, ZIP_FL_ENC_RAW,
		    &st) < 0 || (st.valid & ZIP_STAT_NAME) == 0) {
			ob_hold(b, "archive.malformed", ob_show(b, att),
			    "zip member cannot be read");
			goto out;
		}
		nlen = strlen(st.name);
		if (strcasecmp(st.name, "[Content_Types].xml") == 0)
			ooxml = true;
		if (nlen > 0 && st.name[nlen - 1] == '/')
			continue;	/* a folder has no data to protect */
		files++;
		if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) != 0 &&
		    st.encryption_method != ZIP_EM_NONE)
			enc++;
		name = zip_name_utf8(b, st.name);
		snprintf(where, sizeof(where), "%s/%s", ob_show(b, att),
		    ob_show(b, name));
		ob_text(b, name, strlen(name), true, where);
	}
	ret = files > 0 && enc == files ? 1 : 0;
	if (ooxml && ret == 0 && (ooxml_props(b, za, att, true) < 0 ||
	    ooxml_props(b, za, att, false) < 0))
		ret = -1;
out:
	zip_discard(za);
	return ret;
}

/* ---- attachments: PDF through MuPDF ---- */


struct pdf_info {
	bool needs_password;
	bool foreign_crypt;	/* certificate or DRM security handler */
	const char *text[3];	/* Title, Subject, Keywords (arena) */
	char error[128];
};

static void
pdf_read_info(fz_context *fz, struct arena *arena, const unsigned char *data,
    size_t len, struct pdf_info *pi)
{
	static const char *const keys[3] = { "Title", "Subject", "Keywords" };
	fz_stream *stm = NULL;
	pdf_document *doc = NULL;
	unsigned i;

	fz_var(stm);
	fz_var(doc);
	fz_try(fz) {
		pdf_obj *info;

		stm = fz_open_memory(fz, data, len);
		doc = pdf_open_document_with_stream(fz, stm);
		if (pdf_needs_password(fz, doc))
			pi->needs_password = true;
		else {
			info = pdf_dict_get(fz, pdf_trailer(fz, doc),
			    PDF_NAME(Info));
			for (i = 0; i < 3; i++) {
				pdf_obj *v = pdf_dict_gets(fz, info, keys[i]);

				if (pdf_is_string(fz, v))
					pi->text[i] = arena_strdup(arena,
					    pdf_to_text_string(fz, v));
			}
		}
	}
	fz_always(fz) {
		pdf_drop_document(fz, doc);
		fz_drop_stream(fz, stm);
	}
	fz_catch(fz) {
		const char *msg = fz_caught_message(fz);

		if (strncmp(msg, "unknown encryption handler", 26) == 0)
			pi->foreign_crypt = true;
		else
			snprintf(pi->error, sizeof(pi->error), "%s",
			    msg[0] != '\0' ? msg : "cannot be opened");
	}
}

/* A PDF: encrypted when it needs a password to open (a PDF with only an
   owner password opens for anyone, so it does not count); Info's Title,
   Subject and Keywords are labels. A file whose "%PDF-" is not at the
   start (maybe_text) and that MuPDF cannot open is taken for what it
   more likely is, a text mentioning PDF. Returns 1 encrypted, 0 not, -1
   on internal failure. */
static int
ob_pdf(struct ob *b, const char *att, const unsigned char *data, size_t len,
    bool maybe_text)
{
	static const char *const keys[3] = { "Title", "Subject", "Keywords" };
	struct pdf_mem mem = { (size_t)(b->lim->job_memory / 4), 0, false };
	struct pdf_info pi;
	fz_context *fz;
	char where[OB_SHOW_MAX + 32];
	unsigned i;

	memset(&pi, 0, sizeof(pi));
	fz = pdf_mem_context(&mem, OB_PDF_STORE, NULL, NULL);
	if (fz == NULL) {
		report_set_error(b->r, "pdf: cannot create a MuPDF context");
		return -1;
	}
	pdf_read_info(fz, b->ctx->arena, data, len, &pi);
	fz_drop_context(fz);
	if (pi.needs_password || pi.foreign_crypt)
		return 1;
	if (pi.error[0] != '\0' && !mem.hit && maybe_text)
		return 0;
	if (mem.hit || pi.error[0] != '\0') {
		ob_hold(b, "pdf.malformed", ob_show(b, att), mem.hit ?
		    "PDF needs too much memory" : "PDF cannot be read");
		return 0;
	}
	for (i = 0; i < 3; i++) {
		if (pi.text[i] == NULL)
			continue;
		snprintf(where, sizeof(where), "%s PDF Info %s", ob_show(b, att),
		    keys[i]);
		ob_text(b, pi.text[i], strlen(pi.text[i]), true, where);
	}
	return 0;
}

/* ---- attachments: other encrypted forms ---- */

/* OpenPGP: an ASCII-armoured message, or binary packets that start with
   a public-key or symmetric-key encrypted session key (RFC 4880 5.1,
   5.3) of a known version. */
static bool
is_pgp(const unsigned char *d, size_t len)
{
	size_t i = 0, hl;
	unsigned tag, ver;

	while (i < len && i < 1024 && (d[i] == ' ' || d[i] == '\t' ||
	    d[i] == '\r' || d[i] == '\n'))
		i++;
	if (len - i >= 27 && memcmp(d + i, "-----BEGIN PGP MESSAGE-----",
	    27) == 0)
		return true;
	if (len < 8 || (d[0] & 0x80) == 0)
		return false;
	if ((d[0] & 0x40) != 0) {
		tag = d[0] & 0x3f;
		hl = d[1] < 192 ? 2 : d[1] < 224 ? 3 : d[1] == 255 ? 6 : 0;
	} else {
		static const size_t lens[4] = { 2, 3, 5, 1 };

		tag = (d[0] >> 2) & 0x0f;
		hl = lens[d[0] & 3];
	}
	if (hl == 0 || hl >= len)
		return false;
	ver = d[hl];
	return (tag == 1 && (ver == 3 || ver == 6)) ||
	    (tag == 3 && (ver == 4 || ver == 5 || ver == 6));
}

/* S/MIME: the CMS content type of DER/BER data, NID_undef if none. */
static int
cms_type(const unsigned char *d, size_t len)
{
	const unsigned char *p = d;
	CMS_ContentInfo *ci;
	int nid;

	if (len < 16 || d[0] != 0x30 || len > LONG_MAX)
		return NID_undef;
	ci = d2i_CMS_ContentInfo(NULL, &p, (long)len);
	if (ci == NULL)
		return NID_undef;
	nid = OBJ_obj2nid(CMS_get0_type(ci));
	CMS_ContentInfo_free(ci);
	return nid;
}

static bool
cms_enveloped(const unsigned char *d, size_t len)
{
	int nid = cms_type(d, len);

	return nid == NID_pkcs7_enveloped ||
	    nid == NID_id_smime_ct_authEnvelopedData;
}

/* An OLE2 compound file: encrypted OOXML that does not open with the
   well-known default password, or a Word/Excel/PowerPoint binary the
   OLE module holds as encrypted. Returns 1, 0, or -1. */
static int ob_zip(struct ob *b, const char *att, const unsigned char *data,
    size_t len);

static int
ob_ole(struct ob *b, const char *att, const unsigned char *data, size_t len)
{
	enum file_type t = ole_detect(data, len);
	struct cdr_options opts = *b->ctx->opts;
	struct cdr_ctx sub = *b->ctx;
	struct report *tmp;
	struct buffer plain;
	int rc;

	opts.try_default_passwords = true;
	sub.opts = &opts;
	sub.inspect = true;
	if (t != FT_OOXML_ENCRYPTED && t != FT_DOC && t != FT_XLS &&
	    t != FT_PPT)
		return 0;
	tmp = report_new(b->ctx->arena, NULL);
	if (tmp == NULL)
		return -1;
	if (t == FT_OOXML_ENCRYPTED) {
		/* "VelvetSweatshop" opens without asking: no protection. */
		buffer_init(&plain, b->lim->output_size);
		rc = ole_decrypt_default(&sub, tmp, data, len, &plain);
		if (rc == 1) {
			/* Opened: its labels are readable, and it counts as
			   not encrypted. */
			rc = ob_zip(b, att, plain.data, plain.used);
			buffer_free(&plain);
			return rc < 0 ? -1 : 0;
		}
		buffer_free(&plain);
		if (rc < 0) {
			report_set_error(b->r, "%s", tmp->error != NULL ?
			    tmp->error : "ole: internal failure");
			return -1;
		}
		return !report_has_code(tmp, "ole.malformed");
	}
	buffer_init(&plain, 0);
	rc = ole_cdr(&sub, tmp, t, data, len, &plain);
	buffer_free(&plain);
	if (rc < 0) {
		report_set_error(b->r, "%s", tmp->error != NULL ? tmp->error :
		    "ole: internal failure");
		return -1;
	}
	for (const struct report_finding *f = tmp->findings; f != NULL;
	    f = f->next)
		if (strcmp(f->code, "ole.encrypted") == 0 &&
		    f->action == FINDING_HELD)
			return 1;
	return 0;
}

/* Where "%PDF-" starts within the first 1024 bytes (as readers look
   for it), or -1. */
static long
pdf_offset(const unsigned char *d, size_t len)
{
	size_t n = len < 1024 ? len : 1024;
	const unsigned char *p = n >= 5 ? memmem(d, n, "%PDF-", 5) : NULL;

	return p != NULL ? (long)(p - d) : -1;
}

/* One attachment: its names and bytes. Counted unless labels_only (the
   attachments of an attached message, which counts as one). Returns 0
   or -1. */
static int
ob_attachment(struct ob *b, const char *const *names, unsigned nnames,
    const unsigned char *data, size_t len, bool labels_only)
{
	const char *name = nnames > 0 ? names[0] : "";
	char where[OB_SHOW_MAX + 32];
	unsigned i;
	long pdf_off;
	int enc = 0;

	for (i = 0; i < nnames; i++) {
		snprintf(where, sizeof(where), "attachment name %s",
		    ob_show(b, names[i]));
		ob_text(b, names[i], strlen(names[i]), true, where);
	}
	if (len >= 4 && memcmp(data, "PK", 2) == 0 && ((data[2] == 3 &&
	    data[3] == 4) || (data[2] == 5 && data[3] == 6)))
		enc = ob_zip(b, name, data, len);
	else if (len >= 8 && memcmp(data, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
	    8) == 0)
		enc = ob_ole(b, name, data, len);
	else if ((pdf_off = pdf_offset(data, len)) >= 0)
		enc = ob_pdf(b, name, data, len, pdf_off > 0);
	else
		enc = is_pgp(data, len) || cms_enveloped(data, len);
	if (enc < 0)
		return -1;
	if (labels_only)
		return 0;
	b->natt++;
	if (enc == 0 && b->nplain++ == 0)
		b->first_plain = ob_show(b, name);
	return 0;
}

/* ---- the MIME walk ---- */

struct ob_part {
	const char *type;	/* first Content-Type token, "" if none */
	const char *disp;	/* first Content-Disposition token */
	const char *smime_type;
	const char *names[OB_MAX_NAMES];
	unsigned nnames;
	bool cid;
	bool conflict;		/* two Content-Types that disagree */
	bool too_long;		/* a Content-* header over header_bytes */
};

static void
part_add_name(struct ob *b, struct ob_part *p, const char *name)
{
	unsigned i;

	if (name == NULL || *name == '\0')
		return;
	for (i = 0; i < p->nnames; i++)
		if (strcmp(p->names[i], name) == 0)
			return;
	if (p->nnames < OB_MAX_NAMES)
		p->names[p->nnames++] = name;
}

static int
part_read(struct ob *b, GMimeObject *obj, struct ob_part *p)
{
	GMimeHeaderList *hl = g_mime_object_get_header_list(obj);
	int i, count = hl != NULL ? g_mime_header_list_get_count(hl) : 0;

	memset(p, 0, sizeof(*p));
	p->type = "";
	p->disp = "";
	for (i = 0; i < count; i++) {
		GMimeHeader *h = g_mime_header_list_get_header_at(hl, i);
		const char *name = g_mime_header_get_name(h);
		const char *raw = g_mime_header_get_raw_value(h);
		const struct mime_param *mp;
		struct mime_value v;
		bool ct;

		if (name == NULL || raw == NULL)
			continue;
		if (strcasecmp(name, "Content-ID") == 0) {
			p->cid = true;
			continue;
		}
		ct = strcasecmp(name, "Content-Type") == 0;
		if (!ct && strcasecmp(name, "Content-Disposition") != 0)
			continue;
		if (strlen(raw) > b->lim->header_bytes) {
			p->too_long = true;
			continue;
		}
		if (mimeparam_parse(b->ctx->arena, raw, strlen(raw), &v) < 0)
			return -1;
		for (mp = v.params; mp != NULL; mp = mp->next)
			if (strcmp(mp->name, ct ? "name" : "filename") == 0)
				part_add_name(b, p, mp->value);
		if (ct) {
			if (p->type[0] == '\0') {
				p->type = v.token;
				p->smime_type = mimeparam_first(&v, "smime-type");
			} else if (strcmp(p->type, v.token) != 0)
				p->conflict = true;
		} else if (p->disp[0] == '\0')
			p->disp = v.token;
	}
	if (GMIME_IS_PART(obj))
		part_add_name(b, p, arena_strdup(b->ctx->arena,
		    g_mime_part_get_filename(GMIME_PART(obj))));
	return 0;
}

/* The decoded content of a leaf, copied into the arena. */
static int
part_bytes(struct ob *b, GMimePart *part, const unsigned char **data_r,
    size_t *len_r)
{
	return mimepart_bytes(b->ctx->arena, part, data_r, len_r) < 0 ? -1 : 0;
}

static void
walk_warning(gint64 offset, GMimeParserWarning code, const gchar *item,
    gpointer user_data)
{
	struct ob *b = user_data;
	const char *why;

	switch (code) {
	case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY:
		why = "multipart without a boundary";
		break;
	case GMIME_CRIT_NESTING_OVERFLOW:
		why = "MIME nested deeper than the parser allows";
		b->stop = true;
		break;
	case GMIME_CRIT_INVALID_HEADER_NAME:
		why = "invalid header name in a part";
		break;
	case GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT:
		why = "part without headers or content";
		break;
	case GMIME_CRIT_CONFLICTING_HEADER:
	case GMIME_CRIT_CONFLICTING_PARAMETER:
		why = "conflicting MIME headers or parameters";
		break;
	default:
		return;	/* the rest does not change what we read */
	}
	if (code < 32 && (b->warned & (1u << code)) != 0)
		return;
	if (code < 32)
		b->warned |= 1u << code;
	ob_hold(b, "mime.malformed", NULL, why);
}

static int walk_object(struct ob *b, GMimeObject *obj, unsigned depth,
    bool top, bool related, bool labels_only);

static bool
type_is(const char *t, const char *want)
{
	return strcmp(t, want) == 0;
}

/* An encrypted entity in body position makes the text encrypted; one
   sent as a file is an encrypted attachment. */
static void
count_encrypted(struct ob *b, const struct ob_part *p, bool top,
    bool labels_only)
{
	if (labels_only)
		return;
	if (top || strcmp(p->disp, "attachment") != 0)
		b->body_enc++;
	else
		b->natt++;
}

/* The labels of an attached (or forwarded inline) message's header. */
static int
walk_message_header(struct ob *b, GMimeMessage *m)
{
	GMimeHeaderList *hl = g_mime_object_get_header_list(GMIME_OBJECT(m));
	int i, count = hl != NULL ? g_mime_header_list_get_count(hl) : 0;

	for (i = 0; i < count; i++) {
		GMimeHeader *h = g_mime_header_list_get_header_at(hl, i);
		const char *name = g_mime_header_get_name(h);
		const char *raw = g_mime_header_get_raw_value(h);

		if (name != NULL && raw != NULL && ob_header_label(b, name, raw,
		    strlen(raw), "attached message ") < 0)
			return -1;
	}
	return 0;
}

/* Opaque S/MIME signed data: the signed entity is inside. */
static int
walk_smime_signed(struct ob *b, const unsigned char *data, size_t len,
    unsigned depth, bool top, bool labels_only)
{
	const unsigned char *p = data;
	CMS_ContentInfo *ci;
	ASN1_OCTET_STRING **content;
	GMimeStream *s;
	GMimeParser *parser;
	GMimeObject *inner;
	int ret = 0;

	if (len > LONG_MAX)
		return 0;
	ci = d2i_CMS_ContentInfo(NULL, &p, (long)len);
	content = ci != NULL ? CMS_get0_content(ci) : NULL;
	if (content == NULL || *content == NULL) {
		if (ci != NULL)
			CMS_ContentInfo_free(ci);
		ob_hold(b, "mime.malformed", NULL,
		    "S/MIME signed data cannot be read");
		return 0;
	}
	s = g_mime_stream_mem_new_with_buffer(
	    (const char *)ASN1_STRING_get0_data(*content),
	    (size_t)ASN1_STRING_length(*content));
	parser = g_mime_parser_new_with_stream(s);
	inner = g_mime_parser_construct_part(parser, NULL);
	if (inner != NULL) {
		ret = walk_object(b, inner, depth + 1, top, false, labels_only);
		g_object_unref(inner);
	} else
		ob_hold(b, "mime.malformed", NULL,
		    "S/MIME signed content is not a MIME entity");
	g_object_unref(parser);
	g_object_unref(s);
	CMS_ContentInfo_free(ci);
	return ret;
}

static bool
blank(const unsigned char *d, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (d[i] != ' ' && d[i] != '\t' && d[i] != '\r' && d[i] != '\n')
			return false;
	return true;
}

static int
walk_leaf(struct ob *b, GMimeObject *obj, const struct ob_part *p,
    unsigned depth, bool top, bool related, bool labels_only)
{
	const char *type = p->type[0] != '\0' ? p->type : "text/plain";
	const unsigned char *data;
	size_t len;
	bool text = type_is(type, "text/plain") || type_is(type, "text/html");

	if (type_is(type, "application/pgp-signature") ||
	    type_is(type, "application/pkcs7-signature") ||
	    type_is(type, "application/x-pkcs7-signature") ||
	    type_is(type, "application/pgp-encrypted"))
		return 0;	/* a signature, or PGP/MIME's version part */
	if (part_bytes(b, GMIME_PART(obj), &data, &len) < 0)
		return -1;
	if (type_is(type, "application/pkcs7-mime") ||
	    type_is(type, "application/x-pkcs7-mime")) {
		int nid = cms_type(data, len);

		if (nid == NID_pkcs7_enveloped ||
		    nid == NID_id_smime_ct_authEnvelopedData) {
			for (unsigned i = 0; i < p->nnames; i++)
				ob_text(b, p->names[i], strlen(p->names[i]),
				    true, "attachment name");
			count_encrypted(b, p, top, labels_only);
			return 0;
		}
		if (nid == NID_pkcs7_signed)
			return walk_smime_signed(b, data, len, depth, top,
			    labels_only);
	}
	if (type_is(type, "application/ms-tnef") ||
	    type_is(type, "application/vnd.ms-tnef") || (p->nnames > 0 &&
	    strcasecmp(p->names[0], "winmail.dat") == 0)) {
		struct tnef_result tr;
		struct tnef_file *f;

		memset(&tr, 0, sizeof(tr));
		if (tnef_unpack(b->ctx->arena, b->lim, data, len, &tr) < 0)
			return -1;
		if (tr.malformed || tr.limit_hit) {
			ob_hold(b, "mail.tnef", "winmail.dat",
			    "TNEF cannot be unpacked");
			return 0;
		}
		for (f = tr.files; f != NULL; f = f->next) {
			const char *n = zip_name_utf8(b, f->name);

			if (ob_attachment(b, &n, 1, f->data, f->len,
			    labels_only) < 0)
				return -1;
		}
		return 0;
	}
	/* Text without a name or attachment disposition is the body;
	   an image the HTML shows inline (multipart/related, Content-ID)
	   is part of it too. */
	if ((text && p->nnames == 0 && strcmp(p->disp, "attachment") != 0) ||
	    (related && p->cid && strncmp(type, "image/", 6) == 0 &&
	    strcmp(p->disp, "attachment") != 0)) {
		for (unsigned i = 0; i < p->nnames; i++)
			ob_text(b, p->names[i], strlen(p->names[i]), true,
			    "inline image name");
		if (!text || labels_only || blank(data, len))
			return 0;
		if (memmem(data, len, "-----BEGIN PGP MESSAGE-----", 27) !=
		    NULL)
			b->body_enc++;
		else
			b->body_plain++;
		return 0;
	}
	return ob_attachment(b, p->names, p->nnames, data, len, labels_only);
}

static int
walk_multipart(struct ob *b, GMimeObject *obj, const struct ob_part *p,
    unsigned depth, bool top, bool labels_only)
{
	GMimeMultipart *mp = GMIME_MULTIPART(obj);
	int i, count = g_mime_multipart_get_count(mp);
	bool related = type_is(p->type, "multipart/related");

	if (GMIME_IS_MULTIPART_ENCRYPTED(obj) && count >= 2) {
		GMimeObject *c = g_mime_multipart_get_part(mp,
		    GMIME_MULTIPART_ENCRYPTED_CONTENT);
		const unsigned char *data;
		size_t len;

		if (GMIME_IS_PART(c)) {
			if (part_bytes(b, GMIME_PART(c), &data, &len) < 0)
				return -1;
			if (is_pgp(data, len)) {
				count_encrypted(b, p, top, labels_only);
				return 0;
			}
		}
		/* Not what it says it is: read it as it is. */
	}
	for (i = 0; i < count && !b->stop; i++) {
		if (GMIME_IS_MULTIPART_SIGNED(obj) && i == 1)
			continue;	/* the signature */
		if (walk_object(b, g_mime_multipart_get_part(mp, i), depth + 1,
		    top && (GMIME_IS_MULTIPART_SIGNED(obj) || count == 1),
		    related, labels_only) < 0)
			return -1;
	}
	return 0;
}

static int
walk_object(struct ob *b, GMimeObject *obj, unsigned depth, bool top,
    bool related, bool labels_only)
{
	struct ob_part p;

	if (b->stop)
		return 0;
	if (++b->parts > b->lim->mime_parts) {
		report_add(b->r, "limit.mime_parts", FINDING_HELD, NULL,
		    "MIME パートが多すぎるため判定できません。保留しました / "
		    "more parts than limits.mime_parts: held");
		b->held = b->stop = true;
		return 0;
	}
	if (depth > b->lim->mime_depth) {
		report_add(b->r, "limit.mime_depth", FINDING_HELD, NULL,
		    "MIME の入れ子が深すぎるため判定できません。保留しました / "
		    "MIME nested deeper than limits.mime_depth: held");
		b->held = b->stop = true;
		return 0;
	}
	if (part_read(b, obj, &p) < 0)
		return -1;
	if (p.too_long) {
		report_add(b->r, "limit.header_bytes", FINDING_HELD, NULL,
		    "MIME ヘッダが大きすぎるため判定できません。保留しました / "
		    "a MIME header over limits.header_bytes: held");
		b->held = true;
		return 0;
	}
	if (p.conflict) {
		ob_hold(b, "mime.duplicate_header", NULL,
		    "Content-Type given twice with different values");
		return 0;
	}
	if (GMIME_IS_MESSAGE_PART(obj)) {
		GMimeMessage *m = g_mime_message_part_get_message(
		    GMIME_MESSAGE_PART(obj));
		GMimeObject *body;

		for (unsigned i = 0; i < p.nnames; i++)
			ob_text(b, p.names[i], strlen(p.names[i]), true,
			    "attached message name");
		if (!labels_only) {
			/* A message sent on as a file is not encrypted. */
			b->natt++;
			if (b->nplain++ == 0)
				b->first_plain = p.nnames > 0 ?
				    ob_show(b, p.names[0]) :
				    "(添付メッセージ / attached message)";
		}
		if (m == NULL)
			return 0;
		if (walk_message_header(b, m) < 0)
			return -1;
		body = g_mime_message_get_mime_part(m);
		return body != NULL ? walk_object(b, body, depth + 1, false,
		    false, true) : 0;
	}
	if (GMIME_IS_MESSAGE_PARTIAL(obj) ||
	    type_is(p.type, "message/partial")) {
		ob_hold(b, "mime.external_body", NULL,
		    "a partial message cannot be checked whole");
		return 0;
	}
	if (GMIME_IS_MULTIPART(obj))
		return walk_multipart(b, obj, &p, depth, top, labels_only);
	if (strncmp(p.type, "multipart/", 10) == 0) {
		ob_hold(b, "mime.broken_boundary", NULL,
		    "multipart that cannot be split");
		return 0;
	}
	if (GMIME_IS_PART(obj))
		return walk_leaf(b, obj, &p, depth, top, related, labels_only);
	return 0;
}

static int
walk_mime(struct ob *b, const unsigned char *in, size_t len)
{
	GMimeParserOptions *po;
	GMimeStream *s;
	GMimeParser *parser;
	GMimeMessage *m;
	GMimeObject *body;
	int ret = 0;

	po = g_mime_parser_options_new();
	g_mime_parser_options_set_warning_callback(po, walk_warning, b);
	g_mime_parser_options_set_rfc2047_compliance_mode(po,
	    GMIME_RFC_COMPLIANCE_LOOSE);
	s = g_mime_stream_mem_new_with_buffer((const char *)in, len);
	parser = g_mime_parser_new_with_stream(s);
	g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
	m = g_mime_parser_construct_message(parser, po);
	if (m == NULL)
		ob_hold(b, "mime.malformed", NULL, "no message could be read");
	else {
		body = g_mime_message_get_mime_part(m);
		if (body != NULL)
			ret = walk_object(b, body, 0, true, false, false);
		g_object_unref(m);
	}
	g_object_unref(parser);
	g_object_unref(s);
	g_mime_parser_options_free(po);
	return ret;
}

/* ---- recipients ---- */

/* An internal domain, lower case, without a leading "@" or "." and a
   trailing "." ("" when the entry is empty). */
static void
domain_norm(const char *in, size_t max, char *out, size_t out_size)
{
	size_t n = strnlen(in, max), i, o = 0;

	while (n > 0 && (*in == '@' || *in == '.' || *in == ' ')) {
		in++;
		n--;
	}
	while (n > 0 && (in[n - 1] == '.' || in[n - 1] == ' '))
		n--;
	for (i = 0; i < n && o + 1 < out_size; i++)
		out[o++] = (char)(in[i] >= 'A' && in[i] <= 'Z' ? in[i] + 32 :
		    in[i]);
	out[o] = '\0';
}

static bool
domain_internal(const struct outbound_options *o, const char *addr)
{
	const char *at = addr != NULL ? strrchr(addr, '@') : NULL;
	char dom[256], want[MAIL_DOMAIN_SIZE + 1];
	unsigned i, n = o->ndomains < MAIL_DOMAINS_MAX ? o->ndomains :
	    MAIL_DOMAINS_MAX;
	size_t dl, wl;

	if (at == NULL)
		return false;	/* no domain: not provably ours */
	domain_norm(at + 1, strlen(at + 1), dom, sizeof(dom));
	/* Address literals and quoted oddities are never internal. */
	dl = strlen(dom);
	if (dl == 0 || dom[0] == '[')
		return false;
	for (i = 0; i < n; i++) {
		domain_norm(o->domains[i], MAIL_DOMAIN_SIZE, want, sizeof(want));
		wl = strlen(want);
		if (wl == 0)
			continue;
		if (dl == wl && strcmp(dom, want) == 0)
			return true;
		if (dl > wl && dom[dl - wl - 1] == '.' &&
		    strcmp(dom + dl - wl, want) == 0)
			return true;
	}
	return false;
}

static bool
mailbox_internal(const struct outbound_options *o, InternetAddressMailbox *mb)
{
	return domain_internal(o, internet_address_mailbox_get_addr(mb)) ||
	    domain_internal(o, internet_address_mailbox_get_idn_addr(mb));
}

/* One To/Cc/Bcc field read as addresses. */
struct rcpt {
	unsigned field;		/* index in the header */
	int kind;		/* 0 To, 1 Cc, 2 Bcc */
	InternetAddressList *list;	/* NULL when empty */
	unsigned removed;
};

/* Every external mailbox of list (groups flattened) appended to ext;
   when move, also taken out of the list (a group keeps its name). */
static void
rcpt_scan(const struct outbound_options *o, InternetAddressList *list,
    GPtrArray *ext, bool move, unsigned *removed)
{
	int i = 0;

	while (list != NULL && i < internet_address_list_length(list)) {
		InternetAddress *ia = internet_address_list_get_address(list,
		    i);

		if (INTERNET_ADDRESS_IS_GROUP(ia))
			rcpt_scan(o, internet_address_group_get_members(
			    INTERNET_ADDRESS_GROUP(ia)), ext, move, removed);
		if (!INTERNET_ADDRESS_IS_MAILBOX(ia) ||
		    mailbox_internal(o, INTERNET_ADDRESS_MAILBOX(ia))) {
			i++;
			continue;
		}
		g_ptr_array_add(ext, g_object_ref(ia));
		if (!move) {
			i++;
			continue;
		}
		internet_address_list_remove_at(list, i);
		(*removed)++;
	}
}

struct addr_key {
	const char *addr;
	unsigned idx;
};

static int
addr_key_cmp(const void *a, const void *b)
{
	const struct addr_key *x = a, *y = b;
	int c = strcasecmp(x->addr, y->addr);

	return c != 0 ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

/* Mark in dup (may be NULL) the later copies of the same mailbox (any
   case) in v; groups are never copies. Returns the number of distinct
   mailboxes, or -1 when the arena runs out. O(n log n): a To field may
   hold thousands of addresses. */
static int
addr_dedupe(struct ob *b, GPtrArray *v, bool *dup)
{
	struct addr_key *k;
	unsigned i, n = 0, distinct = 0;

	if (v->len == 0)
		return 0;
	k = arena_alloc(b->ctx->arena, v->len * sizeof(*k));
	if (k == NULL)
		return -1;
	for (i = 0; i < v->len; i++) {
		InternetAddress *ia = g_ptr_array_index(v, i);

		if (dup != NULL)
			dup[i] = false;
		if (!INTERNET_ADDRESS_IS_MAILBOX(ia))
			continue;
		k[n].addr = internet_address_mailbox_get_addr(
		    INTERNET_ADDRESS_MAILBOX(ia));
		if (k[n].addr == NULL)
			k[n].addr = "";
		k[n++].idx = i;
	}
	if (n > 0)
		qsort(k, n, sizeof(*k), addr_key_cmp);
	for (i = 0; i < n; i++) {
		bool d = i > 0 && strcasecmp(k[i].addr, k[i - 1].addr) == 0;

		if (dup != NULL)
			dup[k[i].idx] = d;
		if (!d)
			distinct++;
	}
	return (int)distinct;
}

static void
rcpt_free(struct rcpt *rc, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++)
		if (rc[i].list != NULL)
			g_object_unref(rc[i].list);
}

/* Append a field "Name: addresses" folded by GMime, in the message's
   line ends. */
static int
field_write(struct buffer *out, const char *name, InternetAddressList *list,
    const char *eol)
{
	GMimeFormatOptions *fo = g_mime_format_options_new();
	GString *s = g_string_new(name);
	int ret;

	g_mime_format_options_set_newline_format(fo, strcmp(eol, "\r\n") == 0 ?
	    GMIME_NEWLINE_FORMAT_DOS : GMIME_NEWLINE_FORMAT_UNIX);
	g_string_append(s, ": ");
	internet_address_list_encode(list, fo, s);
	ret = buffer_append(out, s->str, s->len);
	g_string_free(s, TRUE);
	g_mime_format_options_free(fo);
	return ret;
}

/* Write the message with the external addresses of rc moved into one
   Bcc field (merged with an existing one, else after the last To/Cc
   field); every other byte as it was. */
static int
rcpt_rewrite(struct ob *b, const unsigned char *in, size_t len,
    const struct ob_hdr *h, struct rcpt *rc, unsigned nrc,
    InternetAddressList *bcc, struct buffer *out)
{
	unsigned i, j, last_tc = 0, first_bcc = UINT_MAX, first_to = UINT_MAX;
	bool to_left = false, bcc_written = false;
	struct rcpt **at;
	int ret = 0;

	/* Field index -> its rcpt: a header may hold thousands of fields. */
	at = arena_alloc(b->ctx->arena, (h->n + 1) * sizeof(*at));
	if (at == NULL)
		return -1;
	for (j = 0; j < nrc; j++) {
		at[rc[j].field] = &rc[j];
		if (rc[j].kind == 2) {
			if (first_bcc == UINT_MAX)
				first_bcc = rc[j].field;
			continue;
		}
		last_tc = rc[j].field;
		if (rc[j].kind == 0) {
			if (first_to == UINT_MAX)
				first_to = rc[j].field;
			if (rc[j].list != NULL &&
			    internet_address_list_length(rc[j].list) > 0)
				to_left = true;
		}
	}
	for (i = 0; i < h->n && ret == 0; i++) {
		const struct ob_field *f = &h->f[i];
		struct rcpt *c = at[i];

		if (c == NULL || (c->kind != 2 && c->removed == 0)) {
			ret = buffer_append(out, in + f->start, f->end - f->start);
			if (ret == 0 && in[f->end - 1] != '\n')
				ret = buffer_append_str(out, h->eol);
		} else if (c->kind == 2) {
			if (i == first_bcc)
				ret = field_write(out, "Bcc", bcc, h->eol);
			bcc_written = true;
		} else if (c->list != NULL &&
		    internet_address_list_length(c->list) > 0)
			ret = field_write(out, c->kind == 0 ? "To" : "Cc",
			    c->list, h->eol);
		else if (i == first_to && !to_left)
			ret = buffer_printf(out, "To: undisclosed-recipients:;%s",
			    h->eol);
		if (ret == 0 && i == last_tc && first_bcc == UINT_MAX &&
		    !bcc_written) {
			ret = field_write(out, "Bcc", bcc, h->eol);
			bcc_written = true;
		}
	}
	if (ret == 0 && h->end < len)
		ret = buffer_append(out, in + h->end, len - h->end);
	return ret;
}

/* The Bcc list: the addresses of an existing Bcc first, then the
   external ones moved, each mailbox once. NULL when memory runs out. */
static InternetAddressList *
bcc_build(struct ob *b, const struct rcpt *rc, unsigned nrc, GPtrArray *ext)
{
	InternetAddressList *bcc;
	GPtrArray *all = g_ptr_array_new();
	bool *dup;
	unsigned i;
	int k, n;

	for (i = 0; i < nrc; i++) {
		n = rc[i].kind == 2 && rc[i].list != NULL ?
		    internet_address_list_length(rc[i].list) : 0;
		for (k = 0; k < n; k++)
			g_ptr_array_add(all, internet_address_list_get_address(
			    rc[i].list, k));
	}
	for (i = 0; i < ext->len; i++)
		g_ptr_array_add(all, g_ptr_array_index(ext, i));
	dup = arena_alloc(b->ctx->arena, (all->len + 1) * sizeof(*dup));
	if (dup == NULL || addr_dedupe(b, all, dup) < 0) {
		g_ptr_array_free(all, TRUE);
		return NULL;
	}
	bcc = internet_address_list_new();
	for (i = 0; i < all->len; i++)
		if (!dup[i])
			internet_address_list_add(bcc, g_ptr_array_index(all, i));
	g_ptr_array_free(all, TRUE);
	return bcc;
}

/* Read the To, Cc and Bcc fields. Returns 0, 1 when one cannot be read
   (held), -1. */
static int
rcpt_read(struct ob *b, const struct ob_hdr *h, struct rcpt *rc,
    unsigned *nrc_r)
{
	unsigned i, n = 0;
	int kind;

	for (i = 0; i < h->n; i++) {
		kind = strcasecmp(h->f[i].name, "To") == 0 ? 0 :
		    strcasecmp(h->f[i].name, "Cc") == 0 ? 1 :
		    strcasecmp(h->f[i].name, "Bcc") == 0 ? 2 : -1;
		if (kind < 0)
			continue;
		rc[n].field = i;
		rc[n].kind = kind;
		rc[n].removed = 0;
		rc[n].list = internet_address_list_parse(NULL, h->f[i].value);
		n++;
		*nrc_r = n;
		/* An address GMime cannot read could be anyone's. */
		if (kind != 2 && (rc[n - 1].list == NULL ||
		    internet_address_list_length(rc[n - 1].list) == 0) &&
		    strchr(h->f[i].value, '@') != NULL) {
			ob_hold(b, "mime.malformed", h->f[i].name,
			    "recipient addresses cannot be read");
			return 1;
		}
	}
	return 0;
}

/*
 * The external recipients rule. Returns 0 (findings added; *rewritten
 * set when out holds the message with the external addresses in Bcc),
 * or -1.
 */
static int
ob_recipients(struct ob *b, const unsigned char *in, size_t len,
    const struct ob_hdr *h, struct buffer *out, bool *rewritten)
{
	const struct outbound_options *o = b->o;
	InternetAddressList *bcc;
	struct rcpt *rc;
	GPtrArray *ext;
	unsigned i, nrc = 0;
	int distinct, ret = 0;
	bool move;

	*rewritten = false;
	if (o->external_max == 0)
		return 0;
	rc = arena_alloc(b->ctx->arena, (h->n + 1) * sizeof(*rc));
	if (rc == NULL)
		return -1;
	ret = rcpt_read(b, h, rc, &nrc);
	ext = g_ptr_array_new_with_free_func(g_object_unref);
	move = o->external_action == OUTBOUND_BCC;
	for (i = 0; i < nrc && ret == 0; i++)
		if (rc[i].kind != 2)
			rcpt_scan(o, rc[i].list, ext, move, &rc[i].removed);
	distinct = ret == 0 ? addr_dedupe(b, ext, NULL) : 0;
	if (ret != 0 || distinct < 0 || (unsigned)distinct <= o->external_max) {
		ret = ret < 0 || distinct < 0 ? -1 : 0;
		goto out;
	}
	if (!move) {
		report_add(b->r, "outbound.external_recipients",
		    o->external_action == OUTBOUND_REJECT ? FINDING_BLOCKED :
		    FINDING_HELD, "To/Cc",
		    "外部の宛先が To/Cc に %d 件あります（上限 %u 件）。"
		    "互いのアドレスが見えないよう Bcc で送信してください / "
		    "%d external recipients in To/Cc (limit %u): send them as"
		    " Bcc so that they cannot see each other", distinct,
		    o->external_max, distinct, o->external_max);
		goto out;
	}
	report_add(b->r, "outbound.external_recipients", FINDING_REMOVED,
	    "To/Cc", "外部の宛先 %d 件（上限 %u 件）を To/Cc から Bcc に"
	    "移しました / %d external recipients (limit %u) moved from To/Cc"
	    " to Bcc", distinct, o->external_max, distinct, o->external_max);
	bcc = bcc_build(b, rc, nrc, ext);
	if (bcc == NULL) {
		ret = -1;
		goto out;
	}
	if (rcpt_rewrite(b, in, len, h, rc, nrc, bcc, out) < 0) {
		report_set_error(b->r, "rewritten message over"
		    " limits.output_size");
		ret = -1;
	} else
		*rewritten = true;
	g_object_unref(bcc);
out:
	g_ptr_array_free(ext, TRUE);
	rcpt_free(rc, nrc);
	return ret;
}

/* ---- the rules ---- */

static void
ob_rule_labels(struct ob *b)
{
	const struct outbound_options *o = b->o;
	const char *where = b->level_where != NULL ? b->level_where : "";
	enum finding_action act;

	if (b->level >= 3) {
		/* 機密性3 never leaves: anything but hold rejects. */
		bool hold = o->confidential3 == OUTBOUND_HOLD;

		report_add(b->r, "outbound.confidential3", hold ?
		    FINDING_HELD : FINDING_BLOCKED, where,
		    "機密性3の情報は外部に送信できません%s（ラベル %s: %s） / "
		    "機密性3 information may not be sent outside%s (label %s"
		    " from %s)", hold ? "。保留しました" : "",
		    b->level_label, where, hold ? ": held" : "",
		    b->level_label, where);
		return;
	}
	if (b->level < 2)
		return;
	/* 機密性2: the files carry the information and must be encrypted;
	   a message without files carries it in its text, which must then
	   be encrypted itself (a cover note beside encrypted files is
	   fine). */
	if (b->nplain == 0 && (b->natt > 0 || (b->body_enc > 0 &&
	    b->body_plain == 0)))
		return;
	act = o->confidential2 == OUTBOUND_HOLD ? FINDING_HELD :
	    FINDING_BLOCKED;
	if (b->nplain > 0)
		report_add(b->r, "outbound.unencrypted", act, b->first_plain,
		    "機密性2以上の情報は暗号化して送信してください%s。"
		    "暗号化されていない添付ファイル: %s（%u 件中 %u 件、"
		    "ラベル %s: %s） / 機密性2+ information must be encrypted"
		    " before it is sent%s; attachment not encrypted: %s (%u of"
		    " %u, label %s from %s)",
		    act == FINDING_HELD ? "（保留しました）" : "",
		    b->first_plain, b->natt, b->nplain, b->level_label, where,
		    act == FINDING_HELD ? " (held)" : "", b->first_plain,
		    b->nplain, b->natt, b->level_label, where);
	else
		report_add(b->r, "outbound.unencrypted", act, NULL,
		    "機密性2以上の情報は暗号化して送信してください%s。"
		    "本文が暗号化されていません（S/MIME か PGP で暗号化するか、"
		    "暗号化したファイルを添付してください。ラベル %s: %s） / "
		    "機密性2+ information must be encrypted before it is"
		    " sent%s; the message is not encrypted (use S/MIME or PGP,"
		    " or attach an encrypted file; label %s from %s)",
		    act == FINDING_HELD ? "（保留しました）" : "",
		    b->level_label, where, act == FINDING_HELD ? " (held)" : "",
		    b->level_label, where);
}

static void
ob_rule_forward(struct ob *b, const struct ob_hdr *h)
{
	const char *marker = NULL;
	enum finding_action act;
	unsigned i;

	for (i = 0; i < h->n && marker == NULL; i++)
		marker = forward_marker(&h->f[i]);
	if (marker == NULL)
		return;
	switch (b->o->auto_forward) {
	case OUTBOUND_ALLOW:
		report_add(b->r, "outbound.auto_forward", FINDING_REPORTED,
		    NULL, "自動転送されたメールです（%s） / automatically"
		    " forwarded mail (%s)", marker, marker);
		return;
	case OUTBOUND_HOLD:
		act = FINDING_HELD;
		break;
	default:
		act = FINDING_BLOCKED;
		break;
	}
	report_add(b->r, "outbound.auto_forward", act, NULL,
	    "自動転送されたメールは外部に送信できません%s（%s） / "
	    "automatically forwarded mail may not be sent outside%s (%s)",
	    act == FINDING_HELD ? "。保留しました" : "", marker,
	    act == FINDING_HELD ? ": held" : "", marker);
}

int
mail_outbound(struct cdr_ctx *ctx, const struct outbound_options *o,
    const unsigned char *in, size_t len, struct buffer *out,
    struct report *r)
{
	struct ob b;
	struct ob_hdr h;
	enum verdict v;
	bool rewritten = false;
	unsigned i;

	memset(&b, 0, sizeof(b));
	b.ctx = ctx;
	b.o = o;
	b.r = r;
	b.lim = ctx->limits;
	memcpy(b.header, o->header, sizeof(o->header));
	b.header[sizeof(b.header) - 1] = '\0';
	report_set_type(r, filetype_name(FT_MAIL));
	buffer_reset(out);
	if (o->max_size > 0 && len > o->max_size) {
		/* Not even read: too big is too big. */
		report_add(r, "outbound.too_big", FINDING_BLOCKED, NULL,
		    "メールのサイズ（%zu バイト）が送信できる上限（%llu バイト）を"
		    "超えています / the message (%zu bytes) is larger than"
		    " mail.max_size (%llu bytes)", len,
		    (unsigned long long)o->max_size, len,
		    (unsigned long long)o->max_size);
		return 0;
	}
	if (len > ctx->limits->file_size) {
		report_add(r, "limit.file_size", FINDING_HELD, NULL,
		    "メールが大きすぎるため判定できません。保留しました / "
		    "message larger than limits.file_size: held");
		return 0;
	}
	if (len == 0) {
		ob_hold(&b, "mime.malformed", NULL, "empty message");
		return 0;
	}
	if (hdr_split(&b, in, len, &h) < 0)
		goto fail;
	if (!b.held) {
		for (i = 0; i < h.n; i++)
			if (ob_header_label(&b, h.f[i].name, h.f[i].value,
			    h.f[i].value_len, "") < 0)
				goto fail;
		ob_rule_forward(&b, &h);
		if (walk_mime(&b, in, len) < 0)
			goto fail;
	}
	if (r->error != NULL)
		goto fail;
	ob_rule_labels(&b);
	if (!b.held && ob_recipients(&b, in, len, &h, out, &rewritten) < 0)
		goto fail;
	v = report_verdict(r);
	if (v == VERDICT_BLOCKED || v == VERDICT_HELD || v == VERDICT_ERROR) {
		buffer_reset(out);
		return v == VERDICT_ERROR ? -1 : 0;
	}
	if (!rewritten && buffer_append(out, in, len) < 0) {
		report_set_error(r, "message over limits.output_size");
		goto fail;
	}
	return 0;
fail:
	buffer_reset(out);
	if (r->error == NULL)
		report_set_error(r, "outbound: internal failure");
	return -1;
}
