/*
 * mailwalk - see mailwalk.h. The rule everywhere: when two readings of
 * the bytes disagree, take the one that exposes more (an attachment, a
 * file name, a held message), and say so in a finding.
 */
#include <string.h>
#include <strings.h>

#include <gmime/gmime.h>
#include <openssl/cms.h>

#include "charset.h"
#include "defang.h"
#include "encword.h"
#include "htmltext.h"
#include "inline.h"
#include "mailwalk.h"
#include "mimeparam.h"
#include "mimepart.h"
#include "tnef.h"

#define WALK_MAX_NAMES 8
#define WALK_PATH_MAX 128

const char *const mail_hdr_names[MAIL_HDR_COUNT] = {
	"From", "To", "Cc", "Reply-To", "Date", "Subject", "Message-ID",
	"In-Reply-To", "References",
};

struct walk {
	struct cdr_ctx *ctx;
	struct report *r;
	struct mail_doc *doc;
	const struct limits *lim;
	unsigned warned;	/* GMime warning codes already reported */
	bool stop;		/* held for a limit: read no further */
	const unsigned char *in;	/* the whole message */
	size_t len;
};

/* What the raw Content-* headers of one part say, every reading kept. */
struct part_info {
	const char *type;	/* first Content-Type token, "" if none */
	const char *charset;
	const char *smime_type;
	const char *names[WALK_MAX_NAMES];
	unsigned nnames;
	bool attachment;	/* some Content-Disposition says attachment */
	bool ambiguous;		/* Content-Type/-Transfer-Encoding disagree */
	bool boundary_conflict;
	bool bad_cte;
	struct buffer raw;	/* every Content-Type/-Disposition value */
};

static void
walk_hold(struct walk *w, const char *code, const char *loc, const char *why)
{
	report_add(w->r, code, FINDING_HELD, loc, "%s", why);
	w->doc->held = true;
}

/* ---- raw checks GMime does not make ---- */

/*
 * Header section size, line length, bare CR / LF. Returns -1 when the
 * message is not even read (header section over the limit), 0 to read
 * it, 1 to read only its headers (a line over the limit: the notice
 * still says who sent what). *mixed_r is set when line ends are mixed
 * or bare CR: the walk then reads every CR, LF and CRLF as one line
 * end, as the most lenient client does, so nothing hides in a line
 * that one client splits and GMime does not.
 */
static int
walk_prescan(struct walk *w, const unsigned char *in, size_t len,
    bool *mixed_r)
{
	size_t i, line = 0, header_end = len, crlf = 0, bare_lf = 0;
	size_t bare_cr = 0, longest = 0;

	for (i = 0; i < len; i++) {
		if (in[i] == '\n') {
			if (i > 0 && in[i - 1] == '\r')
				crlf++;
			else
				bare_lf++;
			if (header_end == len && line == 0)
				header_end = i;
			if (line > longest)
				longest = line;
			line = 0;
			continue;
		}
		if (in[i] == '\r') {
			if (i + 1 >= len || in[i + 1] != '\n') {
				bare_cr++;
				if (header_end == len && line == 0)
					header_end = i;
				if (line > longest)
					longest = line;
				line = 0;
			}
			continue;
		}
		line++;
	}
	if (line > longest)
		longest = line;
	*mixed_r = bare_cr > 0 || (crlf > 0 && bare_lf > 0);
	if (*mixed_r)
		report_add(w->r, "mime.bare_newline", FINDING_REPORTED, NULL,
		    "%zu bare CR, %zu bare LF among %zu CRLF line ends"
		    " (each read as a line end)", bare_cr,
		    crlf > 0 ? bare_lf : 0, crlf);
	if (header_end > w->lim->header_bytes) {
		walk_hold(w, "limit.header_bytes", NULL,
		    "header section over limits.header_bytes");
		return -1;
	}
	if (longest > w->lim->line_length) {
		walk_hold(w, "limit.line_length", NULL,
		    "a line is longer than limits.line_length");
		return 1;
	}
	return 0;
}

/* CRLF and lone CR as LF, into a copy from the arena. */
static unsigned char *
walk_normalize(struct walk *w, const unsigned char *in, size_t len,
    size_t *len_r)
{
	unsigned char *o = arena_alloc(w->ctx->arena, len + 1);
	size_t i, n = 0;

	if (o == NULL)
		return NULL;
	for (i = 0; i < len; i++) {
		if (in[i] == '\r') {
			o[n++] = '\n';
			if (i + 1 < len && in[i + 1] == '\n')
				i++;
		} else
			o[n++] = in[i];
	}
	*len_r = n;
	return o;
}

/* ---- GMime's own warnings ---- */

static void
walk_warning(gint64 offset, GMimeParserWarning code, const gchar *item,
    gpointer user_data)
{
	struct walk *w = user_data;
	const char *what = item != NULL ? item : "";
	char loc[48];

	if (code < 32 && (w->warned & (1u << code)) != 0)
		return;
	if (code < 32)
		w->warned |= 1u << code;
	snprintf(loc, sizeof(loc), "offset %lld", (long long)offset);
	switch (code) {
	case GMIME_WARN_DUPLICATED_HEADER:
	case GMIME_CRIT_CONFLICTING_HEADER:
		report_add(w->r, "mime.duplicate_header", FINDING_REPORTED,
		    loc, "header %s given more than once", what);
		break;
	case GMIME_WARN_DUPLICATED_PARAMETER:
	case GMIME_CRIT_CONFLICTING_PARAMETER:
		report_add(w->r, "mime.duplicate_param", FINDING_REPORTED,
		    loc, "parameter %s given more than once", what);
		break;
	case GMIME_WARN_MALFORMED_MULTIPART:
	case GMIME_WARN_TRUNCATED_MESSAGE:
		report_add(w->r, "mime.broken_boundary", FINDING_REPORTED,
		    loc, "multipart without its parts or closing boundary");
		break;
	case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY:
		walk_hold(w, "mime.broken_boundary", loc,
		    "multipart without a boundary: clients split it differently");
		break;
	case GMIME_CRIT_NESTING_OVERFLOW:
		walk_hold(w, "limit.mime_depth", loc,
		    "MIME nesting deeper than the parser allows");
		w->stop = true;
		break;
	case GMIME_CRIT_INVALID_HEADER_NAME:
		walk_hold(w, "mime.malformed", loc,
		    "invalid header name: clients read the part differently");
		break;
	case GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT:
		walk_hold(w, "mime.malformed", loc,
		    "part without headers or content");
		break;
	case GMIME_WARN_INVALID_CONTENT_TYPE:
	case GMIME_WARN_INVALID_PARAMETER:
	case GMIME_WARN_MALFORMED_MESSAGE:
	case GMIME_WARN_PART_WITHOUT_CONTENT:
		report_add(w->r, "mime.malformed", FINDING_REPORTED, loc,
		    "malformed MIME (%s)", what);
		break;
	default:
		break;	/* 8-bit or RFC 2047 headers: decoded by us */
	}
}

