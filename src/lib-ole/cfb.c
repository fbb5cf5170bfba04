/*
 * cfb - strict Compound File Binary reader and rebuilding writer.
 *
 * Denial of service: the work done is linear in the file size. Each
 * sector and mini sector is claimed by at most one chain (a second
 * claim is a loop or a cross-link and makes the file malformed), so no
 * chain can be followed longer than the file and the streams read
 * together can never be larger than the file. The directory tree is
 * walked with an explicit stack and each entry is reached once.
 */
#include <stdlib.h>
#include <string.h>

#include "cfb.h"
#include "sizeops.h"

#define CFB_HEADER_SIZE		512
#define CFB_DIRENT_SIZE		128
#define CFB_MINI_SIZE		64
#define CFB_MINI_CUTOFF		4096
#define CFB_HEADER_DIFAT	109
#define CFB_MAXREGSECT		0xfffffffau
#define CFB_DIFSECT		0xfffffffcu
#define CFB_FATSECT		0xfffffffdu
#define CFB_ENDOFCHAIN		0xfffffffeu
#define CFB_FREESECT		0xffffffffu
#define CFB_PATH_COMPONENTS	8

static const unsigned char cfb_signature[8] = {
	0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1
};

/* State while a file is being opened. */
struct cfb_load {
	struct cfb *cfb;
	uint8_t *owned;		/* per sector: already claimed by a chain */
	uint8_t *mini_owned;	/* per mini sector */
	const char *error;
	bool nomem;
};

