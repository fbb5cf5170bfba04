/*
 * sanso_limits - every resource limit sanso enforces, named once.
 *
 * Each default below maps 1:1 to a key under `limits:` in the policy
 * file (the key is given beside it). Parsers receive a struct limits and
 * never invent their own numbers: going over one raises a limit.*
 * finding, it never truncates silently. Anchors: ClamAV's MaxRecursion
 * 17 / MaxFiles 10000 / MaxFileSize 100 MB; Postfix's header_size_limit
 * 102400 and nesting limit 100.
 */
#ifndef SANSO_SANSO_LIMITS_H
#define SANSO_SANSO_LIMITS_H

#include <stddef.h>
#include <stdint.h>

#define LIMIT_FILE_SIZE_DEFAULT		(100ULL * 1024 * 1024)	/* file_size */
#define LIMIT_OUTPUT_SIZE_DEFAULT	(256ULL * 1024 * 1024)	/* output_size */
#define LIMIT_ARCHIVE_DEPTH_DEFAULT	5			/* archive_depth */
#define LIMIT_ARCHIVE_ENTRIES_DEFAULT	10000			/* archive_entries */
#define LIMIT_ARCHIVE_TOTAL_DEFAULT	(1024ULL * 1024 * 1024)	/* archive_total */
#define LIMIT_ARCHIVE_RATIO_DEFAULT	200			/* archive_ratio */
#define LIMIT_PDF_OBJECTS_DEFAULT	500000			/* pdf_objects */
#define LIMIT_XML_DEPTH_DEFAULT		256			/* xml_depth */
#define LIMIT_XML_NODES_DEFAULT		5000000			/* xml_nodes */
#define LIMIT_IMAGE_PIXELS_DEFAULT	(100ULL * 1000 * 1000)	/* image_pixels */
#define LIMIT_RTF_DEPTH_DEFAULT		512			/* rtf_depth */
#define LIMIT_MIME_DEPTH_DEFAULT	32			/* mime_depth */
#define LIMIT_MIME_PARTS_DEFAULT	1000			/* mime_parts */
#define LIMIT_HEADER_BYTES_DEFAULT	102400			/* header_bytes */
#define LIMIT_LINE_LENGTH_DEFAULT	(1024 * 1024)		/* line_length */
#define LIMIT_JOB_SECONDS_DEFAULT	120			/* job_seconds */
#define LIMIT_JOB_MEMORY_DEFAULT	(2048ULL * 1024 * 1024)	/* job_memory */

struct limits {
	uint64_t file_size;	/* largest input file accepted, bytes */
	uint64_t output_size;	/* largest rebuilt output, bytes */
	unsigned archive_depth;	/* nesting of archives (and OOXML in zip) */
	unsigned archive_entries; /* members in one archive */
	uint64_t archive_total;	/* sum of uncompressed member sizes */
	unsigned archive_ratio;	/* uncompressed/compressed, whole archive */
	unsigned pdf_objects;	/* objects in one PDF */
	unsigned xml_depth;	/* element nesting in one XML part */
	uint64_t xml_nodes;	/* elements in one XML part */
	uint64_t image_pixels;	/* width * height of one image */
	unsigned rtf_depth;	/* group nesting in RTF */
	unsigned mime_depth;	/* multipart / message nesting */
	unsigned mime_parts;	/* parts in one message */
	size_t header_bytes;	/* header section of one message */
	size_t line_length;	/* one line of a text part */
	unsigned job_seconds;	/* wall clock for one worker job */
	uint64_t job_memory;	/* address space of one worker */
};

/* Fill limits with the defaults above. */
void limits_init(struct limits *limits);

#endif