/* ---- part headers ---- */

static void
info_add_name(struct walk *w, struct part_info *pi, const char *name)
{
	struct charset_result cr;
	struct buffer dec;
	unsigned i;

	if (name == NULL || *name == '\0')
		return;
	/* A lax reading may still hold RFC 2047 words: decode them as a
	   client that honours them in parameters would. */
	if (strstr(name, "=?") != NULL) {
		buffer_init(&dec, 64 * 1024);
		memset(&cr, 0, sizeof(cr));
		if (encword_decode_text(name, strlen(name), &dec, &cr) == 0 &&
		    dec.used > 0 && memchr(dec.data, '\0', dec.used) == NULL)
			name = arena_strndup(w->ctx->arena,
			    (const char *)dec.data, dec.used);
		buffer_free(&dec);
		if (name == NULL)
			return;
	}
	for (i = 0; i < pi->nnames; i++)
		if (strcmp(pi->names[i], name) == 0)
			return;
	if (pi->nnames < WALK_MAX_NAMES)
		pi->names[pi->nnames++] = arena_strdup(w->ctx->arena, name);
}

static void
info_add_params(struct walk *w, struct part_info *pi,
    const struct mime_value *v, const char *param)
{
	const struct mime_param *p;

	for (p = v->params; p != NULL; p = p->next)
		if (strcmp(p->name, param) == 0)
			info_add_name(w, pi, p->value);
}

/* True when some parameter called name has two different values. */
static bool
param_conflict(const struct mime_value *v, const char *name)
{
	const struct mime_param *p;
	const char *first = NULL;

	for (p = v->params; p != NULL; p = p->next) {
		if (strcmp(p->name, name) != 0)
			continue;
		if (first == NULL)
			first = p->value;
		else if (strcmp(first, p->value) != 0)
			return true;
	}
	return false;
}

static bool
cte_known(const char *v)
{
	static const char *const known[] = { "7bit", "8bit", "binary",
	    "base64", "quoted-printable", "x-uuencode", "uuencode", "x-uue" };
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcasecmp(v, known[i]) == 0)
			return true;
	return false;
}

/*
 * File names a lax client would read where a strict parser reads
 * another (the mime-is-broken tricks): parameters split on every ';'
 * (quotes or not), comments dropped from keys and values, quotes and
 * backslashes dropped, RFC 2231 sections joined in the order they come
 * (also across Content-Type and Content-Disposition) and their
 * charset'' prefix taken off. Each reading that gives a name adds it,
 * so the notice shows it and a program's name blocks the file.
 */
static void
lenient_clean(const char *s, size_t len, bool key, struct buffer *out)
{
	size_t i;
	int depth = 0;

	for (i = 0; i < len; i++) {
		char c = s[i];

		if (c == '(')
			depth++;
		else if (c == ')' && depth > 0)
			depth--;
		else if (depth == 0 && c != '"' && c != '\\' && c != '\r' &&
		    c != '\n' && !(key && (c == ' ' || c == '\t')))
			(void)buffer_append(out, &c, 1);
	}
}

static void
lenient_pct(struct buffer *v)
{
	size_t i, o = 0;
	const char *q = memmem(v->data, v->used, "''", 2);
	size_t from = q != NULL ? (size_t)(q - (const char *)v->data) + 2 : 0;

	for (i = from; i < v->used; i++) {
		unsigned hi, lo;

		if (v->data[i] == '%' && i + 2 < v->used + 0 &&
		    sscanf((const char *)v->data + i + 1, "%1x%1x", &hi, &lo) == 2) {
			v->data[o++] = (unsigned char)(hi << 4 | lo);
			i += 2;
		} else
			v->data[o++] = v->data[i];
	}
	v->used = o;
}

static int
lenient_names(struct walk *w, struct part_info *pi, bool split_quoted)
{
	const char *s = (const char *)pi->raw.data, *end, *seg, *eq;
	struct buffer key, val, joined[2];
	bool quoted = false;
	size_t i;
	int k;

	if (s == NULL)
		return 0;
	end = s + pi->raw.used;
	buffer_init(&key, 4096);
	buffer_init(&val, 64 * 1024);
	buffer_init(&joined[0], 64 * 1024);
	buffer_init(&joined[1], 64 * 1024);
	for (seg = s; seg < end; seg = s + i + 1) {
		for (i = (size_t)(seg - s); s + i < end; i++) {
			if (s[i] == '"' && !split_quoted)
				quoted = !quoted;
			if (s[i] == ';' && !quoted)
				break;
		}
		eq = memchr(seg, '=', (size_t)(s + i - seg));
		if (eq == NULL)
			continue;
		buffer_reset(&key);
		buffer_reset(&val);
		lenient_clean(seg, (size_t)(eq - seg), true, &key);
		lenient_clean(eq + 1, (size_t)(s + i - eq - 1), false, &val);
		(void)buffer_append(&key, "", 1);
		k = strncasecmp((const char *)key.data, "filename", 8) == 0 ? 0 :
		    strncasecmp((const char *)key.data, "name", 4) == 0 ? 1 : -1;
		if (k < 0 || val.used == 0)
			continue;
		if (strchr((const char *)key.data, '*') != NULL)
			lenient_pct(&val);
		while (val.used > 0 && (val.data[val.used - 1] == ' ' ||
		    val.data[val.used - 1] == '\t'))
			val.used--;
		if (strchr((const char *)key.data, '*') != NULL &&
		    strcspn((const char *)key.data, "0123456789") <
		    strlen((const char *)key.data))
			(void)buffer_append(&joined[k], val.data, val.used);
		(void)buffer_append(&val, "", 1);
		info_add_name(w, pi, (const char *)val.data + strspn(
		    (const char *)val.data, " \t"));
	}
	for (k = 0; k < 2; k++) {
		(void)buffer_append(&joined[k], "", 1);
		info_add_name(w, pi, (const char *)joined[k].data);
	}
	buffer_free(&key);
	buffer_free(&val);
	buffer_free(&joined[0]);
	buffer_free(&joined[1]);
	return 0;
}

