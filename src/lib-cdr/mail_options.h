/*
 * mail_options - what the policy decides for one inbound mail, in the
 * fixed binary form the parent hands to the sandboxed worker.
 *
 * The parent maps the policy (mail.attachments, mail.attachment_rules,
 * mail.output_charset, the quarantine id it reserved) onto this; the
 * worker's mail module (src/lib-mail) only follows it. Plain integers
 * and a fixed char array, so the struct crosses the job socket as is
 * (both ends are the same build).
 */
#ifndef SANSO_MAIL_OPTIONS_H
#define SANSO_MAIL_OPTIONS_H

#include <stdint.h>

enum attach_action {
	ATTACH_REMOVE,		/* not delivered; listed in the notice */
	ATTACH_SANITIZE,	/* CDR output re-attached when clean/sanitized */
	ATTACH_HOLD,		/* not delivered; kept for four-eyes release */
};

enum mail_charset {
	MAIL_CHARSET_UTF8,
	MAIL_CHARSET_ISO2022JP,	/* falls back to UTF-8 per message */
};

#define MAIL_FAMILY_SLOTS	32	/* > enum file_family's count */
#define MAIL_DOMAINS_MAX	32
#define MAIL_DOMAIN_SIZE	128

/* Outbound rules (sanso mail check-outbound, sansod for LGWAN clients). */
enum outbound_action {
	OUTBOUND_ALLOW,
	OUTBOUND_REJECT,
	OUTBOUND_HOLD,
	OUTBOUND_REQUIRE_ENCRYPTION,	/* else reject */
	OUTBOUND_BCC,			/* move external To/Cc to Bcc */
};

enum classification_scheme {
	CLASSIFICATION_SEED,	/* 機密性3/2/1 */
	CLASSIFICATION_R6,	/* 機密性3A/3B/3C/2/1 */
};

struct outbound_options {
	uint32_t confidential3;		/* REJECT | HOLD */
	uint32_t confidential2;		/* REQUIRE_ENCRYPTION | HOLD | REJECT */
	uint32_t external_max;		/* 0: no limit */
	uint32_t external_action;	/* BCC | HOLD */
	uint32_t auto_forward;		/* REJECT | HOLD | ALLOW */
	uint32_t scheme;		/* enum classification_scheme */
	uint64_t max_size;		/* 0: none */
	char header[64];		/* label header, "X-Classification" */
	uint32_t ndomains;
	char domains[MAIL_DOMAINS_MAX][MAIL_DOMAIN_SIZE];	/* internal */
};
#define MAIL_QID_SIZE		48

struct mail_options {
	uint32_t attach[MAIL_FAMILY_SLOTS];	/* enum attach_action by family */
	uint32_t output_charset;		/* enum mail_charset */
	uint32_t flags;				/* MAIL_FLAG_* */
	char qid[MAIL_QID_SIZE];	/* shown in X-Sanso-Id and the notice */
	char av_name[96];	/* MAIL_FLAG_AV_HIT: the scanner's signature */
	struct outbound_options outbound;
};

/* The parent's malware scan of the raw message found av_name: deliver
   only the held notice. */
#define MAIL_FLAG_AV_HIT	0x1

/* Every family removed, UTF-8 output, no id; outbound: 機密性3
   rejected, 機密性2 held, too many external recipients held,
   auto-forwarding rejected, no recipient limit. */
void mail_options_init(struct mail_options *mo);
const char *attach_action_name(enum attach_action a);

#endif
