/*
 * limits - the defaults, in one place.
 */
#include "sanso_limits.h"

void
limits_init(struct limits *l)
{
	l->file_size = LIMIT_FILE_SIZE_DEFAULT;
	l->output_size = LIMIT_OUTPUT_SIZE_DEFAULT;
	l->archive_depth = LIMIT_ARCHIVE_DEPTH_DEFAULT;
	l->archive_entries = LIMIT_ARCHIVE_ENTRIES_DEFAULT;
	l->archive_total = LIMIT_ARCHIVE_TOTAL_DEFAULT;
	l->archive_ratio = LIMIT_ARCHIVE_RATIO_DEFAULT;
	l->pdf_objects = LIMIT_PDF_OBJECTS_DEFAULT;
	l->xml_depth = LIMIT_XML_DEPTH_DEFAULT;
	l->xml_nodes = LIMIT_XML_NODES_DEFAULT;
	l->image_pixels = LIMIT_IMAGE_PIXELS_DEFAULT;
	l->rtf_depth = LIMIT_RTF_DEPTH_DEFAULT;
	l->mime_depth = LIMIT_MIME_DEPTH_DEFAULT;
	l->mime_parts = LIMIT_MIME_PARTS_DEFAULT;
	l->header_bytes = LIMIT_HEADER_BYTES_DEFAULT;
	l->line_length = LIMIT_LINE_LENGTH_DEFAULT;
	l->job_seconds = LIMIT_JOB_SECONDS_DEFAULT;
	l->job_memory = LIMIT_JOB_MEMORY_DEFAULT;
}