static int
part_info_read(struct walk *w, GMimeObject *obj, const char *loc,
    struct part_info *pi)
{
	GMimeHeaderList *hl = g_mime_object_get_header_list(obj);
	const char *first_cte = NULL;
	unsigned n_ct = 0, n_cte = 0;
	int i, count;

	memset(pi, 0, sizeof(*pi));
	buffer_init(&pi->raw, w->lim->header_bytes + 2);
	pi->type = "";
	count = hl != NULL ? g_mime_header_list_get_count(hl) : 0;
	for (i = 0; i < count; i++) {
		GMimeHeader *h = g_mime_header_list_get_header_at(hl, i);
		const char *name = g_mime_header_get_name(h);
		const char *raw = g_mime_header_get_raw_value(h);
		struct mime_value v;

		if (name == NULL || raw == NULL)
			continue;
		if (strcasecmp(name, "Content-Transfer-Encoding") == 0) {
			char *t = arena_strdup(w->ctx->arena, raw), *e;

			if (t == NULL)
				return -1;
			while (*t == ' ' || *t == '\t' || *t == '\r' ||
			    *t == '\n')
				t++;
			for (e = t; *e != '\0' && *e != ' ' && *e != '\t' &&
			    *e != '\r' && *e != '\n' && *e != ';' && *e != '('; e++)
				;
			*e = '\0';
			if (n_cte++ > 0 && strcasecmp(first_cte, t) != 0)
				pi->ambiguous = true;
			if (first_cte == NULL)
				first_cte = t;
			if (*t != '\0' && !cte_known(t))
				pi->bad_cte = true;
			continue;
		}
		if (strcasecmp(name, "Content-Type") != 0 &&
		    strcasecmp(name, "Content-Disposition") != 0)
			continue;
		if (buffer_append_str(&pi->raw, raw) < 0 ||
		    buffer_append(&pi->raw, ";", 1) < 0)
			return -1;
		if (mimeparam_parse(w->ctx->arena, raw, strlen(raw), &v) < 0)
			return -1;
		if ((v.flags & (MIMEPARAM_DUPLICATE | MIMEPARAM_CONFLICT)) != 0)
			report_add(w->r, "mime.duplicate_param",
			    FINDING_REPORTED, loc, "%s has a parameter twice",
			    name);
		if ((v.flags & MIMEPARAM_MALFORMED) != 0)
			report_add(w->r, "mime.malformed", FINDING_REPORTED,
			    loc, "malformed %s parameters", name);
		if (strcasecmp(name, "Content-Type") == 0) {
			if (n_ct++ == 0) {
				pi->type = v.token;
				pi->charset = mimeparam_first(&v, "charset");
				pi->smime_type = mimeparam_first(&v,
				    "smime-type");
			} else if (strcmp(pi->type, v.token) != 0)
				pi->ambiguous = true;
			if (param_conflict(&v, "boundary"))
				pi->boundary_conflict = true;
			info_add_params(w, pi, &v, "name");
		} else {
			if (strcmp(v.token, "attachment") == 0 ||
			    (*v.token != '\0' && strcmp(v.token, "inline") != 0))
				pi->attachment = true;
			info_add_params(w, pi, &v, "filename");
		}
	}
	if (lenient_names(w, pi, false) < 0 || lenient_names(w, pi, true) < 0)
		return -1;
	buffer_free(&pi->raw);
	if (n_ct > 1 || n_cte > 1)
		report_add(w->r, "mime.duplicate_header", FINDING_REPORTED, loc,
		    "Content-Type or Content-Transfer-Encoding given twice%s",
		    pi->ambiguous ? " with different values" : "");
	if (pi->nnames > 1)
		report_add(w->r, "mime.name_mismatch", FINDING_REPORTED, loc,
		    "%u different file names", pi->nnames);
	if (pi->bad_cte) {
		report_add(w->r, "mime.bad_encoding", FINDING_REPORTED, loc,
		    "unknown transfer encoding %s", first_cte);
		pi->ambiguous = true;
	}
	return 0;
}

/* ---- attachments and text ---- */

static int
att_add(struct walk *w, const char *name, const char *other,
    const char *declared, const char *origin, const unsigned char *data,
    size_t len, bool ambiguous)
{
	struct mail_attachment *a;

	if (w->doc->natts >= w->lim->mime_parts) {
		walk_hold(w, "limit.mime_parts", NULL,
		    "more attachments than limits.mime_parts");
		w->stop = true;
		return 0;
	}
	a = arena_alloc(w->ctx->arena, sizeof(*a));
	if (a == NULL)
		return -1;
	memset(a, 0, sizeof(*a));
	a->index = ++w->doc->natts;
	a->name = name != NULL ? name : "";
	a->other_names = other;
	a->declared = declared != NULL ? declared : "";
	a->origin = origin;
	a->data = data;
	a->len = len;
	a->ambiguous = ambiguous;
	if (w->doc->atts_tail != NULL)
		w->doc->atts_tail->next = a;
	else
		w->doc->atts = a;
	w->doc->atts_tail = a;
	return 0;
}

/* Names as "a / b / c" after the first one, or NULL. */
static const char *
info_other_names(struct walk *w, const struct part_info *pi)
{
	struct buffer b;
	const char *s;
	unsigned i;

	if (pi->nnames < 2)
		return NULL;
	buffer_init(&b, 64 * 1024);
	for (i = 1; i < pi->nnames; i++)
		(void)buffer_printf(&b, "%s%s", i > 1 ? " / " : "",
		    pi->names[i]);
	s = arena_strndup(w->ctx->arena, (const char *)b.data, b.used);
	buffer_free(&b);
	return s;
}

static int
text_append(struct walk *w, const char *s, size_t len)
{
	struct buffer *t = &w->doc->text;

	while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == ' '))
		len--;
	if (len == 0)
		return 0;
	if (t->used > 0 && buffer_append(t, "\n\n", 2) < 0)
		return -1;
	return buffer_append(t, s, len);
}

/* Cut uuencode / yEnc / BinHex blocks out of text into attachments;
   the rest goes to out. */
