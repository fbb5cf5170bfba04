/*
 * zipdir - central directory against local headers, bounds-checked.
 *
 * The layout rules follow libarchive's seekable zip reader (the reader
 * whose view we rebuild from): the last valid end record wins, data
 * prepended to the zip shifts every offset by the same correction, and
 * a zip64 end record is used whenever its locator is present.
 */
#include <stdlib.h>
#include <string.h>

#include "sizeops.h"
#include "zipdir.h"

#define ZIP_EOCD_LEN 22
#define ZIP_EOCD64_LEN 56
#define ZIP_LOCATOR_LEN 20
#define ZIP_CDH_LEN 46
#define ZIP_LFH_LEN 30
#define ZIP_COMMENT_MAX 65535
#define ZIP_FLAG_ENCRYPTED 0x0001u
#define ZIP_FLAG_STRONG 0x0040u

struct zipdir_span {
	uint64_t start, end;	/* local header .. end of its data */
};

struct zipdir_end {
	uint64_t entries;
	uint64_t cd_start;	/* where the directory really is */
	uint64_t cd_end;	/* first byte after it */
	uint64_t correction;	/* bytes prepended before the zip */
};

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

static uint64_t
le64(const unsigned char *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* True when [off, off + n) lies inside len bytes. */
static bool
in_range(uint64_t off, uint64_t n, size_t len)
{
	return off <= len && n <= len - off;
}

/* The zip64 end record named by the locator just before pos. */
static bool
end64_read(const unsigned char *in, size_t len, size_t pos,
    struct zipdir_end *end)
{
	const unsigned char *loc, *p;
	uint64_t off;

	loc = in + pos - ZIP_LOCATOR_LEN;
	off = le64(loc + 8);
	if (off > pos - ZIP_LOCATOR_LEN ||
	    !in_range(off, ZIP_EOCD64_LEN, pos - ZIP_LOCATOR_LEN))
		return false;
	p = in + off;
	if (memcmp(p, "PK\6\6", 4) != 0 || le32(p + 16) != 0 ||
	    le32(p + 20) != 0 || le64(p + 24) != le64(p + 32))
		return false;
	end->entries = le64(p + 32);
	end->cd_start = le64(p + 48);
	if (end->cd_start > off || le64(p + 40) > off - end->cd_start)
		return false;
	end->cd_end = end->cd_start + le64(p + 40);
	end->correction = 0;
	return true;
}

/* The classic end record at pos, when it is one libarchive accepts. */
static bool
end_read(const unsigned char *in, size_t len, size_t pos,
    struct zipdir_end *end)
{
	const unsigned char *p = in + pos;
	uint32_t cd_size, cd_off;

	if (memcmp(p, "PK\5\6", 4) != 0 || le16(p + 4) != 0 ||
	    le16(p + 6) != 0 || le16(p + 8) != le16(p + 10))
		return false;
	if (pos >= ZIP_LOCATOR_LEN &&
	    memcmp(in + pos - ZIP_LOCATOR_LEN, "PK\6\7", 4) == 0)
		return end64_read(in, len, pos, end);
	cd_size = le32(p + 12);
	cd_off = le32(p + 16);
	if ((uint64_t)cd_off + cd_size > pos)
		return false;
	end->entries = le16(p + 10);
	end->cd_start = pos - cd_size;
	end->cd_end = pos;
	/* Prepended bytes (self-extractors, or a second zip in front)
	   move the directory; every local offset moves with it. */
	end->correction = end->cd_start - cd_off;
	return true;
}

static bool
end_find(const unsigned char *in, size_t len, struct zipdir_end *end)
{
	size_t pos, low;

	if (len < ZIP_EOCD_LEN)
		return false;
	pos = len - ZIP_EOCD_LEN;
	low = pos > ZIP_COMMENT_MAX ? pos - ZIP_COMMENT_MAX : 0;
	for (;;) {
		if (in[pos] == 'P' && end_read(in, len, pos, end))
			return true;
		if (pos == low)
			return false;
		pos--;
	}
}

/* Local header offset of a central entry, from its zip64 extra field
   when the 32-bit field says so. UINT64_MAX when it cannot be found. */
static uint64_t
cd_local_offset(const unsigned char *h, const unsigned char *extra,
    size_t elen)
{
	uint32_t off32 = le32(h + 42);
	size_t i = 0, skip = 0;

	if (off32 != 0xffffffffu)
		return off32;
	if (le32(h + 24) == 0xffffffffu)
		skip += 8;
	if (le32(h + 20) == 0xffffffffu)
		skip += 8;
	while (i + 4 <= elen) {
		uint16_t id = le16(extra + i), n = le16(extra + i + 2);

		if (n > elen - i - 4)
			break;
		if (id == 0x0001 && skip + 8 <= n)
			return le64(extra + i + 4 + skip);
		i += 4 + (size_t)n;
	}
	return UINT64_MAX;
}

/* Compressed size of a central entry (zip64-aware), or UINT64_MAX. */
static uint64_t
cd_comp_size(const unsigned char *h, const unsigned char *extra, size_t elen)
{
	uint32_t c32 = le32(h + 20);
	size_t i = 0, skip = 0;

	if (c32 != 0xffffffffu)
		return c32;
	if (le32(h + 24) == 0xffffffffu)
		skip += 8;
	while (i + 4 <= elen) {
		uint16_t id = le16(extra + i), n = le16(extra + i + 2);

		if (n > elen - i - 4)
			break;
		if (id == 0x0001 && skip + 8 <= n)
			return le64(extra + i + 4 + skip);
		i += 4 + (size_t)n;
	}
	return UINT64_MAX;
}

static int
problem_names(struct arena *arena, struct zipdir_info *info,
    const unsigned char *cd, size_t cdn, const unsigned char *lh, size_t lhn)
{
	info->problem = "local header name differs from the central directory";
	info->cd_name = arena_strndup(arena, (const char *)cd, cdn);
	info->local_name = arena_strndup(arena, (const char *)lh, lhn);
	return info->cd_name != NULL && info->local_name != NULL ? 0 : -1;
}

/*
 * One central entry at *pos: compare with its local header and record
 * its span. Returns 0 (info->problem set on failure), -1 on memory.
 */
static int
entry_check(struct arena *arena, const unsigned char *in, size_t len,
    const struct zipdir_end *end, uint64_t *pos, struct zipdir_span *span,
    struct zipdir_info *info)
{
	const unsigned char *h = in + *pos, *lh;
	size_t nlen, elen, clen, lnlen, lelen;
	uint64_t off, csize, rec;

	if (!in_range(*pos, ZIP_CDH_LEN, end->cd_end) ||
	    memcmp(h, "PK\1\2", 4) != 0) {
		info->problem = "central directory entry is truncated";
		return 0;
	}
	nlen = le16(h + 28);
	elen = le16(h + 30);
	clen = le16(h + 32);
	rec = ZIP_CDH_LEN + nlen + elen + clen;
	if (!in_range(*pos, rec, end->cd_end)) {
		info->problem = "central directory entry is truncated";
		return 0;
	}
	if (le16(h + 8) & (ZIP_FLAG_ENCRYPTED | ZIP_FLAG_STRONG))
		info->encrypted = true;
	off = cd_local_offset(h, h + ZIP_CDH_LEN + nlen, elen);
	csize = cd_comp_size(h, h + ZIP_CDH_LEN + nlen, elen);
	if (off == UINT64_MAX || csize == UINT64_MAX ||
	    off > UINT64_MAX - end->correction ||
	    !in_range(off + end->correction, ZIP_LFH_LEN, len)) {
		info->problem = "local header offset is outside the file";
		return 0;
	}
	off += end->correction;
	lh = in + off;
	lnlen = le16(lh + 26);
	lelen = le16(lh + 28);
	if (memcmp(lh, "PK\3\4", 4) != 0 ||
	    !in_range(off, ZIP_LFH_LEN + lnlen + lelen, len)) {
		info->problem = "no local header where the directory points";
		return 0;
	}
	if (le16(lh + 6) & (ZIP_FLAG_ENCRYPTED | ZIP_FLAG_STRONG))
		info->encrypted = true;
	if (lnlen != nlen || memcmp(lh + ZIP_LFH_LEN, h + ZIP_CDH_LEN, nlen) != 0)
		return problem_names(arena, info, h + ZIP_CDH_LEN, nlen,
		    lh + ZIP_LFH_LEN, lnlen);
	span->start = off;
	span->end = off + ZIP_LFH_LEN + lnlen + lelen;
	if (csize > UINT64_MAX - span->end || span->end + csize > len) {
		info->problem = "member data runs past the end of the file";
		return 0;
	}
	span->end += csize;
	*pos += rec;
	return 0;
}

static int
span_cmp(const void *a, const void *b)
{
	const struct zipdir_span *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* Members whose bytes overlap: the trick behind non-recursive zip bombs
   (one compressed stream counted as the data of thousands of files). */
static void
spans_check(struct zipdir_span *spans, size_t n, const struct zipdir_end *end,
    struct zipdir_info *info)
{
	size_t i;

	qsort(spans, n, sizeof(*spans), span_cmp);
	for (i = 1; i < n; i++) {
		if (spans[i].start < spans[i - 1].end) {
			info->problem = "members share bytes (overlapping entries)";
			return;
		}
	}
	if (n > 0 && spans[n - 1].end > end->cd_start)
		info->problem = "member data runs into the central directory";
}

int
zipdir_check(struct arena *arena, const unsigned char *in, size_t len,
    uint64_t max_entries, struct zipdir_info *info)
{
	struct zipdir_span *spans;
	struct zipdir_end end;
	uint64_t pos, i;
	size_t bytes;

	memset(info, 0, sizeof(*info));
	if (!end_find(in, len, &end)) {
		info->problem = "no end of central directory record";
		return 0;
	}
	info->entries = end.entries;
	if (end.entries > max_entries)
		return 0;
	/* Each entry takes at least 46 bytes of directory: a count the
	   directory cannot hold is a lie, refused before allocating. */
	if (end.entries > (end.cd_end - end.cd_start) / ZIP_CDH_LEN) {
		info->problem = "end record announces more entries than fit";
		return 0;
	}
	if (size_mul((size_t)end.entries, sizeof(*spans), &bytes) < 0 ||
	    (spans = arena_alloc(arena, bytes + 1)) == NULL)
		return -1;
	pos = end.cd_start;
	for (i = 0; i < end.entries && info->problem == NULL; i++) {
		if (entry_check(arena, in, len, &end, &pos, &spans[i], info) < 0)
			return -1;
	}
	if (info->problem == NULL)
		spans_check(spans, (size_t)end.entries, &end, info);
	return 0;
}