static uint16_t
rd16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t
rd32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static uint64_t
rd64(const unsigned char *p)
{
	return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

static void
wr16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static void
wr32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static int
load_fail(struct cfb_load *ld, const char *why)
{
	if (ld->error == NULL)
		ld->error = why;
	return -1;
}

static void *
load_alloc(struct cfb_load *ld, size_t n, size_t size)
{
	size_t total;
	void *p;

	if (size_mul(n == 0 ? 1 : n, size, &total) < 0) {
		ld->nomem = true;
		return NULL;
	}
	p = arena_alloc(ld->cfb->arena, total);
	if (p == NULL)
		ld->nomem = true;
	return p;
}

/* Start of sector idx (which must be < nsect); *avail gets how many of
   its bytes the file holds (only the last sector may be short). */
static const unsigned char *
sector_at(const struct cfb *cfb, uint32_t idx, size_t *avail)
{
	size_t off = ((size_t)idx + 1) * cfb->sector_size;

	*avail = cfb->len - off;
	if (*avail > cfb->sector_size)
		*avail = cfb->sector_size;
	return cfb->data + off;
}

/* A metadata sector (FAT, DIFAT, directory, mini FAT) must be whole. */
static const unsigned char *
meta_sector(struct cfb_load *ld, uint32_t idx)
{
	const unsigned char *p;
	size_t avail;

	if (idx >= ld->cfb->nsect) {
		load_fail(ld, "metadata sector outside the file");
		return NULL;
	}
	if (ld->owned[idx]) {
		load_fail(ld, "sector used twice (loop or cross-linked chain)");
		return NULL;
	}
	p = sector_at(ld->cfb, idx, &avail);
	if (avail < ld->cfb->sector_size) {
		load_fail(ld, "truncated metadata sector");
		return NULL;
	}
	ld->owned[idx] = 1;
	return p;
}

static int
load_header(struct cfb_load *ld)
{
	struct cfb *cfb = ld->cfb;
	const unsigned char *h = cfb->data;
	unsigned shift;
	size_t nsect;

	if (cfb->len < CFB_HEADER_SIZE)
		return load_fail(ld, "truncated header");
	if (memcmp(h, cfb_signature, sizeof(cfb_signature)) != 0)
		return load_fail(ld, "bad signature");
	cfb->major = rd16(h + 0x1a);
	if (cfb->major != 3 && cfb->major != 4)
		return load_fail(ld, "unsupported major version");
	if (rd16(h + 0x1c) != 0xfffe)
		return load_fail(ld, "bad byte order mark");
	shift = rd16(h + 0x1e);
	if ((cfb->major == 3 && shift != 9) || (cfb->major == 4 && shift != 12))
		return load_fail(ld, "bad sector shift");
	if (rd16(h + 0x20) != 6)
		return load_fail(ld, "bad mini sector shift");
	if (rd32(h + 0x38) != CFB_MINI_CUTOFF)
		return load_fail(ld, "bad mini stream cutoff");
	cfb->sector_size = (size_t)1 << shift;
	if (cfb->len <= cfb->sector_size)
		return load_fail(ld, "no sectors after the header");
	/* A short final sector is tolerated (many writers trim it); its
	   missing bytes may not be used. */
	nsect = (cfb->len - cfb->sector_size + cfb->sector_size - 1) /
	    cfb->sector_size;
	if (nsect > CFB_MAXREGSECT)
		return load_fail(ld, "too many sectors");
	cfb->nsect = (uint32_t)nsect;
	ld->owned = load_alloc(ld, nsect, 1);
	cfb->fat = load_alloc(ld, nsect, sizeof(uint32_t));
	if (ld->owned == NULL || cfb->fat == NULL)
		return -1;
	return 0;
}

/* Copy the FAT entries of FAT sector number i (the i-th in DIFAT order). */
static int
load_fat_sector(struct cfb_load *ld, uint32_t i, uint32_t idx)
{
	struct cfb *cfb = ld->cfb;
	size_t per = cfb->sector_size / 4, j, e;
	const unsigned char *p = meta_sector(ld, idx);

	if (p == NULL)
		return -1;
	for (j = 0; j < per; j++) {
		e = (size_t)i * per + j;
		if (e < cfb->nsect)
			cfb->fat[e] = rd32(p + 4 * j);
	}
	return 0;
}

/* Read the FAT through the header DIFAT and the DIFAT chain. */
static int
load_fat(struct cfb_load *ld)
{
	struct cfb *cfb = ld->cfb;
	const unsigned char *h = cfb->data, *difat = NULL;
	uint32_t nfat = rd32(h + 0x2c), next = rd32(h + 0x44);
	uint32_t ndifat = rd32(h + 0x48), used_difat = 0, i;
	size_t per = cfb->sector_size / 4 - 1, k = 0, e;

	if (nfat == 0 || nfat > cfb->nsect)
		return load_fail(ld, "bad FAT sector count");
	for (e = 0; e < cfb->nsect; e++)
		cfb->fat[e] = CFB_FREESECT;
	for (i = 0; i < nfat; i++) {
		uint32_t idx;

		if (i < CFB_HEADER_DIFAT)
			idx = rd32(h + 0x4c + 4 * i);
		else {
			if (difat == NULL || k == per) {
				if (++used_difat > ndifat)
					return load_fail(ld, "DIFAT chain too long");
				if ((difat = meta_sector(ld, next)) == NULL)
					return -1;
				next = rd32(difat + 4 * per);
				k = 0;
			}
			idx = rd32(difat + 4 * k++);
		}
		if (load_fat_sector(ld, i, idx) < 0)
			return -1;
	}
	return 0;
}

/*
 * Follow a FAT chain from start over the sectors that hold size bytes,
 * claiming each one. list (may be NULL) receives the sector numbers.
 */
static int
walk_chain(struct cfb_load *ld, uint32_t start, uint64_t size,
    uint32_t *list)
{
	struct cfb *cfb = ld->cfb;
	uint64_t need, i;
	uint32_t s = start;
	size_t avail, want;

	/* Checked before rounding up: a 64-bit size could wrap. */
	if (size > (uint64_t)cfb->nsect * cfb->sector_size)
		return load_fail(ld, "stream larger than the file");
	need = (size + cfb->sector_size - 1) / cfb->sector_size;
	for (i = 0; i < need; i++) {
		if (s >= cfb->nsect)
			return load_fail(ld, "sector chain ends early or leaves the file");
		if (ld->owned[s])
			return load_fail(ld, "sector used twice (loop or cross-linked chain)");
		ld->owned[s] = 1;
		(void)sector_at(cfb, s, &avail);
		want = i + 1 < need ? cfb->sector_size :
		    (size_t)(size - i * cfb->sector_size);
		if (avail < want)
			return load_fail(ld, "stream data beyond the end of the file");
		if (list != NULL)
			list[i] = s;
		s = cfb->fat[s];
	}
	return 0;
}

/* Walk a chain of unknown length (directory, mini FAT) into a list. */
static int
walk_open_chain(struct cfb_load *ld, uint32_t start, uint32_t *list,
    uint32_t *count_r)
{
	uint32_t s = start, n = 0;

	while (s != CFB_ENDOFCHAIN) {
		if (meta_sector(ld, s) == NULL)
			return -1;
		list[n++] = s;	/* n <= nsect: each sector is claimed once */
		s = ld->cfb->fat[s];
	}
	*count_r = n;
	return 0;
}

static int
parse_entry(struct cfb_load *ld, struct cfb_entry *e, const unsigned char *p)
{
	unsigned nlen = rd16(p + 64), i;

	e->type = p[66];
	e->left = e->right = e->child = CFB_NOSTREAM;
	e->parent = CFB_NOSTREAM;
	if (e->type == CFB_UNUSED)
		return 0;
	if (e->type != CFB_STORAGE && e->type != CFB_STREAM &&
	    e->type != CFB_ROOT)
		return load_fail(ld, "bad directory entry type");
	if (nlen < 2 || nlen > 64 || nlen % 2 != 0 ||
	    rd16(p + nlen - 2) != 0)
		return load_fail(ld, "bad directory entry name");
	e->name_len = nlen / 2 - 1;
	for (i = 0; i < e->name_len; i++)
		e->name[i] = rd16(p + 2 * i);
	e->name[e->name_len] = 0;
	e->color = p[67];
	e->left = rd32(p + 68);
	e->right = rd32(p + 72);
	e->child = rd32(p + 76);
	memcpy(e->clsid, p + 80, 16);
	e->state = rd32(p + 96);
	memcpy(e->times, p + 100, 16);
	e->start = rd32(p + 116);
	e->size = rd64(p + 120);
	/* Version 3 writers leave garbage in the high half; readers must
	   ignore it [MS-CFB 2.6.3]. */
	if (ld->cfb->major == 3)
		e->size &= 0xffffffffu;
	return 0;
}

static int
load_directory(struct cfb_load *ld)
{
	struct cfb *cfb = ld->cfb;
	uint32_t *list, n, i, j, per = (uint32_t)(cfb->sector_size / CFB_DIRENT_SIZE);
	size_t avail;

	if ((list = load_alloc(ld, cfb->nsect, sizeof(*list))) == NULL)
		return -1;
	if (walk_open_chain(ld, rd32(cfb->data + 0x30), list, &n) < 0)
		return -1;
	if (n == 0)
		return load_fail(ld, "empty directory");
	cfb->nentries = n * per;
	if ((cfb->entries = load_alloc(ld, cfb->nentries,
	    sizeof(*cfb->entries))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		const unsigned char *p = sector_at(cfb, list[i], &avail);

		for (j = 0; j < per; j++) {
			if (parse_entry(ld, &cfb->entries[i * per + j],
			    p + (size_t)j * CFB_DIRENT_SIZE) < 0)
				return -1;
		}
	}
	if (cfb->entries[0].type != CFB_ROOT)
		return load_fail(ld, "first directory entry is not the root");
	return 0;
}

/* Mark id reachable under parent, or fail on a cycle / bad entry. */
static int
tree_push(struct cfb_load *ld, uint32_t *stack, uint32_t *sp, uint32_t id,
    uint32_t parent)
{
	struct cfb *cfb = ld->cfb;
	struct cfb_entry *e;

	if (id == CFB_NOSTREAM)
		return 0;
	if (id >= cfb->nentries)
		return load_fail(ld, "directory link out of range");
	e = &cfb->entries[id];
	if (e->reachable)
		return load_fail(ld, "directory tree cycle");
	if (e->type != CFB_STORAGE && e->type != CFB_STREAM)
		return load_fail(ld, "directory tree links to an unused or root entry");
	e->reachable = true;
	e->parent = parent;
	e->depth = cfb->entries[parent].depth + 1;
	stack[(*sp)++] = id;	/* each id is pushed once: sp <= nentries */
	cfb->order[cfb->norder++] = id;
	return 0;
}

static int
walk_tree(struct cfb_load *ld)
{
	struct cfb *cfb = ld->cfb;
	uint32_t *stack, sp = 0, id;
	struct cfb_entry *e;

	if ((stack = load_alloc(ld, cfb->nentries, sizeof(*stack))) == NULL ||
	    (cfb->order = load_alloc(ld, cfb->nentries, sizeof(*stack))) == NULL)
		return -1;
	cfb->entries[0].reachable = true;
	cfb->order[cfb->norder++] = 0;
	if (tree_push(ld, stack, &sp, cfb->entries[0].child, 0) < 0)
		return -1;
	while (sp > 0) {
		id = stack[--sp];
		e = &cfb->entries[id];
		if (tree_push(ld, stack, &sp, e->left, e->parent) < 0 ||
		    tree_push(ld, stack, &sp, e->right, e->parent) < 0)
			return -1;
		if (e->type == CFB_STORAGE &&
		    tree_push(ld, stack, &sp, e->child, id) < 0)
			return -1;
	}
	return 0;
}

/* CFB compares names by upper-casing them. Besides ASCII and Latin-1,
   dotless i and long s upper-case to plain I and S, so "Macroſ" is the
   same name as "MACROS" to Windows and must be to us. */
static uint16_t
cfb_fold(uint16_t c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 0xe0 && c <= 0xfe && c != 0xf7))
		return (uint16_t)(c - 32);
	if (c == 0x0131)
		return 'I';
	if (c == 0x017f)
		return 'S';
	return c;
}

