/*
 * mail - see mail.h. This file runs the attachments through the file
 * engine, writes the notice and picks what the X-Sanso header says.
 */
#include <string.h>

#include <gmime/gmime.h>

#include "charset.h"
#include "engine.h"
#include "filetype.h"
#include "hash.h"
#include "mail.h"
#include "mailout.h"
#include "mailwalk.h"

/* One attachment after the engine. */
struct att_done {
	const struct mail_attachment *a;
	struct report *rep;
	enum attach_action action;
	bool reattached;
	const char *out_name;
	struct buffer out;
	char sha[65];
};

void
mail_prewarm(void)
{
	g_mime_init();
	charset_prewarm();
}

/* The families a name may claim that never pass, whatever the bytes:
   a second name another client would use counts as much as the first. */
static void
att_check_other_names(struct report *rep, const char *names)
{
	char buf[1024];
	char *save = NULL, *tok;
	enum file_family fam;

	if (names == NULL)
		return;
	snprintf(buf, sizeof(buf), "%s", names);
	for (tok = strtok_r(buf, "/", &save); tok != NULL;
	    tok = strtok_r(NULL, "/", &save)) {
		while (*tok == ' ')
			tok++;
		fam = filetype_family(filetype_from_name(tok));
		if (fam == FAMILY_EXECUTABLE || fam == FAMILY_SCRIPT ||
		    fam == FAMILY_SHORTCUT || fam == FAMILY_DISK_IMAGE)
			report_add(rep, "type.mismatch", FINDING_BLOCKED, NULL,
			    "another reading names it %s", tok);
	}
}

/* "name.docm" -> "name.docx" when the engine changed the type. */
static const char *
att_out_name(struct arena *arena, const char *name, const char *new_ext)
{
	const char *dot;

	if (new_ext == NULL || new_ext[0] == '\0')
		return name[0] != '\0' ? name : "attachment";
	if (name[0] == '\0')
		return arena_printf(arena, "attachment.%s", new_ext);
	dot = strrchr(name, '.');
	if (dot == NULL)
		return arena_printf(arena, "%s.%s", name, new_ext);
	return arena_printf(arena, "%.*s.%s", (int)(dot - name), name, new_ext);
}

static int
att_process(struct cdr_ctx *ctx, const struct mail_options *mo,
    struct report *r, const struct mail_attachment *a, bool held,
    struct att_done *d)
{
	struct cdr_ctx sub = *ctx;
	enum file_type type;
	enum verdict v;
	unsigned fam;

	memset(d, 0, sizeof(*d));
	d->a = a;
	buffer_init(&d->out, ctx->limits->output_size);
	hash_sha256_hex(a->data, a->len, d->sha);
	d->rep = report_add_child(r, a->name[0] != '\0' ? a->name : NULL);
	if (d->rep == NULL)
		return -1;
	type = filetype_detect(a->data, a->len, a->name, ctx->limits);
	fam = (unsigned)filetype_family(type);
	d->action = fam < MAIL_FAMILY_SLOTS ?
	    (enum attach_action)mo->attach[fam] : ATTACH_REMOVE;
	if (d->action > ATTACH_HOLD)
		d->action = ATTACH_REMOVE;
	if (d->action == ATTACH_SANITIZE && (a->ambiguous || held))
		d->action = ATTACH_HOLD;
	sub.inspect = ctx->inspect || d->action != ATTACH_SANITIZE;
	sub.depth = 0;
	if (engine_run(&sub, d->rep, a->name[0] != '\0' ? a->name : NULL,
	    a->data, a->len, &d->out) < 0 && d->rep->error == NULL)
		report_set_error(d->rep, "engine failed");
	report_set_input(d->rep, a->len, d->sha);
	att_check_other_names(d->rep, a->other_names);
	v = report_verdict(d->rep);
	if (d->action == ATTACH_SANITIZE && (v == VERDICT_CLEAN ||
	    v == VERDICT_SANITIZED) && !sub.inspect) {
		char osha[65];

		d->reattached = true;
		d->out_name = att_out_name(ctx->arena, a->name,
		    d->rep->new_ext);
		hash_sha256_hex(d->out.data, d->out.used, osha);
		report_set_output(d->rep, d->out.used, osha);
		report_set_output_name(d->rep, d->out_name);
		report_add(r, "mail.attachment", FINDING_REPORTED, a->name,
		    "re-attached after sanitizing as %s", d->out_name);
		return 0;
	}
	report_clear_output(d->rep);
	if (d->action == ATTACH_SANITIZE)
		d->action = v == VERDICT_HELD ? ATTACH_HOLD : ATTACH_REMOVE;
	report_add(r, "mail.attachment", d->action == ATTACH_HOLD ?
	    FINDING_HELD : FINDING_REMOVED, a->name, "%s (verdict %s)",
	    d->action == ATTACH_HOLD ? "held" : "removed", verdict_name(v));
	return 0;
}