static int
text_cut_blocks(struct walk *w, const char *loc, const char *s, size_t len,
    struct buffer *out)
{
	struct inline_result ir;
	struct inline_block *b;
	size_t pos = 0;

	if (len == 0)
		return 0;
	memset(&ir, 0, sizeof(ir));
	if (inline_find(w->ctx->arena, w->lim, s, len, &ir) < 0)
		return -1;
	for (b = ir.blocks; b != NULL && !w->stop; b = b->next) {
		const char *kind = inline_kind_name(b->kind);

		if (b->start > pos && buffer_append(out, s + pos,
		    b->start - pos) < 0)
			return -1;
		if (buffer_printf(out, "[%s: %s]", kind,
		    b->name[0] != '\0' ? b->name : "-") < 0)
			return -1;
		report_add(w->r, "mail.inline_encoded", FINDING_REMOVED, loc,
		    "%s block \"%s\" (%zu bytes)%s", kind, b->name, b->len,
		    b->damaged ? ", damaged" : "");
		w->doc->cut_blocks++;
		if (b->too_big)
			report_add(w->r, "limit.file_size", FINDING_REMOVED, loc,
			    "%s block over limits.file_size", kind);
		else if (att_add(w, b->name, NULL, "", kind, b->data, b->len,
		    b->damaged) < 0)
			return -1;
		pos = b->end;
	}
	if (ir.limit_parts) {
		/* The tail was not searched: it is not passed on. */
		walk_hold(w, "limit.mime_parts", loc,
		    "more inline blocks than limits.mime_parts");
		len = ir.rest > pos ? ir.rest : pos;
	}
	return pos < len ? buffer_append(out, s + pos, len - pos) : 0;
}

/* Inline PGP: an encrypted block holds the message; a clear-signed one
   keeps its text without the armour and the signature. Returns 1 when
   held, 0 otherwise (text rewritten into out when signed), -1. */
static int
text_pgp(struct walk *w, const char *loc, const char *s, size_t len,
    struct buffer *out)
{
	const char *sig, *body, *end;

	if (len == 0)
		return 0;
	if (memmem(s, len, "-----BEGIN PGP MESSAGE-----", 27) != NULL) {
		walk_hold(w, "mail.encrypted", loc, "PGP encrypted text");
		return 1;
	}
	body = memmem(s, len, "-----BEGIN PGP SIGNED MESSAGE-----", 34);
	if (body == NULL)
		return 0;
	end = s + len;
	/* Armour headers ("Hash: ...") end at the first empty line. */
	body = memmem(body, (size_t)(end - body), "\n\n", 2);
	body = body != NULL ? body + 2 : end;
	sig = memmem(body, (size_t)(end - body),
	    "-----BEGIN PGP SIGNATURE-----", 29);
	if (sig == NULL)
		sig = end;
	report_add(w->r, "mail.signature", FINDING_REMOVED, loc,
	    "PGP clear-signed text: signature removed");
	w->doc->signature_removed = true;
	/* Dash-escaped lines ("- -") are the signed text's own. */
	while (body < sig) {
		const char *nl = memchr(body, '\n', (size_t)(sig - body));
		const char *ln_end = nl != NULL ? nl + 1 : sig;

		if (ln_end - body >= 2 && body[0] == '-' && body[1] == ' ')
			body += 2;
		if (buffer_append(out, body, (size_t)(ln_end - body)) < 0)
			return -1;
		body = ln_end;
	}
	return 2;
}

/* CRLF and lone CR as LF: the body is written with one kind of line
   end (signed content and Windows clients bring CRLF inside parts). */
static void
text_newlines(struct buffer *b)
{
	size_t i, o = 0;

	for (i = 0; i < b->used; i++) {
		if (b->data[i] == '\r') {
			b->data[o++] = '\n';
			if (i + 1 < b->used && b->data[i + 1] == '\n')
				i++;
		} else
			b->data[o++] = b->data[i];
	}
	b->used = o;
}

/* Decode bytes to UTF-8 into out, reporting what the charset did. */
static int
text_decode(struct walk *w, const char *loc, const char *charset,
    const unsigned char *data, size_t len, struct buffer *out)
{
	struct charset_result cr;

	memset(&cr, 0, sizeof(cr));
	if (charset_to_utf8(charset, data, len, out, &cr) < 0)
		return -1;
	if (cr.mislabelled)
		report_add(w->r, "charset.mislabelled", FINDING_REPORTED, loc,
		    "labelled %s, decoded as %s", charset != NULL ? charset :
		    "(none)", cr.used);
	else if (cr.guessed)
		report_add(w->r, "charset.unknown", FINDING_REPORTED, loc,
		    "charset %s, decoded as %s", charset != NULL ? charset :
		    "(none)", cr.used);
	if (cr.invalid)
		report_add(w->r, "charset.invalid", FINDING_REPORTED, loc,
		    "bytes invalid in %s replaced", cr.used);
	return 0;
}

/*
 * gumbo's time grows with the square of the element nesting (each start
 * tag scans the open elements): 50,000 nested elements take seconds.
 * The nesting is at most the number of start tags, so bound those
 * before parsing: limits.xml_nodes / 100 (50,000 by default) is far
 * above any real mail and keeps the worst case to a few seconds.
 */
static bool
html_too_many_tags(const unsigned char *s, size_t len,
    const struct limits *lim)
{
	uint64_t max = lim->xml_nodes / 100, n = 0;
	const unsigned char *p = s, *end = s + len;

	while ((p = memchr(p, '<', (size_t)(end - p))) != NULL) {
		if (++p < end && ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z') &&
		    ++n > max)
			return true;
	}
	return false;
}

/* HTML text stopped at a limit (its finding says which) holds the
   message: the limit finding becomes "held", as for every mail limit. */
static bool
html_limits_hold(struct walk *w, struct report_finding *before)
{
	struct report_finding *f;
	bool hit = false;

	for (f = before != NULL ? before->next : w->r->findings; f != NULL;
	    f = f->next) {
		if (f->action == FINDING_BLOCKED) {
			f->action = FINDING_HELD;
			hit = true;
		}
	}
	if (hit)
		w->doc->held = true;
	return hit;
}

/*
 * One text part into the body. Plain text: embedded blocks are cut from
 * the raw bytes first (yEnc is 8-bit; decoding the charset first would
 * change its bytes), then the rest is decoded, PGP armour handled and
 * links rewritten. HTML: decoded, turned into text, and the text is
 * searched for blocks too.
 */
