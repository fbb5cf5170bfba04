/*
 * filetype - content-based type detection (placeholder: table only).
 */
#include <string.h>
#include <strings.h>

#include "filetype.h"

struct filetype_info {
	const char *name, *ext, *mime;
	enum file_family family;
};

static const struct filetype_info types[FT_COUNT] = {
#define FILETYPE(e, name, ext, mime, family) [e] = { name, ext, mime, family },
#include "filetype.def"
#undef FILETYPE
};

enum file_type
filetype_detect(const unsigned char *data, size_t len, const char *name,
    const struct limits *limits)
{
	if (len == 0)
		return FT_EMPTY;
	if (len >= 5 && memcmp(data, "%PDF-", 5) == 0)
		return FT_PDF;
	return FT_UNKNOWN;
}

enum file_type
filetype_from_name(const char *name)
{
	const char *dot = name != NULL ? strrchr(name, '.') : NULL;
	int t;

	if (dot == NULL || dot[1] == '\0')
		return FT_UNKNOWN;
	for (t = 0; t < FT_COUNT; t++) {
		if (types[t].ext[0] != '\0' && strcasecmp(types[t].ext, dot + 1) == 0)
			return (enum file_type)t;
	}
	return FT_UNKNOWN;
}

enum file_type
filetype_from_mime(const char *mime)
{
	int t;

	for (t = 0; mime != NULL && t < FT_COUNT; t++) {
		if (strcasecmp(types[t].mime, mime) == 0)
			return (enum file_type)t;
	}
	return FT_UNKNOWN;
}

bool
filetype_compatible(enum file_type declared, enum file_type detected)
{
	return declared == FT_UNKNOWN || declared == detected;
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
	return (unsigned)type < FT_COUNT ? types[type].mime : "application/octet-stream";
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