/* Codes of a report's findings (and its children's), comma-separated. */
static void
codes_of(const struct report *r, struct buffer *b)
{
	const struct report_finding *f;
	const struct report *c;

	for (f = r->findings; f != NULL; f = f->next)
		if (memmem(b->data != NULL ? b->data : (const unsigned char *)"",
		    b->used, f->code, strlen(f->code)) == NULL)
			(void)buffer_printf(b, "%s%s", b->used > 0 ? ", " : "",
			    f->code);
	for (c = r->children; c != NULL; c = c->next)
		codes_of(c, b);
}

static const char *const action_ja[] = {
	"削除しました", "無害化して添付しました", "保留しました（解除申請ができます）",
};
static const char *const action_en[] = {
	"removed", "sanitized and re-attached", "held (release on request)",
};

static void
notice_attachment(struct buffer *b, const struct att_done *d, const char *qid,
    bool ja)
{
	struct buffer codes;
	const struct mail_attachment *a = d->a;
	const char *verdict = verdict_name(report_verdict(d->rep));

	buffer_init(&codes, 64 * 1024);
	codes_of(d->rep, &codes);
	(void)buffer_printf(b, " [%u] %s\n", a->index,
	    a->name[0] != '\0' ? a->name : ja ? "（名前なし）" : "(no name)");
	if (a->other_names != NULL)
		(void)buffer_printf(b, "     %s: %s\n",
		    ja ? "別の名前" : "also named", a->other_names);
	if (ja)
		(void)buffer_printf(b, "     サイズ: %zu バイト / 種類: %s / 判定: %s\n",
		    a->len, d->rep->type != NULL ? d->rep->type : "unknown",
		    verdict);
	else
		(void)buffer_printf(b, "     size: %zu bytes / type: %s / verdict: %s\n",
		    a->len, d->rep->type != NULL ? d->rep->type : "unknown",
		    verdict);
	(void)buffer_printf(b, "     SHA-256: %s\n", d->sha);
	if (codes.used > 0)
		(void)buffer_printf(b, "     %s: %.*s\n", ja ? "検出" : "findings",
		    (int)codes.used, (const char *)codes.data);
	if (strcmp(a->origin, "mime") != 0)
		(void)buffer_printf(b, "     %s: %s\n", ja ? "取り出し元" : "from",
		    a->origin);
	if (d->reattached)
		(void)buffer_printf(b, "     %s: %s (%s)\n", ja ? "処理" : "action",
		    ja ? action_ja[1] : action_en[1], d->out_name);
	else
		(void)buffer_printf(b, "     %s: %s\n", ja ? "処理" : "action",
		    ja ? action_ja[d->action] : action_en[d->action]);
	if (qid[0] != '\0')
		(void)buffer_printf(b, "     %s: %s#%u\n",
		    ja ? "隔離ID" : "quarantine id", qid, a->index);
	buffer_free(&codes);
}