static int
text_part(struct walk *w, const char *loc, const char *charset,
    const unsigned char *data, size_t len, bool html)
{
	struct htmltext_opts ho;
	struct report_finding *before;
	struct buffer raw, utf8, conv, linked;
	const struct buffer *cur;
	unsigned links = 0;
	int ret = -1, pgp;

	buffer_init(&raw, w->lim->output_size);
	buffer_init(&utf8, w->lim->output_size);
	buffer_init(&conv, w->lim->output_size);
	buffer_init(&linked, w->lim->output_size);
	if (html && html_too_many_tags(data, len, w->lim)) {
		walk_hold(w, "limit.xml_nodes", loc, "HTML with more start tags"
		    " than limits.xml_nodes / 100");
		ret = 0;
		goto out;
	}
	if (html) {
		if (text_decode(w, loc, charset, data, len, &utf8) < 0)
			goto out;
		memset(&ho, 0, sizeof(ho));
		ho.links = w->ctx->opts->links;
		ho.max_out = w->lim->output_size;
		ho.max_depth = w->lim->xml_depth;
		ho.location = loc;
		before = w->r->findings_tail;
		if (htmltext_convert((const char *)utf8.data, utf8.used, &ho,
		    &conv, w->r) < 0)
			goto out;
		w->doc->html = true;
		if (report_has_code(w->r, "mail.link"))
			w->doc->links++;
		if (html_limits_hold(w, before)) {
			ret = 0;
			goto out;
		}
		if (text_cut_blocks(w, loc, (const char *)conv.data, conv.used,
		    &linked) < 0)
			goto out;
		ret = text_append(w, (const char *)linked.data, linked.used);
		goto out;
	}
	if (text_cut_blocks(w, loc, (const char *)data, len, &raw) < 0 ||
	    text_decode(w, loc, charset, raw.data, raw.used, &utf8) < 0)
		goto out;
	text_newlines(&utf8);
	pgp = text_pgp(w, loc, (const char *)utf8.data, utf8.used, &conv);
	if (pgp < 0)
		goto out;
	if (pgp == 1) {
		ret = 0;
		goto out;
	}
	cur = pgp == 2 ? &conv : &utf8;
	if (textlinks_rewrite((const char *)cur->data, cur->used,
	    w->ctx->opts->links, &linked, &links) < 0)
		goto out;
	if (links > 0)
		report_add(w->r, "mail.link", w->ctx->opts->links == LINKS_KEEP ?
		    FINDING_REPORTED : FINDING_REMOVED, loc, "%u links in text",
		    links);
	w->doc->links += links;
	ret = text_append(w, (const char *)linked.data, linked.used);
out:
	if (ret < 0 && !report_has_action(w->r, FINDING_HELD))
		walk_hold(w, "limit.output_size", loc,
		    "text over limits.output_size");
	buffer_free(&raw);
	buffer_free(&utf8);
	buffer_free(&conv);
	buffer_free(&linked);
	return 0;
}

/* ---- leaf parts ---- */

static int
part_bytes(struct walk *w, GMimePart *part, const unsigned char **data_r,
    size_t *len_r)
{
	int rc = mimepart_bytes(w->ctx->arena, part, data_r, len_r);

	if (rc == 1)
		report_add(w->r, "mime.bad_encoding", FINDING_REPORTED, NULL,
		    "content could not be decoded");
	return rc < 0 ? -1 : 0;
}

/* Base64 with bytes outside its alphabet: clients differ on what they
   skip, so the part is ambiguous. */
static bool
part_base64_dirty(GMimePart *part)
{
	GMimeDataWrapper *dw = g_mime_part_get_content(part);
	GMimeStream *s;
	char chunk[4096];
	ssize_t n, i;

	if (dw == NULL || g_mime_part_get_content_encoding(part) !=
	    GMIME_CONTENT_ENCODING_BASE64)
		return false;
	s = g_mime_data_wrapper_get_stream(dw);
	if (s == NULL || g_mime_stream_reset(s) < 0)
		return false;
	while ((n = g_mime_stream_read(s, chunk, sizeof(chunk))) > 0) {
		for (i = 0; i < n; i++) {
			unsigned char c = (unsigned char)chunk[i];

			if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
			    (c >= '0' && c <= '9') || c == '+' || c == '/' ||
			    c == '=' || c == '\r' || c == '\n' || c == ' ' ||
			    c == '\t'))
				return true;
		}
	}
	(void)g_mime_stream_reset(s);
	return false;
}

static const char *walk_raw_names(struct walk *w);

/* A part GMime read without headers whose content starts (after blank
   lines) with a Content- header: a client that skips the blank line
   reads it as a part of that type. */
static bool
part_looks_headless(GMimeObject *obj, const unsigned char *data, size_t len)
{
	GMimeHeaderList *hl = g_mime_object_get_header_list(obj);
	size_t i = 0;

	if (hl != NULL && g_mime_header_list_get_count(hl) > 0)
		return false;
	while (i < len && (data[i] == '\n' || data[i] == '\r'))
		i++;
	return len - i >= 8 && strncasecmp((const char *)data + i, "content-",
	    8) == 0;
}

static int walk_object(struct walk *w, GMimeObject *obj, unsigned depth,
    bool body_ok, const char *path);
static int walk_message(struct walk *w, GMimeMessage *m, unsigned depth,
    const char *path, bool nested);

static int
leaf_tnef(struct walk *w, const char *loc, const struct part_info *pi,
    const unsigned char *data, size_t len)
{
	struct tnef_result tr;
	struct tnef_file *f;

	memset(&tr, 0, sizeof(tr));
	if (tnef_unpack(w->ctx->arena, w->lim, data, len, &tr) < 0)
		return -1;
	if (tr.malformed || tr.limit_hit) {
		report_add(w->r, tr.limit_code != NULL ? tr.limit_code :
		    "mail.tnef", FINDING_HELD, loc, "TNEF could not be unpacked%s",
		    tr.limit_hit ? " within the limits" : "");
		return att_add(w, pi->nnames > 0 ? pi->names[0] :
		    "winmail.dat", NULL, "application/ms-tnef", "mime", data,
		    len, true);
	}
	report_add(w->r, "mail.tnef", FINDING_REMOVED, loc,
	    "TNEF unpacked: %u files", tr.count);
	if (tr.body_text != NULL && text_part(w, loc, NULL,
	    (const unsigned char *)tr.body_text, strlen(tr.body_text),
	    false) < 0)
		return -1;
	if (tr.body_text == NULL && tr.body_html != NULL && text_part(w, loc,
	    NULL, tr.body_html, tr.body_html_len, true) < 0)
		return -1;
	for (f = tr.files; f != NULL && !w->stop; f = f->next)
		if (att_add(w, f->name, NULL, "", "tnef", f->data, f->len,
		    false) < 0)
			return -1;
	if (tr.body_rtf != NULL && tr.body_rtf_len > 0 && !w->stop)
		return att_add(w, "body.rtf", NULL, "application/rtf", "tnef",
		    tr.body_rtf, tr.body_rtf_len, false);
	return 0;
}