/* CFB sibling order: shorter names first, then by upper-cased units. */
static int
name_cmp(const struct cfb_entry *a, const struct cfb_entry *b)
{
	unsigned i;

	if (a->name_len != b->name_len)
		return a->name_len < b->name_len ? -1 : 1;
	for (i = 0; i < a->name_len; i++) {
		uint16_t x = cfb_fold(a->name[i]), y = cfb_fold(b->name[i]);

		if (x != y)
			return x < y ? -1 : 1;
	}
	return 0;
}

static int
sibling_cmp(const void *pa, const void *pb, void *arg)
{
	const struct cfb *cfb = arg;
	const struct cfb_entry *a = &cfb->entries[*(const uint32_t *)pa];
	const struct cfb_entry *b = &cfb->entries[*(const uint32_t *)pb];

	if (a->parent != b->parent)
		return a->parent < b->parent ? -1 : 1;
	return name_cmp(a, b);
}

/* Two siblings with one name would let a reader and a scanner see
   different streams; refuse them. */
static int
check_duplicates(struct cfb_load *ld)
{
	struct cfb *cfb = ld->cfb;
	uint32_t *ids, n = 0, i;

	if ((ids = load_alloc(ld, cfb->nentries, sizeof(*ids))) == NULL)
		return -1;
	for (i = 1; i < cfb->nentries; i++) {
		if (cfb->entries[i].reachable)
			ids[n++] = i;
	}
	qsort_r(ids, n, sizeof(*ids), sibling_cmp, cfb);
	for (i = 1; i < n; i++) {
		if (sibling_cmp(&ids[i - 1], &ids[i], cfb) == 0)
			return load_fail(ld, "two entries with the same name in one storage");
	}
	return 0;
}

