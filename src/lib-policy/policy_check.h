/*
 * policy_check - does a loaded policy obey the seed's rules?
 *
 * Each finding names the clause of seed 002 it enforces, written as in
 * the seed ("3.(1)①", "6.1(15)③"), the key path it is about
 * ("flows[2].to"), and the line of that key when the policy was loaded
 * from text. Errors break a rule; warnings point at something a
 * reviewer should look at. The rules and their clauses are listed in
 * docs/policy.md; configuration that is wrong as a network (a bad CIDR,
 * an unknown host, overlapping zones) is reported under 6.1(8)②, the
 * clause on filtering and routing settings.
 */
#ifndef SANSO_POLICY_CHECK_H
#define SANSO_POLICY_CHECK_H

#include <stddef.h>

#include "policy.h"

/* The clause ids used, once. */
#define POLICY_CLAUSE_MYNUMBER		"3.(1)①"	/* マイナンバー系の分離 */
#define POLICY_CLAUSE_LGWAN_SPLIT	"3.(2)①"	/* LGWAN/インターネット分割, 無害化 */
#define POLICY_CLAUSE_NETWORK		"6.1(8)②"	/* 適正なアクセス制御 */
#define POLICY_CLAUSE_MAIL_SIZE		"6.1(14)③"	/* 送受信容量の上限 */
#define POLICY_CLAUSE_AUTO_FORWARD	"6.1(15)①"	/* 自動転送の禁止 */
#define POLICY_CLAUSE_RECIPIENTS	"6.1(15)③"	/* 他の送信先を隠す */
#define POLICY_CLAUSE_CONFIDENTIAL2	"2.(2)⑦"	/* 機密性2以上の送信は暗号化 */
#define POLICY_CLAUSE_LOGIN		"6.2(4)"	/* 試行回数, タイムアウト */
#define POLICY_CLAUSE_PRIVILEGED	"6.2(1)③"	/* 特権ID */
#define POLICY_CLAUSE_MFA		"4.4④"		/* 多要素認証 */
#define POLICY_CLAUSE_LOG_RETENTION	"6.1(6)②"	/* ログの保存期間 */
#define POLICY_CLAUSE_AV		"6.4(1)①"	/* ゲートウェイでの不正プログラムチェック */

enum policy_severity {
	POLICY_SEV_ERROR,
	POLICY_SEV_WARNING,
};

struct policy_finding {
	const char *clause;		/* static, one of POLICY_CLAUSE_* */
	enum policy_severity severity;
	char *path;			/* owned */
	char *message;			/* owned; English with 日本語 terms */
	unsigned line, column;		/* 0 when unknown */
	size_t seq;			/* rule order, for a stable sort */
};

struct policy_findings {
	struct policy_finding *v;	/* by line, then rule order */
	size_t count, alloc;
	size_t errors, warnings;
};

/* Check p against every rule and append the findings to out (which
   starts zeroed). Returns 0, or -1 when memory runs out (the findings
   so far stay in out; treat the policy as failing). */
int policy_check(const struct policy *p, struct policy_findings *out);
/* Release the findings; out is empty (and reusable) afterwards. */
void policy_findings_free(struct policy_findings *out);
/* "error" or "warning". */
const char *policy_severity_name(enum policy_severity s);

#endif