/* Opaque S/MIME signed data: the signed entity is inside the CMS
   structure; take it out and read it like any other part. */
static int
leaf_smime_signed(struct walk *w, const char *loc, const unsigned char *data,
    size_t len, unsigned depth, const char *path)
{
	const unsigned char *p = data;
	CMS_ContentInfo *ci;
	ASN1_OCTET_STRING **content;
	GMimeStream *s;
	GMimeParser *parser;
	GMimeObject *inner = NULL;
	int ret = 0;

	ci = d2i_CMS_ContentInfo(NULL, &p, (long)len);
	content = ci != NULL ? CMS_get0_content(ci) : NULL;
	if (content == NULL || *content == NULL) {
		if (ci != NULL)
			CMS_ContentInfo_free(ci);
		walk_hold(w, "mail.encrypted", loc,
		    "S/MIME data that cannot be read");
		return 0;
	}
	report_add(w->r, "mail.signature", FINDING_REMOVED, loc,
	    "S/MIME signed data: signature removed, content kept");
	w->doc->signature_removed = true;
	s = g_mime_stream_mem_new_with_buffer(
	    (const char *)ASN1_STRING_get0_data(*content),
	    (size_t)ASN1_STRING_length(*content));
	parser = g_mime_parser_new_with_stream(s);
	inner = g_mime_parser_construct_part(parser, NULL);
	if (inner != NULL) {
		ret = walk_object(w, inner, depth + 1, true, path);
		g_object_unref(inner);
	} else
		walk_hold(w, "mime.malformed", loc,
		    "S/MIME content is not a MIME entity");
	g_object_unref(parser);
	g_object_unref(s);
	CMS_ContentInfo_free(ci);
	return ret;
}

static bool
type_is(const char *type, const char *a)
{
	return strcmp(type, a) == 0;
}

static bool
name_is_tnef(const struct part_info *pi)
{
	unsigned i;

	for (i = 0; i < pi->nnames; i++)
		if (strcasecmp(pi->names[i], "winmail.dat") == 0)
			return true;
	return false;
}

static int
walk_leaf(struct walk *w, GMimeObject *obj, const struct part_info *pi,
    unsigned depth, bool body_ok, const char *path)
{
	GMimePart *part = GMIME_PART(obj);
	const unsigned char *data;
	size_t len;
	bool text, html, ambiguous = pi->ambiguous;
	const char *type = pi->type[0] != '\0' ? pi->type : "text/plain";

	if (type_is(type, "application/pgp-signature") ||
	    type_is(type, "application/pkcs7-signature") ||
	    type_is(type, "application/x-pkcs7-signature")) {
		report_add(w->r, "mail.signature", FINDING_REMOVED, path,
		    "detached signature removed");
		w->doc->signature_removed = true;
		return 0;
	}
	if (type_is(type, "application/pgp-encrypted") ||
	    type_is(type, "message/external-body") ||
	    type_is(type, "message/partial")) {
		if (type_is(type, "application/pgp-encrypted"))
			walk_hold(w, "mail.encrypted", path, "PGP encrypted");
		else
			report_add(w->r, "mime.external_body", FINDING_REMOVED,
			    path, "%s removed", type);
		return 0;
	}
	if (part_bytes(w, part, &data, &len) < 0)
		return -1;
	if (part_looks_headless(obj, data, len)) {
		report_add(w->r, "mime.malformed", FINDING_HELD, path,
		    "part without headers whose text starts like headers; file"
		    " names seen: %s", walk_raw_names(w));
		w->doc->held = true;
		return 0;
	}
	if (part_base64_dirty(part)) {
		report_add(w->r, "mime.bad_encoding", FINDING_REPORTED, path,
		    "base64 with bytes outside its alphabet");
		ambiguous = true;
	}
	if (type_is(type, "application/pkcs7-mime") ||
	    type_is(type, "application/x-pkcs7-mime")) {
		if (pi->smime_type != NULL &&
		    strcasecmp(pi->smime_type, "signed-data") == 0)
			return leaf_smime_signed(w, path, data, len, depth, path);
		walk_hold(w, "mail.encrypted", path, "S/MIME encrypted");
		return 0;
	}
	if (type_is(type, "application/ms-tnef") ||
	    type_is(type, "application/vnd.ms-tnef") || name_is_tnef(pi))
		return leaf_tnef(w, path, pi, data, len);

	text = type_is(type, "text/plain") || type_is(type, "text/html");
	html = type_is(type, "text/html");
	if (text && !pi->attachment && pi->nnames == 0 && !ambiguous) {
		if (!body_ok)
			return 0;	/* an alternative not chosen */
		return text_part(w, path, pi->charset, data, len, html);
	}
	return att_add(w, pi->nnames > 0 ? pi->names[0] : "",
	    info_other_names(w, pi), type, "mime", data, len, ambiguous);
}

/*
 * Every file name any Content-Type / Content-Disposition line of the
 * raw message gives (lax readings included), as "a, b": a message held
 * because its structure is ambiguous still tells the reader which files
 * it carried, whichever way a client splits it.
 */