/* The mini stream (root's data) and the mini FAT. */
static int
load_mini(struct cfb_load *ld)
{
	struct cfb *cfb = ld->cfb;
	struct cfb_entry *root = &cfb->entries[0];
	uint32_t *list, n, i, j, per = (uint32_t)(cfb->sector_size / 4);
	size_t avail;

	if (root->size > (uint64_t)cfb->nsect * cfb->sector_size)
		return load_fail(ld, "mini stream larger than the file");
	cfb->nmini_chain = (uint32_t)((root->size + cfb->sector_size - 1) /
	    cfb->sector_size);
	cfb->nmini = (uint32_t)((root->size + CFB_MINI_SIZE - 1) / CFB_MINI_SIZE);
	if ((cfb->mini_chain = load_alloc(ld, cfb->nmini_chain,
	    sizeof(uint32_t))) == NULL ||
	    (cfb->minifat = load_alloc(ld, cfb->nmini, sizeof(uint32_t))) == NULL ||
	    (ld->mini_owned = load_alloc(ld, cfb->nmini, 1)) == NULL ||
	    (list = load_alloc(ld, cfb->nsect, sizeof(uint32_t))) == NULL)
		return -1;
	if (walk_chain(ld, root->start, root->size, cfb->mini_chain) < 0)
		return -1;
	for (i = 0; i < cfb->nmini; i++)
		cfb->minifat[i] = CFB_FREESECT;
	if (rd32(cfb->data + 0x3c) == CFB_ENDOFCHAIN ||
	    (root->size == 0 && rd32(cfb->data + 0x40) == 0))
		return 0;
	if (walk_open_chain(ld, rd32(cfb->data + 0x3c), list, &n) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		const unsigned char *p = sector_at(cfb, list[i], &avail);

		for (j = 0; j < per && (uint64_t)i * per + j < cfb->nmini; j++)
			cfb->minifat[i * per + j] = rd32(p + 4 * j);
	}
	return 0;
}

/* Check the mini chain of a small stream, claiming each mini sector. */
static int
walk_mini_chain(struct cfb_load *ld, uint32_t start, uint64_t size)
{
	struct cfb *cfb = ld->cfb;
	uint64_t need = (size + CFB_MINI_SIZE - 1) / CFB_MINI_SIZE, i;
	uint32_t m = start;
	size_t off, avail, take;

	for (i = 0; i < need; i++) {
		if (m >= cfb->nmini)
			return load_fail(ld, "mini chain ends early or leaves the mini stream");
		if (ld->mini_owned[m])
			return load_fail(ld, "mini sector used twice (loop or cross-link)");
		ld->mini_owned[m] = 1;
		off = (size_t)m * CFB_MINI_SIZE;
		(void)sector_at(cfb, cfb->mini_chain[off / cfb->sector_size],
		    &avail);
		take = i + 1 < need ? CFB_MINI_SIZE :
		    (size_t)(size - i * CFB_MINI_SIZE);
		if (off % cfb->sector_size + take > avail)
			return load_fail(ld, "mini stream data beyond the end of the file");
		m = cfb->minifat[m];
	}
	return 0;
}

static int
check_streams(struct cfb_load *ld)
{
	struct cfb *cfb = ld->cfb;
	uint32_t i;

	for (i = 1; i < cfb->nentries; i++) {
		struct cfb_entry *e = &cfb->entries[i];
		int ret;

		if (!e->reachable || e->type != CFB_STREAM || e->size == 0)
			continue;
		if (e->size < CFB_MINI_CUTOFF)
			ret = walk_mini_chain(ld, e->start, e->size);
		else
			ret = walk_chain(ld, e->start, e->size, NULL);
		if (ret < 0)
			return -1;
	}
	return 0;
}