/* Held findings of the message itself, as "code: detail; ...". */
static void
held_reasons(const struct report *r, struct buffer *b)
{
	const struct report_finding *f;

	for (f = r->findings; f != NULL; f = f->next)
		if (f->action == FINDING_HELD &&
		    strcmp(f->code, "mail.attachment") != 0)
			(void)buffer_printf(b, "%s%s%s%s", b->used > 0 ? "; " :
			    "", f->code, f->detail != NULL ? ": " : "",
			    f->detail != NULL ? f->detail : "");
}

static void
notice_write(struct buffer *b, const struct mail_doc *doc,
    const struct report *r, const struct att_done *atts, unsigned n,
    const char *qid, bool held)
{
	static const char rule[] =
	    "━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━\n";
	struct buffer why;
	unsigned i, lang;

	buffer_init(&why, 64 * 1024);
	held_reasons(r, &why);
	(void)buffer_append_str(b, rule);
	for (lang = 0; lang < 2; lang++) {
		bool ja = lang == 0;

		if (held)
			(void)buffer_printf(b, ja ?
			    "【保留通知】このメールは sanso により保留されました。"
			    "本文は配信されません。\n理由: %.*s\n" :
			    "[Held] sanso held this message. Its text is not"
			    " delivered.\nReason: %.*s\n", (int)why.used,
			    (const char *)why.data);
		else
			(void)buffer_append_str(b, ja ?
			    "【無害化通知】このメールは sanso により無害化"
			    "（テキスト化）されました。\n" :
			    "[Sanitized] sanso converted this message to"
			    " text.\n");
		if (qid[0] != '\0')
			(void)buffer_printf(b, ja ?
			    "原本は隔離ID %s で保管されています。\n" :
			    "The original is kept as %s.\n", qid);
		if (doc->html && !held)
			(void)buffer_append_str(b, ja ?
			    "HTML形式の本文はテキストに変換しました。\n" :
			    "The HTML body was converted to text.\n");
		if (doc->links > 0 && !held)
			(void)buffer_append_str(b, ja ?
			    "本文中のリンクは無効化または削除されています。\n" :
			    "Links in the text were defanged or removed.\n");
		if (doc->signature_removed && !held)
			(void)buffer_append_str(b, ja ?
			    "電子署名は削除されました（本文は保持しています）。\n" :
			    "The signature was removed; the signed text was kept.\n");
		if (n > 0)
			(void)buffer_printf(b, ja ? "添付ファイル %u 件:\n" :
			    "Attachments (%u):\n", n);
		for (i = 0; i < n; i++)
			notice_attachment(b, &atts[i], qid, ja);
		(void)buffer_append_str(b, lang == 0 ? "\n" : rule);
	}
	buffer_free(&why);
}

/* X-Sanso tokens, in the style the field knows (m-FILTER's
   X-MAIL-SANITIZED): what was done to the message. */
static void
what_done(struct buffer *b, const struct mail_doc *doc,
    const struct att_done *atts, unsigned n, bool held)
{
	bool del = false, hold = false, san = false;
	unsigned i;

	for (i = 0; i < n; i++) {
		if (atts[i].reattached)
			san = true;
		else if (atts[i].action == ATTACH_HOLD)
			hold = true;
		else
			del = true;
	}
	if (held)
		(void)buffer_append_str(b, "HELD ");
	(void)buffer_append_str(b, "CHG_TEXT");
	if (doc->html)
		(void)buffer_append_str(b, " HTML_TEXT");
	if (del)
		(void)buffer_append_str(b, " DEL_ATTACH");
	if (hold)
		(void)buffer_append_str(b, " HOLD_ATTACH");
	if (san)
		(void)buffer_append_str(b, " SAN_ATTACH");
	if (doc->links > 0)
		(void)buffer_append_str(b, " REP_LINK");
	if (doc->cut_blocks > 0)
		(void)buffer_append_str(b, " CUT_INLINE");
	if (doc->signature_removed)
		(void)buffer_append_str(b, " DEL_SIGN");
}