static const char *
walk_raw_names(struct walk *w)
{
	struct part_info pi;
	struct buffer names;
	const char *p = (const char *)w->in, *end = p + w->len, *nl, *s;
	unsigned i;

	memset(&pi, 0, sizeof(pi));
	buffer_init(&pi.raw, w->len + 2);
	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		if (strncasecmp(p, "content-type", 12) != 0 &&
		    strncasecmp(p, "content-disposition", 19) != 0)
			continue;
		s = memchr(p, ':', (size_t)(nl - p));
		if (s == NULL)
			continue;
		/* The header with its continuation lines. */
		while (nl < end && nl + 1 < end && (nl[1] == ' ' || nl[1] == '\t')) {
			const char *n2 = memchr(nl + 1, '\n',
			    (size_t)(end - nl - 1));
			nl = n2 != NULL ? n2 : end;
		}
		(void)buffer_append(&pi.raw, s + 1, (size_t)(nl - s - 1));
		(void)buffer_append(&pi.raw, ";", 1);
	}
	(void)lenient_names(w, &pi, false);
	buffer_free(&pi.raw);
	buffer_init(&names, 64 * 1024);
	for (i = 0; i < pi.nnames; i++)
		(void)buffer_printf(&names, "%s%s", i > 0 ? ", " : "",
		    pi.names[i]);
	s = arena_strndup(w->ctx->arena, names.used > 0 ?
	    (const char *)names.data : "-", names.used > 0 ? names.used : 1);
	buffer_free(&names);
	return s;
}

/* ---- multiparts ---- */

/* The alternative a reader gets: the plain text, else the HTML (or
   the multipart/related around it), else the first. */
static int
alternative_pick(struct walk *w, GMimeMultipart *mp, int count)
{
	int i, html = -1, related = -1;

	for (i = 0; i < count; i++) {
		GMimeObject *c = g_mime_multipart_get_part(mp, i);
		GMimeContentType *ct = g_mime_object_get_content_type(c);

		if (ct == NULL)
			continue;
		if (g_mime_content_type_is_type(ct, "text", "plain"))
			return i;
		if (g_mime_content_type_is_type(ct, "text", "html") && html < 0)
			html = i;
		if (g_mime_content_type_is_type(ct, "multipart", "*") &&
		    related < 0)
			related = i;
	}
	(void)w;
	return html >= 0 ? html : related >= 0 ? related : 0;
}

static bool
child_is_texty(GMimeObject *c)
{
	GMimeContentType *ct = g_mime_object_get_content_type(c);

	return ct != NULL && (g_mime_content_type_is_type(ct, "text", "*") ||
	    g_mime_content_type_is_type(ct, "multipart", "related") ||
	    g_mime_content_type_is_type(ct, "multipart", "alternative"));
}

static int
walk_multipart(struct walk *w, GMimeObject *obj, const struct part_info *pi,
    unsigned depth, bool body_ok, const char *path)
{
	GMimeMultipart *mp = GMIME_MULTIPART(obj);
	int i, count = g_mime_multipart_get_count(mp), pick = -1;
	const char *edge[2];
	char sub[WALK_PATH_MAX];
	bool alt = type_is(pi->type, "multipart/alternative");
	bool related = type_is(pi->type, "multipart/related");

	if (pi->boundary_conflict || pi->ambiguous) {
		report_add(w->r, "mime.duplicate_param", FINDING_HELD, path,
		    "multipart with two different boundaries or types; file"
		    " names seen: %s", walk_raw_names(w));
		w->doc->held = true;
		body_ok = false;	/* list what GMime's reading finds */
	}
	if (GMIME_IS_MULTIPART_ENCRYPTED(obj)) {
		walk_hold(w, "mail.encrypted", path, "encrypted multipart");
		return 0;
	}
	/* Text before the first and after the last boundary is hidden by
	   most clients but shown by some: only embedded files matter. */
	edge[0] = g_mime_multipart_get_prologue(mp);
	edge[1] = g_mime_multipart_get_epilogue(mp);
	for (i = 0; i < 2; i++) {
		struct buffer rest;

		if (edge[i] == NULL || edge[i][0] == '\0')
			continue;
		buffer_init(&rest, w->lim->output_size);
		if (text_cut_blocks(w, path, edge[i], strlen(edge[i]),
		    &rest) < 0) {
			buffer_free(&rest);
			return -1;
		}
		buffer_free(&rest);
	}
	if (alt)
		pick = alternative_pick(w, mp, count);
	for (i = 0; i < count && !w->stop; i++) {
		GMimeObject *c = g_mime_multipart_get_part(mp, i);
		bool c_body = body_ok;

		snprintf(sub, sizeof(sub), "%s.%d", path, i + 1);
		if (GMIME_IS_MULTIPART_SIGNED(obj) && i == 1) {
			report_add(w->r, "mail.signature", FINDING_REMOVED, sub,
			    "signature part removed");
			w->doc->signature_removed = true;
			continue;
		}
		if (alt && i != pick) {
			if (child_is_texty(c)) {
				if (g_mime_content_type_is_type(
				    g_mime_object_get_content_type(c), "text",
				    "html"))
					report_add(w->r, "mail.html",
					    FINDING_REMOVED, sub,
					    "HTML alternative dropped, text"
					    " alternative delivered");
				continue;
			}
			c_body = false;
		}
		if (related && i > 0)
			c_body = false;
		if (walk_object(w, c, depth + 1, c_body, sub) < 0)
			return -1;
	}
	return 0;
}

/* ---- objects and messages ---- */

static int
walk_object(struct walk *w, GMimeObject *obj, unsigned depth, bool body_ok,
    const char *path)
{
	struct part_info pi;

	if (w->stop)
		return 0;
	if (++w->doc->parts > w->lim->mime_parts) {
		walk_hold(w, "limit.mime_parts", path,
		    "more parts than limits.mime_parts");
		w->stop = true;
		return 0;
	}
	if (depth > w->lim->mime_depth) {
		walk_hold(w, "limit.mime_depth", path,
		    "nested deeper than limits.mime_depth");
		w->stop = true;
		return 0;
	}
	if (part_info_read(w, obj, path, &pi) < 0)
		return -1;
	if (GMIME_IS_MESSAGE_PART(obj)) {
		GMimeMessage *m = g_mime_message_part_get_message(
		    GMIME_MESSAGE_PART(obj));

		if (m == NULL)
			return 0;
		return walk_message(w, m, depth + 1, path, true);
	}
	if (GMIME_IS_MESSAGE_PARTIAL(obj)) {
		report_add(w->r, "mime.external_body", FINDING_REMOVED, path,
		    "partial message removed");
		return 0;
	}
	if (GMIME_IS_MULTIPART(obj))
		return walk_multipart(w, obj, &pi, depth, body_ok, path);
	if (strncmp(pi.type, "multipart/", 10) == 0 || pi.boundary_conflict) {
		/* Declared multipart, read as a leaf: a client may split it. */
		report_add(w->r, "mime.broken_boundary", FINDING_HELD, path,
		    "multipart that cannot be split as declared; file names"
		    " seen: %s", walk_raw_names(w));
		w->doc->held = true;
		return 0;
	}
	if (GMIME_IS_PART(obj))
		return walk_leaf(w, obj, &pi, depth, body_ok, path);
	return 0;
}