int
cfb_open(struct cfb *cfb, struct arena *arena, const unsigned char *data,
    size_t len, const char **error_r)
{
	struct cfb_load ld = { .cfb = cfb };

	memset(cfb, 0, sizeof(*cfb));
	cfb->arena = arena;
	cfb->data = data;
	cfb->len = len;
	if (load_header(&ld) < 0 || load_fat(&ld) < 0 ||
	    load_directory(&ld) < 0 || walk_tree(&ld) < 0 ||
	    check_duplicates(&ld) < 0 || load_mini(&ld) < 0 ||
	    check_streams(&ld) < 0) {
		if (ld.nomem) {
			*error_r = "out of memory";
			return -1;
		}
		*error_r = ld.error != NULL ? ld.error : "malformed";
		return 0;
	}
	*error_r = NULL;
	return 1;
}

int
cfb_read_stream(const struct cfb *cfb, uint32_t id, struct buffer *out)
{
	const struct cfb_entry *e = &cfb->entries[id];
	uint64_t left = e->size;
	const unsigned char *p;
	size_t avail, take, off;
	uint32_t s = e->start;

	if (e->type != CFB_STREAM && e->type != CFB_ROOT)
		return 0;
	if (e->size < CFB_MINI_CUTOFF && e->type == CFB_STREAM) {
		while (left > 0) {
			off = (size_t)s * CFB_MINI_SIZE;
			p = sector_at(cfb, cfb->mini_chain[off / cfb->sector_size],
			    &avail);
			take = left < CFB_MINI_SIZE ? (size_t)left : CFB_MINI_SIZE;
			if (buffer_append(out, p + off % cfb->sector_size, take) < 0)
				return -1;
			left -= take;
			s = cfb->minifat[s];
		}
		return 0;
	}
	while (left > 0) {
		p = sector_at(cfb, s, &avail);
		take = left < cfb->sector_size ? (size_t)left : cfb->sector_size;
		if (buffer_append(out, p, take) < 0)
			return -1;
		left -= take;
		s = cfb->fat[s];
	}
	return 0;
}

bool
cfb_name_has_prefix(const struct cfb_entry *e, const char *prefix)
{
	size_t n = strlen(prefix), i;

	if (n > e->name_len)
		return false;
	for (i = 0; i < n; i++) {
		if (cfb_fold(e->name[i]) != cfb_fold((unsigned char)prefix[i]))
			return false;
	}
	return true;
}

bool
cfb_name_is(const struct cfb_entry *e, const char *name)
{
	return strlen(name) == e->name_len && cfb_name_has_prefix(e, name);
}

uint32_t
cfb_find(const struct cfb *cfb, uint32_t parent, const char *name)
{
	uint32_t i;

	for (i = 1; i < cfb->nentries; i++) {
		const struct cfb_entry *e = &cfb->entries[i];

		if (e->reachable && e->parent == parent && cfb_name_is(e, name))
			return i;
	}
	return CFB_NOSTREAM;
}

/* Append one name as UTF-8, control characters as \xNN. */
static int
path_append_name(struct buffer *b, const struct cfb_entry *e)
{
	unsigned i;
	int ret = 0;

	for (i = 0; i < e->name_len; i++) {
		uint16_t c = e->name[i];
		unsigned char u[3];

		if (c < 0x20 || c == 0x7f)
			ret |= buffer_printf(b, "\\x%02x", c);
		else if (c < 0x80) {
			u[0] = (unsigned char)c;
			ret |= buffer_append(b, u, 1);
		} else if (c < 0x800) {
			u[0] = (unsigned char)(0xc0 | c >> 6);
			u[1] = (unsigned char)(0x80 | (c & 0x3f));
			ret |= buffer_append(b, u, 2);
		} else if (c >= 0xd800 && c <= 0xdfff)
			ret |= buffer_append(b, "?", 1);
		else {
			u[0] = (unsigned char)(0xe0 | c >> 12);
			u[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3f));
			u[2] = (unsigned char)(0x80 | (c & 0x3f));
			ret |= buffer_append(b, u, 3);
		}
	}
	return ret;
}

char *
cfb_path(const struct cfb *cfb, uint32_t id)
{
	uint32_t comp[CFB_PATH_COMPONENTS], n = 0, p;
	struct buffer b;
	char *s = NULL;
	int ret = 0;

	for (p = id; p != 0 && p != CFB_NOSTREAM && n < CFB_PATH_COMPONENTS;
	    p = cfb->entries[p].parent)
		comp[n++] = p;
	buffer_init(&b, 4096);
	if (p != 0 && p != CFB_NOSTREAM)
		ret |= buffer_append_str(&b, ".../");
	while (n > 0) {
		ret |= path_append_name(&b, &cfb->entries[comp[--n]]);
		if (n > 0)
			ret |= buffer_append(&b, "/", 1);
	}
	if (ret == 0)
		s = arena_strndup(cfb->arena, b.used ? (char *)b.data : "",
		    b.used);
	buffer_free(&b);
	return s;
}

/*
 * Writer.
 */

