/*
 * ooxml_kind - dangerous parts by name and content type.
 */
#include <string.h>
#include <strings.h>

#include "ooxml_kind.h"

static bool
ci_contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay != '\0'; hay++) {
		if (strncasecmp(hay, needle, n) == 0)
			return true;
	}
	return false;
}

/* True when key has a folder segment named dir (keys are lower case). */
static bool
has_folder(const char *key, const char *dir)
{
	size_t n = strlen(dir);
	const char *p;

	for (p = key; (p = strstr(p, dir)) != NULL; p++) {
		if ((p == key || p[-1] == '/') && p[n] == '/')
			return true;
	}
	return false;
}

enum ooxml_kind
ooxml_kind_of_name(const char *key)
{
	const char *base = strrchr(key, '/');

	base = base != NULL ? base + 1 : key;
	if (strncmp(base, "vbaproject", 10) == 0 ||
	    strcmp(base, "vbadata.xml") == 0)
		return OOXML_KIND_VBA;
	if (has_folder(key, "activex"))
		return OOXML_KIND_ACTIVEX;
	if (has_folder(key, "embeddings"))
		return OOXML_KIND_OLE;
	if (has_folder(key, "macrosheets") ||
	    has_folder(key, "intlmacrosheets"))
		return OOXML_KIND_XLM;
	if (has_folder(key, "externallinks"))
		return OOXML_KIND_EXTLINK;
	if (strncmp(key, "customui/", 9) == 0 ||
	    has_folder(key, "webextensions"))
		return OOXML_KIND_CUSTOMUI;
	if (has_folder(key, "querytables"))
		return OOXML_KIND_DATACONN;
	return OOXML_KIND_NONE;
}

enum ooxml_kind
ooxml_kind_of_ctype(const char *ctype)
{
	if (ctype == NULL)
		return OOXML_KIND_NONE;
	if (ci_contains(ctype, "vbaProject") || ci_contains(ctype, "vbaData") ||
	    ci_contains(ctype, "keyMapCustomizations") ||
	    ci_contains(ctype, "attachedToolbars"))
		return OOXML_KIND_VBA;
	if (ci_contains(ctype, "activeX"))
		return OOXML_KIND_ACTIVEX;
	if (ci_contains(ctype, "oleObject"))
		return OOXML_KIND_OLE;
	if (ci_contains(ctype, "macrosheet"))
		return OOXML_KIND_XLM;
	if (ci_contains(ctype, "externalLink"))
		return OOXML_KIND_EXTLINK;
	if (ci_contains(ctype, ".connections") ||
	    ci_contains(ctype, "queryTable"))
		return OOXML_KIND_DATACONN;
	return OOXML_KIND_NONE;
}

const char *
ooxml_kind_text(enum ooxml_kind kind)
{
	switch (kind) {
	case OOXML_KIND_VBA:
		return "VBA project part";
	case OOXML_KIND_ACTIVEX:
		return "ActiveX control part";
	case OOXML_KIND_OLE:
		return "embedded object or package";
	case OOXML_KIND_EXTLINK:
		return "external workbook link";
	case OOXML_KIND_XLM:
		return "Excel 4.0 macro sheet";
	case OOXML_KIND_CUSTOMUI:
		return "custom UI or add-in part";
	case OOXML_KIND_DATACONN:
		return "external data connection";
	case OOXML_KIND_NONE:
		break;
	}
	return "part";
}

const char *
ooxml_kind_code(enum ooxml_kind kind)
{
	switch (kind) {
	case OOXML_KIND_VBA:
		return "ooxml.vba";
	case OOXML_KIND_ACTIVEX:
		return "ooxml.activex";
	case OOXML_KIND_OLE:
		return "ooxml.ole_object";
	case OOXML_KIND_EXTLINK:
	case OOXML_KIND_DATACONN:
		return "ooxml.external_link";
	case OOXML_KIND_XLM:
		return "ooxml.xlm";
	case OOXML_KIND_CUSTOMUI:
		return "ooxml.custom_ui";
	case OOXML_KIND_NONE:
		break;
	}
	return NULL;
}