static int
mail_finish(struct cdr_ctx *ctx, const struct mail_options *mo,
    struct mail_doc *doc, struct report *r, struct att_done *atts,
    unsigned n, struct buffer *out)
{
	struct mailout_file *files = NULL, **tail = &files, *f;
	struct buffer body, what;
	bool held = report_has_action(r, FINDING_HELD) && doc->held;
	unsigned i;
	int ret;

	buffer_init(&body, ctx->limits->output_size);
	buffer_init(&what, 1024);
	if (report_verdict(r) != VERDICT_CLEAN || n > 0)
		notice_write(&body, doc, r, atts, n, mo->qid, held);
	if (!held && doc->text.used > 0) {
		if (body.used > 0)
			(void)buffer_append(&body, "\n", 1);
		(void)buffer_append(&body, doc->text.data, doc->text.used);
	}
	if (body.used == 0 || body.data[body.used - 1] != '\n')
		(void)buffer_append(&body, "\n", 1);
	what_done(&what, doc, atts, n, held);
	for (i = 0; i < n && !held; i++) {
		if (!atts[i].reattached)
			continue;
		f = arena_alloc(ctx->arena, sizeof(*f));
		if (f == NULL)
			break;
		f->name = atts[i].out_name;
		f->mime = filetype_mime(filetype_from_name(f->name));
		if (strcmp(f->mime, filetype_mime(FT_UNKNOWN)) == 0 &&
		    atts[i].rep->type != NULL)
			f->mime = "application/octet-stream";
		f->data = atts[i].out.data;
		f->len = atts[i].out.used;
		f->next = NULL;
		*tail = f;
		tail = &f->next;
	}
	ret = mailout_write(mo, doc, (const char *)what.data,
	    (const char *)body.data, body.used, files, out);
	if (ret < 0)
		report_set_error(r, "sanitized message over limits.output_size");
	buffer_free(&body);
	buffer_free(&what);
	return ret;
}

int
mail_sanitize(struct cdr_ctx *ctx, const struct mail_options *mo,
    const unsigned char *in, size_t len, struct buffer *out,
    struct report *r)
{
	struct mail_doc doc;
	struct att_done *atts = NULL;
	const struct mail_attachment *a;
	unsigned n = 0, i;
	int ret = -1;

	report_set_type(r, filetype_name(FT_MAIL));
	if (len > ctx->limits->file_size) {
		/* Not even read: the notice alone goes out. */
		memset(&doc, 0, sizeof(doc));
		buffer_init(&doc.text, 0);
		report_add(r, "limit.file_size", FINDING_HELD, NULL,
		    "message larger than limits.file_size");
		doc.held = true;
	} else if (mailwalk_run(ctx, r, in, len, &doc) < 0)
		goto out;
	/* The subject names the message in reports and the quarantine. */
	if (doc.hdr[MAIL_HDR_SUBJECT] != NULL)
		r->name = doc.hdr[MAIL_HDR_SUBJECT];
	if ((mo->flags & MAIL_FLAG_AV_HIT) != 0) {
		report_add(r, arena_printf(ctx->arena, "av.%s", mo->av_name),
		    FINDING_HELD, NULL, "malware found in the message");
		doc.held = true;
	}
	if (doc.natts > 0) {
		atts = arena_alloc(ctx->arena, doc.natts * sizeof(*atts));
		if (atts == NULL)
			goto out;
	}
	for (a = doc.atts; a != NULL; a = a->next, n++)
		if (att_process(ctx, mo, r, a, doc.held, &atts[n]) < 0)
			goto out;
	ret = mail_finish(ctx, mo, &doc, r, atts, n, out);
out:
	for (i = 0; i < n; i++)
		buffer_free(&atts[i].out);
	buffer_free(&doc.text);
	if (ret < 0 && r->error == NULL)
		report_set_error(r, "internal failure");
	return ret;
}