struct cfb_out {
	const struct cfb *cfb;
	struct buffer *out;
	uint32_t n;		/* kept entries */
	uint32_t *ids;		/* new id -> old id, ids[0] = root */
	uint32_t *newid;	/* old id -> new id or CFB_NOSTREAM */
	uint32_t *left, *right, *child;	/* by new id */
	uint8_t *color;		/* by new id */
	uint32_t *start;	/* by new id: first sector or mini sector */
	uint64_t *size;		/* by new id */
	uint32_t nbig, nmini;	/* sectors of big streams, mini sectors */
	uint32_t ms_start, ms_sect, dir_start, dir_sect;
	uint32_t mf_start, mf_sect, fat_start, fat_sect, dif_start, dif_sect;
	uint32_t total;		/* sectors after the header */
	size_t base;		/* out->used where the first sector starts */
};

static void *
out_alloc(struct cfb_out *w, size_t n, size_t size)
{
	size_t total;

	if (size_mul(n == 0 ? 1 : n, size, &total) < 0)
		return NULL;
	return arena_alloc(w->cfb->arena, total);
}

/* Decide which entries survive: kept by the caller and under a kept
   storage. The walk order lists parents before their children. */
static int
select_entries(struct cfb_out *w, const bool *keep)
{
	const struct cfb *cfb = w->cfb;
	uint8_t *kept;
	uint32_t i, id;

	kept = out_alloc(w, cfb->nentries, 1);
	w->ids = out_alloc(w, cfb->nentries, sizeof(*w->ids));
	w->newid = out_alloc(w, cfb->nentries, sizeof(*w->newid));
	if (kept == NULL || w->ids == NULL || w->newid == NULL)
		return -1;
	kept[0] = 1;
	for (i = 1; i < cfb->norder; i++) {
		id = cfb->order[i];
		kept[id] = kept[cfb->entries[id].parent] && keep[id];
	}
	w->n = 0;
	for (i = 0; i < cfb->nentries; i++) {
		w->newid[i] = CFB_NOSTREAM;
		if (kept[i]) {
			w->newid[i] = w->n;
			w->ids[w->n++] = i;
		}
	}
	return 0;
}

/* Balanced binary tree over sorted[lo, hi); returns the new id of its
   root. Recursion depth is log2 of the siblings count (< 32). Nodes on
   the incomplete last level are red, all others black: a valid
   red-black tree because every level above the last is full. */
static uint32_t
build_subtree(struct cfb_out *w, const uint32_t *sorted, size_t lo,
    size_t hi, unsigned depth, unsigned red_depth)
{
	size_t mid;
	uint32_t id;

	if (lo >= hi)
		return CFB_NOSTREAM;
	mid = lo + (hi - lo) / 2;
	id = w->newid[sorted[mid]];
	w->color[id] = depth == red_depth ? 0 : 1;
	w->left[id] = build_subtree(w, sorted, lo, mid, depth + 1, red_depth);
	w->right[id] = build_subtree(w, sorted, mid + 1, hi, depth + 1,
	    red_depth);
	return id;
}

/* Link every kept storage's children into a balanced tree. */
static int
build_trees(struct cfb_out *w)
{
	const struct cfb *cfb = w->cfb;
	uint32_t *sorted, *by_parent, i, k, n = w->n;
	size_t lo, hi, count, full;
	unsigned h;

	w->left = out_alloc(w, n, sizeof(uint32_t));
	w->right = out_alloc(w, n, sizeof(uint32_t));
	w->child = out_alloc(w, n, sizeof(uint32_t));
	w->color = out_alloc(w, n, 1);
	sorted = out_alloc(w, n, sizeof(uint32_t));
	if (w->left == NULL || w->right == NULL || w->child == NULL ||
	    w->color == NULL || sorted == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		w->left[i] = w->right[i] = w->child[i] = CFB_NOSTREAM;
		w->color[i] = 1;
	}
	/* Order all non-root kept entries by (parent, name). */
	by_parent = sorted;
	for (k = 0, i = 1; i < n; i++)
		by_parent[k++] = w->ids[i];
	qsort_r(by_parent, k, sizeof(uint32_t), sibling_cmp, (void *)cfb);
	for (lo = 0; lo < k; lo = hi) {
		uint32_t parent = cfb->entries[by_parent[lo]].parent;

		for (hi = lo; hi < k &&
		    cfb->entries[by_parent[hi]].parent == parent; hi++)
			;
		count = hi - lo;
		for (h = 0, full = 0; full < count; h++)
			full = full * 2 + 1;
		w->child[w->newid[parent]] = build_subtree(w, by_parent, lo, hi,
		    0, full == count ? ~0u : h - 1);
	}
	return 0;
}

static uint32_t
div_up(uint64_t a, uint64_t b)
{
	return (uint32_t)((a + b - 1) / b);
}

/* Assign sectors: big streams, mini stream, directory, mini FAT, FAT,
   DIFAT, in that order. */
