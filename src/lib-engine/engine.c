/*
 * engine - detect by content, dispatch to the format module, recurse.
 *
 * The only place that knows every format. Type families that sanso
 * never lets through (programs, scripts, shortcuts, disk images,
 * OneNote, anything unrecognised) are decided here, so the default for
 * a type nobody wrote a module for is "blocked", not "passed".
 */
#include <string.h>

#include "archive_cdr.h"
#include "engine.h"
#include "hash.h"
#include "image_cdr.h"
#include "markup_cdr.h"
#include "ole_cdr.h"
#include "ooxml_cdr.h"
#include "pdf_cdr.h"
#include "rtf_cdr.h"
#include "text_cdr.h"

/* The format module for a type, or NULL when the type is never passed. */
static cdr_format_fn *
engine_module(enum file_type type)
{
	switch (filetype_family(type)) {
	case FAMILY_PDF:
		return pdf_cdr;
	case FAMILY_OOXML:
		return ooxml_cdr;
	case FAMILY_OLE:
		return ole_cdr;
	case FAMILY_RTF:
		return rtf_cdr;
	case FAMILY_ARCHIVE:
		return archive_cdr;
	case FAMILY_IMAGE:
		return image_cdr;
	case FAMILY_SVG:
		return svg_cdr;
	case FAMILY_HTML:
		return html_cdr;
	case FAMILY_TEXT:
		return text_cdr;
	case FAMILY_CSV:
		return csv_cdr;
	case FAMILY_UNKNOWN:
	case FAMILY_EXECUTABLE:
	case FAMILY_SCRIPT:
	case FAMILY_SHORTCUT:
	case FAMILY_DISK_IMAGE:
	case FAMILY_ONENOTE:
		break;
	}
	return NULL;
}

/* Record why a type that has no module is blocked. */
static void
engine_block_type(struct report *r, enum file_type type)
{
	const char *code;

	switch (filetype_family(type)) {
	case FAMILY_EXECUTABLE:
		code = "type.executable";
		break;
	case FAMILY_SCRIPT:
		code = "type.script";
		break;
	case FAMILY_SHORTCUT:
		code = "type.shortcut";
		break;
	case FAMILY_DISK_IMAGE:
		code = "type.disk_image";
		break;
	case FAMILY_ONENOTE:
		code = "type.onenote";
		break;
	default:
		code = "type.unsupported";
		break;
	}
	report_add(r, code, FINDING_BLOCKED, NULL, "%s content is never passed",
	    filetype_name(type));
}

/*
 * A type.mismatch finding when the name claims another type. The name
 * never decides what the bytes are, but Windows decides by the name
 * what to do with them: a file named as a program, script, shortcut or
 * disk image is blocked whatever it holds, since the output would keep
 * that name.
 */
static void
engine_check_name(struct report *r, const char *name, enum file_type type)
{
	enum file_type declared = filetype_from_name(name);

	if (declared == FT_UNKNOWN || filetype_compatible(declared, type))
		return;
	report_add(r, "type.mismatch", engine_module(declared) == NULL ?
	    FINDING_BLOCKED : FINDING_REPORTED, NULL,
	    "name says %s, content is %s", filetype_name(declared),
	    filetype_name(type));
}

/*
 * An encrypted OOXML package: open it with the well-known default
 * password when allowed (Excel's VelvetSweatshop is public, so such a
 * file is not really protected) and sanitize what is inside; otherwise
 * a person must decide.
 */
static int
engine_encrypted_ooxml(struct cdr_ctx *ctx, struct report *r,
    const unsigned char *in, size_t len, struct buffer *out)
{
	struct buffer plain;
	enum file_type inner;
	int ret;

	if (!ctx->opts->try_default_passwords) {
		report_add(r, "ooxml.encrypted", FINDING_HELD, NULL,
		    "encrypted package; password needed");
		return 0;
	}
	buffer_init(&plain, ctx->limits->file_size);
	ret = ole_decrypt_default(ctx, r, in, len, &plain);
	if (ret <= 0) {
		if (ret == 0)
			report_add(r, "ooxml.encrypted", FINDING_HELD, NULL,
			    "encrypted package; no default password opens it");
		buffer_free(&plain);
		return ret;
	}
	inner = filetype_detect(plain.data, plain.used, NULL, ctx->limits);
	if (filetype_family(inner) != FAMILY_OOXML) {
		report_add(r, "ooxml.malformed", FINDING_BLOCKED, NULL,
		    "decrypted package is %s, not OOXML", filetype_name(inner));
		buffer_free(&plain);
		return 0;
	}
	/* ole_decrypt_default() has recorded ooxml.encrypted (removed). */
	report_set_type(r, filetype_name(inner));
	if (filetype_ext(inner)[0] != '\0')
		report_set_new_ext(r, filetype_ext(inner));
	ret = ooxml_cdr(ctx, r, inner, plain.data, plain.used, out);
	buffer_free(&plain);
	return ret;
}

static int
engine_recurse(struct cdr_ctx *ctx, struct report *child, const char *name,
    const unsigned char *in, size_t len, struct buffer *out)
{
	return engine_run(ctx, child, name, in, len, out);
}

int
engine_run(struct cdr_ctx *ctx, struct report *r, const char *name,
    const unsigned char *in, size_t len, struct buffer *out)
{
	cdr_format_fn *fn;
	enum file_type type;
	enum verdict v;
	char hex[65];
	int ret = 0;

	ctx->recurse = engine_recurse;
	if (ctx->depth > 0) {
		hash_sha256_hex(in, len, hex);
		report_set_input(r, len, hex);
	} else
		report_set_input(r, len, "");
	report_clear_output(r);
	if (len > ctx->limits->file_size) {
		report_add(r, "limit.file_size", FINDING_BLOCKED, NULL,
		    "%zu bytes > limit %llu", len,
		    (unsigned long long)ctx->limits->file_size);
		return 0;
	}
	type = filetype_detect(in, len, name, ctx->limits);
	if (type == FT_OLE_OTHER)
		type = ole_detect(in, len);
	report_set_type(r, filetype_name(type));
	engine_check_name(r, name, type);

	fn = engine_module(type);
	if (type == FT_OOXML_ENCRYPTED)
		ret = engine_encrypted_ooxml(ctx, r, in, len, out);
	else if (fn == NULL)
		engine_block_type(r, type);
	else
		ret = fn(ctx, r, type, in, len, out);
	if (ret < 0 && r->error == NULL)
		report_set_error(r, "%s module failed", filetype_name(type));

	v = report_verdict(r);
	if (ctx->inspect || (v != VERDICT_CLEAN && v != VERDICT_SANITIZED)) {
		/* Nothing that did not pass may leave as output. */
		buffer_reset(out);
		return ret < 0 ? -1 : 0;
	}
	if (ctx->depth > 0)
		hash_sha256_hex(out->data != NULL ? out->data :
		    (const unsigned char *)"", out->used, hex);
	else
		hex[0] = '\0';
	report_set_output(r, out->used, hex);
	return 0;
}
