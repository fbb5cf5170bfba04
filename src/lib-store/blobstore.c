/*
 * blobstore - durable content-addressed files.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "blobstore.h"
#include "hash.h"

static int
fsync_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return -1;
	ret = fsync(fd);
	close(fd);
	return ret;
}

static int
mkdir_ok(const char *path)
{
	return mkdir(path, 0700) == 0 || errno == EEXIST ? 0 : -1;
}

int
blob_init(const char *dir)
{
	char p[4096];

	if (mkdir_ok(dir) < 0)
		return -1;
	snprintf(p, sizeof(p), "%s/blobs", dir);
	if (mkdir_ok(p) < 0)
		return -1;
	snprintf(p, sizeof(p), "%s/tmp", dir);
	return mkdir_ok(p);
}

static bool
sha_valid(const char *sha)
{
	size_t i;

	for (i = 0; i < 64; i++) {
		if (!((sha[i] >= '0' && sha[i] <= '9') ||
		    (sha[i] >= 'a' && sha[i] <= 'f')))
			return false;
	}
	return sha[64] == '\0';
}

int
blob_path(const char *dir, const char *sha, char *path, size_t size)
{
	if (!sha_valid(sha)) {
		errno = EINVAL;
		return -1;
	}
	if ((size_t)snprintf(path, size, "%s/blobs/%.2s/%s", dir, sha, sha) >=
	    size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

static int
write_all(int fd, const unsigned char *p, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int
blob_put(const char *dir, const void *data, size_t len, char sha[65])
{
	char path[4096], sub[4096], tmp[4096];
	struct stat st;
	int fd, saved;

	hash_sha256_hex(data, len, sha);
	if (blob_path(dir, sha, path, sizeof(path)) < 0)
		return -1;
	if (stat(path, &st) == 0 && (size_t)st.st_size == len)
		return 0;
	snprintf(sub, sizeof(sub), "%s/blobs/%.2s", dir, sha);
	if (mkdir_ok(sub) < 0)
		return -1;
	snprintf(tmp, sizeof(tmp), "%s/tmp/%s.XXXXXX", dir, sha);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (write_all(fd, data, len) < 0 || fsync(fd) < 0)
		goto fail;
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) < 0)
		goto fail;
	/* The rename is durable only once the folder holding the new name
	   is on disk. */
	if (fsync_dir(sub) < 0)
		return -1;
	snprintf(sub, sizeof(sub), "%s/blobs", dir);
	return fsync_dir(sub);
fail:
	saved = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	errno = saved;
	return -1;
}

int
blob_get(const char *dir, const char *sha, struct buffer *out)
{
	unsigned char chunk[65536];
	char path[4096], hex[65];
	ssize_t n;
	int fd;

	if (blob_path(dir, sha, path, sizeof(path)) < 0)
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || (n > 0 && buffer_append(out, chunk, (size_t)n) < 0)) {
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
	}
	close(fd);
	hash_sha256_hex(out->data != NULL ? out->data :
	    (const unsigned char *)"", out->used, hex);
	if (strcmp(hex, sha) != 0) {
		errno = EBADMSG;
		return -1;
	}
	return 0;
}