static int
layout(struct cfb_out *w)
{
	const struct cfb *cfb = w->cfb;
	uint32_t i, nfat = 0, ndif = 0, base;
	uint64_t big = 0, mini = 0;

	w->start = out_alloc(w, w->n, sizeof(uint32_t));
	w->size = out_alloc(w, w->n, sizeof(uint64_t));
	if (w->start == NULL || w->size == NULL)
		return -1;
	for (i = 0; i < w->n; i++) {
		const struct cfb_entry *e = &cfb->entries[w->ids[i]];

		w->start[i] = i == 0 ? CFB_ENDOFCHAIN : 0;
		if (e->type != CFB_STREAM)
			continue;
		w->size[i] = e->size;
		if (e->size == 0)
			w->start[i] = CFB_ENDOFCHAIN;
		else if (e->size < CFB_MINI_CUTOFF) {
			w->start[i] = (uint32_t)mini;
			mini += div_up(e->size, CFB_MINI_SIZE);
		} else {
			w->start[i] = (uint32_t)big;
			big += div_up(e->size, CFB_HEADER_SIZE);
		}
		/* Everything came from a file of at most a few GB. */
		if (big > CFB_MAXREGSECT / 2 || mini > CFB_MAXREGSECT / 2)
			return -1;
	}
	w->nbig = (uint32_t)big;
	w->nmini = (uint32_t)mini;
	w->ms_start = w->nbig;
	w->ms_sect = div_up((uint64_t)w->nmini * CFB_MINI_SIZE, CFB_HEADER_SIZE);
	w->dir_start = w->ms_start + w->ms_sect;
	w->dir_sect = div_up(w->n, CFB_HEADER_SIZE / CFB_DIRENT_SIZE);
	w->mf_start = w->dir_start + w->dir_sect;
	w->mf_sect = div_up((uint64_t)w->nmini * 4, CFB_HEADER_SIZE);
	base = w->mf_start + w->mf_sect;
	for (;;) {
		uint32_t need_fat = div_up((uint64_t)base + nfat + ndif, 128);
		uint32_t need_dif = need_fat > CFB_HEADER_DIFAT ?
		    div_up(need_fat - CFB_HEADER_DIFAT, 127) : 0;

		if (need_fat == nfat && need_dif == ndif)
			break;
		nfat = need_fat;
		ndif = need_dif;
	}
	w->fat_start = base;
	w->fat_sect = nfat;
	w->dif_start = base + nfat;
	w->dif_sect = ndif;
	w->total = base + nfat + ndif;
	if (w->nmini > 0) {
		w->start[0] = w->ms_start;
		w->size[0] = (uint64_t)w->nmini * CFB_MINI_SIZE;
	}
	return 0;
}

static int
put_zeros(struct buffer *out, size_t n)
{
	static const unsigned char zero[512];
	size_t k;

	while (n > 0) {
		k = n < sizeof(zero) ? n : sizeof(zero);
		if (buffer_append(out, zero, k) < 0)
			return -1;
		n -= k;
	}
	return 0;
}

static int
put_u32(struct buffer *out, uint32_t v)
{
	unsigned char b[4];

	wr32(b, v);
	return buffer_append(out, b, 4);
}

/* Pad out to a multiple of unit bytes after the header. */
static int
pad_to(struct buffer *out, size_t base, size_t unit)
{
	size_t rem = (out->used - base) % unit;

	return rem == 0 ? 0 : put_zeros(out, unit - rem);
}

static int
write_header(struct cfb_out *w)
{
	unsigned char h[CFB_HEADER_SIZE];
	uint32_t i;

	memset(h, 0, sizeof(h));
	memcpy(h, cfb_signature, sizeof(cfb_signature));
	wr16(h + 0x18, 0x003e);
	wr16(h + 0x1a, 3);
	wr16(h + 0x1c, 0xfffe);
	wr16(h + 0x1e, 9);
	wr16(h + 0x20, 6);
	wr32(h + 0x2c, w->fat_sect);
	wr32(h + 0x30, w->dir_start);
	wr32(h + 0x38, CFB_MINI_CUTOFF);
	wr32(h + 0x3c, w->mf_sect > 0 ? w->mf_start : CFB_ENDOFCHAIN);
	wr32(h + 0x40, w->mf_sect);
	wr32(h + 0x44, w->dif_sect > 0 ? w->dif_start : CFB_ENDOFCHAIN);
	wr32(h + 0x48, w->dif_sect);
	for (i = 0; i < CFB_HEADER_DIFAT; i++)
		wr32(h + 0x4c + 4 * i, i < w->fat_sect ? w->fat_start + i :
		    CFB_FREESECT);
	return buffer_append(w->out, h, sizeof(h));
}

static int
write_streams(struct cfb_out *w, bool small)
{
	size_t base = w->base;
	uint32_t i;

	for (i = 1; i < w->n; i++) {
		if (w->size[i] == 0 || (w->size[i] < CFB_MINI_CUTOFF) != small)
			continue;
		if (cfb_read_stream(w->cfb, w->ids[i], w->out) < 0 ||
		    pad_to(w->out, base, small ? CFB_MINI_SIZE : CFB_HEADER_SIZE) < 0)
			return -1;
	}
	return pad_to(w->out, base, CFB_HEADER_SIZE);
}