/* Decode one allow-listed header value to UTF-8 (arena). */
static const char *
header_decode(struct walk *w, enum mail_hdr h, const char *raw)
{
	struct charset_result cr;
	struct buffer b;
	const char *s = NULL;
	size_t i;
	int rc;

	buffer_init(&b, w->lim->header_bytes + 1024);
	memset(&cr, 0, sizeof(cr));
	if (h == MAIL_HDR_SUBJECT)
		rc = encword_decode_text(raw, strlen(raw), &b, &cr);
	else if (h <= MAIL_HDR_REPLY_TO)
		rc = encword_decode_phrase(raw, strlen(raw), &b, &cr);
	else {
		/* Dates and message ids: printable ASCII only. */
		rc = 0;
		for (i = 0; raw[i] != '\0' && rc == 0; i++) {
			unsigned char c = (unsigned char)raw[i];

			if (c == '\r' || c == '\n' || c == '\t')
				c = ' ';
			if (c >= 0x20 && c < 0x7f && !(c == ' ' && b.used > 0 &&
			    b.data[b.used - 1] == ' '))
				rc = buffer_append(&b, &c, 1);
		}
	}
	if (rc == 0) {
		while (b.used > 0 && b.data[b.used - 1] == ' ')
			b.used--;
		i = 0;
		while (i < b.used && b.data[i] == ' ')
			i++;
		s = arena_strndup(w->ctx->arena, b.used > 0 ?
		    (const char *)b.data + i : "", b.used - i);
	}
	buffer_free(&b);
	return s;
}

static int
headers_read(struct walk *w, GMimeMessage *m, const char *out[MAIL_HDR_COUNT])
{
	GMimeHeaderList *hl = g_mime_object_get_header_list(GMIME_OBJECT(m));
	int i, count = hl != NULL ? g_mime_header_list_get_count(hl) : 0;
	unsigned seen[MAIL_HDR_COUNT] = { 0 };
	unsigned h;

	for (i = 0; i < count; i++) {
		GMimeHeader *hd = g_mime_header_list_get_header_at(hl, i);
		const char *name = g_mime_header_get_name(hd);
		const char *raw = g_mime_header_get_raw_value(hd);

		if (name == NULL || raw == NULL)
			continue;
		for (h = 0; h < MAIL_HDR_COUNT; h++)
			if (strcasecmp(name, mail_hdr_names[h]) == 0)
				break;
		if (h == MAIL_HDR_COUNT)
			continue;
		if (seen[h]++ > 0) {
			/* Clients show the first or the last: keep the first
			   and say there was another. */
			report_add(w->r, "mime.duplicate_header",
			    FINDING_REPORTED, NULL, "%s given more than once",
			    mail_hdr_names[h]);
			continue;
		}
		out[h] = header_decode(w, (enum mail_hdr)h, raw);
		if (out[h] == NULL)
			return -1;
	}
	return 0;
}

static int
walk_message(struct walk *w, GMimeMessage *m, unsigned depth,
    const char *path, bool nested)
{
	const char *h[MAIL_HDR_COUNT] = { NULL };
	GMimeObject *body = g_mime_message_get_mime_part(m);
	struct buffer *t = &w->doc->text;
	int ret;

	if (headers_read(w, m, nested ? h : w->doc->hdr) < 0)
		return -1;
	if (nested) {
		report_add(w->r, "mail.rfc822", FINDING_REPORTED, path,
		    "attached message textified");
		if (text_append(w, "", 0) < 0 || (t->used > 0 &&
		    buffer_append(t, "\n\n", 2) < 0) || buffer_printf(t,
		    "---------- 添付メッセージ / Attached message ----------\n"
		    "From: %s\nDate: %s\nSubject: %s\n",
		    h[MAIL_HDR_FROM] ? h[MAIL_HDR_FROM] : "",
		    h[MAIL_HDR_DATE] ? h[MAIL_HDR_DATE] : "",
		    h[MAIL_HDR_SUBJECT] ? h[MAIL_HDR_SUBJECT] : "") < 0)
			return -1;
	}
	ret = body != NULL ? walk_object(w, body, depth, true,
	    nested ? path : "1") : 0;
	if (ret == 0 && nested && buffer_append_str(t,
	    "\n---------- ここまで / End of attached message ----------") < 0)
		ret = -1;
	return ret;
}

int
mailwalk_run(struct cdr_ctx *ctx, struct report *r, const unsigned char *in,
    size_t len, struct mail_doc *doc)
{
	struct walk w = { ctx, r, doc, ctx->limits, 0, false, in, len };
	GMimeParserOptions *po;
	GMimeStream *s;
	GMimeParser *parser;
	GMimeMessage *m;
	bool mixed = false;
	int ret = 0, pre;

	memset(doc, 0, sizeof(*doc));
	buffer_init(&doc->text, ctx->limits->output_size);
	pre = walk_prescan(&w, in, len, &mixed);
	if (pre < 0)
		return 0;
	if (pre > 0)
		w.stop = true;	/* headers only */
	if (mixed && (in = walk_normalize(&w, in, len, &len)) == NULL) {
		report_set_error(r, "out of memory reading the message");
		return -1;
	}
	w.in = in;
	w.len = len;
	po = g_mime_parser_options_new();
	g_mime_parser_options_set_warning_callback(po, walk_warning, &w);
	g_mime_parser_options_set_rfc2047_compliance_mode(po,
	    GMIME_RFC_COMPLIANCE_LOOSE);
	s = g_mime_stream_mem_new_with_buffer((const char *)in, len);
	parser = g_mime_parser_new_with_stream(s);
	g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
	m = g_mime_parser_construct_message(parser, po);
	if (m == NULL)
		walk_hold(&w, "mime.malformed", NULL,
		    "no message could be read");
	else {
		ret = walk_message(&w, m, 0, "1", false);
		g_object_unref(m);
	}
	g_object_unref(parser);
	g_object_unref(s);
	g_mime_parser_options_free(po);
	if (ret < 0 && r->error == NULL)
		report_set_error(r, "out of memory reading the message");
	return ret;
}