static int
write_directory(struct cfb_out *w)
{
	unsigned char d[CFB_DIRENT_SIZE];
	uint32_t i, k, slots = w->dir_sect * (CFB_HEADER_SIZE / CFB_DIRENT_SIZE);

	for (i = 0; i < slots; i++) {
		memset(d, 0, sizeof(d));
		wr32(d + 68, CFB_NOSTREAM);
		wr32(d + 72, CFB_NOSTREAM);
		wr32(d + 76, CFB_NOSTREAM);
		if (i < w->n) {
			const struct cfb_entry *e = &w->cfb->entries[w->ids[i]];

			for (k = 0; k < e->name_len; k++)
				wr16(d + 2 * k, e->name[k]);
			wr16(d + 64, (uint16_t)((e->name_len + 1) * 2));
			d[66] = e->type;
			d[67] = i == 0 ? 1 : w->color[i];
			wr32(d + 68, w->left[i]);
			wr32(d + 72, w->right[i]);
			wr32(d + 76, w->child[i]);
			memcpy(d + 80, e->clsid, 16);
			wr32(d + 96, e->state);
			memcpy(d + 100, e->times, 16);
			wr32(d + 116, w->start[i]);
			wr32(d + 120, (uint32_t)w->size[i]);
		}
		if (buffer_append(w->out, d, sizeof(d)) < 0)
			return -1;
	}
	return 0;
}

/* Write consecutive chains: each stream's sectors follow each other. */
static int
write_chain(struct buffer *out, uint32_t first, uint32_t count)
{
	uint32_t k;

	for (k = 0; k < count; k++) {
		if (put_u32(out, k + 1 < count ? first + k + 1 :
		    CFB_ENDOFCHAIN) < 0)
			return -1;
	}
	return 0;
}

static int
write_minifat(struct cfb_out *w)
{
	uint32_t i, k, written = 0;

	for (i = 1; i < w->n; i++) {
		if (w->size[i] == 0 || w->size[i] >= CFB_MINI_CUTOFF)
			continue;
		k = div_up(w->size[i], CFB_MINI_SIZE);
		if (write_chain(w->out, w->start[i], k) < 0)
			return -1;
		written += k;
	}
	for (; written < w->mf_sect * 128; written++) {
		if (put_u32(w->out, CFB_FREESECT) < 0)
			return -1;
	}
	return 0;
}

static int
write_fat(struct cfb_out *w)
{
	uint32_t i, k, written = 0;
	int ret = 0;

	for (i = 1; i < w->n; i++) {
		if (w->size[i] < CFB_MINI_CUTOFF)
			continue;
		k = div_up(w->size[i], CFB_HEADER_SIZE);
		ret |= write_chain(w->out, w->start[i], k);
		written += k;
	}
	ret |= write_chain(w->out, w->ms_start, w->ms_sect);
	ret |= write_chain(w->out, w->dir_start, w->dir_sect);
	ret |= write_chain(w->out, w->mf_start, w->mf_sect);
	written += w->ms_sect + w->dir_sect + w->mf_sect;
	for (k = 0; k < w->fat_sect && ret == 0; k++, written++)
		ret |= put_u32(w->out, CFB_FATSECT);
	for (k = 0; k < w->dif_sect && ret == 0; k++, written++)
		ret |= put_u32(w->out, CFB_DIFSECT);
	for (; written < w->fat_sect * 128 && ret == 0; written++)
		ret |= put_u32(w->out, CFB_FREESECT);
	return ret;
}

static int
write_difat(struct cfb_out *w)
{
	uint32_t d, k, fat = CFB_HEADER_DIFAT;
	int ret = 0;

	for (d = 0; d < w->dif_sect && ret == 0; d++) {
		for (k = 0; k < 127; k++, fat++)
			ret |= put_u32(w->out, fat < w->fat_sect ?
			    w->fat_start + fat : CFB_FREESECT);
		ret |= put_u32(w->out, d + 1 < w->dif_sect ?
		    w->dif_start + d + 1 : CFB_ENDOFCHAIN);
	}
	return ret;
}

int
cfb_write(const struct cfb *cfb, const bool *keep, struct buffer *out)
{
	struct cfb_out w = { .cfb = cfb, .out = out };
	size_t need;

	if (select_entries(&w, keep) < 0 || build_trees(&w) < 0 ||
	    layout(&w) < 0)
		return -1;
	if (size_mul(w.total, CFB_HEADER_SIZE, &need) < 0 ||
	    size_add(need, CFB_HEADER_SIZE + out->used, &need) < 0 ||
	    need > out->max)
		return -1;
	if (write_header(&w) < 0)
		return -1;
	w.base = out->used;
	if (write_streams(&w, false) < 0 ||
	    write_streams(&w, true) < 0 || write_directory(&w) < 0 ||
	    write_minifat(&w) < 0 || write_fat(&w) < 0 || write_difat(&w) < 0)
		return -1;
	return 0;
}
